package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import org.junit.jupiter.api.Test;

/**
 * Factories and value read-back ({@code torch.zeros}, {@code torch.arange}, {@code item()}, ...).
 */
class TensorFactoryTest {
  @Test
  void zerosOnesFull() {
    Tensor z = Tensor.zeros(2, 3);
    assertEquals(Shape.of(2, 3), z.shape());
    assertEquals(DType.FLOAT32, z.dtype());
    assertEquals(Device.CPU, z.device());
    assertArrayEquals(new float[6], z.toFloatArray());
    assertArrayEquals(new float[] {1, 1, 1, 1}, Tensor.ones(2, 2).toFloatArray());
    Tensor f = Tensor.full(Shape.of(3), 2.5, DType.FLOAT64, Device.CPU);
    assertEquals(DType.FLOAT64, f.dtype());
    assertArrayEquals(new double[] {2.5, 2.5, 2.5}, f.toDoubleArray());
    // torch.full((2,), 3.7, dtype=torch.long) truncates: tensor([3, 3])
    assertArrayEquals(
        new long[] {3, 3}, Tensor.full(Shape.of(2), 3.7, DType.INT64, Device.CPU).toLongArray());
    Tensor like = Tensor.onesLike(f);
    assertEquals(f.shape(), like.shape());
    assertEquals(DType.FLOAT64, like.dtype());
    assertEquals(Shape.of(3), Tensor.zerosLike(f).shape());
    assertTrue(Tensor.zeros(Shape.of(0, 3), DType.FLOAT32, Device.CPU).numel() == 0);
    assertFalse(z.requiresGrad());
    assertTrue(z.isLeaf());
  }

  @Test
  void negativeDimIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
  }

  @Test
  void arange() {
    Tensor a = Tensor.arange(5);
    assertEquals(DType.INT64, a.dtype());
    assertArrayEquals(new long[] {0, 1, 2, 3, 4}, a.toLongArray());
    // torch.arange(0, 1, 0.3) -> [0, 0.3, 0.6, 0.9]
    Tensor f = Tensor.arange(0, 1, 0.3, DType.FLOAT32);
    assertArrayEquals(new float[] {0f, 0.3f, 0.6f, 0.90000004f}, f.toFloatArray(), 1e-7f);
    assertArrayEquals(new long[] {5, 3, 1}, Tensor.arange(5, 0, -2, DType.INT64).toLongArray());
    assertEquals(0, Tensor.arange(0).numel());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 5, -1, DType.INT64));
    assertTrue(e.getMessage().contains("upper bound and larger bound inconsistent with step sign"));
    e = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0, DType.INT64));
    assertTrue(e.getMessage().contains("step must be nonzero"));
  }

  @Test
  void eye() {
    Tensor e = Tensor.eye(3);
    assertEquals(Shape.of(3, 3), e.shape());
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, e.toFloatArray());
    assertEquals(DType.FLOAT64, Tensor.eye(2, DType.FLOAT64, Device.CPU).dtype());
    assertEquals(0, Tensor.eye(0).numel());
  }

  @Test
  void seededRandomIsReproducible() {
    Tensor a = Tensor.rand(Shape.of(4, 5), DType.FLOAT32, new Generator(42));
    Tensor b = Tensor.rand(Shape.of(4, 5), DType.FLOAT32, new Generator(42));
    Tensor c = Tensor.rand(Shape.of(4, 5), DType.FLOAT32, new Generator(43));
    assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    assertFalse(java.util.Arrays.equals(a.toFloatArray(), c.toFloatArray()));
    for (float v : a.toFloatArray()) {
      assertTrue(v >= 0f && v < 1f, "rand out of [0, 1): " + v);
    }
    Tensor n1 = Tensor.randn(Shape.of(1000), DType.FLOAT64, new Generator(7));
    Tensor n2 = Tensor.randn(Shape.of(1000), DType.FLOAT64, new Generator(7));
    assertArrayEquals(n1.toDoubleArray(), n2.toDoubleArray());
    assertEquals(0.0, n1.mean().item(), 0.15);
    assertEquals(1.0, n1.var().item(), 0.15);
    Tensor r = Tensor.randint(-3, 4, Shape.of(200), new Generator(1));
    assertEquals(DType.INT64, r.dtype());
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long v : r.toLongArray()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(-3, min);
    assertEquals(3, max);
    assertArrayEquals(
        r.toLongArray(), Tensor.randint(-3, 4, Shape.of(200), new Generator(1)).toLongArray());
    assertThrows(IllegalArgumentException.class, () -> Tensor.randint(2, 2, 3));
  }

  @Test
  void defaultGeneratorManualSeed() {
    Generator.manualSeed(123);
    Tensor a = Tensor.randn(3, 2);
    Tensor ai = Tensor.randint(0, 100, 5);
    Generator.manualSeed(123);
    Tensor b = Tensor.randn(3, 2);
    Tensor bi = Tensor.randint(0, 100, 5);
    assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    assertArrayEquals(ai.toLongArray(), bi.toLongArray());
    assertEquals(123, Generator.defaultGenerator().initialSeed());
    assertNotEquals(a.toFloatArray()[0], Tensor.randn(3, 2).toFloatArray()[0]);
    assertEquals(DType.FLOAT32, Tensor.rand(2).dtype());
  }

  @Test
  void randomFactoriesKeepZeroDimShapes() {
    // torch.rand(()) has shape torch.Size([])
    assertEquals(
        Shape.scalar(), Tensor.rand(Shape.scalar(), DType.FLOAT32, new Generator(1)).shape());
    assertEquals(
        Shape.scalar(), Tensor.randn(Shape.scalar(), DType.FLOAT64, new Generator(1)).shape());
    assertEquals(Shape.scalar(), Tensor.randint(0, 5, Shape.scalar(), new Generator(1)).shape());
    assertEquals(
        Shape.of(0, 2), Tensor.rand(Shape.of(0, 2), DType.FLOAT32, new Generator(1)).shape());
  }

  @Test
  void fromArrayCopiesAndShapes() {
    float[] data = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensor.fromArray(data, 2, 3);
    data[0] = 100;
    assertEquals(1f, t.toFloatArray()[0], "fromArray must copy");
    assertEquals(Shape.of(2, 3), t.shape());
    assertArrayEquals(new long[] {3, 1}, t.strides());
    assertEquals(Shape.of(6), Tensor.fromArray(new double[6]).shape());
    assertEquals(DType.FLOAT64, Tensor.fromArray(new double[1]).dtype());
    assertEquals(DType.INT64, Tensor.fromArray(new long[] {1}).dtype());
    assertEquals(DType.BOOL, Tensor.fromArray(new boolean[] {true}).dtype());
    ShapeMismatchException e =
        assertThrows(ShapeMismatchException.class, () -> Tensor.fromArray(new float[5], 2, 3));
    assertEquals("fromArray: shape [2, 3] is invalid for input of size 5", e.getMessage());
  }

  @Test
  void scalarAndItem() {
    Tensor s = Tensor.scalar(3.5);
    assertEquals(0, s.dim());
    assertEquals(Shape.scalar(), s.shape());
    assertEquals(1, s.numel());
    assertEquals(DType.FLOAT32, s.dtype());
    assertEquals(3.5, s.item());
    assertEquals(7L, Tensor.scalar(7, DType.INT64).itemLong());
    assertEquals(1.0, Tensor.fromArray(new boolean[] {true}).item());
    assertEquals(2.0, Tensor.fromArray(new double[] {2}, 1, 1).item(), "one element of any rank");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Tensor.ones(2).item());
    assertEquals("a Tensor with 2 elements cannot be converted to Scalar", e.getMessage());
    long big = (1L << 62) + 1;
    assertEquals(
        big, Tensor.fromArray(new long[] {big}).itemLong(), "int64 must not go via double");
  }

  @Test
  void readBackConversions() {
    Tensor f = Tensor.fromArray(new float[] {-1.7f, 2.9f, 0f});
    assertArrayEquals(new double[] {-1.7f, 2.9f, 0}, f.toDoubleArray());
    // like Tensor.long(): truncation toward zero
    assertArrayEquals(new long[] {-1, 2, 0}, f.toLongArray());
    assertArrayEquals(new boolean[] {true, true, false}, f.toBooleanArray());
    Tensor l = Tensor.fromArray(new long[] {1, -2});
    assertArrayEquals(new float[] {1f, -2f}, l.toFloatArray());
    // a non-contiguous view reads back in logical (row-major) order
    Tensor m = Tensor.arange(6).reshape(2, 3).t();
    assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, m.toLongArray());
    assertArrayEquals(new long[] {4, 5}, Tensor.arange(6).narrow(0, 4, 2).toLongArray());
  }

  @Test
  void toDtypeConverts() {
    Tensor f = Tensor.fromArray(new float[] {-1.7f, 0f, 2.9f});
    Tensor l = f.to(DType.INT64);
    assertArrayEquals(new long[] {-1, 0, 2}, l.toLongArray());
    assertArrayEquals(new boolean[] {true, false, true}, f.to(DType.BOOL).toBooleanArray());
    assertEquals(DType.FLOAT64, f.toDouble().dtype());
    assertEquals(DType.FLOAT32, l.toFloat().dtype());
    assertEquals(DType.INT64, f.toLong().dtype());
    assertTrue(f.to(DType.FLOAT32) == f, "to() of the same dtype returns the tensor itself");
    assertTrue(f.to(Device.CPU) == f);
    assertTrue(f.cpu() == f);
  }
}
