package dev.jnn.readme;

// snippet: tensors
import dev.jnn.autograd.NoGrad;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
// end snippet

/** README.md, "Tensors and autograd". */
final class Tensors {
  private Tensors() {}

  /** Runs the snippet; returns the loss and w. */
  static Tensor[] run() {
    // snippet: tensors
    Generator.manualSeed(0);                // torch.manual_seed(0)
    Tensor x = Tensor.randn(64, 784);
    Tensor w = Tensor.randn(784, 10).mul(0.01).requiresGrad(true);
    Tensor loss = x.matmul(w).relu().mean();
    loss.backward();                        // w.grad() now holds d loss / d w
    try (var g = NoGrad.enter()) {          // with torch.no_grad():
      w.subInPlace(w.grad().mul(0.1));
    }
    System.out.println(loss);               // tensor(0.1113, grad_fn=<MeanBackward0>)
    // end snippet
    return new Tensor[] {loss, w};
  }
}
