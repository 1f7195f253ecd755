package dev.jnn.ops;

import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;

import dev.jnn.nn.functional.Functional;
import java.util.List;

/**
 * Registry entries of issue 20 part 1 (resampling): {@code F.interpolate} in every mode (and the deprecated
 * {@code F.upsample*}), {@code F.bilinear}, {@code F.affine_grid} and {@code F.grid_sample}, in their own file, appended by {@link OpRegistry#all()}.
 *
 * <ul>
 *   <li>{@code F.interpolate} calls the {@code .vec} overloads of ATen's {@code upsample_*}, whose
 *       nodes PyTorch 1.13 names {@code ...Backward1}; jnn records PyTorch 2.x's names ({@code
 *       UpsampleBilinear2DBackward0}, ...), where those overloads are composites of the plain ones.
 *   <li>{@code F.bilinear} is a composite in jnn: without a bias its node is the final reshape's
 *       ({@code ViewBackward0}), 1.13's is {@code ReshapeAliasBackward0}.
 *   <li>1.13's generic nearest forward computes {@code floor(i / scale)} while its channels-last
 *       forward (4-d or 5-d input with one channel, say) and its backward special-case {@code out
 *       == in} and {@code out == 2 * in} ({@code nearest_idx}): with a scale factor such as 1.1
 *       or 2.1 the generic forward and the backward disagree. jnn does the same; those samples
 *       are marked non-smooth (the golden test pins PyTorch's values and gradients, the
 *       finite-difference check skips them).
 * </ul>
 */
final class SamplingEntries {
  private SamplingEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    interpolate(r);
    deprecatedUpsample(r);
    bilinear(r);
    affineGrid(r);
    gridSample(r);
  }

  private static final String VEC =
      "F.interpolate reaches ATen's .vec overloads: 1.13 names their nodes ...Backward1, jnn"
          + " follows 2.x's ...Backward0";

  /** A sample of the full {@code interpolate}. */
  private static Sample interp(Sample.Input x, int[] size, double[] scale, String mode,
      Boolean align, Boolean recompute) {
    return Sample.of(x).kw("size", size).kw("scale_factor", scale).kw("mode", mode)
        .kw("align_corners", align).kw("recompute_scale_factor", recompute)
        .kw("antialias", false);
  }

  private static int[] ints(int... v) {
    return v;
  }

  private static double[] ds(double... v) {
    return v;
  }

  private static void interpolate(List<OpInfo> r) {
    op(r, "nn.functional.interpolate").gradFnDeviates(VEC)
        .torch("F.interpolate(a[0], size=size, scale_factor=scale_factor, mode=mode,"
            + " align_corners=align_corners, recompute_scale_factor=recompute_scale_factor,"
            + " antialias=antialias)")
        .java("Functional.interpolate(Tensor,int[],double[],String,Boolean,Boolean,boolean)",
            a -> Functional.interpolate(a.t(0), a.intsOrNull("size"),
                a.doublesOrNull("scale_factor"), a.s("mode"), a.boolOrNull("align_corners"),
                a.boolOrNull("recompute_scale_factor"), a.b("antialias")))
        .samples(
            // nearest, 1-d to 3-d, sizes and scales
            interp(n(2, 3, 4), ints(7), null, "nearest", null, null),
            interp(n(2, 2, 3, 4), null, ds(2.0, 1.5), "nearest", null, null),
            interp(n(1, 2, 5, 4).transposed(), ints(3, 7), null, "nearest", null, null),
            interp(n(1, 2, 2, 3, 2), null, ds(1.5, 2.0, 2.5), "nearest", null, true),
            interp(n(0, 2, 3, 4), ints(5, 6), null, "nearest", null, null),
            // nearest_idx's special cases with a scale factor that is not 1 or 2
            interp(n(2, 3, 5), null, ds(1.1), "nearest", null, null).nonSmooth(),
            interp(n(2, 3, 5), null, ds(2.1), "nearest", null, null).nonSmooth(),
            interp(n(1, 2, 5, 5), null, ds(2.1, 1.1), "nearest", null, null).nonSmooth(),
            interp(n(2, 1, 5, 5), null, ds(2.1, 1.1), "nearest", null, null),
            interp(n(1, 2, 2, 5, 3), null, ds(1.1, 2.1, 1.5), "nearest", null, null).nonSmooth(),
            interp(n(1, 1, 2, 5, 3), null, ds(1.1, 2.1, 1.5), "nearest", null, null),
            // nearest-exact
            interp(n(2, 3, 5), null, ds(1.7), "nearest-exact", null, null),
            interp(n(1, 2, 3, 5), ints(4, 3), null, "nearest-exact", null, null),
            interp(n(1, 2, 2, 3, 4), ints(3, 5, 3), null, "nearest-exact", null, null),
            // linear, bilinear, trilinear, with and without align_corners and the user's scale
            interp(n(2, 3, 4), ints(7), null, "linear", null, null),
            interp(n(2, 3, 5), null, ds(0.6), "linear", true, null),
            interp(n(2, 2, 3, 4), ints(5, 7), null, "bilinear", false, null),
            interp(n(2, 2, 3, 4), ints(5, 7), null, "bilinear", true, null),
            interp(n(1, 3, 4, 5).transposed(), null, ds(1.7, 0.8), "bilinear", null, null),
            interp(n(1, 2, 4, 3), null, ds(1.7, 2.2), "bilinear", null, true),
            interp(n(1, 2, 3, 4), ints(1, 1), null, "bilinear", true, null),
            interp(n(1, 2, 2, 3, 4), ints(3, 4, 3), null, "trilinear", false, null),
            interp(n(1, 2, 3, 2, 3), null, ds(1.5, 2.0, 1.3), "trilinear", true, null),
            // bicubic
            interp(n(1, 2, 4, 5), ints(6, 7), null, "bicubic", null, null),
            interp(n(2, 1, 4, 4), ints(7, 3), null, "bicubic", true, null),
            interp(n(1, 2, 3, 4), null, ds(1.6, 2.3), "bicubic", false, null),
            // anti-aliased bilinear and bicubic (Pillow-style filters), down and up
            interp(n(1, 2, 8, 9), ints(3, 4), null, "bilinear", false, null).kw("antialias", true),
            interp(n(2, 1, 5, 6), ints(7, 3), null, "bilinear", true, null).kw("antialias", true),
            interp(n(1, 2, 9, 7).transposed(), null, ds(0.4, 0.5), "bicubic", null, null)
                .kw("antialias", true),
            interp(n(1, 2, 4, 5), ints(6, 3), null, "bicubic", true, null).kw("antialias", true),
            interp(n(1, 1, 6, 6), null, ds(0.5, 1.5), "bilinear", null, true)
                .kw("antialias", true),
            // area: adaptive average pooling
            interp(n(2, 2, 6, 5), ints(3, 2), null, "area", null, null),
            interp(n(1, 2, 5, 7), null, ds(0.5, 0.4), "area", null, null),
            interp(n(2, 3, 7), ints(3), null, "area", null, null),
            interp(n(1, 2, 5, 4, 6), null, ds(0.5, 0.6, 0.4), "area", null, null),
            interp(n(1, 2, 3, 5, 4).transposed(), ints(2, 3, 3), null, "area", null, null))
        .errors(
            interp(n(2, 3, 4), ints(5), null, "nearest", true, null),
            interp(n(2, 3, 4), ints(5), ds(2.0), "nearest", null, null),
            interp(n(2, 3, 4), null, null, "nearest", null, null),
            interp(n(2, 3, 4), ints(5, 6), null, "nearest", null, null),
            interp(n(2, 3, 4), null, ds(2.0, 3.0), "linear", null, null),
            interp(n(2, 3, 4), ints(5), null, "linear", null, true),
            interp(n(2, 3, 4), ints(5), null, "bilinear", null, null),
            interp(n(2, 3, 4, 5), ints(5, 6), null, "linear", null, null),
            interp(n(2, 3, 4, 5), ints(5, 6), null, "trilinear", null, null),
            interp(n(2, 3, 4, 5, 6), ints(5, 6, 7), null, "bicubic", null, null),
            interp(n(2, 3), ints(), null, "nearest", null, null),
            interp(n(2, 3, 4), ints(5), null, "cubic", null, null),
            interp(n(2, 3, 4), ints(5), null, "linear", null, null).kw("antialias", true),
            interp(n(2, 3, 4), ints(-3), null, "nearest", null, null),
            interp(n(2, 3, 4, 5), null, ds(0.1, 2.0), "bilinear", null, null),
            interp(n(2, 0, 4), ints(3), null, "nearest", null, null),
            interp(index(3, 2, 3, 4), ints(3), null, "nearest", null, null),
            interp(index(3, 1, 2, 3, 4), ints(3, 3), null, "bicubic", null, null),
            interp(index(3, 1, 2, 3, 4), ints(3, 3), null, "bilinear", null, null)
                .kw("antialias", true));
    op(r, "nn.functional.interpolate.size").gradFnDeviates(VEC)
        .torch("F.interpolate(a[0], size, mode=mode)")
        .java("Functional.interpolate(Tensor,int,String)",
            a -> Functional.interpolate(a.t(0), a.i("size"), a.s("mode")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("size", 6).kw("mode", "nearest"),
            Sample.of(n(1, 2, 3, 4)).kw("size", 5).kw("mode", "bilinear"),
            Sample.of(n(1, 2, 2, 3, 2)).kw("size", 3).kw("mode", "trilinear"))
        .errors(
            Sample.of(n(2, 3, 4)).kw("size", 0).kw("mode", "nearest"));
    op(r, "nn.functional.interpolate.scale").gradFnDeviates(VEC)
        .torch("F.interpolate(a[0], scale_factor=scale_factor, mode=mode)")
        .java("Functional.interpolate(Tensor,double,String)",
            a -> Functional.interpolate(a.t(0), a.d("scale_factor"), a.s("mode")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("scale_factor", 2.0).kw("mode", "nearest"),
            Sample.of(n(1, 2, 3, 4)).kw("scale_factor", 1.5).kw("mode", "bicubic"),
            Sample.of(n(1, 2, 2, 3, 2)).kw("scale_factor", 2.0).kw("mode", "nearest-exact"))
        .errors(
            Sample.of(n(2, 3, 4, 5)).kw("scale_factor", 2.0).kw("mode", "linear"));
  }

  private static void deprecatedUpsample(List<OpInfo> r) {
    op(r, "nn.functional.upsample").gradFnDeviates(VEC)
        .torch("F.upsample(a[0], size, scale_factor, mode, align_corners)")
        .java("Functional.upsample(Tensor,int[],double[],String,Boolean)",
            a -> Functional.upsample(a.t(0), a.intsOrNull("size"), a.doublesOrNull("scale_factor"),
                a.s("mode"), a.boolOrNull("align_corners")))
        .samples(
            Sample.of(n(2, 2, 3, 4)).kw("size", null).kw("scale_factor", ds(1.5, 2.0))
                .kw("mode", "bilinear").kw("align_corners", true),
            Sample.of(n(2, 3, 4)).kw("size", ints(6)).kw("scale_factor", null)
                .kw("mode", "nearest").kw("align_corners", null))
        .errors(
            Sample.of(n(2, 3, 4)).kw("size", ints(6)).kw("scale_factor", null)
                .kw("mode", "nearest").kw("align_corners", false));
    op(r, "nn.functional.upsample_nearest").gradFnDeviates(VEC)
        .torch("F.upsample_nearest(a[0], size, scale_factor)")
        .java("Functional.upsampleNearest(Tensor,int[],double[])",
            a -> Functional.upsampleNearest(a.t(0), a.intsOrNull("size"),
                a.doublesOrNull("scale_factor")))
        .samples(
            Sample.of(n(1, 2, 3, 4)).kw("size", ints(5, 6)).kw("scale_factor", null),
            Sample.of(n(1, 2, 2, 3, 2)).kw("size", null).kw("scale_factor", ds(2.0, 1.0, 1.5)))
        .errors(
            Sample.of(n(1, 2, 3, 4)).kw("size", null).kw("scale_factor", null));
    op(r, "nn.functional.upsample_bilinear").gradFnDeviates(VEC)
        .torch("F.upsample_bilinear(a[0], size, scale_factor)")
        .java("Functional.upsampleBilinear(Tensor,int[],double[])",
            a -> Functional.upsampleBilinear(a.t(0), a.intsOrNull("size"),
                a.doublesOrNull("scale_factor")))
        .samples(
            Sample.of(n(1, 2, 3, 4)).kw("size", ints(5, 7)).kw("scale_factor", null),
            Sample.of(n(2, 1, 3, 3).transposed()).kw("size", null).kw("scale_factor", ds(2.0, 1.5)))
        .errors(
            Sample.of(n(1, 2, 3)).kw("size", ints(5)).kw("scale_factor", null));
  }

  private static void bilinear(List<OpInfo> r) {
    op(r, "nn.functional.bilinear")
        .gradFnDeviates("without a bias, jnn's last op is a reshape (ViewBackward0); 1.13"
            + " ReshapeAliasBackward0")
        .torch("F.bilinear(a[0], a[1], a[2], a[3] if len(a) > 3 else None)")
        .java("Functional.bilinear(Tensor,Tensor,Tensor,Tensor)",
            a -> Functional.bilinear(a.t(0), a.t(1), a.t(2),
                a.tensors().size() > 3 ? a.t(3) : null))
        .samples(
            Sample.of(n(4, 3), n(4, 5), n(2, 3, 5), n(2)),
            Sample.of(n(4, 3), n(4, 5), n(2, 3, 5)),
            Sample.of(n(2, 3, 4), n(2, 3, 3).transposed(), n(3, 4, 3), n(3)),
            Sample.of(n(3), n(2), n(4, 3, 2), n(4)),
            Sample.of(n(0, 3), n(0, 2), n(2, 3, 2), n(2)))
        .errors(
            Sample.of(n(2, 3), n(2, 1, 5), n(4, 3, 5)),
            Sample.of(n(2, 3), n(3, 5), n(4, 3, 5)),
            Sample.of(n(2, 4), n(2, 5), n(4, 3, 5)),
            Sample.of(n(2, 3), n(2, 4), n(4, 3, 5)),
            Sample.of(n(2, 3), n(2, 5), n(4, 3, 5), n(3)));
  }

  private static void affineGrid(List<OpInfo> r) {
    op(r, "nn.functional.affine_grid")
        .torch("F.affine_grid(a[0], size, align_corners=align_corners)")
        .java("Functional.affineGrid(Tensor,long[],Boolean)",
            a -> Functional.affineGrid(a.t(0), a.longs("size"), a.boolOrNull("align_corners")))
        .samples(
            Sample.of(n(2, 2, 3)).kw("size", new int[] {2, 3, 4, 5}).kw("align_corners", false),
            Sample.of(n(2, 2, 3)).kw("size", new int[] {2, 1, 3, 2}).kw("align_corners", true),
            Sample.of(n(1, 2, 3).transposed()).kw("size", new int[] {1, 2, 1, 3})
                .kw("align_corners", true),
            Sample.of(n(2, 3, 4)).kw("size", new int[] {2, 1, 2, 3, 4}).kw("align_corners", false),
            Sample.of(n(1, 3, 4)).kw("size", new int[] {1, 2, 3, 2, 2}).kw("align_corners", true))
        .errors(
            Sample.of(n(2, 2, 3)).kw("size", new int[] {2, 3, 4, 5, 6}).kw("align_corners", false),
            Sample.of(n(2, 3, 4)).kw("size", new int[] {2, 3, 4, 5}).kw("align_corners", false),
            Sample.of(n(2, 2, 3)).kw("size", new int[] {2, 3, 4}).kw("align_corners", false),
            Sample.of(n(2, 2, 3)).kw("size", new int[] {2, 3, 0, 5}).kw("align_corners", false),
            Sample.of(n(2, 2, 3)).kw("size", new int[] {3, 3, 4, 5}).kw("align_corners", true));
  }

  private static Sample grid(Sample.Input x, Sample.Input g, String mode, String pad,
      boolean align) {
    return Sample.of(x, g).kw("mode", mode).kw("padding_mode", pad).kw("align_corners", align);
  }

  private static void gridSample(List<OpInfo> r) {
    op(r, "nn.functional.grid_sample")
        .torch("F.grid_sample(a[0], a[1], mode=mode, padding_mode=padding_mode,"
            + " align_corners=align_corners)")
        .java("Functional.gridSample(Tensor,Tensor,String,String,Boolean)",
            a -> Functional.gridSample(a.t(0), a.t(1), a.s("mode"), a.s("padding_mode"),
                a.boolOrNull("align_corners")))
        .samples(
            grid(n(2, 3, 4, 5), n(2, 3, 2, 2), "bilinear", "zeros", false),
            grid(n(2, 2, 4, 5), n(2, 3, 4, 2), "bilinear", "zeros", true),
            grid(n(1, 2, 3, 4), n(1, 4, 3, 2), "bilinear", "border", false),
            grid(n(1, 2, 3, 4), n(1, 4, 3, 2), "bilinear", "reflection", false),
            grid(n(1, 2, 3, 4), n(1, 4, 3, 2), "bilinear", "reflection", true),
            grid(n(1, 2, 5, 4).transposed(), n(1, 3, 2, 2), "bilinear", "border", true),
            grid(n(2, 2, 4, 5), n(2, 3, 4, 2), "nearest", "zeros", false),
            grid(n(1, 2, 3, 4), n(1, 4, 3, 2), "nearest", "border", true),
            grid(n(1, 2, 3, 4), n(1, 4, 3, 2), "nearest", "reflection", false),
            grid(n(2, 2, 4, 5), n(2, 3, 4, 2), "bicubic", "zeros", false),
            grid(n(1, 2, 4, 4), n(1, 3, 3, 2), "bicubic", "border", true),
            grid(n(1, 2, 4, 4), n(1, 3, 3, 2), "bicubic", "reflection", false),
            grid(n(1, 1, 1, 4), n(1, 2, 3, 2), "bilinear", "reflection", true),
            grid(n(0, 2, 3, 4), n(0, 2, 2, 2), "bilinear", "zeros", false),
            // 5-D: trilinear and nearest
            grid(n(2, 2, 3, 4, 3), n(2, 2, 3, 2, 3), "bilinear", "zeros", false),
            grid(n(1, 2, 2, 3, 4), n(1, 3, 2, 2, 3), "bilinear", "border", true),
            grid(n(1, 2, 3, 3, 2), n(1, 2, 2, 3, 3), "bilinear", "reflection", false),
            grid(n(1, 1, 2, 4, 3).transposed(), n(1, 2, 2, 2, 3), "bilinear", "reflection", true),
            grid(n(2, 2, 3, 4, 3), n(2, 2, 3, 2, 3), "nearest", "zeros", true),
            grid(n(1, 2, 3, 3, 2), n(1, 2, 2, 3, 3), "nearest", "reflection", false))
        .errors(
            grid(n(2, 3, 4, 5), n(2, 3, 2, 2), "linear", "zeros", false),
            grid(n(2, 3, 4, 5), n(2, 3, 2, 2), "bilinear", "constant", false),
            grid(n(2, 3, 4, 5), n(3, 3, 2, 2), "bilinear", "zeros", false),
            grid(n(2, 3, 4, 5), n(2, 3, 2, 3), "bilinear", "zeros", false),
            grid(n(2, 3, 0, 5), n(2, 3, 2, 2), "bilinear", "zeros", false),
            grid(n(2, 3, 4, 5), n(2, 3, 2), "bilinear", "zeros", false),
            grid(n(2, 3, 4, 5, 6), n(2, 3, 4, 5, 3), "bicubic", "zeros", false));
  }
}
