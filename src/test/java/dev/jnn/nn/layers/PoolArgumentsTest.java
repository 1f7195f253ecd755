package dev.jnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A non-positive pooling kernel size is reported as such (PyTorch's kernel-size text, case
 * {@code pool} of {@code scripts/golden/api_parity.py}), not as a padding problem: jnn checks
 * the kernel size before PyTorch's "pad should be at most half of kernel size", which torch 1.13
 * reaches first for {@code MaxPool2d(-2)}.
 */
class PoolArgumentsTest {
  private static final Golden.Case G = Golden.loadByName("api_parity.txt").get("pool");
  private static final Tensor X = Tensor.zeros(1, 1, 6, 6);

  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void negativeKernelSizeNamesTheKernelSize() {
    assertEquals(G.text("maxpool_kernel_neg1"), message(() -> new MaxPool2d(-1).call(X)));
    assertEquals(G.text("maxpool_kernel_mixed"),
        message(() -> MaxPool2d.builder(2, -1).build().call(X)));
    assertEquals(G.text("avgpool_kernel_neg1"), message(() -> new AvgPool2d(-1).call(X)));
    // MaxPool2d(-2): torch 1.13 blames the padding; jnn reports the kernel size, in torch's words
    String m = message(() -> new MaxPool2d(-2).call(X));
    assertNotEquals(G.text("maxpool_neg2_torch"), m);
    assertEquals(G.text("maxpool_kernel_neg1").replace("-1", "-2"), m);
    assertEquals(G.text("maxpool_kernel_neg1").replace("-1", "-2"),
        message(() -> Functional.maxPool2d(X, -2)));
    assertEquals(G.text("maxpool_kernel_neg1").replace("-1", "-2"),
        message(() -> new AvgPool2d(-2).call(X)));
    // the checks PyTorch makes before the kernel size keep their order
    assertEquals(G.text("maxpool_stride_zero"), message(() -> new MaxPool2d(0).call(X)));
    // construction is lazy, as in PyTorch
    assertEquals(G.text("maxpool_neg2_repr"), new MaxPool2d(-2).toString());
  }
}
