package dev.jnn.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.FusedOps;
import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The dropout generator: Random123's known answers, and the mask's definition and statistics. */
public class PhiloxTest {
  /** Random123 1.14 kat_vectors, "philox4x32 10" lines: counter (4 words), key (2), expected (4). */
  public static final int[][] KAT = {
    {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
    {-1, -1, -1, -1, -1, -1, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
    {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
  };

  @Test
  void knownAnswerVectors() {
    for (int[] v : KAT) {
      int[] c = {v[0], v[1], v[2], v[3]};
      Philox.philox4x32x10(c, v[4], v[5]);
      assertArrayEquals(new int[] {v[6], v[7], v[8], v[9]}, c);
    }
  }

  @Test
  void maskIsAPureFunctionOfSeedAndIndex() {
    double p = 0.3;
    float scale = (float) (1 / (1 - p));
    Tensor big = FusedOps.dropoutMask(Shape.of(100_003), DType.FLOAT32, Device.CPU, p, 1 / (1 - p), 42);
    Tensor small = FusedOps.dropoutMask(Shape.of(7, 3), DType.FLOAT32, Device.CPU, p, 1 / (1 - p), 42);
    float[] b = big.toFloatArray();
    float[] s = small.toFloatArray();
    for (int i = 0; i < s.length; i++) {
      assertEquals(b[i], s[i], "element " + i);
    }
    // element by element from the generator's definition
    int kept = 0;
    for (int i = 0; i < b.length; i++) {
      boolean keep = (Philox.keepBits(i / 4, 42, p) >> (i % 4) & 1) != 0;
      assertEquals(keep ? scale : 0f, b[i], "element " + i);
      kept += keep ? 1 : 0;
    }
    // keep probability 1 - p: 70001 +- 5 sigma (sigma = sqrt(n p (1-p)) = 145)
    assertEquals(0.7 * b.length, kept, 5 * 145.0);
    // float64 masks make the same decisions
    double[] d = FusedOps.dropoutMask(Shape.of(100_003), DType.FLOAT64, Device.CPU, p, 1 / (1 - p), 42)
        .toDoubleArray();
    for (int i = 0; i < d.length; i++) {
      assertEquals(b[i] != 0, d[i] != 0, "element " + i);
    }
    // another seed, another mask
    float[] o = FusedOps.dropoutMask(Shape.of(1000), DType.FLOAT32, Device.CPU, p, 1 / (1 - p), 43).toFloatArray();
    int same = 0;
    for (int i = 0; i < o.length; i++) {
      same += o[i] == b[i] ? 1 : 0;
    }
    assertNotEquals(1000, same);
    assertTrue(same > 450 && same < 720, "agreement of two seeds' masks: " + same + " / 1000");
  }

  @Test
  void extremeProbabilities() {
    float[] none = FusedOps.dropoutMask(Shape.of(999), DType.FLOAT32, Device.CPU, 0.0, 1.0, 7).toFloatArray();
    for (float v : none) {
      assertEquals(1f, v);
    }
    // u < 1 always, so p = 1 drops everything
    float[] all = FusedOps.dropoutMask(Shape.of(999), DType.FLOAT32, Device.CPU, 1.0, 0.0, 7).toFloatArray();
    for (float v : all) {
      assertEquals(0f, v);
    }
  }
}
