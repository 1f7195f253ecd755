package dev.jnn.backend;

/** The loss family of the back-end SPI (conventions: {@link ConvKernels}). */
public interface LossKernels {

  /**
   * Negative log-likelihood per element: {@code loss[n, s] = -weight[t] * input[n, t, s]} with
   * {@code t = target[n, s]}, and 0 where {@code t == ignoreIndex}.
   *
   * @param input log-probabilities {@code [n, c, spatial]}
   * @param target int64 {@code [n, spatial]}
   * @param weight optional class weights {@code [c]}
   * @param s the sizes and the target value that contributes nothing
   * @param loss {@code [n, spatial]}
   * @param weights optional {@code [n, spatial]}: {@code weight[t]} (0 where ignored), whose sum
   *     is the mean reduction's divisor
   * @throws IndexOutOfBoundsException {@code "Target 10 is out of bounds."} for a target outside
   *     {@code [0, c)} that is not {@code ignoreIndex}
   */
  void nllLoss(
      View input,
      View target,
      View weight,
      NllShape s,
      Buffer loss,
      Buffer weights);

  /**
   * Gradient of {@link #nllLoss}: {@code gradIn[n, t, s] = -weight[t] * gradLoss[n, s] * scale}.
   *
   * @param gradLoss {@code [n, spatial]}, or one element used for all positions
   * @param target int64 {@code [n, spatial]}
   * @param weight optional {@code [c]}
   * @param s as in the forward
   * @param scale factor applied to {@code gradLoss} (e.g. {@code 1 / total weight} for a mean)
   * @param gradIn {@code [n, c, spatial]} (zero-filled on entry)
   */
  void nllLossBackward(
      View gradLoss,
      View target,
      View weight,
      NllShape s,
      double scale,
      Buffer gradIn);

  /**
   * Fused gradient of {@code nllLoss(logSoftmax(x, 1))} with respect to {@code x}: {@code gradIn[n,
   * k, s] = gradLoss[n, s] * scale * weight[t] * (exp(logProbs[n, k, s]) - [k == t])}, 0 where
   * ignored.
   *
   * @param gradLoss {@code [n, spatial]}, or one element used for all positions
   * @param logProbs the log-softmax output {@code [n, c, spatial]}
   * @param target int64 {@code [n, spatial]}
   * @param weight optional {@code [c]}
   * @param s as in the forward
   * @param scale factor applied to {@code gradLoss}
   * @param gradIn {@code [n, c, spatial]}
   */
  void crossEntropyBackward(
      View gradLoss,
      View logProbs,
      View target,
      View weight,
      NllShape s,
      double scale,
      Buffer gradIn);
}
