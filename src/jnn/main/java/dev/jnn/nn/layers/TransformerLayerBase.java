package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} share: the options,
 * the feed-forward block {@code linear2(dropout(activation(linear1(x))))}, the attention blocks
 * and the activation ({@code "relu"}, {@code "gelu"} or a module, as PyTorch's {@code activation}
 * argument).
 */
public abstract class TransformerLayerBase extends Module {
  final int dModel;
  final int nhead;
  final int dimFeedforward;
  final double dropoutP;
  final String activationName; // "relu", "gelu", or null for a module activation
  final double layerNormEps;
  final boolean batchFirst;
  final boolean normFirst;

  TransformerLayerBase(Builder<?, ?> b) {
    this.dModel = b.dModel;
    this.nhead = b.nhead;
    this.dimFeedforward = b.dimFeedforward;
    this.dropoutP = b.dropout;
    this.layerNormEps = b.layerNormEps;
    this.batchFirst = b.batchFirst;
    this.normFirst = b.normFirst;
    this.activationName = b.activationModule == null ? b.activation : null;
  }

  /** The multi-head attention, dropout and layer norm children, created as PyTorch creates them. */
  final MultiheadAttention attention(Builder<?, ?> b) {
    return MultiheadAttention.builder(dModel, nhead)
        .dropout(dropoutP)
        .batchFirst(batchFirst)
        .device(b.device)
        .dtype(b.dtype)
        .build();
  }

  final Linear linear(Builder<?, ?> b, int in, int out) {
    return Linear.builder(in, out).device(b.device).dtype(b.dtype).build();
  }

  final LayerNorm norm(Builder<?, ?> b) {
    return LayerNorm.builder(dModel).eps(layerNormEps).device(b.device).dtype(b.dtype).build();
  }

  /**
   * Registers the activation child when it is a module ({@code self.activation = activation} in
   * PyTorch registers a module), after checking a named one: {@code activation should be
   * relu/gelu, not tanh}.
   */
  final void registerActivation(Builder<?, ?> b) {
    if (b.activationModule != null) {
      registerModule("activation", b.activationModule);
    } else if (!"relu".equals(b.activation) && !"gelu".equals(b.activation)) {
      throw new IllegalArgumentException(
          "activation should be relu/gelu, not " + b.activation);
    }
  }

  private Tensor activate(Tensor x) {
    if (activationName == null) {
      return getSubmodule("activation").call(x);
    }
    return activationName.equals("relu") ? Functional.relu(x) : Functional.gelu(x);
  }

  /** The child {@code name} (a layer norm) applied to {@code x}. */
  final Tensor norm(Tensor x, String name) {
    return getSubmodule(name).call(x);
  }

  /** {@code _ff_block}: {@code dropoutOut(linear2(dropout(activation(linear1(x)))))}. */
  final Tensor feedForward(Tensor x, String dropoutOut) {
    Tensor h = activate(getSubmodule("linear1").call(x));
    h = getSubmodule("linear2").call(getSubmodule("dropout").call(h));
    return getSubmodule(dropoutOut).call(h);
  }

  /**
   * {@code _sa_block} / {@code _mha_block}: {@code dropoutOut(attn(x, mem, mem, attn_mask=mask,
   * key_padding_mask=kpm, need_weights=False)[0])}, the attention called with PyTorch's keyword
   * arguments (what its hooks see).
   */
  final Tensor attend(
      String attn, Tensor x, Tensor mem, Tensor mask, Tensor kpm, boolean isCausal,
      String dropoutOut) {
    Map<String, Object> kw = new LinkedHashMap<>();
    kw.put("attn_mask", mask);
    kw.put("key_padding_mask", kpm);
    kw.put("need_weights", false);
    if (isCausal) {
      kw.put("is_causal", true); // PyTorch 2.x's hint
    }
    MultiheadAttention m = (MultiheadAttention) getSubmodule(attn);
    Tensor y = m.callOutput(List.of(x, mem, mem), kw).output();
    return getSubmodule(dropoutOut).call(y);
  }

  /** {@code d_model}: the feature size of inputs and outputs. */
  public int dModel() {
    return dModel;
  }

  /** {@code nhead}: the number of attention heads. */
  public int nhead() {
    return nhead;
  }

  /** {@code dim_feedforward}: the hidden size of the feed-forward block. */
  public int dimFeedforward() {
    return dimFeedforward;
  }

  /** {@code batch_first}: inputs and outputs as {@code [batch, seq, feature]}. */
  public boolean batchFirst() {
    return batchFirst;
  }

  /** {@code norm_first}: layer norm before (true) or after (false) each block. */
  public boolean normFirst() {
    return normFirst;
  }

  /** The activation's name ({@code "relu"} or {@code "gelu"}), or null for a module activation. */
  public String activation() {
    return activationName;
  }

  /** The copy PyTorch's {@code copy.deepcopy} makes when a stack clones this layer. */
  abstract TransformerLayerBase copy();

  /** The builder state a copy starts from: the same options, device and dtype. */
  final <B extends Builder<B, ?>> B copyOptions(B b) {
    Tensor any = parameters().get(0);
    b.dimFeedforward(dimFeedforward).dropout(dropoutP).layerNormEps(layerNormEps)
        .batchFirst(batchFirst).normFirst(normFirst).device(any.device()).dtype(any.dtype());
    if (activationName != null) {
      b.activation(activationName);
    } else {
      // a module activation is shared by the copies (jnn cannot deep-copy an arbitrary module)
      b.activation(getSubmodule("activation"));
    }
    return b;
  }

  /** Finishes a copy: the same parameter values and training mode as this layer. */
  final <L extends TransformerLayerBase> L withStateOf(L copy) {
    copy.loadStateDict(stateDict());
    copy.train(isTraining());
    return copy;
  }

  /**
   * The options of the Transformer layers, with PyTorch's defaults: {@code dim_feedforward=2048,
   * dropout=0.1, activation="relu", layer_norm_eps=1e-5, batch_first=False, norm_first=False}.
   *
   * @param <B> the concrete builder
   * @param <L> the layer it builds
   */
  public abstract static class Builder<B extends Builder<B, L>, L extends TransformerLayerBase> {
    final int dModel;
    final int nhead;
    int dimFeedforward = 2048;
    double dropout = 0.1;
    String activation = "relu";
    Module activationModule;
    double layerNormEps = 1e-5;
    boolean batchFirst;
    boolean normFirst;
    Device device = Device.CPU;
    DType dtype = DType.FLOAT32;

    Builder(int dModel, int nhead) {
      this.dModel = dModel;
      this.nhead = nhead;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** {@code dim_feedforward} (default 2048). */
    public B dimFeedforward(int dimFeedforward) {
      this.dimFeedforward = dimFeedforward;
      return self();
    }

    /** {@code dropout} (default 0.1): of the attention weights and after each block. */
    public B dropout(double dropout) {
      this.dropout = dropout;
      return self();
    }

    /** {@code activation="relu"} (default) or {@code "gelu"}. */
    public B activation(String activation) {
      this.activation = Objects.requireNonNull(activation, "activation");
      this.activationModule = null;
      return self();
    }

    /**
     * A module as the activation (e.g. {@code new GELU("tanh")}), registered as the child {@code
     * activation} as in PyTorch.
     */
    public B activation(Module activation) {
      this.activationModule = Objects.requireNonNull(activation, "activation");
      return self();
    }

    /** {@code layer_norm_eps} (default 1e-5). */
    public B layerNormEps(double layerNormEps) {
      this.layerNormEps = layerNormEps;
      return self();
    }

    /** {@code batch_first} (default false). */
    public B batchFirst(boolean batchFirst) {
      this.batchFirst = batchFirst;
      return self();
    }

    /** {@code norm_first} (default false). */
    public B normFirst(boolean normFirst) {
      this.normFirst = normFirst;
      return self();
    }

    /** The device of the parameters (default CPU). */
    public B device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return self();
    }

    /** The dtype of the parameters (default float32). */
    public B dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return self();
    }

    /** The layer. */
    public abstract L build();
  }
}
