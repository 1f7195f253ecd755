package dev.jnn.tensor;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;

/**
 * Reductions built on the existing ones (issue 17 item 7): {@code torch.logsumexp}, {@code
 * torch.std}, {@code torch.norm}. The forward runs under no-grad from existing ops (every back
 * end, no new kernel); the backward is recorded under PyTorch's grad_fn name with PyTorch's
 * formula (tools/autograd/derivatives.yaml, FunctionsManual.cpp of 1.13) written in differentiable
 * ops.
 */
final class StatOps {
  private StatOps() {}

  /** The number of elements reduced over the (normalised) {@code d}. */
  private static long count(Tensor x, int[] d) {
    long n = 1;
    for (int i : d) {
      n *= x.dim() == 0 ? 1 : x.size(i);
    }
    return n;
  }

  /** {@code r} (reduced with keepdim=false) with the reduced dims put back as size 1. */
  static Tensor keep(Tensor r, Tensor x, int[] d, boolean keepdim) {
    if (keepdim || x.dim() == 0) {
      return r;
    }
    Tensor k = r;
    for (int i : d) {
      k = k.unsqueeze(i);
    }
    return k;
  }

  /** {@code r} (reduced with keepdim=true) without the reduced dims unless {@code keepdim}. */
  private static Tensor drop(Tensor r, int[] d, boolean keepdim) {
    if (keepdim) {
      return r;
    }
    Tensor k = r;
    for (int i = d.length - 1; i >= 0; i--) {
      k = k.squeeze(d[i]);
    }
    return k;
  }

  /** Max (or min) over several dims with keepdim=true; {@code x} has at least one element. */
  private static Tensor amaxKeep(Tensor x, int[] d, boolean max) {
    Tensor m = x;
    if (x.dim() == 0) {
      return x;
    }
    for (int i : d) {
      m = max ? m.max(i, true).values() : m.min(i, true).values();
    }
    return m;
  }

  // ------------------------------------------------------------------ logsumexp

  /**
   * {@code torch.logsumexp(x, dim, keepdim)}: {@code log(sum(exp(x - m))) + m} with {@code m} the
   * max over the dims (infinite maxima replaced by 0, as PyTorch does); bool/int inputs give
   * float32. An empty {@code dims} reduces every dim (PyTorch 2.x; 1.13 fails with an unrelated
   * broadcast message).
   */
  static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
    int[] d = ReduceOps.normDims(x, dims);
    Tensor xf = x.isFloatingPoint() ? x : x.to(DType.FLOAT32);
    Tensor outKeep;
    try (var g = NoGrad.enter()) {
      if (xf.dim() == 0) {
        outKeep = xf.clone();
      } else if (xf.numel() == 0) {
        // the sum over an empty dim is 0, and log(0) = -inf: PyTorch's value
        outKeep = xf.sum(d, true).log();
      } else {
        Tensor m = amaxKeep(xf, d, true);
        m = Tensor.where(m.abs().eq(Double.POSITIVE_INFINITY),
            Tensor.scalar(0, m.dtype(), m.device()), m);
        outKeep = xf.sub(m).exp().sum(d, true).log().add(m);
      }
    }
    Tensor out = xf.dim() == 0 ? outKeep : drop(outKeep, d, keepdim);
    return Tensor.record("LogsumexpBackward0", out, new Tensor[] {xf}, new Tensor[] {xf, out},
        g -> new Tensor[] {
            keep(g[0], xf, d, keepdim).mul(xf.sub(keep(out, xf, d, keepdim)).exp())
        });
  }

  // ------------------------------------------------------------------ std

  /** {@code torch.std(x, dim, correction=correction, keepdim)}: the root of {@code var}. */
  static Tensor std(Tensor x, int[] dims, int correction, boolean keepdim) {
    Tensor out;
    try (var g = NoGrad.enter()) {
      out = x.var(dims, correction, keepdim).sqrt();
    }
    int[] d = ReduceOps.normDims(x, dims);
    long n = count(x, d);
    return Tensor.record("StdBackward0", out, new Tensor[] {x}, new Tensor[] {x, out},
        g -> {
          // PyTorch: var_backward(grad / (2 * std)) = grad / std * (x - mean) / (n - correction)
          Tensor gs = keep(g[0].div(out), x, d, keepdim);
          Tensor mean = x.dim() == 0 ? x : x.mean(dims, true);
          return new Tensor[] {gs.mul(x.sub(mean)).div((double) (n - correction))};
        });
  }

  // ------------------------------------------------------------------ norm

  /**
   * {@code torch.norm(x, p, dim, keepdim)} for a numeric {@code p}: 2 (Euclidean, the default), 1,
   * +-inf (max/min of |x|), 0 (count of non-zeros) or any other p ({@code sum(|x|^p)^(1/p)}). A
   * null or empty {@code dims} reduces every dim.
   */
  static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) {
    if (!x.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "norm(): input dtype should be either floating point or complex. Got "
              + Checks.scalarTypeName(x.dtype()) + " instead.");
    }
    int[] d = ReduceOps.normDims(x, dims);
    Tensor out;
    try (var g = NoGrad.enter()) {
      Tensor a = x.abs();
      Tensor r;
      if (p == 2) {
        r = x.mul(x).sum(d, keepdim).sqrt();
      } else if (p == 1) {
        r = a.sum(d, keepdim);
      } else if (Double.isInfinite(p)) {
        // PyTorch 1.13: the inf norm over an empty dim is 0 (2.x raises)
        r = x.numel() == 0 ? a.sum(d, keepdim) : drop(amaxKeep(a, d, p > 0), d, keepdim);
      } else if (p == 0) {
        r = x.ne(0).to(x.dtype()).sum(d, keepdim);
      } else {
        r = a.pow(p).sum(d, keepdim).pow(1 / p);
      }
      out = r;
    }
    Tensor res = out;
    return Tensor.record("NormBackward1", res, new Tensor[] {x}, new Tensor[] {x, res},
        g -> new Tensor[] {normBackward(g[0], x, res, p, d, keepdim)});
  }

  /** PyTorch 1.13's {@code norm_backward} (FunctionsManual.cpp). */
  private static Tensor normBackward(
      Tensor grad, Tensor x, Tensor norm, double p, int[] d, boolean keepdim) {
    Tensor g = keep(grad, x, d, keepdim);
    Tensor nrm = keep(norm, x, d, keepdim);
    Tensor zero = Tensor.scalar(0, x.dtype(), x.device());
    if (p == 0) {
      return Tensor.zerosLike(x);
    }
    if (p == 1) {
      return x.sign().mul(g);
    }
    if (p == 2) {
      // grad * x / norm, 0 where the norm is 0
      return x.mul(Tensor.where(nrm.eq(0), zero, g.div(nrm)));
    }
    if (Double.isInfinite(p)) {
      Tensor a = x.abs();
      Tensor mask = a.eq(nrm).logicalOr(a.isnan()).to(x.dtype());
      return x.sign().mul(g.div(mask.sum(d, true)).mul(mask));
    }
    if (p < 1) {
      Tensor scaled = Tensor.where(x.eq(0), zero, x.sign().mul(x.abs().pow(p - 1)));
      return scaled.mul(g).mul(nrm.pow(1 - p));
    }
    Tensor scaled = p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
    Tensor scale = Tensor.where(nrm.eq(0), zero, g.div(nrm.pow(p - 1)));
    return scaled.mul(scale);
  }
}
