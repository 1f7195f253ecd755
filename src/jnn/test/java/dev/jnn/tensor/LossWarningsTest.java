package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.nn.loss.HuberLoss;
import dev.jnn.nn.loss.KLDivLoss;
import dev.jnn.nn.loss.SmoothL1Loss;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The losses' warnings ({@code warnings.warn} in PyTorch's {@code torch.nn.functional}) are
 * PyTorch 1.13's texts ({@code scripts/golden/losses.py}, case {@code warnings}), logged at
 * WARNING on the logger {@code dev.jnn.nn.functional}, each text once (Python's default filter).
 * In this package to clear {@link LossOps#WARNED} first: other tests of the JVM may have logged
 * the same texts already.
 */
class LossWarningsTest {
  static final Golden.Case W = Golden.loadByName("losses.txt").get("warnings");

  private final Logger logger = Logger.getLogger("dev.jnn.nn.functional");
  private final List<String> logged = new ArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel() == Level.WARNING) {
        logged.add(r.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    LossOps.WARNED.clear();
    logger.addHandler(handler);
  }

  @AfterEach
  void stop() {
    logger.removeHandler(handler);
  }

  @Test
  void klDivMeanWarnsOnceWithPyTorchsText() {
    Tensor logp = Tensor.randn(3, 4);
    Tensor q = Tensor.rand(3, 4);
    new KLDivLoss().call(logp, q);
    Functional.klDiv(logp, q);
    Functional.klDiv(logp, q, Reduction.BATCHMEAN, false);
    assertEquals(List.of(W.text("kl_mean")), logged);
  }

  @Test
  void sizeMismatchWarnsWithPyTorchsText() {
    new SmoothL1Loss().call(Tensor.randn(7, 5), Tensor.randn(5));
    new HuberLoss().call(Tensor.randn(5), Tensor.randn(6, 5));
    // same shapes: no warning; the same text again: not repeated
    new SmoothL1Loss().call(Tensor.randn(7, 5), Tensor.randn(7, 5));
    new SmoothL1Loss().call(Tensor.randn(7, 5), Tensor.randn(5));
    assertEquals(List.of(W.text("sl1_size"), W.text("huber_size")), logged);
  }
}
