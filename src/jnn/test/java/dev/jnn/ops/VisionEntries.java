package dev.jnn.ops;

import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.p;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * Registry entries of issue 20 part 1 (vision layers' functionals): {@code F.group_norm}, {@code
 * F.instance_norm} and {@code F.local_response_norm}, in their own file beside {@link
 * TransformerPiecesEntries}, appended by {@link OpRegistry#all()}. (The padding layers call the
 * {@code F.pad} entries of {@link OpRegistry}.)
 *
 * <ul>
 *   <li>Group norm is composed of tensor ops in jnn, one kernel in PyTorch: its {@code grad_fn}
 *       deviates.
 *   <li>Instance norm is ATen's composite (batch norm of a {@code [1, N * C, *]} view, then {@code
 *       view}), so its {@code grad_fn} is PyTorch's {@code ViewBackward0}. Running statistics are
 *       constant inputs that a training sample updates in place, in PyTorch and in jnn alike
 *       (the inputs are recorded before the call); the update itself is pinned by the layer
 *       goldens ({@code scripts/golden/layers.py}).
 *   <li>Local response norm is 1.13's Python composite ({@code DivBackward0}); its pooling runs as
 *       2-d average pooling where 1.13 pools 4-d and larger inputs in 3-d (the same sums).
 * </ul>
 */
final class VisionEntries {
  private VisionEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    groupNorm(r);
    instanceNorm(r);
    localResponseNorm(r);
    shuffles(r);
  }

  private static Tensor opt(Args a, int i) {
    return a.tensors().size() > i ? a.t(i) : null;
  }

  // ---------------------------------------------------------------- group norm

  private static void groupNorm(List<OpInfo> r) {
    String deviates = "jnn composes group_norm of tensor ops; PyTorch NativeGroupNormBackward0";
    op(r, "nn.functional.group_norm").gradFnDeviates(deviates)
        .torch("F.group_norm(a[0], num_groups)")
        .java("Functional.groupNorm(Tensor,int)",
            a -> Functional.groupNorm(a.t(0), a.i("num_groups")))
        .samples(
            Sample.of(n(2, 4, 3)).kw("num_groups", 2),
            Sample.of(n(3, 6)).kw("num_groups", 3),
            Sample.of(n(2, 4, 3, 2).transposed()).kw("num_groups", 4))
        .errors(
            Sample.of(n(2, 4, 3)).kw("num_groups", 3),
            Sample.of(n(2, 4, 3)).kw("num_groups", -2),
            Sample.of(n(2, 4, 3)).kw("num_groups", 0),
            Sample.of(n(1, 2)).kw("num_groups", 2),
            Sample.of(n(4)).kw("num_groups", 2));
    op(r, "nn.functional.group_norm.full").gradFnDeviates(deviates)
        .torch("F.group_norm(a[0], num_groups, a[1] if len(a) > 1 else None,"
            + " a[2] if len(a) > 2 else None, eps)")
        .java("Functional.groupNorm(Tensor,int,Tensor,Tensor,double)",
            a -> Functional.groupNorm(a.t(0), a.i("num_groups"), opt(a, 1), opt(a, 2),
                a.d("eps")))
        .samples(
            Sample.of(n(2, 6, 4), n(6), n(6)).kw("num_groups", 3).kw("eps", 1e-5),
            Sample.of(n(3, 4, 2, 3), n(4), n(4)).kw("num_groups", 1).kw("eps", 0.1),
            Sample.of(n(2, 4, 5), n(4)).kw("num_groups", 2).kw("eps", 1e-5),
            Sample.of(n(2, 4, 3).transposed(), n(4), n(4)).kw("num_groups", 4).kw("eps", 1e-3),
            Sample.of(n(0, 4, 3), n(4), n(4)).kw("num_groups", 2).kw("eps", 1e-5))
        .errors(
            Sample.of(n(2, 4, 3), n(3)).kw("num_groups", 2).kw("eps", 1e-5),
            Sample.of(n(2, 4, 3), n(4), n(5)).kw("num_groups", 2).kw("eps", 1e-5),
            Sample.of(n(2, 4, 3), n(2, 2)).kw("num_groups", 2).kw("eps", 1e-5));
    // (no bias-only entry: 1.13's group_norm with a bias and no weight fails, "tensor does not
    // have a device", where its bias message would print the missing weight's sizes as [0])
  }

  // ---------------------------------------------------------------- instance norm

  /** Inputs: the input, then (stats) running mean and variance, then (affine) weight and bias. */
  private static Sample inorm(long[] shape, boolean transposed, boolean stats, boolean affine,
      boolean useInputStats, double momentum, double eps) {
    long c = shape[1];
    Sample.Input x = transposed ? n(shape).transposed() : n(shape);
    Sample s = stats && affine ? Sample.of(x, n(c).constant(), p(c).constant(), n(c), n(c))
        : stats ? Sample.of(x, n(c).constant(), p(c).constant())
        : affine ? Sample.of(x, n(c), n(c))
        : Sample.of(x);
    return s.kw("stats", stats).kw("affine", affine).kw("use_input_stats", useInputStats)
        .kw("momentum", momentum).kw("eps", eps);
  }

  private static void instanceNorm(List<OpInfo> r) {
    op(r, "nn.functional.instance_norm").torch("F.instance_norm(a[0])")
        .java("Functional.instanceNorm(Tensor)", a -> Functional.instanceNorm(a.t(0)))
        .samples(
            Sample.of(n(2, 3, 4)),
            Sample.of(n(2, 2, 3, 4).transposed()),
            Sample.of(n(1, 2, 2, 2, 2)),
            Sample.of(n(0, 3, 4)))
        .errors(
            Sample.of(n(2, 3, 1)),
            Sample.of(n(2, 3)),
            Sample.of(n(3)));
    op(r, "nn.functional.instance_norm.full")
        .torch("F.instance_norm(a[0], *(a[1:3] if stats else [None, None]),"
            + " *(a[-2:] if affine else [None, None]), use_input_stats=use_input_stats,"
            + " momentum=momentum, eps=eps)")
        .java("Functional.instanceNorm(Tensor,Tensor,Tensor,Tensor,Tensor,boolean,double,double)",
            a -> {
              boolean stats = a.b("stats");
              boolean affine = a.b("affine");
              int m = a.tensors().size();
              return Functional.instanceNorm(a.t(0), stats ? a.t(1) : null,
                  stats ? a.t(2) : null, affine ? a.t(m - 2) : null, affine ? a.t(m - 1) : null,
                  a.b("use_input_stats"), a.d("momentum"), a.d("eps"));
            })
        .samples(
            inorm(new long[] {2, 3, 4}, false, false, true, true, 0.1, 1e-5),
            inorm(new long[] {2, 3, 4}, false, true, false, true, 0.1, 1e-5),
            inorm(new long[] {3, 2, 2, 3}, true, true, true, true, 0.3, 1e-3),
            inorm(new long[] {2, 3, 4}, false, true, true, false, 0.1, 1e-5),
            inorm(new long[] {2, 3, 1}, false, true, false, false, 0.1, 0.5),
            inorm(new long[] {1, 2, 2, 2, 2}, false, false, false, true, 0.1, 1e-5))
        .errors(
            inorm(new long[] {2, 3, 4}, false, false, false, false, 0.1, 1e-5),
            Sample.of(n(2, 3, 4), n(4).constant(), p(4).constant()).kw("stats", true)
                .kw("affine", false).kw("use_input_stats", true).kw("momentum", 0.1)
                .kw("eps", 1e-5),
            Sample.of(n(2, 3, 4), n(4), n(4)).kw("stats", false).kw("affine", true)
                .kw("use_input_stats", true).kw("momentum", 0.1).kw("eps", 1e-5),
            inorm(new long[] {2, 3, 1}, false, false, true, true, 0.1, 1e-5));
  }

  // ---------------------------------------------------------------- local response norm

  private static void localResponseNorm(List<OpInfo> r) {
    op(r, "nn.functional.local_response_norm").torch("F.local_response_norm(a[0], size)")
        .java("Functional.localResponseNorm(Tensor,int)",
            a -> Functional.localResponseNorm(a.t(0), a.i("size")))
        .samples(
            Sample.of(n(2, 5, 3)).kw("size", 3),
            Sample.of(n(2, 4, 3, 2)).kw("size", 2),
            Sample.of(n(2, 3, 2, 2, 2)).kw("size", 5),
            Sample.of(n(2, 3, 4).transposed()).kw("size", 1))
        .errors(
            Sample.of(n(2, 3)).kw("size", 2),
            Sample.of(n(2, 3, 4)).kw("size", 0),
            Sample.of(n(2, 3, 4, 5)).kw("size", 0),
            Sample.of(n(2, 3, 4, 5)).kw("size", -1));
    op(r, "nn.functional.local_response_norm.full")
        .torch("F.local_response_norm(a[0], size, alpha, beta, k)")
        .java("Functional.localResponseNorm(Tensor,int,double,double,double)",
            a -> Functional.localResponseNorm(a.t(0), a.i("size"), a.d("alpha"), a.d("beta"),
                a.d("k")))
        .samples(
            Sample.of(n(2, 6, 3)).kw("size", 4).kw("alpha", 0.5).kw("beta", 0.6).kw("k", 2.0),
            Sample.of(n(2, 3, 2, 3)).kw("size", 3).kw("alpha", 1e-2).kw("beta", 0.75)
                .kw("k", 1.0),
            Sample.of(n(1, 4, 2, 3).transposed()).kw("size", 2).kw("alpha", 0.3).kw("beta", 1.5)
                .kw("k", 0.5),
            Sample.of(n(0, 3, 4)).kw("size", 2).kw("alpha", 1e-4).kw("beta", 0.75).kw("k", 1.0))
        .errors(
            Sample.of(n(4)).kw("size", 2).kw("alpha", 1e-4).kw("beta", 0.75).kw("k", 1.0));
  }

  // ---------------------------------------------------------------- shuffles and unflatten

  private static void shuffles(List<OpInfo> r) {
    op(r, "nn.functional.pixel_shuffle")
        .gradFnDeviates("jnn composes pixel_shuffle of views (ViewBackward0 / reshape); PyTorch"
            + " PixelShuffleBackward0")
        .torch("F.pixel_shuffle(a[0], upscale_factor)")
        .java("Functional.pixelShuffle(Tensor,int)",
            a -> Functional.pixelShuffle(a.t(0), a.i("upscale_factor")))
        .samples(
            Sample.of(n(2, 8, 2, 3)).kw("upscale_factor", 2),
            Sample.of(n(9, 2, 2)).kw("upscale_factor", 3),
            Sample.of(n(2, 1, 4, 3, 2).transposed()).kw("upscale_factor", 2),
            Sample.of(n(2, 3, 2)).kw("upscale_factor", 1))
        // (no empty-batch sample: 1.13's PixelShuffleBackward0 returns a gradient of the wrong
        // shape for one, "got [0, 1, 4, 4] but expected shape compatible with [0, 4, 2, 2]")
        .errors(
            Sample.of(n(8, 3)).kw("upscale_factor", 2),
            Sample.of(n(2, 8, 3, 3)).kw("upscale_factor", 0),
            Sample.of(n(2, 6, 3, 3)).kw("upscale_factor", 2));
    op(r, "nn.functional.pixel_unshuffle")
        .gradFnDeviates("jnn composes pixel_unshuffle of views (ViewBackward0 / reshape);"
            + " PyTorch PixelUnshuffleBackward0")
        .torch("F.pixel_unshuffle(a[0], downscale_factor)")
        .java("Functional.pixelUnshuffle(Tensor,int)",
            a -> Functional.pixelUnshuffle(a.t(0), a.i("downscale_factor")))
        .samples(
            Sample.of(n(2, 2, 4, 6)).kw("downscale_factor", 2),
            Sample.of(n(1, 3, 3)).kw("downscale_factor", 3),
            Sample.of(n(2, 2, 1, 4, 2).transposed()).kw("downscale_factor", 2))
        .errors(
            Sample.of(n(4, 4)).kw("downscale_factor", 2),
            Sample.of(n(2, 2, 4, 4)).kw("downscale_factor", -1),
            Sample.of(n(2, 2, 3, 6)).kw("downscale_factor", 2),
            Sample.of(n(2, 2, 4, 5)).kw("downscale_factor", 2));
    op(r, "nn.functional.channel_shuffle")
        // 1.13 has no derivative for channel_shuffle: torch2x.channel_shuffle is its checks and
        // value with 2.x's differentiable view composite
        .gradFnDeviates("jnn and torch2x compose channel_shuffle of views; PyTorch's native op")
        .torch("torch2x.channel_shuffle(a[0], groups)")
        .java("Functional.channelShuffle(Tensor,int)",
            a -> Functional.channelShuffle(a.t(0), a.i("groups")))
        .samples(
            Sample.of(n(2, 6, 3)).kw("groups", 2),
            Sample.of(n(2, 6, 2, 2)).kw("groups", 3),
            Sample.of(n(2, 4, 3).transposed()).kw("groups", 4),
            Sample.of(n(0, 4, 2)).kw("groups", 2))
        .errors(
            Sample.of(n(6, 3)).kw("groups", 2),
            Sample.of(n(2, 6, 3)).kw("groups", 0),
            Sample.of(n(2, 6, 3)).kw("groups", 4));
    op(r, "nn.functional.unflatten").torch("a[0].unflatten(dim, sizes)")
        .java("Functional.unflatten(Tensor,int,long[])",
            a -> Functional.unflatten(a.t(0), a.i("dim"), a.longs("sizes")))
        .samples(
            Sample.of(n(4, 6)).kw("dim", 1).kw("sizes", new int[] {2, 3}),
            Sample.of(n(4, 6)).kw("dim", -1).kw("sizes", new int[] {3, -1}),
            Sample.of(n(6, 4).transposed()).kw("dim", 0).kw("sizes", new int[] {2, 1, 3}),
            Sample.of(n(2, 6, 2)).kw("dim", 1).kw("sizes", new int[] {6}),
            Sample.of(n(0, 6)).kw("dim", 0).kw("sizes", new int[] {0, 5}))
        .errors(
            Sample.of(n(4, 5)).kw("dim", 1).kw("sizes", new int[] {2, 3}),
            Sample.of(n(4, 6)).kw("dim", 3).kw("sizes", new int[] {2, 3}),
            Sample.of(n(4, 6)).kw("dim", 1).kw("sizes", new int[] {}),
            Sample.of(n(4, 6)).kw("dim", 1).kw("sizes", new int[] {-1, -1}),
            Sample.of(n(4, 0)).kw("dim", 1).kw("sizes", new int[] {0, -1}),
            Sample.of(n(4, 6)).kw("dim", 1).kw("sizes", new int[] {-2, -3}));
  }
}
