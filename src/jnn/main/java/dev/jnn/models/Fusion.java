package dev.jnn.models;

import dev.jnn.autograd.NoGrad;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Identity;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Folding batch norms into the convolutions before them, for inference: PyTorch's {@code
 * torch.nn.utils.fusion.fuse_conv_bn_eval} for one pair ({@link #fuseConvBnEval}) and a pass over a
 * whole model ({@link #fuseConvBn}).
 *
 * <p>In eval mode a batch norm is the per-channel affine map {@code y = (x - running_mean) /
 * sqrt(running_var + eps) * weight + bias}, so a convolution followed by it is one convolution
 * with weight {@code W * (weight * rsqrt(running_var + eps))} (per output channel) and bias {@code
 * (b - running_mean) * rsqrt(running_var + eps) * weight + bias}. Both methods refuse modules in
 * training mode with PyTorch's message, {@code Fusion only for eval!}.
 *
 * <pre>{@code
 * ResNet model = ResNet.resnet50();
 * model.loadStateDict(stateDict, true);
 * model.eval();
 * Fusion.fuseConvBn(model);   // 53 convolutions absorb their batch norms; outputs unchanged
 * }</pre>
 */
public final class Fusion {
  private Fusion() {}

  /**
   * {@code fuse_conv_bn_eval(conv, bn)}: a new convolution (with a bias, same options, dtype and
   * device as {@code conv}, in eval mode) that computes {@code bn(conv(x))}; {@code conv} and
   * {@code bn} are unchanged.
   *
   * @param conv a convolution in eval mode
   * @param bn the batch norm that follows it, in eval mode, with running statistics
   * @return the fused convolution
   * @throws IllegalStateException {@code Fusion only for eval!} when either is in training mode
   * @throws IllegalArgumentException when {@code bn} has no running statistics or its channel
   *     count differs from the convolution's output channels
   */
  public static Conv2d fuseConvBnEval(Conv2d conv, BatchNorm2d bn) {
    if (conv.isTraining() || bn.isTraining()) {
      throw new IllegalStateException("Fusion only for eval!");
    }
    check(conv, bn, "");
    int[] k = conv.kernelSize();
    int[] s = conv.stride();
    int[] d = conv.dilation();
    Conv2d.Builder b = Conv2d.builder(conv.inChannels(), conv.outChannels(), k[0], k[1])
        .stride(s[0], s[1]).dilation(d[0], d[1]).groups(conv.groups()).bias(true)
        .paddingMode(conv.paddingMode()).device(conv.weight().device())
        .dtype(conv.weight().dtype());
    if (conv.paddingString() != null) {
      b.padding(conv.paddingString());
    } else {
      b.padding(conv.padding()[0], conv.padding()[1]);
    }
    Conv2d fused = b.build();
    fused.eval();
    try (NoGrad g = NoGrad.enter()) {
      Tensor rm = bn.runningMean();
      Tensor convB = conv.bias() != null ? conv.bias() : Tensor.zerosLike(rm);
      Tensor bnW = bn.weight() != null ? bn.weight() : Tensor.onesLike(rm);
      Tensor bnB = bn.bias() != null ? bn.bias() : Tensor.zerosLike(rm);
      Tensor rsqrt = bn.runningVar().add(bn.eps()).rsqrt();
      Tensor w = conv.weight().mul(bnW.mul(rsqrt).reshape(-1, 1, 1, 1));
      Tensor bias = convB.sub(rm).mul(rsqrt).mul(bnW).add(bnB);
      fused.weight().copyFrom(w);
      fused.bias().copyFrom(bias);
    }
    return fused;
  }

  private static void check(Conv2d conv, BatchNorm2d bn, String where) {
    String at = where.isEmpty() ? "" : " at " + where;
    if (bn.runningMean() == null || bn.runningVar() == null) {
      throw new IllegalArgumentException("fuse_conv_bn_eval" + at + ": the BatchNorm2d has no"
          + " running statistics (track_running_stats=False)");
    }
    if (bn.numFeatures() != conv.outChannels()) {
      throw new IllegalArgumentException("fuse_conv_bn_eval" + at + ": BatchNorm2d("
          + bn.numFeatures() + ") cannot follow a Conv2d with " + conv.outChannels()
          + " output channels (weight " + conv.weight().shape() + ")");
    }
  }

  /**
   * Fuses, in place, every {@code Conv2d} directly followed by a {@code BatchNorm2d}: consecutive
   * children of a {@link Sequential} (so torchvision's {@code Conv2dNormActivation}, MobileNetV2's
   * blocks, VGG's features and ResNet's {@code downsample}), and the {@code convN}/{@code bnN}
   * pairs of {@link ResNet} (its stem), {@link BasicBlock} and {@link Bottleneck}. Each
   * convolution is replaced by {@link #fuseConvBnEval} of the pair and the batch norm by {@link
   * Identity}, so the module tree keeps its names (the batch norms' state-dict entries go, the
   * convolutions gain a bias). Batch norms without running statistics are left alone.
   *
   * @param model a model in eval mode (all its modules)
   * @return the number of pairs fused
   * @throws IllegalStateException {@code Fusion only for eval!} when any module of {@code model}
   *     is in training mode; then, as for any other failure, nothing is changed
   */
  public static int fuseConvBn(Module model) {
    for (Module m : model.modules()) {
      if (m.isTraining()) {
        throw new IllegalStateException("Fusion only for eval!");
      }
    }
    List<String[]> pairs = new ArrayList<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
      String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
      Module m = e.getValue();
      List<String> names = new ArrayList<>(m.namedChildren().keySet());
      if (m instanceof Sequential) {
        for (int i = 0; i + 1 < names.size(); i++) {
          addPair(model, pairs, prefix + names.get(i), prefix + names.get(i + 1));
        }
      } else if (m instanceof ResNet || m instanceof BasicBlock || m instanceof Bottleneck) {
        for (int i = 1; i <= 3; i++) {
          if (names.contains("conv" + i) && names.contains("bn" + i)) {
            addPair(model, pairs, prefix + "conv" + i, prefix + "bn" + i);
          }
        }
      }
    }
    List<Conv2d> fused = new ArrayList<>();
    for (String[] p : pairs) {
      fused.add(fuseConvBnEval(
          (Conv2d) model.getSubmodule(p[0]), (BatchNorm2d) model.getSubmodule(p[1])));
    }
    for (int i = 0; i < pairs.size(); i++) {
      Identity id = new Identity();
      id.eval();
      model.setSubmodule(pairs.get(i)[0], fused.get(i), true);
      model.setSubmodule(pairs.get(i)[1], id, true);
    }
    return pairs.size();
  }

  private static void addPair(Module model, List<String[]> pairs, String conv, String bn) {
    if (model.getSubmodule(conv) instanceof Conv2d c
        && model.getSubmodule(bn) instanceof BatchNorm2d n
        && n.runningMean() != null && n.runningVar() != null) {
      check(c, n, conv + " / " + bn);
      pairs.add(new String[] {conv, bn});
    }
  }
}
