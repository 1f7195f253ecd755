package dev.jnn.backend;

/**
 * The errors of data-dependent index checks (an index value outside {@code [0, size)}), shared by
 * the CPU back end (which throws them at once) and the CUDA back end (whose kernels record {code,
 * value, dim, size} in an error block that the host reads on its next synchronising call). The
 * texts are PyTorch 1.13's. Negative index values are out of range for every op here, as in
 * PyTorch: only {@code select()} and Python-style indexing count from the end.
 */
public final class IndexErrors {
  /** {@code index_select}, the general path: "index out of range in self". */
  public static final int INDEX_SELECT = 1;
  /** {@code index_add}: "index out of range in self". */
  public static final int INDEX_ADD = 2;
  /** {@code gather}: "index v is out of bounds for dimension d with size n". */
  public static final int GATHER = 3;
  /** {@code scatter_add}, {@code scatter} and {@code scatter_reduce}: as {@link #GATHER}. */
  public static final int SCATTER_ADD = 4;
  /** A class-index target of {@code nll_loss} / {@code cross_entropy}. */
  public static final int NLL_TARGET = 5;
  /** {@code embedding}: "index out of range in self". */
  public static final int EMBEDDING = 6;
  /**
   * {@code index_select} along dim 1 of a tensor of rank &gt; 1, where PyTorch 1.13's CPU kernel
   * says "INDICES element is out of DATA bounds, id=v axis_dim=n".
   */
  public static final int INDEX_SELECT_DIM1 = 7;

  private IndexErrors() {}

  /** The error code {@code index_select} along {@code dim} of a rank-{@code rank} tensor reports. */
  public static int indexSelectCode(int rank, int dim) {
    return rank > 1 && dim == 1 ? INDEX_SELECT_DIM1 : INDEX_SELECT;
  }

  /** Whether {@code value} is a valid index into a dim of {@code size}. */
  public static boolean inRange(long value, long size) {
    return value >= 0 && value < size;
  }

  /** The exception for error {@code code} with the offending value, dim and dim size. */
  public static IndexOutOfBoundsException of(long code, long value, long dim, long size) {
    String msg =
        switch ((int) code) {
          case INDEX_SELECT, INDEX_ADD, EMBEDDING -> "index out of range in self";
          case INDEX_SELECT_DIM1 ->
              "INDICES element is out of DATA bounds, id=" + value + " axis_dim=" + size;
          case GATHER, SCATTER_ADD ->
              "index " + value + " is out of bounds for dimension " + dim + " with size " + size;
          case NLL_TARGET -> "Target " + value + " is out of bounds.";
          default -> "CUDA kernel reported error " + code + " (" + value + ")";
        };
    return new IndexOutOfBoundsException(msg);
  }
}
