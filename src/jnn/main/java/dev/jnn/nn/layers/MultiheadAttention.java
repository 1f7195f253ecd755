package dev.jnn.nn.layers;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.StructuredModule;
import dev.jnn.nn.functional.AttentionOutput;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multi-head attention ({@code torch.nn.MultiheadAttention}): {@code MultiHead(Q, K, V) =
 * Concat(head_1, ..., head_h) W^O} with {@code head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)},
 * computed by {@link Functional#multiHeadAttentionForward} (PyTorch 1.13's computation and
 * messages, with PyTorch 2.x's {@code is_causal} hint).
 *
 * <p>Inputs: query {@code [L, N, E]}, key {@code [S, N, kdim]}, value {@code [S, N, vdim]} ({@code
 * [N, L, E]} etc. with {@code batch_first}), or unbatched {@code [L, E]}, {@code [S, kdim]},
 * {@code [S, vdim]}; output an {@link AttentionOutput} {@code (attn_output, attn_output_weights)}:
 * {@code [L, N, E]} (batch first with {@code batch_first}) and the weights {@code [N, L, S]}
 * averaged over the heads, {@code [N, num_heads, L, S]} per head, or null without {@code
 * need_weights}.
 *
 * <pre>{@code
 * MultiheadAttention mha = MultiheadAttention.builder(64, 8).dropout(0.1).batchFirst(true).build();
 * AttentionOutput out = mha.callOutput(x, x, x);                 // self-attention
 * Tensor y = out.output();                                       // [N, L, 64]
 * // the keyword arguments of PyTorch's forward, typed:
 * Tensor z = mha.callOutput(x, x, x, MultiheadAttention.ForwardOptions.defaults()
 *     .withKeyPaddingMask(padding).withNeedWeights(false)).output();
 * }</pre>
 *
 * <p>Parameters, as PyTorch names, shapes and initialises them: {@code in_proj_weight} {@code [3E,
 * E]} ({@code xavier_uniform_}), or, when {@code kdim} or {@code vdim} differs from {@code
 * embed_dim}, {@code q_proj_weight} {@code [E, E]}, {@code k_proj_weight} {@code [E, kdim]}, {@code
 * v_proj_weight} {@code [E, vdim]} (each {@code xavier_uniform_}); {@code in_proj_bias} {@code
 * [3E]} (zeros; with {@code bias}); {@code bias_k}, {@code bias_v} {@code [1, 1, E]} ({@code
 * xavier_normal_}; with {@code add_bias_kv}); and the child {@code out_proj}, a {@link
 * NonDynamicallyQuantizableLinear}{@code (E, E, bias)} whose bias is zeroed. State-dict keys
 * follow: {@code in_proj_weight, in_proj_bias, bias_k, bias_v, out_proj.weight, out_proj.bias},
 * so a PyTorch checkpoint loads strictly.
 *
 * <p>PyTorch's inference fast path ({@code torch._native_multi_head_attention}, taken in
 * evaluation mode under some conditions) computes the same values to rounding; jnn always runs
 * the general path. Rows of the weights whose positions are all masked are NaN, as in PyTorch
 * 1.13.
 *
 * @see <a href="https://pytorch.org/docs/1.13/generated/torch.nn.MultiheadAttention.html">
 *     torch.nn.MultiheadAttention</a>
 */
public final class MultiheadAttention extends StructuredModule<AttentionOutput> {
  private final int embedDim;
  private final int kdim;
  private final int vdim;
  private final boolean qkvSameEmbedDim;
  private final int numHeads;
  private final double dropout;
  private final boolean batchFirst;
  private final int headDim;
  private final boolean addZeroAttn;

  /** {@code nn.MultiheadAttention(embedDim, numHeads)}. */
  public MultiheadAttention(int embedDim, int numHeads) {
    this(builder(embedDim, numHeads));
  }

  /** {@code nn.MultiheadAttention(embedDim, numHeads, dropout=dropout)}. */
  public MultiheadAttention(int embedDim, int numHeads, double dropout) {
    this(builder(embedDim, numHeads).dropout(dropout));
  }

  private MultiheadAttention(Builder b) {
    super(AttentionOutput.class);
    this.embedDim = b.embedDim;
    this.kdim = b.kdim != null ? b.kdim : b.embedDim;
    this.vdim = b.vdim != null ? b.vdim : b.embedDim;
    this.qkvSameEmbedDim = kdim == embedDim && vdim == embedDim;
    this.numHeads = b.numHeads;
    this.dropout = b.dropout;
    this.batchFirst = b.batchFirst;
    if (numHeads <= 0) {
      // Python's embed_dim // num_heads fails with ZeroDivisionError for 0
      throw new IllegalArgumentException(
          "MultiheadAttention: num_heads must be a positive integer, got " + numHeads);
    }
    this.headDim = embedDim / numHeads;
    if ((long) headDim * numHeads != embedDim) {
      throw new IllegalArgumentException("embed_dim must be divisible by num_heads");
    }
    this.addZeroAttn = b.addZeroAttn;
    if (!qkvSameEmbedDim) {
      param("q_proj_weight", b, embedDim, embedDim);
      param("k_proj_weight", b, embedDim, kdim);
      param("v_proj_weight", b, embedDim, vdim);
      registerParameter("in_proj_weight", null);
    } else {
      param("in_proj_weight", b, 3L * embedDim, embedDim);
      registerParameter("q_proj_weight", null);
      registerParameter("k_proj_weight", null);
      registerParameter("v_proj_weight", null);
    }
    if (b.bias) {
      param("in_proj_bias", b, 3L * embedDim);
    } else {
      registerParameter("in_proj_bias", null);
    }
    registerModule(
        "out_proj",
        new NonDynamicallyQuantizableLinear(embedDim, embedDim, b.bias, b.device, b.dtype));
    if (b.addBiasKv) {
      param("bias_k", b, 1, 1, embedDim);
      param("bias_v", b, 1, 1, embedDim);
    }
    resetParameters();
  }

  private void param(String name, Builder b, long... dims) {
    registerParameter(name, new Parameter(Tensor.empty(Shape.of(dims), b.dtype, b.device)));
  }

  /**
   * A builder for the options beyond the constructors: {@code dropout}, {@code bias}, {@code
   * add_bias_kv}, {@code add_zero_attn}, {@code kdim}, {@code vdim}, {@code batch_first}, {@code
   * device}, {@code dtype}.
   */
  public static Builder builder(int embedDim, int numHeads) {
    return new Builder(embedDim, numHeads);
  }

  /**
   * Re-initialises the parameters as PyTorch's {@code _reset_parameters}: {@code xavier_uniform_}
   * for the input projection weights, zeros for {@code in_proj_bias} and {@code out_proj.bias},
   * {@code xavier_normal_} for {@code bias_k} and {@code bias_v} ({@code out_proj.weight} keeps
   * {@code Linear}'s initialisation).
   */
  public void resetParameters() {
    if (qkvSameEmbedDim) {
      Init.xavierUniform(inProjWeight());
    } else {
      Init.xavierUniform(qProjWeight());
      Init.xavierUniform(kProjWeight());
      Init.xavierUniform(vProjWeight());
    }
    if (inProjBias() != null) {
      Init.constant(inProjBias(), 0.0);
      Init.constant(outProj().bias(), 0.0);
    }
    if (biasK() != null) {
      Init.xavierNormal(biasK());
    }
    if (biasV() != null) {
      Init.xavierNormal(biasV());
    }
  }

  // ---------------------------------------------------------------- forward

  /**
   * PyTorch's keyword arguments of {@code MultiheadAttention.forward} beyond query, key and value,
   * for {@link #callOutput(Tensor, Tensor, Tensor, ForwardOptions)}; start from {@link
   * #defaults()} and change what differs.
   *
   * @param keyPaddingMask {@code [N, S]} ({@code [S]} unbatched): bool, {@code true} = ignore
   *     that key; or floating, added; null for none
   * @param needWeights whether to return the attention weights (PyTorch's default true)
   * @param attnMask {@code [L, S]} or {@code [N * num_heads, L, S]}: bool, {@code true} = not
   *     allowed to attend; or floating, added; null for none
   * @param averageAttnWeights average the returned weights over the heads (default true)
   * @param isCausal a hint that {@code attnMask} is the causal mask (PyTorch 2.x; default false)
   */
  public record ForwardOptions(
      Tensor keyPaddingMask,
      boolean needWeights,
      Tensor attnMask,
      boolean averageAttnWeights,
      boolean isCausal) {
    private static final ForwardOptions DEFAULTS = new ForwardOptions(null, true, null, true, false);

    /** PyTorch's defaults: no masks, {@code need_weights=True}, {@code average_attn_weights=True}. */
    public static ForwardOptions defaults() {
      return DEFAULTS;
    }

    /** With {@code key_padding_mask}. */
    public ForwardOptions withKeyPaddingMask(Tensor mask) {
      return new ForwardOptions(mask, needWeights, attnMask, averageAttnWeights, isCausal);
    }

    /** With {@code need_weights}. */
    public ForwardOptions withNeedWeights(boolean need) {
      return new ForwardOptions(keyPaddingMask, need, attnMask, averageAttnWeights, isCausal);
    }

    /** With {@code attn_mask}. */
    public ForwardOptions withAttnMask(Tensor mask) {
      return new ForwardOptions(keyPaddingMask, needWeights, mask, averageAttnWeights, isCausal);
    }

    /** With {@code average_attn_weights}. */
    public ForwardOptions withAverageAttnWeights(boolean average) {
      return new ForwardOptions(keyPaddingMask, needWeights, attnMask, average, isCausal);
    }

    /** With {@code is_causal}. */
    public ForwardOptions withIsCausal(boolean causal) {
      return new ForwardOptions(keyPaddingMask, needWeights, attnMask, averageAttnWeights, causal);
    }

    /** The options as PyTorch's keyword arguments, those that differ from the defaults. */
    Map<String, Object> kwargs() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (keyPaddingMask != null) {
        m.put("key_padding_mask", keyPaddingMask);
      }
      if (!needWeights) {
        m.put("need_weights", false);
      }
      if (attnMask != null) {
        m.put("attn_mask", attnMask);
      }
      if (!averageAttnWeights) {
        m.put("average_attn_weights", false);
      }
      if (isCausal) {
        m.put("is_causal", true);
      }
      return m;
    }
  }

  /** {@code mha(query, key, value)} with PyTorch's defaults. */
  public AttentionOutput forwardOutput(Tensor query, Tensor key, Tensor value) {
    return forwardOutput(query, key, value, ForwardOptions.defaults());
  }

  /**
   * {@code mha(query, key, value)} or {@code mha(query, key, value, key_padding_mask)}: three or
   * four positional tensors (the fourth may be null).
   */
  @Override
  public AttentionOutput forwardOutput(Tensor... inputs) {
    if (inputs.length == 3) {
      return forwardOutput(inputs[0], inputs[1], inputs[2], ForwardOptions.defaults());
    }
    if (inputs.length == 4) {
      return forwardOutput(inputs[0], inputs[1], inputs[2],
          ForwardOptions.defaults().withKeyPaddingMask(inputs[3]));
    }
    throw arity(inputs.length);
  }

  private IllegalArgumentException arity(int n) {
    if (n < 3) {
      String[] names = {"'query'", "'key'", "'value'"};
      int missing = 3 - n;
      String list = missing == 1 ? names[2]
          : missing == 2 ? names[1] + " and " + names[2]
          : names[0] + ", " + names[1] + ", and " + names[2];
      return new IllegalArgumentException(
          "MultiheadAttention.forward() missing " + missing + " required positional argument"
              + (missing == 1 ? "" : "s") + ": " + list);
    }
    return new IllegalArgumentException(
        "MultiheadAttention.forward() takes query, key, value and optionally key_padding_mask as"
            + " positional tensors (need_weights, attn_mask, average_attn_weights, is_causal as"
            + " keyword arguments), got " + n + " tensors");
  }

  /**
   * {@code mha(query, key, value, [key_padding_mask], **kwargs)}: the keyword arguments {@code
   * key_padding_mask} (a tensor or null), {@code need_weights} (Boolean), {@code attn_mask} (a
   * tensor or null), {@code average_attn_weights} (Boolean), {@code is_causal} (Boolean).
   *
   * @throws IllegalArgumentException Python's messages for an unexpected keyword argument, an
   *     argument given twice, or a missing one
   */
  @Override
  public AttentionOutput forwardOutput(List<Tensor> args, Map<String, Object> kwargs) {
    if (args.size() < 3 || args.size() > 4) {
      throw arity(args.size());
    }
    ForwardOptions o = ForwardOptions.defaults();
    if (args.size() == 4) {
      if (kwargs.containsKey("key_padding_mask")) {
        throw new IllegalArgumentException(
            "MultiheadAttention.forward() got multiple values for argument 'key_padding_mask'");
      }
      o = o.withKeyPaddingMask(args.get(3));
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "key_padding_mask" -> o = o.withKeyPaddingMask(tensorKwarg(e.getKey(), v));
        case "attn_mask" -> o = o.withAttnMask(tensorKwarg(e.getKey(), v));
        case "need_weights" -> o = o.withNeedWeights(boolKwarg(e.getKey(), v));
        case "average_attn_weights" -> o = o.withAverageAttnWeights(boolKwarg(e.getKey(), v));
        case "is_causal" -> o = o.withIsCausal(boolKwarg(e.getKey(), v));
        default -> throw new IllegalArgumentException(
            "MultiheadAttention.forward() got an unexpected keyword argument '" + e.getKey() + "'");
      }
    }
    return forwardOutput(args.get(0), args.get(1), args.get(2), o);
  }

  private static Tensor tensorKwarg(String name, Object v) {
    if (v == null || v instanceof Tensor) {
      return (Tensor) v;
    }
    throw new IllegalArgumentException(
        "MultiheadAttention.forward(): " + name + " must be a Tensor or None, got "
            + v.getClass().getName());
  }

  private static boolean boolKwarg(String name, Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(
        "MultiheadAttention.forward(): " + name + " must be a Boolean, got "
            + (v == null ? "None" : v.getClass().getName()));
  }

  /**
   * The computation of {@code mha(query, key, value, key_padding_mask=..., need_weights=...,
   * attn_mask=..., average_attn_weights=..., is_causal=...)} without hooks (use {@link
   * #callOutput(Tensor, Tensor, Tensor, ForwardOptions)} to run them).
   *
   * @throws IllegalArgumentException with PyTorch's messages for bad shapes and mask types
   */
  public AttentionOutput forwardOutput(Tensor query, Tensor key, Tensor value, ForwardOptions o) {
    Objects.requireNonNull(o, "options");
    Tensor kpm = o.keyPaddingMask();
    if (kpm != null && kpm.dtype() != DType.BOOL && !kpm.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "only bool and floating types of key_padding_mask are supported");
    }
    boolean batched = query.dim() == 3;
    if (batchFirst && batched) {
      // transpose once per distinct tensor, so that the projection sees the same identities
      if (key == value) {
        if (query == key) {
          query = key = value = query.transpose(1, 0);
        } else {
          query = query.transpose(1, 0);
          key = value = key.transpose(1, 0);
        }
      } else {
        query = query.transpose(1, 0);
        key = key.transpose(1, 0);
        value = value.transpose(1, 0);
      }
    }
    AttentionOutput r = Functional.multiHeadAttentionForward(
        query, key, value, embedDim, numHeads,
        inProjWeight(), inProjBias(), biasK(), biasV(), addZeroAttn,
        dropout, outProj().weight(), outProj().bias(),
        isTraining(), kpm, o.needWeights(), o.attnMask(),
        !qkvSameEmbedDim, qProjWeight(), kProjWeight(), vProjWeight(), null, null,
        o.averageAttnWeights(), o.isCausal(), Generator.defaultGenerator());
    if (batchFirst && batched) {
      return new AttentionOutput(r.output().transpose(1, 0), r.weights());
    }
    return r;
  }

  /**
   * {@code mha(query, key, value, **options)} with the module's hooks: {@link #callOutput(List,
   * Map)} with {@code [query, key, value]} and the options that differ from PyTorch's defaults as
   * keyword arguments ({@code key_padding_mask}, {@code need_weights}, {@code attn_mask}, {@code
   * average_attn_weights}, {@code is_causal}), which is what hooks see.
   */
  public AttentionOutput callOutput(Tensor query, Tensor key, Tensor value, ForwardOptions o) {
    return callOutput(List.of(query, key, value), o.kwargs());
  }

  // ---------------------------------------------------------------- accessors

  /** {@code in_proj_weight} {@code [3E, E]}, or null when {@code kdim}/{@code vdim} differ. */
  public Parameter inProjWeight() {
    return (Parameter) getAttribute("in_proj_weight");
  }

  /** {@code q_proj_weight} {@code [E, E]}, or null when the projection is packed. */
  public Parameter qProjWeight() {
    return (Parameter) getAttribute("q_proj_weight");
  }

  /** {@code k_proj_weight} {@code [E, kdim]}, or null when the projection is packed. */
  public Parameter kProjWeight() {
    return (Parameter) getAttribute("k_proj_weight");
  }

  /** {@code v_proj_weight} {@code [E, vdim]}, or null when the projection is packed. */
  public Parameter vProjWeight() {
    return (Parameter) getAttribute("v_proj_weight");
  }

  /** {@code in_proj_bias} {@code [3E]}, or null without bias. */
  public Parameter inProjBias() {
    return (Parameter) getAttribute("in_proj_bias");
  }

  /** {@code bias_k} {@code [1, 1, E]}, or null without {@code add_bias_kv}. */
  public Parameter biasK() {
    return hasAttribute("bias_k") ? (Parameter) getAttribute("bias_k") : null;
  }

  /** {@code bias_v} {@code [1, 1, E]}, or null without {@code add_bias_kv}. */
  public Parameter biasV() {
    return hasAttribute("bias_v") ? (Parameter) getAttribute("bias_v") : null;
  }

  /** {@code out_proj}, the output projection. */
  public NonDynamicallyQuantizableLinear outProj() {
    return (NonDynamicallyQuantizableLinear) getAttribute("out_proj");
  }

  /** {@code embed_dim}. */
  public int embedDim() {
    return embedDim;
  }

  /** {@code kdim} ({@code embed_dim} unless given). */
  public int kdim() {
    return kdim;
  }

  /** {@code vdim} ({@code embed_dim} unless given). */
  public int vdim() {
    return vdim;
  }

  /** {@code num_heads}. */
  public int numHeads() {
    return numHeads;
  }

  /** {@code head_dim}: {@code embed_dim / num_heads}. */
  public int headDim() {
    return headDim;
  }

  /** {@code dropout}: the drop probability of the attention weights in training. */
  public double dropout() {
    return dropout;
  }

  /** {@code batch_first}. */
  public boolean batchFirst() {
    return batchFirst;
  }

  /** {@code add_zero_attn}. */
  public boolean addZeroAttn() {
    return addZeroAttn;
  }

  /** Options of a {@link MultiheadAttention}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int embedDim;
    private final int numHeads;
    private double dropout;
    private boolean bias = true;
    private boolean addBiasKv;
    private boolean addZeroAttn;
    private Integer kdim;
    private Integer vdim;
    private boolean batchFirst;
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(int embedDim, int numHeads) {
      this.embedDim = embedDim;
      this.numHeads = numHeads;
    }

    /** {@code dropout} (default 0): drop probability of the attention weights in training. */
    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** {@code bias} (default true): biases of the input and output projections. */
    public Builder bias(boolean bias) {
      this.bias = bias;
      return this;
    }

    /** {@code add_bias_kv} (default false): learnable {@code bias_k}, {@code bias_v}. */
    public Builder addBiasKv(boolean addBiasKv) {
      this.addBiasKv = addBiasKv;
      return this;
    }

    /** {@code add_zero_attn} (default false): a zero key and value position. */
    public Builder addZeroAttn(boolean addZeroAttn) {
      this.addZeroAttn = addZeroAttn;
      return this;
    }

    /** {@code kdim} (default null: {@code embed_dim}): the keys' feature size. */
    public Builder kdim(Integer kdim) {
      this.kdim = kdim;
      return this;
    }

    /** {@code vdim} (default null: {@code embed_dim}): the values' feature size. */
    public Builder vdim(Integer vdim) {
      this.vdim = vdim;
      return this;
    }

    /** {@code batch_first} (default false): inputs and output {@code [N, L, E]}. */
    public Builder batchFirst(boolean batchFirst) {
      this.batchFirst = batchFirst;
      return this;
    }

    /** {@code device} of the parameters (default CPU). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** {@code dtype} of the parameters (default float32). */
    public Builder dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    /** The layer. */
    public MultiheadAttention build() {
      return new MultiheadAttention(this);
    }
  }
}
