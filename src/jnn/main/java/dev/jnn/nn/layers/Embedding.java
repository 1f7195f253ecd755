package dev.jnn.nn.layers;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Py;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * A lookup table of embeddings ({@code torch.nn.Embedding}): {@code out[..., :] =
 * weight[input[...], :]}. The {@code weight} {@code [num_embeddings, embedding_dim]} is initialised
 * from {@code N(0, 1)}; with a {@code padding_idx}, that row starts at zero and gets no gradient,
 * so it stays a fixed "padding" vector during training.
 *
 * <p>Shape: input int64 indices of any shape {@code [*]}; output {@code [*, embedding_dim]}.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(10, 3);                          // Embedding(10, 3)
 * Tensor y = emb.call(Tensor.fromArray(new long[] {1, 2, 4, 5}, 2, 2));   // [2, 2, 3]
 * Embedding pad = Embedding.builder(10, 3).paddingIdx(0).build(); // Embedding(10, 3, padding_idx=0)
 * Embedding capped = Embedding.builder(10, 3).maxNorm(1.0).build(); // rows renormalised to <= 1
 * }</pre>
 *
 * <p>PyTorch's options {@code max_norm} (the looked-up rows of {@code weight} are renormalised in
 * place, see {@link Functional#embedding(Tensor, Tensor, Integer, Double, double, boolean,
 * boolean)}), {@code norm_type} and {@code scale_grad_by_freq} are supported; {@code sparse=True}
 * is refused, as jnn has no sparse tensors for its gradient.
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Embedding.html">torch.nn.Embedding</a>
 */
public final class Embedding extends Module {
  private final int numEmbeddings;
  private final int embeddingDim;
  private final Integer paddingIdx;
  private final Double maxNorm;
  private final double normType;
  private final boolean scaleGradByFreq;

  /**
   * {@code nn.Embedding(numEmbeddings, embeddingDim)}.
   *
   * @param numEmbeddings size of the dictionary
   * @param embeddingDim size of each embedding vector
   */
  public Embedding(int numEmbeddings, int embeddingDim) {
    this(builder(numEmbeddings, embeddingDim), null);
  }

  private Embedding(Builder b, Tensor pretrained) {
    Integer pad = b.paddingIdx;
    if (pad != null) {
      if (pad > 0 && pad >= b.numEmbeddings) {
        throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
      }
      if (pad < 0) {
        if (pad < -b.numEmbeddings) {
          throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        }
        pad = b.numEmbeddings + pad;
      }
    }
    if (b.sparse) {
      throw new UnsupportedOperationException(
          "Embedding(sparse=True): sparse=True gives the weight a sparse gradient, and jnn has no"
              + " sparse tensors; use sparse=False (the same gradient, dense)");
    }
    this.numEmbeddings = b.numEmbeddings;
    this.embeddingDim = b.embeddingDim;
    this.paddingIdx = pad;
    this.maxNorm = b.maxNorm;
    this.normType = b.normType;
    this.scaleGradByFreq = b.scaleGradByFreq;
    if (pretrained == null) {
      registerParameter(
          "weight",
          new Parameter(Tensor.empty(Shape.of(numEmbeddings, embeddingDim), b.dtype, b.device)));
      resetParameters();
    } else {
      // PyTorch's _weight: the given tensor is used as is (shared, padding row not zeroed)
      registerParameter("weight", new Parameter(pretrained));
    }
  }

  /**
   * A builder for the other options ({@code paddingIdx}, {@code maxNorm}, {@code normType}, {@code
   * scaleGradByFreq}, {@code sparse}, {@code device}, {@code dtype}).
   *
   * @param numEmbeddings size of the dictionary
   * @param embeddingDim size of each embedding vector
   * @return a builder with PyTorch's defaults
   */
  public static Builder builder(int numEmbeddings, int embeddingDim) {
    return new Builder(numEmbeddings, embeddingDim);
  }

  /**
   * {@code nn.Embedding.from_pretrained(embeddings)}: frozen, no padding index.
   *
   * @param embeddings the {@code [num_embeddings, embedding_dim]} table (shared, not copied)
   * @return the layer
   */
  public static Embedding fromPretrained(Tensor embeddings) {
    return fromPretrained(embeddings, true, null);
  }

  /**
   * {@code nn.Embedding.from_pretrained(embeddings, freeze, padding_idx)}: an embedding whose
   * weight shares storage with {@code embeddings}.
   *
   * @param embeddings the {@code [num_embeddings, embedding_dim]} table (shared, not copied)
   * @param freeze when true the weight does not require grad
   * @param paddingIdx the padding row, or null (its row is left as given)
   * @return the layer
   * @throws IllegalArgumentException {@code Embeddings parameter is expected to be 2-dimensional}
   */
  public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
    return fromPretrained(embeddings, freeze, paddingIdx, null, 2.0, false, false);
  }

  /**
   * {@code nn.Embedding.from_pretrained(embeddings, freeze, padding_idx, max_norm, norm_type,
   * scale_grad_by_freq, sparse)}: an embedding whose weight shares storage with {@code
   * embeddings} (so {@code max_norm}'s renormalisation writes into {@code embeddings} too, as in
   * PyTorch).
   *
   * @param embeddings the {@code [num_embeddings, embedding_dim]} table (shared, not copied)
   * @param freeze when true the weight does not require grad
   * @param paddingIdx the padding row, or null (its row is left as given)
   * @param maxNorm the largest norm of a looked-up row, or null
   * @param normType the p of that norm (PyTorch's default 2.0)
   * @param scaleGradByFreq divide each row's gradient by its count in the mini-batch
   * @param sparse must be false (jnn has no sparse gradients)
   * @return the layer
   * @throws IllegalArgumentException {@code Embeddings parameter is expected to be 2-dimensional}
   * @throws UnsupportedOperationException for {@code sparse = true}
   */
  public static Embedding fromPretrained(
      Tensor embeddings,
      boolean freeze,
      Integer paddingIdx,
      Double maxNorm,
      double normType,
      boolean scaleGradByFreq,
      boolean sparse) {
    if (embeddings.dim() != 2) {
      throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
    }
    Builder b =
        builder(embeddings.shape().getInt(0), embeddings.shape().getInt(1))
            .paddingIdx(paddingIdx)
            .maxNorm(maxNorm)
            .normType(normType)
            .scaleGradByFreq(scaleGradByFreq)
            .sparse(sparse);
    Embedding e = new Embedding(b, embeddings.detach());
    e.weight().requiresGrad(!freeze);
    return e;
  }

  /** Re-draws the weight from {@code N(0, 1)} and zeroes the padding row. */
  public void resetParameters() {
    Init.normal(weight());
    if (paddingIdx != null) {
      try (NoGrad g = NoGrad.enter()) {
        weight().select(0, paddingIdx).fill(0.0);
      }
    }
  }

  /**
   * Looks the indices up (after renormalising the looked-up rows in place with {@code max_norm}).
   *
   * @throws IllegalArgumentException for non-int64 indices
   * @throws IndexOutOfBoundsException {@code index out of range in self}
   */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.embedding(
        input, weight(), paddingIdx, maxNorm, normType, scaleGradByFreq, false);
  }

  /**
   * {@code 10, 3}, then the options that differ from PyTorch's defaults: {@code 10, 3,
   * padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True}.
   */
  @Override
  protected String extraRepr() {
    String s = numEmbeddings + ", " + embeddingDim;
    if (paddingIdx != null) {
      s += ", padding_idx=" + paddingIdx;
    }
    if (maxNorm != null) {
      s += ", max_norm=" + Py.floatRepr(maxNorm);
    }
    if (normType != 2.0) {
      s += ", norm_type=" + Py.floatRepr(normType);
    }
    if (scaleGradByFreq) {
      s += ", scale_grad_by_freq=True";
    }
    return s;
  }

  // ---------------------------------------------------------------- accessors

  /** The table {@code [num_embeddings, embedding_dim]} (the currently registered parameter). */
  public Parameter weight() {
    return (Parameter) getAttribute("weight");
  }

  /** {@code num_embeddings}. */
  public int numEmbeddings() {
    return numEmbeddings;
  }

  /** {@code embedding_dim}. */
  public int embeddingDim() {
    return embeddingDim;
  }

  /** {@code padding_idx} (made non-negative), or null. */
  public Integer paddingIdx() {
    return paddingIdx;
  }

  /** {@code max_norm}, or null. */
  public Double maxNorm() {
    return maxNorm;
  }

  /** {@code norm_type}: the p of the norm {@code max_norm} bounds. */
  public double normType() {
    return normType;
  }

  /** {@code scale_grad_by_freq}. */
  public boolean scaleGradByFreq() {
    return scaleGradByFreq;
  }

  /** Options of an {@link Embedding}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int numEmbeddings;
    private final int embeddingDim;
    private Integer paddingIdx;
    private Double maxNorm;
    private double normType = 2.0;
    private boolean scaleGradByFreq;
    private boolean sparse;
    private Device device = Device.CPU;
    private DType dtype = DType.FLOAT32;

    private Builder(int numEmbeddings, int embeddingDim) {
      this.numEmbeddings = numEmbeddings;
      this.embeddingDim = embeddingDim;
    }

    /**
     * {@code padding_idx} (default null): a row that starts at zero and receives no gradient;
     * negative values count from the end.
     */
    public Builder paddingIdx(Integer paddingIdx) {
      this.paddingIdx = paddingIdx;
      return this;
    }

    /**
     * {@code max_norm} (default null): each looked-up row whose norm exceeds it is renormalised to
     * it, in place in {@code weight}, on every forward.
     */
    public Builder maxNorm(Double maxNorm) {
      this.maxNorm = maxNorm;
      return this;
    }

    /** {@code norm_type} (default 2.0): the p of the p-norm {@code max_norm} bounds. */
    public Builder normType(double normType) {
      this.normType = normType;
      return this;
    }

    /**
     * {@code scale_grad_by_freq} (default false): divide each row's gradient by the number of
     * times its index occurs in the mini-batch.
     */
    public Builder scaleGradByFreq(boolean scaleGradByFreq) {
      this.scaleGradByFreq = scaleGradByFreq;
      return this;
    }

    /**
     * {@code sparse} (default false). True is refused by {@link #build()}: it asks for a sparse
     * gradient, and jnn has no sparse tensors.
     */
    public Builder sparse(boolean sparse) {
      this.sparse = sparse;
      return this;
    }

    /** {@code device} of the weight (default CPU). */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** {@code dtype} of the weight (default float32). */
    public Builder dtype(DType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    /**
     * The layer.
     *
     * @throws IllegalArgumentException {@code Padding_idx must be within num_embeddings}
     * @throws UnsupportedOperationException with {@code sparse(true)}
     */
    public Embedding build() {
      return new Embedding(this, null);
    }
  }
}
