package dev.jnn.nn.loss;

import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.tensor.Tensor;
import java.util.Objects;

/**
 * The shared part of the loss modules of three inputs ({@code CosineEmbeddingLoss}, {@code
 * MarginRankingLoss}, {@code TripletMarginLoss}, {@code GaussianNLLLoss}): the reduction, the
 * three-input forward ({@code loss.call(a, b, c)}), and Python's errors for another number of
 * arguments, naming the module's parameters as PyTorch's {@code forward} does.
 */
abstract class ThreeInputLossBase extends Module {
  private final Reduction reduction;
  private final String[] names;

  ThreeInputLossBase(Reduction reduction, String first, String second, String third) {
    this.reduction = Objects.requireNonNull(reduction, "reduction");
    this.names = new String[] {first, second, third};
  }

  /**
   * Always throws, as PyTorch's {@code forward(input1)} does.
   *
   * @throws IllegalArgumentException {@code CosineEmbeddingLoss.forward() missing 2 required
   *     positional arguments: 'input2' and 'target'}
   */
  @Override
  public Tensor forward(Tensor input) {
    throw missing(1);
  }

  /**
   * Always throws, as PyTorch's {@code forward(input1, input2)} does.
   *
   * @throws IllegalArgumentException {@code CosineEmbeddingLoss.forward() missing 1 required
   *     positional argument: 'target'}
   */
  @Override
  public Tensor forward(Tensor input, Tensor other) {
    throw missing(2);
  }

  /**
   * Three inputs go to {@link #forward(Tensor, Tensor, Tensor)}; other counts throw Python's
   * error.
   */
  @Override
  public Tensor forward(Tensor... inputs) {
    return switch (inputs.length) {
      case 1 -> forward(inputs[0]);
      case 2 -> forward(inputs[0], inputs[1]);
      case 3 -> forward(inputs[0], inputs[1], inputs[2]);
      case 0 -> throw missing(0);
      default -> throw new IllegalArgumentException(
          typeName() + ".forward() takes 4 positional arguments but " + (inputs.length + 1)
              + " were given");
    };
  }

  /** The loss of the three inputs. */
  public abstract Tensor forward(Tensor first, Tensor second, Tensor third);

  /** {@code reduction}: {@code NONE}, {@code MEAN} or {@code SUM}. */
  public Reduction reduction() {
    return reduction;
  }

  /** Python's TypeError text for a call with {@code given} of the three arguments. */
  private IllegalArgumentException missing(int given) {
    int k = 3 - given;
    String list;
    if (k == 1) {
      list = "'" + names[2] + "'";
    } else if (k == 2) {
      list = "'" + names[1] + "' and '" + names[2] + "'";
    } else {
      list = "'" + names[0] + "', '" + names[1] + "', and '" + names[2] + "'";
    }
    return new IllegalArgumentException(
        typeName() + ".forward() missing " + k + " required positional argument"
            + (k == 1 ? "" : "s") + ": " + list);
  }
}
