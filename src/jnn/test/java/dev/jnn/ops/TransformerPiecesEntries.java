package dev.jnn.ops;

import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * Registry entries of issue 19 part 3 (what Transformer models need besides attention): RMS
 * norm, channel-wise dropout and the embedding's options, in their own file beside {@link
 * NewOpsEntries3}, appended by {@link OpRegistry#all()}. (Layer norm without a bias, PyTorch 2.1's
 * {@code bias=False}, is a sample of OpRegistry's {@code nn.functional.layer_norm.affine}: one
 * Java method, one entry.)
 *
 * <ul>
 *   <li>{@code F.rms_norm} is PyTorch 2.4's and torch 1.13 has none: its PyTorch call is {@code
 *       torch2x.rms_norm} of {@code scripts/golden/torch2x.py}, 2.4's composite written with 1.13's
 *       ops (the same ops, so the same {@code grad_fn}), whose input checks are 1.13's {@code
 *       F.layer_norm}'s, which have 2.4's {@code rms_norm} messages.
 *   <li>Dropout is random: the samples are the deterministic paths (evaluation, {@code p = 0},
 *       {@code p = 1}, empty input) and the errors; the random path is tested statistically in
 *       {@code TransformerPiecesTest}, and across devices in {@code CudaParitySuite}. In-place
 *       samples use inputs that do not require grad (PyTorch refuses an in-place op on a leaf
 *       that does).
 *   <li>{@code max_norm} renormalises the looked-up rows of the weight (an input) in place before
 *       the lookup, PyTorch's and jnn's alike, so the golden test compares the output and
 *       gradients of the renormalised weight; its samples where rows exceed {@code max_norm} are
 *       {@link Sample#nonSmooth()}, because the finite-difference check would move rows across
 *       the limit and renormalise the perturbed weight in place between its evaluations. So are
 *       the {@code scale_grad_by_freq} samples: that gradient is divided by the index counts on
 *       purpose and is not the derivative, so only the golden test can pin it.
 * </ul>
 */
final class TransformerPiecesEntries {
  private TransformerPiecesEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    rmsNorm(r);
    dropout(r, 1);
    dropout(r, 2);
    dropout(r, 3);
    embedding(r);
  }

  // ---------------------------------------------------------------- rms norm (PyTorch 2.4+)

  private static void rmsNorm(List<OpInfo> r) {
    op(r, "nn.functional.rms_norm").torch("torch2x.rms_norm(a[0], normalized_shape)")
        .java("Functional.rmsNorm(Tensor,long[])",
            a -> Functional.rmsNorm(a.t(0), a.longs("normalized_shape")))
        .samples(
            Sample.of(n(4, 5, 6)).kw("normalized_shape", new int[] {6}),
            Sample.of(n(2, 3, 4).transposed()).kw("normalized_shape", new int[] {3, 4}),
            Sample.of(n(6)).kw("normalized_shape", new int[] {6}),
            Sample.of(n(0, 4)).kw("normalized_shape", new int[] {4}))
        .errors(
            Sample.of(n(4, 5, 6)).kw("normalized_shape", new int[] {7}),
            Sample.of(n(4, 5, 6)).kw("normalized_shape", new int[] {}),
            Sample.of(n(5)).kw("normalized_shape", new int[] {2, 5}));
    // a[1], when there is one, is the weight
    op(r, "nn.functional.rms_norm.full")
        .torch("torch2x.rms_norm(a[0], normalized_shape, a[1] if len(a) > 1 else None, eps)")
        .java("Functional.rmsNorm(Tensor,long[],Tensor,Double)",
            a -> Functional.rmsNorm(a.t(0), a.longs("normalized_shape"),
                a.tensors().size() > 1 ? a.t(1) : null, a.doubleOrNull("eps")))
        .samples(
            Sample.of(n(4, 5, 6), n(6)).kw("normalized_shape", new int[] {6}).kw("eps", 1e-5),
            Sample.of(n(2, 3, 4), n(3, 4).transposed()).kw("normalized_shape", new int[] {3, 4})
                .kw("eps", null),
            Sample.of(n(3, 4).transposed(), n(4)).kw("normalized_shape", new int[] {4})
                .kw("eps", 0.5),
            Sample.of(n(2, 5)).kw("normalized_shape", new int[] {5}).kw("eps", 1e-3),
            Sample.of(n(0, 2, 3), n(2, 3)).kw("normalized_shape", new int[] {2, 3})
                .kw("eps", null))
        .errors(
            Sample.of(n(4, 5, 6), n(5)).kw("normalized_shape", new int[] {6}).kw("eps", null),
            Sample.of(n(4, 5, 6), n(7)).kw("normalized_shape", new int[] {7}).kw("eps", 1e-5));
  }

  // ---------------------------------------------------------------- dropout1d/2d/3d

  private static void dropout(List<OpInfo> r, int k) {
    String f = "dropout" + k + "d";
    // a sample per rank the function treats differently: batched, unbatched (1d, 3d) or
    // deprecated (2d, 3d)
    long[][] shapes = switch (k) {
      case 1 -> new long[][] {{2, 3, 4}, {3, 4}};
      case 2 -> new long[][] {{2, 3, 4, 2}, {2, 3, 4}, {3, 4}, {5}};
      default -> new long[][] {{2, 3, 2, 2, 2}, {3, 2, 2, 2}, {3, 4}};
    };
    long[] batched = shapes[0];
    long[] wrongRank = switch (k) {
      case 1 -> new long[] {2, 3, 4, 5};
      case 2 -> new long[] {3};
      default -> new long[] {};
    };
    OpInfo plain = op(r, "nn.functional." + f).torch("F." + f + "(a[0], p, training)");
    plain.java("Functional." + f + "(Tensor,double,boolean)",
        a -> call(k, a.t(0), a.d("p"), a.b("training"), false));
    OpInfo inplace = op(r, "nn.functional." + f + ".inplace")
        .torch("F." + f + "(a[0], p, training, inplace)");
    inplace.java("Functional." + f + "(Tensor,double,boolean,boolean)",
        a -> call(k, a.t(0), a.d("p"), a.b("training"), a.b("inplace")));
    for (long[] s : shapes) {
      for (Object[] pt : new Object[][] {{0.5, false}, {0.0, true}, {1.0, true}}) {
        plain.samples(Sample.of(n(s)).kw("p", pt[0]).kw("training", pt[1]));
        inplace.samples(
            Sample.of(n(s).constant()).kw("p", pt[0]).kw("training", pt[1]).kw("inplace", true));
      }
    }
    long[] empty = batched.clone();
    empty[0] = 0;
    plain.samples(
        Sample.of(n(empty)).kw("p", 0.5).kw("training", true),
        Sample.of(n(batched).transposed()).kw("p", 1.0).kw("training", true));
    inplace.samples(
        Sample.of(n(batched)).kw("p", 1.0).kw("training", true).kw("inplace", false),
        Sample.of(n(batched).transposed().constant()).kw("p", 1.0).kw("training", true)
            .kw("inplace", true));
    plain.errors(
        Sample.of(n(batched)).kw("p", 1.5).kw("training", true),
        Sample.of(n(batched)).kw("p", -0.25).kw("training", false),
        Sample.of(n(wrongRank)).kw("p", 0.5).kw("training", true),
        Sample.of(index(5, batched)).kw("p", 0.5).kw("training", true));
    inplace.errors(
        Sample.of(n(batched)).kw("p", 2.0).kw("training", true).kw("inplace", true),
        Sample.of(n(wrongRank)).kw("p", 0.5).kw("training", true).kw("inplace", true));
  }

  private static Tensor call(int k, Tensor x, double p, boolean training, boolean inplace) {
    return switch (k) {
      case 1 -> Functional.dropout1d(x, p, training, inplace);
      case 2 -> Functional.dropout2d(x, p, training, inplace);
      default -> Functional.dropout3d(x, p, training, inplace);
    };
  }

  // ---------------------------------------------------------------- embedding's options

  private static Sample emb(Sample.Input indices, Sample.Input weight, Integer paddingIdx,
      Double maxNorm, String normType, boolean scaleGradByFreq) {
    return Sample.of(indices, weight).kw("padding_idx", paddingIdx).kw("max_norm", maxNorm)
        .kw("norm_type", normType).kw("scale_grad_by_freq", scaleGradByFreq)
        .kw("sparse", false);
  }

  private static void embedding(List<OpInfo> r) {
    // norm_type as a string: JSON has no infinity (Python's float and Java's parseDouble read it)
    op(r, "nn.functional.embedding.full")
        .torch("F.embedding(a[0], a[1], padding_idx, max_norm, float(norm_type),"
            + " scale_grad_by_freq, sparse)")
        .java("Functional.embedding(Tensor,Tensor,Integer,Double,double,boolean,boolean)",
            a -> Functional.embedding(a.t(0), a.t(1), a.intOrNull("padding_idx"),
                a.doubleOrNull("max_norm"), Double.parseDouble(a.s("norm_type")),
                a.b("scale_grad_by_freq"), a.b("sparse")))
        .samples(
            emb(index(10, 2, 3), n(10, 4), null, null, "2.0", false),
            // repeated indices: 9 draws from 4 rows; scale_grad_by_freq's gradient is not the
            // derivative (it divides by the counts on purpose): pinned by the golden test only
            emb(index(4, 3, 3), n(4, 5), null, null, "2.0", true).nonSmooth(),
            emb(index(4, 3, 3), n(4, 2), -1, null, "2.0", true).nonSmooth(),
            emb(index(6, 2, 4), n(6, 3), null, 1.0, "2.0", false).nonSmooth(),
            // a non-contiguous weight, renormalised in place through its view
            emb(index(6, 5), n(6, 3).transposed(), null, 1.5, "1.0", true).nonSmooth(),
            emb(index(5, 7), n(5, 4), 2, 0.5, "Infinity", false).nonSmooth(),
            emb(index(5, 3, 2), n(5, 2), null, 3.0, "3.0", false).nonSmooth(),
            // no row reaches the limit (|row| < 2 * sqrt(2)): smooth, the weight unchanged
            emb(index(5, 4), n(5, 2), null, 100.0, "2.0", false),
            emb(index(4, 0), n(4, 3), null, 1.0, "2.0", true).nonSmooth())
        .errors(
            emb(index(100, 3), n(5, 3), null, 1.0, "2.0", false),
            emb(index(3, 2), n(5), null, 1.0, "2.0", false),
            emb(n(2), n(5, 3), null, 1.0, "2.0", false),
            emb(index(5, 2), n(5, 3), 5, null, "2.0", false),
            emb(index(5, 2), n(5, 3), -6, 1.0, "2.0", false),
            emb(index(100, 3), n(5, 3), null, null, "2.0", true));
  }
}
