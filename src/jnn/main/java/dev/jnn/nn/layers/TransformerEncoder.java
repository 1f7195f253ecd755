package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A stack of {@code num_layers} encoder layers ({@code torch.nn.TransformerEncoder}), each a copy
 * of the given layer (the child {@code layers}), then an optional {@code norm}.
 *
 * <pre>{@code
 * TransformerEncoderLayer layer = TransformerEncoderLayer.builder(512, 8).batchFirst(true).build();
 * TransformerEncoder encoder = new TransformerEncoder(layer, 6, new LayerNorm(512));
 * Tensor y = encoder.call(src);                                                 // [N, S, 512]
 * Tensor z = encoder.call(List.of(src), Map.of("src_key_padding_mask", padding));
 * }</pre>
 *
 * <p>PyTorch's inference fast path (evaluation mode without autograd, which with {@code
 * enable_nested_tensor} and a key padding mask returns zeros at the padded positions before the
 * final norm) is not reproduced: jnn always runs the general path, which PyTorch also takes in
 * training and whenever autograd records, and whose values agree at every non-padded position.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.TransformerEncoder.html">
 *     torch.nn.TransformerEncoder</a>
 */
public final class TransformerEncoder extends TransformerStack {
  private static final ForwardArgs ARGS =
      new ForwardArgs("forward()", 1, "src", "mask", "src_key_padding_mask", "is_causal");

  /** {@code nn.TransformerEncoder(encoder_layer, num_layers)}: no final norm. */
  public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) {
    this(encoderLayer, numLayers, null);
  }

  /** {@code nn.TransformerEncoder(encoder_layer, num_layers, norm)}; {@code norm} may be null. */
  public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
    super(encoderLayer, numLayers, norm);
  }

  @Override
  String pythonName() {
    return "TransformerEncoder";
  }

  /** {@code encoder(src)}. */
  @Override
  public Tensor forward(Tensor src) {
    return forward(src, null, null, false);
  }

  /** {@code encoder(src, mask, src_key_padding_mask)}: one to three positional tensors. */
  @Override
  public Tensor forward(Tensor... inputs) {
    return forward(List.of(inputs), Map.of());
  }

  /**
   * {@code encoder(src, mask=None, src_key_padding_mask=None, is_causal=None)} with PyTorch's
   * argument binding ({@code is_causal}: PyTorch 2.x's hint).
   */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    Object[] v = ARGS.bind(args, kwargs);
    return forward(ARGS.tensor(v, 0), ARGS.tensor(v, 1), ARGS.tensor(v, 2), ARGS.bool(v, 3, false));
  }

  /** The computation: each layer as {@code mod(x, src_mask=mask, src_key_padding_mask=...)}. */
  public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask, boolean isCausal) {
    ForwardArgs.checkKeyPaddingMask(srcKeyPaddingMask);
    Map<String, Object> kw = kwargs("src_mask", mask, "src_key_padding_mask", srcKeyPaddingMask);
    if (isCausal) {
      kw.put("is_causal", true);
    }
    return run(src, List.of(), kw);
  }
}
