package dev.jnn.backend.cuda;

import static dev.jnn.backend.cuda.CudaParitySuite.GPU;
import static dev.jnn.backend.cuda.CudaParitySuite.close;
import static dev.jnn.backend.cuda.CudaParitySuite.parity;
import static dev.jnn.backend.cuda.CudaParitySuite.rnd;
import static dev.jnn.backend.cuda.CudaParitySuite.tolOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.AttentionOutput;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.MultiheadAttention;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Attention on the CUDA back end (issue 19), called from {@link CudaParitySuite#attention()} (so
 * on the emulated device in its three scheduling modes, and on a GPU under {@code -Pgpu}). The op
 * registry's samples of {@code scaled_dot_product_attention} and {@code
 * multi_head_attention_forward} already run in {@link CudaParitySuite#registryOps()}; this adds
 * what they do not cover: dropout (Philox masks, the same on every device for the same seed),
 * fully masked rows (the safe softmax's in-place zeroing on the device), and {@link
 * MultiheadAttention} with every option, forward and every gradient, in float32 and float64.
 */
final class AttentionParity {
  private AttentionParity() {}

  static void run() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      double tol = dt == DType.FLOAT64 ? CudaParitySuite.F64 : CudaParitySuite.F32;
      // dropout: a fresh generator of the same seed on each device gives the same mask
      parity("sdpa dropout " + dt, tol,
          in -> Functional.scaledDotProductAttention(in[0], in[1], in[2], in[3], 0.3, false, null,
              new Generator(5)),
          rnd(800, dt, 2, 2, 5, 4), rnd(801, dt, 2, 2, 6, 4), rnd(802, dt, 2, 2, 6, 3),
          rnd(803, dt, 5, 6));
      parity("sdpa causal dropout " + dt, tol,
          in -> Functional.scaledDotProductAttention(in[0], in[1], in[2], null, 0.5, true, 0.7,
              new Generator(6)),
          rnd(804, dt, 3, 6, 4), rnd(805, dt, 3, 4, 4), rnd(806, dt, 3, 4, 2));
      // a query row that may attend nothing: zeros, and no gradient through it
      boolean[] allowed = new boolean[4 * 5];
      java.util.Arrays.fill(allowed, true);
      java.util.Arrays.fill(allowed, 5, 10, false);
      Tensor mask = Tensor.fromArray(allowed, 4, 5);
      parity("sdpa fully masked row " + dt, tol,
          in -> Functional.scaledDotProductAttention(in[0], in[1], in[2], in[3]),
          new boolean[] {true, true, true, false},
          rnd(807, dt, 2, 4, 3), rnd(808, dt, 2, 5, 3), rnd(809, dt, 2, 5, 2), mask);

      mhaParity("mha " + dt, () -> MultiheadAttention.builder(8, 2).dtype(dt).build(),
          rnd(810, dt, 3, 2, 8), rnd(811, dt, 5, 2, 8), rnd(812, dt, 5, 2, 8),
          MultiheadAttention.ForwardOptions.defaults()
              .withKeyPaddingMask(kpm(2, 5))
              .withAttnMask(rnd(813, dt, 3, 5)));
      mhaParity("mha all options " + dt,
          () -> MultiheadAttention.builder(6, 3).addBiasKv(true).addZeroAttn(true).kdim(4).vdim(5)
              .batchFirst(true).dtype(dt).build(),
          rnd(814, dt, 2, 3, 6), rnd(815, dt, 2, 4, 4), rnd(816, dt, 2, 4, 5),
          MultiheadAttention.ForwardOptions.defaults()
              .withKeyPaddingMask(kpm(2, 4))
              .withAttnMask(rnd(817, dt, 3, 4).gt(1.0))
              .withAverageAttnWeights(false));
      mhaParity("mha unbatched no weights " + dt,
          () -> MultiheadAttention.builder(8, 4).bias(false).dtype(dt).build(),
          rnd(818, dt, 3, 8), rnd(819, dt, 4, 8), rnd(820, dt, 4, 8),
          MultiheadAttention.ForwardOptions.defaults().withNeedWeights(false));
      mhaParity("mha training dropout " + dt,
          () -> MultiheadAttention.builder(8, 2).dropout(0.4).dtype(dt).build(),
          rnd(821, dt, 3, 2, 8), rnd(822, dt, 5, 2, 8), rnd(823, dt, 5, 2, 8),
          MultiheadAttention.ForwardOptions.defaults());
    }
    mixedDevices();
  }

  /** Masks on another device than the query are refused, naming both devices and the op. */
  static void mixedDevices() {
    Tensor q = rnd(840, 2, 3, 4).to(GPU);
    Tensor cpuMask = Tensor.zeros(3, 3);
    assertEquals("Expected all tensors to be on the same device, but found at least two devices,"
            + " cuda:0 and cpu! (when checking argument for scaled_dot_product_attention)",
        assertThrows(IllegalArgumentException.class,
            () -> Functional.scaledDotProductAttention(q, q, q, cpuMask)).getMessage());
    MultiheadAttention m = new MultiheadAttention(4, 2);
    m.to(GPU);
    assertEquals("Expected all tensors to be on the same device, but found at least two devices,"
            + " cuda:0 and cpu! (when checking argument for multi_head_attention_forward)",
        assertThrows(IllegalArgumentException.class,
            () -> m.callOutput(q, q, q, MultiheadAttention.ForwardOptions.defaults()
                .withKeyPaddingMask(Tensor.zeros(3, 3).ne(0)))).getMessage());
  }

  /** A key padding mask hiding every other key but the first. */
  private static Tensor kpm(int n, int s) {
    boolean[] m = new boolean[n * s];
    for (int i = 0; i < m.length; i++) {
      m[i] = i % s != 0 && i % 2 == 1;
    }
    return Tensor.fromArray(m, n, s);
  }

  /**
   * The module on the CPU and, with the same weights, on the device: output, weights and the
   * gradients of query, key, value and every parameter. A module with dropout runs in training
   * with the default generator reseeded to the same seed before each pass, so both draw the same
   * Philox mask.
   */
  private static void mhaParity(String name, Supplier<MultiheadAttention> make, Tensor q,
      Tensor k, Tensor v, MultiheadAttention.ForwardOptions o) {
    MultiheadAttention cpu = make.get();
    MultiheadAttention gpu = make.get();
    gpu.loadStateDict(cpu.stateDict());
    gpu.to(GPU);
    boolean train = cpu.dropout() > 0;
    cpu.train(train);
    gpu.train(train);
    double tol = tolOf(q);
    Tensor[] inC = {q.detach().requiresGrad(true), k.detach().requiresGrad(true),
        v.detach().requiresGrad(true)};
    Tensor[] inG = {q.to(GPU).detach().requiresGrad(true), k.to(GPU).detach().requiresGrad(true),
        v.to(GPU).detach().requiresGrad(true)};
    MultiheadAttention.ForwardOptions og = MultiheadAttention.ForwardOptions.defaults()
        .withKeyPaddingMask(o.keyPaddingMask() == null ? null : o.keyPaddingMask().to(GPU))
        .withAttnMask(o.attnMask() == null ? null : o.attnMask().to(GPU))
        .withNeedWeights(o.needWeights())
        .withAverageAttnWeights(o.averageAttnWeights())
        .withIsCausal(o.isCausal());
    Generator.manualSeed(77);
    AttentionOutput oc = cpu.callOutput(inC[0], inC[1], inC[2], o);
    Generator.manualSeed(77);
    AttentionOutput ogp = gpu.callOutput(inG[0], inG[1], inG[2], og);
    assertEquals(GPU, ogp.output().device(), name + ": output device");
    close(name + " output", oc.output(), ogp.output().cpu(), tol);
    Tensor w = rnd(830, q.dtype(), oc.output().shape().dims());
    Tensor lossC = oc.output().mul(w).sum();
    Tensor lossG = ogp.output().mul(w.to(GPU)).sum();
    if (o.needWeights()) {
      assertNotNull(ogp.weights(), name + ": weights");
      close(name + " weights", oc.weights(), ogp.weights().cpu(), tol);
      Tensor ww = rnd(831, q.dtype(), oc.weights().shape().dims());
      lossC = lossC.add(oc.weights().mul(ww).sum());
      lossG = lossG.add(ogp.weights().mul(ww.to(GPU)).sum());
    } else {
      assertNull(ogp.weights(), name + ": no weights");
    }
    lossC.backward();
    lossG.backward();
    for (int i = 0; i < 3; i++) {
      close(name + " grad of input " + i, inC[i].grad(), inG[i].grad().cpu(), tol);
    }
    Map<String, Parameter> pc = cpu.namedParameters();
    Map<String, Parameter> pg = gpu.namedParameters();
    assertEquals(pc.keySet(), pg.keySet());
    for (String key : pc.keySet()) {
      assertEquals(GPU, pg.get(key).grad().device(), name + " " + key + " grad device");
      close(name + " grad of " + key, pc.get(key).grad(), pg.get(key).grad().cpu(), tol);
    }
    assertEquals(Shape.of(oc.output().shape().dims()), ogp.output().shape());
  }
}
