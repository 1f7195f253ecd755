package dev.jnn.examples;

import dev.jnn.nn.Module;
import dev.jnn.nn.layers.LSTM;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;

/**
 * A sequence classifier for Fashion-MNIST ({@code scripts/train --model lstm}): a bidirectional
 * LSTM reads each image row by row, 28 time steps of 28 pixels, top-down and bottom-up, and a
 * linear layer classifies the maximum of its outputs over the time steps.
 *
 * <pre>
 * [N,1,28,28] -view-> [N,28,28] -lstm (batch_first, bidirectional, H = 256)-> [N,28,2H]
 *             -max over the 28 steps-> [N,2H] -fc-> [N,10]
 * </pre>
 *
 * <p>Module and parameter names are those of {@code LstmClassifier} in {@code
 * scripts/examples/lstm_fashion_reference.py} (the PyTorch run this configuration was chosen with),
 * so a state dict that script saves ({@code --save FILE.pt}) loads here ({@code scripts/train
 * --model lstm --load FILE.pt}).
 */
public final class FashionMnistLstm extends Module {
  /** Image rows, the time steps; also the pixels per row, the features of a step. */
  static final int SIDE = 28;

  /** The hidden size of the default network. */
  public static final int DEFAULT_HIDDEN = 256;

  final LSTM lstm;
  final Linear fc;

  /** The network with {@value #DEFAULT_HIDDEN} hidden units per direction, bidirectional. */
  public FashionMnistLstm() {
    this(DEFAULT_HIDDEN, true);
  }

  /**
   * The network with {@code hidden} hidden units; {@code bidirectional} reads the rows top-down
   * and bottom-up ({@code [N,28,2H]} outputs, a head of {@code 2H} inputs).
   */
  public FashionMnistLstm(int hidden, boolean bidirectional) {
    lstm = registerModule("lstm",
        LSTM.builder(SIDE, hidden).batchFirst(true).bidirectional(bidirectional).build());
    fc = registerModule("fc", new Linear(bidirectional ? 2 * hidden : hidden, 10));
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor rows = x.reshape(x.size(0), SIDE, SIDE); // [N,1,28,28] -> 28 steps of 28 features
    Tensor out = lstm.callOutput(rows).output(); // [N,28,2H] (or [N,28,H] in one direction)
    return fc.call(out.max(1, false).values());
  }
}
