package dev.jnn.examples;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.Device;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.init.Init;
import dev.jnn.nn.layers.Dropout;
import dev.jnn.nn.layers.Embedding;
import dev.jnn.nn.layers.LayerNorm;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.MultiheadAttention;
import dev.jnn.nn.layers.Transformer;
import dev.jnn.nn.layers.TransformerEncoder;
import dev.jnn.nn.layers.TransformerEncoderLayer;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A small causal (GPT-style) character-level language model, built from jnn's PyTorch layers the
 * way one would write it in PyTorch:
 *
 * <pre>
 * x = drop(tok_emb(idx) + pos_emb(arange(T)))           # [B, T, d_model]
 * x = encoder(x, mask=causal_mask, is_causal=True)       # pre-norm layers, then the final LayerNorm
 * logits = lm_head(x)                                    # [B, T, vocab]; lm_head.weight IS tok_emb.weight
 * </pre>
 *
 * <p>{@code encoder} is a {@link TransformerEncoder} of {@link TransformerEncoderLayer}s with
 * {@code batch_first=True}, {@code norm_first=True} (pre-norm, as GPT-2), GELU and a feed-forward
 * width of {@code 4 * d_model}, whose {@code norm} is the final layer norm. The causal mask is
 * {@link Transformer#generateSquareSubsequentMask}, passed with PyTorch 2.x's {@code is_causal}
 * hint (so the attention runs causally without adding the mask).
 *
 * <p><b>Weight tying</b> (as nanoGPT: {@code self.lm_head.weight = self.tok_emb.weight}): the
 * output projection's weight is the token embedding's {@link Parameter} itself, assigned with
 * {@link Module#setAttribute}. As in PyTorch it is one parameter: {@link #parameters()} and
 * {@link #namedParameters()} list it once (as {@code tok_emb.weight}), so the optimizer updates it
 * once with the sum of both uses' gradients, while {@link #stateDict()} has both keys, {@code
 * tok_emb.weight} and {@code lm_head.weight}, as PyTorch's {@code state_dict()} does.
 *
 * <p>Initialisation as nanoGPT's: every linear and embedding weight (the attention's packed {@code
 * in_proj_weight} too) from {@code N(0, 0.02)}, biases zero, the two projections into the residual
 * stream ({@code self_attn.out_proj}, {@code linear2}) from {@code N(0, 0.02 / sqrt(2 *
 * layers))}.
 */
public final class CharGpt extends Module {
  /** The model's shape. */
  public record Config(int vocabSize, int context, int dModel, int heads, int layers, double dropout) {
    /** Checks the sizes; messages name PyTorch's argument. */
    public Config {
      if (vocabSize < 1 || context < 1 || dModel < 1 || heads < 1 || layers < 1) {
        throw new IllegalArgumentException("sizes must be positive: " + this);
      }
      if (dModel % heads != 0) {
        throw new IllegalArgumentException(
            "embed_dim " + dModel + " not divisible by num_heads " + heads);
      }
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }
  }

  private final Config config;
  private final Embedding tokEmb;
  private final Embedding posEmb;
  private final Dropout drop;
  private final TransformerEncoder encoder;
  private final Linear lmHead;

  /** A model of the given shape, initialised from the default generator. */
  public CharGpt(Config c) {
    this.config = c;
    // snippet: model
    tokEmb = registerModule("tok_emb", new Embedding(c.vocabSize(), c.dModel()));
    posEmb = registerModule("pos_emb", new Embedding(c.context(), c.dModel()));
    drop = registerModule("drop", new Dropout(c.dropout()));
    TransformerEncoderLayer layer = TransformerEncoderLayer.builder(c.dModel(), c.heads())
        .dimFeedforward(4 * c.dModel()).dropout(c.dropout()).activation("gelu")
        .batchFirst(true).normFirst(true).build(); // pre-norm, as GPT-2
    encoder = registerModule("encoder",
        new TransformerEncoder(layer, c.layers(), new LayerNorm(c.dModel()))); // + the final norm
    lmHead = registerModule("lm_head", new Linear(c.dModel(), c.vocabSize(), false));
    registerBuffer("causal_mask", Transformer.generateSquareSubsequentMask(c.context()), false);
    initWeights(); // nanoGPT's: N(0, 0.02)
    lmHead.setAttribute("weight", tokEmb.weight()); // weight tying: lm_head.weight = tok_emb.weight
    // end snippet
  }

  private void initWeights() {
    double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
    for (var e : namedModules().entrySet()) {
      Module m = e.getValue();
      if (m instanceof Linear l) {
        boolean residual = e.getKey().endsWith(".out_proj") || e.getKey().endsWith(".linear2");
        Init.normal(l.weight(), 0, residual ? residualStd : 0.02);
        if (l.bias() != null) {
          Init.zeros(l.bias());
        }
      } else if (m instanceof Embedding emb) {
        Init.normal(emb.weight(), 0, 0.02);
      } else if (m instanceof MultiheadAttention a) {
        Init.normal(a.inProjWeight(), 0, 0.02);
        Init.zeros(a.inProjBias());
      }
    }
  }

  /** The model's shape. */
  public Config config() {
    return config;
  }

  /** The token embedding ({@code tok_emb}). */
  public Embedding tokEmb() {
    return tokEmb;
  }

  /** The output projection ({@code lm_head}), whose weight is {@code tok_emb}'s. */
  public Linear lmHead() {
    return lmHead;
  }

  /**
   * Logits of the next character at every position.
   *
   * @param idx int64 character ids {@code [B, T]} with {@code T <= context}
   * @return {@code [B, T, vocab]}
   */
  @Override
  public Tensor forward(Tensor idx) {
    long t = idx.size(1);
    if (t > config.context()) {
      throw new IllegalArgumentException(
          "sequence of length " + t + " is longer than the context, " + config.context());
    }
    // snippet: model
    Tensor pos = Tensor.arange(t).to(idx.device());
    Tensor x = drop.call(tokEmb.call(idx).add(posEmb.call(pos))); // [B, T, d_model]
    Tensor mask = getBuffer("causal_mask").narrow(0, 0, t).narrow(1, 0, t);
    x = encoder.call(List.of(x), Map.of("mask", mask, "is_causal", true));
    return lmHead.call(x); // [B, T, vocab]
    // end snippet
  }

  /** The mean cross-entropy of predicting {@code y} from {@code x} (both {@code [B, T]}). */
  public Tensor loss(Tensor x, Tensor y) {
    Tensor logits = call(x);
    return Functional.crossEntropy(logits.view(-1, config.vocabSize()), y.reshape(-1));
  }

  /**
   * Samples {@code n} characters after {@code prompt}, one at a time (each from the model's
   * distribution over the next character given the last {@code context} ones, with the logits
   * divided by {@code temperature} and all but the {@code topK} most likely set aside; {@code
   * topK} 0 keeps all), and hands each to {@code sink} as it is drawn. Runs in evaluation mode
   * without recording a graph, and restores the training mode.
   *
   * @param prompt at least one character id
   * @return the {@code n} ids drawn
   */
  public int[] generate(
      int[] prompt, int n, double temperature, int topK, Random rnd, Device device, IntConsumer sink) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("the prompt needs at least one character");
    }
    boolean wasTraining = isTraining();
    eval();
    int[] seq = Arrays.copyOf(prompt, prompt.length + n);
    int len = prompt.length;
    try (var g = NoGrad.enter()) {
      for (int i = 0; i < n; i++) {
        int from = Math.max(0, len - config.context());
        long[] window = new long[len - from];
        for (int j = from; j < len; j++) {
          window[j - from] = seq[j];
        }
        float[] logits;
        try (MemoryScope s = MemoryScope.open()) {
          Tensor out = call(Tensor.fromArray(window, 1, window.length).to(device));
          logits = out.select(1, window.length - 1).cpu().toFloatArray();
        }
        int next = sample(logits, temperature, topK, rnd);
        seq[len++] = next;
        if (sink != null) {
          sink.accept(next);
        }
      }
    } finally {
      train(wasTraining);
    }
    return Arrays.copyOfRange(seq, prompt.length, len);
  }

  /**
   * Draws an index from {@code softmax(logits / temperature)} restricted to the {@code topK}
   * largest logits (ties at the k-th value are kept; 0 or at least the vocabulary keeps all).
   */
  static int sample(float[] logits, double temperature, int topK, Random rnd) {
    double cut = Double.NEGATIVE_INFINITY;
    if (topK > 0 && topK < logits.length) {
      float[] sorted = logits.clone();
      Arrays.sort(sorted);
      cut = sorted[sorted.length - topK];
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      p[i] = logits[i] >= cut ? Math.exp((logits[i] - max) / temperature) : 0;
      sum += p[i];
    }
    double u = rnd.nextDouble() * sum;
    int last = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        last = i;
        u -= p[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last; // rounding left a sliver of u: the last candidate
  }
}
