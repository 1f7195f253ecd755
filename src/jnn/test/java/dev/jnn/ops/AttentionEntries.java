package dev.jnn.ops;

import static dev.jnn.ops.Sample.bool;
import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;

import dev.jnn.nn.functional.AttentionOutput;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * Registry entries of issue 19's attention ops ({@code F.scaled_dot_product_attention} in its
 * overloads, {@code F.multi_head_attention_forward}), in their own file; {@link OpRegistry#all()}
 * appends them before sealing.
 *
 * <p>PyTorch 1.13 has no {@code F.scaled_dot_product_attention}: its entries' PyTorch call is
 * {@code attention_ref.sdpa} ({@code scripts/golden/attention_ref.py}), PyTorch 2.5+'s math path
 * and error messages written with 1.13's ops. Dropout is exercised here only at {@code dropout_p =
 * 0} (a golden value cannot pin a random mask); {@code AttentionTest} checks it statistically and
 * by seed. The samples cover 2-D to 4-D inputs, broadcast batch dims, {@code L != S}, {@code Ev !=
 * E}, non-contiguous inputs, empty dims, bool masks (random, so some rows may be fully masked),
 * float masks (which receive a gradient), the causal mask with {@code L} smaller and larger than
 * {@code S}, and explicit scales.
 */
final class AttentionEntries {
  private AttentionEntries() {}

  private static final String SDPA_GRAD_FN =
      "a composite: its last node is matmul's (jnn: MmBackward0 for every rank; PyTorch's matmul"
          + " names MmBackward0, BmmBackward0 or UnsafeViewBackward0 by rank)";

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    sdpa(r);
    multiHeadAttentionForward(r);
  }

  private static Tensor maskOrNull(Args a) {
    return a.tensors().size() > 3 ? a.t(3) : null;
  }

  /** The inputs that raise PyTorch 2.x's validation errors (all with a mask slot). */
  private static Sample[] sdpaErrors() {
    return new Sample[] {
      // dtype: an int64 key
      Sample.of(n(3, 4), index(3, 5, 4), n(5, 2), bool(3, 5)),
      // fewer than 2 dims
      Sample.of(n(4), n(5, 4), n(5, 2), bool(3, 5)),
      // an int64 mask
      Sample.of(n(3, 4), n(5, 4), n(5, 2), index(2, 3, 5)),
      // a mask with more batch dims than the weights (PyTorch adds it in place)
      Sample.of(n(3, 4), n(5, 4), n(5, 2), n(2, 3, 5)),
      // a mask that does not broadcast
      Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 2), bool(3, 6)),
    };
  }

  private static void sdpa(List<OpInfo> r) {
    op(r, "nn.functional.scaled_dot_product_attention")
        .gradFnDeviates(SDPA_GRAD_FN)
        .torch("attention_ref.sdpa(a[0], a[1], a[2])")
        .java("Functional.scaledDotProductAttention(Tensor,Tensor,Tensor)",
            a -> Functional.scaledDotProductAttention(a.t(0), a.t(1), a.t(2)))
        .samples(
            Sample.of(n(3, 4), n(5, 4), n(5, 2)),
            Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 6)),
            Sample.of(n(2, 2, 3, 4), n(2, 2, 3, 4), n(2, 2, 3, 4)),
            // batch dims broadcast: [2, 1] x [1, 3] x [3] -> [2, 3]
            Sample.of(n(2, 1, 3, 4), n(1, 3, 5, 4), n(3, 5, 2)),
            Sample.of(n(2, 3, 4).transposed(), n(2, 5, 4).transposed(), n(2, 5, 3).transposed()),
            Sample.of(n(1, 1, 2), n(1, 1, 2), n(1, 1, 1)),
            Sample.of(n(0, 3, 4), n(0, 5, 4), n(0, 5, 2)),
            Sample.of(n(2, 0, 4), n(2, 5, 4), n(2, 5, 2)),
            Sample.of(n(2, 3, 4), n(2, 0, 4), n(2, 0, 2)))
        .errors(
            Sample.of(n(3, 4), index(3, 5, 4), n(5, 2)),
            Sample.of(n(3, 4), n(5, 4), n(5)));

    op(r, "nn.functional.scaled_dot_product_attention.mask")
        .gradFnDeviates(SDPA_GRAD_FN)
        .torch("attention_ref.sdpa(a[0], a[1], a[2], a[3])")
        .java("Functional.scaledDotProductAttention(Tensor,Tensor,Tensor,Tensor)",
            a -> Functional.scaledDotProductAttention(a.t(0), a.t(1), a.t(2), a.t(3)))
        .samples(
            Sample.of(n(3, 4), n(5, 4), n(5, 2), bool(3, 5)),
            Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 3), bool(2, 1, 5)),
            Sample.of(n(2, 2, 3, 4), n(2, 2, 5, 4), n(2, 2, 5, 4), bool(2, 2, 3, 5)),
            // float masks are added and receive a gradient (summed over broadcast dims)
            Sample.of(n(3, 4), n(5, 4), n(5, 2), n(3, 5)),
            Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 2), n(5)),
            Sample.of(n(2, 2, 3, 4), n(2, 2, 5, 4), n(2, 2, 5, 4), n(2, 1, 3, 1)),
            Sample.of(n(2, 3, 4).transposed(), n(2, 5, 4), n(2, 5, 2), n(3, 5).transposed()),
            // 2-D query and key, a batched value: the weights are [3, 5], the output [2, 3, 2]
            Sample.of(n(3, 4), n(5, 4), n(2, 5, 2), bool(3, 5)))
        .errors(sdpaErrors());

    op(r, "nn.functional.scaled_dot_product_attention.causal")
        .gradFnDeviates(SDPA_GRAD_FN)
        .torch("attention_ref.sdpa(a[0], a[1], a[2], a[3] if len(a) > 3 else None, dropout_p,"
            + " is_causal)")
        .java("Functional.scaledDotProductAttention(Tensor,Tensor,Tensor,Tensor,double,boolean)",
            a -> Functional.scaledDotProductAttention(a.t(0), a.t(1), a.t(2), maskOrNull(a),
                a.d("dropout_p"), a.b("is_causal")))
        .samples(
            Sample.of(n(2, 4, 3), n(2, 4, 3), n(2, 4, 3)).kw("dropout_p", 0.0)
                .kw("is_causal", true),
            Sample.of(n(3, 4), n(5, 4), n(5, 2)).kw("dropout_p", 0.0).kw("is_causal", true),
            Sample.of(n(2, 2, 5, 4), n(2, 2, 3, 4), n(2, 2, 3, 2)).kw("dropout_p", 0.0)
                .kw("is_causal", true),
            Sample.of(n(3, 4), n(5, 4), n(5, 2), n(3, 5)).kw("dropout_p", 0.0)
                .kw("is_causal", false),
            Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 2)).kw("dropout_p", 0.0)
                .kw("is_causal", false))
        .errors(
            Sample.of(n(3, 4), n(5, 4), n(5, 2), bool(3, 5)).kw("dropout_p", 0.0)
                .kw("is_causal", true),
            Sample.of(n(3, 4), n(5, 4), n(5, 2), n(2, 3, 5)).kw("dropout_p", 0.0)
                .kw("is_causal", false));

    op(r, "nn.functional.scaled_dot_product_attention.scale")
        .gradFnDeviates(SDPA_GRAD_FN)
        .torch("attention_ref.sdpa(a[0], a[1], a[2], a[3] if len(a) > 3 else None, dropout_p,"
            + " is_causal, scale)")
        .java("Functional.scaledDotProductAttention(Tensor,Tensor,Tensor,Tensor,double,boolean,"
                + "Double)",
            a -> Functional.scaledDotProductAttention(a.t(0), a.t(1), a.t(2), maskOrNull(a),
                a.d("dropout_p"), a.b("is_causal"), a.d("scale")))
        .samples(
            Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 2)).kw("dropout_p", 0.0)
                .kw("is_causal", false).kw("scale", 0.25),
            Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 2), bool(3, 5)).kw("dropout_p", 0.0)
                .kw("is_causal", false).kw("scale", 2.0),
            Sample.of(n(4, 3), n(4, 3), n(4, 2)).kw("dropout_p", 0.0).kw("is_causal", true)
                .kw("scale", -0.5))
        .errors(
            Sample.of(n(3, 4), n(5, 4), n(5, 2), index(2, 3, 5)).kw("dropout_p", 0.0)
                .kw("is_causal", false).kw("scale", 1.0));

    op(r, "nn.functional.scaled_dot_product_attention.generator")
        .gradFnDeviates(SDPA_GRAD_FN)
        .torch("attention_ref.sdpa(a[0], a[1], a[2], a[3] if len(a) > 3 else None, dropout_p,"
            + " is_causal, scale)")
        .java("Functional.scaledDotProductAttention(Tensor,Tensor,Tensor,Tensor,double,boolean,"
                + "Double,Generator)",
            a -> Functional.scaledDotProductAttention(a.t(0), a.t(1), a.t(2), maskOrNull(a),
                a.d("dropout_p"), a.b("is_causal"), a.d("scale"), new Generator(19)))
        .samples(
            Sample.of(n(2, 3, 4), n(2, 5, 4), n(2, 5, 2), n(2, 3, 5)).kw("dropout_p", 0.0)
                .kw("is_causal", false).kw("scale", 0.5))
        .errors(
            Sample.of(n(3, 4), n(5, 4), n(5, 2), bool(3, 5)).kw("dropout_p", 0.0)
                .kw("is_causal", true).kw("scale", 1.0));
  }

  // ---------------------------------------------------------------- multi_head_attention_forward
  // inputs: query, key, value, in_proj_weight [3E, E], in_proj_bias [3E], out_proj.weight [E, E],
  // out_proj.bias [E], then optionally key_padding_mask; kwarg out: 0 attn_output, 1 the weights

  private static void multiHeadAttentionForward(List<OpInfo> r) {
    op(r, "nn.functional.multi_head_attention_forward")
        .torch("F.multi_head_attention_forward(a[0], a[1], a[2], embed_dim, num_heads, a[3], a[4],"
            + " None, None, False, 0.0, a[5], a[6], training=False,"
            + " key_padding_mask=a[7] if len(a) > 7 else None,"
            + " average_attn_weights=average)[out]")
        .java("Functional.multiHeadAttentionForward(Tensor,Tensor,Tensor,int,int,Tensor,Tensor,"
                + "Tensor,Tensor,boolean,double,Tensor,Tensor,boolean,Tensor,boolean,Tensor,"
                + "boolean,Tensor,Tensor,Tensor,Tensor,Tensor,boolean,boolean,Generator)",
            a -> {
              AttentionOutput o = Functional.multiHeadAttentionForward(a.t(0), a.t(1), a.t(2),
                  a.i("embed_dim"), a.i("num_heads"), a.t(3), a.t(4), null, null, false, 0.0,
                  a.t(5), a.t(6), false, a.tensors().size() > 7 ? a.t(7) : null, true, null,
                  false, null, null, null, null, null, a.b("average"), false, null);
              return a.i("out") == 0 ? o.output() : o.weights();
            })
        .samples(
            mha(0, true, n(3, 2, 4), n(5, 2, 4), n(5, 2, 4)),
            mha(1, true, n(3, 2, 4), n(5, 2, 4), n(5, 2, 4)),
            mha(1, false, n(3, 2, 4), n(5, 2, 4), n(5, 2, 4)),
            mha(0, true, n(3, 2, 4), n(5, 2, 4), n(5, 2, 4), bool(2, 5)),
            mha(1, false, n(3, 2, 4), n(5, 2, 4), n(5, 2, 4), bool(2, 5)),
            mha(0, true, n(3, 4), n(5, 4), n(5, 4)),
            mha(1, true, n(3, 4), n(5, 4), n(5, 4)))
        .errors(
            // key and value of different shapes
            mhaError(n(3, 2, 4), n(5, 2, 4), n(4, 2, 4)),
            // a 4-D query
            mhaError(n(1, 3, 2, 4), n(5, 2, 4), n(5, 2, 4)),
            // embed_dim_to_check mismatch (E of the query is 3)
            mhaError(n(3, 2, 3), n(5, 2, 3), n(5, 2, 3)),
            // key_padding_mask of the wrong shape
            mhaError(n(3, 2, 4), n(5, 2, 4), n(5, 2, 4), bool(2, 4)));
  }

  private static Sample mha(int out, boolean average, Sample.Input q, Sample.Input k,
      Sample.Input v, Sample.Input... kpm) {
    Sample.Input[] in = new Sample.Input[7 + kpm.length];
    in[0] = q;
    in[1] = k;
    in[2] = v;
    in[3] = n(12, 4);
    in[4] = n(12);
    in[5] = n(4, 4);
    in[6] = n(4);
    System.arraycopy(kpm, 0, in, 7, kpm.length);
    return Sample.of(in).kw("embed_dim", 4).kw("num_heads", 2).kw("out", out)
        .kw("average", average);
  }

  private static Sample mhaError(Sample.Input q, Sample.Input k, Sample.Input v,
      Sample.Input... kpm) {
    return mha(0, true, q, k, v, kpm);
  }
}
