package dev.jnn.ops;

import static dev.jnn.ops.Sample.bool;
import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.nz;
import static dev.jnn.ops.Sample.p;
import static dev.jnn.ops.Sample.ties;
import static dev.jnn.ops.Sample.u;
import static dev.jnn.ops.Sample.values;

import dev.jnn.core.DType;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The op registry: one {@link OpInfo} per public op method of {@link Tensor} and {@link
 * Functional}, iterated by every test kind (golden forward/backward, float64 gradcheck, bad input,
 * CPU-vs-CUDA parity in jnn-cuda). The Python fixture generator reads the same list from the
 * committed {@code src/jnn/test/resources/ops/registry.json} ({@link #toJson}; {@code
 * OpRegistryJsonTest} fails when it is stale).
 *
 * <p>Names: the PyTorch (aten) name for {@link Tensor} methods ({@code add}, {@code sum}), {@code
 * nn.functional.<name>} for {@link Functional}; a Java overload beyond the first adds a variant
 * after a dot ({@code add.scalar}, {@code sum.dims}), as PyTorch's overload names do.
 */
public final class OpRegistry {
  /** Built on first use (after the sample sets below are initialised). */
  private static final class Holder {
    static final List<OpInfo> OPS = build();
  }

  private OpRegistry() {}

  /** All entries, in registry order. */
  public static List<OpInfo> all() {
    return Holder.OPS;
  }

  /** The entry of that exact name. */
  public static OpInfo get(String name) {
    for (OpInfo op : all()) {
      if (op.name().equals(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("no registry entry " + name);
  }

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  // ---------------------------------------------------------------- sample sets

  private static final double[] KINK = {-1.0, 0.0, 1.0};

  /** Unary element-wise: contiguous, non-contiguous, 0-d, empty. */
  private static List<Sample> unary(Sample.Input... extra) {
    List<Sample> r = new ArrayList<>();
    for (Sample.Input i : extra) {
      r.add(Sample.of(i));
    }
    return r;
  }

  private static List<Sample> unaryN() {
    return unary(n(2, 3), n(3, 4).transposed(), n(), n(0, 3));
  }

  private static List<Sample> unaryP() {
    return unary(p(2, 3), p(3, 4).transposed(), p(), p(0, 3));
  }

  private static List<Sample> unaryU() {
    return unary(u(2, 3), u(3, 4).transposed(), u(), u(0, 3));
  }

  /** {@code base} plus one sample of explicit values (shape 2 x 3), smooth or not. */
  private static List<Sample> withValues(List<Sample> base, boolean nonSmooth, double... v) {
    List<Sample> r = new ArrayList<>(base);
    Sample s = Sample.of(values(v, 2, 3));
    r.add(nonSmooth ? s.nonSmooth() : s);
    return r;
  }

  /** Rounding ops: random values, and halves and integers (jumps: non-smooth). */
  private static List<Sample> rounding() {
    List<Sample> r = unaryN();
    double[] v = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -2.0, 0.0, 1.0, -0.7, 0.3, 2.7};
    r.add(Sample.of(values(v, 12)).nonSmooth());
    return r;
  }

  /** Unary with a kink at 0: away from it, and exactly on it (non-smooth). */
  private static List<Sample> unaryKink() {
    List<Sample> r = unary(nz(2, 3), nz(3, 4).transposed(), nz(), nz(0, 3));
    r.add(Sample.of(values(KINK, 3)).nonSmooth());
    return r;
  }

  /** Binary element-wise: same shape, broadcasting (row, 3-d, 0-d), non-contiguous, empty. */
  private static List<Sample> binary(String k0, String k1) {
    return List.of(
        Sample.of(in(k0, 2, 3), in(k1, 2, 3)),
        Sample.of(in(k0, 2, 3), in(k1, 3)),
        Sample.of(in(k0, 4, 1, 3), in(k1, 2, 1)),
        Sample.of(in(k0, 3, 4).transposed(), in(k1, 3, 4)),
        Sample.of(in(k0), in(k1, 2, 3)),
        Sample.of(in(k0, 0, 3), in(k1, 3)));
  }

  private static Sample.Input in(String kind, long... shape) {
    return switch (kind) {
      case "n" -> n(shape);
      case "p" -> p(shape);
      case "nz" -> nz(shape);
      case "t" -> ties(shape);
      case "b" -> bool(shape);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Tensor-scalar: contiguous, non-contiguous, 0-d, empty. */
  private static List<Sample> scalar(String kw, double s) {
    return List.of(
        Sample.of(n(2, 3)).kw(kw, s),
        Sample.of(n(3, 4).transposed()).kw(kw, s),
        Sample.of(n()).kw(kw, s),
        Sample.of(n(0, 3)).kw(kw, s));
  }

  private static final Sample BROADCAST_MISMATCH = Sample.of(n(2, 3), n(4, 3));

  /** Full reductions: 3-d, non-contiguous, 0-d, empty. */
  private static List<Sample> reduceAll(boolean withEmpty) {
    List<Sample> r = new ArrayList<>(unary(n(2, 3, 4), n(3, 4).transposed(), n()));
    if (withEmpty) {
      r.add(Sample.of(n(0, 3)));
    }
    return r;
  }

  private static List<Sample> reduceDims() {
    return List.of(
        Sample.of(n(2, 3, 4)).kw("dims", new int[] {0, 2}).kw("keepdim", true),
        Sample.of(n(2, 3, 4)).kw("dims", new int[] {1}).kw("keepdim", false),
        Sample.of(n(3, 4).transposed()).kw("dims", new int[] {-1}).kw("keepdim", true),
        Sample.of(n(2, 3)).kw("dims", new int[] {0, 1}).kw("keepdim", false),
        Sample.of(n(0, 3)).kw("dims", new int[] {0}).kw("keepdim", false));
  }

  private static List<Sample> reduceDim() {
    return List.of(
        Sample.of(n(2, 3, 4)).kw("dim", 1).kw("keepdim", false),
        Sample.of(n(2, 3, 4)).kw("dim", -1).kw("keepdim", true),
        Sample.of(n(3, 4).transposed()).kw("dim", 0).kw("keepdim", false),
        Sample.of(n(0, 3)).kw("dim", 0).kw("keepdim", true));
  }

  private static final Sample[] DIMS_ERRORS = {
    Sample.of(n(2, 3)).kw("dims", new int[] {0, 0}).kw("keepdim", false),
    Sample.of(n(2, 3)).kw("dims", new int[] {2}).kw("keepdim", false)
  };

  private static final Sample[] DIM_ERRORS = {
    Sample.of(n(2, 3)).kw("dim", -3).kw("keepdim", false),
    Sample.of(n(2, 3)).kw("dim", 2).kw("keepdim", true)
  };

  private static List<Sample> minMaxAll() {
    return List.of(
        Sample.of(n(3, 4)),
        Sample.of(n(3, 4).transposed()),
        Sample.of(n()),
        Sample.of(values(new double[] {1.0, 3.0, -2.0, 3.0, 0.5, 3.0}, 6)).nonSmooth());
  }

  private static List<Sample> minMaxDim() {
    return List.of(
        Sample.of(n(3, 4)).kw("dim", 1).kw("keepdim", false),
        Sample.of(n(2, 3, 4)).kw("dim", 0).kw("keepdim", true),
        Sample.of(n(3, 4).transposed()).kw("dim", -1).kw("keepdim", false),
        Sample.of(n()).kw("dim", 0).kw("keepdim", false));
  }

  private static List<Sample> softmaxLike() {
    return List.of(
        Sample.of(n(2, 3, 4)).kw("dim", 0),
        Sample.of(n(2, 3, 4)).kw("dim", 1),
        Sample.of(n(2, 3, 4)).kw("dim", -1),
        Sample.of(n(3, 4).transposed()).kw("dim", 1),
        Sample.of(n(0, 3)).kw("dim", 1),
        Sample.of(values(new double[] {1000.0, 0.0, -1000.0, 5.0, 5.0, 5.0}, 2, 3)).kw("dim", 1));
  }

  // ---------------------------------------------------------------- the entries

  private static List<OpInfo> build() {
    List<OpInfo> r = new ArrayList<>();

    // ---- element-wise unary (Tensor)
    op(r, "neg").torch("torch.neg(a[0])").java("Tensor.neg()", a -> a.t(0).neg()).samples(unaryN());
    op(r, "exp").torch("torch.exp(a[0])").java("Tensor.exp()", a -> a.t(0).exp()).samples(unaryN());
    op(r, "log").torch("torch.log(a[0])").java("Tensor.log()", a -> a.t(0).log()).samples(unaryP());
    op(r, "sqrt").torch("torch.sqrt(a[0])").java("Tensor.sqrt()", a -> a.t(0).sqrt())
        .samples(unaryP());
    op(r, "abs").torch("torch.abs(a[0])").java("Tensor.abs()", a -> a.t(0).abs())
        .samples(unaryKink());
    op(r, "sign").torch("torch.sign(a[0])").java("Tensor.sign()", a -> a.t(0).sign())
        .samples(unaryKink());
    op(r, "sin").torch("torch.sin(a[0])").java("Tensor.sin()", a -> a.t(0).sin())
        .samples(unaryN());
    op(r, "cos").torch("torch.cos(a[0])").java("Tensor.cos()", a -> a.t(0).cos())
        .samples(unaryN());
    op(r, "tan").torch("torch.tan(a[0])").java("Tensor.tan()", a -> a.t(0).tan())
        .samples(withValues(unaryU(), false, -1.2, -0.5, 0.0, 0.5, 1.2, 1.5));
    op(r, "asin").torch("torch.asin(a[0])").java("Tensor.asin()", a -> a.t(0).asin())
        .samples(withValues(withValues(unaryU(), false,
            -0.95, -0.5, -0.1, 0.3, 0.7, 0.9),
            true, -1.0, 1.0, -1.5, 1.5, 0.0, -0.0));
    op(r, "acos").torch("torch.acos(a[0])").java("Tensor.acos()", a -> a.t(0).acos())
        .samples(withValues(withValues(unaryU(), false,
            -0.95, -0.5, -0.1, 0.3, 0.7, 0.9),
            true, -1.0, 1.0, -1.5, 1.5, 0.0, -0.0));
    op(r, "atan").torch("torch.atan(a[0])").java("Tensor.atan()", a -> a.t(0).atan())
        .samples(withValues(unaryN(), false, -50.0, -3.0, 0.0, 3.0, 50.0, 1e6));
    op(r, "sinh").torch("torch.sinh(a[0])").java("Tensor.sinh()", a -> a.t(0).sinh())
        .samples(unaryN());
    op(r, "cosh").torch("torch.cosh(a[0])").java("Tensor.cosh()", a -> a.t(0).cosh())
        .samples(unaryN());
    op(r, "exp2").torch("torch.exp2(a[0])").java("Tensor.exp2()", a -> a.t(0).exp2())
        .samples(withValues(unaryN(), false, -3.0, -1.0, 0.0, 1.0, 3.0, 10.0));
    op(r, "expm1").torch("torch.expm1(a[0])").java("Tensor.expm1()", a -> a.t(0).expm1())
        .samples(withValues(unaryN(), false, -1e-7, -1e-3, 0.0, 1e-7, 1e-3, 5.0));
    op(r, "log1p").torch("torch.log1p(a[0])").java("Tensor.log1p()", a -> a.t(0).log1p())
        .samples(withValues(withValues(unaryP(), false,
            -0.99, -0.5, -1e-7, 0.0, 1e-7, 5.0),
            true, -1.0, -2.0, 0.0, -0.0, 1e30, -0.5));
    op(r, "log2").torch("torch.log2(a[0])").java("Tensor.log2()", a -> a.t(0).log2())
        .samples(withValues(withValues(unaryP(), false,
            0.5, 1.0, 2.0, 8.0, 1024.0, 3.0),
            true, 0.0, -0.0, -1.0, 1.0, 1e30, 0.5));
    op(r, "log10").torch("torch.log10(a[0])").java("Tensor.log10()", a -> a.t(0).log10())
        .samples(withValues(withValues(unaryP(), false,
            0.01, 1.0, 10.0, 1000.0, 2.0, 0.5),
            true, 0.0, -0.0, -1.0, 1.0, 1e30, 0.5));
    op(r, "erf").torch("torch.erf(a[0])").java("Tensor.erf()", a -> a.t(0).erf())
        .samples(withValues(unaryN(), false, -5.0, -3.0, -1e-4, 0.0, 3.0, 6.0));
    op(r, "rsqrt").torch("torch.rsqrt(a[0])").java("Tensor.rsqrt()", a -> a.t(0).rsqrt())
        .samples(withValues(withValues(unaryP(), false,
            0.01, 0.25, 1.0, 4.0, 100.0, 1e4),
            true, 0.0, -0.0, -1.0, 1.0, 1e30, 0.5));
    op(r, "reciprocal").torch("torch.reciprocal(a[0])")
        .java("Tensor.reciprocal()", a -> a.t(0).reciprocal())
        .samples(withValues(withValues(unary(nz(2, 3), nz(3, 4).transposed(), nz(), nz(0, 3)), false,
            -100.0, -0.01, 0.01, 0.5, 3.0, 1e4),
            true, 0.0, -0.0, -1.0, 1.0, 1e30, 0.5));
    op(r, "floor").torch("torch.floor(a[0])").java("Tensor.floor()", a -> a.t(0).floor())
        .samples(rounding());
    op(r, "ceil").torch("torch.ceil(a[0])").java("Tensor.ceil()", a -> a.t(0).ceil())
        .samples(rounding());
    op(r, "round").torch("torch.round(a[0])").java("Tensor.round()", a -> a.t(0).round())
        .samples(rounding());
    op(r, "trunc").torch("torch.trunc(a[0])").java("Tensor.trunc()", a -> a.t(0).trunc())
        .samples(rounding());
    op(r, "pow.scalar").torch("torch.pow(a[0], p)")
        .java("Tensor.pow(double)", a -> a.t(0).pow(a.d("p")))
        .samples(
            Sample.of(n(2, 3)).kw("p", 2.0),
            Sample.of(n(3, 4).transposed()).kw("p", 3.0),
            Sample.of(p(2, 3)).kw("p", 0.5),
            Sample.of(p()).kw("p", -1.5),
            Sample.of(n(0, 3)).kw("p", 2.0));
    op(r, "clamp").torch("torch.clamp(a[0], min=min, max=max)")
        .java("Tensor.clamp(double,double)", a -> a.t(0).clamp(a.d("min"), a.d("max")))
        .samples(
            Sample.of(n(2, 3)).kw("min", -0.5).kw("max", 0.5),
            Sample.of(n(3, 4).transposed()).kw("min", -1.0).kw("max", 0.25),
            Sample.of(n()).kw("min", 0.1).kw("max", 1.5),
            Sample.of(n(0, 3)).kw("min", -0.5).kw("max", 0.5),
            Sample.of(values(new double[] {-1.0, -0.5, 0.0, 0.5, 2.0}, 5))
                .kw("min", -0.5).kw("max", 0.5).nonSmooth());
    op(r, "clamp_min")
        .gradFnDeviates("jnn records ClampBackward1 (clamp with one bound), PyTorch ClampMinBackward0")
        .torch("torch.clamp_min(a[0], min)")
        .java("Tensor.clampMin(double)", a -> a.t(0).clampMin(a.d("min")))
        .samples(scalar("min", 0.1));
    op(r, "clamp_max")
        .gradFnDeviates("jnn records ClampBackward1 (clamp with one bound), PyTorch ClampMaxBackward0")
        .torch("torch.clamp_max(a[0], max)")
        .java("Tensor.clampMax(double)", a -> a.t(0).clampMax(a.d("max")))
        .samples(scalar("max", -0.1));
    op(r, "relu").torch("torch.relu(a[0])").java("Tensor.relu()", a -> a.t(0).relu())
        .samples(unaryKink());
    op(r, "sigmoid").torch("torch.sigmoid(a[0])").java("Tensor.sigmoid()", a -> a.t(0).sigmoid())
        .samples(unaryN());
    op(r, "tanh").torch("torch.tanh(a[0])").java("Tensor.tanh()", a -> a.t(0).tanh())
        .samples(unaryN());
    op(r, "gelu").torch("F.gelu(a[0])").java("Tensor.gelu()", a -> a.t(0).gelu())
        .samples(unaryN());
    op(r, "gelu.approximate").torch("F.gelu(a[0], approximate=approximate)")
        .java("Tensor.gelu(String)", a -> a.t(0).gelu(a.s("approximate")))
        .samples(
            Sample.of(n(2, 4)).kw("approximate", "tanh"),
            Sample.of(n(3, 4).transposed()).kw("approximate", "tanh"),
            Sample.of(n(2, 4)).kw("approximate", "none"),
            Sample.of(values(new double[] {-6.0, -3.0, -0.1, 0.0, 0.5, 5.0}, 6))
                .kw("approximate", "tanh"))
        .errors(Sample.of(n(2, 3)).kw("approximate", "bogus"));
    op(r, "leaky_relu").torch("F.leaky_relu(a[0], negative_slope)")
        .java("Tensor.leakyRelu(double)", a -> a.t(0).leakyRelu(a.d("negative_slope")))
        .samples(
            Sample.of(nz(2, 3)).kw("negative_slope", 0.2),
            Sample.of(nz(3, 4).transposed()).kw("negative_slope", 0.01),
            Sample.of(nz()).kw("negative_slope", -0.5),
            Sample.of(nz(0, 3)).kw("negative_slope", 0.2),
            Sample.of(values(KINK, 3)).kw("negative_slope", 0.2).nonSmooth());
    op(r, "logical_not").torch("torch.logical_not(a[0])")
        .java("Tensor.logicalNot()", a -> a.t(0).logicalNot()).notDifferentiable()
        .samples(unary(ties(2, 3), ties(3, 4).transposed(), bool(2, 3), ties(0, 3)));

    // ---- element-wise binary (Tensor)
    op(r, "add").torch("torch.add(a[0], a[1])").java("Tensor.add(Tensor)", a -> a.t(0).add(a.t(1)))
        .samples(binary("n", "n")).errors(BROADCAST_MISMATCH);
    op(r, "add.alpha").torch("torch.add(a[0], a[1], alpha=alpha)")
        .java("Tensor.add(Tensor,double)", a -> a.t(0).add(a.t(1), a.d("alpha")))
        .samples(withKw(binary("n", "n"), "alpha", -2.5))
        .errors(BROADCAST_MISMATCH.copy().kw("alpha", 2.0));
    op(r, "add.scalar").torch("torch.add(a[0], s)")
        .java("Tensor.add(double)", a -> a.t(0).add(a.d("s"))).samples(scalar("s", 1.5));
    op(r, "sub").torch("torch.sub(a[0], a[1])").java("Tensor.sub(Tensor)", a -> a.t(0).sub(a.t(1)))
        .samples(binary("n", "n")).errors(BROADCAST_MISMATCH);
    op(r, "sub.scalar").torch("torch.sub(a[0], s)")
        .java("Tensor.sub(double)", a -> a.t(0).sub(a.d("s"))).samples(scalar("s", 0.25));
    op(r, "rsub.scalar").torch("torch.rsub(a[0], s)")
        .java("Tensor.rsub(double)", a -> a.t(0).rsub(a.d("s"))).samples(scalar("s", 2.0));
    op(r, "mul").torch("torch.mul(a[0], a[1])").java("Tensor.mul(Tensor)", a -> a.t(0).mul(a.t(1)))
        .samples(binary("n", "n")).errors(BROADCAST_MISMATCH);
    op(r, "mul.scalar").torch("torch.mul(a[0], s)")
        .java("Tensor.mul(double)", a -> a.t(0).mul(a.d("s"))).samples(scalar("s", -3.0));
    op(r, "div").torch("torch.div(a[0], a[1])").java("Tensor.div(Tensor)", a -> a.t(0).div(a.t(1)))
        .samples(binary("n", "nz")).errors(BROADCAST_MISMATCH);
    op(r, "div.scalar").torch("torch.div(a[0], s)")
        .java("Tensor.div(double)", a -> a.t(0).div(a.d("s"))).samples(scalar("s", 4.0));
    op(r, "pow").torch("torch.pow(a[0], a[1])").java("Tensor.pow(Tensor)", a -> a.t(0).pow(a.t(1)))
        .samples(binary("p", "n")).errors(BROADCAST_MISMATCH);
    op(r, "maximum").torch("torch.maximum(a[0], a[1])")
        .java("Tensor.maximum(Tensor)", a -> a.t(0).maximum(a.t(1)))
        .samples(binary("n", "n")).samples(Sample.of(ties(2, 3), ties(2, 3)).nonSmooth())
        .errors(BROADCAST_MISMATCH);
    op(r, "minimum").torch("torch.minimum(a[0], a[1])")
        .java("Tensor.minimum(Tensor)", a -> a.t(0).minimum(a.t(1)))
        .samples(binary("n", "n")).samples(Sample.of(ties(2, 3), ties(2, 3)).nonSmooth())
        .errors(BROADCAST_MISMATCH);
    op(r, "logical_and").torch("torch.logical_and(a[0], a[1])")
        .java("Tensor.logicalAnd(Tensor)", a -> a.t(0).logicalAnd(a.t(1))).notDifferentiable()
        .samples(binary("t", "t")).samples(Sample.of(bool(2, 3), bool(3)))
        .errors(BROADCAST_MISMATCH);
    op(r, "logical_or").torch("torch.logical_or(a[0], a[1])")
        .java("Tensor.logicalOr(Tensor)", a -> a.t(0).logicalOr(a.t(1))).notDifferentiable()
        .samples(binary("t", "t")).samples(Sample.of(bool(2, 3), bool(3)))
        .errors(BROADCAST_MISMATCH);
    op(r, "where").torch("torch.where(a[0], a[1], a[2])")
        .java("Tensor.where(Tensor,Tensor,Tensor)", a -> Tensor.where(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(bool(2, 3), n(2, 3), n(2, 3)),
            Sample.of(bool(2, 1), n(2, 3), n(3)),
            Sample.of(bool(3, 4).transposed(), n(3, 4).transposed(), n()),
            Sample.of(bool(0, 3), n(0, 3), n(3)))
        .errors(Sample.of(n(2, 3), n(2, 3), n(2, 3)), Sample.of(bool(2, 3), n(4, 3), n(2, 3)));

    // ---- comparisons (Tensor)
    String[][] cmps = {{"eq", "eq"}, {"ne", "ne"}, {"lt", "lt"}, {"le", "le"}, {"gt", "gt"},
        {"ge", "ge"}};
    for (String[] c : cmps) {
      String m = c[1];
      op(r, c[0]).torch("torch." + c[0] + "(a[0], a[1])")
          .java("Tensor." + m + "(Tensor)", a -> compare(m, a.t(0), a.t(1)))
          .notDifferentiable().samples(binary("t", "t")).errors(BROADCAST_MISMATCH);
      op(r, c[0] + ".scalar").torch("torch." + c[0] + "(a[0], s)")
          .java("Tensor." + m + "(double)", a -> compare(m, a.t(0), a.d("s")))
          .notDifferentiable()
          .samples(
              Sample.of(ties(2, 3)).kw("s", 0.0),
              Sample.of(ties(3, 4).transposed()).kw("s", 1.0),
              Sample.of(ties()).kw("s", -1.0),
              Sample.of(ties(0, 3)).kw("s", 0.0));
    }

    // ---- reductions (Tensor)
    op(r, "sum").torch("torch.sum(a[0])").java("Tensor.sum()", a -> a.t(0).sum())
        .samples(reduceAll(true));
    op(r, "sum.dims").torch("torch.sum(a[0], dim=dims, keepdim=keepdim)")
        .java("Tensor.sum(int[],boolean)", a -> a.t(0).sum(a.ints("dims"), a.b("keepdim")))
        .samples(reduceDims()).errors(DIMS_ERRORS);
    op(r, "sum.dim").torch("torch.sum(a[0], dim=dim, keepdim=keepdim)")
        .java("Tensor.sum(int,boolean)", a -> a.t(0).sum(a.i("dim"), a.b("keepdim")))
        .samples(reduceDim()).errors(DIM_ERRORS);
    op(r, "mean").torch("torch.mean(a[0])").java("Tensor.mean()", a -> a.t(0).mean())
        .samples(reduceAll(true));
    op(r, "mean.dims").torch("torch.mean(a[0], dim=dims, keepdim=keepdim)")
        .java("Tensor.mean(int[],boolean)", a -> a.t(0).mean(a.ints("dims"), a.b("keepdim")))
        .samples(reduceDims()).errors(DIMS_ERRORS);
    op(r, "mean.dim").torch("torch.mean(a[0], dim=dim, keepdim=keepdim)")
        .java("Tensor.mean(int,boolean)", a -> a.t(0).mean(a.i("dim"), a.b("keepdim")))
        .samples(reduceDim()).errors(DIM_ERRORS);
    op(r, "var").torch("torch.var(a[0])").java("Tensor.var()", a -> a.t(0).var())
        .samples(Sample.of(n(3, 4)), Sample.of(n(3, 4).transposed()), Sample.of(n(5)));
    op(r, "var.correction")
        .torch("torch.var(a[0], dim=dims, correction=correction, keepdim=keepdim)")
        .java("Tensor.var(int[],int,boolean)",
            a -> a.t(0).var(a.ints("dims"), a.i("correction"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("dims", new int[] {1}).kw("correction", 1).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("dims", new int[] {0}).kw("correction", 0).kw("keepdim", true),
            Sample.of(n(2, 3, 4)).kw("dims", new int[] {0, 2}).kw("correction", 1)
                .kw("keepdim", false),
            Sample.of(n(3, 4).transposed()).kw("dims", new int[] {-1}).kw("correction", 1)
                .kw("keepdim", true))
        .errors(Sample.of(n(2, 3)).kw("dims", new int[] {2}).kw("correction", 1)
            .kw("keepdim", false));
    op(r, "var.dim").torch("torch.var(a[0], dim, unbiased=unbiased, keepdim=keepdim)")
        .java("Tensor.var(int,boolean,boolean)",
            a -> a.t(0).var(a.i("dim"), a.b("unbiased"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1).kw("unbiased", true).kw("keepdim", false),
            Sample.of(n(2, 3, 4)).kw("dim", 0).kw("unbiased", false).kw("keepdim", true),
            Sample.of(n(3, 4).transposed()).kw("dim", -1).kw("unbiased", true).kw("keepdim", false))
        .errors(Sample.of(n(2, 3)).kw("dim", 2).kw("unbiased", true).kw("keepdim", false));
    op(r, "max").torch("torch.max(a[0])").java("Tensor.max()", a -> a.t(0).max())
        .samples(minMaxAll()).errors(Sample.of(n(0, 3)));
    op(r, "min").torch("torch.min(a[0])").java("Tensor.min()", a -> a.t(0).min())
        .samples(minMaxAll()).errors(Sample.of(n(0, 3)));
    op(r, "max.dim").torch("torch.max(a[0], dim, keepdim=keepdim)")
        .java("Tensor.max(int,boolean)", a -> a.t(0).max(a.i("dim"), a.b("keepdim")))
        .samples(minMaxDim()).errors(DIM_ERRORS);
    op(r, "min.dim").torch("torch.min(a[0], dim, keepdim=keepdim)")
        .java("Tensor.min(int,boolean)", a -> a.t(0).min(a.i("dim"), a.b("keepdim")))
        .samples(minMaxDim()).errors(DIM_ERRORS);
    op(r, "argmax").torch("torch.argmax(a[0])").java("Tensor.argmax()", a -> a.t(0).argmax())
        .notDifferentiable().samples(minMaxAll()).errors(Sample.of(n(0, 3)));
    op(r, "argmax.dim").torch("torch.argmax(a[0], dim, keepdim=keepdim)")
        .java("Tensor.argmax(int,boolean)", a -> a.t(0).argmax(a.i("dim"), a.b("keepdim")))
        .notDifferentiable().samples(minMaxDim()).errors(DIM_ERRORS);
    op(r, "argmin.dim").torch("torch.argmin(a[0], dim, keepdim=keepdim)")
        .java("Tensor.argmin(int,boolean)", a -> a.t(0).argmin(a.i("dim"), a.b("keepdim")))
        .notDifferentiable().samples(minMaxDim()).errors(DIM_ERRORS);

    // ---- activations (Functional)
    op(r, "nn.functional.relu").torch("F.relu(a[0])")
        .java("Functional.relu(Tensor)", a -> Functional.relu(a.t(0))).samples(unaryKink());
    op(r, "nn.functional.leaky_relu").torch("F.leaky_relu(a[0])")
        .java("Functional.leakyRelu(Tensor)", a -> Functional.leakyRelu(a.t(0)))
        .samples(unaryKink());
    op(r, "nn.functional.leaky_relu.negative_slope")
        .torch("F.leaky_relu(a[0], negative_slope)")
        .java("Functional.leakyRelu(Tensor,double)",
            a -> Functional.leakyRelu(a.t(0), a.d("negative_slope")))
        .samples(
            Sample.of(nz(2, 3)).kw("negative_slope", 0.2),
            Sample.of(nz(3, 4).transposed()).kw("negative_slope", 1.5),
            Sample.of(nz(0, 3)).kw("negative_slope", 0.2));
    op(r, "nn.functional.gelu").torch("F.gelu(a[0])")
        .java("Functional.gelu(Tensor)", a -> Functional.gelu(a.t(0))).samples(unaryN());
    op(r, "nn.functional.gelu.approximate").torch("F.gelu(a[0], approximate=approximate)")
        .java("Functional.gelu(Tensor,String)",
            a -> Functional.gelu(a.t(0), a.s("approximate")))
        .samples(
            Sample.of(n(2, 4)).kw("approximate", "tanh"),
            Sample.of(n(3, 4).transposed()).kw("approximate", "none"),
            Sample.of(n(0, 3)).kw("approximate", "tanh"))
        .errors(Sample.of(n(2, 3)).kw("approximate", "bogus"));
    op(r, "nn.functional.sigmoid").torch("torch.sigmoid(a[0])")
        .java("Functional.sigmoid(Tensor)", a -> Functional.sigmoid(a.t(0))).samples(unaryN());
    op(r, "nn.functional.tanh").torch("torch.tanh(a[0])")
        .java("Functional.tanh(Tensor)", a -> Functional.tanh(a.t(0))).samples(unaryN());
    op(r, "nn.functional.softmax").torch("F.softmax(a[0], dim)")
        .java("Functional.softmax(Tensor,int)", a -> Functional.softmax(a.t(0), a.i("dim")))
        .samples(softmaxLike()).errors(Sample.of(n(2, 3)).kw("dim", 2));
    op(r, "nn.functional.log_softmax").torch("F.log_softmax(a[0], dim)")
        .java("Functional.logSoftmax(Tensor,int)", a -> Functional.logSoftmax(a.t(0), a.i("dim")))
        .samples(softmaxLike()).errors(Sample.of(n(2, 3)).kw("dim", -3));

    // ---- linear algebra (Tensor)
    op(r, "matmul").torch("torch.matmul(a[0], a[1])")
        .java("Tensor.matmul(Tensor)", a -> a.t(0).matmul(a.t(1)))
        .gradFnDeviates("PyTorch records Dot/Mv/MmBackward0/UnsafeViewBackward0 by rank")
        .samples(
            Sample.of(n(4), n(4)),
            Sample.of(n(3, 4), n(4)),
            Sample.of(n(3), n(3, 4)),
            Sample.of(n(3, 4), n(4, 5)),
            Sample.of(n(2, 3, 4), n(2, 4, 5)),
            Sample.of(n(2, 1, 3, 4), n(3, 4, 2)),
            Sample.of(n(3, 4).transposed(), n(4, 5)),
            Sample.of(n(0, 4), n(4, 2)))
        .errors(Sample.of(n(2, 3), n(4, 5)), Sample.of(n(), n(2)));
    op(r, "mm").torch("torch.mm(a[0], a[1])").java("Tensor.mm(Tensor)", a -> a.t(0).mm(a.t(1)))
        .samples(
            Sample.of(n(3, 4), n(4, 5)),
            Sample.of(n(3, 4).transposed(), n(4, 5).transposed()),
            Sample.of(n(0, 4), n(4, 5)))
        .errors(Sample.of(n(2, 3), n(4, 5)));

    // ---- views (Tensor)
    op(r, "transpose").torch("torch.transpose(a[0], dim0, dim1)")
        .java("Tensor.transpose(int,int)", a -> a.t(0).transpose(a.i("dim0"), a.i("dim1")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("dim0", 0).kw("dim1", -1),
            Sample.of(n(3, 4).transposed()).kw("dim0", 0).kw("dim1", 1),
            Sample.of(n(0, 3)).kw("dim0", 1).kw("dim1", 0))
        .errors(Sample.of(n(2, 3)).kw("dim0", 0).kw("dim1", 2));
    op(r, "permute").torch("torch.permute(a[0], dims)")
        .java("Tensor.permute(int[])", a -> a.t(0).permute(a.ints("dims")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("dims", new int[] {2, 0, 1}),
            Sample.of(n(3, 4).transposed()).kw("dims", new int[] {1, 0}),
            Sample.of(n()).kw("dims", new int[] {}));
    op(r, "unsqueeze").torch("torch.unsqueeze(a[0], dim)")
        .java("Tensor.unsqueeze(int)", a -> a.t(0).unsqueeze(a.i("dim")))
        .samples(
            Sample.of(n(2, 3)).kw("dim", 1),
            Sample.of(n(3, 4).transposed()).kw("dim", -1),
            Sample.of(n()).kw("dim", 0),
            Sample.of(n(0, 3)).kw("dim", 0))
        .errors(Sample.of(n(2, 3)).kw("dim", 3));
    op(r, "narrow").torch("torch.narrow(a[0], dim, start, length)")
        .java("Tensor.narrow(int,long,long)",
            a -> a.t(0).narrow(a.i("dim"), a.i("start"), a.i("length")))
        .samples(
            Sample.of(n(4, 5)).kw("dim", 1).kw("start", 1).kw("length", 3),
            Sample.of(n(4, 5).transposed()).kw("dim", 0).kw("start", 2).kw("length", 2),
            Sample.of(n(2, 3)).kw("dim", 0).kw("start", 1).kw("length", 0))
        .errors(Sample.of(n(2, 3)).kw("dim", 1).kw("start", 2).kw("length", 2));
    op(r, "contiguous").torch("a[0].contiguous()")
        .java("Tensor.contiguous()", a -> a.t(0).contiguous())
        .samples(Sample.of(n(3, 4).transposed()), Sample.of(n(2, 3, 4).transposed()));

    op(r, "reshape").torch("torch.reshape(a[0], shape)")
        .java("Tensor.reshape(long[])", a -> a.t(0).reshape(a.longs("shape")))
        .gradFnDeviates("PyTorch records ViewBackward0, _ReshapeAliasBackward0 or"
            + " UnsafeViewBackward0 by layout; jnn ViewBackward0 or a copy's node")
        .samples(
            Sample.of(n(2, 3, 4)).kw("shape", new int[] {4, 6}),
            Sample.of(n(3, 4).transposed()).kw("shape", new int[] {-1}),
            Sample.of(n()).kw("shape", new int[] {1, 1}),
            Sample.of(n(0, 3)).kw("shape", new int[] {3, 0}))
        .errors(Sample.of(n(2, 3)).kw("shape", new int[] {4}));
    op(r, "view").torch("a[0].view(shape)")
        .java("Tensor.view(long[])", a -> a.t(0).view(a.longs("shape")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("shape", new int[] {6, -1}),
            Sample.of(n(0, 3)).kw("shape", new int[] {-1}),
            Sample.of(n()).kw("shape", new int[] {1}))
        .errors(
            Sample.of(n(3, 4).transposed()).kw("shape", new int[] {12}),
            Sample.of(n(2, 3)).kw("shape", new int[] {-1, -1}));
    op(r, "flatten").torch("torch.flatten(a[0])").java("Tensor.flatten()", a -> a.t(0).flatten())
        .gradFnDeviates("PyTorch records ViewBackward0/_ReshapeAliasBackward0 by layout")
        .samples(Sample.of(n(2, 3, 4)), Sample.of(n(3, 4).transposed()), Sample.of(n()));
    op(r, "flatten.start").torch("torch.flatten(a[0], start_dim)")
        .java("Tensor.flatten(int)", a -> a.t(0).flatten(a.i("start_dim")))
        .gradFnDeviates("PyTorch records ViewBackward0/_ReshapeAliasBackward0 by layout")
        .samples(
            Sample.of(n(2, 3, 4)).kw("start_dim", 1),
            Sample.of(n(2, 3, 4).transposed()).kw("start_dim", -2))
        .errors(Sample.of(n(2, 3)).kw("start_dim", 2));
    op(r, "flatten.range").torch("torch.flatten(a[0], start_dim, end_dim)")
        .java("Tensor.flatten(int,int)", a -> a.t(0).flatten(a.i("start_dim"), a.i("end_dim")))
        .gradFnDeviates("PyTorch records ViewBackward0/_ReshapeAliasBackward0 by layout")
        .samples(
            Sample.of(n(2, 3, 4, 2)).kw("start_dim", 1).kw("end_dim", 2),
            Sample.of(n(2, 3, 4)).kw("start_dim", 0).kw("end_dim", -1))
        .errors(Sample.of(n(2, 3, 4)).kw("start_dim", 2).kw("end_dim", 1));
    op(r, "t").torch("torch.t(a[0])").java("Tensor.t()", a -> a.t(0).t())
        .gradFnDeviates("jnn records TransposeBackward0 (PyTorch TBackward0) and returns a 1-d"
            + " input itself (PyTorch: a TBackward0 view)")
        .samples(Sample.of(n(3, 4)), Sample.of(n(4)), Sample.of(n(3, 4).transposed()))
        .errors(Sample.of(n(2, 3, 4)));
    op(r, "squeeze").torch("torch.squeeze(a[0])").java("Tensor.squeeze()", a -> a.t(0).squeeze())
        .samples(Sample.of(n(2, 1, 3, 1)), Sample.of(n(1, 4).transposed()), Sample.of(n()));
    op(r, "squeeze.dim").torch("torch.squeeze(a[0], dim)")
        .gradFnDeviates("squeezing a dim whose size is not 1 returns the input itself in jnn"
            + " (PyTorch: a SqueezeBackward1 view)")
        .java("Tensor.squeeze(int)", a -> a.t(0).squeeze(a.i("dim")))
        .samples(
            Sample.of(n(2, 1, 3, 1)).kw("dim", -1),
            Sample.of(n(2, 1, 3, 1)).kw("dim", 0),
            Sample.of(n(1, 4).transposed()).kw("dim", 1))
        .errors(Sample.of(n(2, 1, 3, 1)).kw("dim", 4));
    op(r, "expand").torch("a[0].expand(shape)")
        .java("Tensor.expand(long[])", a -> a.t(0).expand(a.longs("shape")))
        .samples(
            Sample.of(n(3, 1)).kw("shape", new int[] {2, 3, 4}),
            Sample.of(n(1, 3)).kw("shape", new int[] {4, -1}),
            Sample.of(n()).kw("shape", new int[] {2, 3}),
            Sample.of(n(1, 3).transposed()).kw("shape", new int[] {2, 3}))
        .errors(Sample.of(n(2, 3)).kw("shape", new int[] {4, 3}));
    op(r, "expand_as").torch("a[0].expand_as(a[1])")
        .java("Tensor.expandAs(Tensor)", a -> a.t(0).expandAs(a.t(1)))
        .samples(Sample.of(n(3, 1), n(2, 3, 4)), Sample.of(n(), n(2, 3)))
        .errors(Sample.of(n(2, 3), n(4, 3)));
    op(r, "slice")
        .torch("a[0][tuple([slice(None)] * (dim % a[0].dim()) + [slice(start, end, step)])]")
        .java("Tensor.slice(int,long,long,long)",
            a -> a.t(0).slice(a.i("dim"), a.i("start"), a.i("end"), a.i("step")))
        .samples(
            Sample.of(n(6, 3)).kw("dim", 0).kw("start", 1).kw("end", 6).kw("step", 2),
            Sample.of(n(3, 6)).kw("dim", 1).kw("start", -4).kw("end", -1).kw("step", 1),
            Sample.of(n(6, 3).transposed()).kw("dim", -1).kw("start", 0).kw("end", 100)
                .kw("step", 3),
            Sample.of(n(4, 3)).kw("dim", 0).kw("start", 3).kw("end", 1).kw("step", 1));
    op(r, "select").torch("torch.select(a[0], dim, index)")
        .java("Tensor.select(int,long)", a -> a.t(0).select(a.i("dim"), a.i("index")))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 0).kw("index", -1),
            Sample.of(n(2, 3, 4)).kw("dim", 1).kw("index", 2),
            Sample.of(n(3, 4).transposed()).kw("dim", 1).kw("index", 0))
        .errors(Sample.of(n(2, 3)).kw("dim", 1).kw("index", 3));
    op(r, "getitem").torch("a[0][i]").java("Tensor.get(long)", a -> a.t(0).get(a.i("i")))
        .samples(
            Sample.of(n(3, 4)).kw("i", 1),
            Sample.of(n(3, 4).transposed()).kw("i", -1),
            Sample.of(n(5)).kw("i", 2))
        .errors(Sample.of(n(3, 4)).kw("i", 3), Sample.of(n()).kw("i", 0));
    op(r, "clone").torch("torch.clone(a[0])").java("Tensor.clone()", a -> a.t(0).clone())
        .samples(unaryN());
    op(r, "index_select").torch("torch.index_select(a[0], dim, a[1])")
        .java("Tensor.indexSelect(int,Tensor)", a -> a.t(0).indexSelect(a.i("dim"), a.t(1)))
        .samples(
            Sample.of(n(4, 3), index(4, 5)).kw("dim", 0),
            Sample.of(n(2, 4), index(4, 2)).kw("dim", 1),
            Sample.of(n(3, 4).transposed(), index(3, 3)).kw("dim", -1),
            Sample.of(n(4, 3), index(4, 0)).kw("dim", 0))
        .errors(Sample.of(n(2, 3), n(1)).kw("dim", 0));
    op(r, "gather").torch("torch.gather(a[0], dim, a[1])")
        .java("Tensor.gather(int,Tensor)", a -> a.t(0).gather(a.i("dim"), a.t(1)))
        .samples(
            Sample.of(n(3, 4), index(4, 3, 2)).kw("dim", 1),
            Sample.of(n(3, 4), index(3, 2, 4)).kw("dim", 0),
            Sample.of(n(4, 3).transposed(), index(3, 2, 3)).kw("dim", -1))
        .errors(Sample.of(n(2, 3), n(2, 3)).kw("dim", 1));
    op(r, "cat").torch("torch.cat(a, dim)")
        .java("Tensor.cat(List,int)", a -> Tensor.cat(a.tensors(), a.i("dim")))
        .samples(
            Sample.of(n(2, 3), n(1, 3), n(3, 3)).kw("dim", 0),
            Sample.of(n(2, 1), n(2, 3)).kw("dim", -1),
            Sample.of(n(2, 3).transposed(), n(2, 2)).kw("dim", 1),
            Sample.of(n(0, 3), n(2, 3)).kw("dim", 0))
        .errors(Sample.of(n(2, 3), n(2, 4)).kw("dim", 0));
    op(r, "stack").torch("torch.stack(a, dim)")
        .java("Tensor.stack(List,int)", a -> Tensor.stack(a.tensors(), a.i("dim")))
        .samples(
            Sample.of(n(2, 3), n(2, 3)).kw("dim", 0),
            Sample.of(n(2, 3), n(2, 3), n(2, 3)).kw("dim", 2),
            Sample.of(n(2, 3).transposed(), n(2, 3)).kw("dim", -1),
            Sample.of(n(), n()).kw("dim", 0))
        .errors(Sample.of(n(2, 3), n(2, 4)).kw("dim", 0));

    // ---- composites (issue 17 item 7, second batch): built from narrow/cat/select/index_select/
    //      where/reshape/expand, so their grad_fn names are those ops'. Multi-output ops (split,
    //      chunk, unbind, meshgrid) are wrapped: both sides return the pieces flattened and
    //      concatenated (torch.cat of torch.flatten), which checks every piece's values, order,
    //      and gradient through one output; piece shapes are covered by CompositeOpsTest.
    op(r, "split").torch("torch.cat(tuple(map(torch.flatten, torch.split(a[0], split_size, dim))))")
        .java("Tensor.split(int,int)", a -> flatCat(a.t(0).split(a.i("split_size"), a.i("dim"))))
        .samples(
            Sample.of(n(5, 3)).kw("split_size", 2).kw("dim", 0),
            Sample.of(n(3, 4).transposed()).kw("split_size", 3).kw("dim", -1),
            Sample.of(n(2, 6)).kw("split_size", 6).kw("dim", 1))
        .errors(
            Sample.of(n(2, 3)).kw("split_size", 0).kw("dim", 1),
            Sample.of(n(2, 3)).kw("split_size", -1).kw("dim", 1),
            Sample.of(n()).kw("split_size", 1).kw("dim", 0));
    op(r, "split.sizes")
        .torch("torch.cat(tuple(map(torch.flatten, torch.split(a[0], split_sizes, dim))))")
        .java("Tensor.split(long[],int)",
            a -> flatCat(a.t(0).split(a.longs("split_sizes"), a.i("dim"))))
        .samples(
            Sample.of(n(5, 3)).kw("split_sizes", new int[] {1, 0, 4}).kw("dim", 0),
            Sample.of(n(3, 4).transposed()).kw("split_sizes", new int[] {3, 1}).kw("dim", -1))
        .errors(
            Sample.of(n(2, 3)).kw("split_sizes", new int[] {1, 1}).kw("dim", 1),
            Sample.of(n(2, 3)).kw("split_sizes", new int[] {1, 1}).kw("dim", -1),
            Sample.of(n(2, 3)).kw("split_sizes", new int[] {4, -1}).kw("dim", 1));
    op(r, "chunk").torch("torch.cat(tuple(map(torch.flatten, torch.chunk(a[0], chunks, dim))))")
        .java("Tensor.chunk(int,int)", a -> flatCat(a.t(0).chunk(a.i("chunks"), a.i("dim"))))
        .samples(
            Sample.of(n(5, 3)).kw("chunks", 4).kw("dim", 0),
            Sample.of(n(3, 4).transposed()).kw("chunks", 2).kw("dim", -1),
            Sample.of(n(2, 3)).kw("chunks", 5).kw("dim", 1))
        .errors(
            Sample.of(n(2, 3)).kw("chunks", 0).kw("dim", 1),
            Sample.of(n()).kw("chunks", 1).kw("dim", 0));
    op(r, "unbind").torch("torch.cat(tuple(map(torch.flatten, torch.unbind(a[0], dim))))")
        .java("Tensor.unbind(int)", a -> flatCat(a.t(0).unbind(a.i("dim"))))
        .samples(
            Sample.of(n(3, 2)).kw("dim", 0),
            Sample.of(n(3, 4).transposed()).kw("dim", -1),
            Sample.of(n(4)).kw("dim", 0))
        .errors(Sample.of(n(2, 3)).kw("dim", 2), Sample.of(n()).kw("dim", 0));
    op(r, "meshgrid")
        .torch("torch.cat(tuple(map(torch.flatten, torch.meshgrid(*a, indexing=indexing))))")
        .java("Tensor.meshgrid(List,String)",
            a -> flatCat(Tensor.meshgrid(a.tensors(), a.s("indexing"))))
        .samples(
            Sample.of(n(2), n(3)).kw("indexing", "ij"),
            Sample.of(n(2), n(3), n(4)).kw("indexing", "xy"),
            Sample.of(n(), n(3)).kw("indexing", "ij"))
        .errors(Sample.of(n(2), n(3)).kw("indexing", "foo"));
    op(r, "outer").torch("torch.outer(a[0], a[1])")
        .java("Tensor.outer(Tensor)", a -> a.t(0).outer(a.t(1)))
        .samples(Sample.of(n(3), n(4)), Sample.of(n(0), n(2)))
        .errors(Sample.of(n(2, 3), n(3)), Sample.of(n(3), n(2, 3)));
    op(r, "tril").torch("torch.tril(a[0])").java("Tensor.tril()", a -> a.t(0).tril())
        .gradFnDeviates("jnn masks with where (WhereBackward0); PyTorch TrilBackward0")
        .samples(Sample.of(n(3, 4)), Sample.of(n(4, 3).transposed()), Sample.of(n(2, 3, 3)))
        .errors(Sample.of(n(3)));
    op(r, "tril.diagonal").torch("torch.tril(a[0], diagonal)")
        .java("Tensor.tril(int)", a -> a.t(0).tril(a.i("diagonal")))
        .gradFnDeviates("jnn masks with where (WhereBackward0); PyTorch TrilBackward0")
        .samples(
            Sample.of(n(3, 4)).kw("diagonal", 1),
            Sample.of(n(4, 3).transposed()).kw("diagonal", -1),
            Sample.of(n(0, 3)).kw("diagonal", 0))
        .errors(Sample.of(n()).kw("diagonal", 0));
    op(r, "triu").torch("torch.triu(a[0])").java("Tensor.triu()", a -> a.t(0).triu())
        .gradFnDeviates("jnn masks with where (WhereBackward0); PyTorch TriuBackward0")
        .samples(Sample.of(n(3, 4)), Sample.of(n(4, 3).transposed()), Sample.of(n(2, 3, 3)))
        .errors(Sample.of(n(3)));
    op(r, "triu.diagonal").torch("torch.triu(a[0], diagonal)")
        .java("Tensor.triu(int)", a -> a.t(0).triu(a.i("diagonal")))
        .gradFnDeviates("jnn masks with where (WhereBackward0); PyTorch TriuBackward0")
        .samples(
            Sample.of(n(3, 4)).kw("diagonal", 2),
            Sample.of(n(4, 3).transposed()).kw("diagonal", -2))
        .errors(Sample.of(n(3)).kw("diagonal", 0));
    op(r, "flip").torch("torch.flip(a[0], dims)")
        .java("Tensor.flip(int[])", a -> a.t(0).flip(a.ints("dims")))
        .gradFnDeviates("jnn flips with index_select (IndexSelectBackward0, CloneBackward0 when"
            + " nothing moves); PyTorch FlipBackward0")
        .samples(
            Sample.of(n(3, 4)).kw("dims", new int[] {0}),
            Sample.of(n(2, 3, 4)).kw("dims", new int[] {-1, 0}),
            Sample.of(n(3, 4).transposed()).kw("dims", new int[] {1}),
            Sample.of(n(1, 3)).kw("dims", new int[] {0}))
        .errors(
            Sample.of(n(2, 3)).kw("dims", new int[] {0, 0}),
            Sample.of(n(2, 3)).kw("dims", new int[] {2}));
    op(r, "roll").torch("torch.roll(a[0], shifts, dim)")
        .java("Tensor.roll(int,int)", a -> a.t(0).roll(a.i("shifts"), a.i("dim")))
        .gradFnDeviates("jnn rolls with narrow and cat (CatBackward0, CloneBackward0 for a whole"
            + " turn); PyTorch RollBackward0")
        .samples(
            Sample.of(n(4, 3)).kw("shifts", 1).kw("dim", 0),
            Sample.of(n(3, 5).transposed()).kw("shifts", -2).kw("dim", -1),
            Sample.of(n(2, 3)).kw("shifts", 7).kw("dim", 1),
            Sample.of(n(2, 3)).kw("shifts", 3).kw("dim", 1))
        .errors(Sample.of(n(2, 3)).kw("shifts", 1).kw("dim", 2),
            Sample.of(n()).kw("shifts", 1).kw("dim", 0));
    op(r, "repeat").torch("a[0].repeat(sizes)")
        .java("Tensor.repeat(long[])", a -> a.t(0).repeat(a.longs("sizes")))
        .gradFnDeviates("jnn tiles with reshape/expand/reshape (ViewBackward0 of a copy);"
            + " PyTorch RepeatBackward0")
        .samples(
            Sample.of(n(2, 3)).kw("sizes", new int[] {2, 3}),
            Sample.of(n(3)).kw("sizes", new int[] {2, 1, 2}),
            Sample.of(n(3, 2).transposed()).kw("sizes", new int[] {1, 2}),
            Sample.of(n()).kw("sizes", new int[] {3}),
            Sample.of(n(2, 3)).kw("sizes", new int[] {0, 1}))
        .errors(Sample.of(n(2, 3)).kw("sizes", new int[] {2}),
            Sample.of(n(2, 3)).kw("sizes", new int[] {2, -1}));
    op(r, "isnan").torch("torch.isnan(torch.log(a[0]))")
        .java("Tensor.isnan()", a -> a.t(0).log().isnan()).notDifferentiable()
        .samples(Sample.of(n(3, 4)), Sample.of(n(3, 4).transposed()), Sample.of(n()),
            Sample.of(n(0, 3)));
    op(r, "isinf").torch("torch.isinf(a[0] / a[1])")
        .java("Tensor.isinf()", a -> a.t(0).div(a.t(1)).isinf()).notDifferentiable()
        .samples(Sample.of(n(3, 4), ties(3, 4)), Sample.of(n(3, 4).transposed(), ties(4)),
            Sample.of(ties(2, 3), ties(2, 3)));
    op(r, "any").torch("torch.any(a[0])").java("Tensor.any()", a -> a.t(0).any())
        .notDifferentiable()
        .samples(Sample.of(ties(3, 4)), Sample.of(bool(2, 3)), Sample.of(values(new double[] {0, 0}, 2)),
            Sample.of(n(0, 3)), Sample.of(n()));
    op(r, "all").torch("torch.all(a[0])").java("Tensor.all()", a -> a.t(0).all())
        .notDifferentiable()
        .samples(Sample.of(ties(3, 4)), Sample.of(bool(2, 3)), Sample.of(values(new double[] {1, -2}, 2)),
            Sample.of(n(0, 3)), Sample.of(n()));

    // ---- dtype conversions (Tensor)
    op(r, "to.dtype").torch("a[0].to(getattr(torch, dtype))")
        .java("Tensor.to(DType)", a -> a.t(0).to(DType.valueOf(a.s("dtype").toUpperCase())))
        .samples(
            Sample.of(n(2, 3)).kw("dtype", "float64"),
            Sample.of(n(3, 4).transposed()).kw("dtype", "float64"),
            Sample.of(values(new double[] {-1.5, -0.5, 0.0, 0.7, 1.9, 3.0}, 2, 3))
                .kw("dtype", "int64"),
            Sample.of(ties(2, 3)).kw("dtype", "bool"));
    op(r, "double").torch("a[0].double()").java("Tensor.toDouble()", a -> a.t(0).toDouble())
        .samples(Sample.of(n(2, 3)), Sample.of(n(3, 4).transposed()), Sample.of(n(0, 3)));
    op(r, "long").torch("a[0].long()").java("Tensor.toLong()", a -> a.t(0).toLong())
        .samples(Sample.of(values(new double[] {-1.5, -0.5, 0.0, 0.7, 1.9, 3.0}, 2, 3)),
            Sample.of(n(3, 4).transposed()));

    // ---- linear and convolution (Functional)
    op(r, "nn.functional.linear")
        .gradFnDeviates("jnn records AddmmBackward0; PyTorch MmBackward0/UnsafeViewBackward0/SqueezeBackward3 by rank").torch("F.linear(a[0], a[1])")
        .java("Functional.linear(Tensor,Tensor)", a -> Functional.linear(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), n(5, 4)),
            Sample.of(n(2, 3, 4), n(5, 4)),
            Sample.of(n(3, 4).transposed(), n(5, 4)),
            Sample.of(n(4), n(5, 4)),
            Sample.of(n(0, 4), n(5, 4)))
        .errors(Sample.of(n(3, 4), n(5, 3)));
    op(r, "nn.functional.linear.bias")
        .gradFnDeviates("jnn records AddmmBackward0; PyTorch ViewBackward0 (3-d) or AddBackward0 (1-d)").torch("F.linear(a[0], a[1], a[2])")
        .java("Functional.linear(Tensor,Tensor,Tensor)",
            a -> Functional.linear(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(n(3, 4), n(5, 4), n(5)),
            Sample.of(n(2, 3, 4), n(5, 4).transposed(), n(5)),
            Sample.of(n(4), n(5, 4), n(5)))
        .errors(Sample.of(n(3, 4), n(5, 3), n(5)));
    op(r, "nn.functional.conv2d").torch("F.conv2d(a[0], a[1])")
        .java("Functional.conv2d(Tensor,Tensor)", a -> Functional.conv2d(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(1, 2, 5, 5), n(3, 2, 3, 3)),
            Sample.of(n(2, 2, 4, 5).transposed(), n(3, 2, 2, 2)),
            Sample.of(n(2, 5, 5), n(3, 2, 3, 3)))
        .errors(
            Sample.of(n(2, 3), n(3, 2, 3, 3)),
            Sample.of(n(1, 4, 8, 8), n(3, 2, 3, 3)),
            Sample.of(n(1, 2, 2, 2), n(3, 2, 3, 3)));
    op(r, "nn.functional.conv2d.bias").torch("F.conv2d(a[0], a[1], a[2])")
        .java("Functional.conv2d(Tensor,Tensor,Tensor)",
            a -> Functional.conv2d(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(n(2, 2, 5, 5), n(3, 2, 3, 3), n(3)),
            Sample.of(n(2, 4, 4), n(3, 2, 1, 1), n(3)))
        .errors(Sample.of(n(1, 3, 8, 8), n(6, 3, 3, 3), n(5)));
    op(r, "nn.functional.conv2d.stride_padding")
        .torch("F.conv2d(a[0], a[1], a[2], stride, padding)")
        .java("Functional.conv2d(Tensor,Tensor,Tensor,int,int)",
            a -> Functional.conv2d(a.t(0), a.t(1), a.t(2), a.i("stride"), a.i("padding")))
        .samples(
            Sample.of(n(2, 2, 5, 5), n(3, 2, 3, 3), n(3)).kw("stride", 2).kw("padding", 1),
            Sample.of(n(1, 1, 6, 6), n(2, 1, 2, 2), n(2)).kw("stride", 3).kw("padding", 0));
    op(r, "nn.functional.conv2d.full")
        .torch("F.conv2d(a[0], a[1], a[2], stride, padding, dilation, groups)")
        .java("Functional.conv2d(Tensor,Tensor,Tensor,int[],int[],int[],int)",
            a -> Functional.conv2d(a.t(0), a.t(1), a.t(2), a.ints("stride"), a.ints("padding"),
                a.ints("dilation"), a.i("groups")))
        .samples(
            Sample.of(n(1, 2, 6, 5), n(2, 2, 2, 3), n(2)).kw("stride", new int[] {1, 2})
                .kw("padding", new int[] {2, 0}).kw("dilation", new int[] {2, 1}).kw("groups", 1),
            Sample.of(n(1, 4, 4, 4), n(4, 2, 3, 3), n(4)).kw("stride", new int[] {1})
                .kw("padding", new int[] {1}).kw("dilation", new int[] {1}).kw("groups", 2))
        .errors(Sample.of(n(1, 4, 8, 8), n(3, 2, 3, 3), n(3)).kw("stride", new int[] {1})
            .kw("padding", new int[] {0}).kw("dilation", new int[] {1}).kw("groups", 2));
    op(r, "nn.functional.conv2d.padding_mode")
        .torch("F.conv2d(a[0], a[1], a[2], stride, padding, dilation, groups)")
        .java("Functional.conv2d(Tensor,Tensor,Tensor,int[],String,int[],int)",
            a -> Functional.conv2d(a.t(0), a.t(1), a.t(2), a.ints("stride"), a.s("padding"),
                a.ints("dilation"), a.i("groups")))
        .samples(
            Sample.of(n(1, 2, 5, 5), n(3, 2, 2, 3), n(3)).kw("stride", new int[] {1})
                .kw("padding", "same").kw("dilation", new int[] {1}).kw("groups", 1),
            Sample.of(n(2, 5, 5), n(3, 2, 3, 3), n(3)).kw("stride", new int[] {1})
                .kw("padding", "same").kw("dilation", new int[] {2}).kw("groups", 1),
            Sample.of(n(1, 2, 5, 5), n(3, 2, 3, 3), n(3)).kw("stride", new int[] {2})
                .kw("padding", "valid").kw("dilation", new int[] {1}).kw("groups", 1))
        .errors(Sample.of(n(1, 2, 5, 5), n(3, 2, 3, 3), n(3)).kw("stride", new int[] {2})
            .kw("padding", "same").kw("dilation", new int[] {1}).kw("groups", 1));

    // ---- pooling (Functional)
    op(r, "nn.functional.max_pool2d").torch("F.max_pool2d(a[0], kernel_size)")
        .java("Functional.maxPool2d(Tensor,int)",
            a -> Functional.maxPool2d(a.t(0), a.i("kernel_size")))
        .samples(
            Sample.of(n(1, 2, 4, 4)).kw("kernel_size", 2),
            Sample.of(n(2, 5, 5).transposed()).kw("kernel_size", 2))
        .errors(Sample.of(n(2, 3)).kw("kernel_size", 2));
    op(r, "nn.functional.max_pool2d.stride").torch("F.max_pool2d(a[0], kernel_size, stride)")
        .java("Functional.maxPool2d(Tensor,int,int)",
            a -> Functional.maxPool2d(a.t(0), a.i("kernel_size"), a.i("stride")))
        .samples(Sample.of(n(1, 2, 5, 5)).kw("kernel_size", 3).kw("stride", 1));
    op(r, "nn.functional.max_pool2d.padding")
        .torch("F.max_pool2d(a[0], kernel_size, stride, padding)")
        .java("Functional.maxPool2d(Tensor,int,int,int)",
            a -> Functional.maxPool2d(a.t(0), a.i("kernel_size"), a.i("stride"), a.i("padding")))
        .samples(Sample.of(n(1, 2, 5, 5)).kw("kernel_size", 3).kw("stride", 2).kw("padding", 1))
        .errors(Sample.of(n(1, 2, 5, 5)).kw("kernel_size", 2).kw("stride", 2).kw("padding", 2));
    op(r, "nn.functional.max_pool2d.full")
        .torch("F.max_pool2d(a[0], kernel_size, stride, padding, dilation, ceil_mode=ceil_mode)")
        .java("Functional.maxPool2d(Tensor,int[],int[],int[],int[],boolean)",
            a -> Functional.maxPool2d(a.t(0), a.ints("kernel_size"), a.intsOrNull("stride"),
                a.ints("padding"), a.ints("dilation"), a.b("ceil_mode")))
        .samples(
            Sample.of(n(1, 2, 7, 6)).kw("kernel_size", new int[] {3, 2}).kw("stride", null)
                .kw("padding", new int[] {1, 0}).kw("dilation", new int[] {1}).kw("ceil_mode", true),
            Sample.of(n(2, 7, 7)).kw("kernel_size", new int[] {2}).kw("stride", new int[] {2, 1})
                .kw("padding", new int[] {0}).kw("dilation", new int[] {2}).kw("ceil_mode", false));
    op(r, "nn.functional.max_pool2d.return_indices")
        .torch("F.max_pool2d(a[0], kernel_size, stride, padding, dilation, ceil_mode=ceil_mode,"
            + " return_indices=True)")
        .java("Functional.maxPool2dWithIndices(Tensor,int[],int[],int[],int[],boolean)",
            a -> Functional.maxPool2dWithIndices(a.t(0), a.ints("kernel_size"),
                a.intsOrNull("stride"), a.ints("padding"), a.ints("dilation"), a.b("ceil_mode")))
        .samples(
            Sample.of(n(1, 2, 5, 5)).kw("kernel_size", new int[] {2}).kw("stride", null)
                .kw("padding", new int[] {1}).kw("dilation", new int[] {1}).kw("ceil_mode", false),
            Sample.of(n(2, 6, 5).transposed()).kw("kernel_size", new int[] {3})
                .kw("stride", new int[] {2}).kw("padding", new int[] {0})
                .kw("dilation", new int[] {1}).kw("ceil_mode", true));
    op(r, "nn.functional.avg_pool2d").torch("F.avg_pool2d(a[0], kernel_size)")
        .java("Functional.avgPool2d(Tensor,int)",
            a -> Functional.avgPool2d(a.t(0), a.i("kernel_size")))
        .samples(
            Sample.of(n(1, 2, 4, 4)).kw("kernel_size", 2),
            Sample.of(n(2, 5, 5).transposed()).kw("kernel_size", 2));
    op(r, "nn.functional.avg_pool2d.padding")
        .torch("F.avg_pool2d(a[0], kernel_size, stride, padding)")
        .java("Functional.avgPool2d(Tensor,int,int,int)",
            a -> Functional.avgPool2d(a.t(0), a.i("kernel_size"), a.i("stride"), a.i("padding")))
        .samples(Sample.of(n(1, 2, 5, 5)).kw("kernel_size", 3).kw("stride", 2).kw("padding", 1))
        .errors(Sample.of(n(1, 2, 5, 5)).kw("kernel_size", 2).kw("stride", 2).kw("padding", 2));
    op(r, "nn.functional.avg_pool2d.full")
        .torch("F.avg_pool2d(a[0], kernel_size, stride, padding, ceil_mode, count_include_pad,"
            + " divisor_override)")
        .java("Functional.avgPool2d(Tensor,int[],int[],int[],boolean,boolean,Integer)",
            a -> Functional.avgPool2d(a.t(0), a.ints("kernel_size"), a.intsOrNull("stride"),
                a.ints("padding"), a.b("ceil_mode"), a.b("count_include_pad"),
                a.intOrNull("divisor_override")))
        .samples(
            Sample.of(n(1, 2, 5, 6)).kw("kernel_size", new int[] {3, 2}).kw("stride", null)
                .kw("padding", new int[] {1, 0}).kw("ceil_mode", true)
                .kw("count_include_pad", false).kw("divisor_override", null),
            Sample.of(n(2, 5, 5)).kw("kernel_size", new int[] {2}).kw("stride", new int[] {1})
                .kw("padding", new int[] {1}).kw("ceil_mode", false)
                .kw("count_include_pad", true).kw("divisor_override", 3));
    op(r, "nn.functional.adaptive_avg_pool2d")
        .gradFnDeviates("PyTorch records MeanBackward1 for a 1x1 output").torch("F.adaptive_avg_pool2d(a[0], output_size)")
        .java("Functional.adaptiveAvgPool2d(Tensor,int)",
            a -> Functional.adaptiveAvgPool2d(a.t(0), a.i("output_size")))
        .samples(
            Sample.of(n(1, 2, 5, 7)).kw("output_size", 3),
            Sample.of(n(2, 4, 4).transposed()).kw("output_size", 1));
    op(r, "nn.functional.adaptive_avg_pool2d.tuple")
        .torch("F.adaptive_avg_pool2d(a[0], output_size)")
        .java("Functional.adaptiveAvgPool2d(Tensor,int[])",
            a -> Functional.adaptiveAvgPool2d(a.t(0), a.ints("output_size")))
        // no error input yet: PyTorch 1.13 pools a 2-d or 5-d input where jnn rejects it
        // ("adaptive_avg_pool2d(): Expected 3D or 4D tensor"), a deviation to settle first
        .samples(Sample.of(n(1, 2, 5, 7)).kw("output_size", new int[] {2, 4}));

    // ---- normalisation, padding, embedding (Functional)
    op(r, "nn.functional.layer_norm").torch("F.layer_norm(a[0], normalized_shape)")
        .java("Functional.layerNorm(Tensor,long[])",
            a -> Functional.layerNorm(a.t(0), a.longs("normalized_shape")))
        .samples(
            Sample.of(n(4, 5, 6)).kw("normalized_shape", new int[] {6}),
            Sample.of(n(2, 3, 4).transposed()).kw("normalized_shape", new int[] {3, 4}))
        .errors(Sample.of(n(4, 5, 6)).kw("normalized_shape", new int[] {7}));
    // a sample without a[2] has no bias: what nn.LayerNorm(..., bias=False) of PyTorch 2.1+ passes
    op(r, "nn.functional.layer_norm.affine")
        .torch("F.layer_norm(a[0], normalized_shape, a[1], a[2] if len(a) > 2 else None, eps)")
        .java("Functional.layerNorm(Tensor,long[],Tensor,Tensor,double)",
            a -> Functional.layerNorm(a.t(0), a.longs("normalized_shape"), a.t(1),
                a.tensors().size() > 2 ? a.t(2) : null, a.d("eps")))
        .samples(
            Sample.of(n(4, 5, 6), n(6), n(6)).kw("normalized_shape", new int[] {6})
                .kw("eps", 1e-5),
            Sample.of(n(2, 3, 4), n(3, 4), n(3, 4)).kw("normalized_shape", new int[] {3, 4})
                .kw("eps", 0.1),
            Sample.of(n(4, 5, 6), n(6)).kw("normalized_shape", new int[] {6}).kw("eps", 1e-5),
            Sample.of(n(2, 3, 4).transposed(), n(3, 4)).kw("normalized_shape", new int[] {3, 4})
                .kw("eps", 0.1),
            Sample.of(n(0, 4), n(4)).kw("normalized_shape", new int[] {4}).kw("eps", 1e-5))
        .errors(
            Sample.of(n(2, 3), n(4)).kw("normalized_shape", new int[] {3}).kw("eps", 1e-5),
            Sample.of(n(2, 3), n(4)).kw("normalized_shape", new int[] {4}).kw("eps", 1e-5));
    op(r, "nn.functional.pad")
        .gradFnDeviates("jnn pads with cat (CatBackward0); PyTorch ConstantPadNdBackward0").torch("F.pad(a[0], pad)")
        .java("Functional.pad(Tensor,int[])", a -> Functional.pad(a.t(0), a.ints("pad")))
        .samples(
            Sample.of(n(2, 3)).kw("pad", new int[] {1, 2}),
            Sample.of(n(1, 2, 3, 4)).kw("pad", new int[] {1, 1, 2, 0}),
            Sample.of(n(3, 4).transposed()).kw("pad", new int[] {-1, 1}))
        .errors(
            Sample.of(n(2, 3)).kw("pad", new int[] {1}),
            Sample.of(n(2, 3)).kw("pad", new int[] {0, 0, 0, 0, 0, 0}));
    op(r, "nn.functional.pad.mode")
        .gradFnDeviates("jnn pads with cat/index_select; PyTorch Reflection/ReplicationPad*Backward0, CopySlices").torch("F.pad(a[0], pad, mode)")
        .java("Functional.pad(Tensor,int[],String)",
            a -> Functional.pad(a.t(0), a.ints("pad"), a.s("mode")))
        .samples(
            Sample.of(n(1, 2, 4)).kw("pad", new int[] {2, 1}).kw("mode", "reflect"),
            Sample.of(n(1, 2, 3, 4)).kw("pad", new int[] {1, 2, 1, 0}).kw("mode", "replicate"),
            Sample.of(n(1, 2, 4)).kw("pad", new int[] {1, 2}).kw("mode", "circular"),
            Sample.of(n(2, 3)).kw("pad", new int[] {1, 1}).kw("mode", "constant"));
    op(r, "nn.functional.pad.value")
        .gradFnDeviates("jnn pads with cat (CatBackward0); PyTorch ConstantPadNdBackward0").torch("F.pad(a[0], pad, mode, value)")
        .java("Functional.pad(Tensor,int[],String,double)",
            a -> Functional.pad(a.t(0), a.ints("pad"), a.s("mode"), a.d("value")))
        .samples(
            Sample.of(n(2, 3)).kw("pad", new int[] {1, 2, 0, 1}).kw("mode", "constant")
                .kw("value", 1.5));
    op(r, "nn.functional.embedding").torch("F.embedding(a[0], a[1])")
        .java("Functional.embedding(Tensor,Tensor)", a -> Functional.embedding(a.t(0), a.t(1)))
        .samples(
            Sample.of(index(10, 2, 3), n(10, 4)),
            Sample.of(index(4, 4), n(4, 5).transposed()))
        .errors(Sample.of(index(10, 2, 3), n(5, 4)));
    op(r, "nn.functional.embedding.padding_idx").torch("F.embedding(a[0], a[1], padding_idx)")
        .java("Functional.embedding(Tensor,Tensor,int)",
            a -> Functional.embedding(a.t(0), a.t(1), a.i("padding_idx")))
        // non-smooth on purpose: padding_idx's row gets no gradient, finite differences see one
        .samples(Sample.of(index(4, 3, 3), n(4, 2)).kw("padding_idx", 1).nonSmooth());

    // ---- losses (Functional)
    op(r, "nn.functional.mse_loss")
        .gradFnDeviates("jnn composes mse_loss (MeanBackward0); PyTorch MseLossBackward0").torch("F.mse_loss(a[0], a[1])")
        .java("Functional.mseLoss(Tensor,Tensor)", a -> Functional.mseLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), n(3, 4)),
            Sample.of(n(3, 4).transposed(), n(3, 4)),
            Sample.of(n(), n()));
    op(r, "nn.functional.mse_loss.reduction")
        .gradFnDeviates("jnn composes mse_loss (Sum/MulBackward0); PyTorch MseLossBackward0").torch("F.mse_loss(a[0], a[1], reduction=reduction)")
        .java("Functional.mseLoss(Tensor,Tensor,Reduction)",
            a -> Functional.mseLoss(a.t(0), a.t(1), Reduction.fromString(a.s("reduction"))))
        .samples(
            Sample.of(n(3, 4), n(3, 4)).kw("reduction", "sum"),
            Sample.of(n(3, 4), n(3, 4).transposed()).kw("reduction", "none"));
    op(r, "nn.functional.l1_loss").torch("F.l1_loss(a[0], a[1])")
        .java("Functional.l1Loss(Tensor,Tensor)", a -> Functional.l1Loss(a.t(0), a.t(1)))
        .samples(Sample.of(n(3, 4), n(3, 4)), Sample.of(n(3, 4).transposed(), n(3, 4)));
    op(r, "nn.functional.l1_loss.reduction").torch("F.l1_loss(a[0], a[1], reduction=reduction)")
        .java("Functional.l1Loss(Tensor,Tensor,Reduction)",
            a -> Functional.l1Loss(a.t(0), a.t(1), Reduction.fromString(a.s("reduction"))))
        .samples(
            Sample.of(n(3, 4), n(3, 4)).kw("reduction", "sum"),
            Sample.of(n(3, 4), n(3, 4)).kw("reduction", "none"));
    op(r, "nn.functional.binary_cross_entropy_with_logits")
        .torch("F.binary_cross_entropy_with_logits(a[0], a[1])")
        .java("Functional.binaryCrossEntropyWithLogits(Tensor,Tensor)",
            a -> Functional.binaryCrossEntropyWithLogits(a.t(0), a.t(1)))
        .samples(Sample.of(n(3, 4), u(3, 4)), Sample.of(n(3, 4).transposed(), u(3, 4)))
        .errors(Sample.of(n(2, 3), u(4, 3)));
    op(r, "nn.functional.binary_cross_entropy_with_logits.full")
        .torch("F.binary_cross_entropy_with_logits(a[0], a[1], weight=a[2], reduction=reduction,"
            + " pos_weight=a[3])")
        .java("Functional.binaryCrossEntropyWithLogits(Tensor,Tensor,Tensor,Reduction,Tensor)",
            a -> Functional.binaryCrossEntropyWithLogits(a.t(0), a.t(1), a.t(2),
                Reduction.fromString(a.s("reduction")), a.t(3)))
        .samples(
            Sample.of(n(3, 4), u(3, 4), p(4).constant(), p(4).constant()).kw("reduction", "mean"),
            Sample.of(n(3, 4), u(3, 4), p(3, 1).constant(), p(4).constant())
                .kw("reduction", "none"));
    op(r, "nn.functional.nll_loss").torch("F.nll_loss(a[0], a[1])")
        .java("Functional.nllLoss(Tensor,Tensor)", a -> Functional.nllLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(4, 3), index(3, 4)),
            Sample.of(n(2, 3, 2, 2), index(3, 2, 2, 2)),
            Sample.of(n(3), index(3)))
        .errors(Sample.of(n(4, 3), index(3, 5)));
    op(r, "nn.functional.nll_loss.full")
        .torch("F.nll_loss(a[0], a[1], weight=a[2], ignore_index=ignore_index,"
            + " reduction=reduction)")
        .java("Functional.nllLoss(Tensor,Tensor,Tensor,int,Reduction)",
            a -> Functional.nllLoss(a.t(0), a.t(1), a.t(2), a.i("ignore_index"),
                Reduction.fromString(a.s("reduction"))))
        .samples(
            Sample.of(n(6, 3), index(3, 6), p(3).constant()).kw("ignore_index", 1).kw("reduction", "mean"),
            Sample.of(n(6, 3), index(3, 6), p(3).constant()).kw("ignore_index", -100).kw("reduction", "sum"),
            Sample.of(n(6, 3), index(3, 6), p(3).constant()).kw("ignore_index", 0).kw("reduction", "none"));
    op(r, "nn.functional.cross_entropy")
        .gradFnDeviates("jnn fuses log_softmax + nll (LogSoftmaxNllLossBackward0); PyTorch NllLoss(2D)Backward0").torch("F.cross_entropy(a[0], a[1])")
        .java("Functional.crossEntropy(Tensor,Tensor)",
            a -> Functional.crossEntropy(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(4, 3), index(3, 4)),
            Sample.of(n(3, 4).transposed(), index(4, 3)),
            Sample.of(n(2, 3, 2, 2), index(3, 2, 2, 2)))
        .errors(Sample.of(n(4, 3), index(3, 5)));
    op(r, "nn.functional.cross_entropy.reduction")
        .gradFnDeviates("jnn fuses log_softmax + nll (LogSoftmaxNllLossBackward0); PyTorch NllLossBackward0")
        .torch("F.cross_entropy(a[0], a[1], reduction=reduction)")
        .java("Functional.crossEntropy(Tensor,Tensor,Reduction)",
            a -> Functional.crossEntropy(a.t(0), a.t(1), Reduction.fromString(a.s("reduction"))))
        .samples(
            Sample.of(n(4, 3), index(3, 4)).kw("reduction", "sum"),
            Sample.of(n(4, 3), index(3, 4)).kw("reduction", "none"));
    op(r, "nn.functional.cross_entropy.full")
        .gradFnDeviates("jnn fuses log_softmax + nll (LogSoftmaxNllLossBackward0); PyTorch NllLossBackward0")
        .torch("F.cross_entropy(a[0], a[1], weight=a[2], ignore_index=ignore_index,"
            + " reduction=reduction, label_smoothing=label_smoothing)")
        .java("Functional.crossEntropy(Tensor,Tensor,Tensor,int,Reduction,double)",
            a -> Functional.crossEntropy(a.t(0), a.t(1), a.t(2), a.i("ignore_index"),
                Reduction.fromString(a.s("reduction")), a.d("label_smoothing")))
        .samples(
            Sample.of(n(6, 3), index(3, 6), p(3).constant()).kw("ignore_index", 1).kw("reduction", "mean")
                .kw("label_smoothing", 0.1),
            Sample.of(n(6, 3), index(3, 6), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "none").kw("label_smoothing", 0.0));

    NewOpsEntries.add(r); // issue 17 item 7, third batch (its own file)
    NewOpsEntries2.add(r); // issue 17 item 7, fifth batch (its own file)
    NewOpsEntries3.add(r); // issue 17 item 7, scatter batch (its own file)
    ActivationEntries.add(r); // issue 20: activations and alpha dropout (its own file)
    AttentionEntries.add(r); // issue 19: scaled_dot_product_attention, multi_head_attention_forward
    TransformerPiecesEntries.add(r); // issue 19 part 3: norms, channel dropout, embedding options
    VisionEntries.add(r); // issue 20 part 1: group, instance and local response norm
    LossEntries.add(r); // issue 20 part 1, the losses (its own file)
    PoolEntries.add(r); // issue 20 part 1, the pooling family (its own file)
    ConvEntries.add(r); // issue 20 part 1, the convolution family (its own file)
    SamplingEntries.add(r); // issue 20 part 1: interpolate, grid_sample, affine_grid, bilinear

    Set<String> names = new LinkedHashSet<>();
    for (OpInfo o : r) {
      if (!names.add(o.name())) {
        throw new IllegalStateException("duplicate registry name " + o.name());
      }
      o.seal();
    }
    return Collections.unmodifiableList(r);
  }

  private static List<Sample> withKw(List<Sample> samples, String k, Object v) {
    List<Sample> r = new ArrayList<>();
    for (Sample s : samples) {
      r.add(s.copy().kw(k, v));
    }
    return r;
  }

  /** The pieces of a multi-output op, flattened and concatenated (torch.cat of torch.flatten). */
  private static Tensor flatCat(List<Tensor> pieces) {
    List<Tensor> flat = new java.util.ArrayList<>();
    for (Tensor t : pieces) {
      flat.add(t.flatten());
    }
    return Tensor.cat(flat, 0);
  }

  private static Tensor compare(String m, Tensor x, Tensor y) {
    return switch (m) {
      case "eq" -> x.eq(y);
      case "ne" -> x.ne(y);
      case "lt" -> x.lt(y);
      case "le" -> x.le(y);
      case "gt" -> x.gt(y);
      case "ge" -> x.ge(y);
      default -> throw new IllegalArgumentException(m);
    };
  }

  private static Tensor compare(String m, Tensor x, double s) {
    return switch (m) {
      case "eq" -> x.eq(s);
      case "ne" -> x.ne(s);
      case "lt" -> x.lt(s);
      case "le" -> x.le(s);
      case "gt" -> x.gt(s);
      case "ge" -> x.ge(s);
      default -> throw new IllegalArgumentException(m);
    };
  }

  /** The registry as the JSON the Python generator reads (one op per line; stable order). */
  public static String toJson() {
    StringBuilder b = new StringBuilder();
    b.append("{\"about\": ")
        .append(JsonOut.write("written by dev.jnn.ops.OpRegistry (OpRegistryJsonTest); read by"
            + " scripts/golden/op_registry.py; do not edit"))
        .append(",\n \"generator\": ")
        .append(JsonOut.write("splitmix64 uniforms, see dev.jnn.ops.SampleGen"))
        .append(",\n \"ops\": [\n");
    List<OpInfo> ops = all();
    for (int i = 0; i < ops.size(); i++) {
      Map<String, Object> m = new LinkedHashMap<>(ops.get(i).json());
      b.append("  ").append(JsonOut.write(m)).append(i + 1 < ops.size() ? ",\n" : "\n");
    }
    b.append("]}\n");
    return b.toString();
  }
}
