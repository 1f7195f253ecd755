package dev.jnn.tensor;

import dev.jnn.core.DType;

/**
 * The reductions of {@link Tensor}: sums, means, variances, extrema and their indices, {@code
 * any}/{@code all}, statistics and norms ({@code logsumexp}, {@code std}, {@code norm}),
 * cumulative ops ({@code cumsum}, {@code cumprod}) and sorting and selection ({@code sort}, {@code
 * topk}, {@code kthvalue}); PyTorch's docs list them under "Reduction Ops" and "Comparison Ops".
 * Results with indices are {@link Tensor.ValuesIndices}.
 *
 * <p>One of the facade interfaces that {@link Tensor} implements, one per family of ops, so that
 * its methods can be read by family (as PyTorch's documentation groups them) and no file of the
 * facade grows past about 1,000 lines. It is sealed to {@code Tensor}: users never implement it
 * and never need to name it, since every method is called on a {@code Tensor} ({@code x.sum()},
 * {@code Tensor::sum}) and a subclass of {@code Tensor} may override any of them. Each method is
 * one line into the package's op family that holds the op's body (here {@code ReduceOps}, {@code
 * StatOps}, {@code MatrixNormOps}, {@code CumulativeOps}, {@code SortOps}); see "Op families" in
 * docs/ARCHITECTURE.md.
 */
public sealed interface TensorReductions permits Tensor {
  /** This object as the {@link Tensor} it is (the only permitted implementation). */
  private Tensor self() {
    return (Tensor) this;
  }

  // ------------------------------------------------------------------ reductions

  /** Sum of all elements (bool and int64 sum to int64). */
  default Tensor sum() {
    return sum(null, false);
  }

  /** Sum over {@code dims} ({@code torch.sum(x, dim, keepdim)}). */
  default Tensor sum(int[] dims, boolean keepdim) {
    return ReduceOps.sum(self(), dims, keepdim);
  }

  /** Sum over one dim. */
  default Tensor sum(int dim, boolean keepdim) {
    return sum(new int[] {dim}, keepdim);
  }

  /** Mean of all elements (floating tensors only, as in PyTorch). */
  default Tensor mean() {
    return mean(null, false);
  }

  /** Mean over {@code dims}. */
  default Tensor mean(int[] dims, boolean keepdim) {
    return ReduceOps.mean(self(), dims, keepdim);
  }

  /** Mean over one dim. */
  default Tensor mean(int dim, boolean keepdim) {
    return mean(new int[] {dim}, keepdim);
  }

  /**
   * Variance over {@code dims} with Bessel's {@code correction} (1 = unbiased, PyTorch's default).
   */
  default Tensor var(int[] dims, int correction, boolean keepdim) {
    return ReduceOps.var(self(), dims, correction, keepdim);
  }

  /** Unbiased variance of all elements. */
  default Tensor var() {
    return var(null, 1, false);
  }

  /** Variance over one dim. */
  default Tensor var(int dim, boolean unbiased, boolean keepdim) {
    return var(new int[] {dim}, unbiased ? 1 : 0, keepdim);
  }

  /** Maximum of all elements; the gradient is split evenly among ties (PyTorch). */
  default Tensor max() {
    return ReduceOps.max(self());
  }

  /** Minimum of all elements. */
  default Tensor min() {
    return ReduceOps.min(self());
  }

  /** Maximum over {@code dim} with the index of the first maximum. */
  default Tensor.ValuesIndices max(int dim, boolean keepdim) {
    return ReduceOps.max(self(), dim, keepdim);
  }

  /** Minimum over {@code dim} with the index of the first minimum. */
  default Tensor.ValuesIndices min(int dim, boolean keepdim) {
    return ReduceOps.min(self(), dim, keepdim);
  }

  /** Index of the maximum of the flattened tensor ({@code torch.argmax(x)}). */
  default Tensor argmax() {
    return ReduceOps.argmax(self());
  }

  /** Index of the maximum along {@code dim}. */
  default Tensor argmax(int dim, boolean keepdim) {
    return ReduceOps.argmax(self(), dim, keepdim);
  }

  /** Index of the minimum along {@code dim}. */
  default Tensor argmin(int dim, boolean keepdim) {
    return ReduceOps.argmin(self(), dim, keepdim);
  }

  /** Whether any element is nonzero, as a 0-d bool tensor ({@code torch.any}). */
  default Tensor any() {
    return ReduceOps.any(self());
  }

  /** Whether every element is nonzero, as a 0-d bool tensor ({@code torch.all}). */
  default Tensor all() {
    return ReduceOps.all(self());
  }

  /** Variance over {@code dims}, Bessel-corrected when {@code unbiased} ({@code torch.var(x, dims, unbiased)}). */
  default Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
    return var(dims, unbiased ? 1 : 0, keepdim);
  }

  /** Index of the minimum of the flattened tensor ({@code torch.argmin(x)}). */
  default Tensor argmin() {
    if (self().numel() == 0) {
      // PyTorch 1.13 raises IndexError here (torch.argmin(torch.zeros(0, 3)))
      throw new IndexOutOfBoundsException(
          "argmin(): Expected reduction dim to be specified for input.numel() == 0.");
    }
    return self().reshape(-1).argmin(0, false);
  }

  // ------------------------------------------------- statistics and norms (StatOps, MatrixNormOps)

  /** {@code log(sum(exp(x)))} over {@code dims}, computed stably ({@code torch.logsumexp}). */
  default Tensor logsumexp(int[] dims, boolean keepdim) {
    return StatOps.logsumexp(self(), dims, keepdim);
  }

  /** {@code log(sum(exp(x)))} over one dim ({@code torch.logsumexp(x, dim, keepdim)}). */
  default Tensor logsumexp(int dim, boolean keepdim) {
    return StatOps.logsumexp(self(), new int[] {dim}, keepdim);
  }

  /** Unbiased standard deviation of all elements ({@code torch.std(x)}). */
  default Tensor std() {
    return StatOps.std(self(), null, 1, false);
  }

  /** Standard deviation over {@code dims} with {@code correction} ({@code torch.std(x, dims, correction=)}). */
  default Tensor std(int[] dims, int correction, boolean keepdim) {
    return StatOps.std(self(), dims, correction, keepdim);
  }

  /** Standard deviation over {@code dims}, Bessel-corrected when {@code unbiased}. */
  default Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
    return StatOps.std(self(), dims, unbiased ? 1 : 0, keepdim);
  }

  /** Standard deviation over one dim ({@code torch.std(x, dim, unbiased, keepdim)}). */
  default Tensor std(int dim, boolean unbiased, boolean keepdim) {
    return StatOps.std(self(), new int[] {dim}, unbiased ? 1 : 0, keepdim);
  }

  /** Euclidean (2-)norm of all elements ({@code torch.norm(x)}). */
  default Tensor norm() {
    return StatOps.norm(self(), 2, null, false);
  }

  /** The {@code p}-norm of all elements ({@code torch.norm(x, p)}; p may be +-infinity or 0). */
  default Tensor norm(double p) {
    return StatOps.norm(self(), p, null, false);
  }

  /** The {@code p}-norm over {@code dims} ({@code torch.norm(x, p, dim, keepdim)}). */
  default Tensor norm(double p, int[] dims, boolean keepdim) {
    return StatOps.norm(self(), p, dims, keepdim);
  }

  /**
   * {@code torch.norm(this, p)} with a string {@code p}: {@code "fro"} (the Frobenius norm over
   * every element); {@code "nuc"} raises {@link UnsupportedOperationException} (no SVD in jnn).
   */
  default Tensor norm(String p) {
    return MatrixNormOps.norm(self(), p, null, false);
  }

  /**
   * {@code torch.norm(this, p, dim=dims, keepdim=keepdim)} with a string {@code p}: {@code "fro"}
   * over at most two dims; {@code "nuc"} raises {@link UnsupportedOperationException}.
   */
  default Tensor norm(String p, int[] dims, boolean keepdim) {
    return MatrixNormOps.norm(self(), p, dims, keepdim);
  }

  // ------------------------------------------------------------------ cumulative (CumulativeOps)

  /** Cumulative sum along {@code dim}; bool/int64 inputs give int64 ({@code torch.cumsum}). */
  default Tensor cumsum(int dim) {
    return CumulativeOps.cumsum(self(), dim, null);
  }

  /** Cumulative sum along {@code dim} computed in {@code dtype} ({@code torch.cumsum(x, dim, dtype=)}). */
  default Tensor cumsum(int dim, DType dtype) {
    return CumulativeOps.cumsum(self(), dim, dtype);
  }

  /** Cumulative product along {@code dim}; bool/int64 inputs give int64 ({@code torch.cumprod}). */
  default Tensor cumprod(int dim) {
    return CumulativeOps.cumprod(self(), dim, null);
  }

  /** Cumulative product along {@code dim} computed in {@code dtype} ({@code torch.cumprod(x, dim, dtype=)}). */
  default Tensor cumprod(int dim, DType dtype) {
    return CumulativeOps.cumprod(self(), dim, dtype);
  }

  // --------------------------------------------------------------- sorting and selection (SortOps)

  /** Sorted values along {@code dim} and their indices; stable ({@code torch.sort}). */
  default Tensor.ValuesIndices sort(int dim, boolean descending) {
    return SortOps.sort(self(), dim, descending, false);
  }

  /**
   * {@code torch.sort(x, dim, descending, stable)}; jnn's sort is always stable, which is also a
   * valid result for {@code stable=false}.
   */
  default Tensor.ValuesIndices sort(int dim, boolean descending, boolean stable) {
    return SortOps.sort(self(), dim, descending, true);
  }

  /** The indices that sort {@code dim} ({@code torch.argsort}); stable. */
  default Tensor argsort(int dim, boolean descending) {
    return SortOps.sort(self(), dim, descending, false).indices();
  }

  /**
   * The {@code k} largest (or smallest) elements along {@code dim} and their indices ({@code
   * torch.topk}); always in sorted order, which is also a valid result for {@code sorted=false}.
   */
  default Tensor.ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) {
    return SortOps.topk(self(), k, dim, largest);
  }

  /** The {@code k}-th smallest element (1-based) along {@code dim} and its index ({@code torch.kthvalue}). */
  default Tensor.ValuesIndices kthvalue(int k, int dim, boolean keepdim) {
    return SortOps.kthvalue(self(), k, dim, keepdim);
  }
}
