package dev.jnn.examples;

import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.optim.Adam;
import dev.jnn.optim.Optimizer;
import dev.jnn.optim.SGD;
import java.util.List;
import java.util.Locale;

/**
 * The networks the training job trains ({@code scripts/train --model cnn|lstm}), each with the
 * optimizer settings it was tuned with; everything else (data, device, progress output, plot,
 * checkpoints) is the job's and the same for both.
 */
enum Network {
  /** {@link FashionMnistNet}: SGD with momentum, cosine-annealed once per epoch. */
  CNN("cnn", "two 5x5 convolutions, ReLU, 2x2 max pooling, a linear head", 64, 0.05, 0, false) {
    @Override
    Module create() {
      return new FashionMnistNet();
    }

    @Override
    Optimizer optimizer(List<Parameter> params, double lr, double momentum) {
      return new SGD(params, lr, momentum);
    }

    @Override
    String optimizerText(double lr, double momentum) {
      return "SGD lr " + number(lr) + " momentum " + number(momentum);
    }
  },

  /**
   * {@link FashionMnistLstm}: batch 32, Adam lr 0.005, gradient norm clipped to 1, cosine-annealed
   * after every batch (the configuration {@code scripts/examples/lstm_fashion_reference.py} chose
   * with PyTorch).
   */
  LSTM("lstm", "a bidirectional LSTM (hidden 256) reading the 28 rows as 28 steps, max over the steps, "
      + "a linear head", 32, 0.005, 1.0, true) {
    @Override
    Module create() {
      return new FashionMnistLstm();
    }

    @Override
    Optimizer optimizer(List<Parameter> params, double lr, double momentum) {
      return new Adam(params, lr);
    }

    @Override
    String optimizerText(double lr, double momentum) {
      return "Adam lr " + number(lr);
    }
  };

  /** The value of {@code --model}. */
  final String option;
  /** What the network is, for the {@code model:} line. */
  final String description;
  /** {@code --batch-size} when not given. */
  final int defaultBatchSize;
  /** {@code --lr} when not given. */
  final double defaultLr;
  /** The gradients' joint 2-norm is clipped to this before each step; 0: no clipping. */
  final double clipNorm;
  /** Cosine annealing stepped after every batch (true) or once per epoch. */
  final boolean schedulePerBatch;

  Network(String option, String description, int defaultBatchSize, double defaultLr, double clipNorm,
      boolean schedulePerBatch) {
    this.option = option;
    this.description = description;
    this.defaultBatchSize = defaultBatchSize;
    this.defaultLr = defaultLr;
    this.clipNorm = clipNorm;
    this.schedulePerBatch = schedulePerBatch;
  }

  /** A freshly initialised network (from the global generator). */
  abstract Module create();

  /** The optimizer over {@code params}. */
  abstract Optimizer optimizer(List<Parameter> params, double lr, double momentum);

  /** The optimizer and its settings in words. */
  abstract String optimizerText(double lr, double momentum);

  /** Whether {@code --momentum} means anything for this network's optimizer. */
  boolean usesMomentum() {
    return this == CNN;
  }

  /** The training recipe in words: optimizer, clipping, schedule. */
  String recipe(double lr, double momentum) {
    return optimizerText(lr, momentum)
        + (clipNorm > 0 ? ", gradient norm clipped to " + number(clipNorm) : "")
        + ", cosine annealing per " + (schedulePerBatch ? "batch" : "epoch");
  }

  /** The network named {@code option} ({@code cnn}, {@code lstm}), or null. */
  static Network of(String option) {
    for (Network n : values()) {
      if (n.option.equals(option.toLowerCase(Locale.ROOT))) {
        return n;
      }
    }
    return null;
  }

  /** {@code x} as a person writes it: {@code 1} rather than {@code 1.0}, else Java's digits. */
  static String number(double x) {
    return x == Math.rint(x) && !Double.isInfinite(x) ? String.valueOf((long) x) : String.valueOf(x);
  }
}
