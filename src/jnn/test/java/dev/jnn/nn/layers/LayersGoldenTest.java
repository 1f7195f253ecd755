package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.LoadResult;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.StateDict;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The layers against PyTorch 1.13 ({@code scripts/golden/layers.py}): repr text byte for byte,
 * state-dict keys, dtypes and version, forward and backward on fixed weights, batch-norm running
 * statistics over several steps, version-1 batch-norm checkpoints, and error messages.
 */
class LayersGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("layers.txt");
  static final Set<String> LOSS_PREFIXES = Set.of("ce", "nll", "mse", "l1", "bce");

  static boolean isLoss(String id) {
    return LOSS_PREFIXES.contains(id.split("_")[0]);
  }

  /** "key [d0, d1] dtype" lines, as the script writes them. */
  static String keysText(Module m) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
      lines.add(e.getKey() + " " + e.getValue().shape() + " " + e.getValue().dtype().torchName());
    }
    return String.join("\n", lines);
  }

  static String message(Executable e) {
    return assertThrows(RuntimeException.class, e).getMessage();
  }

  @TestFactory
  Stream<DynamicTest> reprMatchesPyTorch() {
    return LayerZoo.ZOO.keySet().stream()
        .filter(id -> !isLoss(id))
        .map(
            id ->
                DynamicTest.dynamicTest(
                    id,
                    () ->
                        assertEquals(G.get("repr").text(id), LayerZoo.create(id).toString(), id)));
  }

  @TestFactory
  Stream<DynamicTest> stateDictKeysMatchPyTorch() {
    return LayerZoo.ZOO.keySet().stream()
        .filter(id -> !isLoss(id))
        .map(
            id ->
                DynamicTest.dynamicTest(
                    id,
                    () -> {
                      Module m = LayerZoo.create(id);
                      assertEquals(G.get("keys").text(id), keysText(m), id);
                      StateDict sd = m.stateDict();
                      assertEquals(
                          G.get("keys").intAttr("version_" + id),
                          sd.metadata().get("").get("version"),
                          id);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> forwardBackwardMatchPyTorch() {
    return G.values().stream()
        .filter(c -> c.name().startsWith("fb_") && !isLoss(c.attr("module")))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> LayerZoo.checkForwardBackward(c)));
  }

  @TestFactory
  Stream<DynamicTest> batchNormRunningStatisticsOverSteps() {
    return G.values().stream()
        .filter(c -> c.name().startsWith("bn_steps_"))
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      String id = c.name().substring("bn_steps_".length());
                      BatchNormBase m = (BatchNormBase) LayerZoo.create(id);
                      Map<String, Tensor> sd = new LinkedHashMap<>();
                      c.tensors()
                          .forEach(
                              (k, v) -> {
                                if (k.startsWith("sd.")) {
                                  sd.put(k.substring(3), v);
                                }
                              });
                      m.loadStateDict(sd);
                      m.train();
                      for (int i = 0; i < c.intAttr("steps"); i++) {
                        Tensor y = m.call(c.tensor("x" + i));
                        assertTensorClose(c.tensor("y" + i), y, c.name() + " y" + i);
                        if (c.has("running_mean" + i)) {
                          assertTensorClose(
                              c.tensor("running_mean" + i),
                              m.runningMean(),
                              c.name() + " mean" + i);
                          assertTensorClose(
                              c.tensor("running_var" + i), m.runningVar(), c.name() + " var" + i);
                          assertEquals(
                              c.tensor("num_batches_tracked" + i).itemLong(),
                              m.numBatchesTracked().itemLong());
                          assertEquals(DType.INT64, m.numBatchesTracked().dtype());
                        }
                      }
                      m.eval();
                      assertTensorClose(
                          c.tensor("y_eval"), m.call(c.tensor("x_eval")), c.name() + " eval");
                    }));
  }

  static BatchNorm2d trainedBn() {
    BatchNorm2d m = new BatchNorm2d(3);
    for (int i = 0; i < 3; i++) {
      m.call(Tensor.randn(4, 3, 2, 2));
    }
    assertEquals(3, m.numBatchesTracked().itemLong());
    return m;
  }

  @Test
  void versionOneBatchNormCheckpointLoadsUnderStrict() {
    Golden.Case c = G.get("bn_load");
    StateDict v1 = new StateDict();
    c.tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith("sd.")) {
                v1.put(k.substring(3), v);
              }
            });
    assertEquals(
        List.of("weight", "bias", "running_mean", "running_var"), List.copyOf(v1.keySet()));
    v1.metadata().put("", new LinkedHashMap<>(Map.of("version", 1)));

    BatchNorm2d m1 = trainedBn();
    LoadResult r1 = m1.loadStateDict(v1, true);
    assertEquals(
        c.text("missing_v1"),
        String.join(",", r1.missingKeys()) + "|" + String.join(",", r1.unexpectedKeys()));
    assertEquals(c.tensor("nbt_v1").itemLong(), m1.numBatchesTracked().itemLong()); // 0, as in 1.13
    assertEquals(DType.INT64, m1.numBatchesTracked().dtype());
    assertTensorClose(c.tensor("running_mean_v1"), m1.runningMean(), "running_mean");

    // a plain map has no metadata: version None, also upgraded
    BatchNorm2d m2 = trainedBn();
    LoadResult r2 = m2.loadStateDict(new LinkedHashMap<>(v1), true);
    assertEquals(
        c.text("missing_plain"),
        String.join(",", r2.missingKeys()) + "|" + String.join(",", r2.unexpectedKeys()));
    assertEquals(c.tensor("nbt_plain").itemLong(), m2.numBatchesTracked().itemLong());

    // nested: the version is looked up under the child's prefix
    Sequential seq = new Sequential(trainedBn());
    StateDict seqV1 = new StateDict();
    v1.forEach((k, v) -> seqV1.put("0." + k, v));
    seqV1.metadata().put("", new LinkedHashMap<>(Map.of("version", 1)));
    seqV1.metadata().put("0", new LinkedHashMap<>(Map.of("version", 1)));
    seq.loadStateDict(seqV1);
    assertEquals(
        c.tensor("nbt_seq_v1").itemLong(),
        ((BatchNorm2d) seq.getSubmodule("0")).numBatchesTracked().itemLong());
  }

  @Test
  void versionTwoCheckpointWithoutCountIsRejected() {
    Golden.Case c = G.get("bn_load");
    BatchNorm2d src = new BatchNorm2d(3);
    StateDict v2 = src.stateDict();
    v2.remove("num_batches_tracked");
    BatchNorm2d m = trainedBn();
    Tensor before = m.runningMean().clone();
    assertEquals(c.text("err_v2_missing"), message(() -> m.loadStateDict(v2)));
    assertTensorClose(before, m.runningMean(), "nothing loaded");
    assertEquals(3, m.numBatchesTracked().itemLong());

    Sequential seq = new Sequential(new BatchNorm2d(3));
    StateDict seqSd = seq.stateDict();
    seqSd.remove("0.num_batches_tracked");
    assertEquals(
        c.text("err_seq_v2_missing"),
        message(() -> new Sequential(new BatchNorm2d(3)).loadStateDict(seqSd)));
  }

  @Test
  void errorMessagesMatchPyTorch() {
    Golden.Case c = G.get("errors");
    assertEquals(
        c.text("conv_channels"),
        message(() -> new Conv2d(1, 20, 5).call(Tensor.zeros(2, 3, 28, 28))));
    assertEquals(
        c.text("conv_rank"), message(() -> new Conv2d(1, 20, 5).call(Tensor.zeros(28, 28))));
    assertEquals(
        c.text("conv_small"), message(() -> new Conv2d(1, 1, 5).call(Tensor.zeros(1, 1, 3, 3))));
    assertEquals(
        c.text("conv_in_groups"), message(() -> Conv2d.builder(3, 4, 3).groups(2).build()));
    assertEquals(
        c.text("conv_out_groups"), message(() -> Conv2d.builder(4, 3, 3).groups(2).build()));
    assertEquals(c.text("conv_groups0"), message(() -> Conv2d.builder(4, 4, 3).groups(0).build()));
    assertEquals(
        c.text("conv_same_stride"),
        message(() -> Conv2d.builder(1, 1, 3).stride(2).padding("same").build()));
    assertEquals(
        c.text("conv_reflect_big"),
        message(
            () ->
                Conv2d.builder(1, 1, 3)
                    .padding(3)
                    .paddingMode("reflect")
                    .build()
                    .call(Tensor.zeros(1, 1, 3, 3))));
    assertEquals(c.text("linear_2d"), message(() -> new Linear(5, 2).call(Tensor.zeros(3, 4))));
    assertEquals(c.text("linear_1d"), message(() -> new Linear(5, 2).call(Tensor.zeros(4))));
    assertEquals(c.text("linear_3d"), message(() -> new Linear(5, 2).call(Tensor.zeros(2, 3, 4))));
    assertEquals(
        c.text("bn2d_rank"), message(() -> new BatchNorm2d(3).call(Tensor.zeros(2, 3, 4))));
    assertEquals(
        c.text("bn1d_rank"), message(() -> new BatchNorm1d(3).call(Tensor.zeros(2, 3, 4, 4))));
    assertEquals(
        c.text("bn_channels"), message(() -> new BatchNorm2d(3).call(Tensor.zeros(2, 4, 4, 4))));
    assertEquals(c.text("bn_single"), message(() -> new BatchNorm1d(3).call(Tensor.zeros(1, 3))));
    assertEquals(c.text("ln_shape"), message(() -> new LayerNorm(4).call(Tensor.zeros(2, 3))));
    assertEquals(c.text("dropout_p"), message(() -> new Dropout(1.5)));
    assertEquals(c.text("pool_rank"), message(() -> new MaxPool2d(2).call(Tensor.zeros(4, 4))));
    // PyTorch 1.13 fails avg_pool2d on 2-D input with an internal "Dimension out of range" error
    // (c.text("avgpool_rank")); Functional gives the max_pool2d message instead
    assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2).call(Tensor.zeros(4, 4)));
    assertEquals(c.text("emb_pad"), message(() -> Embedding.builder(3, 2).paddingIdx(3).build()));
    assertEquals(
        c.text("emb_range"),
        message(() -> new Embedding(3, 2).call(Tensor.fromArray(new long[] {3}))));
    assertEquals(c.text("gelu_approx"), message(() -> new GELU("foo")));
  }

  /** Issue 19 part 3's layers: PyTorch's messages, and nothing changed by a refused call. */
  @Test
  void transformerPiecesErrorMessagesMatchPyTorch() {
    Golden.Case c = G.get("errors_transformer");
    assertEquals(
        c.text("ln_nobias_shape"),
        message(() -> LayerNorm.builder(4).bias(false).build().call(Tensor.zeros(2, 3))));
    assertEquals(c.text("rms_shape"), message(() -> new RMSNorm(4).call(Tensor.zeros(2, 3))));
    assertEquals(
        c.text("rms_weight"),
        message(
            () ->
                dev.jnn.nn.functional.Functional.rmsNorm(
                    Tensor.zeros(2, 3), new long[] {3}, Tensor.ones(4), null)));
    assertEquals(
        c.text("dropout1d_rank"), message(() -> new Dropout1d().call(Tensor.zeros(2, 3, 4, 5))));
    assertEquals(c.text("dropout1d_p"), message(() -> new Dropout1d(1.5)));
    assertEquals(c.text("dropout3d_p"), message(() -> new Dropout3d(-0.1)));
    assertEquals(c.text("dropout2d_rank1"), message(() -> new Dropout2d().call(Tensor.zeros(3))));
    Tensor leaf = Tensor.zeros(2, 3, 2, 2).requiresGrad(true);
    assertTrue(
        message(() -> new Dropout2d(0.5, true).call(leaf))
            .startsWith(c.text("dropout2d_inplace_leaf")));
    Tensor leaf2 = Tensor.zeros(3, 4).requiresGrad(true);
    Dropout1d evalInPlace = new Dropout1d(0.5, true);
    evalInPlace.eval();
    assertTrue(
        message(() -> evalInPlace.call(leaf2)).startsWith(c.text("dropout1d_inplace_leaf_eval")));
    assertEquals(
        c.text("dropout_int"),
        message(() -> new Dropout2d().call(Tensor.zeros(Shape.of(2, 3, 2), DType.INT64,
            dev.jnn.core.Device.CPU))));
    assertEquals(
        c.text("emb_pretrained_1d"), message(() -> Embedding.fromPretrained(Tensor.zeros(4))));
    assertEquals(
        c.text("emb_pad_negative"), message(() -> Embedding.builder(3, 2).paddingIdx(-4).build()));
    // PyTorch renormalises row 1 before it fails on 6; jnn checks every index first
    Embedding capped = Embedding.builder(5, 3).maxNorm(1.0).build();
    Tensor before = capped.weight().clone();
    int version = capped.weight().version();
    assertEquals(
        c.text("emb_maxnorm_range"),
        message(() -> capped.call(Tensor.fromArray(new long[] {1, 7, 6}))));
    assertEquals(
        c.text("emb_maxnorm_negative"),
        message(() -> capped.call(Tensor.fromArray(new long[] {-1, 2}))));
    assertTensorClose(before, capped.weight(), "weight unchanged by the refused calls");
    assertEquals(version, capped.weight().version(), "version unchanged by the refused calls");
  }

  @Test
  void issueThreeModelMatchesPyTorch() {
    LayerZoo.Model m = new LayerZoo.Model();
    assertEquals(G.get("repr").text("model"), m.toString());
    int i = 0;
    try (var g = dev.jnn.autograd.NoGrad.enter()) {
      for (Tensor p : m.parameters()) {
        double[] v = new double[(int) p.numel()];
        for (int k = 0; k < v.length; k++) {
          v[k] = 0.1 * Math.sin(0.7 * k + i);
        }
        p.copyFrom(Tensor.fromArray(v, p.shape().dims()));
        i++;
      }
    }
    Golden.Case c = G.get("model_fb");
    Tensor x = c.tensor("x").clone().detach().requiresGrad(true);
    Tensor y = m.call(x);
    assertTensorClose(c.tensor("y"), y, "y");
    y.backward(c.tensor("gy"));
    assertTensorClose(c.tensor("gx"), x.grad(), "gx");
    for (String n : List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias")) {
      assertTensorClose(c.tensor("g." + n), m.getParameter(n).grad(), n);
    }
  }
}
