package dev.jnn.ops;

import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.p;
import static dev.jnn.ops.Sample.u;
import static dev.jnn.ops.Sample.values;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Registry entries of issue 20's losses (in {@code Functional}'s section {@code FunctionalLosses}:
 * binary cross-entropy, smooth L1, Huber, soft margin, KL divergence, Poisson and Gaussian NLL, margin ranking, hinge and cosine
 * embedding, triplet margin, multi-label soft margin, multi margin) and the spatial samples of
 * {@code nll_loss} / {@code cross_entropy} ({@code [N, C, d1, ...]} inputs), in their own file
 * beside {@link NewOpsEntries3}; {@link OpRegistry#all()} appends them before sealing.
 *
 * <p>Each loss has two entries, PyTorch's defaults and every option; every reduction is sampled,
 * in float32 and float64, with non-contiguous, empty and 0-dim inputs where PyTorch takes them.
 * Labels that PyTorch only compares ({@code y == 1}) or does not differentiate ({@code
 * soft_margin_loss}'s target, class weights) are {@link Sample.Input#constant()}; the target of a
 * loss PyTorch differentiates in it requires grad, so its gradient is checked too.
 */
final class LossEntries {
  private LossEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    binaryCrossEntropy(r);
    smoothL1AndHuber(r);
    softMargin(r);
    klDiv(r);
    poissonNll(r);
    gaussianNll(r);
    marginRanking(r);
    hingeEmbedding(r);
    cosineEmbedding(r);
    tripletMargin(r);
    multilabelSoftMargin(r);
    multiMargin(r);
    spatialNllAndCrossEntropy(r);
  }

  private static final String[] REDUCTIONS = {"none", "mean", "sum"};

  /** One sample per reduction, each made fresh by {@code make}. */
  private static List<Sample> everyReduction(Supplier<Sample> make) {
    List<Sample> s = new ArrayList<>();
    for (String red : REDUCTIONS) {
      s.add(make.get().kw("reduction", red));
    }
    return s;
  }

  private static Reduction red(Args a) {
    return Reduction.fromString(a.s("reduction"));
  }

  /** The optional tensor {@code a[i]} (null when the sample has fewer inputs). */
  private static Tensor opt(Args a, int i) {
    return a.tensors().size() > i ? a.t(i) : null;
  }

  private static final String OPT2 = "(a[2] if len(a) > 2 else None)";

  /** Labels -1 and 1 (and 0 where {@code withZero}), never differentiated. */
  private static Sample.Input labels(boolean withZero, long... shape) {
    long numel = 1;
    for (long d : shape) {
      numel *= d;
    }
    double[] v = new double[(int) numel];
    for (int i = 0; i < v.length; i++) {
      v[i] = withZero && i % 3 == 2 ? 0.0 : (i % 2 == 0 ? 1.0 : -1.0);
    }
    return values(v, shape).constant();
  }

  // ---------------------------------------------------------------- binary_cross_entropy

  private static void binaryCrossEntropy(List<OpInfo> r) {
    op(r, "nn.functional.binary_cross_entropy").torch("F.binary_cross_entropy(a[0], a[1])")
        .java("Functional.binaryCrossEntropy(Tensor,Tensor)",
            a -> Functional.binaryCrossEntropy(a.t(0), a.t(1)))
        .samples(
            Sample.of(u(3, 4), u(3, 4)),
            Sample.of(u(3, 4).transposed(), u(3, 4)),
            Sample.of(u(), u()),
            Sample.of(u(0, 3), u(0, 3)),
            // 0 and 1 exactly: the logs clamped to -100 (PyTorch's gradients there are finite too)
            Sample.of(values(new double[] {0.0, 1.0, 0.5, 1.0}, 4),
                values(new double[] {0.25, 0.5, 0.0, 1.0}, 4)).nonSmooth())
        .errors(
            Sample.of(n(3, 4), u(3, 4)),
            Sample.of(u(3), u(2)),
            Sample.of(u(3), index(2, 3)));
    List<Sample> full = new ArrayList<>(everyReduction(
        () -> Sample.of(u(3, 4), u(3, 4), p(4).constant())));
    full.add(Sample.of(u(2, 3), u(2, 3), p(2, 1).constant()).kw("reduction", "mean"));
    full.add(Sample.of(u(2, 3), u(2, 3)).kw("reduction", "sum"));
    full.add(Sample.of(u(0, 3), u(0, 3), p(3).constant()).kw("reduction", "mean"));
    op(r, "nn.functional.binary_cross_entropy.full")
        .torch("F.binary_cross_entropy(a[0], a[1], weight=" + OPT2 + ", reduction=reduction)")
        .java("Functional.binaryCrossEntropy(Tensor,Tensor,Tensor,Reduction)",
            a -> Functional.binaryCrossEntropy(a.t(0), a.t(1), opt(a, 2), red(a)))
        .samples(full)
        .errors(
            Sample.of(u(2, 3), u(2, 3), p(2).constant()).kw("reduction", "mean"),
            Sample.of(u(2, 3), u(2, 3), p(4, 2, 3).constant()).kw("reduction", "mean"),
            Sample.of(u(2, 3), u(2, 3)).kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- smooth_l1_loss, huber_loss

  private static void smoothL1AndHuber(List<OpInfo> r) {
    op(r, "nn.functional.smooth_l1_loss").torch("F.smooth_l1_loss(a[0], a[1])")
        .java("Functional.smoothL1Loss(Tensor,Tensor)",
            a -> Functional.smoothL1Loss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), n(3, 4)),
            Sample.of(n(3, 4).transposed(), n(3, 4)),
            Sample.of(n(), n()),
            Sample.of(n(0, 2), n(0, 2)),
            // a target of another shape broadcasts (PyTorch warns)
            Sample.of(n(3, 4), n(4)))
        .errors(Sample.of(n(3, 4), n(3)));
    List<Sample> sl1 = new ArrayList<>();
    for (double beta : new double[] {0.5, 0.0, 2.0}) {
      for (Sample s : everyReduction(() -> Sample.of(n(3, 4), n(3, 4)))) {
        sl1.add(s.kw("beta", beta));
      }
    }
    sl1.add(Sample.of(n(2, 1), n(1, 3).transposed()).kw("reduction", "mean").kw("beta", 0.25));
    op(r, "nn.functional.smooth_l1_loss.full")
        .torch("F.smooth_l1_loss(a[0], a[1], reduction=reduction, beta=beta)")
        .java("Functional.smoothL1Loss(Tensor,Tensor,Reduction,double)",
            a -> Functional.smoothL1Loss(a.t(0), a.t(1), red(a), a.d("beta")))
        .samples(sl1)
        .errors(
            Sample.of(n(3), n(3)).kw("reduction", "mean").kw("beta", -1.0),
            Sample.of(n(3), n(3)).kw("reduction", "batchmean").kw("beta", -1.0));
    op(r, "nn.functional.huber_loss").torch("F.huber_loss(a[0], a[1])")
        .java("Functional.huberLoss(Tensor,Tensor)",
            a -> Functional.huberLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), n(3, 4)),
            Sample.of(n(3, 4).transposed(), n(3, 4)),
            Sample.of(n(), n()),
            Sample.of(n(0, 2), n(0, 2)),
            Sample.of(n(4), n(3, 4)))
        .errors(Sample.of(n(3, 4), n(2, 4)));
    List<Sample> hub = new ArrayList<>();
    for (double delta : new double[] {0.5, 2.0}) {
      for (Sample s : everyReduction(() -> Sample.of(n(3, 4), n(3, 4)))) {
        hub.add(s.kw("delta", delta));
      }
    }
    op(r, "nn.functional.huber_loss.full")
        .torch("F.huber_loss(a[0], a[1], reduction=reduction, delta=delta)")
        .java("Functional.huberLoss(Tensor,Tensor,Reduction,double)",
            a -> Functional.huberLoss(a.t(0), a.t(1), red(a), a.d("delta")))
        .samples(hub)
        .errors(
            Sample.of(n(3), n(3)).kw("reduction", "mean").kw("delta", 0.0),
            Sample.of(n(3), n(3)).kw("reduction", "sum").kw("delta", -1.0));
  }

  // ---------------------------------------------------------------- soft_margin_loss

  private static void softMargin(List<OpInfo> r) {
    op(r, "nn.functional.soft_margin_loss").torch("F.soft_margin_loss(a[0], a[1])")
        .java("Functional.softMarginLoss(Tensor,Tensor)",
            a -> Functional.softMarginLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), labels(false, 3, 4)),
            Sample.of(n(3, 4).transposed(), labels(false, 3, 4)),
            Sample.of(n(), labels(false)),
            Sample.of(n(0, 3), labels(false, 0, 3)),
            Sample.of(n(3, 4), labels(false, 4)))
        .errors(Sample.of(n(4), labels(false, 3, 4)));
    op(r, "nn.functional.soft_margin_loss.reduction")
        .torch("F.soft_margin_loss(a[0], a[1], reduction=reduction)")
        .java("Functional.softMarginLoss(Tensor,Tensor,Reduction)",
            a -> Functional.softMarginLoss(a.t(0), a.t(1), red(a)))
        .samples(everyReduction(() -> Sample.of(n(3, 4), labels(false, 3, 4))))
        .errors(Sample.of(n(3), labels(false, 3)).kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- kl_div

  private static void klDiv(List<OpInfo> r) {
    op(r, "nn.functional.kl_div").torch("F.kl_div(a[0], a[1])")
        .java("Functional.klDiv(Tensor,Tensor)", a -> Functional.klDiv(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), u(3, 4)),
            Sample.of(n(3, 4).transposed(), u(3, 4)),
            Sample.of(n(), u()),
            Sample.of(n(3, 4), u(4)))
        .errors(Sample.of(n(3), index(3, 3)));
    List<Sample> kl = new ArrayList<>();
    for (boolean logTarget : new boolean[] {false, true}) {
      for (String red : new String[] {"none", "mean", "sum", "batchmean"}) {
        kl.add(Sample.of(n(3, 4), logTarget ? n(3, 4) : u(3, 4)).kw("reduction", red)
            .kw("log_target", logTarget));
      }
    }
    kl.add(Sample.of(n(), u()).kw("reduction", "batchmean").kw("log_target", false));
    kl.add(Sample.of(n(0, 4), u(0, 4)).kw("reduction", "batchmean").kw("log_target", false));
    kl.add(Sample.of(n(2, 3, 2), n(3, 2).transposed()).kw("reduction", "batchmean")
        .kw("log_target", true));
    // a zero target adds 0 (xlogy); its own gradient is NaN in PyTorch, so it stays constant
    kl.add(Sample.of(n(4), values(new double[] {0.0, 0.5, 0.25, 0.25}, 4).constant())
        .kw("reduction", "sum").kw("log_target", false));
    op(r, "nn.functional.kl_div.full")
        .torch("F.kl_div(a[0], a[1], reduction=reduction, log_target=log_target)")
        .java("Functional.klDiv(Tensor,Tensor,Reduction,boolean)",
            a -> Functional.klDiv(a.t(0), a.t(1), red(a), a.b("log_target")))
        .samples(kl)
        .errors(Sample.of(index(3, 3), n(3)).kw("reduction", "sum").kw("log_target", true));
  }

  // ---------------------------------------------------------------- poisson_nll_loss

  private static void poissonNll(List<OpInfo> r) {
    op(r, "nn.functional.poisson_nll_loss").torch("F.poisson_nll_loss(a[0], a[1])")
        .java("Functional.poissonNllLoss(Tensor,Tensor)",
            a -> Functional.poissonNllLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), p(3, 4)),
            Sample.of(n(3, 4).transposed(), p(3, 4)),
            Sample.of(n(), p()),
            Sample.of(n(0, 3), p(0, 3)),
            Sample.of(n(3, 4), p(4)));
    List<Sample> s = new ArrayList<>();
    for (boolean logInput : new boolean[] {true, false}) {
      for (boolean full : new boolean[] {false, true}) {
        for (Sample x : everyReduction(() -> Sample.of(logInput ? n(3, 4) : p(3, 4), p(3, 4)))) {
          s.add(x.kw("log_input", logInput).kw("full", full).kw("eps", 1e-8));
        }
      }
    }
    s.add(Sample.of(p(2, 3), p(2, 3)).kw("log_input", false).kw("full", true).kw("eps", 0.1)
        .kw("reduction", "mean"));
    op(r, "nn.functional.poisson_nll_loss.full")
        .torch("F.poisson_nll_loss(a[0], a[1], log_input=log_input, full=full, eps=eps,"
            + " reduction=reduction)")
        .java("Functional.poissonNllLoss(Tensor,Tensor,boolean,boolean,double,Reduction)",
            a -> Functional.poissonNllLoss(a.t(0), a.t(1), a.b("log_input"), a.b("full"),
                a.d("eps"), red(a)))
        .samples(s)
        .errors(Sample.of(n(3), p(3)).kw("log_input", true).kw("full", false).kw("eps", 1e-8)
            .kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- gaussian_nll_loss

  private static void gaussianNll(List<OpInfo> r) {
    op(r, "nn.functional.gaussian_nll_loss").torch("F.gaussian_nll_loss(a[0], a[1], a[2])")
        .java("Functional.gaussianNllLoss(Tensor,Tensor,Tensor)",
            a -> Functional.gaussianNllLoss(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(n(3, 4), n(3, 4), p(3, 4)),
            // homoscedastic: one variance per row, without or with the last dim
            Sample.of(n(3, 4), n(3, 4), p(3)),
            Sample.of(n(3, 4), n(3, 4), p(3, 1)),
            Sample.of(n(3, 4).transposed(), n(3, 4), p(3, 4).transposed()),
            Sample.of(n(4), n(4), p()),
            Sample.of(n(), n(), p()),
            Sample.of(n(0, 2), n(0, 2), p(0, 2)),
            // the target broadcasts
            Sample.of(n(3, 4), n(4), p(3, 4)))
        .errors(
            Sample.of(n(3, 4), n(3, 4), p(4)),
            Sample.of(n(3, 4), n(3, 4), p()),
            Sample.of(n(3, 4), n(3, 4), n(3, 4)));
    List<Sample> s = new ArrayList<>();
    for (boolean full : new boolean[] {false, true}) {
      for (Sample x : everyReduction(() -> Sample.of(n(3, 4), n(3, 4), p(3, 4)))) {
        s.add(x.kw("full", full).kw("eps", 1e-6));
      }
    }
    // variances under eps are clamped to it, their gradient passed straight through (a kink for
    // finite differences)
    s.add(Sample.of(n(4), n(4), values(new double[] {1e-8, 0.5, 0.0, 2.0}, 4))
        .kw("full", true).kw("eps", 1e-3).kw("reduction", "sum").nonSmooth());
    op(r, "nn.functional.gaussian_nll_loss.full")
        .torch("F.gaussian_nll_loss(a[0], a[1], a[2], full=full, eps=eps, reduction=reduction)")
        .java("Functional.gaussianNllLoss(Tensor,Tensor,Tensor,boolean,double,Reduction)",
            a -> Functional.gaussianNllLoss(a.t(0), a.t(1), a.t(2), a.b("full"),
                a.d("eps"), red(a)))
        .samples(s)
        .errors(
            Sample.of(n(3, 4), n(3, 4), p(3, 4)).kw("full", false).kw("eps", 1e-6)
                .kw("reduction", "batchmean"),
            Sample.of(n(3, 4), n(3, 4), p(3, 2)).kw("full", false).kw("eps", 1e-6)
                .kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- margin_ranking_loss

  private static void marginRanking(List<OpInfo> r) {
    op(r, "nn.functional.margin_ranking_loss")
        .torch("F.margin_ranking_loss(a[0], a[1], a[2])")
        .java("Functional.marginRankingLoss(Tensor,Tensor,Tensor)",
            a -> Functional.marginRankingLoss(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(n(6), n(6), labels(false, 6)),
            Sample.of(n(), n(), labels(false)),
            Sample.of(n(0), n(0), labels(false, 0)))
        .errors(Sample.of(n(3), n(3), n(3, 1)));
    List<Sample> s = new ArrayList<>();
    for (Sample x : everyReduction(() -> Sample.of(n(3, 4), n(3, 4), n(3, 4)))) {
      s.add(x.kw("margin", 0.5));
    }
    s.add(Sample.of(n(3, 1), n(1, 4), labels(false, 3, 4)).kw("margin", 0.1)
        .kw("reduction", "mean"));
    s.add(Sample.of(n(3, 4).transposed(), n(3, 4), n(3, 4)).kw("margin", -0.25)
        .kw("reduction", "sum"));
    op(r, "nn.functional.margin_ranking_loss.full")
        .torch("F.margin_ranking_loss(a[0], a[1], a[2], margin=margin, reduction=reduction)")
        .java("Functional.marginRankingLoss(Tensor,Tensor,Tensor,double,Reduction)",
            a -> Functional.marginRankingLoss(a.t(0), a.t(1), a.t(2), a.d("margin"),
                red(a)))
        .samples(s)
        .errors(Sample.of(n(3), n(3), n(3)).kw("margin", 0.0).kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- hinge_embedding_loss

  private static void hingeEmbedding(List<OpInfo> r) {
    op(r, "nn.functional.hinge_embedding_loss")
        .torch("F.hinge_embedding_loss(a[0], a[1])")
        .java("Functional.hingeEmbeddingLoss(Tensor,Tensor)",
            a -> Functional.hingeEmbeddingLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), labels(false, 3, 4)),
            Sample.of(n(3, 4).transposed(), labels(false, 3, 4)),
            Sample.of(n(), labels(false)),
            Sample.of(n(0, 2), labels(false, 0, 2)),
            Sample.of(n(4), labels(true, 3, 4)));
    List<Sample> s = new ArrayList<>();
    for (Sample x : everyReduction(() -> Sample.of(n(3, 4), labels(true, 3, 4)))) {
      s.add(x.kw("margin", 0.5));
    }
    s.add(Sample.of(n(3, 4), labels(false, 4)).kw("margin", 2.0).kw("reduction", "sum"));
    op(r, "nn.functional.hinge_embedding_loss.full")
        .torch("F.hinge_embedding_loss(a[0], a[1], margin=margin, reduction=reduction)")
        .java("Functional.hingeEmbeddingLoss(Tensor,Tensor,double,Reduction)",
            a -> Functional.hingeEmbeddingLoss(a.t(0), a.t(1), a.d("margin"), red(a)))
        .samples(s)
        .errors(Sample.of(n(3), labels(false, 3)).kw("margin", 1.0).kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- cosine_embedding_loss

  private static void cosineEmbedding(List<OpInfo> r) {
    op(r, "nn.functional.cosine_embedding_loss")
        .torch("F.cosine_embedding_loss(a[0], a[1], a[2])")
        .java("Functional.cosineEmbeddingLoss(Tensor,Tensor,Tensor)",
            a -> Functional.cosineEmbeddingLoss(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(n(3, 4), n(3, 4), labels(false, 3)),
            Sample.of(n(3, 4).transposed(), n(3, 4), labels(false, 3)),
            Sample.of(n(5), n(5), labels(false)),
            Sample.of(n(0, 4), n(0, 4), labels(false, 0)))
        .errors(
            Sample.of(n(3, 4), n(3, 4), labels(false, 3, 1)),
            Sample.of(n(3, 4, 2), n(3, 4, 2), labels(false, 3)),
            Sample.of(n(2, 4), n(2, 4), labels(false)),
            Sample.of(n(3, 4), n(3, 5), labels(false, 3)));
    List<Sample> s = new ArrayList<>();
    for (Sample x : everyReduction(() -> Sample.of(n(6, 4), n(6, 4), labels(true, 6)))) {
      s.add(x.kw("margin", 0.25));
    }
    s.add(Sample.of(n(3, 4), n(1, 4), labels(false, 3)).kw("margin", -0.5)
        .kw("reduction", "mean"));
    op(r, "nn.functional.cosine_embedding_loss.full")
        .torch("F.cosine_embedding_loss(a[0], a[1], a[2], margin=margin, reduction=reduction)")
        .java("Functional.cosineEmbeddingLoss(Tensor,Tensor,Tensor,double,Reduction)",
            a -> Functional.cosineEmbeddingLoss(a.t(0), a.t(1), a.t(2), a.d("margin"),
                red(a)))
        .samples(s)
        .errors(Sample.of(n(3, 4), n(3, 4), labels(false, 3)).kw("margin", 0.0)
            .kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- triplet_margin_loss

  private static void tripletMargin(List<OpInfo> r) {
    op(r, "nn.functional.triplet_margin_loss")
        .torch("F.triplet_margin_loss(a[0], a[1], a[2])")
        .java("Functional.tripletMarginLoss(Tensor,Tensor,Tensor)",
            a -> Functional.tripletMarginLoss(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(n(3, 4), n(3, 4), n(3, 4)),
            Sample.of(n(3, 4).transposed(), n(3, 4), n(3, 4).transposed()),
            Sample.of(n(5), n(5), n(5)),
            Sample.of(n(), n(), n()),
            Sample.of(n(0, 4), n(0, 4), n(0, 4)),
            Sample.of(n(3, 4), n(1, 4), n(3, 4)))
        .errors(Sample.of(n(3, 4), n(4), n(3, 4)));
    List<Sample> s = new ArrayList<>();
    for (boolean swap : new boolean[] {false, true}) {
      for (Sample x : everyReduction(() -> Sample.of(n(4, 5), n(4, 5), n(4, 5)))) {
        s.add(x.kw("margin", 1.5).kw("p", 2.0).kw("eps", 1e-6).kw("swap", swap));
      }
    }
    for (double pn : new double[] {1.0, 3.0}) {
      s.add(Sample.of(n(4, 5), n(4, 5), n(4, 5)).kw("margin", 2.0).kw("p", pn).kw("eps", 1e-3)
          .kw("swap", true).kw("reduction", "mean"));
    }
    s.add(Sample.of(n(2, 3, 4), n(2, 3, 4), n(2, 3, 4)).kw("margin", 1.0).kw("p", 2.0)
        .kw("eps", 1e-6).kw("swap", false).kw("reduction", "none"));
    op(r, "nn.functional.triplet_margin_loss.full")
        .torch("F.triplet_margin_loss(a[0], a[1], a[2], margin=margin, p=p, eps=eps, swap=swap,"
            + " reduction=reduction)")
        .java("Functional.tripletMarginLoss(Tensor,Tensor,Tensor,double,double,double,"
                + "boolean,Reduction)",
            a -> Functional.tripletMarginLoss(a.t(0), a.t(1), a.t(2), a.d("margin"),
                a.d("p"), a.d("eps"), a.b("swap"), red(a)))
        .samples(s)
        .errors(Sample.of(n(3, 4), n(3, 4), n(3, 4)).kw("margin", 1.0).kw("p", 2.0)
            .kw("eps", 1e-6).kw("swap", false).kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- multilabel_soft_margin_loss

  private static void multilabelSoftMargin(List<OpInfo> r) {
    op(r, "nn.functional.multilabel_soft_margin_loss")
        .torch("F.multilabel_soft_margin_loss(a[0], a[1])")
        .java("Functional.multilabelSoftMarginLoss(Tensor,Tensor)",
            a -> Functional.multilabelSoftMarginLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(3, 4), u(3, 4)),
            Sample.of(n(3, 4).transposed(), u(3, 4)),
            Sample.of(n(5), u(5)),
            Sample.of(n(0, 4), u(0, 4)),
            Sample.of(n(2, 3, 4), u(2, 3, 4)))
        .errors(Sample.of(n(), u()), Sample.of(n(2, 3), u(2, 4)));
    List<Sample> s = new ArrayList<>(everyReduction(() -> Sample.of(n(3, 4), u(3, 4), p(4))));
    s.add(Sample.of(n(3, 4), u(3, 4)).kw("reduction", "sum"));
    s.add(Sample.of(n(3, 4), u(3, 4), p(3, 1)).kw("reduction", "none"));
    op(r, "nn.functional.multilabel_soft_margin_loss.full")
        .torch("F.multilabel_soft_margin_loss(a[0], a[1], weight=" + OPT2
            + ", reduction=reduction)")
        .java("Functional.multilabelSoftMarginLoss(Tensor,Tensor,Tensor,Reduction)",
            a -> Functional.multilabelSoftMarginLoss(a.t(0), a.t(1), opt(a, 2), red(a)))
        .samples(s)
        .errors(Sample.of(n(3, 4), u(3, 4)).kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- multi_margin_loss

  private static void multiMargin(List<OpInfo> r) {
    op(r, "nn.functional.multi_margin_loss").torch("F.multi_margin_loss(a[0], a[1])")
        .java("Functional.multiMarginLoss(Tensor,Tensor)",
            a -> Functional.multiMarginLoss(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(5, 4), index(4, 5)),
            Sample.of(n(5, 4).transposed(), index(4, 5)),
            Sample.of(n(4), index(4)),
            Sample.of(n(4), index(4, 1)),
            Sample.of(n(), index(1)))
        .errors(
            Sample.of(n(2, 3, 4), index(4, 2)),
            Sample.of(n(3, 0), index(1, 3)),
            Sample.of(n(3, 4), index(4, 2)),
            Sample.of(n(3, 4), index(4, 3, 1)),
            Sample.of(n(3, 4), index(100, 3)),
            Sample.of(n(3, 4), n(3)));
    List<Sample> s = new ArrayList<>();
    for (int pw : new int[] {1, 2}) {
      for (Sample x : everyReduction(() -> Sample.of(n(5, 4), index(4, 5), p(4).constant()))) {
        s.add(x.kw("p", pw).kw("margin", 0.5));
      }
    }
    s.add(Sample.of(n(5, 4), index(4, 5)).kw("p", 2).kw("margin", 1.5).kw("reduction", "sum"));
    s.add(Sample.of(n(4), index(4, 1), p(4).constant()).kw("p", 1).kw("margin", 1.0)
        .kw("reduction", "none"));
    s.add(Sample.of(n(0, 4), index(4, 0)).kw("p", 1).kw("margin", 1.0).kw("reduction", "none"));
    op(r, "nn.functional.multi_margin_loss.full")
        .torch("F.multi_margin_loss(a[0], a[1], p=p, margin=margin, weight=" + OPT2
            + ", reduction=reduction)")
        .java("Functional.multiMarginLoss(Tensor,Tensor,int,double,Tensor,Reduction)",
            a -> Functional.multiMarginLoss(a.t(0), a.t(1), a.i("p"), a.d("margin"),
                opt(a, 2), red(a)))
        .samples(s)
        .errors(
            Sample.of(n(3, 4), index(4, 3)).kw("p", 3).kw("margin", 1.0).kw("reduction", "mean"),
            Sample.of(n(3, 4), index(4, 3), p(1, 4).constant()).kw("p", 1).kw("margin", 1.0)
                .kw("reduction", "mean"),
            Sample.of(n(3, 4), index(4, 3)).kw("p", 1).kw("margin", 1.0)
                .kw("reduction", "batchmean"));
  }

  // ---------------------------------------------------------------- spatial nll / cross entropy

  /** The entry already named {@code name} (OpRegistry's). */
  private static OpInfo find(List<OpInfo> r, String name) {
    return r.stream().filter(o -> o.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no registry entry " + name));
  }

  private static void spatialNllAndCrossEntropy(List<OpInfo> r) {
    // nll_loss over [N, C, d1, ...]: PyTorch's nll_loss2d, on a view [N, C, 1, -1] for 3 or 5+ dims
    List<Sample> nll = new ArrayList<>();
    for (String red : REDUCTIONS) {
      nll.add(Sample.of(n(2, 3, 4), index(3, 2, 4), p(3).constant()).kw("ignore_index", 1)
          .kw("reduction", red));
      nll.add(Sample.of(n(2, 3, 2, 3), index(3, 2, 2, 3), p(3).constant()).kw("ignore_index", 0)
          .kw("reduction", red));
    }
    nll.add(Sample.of(n(2, 3, 2, 1, 2), index(3, 2, 2, 1, 2), p(3).constant())
        .kw("ignore_index", -100).kw("reduction", "mean"));
    nll.add(Sample.of(n(2, 3, 2, 1, 2), index(3, 2, 2, 1, 2), p(3).constant())
        .kw("ignore_index", 2).kw("reduction", "none"));
    nll.add(Sample.of(n(2, 3, 0), index(3, 2, 0), p(3).constant()).kw("ignore_index", -100)
        .kw("reduction", "sum"));
    find(r, "nn.functional.nll_loss.full").samples(nll)
        .errors(
            Sample.of(n(2, 3, 4), index(3, 2, 5), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean"),
            Sample.of(n(2, 3, 4, 1, 1), index(3, 2, 4, 2, 1), p(3).constant())
                .kw("ignore_index", -100).kw("reduction", "mean"),
            Sample.of(n(2, 3, 4, 4), index(3, 2, 4, 3), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean"),
            Sample.of(n(2, 3, 4, 4), index(3, 2, 4), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean"),
            Sample.of(n(2, 3, 4, 4), index(3, 2, 4, 3), p(4).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean"),
            Sample.of(n(2, 3, 4), index(3, 2, 4), p(4).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean"),
            Sample.of(n(2, 3, 4, 4), u(2, 4, 3), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean"),
            Sample.of(n(2, 3, 4), index(5, 2, 4), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "sum"));
    // Reduction.BATCHMEAN exists for kl_div; the other losses refuse it with PyTorch's message
    find(r, "nn.functional.mse_loss.reduction")
        .errors(Sample.of(n(3), n(3)).kw("reduction", "batchmean"));
    find(r, "nn.functional.cross_entropy.reduction")
        .errors(Sample.of(n(4, 3), index(3, 4)).kw("reduction", "batchmean"));
    find(r, "nn.functional.nll_loss").samples(
        Sample.of(n(2, 3, 4), index(3, 2, 4)),
        Sample.of(n(3, 4, 2).transposed(), index(4, 3, 2)));
    // cross_entropy over [N, C, d1, ...]: class indices (weights, ignore_index, smoothing) and
    // probability targets of the input's shape
    List<Sample> ce = new ArrayList<>();
    for (String red : REDUCTIONS) {
      ce.add(Sample.of(n(2, 3, 4), index(3, 2, 4), p(3).constant()).kw("ignore_index", 1)
          .kw("reduction", red).kw("label_smoothing", 0.0));
      ce.add(Sample.of(n(2, 3, 2, 2), index(3, 2, 2, 2), p(3).constant()).kw("ignore_index", 2)
          .kw("reduction", red).kw("label_smoothing", 0.2));
      ce.add(Sample.of(n(2, 3, 4), u(2, 3, 4), p(3).constant()).kw("ignore_index", -100)
          .kw("reduction", red).kw("label_smoothing", 0.1));
    }
    ce.add(Sample.of(n(2, 3, 2, 1, 2), index(3, 2, 2, 1, 2), p(3).constant())
        .kw("ignore_index", -100).kw("reduction", "none").kw("label_smoothing", 0.3));
    ce.add(Sample.of(n(2, 3, 2, 1, 2), u(2, 3, 2, 1, 2), p(3).constant())
        .kw("ignore_index", -100).kw("reduction", "mean").kw("label_smoothing", 0.0));
    ce.add(Sample.of(n(0, 3, 2), index(3, 0, 2), p(3).constant()).kw("ignore_index", -100)
        .kw("reduction", "none").kw("label_smoothing", 0.0));
    find(r, "nn.functional.cross_entropy.full").samples(ce)
        .errors(
            Sample.of(n(2, 3, 4), u(2, 3, 5), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean").kw("label_smoothing", 0.0),
            Sample.of(n(2, 3, 4), u(2, 3, 4), p(4).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean").kw("label_smoothing", 0.0),
            Sample.of(n(2, 3, 4), u(2, 3, 4), p(3).constant()).kw("ignore_index", 1)
                .kw("reduction", "mean").kw("label_smoothing", 0.0),
            Sample.of(n(2, 3, 2, 2), index(3, 2, 2, 3), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean").kw("label_smoothing", 0.3),
            Sample.of(n(2, 3, 2, 2), index(3, 2, 2, 2), p(4).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean").kw("label_smoothing", 0.3),
            Sample.of(n(2, 3, 2), index(6, 2, 2), p(3).constant()).kw("ignore_index", -100)
                .kw("reduction", "mean").kw("label_smoothing", 0.3));
  }
}
