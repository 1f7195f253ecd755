package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.Device;
import dev.jnn.nn.functional.Functional;
import dev.jnn.testing.Golden;
import dev.jnn.testing.IndexBoundsCases;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Index values outside {@code [0, size)} -- negative ones included -- fail in every indexing op
 * (index_select, gather, embedding, nll / cross-entropy targets) with PyTorch 1.13's text from
 * {@code scripts/golden/api_parity.py}; only {@code select()} counts from the end.
 */
class IndexBoundsTest {
  private static final Golden.Case G =
      Golden.load("api_parity.txt").stream().filter(c -> c.name().equals("indexing")).findFirst().get();

  @TestFactory
  Stream<DynamicTest> outOfRangeIndicesFailWithPyTorchsText() {
    Map<String, Function<Device, Tensor>> cases = IndexBoundsCases.cases();
    assertEquals(G.textKeys(), List.copyOf(cases.keySet()), "every golden case has a jnn call");
    return cases.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
          IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class,
              () -> e.getValue().apply(Device.CPU));
          assertEquals(G.text(e.getKey()), ex.getMessage());
        }));
  }

  @Test
  void negativeIndexDoesNotWrapButSelectDoes() {
    Tensor x = Tensor.arange(5);
    Tensor minusOne = Tensor.fromArray(new long[] {-1});
    assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, minusOne));
    assertThrows(IndexOutOfBoundsException.class, () -> x.gather(0, minusOne));
    assertEquals(4, x.select(0, -1).itemLong());
    // in-range indices are unaffected
    Tensor ok = Tensor.fromArray(new long[] {4, 0, 2});
    assertArrayEquals(new long[] {4, 0, 2}, x.indexSelect(0, ok).toLongArray());
    assertArrayEquals(new long[] {4, 0, 2}, x.gather(0, ok).toLongArray());
    Tensor w = Tensor.arange(0, 6, 1, dev.jnn.core.DType.FLOAT32).reshape(3, 2);
    assertArrayEquals(new float[] {4, 5, 0, 1},
        Functional.embedding(Tensor.fromArray(new long[] {2, 0}), w).toFloatArray());
  }
}
