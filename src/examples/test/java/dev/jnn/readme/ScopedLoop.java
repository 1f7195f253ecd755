package dev.jnn.readme;

import dev.jnn.data.DataLoader;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.optim.SGD;
// snippet: scope
import dev.jnn.tensor.MemoryScope;
// end snippet
import dev.jnn.tensor.Tensor;

/** README.md, "Memory": one epoch of the training loop, each step in a MemoryScope. */
final class ScopedLoop {
  private ScopedLoop() {}

  /** Runs the snippet; returns the summed loss. */
  static double epoch(Module model, DataLoader loader, SGD opt) {
    double total = 0;
    // snippet: scope
    for (Tensor[] b : loader) {
      try (MemoryScope step = MemoryScope.open()) { // closes the step's temporaries at the end
        Tensor loss = Functional.crossEntropy(model.call(b[0]), b[1]);
        opt.zeroGrad(false);                         // zero in place: the grads are reused too
        loss.backward();
        opt.step();
        total += loss.item();                        // read results inside, or step.keep(t)
      }
    }
    // end snippet
    return total;
  }
}
