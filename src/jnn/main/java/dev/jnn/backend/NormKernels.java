package dev.jnn.backend;

/** The normalisation family of the back-end SPI (conventions: {@link ConvKernels}). */
public interface NormKernels {

  /**
   * Batch normalisation with batch statistics. The input is seen as {@code [n, c, spatial]};
   * statistics are per channel over {@code n * spatial} values.
   *
   * @param x input {@code [n, c, spatial]}
   * @param weight optional {@code [c]} (scale, 1 when absent)
   * @param bias optional {@code [c]} (shift, 0 when absent)
   * @param s the sizes and {@code eps} (added to the variance)
   * @param out {@code [n, c, spatial]}
   * @param mean {@code [c]}: the batch mean
   * @param var {@code [c]}: the biased batch variance
   */
  void batchNormTraining(
      View x,
      View weight,
      View bias,
      BatchNormShape s,
      Buffer out,
      Buffer mean,
      Buffer var);

  /**
   * Batch normalisation with given statistics (evaluation mode): {@code out = (x - mean) /
   * sqrt(var + eps) * weight + bias}.
   *
   * @param x input {@code [n, c, spatial]}
   * @param weight optional {@code [c]}
   * @param bias optional {@code [c]}
   * @param mean {@code [c]} (the running mean)
   * @param var {@code [c]} (the running variance)
   * @param s the sizes and {@code eps}
   * @param out {@code [n, c, spatial]}
   */
  void batchNormInference(
      View x,
      View weight,
      View bias,
      View mean,
      View var,
      BatchNormShape s,
      Buffer out);

  /**
   * Gradient of batch normalisation. With {@code training} the statistics are the batch's (and the
   * input gradient flows through them); otherwise they are constants.
   *
   * @param gradOut {@code [n, c, spatial]}
   * @param x the forward input {@code [n, c, spatial]}
   * @param weight optional {@code [c]}
   * @param mean {@code [c]}: the mean used in the forward
   * @param var {@code [c]}: the variance used in the forward (biased batch variance when training)
   * @param training whether the forward used batch statistics
   * @param s as in the forward
   * @param gradIn optional {@code [n, c, spatial]}
   * @param gradWeight optional {@code [c]}
   * @param gradBias optional {@code [c]}
   */
  void batchNormBackward(
      View gradOut,
      View x,
      View weight,
      View mean,
      View var,
      boolean training,
      BatchNormShape s,
      Buffer gradIn,
      Buffer gradWeight,
      Buffer gradBias);

  /**
   * Layer normalisation over the last {@code cols} values of each row.
   *
   * @param x {@code [rows, cols]}
   * @param weight optional {@code [cols]}
   * @param bias optional {@code [cols]}
   * @param s the sizes and {@code eps} (added to the variance)
   * @param out {@code [rows, cols]}
   * @param mean {@code [rows]}
   * @param rstd {@code [rows]}: {@code 1 / sqrt(biased var + eps)}
   */
  void layerNorm(
      View x,
      View weight,
      View bias,
      LayerNormShape s,
      Buffer out,
      Buffer mean,
      Buffer rstd);

  /**
   * Gradient of {@link #layerNorm}.
   *
   * @param gradOut {@code [rows, cols]}
   * @param x the forward input
   * @param weight optional {@code [cols]}
   * @param mean {@code [rows]} from the forward
   * @param rstd {@code [rows]} from the forward
   * @param s as in the forward
   * @param gradIn optional {@code [rows, cols]}
   * @param gradWeight optional {@code [cols]}
   * @param gradBias optional {@code [cols]}
   */
  void layerNormBackward(
      View gradOut,
      View x,
      View weight,
      View mean,
      View rstd,
      LayerNormShape s,
      Buffer gradIn,
      Buffer gradWeight,
      Buffer gradBias);
}
