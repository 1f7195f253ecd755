package dev.jnn.backend.cpu;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.Conv2dGeometry;
import dev.jnn.backend.NnKernels;
import dev.jnn.backend.Pool2dGeometry;
import dev.jnn.backend.View;

/**
 * The CPU implementation of {@link NnKernels}: convolution as blocked im2col + GEMM ({@link
 * CpuConv}), pooling ({@link CpuPool}), normalisation ({@link CpuNorm}), softmax ({@link
 * CpuSoftmax}) and losses/lookups ({@link CpuLoss}). Float32 and float64 only.
 */
public final class CpuNnKernels implements NnKernels {
  /** Creates the kernels (stateless; scratch buffers are per thread). */
  public CpuNnKernels() {}

  @Override
  public void conv2d(View x, View weight, View bias, Buffer out, Conv2dGeometry g) {
    CpuConv.forward(x, weight, bias, out, g);
  }

  @Override
  public void conv2dBackwardData(View gradOut, View weight, Buffer gradIn, Conv2dGeometry g) {
    CpuConv.backwardData(gradOut, weight, gradIn, g);
  }

  @Override
  public void conv2dBackwardFilter(View gradOut, View x, Buffer gradWeight, Conv2dGeometry g) {
    CpuConv.backwardFilter(gradOut, x, gradWeight, g);
  }

  @Override
  public void conv2dBackwardBias(View gradOut, Buffer gradBias, Conv2dGeometry g) {
    CpuConv.backwardBias(gradOut, gradBias, g);
  }

  @Override
  public void maxPool2d(View x, Buffer out, Buffer indices, Pool2dGeometry g) {
    CpuPool.maxForward(x, out, indices, g);
  }

  @Override
  public void maxPool2dBackward(View gradOut, View indices, Buffer gradIn, Pool2dGeometry g) {
    CpuPool.maxBackward(gradOut, indices, gradIn, g);
  }

  @Override
  public void avgPool2d(
      View x, Buffer out, Pool2dGeometry g, boolean countIncludePad, int divisorOverride) {
    CpuPool.avgForward(x, out, g, countIncludePad, divisorOverride);
  }

  @Override
  public void avgPool2dBackward(
      View gradOut, Buffer gradIn, Pool2dGeometry g, boolean countIncludePad, int divisorOverride) {
    CpuPool.avgBackward(gradOut, gradIn, g, countIncludePad, divisorOverride);
  }

  @Override
  public void adaptiveAvgPool2d(View x, Buffer out, int planes, int h, int w, int oh, int ow) {
    CpuPool.adaptiveAvgForward(x, out, planes, h, w, oh, ow);
  }

  @Override
  public void adaptiveAvgPool2dBackward(
      View gradOut, Buffer gradIn, int planes, int h, int w, int oh, int ow) {
    CpuPool.adaptiveAvgBackward(gradOut, gradIn, planes, h, w, oh, ow);
  }

  @Override
  public void batchNormTraining(
      View x, View weight, View bias, int n, int c, int spatial, double eps, Buffer out,
      Buffer mean, Buffer var) {
    CpuNorm.batchNormTraining(x, weight, bias, n, c, spatial, eps, out, mean, var);
  }

  @Override
  public void batchNormInference(
      View x, View weight, View bias, View mean, View var, int n, int c, int spatial, double eps,
      Buffer out) {
    CpuNorm.batchNormInference(x, weight, bias, mean, var, n, c, spatial, eps, out);
  }

  @Override
  public void batchNormBackward(
      View gradOut, View x, View weight, View mean, View var, boolean training, int n, int c,
      int spatial, double eps, Buffer gradIn, Buffer gradWeight, Buffer gradBias) {
    CpuNorm.batchNormBackward(
        gradOut, x, weight, mean, var, training, n, c, spatial, eps, gradIn, gradWeight, gradBias);
  }

  @Override
  public void layerNorm(
      View x, View weight, View bias, int rows, int cols, double eps, Buffer out, Buffer mean,
      Buffer rstd) {
    CpuNorm.layerNorm(x, weight, bias, rows, cols, eps, out, mean, rstd);
  }

  @Override
  public void layerNormBackward(
      View gradOut, View x, View weight, View mean, View rstd, int rows, int cols, Buffer gradIn,
      Buffer gradWeight, Buffer gradBias) {
    CpuNorm.layerNormBackward(
        gradOut, x, weight, mean, rstd, rows, cols, gradIn, gradWeight, gradBias);
  }

  @Override
  public void softmax(View x, int outer, int size, int inner, boolean log, Buffer out) {
    CpuSoftmax.forward(x, outer, size, inner, log, out);
  }

  @Override
  public void softmaxBackward(
      View gradOut, View out, int outer, int size, int inner, boolean log, Buffer gradIn) {
    CpuSoftmax.backward(gradOut, out, outer, size, inner, log, gradIn);
  }

  @Override
  public void nllLoss(
      View input, View target, View weight, int n, int c, int spatial, long ignoreIndex,
      Buffer loss, Buffer weights) {
    CpuLoss.nll(input, target, weight, n, c, spatial, ignoreIndex, loss, weights);
  }

  @Override
  public void nllLossBackward(
      View gradLoss, View target, View weight, int n, int c, int spatial, long ignoreIndex,
      double scale, Buffer gradIn) {
    CpuLoss.nllBackward(gradLoss, target, weight, n, c, spatial, ignoreIndex, scale, gradIn);
  }

  @Override
  public void crossEntropyBackward(
      View gradLoss, View logProbs, View target, View weight, int n, int c, int spatial,
      long ignoreIndex, double scale, Buffer gradIn) {
    CpuLoss.crossEntropyBackward(
        gradLoss, logProbs, target, weight, n, c, spatial, ignoreIndex, scale, gradIn);
  }

  @Override
  public void embedding(View weight, View indices, int count, int num, int dim, Buffer out) {
    CpuLoss.embedding(weight, indices, count, num, dim, out);
  }

  @Override
  public void embeddingBackward(
      View gradOut, View indices, int count, int num, int dim, long paddingIdx,
      Buffer gradWeight) {
    CpuLoss.embeddingBackward(gradOut, indices, count, num, dim, paddingIdx, gradWeight);
  }
}
