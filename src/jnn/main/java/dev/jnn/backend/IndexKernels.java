package dev.jnn.backend;

/**
 * The indexing family of the back-end SPI: index_select, index_add, gather, scatter_add, scatter
 * (assign or reduce) and embedding lookups, forward and backward.
 */
public interface IndexKernels {
  /**
   * {@code out[..., i, ...] = x[..., index[i], ...]} along {@code dim}; out is contiguous with
   * x's shape except {@code shape[dim] = index.numel()}.
   */
  void indexSelect(View x, int dim, View index, Buffer out);

  /** {@code target[..., index[i], ...] += src[..., i, ...]} along {@code dim}; target contiguous. */
  void indexAdd(Buffer target, int[] targetShape, int dim, View index, View src);

  /** {@code out[i][j][k] = x[i][index[i][j][k]][k]} (dim = 1 case), general rank; out contiguous. */
  void gather(View x, int dim, View index, Buffer out);

  /** {@code target[i][index[i][j][k]][k] += src[i][j][k]} (dim = 1 case); target contiguous. */
  void scatterAdd(Buffer target, int[] targetShape, int dim, View index, View src);

  /**
   * {@code target[i][index[i][j][k]][k] (op)= src[i][j][k]} (dim = 1 case), general rank, for every
   * element of index's shape; {@code op} is {@link ScatterSpec#reduce()}. The target is contiguous
   * with {@link ScatterSpec#targetShape()}; src is read at index's coordinates (its shape covers
   * index's; a scalar is a stride-0 view) and has the target's dtype.
   *
   * @throws IndexOutOfBoundsException {@code "index v is out of bounds for dimension d with size
   *     n"} for an index outside {@code [0, targetShape[dim])} (the CPU checks every index before
   *     writing; CUDA reports through its error block and skips the element)
   */
  void scatter(Buffer target, ScatterSpec spec, View index, View src);

  /**
   * Embedding lookup: {@code out[i, :] = weight[indices[i], :]}. Conventions as in {@link
   * ConvKernels} (contiguous views, caller-allocated outputs).
   *
   * @param weight {@code [num, dim]}
   * @param indices int64 {@code [count]}
   * @param s the sizes
   * @param out {@code [count, dim]}
   * @throws IndexOutOfBoundsException {@code "index out of range in self"} for an index outside
   *     {@code [0, num)}
   */
  void embedding(View weight, View indices, EmbeddingShape s, Buffer out);

  /**
   * Gradient of {@link #embedding}: {@code gradWeight[indices[i], :] += gradOut[i, :]}, skipping
   * {@code paddingIdx}.
   *
   * @param gradOut {@code [count, dim]}
   * @param indices int64 {@code [count]}
   * @param s the sizes
   * @param paddingIdx row that receives no gradient, or -1 for none
   * @param gradWeight {@code [num, dim]} (zero-filled on entry)
   */
  void embeddingBackward(
      View gradOut, View indices, EmbeddingShape s, long paddingIdx, Buffer gradWeight);
}
