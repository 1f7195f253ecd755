package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.tensor.Tensor;

/** The residual additions of the blocks, with a message naming the block and both shapes. */
final class Residuals {
  private Residuals() {}

  /** torchvision's {@code out += identity}. */
  static Tensor addInPlace(Module block, Tensor out, Tensor identity) {
    check(block, out, identity);
    return out.addInPlace(identity);
  }

  /** torchvision's {@code x + self.conv(x)}. */
  static Tensor add(Module block, Tensor x, Tensor branch) {
    check(block, branch, x);
    return x.add(branch);
  }

  private static void check(Module block, Tensor branch, Tensor shortcut) {
    if (!branch.shape().equals(shortcut.shape())) {
      throw new IllegalArgumentException(block.typeName() + ": the residual branch's output "
          + branch.shape() + " does not match the shortcut's " + shortcut.shape());
    }
  }
}
