package dev.jnn.ops;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** What an op's Java call sees: the sample's tensors and keyword arguments. */
public final class Args {
  private final List<Tensor> tensors;
  private final Map<String, Object> kwargs;

  public Args(List<Tensor> tensors, Map<String, Object> kwargs) {
    this.tensors = tensors;
    this.kwargs = kwargs;
  }

  public Tensor t(int i) {
    return tensors.get(i);
  }

  public List<Tensor> tensors() {
    return tensors;
  }

  private Object get(String k) {
    Object v = kwargs.get(k);
    if (v == null) {
      throw new IllegalArgumentException("no keyword argument " + k + " in " + kwargs.keySet());
    }
    return v;
  }

  /** An int list, or null when the keyword argument is null (Python None). */
  public int[] intsOrNull(String k) {
    if (!kwargs.containsKey(k)) {
      throw new IllegalArgumentException("no keyword argument " + k + " in " + kwargs.keySet());
    }
    Object v = kwargs.get(k);
    return v == null ? null : ((int[]) v).clone();
  }

  /** An int, or null when the keyword argument is null (Python None). */
  public Integer intOrNull(String k) {
    if (!kwargs.containsKey(k)) {
      throw new IllegalArgumentException("no keyword argument " + k + " in " + kwargs.keySet());
    }
    Object v = kwargs.get(k);
    return v == null ? null : ((Number) v).intValue();
  }

  /** A float, or null when the keyword argument is null (Python None). */
  public Double doubleOrNull(String k) {
    if (!kwargs.containsKey(k)) {
      throw new IllegalArgumentException("no keyword argument " + k + " in " + kwargs.keySet());
    }
    Object v = kwargs.get(k);
    return v == null ? null : ((Number) v).doubleValue();
  }

  /** A float list, or null when the keyword argument is null (Python None). */
  public double[] doublesOrNull(String k) {
    if (!kwargs.containsKey(k)) {
      throw new IllegalArgumentException("no keyword argument " + k + " in " + kwargs.keySet());
    }
    Object v = kwargs.get(k);
    return v == null ? null : ((double[]) v).clone();
  }

  /** A bool, or null when the keyword argument is null (Python None). */
  public Boolean boolOrNull(String k) {
    if (!kwargs.containsKey(k)) {
      throw new IllegalArgumentException("no keyword argument " + k + " in " + kwargs.keySet());
    }
    return (Boolean) kwargs.get(k);
  }

  public double d(String k) {
    return ((Number) get(k)).doubleValue();
  }

  public int i(String k) {
    return ((Number) get(k)).intValue();
  }

  public int[] ints(String k) {
    return ((int[]) get(k)).clone();
  }

  /** An int list as long[] (shapes). */
  public long[] longs(String k) {
    return java.util.Arrays.stream((int[]) get(k)).asLongStream().toArray();
  }

  public boolean b(String k) {
    return (Boolean) get(k);
  }

  public String s(String k) {
    return (String) get(k);
  }
}
