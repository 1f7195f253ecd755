package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnn.backend.Backends;
import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.ShapeMismatchException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad input fails with an unchecked exception naming the op and the shapes/dtypes, in PyTorch's
 * wording where it has one (each expected text is PyTorch 1.13's message, plus context).
 */
class BadInputTest {
  /** A CPU tensor that claims to live on cuda:0: enough to reach the device checks. */
  private static final class ElsewhereTensor extends Tensor {
    ElsewhereTensor(Tensor data) {
      super(data, false);
    }

    @Override
    public Device device() {
      return Device.cuda(0);
    }
  }

  private static String message(Class<? extends Throwable> type, Runnable r) {
    return assertThrows(type, r::run).getMessage();
  }

  @Test
  void broadcastMismatchNamesOpAndBothShapes() {
    String m =
        message(ShapeMismatchException.class, () -> Tensor.ones(2, 3).add(Tensor.ones(4, 3)));
    assertEquals(
        "The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 0"
            + " (add: shapes [2, 3] and [4, 3])",
        m);
    m = message(ShapeMismatchException.class, () -> Tensor.ones(2, 3, 4).mul(Tensor.ones(5, 4)));
    assertTrue(
        m.startsWith(
            "The size of tensor a (3) must match the size of tensor b (5) at non-singleton"
                + " dimension 1"),
        m);
    assertTrue(m.contains("mul: shapes [2, 3, 4] and [5, 4]"), m);
    m =
        message(
            ShapeMismatchException.class,
            () -> Tensor.where(Tensor.ones(2).gt(0.0), Tensor.ones(3), Tensor.ones(2)));
    assertTrue(m.contains("where"), m);
    // a ShapeMismatchException is an IllegalArgumentException (PyTorch: RuntimeError)
    assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2).sub(Tensor.ones(3)));
  }

  @Test
  void matmulShapeMismatch() {
    assertEquals(
        "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)",
        message(ShapeMismatchException.class, () -> Tensor.ones(2, 3).matmul(Tensor.ones(4, 5))));
    // PyTorch folds the batch of the first operand: (4x3 and 4x5)
    assertEquals(
        "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x5)",
        message(
            ShapeMismatchException.class, () -> Tensor.ones(2, 2, 3).matmul(Tensor.ones(4, 5))));
    assertEquals(
        "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)",
        message(ShapeMismatchException.class, () -> Tensor.ones(3).matmul(Tensor.ones(4, 5))));
    String m =
        message(
            ShapeMismatchException.class, () -> Tensor.ones(2, 2, 3).matmul(Tensor.ones(2, 4, 5)));
    assertTrue(m.startsWith("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"), m);
    assertTrue(m.contains("[2, 2, 3]") && m.contains("[2, 4, 5]"), m);
    assertEquals(
        "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of"
            + " elements, but got 3 and 4 elements respectively",
        message(ShapeMismatchException.class, () -> Tensor.ones(3).matmul(Tensor.ones(4))));
    m =
        message(
            ShapeMismatchException.class,
            () -> Tensor.ones(2, 2, 3, 4).matmul(Tensor.ones(3, 4, 5)));
    assertTrue(m.contains("[2, 2]") && m.contains("[3]"), "batch dims that do not broadcast: " + m);
    m = message(IllegalArgumentException.class, () -> Tensor.scalar(1).matmul(Tensor.ones(2)));
    assertEquals("both arguments to matmul need to be at least 1D, but they are 0D and 1D", m);
  }

  @Test
  void dtypeMismatch() {
    String m =
        message(
            IllegalArgumentException.class,
            () -> Tensor.ones(2, 3).matmul(Tensor.ones(3, 2).toDouble()));
    assertTrue(m.contains("float32") && m.contains("float64"), m);
    m =
        message(
            IllegalArgumentException.class,
            () -> Tensor.where(Tensor.ones(2), Tensor.ones(2), Tensor.ones(2)));
    assertEquals(
        "where expected condition to be a boolean tensor, but got a tensor with dtype Float", m);
    m =
        message(
            IllegalArgumentException.class, () -> Tensor.ones(2, 3).gather(1, Tensor.ones(2, 3)));
    assertEquals("gather(): Expected dtype int64 for index", m);
    m =
        message(
            IllegalArgumentException.class, () -> Tensor.ones(2, 3).indexSelect(0, Tensor.ones(1)));
    assertTrue(m.startsWith("index_select(): Expected dtype int32 or int64 for index"), m);
    m = message(IllegalArgumentException.class, () -> Tensor.arange(2).addInPlace(Tensor.ones(2)));
    assertEquals("result type Float can't be cast to the desired output type Long", m);
  }

  @Test
  void viewOfNonContiguousSuggestsReshape() {
    Tensor t = Tensor.ones(2, 3).t();
    String m = message(IllegalStateException.class, () -> t.view(6));
    assertTrue(
        m.startsWith(
            "view size is not compatible with input tensor's size and stride (at least one"
                + " dimension spans across two contiguous subspaces). Use .reshape(...) instead."),
        m);
    assertTrue(m.contains("[3, 2]"), "names the input shape: " + m);
    assertEquals(6, t.reshape(6).numel());
  }

  @Test
  void shapeOpErrors() {
    assertEquals(
        "shape '[4]' is invalid for input of size 6 (reshape: input shape [2, 3])",
        message(ShapeMismatchException.class, () -> Tensor.ones(2, 3).reshape(4)));
    assertEquals(
        "only one dimension can be inferred",
        message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).view(-1, -1)));
    assertEquals(
        "The expanded size of the tensor (4) must match the existing size (2) at non-singleton"
            + " dimension 0.  Target sizes: [4, 3].  Tensor sizes: [2, 3]",
        message(ShapeMismatchException.class, () -> Tensor.ones(2, 3).expand(4, 3)));
    assertEquals(
        "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for"
            + " tensor number 1 in the list.",
        message(
            ShapeMismatchException.class,
            () -> Tensor.cat(List.of(Tensor.ones(2, 3), Tensor.ones(2, 4)), 0)));
    assertEquals(
        "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry"
            + " 1",
        message(
            ShapeMismatchException.class,
            () -> Tensor.stack(List.of(Tensor.ones(2, 3), Tensor.ones(2, 4)), 0)));
    assertEquals(
        "start (2) + length (2) exceeds dimension size (3).",
        message(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).narrow(1, 2, 2)));
    assertEquals(
        "select(): index 3 out of range for tensor of size [2, 3] at dimension 1",
        message(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).select(1, 3)));
    assertEquals(
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
        message(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).squeeze(2)));
    assertEquals(
        "Dimension out of range (expected to be in range of [-2, 1], but got -3)",
        message(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).sum(-3, false)));
    assertTrue(
        message(IllegalArgumentException.class, () -> Tensor.ones(2, 3).permute(0))
            .contains("input.dim() = 2 is not equal to len(dims) = 1"));
    assertEquals(
        "dim 0 appears multiple times in the list of dims",
        message(
            IllegalArgumentException.class, () -> Tensor.ones(2, 3).sum(new int[] {0, 0}, false)));
    // index values: PyTorch's texts (all cases, from the golden file, in IndexBoundsTest)
    String m =
        message(
            IndexOutOfBoundsException.class,
            () -> Tensor.ones(2, 3).gather(1, Tensor.fromArray(new long[] {0, 3}, 2, 1)));
    assertTrue(m.contains("index 3 is out of bounds for dimension 1 with size 3"), m);
  }

  @Test
  void mixedDevicesAreRejectedNamingBothAndTheOp() {
    Tensor cpu = Tensor.ones(2);
    Tensor other = new ElsewhereTensor(Tensor.ones(2));
    String m = message(IllegalArgumentException.class, () -> cpu.add(other));
    assertEquals(
        "Expected all tensors to be on the same device, but found at least two devices, cpu and"
            + " cuda:0! (when checking argument for add)",
        m);
    assertTrue(message(IllegalArgumentException.class, () -> cpu.matmul(other)).contains("matmul"));
    assertTrue(message(IllegalArgumentException.class, () -> cpu.mul(other)).contains("cuda:0"));
    assertTrue(
        message(IllegalArgumentException.class, () -> Tensor.cat(List.of(cpu, other), 0))
            .contains("cat"));
    assertTrue(
        message(IllegalArgumentException.class, () -> Tensor.where(cpu.gt(0.0), cpu, other))
            .contains("where"));
  }

  @Test
  void cudaWithoutABackEndThrowsWithAReason() {
    assumeTrue(Backends.cudaUnavailableReason() != null, "a CUDA back end is available here");
    Tensor t = Tensor.ones(2);
    CudaUnavailableException e =
        assertThrows(CudaUnavailableException.class, () -> t.to(Device.cuda()));
    assertTrue(e.getMessage().startsWith("CUDA is not available: "), e.getMessage());
    assertTrue(
        e.getMessage().length() > "CUDA is not available: ".length() + 5,
        "has a reason: " + e.getMessage());
    assertThrows(CudaUnavailableException.class, t::cuda);
    assertThrows(
        CudaUnavailableException.class,
        () -> Tensor.zeros(dev.jnn.core.Shape.of(2), DType.FLOAT32, Device.cuda(0)));
    // an unchecked exception: IllegalStateException
    assertTrue(e instanceof IllegalStateException);
    assertFalse(t.device().isCuda());
  }

  @Test
  void itemAndScalarConversions() {
    assertThrows(IllegalStateException.class, () -> Tensor.ones(2).item());
    assertThrows(IllegalStateException.class, () -> Tensor.zeros(0).itemLong());
  }
}
