package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Piece shapes of the multi-output composites (the op registry checks their values and gradients
 * through one flattened output) and dtype corners; expected shapes are PyTorch 1.13's.
 */
class CompositeOpsTest {
  private static void shapes(List<Tensor> pieces, long[]... expected) {
    assertEquals(expected.length, pieces.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Shape.of(expected[i]), pieces.get(i).shape(), "piece " + i);
    }
  }

  @Test
  void splitChunkUnbindPieceShapes() {
    Tensor x = Tensor.zeros(5, 3);
    shapes(x.split(2, 0), new long[] {2, 3}, new long[] {2, 3}, new long[] {1, 3});
    shapes(x.split(new long[] {1, 0, 4}, 0), new long[] {1, 3}, new long[] {0, 3}, new long[] {4, 3});
    shapes(x.chunk(4, 0), new long[] {2, 3}, new long[] {2, 3}, new long[] {1, 3});
    shapes(x.unbind(-1), new long[] {5}, new long[] {5}, new long[] {5});
    Tensor e = Tensor.zeros(0, 3);
    shapes(e.split(2, 0), new long[] {0, 3});
    shapes(e.split(0, 0), new long[] {0, 3});
    shapes(e.chunk(3, 0), new long[] {0, 3}, new long[] {0, 3}, new long[] {0, 3});
    assertEquals(0, e.unbind(0).size());
  }

  /**
   * torch 1.13: {@code x.unbind(0)} gives every slice the one {@code UnbindBackward0} node, and a
   * gradient through slice 1 only reaches row 1 ({@code [[0, 0], [2, 2], [0, 0]]} for
   * {@code (u[1] * 2).sum()}).
   */
  @Test
  void unbindSlicesShareOneUnbindBackwardNode() {
    Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);
    List<Tensor> u = x.unbind(0);
    assertEquals("UnbindBackward0", u.get(0).gradFn().name());
    assertEquals(u.get(0).gradFn(), u.get(2).gradFn());
    u.get(1).mul(2).sum().backward();
    assertArrayEquals(new double[] {0, 0, 2, 2, 0, 0}, x.grad().toDoubleArray(), 0.0);
  }

  /**
   * torch 1.13: the pieces of {@code x.split(2)} and {@code x.chunk(2)} share one
   * {@code SplitBackward0}, those of {@code x.split([1, 4])} one {@code SplitWithSizesBackward0};
   * a gradient through one piece reaches only its rows.
   */
  @Test
  void splitPiecesShareOneSplitBackwardNode() {
    Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 2).requiresGrad(true);
    List<Tensor> s = x.split(2, 0);
    assertEquals("SplitBackward0", s.get(0).gradFn().name());
    assertEquals(s.get(0).gradFn(), s.get(2).gradFn());
    assertEquals("SplitBackward0", x.chunk(2, 0).get(1).gradFn().name());
    List<Tensor> w = x.split(new long[] {1, 4}, 0);
    assertEquals("SplitWithSizesBackward0", w.get(1).gradFn().name());
    w.get(1).mul(3).sum().backward();
    assertArrayEquals(new double[] {0, 0, 3, 3, 3, 3, 3, 3, 3, 3}, x.grad().toDoubleArray(), 0.0);
  }

  @Test
  void meshgridShapes() {
    Tensor a = Tensor.zeros(2);
    Tensor b = Tensor.zeros(3);
    shapes(Tensor.meshgrid(List.of(a, b), "ij"), new long[] {2, 3}, new long[] {2, 3});
    shapes(Tensor.meshgrid(List.of(a, b), "xy"), new long[] {3, 2}, new long[] {3, 2});
    shapes(Tensor.meshgrid(List.of(Tensor.scalar(1), b), "ij"), new long[] {1, 3}, new long[] {1, 3});
  }

  @Test
  void predicatesAndReductionsAreBool() {
    Tensor i = Tensor.arange(4);
    assertEquals(DType.BOOL, i.isnan().dtype());
    assertArrayEquals(new boolean[4], i.isinf().toBooleanArray());
    assertEquals(DType.BOOL, i.any().dtype());
    assertEquals(0, i.any().dim());
    assertEquals(1.0, i.any().item());
    assertEquals(0.0, i.all().item());
    assertEquals(1.0, Tensor.zeros(0).all().item());
    assertEquals(0.0, Tensor.zeros(0).any().item());
    assertEquals(1.0, Tensor.fromArray(new double[] {1, Double.NaN}, 2).all().item());
  }

  @Test
  void repeatAndRollValues() {
    Tensor x = Tensor.fromArray(new double[] {1, 2, 3}, 3);
    assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, x.repeat(2).toDoubleArray());
    assertArrayEquals(new double[] {3, 1, 2}, x.roll(1, 0).toDoubleArray());
    assertArrayEquals(new double[] {3, 2, 1}, x.flip(0).toDoubleArray());
    Tensor g = Tensor.fromArray(new double[] {1, 2}, 2).requiresGrad(true);
    g.repeat(3).sum().backward();
    assertArrayEquals(new double[] {3, 3}, g.grad().toDoubleArray());
  }
}
