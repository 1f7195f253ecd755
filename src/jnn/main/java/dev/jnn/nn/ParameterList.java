package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A list of registered parameters ({@code torch.nn.ParameterList}), named {@code "0"}, {@code "1"},
 * ... Plain tensors given to the constructor, {@link #set}, {@link #append} or {@link #extend} are
 * wrapped in a {@link Parameter}.
 */
public class ParameterList extends Module implements Iterable<Tensor> {
  private int size;

  /** An empty list. */
  public ParameterList() {}

  /** A list of {@code values}. */
  public ParameterList(Iterable<? extends Tensor> values) {
    extend(values);
  }

  /** The number of entries. */
  public int size() {
    return size;
  }

  /** The entry at {@code idx} (negative counts from the end); a {@link Parameter} unless null. */
  public Tensor get(int idx) {
    return (Tensor) getAttribute(String.valueOf(Containers.absIndex(idx, size)));
  }

  /** Replaces the entry at {@code idx}; a plain tensor is wrapped in a Parameter. */
  public void set(int idx, Tensor value) {
    String key = String.valueOf(Containers.absIndex(idx, size));
    Tensor v = value != null && !(value instanceof Parameter) ? new Parameter(value) : value;
    setAttribute(key, v);
  }

  /** Appends {@code value} (wrapped in a Parameter if needed); returns this. */
  public ParameterList append(Tensor value) {
    int newIdx = size;
    size++;
    set(newIdx, value);
    return this;
  }

  /** Appends all of {@code values}; returns this. */
  public ParameterList extend(Iterable<? extends Tensor> values) {
    for (Tensor t : values) {
      append(t);
    }
    return this;
  }

  /** A new ParameterList of the entries {@code [start:stop]} (the same Parameter objects). */
  public ParameterList slice(int start, int stop) {
    ParameterList out = new ParameterList();
    for (int i : Containers.sliceIndices(size, start, stop, 1)) {
      out.append(get(i));
    }
    return out;
  }

  /** The entries in order. */
  @Override
  public Iterator<Tensor> iterator() {
    List<Tensor> l = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      l.add(get(i));
    }
    return l.iterator();
  }

  /** A ParameterList cannot be called. */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    throw new IllegalStateException("ParameterList should not be called.");
  }

  /** One line per entry: {@code (0): Parameter containing: [torch.float32 of size 2x3]}. */
  @Override
  protected String extraRepr() {
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      Object p = getAttribute(String.valueOf(k));
      lines.add("  (" + k + "): " + describe(p, false));
    }
    return String.join("\n", lines);
  }

  /** {@code Parameter containing: [torch.float32 of size 2x3]} or {@code Object of type: X}. */
  static String describe(Object p, boolean typename) {
    if (p instanceof Tensor t) {
      StringBuilder size = new StringBuilder();
      long[] dims = t.shape().dims();
      for (int i = 0; i < dims.length; i++) {
        if (i > 0) {
          size.append('x');
        }
        size.append(dims[i]);
      }
      String device = t.device().isCpu() ? "" : " (" + t.device() + ")";
      return (p instanceof Parameter ? "Parameter" : "Tensor")
          + " containing: ["
          + (typename ? ModuleText.torchTypename(t) : t.dtype().toString())
          + " of size "
          + size
          + device
          + "]";
    }
    return "Object of type: " + (p == null ? "NoneType" : p.getClass().getSimpleName());
  }
}
