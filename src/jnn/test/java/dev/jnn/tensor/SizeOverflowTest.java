package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import dev.jnn.testing.Golden;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Sizes whose element count overflows (a long, or the 2^31-1 elements of a CPU tensor) fail in
 * every factory and in view / reshape / expand with an exception naming the op and the shape:
 * PyTorch 1.13's text (case {@code sizes} of {@code scripts/golden/api_parity.py}) followed by
 * the op, never a bare {@link ArithmeticException}.
 */
class SizeOverflowTest {
  private static final Golden.Case G = Golden.loadByName("api_parity.txt").get("sizes");
  private static final long B = 1L << 32;
  private static final long H = 1L << 62;
  private static final Shape BIG = Shape.of(B, B);

  private static String message(Class<? extends Throwable> type, Executable e) {
    return assertThrows(type, e).getMessage();
  }

  private static String illegal(Executable e) {
    return message(IllegalArgumentException.class, e);
  }

  @Test
  void factoriesNameTheOpWhenTheElementCountOverflows() {
    assertEquals(G.text("zeros") + " (zeros)", illegal(() -> Tensor.zeros(B, B)));
    assertEquals(G.text("zeros") + " (zeros)",
        illegal(() -> Tensor.zeros(BIG, DType.FLOAT64, Device.CPU)));
    assertEquals(G.text("ones") + " (ones)", illegal(() -> Tensor.ones(B, B)));
    assertEquals(G.text("full") + " (full)",
        illegal(() -> Tensor.full(BIG, 2.0, DType.FLOAT32, Device.CPU)));
    assertEquals(G.text("empty") + " (empty)",
        illegal(() -> Tensor.empty(BIG, DType.FLOAT32, Device.CPU)));
    assertEquals(G.text("empty").replace("empty", "uninitialized") + " (uninitialized)",
        illegal(() -> Tensor.uninitialized(BIG, DType.FLOAT32, Device.CPU)));
    assertEquals(G.text("rand") + " (rand)", illegal(() -> Tensor.rand(B, B)));
    assertEquals(G.text("randn") + " (randn)", illegal(() -> Tensor.randn(B, B)));
    assertEquals(G.text("randint") + " (randint)", illegal(() -> Tensor.randint(0, 5, B, B)));
    assertEquals(G.text("eye") + " (eye: shape [4294967296, 4294967296])",
        illegal(() -> Tensor.eye(B)));
    assertEquals(G.text("eye_negative") + " (eye)", illegal(() -> Tensor.eye(-1)));
    // sizes are multiplied left to right, as in PyTorch: a trailing zero does not help
    assertEquals(G.text("zeros_trailing_zero") + " (zeros)", illegal(() -> Tensor.zeros(H, H, 0)));
    String m =
        message(ShapeMismatchException.class, () -> Tensor.fromArray(new float[4], H + 1, 4));
    assertEquals("fromArray: shape [4611686018427387905, 4] is invalid for input of size 4", m);
  }

  @Test
  void aLeadingZeroDimIsAnEmptyTensorAsInPyTorch() {
    Tensor z = Tensor.zeros(0, H, H);
    assertEquals(G.attr("leading_zero_shape"), dims(z));
    assertEquals(0, z.numel());
  }

  @Test
  void cpuFactoriesBeyondTwoToThe31NameTheOpAndTheShape() {
    String limit = "CPU tensors are limited to 2^31-1 elements, requested 1099511627776";
    assertEquals(limit + " (randn: shape [1099511627776])", illegal(() -> Tensor.randn(1L << 40)));
    assertEquals(limit + " (rand: shape [1099511627776])", illegal(() -> Tensor.rand(1L << 40)));
    assertEquals(limit + " (randint: shape [1099511627776])",
        illegal(() -> Tensor.randint(0, 2, 1L << 40)));
    assertEquals(limit + " (zeros: shape [1099511627776])", illegal(() -> Tensor.zeros(1L << 40)));
    assertEquals(limit + " (ones: shape [1048576, 1048576])",
        illegal(() -> Tensor.ones(1L << 20, 1L << 20)));
    assertEquals(limit + " (empty: shape [1099511627776])",
        illegal(() -> Tensor.empty(Shape.of(1L << 40), DType.FLOAT32, Device.CPU)));
    assertEquals(limit + " (arange: shape [1099511627776])",
        illegal(() -> Tensor.arange(1L << 40)));
    assertEquals(limit + " (eye: shape [1048576, 1048576])", illegal(() -> Tensor.eye(1L << 20)));
  }

  @Test
  void arangeRejectsNonFiniteAndOverflowingRanges() {
    // PyTorch's texts exactly (FactoryOps.arange), no context
    assertEquals(G.text("arange_inf"),
        illegal(() -> Tensor.arange(0, Double.POSITIVE_INFINITY, 1, DType.FLOAT32)));
    assertEquals(G.text("arange_nan"),
        illegal(() -> Tensor.arange(0, Double.NaN, 1, DType.FLOAT32)));
    assertEquals(G.text("arange_huge"),
        illegal(() -> Tensor.arange(0, 1e30, 1, DType.FLOAT32)));
  }

  @Test
  void viewReshapeAndExpandNameTheOpAndTheShape() {
    Tensor x = Tensor.arange(0, 4, 1, DType.FLOAT32);
    assertEquals(G.text("view") + " (view: input shape [4])",
        message(ShapeMismatchException.class, () -> x.view(B, B)));
    assertEquals(G.text("reshape") + " (reshape: input shape [4])",
        message(ShapeMismatchException.class, () -> x.reshape(B, B)));
    // (2^62 + 1) * 4 wraps around to 4 in long arithmetic: still rejected, never a bare overflow
    assertEquals("shape '[4611686018427387905, 4]' is invalid for input of size 4 (reshape: input"
            + " shape [4])",
        message(ShapeMismatchException.class, () -> x.reshape(H + 1, 4)));
    assertEquals("shape '[4611686018427387905, 4, -1]' is invalid for input of size 4 (view:"
            + " input shape [4])",
        message(ShapeMismatchException.class, () -> x.view(H + 1, 4, -1)));
    Tensor one = Tensor.zeros(1, 1);
    assertEquals(G.text("expand") + " (expand: [1, 1] to [4294967296, 4294967296])",
        illegal(() -> one.expand(B, B)));
    // the input is unchanged and still usable
    assertEquals("[4]", x.shape().toString());
    assertEquals(6.0, x.sum().item(), 0);
    // an empty expansion is a view, as in PyTorch; kernels refuse it with a clear message
    Tensor e = Tensor.zeros(1, 1, 1).expand(0, H, H);
    assertEquals(G.attr("expand_zero_shape"), dims(e));
    String k = illegal(() -> e.add(1));
    assertEquals("jnn's kernels address sizes, strides and offsets up to 2^31-1: a tensor of shape"
        + " [0, 4611686018427387904, 4611686018427387904] (strides [0, 0, 0], offset 0) is beyond"
        + " them", k);
    Tensor big = Tensor.zeros(1).expand(1L << 40);
    assertEquals(Shape.of(1L << 40), big.shape());
  }

  private static String dims(Tensor t) {
    return String.join(" ", Arrays.stream(t.shape().dims()).mapToObj(Long::toString).toList());
  }
}
