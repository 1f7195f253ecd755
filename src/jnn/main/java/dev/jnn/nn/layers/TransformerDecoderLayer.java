package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A Transformer decoder layer ({@code torch.nn.TransformerDecoderLayer}): self-attention,
 * attention over the encoder's output ({@code memory}) and a feed-forward network, each with
 * dropout, a residual connection and layer norm:
 *
 * <pre>
 * norm_first=False:  x = norm1(x + sa(x));  x = norm2(x + mha(x, mem));  x = norm3(x + ff(x))
 * norm_first=True:   x = x + sa(norm1(x));  x = x + mha(norm2(x), mem);  x = x + ff(norm3(x))
 * sa(x)       = dropout1(self_attn(x, x, x, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)[0])
 * mha(x, mem) = dropout2(multihead_attn(x, mem, mem, attn_mask=memory_mask, key_padding_mask=memory_key_padding_mask)[0])
 * ff(x)       = dropout3(linear2(dropout(activation(linear1(x)))))
 * </pre>
 *
 * <p>Children, as PyTorch names them: {@code self_attn}, {@code multihead_attn}, {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code norm3}, {@code
 * dropout1}, {@code dropout2}, {@code dropout3}, and {@code activation} when it is a module.
 *
 * <p>Shapes: {@code tgt} {@code [T, N, E]}, {@code memory} {@code [S, N, E]} (batch first with
 * {@code batch_first}; unbatched {@code [T, E]}, {@code [S, E]}); {@code tgt_mask} {@code [T, T]},
 * {@code memory_mask} {@code [T, S]}; {@code tgt_key_padding_mask} {@code [N, T]}, {@code
 * memory_key_padding_mask} {@code [N, S]}. The output has the shape of {@code tgt}.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.TransformerDecoderLayer.html">
 *     torch.nn.TransformerDecoderLayer</a>
 */
public final class TransformerDecoderLayer extends TransformerLayerBase {
  private static final ForwardArgs ARGS =
      new ForwardArgs(
          "forward()", 2, "tgt", "memory", "tgt_mask", "memory_mask", "tgt_key_padding_mask",
          "memory_key_padding_mask", "tgt_is_causal", "memory_is_causal");

  /** {@code nn.TransformerDecoderLayer(d_model, nhead)} with PyTorch's defaults. */
  public TransformerDecoderLayer(int dModel, int nhead) {
    this(builder(dModel, nhead));
  }

  /** {@code nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout)}. */
  public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout) {
    this(builder(dModel, nhead).dimFeedforward(dimFeedforward).dropout(dropout));
  }

  private TransformerDecoderLayer(Builder b) {
    super(b);
    registerModule("self_attn", attention(b));
    registerModule("multihead_attn", attention(b));
    registerModule("linear1", linear(b, dModel, dimFeedforward));
    registerModule("dropout", new Dropout(dropoutP));
    registerModule("linear2", linear(b, dimFeedforward, dModel));
    registerModule("norm1", norm(b));
    registerModule("norm2", norm(b));
    registerModule("norm3", norm(b));
    registerModule("dropout1", new Dropout(dropoutP));
    registerModule("dropout2", new Dropout(dropoutP));
    registerModule("dropout3", new Dropout(dropoutP));
    registerActivation(b);
  }

  /**
   * A builder for the options: {@code dim_feedforward}, {@code dropout}, {@code activation},
   * {@code layer_norm_eps}, {@code batch_first}, {@code norm_first}, device and dtype.
   */
  public static Builder builder(int dModel, int nhead) {
    return new Builder(dModel, nhead);
  }

  /** {@code layer(tgt, memory)}. */
  @Override
  public Tensor forward(Tensor tgt, Tensor memory) {
    return forward(tgt, memory, null, null, null, null);
  }

  /**
   * {@code layer(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
   * memory_key_padding_mask)}: two to six positional tensors (null for an absent mask).
   */
  @Override
  public Tensor forward(Tensor... inputs) {
    return forward(List.of(inputs), Map.of());
  }

  /**
   * {@code layer(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
   * memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False)} with PyTorch's
   * argument binding (the two {@code *_is_causal} hints are PyTorch 2.x's).
   */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    Object[] v = ARGS.bind(args, kwargs);
    return forward(
        ARGS.tensor(v, 0), ARGS.tensor(v, 1), ARGS.tensor(v, 2), ARGS.tensor(v, 3),
        ARGS.tensor(v, 4), ARGS.tensor(v, 5), ARGS.bool(v, 6, false), ARGS.bool(v, 7, false));
  }

  /** The computation without the causal hints: see {@link #forward(List, Map)}. */
  public Tensor forward(
      Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
      Tensor memoryKeyPaddingMask) {
    return forward(
        tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, false, false);
  }

  /** The computation (without this module's hooks; its children's hooks run). */
  public Tensor forward(
      Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
      Tensor memoryKeyPaddingMask, boolean tgtIsCausal, boolean memoryIsCausal) {
    ForwardArgs.checkKeyPaddingMask(tgtKeyPaddingMask);
    ForwardArgs.checkKeyPaddingMask(memoryKeyPaddingMask);
    Tensor x = tgt;
    if (normFirst) {
      Tensor n1 = norm(x, "norm1");
      x = x.add(attend("self_attn", n1, n1, tgtMask, tgtKeyPaddingMask, tgtIsCausal, "dropout1"));
      x = x.add(attend("multihead_attn", norm(x, "norm2"), memory, memoryMask,
          memoryKeyPaddingMask, memoryIsCausal, "dropout2"));
      x = x.add(feedForward(norm(x, "norm3"), "dropout3"));
    } else {
      x = norm(x.add(attend("self_attn", x, x, tgtMask, tgtKeyPaddingMask, tgtIsCausal,
          "dropout1")), "norm1");
      x = norm(x.add(attend("multihead_attn", x, memory, memoryMask, memoryKeyPaddingMask,
          memoryIsCausal, "dropout2")), "norm2");
      x = norm(x.add(feedForward(x, "dropout3")), "norm3");
    }
    return x;
  }

  @Override
  TransformerDecoderLayer copy() {
    return withStateOf(copyOptions(builder(dModel, nhead)).build());
  }

  /** The options of {@link TransformerDecoderLayer}. */
  public static final class Builder extends TransformerLayerBase.Builder<Builder, TransformerDecoderLayer> {
    Builder(int dModel, int nhead) {
      super(dModel, nhead);
    }

    @Override
    public TransformerDecoderLayer build() {
      return new TransformerDecoderLayer(this);
    }
  }
}
