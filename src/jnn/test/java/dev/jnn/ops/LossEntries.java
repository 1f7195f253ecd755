package dev.jnn.ops;

import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.p;
import static dev.jnn.ops.Sample.u;

import java.util.ArrayList;
import java.util.List;

/**
 * Registry entries of issue 20 (the losses), in their own file beside {@link NewOpsEntries3};
 * {@link OpRegistry#all()} appends them before sealing. So far: the spatial samples of {@code
 * nll_loss} / {@code cross_entropy} ({@code [N, C, d1, ...]} inputs with weights, {@code
 * ignore_index}, label smoothing and probability targets, every reduction) and their error
 * inputs, added to the entries {@code OpRegistry} has.
 */
final class LossEntries {
  private LossEntries() {}

  static void add(List<OpInfo> r) {
    spatialNllAndCrossEntropy(r);
  }

  private static final String[] REDUCTIONS = {"none", "mean", "sum"};

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
