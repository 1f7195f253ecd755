package dev.jnn.data;

import dev.jnn.tensor.Tensor;
import java.util.Arrays;

/**
 * Wraps tensors sharing their first dimension ({@code torch.utils.data.TensorDataset}); item
 * {@code i} is the array of {@code t.get(i)} views.
 */
public final class TensorDataset implements Dataset<Tensor[]> {
  private final Tensor[] tensors;

  /** The tensors; all must have the same size in dim 0. */
  public TensorDataset(Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("TensorDataset needs at least one tensor");
    }
    long n = tensors[0].dim() == 0 ? -1 : tensors[0].size(0);
    for (Tensor t : tensors) {
      if (t.dim() == 0 || t.size(0) != n) {
        throw new IllegalArgumentException("Size mismatch between tensors: first dims "
            + Arrays.toString(Arrays.stream(tensors).map(x -> x.dim() == 0 ? "scalar" : String.valueOf(x.size(0))).toArray()));
      }
    }
    this.tensors = tensors.clone();
  }

  /** The wrapped tensors. */
  public Tensor[] tensors() {
    return tensors.clone();
  }

  @Override
  public int size() {
    return Math.toIntExact(tensors[0].size(0));
  }

  @Override
  public Tensor[] get(int index) {
    Tensor[] r = new Tensor[tensors.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = tensors[i].select(0, index);
    }
    return r;
  }
}
