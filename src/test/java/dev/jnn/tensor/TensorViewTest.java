package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Views share storage; strides and offsets follow PyTorch's ({@code t.stride()}, ...). */
class TensorViewTest {
  private static Tensor base() {
    return Tensor.arange(0, 24, 1, DType.FLOAT32).reshape(2, 3, 4);
  }

  @Test
  void viewAndReshapeOfContiguousShareStorage() {
    Tensor x = base();
    Tensor v = x.view(6, 4);
    assertSame(x.storage(), v.storage());
    assertArrayEquals(new long[] {4, 1}, v.strides());
    v.narrow(0, 5, 1).fill(-1);
    assertArrayEquals(new float[] {-1, -1, -1, -1}, x.select(0, 1).select(0, 2).toFloatArray());
    assertSame(x.storage(), x.reshape(-1).storage());
    assertSame(x.storage(), x.flatten().storage());
  }

  @Test
  void transposeAndPermuteStrides() {
    Tensor x = base();
    Tensor t = x.transpose(0, 2);
    assertEquals(Shape.of(4, 3, 2), t.shape());
    assertArrayEquals(new long[] {1, 4, 12}, t.strides());
    assertFalse(t.isContiguous());
    assertSame(x.storage(), t.storage());
    Tensor p = x.permute(1, 2, 0);
    assertArrayEquals(new long[] {4, 1, 12}, p.strides());
    assertEquals(Shape.of(3, 4, 2), p.shape());
    Tensor m = Tensor.zeros(2, 3).t();
    assertArrayEquals(new long[] {1, 3}, m.strides());
  }

  @Test
  void narrowSliceSelectOffsets() {
    Tensor x = base();
    Tensor n = x.narrow(2, 1, 2);
    assertEquals(1, n.storageOffset());
    assertArrayEquals(new long[] {12, 4, 1}, n.strides());
    Tensor s = x.slice(1, 1, 3, 2);
    assertEquals(Shape.of(2, 1, 4), s.shape());
    assertEquals(4, s.storageOffset());
    assertArrayEquals(new long[] {12, 8, 1}, s.strides());
    Tensor e = x.select(0, 1);
    assertEquals(12, e.storageOffset());
    assertEquals(Shape.of(3, 4), e.shape());
    Tensor last = x.select(2, -1);
    assertEquals(3, last.storageOffset());
    assertArrayEquals(new float[] {3, 7, 11, 15, 19, 23}, last.toFloatArray());
    assertEquals(Shape.of(0, 3, 4), x.slice(0, 5, 9, 1).shape(), "Python-style clamped bounds");
    assertEquals(Shape.of(3, 4), x.get(1).shape());
  }

  @Test
  void writesThroughViewsReachTheBase() {
    Tensor x = Tensor.zeros(3, 4);
    x.t().narrow(0, 1, 1).fill(5); // column 1
    x.select(0, 2).copyFrom(Tensor.ones(4));
    x.slice(1, 0, 4, 3).narrow(0, 0, 1).addInPlace(Tensor.scalar(2)); // x[0, 0] and x[0, 3]
    assertArrayEquals(new float[] {2, 5, 0, 2, 0, 5, 0, 0, 1, 1, 1, 1}, x.toFloatArray());
    assertTrue(x.version() >= 3, "in-place ops through views bump the shared version");
  }

  @Test
  void expandHasZeroStrides() {
    Tensor c = Tensor.fromArray(new float[] {1, 2, 3}, 3, 1);
    Tensor e = c.expand(2, 3, 4);
    assertEquals(Shape.of(2, 3, 4), e.shape());
    assertArrayEquals(new long[] {0, 1, 0}, e.strides());
    assertSame(c.storage(), e.storage());
    assertEquals(Shape.of(3, 5), c.expand(-1, 5).shape());
    assertSame(c, c.expand(3, 1), "expanding to the same shape is a no-op");
    assertEquals(Shape.of(3, 2), c.expandAs(Tensor.zeros(3, 2)).shape());
  }

  @Test
  void squeezeUnsqueeze() {
    Tensor x = Tensor.zeros(2, 1, 3, 1);
    assertEquals(Shape.of(2, 3), x.squeeze().shape());
    assertEquals(Shape.of(2, 3, 1), x.squeeze(1).shape());
    assertEquals(Shape.of(2, 1, 3), x.squeeze(-1).shape());
    assertEquals(Shape.of(2, 1, 3, 1), x.squeeze(0).shape(), "non-1 dim stays");
    assertEquals(Shape.of(1, 2, 1, 3, 1), x.unsqueeze(0).shape());
    assertEquals(Shape.of(2, 1, 3, 1, 1), x.unsqueeze(-1).shape());
    assertSame(x.storage(), x.squeeze().storage());
    assertEquals(Shape.scalar(), Tensor.zeros(1, 1).squeeze().shape());
    // unsqueeze of a non-contiguous tensor keeps it a view
    Tensor t = Tensor.zeros(2, 3).t();
    Tensor u = t.unsqueeze(1);
    assertEquals(Shape.of(3, 1, 2), u.shape());
    assertSame(t.storage(), u.storage());
    u.fill(1);
    assertEquals(6.0, t.sum().item());
  }

  @Test
  void contiguousCopiesOnlyWhenNeeded() {
    Tensor x = base();
    assertSame(x, x.contiguous());
    Tensor t = x.transpose(0, 1);
    Tensor c = t.contiguous();
    assertNotSame(t.storage(), c.storage());
    assertTrue(c.isContiguous());
    assertArrayEquals(t.toFloatArray(), c.toFloatArray());
    assertArrayEquals(new long[] {8, 4, 1}, c.strides());
    // reshape of a non-contiguous tensor copies
    Tensor r = t.reshape(-1);
    assertNotSame(x.storage(), r.storage());
    assertArrayEquals(t.toFloatArray(), r.toFloatArray());
    // ... but a reshape the strides allow stays a view
    Tensor ok = x.transpose(1, 2).reshape(2, 4, 3);
    assertEquals(Shape.of(2, 4, 3), ok.shape());
    Tensor split = t.view(3, 2, 2, 2); // splitting a dim is always a view
    assertSame(x.storage(), split.storage());
  }

  @Test
  void cloneOwnsItsStorage() {
    Tensor x = base();
    Tensor c = x.clone();
    assertNotSame(x.storage(), c.storage());
    c.fill(0);
    assertEquals(276.0, x.sum().item());
  }

  @Test
  void catAndStackCopy() {
    Tensor a = Tensor.ones(2, 2);
    Tensor b = Tensor.zeros(1, 2);
    Tensor c = Tensor.cat(List.of(a, b), 0);
    assertEquals(Shape.of(3, 2), c.shape());
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, c.toFloatArray());
    Tensor s = Tensor.stack(List.of(a, a), 1);
    assertEquals(Shape.of(2, 2, 2), s.shape());
    // mixed dtypes promote, as torch.cat does
    Tensor m = Tensor.cat(List.of(Tensor.arange(2), Tensor.fromArray(new float[] {0.5f})), 0);
    assertEquals(DType.FLOAT32, m.dtype());
    assertArrayEquals(new float[] {0, 1, 0.5f}, m.toFloatArray());
    // non-contiguous inputs
    Tensor t = Tensor.arange(0, 6, 1, DType.FLOAT32).reshape(2, 3).t();
    assertArrayEquals(
        new float[] {0, 3, 1, 4, 2, 5, 0, 3, 1, 4, 2, 5},
        Tensor.cat(List.of(t, t), 0).toFloatArray());
  }

  @Test
  void indexingOpsOnNonContiguousInputs() {
    Tensor t = Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4).t(); // [4, 3]
    Tensor sel = t.indexSelect(0, Tensor.fromArray(new long[] {3, 0}));
    assertArrayEquals(new double[] {3, 7, 11, 0, 4, 8}, sel.toDoubleArray());
    Tensor g = t.gather(1, Tensor.fromArray(new long[] {2, 0, 1, 1}, 4, 1));
    assertArrayEquals(new double[] {8, 1, 6, 7}, g.toDoubleArray());
    // negative indices do not count from the end (PyTorch): IndexBoundsTest has the texts
    assertThrows(IndexOutOfBoundsException.class,
        () -> t.indexSelect(1, Tensor.fromArray(new long[] {-1})));
  }

  @Test
  void closingAViewKeepsTheBaseAlive() {
    Tensor x = Tensor.ones(4);
    Tensor v = x.narrow(0, 0, 2);
    v.close();
    v.close();
    assertArrayEquals(new float[] {1, 1, 1, 1}, x.toFloatArray());
    x.close();
    assertTrue(x.storage().isFreed());
  }
}
