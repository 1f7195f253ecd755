package dev.jnn.nn.functional;

import dev.jnn.core.DType;
import dev.jnn.tensor.ActivationOps;
import dev.jnn.tensor.AlphaDropoutOps;
import dev.jnn.tensor.AttentionOps;
import dev.jnn.tensor.ConvOps;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.LossOps;
import dev.jnn.tensor.NnMiscOps;
import dev.jnn.tensor.NormOps;
import dev.jnn.tensor.PointwiseActivationOps;
import dev.jnn.tensor.PoolOps;
import dev.jnn.tensor.Tensor;

/**
 * {@link Functional}'s attention ({@code torch.nn.functional}'s "Attention Mechanisms"), a section of its facade kept in
 * its own file: call them as {@code Functional.scaledDotProductAttention(...)}. The class is sealed and abstract: it
 * exists only so that {@code Functional}, which extends it, stays readable by family, as Tensor's
 * instance ops are grouped in its {@code Tensor*} interfaces.
 */
public abstract sealed class FunctionalAttention extends FunctionalActivations permits FunctionalLosses {
  FunctionalAttention() {}

  // ================================================================== attention

  /** {@code F.scaled_dot_product_attention(query, key, value)}: no mask, no dropout. */
  public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) {
    return scaledDotProductAttention(query, key, value, null, 0.0, false, null);
  }

  /**
   * {@code F.scaled_dot_product_attention(query, key, value, attn_mask)}: a bool mask (true takes
   * part) or an additive float mask, or null.
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask) {
    return scaledDotProductAttention(query, key, value, attnMask, 0.0, false, null);
  }

  /**
   * {@code F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal)}
   * with the default scale {@code 1 / sqrt(E)}.
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
      boolean isCausal) {
    return scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, null);
  }

  /**
   * {@code F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal,
   * scale)} drawing its dropout mask from the default {@link Generator}; see {@link
   * #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, double, boolean, Double,
   * Generator)}.
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal,
      Double scale) {
    return scaledDotProductAttention(
        query, key, value, attnMask, dropoutP, isCausal, scale, Generator.defaultGenerator());
  }

  /**
   * Scaled dot-product attention ({@code F.scaled_dot_product_attention}, PyTorch 2.x; PyTorch
   * 1.13 has no such function): {@code softmax(query @ key^T * scale + mask) @ value}, with
   * dropout on the attention weights.
   *
   * <p>Semantics are those of PyTorch 2.5+'s math path ({@code _scaled_dot_product_attention_math}
   * in {@code aten/src/ATen/native/transformers/attention.cpp}) and the reference implementation in
   * the function's docstring; the golden values are computed with PyTorch 1.13 from that reference
   * math ({@code scripts/golden/attention_ref.py}).
   *
   * <ul>
   *   <li>Shapes: query {@code [..., L, E]}, key {@code [..., S, E]}, value {@code [..., S, Ev]}
   *       (any number of leading batch dims, at least two dims each; the batch dims broadcast as
   *       in {@link Tensor#matmul}); output {@code [..., L, Ev]}.
   *   <li>{@code attnMask}: null; bool, {@code true} where the position <em>takes part</em>; or
   *       floating (float32 or the query's dtype), added to the scores. It must broadcast to the
   *       weights' shape {@code [..., L, S]} (PyTorch adds it in place).
   *   <li>{@code isCausal}: the lower-triangular mask {@code ones(L, S).tril()} (aligned top
   *       left); PyTorch's error when {@code attnMask} is given as well.
   *   <li>{@code dropoutP}: applied to the weights whenever it is greater than 0, regardless of
   *       any training mode (pass 0 in evaluation, as PyTorch's layers do).
   *   <li>{@code scale}: null for {@code 1 / sqrt(E)}.
   *   <li>Fully masked rows (a query row whose mask is -inf, or false, everywhere) give weights 0,
   *       hence output 0 and no gradient, as PyTorch 2.5+'s {@code _safe_softmax} does (PyTorch
   *       2.0 to 2.4 gave NaN there).
   * </ul>
   *
   * <p>A composite of differentiable ops: one batched GEMM for the scores (scale folded into the
   * query, mask added in place), softmax, dropout, one batched GEMM; the scores are freed as soon
   * as the softmax has read them, and a causal or bool mask is built once at its own shape
   * ({@code [L, S]} for the causal one) and broadcast.
   *
   * @param query {@code [..., L, E]}
   * @param key {@code [..., S, E]}
   * @param value {@code [..., S, Ev]}
   * @param attnMask null, a bool mask or an additive float mask, broadcastable to {@code [..., L,
   *     S]}
   * @param dropoutP drop probability of the attention weights
   * @param isCausal apply the causal mask (then {@code attnMask} must be null)
   * @param scale the scale of the scores, null for {@code 1 / sqrt(E)}
   * @param generator the random source of the dropout mask (null: the default generator)
   * @return {@code [..., L, Ev]}
   * @throws IllegalArgumentException with PyTorch's messages for mismatched dtypes or devices,
   *     fewer than 2 dims, a mask dtype other than bool, float32 or the query's, a mask together
   *     with {@code isCausal}, a mask that does not broadcast to the weights; with jnn's message
   *     naming the shapes for mismatched {@code E}, {@code S} or batch dims
   */
  public static Tensor scaledDotProductAttention(
      Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal,
      Double scale, Generator generator) {
    return AttentionOps.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal,
        scale, generator != null ? generator : Generator.defaultGenerator());
  }

  /**
   * Multi-head attention ({@code F.multi_head_attention_forward}), PyTorch 1.13's computation with
   * PyTorch 2.x's {@code is_causal} hint; {@code nn.layers.MultiheadAttention} calls it. Sequence
   * first: query {@code [L, N, E]}, key {@code [S, N, Ek]}, value {@code [S, N, Ev]} ({@code Ek}
   * and {@code Ev} differ from {@code E} only with separate projection weights), or unbatched
   * {@code [L, E]}, {@code [S, Ek]}, {@code [S, Ev]}.
   *
   * <ul>
   *   <li>In-projection: {@code inProjWeight} {@code [3E, E]} (one GEMM when query, key and value
   *       are the same tensor, two when key and value are) and {@code inProjBias} {@code [3E]}; or,
   *       with {@code useSeparateProjWeight}, {@code qProjWeight} {@code [E, E]}, {@code
   *       kProjWeight} {@code [E, Ek]}, {@code vProjWeight} {@code [E, Ev]}.
   *   <li>{@code biasK}/{@code biasV} {@code [1, 1, E]}: appended to the projected keys and values
   *       (one more source position; the masks get an unmasked column); {@code addZeroAttn}
   *       appends a zero key and value after the heads are split.
   *   <li>Masks: {@code keyPaddingMask} {@code [N, S]} ({@code [S]} unbatched), bool with {@code
   *       true} = ignore, or floating (added); {@code attnMask} {@code [L, S]} or {@code [N *
   *       num_heads, L, S]} ({@code [num_heads, L, S]} unbatched), bool with {@code true} = not
   *       allowed, or floating (added). They merge as in 1.13: a bool attention mask is or-ed with
   *       the key padding mask (a float one read as nonzero), a float one is filled with -inf where
   *       a bool key padding mask is true; two float masks, which 1.13 rejects, are added (2.x).
   *       The merged mask is built once at the broadcast shape {@code [N or 1, num_heads or 1, L,
   *       S]}.
   *   <li>{@code isCausal} (2.x): a hint that {@code attnMask} is causal, which must then be
   *       given; without a key padding mask and with {@code needWeights} false the causal mask is
   *       used in its place, as PyTorch 2.x does.
   *   <li>Weights: {@code softmax(q k^T / sqrt(head_dim) + mask)} per head, dropout applied only
   *       with {@code training}; rows masked everywhere are NaN, as in PyTorch 1.13 (2.5+'s {@code
   *       need_weights=False} path, through {@code scaled_dot_product_attention}, gives 0 there).
   *       Returned after dropout, averaged over the heads with {@code averageAttnWeights}.
   * </ul>
   *
   * @param generator the random source of the dropout mask (null: the default generator)
   * @return {@code (attn_output [L, N, E], attn_output_weights or null)}
   * @throws IllegalArgumentException with PyTorch 1.13's messages for bad shapes and mask types
   */
  public static AttentionOutput multiHeadAttentionForward(
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
    Tensor[] r = AttentionOps.multiHeadAttentionForward(query, key, value, embedDimToCheck,
        numHeads, inProjWeight, inProjBias, biasK, biasV, addZeroAttn, dropoutP, outProjWeight,
        outProjBias, training, keyPaddingMask, needWeights, attnMask, useSeparateProjWeight,
        qProjWeight, kProjWeight, vProjWeight, staticK, staticV, averageAttnWeights, isCausal,
        generator != null ? generator : Generator.defaultGenerator());
    return new AttentionOutput(r[0], r[1]);
  }

}
