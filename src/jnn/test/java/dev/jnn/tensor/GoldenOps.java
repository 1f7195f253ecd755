package dev.jnn.tensor;

import dev.jnn.core.DType;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Java side of {@code scripts/golden/tensor_ops.py}: runs the op named by a golden case's
 * {@code op} attribute with the case's parameters. Shared by the golden test and the gradient
 * checks, so both cover exactly the same op list.
 */
public final class GoldenOps {
  /** The fixture file. */
  public static final String FILE = "tensor_ops.txt";

  private GoldenOps() {}

  /** All op cases (not the repr cases) of the fixture file. */
  public static List<Golden.Case> opCases() {
    List<Golden.Case> r = new ArrayList<>();
    for (Golden.Case c : Golden.load(FILE)) {
      if (!c.name().startsWith("repr_")) {
        r.add(c);
      }
    }
    return r;
  }

  /** The case's inputs in0, in1, ... in order. */
  public static List<Tensor> inputs(Golden.Case c) {
    List<Tensor> xs = new ArrayList<>();
    for (int k = 0; c.has("in" + k); k++) {
      xs.add(c.tensor("in" + k));
    }
    return xs;
  }

  private static long[] longs(int[] v) {
    return Arrays.stream(v).asLongStream().toArray();
  }

  private static double optDouble(Golden.Case c, String key) {
    String v = c.attr(key, "none").trim();
    return v.equals("none") ? Double.NaN : Double.parseDouble(v);
  }

  /**
   * Runs the case's op on {@code xs}: a {@link Tensor}, or a {@link Tensor.ValuesIndices} for
   * max/min over a dim.
   */
  public static Object run(Golden.Case c, List<Tensor> xs) {
    String op = c.attr("op");
    Tensor x = xs.get(0);
    Tensor y = xs.size() > 1 ? xs.get(1) : null;
    boolean keepdim = "1".equals(c.attr("keepdim", "0").trim());
    return switch (op) {
      case "add" -> x.add(y);
      case "sub" -> x.sub(y);
      case "mul" -> x.mul(y);
      case "div" -> x.div(y);
      case "pow" -> x.pow(y);
      case "maximum" -> x.maximum(y);
      case "minimum" -> x.minimum(y);
      case "eq" -> x.eq(y);
      case "ne" -> x.ne(y);
      case "lt" -> x.lt(y);
      case "le" -> x.le(y);
      case "gt" -> x.gt(y);
      case "ge" -> x.ge(y);
      case "eq_s" -> x.eq(c.doubleAttr("s"));
      case "ne_s" -> x.ne(c.doubleAttr("s"));
      case "lt_s" -> x.lt(c.doubleAttr("s"));
      case "le_s" -> x.le(c.doubleAttr("s"));
      case "gt_s" -> x.gt(c.doubleAttr("s"));
      case "ge_s" -> x.ge(c.doubleAttr("s"));
      case "matmul" -> x.matmul(y);
      case "add_alpha" -> x.add(y, c.doubleAttr("alpha"));
      case "add_s" -> x.add(c.doubleAttr("s"));
      case "sub_s" -> x.sub(c.doubleAttr("s"));
      case "mul_s" -> x.mul(c.doubleAttr("s"));
      case "div_s" -> x.div(c.doubleAttr("s"));
      case "rsub_s" -> x.rsub(c.doubleAttr("s"));
      case "neg" -> x.neg();
      case "exp" -> x.exp();
      case "log" -> x.log();
      case "sqrt" -> x.sqrt();
      case "abs" -> x.abs();
      case "relu" -> x.relu();
      case "sigmoid" -> x.sigmoid();
      case "tanh" -> x.tanh();
      case "gelu" -> x.gelu(c.attr("approximate").trim());
      case "pow_s" -> x.pow(c.doubleAttr("p"));
      case "clamp" -> x.clamp(optDouble(c, "min"), optDouble(c, "max"));
      case "where" -> Tensor.where(x, y, xs.get(2));
      case "sum" -> c.intsAttr("dims").length == 0 ? x.sum() : x.sum(c.intsAttr("dims"), keepdim);
      case "mean" ->
          c.intsAttr("dims").length == 0 ? x.mean() : x.mean(c.intsAttr("dims"), keepdim);
      case "var" ->
          x.var(
              c.intsAttr("dims").length == 0 ? null : c.intsAttr("dims"),
              c.intAttr("correction"),
              keepdim);
      case "max_all" -> x.max();
      case "min_all" -> x.min();
      case "max_dim" -> x.max(c.intAttr("dim"), keepdim);
      case "min_dim" -> x.min(c.intAttr("dim"), keepdim);
      case "argmax_all" -> x.argmax();
      case "argmax_dim" -> x.argmax(c.intAttr("dim"), keepdim);
      case "view" -> x.view(longs(c.intsAttr("shape")));
      case "reshape" -> x.reshape(longs(c.intsAttr("shape")));
      case "reshape_t" -> x.transpose(0, 1).reshape(longs(c.intsAttr("shape")));
      case "permute" -> x.permute(c.intsAttr("dims"));
      case "transpose" -> x.transpose(c.intAttr("d0"), c.intAttr("d1"));
      case "contiguous_t" -> x.transpose(0, 1).contiguous();
      case "flatten" -> x.flatten(c.intAttr("start"), c.intAttr("end"));
      case "squeeze_all" -> x.squeeze();
      case "squeeze_dim" -> x.squeeze(c.intAttr("dim"));
      case "unsqueeze" -> x.unsqueeze(c.intAttr("dim"));
      case "expand" -> x.expand(longs(c.intsAttr("shape")));
      case "cat" -> Tensor.cat(xs, c.intAttr("dim"));
      case "stack" -> Tensor.stack(xs, c.intAttr("dim"));
      case "narrow" -> x.narrow(c.intAttr("dim"), c.intAttr("start"), c.intAttr("length"));
      case "slice" ->
          x.slice(c.intAttr("dim"), c.intAttr("start"), c.intAttr("end"), c.intAttr("step"));
      case "select" -> x.select(c.intAttr("dim"), c.intAttr("index"));
      case "index_select" -> x.indexSelect(c.intAttr("dim"), y);
      case "gather" -> x.gather(c.intAttr("dim"), y);
      case "to" -> x.to(DType.valueOf(c.attr("dtype").trim().toUpperCase()));
      default -> throw new IllegalArgumentException("unknown golden op " + op);
    };
  }

  /** The first output of {@link #run}. */
  public static Tensor first(Object r) {
    return r instanceof Tensor.ValuesIndices vi ? vi.values() : (Tensor) r;
  }
}
