package dev.jnn.ops;

import dev.jnn.core.DType;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Assertions2;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One entry of the {@link OpRegistry} (PyTorch's {@code OpInfo}): the op's exact name, the PyTorch
 * call the fixture generator evaluates, the public Java method it tests, the Java call, sample
 * inputs, error inputs, tolerances and whether it is differentiable. Every test kind iterates
 * these entries; see docs/ARCHITECTURE.md, "The op registry".
 */
public final class OpInfo {
  private final String name;
  private String torch;
  private String java;
  private Function<Args, Object> call;
  private final List<Sample> samples = new ArrayList<>();
  private final List<Sample> errors = new ArrayList<>();
  private boolean differentiable = true;
  private double rtol32 = Assertions2.F32_RTOL;
  private double rtol64 = Assertions2.F64_RTOL;
  private String gradFnDeviation;

  OpInfo(String name) {
    this.name = name;
  }

  // ---------------------------------------------------------------- building

  /**
   * The PyTorch call, a Python expression over {@code a} (the list of input tensors), {@code
   * torch}, {@code F} (torch.nn.functional) and the sample's keyword arguments by name.
   */
  public OpInfo torch(String expression) {
    this.torch = expression;
    return this;
  }

  /** The public Java method this entry tests, e.g. {@code Tensor.add(Tensor,double)}. */
  public OpInfo java(String signature, Function<Args, Object> call) {
    this.java = signature;
    this.call = call;
    return this;
  }

  public OpInfo samples(List<Sample> s) {
    for (Sample x : s) {
      samples.add(x.copy());
    }
    return this;
  }

  public OpInfo samples(Sample... s) {
    return samples(List.of(s));
  }

  /** Inputs that must raise; the message is PyTorch's, recorded by the fixture generator. */
  public OpInfo errors(Sample... s) {
    for (Sample x : s) {
      errors.add(x.copy());
    }
    return this;
  }

  /** Outputs carry no gradient (comparisons, arg-reductions, logical ops). */
  public OpInfo notDifferentiable() {
    differentiable = false;
    return this;
  }

  /** Relative (and absolute) tolerance against PyTorch, float32 and float64. */
  public OpInfo tolerance(double f32, double f64) {
    rtol32 = f32;
    rtol64 = f64;
    return this;
  }

  /** jnn's {@code grad_fn} name differs from PyTorch's, for this reason. */
  public OpInfo gradFnDeviates(String reason) {
    gradFnDeviation = reason;
    return this;
  }

  OpInfo seal() {
    long base = (long) name.hashCode() * 1000;
    for (int i = 0; i < samples.size(); i++) {
      samples.get(i).seed(base + 10L * i);
    }
    for (int i = 0; i < errors.size(); i++) {
      errors.get(i).seed(base + 500 + 10L * i);
    }
    if (torch == null || java == null || samples.isEmpty()) {
      throw new IllegalStateException(name + ": torch, java and samples are required");
    }
    return this;
  }

  // ---------------------------------------------------------------- reading

  public String name() {
    return name;
  }

  public String torch() {
    return torch;
  }

  public String javaSignature() {
    return java;
  }

  public List<Sample> samples() {
    return Collections.unmodifiableList(samples);
  }

  public List<Sample> errors() {
    return Collections.unmodifiableList(errors);
  }

  public boolean differentiable() {
    return differentiable;
  }

  public double rtol(DType dt) {
    return dt == DType.FLOAT64 ? rtol64 : rtol32;
  }

  public String gradFnDeviation() {
    return gradFnDeviation;
  }

  /** The dtypes every sample runs in (float inputs are made in it; bool/int64 inputs stay). */
  public static final List<DType> DTYPES = List.of(DType.FLOAT32, DType.FLOAT64);

  /** The exact golden case name of a sample: {@code <op>/<sample>/<dtype>}. */
  public String caseName(int sample, DType dt) {
    return name + "/" + sample + "/" + dt.name().toLowerCase();
  }

  /** The exact golden case name of an error input: {@code <op>/error/<i>}. */
  public String errorName(int i) {
    return name + "/error/" + i;
  }

  /** The sample's inputs, made fresh (floating ones in {@code dt}). */
  public static List<Tensor> inputs(Sample s, DType dt) {
    List<Tensor> r = new ArrayList<>();
    for (Sample.Input in : s.inputs()) {
      r.add(SampleGen.make(in, dt));
    }
    return r;
  }

  /** Runs the Java call: a Tensor, a Tensor.ValuesIndices or a TensorWithIndices. */
  public Object call(List<Tensor> inputs, Sample s) {
    return call.apply(new Args(inputs, s.kwargs()));
  }

  /** The first output of a call. */
  public static Tensor first(Object r) {
    if (r instanceof TensorWithIndices ti) {
      return ti.output();
    }
    return r instanceof Tensor.ValuesIndices vi ? vi.values() : (Tensor) r;
  }

  /** The second output (indices), or null. */
  public static Tensor second(Object r) {
    if (r instanceof TensorWithIndices ti) {
      return ti.indices();
    }
    return r instanceof Tensor.ValuesIndices vi ? vi.indices() : null;
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("torch", torch);
    m.put("java", java);
    m.put("differentiable", differentiable);
    m.put("dtypes", DTYPES.stream().map(d -> d.name().toLowerCase()).toList());
    List<Object> ss = new ArrayList<>();
    for (Sample s : samples) {
      ss.add(s.json(true));
    }
    m.put("samples", ss);
    List<Object> es = new ArrayList<>();
    for (Sample s : errors) {
      es.add(s.json(false));
    }
    m.put("errors", es);
    return m;
  }

  @Override
  public String toString() {
    return name;
  }
}
