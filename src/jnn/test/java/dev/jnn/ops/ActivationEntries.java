package dev.jnn.ops;

import static dev.jnn.ops.Sample.bool;
import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.nz;
import static dev.jnn.ops.Sample.values;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Registry entries of issue 20's activations and alpha dropout (relu6, the ELU family, silu, mish,
 * the hard activations, softplus, logsigmoid, softmin, threshold, the shrinks, prelu, glu,
 * leaky_relu's in-place forms, relu's in-place forms, alpha_dropout, feature_alpha_dropout), in
 * their own file; {@link OpRegistry#all()} appends them before sealing.
 *
 * <p>In-place variants run on a clone of the input on both sides ({@code F.elu_(a[0].clone())}):
 * the input leaf keeps requiring grad, the op's own node (PyTorch's grad_fn, e.g. {@code
 * EluBackward1} working from the result) is checked and the gradient flows back through the
 * clone. Their autograd rules (leaves, views, the version counter, negative slopes in backward)
 * are {@code dev.jnn.nn.functional.ActivationInPlaceTest}'s. Alpha dropout's random path is tested
 * statistically ({@code AlphaDropoutTest}); here are its deterministic paths (evaluation, {@code p}
 * 0 and 1, empty input) and its errors.
 */
final class ActivationEntries {
  private ActivationEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    reluFamily(r);
    eluFamily(r);
    smooth(r);
    hard(r);
    softplusEtc(r);
    thresholdAndShrinks(r);
    preluGluSoftmin(r);
    alphaDropout(r);
  }

  // ---------------------------------------------------------------- sample sets

  /** Contiguous, non-contiguous, 0-d, empty, and more explicit values. */
  private static List<Sample> unary(double[]... extra) {
    List<Sample> s = new ArrayList<>(List.of(Sample.of(n(2, 3)), Sample.of(n(3, 4).transposed()),
        Sample.of(n()), Sample.of(n(0, 3))));
    for (double[] v : extra) {
      s.add(Sample.of(values(v, v.length)));
    }
    return s;
  }

  /** {@code base} and an explicit sample on the kinks, marked non-smooth. */
  private static List<Sample> withKinks(List<Sample> base, double... kinks) {
    List<Sample> s = new ArrayList<>(base);
    s.add(Sample.of(values(kinks, kinks.length)).nonSmooth());
    return s;
  }

  /** Each sample with the keyword arguments {@code kv} (name, value, name, value, ...). */
  private static List<Sample> kw(List<Sample> base, Object... kv) {
    List<Sample> s = new ArrayList<>();
    for (Sample x : base) {
      Sample c = x.copy();
      for (int i = 0; i < kv.length; i += 2) {
        c.kw((String) kv[i], kv[i + 1]);
      }
      s.add(c);
    }
    return s;
  }

  /** An in-place entry's samples: the four layouts with {@code inplace}, one without. */
  private static List<Sample> inplaceFlag(List<Sample> base) {
    List<Sample> s = kw(base, "inplace", true);
    s.add(Sample.of(n(2, 3)).kw("inplace", false));
    return s;
  }

  private static final Sample LONG_INPUT = Sample.of(index(3, 2, 3));

  // ---------------------------------------------------------------- relu, relu6, leaky_relu

  private static void reluFamily(List<OpInfo> r) {
    List<Sample> relu = withKinks(unary(), -1.0, 0.0, 1.0);
    op(r, "relu_").torch("torch.relu_(a[0].clone())")
        .java("Tensor.reluInPlace()", a -> a.t(0).clone().reluInPlace()).samples(relu);
    op(r, "nn.functional.relu_").torch("F.relu_(a[0].clone())")
        .java("Functional.relu_(Tensor)", a -> Functional.relu_(a.t(0).clone())).samples(relu);
    op(r, "nn.functional.relu.inplace").torch("F.relu(a[0].clone(), inplace)")
        .java("Functional.relu(Tensor,boolean)",
            a -> Functional.relu(a.t(0).clone(), a.b("inplace")))
        .samples(inplaceFlag(relu));

    List<Sample> relu6 = withKinks(unary(new double[] {-7.0, -2.5, 6.5, 9.0, 5.5, 0.5}),
        -1.0, 0.0, 3.0, 6.0, 7.0);
    op(r, "nn.functional.relu6").torch("F.relu6(a[0])")
        .java("Functional.relu6(Tensor)", a -> Functional.relu6(a.t(0)))
        .samples(relu6).samples(Sample.of(index(9, 2, 4)))
        .errors(Sample.of(bool(2, 3)));
    op(r, "nn.functional.relu6.inplace").torch("F.relu6(a[0].clone(), inplace)")
        .java("Functional.relu6(Tensor,boolean)",
            a -> Functional.relu6(a.t(0).clone(), a.b("inplace")))
        .samples(inplaceFlag(relu6)).errors(Sample.of(bool(2, 3)).kw("inplace", true));

    List<Sample> leaky = withKinks(kw(unary(), "negative_slope", 0.2), -1.0, 0.0, 1.0);
    leaky = kw(leaky, "negative_slope", 0.2);
    leaky.add(Sample.of(nz(2, 3)).kw("negative_slope", 1.5));
    op(r, "nn.functional.leaky_relu.inplace")
        .torch("F.leaky_relu(a[0].clone(), negative_slope, inplace)")
        .java("Functional.leakyRelu(Tensor,double,boolean)",
            a -> Functional.leakyRelu(a.t(0).clone(), a.d("negative_slope"), a.b("inplace")))
        .samples(kw(inplaceFlag(leaky), "negative_slope", 0.2));
    op(r, "nn.functional.leaky_relu_").torch("F.leaky_relu_(a[0].clone(), negative_slope)")
        .java("Functional.leakyRelu_(Tensor,double)",
            a -> Functional.leakyRelu_(a.t(0).clone(), a.d("negative_slope")))
        .samples(leaky).errors(LONG_INPUT.copy().kw("negative_slope", 0.2));
  }

  // ---------------------------------------------------------------- elu, selu, celu

  private static void eluFamily(List<OpInfo> r) {
    List<Sample> base = withKinks(unary(new double[] {-9.0, -4.0, 3.0, 12.0}), -1.0, 0.0, 1.0);
    op(r, "nn.functional.elu").torch("F.elu(a[0])")
        .java("Functional.elu(Tensor)", a -> Functional.elu(a.t(0)))
        .samples(base).errors(LONG_INPUT, Sample.of(bool(2, 3)));
    List<Sample> alphas = new ArrayList<>(List.of(
        Sample.of(n(2, 3)).kw("alpha", 0.5),
        Sample.of(n(3, 4).transposed()).kw("alpha", 2.0),
        Sample.of(n()).kw("alpha", -0.7),
        Sample.of(n(0, 3)).kw("alpha", 1.5),
        Sample.of(values(new double[] {-1.0, 0.0, 1.0}, 3)).kw("alpha", 0.5).nonSmooth()));
    op(r, "nn.functional.elu.alpha").torch("F.elu(a[0], alpha)")
        .java("Functional.elu(Tensor,double)", a -> Functional.elu(a.t(0), a.d("alpha")))
        .samples(alphas).errors(LONG_INPUT.copy().kw("alpha", 0.5));
    op(r, "nn.functional.elu.inplace").torch("F.elu(a[0].clone(), alpha, inplace)")
        .java("Functional.elu(Tensor,double,boolean)",
            a -> Functional.elu(a.t(0).clone(), a.d("alpha"), a.b("inplace")))
        .samples(kw(inplaceFlag(base), "alpha", 0.5));
    op(r, "nn.functional.elu_").torch("F.elu_(a[0].clone(), alpha)")
        .java("Functional.elu_(Tensor,double)",
            a -> Functional.elu_(a.t(0).clone(), a.d("alpha")))
        .samples(kw(base, "alpha", 0.5)).samples(Sample.of(n(2, 3)).kw("alpha", 0.0),
            Sample.of(n(2, 3)).kw("alpha", 1.0))
        .errors(LONG_INPUT.copy().kw("alpha", 1.0));

    op(r, "nn.functional.selu").torch("F.selu(a[0])")
        .java("Functional.selu(Tensor)", a -> Functional.selu(a.t(0)))
        .samples(base).errors(LONG_INPUT);
    op(r, "nn.functional.selu.inplace").torch("F.selu(a[0].clone(), inplace)")
        .java("Functional.selu(Tensor,boolean)",
            a -> Functional.selu(a.t(0).clone(), a.b("inplace")))
        .samples(inplaceFlag(base));
    op(r, "nn.functional.selu_").torch("F.selu_(a[0].clone())")
        .java("Functional.selu_(Tensor)", a -> Functional.selu_(a.t(0).clone()))
        .samples(base).errors(LONG_INPUT);

    op(r, "nn.functional.celu").torch("F.celu(a[0])")
        .java("Functional.celu(Tensor)", a -> Functional.celu(a.t(0)))
        .samples(base).errors(LONG_INPUT);
    // alpha 0.3 is not a float: 1.13's backward divides by alpha rounded to float
    List<Sample> celuAlphas = new ArrayList<>(alphas);
    celuAlphas.add(Sample.of(n(2, 3)).kw("alpha", 0.3));
    op(r, "nn.functional.celu.alpha").torch("F.celu(a[0], alpha)")
        .java("Functional.celu(Tensor,double)", a -> Functional.celu(a.t(0), a.d("alpha")))
        .samples(celuAlphas)
        .errors(Sample.of(n(2, 3)).kw("alpha", 0.0), LONG_INPUT.copy().kw("alpha", 0.5));
    op(r, "nn.functional.celu.inplace").torch("F.celu(a[0].clone(), alpha, inplace)")
        .java("Functional.celu(Tensor,double,boolean)",
            a -> Functional.celu(a.t(0).clone(), a.d("alpha"), a.b("inplace")))
        .samples(kw(inplaceFlag(base), "alpha", 0.3))
        .errors(Sample.of(n(2, 3)).kw("alpha", 0.0).kw("inplace", true));
    op(r, "nn.functional.celu_").torch("F.celu_(a[0].clone(), alpha)")
        .java("Functional.celu_(Tensor,double)",
            a -> Functional.celu_(a.t(0).clone(), a.d("alpha")))
        .samples(kw(base, "alpha", 0.3)).samples(Sample.of(n(2, 3)).kw("alpha", 2.0))
        .errors(Sample.of(n(2, 3)).kw("alpha", 0.0), LONG_INPUT.copy().kw("alpha", 1.0));
  }

  // ---------------------------------------------------------------- silu, mish

  private static void smooth(List<OpInfo> r) {
    List<Sample> base = unary(new double[] {-40.0, -6.0, 0.0, 6.0, 40.0});
    op(r, "nn.functional.silu").torch("F.silu(a[0])")
        .java("Functional.silu(Tensor)", a -> Functional.silu(a.t(0)))
        .samples(base).errors(LONG_INPUT);
    op(r, "nn.functional.silu.inplace").torch("F.silu(a[0].clone(), inplace)")
        .java("Functional.silu(Tensor,boolean)",
            a -> Functional.silu(a.t(0).clone(), a.b("inplace")))
        .samples(inplaceFlag(base)).errors(LONG_INPUT.copy().kw("inplace", true));
    op(r, "nn.functional.mish").torch("F.mish(a[0])")
        .java("Functional.mish(Tensor)", a -> Functional.mish(a.t(0)))
        .samples(base).errors(LONG_INPUT);
    op(r, "nn.functional.mish.inplace").torch("F.mish(a[0].clone(), inplace)")
        .java("Functional.mish(Tensor,boolean)",
            a -> Functional.mish(a.t(0).clone(), a.b("inplace")))
        .samples(inplaceFlag(base)).errors(LONG_INPUT.copy().kw("inplace", true));
  }

  // ---------------------------------------------------------------- hardswish, hardsigmoid, hardtanh

  private static void hard(List<OpInfo> r) {
    List<Sample> three = withKinks(unary(new double[] {-4.5, -3.5, -1.0, 2.5, 3.5, 5.0}),
        -3.0, 3.0, -4.0, 4.0, 0.0);
    op(r, "nn.functional.hardswish").torch("F.hardswish(a[0])")
        .java("Functional.hardswish(Tensor)", a -> Functional.hardswish(a.t(0)))
        .samples(three).errors(LONG_INPUT);
    op(r, "nn.functional.hardswish.inplace").torch("F.hardswish(a[0].clone(), inplace)")
        .java("Functional.hardswish(Tensor,boolean)",
            a -> Functional.hardswish(a.t(0).clone(), a.b("inplace")))
        .samples(inplaceFlag(three));
    op(r, "nn.functional.hardsigmoid").torch("F.hardsigmoid(a[0])")
        .java("Functional.hardsigmoid(Tensor)", a -> Functional.hardsigmoid(a.t(0)))
        .samples(three).errors(LONG_INPUT);
    op(r, "nn.functional.hardsigmoid.inplace").torch("F.hardsigmoid(a[0].clone(), inplace)")
        .java("Functional.hardsigmoid(Tensor,boolean)",
            a -> Functional.hardsigmoid(a.t(0).clone(), a.b("inplace")))
        .samples(inplaceFlag(three));

    List<Sample> unit = withKinks(unary(), -1.0, 1.0, 0.0, -2.0, 2.0);
    op(r, "nn.functional.hardtanh").torch("F.hardtanh(a[0])")
        .java("Functional.hardtanh(Tensor)", a -> Functional.hardtanh(a.t(0)))
        .samples(unit).errors(Sample.of(bool(2, 3)));
    List<Sample> bounds = new ArrayList<>(List.of(
        Sample.of(n(2, 3)).kw("min_val", -0.5).kw("max_val", 1.5),
        Sample.of(n(3, 4).transposed()).kw("min_val", 0.0).kw("max_val", 0.25),
        Sample.of(n()).kw("min_val", -3.0).kw("max_val", 3.0),
        Sample.of(n(0, 3)).kw("min_val", -0.5).kw("max_val", 0.5),
        Sample.of(values(new double[] {-0.5, 0.5, 0.0, -1.0, 1.0}, 5))
            .kw("min_val", -0.5).kw("max_val", 0.5).nonSmooth()));
    op(r, "nn.functional.hardtanh.bounds").torch("F.hardtanh(a[0], min_val, max_val)")
        .java("Functional.hardtanh(Tensor,double,double)",
            a -> Functional.hardtanh(a.t(0), a.d("min_val"), a.d("max_val")))
        .samples(bounds);
    op(r, "nn.functional.hardtanh.inplace")
        .torch("F.hardtanh(a[0].clone(), min_val, max_val, inplace)")
        .java("Functional.hardtanh(Tensor,double,double,boolean)",
            a -> Functional.hardtanh(a.t(0).clone(), a.d("min_val"), a.d("max_val"),
                a.b("inplace")))
        .samples(kw(inplaceFlag(unit), "min_val", -1.0, "max_val", 1.0));
    op(r, "nn.functional.hardtanh_").torch("F.hardtanh_(a[0].clone(), min_val, max_val)")
        .java("Functional.hardtanh_(Tensor,double,double)",
            a -> Functional.hardtanh_(a.t(0).clone(), a.d("min_val"), a.d("max_val")))
        .samples(bounds)
        .errors(Sample.of(bool(2, 3)).kw("min_val", -1.0).kw("max_val", 1.0));
  }

  // ---------------------------------------------------------------- softplus, logsigmoid

  private static void softplusEtc(List<OpInfo> r) {
    List<Sample> wide = unary(new double[] {-50.0, -5.0, 0.5, 5.0, 19.0, 25.0, 100.0});
    op(r, "nn.functional.softplus").torch("F.softplus(a[0])")
        .java("Functional.softplus(Tensor)", a -> Functional.softplus(a.t(0)))
        .samples(wide).errors(LONG_INPUT);
    op(r, "nn.functional.softplus.beta").torch("F.softplus(a[0], beta, threshold)")
        .java("Functional.softplus(Tensor,double,double)",
            a -> Functional.softplus(a.t(0), a.d("beta"), a.d("threshold")))
        .samples(
            Sample.of(n(2, 3)).kw("beta", 2.0).kw("threshold", 1.0),
            Sample.of(n(3, 4).transposed()).kw("beta", 0.5).kw("threshold", 20.0),
            Sample.of(n()).kw("beta", -1.0).kw("threshold", 20.0),
            Sample.of(n(0, 3)).kw("beta", 2.0).kw("threshold", 1.0),
            Sample.of(values(new double[] {-30.0, 0.25, 9.0, 11.0}, 4))
                .kw("beta", 2.0).kw("threshold", 20.0))
        .errors(LONG_INPUT.copy().kw("beta", 1.0).kw("threshold", 20.0));
    op(r, "nn.functional.logsigmoid").torch("F.logsigmoid(a[0])")
        .java("Functional.logsigmoid(Tensor)", a -> Functional.logsigmoid(a.t(0)))
        .samples(wide).errors(LONG_INPUT);
  }

  // ---------------------------------------------------------------- threshold, shrinks

  private static void thresholdAndShrinks(List<OpInfo> r) {
    List<Sample> th = new ArrayList<>(List.of(
        Sample.of(n(2, 3)).kw("threshold", 0.5).kw("value", -1.0),
        Sample.of(n(3, 4).transposed()).kw("threshold", -0.3).kw("value", 2.0),
        Sample.of(n()).kw("threshold", 0.1).kw("value", 20.0),
        Sample.of(n(0, 3)).kw("threshold", 0.5).kw("value", -1.0),
        Sample.of(values(new double[] {0.5, -1.0, 0.49, 0.51, 2.0}, 5))
            .kw("threshold", 0.5).kw("value", 3.0).nonSmooth()));
    op(r, "nn.functional.threshold").torch("F.threshold(a[0], threshold, value)")
        .java("Functional.threshold(Tensor,double,double)",
            a -> Functional.threshold(a.t(0), a.d("threshold"), a.d("value")))
        .samples(th)
        .errors(Sample.of(bool(2, 3)).kw("threshold", 0.5).kw("value", 1.0));
    op(r, "nn.functional.threshold.inplace")
        .torch("F.threshold(a[0].clone(), threshold, value, inplace)")
        .java("Functional.threshold(Tensor,double,double,boolean)",
            a -> Functional.threshold(a.t(0).clone(), a.d("threshold"), a.d("value"),
                a.b("inplace")))
        .samples(kw(inplaceFlag(kw(unary(), "threshold", 0.5, "value", 3.0)),
            "threshold", 0.5, "value", 3.0));
    op(r, "nn.functional.threshold_").torch("F.threshold_(a[0].clone(), threshold, value)")
        .java("Functional.threshold_(Tensor,double,double)",
            a -> Functional.threshold_(a.t(0).clone(), a.d("threshold"), a.d("value")))
        .samples(th);

    List<Sample> half = withKinks(unary(), -0.5, 0.5, 0.0, -1.0, 1.0);
    op(r, "nn.functional.hardshrink").torch("F.hardshrink(a[0])")
        .java("Functional.hardshrink(Tensor)", a -> Functional.hardshrink(a.t(0)))
        .samples(half).errors(LONG_INPUT);
    List<Sample> lambdas = new ArrayList<>(List.of(
        Sample.of(n(2, 3)).kw("lambd", 1.0),
        Sample.of(n(3, 4).transposed()).kw("lambd", 0.25),
        Sample.of(n()).kw("lambd", 0.0),
        Sample.of(n(0, 3)).kw("lambd", 1.0),
        Sample.of(values(new double[] {-1.0, 1.0, 0.0, -2.0, 2.0}, 5)).kw("lambd", 1.0)
            .nonSmooth()));
    List<Sample> hardLambdas = new ArrayList<>(lambdas);
    hardLambdas.add(Sample.of(nz(2, 3)).kw("lambd", -0.5)); // no check: the identity
    op(r, "nn.functional.hardshrink.lambd").torch("F.hardshrink(a[0], lambd)")
        .java("Functional.hardshrink(Tensor,double)",
            a -> Functional.hardshrink(a.t(0), a.d("lambd")))
        .samples(hardLambdas);
    op(r, "nn.functional.softshrink").torch("F.softshrink(a[0])")
        .java("Functional.softshrink(Tensor)", a -> Functional.softshrink(a.t(0)))
        .samples(half).errors(LONG_INPUT);
    op(r, "nn.functional.softshrink.lambd").torch("F.softshrink(a[0], lambd)")
        .java("Functional.softshrink(Tensor,double)",
            a -> Functional.softshrink(a.t(0), a.d("lambd")))
        .samples(lambdas)
        .errors(Sample.of(n(2, 3)).kw("lambd", -0.5), Sample.of(n(2, 3)).kw("lambd", -1.0),
            Sample.of(n(2, 3)).kw("lambd", -1e-7));
  }

  // ---------------------------------------------------------------- prelu, glu, softmin

  private static void preluGluSoftmin(List<OpInfo> r) {
    op(r, "nn.functional.prelu").torch("F.prelu(a[0], a[1])")
        .java("Functional.prelu(Tensor,Tensor)", a -> Functional.prelu(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(2, 3), n(3)),
            Sample.of(n(2, 3, 4), n(3)),
            Sample.of(n(2, 3, 2, 2), n(1)),
            Sample.of(n(2, 3, 2, 2), n()),
            Sample.of(n(4, 3).transposed(), n(3)),
            Sample.of(n(5), n(1)),
            Sample.of(n(), n(1)),
            Sample.of(n(0, 3), n(3)),
            Sample.of(values(new double[] {0.0, -1.0, 2.0, 0.0, -0.5, 1.0}, 2, 3), n(3))
                .nonSmooth())
        .errors(Sample.of(n(2, 3), n(4)), Sample.of(n(), n(3)), Sample.of(n(3), n(3)),
            Sample.of(n(2, 3), n(1, 3)), Sample.of(n(2, 4), n(1, 4)));

    op(r, "nn.functional.glu").torch("F.glu(a[0])")
        .java("Functional.glu(Tensor)", a -> Functional.glu(a.t(0)))
        .samples(Sample.of(n(2, 4)), Sample.of(n(3, 6).transposed()), Sample.of(n(2)),
            Sample.of(n(0, 4)))
        .errors(Sample.of(n()), Sample.of(n(2, 3)), Sample.of(index(3, 2, 4)));
    op(r, "nn.functional.glu.dim").torch("F.glu(a[0], dim)")
        .java("Functional.glu(Tensor,int)", a -> Functional.glu(a.t(0), a.i("dim")))
        .samples(
            Sample.of(n(4, 3)).kw("dim", 0),
            Sample.of(n(2, 4, 3)).kw("dim", 1),
            Sample.of(n(6, 4).transposed()).kw("dim", -2),
            Sample.of(n(0, 2)).kw("dim", 1))
        .errors(Sample.of(n(3, 2)).kw("dim", 0), Sample.of(n(2, 4)).kw("dim", 2),
            Sample.of(n(2, 4)).kw("dim", -3), Sample.of(n()).kw("dim", 0));

    op(r, "nn.functional.softmin").torch("F.softmin(a[0], dim)")
        .java("Functional.softmin(Tensor,int)", a -> Functional.softmin(a.t(0), a.i("dim")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("dim", 0),
            Sample.of(n(2, 3, 4)).kw("dim", -1),
            Sample.of(n(3, 4).transposed()).kw("dim", 1),
            Sample.of(n()).kw("dim", 0),
            Sample.of(n(0, 3)).kw("dim", 1),
            Sample.of(values(new double[] {1000.0, 0.0, -1000.0, 5.0, 5.0, 5.0}, 2, 3))
                .kw("dim", 1))
        .errors(Sample.of(n(2, 3)).kw("dim", 2), LONG_INPUT.copy().kw("dim", 1));
  }

  // ---------------------------------------------------------------- alpha dropout

  /** The deterministic paths: evaluation, {@code p} 0 (input returned) and 1 (zeros), empty. */
  private static List<Sample> dropoutPaths(boolean twoDims) {
    return new ArrayList<>(List.of(
        Sample.of(n(2, 3)).kw("p", 0.5).kw("training", false),
        Sample.of(n(3, 4).transposed()).kw("p", 0.2).kw("training", false),
        Sample.of(n(2, 3, 2)).kw("p", 0.0).kw("training", true),
        Sample.of(n(2, 3)).kw("p", 1.0).kw("training", true),
        Sample.of(n(3, 4).transposed()).kw("p", 1.0).kw("training", true),
        Sample.of(n(0, 3)).kw("p", 0.5).kw("training", true),
        // 1-dim input with p = 1: the feature variant multiplies before it needs 2 dims
        Sample.of(twoDims ? n(4) : n()).kw("p", 1.0).kw("training", true)));
  }

  private static final Sample[] P_ERRORS = {
      Sample.of(n(2, 3)).kw("p", 1.5).kw("training", true),
      Sample.of(n(2, 3)).kw("p", -0.1).kw("training", false)
  };

  private static void alphaDropout(List<OpInfo> r) {
    for (boolean feature : new boolean[] {false, true}) {
      String py = feature ? "feature_alpha_dropout" : "alpha_dropout";
      String java = feature ? "featureAlphaDropout" : "alphaDropout";
      List<Sample> paths = dropoutPaths(feature);
      List<Sample> errors = new ArrayList<>(List.of(P_ERRORS));
      if (feature) {
        errors.add(Sample.of(n(4)).kw("p", 0.5).kw("training", true));
        errors.add(Sample.of(n()).kw("p", 0.5).kw("training", true));
      }
      Sample[] errs = errors.toArray(new Sample[0]);
      op(r, "nn.functional." + py).torch("F." + py + "(a[0], p, training)")
          .java("Functional." + java + "(Tensor,double,boolean)",
              a -> feature
                  ? Functional.featureAlphaDropout(a.t(0), a.d("p"), a.b("training"))
                  : Functional.alphaDropout(a.t(0), a.d("p"), a.b("training")))
          .samples(paths).errors(errs);
      op(r, "nn.functional." + py + ".inplace")
          .torch("F." + py + "(a[0].clone(), p, training, inplace)")
          .java("Functional." + java + "(Tensor,double,boolean,boolean)",
              a -> feature
                  ? Functional.featureAlphaDropout(a.t(0).clone(), a.d("p"), a.b("training"),
                      a.b("inplace"))
                  : Functional.alphaDropout(a.t(0).clone(), a.d("p"), a.b("training"),
                      a.b("inplace")))
          .samples(kw(paths, "inplace", true)).samples(Sample.of(n(2, 3)).kw("p", 1.0)
              .kw("training", true).kw("inplace", false))
          .errors(kwAll(errs, "inplace", true));
      op(r, "nn.functional." + py + ".generator")
          .torch("F." + py + "(a[0].clone(), p, training, inplace)")
          .java("Functional." + java + "(Tensor,double,boolean,boolean,Generator)",
              a -> {
                Tensor x = a.t(0).clone();
                Generator g = new Generator(20);
                return feature
                    ? Functional.featureAlphaDropout(x, a.d("p"), a.b("training"),
                        a.b("inplace"), g)
                    : Functional.alphaDropout(x, a.d("p"), a.b("training"), a.b("inplace"), g);
              })
          .samples(kw(paths, "inplace", false))
          .errors(kwAll(errs, "inplace", false));
    }
  }

  private static Sample[] kwAll(Sample[] s, String k, Object v) {
    Sample[] r = new Sample[s.length];
    for (int i = 0; i < s.length; i++) {
      r[i] = s[i].copy().kw(k, v);
    }
    return r;
  }
}
