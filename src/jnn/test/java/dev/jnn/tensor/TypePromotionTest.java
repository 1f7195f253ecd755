package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's result types ({@code torch.result_type}): categories bool &lt; integer &lt; floating,
 * the wider float wins, and a 0-d tensor only decides when its category is higher. Expected values
 * are what PyTorch 1.13 prints for the same expressions.
 */
class TypePromotionTest {
  private static final Tensor F32 = Tensor.fromArray(new float[] {1, 2});
  private static final Tensor F64 = Tensor.fromArray(new double[] {1, 2});
  private static final Tensor I64 = Tensor.fromArray(new long[] {3, 4});
  private static final Tensor B = Tensor.fromArray(new boolean[] {true, false});

  @Test
  void dimensionedOperands() {
    assertEquals(DType.FLOAT64, F32.add(F64).dtype());
    assertEquals(DType.FLOAT64, F64.mul(F32).dtype());
    assertEquals(DType.FLOAT32, I64.add(F32).dtype());
    assertEquals(DType.INT64, I64.add(B).dtype());
    assertEquals(DType.FLOAT32, B.mul(F32).dtype());
    assertEquals(DType.BOOL, B.add(B).dtype());
    assertArrayEquals(new boolean[] {true, false}, B.add(B).toBooleanArray(), "bool + bool is or");
  }

  @Test
  void zeroDimOperandsDecideOnlyWhenOfAHigherCategory() {
    // torch.ones(2) + torch.tensor(1., dtype=torch.float64) -> float32
    assertEquals(DType.FLOAT32, F32.add(Tensor.scalar(1, DType.FLOAT64)).dtype());
    // torch.tensor([3, 4]) + torch.tensor(2.5, dtype=torch.float64) -> float64
    assertEquals(DType.FLOAT64, I64.add(Tensor.scalar(2.5, DType.FLOAT64)).dtype());
    // 0-d with 0-d: ordinary promotion
    assertEquals(
        DType.FLOAT64, Tensor.scalar(1, DType.INT64).add(Tensor.scalar(1, DType.FLOAT64)).dtype());
    assertEquals(DType.FLOAT32, F32.mul(Tensor.scalar(2, DType.INT64)).dtype());
  }

  @Test
  void pythonScalars() {
    assertEquals(DType.FLOAT64, F64.add(1.5).dtype());
    assertEquals(DType.FLOAT32, F32.mul(2.0).dtype());
    // torch.tensor([3, 4]) * 2.5 -> tensor([7.5, 10.])
    Tensor r = I64.mul(2.5);
    assertEquals(DType.FLOAT32, r.dtype());
    assertArrayEquals(new float[] {7.5f, 10f}, r.toFloatArray());
    assertEquals(DType.INT64, I64.add(2).dtype());
    // torch.tensor([True, False]) + 1 -> tensor([2, 1])
    Tensor bi = B.add(1);
    assertEquals(DType.INT64, bi.dtype());
    assertArrayEquals(new long[] {2, 1}, bi.toLongArray());
    // torch.tensor([1, 2]).eq(1.5) -> [False, False]
    assertArrayEquals(
        new boolean[] {false, false}, Tensor.fromArray(new long[] {1, 2}).eq(1.5).toBooleanArray());
  }

  @Test
  void trueDivisionAndFloatOnlyOps() {
    // torch.tensor([3, 4]) / torch.tensor([2, 2]) -> tensor([1.5, 2.])
    Tensor q = I64.div(Tensor.fromArray(new long[] {2, 2}));
    assertEquals(DType.FLOAT32, q.dtype());
    assertArrayEquals(new float[] {1.5f, 2f}, q.toFloatArray());
    assertEquals(DType.FLOAT32, I64.div(2).dtype());
    assertEquals(DType.FLOAT32, I64.exp().dtype());
    assertEquals(DType.FLOAT32, I64.sigmoid().dtype());
    assertEquals(DType.FLOAT32, I64.sqrt().dtype());
    // torch.tensor([4, 9]).pow(0.5) -> tensor([2., 3.])
    assertArrayEquals(
        new float[] {2f, 3f}, Tensor.fromArray(new long[] {4, 9}).pow(0.5).toFloatArray());
    // ... but torch.tensor([2, 3]).pow(2) -> tensor([4, 9]) (int64)
    Tensor sq = Tensor.fromArray(new long[] {2, 3}).pow(2);
    assertEquals(DType.INT64, sq.dtype());
    assertArrayEquals(new long[] {4, 9}, sq.toLongArray());
  }

  @Test
  void integerOpsStayInteger() {
    assertEquals(DType.INT64, I64.neg().dtype());
    assertArrayEquals(new long[] {3, 4}, Tensor.fromArray(new long[] {-3, 4}).abs().toLongArray());
    assertArrayEquals(new long[] {0, 1}, Tensor.fromArray(new long[] {-1, 1}).relu().toLongArray());
    Tensor c = Tensor.fromArray(new long[] {-1, 5}).clamp(0, 3);
    assertEquals(DType.INT64, c.dtype());
    assertArrayEquals(new long[] {0, 3}, c.toLongArray());
    assertEquals(DType.INT64, I64.sum().dtype());
    assertEquals(7, I64.sum().itemLong());
    assertEquals(DType.INT64, B.sum().dtype());
    assertEquals(1, B.sum().itemLong());
    assertEquals(4, I64.max().itemLong());
    assertEquals(DType.INT64, I64.max().dtype());
    Tensor mm =
        Tensor.fromArray(new long[] {1, 1, 1, 1}, 2, 2)
            .matmul(Tensor.fromArray(new long[] {1, 1, 1, 1}, 2, 2));
    assertEquals(DType.INT64, mm.dtype());
    assertArrayEquals(new long[] {2, 2, 2, 2}, mm.toLongArray());
    long big = 1L << 60;
    assertEquals(big + 1, Tensor.fromArray(new long[] {big}).add(1).itemLong(), "exact int64 add");
  }

  @Test
  void mixedTypeSelectionOps() {
    // torch.where(cond, tensor([1, 2]), tensor([.5, .5])) -> float32
    Tensor w =
        Tensor.where(
            B, Tensor.fromArray(new long[] {1, 2}), Tensor.fromArray(new float[] {0.5f, 0.5f}));
    assertEquals(DType.FLOAT32, w.dtype());
    assertArrayEquals(new float[] {1f, 0.5f}, w.toFloatArray());
    Tensor m =
        Tensor.fromArray(new long[] {1, 2}).maximum(Tensor.fromArray(new float[] {1.5f, 1.5f}));
    assertEquals(DType.FLOAT32, m.dtype());
    assertArrayEquals(new float[] {1.5f, 2f}, m.toFloatArray());
    assertEquals(DType.FLOAT64, Tensor.cat(List.of(F32, F64), 0).dtype());
  }

  @Test
  void inPlaceResultMustBeCastable() {
    // torch.ones(2).add_(torch.ones(2, dtype=torch.float64)) is fine: same category
    Tensor f = Tensor.ones(2);
    f.addInPlace(Tensor.ones(2).toDouble());
    assertEquals(DType.FLOAT32, f.dtype());
    assertArrayEquals(new float[] {2, 2}, f.toFloatArray());
    // long.add_(bool) is fine
    Tensor l = Tensor.fromArray(new long[] {1, 1});
    l.addInPlace(B);
    assertArrayEquals(new long[] {2, 1}, l.toLongArray());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tensor.fromArray(new long[] {1}).addInPlace(Tensor.ones(1)));
    assertEquals("result type Float can't be cast to the desired output type Long", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tensor.fromArray(new boolean[] {true}).addInPlace(Tensor.arange(1)));
    assertEquals("result type Long can't be cast to the desired output type Bool", e.getMessage());
  }

  @Test
  void boolArithmeticErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> B.sub(B));
    assertTrue(
        e.getMessage()
            .startsWith("Subtraction, the `-` operator, with two bool tensors is not supported."));
    assertThrows(IllegalArgumentException.class, B::neg);
    e = assertThrows(IllegalArgumentException.class, I64::mean);
    assertEquals(
        "mean(): could not infer output dtype. Input dtype must be either a floating point or"
            + " complex dtype. Got: Long",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> I64.var());
    assertEquals("std and var only support floating point and complex dtypes", e.getMessage());
  }
}
