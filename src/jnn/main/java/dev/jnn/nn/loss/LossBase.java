package dev.jnn.nn.loss;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * The shared part of the loss modules (PyTorch's {@code _Loss}): the reduction, and the two-input
 * forward ({@code loss.call(input, target)}).
 */
abstract class LossBase extends Module {
  private final Reduction reduction;

  LossBase(Reduction reduction) {
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  /**
   * A loss needs a target: always throws, as PyTorch's {@code forward(input)} does.
   *
   * @throws IllegalArgumentException {@code MSELoss.forward() missing 1 required positional
   *     argument: 'target'}
   */
  @Override
  public Tensor forward(Tensor input) {
    throw new IllegalArgumentException(
        typeName() + ".forward() missing 1 required positional argument: 'target'");
  }

  /** The loss of {@code input} against {@code target}. */
  @Override
  public abstract Tensor forward(Tensor input, Tensor target);

  /** {@code reduction}: {@code NONE}, {@code MEAN} or {@code SUM}. */
  public Reduction reduction() {
    return reduction;
  }
}
