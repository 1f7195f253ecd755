package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code toString()} against PyTorch's {@code repr(tensor)} (golden texts from tensor_ops.py). */
class TensorReprTest {
  static Stream<Golden.Case> cases() {
    return Golden.load(GoldenOps.FILE).stream().filter(c -> c.name().startsWith("repr_"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesPyTorch(Golden.Case c) {
    Tensor x = c.tensor("x");
    Tensor t =
        switch (c.attr("build")) {
          case "none" -> x;
          case "requires_grad" -> x.requiresGrad(true);
          case "mul2" -> x.requiresGrad(true).mul(2.0);
          default -> throw new IllegalArgumentException(c.attr("build"));
        };
    assertEquals(c.text("repr"), t.toString(), c.name());
  }

  @Test
  void nonContiguousViewPrintsLogicalOrder() {
    Tensor t = Tensor.arange(6).reshape(2, 3).transpose(0, 1);
    assertEquals("tensor([[0, 3],\n        [1, 4],\n        [2, 5]])", t.toString());
  }

  @Test
  void offsetViewsPrintTheirOwnElements() {
    Tensor x = Tensor.arange(0, 12, 1, DType.FLOAT32).reshape(3, 4);
    // PyTorch: repr(torch.arange(0., 12.).reshape(3, 4).narrow(1, 1, 2))
    assertEquals(
        "tensor([[ 1.,  2.],\n        [ 5.,  6.],\n        [ 9., 10.]])",
        x.narrow(1, 1, 2).toString());
    assertEquals(
        "tensor([[ 1.,  5.,  9.],\n        [ 2.,  6., 10.],\n        [ 3.,  7., 11.]])",
        x.t().slice(0, 1, 4, 1).toString());
  }

  @Test
  void hugeTensorsAreSummarised() {
    Tensor big = Tensor.zeros(2000, 3000);
    big.select(0, 1999).select(0, 2999).fill(1.5f);
    assertEquals(
        "tensor([[0.0000, 0.0000, 0.0000,  ..., 0.0000, 0.0000, 0.0000],\n"
            + "        [0.0000, 0.0000, 0.0000,  ..., 0.0000, 0.0000, 0.0000],\n"
            + "        [0.0000, 0.0000, 0.0000,  ..., 0.0000, 0.0000, 0.0000],\n"
            + "        ...,\n"
            + "        [0.0000, 0.0000, 0.0000,  ..., 0.0000, 0.0000, 0.0000],\n"
            + "        [0.0000, 0.0000, 0.0000,  ..., 0.0000, 0.0000, 0.0000],\n"
            + "        [0.0000, 0.0000, 0.0000,  ..., 0.0000, 0.0000, 1.5000]])",
        big.toString());
  }

  @Test
  void emptyFloat64ShowsDtype() {
    Tensor t = Tensor.zeros(Shape.of(0), DType.FLOAT64, dev.jnn.core.Device.CPU);
    assertEquals("tensor([], dtype=torch.float64)", t.toString());
  }
}
