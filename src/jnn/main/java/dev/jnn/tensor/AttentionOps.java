package dev.jnn.tensor;

import static dev.jnn.tensor.NnOpSupport.buf;
import static dev.jnn.tensor.NnOpSupport.contig;
import static dev.jnn.tensor.NnOpSupport.lowerTypeName;
import static dev.jnn.tensor.NnOpSupport.needsGrad;
import static dev.jnn.tensor.NnOpSupport.typeName;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.SoftmaxKernels;
import dev.jnn.backend.SoftmaxShape;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.Arrays;

/**
 * Internal: the attention ops behind {@code nn.functional.Functional}: {@code
 * scaled_dot_product_attention} and {@code multi_head_attention_forward}; use {@code Functional}.
 * Both are composites of differentiable ops (a batched GEMM, softmax, dropout, a batched GEMM) that
 * share one core, {@link #attention}, so they run on every back end with autograd; public only
 * because {@code Functional} lives in another package.
 *
 * <p>Memory: the core allocates the attention scores once ({@code [..., L, S]}, the mask added in
 * place, the scale folded into the query, which is {@code [..., L, E]}), frees them once the
 * softmax has read them (its backward needs only its output), and keeps what the backward needs:
 * the softmax output, the dropout mask when {@code dropout_p > 0}, and the inputs. Masks (the
 * causal one, a converted bool one, a merged key-padding one) are built once per call at their own
 * broadcast shape ({@code [L, S]} for the causal one) and broadcast by the kernels, never expanded.
 */
public final class AttentionOps {
  private AttentionOps() {}

  private static final String SDPA = "scaled_dot_product_attention";
  private static final String MHA = "multi_head_attention_forward";

  // ================================================================== scaled_dot_product_attention

  /**
   * {@code F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal,
   * scale)} of PyTorch 2.5+ (the math path, {@code _scaled_dot_product_attention_math}); {@code
   * scale} null means {@code 1 / sqrt(E)}, {@code generator} draws the dropout mask.
   */
  public static Tensor scaledDotProductAttention(
      Tensor query,
      Tensor key,
      Tensor value,
      Tensor attnMask,
      double dropoutP,
      boolean isCausal,
      Double scale,
      Generator generator) {
    validateSdpa(query, key, value, attnMask);
    if (isCausal && attnMask != null) {
      throw new IllegalArgumentException(
          "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
    }
    checkSdpaShapes(query, key, value, attnMask);
    long l = query.size(-2);
    long s = key.size(-2);
    double sc = scale != null ? scale : 1.0 / Math.sqrt(query.size(-1));
    Tensor mask;
    if (isCausal) {
      mask = causalMask(l, s, query.dtype(), query.device());
    } else if (attnMask != null && attnMask.dtype() == DType.BOOL) {
      // True takes part: 0 there, -inf elsewhere (PyTorch's convert_boolean_attn_mask)
      mask = boolToAdditive(attnMask, false, query.dtype());
    } else {
      mask = attnMask;
    }
    return attention(query, key, value, mask, sc, dropoutP, generator, !isCausal)[0];
  }

  /** PyTorch's validate_sdpa_input: its checks and messages, in its order. */
  private static void validateSdpa(Tensor query, Tensor key, Tensor value, Tensor attnMask) {
    if (query.dtype() != key.dtype() || query.dtype() != value.dtype()) {
      throw new IllegalArgumentException(
          "Expected query, key, and value to have the same dtype, but got query.dtype: "
              + lowerTypeName(query.dtype()) + " key.dtype: " + lowerTypeName(key.dtype())
              + " and value.dtype: " + lowerTypeName(value.dtype()) + " instead.");
    }
    if (!query.device().equals(key.device()) || !query.device().equals(value.device())) {
      throw new IllegalArgumentException(
          "Expected query, key, and value to have the same device type, but got query.device: "
              + query.device() + " key.device: " + key.device() + " and value.device: "
              + value.device() + " instead.");
    }
    if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2) {
      throw new IllegalArgumentException(
          "Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
              + query.dim() + " key.dim: " + key.dim() + " and value.dim: " + value.dim()
              + " instead.");
    }
    if (attnMask != null) {
      DType md = attnMask.dtype();
      if (md != DType.BOOL && md != DType.FLOAT32 && md != query.dtype()) {
        throw new IllegalArgumentException(
            "Expected attn_mask dtype to be bool or float or to match query dtype, but got"
                + " attn_mask.dtype: " + lowerTypeName(md) + " and  query.dtype: "
                + lowerTypeName(query.dtype()) + " instead.");
      }
    }
  }

  /**
   * jnn's checks of what PyTorch leaves to its matmul and in-place add: floating inputs, matching
   * {@code E} and {@code S}, broadcastable batch dims, a mask on the device that broadcasts to the
   * weights; returns the weights' shape {@code [batch..., L, S]}.
   */
  private static Shape checkSdpaShapes(Tensor query, Tensor key, Tensor value, Tensor attnMask) {
    if (!query.isFloatingPoint()) {
      throw new IllegalArgumentException(
          SDPA + ": expected floating-point query, key and value, got "
              + typeName(query.dtype()));
    }
    if (attnMask != null) {
      Checks.checkSameDevice(SDPA, query, attnMask);
    }
    if (query.size(-1) != key.size(-1)) {
      throw new ShapeMismatchException(
          SDPA + ": query " + query.shape() + " and key " + key.shape()
              + " must have the same embedding size E (last dim), got " + query.size(-1) + " and "
              + key.size(-1));
    }
    if (key.size(-2) != value.size(-2)) {
      throw new ShapeMismatchException(
          SDPA + ": key " + key.shape() + " and value " + value.shape()
              + " must have the same sequence length S (dim -2), got " + key.size(-2) + " and "
              + value.size(-2));
    }
    Shape qb = batchDims(query);
    Shape kb = batchDims(key);
    Shape b = Shape.broadcast(qb, kb, SDPA + ": batch dims of query and key");
    Shape.broadcast(b, batchDims(value), SDPA + ": batch dims of query/key and value");
    long[] w = Arrays.copyOf(b.dims(), b.rank() + 2);
    w[b.rank()] = query.size(-2);
    w[b.rank() + 1] = key.size(-2);
    Shape weights = Shape.of(w);
    if (attnMask != null) {
      checkMaskBroadcasts(attnMask.shape(), weights, SDPA + ": attn_mask");
    }
    return weights;
  }

  /** PyTorch's in-place add errors for a mask that does not broadcast to the weights' shape. */
  private static void checkMaskBroadcasts(Shape mask, Shape weights, String what) {
    Shape bs = Shape.broadcast(weights, mask, what + " and the attention weights");
    if (!bs.equals(weights)) {
      throw new ShapeMismatchException(
          "output with shape " + weights + " doesn't match the broadcast shape " + bs + " ("
              + what + " " + mask + " must broadcast to the attention weights' shape " + weights
              + ")");
    }
  }

  private static Shape batchDims(Tensor t) {
    return Shape.of(Arrays.copyOf(t.shape().dims(), t.dim() - 2));
  }

  /** The additive causal mask {@code [L, S]}: 0 on and below the diagonal, -inf above. */
  static Tensor causalMask(long l, long s, DType dtype, Device device) {
    int li = Math.toIntExact(l);
    int si = Math.toIntExact(s);
    double[] m = new double[Math.multiplyExact(li, si)];
    for (int i = 0; i < li; i++) {
      for (int j = i + 1; j < si; j++) {
        m[i * si + j] = Double.NEGATIVE_INFINITY;
      }
    }
    return Tensor.fromArray(m, l, s).to(device, dtype);
  }

  /**
   * A bool mask as an additive one of its own shape: -inf where the mask is {@code maskedWhen}
   * (sdpa: False, multi-head attention: True), 0 elsewhere.
   */
  private static Tensor boolToAdditive(Tensor mask, boolean maskedWhen, DType dtype) {
    try (var g = NoGrad.enter()) {
      Tensor zero = Tensor.scalar(0.0, dtype, mask.device());
      Tensor inf = Tensor.scalar(Double.NEGATIVE_INFINITY, dtype, mask.device());
      return maskedWhen ? Tensor.where(mask, inf, zero) : Tensor.where(mask, zero, inf);
    }
  }

  // ================================================================== multi_head_attention_forward

  /**
   * {@code F.multi_head_attention_forward} of PyTorch 1.13 (its checks, messages, mask merging and
   * results), with 2.x's {@code is_causal} hint: {@code {attn_output, attn_output_weights}}, the
   * weights null without {@code needWeights}. See {@code Functional.multiHeadAttentionForward}.
   */
  public static Tensor[] multiHeadAttentionForward(
      Tensor query,
      Tensor key,
      Tensor value,
      int embedDimToCheck,
      int numHeads,
      Tensor inProjWeight,
      Tensor inProjBias,
      Tensor biasK,
      Tensor biasV,
      boolean addZeroAttn,
      double dropoutP,
      Tensor outProjWeight,
      Tensor outProjBias,
      boolean training,
      Tensor keyPaddingMask,
      boolean needWeights,
      Tensor attnMask,
      boolean useSeparateProjWeight,
      Tensor qProjWeight,
      Tensor kProjWeight,
      Tensor vProjWeight,
      Tensor staticK,
      Tensor staticV,
      boolean averageAttnWeights,
      boolean isCausal,
      Generator generator) {
    boolean batched = mhaShapeCheck(query, key, value, keyPaddingMask, attnMask, numHeads);
    for (Tensor t : new Tensor[] {key, value, keyPaddingMask, attnMask, staticK, staticV}) {
      if (t != null) {
        Checks.checkSameDevice(MHA, query, t);
      }
    }
    if (!batched) {
      // new tensors, so the packed projection below takes its three-GEMM path (as in PyTorch)
      query = query.unsqueeze(1);
      key = key.unsqueeze(1);
      value = value.unsqueeze(1);
      if (keyPaddingMask != null) {
        keyPaddingMask = keyPaddingMask.unsqueeze(0);
      }
    }
    // Python's `is`: one GEMM for self-attention, two for a shared key/value tensor
    boolean qIsK = query == key;
    boolean kIsV = key == value;
    long tgtLen = query.size(0);
    long bsz = query.size(1);
    long embedDim = query.size(2);
    if (keyPaddingMask != null
        && keyPaddingMask.dtype() != DType.BOOL && !keyPaddingMask.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "only bool and floating types of key_padding_mask are supported");
    }
    if (isCausal && attnMask == null) {
      throw new IllegalArgumentException(
          "Need attn_mask if specifying the is_causal hint. You may use the Transformer module"
              + " method `generate_square_subsequent_mask` to create this mask.");
    }
    // 2.x: with the hint, no key padding mask and no weights, attention is causal and the mask
    // itself goes unused (PyTorch passes is_causal=True to scaled_dot_product_attention)
    boolean causal = isCausal && keyPaddingMask == null && !needWeights;
    if (causal) {
      attnMask = null;
    }
    if (embedDim != embedDimToCheck) {
      throw new IllegalArgumentException(
          "was expecting embedding dimension of " + embedDimToCheck + ", but got " + embedDim);
    }
    if (numHeads <= 0) {
      throw new IllegalArgumentException(
          MHA + ": num_heads must be positive, got " + numHeads);
    }
    long headDim = embedDim / numHeads;
    if (headDim * numHeads != embedDim) {
      throw new IllegalArgumentException(
          "embed_dim " + embedDim + " not divisible by num_heads " + numHeads);
    }
    if (useSeparateProjWeight) {
      if (key.size(0) != value.size(0) || key.size(1) != value.size(1)) {
        throw new IllegalArgumentException(
            "key's sequence and batch dims " + torchSize(key.size(0), key.size(1))
                + " do not match value's " + torchSize(value.size(0), value.size(1)));
      }
    } else if (!key.shape().equals(value.shape())) {
      throw new IllegalArgumentException(
          "key shape " + torchSize(key.shape().dims()) + " does not match value shape "
              + torchSize(value.shape().dims()));
    }

    // ---- in-projection
    Tensor q;
    Tensor k;
    Tensor v;
    if (!useSeparateProjWeight) {
      if (inProjWeight == null) {
        throw new IllegalArgumentException(
            "use_separate_proj_weight is False but in_proj_weight is None");
      }
      Tensor[] qkv = inProjectionPacked(query, key, value, qIsK, kIsV, inProjWeight, inProjBias);
      q = qkv[0];
      k = qkv[1];
      v = qkv[2];
    } else {
      if (qProjWeight == null) {
        throw new IllegalArgumentException(
            "use_separate_proj_weight is True but q_proj_weight is None");
      }
      if (kProjWeight == null) {
        throw new IllegalArgumentException(
            "use_separate_proj_weight is True but k_proj_weight is None");
      }
      if (vProjWeight == null) {
        throw new IllegalArgumentException(
            "use_separate_proj_weight is True but v_proj_weight is None");
      }
      Tensor[] b = inProjBias == null ? new Tensor[3] : inProjBias.chunk(3, 0).toArray(new Tensor[0]);
      long eq = query.size(-1);
      checkProj("query weights", qProjWeight, eq, eq);
      checkProj("key weights", kProjWeight, eq, key.size(-1));
      checkProj("value weights", vProjWeight, eq, value.size(-1));
      checkProj("query bias", b[0], eq);
      checkProj("key bias", b[1], eq);
      checkProj("value bias", b[2], eq);
      q = NnMiscOps.linear(query, qProjWeight, b[0]);
      k = NnMiscOps.linear(key, kProjWeight, b[1]);
      v = NnMiscOps.linear(value, vProjWeight, b[2]);
    }

    // ---- the attention mask: [L, S] -> [1, L, S], or [bsz * num_heads, L, S]
    if (attnMask != null) {
      if (!attnMask.isFloatingPoint() && attnMask.dtype() != DType.BOOL) {
        throw new IllegalArgumentException(
            "Only float, byte, and bool types are supported for attn_mask, not "
                + attnMask.dtype());
      }
      long srcLen0 = key.size(0);
      if (attnMask.dim() == 2) {
        if (attnMask.size(0) != tgtLen || attnMask.size(1) != srcLen0) {
          throw new IllegalArgumentException(
              "The shape of the 2D attn_mask is " + torchSize(attnMask.shape().dims())
                  + ", but should be " + tuple(tgtLen, srcLen0) + ".");
        }
        attnMask = attnMask.unsqueeze(0);
      } else if (attnMask.dim() == 3) {
        if (attnMask.size(0) != bsz * numHeads || attnMask.size(1) != tgtLen
            || attnMask.size(2) != srcLen0) {
          throw new IllegalArgumentException(
              "The shape of the 3D attn_mask is " + torchSize(attnMask.shape().dims())
                  + ", but should be " + tuple(bsz * numHeads, tgtLen, srcLen0) + ".");
        }
      } else {
        throw new IllegalArgumentException(
            "attn_mask's dimension " + attnMask.dim() + " is not supported");
      }
    }

    // ---- bias_k / bias_v: one more key and value position
    if (biasK != null && biasV != null) {
      if (staticK != null) {
        throw new IllegalArgumentException("bias cannot be added to static key.");
      }
      if (staticV != null) {
        throw new IllegalArgumentException("bias cannot be added to static value.");
      }
      k = Tensor.cat(java.util.List.of(k, biasK.repeat(1, bsz, 1)), 0);
      v = Tensor.cat(java.util.List.of(v, biasV.repeat(1, bsz, 1)), 0);
      attnMask = padLastWithZero(attnMask);
      keyPaddingMask = padLastWithZero(keyPaddingMask);
    } else if (biasK != null || biasV != null) {
      throw new IllegalArgumentException(
          MHA + ": bias_k and bias_v must be given together");
    }

    // ---- heads: [T, bsz, E] -> [bsz, num_heads, T, head_dim] (PyTorch's [bsz * num_heads, T,
    // head_dim], split)
    int h = numHeads;
    q = q.reshape(tgtLen, bsz, h, headDim).permute(1, 2, 0, 3);
    if (staticK == null) {
      k = k.reshape(k.size(0), bsz, h, headDim).permute(1, 2, 0, 3);
    } else {
      checkStatic("static_k", staticK, bsz * h, headDim);
      k = staticK.reshape(bsz, h, staticK.size(1), headDim);
    }
    if (staticV == null) {
      v = v.reshape(v.size(0), bsz, h, headDim).permute(1, 2, 0, 3);
    } else {
      checkStatic("static_v", staticV, bsz * h, headDim);
      v = staticV.reshape(bsz, h, staticV.size(1), headDim);
    }

    // ---- add_zero_attn: a zero key and value position
    if (addZeroAttn) {
      k = Tensor.cat(java.util.List.of(k,
          Tensor.zeros(Shape.of(bsz, h, 1, headDim), k.dtype(), k.device())), 2);
      v = Tensor.cat(java.util.List.of(v,
          Tensor.zeros(Shape.of(bsz, h, 1, v.size(3)), v.dtype(), v.device())), 2);
      attnMask = padLastWithZero(attnMask);
      keyPaddingMask = padLastWithZero(keyPaddingMask);
    }
    long srcLen = k.size(2);

    // ---- merge the key padding mask into the attention mask, at their broadcast shape
    Tensor mask = attnMask == null ? null
        : attnMask.size(0) == 1 ? attnMask.unsqueeze(0) // [1, 1, L, S]
        : attnMask.reshape(bsz, h, tgtLen, srcLen);
    if (keyPaddingMask != null) {
      if (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != bsz
          || keyPaddingMask.size(1) != srcLen) {
        throw new IllegalArgumentException(
            "expecting key_padding_mask shape of " + tuple(bsz, srcLen) + ", but got "
                + torchSize(keyPaddingMask.shape().dims()));
      }
      Tensor kpm = keyPaddingMask.reshape(bsz, 1, 1, srcLen);
      try (var g = NoGrad.enter()) {
        if (mask == null) {
          mask = kpm;
        } else if (mask.dtype() == DType.BOOL) {
          mask = mask.logicalOr(kpm); // a float kpm: nonzero masks (1.13's logical_or)
        } else if (kpm.dtype() == DType.BOOL) {
          mask = mask.maskedFill(kpm, Double.NEGATIVE_INFINITY);
        } else {
          mask = mask.add(kpm); // 1.13 fails here (masked_fill with a float mask); 2.x adds
        }
      }
    }
    if (mask != null && mask.dtype() == DType.BOOL) {
      mask = boolToAdditive(mask, true, q.dtype());
    }
    if (causal) {
      mask = causalMask(tgtLen, srcLen, q.dtype(), q.device());
    }
    if (!training) {
      dropoutP = 0.0;
    }

    // ---- attention and the out-projection
    Tensor[] ow = attention(q, k, v, mask, 1.0 / Math.sqrt(headDim), dropoutP, generator, false);
    Tensor out = ow[0].permute(2, 0, 1, 3).reshape(tgtLen * bsz, embedDim);
    out = NnMiscOps.linear(out, outProjWeight, outProjBias);
    out = out.view(tgtLen, bsz, out.size(1));
    Tensor weights = null;
    if (needWeights) {
      // [bsz, num_heads, L, S] already; the view is PyTorch's (its weights are [bsz * num_heads,
      // L, S]), so the per-head weights carry its grad_fn
      weights = ow[1].view(bsz, h, tgtLen, srcLen);
      if (averageAttnWeights) {
        weights = weights.sum(1, false).div(numHeads);
      }
      if (!batched) {
        weights = weights.squeeze(0);
      }
    }
    if (!batched) {
      out = out.squeeze(1);
    }
    return new Tensor[] {out, weights};
  }

  /** PyTorch 1.13's {@code _mha_shape_check}: whether the input is batched. */
  private static boolean mhaShapeCheck(
      Tensor query, Tensor key, Tensor value, Tensor kpm, Tensor attnMask, int numHeads) {
    if (query.dim() == 3) {
      if (key.dim() != 3 || value.dim() != 3) {
        throw new IllegalArgumentException(
            "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
      }
      if (kpm != null && kpm.dim() != 2) {
        throw new IllegalArgumentException(
            "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found "
                + kpm.dim() + "-D tensor instead");
      }
      if (attnMask != null && attnMask.dim() != 2 && attnMask.dim() != 3) {
        throw new IllegalArgumentException(
            "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                + attnMask.dim() + "-D tensor instead");
      }
      return true;
    }
    if (query.dim() == 2) {
      if (key.dim() != 2 || value.dim() != 2) {
        throw new IllegalArgumentException(
            "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
      }
      if (kpm != null && kpm.dim() != 1) {
        throw new IllegalArgumentException(
            "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but"
                + " found " + kpm.dim() + "-D tensor instead");
      }
      if (attnMask != null) {
        if (attnMask.dim() != 2 && attnMask.dim() != 3) {
          throw new IllegalArgumentException(
              "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but"
                  + " found " + attnMask.dim() + "-D tensor instead");
        }
        if (attnMask.dim() == 3 && (attnMask.size(0) != numHeads
            || attnMask.size(1) != query.size(0) || attnMask.size(2) != key.size(0))) {
          throw new IllegalArgumentException(
              "Expected `attn_mask` shape to be " + tuple(numHeads, query.size(0), key.size(0))
                  + " but got " + torchSize(attnMask.shape().dims()));
        }
      }
      return false;
    }
    throw new IllegalArgumentException(
        "query should be unbatched 2D or batched 3D tensor but received " + query.dim()
            + "-D query tensor");
  }

  /** PyTorch's {@code _in_projection_packed}: one GEMM for self-attention, two for a shared k/v. */
  private static Tensor[] inProjectionPacked(
      Tensor q, Tensor k, Tensor v, boolean qIsK, boolean kIsV, Tensor w, Tensor b) {
    long e = q.size(-1);
    if (kIsV) {
      if (qIsK) {
        java.util.List<Tensor> qkv = NnMiscOps.linear(q, w, b).chunk(3, -1);
        return new Tensor[] {qkv.get(0), qkv.get(1), qkv.get(2)};
      }
      java.util.List<Tensor> ws = w.split(new long[] {e, e * 2}, 0);
      java.util.List<Tensor> bs = b == null ? null : b.split(new long[] {e, e * 2}, 0);
      Tensor qp = NnMiscOps.linear(q, ws.get(0), bs == null ? null : bs.get(0));
      java.util.List<Tensor> kv =
          NnMiscOps.linear(k, ws.get(1), bs == null ? null : bs.get(1)).chunk(2, -1);
      return new Tensor[] {qp, kv.get(0), kv.get(1)};
    }
    java.util.List<Tensor> ws = w.chunk(3, 0);
    java.util.List<Tensor> bs = b == null ? null : b.chunk(3, 0);
    return new Tensor[] {
      NnMiscOps.linear(q, ws.get(0), bs == null ? null : bs.get(0)),
      NnMiscOps.linear(k, ws.get(1), bs == null ? null : bs.get(1)),
      NnMiscOps.linear(v, ws.get(2), bs == null ? null : bs.get(2))
    };
  }

  /** {@code _in_projection}'s shape assertions. */
  private static void checkProj(String what, Tensor t, long... expected) {
    if (t != null && !Arrays.equals(t.shape().dims(), expected)) {
      throw new IllegalArgumentException(
          "expecting " + what + " shape of " + tuple(expected) + ", but got "
              + torchSize(t.shape().dims()));
    }
  }

  private static void checkStatic(String name, Tensor t, long rows, long headDim) {
    if (t.size(0) != rows) {
      throw new IllegalArgumentException(
          "expecting " + name + ".size(0) of " + rows + ", but got " + t.size(0));
    }
    if (t.size(2) != headDim) {
      throw new IllegalArgumentException(
          "expecting " + name + ".size(2) of " + headDim + ", but got " + t.size(2));
    }
  }

  /** {@code F.pad(mask, (0, 1))}: one more position (False, or 0) at the end of the last dim. */
  private static Tensor padLastWithZero(Tensor mask) {
    if (mask == null) {
      return null;
    }
    long[] d = mask.shape().dims();
    d[d.length - 1] = 1;
    return Tensor.cat(java.util.List.of(mask,
        Tensor.zeros(Shape.of(d), mask.dtype(), mask.device())), -1);
  }

  /** Python's repr of a tuple of ints: {@code (2, 3)}, {@code (5,)}. */
  private static String tuple(long... dims) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      b.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return b.append(dims.length == 1 ? ",)" : ")").toString();
  }

  /** {@code repr(torch.Size(dims))}: {@code torch.Size([2, 3])}. */
  private static String torchSize(long... dims) {
    StringBuilder b = new StringBuilder("torch.Size([");
    for (int i = 0; i < dims.length; i++) {
      b.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return b.append("])").toString();
  }

  // ================================================================== the core

  /**
   * {@code softmax(q k^T * scale + mask) @ v} with dropout on the weights when {@code dropoutP >
   * 0}: {@code {output [..., L, Ev], weights [..., L, S]}}. {@code mask} is additive (or null) and
   * broadcasts to the weights' shape; {@code safe} gives rows that the mask sets to -inf
   * everywhere weights 0 (PyTorch 2.5+'s {@code _safe_softmax}) instead of NaN (plain softmax, as
   * PyTorch 1.13's multi-head attention).
   */
  static Tensor[] attention(
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor mask,
      double scale,
      double dropoutP,
      Generator generator,
      boolean safe) {
    Tensor scores = scores(q, k, mask, scale);
    Tensor w = softmaxLastDim(scores, safe ? mask : null);
    // the softmax's backward reads its output only, and the scores' node its inputs: the scores
    // can go now
    scores.close();
    if (dropoutP > 0.0) {
      w = NnMiscOps.dropout(w, dropoutP, true, generator);
    }
    return new Tensor[] {w.matmul(v), w};
  }

  /**
   * {@code (q * scale) @ k^T + mask} as one node (PyTorch 1.13's multi-head attention computes it
   * with {@code baddbmm}, hence the name): one allocation of the weights' shape, the mask added in
   * place; the backward reads {@code q} and {@code k}, which the caller holds anyway.
   */
  private static Tensor scores(Tensor q, Tensor k, Tensor mask, double scale) {
    Tensor out;
    try (var g = NoGrad.enter()) {
      Tensor qs = scale == 1.0 ? q : q.mul(scale);
      out = qs.matmul(k.transpose(-2, -1));
      if (qs != q) {
        qs.close();
      }
      if (mask != null && out.numel() > 0) {
        Tensor m = mask.dtype() == out.dtype() ? mask : UnaryOps.toRaw(mask, out.dtype());
        out.backend().binary(BinaryOp.ADD, out.view(), m.broadcastView(out.shape()), out.view());
      }
    }
    final Tensor mk = mask;
    return Tensor.record(
        "BaddbmmBackward0",
        out,
        new Tensor[] {q, k, mk},
        new Tensor[] {q, k},
        g -> new Tensor[] {
            q.requiresGrad() ? gradTo(g[0].matmul(k).mul(scale), q) : null,
            k.requiresGrad() ? gradTo(g[0].transpose(-2, -1).matmul(q).mul(scale), k) : null,
            needsGrad(mk) ? gradTo(g[0], mk) : null
        });
  }

  /** {@code g} summed to {@code x}'s (broadcast) shape, in {@code x}'s dtype. */
  private static Tensor gradTo(Tensor g, Tensor x) {
    Tensor r = Tensor.sumToShape(g, x.shape());
    return r.dtype() == x.dtype() ? r : r.to(x.dtype());
  }

  /**
   * Softmax over the last dim, or with {@code safeMask} PyTorch's {@code _safe_softmax}: 0 on the
   * rows that the additive {@code safeMask} sets to -inf everywhere (PyTorch tests the scores
   * themselves, which are -inf there exactly when the mask is, for finite inputs), zeroed in place
   * on the softmax's output. The backward is the softmax's, computed from this output (so zeroed
   * rows pass no gradient); unlike {@link ActivationOps#softmax}, the node keeps only the input's
   * shape, dtype and device, so the caller may free the input once this returns.
   */
  private static Tensor softmaxLastDim(Tensor x, Tensor safeMask) {
    final long size = x.dim() == 0 ? 1 : x.size(-1);
    final int outer = Math.toIntExact(size == 0 ? 0 : x.numel() / size);
    final Shape shape = x.shape();
    final DType dt = x.dtype();
    final Device dev = x.device();
    final SoftmaxKernels kn = x.backend().softmax();
    final SoftmaxShape sh = new SoftmaxShape(outer, (int) size, 1, false);
    final Tensor out = Tensor.empty(shape, dt, dev);
    if (x.numel() > 0) {
      kn.softmax(contig(x).view(), sh, buf(out));
      if (safeMask != null) {
        try (var g = NoGrad.enter()) {
          Tensor m = safeMask.dtype() == dt ? safeMask : UnaryOps.toRaw(safeMask, dt);
          Tensor rows = m.dim() == 0 ? m : m.max(-1, true).values();
          rows = rows.eq(Double.NEGATIVE_INFINITY);
          Tensor zero = Tensor.scalar(0.0, dt, dev);
          out.backend().where(rows.broadcastView(shape), zero.broadcastView(shape), out.view(),
              out.view());
        }
      }
    }
    return Tensor.record(
        safeMask != null ? "SafeSoftmaxBackward0" : "SoftmaxBackward0",
        out,
        new Tensor[] {x},
        new Tensor[] {out},
        gr -> {
          Tensor g = contig(gr[0]);
          Tensor gi = Tensor.zeros(shape, dt, dev);
          if (outer > 0 && size > 0) {
            kn.softmaxBackward(g.view(), out.view(), sh, buf(gi));
          }
          return new Tensor[] {gi};
        });
  }
}
