package dev.jnn.nn.layers;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A Transformer encoder layer ({@code torch.nn.TransformerEncoderLayer}): self-attention and a
 * feed-forward network, each with dropout, a residual connection and layer norm:
 *
 * <pre>
 * norm_first=False:  x = norm1(x + sa(x));        x = norm2(x + ff(x))
 * norm_first=True:   x = x + sa(norm1(x));        x = x + ff(norm2(x))
 * sa(x) = dropout1(self_attn(x, x, x, attn_mask, key_padding_mask)[0])
 * ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))
 * </pre>
 *
 * <p>Children, as PyTorch names them (so state dicts load strictly): {@code self_attn} ({@link
 * MultiheadAttention}), {@code linear1}, {@code dropout}, {@code linear2}, {@code norm1}, {@code
 * norm2}, {@code dropout1}, {@code dropout2}, and {@code activation} when it is a module.
 *
 * <p>Shapes: {@code src} {@code [S, N, E]} ({@code [N, S, E]} with {@code batch_first}) or
 * unbatched {@code [S, E]}; {@code src_mask} {@code [S, S]} or {@code [N * nhead, S, S]} (bool:
 * {@code true} = may not attend; or floating, added); {@code src_key_padding_mask} {@code [N, S]}
 * (bool: {@code true} = padding). The output has the shape of {@code src}.
 *
 * <pre>{@code
 * TransformerEncoderLayer layer = TransformerEncoderLayer.builder(512, 8).batchFirst(true).build();
 * Tensor y = layer.call(src);                                         // [N, S, 512]
 * Tensor z = layer.call(src, Transformer.generateSquareSubsequentMask(s), null);
 * }</pre>
 *
 * <p>PyTorch's inference fast path ({@code torch._transformer_encoder_layer_fwd}, taken in
 * evaluation mode without autograd) computes the same values to rounding; jnn always runs the
 * general path.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.TransformerEncoderLayer.html">
 *     torch.nn.TransformerEncoderLayer</a>
 */
public final class TransformerEncoderLayer extends TransformerLayerBase {
  private static final ForwardArgs ARGS =
      new ForwardArgs("forward()", 1, "src", "src_mask", "src_key_padding_mask", "is_causal");

  /** {@code nn.TransformerEncoderLayer(d_model, nhead)} with PyTorch's defaults. */
  public TransformerEncoderLayer(int dModel, int nhead) {
    this(builder(dModel, nhead));
  }

  /** {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout)}. */
  public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout) {
    this(builder(dModel, nhead).dimFeedforward(dimFeedforward).dropout(dropout));
  }

  private TransformerEncoderLayer(Builder b) {
    super(b);
    registerModule("self_attn", attention(b));
    registerModule("linear1", linear(b, dModel, dimFeedforward));
    registerModule("dropout", new Dropout(dropoutP));
    registerModule("linear2", linear(b, dimFeedforward, dModel));
    registerModule("norm1", norm(b));
    registerModule("norm2", norm(b));
    registerModule("dropout1", new Dropout(dropoutP));
    registerModule("dropout2", new Dropout(dropoutP));
    registerActivation(b);
  }

  /**
   * A builder for the options: {@code dim_feedforward}, {@code dropout}, {@code activation},
   * {@code layer_norm_eps}, {@code batch_first}, {@code norm_first}, device and dtype.
   */
  public static Builder builder(int dModel, int nhead) {
    return new Builder(dModel, nhead);
  }

  /** {@code layer(src)}. */
  @Override
  public Tensor forward(Tensor src) {
    return forward(src, null, null, false);
  }

  /**
   * {@code layer(src, src_mask, src_key_padding_mask)}: one to three positional tensors (null for
   * an absent mask).
   */
  @Override
  public Tensor forward(Tensor... inputs) {
    return forward(List.of(inputs), Map.of());
  }

  /**
   * {@code layer(src, src_mask=None, src_key_padding_mask=None, is_causal=False)} with PyTorch's
   * argument binding ({@code is_causal} is PyTorch 2.x's hint that {@code src_mask} is causal).
   */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    Object[] v = ARGS.bind(args, kwargs);
    return forward(ARGS.tensor(v, 0), ARGS.tensor(v, 1), ARGS.tensor(v, 2), ARGS.bool(v, 3, false));
  }

  /**
   * The computation (without this module's hooks; its children's hooks run).
   *
   * @param src the input sequence
   * @param srcMask the attention mask, or null
   * @param srcKeyPaddingMask the key padding mask, or null
   * @param isCausal PyTorch 2.x's hint that {@code srcMask} is the causal mask
   */
  public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
    ForwardArgs.checkKeyPaddingMask(srcKeyPaddingMask);
    Tensor x = src;
    if (normFirst) {
      x = x.add(selfAttention(norm(x, "norm1"), srcMask, srcKeyPaddingMask, isCausal));
      x = x.add(feedForward(norm(x, "norm2"), "dropout2"));
    } else {
      x = norm(x.add(selfAttention(x, srcMask, srcKeyPaddingMask, isCausal)), "norm1");
      x = norm(x.add(feedForward(x, "dropout2")), "norm2");
    }
    return x;
  }

  private Tensor selfAttention(Tensor x, Tensor mask, Tensor kpm, boolean isCausal) {
    return attend("self_attn", x, x, mask, kpm, isCausal, "dropout1");
  }


  @Override
  TransformerEncoderLayer copy() {
    return withStateOf(copyOptions(builder(dModel, nhead)).build());
  }

  /** The options of {@link TransformerEncoderLayer}. */
  public static final class Builder extends TransformerLayerBase.Builder<Builder, TransformerEncoderLayer> {
    Builder(int dModel, int nhead) {
      super(dModel, nhead);
    }

    @Override
    public TransformerEncoderLayer build() {
      return new TransformerEncoderLayer(this);
    }
  }
}
