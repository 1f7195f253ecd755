package dev.jnn.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sample of an op (an {@code OpInfo} sample input, or an error input): tensor inputs made by
 * {@link SampleGen} from a seed, and keyword arguments (Double, Integer, int[], Boolean, String).
 * The seeds are set by the registry from the op's name, so reordering entries changes nothing.
 */
public final class Sample {
  /** One tensor input: shape (of the tensor the op sees), kind, layout, seed, explicit values. */
  public static final class Input {
    private final long[] shape;
    private final String kind;
    private String layout = "contiguous";
    private final double[] values;
    private long seed;
    private boolean constant;

    Input(String kind, double[] values, long... shape) {
      this.kind = kind;
      this.values = values;
      this.shape = shape;
    }

    /** The same input as a non-contiguous view: the transpose of a contiguous tensor. */
    public Input transposed() {
      if (shape.length < 2) {
        throw new IllegalArgumentException("transposed needs 2 or more dims");
      }
      layout = "transposed";
      return this;
    }

    /**
     * Never requires grad (PyTorch's op is not differentiable in this argument, e.g. a loss's
     * class weights).
     */
    public Input constant() {
      constant = true;
      return this;
    }

    /** Whether the tests make it require grad: floating and not {@link #constant()}. */
    public boolean requiresGrad() {
      return floating() && !constant;
    }

    public long[] shape() {
      return shape;
    }

    public String kind() {
      return kind;
    }

    public String layout() {
      return layout;
    }

    public long seed() {
      return seed;
    }

    public double[] values() {
      return values;
    }

    boolean floating() {
      return !kind.equals("b") && !kind.startsWith("i");
    }

    Input copy() {
      Input c = new Input(kind, values, shape.clone());
      c.layout = layout;
      c.constant = constant;
      return c;
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shape", shape);
      m.put("kind", kind);
      m.put("layout", layout);
      m.put("seed", seed);
      if (values != null) {
        m.put("values", values);
      }
      if (constant) {
        m.put("requires_grad", false);
      }
      return m;
    }

    @Override
    public String toString() {
      return kind + Arrays.toString(shape) + (layout.equals("contiguous") ? "" : "^T");
    }
  }

  private final List<Input> inputs;
  private final Map<String, Object> kwargs = new LinkedHashMap<>();
  private boolean smooth = true;
  private long gradSeed;

  Sample(List<Input> inputs) {
    this.inputs = inputs;
  }

  /** A sample of these inputs. */
  public static Sample of(Input... inputs) {
    List<Input> l = new ArrayList<>();
    for (Input i : inputs) {
      l.add(i.copy());
    }
    return new Sample(l);
  }

  /** Adds a keyword argument. */
  public Sample kw(String name, Object value) {
    kwargs.put(name, value);
    return this;
  }

  /**
   * Marks the sample as placed on purpose where the op is not differentiable (ties, kinks): the
   * golden test pins PyTorch's subgradient there, the finite-difference check skips it.
   */
  public Sample nonSmooth() {
    smooth = false;
    return this;
  }

  public List<Input> inputs() {
    return Collections.unmodifiableList(inputs);
  }

  public Map<String, Object> kwargs() {
    return Collections.unmodifiableMap(kwargs);
  }

  public boolean smooth() {
    return smooth;
  }

  /** The seed of the upstream gradient ({@code gout}) the Python side draws (kind n). */
  public long gradSeed() {
    return gradSeed;
  }

  Sample copy() {
    Sample s = of(inputs.toArray(new Input[0]));
    s.kwargs.putAll(kwargs);
    s.smooth = smooth;
    return s;
  }

  void seed(long base) {
    for (int k = 0; k < inputs.size(); k++) {
      inputs.get(k).seed = base + k;
    }
    gradSeed = base + 9;
  }

  Map<String, Object> json(boolean withGrad) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> ins = new ArrayList<>();
    for (Input i : inputs) {
      ins.add(i.json());
    }
    m.put("inputs", ins);
    m.put("kwargs", kwargs);
    if (withGrad) {
      m.put("smooth", smooth);
      m.put("grad_seed", gradSeed);
    }
    return m;
  }

  @Override
  public String toString() {
    return inputs + (kwargs.isEmpty() ? "" : " " + JsonOut.write(kwargs));
  }

  // ---------------------------------------------------------------- input helpers

  /** Uniform in [-2, 2). */
  public static Input n(long... shape) {
    return new Input("n", null, shape);
  }

  /** Positive, [0.5, 2). */
  public static Input p(long... shape) {
    return new Input("p", null, shape);
  }

  /** Uniform in [0, 1) (probabilities, targets). */
  public static Input u(long... shape) {
    return new Input("u", null, shape);
  }

  /** Away from zero. */
  public static Input nz(long... shape) {
    return new Input("nz", null, shape);
  }

  /** Integers -2..2 (ties, zeros). */
  public static Input ties(long... shape) {
    return new Input("t", null, shape);
  }

  /** Booleans. */
  public static Input bool(long... shape) {
    return new Input("b", null, shape);
  }

  /** int64 in [0, k). */
  public static Input index(int k, long... shape) {
    return new Input("i" + k, null, shape);
  }

  /** Explicit values (float), e.g. kinks. */
  public static Input values(double[] v, long... shape) {
    return new Input("v", v, shape);
  }
}
