package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import java.util.List;

/**
 * Cumulative ops ({@code torch.cumsum}, {@code torch.cumprod}), issue 17 item 7. The forward is an
 * inclusive scan built from existing ops (Hillis-Steele: log2(n) steps of narrow, add/mul and cat),
 * so it runs on every back end with no new kernel; the backward is recorded under PyTorch's
 * grad_fn name with its formula written in differentiable ops (so double backward works).
 */
final class CumulativeOps {
  private CumulativeOps() {}

  /** PyTorch's result dtype: {@code dtype} when given, else int64 for bool/int, else the input's. */
  private static DType resultType(Tensor x, DType dtype) {
    if (dtype != null) {
      return dtype;
    }
    return x.isFloatingPoint() ? x.dtype() : DType.INT64;
  }

  /** Inclusive scan along {@code d} with add ({@code sum}) or mul, no autograd. */
  private static Tensor scan(Tensor x, int d, boolean sum) {
    long n = x.size(d);
    Tensor y = x;
    for (long s = 1; s < n; s <<= 1) {
      Tensor head = y.narrow(d, 0, s);
      Tensor prev = y.narrow(d, 0, n - s);
      Tensor cur = y.narrow(d, s, n - s);
      y = Tensor.cat(List.of(head, sum ? cur.add(prev) : cur.mul(prev)), d);
    }
    return y == x ? x.clone() : y;
  }

  private static Tensor forward(Tensor x, int dim, DType dtype, boolean sum) {
    int d = Shape.normalizeDim(dim, x.dim());
    DType rt = resultType(x, dtype);
    try (var g = NoGrad.enter()) {
      Tensor xc = x.dtype() == rt ? x : x.to(rt);
      if (x.dim() == 0 || x.numel() == 0) {
        return xc.clone();
      }
      return scan(xc, d, sum);
    }
  }

  /** {@code torch.cumsum(x, dim, dtype=dtype)}; {@code dtype} may be null. */
  static Tensor cumsum(Tensor x, int dim, DType dtype) {
    Tensor out = forward(x, dim, dtype, true);
    int d = x.dim() == 0 ? 0 : Shape.normalizeDim(dim, x.dim());
    DType inType = x.dtype();
    return Tensor.record("CumsumBackward0", out, new Tensor[] {x}, new Tensor[0],
        g -> {
          // PyTorch: cumsum_backward(grad.to(self.scalar_type()), dim)
          Tensor gi = g[0].dtype() == inType ? g[0] : g[0].to(inType);
          return new Tensor[] {x.dim() == 0 ? gi : reverseCumsum(gi, d)};
        });
  }

  /** {@code sum_{j >= i} g_j} along {@code d}: the flipped cumsum of the flipped gradient. */
  private static Tensor reverseCumsum(Tensor g, int d) {
    if (g.size(d) <= 1) {
      return g;
    }
    return cumsum(g.flip(d), d, null).flip(d);
  }

  /** {@code torch.cumprod(x, dim, dtype=dtype)}; {@code dtype} may be null. */
  static Tensor cumprod(Tensor x, int dim, DType dtype) {
    Tensor out = forward(x, dim, dtype, false);
    int d = x.dim() == 0 ? 0 : Shape.normalizeDim(dim, x.dim());
    DType inType = x.dtype();
    return Tensor.record("CumprodBackward0", out, new Tensor[] {x}, new Tensor[] {x, out},
        g -> {
          // PyTorch: cumprod_backward(grad.to(self.scalar_type()), self, dim, result)
          Tensor gi = g[0].dtype() == inType ? g[0] : g[0].to(inType);
          return new Tensor[] {x.dim() == 0 || x.numel() == 0 ? gi : cumprodBackward(gi, x, out, d)};
        });
  }

  /**
   * d out_j / d x_k = prod_{i <= j, i != k} x_i for j >= k. Without zeros in {@code x} this is
   * PyTorch's {@code reversed_cumsum(g * out) / x}; with zeros that quotient is undefined, so each
   * k's product is formed explicitly: E[k][i] = (i == k ? 1 : x_i), cumprod along i, masked to
   * i >= k and contracted with g (O(n^2) memory per row, only when a zero is present).
   */
  private static Tensor cumprodBackward(Tensor g, Tensor x, Tensor out, int d) {
    Tensor xc = x;
    boolean hasZero;
    try (var ng = NoGrad.enter()) {
      hasZero = xc.eq(0).any().item() != 0;
    }
    if (!hasZero) {
      Tensor q = reverseCumsum(g.mul(out), d).div(xc);
      return q.dtype() == x.dtype() ? q : q.to(x.dtype());
    }
    int last = x.dim() - 1;
    Tensor xm = xc.transpose(d, last); // [..., n]
    Tensor gm = g.transpose(d, last);
    long n = xm.size(-1);
    int ni = Math.toIntExact(n);
    boolean[] diag = new boolean[Math.multiplyExact(ni, ni)];
    boolean[] up = new boolean[diag.length];
    for (int k = 0; k < ni; k++) {
      for (int i = 0; i < ni; i++) {
        diag[k * ni + i] = i == k;
        up[k * ni + i] = i >= k;
      }
    }
    Tensor eye = Tensor.fromArray(diag, n, n).to(x.device());
    Tensor one = Tensor.scalar(1, xm.dtype(), x.device());
    Tensor e = Tensor.where(eye, one, xm.unsqueeze(-2)); // [..., k, i]
    Tensor c = cumprod(e, -1, null);
    Tensor upper = Tensor.fromArray(up, n, n).to(x.device()); // i >= k
    Tensor zero = Tensor.scalar(0, xm.dtype(), x.device());
    Tensor terms = Tensor.where(upper, c.mul(gm.unsqueeze(-2)), zero);
    return terms.sum(-1, false).transpose(d, last);
  }
}
