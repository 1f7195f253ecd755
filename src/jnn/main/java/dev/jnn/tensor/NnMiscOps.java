package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.backend;
import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.checkDevice;
import static dev.jnn.tensor.NnOpSupport.checkFloating;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.needsGrad;
import static dev.jnn.tensor.NnOpSupport.typeName;
import static dev.jnn.tensor.NnOpSupport.uninitialized;
import static dev.jnn.tensor.NnOpSupport.zeros;

import dev.jnn.autograd.GradMode;
import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.Backend;
import dev.jnn.backend.EmbeddingShape;
import dev.jnn.backend.GemmSpec;
import dev.jnn.backend.IndexKernels;
import dev.jnn.backend.ScatterSpec;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Py;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Internal: the op families behind {@code nn.functional.Functional}'s linear, dropout, padding
 * and embedding functions; use {@code Functional}. Each op validates its arguments with
 * PyTorch's messages, allocates its output, runs the back end's kernels and records its backward
 * beside the forward (padding and dropout are compositions of {@link Tensor} ops). Public only
 * because {@code Functional} lives in another package.
 */
public final class NnMiscOps {
  private NnMiscOps() {}

  /** {@code F.linear}: {@code y = x W^T + b}; {@code bias} may be null. */
  public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
    checkDevice("linear", input, weight, bias);
    boolean fast =
        input.dim() >= 1
            && weight.dim() == 2
            && input.isFloatingPoint()
            && input.dtype() == weight.dtype()
            && (bias == null || (bias.dim() == 1 && bias.dtype() == input.dtype()))
            && input.size(-1) == weight.size(1)
            && (bias == null || bias.size(0) == weight.size(0));
    if (!fast) {
      if (input.dtype() != weight.dtype() && input.isFloatingPoint()) {
        throw new IllegalArgumentException("mat1 and mat2 must have the same dtype");
      }
      Tensor y = input.matmul(weight.t());
      return bias == null ? y : y.add(bias);
    }
    long in = weight.size(1);
    long outF = weight.size(0);
    long[] outDims = input.shape().dims();
    outDims[outDims.length - 1] = outF;
    long rows = 1;
    for (int i = 0; i < input.dim() - 1; i++) {
      rows *= input.size(i);
    }
    int m = Math.toIntExact(rows);
    final int mm = m;
    final int n = (int) outF;
    final int kk = (int) in;
    final Tensor xc = contig(input);
    final Tensor wc = contig(weight);
    final Backend be = input.backend();
    Tensor out = Tensor.empty(Shape.of(outDims), input.dtype(), input.device());
    if (bias != null && mm > 0) {
      Tensor bc = contig(bias);
      be.copy(
          new View(buf(bc), new int[] {mm, n}, new int[] {0, 1}, bc.view().offset()),
          View.contiguous(buf(out), new int[] {mm, n}));
    }
    if (mm > 0 && n > 0 && kk > 0) {
      be.gemm(GemmSpec.of(false, true, mm, n, kk, GemmSpec.Operand.at(xc.view().offset(), kk),
              GemmSpec.Operand.at(wc.view().offset(), kk), GemmSpec.Operand.at(0, n))
              .accumulating(bias != null),
          buf(xc), buf(wc), buf(out));
    }
    final Shape inShape = input.shape();
    return Tensor.record(
        "AddmmBackward0",
        out,
        new Tensor[] {input, weight, bias},
        new Tensor[] {input, weight},
        gr -> {
          Tensor g = contig(gr[0]);
          int go = g.view().offset();
          Tensor gx = null;
          Tensor gw = null;
          Tensor gb = null;
          boolean product = mm > 0 && kk > 0 && n > 0; // the GEMMs below write every element
          if (input.requiresGrad()) {
            gx = product ? uninitialized(inShape, input) : zeros(inShape, input);
            if (mm > 0 && kk > 0 && n > 0) {
              be.gemm(GemmSpec.of(false, false, mm, kk, n, GemmSpec.Operand.at(go, n),
                      GemmSpec.Operand.at(wc.view().offset(), kk), GemmSpec.Operand.at(0, kk)),
                  buf(g), buf(wc), buf(gx));
            }
          }
          if (weight.requiresGrad()) {
            gw = product ? uninitialized(weight.shape(), weight) : zeros(weight.shape(), weight);
            if (mm > 0 && kk > 0 && n > 0) {
              be.gemm(GemmSpec.of(true, false, n, kk, mm, GemmSpec.Operand.at(go, n),
                      GemmSpec.Operand.at(xc.view().offset(), kk), GemmSpec.Operand.at(0, kk)),
                  buf(g), buf(xc), buf(gw));
            }
          }
          if (needsGrad(bias)) {
            gb = g.reshape(mm, n).sum(0, false);
          }
          return new Tensor[] {gx, gw, gb};
        });
  }

  /**
   * PyTorch's {@code p} check of the dropout functions and modules: {@code dropout probability has
   * to be between 0 and 1, but got 1.5} ({@code p} as Python prints it).
   */
  public static void checkDropoutProbability(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + Py.floatRepr(p));
    }
  }

  /** {@code F.dropout} drawing its mask seed from {@code generator}. */
  public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
    checkDropoutProbability(p);
    if (!training || p == 0.0 || input.numel() == 0) {
      return input;
    }
    checkFloating("dropout", input);
    if (p == 1.0) {
      return input.mul(0.0);
    }
    Tensor mask =
        FusedOps.dropoutMask(input.shape(), input.dtype(), input.device(), p, 1.0 / (1.0 - p),
            generator.nextSeed());
    return input.mul(mask);
  }

  /**
   * {@code F.dropout1d}: channel-wise dropout of {@code [N, C, L]} or unbatched {@code [C, L]}
   * input (1.13's Python: the rank check, an unbatched input is unsqueezed to a batch of one, {@code
   * feature_dropout}, squeezed back).
   */
  public static Tensor dropout1d(
      Tensor input, double p, boolean training, boolean inplace, Generator generator) {
    checkDropoutProbability(p);
    int d = input.dim();
    if (d != 2 && d != 3) {
      throw new IllegalArgumentException(
          "dropout1d: Expected 2D or 3D input, but received a " + d + "D input. Note that"
              + " dropout1d exists to provide channel-wise dropout on inputs with 1 spatial"
              + " dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D"
              + " inputs).");
    }
    return featureDropoutMaybeUnbatched(input, p, training, inplace, generator, d == 2);
  }

  /**
   * {@code F.dropout2d} after its warnings (in {@code Functional}): {@code feature_dropout} of the
   * input as it is (1.13 treats a 3-d input as {@code [N, C, L]}, not as unbatched).
   */
  public static Tensor dropout2d(
      Tensor input, double p, boolean training, boolean inplace, Generator generator) {
    checkDropoutProbability(p);
    return featureDropout(input, p, training, inplace, generator, false);
  }

  /**
   * {@code F.dropout3d} after its warning (in {@code Functional}): a 5-d input is batched, any
   * other rank is unsqueezed to a batch of one first, as 1.13 does.
   */
  public static Tensor dropout3d(
      Tensor input, double p, boolean training, boolean inplace, Generator generator) {
    checkDropoutProbability(p);
    return featureDropoutMaybeUnbatched(
        input, p, training, inplace, generator, input.dim() != 5);
  }

  private static Tensor featureDropoutMaybeUnbatched(
      Tensor input, double p, boolean training, boolean inplace, Generator generator,
      boolean unbatched) {
    if (!unbatched) {
      return featureDropout(input, p, training, inplace, generator, false);
    }
    if (inplace) {
      // 1.13 runs input.unsqueeze_(0) first, which a leaf that requires grad refuses even in eval
      if (GradMode.isEnabled() && input.isLeaf() && input.requiresGrad()) {
        throw new IllegalStateException(
            "a leaf Variable that requires grad is being used in an in-place operation."
                + " (unsqueeze_)");
      }
      // the batch of one as a noise shape: the input keeps its rank and is the result
      return featureDropout(input, p, training, true, generator, true);
    }
    return featureDropout(input.unsqueeze(0), p, training, false, generator, false).squeeze(0);
  }

  /**
   * ATen's {@code feature_dropout} / {@code feature_dropout_}: nothing to do outside training, at
   * {@code p = 0} or for an empty input (the input itself is returned); {@code input * 0} at
   * {@code p = 1}; else {@code input * noise} with one Bernoulli(1 - p) draw scaled by {@code 1 /
   * (1 - p)} per (sample, channel), i.e. a noise of shape {@code [N, C, 1, ...]}. With {@code
   * batchOfOne} the input is an unbatched channel-first tensor treated as a batch of one (noise
   * {@code [C, 1, ...]}).
   */
  private static Tensor featureDropout(
      Tensor input, double p, boolean training, boolean inplace, Generator generator,
      boolean batchOfOne) {
    if (p == 0.0 || !training || input.numel() == 0) {
      return input;
    }
    if (p == 1.0) {
      Tensor zero = Tensor.zeros(Shape.of(), input.dtype(), input.device());
      return inplace ? input.mulInPlace(zero) : input.mul(zero);
    }
    int rank = input.dim() + (batchOfOne ? 1 : 0);
    if (rank < 2) {
      throw new IllegalArgumentException(
          "Feature dropout requires at least 2 dimensions in the input");
    }
    if (!input.isFloatingPoint()) {
      // 1.13 fails dividing its noise (of the input's dtype) by 1 - p in place
      throw new IllegalArgumentException(
          "result type Float can't be cast to the desired output type "
              + typeName(input.dtype()));
    }
    long[] noise = new long[input.dim()];
    Arrays.fill(noise, 1);
    noise[0] = input.size(0);
    if (!batchOfOne) {
      noise[1] = input.size(1);
    }
    Tensor mask = FusedOps.dropoutMask(Shape.of(noise), input.dtype(), input.device(), p,
        1.0 / (1.0 - p), generator.nextSeed());
    return inplace ? input.mulInPlace(mask) : input.mul(mask);
  }

  /** {@code F.pad(input, pad, mode, value)}. */
  public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
    if (pad.length % 2 != 0) {
      throw new IllegalArgumentException("Padding length must be divisible by 2");
    }
    if (pad.length / 2 > input.dim()) {
      throw new IllegalArgumentException("Padding length too large");
    }
    switch (mode) {
      case "constant" -> {
        return constantPad(input, pad, value);
      }
      case "reflect", "replicate", "circular" -> {
        if (value != 0.0) {
          throw new IllegalArgumentException(
              "Padding mode \"" + mode + "\" doesn't take in value argument");
        }
        int k = pad.length / 2;
        int d = input.dim();
        if (!(k == 1 && (d == 2 || d == 3) || k == 2 && (d == 3 || d == 4) || k == 3 && (d == 4 || d == 5))) {
          throw new UnsupportedOperationException(
              "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        }
        return indexPad(input, pad, mode);
      }
      default -> throw new UnsupportedOperationException("Unrecognised padding mode " + mode);
    }
  }

  /** {@code at::constant_pad_nd}: crop by narrowing, then surround with blocks of {@code value}. */
  private static Tensor constantPad(Tensor input, int[] pad, double value) {
    Tensor x = input;
    int k = pad.length / 2;
    int first = input.dim() - k;
    for (int i = 0; i < k; i++) {
      int dim = first + i;
      int lo = pad[pad.length - 2 * (i + 1)];
      int hi = pad[pad.length - 2 * (i + 1) + 1];
      if (lo < 0) {
        x = checkedNarrow(x, dim, -lo, x.size(dim) + lo);
      }
      if (hi < 0) {
        x = checkedNarrow(x, dim, 0, x.size(dim) + hi);
      }
    }
    for (int i = 0; i < k; i++) {
      int dim = first + i;
      int lo = Math.max(0, pad[pad.length - 2 * (i + 1)]);
      int hi = Math.max(0, pad[pad.length - 2 * (i + 1) + 1]);
      if (lo == 0 && hi == 0) {
        continue;
      }
      List<Tensor> parts = new ArrayList<>(3);
      if (lo > 0) {
        parts.add(block(x, dim, lo, value));
      }
      parts.add(x);
      if (hi > 0) {
        parts.add(block(x, dim, hi, value));
      }
      x = Tensor.cat(parts, dim);
    }
    return x == input ? input.clone() : x;
  }

  private static Tensor checkedNarrow(Tensor x, int dim, long start, long length) {
    if (length < 0) {
      throw new IllegalArgumentException(
          "start (" + start + ") + length (" + length + ") exceeds dimension size (" + x.size(dim) + ").");
    }
    return x.narrow(dim, start, length);
  }

  /** A tensor like {@code x} with {@code dim} of size {@code n}, filled with {@code value}. */
  private static Tensor block(Tensor x, int dim, int n, double value) {
    long[] shape = x.shape().dims();
    shape[dim] = n;
    return Tensor.full(Shape.of(shape), value, x.dtype(), x.device());
  }

  /** Reflect / replicate / circular padding of the last {@code pad.length / 2} dims, by index maps. */
  private static Tensor indexPad(Tensor input, int[] pad, String mode) {
    int k = pad.length / 2;
    int d = input.dim();
    // PyTorch checks width, then height, then depth, naming "Argument #4, #6, #8"
    for (int i = 0; i < k; i++) {
      int dim = d - 1 - i;
      int lo = pad[2 * i];
      int hi = pad[2 * i + 1];
      long n = input.size(dim);
      if (n == 0) {
        throw new ShapeMismatchException(
            "Expected " + (k + 1) + "D or " + (k + 2) + "D (batch mode) tensor with possibly 0 batch size"
                + " and other non-zero dimensions for input, but got: " + input.shape());
      }
      if (mode.equals("reflect") && !(lo < n && hi < n)) {
        // the 2-d kernels print the input's rank where the 1-d and 3-d ones print its sizes
        String of = k == 2 ? String.valueOf(d) : input.shape().toString();
        throw new ShapeMismatchException(
            "Argument #" + (4 + 2 * i) + ": Padding size should be less than the corresponding input"
                + " dimension, but got: padding (" + lo + ", " + hi + ") at dimension " + dim
                + " of input " + of);
      }
      if (mode.equals("circular") && !(lo <= n && hi <= n)) {
        throw new ShapeMismatchException("Padding value causes wrapping around more than once.");
      }
    }
    Tensor y = input;
    for (int i = 0; i < k; i++) {
      int dim = d - 1 - i;
      int lo = pad[2 * i];
      int hi = pad[2 * i + 1];
      if (lo != 0 || hi != 0) {
        y = y.indexSelect(dim, padIndex(y.size(dim), lo, hi, mode).to(y.device()));
      }
    }
    return y == input ? input.clone() : y;
  }

  /** Where each output position along one dim reads from. */
  private static Tensor padIndex(long n, int lo, int hi, String mode) {
    long[] idx = new long[Math.toIntExact(n + lo + hi)];
    for (int i = 0; i < idx.length; i++) {
      long j = i - lo;
      idx[i] =
          switch (mode) {
            case "reflect" -> j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j);
            case "circular" -> Math.floorMod(j, n);
            default -> Math.min(Math.max(j, 0), n - 1); // replicate
          };
    }
    return Tensor.fromArray(idx, idx.length);
  }

  /**
   * {@code F.embedding}; a {@code paddingIdx} of -1 without padding row (Functional resolves a
   * negative one first).
   */
  public static Tensor embedding(Tensor input, Tensor weight, long paddingIdx) {
    return embedding(input, weight, paddingIdx, false);
  }

  /**
   * {@code torch.embedding(weight, input, padding_idx, scale_grad_by_freq)}: the lookup, whose
   * backward adds each output row's gradient into the weight row it came from, except into row
   * {@code paddingIdx} (-1: none); with {@code scaleGradByFreq}, row {@code k}'s gradient is divided
   * by the number of times {@code k} occurs in {@code input} (ATen's {@code
   * embedding_dense_backward}).
   */
  public static Tensor embedding(
      Tensor input, Tensor weight, long paddingIdx, boolean scaleGradByFreq) {
    if (weight.dim() != 2) {
      throw new IllegalArgumentException("'weight' must be 2-D");
    }
    if (input.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          "Expected tensor for argument #1 'indices' to have one of the following scalar types:"
              + " Long, Int; but got torch." + typeName(input.dtype())
              + "Tensor instead (while checking arguments for embedding)");
    }
    checkDevice("embedding", weight, input);
    final int count = Math.toIntExact(input.numel());
    final int num = weight.shape().getInt(0);
    if (num == 0 && count > 0) {
      // PyTorch's embedding is an index_select on the weight
      throw new IndexOutOfBoundsException(
          "index_select(): self indexing axis dim should be positive");
    }
    final int dim = weight.shape().getInt(1);
    long[] dims = Arrays.copyOf(input.shape().dims(), input.dim() + 1);
    dims[input.dim()] = dim;
    final Tensor ic = contig(input);
    final Tensor wc = contig(weight);
    final IndexKernels k = backend(weight);
    final EmbeddingShape sh = new EmbeddingShape(count, num, dim);
    Tensor out = Tensor.empty(Shape.of(dims), weight.dtype(), weight.device());
    if (count > 0 && dim > 0) {
      k.embedding(wc.view(), ic.view(), sh, buf(out));
    }
    return Tensor.record(
        "EmbeddingBackward0",
        out,
        new Tensor[] {weight},
        new Tensor[] {input},
        gr -> {
          Tensor go = contig(gr[0]);
          Tensor gw = zeros(weight.shape(), weight);
          if (count > 0 && dim > 0) {
            k.embeddingBackward(go.view(), ic.view(), sh, paddingIdx, buf(gw));
            if (scaleGradByFreq) {
              gw = gw.mul(inverseCounts(ic, num, weight));
            }
          }
          return new Tensor[] {gw};
        });
  }

  /**
   * {@code 1 / count(k)} per weight row {@code k} as a {@code [num, 1]} column (1 where {@code k}
   * does not occur: its gradient row is zero anyway).
   */
  private static Tensor inverseCounts(Tensor indices, int num, Tensor like) {
    Tensor flat = indices.reshape(-1);
    Tensor counts = ScatterOps.scatterRaw(
        Tensor.zeros(Shape.of(num), like.dtype(), like.device()), 0, flat,
        Tensor.ones(flat.shape(), like.dtype(), like.device()), ScatterSpec.Reduce.SUM);
    return counts.clampMin(1.0).reciprocal().unsqueeze(1);
  }

  /**
   * {@code torch.embedding_renorm_(weight, indices, max_norm, norm_type)}, which {@code
   * F.embedding} runs under no-grad when given {@code max_norm}: every row of {@code weight} that
   * {@code indices} looks up and whose {@code normType}-norm exceeds {@code maxNorm} is scaled in
   * place by {@code maxNorm / (norm + 1e-7)} (the scale in float64, applied in the weight's
   * dtype); the weight's version counter moves once, as PyTorch's does, whether or not a row
   * changed.
   *
   * <p>All checks run before anything is written: the weight's rank and the indices' dtype with
   * PyTorch's messages, then the index range. An index outside {@code [-num, num)} throws 1.13's
   * {@code select(): index 7 out of range for tensor of size [5, 3] at dimension 0} for the first
   * one in ascending order (PyTorch renormalises the rows before it first); a negative index
   * inside that range, which PyTorch's renorm wraps and its lookup then rejects, throws the
   * lookup's {@code index out of range in self} here, before any row is touched.
   */
  public static void embeddingRenorm(
      Tensor weight, Tensor indices, double maxNorm, double normType) {
    if (weight.dim() != 2) {
      throw new IllegalArgumentException(
          "Expected 2-dimensional tensor, but got " + weight.dim() + "-dimensional tensor for"
              + " argument #1 'self' (while checking arguments for embedding_renorm_)");
    }
    if (indices.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          "Expected tensor for argument #2 'indices' to have one of the following scalar types:"
              + " Long, Int; but got torch." + typeName(indices.dtype())
              + "Tensor instead (while checking arguments for embedding_renorm_)");
    }
    checkDevice("embedding_renorm_", weight, indices);
    long num = weight.size(0);
    long[] idx = indices.toLongArray();
    long[] sorted = idx.clone();
    Arrays.sort(sorted);
    boolean negative = false;
    for (long i : sorted) {
      if (i < -num || i >= num) {
        throw new IndexOutOfBoundsException(
            "select(): index " + i + " out of range for tensor of size " + weight.shape()
                + " at dimension 0");
      }
      negative |= i < 0;
    }
    if (negative) {
      throw new IndexOutOfBoundsException("index out of range in self");
    }
    if (idx.length > 0 && weight.size(1) > 0) {
      try (NoGrad ignored = NoGrad.enter()) {
        renormRows(weight, indices.reshape(-1), maxNorm, normType);
      }
    }
    weight.storage.bumpVersion();
  }

  /** Writes {@code weight[idx] * scale} back into {@code weight}'s rows, unrecorded. */
  private static void renormRows(Tensor weight, Tensor idx, double maxNorm, double normType) {
    Tensor rows = weight.indexSelect(0, idx);
    Tensor norms = rows.norm(normType, new int[] {1}, true).to(DType.FLOAT64);
    Tensor scale = Tensor.full(norms.shape(), maxNorm, DType.FLOAT64, weight.device())
        .div(norms.add(1e-7));
    scale = MaskOps.where(norms.gt(maxNorm), scale, 1.0).to(weight.dtype());
    Tensor renormed = ViewOps.contiguousRaw(rows.mul(scale));
    Tensor index = ViewOps.contiguousRaw(idx.unsqueeze(1).expand(rows.shape().dims()));
    if (weight.isContiguous() && weight.offset == 0) {
      // rows not over the limit are written back unchanged (times exactly 1)
      weight.backend().scatter(weight.storage.buffer(),
          new ScatterSpec(weight.shape.intDims(), 0, ScatterSpec.Reduce.ASSIGN), index.view(),
          renormed.view());
    } else {
      InPlaceOps.copyRaw(weight,
          ScatterOps.scatterRaw(weight, 0, index, renormed, ScatterSpec.Reduce.ASSIGN));
    }
  }
}
