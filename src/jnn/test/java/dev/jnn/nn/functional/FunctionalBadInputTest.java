package dev.jnn.nn.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments fail with PyTorch's messages (checked against PyTorch 1.13.1). */
class FunctionalBadInputTest {
  private static Tensor z(long... dims) {
    return Tensor.zeros(dims);
  }

  private static Tensor zd(long... dims) {
    return Tensor.zeros(Shape.of(dims), DType.FLOAT64, Device.CPU);
  }

  private static Tensor idx(long... v) {
    return Tensor.fromArray(v, v.length);
  }

  private static void fails(Class<? extends Throwable> type, String message, Executable ex) {
    Throwable t = assertThrows(type, ex);
    assertEquals(message, t.getMessage());
  }

  private static void fails(String message, Executable ex) {
    fails(IllegalArgumentException.class, message, ex);
  }

  private static final int[] ONE = {1};
  private static final int[] ZERO = {0};

  @Test
  void conv2dRankChannelsAndSizes() {
    Tensor w = z(20, 3, 5, 5);
    fails("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]",
        () -> Functional.conv2d(z(2, 3), w));
    fails("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size:"
            + " [1, 1, 2, 3, 3]",
        () -> Functional.conv2d(z(1, 1, 2, 3, 3), w));
    String channels = "Given groups=1, weight of size [20, 3, 5, 5], expected input[1, 4, 8, 8] to"
        + " have 3 channels, but got 4 channels instead";
    fails(channels, () -> Functional.conv2d(z(1, 4, 8, 8), w));
    fails(channels, () -> Functional.conv2d(z(4, 8, 8), w));
    fails("Calculated padded input size per channel: (3 x 3). Kernel size: (5 x 5). Kernel size"
            + " can't be greater than actual input size",
        () -> Functional.conv2d(z(1, 3, 3, 3), w));
    fails("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size"
            + " can't be greater than actual input size",
        () -> Functional.conv2d(z(3, 2, 2), z(6, 3, 3, 3)));
    fails("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of"
            + " size [[3, 2, 3, 3]] instead",
        () -> Functional.conv2d(z(1, 4, 8, 8), z(3, 2, 3, 3), null, ONE, ZERO, ONE, 2));
    fails("Given weight of size [6, 3, 3, 3], expected bias to be 1-dimensional with 6 elements,"
            + " but got bias of size [5] instead",
        () -> Functional.conv2d(z(1, 3, 8, 8), z(6, 3, 3, 3), z(5)));
  }

  /** PyTorch 1.13's texts, from {@code F.pad} runs (torch 1.13.1, Debian). */
  @Test
  void padArgumentsAndSizes() {
    fails("Padding length must be divisible by 2", () -> Functional.pad(z(2, 3), new int[] {1}));
    fails("Padding length too large", () -> Functional.pad(z(2, 3), new int[] {0, 0, 0, 0, 0, 0}));
    fails("start (0) + length (-1) exceeds dimension size (1).",
        () -> Functional.pad(z(2, 3), new int[] {-2, -2}));
    fails("start (0) + length (-1) exceeds dimension size (3).",
        () -> Functional.pad(z(1, 2, 3), new int[] {2, -4}));
    fails(UnsupportedOperationException.class, "Unrecognised padding mode bogus",
        () -> Functional.pad(z(2, 3), new int[] {1, 1}, "bogus"));
    fails(UnsupportedOperationException.class,
        "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now",
        () -> Functional.pad(z(2, 3), new int[] {1, 1, 1, 1}, "reflect"));
    fails(UnsupportedOperationException.class,
        "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now",
        () -> Functional.pad(z(3), new int[] {1, 1}, "replicate"));
    fails("Padding mode \"reflect\" doesn't take in value argument",
        () -> Functional.pad(z(1, 2, 3), new int[] {1, 1}, "reflect", 1.0));
    String tooBig = "Padding size should be less than the corresponding input dimension, but got: ";
    fails(ShapeMismatchException.class, "Argument #4: " + tooBig + "padding (3, 3) at dimension 1 of input [2, 3]",
        () -> Functional.pad(z(2, 3), new int[] {3, 3}, "reflect"));
    fails(ShapeMismatchException.class, "Argument #6: " + tooBig + "padding (2, 2) at dimension 1 of input 3",
        () -> Functional.pad(z(1, 2, 3), new int[] {1, 1, 2, 2}, "reflect"));
    fails(ShapeMismatchException.class, "Argument #4: " + tooBig + "padding (3, 3) at dimension 3 of input 4",
        () -> Functional.pad(z(1, 1, 2, 3), new int[] {3, 3, 0, 0}, "reflect"));
    fails(ShapeMismatchException.class,
        "Argument #8: " + tooBig + "padding (2, 2) at dimension 2 of input [1, 1, 2, 3, 3]",
        () -> Functional.pad(z(1, 1, 2, 3, 3), new int[] {1, 1, 1, 1, 2, 2}, "reflect"));
    fails(ShapeMismatchException.class,
        "Argument #6: " + tooBig + "padding (3, 3) at dimension 3 of input [1, 1, 2, 3, 3]",
        () -> Functional.pad(z(1, 1, 2, 3, 3), new int[] {1, 1, 3, 3, 1, 1}, "reflect"));
    fails(ShapeMismatchException.class, "Padding value causes wrapping around more than once.",
        () -> Functional.pad(z(1, 2, 3), new int[] {1, 4}, "circular"));
    // what PyTorch accepts
    assertEquals(Shape.of(0, 1), Functional.pad(z(2, 3), new int[] {-1, -1, -1, -1}).shape());
    assertEquals(Shape.of(1, 2, 9), Functional.pad(z(1, 2, 3), new int[] {3, 3}, "circular").shape());
    assertEquals(Shape.of(1, 2, 3), Functional.pad(z(1, 2, 3), new int[] {-1, 1}, "reflect").shape());
    assertEquals(Shape.of(1, 1, 12, 13), Functional.pad(z(1, 1, 2, 3), new int[] {5, 5, 5, 5}, "replicate").shape());
  }

  @Test
  void conv2dHyperParameters() {
    Tensor x = z(1, 3, 8, 8);
    Tensor w = z(6, 3, 3, 3);
    fails("non-positive stride is not supported",
        () -> Functional.conv2d(x, w, null, ZERO, ZERO, ONE, 1));
    fails("negative padding is not supported",
        () -> Functional.conv2d(x, w, null, ONE, new int[] {-1}, ONE, 1));
    fails("dilation should be greater than zero, but got [1, 0]",
        () -> Functional.conv2d(x, w, null, ONE, ZERO, new int[] {1, 0}, 1));
    fails("non-positive groups is not supported",
        () -> Functional.conv2d(x, w, null, ONE, ZERO, ONE, 0));
    fails("padding='same' is not supported for strided convolutions",
        () -> Functional.conv2d(x, w, null, new int[] {2}, "same", ONE, 1));
    fails("Invalid padding string: 'foo'", () -> Functional.conv2d(x, w, null, ONE, "foo", ONE, 1));
    fails("expected stride to be a single integer value or a list of 2 values to match the"
            + " convolution dimensions, but got stride=[1, 1, 1]",
        () -> Functional.conv2d(x, w, null, new int[] {1, 1, 1}, ZERO, ONE, 1));
    fails("expected scalar type Float but found Double", () -> Functional.conv2d(x, zd(6, 3, 3, 3)));
    fails("Input type (float) and bias type (double) should be the same",
        () -> Functional.conv2d(x, w, zd(6)));
  }

  @Test
  void pooling() {
    fails("pad should be at most half of kernel size, but got pad=2 and kernel_size=3",
        () -> Functional.maxPool2d(z(1, 3, 4, 4), new int[] {3}, null, new int[] {2}, ONE, false));
    fails("Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small",
        () -> Functional.maxPool2d(z(1, 3, 2, 2), 3));
    fails("non-empty 3D or 4D (batch mode) tensor expected for input",
        () -> Functional.maxPool2d(z(3, 4), 3));
    fails("stride should not be zero", () -> Functional.maxPool2d(z(1, 3, 4, 4), 2, 0));
    fails("kernel size should be greater than zero, but got kH: 0 kW: 0",
        () -> Functional.maxPool2d(z(1, 3, 6, 6), 0, 1));
    fails("dilation should be greater than zero, but got dilationH: 0 dilationW: 0",
        () -> Functional.maxPool2d(z(1, 3, 4, 4), new int[] {2}, null, ZERO, ZERO, false));
    fails("max_pool2d: kernel_size must either be a single int, or a tuple of two ints",
        () -> Functional.maxPool2d(z(1, 3, 4, 4), new int[] {2, 3, 4}, null, ZERO, ONE, false));
    fails("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but"
            + " got:[1, 0, 6, 6]",
        () -> Functional.maxPool2d(z(1, 0, 6, 6), 2));
    fails("divisor must be not zero",
        () -> Functional.avgPool2d(z(1, 3, 4, 4), new int[] {3}, null, ZERO, false, true, 0));
    fails("Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small",
        () -> Functional.avgPool2d(z(1, 3, 2, 2), 3));
    fails("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [3, 4]",
        () -> Functional.adaptiveAvgPool2d(z(3, 4), 3));
    fails("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions,"
            + " but input has sizes [1, 3, 0, 4] with dimension 2 being empty",
        () -> Functional.adaptiveAvgPool2d(z(1, 3, 0, 4), 3));
    // an empty batch is fine
    assertEquals(Shape.of(0, 3, 3, 3), Functional.maxPool2d(z(0, 3, 6, 6), 2).shape());
  }

  @Test
  void crossEntropyAndNll() {
    Tensor x = z(3, 10);
    fails(IndexOutOfBoundsException.class, "Target 10 is out of bounds.",
        () -> Functional.crossEntropy(x, idx(1, 2, 10)));
    fails(IndexOutOfBoundsException.class, "Target -5 is out of bounds.",
        () -> Functional.crossEntropy(x, idx(1, 2, -5)));
    fails(IndexOutOfBoundsException.class, "Target 10 is out of bounds.",
        () -> Functional.nllLoss(x, idx(1, 2, 10)));
    // an ignored target may be out of range
    assertEquals(Shape.of(), Functional.crossEntropy(x, idx(1, 2, 10), null, 10, Reduction.MEAN, 0).shape());
    fails("Expected input batch_size (3) to match target batch_size (2).",
        () -> Functional.crossEntropy(x, idx(1, 2)));
    fails("expected scalar type Long but found Float",
        () -> Functional.crossEntropy(x, Tensor.fromArray(new float[] {1, 2, 3}, 3)));
    fails("ignore_index is not supported for floating point target",
        () -> Functional.crossEntropy(x, z(3, 10), null, 1, Reduction.MEAN, 0));
    fails("weight tensor should be defined either for all 10 classes or no classes but got weight"
            + " tensor of shape: [5]",
        () -> Functional.crossEntropy(x, idx(1, 2, 3), z(5), -100, Reduction.MEAN, 0));
    fails("label_smoothing must be between 0.0 and 1.0. Got: 1.5",
        () -> Functional.crossEntropy(x, idx(1, 2, 3), null, -100, Reduction.MEAN, 1.5));
    fails("foo is not a valid value for reduction", () -> Reduction.fromString("foo"));
    fails("Expected target size [3, 2], got [3, 3]",
        () -> Functional.nllLoss(z(3, 10, 2), Tensor.zeros(Shape.of(3, 3), DType.INT64, Device.CPU)));
    fails("Expected 1 or more dimensions (got 0)",
        () -> Functional.nllLoss(Tensor.scalar(1.0), Tensor.scalar(1.0, DType.INT64)));
    fails("0D or 1D target tensor expected, multi-target not supported",
        () -> Functional.nllLoss(x, Tensor.zeros(Shape.of(3, 4), DType.INT64, Device.CPU)));
    fails("expected scalar type Double but found Float",
        () -> Functional.nllLoss(zd(3, 4), idx(1, 1, 1), z(4), -100, Reduction.MEAN));
  }

  @Test
  void normalisationDropoutEmbeddingAndOthers() {
    fails("running_mean should contain 4 elements not 5",
        () -> Functional.batchNorm(z(3, 4), z(5), z(5), null, null, false, 0.1, 1e-5));
    fails("Expected more than 1 value per channel when training, got input size"
            + " torch.Size([1, 4])",
        () -> Functional.batchNorm(z(1, 4), z(4), z(4), null, null, true, 0.1, 1e-5));
    fails("running_mean must be defined in evaluation mode",
        () -> Functional.batchNorm(z(3, 4), null, null, null, null, false, 0.1, 1e-5));
    fails("weight should contain 4 elements not 3",
        () -> Functional.batchNorm(z(3, 4, 5), z(4), z(4), z(3), null, false, 0.1, 1e-5));
    fails("Given normalized_shape=[5], expected input with shape [*, 5], but got input of"
            + " size[3, 4]",
        () -> Functional.layerNorm(z(3, 4), new long[] {5}));
    fails("Expected weight to be of same shape as normalized_shape, but got weight of shape [3]"
            + " and normalized_shape = [4]",
        () -> Functional.layerNorm(z(3, 4), new long[] {4}, z(3), null, 1e-5));
    fails("dropout probability has to be between 0 and 1, but got 1.5",
        () -> Functional.dropout(z(3), 1.5, true));
    fails(IndexOutOfBoundsException.class, "index out of range in self",
        () -> Functional.embedding(idx(5), z(5, 3)));
    fails(IndexOutOfBoundsException.class, "index out of range in self",
        () -> Functional.embedding(idx(-1), z(5, 3)));
    fails("Padding_idx must be within num_embeddings",
        () -> Functional.embedding(idx(1), z(5, 3), 5));
    fails("Padding_idx must be within num_embeddings",
        () -> Functional.embedding(idx(1), z(5, 3), -6));
    fails("'weight' must be 2-D", () -> Functional.embedding(idx(1), z(5)));
    fails("Expected tensor for argument #1 'indices' to have one of the following scalar types:"
            + " Long, Int; but got torch.FloatTensor instead (while checking arguments for"
            + " embedding)",
        () -> Functional.embedding(z(1), z(5, 3)));
    fails("Target size (torch.Size([4])) must be the same as input size (torch.Size([3]))",
        () -> Functional.binaryCrossEntropyWithLogits(z(3), z(4)));
    fails(IndexOutOfBoundsException.class,
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
        () -> Functional.softmax(z(2, 3), 2));
    fails("mat1 and mat2 shapes cannot be multiplied (3x4 and 3x5)",
        () -> Functional.linear(z(3, 4), z(5, 3)));
  }
}
