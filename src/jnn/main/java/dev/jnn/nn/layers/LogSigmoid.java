package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;

/**
 * {@code torch.nn.LogSigmoid}: {@code log(1 / (1 + exp(-x)))}, computed stably, element-wise.
 *
 * <p>Shape: any; output the same shape.
 *
 * @see <a
 *     href="https://pytorch.org/docs/1.13/generated/torch.nn.LogSigmoid.html">torch.nn.LogSigmoid</a>
 */
public final class LogSigmoid extends Module {
  /** {@code nn.LogSigmoid()}. */
  public LogSigmoid() {}

  /** {@code F.logsigmoid(input)}. */
  @Override
  public Tensor forward(Tensor input) {
    return Functional.logsigmoid(input);
  }
}
