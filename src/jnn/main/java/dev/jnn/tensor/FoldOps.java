package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;

/**
 * Internal: {@code F.unfold} (ATen's {@code im2col}) and {@code F.fold} ({@code col2im}) behind
 * {@code Functional.unfold} and {@code Functional.fold}; use {@code Functional}. Both run on any
 * back end with the index kernels: the input, zero-padded and flattened over its plane, is read
 * ({@code index_select}) or accumulated into ({@code index_add}) at the flat offsets of every
 * kernel position of every sliding block, one index vector shared by all channels. Each is the
 * other's adjoint, so each op's backward is the other op, recorded as PyTorch's {@code
 * Im2ColBackward0} and {@code Col2ImBackward0}.
 *
 * <p>Public only because {@code Functional} lives in another package.
 */
public final class FoldOps {
  private FoldOps() {}

  /** The sizes of one im2col/col2im: image {@code [n, c, h, w]}, columns {@code [n, c * kh * kw, bh * bw]}. */
  private record Geo(long n, long c, int h, int w, int kh, int kw, int dh, int dw, int ph, int pw,
      int sh, int sw, long bh, long bw) {
    int hp() {
      return h + 2 * ph;
    }

    int wp() {
      return w + 2 * pw;
    }

    /** Flat offsets into the padded plane, kernel position major, block minor. */
    Tensor index(Tensor like) {
      int kk = kh * kw;
      long blocks = bh * bw;
      long[] idx = new long[(int) (kk * blocks)];
      int p = 0;
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          for (long y = 0; y < bh; y++) {
            for (long x = 0; x < bw; x++) {
              idx[p++] = (y * sh + (long) i * dh) * wp() + x * sw + (long) j * dw;
            }
          }
        }
      }
      Tensor host = Tensor.fromArray(idx, idx.length);
      Tensor onDevice = host.to(like.device());
      if (onDevice != host) {
        host.close();
      }
      return onDevice;
    }
  }

  /** PyTorch's {@code _pair} followed by ATen's {@code It is expected ... equals to 2} check. */
  private static int[] pair(int[] v, String what) {
    if (v.length == 1) {
      return new int[] {v[0], v[0]};
    }
    if (v.length != 2) {
      throw new IllegalArgumentException(
          "It is expected " + what + " equals to 2, but got size " + v.length);
    }
    return v.clone();
  }

  private static void checkSizes(int[] k, int[] d, int[] p, int[] s, boolean im2col) {
    if (k[0] <= 0 || k[1] <= 0) {
      throw new IllegalArgumentException("kernel size should be greater than zero, but got"
          + " kernel_height: " + k[0] + " kernel_width: " + k[1]);
    }
    String dil = "dilation should be greater than zero, but got dilation_height: " + d[0]
        + " dilation_width: " + d[1];
    String str = "stride should be greater than zero, but got stride_height: " + s[0]
        + " stride_width: " + s[1];
    if (im2col && (d[0] <= 0 || d[1] <= 0)) {
      throw new IllegalArgumentException(dil);
    }
    if (!im2col && (s[0] <= 0 || s[1] <= 0)) {
      throw new IllegalArgumentException(str);
    }
    if (!im2col && (d[0] <= 0 || d[1] <= 0)) {
      throw new IllegalArgumentException(dil);
    }
    if (p[0] < 0 || p[1] < 0) {
      throw new IllegalArgumentException("padding should be non-negative, but got pad_height: "
          + p[0] + " pad_width: " + p[1]);
    }
    if (im2col && (s[0] <= 0 || s[1] <= 0)) {
      throw new IllegalArgumentException(str);
    }
  }

  /**
   * {@code F.unfold(input, kernel_size, dilation, padding, stride)}: {@code [N, C, H, W]} (or
   * {@code [C, H, W]}) to {@code [N, C * kH * kW, L]} (or {@code [C * kH * kW, L]}).
   */
  public static Tensor unfold(
      Tensor input, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
    int[] k = pair(kernelSize, "kernel_size");
    int[] d = pair(dilation, "dilation");
    int[] p = pair(padding, "padding");
    int[] s = pair(stride, "stride");
    checkSizes(k, d, p, s, true);
    int nd = input.dim();
    if (nd < 3) {
      // ATen reads input.size(1) and input.size(2) before its rank check
      throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
          + -nd + ", " + (nd - 1) + "], but got " + (nd == 1 ? 1 : 2) + ")");
    }
    boolean valid = input.size(1) != 0 && input.size(2) != 0;
    if (!((nd == 3 && input.size(0) != 0 && valid)
        || (nd == 4 && valid && input.size(3) != 0))) {
      throw new ShapeMismatchException("Expected 3D or 4D (batch mode) tensor with possibly 0"
          + " batch size and other non-zero dimensions for input, but got: " + input.shape());
    }
    NnOpSupport.checkFloating("im2col_out_cpu", input);
    boolean unbatched = nd == 3;
    Tensor x = unbatched ? input.unsqueeze(0) : input;
    int h = x.shape().getInt(2);
    int w = x.shape().getInt(3);
    long bh = Math.floorDiv(h + 2L * p[0] - ((long) d[0] * (k[0] - 1) + 1), s[0]) + 1;
    long bw = Math.floorDiv(w + 2L * p[1] - ((long) d[1] * (k[1] - 1) + 1), s[1]) + 1;
    if (bh < 1 || bw < 1) {
      throw new ShapeMismatchException("Given input with spatial size (" + h + ", " + h
          + "), kernel_size=(" + k[0] + ", " + k[1] + "), dilation=(" + d[0] + ", " + d[1]
          + "), padding=(" + p[0] + ", " + p[1] + "), calculated shape of the array of sliding"
          + " blocks as (" + bh + ", " + bw + "), but its components must be at least one.");
    }
    Geo g = new Geo(x.size(0), x.size(1), h, w, k[0], k[1], d[0], d[1], p[0], p[1], s[0], s[1],
        bh, bw);
    Shape outShape = unbatched ? Shape.of(g.c() * g.kh() * g.kw(), bh * bw)
        : Shape.of(g.n(), g.c() * g.kh() * g.kw(), bh * bw);
    Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      out = im2col(x.detach(), g, outShape);
    }
    Shape inShape = input.shape();
    return Tensor.record("Im2ColBackward0", out, new Tensor[] {input}, new Tensor[0], gr -> {
      try (NoGrad ignored = NoGrad.enter()) {
        return new Tensor[] {col2im(gr[0], g, inShape)};
      }
    });
  }

  /**
   * {@code F.fold(input, output_size, kernel_size, dilation, padding, stride)}: {@code [N, C * kH
   * * kW, L]} (or {@code [C * kH * kW, L]}) summed into {@code [N, C, output_size]} (or {@code
   * [C, output_size]}).
   */
  public static Tensor fold(Tensor input, int[] outputSize, int[] kernelSize, int[] dilation,
      int[] padding, int[] stride) {
    int[] o = pair(outputSize, "output_size");
    int[] k = pair(kernelSize, "kernel_size");
    int[] d = pair(dilation, "dilation");
    int[] p = pair(padding, "padding");
    int[] s = pair(stride, "stride");
    checkSizes(k, d, p, s, false);
    int nd = input.dim();
    if (!((nd == 2 && input.size(0) != 0 && input.size(1) != 0)
        || (nd == 3 && input.size(1) != 0 && input.size(2) != 0))) {
      throw new ShapeMismatchException("Expected 2D or 3D (batch mode) tensor for input with"
          + " possibly 0 batch size and non-zero dimensions for input, but got: "
          + input.shape());
    }
    NnOpSupport.checkFloating("col2im_out_cpu", input);
    boolean unbatched = nd == 2;
    Tensor x = unbatched ? input.unsqueeze(0) : input;
    long planes = x.size(1);
    long kk = (long) k[0] * k[1];
    if (planes % kk != 0) {
      throw new ShapeMismatchException("Expected size of input's dimension 1 to be divisible by"
          + " the product of kernel_size, but got input.size(1)=" + planes + " and kernel_size=("
          + k[0] + ", " + k[1] + ").");
    }
    long bh = Math.floorDiv(o[0] + 2L * p[0] - (long) d[0] * (k[0] - 1) - 1, s[0]) + 1;
    long bw = Math.floorDiv(o[1] + 2L * p[1] - (long) d[1] * (k[1] - 1) - 1, s[1]) + 1;
    String given = "Given output_size=(" + o[0] + ", " + o[1] + "), kernel_size=(" + k[0] + ", "
        + k[1] + "), dilation=(" + d[0] + ", " + d[1] + "), padding=(" + p[0] + ", " + p[1]
        + "), stride=(" + s[0] + ", " + s[1] + "), ";
    if (x.size(2) != bh * bw) {
      throw new ShapeMismatchException(given + "expected size of input's dimension 2 to match"
          + " the calculated number of sliding blocks " + bh + " * " + bw + " = " + (bh * bw)
          + ", but got input.size(2)=" + x.size(2) + ".");
    }
    if (bh < 1 || bw < 1) {
      throw new ShapeMismatchException(given + "calculated shape of the array of sliding blocks"
          + " as (" + bh + ", " + bw + "), which is too small (non-positive)");
    }
    Geo g = new Geo(x.size(0), planes / kk, o[0], o[1], k[0], k[1], d[0], d[1], p[0], p[1], s[0],
        s[1], bh, bw);
    Shape outShape = unbatched ? Shape.of(g.c(), o[0], o[1]) : Shape.of(g.n(), g.c(), o[0], o[1]);
    Tensor out;
    try (NoGrad ignored = NoGrad.enter()) {
      out = col2im(x.detach(), g, outShape);
    }
    Shape inShape = input.shape();
    return Tensor.record("Col2ImBackward0", out, new Tensor[] {input}, new Tensor[0], gr -> {
      try (NoGrad ignored = NoGrad.enter()) {
        return new Tensor[] {im2col(gr[0], g, inShape)};
      }
    });
  }

  /** A fresh tensor over {@code t}'s (contiguous) storage with shape {@code s}. */
  private static Tensor reshaped(Tensor t, Shape s) {
    t.storage.retain();
    return new Tensor(t.storage, s, s.contiguousStrides(), t.offset);
  }

  /**
   * The columns of image {@code x} (any shape holding {@code [n, c, h, w]}), shaped {@code s}.
   * Temporaries are closed when used (handles that share a storage keep it alive).
   */
  private static Tensor im2col(Tensor x, Geo g, Shape s) {
    DType dt = x.dtype();
    long plane = (long) g.hp() * g.wp();
    if ((long) g.n() * g.c() * plane == 0) {
      return Tensor.zeros(s, dt, x.device());
    }
    Tensor cols = Tensor.allocate(Shape.of(g.n(), g.c(), (long) g.kh() * g.kw() * g.bh() * g.bw()),
        dt, x.device());
    try (Tensor padded = Tensor.zeros(Shape.of(g.n(), g.c(), g.hp(), g.wp()), dt, x.device());
        Tensor rows = padded.narrow(2, g.ph(), g.h());
        Tensor inner = rows.narrow(3, g.pw(), g.w());
        Tensor x4 = x.reshape(g.n(), g.c(), g.h(), g.w());
        Tensor flat = reshaped(padded, Shape.of(g.n(), g.c(), plane));
        Tensor idx = g.index(x);
        cols) {
      inner.copyFrom(x4);
      x.backend().indexSelect(flat.view(), 2, idx.view(), cols.storage.buffer());
      return reshaped(cols, s);
    }
  }

  /** Columns {@code cols} (any shape holding {@code [n, c * kh * kw, l]}) summed into an image. */
  private static Tensor col2im(Tensor cols, Geo g, Shape s) {
    DType dt = cols.dtype();
    long plane = (long) g.hp() * g.wp();
    if ((long) g.n() * g.c() * plane == 0) {
      return Tensor.zeros(s, dt, cols.device());
    }
    try (Tensor padded = Tensor.zeros(Shape.of(g.n(), g.c(), plane), dt, cols.device());
        Tensor src = ViewOps.contiguousRaw(cols);
        Tensor src3 =
            reshaped(src, Shape.of(g.n(), g.c(), (long) g.kh() * g.kw() * g.bh() * g.bw()));
        Tensor idx = g.index(cols);
        Tensor image4 = reshaped(padded, Shape.of(g.n(), g.c(), g.hp(), g.wp()));
        Tensor rows = image4.narrow(2, g.ph(), g.h());
        Tensor inner = rows.narrow(3, g.pw(), g.w())) {
      cols.backend().indexAdd(padded.storage.buffer(), padded.shape().intDims(), 2, idx.view(),
          src3.view());
      try (Tensor image = ViewOps.contiguousRaw(inner)) {
        return reshaped(image, s);
      }
    }
  }
}
