package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;

/**
 * Masked ops ({@code masked_fill}, {@code masked_select}, {@code where} with a scalar, {@code
 * nan_to_num}, {@code repeat_interleave}), issue 17 item 7: composites of where / index_select /
 * comparisons, so every back end runs them with no new kernel. Forwards run under no-grad and
 * record PyTorch's grad_fn with its backward formula in differentiable ops.
 */
final class MaskOps {
  private MaskOps() {}

  private static final Tensor[] NONE = new Tensor[0];

  /** {@code g} summed over broadcast dims and cast to {@code like}'s dtype (null when not needed). */
  private static Tensor gradFor(Tensor g, Tensor like) {
    if (like == null || !like.requiresGrad()) {
      return null;
    }
    Tensor r = Tensor.sumToShape(g, like.shape());
    return r.dtype() == like.dtype() ? r : r.to(like.dtype());
  }

  /** PyTorch 1.13 accepts bool masks and (deprecated) integer ones, read as {@code != 0}. */
  private static Tensor fillMask(Tensor mask) {
    return mask.dtype() == DType.BOOL ? mask : mask.ne(0);
  }

  /** {@code x.masked_fill(mask, value)}: {@code value} where {@code mask} (broadcast), else x. */
  static Tensor maskedFill(Tensor x, Tensor mask, double value) {
    Checks.checkSameDevice("masked_fill", x, mask);
    Tensor m = fillMask(mask);
    Tensor out;
    try (var g = NoGrad.enter()) {
      out = Tensor.where(m, Tensor.scalar(value, x.dtype(), x.device()), x);
    }
    return Tensor.record("MaskedFillBackward0", out, new Tensor[] {x}, new Tensor[] {m},
        g -> new Tensor[] {
            gradFor(Tensor.where(m, Tensor.zerosLike(g[0]), g[0]), x)
        });
  }

  /** {@code x.masked_fill(mask, value)} with a 0-d tensor {@code value} (cast to x's dtype). */
  static Tensor maskedFill(Tensor x, Tensor mask, Tensor value) {
    Checks.checkSameDevice("masked_fill", x, mask);
    if (value.dim() != 0) {
      throw new IllegalArgumentException(
          "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
              + value.dim() + " dimension(s).");
    }
    Tensor m = fillMask(mask);
    Tensor out;
    try (var g = NoGrad.enter()) {
      Tensor v = value.dtype() == x.dtype() ? value : value.to(x.dtype());
      out = Tensor.where(m, v.to(x.device()), x);
    }
    return Tensor.record("MaskedFillBackward1", out, new Tensor[] {x, value}, new Tensor[] {m},
        g -> {
          Tensor zero = Tensor.zerosLike(g[0]);
          Tensor gv = value.requiresGrad() ? Tensor.where(m, g[0], zero).sum() : null;
          return new Tensor[] {
              gradFor(Tensor.where(m, zero, g[0]), x),
              gv == null ? null : gv.dtype() == value.dtype() ? gv : gv.to(value.dtype())
          };
        });
  }

  /** {@code torch.masked_select(x, mask)}: the elements where the broadcast mask is true, 1-D. */
  static Tensor maskedSelect(Tensor x, Tensor mask) {
    Checks.checkSameDevice("masked_select", x, mask);
    if (mask.dtype() != DType.BOOL) {
      throw new IllegalArgumentException(
          "masked_select: expected BoolTensor or ByteTensor for mask");
    }
    Shape bs = Shape.broadcast(mask.shape(), x.shape(), "masked_select"); // PyTorch's order
    boolean[] mv;
    try (var g = NoGrad.enter()) {
      mv = mask.expand(bs.dims()).contiguous().toBooleanArray();
    }
    int k = 0;
    for (boolean b : mv) {
      k += b ? 1 : 0;
    }
    long[] sel = new long[k];
    long[] pos = new long[mv.length]; // where each element's gradient comes from (k: nowhere)
    int j = 0;
    for (int i = 0; i < mv.length; i++) {
      if (mv[i]) {
        pos[i] = j;
        sel[j++] = i;
      } else {
        pos[i] = k;
      }
    }
    Tensor out;
    Tensor selT = Tensor.fromArray(sel, k).to(x.device());
    try (var g = NoGrad.enter()) {
      out = x.expand(bs.dims()).reshape(-1).indexSelect(0, selT);
    }
    Tensor posT = Tensor.fromArray(pos, pos.length).to(x.device());
    return Tensor.record("MaskedSelectBackward0", out, new Tensor[] {x}, NONE,
        g -> {
          // the gradient padded with one zero, read back at each element's position
          Tensor pad = Tensor.cat(java.util.List.of(g[0],
              Tensor.zeros(Shape.of(1), g[0].dtype(), g[0].device())), 0);
          return new Tensor[] {gradFor(pad.indexSelect(0, posT).reshape(bs.dims()), x)};
        });
  }

  /** The dtype of a Python scalar next to tensor {@code t} (PyTorch's wrapped-number rule). */
  static DType scalarType(Tensor t, double v) {
    if (t.isFloatingPoint()) {
      return t.dtype();
    }
    return v == Math.rint(v) && !Double.isInfinite(v) ? DType.INT64 : DType.FLOAT32;
  }

  /** {@code torch.where(cond, a, b)} with a Python scalar {@code a}. */
  static Tensor where(Tensor cond, double a, Tensor b) {
    return Tensor.where(cond, Tensor.scalar(a, scalarType(b, a), b.device()), b);
  }

  /** {@code torch.where(cond, a, b)} with a Python scalar {@code b}. */
  static Tensor where(Tensor cond, Tensor a, double b) {
    return Tensor.where(cond, a, Tensor.scalar(b, scalarType(a, b), a.device()));
  }

  /**
   * {@code torch.nan_to_num(x, nan, posinf, neginf)}; a null {@code posinf}/{@code neginf} means
   * the dtype's largest/lowest finite value. Integer tensors are returned as a copy.
   */
  static Tensor nanToNum(Tensor x, double nan, Double posinf, Double neginf) {
    if (!x.isFloatingPoint()) {
      return x.clone();
    }
    double big = x.dtype() == DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
    double pi = posinf == null ? big : posinf;
    double ni = neginf == null ? -big : neginf;
    Tensor out;
    Tensor finite;
    try (var g = NoGrad.enter()) {
      Tensor s = x;
      s = Tensor.where(x.isnan(), Tensor.scalar(nan, x.dtype(), x.device()), s);
      s = Tensor.where(x.eq(Double.POSITIVE_INFINITY), Tensor.scalar(pi, x.dtype(), x.device()), s);
      s = Tensor.where(x.eq(Double.NEGATIVE_INFINITY), Tensor.scalar(ni, x.dtype(), x.device()), s);
      out = s;
      finite = x.isnan().logicalOr(x.isinf()).logicalNot();
    }
    return Tensor.record("NanToNumBackward0", out, new Tensor[] {x}, new Tensor[] {finite},
        g -> new Tensor[] {Tensor.where(finite, g[0], Tensor.zerosLike(g[0]))});
  }

  /** {@code torch.repeat_interleave(x, repeats, dim)}: each slice along dim repeated; index_select. */
  static Tensor repeatInterleave(Tensor x, long[] repeats, Integer dim) {
    if (dim != null && x.dim() == 0) {
      throw new IndexOutOfBoundsException(
          "Dimension specified as " + dim + " but tensor has no dimensions");
    }
    Tensor src = dim == null ? x.reshape(-1) : x;
    int d = dim == null ? 0 : Shape.normalizeDim(dim, x.dim());
    long n = src.dim() == 0 ? 1 : src.size(d);
    if (repeats.length != 1 && repeats.length != n) {
      throw new IllegalArgumentException("repeats must have the same size as input along dim");
    }
    long total = 0;
    for (long r : repeats) {
      if (r < 0) {
        throw new IllegalArgumentException("repeats can not be negative");
      }
    }
    for (long i = 0; i < n; i++) {
      total += repeats.length == 1 ? repeats[0] : repeats[(int) i];
    }
    long[] idx = new long[Math.toIntExact(total)];
    int j = 0;
    for (int i = 0; i < n; i++) {
      long r = repeats.length == 1 ? repeats[0] : repeats[i];
      for (long c = 0; c < r; c++) {
        idx[j++] = i;
      }
    }
    return src.indexSelect(d, Tensor.fromArray(idx, idx.length).to(x.device()));
  }

  /** {@code torch.repeat_interleave(x, repeats_tensor, dim)}: a 0-d or 1-d int64 {@code repeats}. */
  static Tensor repeatInterleave(Tensor x, Tensor repeats, Integer dim) {
    if (repeats.dtype() != DType.INT64) {
      // PyTorch 1.13's text for a float repeats tensor
      throw new IllegalArgumentException(
          "\"repeat_interleave_cpu\" not implemented for '" + Checks.scalarTypeName(repeats.dtype())
              + "'");
    }
    if (repeats.dim() > 1) {
      throw new IllegalArgumentException("repeats must be 0-dim or 1-dim tensor");
    }
    return repeatInterleave(x, repeats.reshape(-1).toLongArray(), dim);
  }
}
