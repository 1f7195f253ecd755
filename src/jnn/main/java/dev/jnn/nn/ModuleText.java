package dev.jnn.nn;

import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;
import java.util.Map;

/**
 * PyTorch's texts behind {@link Module} and the containers: {@code type(self).__name__}, Python's
 * {@code repr} of a string, {@code _addindent}, {@code torch.typename}, {@code torch.Size}, and the
 * errors of the forward plumbing (an unexpected keyword argument, a missing {@code forward}, a
 * structured output where a tensor was asked for, an unreachable extra-state code path).
 */
final class ModuleText {
  private ModuleText() {}

  /** Python's {@code type(self).__name__}: the simple name (the binary name's tail if none). */
  static String pythonClassName(Class<?> type) {
    String n = type.getSimpleName();
    if (n.isEmpty()) {
      n = type.getName();
      n = n.substring(n.lastIndexOf('.') + 1);
    }
    return n;
  }

  /** PyTorch's {@code _addindent}: indents every line but the first by {@code numSpaces}. */
  static String addIndent(String s, int numSpaces) {
    String[] lines = s.split("\n", -1);
    if (lines.length == 1) {
      return s;
    }
    String pad = " ".repeat(numSpaces);
    StringBuilder b = new StringBuilder(lines[0]);
    for (int i = 1; i < lines.length; i++) {
      b.append('\n').append(pad).append(lines[i]);
    }
    return b.toString();
  }

  /**
   * {@code torch.typename(value)} for error messages: {@code torch.FloatTensor}, a class name, ...
   */
  static String torchTypename(Object value) {
    if (value instanceof Tensor t) {
      String base =
          switch (t.dtype()) {
            case FLOAT32 -> "FloatTensor";
            case FLOAT64 -> "DoubleTensor";
            case INT64 -> "LongTensor";
            case BOOL -> "BoolTensor";
            default -> t.dtype().torchName();
          };
      return t.device().isCpu() ? "torch." + base : "torch.cuda." + base;
    }
    return value.getClass().getName();
  }

  /** {@code torch.Size([2, 3])}. */
  static String torchSize(Shape s) {
    return "torch.Size(" + s + ")";
  }

  /**
   * Python's {@code repr(str)} (single quotes unless the text contains one and no double quote).
   */
  static String pyRepr(String s) {
    String q = s.contains("'") && !s.contains("\"") ? "\"" : "'";
    String body = s.replace("\\", "\\\\");
    if (q.equals("'")) {
      body = body.replace("'", "\\'");
    }
    return q + body + q;
  }

  /** PyTorch's error for a keyword argument that {@code forward} does not take. */
  static void rejectKwargs(Module module, Map<String, Object> kwargs) {
    if (!kwargs.isEmpty()) {
      throw new IllegalArgumentException(
          module.pythonClassName()
              + ".forward() got an unexpected keyword argument '"
              + kwargs.keySet().iterator().next()
              + "'");
    }
  }

  static UnsupportedOperationException missingForward(Module module) {
    return new UnsupportedOperationException(
        "Module [" + module.pythonClassName() + "] is missing the required \"forward\" function");
  }

  /** {@code output} as the tensor {@code call} returns, or the error naming {@code callAny}. */
  static Tensor tensorResult(Module module, Object output) {
    if (output == null || output instanceof Tensor) {
      return (Tensor) output;
    }
    throw new IllegalStateException(
        module.pythonClassName()
            + " returned a "
            + Outputs.typeName(output)
            + ", not a Tensor: call it with callAny"
            + (module instanceof StructuredModule ? " or callOutput" : "")
            + " to receive a structured output");
  }

  /** PyTorch's error from {@code Module.get_extra_state()}/{@code set_extra_state()}. */
  static IllegalStateException unreachable(String method) {
    return new IllegalStateException(
        "Reached a code path in Module."
            + method
            + "() that should never be called. Please file"
            + " an issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml"
            + " to report this bug.");
  }
}
