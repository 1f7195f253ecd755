package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Transformer of "Attention Is All You Need" ({@code torch.nn.Transformer}): a {@link
 * TransformerEncoder} ({@code num_encoder_layers} layers and a final {@link LayerNorm}) whose
 * output, {@code memory}, feeds a {@link TransformerDecoder} ({@code num_decoder_layers} layers and
 * a final norm). After construction every parameter with more than one dimension is
 * re-initialised with {@code xavier_uniform_}, as PyTorch's {@code _reset_parameters} does.
 *
 * <pre>{@code
 * Transformer model = Transformer.builder().dModel(64).nhead(4).numEncoderLayers(2)
 *     .numDecoderLayers(2).dimFeedforward(128).batchFirst(true).build();
 * Tensor tgtMask = Transformer.generateSquareSubsequentMask(tgt.size(1));
 * Tensor y = model.call(List.of(src, tgt), Map.of("tgt_mask", tgtMask));   // [N, T, 64]
 * }</pre>
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.Transformer.html">
 *     torch.nn.Transformer</a>
 */
public final class Transformer extends Module {
  private static final ForwardArgs ARGS =
      new ForwardArgs(
          "forward()", 2, "src", "tgt", "src_mask", "tgt_mask", "memory_mask",
          "src_key_padding_mask", "tgt_key_padding_mask", "memory_key_padding_mask",
          "src_is_causal", "tgt_is_causal", "memory_is_causal");

  private final int dModel;
  private final int nhead;
  private final boolean batchFirst;

  /** {@code nn.Transformer()}: d_model 512, 8 heads, 6 + 6 layers, feed-forward 2048. */
  public Transformer() {
    this(builder());
  }

  /** {@code nn.Transformer(d_model, nhead, num_encoder_layers, num_decoder_layers)}. */
  public Transformer(int dModel, int nhead, int numEncoderLayers, int numDecoderLayers) {
    this(builder().dModel(dModel).nhead(nhead).numEncoderLayers(numEncoderLayers)
        .numDecoderLayers(numDecoderLayers));
  }

  private Transformer(Builder b) {
    this.dModel = b.dModel;
    this.nhead = b.nhead;
    this.batchFirst = b.batchFirst;
    if (b.customEncoder != null) {
      registerModule("encoder", b.customEncoder);
    } else {
      TransformerEncoderLayer layer = b.layer(TransformerEncoderLayer.builder(dModel, nhead));
      registerModule("encoder", new TransformerEncoder(layer, b.numEncoderLayers, b.norm()));
    }
    if (b.customDecoder != null) {
      registerModule("decoder", b.customDecoder);
    } else {
      TransformerDecoderLayer layer = b.layer(TransformerDecoderLayer.builder(dModel, nhead));
      registerModule("decoder", new TransformerDecoder(layer, b.numDecoderLayers, b.norm()));
    }
    resetParameters();
  }

  /** A builder with PyTorch's defaults for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code _reset_parameters}: {@code xavier_uniform_} on every parameter with more than one
   * dimension.
   */
  public void resetParameters() {
    for (Parameter p : parameters()) {
      if (p.dim() > 1) {
        Init.xavierUniform(p);
      }
    }
  }

  /**
   * {@code Transformer.generate_square_subsequent_mask(sz)}: a float32 {@code [sz, sz]} mask with
   * {@code -inf} above the diagonal and 0 elsewhere (position {@code i} may attend to {@code j <=
   * i}).
   */
  public static Tensor generateSquareSubsequentMask(long sz) {
    return generateSquareSubsequentMask(sz, Device.CPU, DType.FLOAT32);
  }

  /** The square subsequent mask on {@code device} in {@code dtype} (PyTorch 2.x's arguments). */
  public static Tensor generateSquareSubsequentMask(long sz, Device device, DType dtype) {
    return Tensor.full(Shape.of(sz, sz), Double.NEGATIVE_INFINITY, dtype, device).triu(1);
  }

  /** {@code model(src, tgt)}. */
  @Override
  public Tensor forward(Tensor src, Tensor tgt) {
    return forward(List.of(src, tgt), Map.of());
  }

  /** {@code model(src, tgt, src_mask, tgt_mask, memory_mask, ...)}: positional tensors. */
  @Override
  public Tensor forward(Tensor... inputs) {
    return forward(List.of(inputs), Map.of());
  }

  /**
   * {@code model(src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
   * src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None)} (and
   * PyTorch 2.x's {@code src_is_causal}, {@code tgt_is_causal}, {@code memory_is_causal} hints).
   *
   * @throws IllegalArgumentException {@code the batch number of src and tgt must be equal}, {@code
   *     the feature number of src and tgt must be equal to d_model}
   */
  @Override
  public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
    Object[] v = ARGS.bind(args, kwargs);
    Tensor src = ARGS.tensor(v, 0);
    Tensor tgt = ARGS.tensor(v, 1);
    boolean batched = src.dim() == 3;
    int b = batchFirst ? 0 : 1;
    if (batched && src.size(b) != tgt.size(b)) {
      throw new IllegalArgumentException("the batch number of src and tgt must be equal");
    }
    if (src.size(-1) != dModel || tgt.size(-1) != dModel) {
      throw new IllegalArgumentException(
          "the feature number of src and tgt must be equal to d_model");
    }
    Map<String, Object> encKw =
        TransformerStack.kwargs("mask", v[2], "src_key_padding_mask", v[5]);
    if (ARGS.bool(v, 8, false)) {
      encKw.put("is_causal", true);
    }
    Tensor memory = getSubmodule("encoder").call(List.of(src), encKw);
    Map<String, Object> decKw =
        TransformerStack.kwargs("tgt_mask", v[3], "memory_mask", v[4], "tgt_key_padding_mask",
            v[6], "memory_key_padding_mask", v[7]);
    if (ARGS.bool(v, 9, false)) {
      decKw.put("tgt_is_causal", true);
    }
    if (ARGS.bool(v, 10, false)) {
      decKw.put("memory_is_causal", true);
    }
    return getSubmodule("decoder").call(List.of(tgt, memory), decKw);
  }

  /** {@code d_model}. */
  public int dModel() {
    return dModel;
  }

  /** {@code nhead}. */
  public int nhead() {
    return nhead;
  }

  /** {@code batch_first}. */
  public boolean batchFirst() {
    return batchFirst;
  }

  /** The encoder (the child {@code encoder}). */
  public Module encoder() {
    return getSubmodule("encoder");
  }

  /** The decoder (the child {@code decoder}). */
  public Module decoder() {
    return getSubmodule("decoder");
  }

  /**
   * The options of {@link Transformer}, with PyTorch's defaults: {@code d_model=512, nhead=8,
   * num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, dropout=0.1,
   * activation="relu", layer_norm_eps=1e-5, batch_first=False, norm_first=False}.
   */
  public static final class Builder {
    int dModel = 512;
    int nhead = 8;
    int numEncoderLayers = 6;
    int numDecoderLayers = 6;
    int dimFeedforward = 2048;
    double dropout = 0.1;
    String activation = "relu";
    Module activationModule;
    Module customEncoder;
    Module customDecoder;
    double layerNormEps = 1e-5;
    boolean batchFirst;
    boolean normFirst;
    Device device = Device.CPU;
    DType dtype = DType.FLOAT32;

    Builder() {}

    /** {@code d_model} (default 512). */
    public Builder dModel(int dModel) {
      this.dModel = dModel;
      return this;
    }

    /** {@code nhead} (default 8). */
    public Builder nhead(int nhead) {
      this.nhead = nhead;
      return this;
    }

    /** {@code num_encoder_layers} (default 6). */
    public Builder numEncoderLayers(int n) {
      this.numEncoderLayers = n;
      return this;
    }

    /** {@code num_decoder_layers} (default 6). */
    public Builder numDecoderLayers(int n) {
      this.numDecoderLayers = n;
      return this;
    }

    /** {@code dim_feedforward} (default 2048). */
    public Builder dimFeedforward(int dimFeedforward) {
      this.dimFeedforward = dimFeedforward;
      return this;
    }

    /** {@code dropout} (default 0.1). */
    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** {@code activation="relu"} (default) or {@code "gelu"}. */
    public Builder activation(String activation) {
      this.activation = Objects.requireNonNull(activation, "activation");
      this.activationModule = null;
      return this;
    }

    /** A module as the activation of every layer (shared by the layers' copies). */
    public Builder activation(Module activation) {
      this.activationModule = Objects.requireNonNull(activation, "activation");
      return this;
    }

    /** {@code custom_encoder}: used instead of the built encoder. */
    public Builder customEncoder(Module encoder) {
      this.customEncoder = encoder;
      return this;
    }

    /** {@code custom_decoder}: used instead of the built decoder. */
    public Builder customDecoder(Module decoder) {
      this.customDecoder = decoder;
      return this;
    }

    /** {@code layer_norm_eps} (default 1e-5). */
    public Builder layerNormEps(double layerNormEps) {
      this.layerNormEps = layerNormEps;
      return this;
    }

    /** {@code batch_first} (default false). */
    public Builder batchFirst(boolean batchFirst) {
      this.batchFirst = batchFirst;
      return this;
    }

    /** {@code norm_first} (default false). */
    public Builder normFirst(boolean normFirst) {
      this.normFirst = normFirst;
      return this;
    }

    /** The device of the parameters (default CPU). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** The dtype of the parameters (default float32). */
    public Builder dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    <B extends TransformerLayerBase.Builder<B, L>, L extends TransformerLayerBase> L layer(B b) {
      b.dimFeedforward(dimFeedforward).dropout(dropout).layerNormEps(layerNormEps)
          .batchFirst(batchFirst).normFirst(normFirst).device(device).dtype(dtype);
      if (activationModule != null) {
        b.activation(activationModule);
      } else {
        b.activation(activation);
      }
      return b.build();
    }

    LayerNorm norm() {
      return LayerNorm.builder(dModel).eps(layerNormEps).device(device).dtype(dtype).build();
    }

    /** The model. */
    public Transformer build() {
      return new Transformer(this);
    }
  }
}
