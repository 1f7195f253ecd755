package dev.jnn.backend;

/**
 * One scatter along a dim ({@link IndexKernels#scatter}): the written tensor's sizes, the dim and
 * how a scattered value meets the element already there.
 *
 * @param targetShape sizes of the (contiguous) target
 * @param dim the indexed dim
 * @param reduce {@link Reduce#ASSIGN} overwrites (PyTorch's {@code scatter}: with repeated
 *     indices the last element in index order wins on the CPU, any one of them on CUDA), the
 *     others combine ({@code scatter_reduce}'s sum, prod, amax, amin; amax/amin propagate NaN)
 */
public record ScatterSpec(int[] targetShape, int dim, Reduce reduce) {
  /** How a scattered value combines with the target element. */
  public enum Reduce {
    ASSIGN,
    SUM,
    PROD,
    AMAX,
    AMIN
  }
}
