package dev.jnn.ops;

import static dev.jnn.ops.Sample.n;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * Registry entries of issue 20 part 1, the convolution family: {@code F.conv1d}, {@code
 * F.conv3d}, {@code F.conv_transpose1d/2d/3d}, {@code F.fold} and {@code F.unfold}, in their own
 * file, appended by {@link OpRegistry#all()}.
 */
final class ConvEntries {
  private ConvEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    conv1d(r);
    conv3d(r);
    convTranspose(r);
    foldUnfold(r);
  }

  private static Tensor opt(Args a, int i) {
    return a.tensors().size() > i ? a.t(i) : null;
  }

  private static Sample full(Sample s, int[] stride, int[] padding, int[] dilation, int groups) {
    return s.kw("stride", stride).kw("padding", padding).kw("dilation", dilation)
        .kw("groups", groups);
  }

  private static Sample same(Sample s, int[] stride, String padding, int[] dilation) {
    return s.kw("stride", stride).kw("padding", padding).kw("dilation", dilation)
        .kw("groups", 1);
  }

  private static int[] i(int... v) {
    return v;
  }

  // ---------------------------------------------------------------- conv1d

  private static void conv1d(List<OpInfo> r) {
    op(r, "nn.functional.conv1d").torch("F.conv1d(a[0], a[1])")
        .java("Functional.conv1d(Tensor,Tensor)", a -> Functional.conv1d(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(2, 3, 7), n(4, 3, 3)),
            Sample.of(n(2, 2, 5).transposed(), n(3, 2, 2)),
            Sample.of(n(3, 6), n(2, 3, 1)))
        .errors(
            Sample.of(n(2, 3, 1, 2, 2), n(4, 3, 3)),
            Sample.of(n(2, 3, 5), n(4, 2, 3)),
            Sample.of(n(2, 3, 2), n(4, 3, 3)),
            Sample.of(n(2, 3, 5), n(4, 3, 3, 3)));
    op(r, "nn.functional.conv1d.bias").torch("F.conv1d(a[0], a[1], a[2])")
        .java("Functional.conv1d(Tensor,Tensor,Tensor)",
            a -> Functional.conv1d(a.t(0), a.t(1), opt(a, 2)))
        .samples(
            Sample.of(n(2, 3, 6), n(4, 3, 2), n(4)),
            Sample.of(n(3, 5), n(2, 3, 3), n(2)))
        .errors(Sample.of(n(2, 3, 6), n(4, 3, 2), n(3)));
    op(r, "nn.functional.conv1d.full")
        .torch("F.conv1d(a[0], a[1], a[2] if len(a) > 2 else None, stride, padding, dilation,"
            + " groups)")
        .java("Functional.conv1d(Tensor,Tensor,Tensor,int[],int[],int[],int)",
            a -> Functional.conv1d(a.t(0), a.t(1), opt(a, 2), a.ints("stride"),
                a.ints("padding"), a.ints("dilation"), a.i("groups")))
        .samples(
            full(Sample.of(n(2, 4, 9), n(6, 2, 3), n(6)), i(2), i(1), i(2), 2),
            full(Sample.of(n(1, 3, 8), n(2, 3, 2)), i(3), i(2), i(1), 1),
            full(Sample.of(n(4, 7), n(4, 1, 3), n(4)), i(1), i(0), i(3), 4),
            full(Sample.of(n(0, 2, 5), n(2, 2, 2)), i(1), i(0), i(1), 1),
            // 8 channels per group, stride 1: VectorConv's backward-data path
            full(Sample.of(n(2, 8, 9), n(4, 8, 3), n(4)), i(1), i(1), i(2), 1))
        .errors(
            full(Sample.of(n(2, 4, 9), n(6, 2, 3)), i(1, 1), i(0), i(1), 1),
            full(Sample.of(n(2, 4, 9), n(6, 2, 3)), i(1), i(-1), i(1), 1),
            full(Sample.of(n(2, 4, 9), n(6, 2, 3)), i(0), i(0), i(1), 1),
            full(Sample.of(n(2, 4, 9), n(6, 2, 3)), i(1), i(0), i(1), 4),
            full(Sample.of(n(2, 4, 9), n(6, 2, 3)), i(1), i(0), i(1), 0));
    op(r, "nn.functional.conv1d.padding_mode")
        .torch("F.conv1d(a[0], a[1], a[2], stride, padding, dilation, groups)")
        .java("Functional.conv1d(Tensor,Tensor,Tensor,int[],String,int[],int)",
            a -> Functional.conv1d(a.t(0), a.t(1), a.t(2), a.ints("stride"), a.s("padding"),
                a.ints("dilation"), a.i("groups")))
        .samples(
            same(Sample.of(n(2, 3, 6), n(4, 3, 4), n(4)), i(1), "same", i(1)),
            same(Sample.of(n(3, 7), n(2, 3, 3), n(2)), i(1), "same", i(3)),
            same(Sample.of(n(2, 3, 7), n(2, 3, 3), n(2)), i(2), "valid", i(1)))
        .errors(
            same(Sample.of(n(2, 3, 6), n(4, 3, 4), n(4)), i(2), "same", i(1)),
            same(Sample.of(n(2, 3, 6), n(4, 3, 4), n(4)), i(1), "full", i(1)));
  }

  // ---------------------------------------------------------------- conv3d

  private static void conv3d(List<OpInfo> r) {
    op(r, "nn.functional.conv3d").torch("F.conv3d(a[0], a[1])")
        .java("Functional.conv3d(Tensor,Tensor)", a -> Functional.conv3d(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(2, 2, 4, 3, 4), n(3, 2, 2, 2, 3)),
            Sample.of(n(2, 2, 3, 4, 3).transposed(), n(2, 2, 3, 1, 2)),
            Sample.of(n(2, 3, 3, 3), n(2, 2, 1, 2, 2)))
        .errors(
            Sample.of(n(2, 3, 5), n(4, 3, 3, 3, 3)),
            Sample.of(n(1, 3, 5, 5, 2), n(4, 3, 3, 3, 3)),
            Sample.of(n(1, 2, 5, 5, 5), n(4, 3, 3, 3, 3)));
    op(r, "nn.functional.conv3d.bias").torch("F.conv3d(a[0], a[1], a[2])")
        .java("Functional.conv3d(Tensor,Tensor,Tensor)",
            a -> Functional.conv3d(a.t(0), a.t(1), opt(a, 2)))
        .samples(
            Sample.of(n(1, 2, 3, 4, 3), n(3, 2, 2, 2, 2), n(3)),
            Sample.of(n(2, 3, 2, 3), n(2, 2, 1, 1, 1), n(2)));
    op(r, "nn.functional.conv3d.full")
        .torch("F.conv3d(a[0], a[1], a[2] if len(a) > 2 else None, stride, padding, dilation,"
            + " groups)")
        .java("Functional.conv3d(Tensor,Tensor,Tensor,int[],int[],int[],int)",
            a -> Functional.conv3d(a.t(0), a.t(1), opt(a, 2), a.ints("stride"),
                a.ints("padding"), a.ints("dilation"), a.i("groups")))
        .samples(
            full(Sample.of(n(1, 4, 5, 4, 4), n(4, 2, 2, 2, 2), n(4)), i(2, 1, 2), i(1, 0, 1),
                i(2, 1, 1), 2),
            full(Sample.of(n(2, 2, 4, 3, 3), n(2, 2, 3, 2, 2)), i(1), i(1), i(1), 1),
            full(Sample.of(n(2, 2, 6, 3, 3), n(3, 2, 2, 1, 1), n(3)), i(3, 1, 1), i(0, 1, 0),
                i(2, 1, 1), 1),
            full(Sample.of(n(1, 8, 3, 4, 4), n(3, 8, 2, 3, 3), n(3)), i(1), i(1, 1, 0), i(1), 1))
        .errors(
            full(Sample.of(n(1, 2, 4, 4, 4), n(2, 2, 2, 2, 2)), i(1, 1), i(0), i(1), 1),
            full(Sample.of(n(1, 2, 4, 4, 4), n(2, 2, 2, 2, 2)), i(1), i(0), i(0), 1));
    op(r, "nn.functional.conv3d.padding_mode")
        .torch("F.conv3d(a[0], a[1], a[2], stride, padding, dilation, groups)")
        .java("Functional.conv3d(Tensor,Tensor,Tensor,int[],String,int[],int)",
            a -> Functional.conv3d(a.t(0), a.t(1), a.t(2), a.ints("stride"), a.s("padding"),
                a.ints("dilation"), a.i("groups")))
        .samples(
            same(Sample.of(n(1, 2, 3, 4, 3), n(2, 2, 2, 3, 2), n(2)), i(1), "same", i(1)),
            same(Sample.of(n(2, 3, 3, 3), n(2, 2, 3, 1, 2), n(2)), i(1), "same", i(1, 1, 2)),
            same(Sample.of(n(1, 2, 4, 4, 4), n(2, 2, 2, 2, 2), n(2)), i(2), "valid", i(1)))
        .errors(same(Sample.of(n(1, 2, 4, 4, 4), n(2, 2, 2, 2, 2), n(2)), i(2), "same", i(1)));
  }

  // ---------------------------------------------------------------- transposed convolutions

  private static Sample fullT(Sample s, int[] stride, int[] padding, int[] outputPadding,
      int groups, int[] dilation) {
    return s.kw("stride", stride).kw("padding", padding).kw("output_padding", outputPadding)
        .kw("groups", groups).kw("dilation", dilation);
  }

  private static void convTranspose(List<OpInfo> r) {
    op(r, "nn.functional.conv_transpose1d").torch("F.conv_transpose1d(a[0], a[1])")
        .java("Functional.convTranspose1d(Tensor,Tensor)",
            a -> Functional.convTranspose1d(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(2, 3, 5), n(3, 4, 3)),
            Sample.of(n(3, 4), n(3, 2, 2)),
            Sample.of(n(2, 3, 4).transposed(), n(3, 2, 1)))
        .errors(
            Sample.of(n(2, 3), n(3, 4, 3)),
            Sample.of(n(2, 3, 5), n(2, 4, 3)));
    op(r, "nn.functional.conv_transpose1d.bias").torch("F.conv_transpose1d(a[0], a[1], a[2])")
        .java("Functional.convTranspose1d(Tensor,Tensor,Tensor)",
            a -> Functional.convTranspose1d(a.t(0), a.t(1), opt(a, 2)))
        .samples(Sample.of(n(2, 3, 5), n(3, 4, 3), n(4)))
        .errors(Sample.of(n(2, 3, 5), n(3, 4, 3), n(3)));
    op(r, "nn.functional.conv_transpose1d.full")
        .torch("F.conv_transpose1d(a[0], a[1], a[2] if len(a) > 2 else None, stride, padding,"
            + " output_padding, groups, dilation)")
        .java("Functional.convTranspose1d(Tensor,Tensor,Tensor,int[],int[],int[],int,int[])",
            a -> Functional.convTranspose1d(a.t(0), a.t(1), opt(a, 2), a.ints("stride"),
                a.ints("padding"), a.ints("output_padding"), a.i("groups"), a.ints("dilation")))
        .samples(
            fullT(Sample.of(n(2, 4, 5), n(4, 3, 3), n(6)), i(2), i(1), i(1), 2, i(2)),
            fullT(Sample.of(n(3, 6), n(3, 2, 2)), i(3), i(2), i(2), 1, i(1)),
            fullT(Sample.of(n(1, 2, 4), n(2, 1, 3), n(1)), i(1), i(0), i(1), 1, i(2)))
        .errors(
            fullT(Sample.of(n(1, 2, 5), n(2, 3, 3)), i(1), i(0), i(1), 1, i(1)),
            fullT(Sample.of(n(1, 2, 5), n(2, 3, 3)), i(1), i(5), i(0), 1, i(1)),
            fullT(Sample.of(n(1, 2, 5), n(2, 3, 3)), i(1), i(0), i(0), 1, i(0)));

    op(r, "nn.functional.conv_transpose2d").torch("F.conv_transpose2d(a[0], a[1])")
        .java("Functional.convTranspose2d(Tensor,Tensor)",
            a -> Functional.convTranspose2d(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(2, 2, 4, 3), n(2, 3, 3, 2)),
            Sample.of(n(2, 3, 3).transposed(), n(2, 2, 2, 2)),
            Sample.of(n(1, 3, 2, 2), n(3, 1, 1, 3)))
        .errors(
            Sample.of(n(2, 3), n(4, 3, 3, 3)),
            Sample.of(n(1, 2, 5, 5), n(4, 3, 3, 3)),
            Sample.of(n(1, 2, 5, 5), n(2, 3, 3)));
    op(r, "nn.functional.conv_transpose2d.bias").torch("F.conv_transpose2d(a[0], a[1], a[2])")
        .java("Functional.convTranspose2d(Tensor,Tensor,Tensor)",
            a -> Functional.convTranspose2d(a.t(0), a.t(1), opt(a, 2)))
        .samples(
            Sample.of(n(2, 2, 3, 3), n(2, 3, 2, 2), n(3)),
            Sample.of(n(2, 3, 2), n(2, 4, 1, 2), n(4)))
        .errors(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3), n(4)));
    op(r, "nn.functional.conv_transpose2d.full")
        .torch("F.conv_transpose2d(a[0], a[1], a[2] if len(a) > 2 else None, stride, padding,"
            + " output_padding, groups, dilation)")
        .java("Functional.convTranspose2d(Tensor,Tensor,Tensor,int[],int[],int[],int,int[])",
            a -> Functional.convTranspose2d(a.t(0), a.t(1), opt(a, 2), a.ints("stride"),
                a.ints("padding"), a.ints("output_padding"), a.i("groups"), a.ints("dilation")))
        .samples(
            fullT(Sample.of(n(2, 4, 3, 4), n(4, 2, 3, 2), n(4)), i(2, 1), i(1, 0), i(1, 0), 2,
                i(1, 2)),
            fullT(Sample.of(n(1, 2, 3, 3), n(2, 3, 2, 3)), i(3), i(2, 1), i(2, 1), 1, i(1)),
            fullT(Sample.of(n(3, 2, 2), n(3, 1, 2, 2), n(1)), i(1), i(0), i(1), 1, i(2)),
            fullT(Sample.of(n(1, 2, 3, 2), n(2, 2, 3, 3), n(2)), i(2), i(1), i(1), 1, i(3)),
            // 16 output channels, stride 1: CPU's VectorConv backward-data path for the forward
            fullT(Sample.of(n(1, 4, 5, 4), n(4, 16, 3, 2), n(16)), i(1), i(1), i(1), 1, i(2)))
        .errors(
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(1), i(0), i(1), 1, i(1)),
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(2), i(0), i(2), 1, i(1)),
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(1), i(5), i(0), 1, i(1)),
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(1), i(-1), i(0), 1, i(1)),
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(0), i(0), i(0), 1, i(1)),
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(1), i(0), i(0), 0, i(1)),
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(1), i(0), i(0), 1, i(0)),
            fullT(Sample.of(n(1, 2, 5, 5), n(2, 3, 3, 3)), i(1, 2, 3), i(0), i(0), 1, i(1)));

    op(r, "nn.functional.conv_transpose3d").torch("F.conv_transpose3d(a[0], a[1])")
        .java("Functional.convTranspose3d(Tensor,Tensor)",
            a -> Functional.convTranspose3d(a.t(0), a.t(1)))
        .samples(
            Sample.of(n(2, 2, 3, 2, 3), n(2, 3, 2, 2, 2)),
            Sample.of(n(2, 2, 3, 2), n(2, 2, 2, 1, 2)))
        .errors(
            Sample.of(n(2, 3, 4), n(2, 3, 2, 2, 2)),
            Sample.of(n(1, 3, 2, 2, 2), n(2, 3, 2, 2, 2)));
    op(r, "nn.functional.conv_transpose3d.bias").torch("F.conv_transpose3d(a[0], a[1], a[2])")
        .java("Functional.convTranspose3d(Tensor,Tensor,Tensor)",
            a -> Functional.convTranspose3d(a.t(0), a.t(1), opt(a, 2)))
        .samples(Sample.of(n(1, 2, 2, 3, 2), n(2, 2, 2, 1, 2), n(2)));
    op(r, "nn.functional.conv_transpose3d.full")
        .torch("F.conv_transpose3d(a[0], a[1], a[2] if len(a) > 2 else None, stride, padding,"
            + " output_padding, groups, dilation)")
        .java("Functional.convTranspose3d(Tensor,Tensor,Tensor,int[],int[],int[],int,int[])",
            a -> Functional.convTranspose3d(a.t(0), a.t(1), opt(a, 2), a.ints("stride"),
                a.ints("padding"), a.ints("output_padding"), a.i("groups"), a.ints("dilation")))
        .samples(
            fullT(Sample.of(n(1, 4, 3, 2, 3), n(4, 1, 2, 2, 2), n(2)), i(2, 1, 2),
                i(1, 0, 0), i(1, 0, 1), 2, i(1, 2, 1)),
            fullT(Sample.of(n(2, 2, 2, 2), n(2, 2, 3, 2, 1)), i(2), i(1), i(0), 1, i(2)))
        .errors(
            fullT(Sample.of(n(1, 2, 3, 3, 3), n(2, 3, 2, 2, 2)), i(1), i(0), i(1), 1, i(1)),
            fullT(Sample.of(n(1, 2, 3, 3, 3), n(2, 3, 2, 2, 2)), i(1), i(3), i(0), 1, i(1)),
            fullT(Sample.of(n(1, 2, 3, 3, 3), n(2, 3, 2, 2, 2)), i(1), i(0), i(0), 1, i(0)));
  }

  // ---------------------------------------------------------------- fold and unfold

  private static Sample blocks(Sample s, int[] dilation, int[] padding, int[] stride) {
    return s.kw("dilation", dilation).kw("padding", padding).kw("stride", stride);
  }

  /**
   * A size argument as Python passes it: jnn's one-element {@code int[]} is an int (what {@code
   * _pair} expands), a longer one a list (ATen checks its length).
   */
  private static String one(String name) {
    return "(" + name + "[0] if len(" + name + ") == 1 else " + name + ")";
  }

  private static String ones(String... names) {
    return String.join(", ", java.util.Arrays.stream(names).map(ConvEntries::one).toList());
  }

  private static void foldUnfold(List<OpInfo> r) {
    op(r, "nn.functional.unfold").torch("F.unfold(a[0], " + one("kernel_size") + ")")
        .java("Functional.unfold(Tensor,int[])",
            a -> Functional.unfold(a.t(0), a.ints("kernel_size")))
        .samples(
            Sample.of(n(2, 3, 4, 5)).kw("kernel_size", i(2)),
            Sample.of(n(2, 4, 3).transposed()).kw("kernel_size", i(2, 3)),
            Sample.of(n(0, 2, 3, 3)).kw("kernel_size", i(1, 2)))
        .errors(
            Sample.of(n(3)).kw("kernel_size", i(2)),
            Sample.of(n(2, 5)).kw("kernel_size", i(2)),
            Sample.of(n(1, 2, 3, 4, 5)).kw("kernel_size", i(2)),
            Sample.of(n(1, 2, 5, 6)).kw("kernel_size", i(7, 2)),
            Sample.of(n(1, 2, 5, 6)).kw("kernel_size", i(0)),
            Sample.of(n(1, 2, 5, 6)).kw("kernel_size", i(2, 2, 2)));
    op(r, "nn.functional.unfold.full")
        .torch("F.unfold(a[0], " + ones("kernel_size", "dilation", "padding", "stride") + ")")
        .java("Functional.unfold(Tensor,int[],int[],int[],int[])",
            a -> Functional.unfold(a.t(0), a.ints("kernel_size"), a.ints("dilation"),
                a.ints("padding"), a.ints("stride")))
        .samples(
            blocks(Sample.of(n(2, 2, 5, 6)), i(2, 1), i(1), i(2, 1)).kw("kernel_size", i(2)),
            blocks(Sample.of(n(3, 4, 4)), i(1), i(0, 2), i(3)).kw("kernel_size", i(3, 2)),
            blocks(Sample.of(n(1, 1, 7, 5)), i(3), i(2), i(1, 2)).kw("kernel_size", i(2, 1)))
        .errors(
            blocks(Sample.of(n(1, 2, 5, 6)), i(0), i(-1), i(0)).kw("kernel_size", i(2)),
            blocks(Sample.of(n(1, 2, 5, 6)), i(1), i(-1), i(0)).kw("kernel_size", i(2)),
            blocks(Sample.of(n(1, 2, 5, 6)), i(1), i(0), i(0)).kw("kernel_size", i(2)),
            blocks(Sample.of(n(1, 2, 5, 6)), i(1, 1, 1), i(0), i(1)).kw("kernel_size", i(2)));
    op(r, "nn.functional.fold").torch("F.fold(a[0], " + ones("output_size", "kernel_size") + ")")
        .java("Functional.fold(Tensor,int[],int[])",
            a -> Functional.fold(a.t(0), a.ints("output_size"), a.ints("kernel_size")))
        .samples(
            Sample.of(n(2, 12, 12)).kw("output_size", i(4, 5)).kw("kernel_size", i(2)),
            Sample.of(n(6, 6).transposed()).kw("output_size", i(3)).kw("kernel_size", i(2, 1)),
            Sample.of(n(0, 4, 9)).kw("output_size", i(4)).kw("kernel_size", i(2)))
        .errors(
            Sample.of(n(1, 7, 16)).kw("output_size", i(5)).kw("kernel_size", i(2)),
            Sample.of(n(1, 8, 15)).kw("output_size", i(5)).kw("kernel_size", i(2)),
            Sample.of(n(1, 8, 16, 2)).kw("output_size", i(5)).kw("kernel_size", i(2)),
            Sample.of(n(8)).kw("output_size", i(5)).kw("kernel_size", i(2)),
            Sample.of(n(1, 8, 16)).kw("output_size", i(5, 5, 5)).kw("kernel_size", i(2)),
            Sample.of(n(1, 8, 1)).kw("output_size", i(1)).kw("kernel_size", i(2)),
            Sample.of(n(1, 8, 16)).kw("output_size", i(5)).kw("kernel_size", i(0)));
    op(r, "nn.functional.fold.full")
        .torch("F.fold(a[0], " + ones("output_size", "kernel_size", "dilation", "padding", "stride")
            + ")")
        .java("Functional.fold(Tensor,int[],int[],int[],int[],int[])",
            a -> Functional.fold(a.t(0), a.ints("output_size"), a.ints("kernel_size"),
                a.ints("dilation"), a.ints("padding"), a.ints("stride")))
        .samples(
            blocks(Sample.of(n(2, 8, 21)), i(2, 1), i(1), i(2, 1)).kw("output_size", i(5, 6))
                .kw("kernel_size", i(2)),
            blocks(Sample.of(n(6, 3)), i(1), i(0, 2), i(3)).kw("output_size", i(4))
                .kw("kernel_size", i(3, 2)),
            blocks(Sample.of(n(1, 4, 8)), i(2), i(1), i(2)).kw("output_size", i(4, 7))
                .kw("kernel_size", i(2)))
        .errors(
            blocks(Sample.of(n(1, 8, 16)), i(0), i(-1), i(0)).kw("output_size", i(5))
                .kw("kernel_size", i(2)),
            blocks(Sample.of(n(1, 8, 16)), i(0), i(-1), i(1)).kw("output_size", i(5))
                .kw("kernel_size", i(2)),
            blocks(Sample.of(n(1, 8, 16)), i(1), i(-1), i(1)).kw("output_size", i(5))
                .kw("kernel_size", i(2)));
  }
}
