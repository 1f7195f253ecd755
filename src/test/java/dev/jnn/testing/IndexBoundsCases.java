package dev.jnn.testing;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The out-of-range index cases of {@code scripts/golden/api_parity.py} (case {@code indexing}),
 * each as the jnn call on a given device; the golden text is the message PyTorch 1.13 gives.
 * Shared by the CPU test ({@code dev.jnn.tensor.IndexBoundsTest}) and the CUDA parity suite,
 * which reads each result back (a CUDA kernel reports a bad index at the next synchronising call).
 */
public final class IndexBoundsCases {
  private IndexBoundsCases() {}

  private static Tensor z(Device d, long... dims) {
    return Tensor.zeros(Shape.of(dims), DType.FLOAT32, d);
  }

  private static Tensor idx(Device d, long[] v, long... dims) {
    return Tensor.fromArray(v, dims).to(d);
  }

  private static Tensor idx(Device d, long... v) {
    return Tensor.fromArray(v).to(d);
  }

  /** Golden key to the call that must fail with that text. */
  public static Map<String, Function<Device, Tensor>> cases() {
    Map<String, Function<Device, Tensor>> m = new LinkedHashMap<>();
    m.put("index_select_neg_1d", d -> z(d, 5).indexSelect(0, idx(d, -1)));
    m.put("index_select_big_1d", d -> z(d, 5).indexSelect(0, idx(d, 5)));
    m.put("index_select_neg_scalar",
        d -> Tensor.scalar(3.0, DType.FLOAT32, d).indexSelect(0, idx(d, -1)));
    m.put("index_select_neg_dim0", d -> z(d, 5, 3).indexSelect(0, idx(d, 0, -1)));
    m.put("index_select_neg_dim1", d -> z(d, 3, 5).indexSelect(1, idx(d, -1)));
    m.put("index_select_big_dim1", d -> z(d, 3, 5).indexSelect(1, idx(d, 1, 5)));
    m.put("index_select_neg_dim1_3d", d -> z(d, 2, 5, 3).indexSelect(1, idx(d, -2)));
    m.put("index_select_neg_dim2_3d", d -> z(d, 2, 3, 5).indexSelect(2, idx(d, -1)));
    m.put("index_select_neg_dimm1_2d", d -> z(d, 3, 5).indexSelect(-1, idx(d, -1)));
    m.put("index_select_empty_axis", d -> z(d, 3, 0).indexSelect(1, idx(d, 0)));
    m.put("gather_neg", d -> z(d, 5).gather(0, idx(d, -1)));
    m.put("gather_big", d -> z(d, 5).gather(0, idx(d, 5)));
    m.put("gather_neg_dim1", d -> z(d, 2, 5).gather(1, idx(d, new long[] {0, -2}, 1, 2)));
    m.put("gather_neg_dim0", d -> z(d, 2, 3).gather(0, idx(d, new long[] {-3, 0}, 1, 2)));
    m.put("embedding_neg", d -> Functional.embedding(idx(d, 1, -1), z(d, 5, 3)));
    m.put("embedding_big", d -> Functional.embedding(idx(d, 5), z(d, 5, 3)));
    m.put("embedding_no_rows", d -> Functional.embedding(idx(d, 0), z(d, 0, 3)));
    m.put("nll_neg", d -> Functional.nllLoss(z(d, 2, 3), idx(d, -1, 0)));
    m.put("cross_entropy_neg", d -> Functional.crossEntropy(z(d, 2, 3), idx(d, 0, -1)));
    return m;
  }
}
