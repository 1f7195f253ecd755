package dev.jnn.ops;

import static dev.jnn.ops.Sample.n;

import dev.jnn.nn.functional.Functional;
import java.util.List;

/**
 * Registry entries of issue 19 part 3 (what Transformer models need besides attention), in their
 * own file beside {@link NewOpsEntries3}, appended by {@link OpRegistry#all()}. (Layer norm
 * without a bias, PyTorch 2.1's {@code bias=False}, is a sample of OpRegistry's {@code
 * nn.functional.layer_norm.affine}: one Java method, one entry.)
 *
 * <ul>
 *   <li>{@code F.rms_norm} is PyTorch 2.4's and torch 1.13 has none: its PyTorch call is {@code
 *       torch2x.rms_norm} of {@code scripts/golden/torch2x.py}, 2.4's composite written with 1.13's
 *       ops (the same ops, so the same {@code grad_fn}), whose input checks are 1.13's {@code
 *       F.layer_norm}'s, which have 2.4's {@code rms_norm} messages.
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
}
