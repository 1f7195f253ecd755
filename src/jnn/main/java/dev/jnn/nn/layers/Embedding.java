package dev.jnn.nn.layers;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
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
 * }</pre>
 *
 * <p>PyTorch's {@code max_norm}, {@code norm_type}, {@code scale_grad_by_freq} and {@code sparse}
 * options are not supported.
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.Embedding.html">torch.nn.Embedding</a>
 */
public final class Embedding extends Module {
  private final int numEmbeddings;
  private final int embeddingDim;
  private final Integer paddingIdx;

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
    this.numEmbeddings = b.numEmbeddings;
    this.embeddingDim = b.embeddingDim;
    this.paddingIdx = pad;
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
   * A builder for the other options ({@code paddingIdx}, {@code device}, {@code dtype}).
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
    if (embeddings.dim() != 2) {
      throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
    }
    Builder b =
        builder(embeddings.shape().getInt(0), embeddings.shape().getInt(1)).paddingIdx(paddingIdx);
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
   * Looks the indices up.
   *
   * @throws IllegalArgumentException for non-int64 indices
   * @throws IndexOutOfBoundsException {@code index out of range in self}
   */
  @Override
  public Tensor forward(Tensor input) {
    return paddingIdx == null
        ? Functional.embedding(input, weight())
        : Functional.embedding(input, weight(), paddingIdx);
  }

  /** {@code 10, 3} or {@code 10, 3, padding_idx=0}. */
  @Override
  protected String extraRepr() {
    String s = numEmbeddings + ", " + embeddingDim;
    if (paddingIdx != null) {
      s += ", padding_idx=" + paddingIdx;
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

  /** Options of an {@link Embedding}, named after PyTorch's keyword arguments. */
  public static final class Builder {
    private final int numEmbeddings;
    private final int embeddingDim;
    private Integer paddingIdx;
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
     */
    public Embedding build() {
      return new Embedding(this, null);
    }
  }
}
