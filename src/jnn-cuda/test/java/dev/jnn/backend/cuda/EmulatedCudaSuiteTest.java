package dev.jnn.backend.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.jnn.nn.Parameter;
import dev.jnn.optim.Optimizer;

/**
 * {@link CudaParitySuite} on the CPU emulation of the CUDA kernels (runs in every build; skipped
 * only where g++ or the JDK headers are missing), once per emulator mode: random order (this
 * class), eager ({@link EmulatedCudaEagerSuiteTest}) and lazy ({@link EmulatedCudaLazySuiteTest}) execution of queued work. After every test
 * the stream racecheck must have found nothing.
 */
class EmulatedCudaSuiteTest extends CudaParitySuite {
  private static int racesBefore;

  @BeforeAll
  static void install() {
    EmulatedCuda.install();
    EmulatedCuda.api().setMode(EmuDeviceApi.Mode.RANDOM, 1);
  }

  @AfterAll
  static void uninstall() throws InterruptedException {
    try {
      assertNoTensorMemoryLeft();
    } finally {
      EmulatedCuda.api().setMode(EmuDeviceApi.Mode.RANDOM, 1);
      EmulatedCuda.uninstall();
    }
  }

  @BeforeEach
  void countRaces() {
    racesBefore = EmulatedCuda.api().races().size();
  }

  @AfterEach
  void noStreamRaces() {
    EmulatedCuda.api().drain();
    java.util.List<String> r = EmulatedCuda.api().races();
    assertEquals(java.util.List.of(), r.subList(racesBefore, r.size()),
        "stream races in " + EmulatedCuda.api().modeText() + " mode");
  }

  @Override
  EmuDnn emulatedDnn() {
    return (EmuDnn) EmulatedCuda.backend().rt.dnn;
  }

  @Override
  EmuBlas emulatedBlas() {
    return (EmuBlas) EmulatedCuda.backend().rt.blas;
  }

  /** Launches on the emulated device while {@code r} runs. */
  static long launches(Runnable r) {
    long before = EmulatedCuda.api().launches;
    r.run();
    return EmulatedCuda.api().launches - before;
  }

  /**
   * A fused LSTM or GRU cell step is one kernel forward and one backward (the gradients of the
   * gates and the state in one pass), as PyTorch's {@code _thnn_fused_lstm_cell}.
   */
  @Test
  void fusedRecurrentCellsAreSingleKernels() {
    for (boolean lstm : new boolean[] {true, false}) {
      int gates = lstm ? 4 : 3;
      dev.jnn.tensor.Tensor ig = rnd(930, 4, gates * 16L).to(GPU).requiresGrad(true);
      dev.jnn.tensor.Tensor hg = rnd(931, 4, gates * 16L).to(GPU).requiresGrad(true);
      dev.jnn.tensor.Tensor state = rnd(932, 4, 16).to(GPU).requiresGrad(true);
      dev.jnn.tensor.Tensor[] out = new dev.jnn.tensor.Tensor[1];
      assertEquals(1, launches(() -> out[0] = lstm
          ? dev.jnn.tensor.RnnOps.lstmCell(ig, hg, state, null, null)[0]
          : dev.jnn.tensor.RnnOps.gruCell(ig, hg, state, null, null)), "forward kernels");
      dev.jnn.tensor.Tensor seed = rnd(933, 4, 16).to(GPU);
      dev.jnn.autograd.Node node = out[0].gradFn();
      // the node's own backward: the fused kernel only (cy's zero gradient is the engine's)
      dev.jnn.tensor.Tensor[] g = lstm
          ? new dev.jnn.tensor.Tensor[] {seed, dev.jnn.tensor.Tensor.zeros(
              dev.jnn.core.Shape.of(4, 16), dev.jnn.core.DType.FLOAT32, GPU)}
          : new dev.jnn.tensor.Tensor[] {seed};
      assertEquals(1, launches(() -> node.apply(g)), "backward kernels");
    }
  }

  /**
   * The device work of an LSTM layer per time step (docs/GPU-STACK.md, "Recurrent layers on
   * CUDA"): kernel launches and cuBLAS GEMMs of a forward with autograd and of its backward, for
   * sequences of two lengths so that the per-layer constant cancels. Pins the structure (one
   * fused kernel per step each way, one GEMM per step each way since the LSTM layer op), not a
   * speed.
   */
  @Test
  void recurrentLayerDeviceWorkPerStep() {
    long[][] perLength = new long[2][];
    int[] lengths = {4, 8};
    for (int li = 0; li < 2; li++) {
      dev.jnn.nn.layers.LSTM lstm = dev.jnn.nn.layers.LSTM.builder(8, 16).build();
      lstm.to(GPU);
      dev.jnn.tensor.Tensor x = rnd(940, lengths[li], 4, 8).to(GPU).requiresGrad(true);
      long g0 = emulatedBlas().gemms;
      dev.jnn.tensor.Tensor[] y = new dev.jnn.tensor.Tensor[1];
      long fwdLaunches = launches(() -> y[0] = lstm.callOutput(x).output().sum());
      long fwdGemms = emulatedBlas().gemms - g0;
      long g1 = emulatedBlas().gemms;
      long bwdLaunches = launches(() -> y[0].backward());
      long bwdGemms = emulatedBlas().gemms - g1;
      perLength[li] = new long[] {fwdLaunches, fwdGemms, bwdLaunches, bwdGemms};
    }
    int dt = lengths[1] - lengths[0];
    long[] perStep = new long[4];
    for (int i = 0; i < 4; i++) {
      long d = perLength[1][i] - perLength[0][i];
      assertEquals(0, d % dt, "work per step is not constant: " + java.util.Arrays.toString(
          perLength[0]) + " for " + lengths[0] + " steps, " + java.util.Arrays.toString(
          perLength[1]) + " for " + lengths[1]);
      perStep[i] = d / dt;
    }
    System.out.println("LSTM on the emulated device, per step: forward " + perStep[0]
        + " kernels + " + perStep[1] + " GEMMs, backward " + perStep[2] + " kernels + "
        + perStep[3] + " GEMMs");
    // forward (RnnLayerOps: one op per layer and direction): the fused cell (b_hh goes into it,
    // the step's h into the sequence buffer is a device copy, not a kernel); one GEMM (h W_hh^T)
    assertEquals(1, perStep[0], "forward kernels per step");
    assertEquals(1, perStep[1], "forward GEMMs per step");
    // backward: one GEMM per step (dgates W_hh); W_hh's gradient is one GEMM per sequence
    assertEquals(1, perStep[3], "backward GEMMs per step");
    assertTrue(perStep[2] <= 6, "backward kernels per step: " + perStep[2]);
  }

  @Test
  void optimizerStepsAndDropoutMasksAreSingleKernels() {
    for (var e : UPDATES.entrySet()) {
      Parameter p = new Parameter(rnd(910, 64, 3).to(GPU));
      Optimizer opt = e.getValue().apply(java.util.List.of(p));
      for (int s = 0; s < 2; s++) {
        p.setGrad(rnd(911 + s, 64, 3).to(GPU));
        assertEquals(1, launches(opt::step), e.getKey() + " step " + s + ": kernels per parameter");
      }
    }
    assertEquals(1, launches(() -> dev.jnn.tensor.FusedOps.dropoutMask(
        dev.jnn.core.Shape.of(1000), dev.jnn.core.DType.FLOAT32, GPU, 0.5, 2, 1)));
  }
}
