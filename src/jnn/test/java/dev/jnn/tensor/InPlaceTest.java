package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.GradMode;
import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.ShapeMismatchException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In-place ops and PyTorch's autograd rules for them (version counter, leaves, views). */
class InPlaceTest {
  @AfterEach
  void restoreGradMode() {
    GradMode.set(true);
  }

  private static Tensor leaf(double... v) {
    return Tensor.fromArray(v).requiresGrad(true);
  }

  @Test
  void valuesAndIdentity() {
    Tensor x = Tensor.fromArray(new float[] {1, 2, 3});
    assertSame(x, x.addInPlace(Tensor.fromArray(new float[] {1, 1, 1})));
    assertArrayEquals(new float[] {2, 3, 4}, x.toFloatArray());
    x.addInPlace(Tensor.scalar(1), 2.0);
    assertArrayEquals(new float[] {4, 5, 6}, x.toFloatArray());
    x.mulInPlace(Tensor.fromArray(new float[] {2}));
    assertArrayEquals(new float[] {8, 10, 12}, x.toFloatArray());
    x.mulInPlace(0.5);
    x.subInPlace(Tensor.ones(3));
    x.divInPlace(2.0);
    assertArrayEquals(new float[] {1.5f, 2f, 2.5f}, x.toFloatArray());
    x.addInPlace(1.0);
    assertArrayEquals(new float[] {2.5f, 3f, 3.5f}, x.toFloatArray());
    assertSame(x, x.fill(7));
    assertArrayEquals(new float[] {7, 7, 7}, x.toFloatArray());
    assertSame(x, x.zero());
    assertArrayEquals(new float[] {0, 0, 0}, x.toFloatArray());
  }

  @Test
  void broadcastingIntoTheOutputShape() {
    Tensor x = Tensor.zeros(2, 3);
    x.addInPlace(Tensor.fromArray(new float[] {1, 2, 3}));
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, x.toFloatArray());
    ShapeMismatchException e =
        assertThrows(
            ShapeMismatchException.class, () -> Tensor.zeros(3).addInPlace(Tensor.zeros(2, 3)));
    assertEquals(
        "add_: output with shape [3] doesn't match the broadcast shape [2, 3]", e.getMessage());
  }

  @Test
  void copyFromBroadcastsAndCasts() {
    Tensor x = Tensor.zeros(2, 2);
    x.copyFrom(Tensor.fromArray(new double[] {1.5, 2.5}));
    assertEquals(DType.FLOAT32, x.dtype());
    assertArrayEquals(new float[] {1.5f, 2.5f, 1.5f, 2.5f}, x.toFloatArray());
    Tensor l = Tensor.zeros(java.util.List.of(2L).stream().mapToLong(Long::longValue).toArray());
    Tensor i = Tensor.fromArray(new long[2]);
    i.copyFrom(Tensor.fromArray(new float[] {-1.7f, 2.9f}));
    assertArrayEquals(new long[] {-1, 2}, i.toLongArray());
    assertEquals(2, l.numel());
    // copy from an overlapping, transposed view of itself goes through a temporary in PyTorch;
    // copying from an independent non-contiguous source is exact
    Tensor src = Tensor.arange(0, 4, 1, DType.FLOAT32).reshape(2, 2).t();
    Tensor dst = Tensor.zeros(2, 2);
    dst.copyFrom(src);
    assertArrayEquals(new float[] {0, 2, 1, 3}, dst.toFloatArray());
    ShapeMismatchException e =
        assertThrows(
            ShapeMismatchException.class, () -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(4)));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
  }

  @Test
  void inPlaceBumpsTheVersion() {
    Tensor x = Tensor.zeros(2);
    int v0 = x.version();
    x.addInPlace(1.0);
    x.fill(3);
    x.narrow(0, 0, 1).zero();
    assertEquals(v0 + 3, x.version());
  }

  @Test
  void leafRequiringGradRejectsInPlace() {
    Tensor x = leaf(1, 2);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> x.addInPlace(Tensor.ones(2).toDouble()));
    assertTrue(
        e.getMessage()
            .startsWith(
                "a leaf Variable that requires grad is being used in an in-place operation."),
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> x.mulInPlace(2.0));
    assertThrows(IllegalStateException.class, x::zero);
    assertThrows(IllegalStateException.class, () -> x.fill(1));
    assertThrows(IllegalStateException.class, () -> x.copyFrom(Tensor.ones(2)));
    e = assertThrows(IllegalStateException.class, () -> x.narrow(0, 0, 1).fill(1));
    assertTrue(
        e.getMessage()
            .startsWith(
                "a view of a leaf Variable that requires grad is being used in an in-place"
                    + " operation."),
        e.getMessage());
    assertArrayEquals(new double[] {1, 2}, x.toDoubleArray(), "a rejected op must not write");
  }

  @Test
  void leafInPlaceIsAllowedUnderNoGrad() {
    Tensor x = leaf(1, 2);
    try (NoGrad g = NoGrad.enter()) {
      x.subInPlace(Tensor.fromArray(new double[] {0.5, 0.5}));
      x.narrow(0, 1, 1).mulInPlace(2.0);
    }
    assertArrayEquals(new double[] {0.5, 3}, x.toDoubleArray());
    assertTrue(x.isLeaf());
    assertTrue(x.requiresGrad());
    assertNull(x.gradFn());
  }

  @Test
  void modifyingASavedTensorFailsAtBackward() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2.0);
    Tensor z = y.mul(y); // saves y
    y.addInPlace(1.0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
    assertTrue(
        e.getMessage()
            .startsWith(
                "one of the variables needed for gradient computation has been modified by an"
                    + " inplace operation"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("is at version 1; expected version 0 instead"), e.getMessage());
  }

  @Test
  void inPlaceOnANonLeafIsRecorded() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2.0);
    y.addInPlace(Tensor.fromArray(new double[] {1, 1}));
    assertEquals("AddBackward0", y.gradFn().name());
    y.mulInPlace(Tensor.fromArray(new double[] {3, 4}));
    assertEquals("MulBackward0", y.gradFn().name());
    y.sum().backward();
    // y = (2x + 1) * [3, 4] -> dy/dx = [6, 8]
    assertArrayEquals(new double[] {6, 8}, x.grad().toDoubleArray());
    assertArrayEquals(new double[] {9, 20}, y.toDoubleArray());
  }

  @Test
  void inPlaceWithAnOperandThatRequiresGrad() {
    Tensor w = leaf(2, 3);
    Tensor acc = Tensor.zeros(2).toDouble();
    acc.addInPlace(w.mul(w));
    assertTrue(acc.requiresGrad());
    acc.sum().backward();
    assertArrayEquals(new double[] {4, 6}, w.grad().toDoubleArray());
  }

  @Test
  void fillAndZeroOnANonLeafCutTheGradient() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2.0);
    y.fill(3);
    assertEquals("FillBackward2", y.gradFn().name());
    y.sum().backward();
    assertArrayEquals(new double[] {0, 0}, x.grad().toDoubleArray());
    Tensor z = x.mul(2.0).zero();
    assertEquals("ZeroBackward0", z.gradFn().name());
  }

  @Test
  void copyFromARequiresGradSourceIsDifferentiable() {
    Tensor x = leaf(1, 2);
    Tensor t = Tensor.zeros(2).toDouble();
    t.copyFrom(x.mul(3.0));
    assertArrayEquals(new double[] {3, 6}, t.toDoubleArray());
    assertEquals("CopyBackwards", t.gradFn().name());
    t.sum().backward();
    assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
  }

  @Test
  void inPlaceOnAViewOfANonLeafIsNotSupported() {
    Tensor y = leaf(1, 2).mul(2.0);
    // PyTorch rebases the history (CopySlices); jnn refuses rather than get it wrong
    assertThrows(UnsupportedOperationException.class, () -> y.narrow(0, 0, 1).mulInPlace(3.0));
    // without autograd involvement it is an ordinary write
    Tensor z = Tensor.zeros(3);
    z.narrow(0, 1, 2).addInPlace(1.0);
    assertArrayEquals(new float[] {0, 1, 1}, z.toFloatArray());
  }

  @Test
  void staleViewAfterADifferentiableInPlaceOnItsBaseFailsInsteadOfGivingWrongGradients() {
    Tensor x = leaf(1, 1);
    Tensor y = x.mul(2.0);
    Tensor v = y.narrow(0, 0, 1);
    y.mulInPlace(3.0);
    // PyTorch: (v * 1).sum().backward() gives x.grad == [6, 0] through AsStridedBackward0
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.mul(1.0));
    assertTrue(e.getMessage().contains("take the view again"), e.getMessage());
    // a view taken after the in-place op is fine and exact
    y.narrow(0, 0, 1).mul(1.0).sum().backward();
    assertArrayEquals(new double[] {6, 0}, x.grad().toDoubleArray());
    // an in-place update under NoGrad does not change the history: old views stay usable
    Tensor w = leaf(1, 2);
    Tensor wt = w.narrow(0, 1, 1);
    try (NoGrad g = NoGrad.enter()) {
      w.mulInPlace(2.0);
    }
    wt.mul(5.0).sum().backward();
    assertArrayEquals(new double[] {0, 5}, w.grad().toDoubleArray());
  }

  @Test
  void inPlaceOnIntegerDivisionFails() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3).divInPlace(2.0));
    assertEquals("result type Float can't be cast to the desired output type Long", e.getMessage());
  }
}
