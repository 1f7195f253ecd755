package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A stack of {@code num_layers} decoder layers ({@code torch.nn.TransformerDecoder}), each a copy
 * of the given layer (the child {@code layers}), then an optional {@code norm}.
 *
 * <pre>{@code
 * TransformerDecoder decoder = new TransformerDecoder(new TransformerDecoderLayer(512, 8), 6);
 * Tensor y = decoder.call(tgt, memory);                                       // [T, N, 512]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.TransformerDecoder.html">
 *     torch.nn.TransformerDecoder</a>
 */
public final class TransformerDecoder extends TransformerStack {
  private static final ForwardArgs ARGS =
      new ForwardArgs(
          "forward()", 2, "tgt", "memory", "tgt_mask", "memory_mask", "tgt_key_padding_mask",
          "memory_key_padding_mask", "tgt_is_causal", "memory_is_causal");

  /** {@code nn.TransformerDecoder(decoder_layer, num_layers)}: no final norm. */
  public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers) {
    this(decoderLayer, numLayers, null);
  }

  /** {@code nn.TransformerDecoder(decoder_layer, num_layers, norm)}; {@code norm} may be null. */
  public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, Module norm) {
    super(decoderLayer, numLayers, norm);
  }

  @Override
  String pythonName() {
    return "TransformerDecoder";
  }

  /** {@code decoder(tgt, memory)}. */
  @Override
  public Tensor forward(Tensor tgt, Tensor memory) {
    return forward(List.of(tgt, memory), Map.of());
  }

  /** {@code decoder(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, ...)}. */
  @Override
  public Tensor forward(Tensor... inputs) {
    return forward(List.of(inputs), Map.of());
  }

  /**
   * {@code decoder(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
   * memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False)} with PyTorch's
   * argument binding (the causal hints are PyTorch 2.x's).
   */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    Object[] v = ARGS.bind(args, kwargs);
    return forward(
        ARGS.tensor(v, 0), ARGS.tensor(v, 1), ARGS.tensor(v, 2), ARGS.tensor(v, 3),
        ARGS.tensor(v, 4), ARGS.tensor(v, 5), ARGS.bool(v, 6, false), ARGS.bool(v, 7, false));
  }

  /** The computation: each layer as {@code mod(x, memory, tgt_mask=..., memory_mask=..., ...)}. */
  public Tensor forward(
      Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
      Tensor memoryKeyPaddingMask, boolean tgtIsCausal, boolean memoryIsCausal) {
    Map<String, Object> kw =
        kwargs("tgt_mask", tgtMask, "memory_mask", memoryMask, "tgt_key_padding_mask",
            tgtKeyPaddingMask, "memory_key_padding_mask", memoryKeyPaddingMask);
    if (tgtIsCausal) {
      kw.put("tgt_is_causal", true);
    }
    if (memoryIsCausal) {
      kw.put("memory_is_causal", true);
    }
    return run(tgt, List.of(memory), kw);
  }
}
