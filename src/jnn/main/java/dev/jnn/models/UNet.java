package dev.jnn.models;

import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.ConvTranspose2d;
import dev.jnn.nn.layers.MaxPool2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.nn.layers.Upsample;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * U-Net (Ronneberger et al. 2015) for segmentation, laid out as the most used PyTorch
 * implementation, milesial/Pytorch-UNet's {@code UNet(n_channels, n_classes, bilinear)}: the same
 * submodules ({@code inc}, {@code down1..4}, {@code up1..4}, {@code outc}), so its state-dict keys
 * ({@code inc.double_conv.0.weight}, {@code down1.maxpool_conv.1.double_conv.0.weight}, {@code
 * up1.up.weight}, {@code outc.conv.weight}, ...), reprs and forward are that implementation's, and
 * a checkpoint trained with it loads strictly. torchvision has no U-Net.
 *
 * <pre>{@code
 * UNet net = new UNet(3, 2, false);            // 64 .. 1024 channels, ConvTranspose2d upsampling
 * Tensor logits = net.call(images);            // [N, 2, H, W] for [N, 3, H, W]
 * }</pre>
 *
 * <p>{@code baseChannels} (64 in the reference) scales every width ({@code base * 2^k}); with 64
 * the network is the reference's exactly. Inputs of any size work: the decoder pads each upsampled
 * map to its skip connection's size, as the reference does.
 */
public final class UNet extends Module {
  private final int nChannels;
  private final int nClasses;
  private final boolean bilinear;

  /** {@code UNet(n_channels, n_classes, bilinear=False)}: 64 base channels. */
  public UNet(int nChannels, int nClasses) {
    this(nChannels, nClasses, false);
  }

  /** {@code UNet(n_channels, n_classes, bilinear)}: 64 base channels. */
  public UNet(int nChannels, int nClasses, boolean bilinear) {
    this(nChannels, nClasses, bilinear, 64);
  }

  /**
   * A U-Net whose widths are {@code baseChannels * (1, 2, 4, 8, 16)}.
   *
   * @param nChannels input channels
   * @param nClasses output channels (logits per class)
   * @param bilinear upsample with {@code Upsample(scale_factor=2, mode='bilinear',
   *     align_corners=True)} (and halve the bottleneck) instead of {@code ConvTranspose2d}
   * @param baseChannels the first level's width (64 in the reference)
   */
  public UNet(int nChannels, int nClasses, boolean bilinear, int baseChannels) {
    if (nChannels <= 0 || nClasses <= 0 || baseChannels <= 0) {
      throw new IllegalArgumentException("UNet: n_channels, n_classes and base_channels must be"
          + " positive, got " + nChannels + ", " + nClasses + ", " + baseChannels);
    }
    this.nChannels = nChannels;
    this.nClasses = nClasses;
    this.bilinear = bilinear;
    int b = baseChannels;
    int factor = bilinear ? 2 : 1;
    registerModule("inc", new DoubleConv(nChannels, b));
    registerModule("down1", new Down(b, 2 * b));
    registerModule("down2", new Down(2 * b, 4 * b));
    registerModule("down3", new Down(4 * b, 8 * b));
    registerModule("down4", new Down(8 * b, 16 * b / factor));
    registerModule("up1", new Up(16 * b, 8 * b / factor, bilinear));
    registerModule("up2", new Up(8 * b, 4 * b / factor, bilinear));
    registerModule("up3", new Up(4 * b, 2 * b / factor, bilinear));
    registerModule("up4", new Up(2 * b, b, bilinear));
    registerModule("outc", new OutConv(b, nClasses));
  }

  /** Input channels. */
  public int nChannels() {
    return nChannels;
  }

  /** Output channels. */
  public int nClasses() {
    return nClasses;
  }

  /** Whether the decoder upsamples bilinearly (else with transposed convolutions). */
  public boolean bilinear() {
    return bilinear;
  }

  /** {@code [N, n_channels, H, W]} to logits {@code [N, n_classes, H, W]}. */
  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 4 || x.size(1) != nChannels) {
      throw new IllegalArgumentException("UNet: expected input of shape [N, " + nChannels
          + ", H, W], got " + x.shape());
    }
    Tensor x1 = sub("inc").call(x);
    Tensor x2 = sub("down1").call(x1);
    Tensor x3 = sub("down2").call(x2);
    Tensor x4 = sub("down3").call(x3);
    Tensor x5 = sub("down4").call(x4);
    Tensor y = sub("up1").call(x5, x4);
    y = sub("up2").call(y, x3);
    y = sub("up3").call(y, x2);
    y = sub("up4").call(y, x1);
    return sub("outc").call(y);
  }

  private Module sub(String name) {
    return (Module) getAttribute(name);
  }

  /** {@code (Conv2d 3x3 without bias, BatchNorm2d, ReLU) x 2} in {@code double_conv}. */
  public static final class DoubleConv extends Module {
    /** {@code DoubleConv(in_channels, out_channels)}: the middle width is the output's. */
    public DoubleConv(int inChannels, int outChannels) {
      this(inChannels, outChannels, outChannels);
    }

    /** {@code DoubleConv(in_channels, out_channels, mid_channels)}. */
    public DoubleConv(int inChannels, int outChannels, int midChannels) {
      registerModule("double_conv", new Sequential(
          Conv2d.builder(inChannels, midChannels, 3).padding(1).bias(false).build(),
          new BatchNorm2d(midChannels),
          new ReLU(true),
          Conv2d.builder(midChannels, outChannels, 3).padding(1).bias(false).build(),
          new BatchNorm2d(outChannels),
          new ReLU(true)));
    }

    @Override
    public Tensor forward(Tensor x) {
      return ((Module) getAttribute("double_conv")).call(x);
    }
  }

  /** {@code MaxPool2d(2)} then {@link DoubleConv}, in {@code maxpool_conv}. */
  public static final class Down extends Module {
    /** {@code Down(in_channels, out_channels)}. */
    public Down(int inChannels, int outChannels) {
      registerModule("maxpool_conv",
          new Sequential(new MaxPool2d(2), new DoubleConv(inChannels, outChannels)));
    }

    @Override
    public Tensor forward(Tensor x) {
      return ((Module) getAttribute("maxpool_conv")).call(x);
    }
  }

  /**
   * Upsampling ({@code up}), padding to the skip connection's size, concatenation {@code [skip,
   * up]} on channels, then {@link DoubleConv} ({@code conv}).
   */
  public static final class Up extends Module {
    /** {@code Up(in_channels, out_channels, bilinear)}. */
    public Up(int inChannels, int outChannels, boolean bilinear) {
      if (bilinear) {
        registerModule("up", new Upsample(null, new double[] {2}, "bilinear", true, null));
        registerModule("conv", new DoubleConv(inChannels, outChannels, inChannels / 2));
      } else {
        registerModule("up", ConvTranspose2d.builder(inChannels, inChannels / 2, 2).stride(2)
            .build());
        registerModule("conv", new DoubleConv(inChannels, outChannels));
      }
    }

    /** {@code x1}: the map to upsample; {@code x2}: the skip connection. */
    @Override
    public Tensor forward(Tensor x1, Tensor x2) {
      x1 = ((Module) getAttribute("up")).call(x1);
      int diffY = Math.toIntExact(x2.size(2) - x1.size(2));
      int diffX = Math.toIntExact(x2.size(3) - x1.size(3));
      // Python's floor division, as the reference's diffX // 2 (negative when x1 is larger)
      int left = Math.floorDiv(diffX, 2);
      int top = Math.floorDiv(diffY, 2);
      x1 = Functional.pad(x1, new int[] {left, diffX - left, top, diffY - top});
      return ((Module) getAttribute("conv")).call(Tensor.cat(List.of(x2, x1), 1));
    }
  }

  /** The 1x1 convolution to class logits, in {@code conv}. */
  public static final class OutConv extends Module {
    /** {@code OutConv(in_channels, out_channels)}. */
    public OutConv(int inChannels, int outChannels) {
      registerModule("conv", new Conv2d(inChannels, outChannels, 1));
    }

    @Override
    public Tensor forward(Tensor x) {
      return ((Module) getAttribute("conv")).call(x);
    }
  }
}
