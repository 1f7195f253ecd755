package dev.jnn.backend.cuda;

import static dev.jnn.backend.cuda.CudaParitySuite.GPU;
import static dev.jnn.backend.cuda.CudaParitySuite.close;
import static dev.jnn.backend.cuda.CudaParitySuite.rnd;
import static dev.jnn.backend.cuda.CudaParitySuite.tolOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.core.DType;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.layers.LayerNorm;
import dev.jnn.nn.layers.Transformer;
import dev.jnn.nn.layers.TransformerDecoderLayer;
import dev.jnn.nn.layers.TransformerEncoder;
import dev.jnn.nn.layers.TransformerEncoderLayer;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Transformer layers on the CUDA back end (issue 19), called from {@link
 * CudaParitySuite#transformerLayers()} (the emulated device in its three scheduling modes, a GPU
 * under {@code -Pgpu}): forward and the gradients of every input and parameter against the CPU,
 * in float32 and float64, with bool and float masks, post- and pre-norm, and training dropout
 * (the default generator reseeded before each pass, so both devices draw the same masks).
 */
final class TransformerParity {
  private TransformerParity() {}

  static void run() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      Tensor kpm = Tensor.fromArray(new boolean[] {false, false, false, false, false,
          false, false, false, true, true}, 2, 5);
      Map<String, Object> encMasks = new LinkedHashMap<>();
      encMasks.put("mask", Transformer.generateSquareSubsequentMask(5, dev.jnn.core.Device.CPU, dt));
      encMasks.put("src_key_padding_mask", kpm);
      parity("encoder " + dt,
          () -> new TransformerEncoder(TransformerEncoderLayer.builder(8, 2).dimFeedforward(16)
              .dropout(0.0).activation("gelu").dtype(dt).build(), 2,
              LayerNorm.builder(8).dtype(dt).build()),
          List.of(rnd(900, dt, 5, 2, 8)), encMasks, false);
      Map<String, Object> decMasks = new LinkedHashMap<>();
      decMasks.put("tgt_mask", Transformer.generateSquareSubsequentMask(4, dev.jnn.core.Device.CPU, dt));
      decMasks.put("memory_key_padding_mask", kpm);
      parity("decoder layer norm_first " + dt,
          () -> TransformerDecoderLayer.builder(8, 2).dimFeedforward(16).dropout(0.0)
              .batchFirst(true).normFirst(true).dtype(dt).build(),
          List.of(rnd(901, dt, 2, 4, 8), rnd(902, dt, 2, 5, 8)), decMasks, false);
      parity("transformer training dropout " + dt,
          () -> Transformer.builder().dModel(8).nhead(2).numEncoderLayers(1).numDecoderLayers(1)
              .dimFeedforward(16).dropout(0.2).dtype(dt).build(),
          List.of(rnd(903, dt, 5, 2, 8), rnd(904, dt, 4, 2, 8)), Map.of(), true);
    }
  }

  private static Map<String, Object> toGpu(Map<String, Object> kwargs) {
    Map<String, Object> m = new LinkedHashMap<>();
    kwargs.forEach((k, v) -> m.put(k, v instanceof Tensor t ? t.to(GPU) : v));
    return m;
  }

  private static void parity(String name, Supplier<Module> make, List<Tensor> inputs,
      Map<String, Object> kwargs, boolean train) {
    Module cpu = make.get();
    Module gpu = make.get();
    gpu.loadStateDict(cpu.stateDict());
    gpu.to(GPU);
    cpu.train(train);
    gpu.train(train);
    double tol = tolOf(inputs.get(0));
    List<Tensor> inC = new ArrayList<>();
    List<Tensor> inG = new ArrayList<>();
    for (Tensor t : inputs) {
      inC.add(t.detach().requiresGrad(true));
      inG.add(t.to(GPU).detach().requiresGrad(true));
    }
    Generator.manualSeed(91);
    Tensor yc = cpu.call(inC, kwargs);
    Generator.manualSeed(91);
    Tensor yg = gpu.call(inG, toGpu(kwargs));
    assertEquals(GPU, yg.device(), name + ": output device");
    close(name + " output", yc, yg.cpu(), tol);
    Tensor w = rnd(905, yc.dtype(), yc.shape().dims());
    yc.mul(w).sum().backward();
    yg.mul(w.to(GPU)).sum().backward();
    for (int i = 0; i < inC.size(); i++) {
      close(name + " grad of input " + i, inC.get(i).grad(), inG.get(i).grad().cpu(), tol);
    }
    Map<String, Parameter> pc = cpu.namedParameters();
    Map<String, Parameter> pg = gpu.namedParameters();
    assertEquals(pc.keySet(), pg.keySet());
    for (String k : pc.keySet()) {
      assertEquals(GPU, pg.get(k).grad().device(), name + " " + k + " grad device");
      close(name + " grad of " + k, pc.get(k).grad(), pg.get(k).grad().cpu(), tol);
    }
  }
}
