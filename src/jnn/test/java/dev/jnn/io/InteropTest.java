package dev.jnn.io;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.examples.FashionMnistNet;
import dev.jnn.nn.Module;
import dev.jnn.nn.StateDict;
import dev.jnn.nn.functional.Functional;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch-produced checkpoints (scripts/golden/interop.py, torch 1.13) load strictly into the jnn
 * twins of the models and reproduce PyTorch's outputs; jnn-written checkpoints load back. With
 * {@code -Djnn.interop.out=DIR} the jnn-written files are kept in DIR for {@code interop.py
 * --verify DIR}.
 */
class InteropTest {
  private static final Map<String, Golden.Case> G = Golden.loadByName("interop.txt");
  private static final double RTOL = 1e-5;
  private static final double ATOL = 1e-6;

  @TempDir static Path tmp;
  private static Path out;

  @BeforeAll
  static void outDir() throws IOException {
    String dir = System.getProperty("jnn.interop.out");
    out = dir == null || dir.isBlank() ? tmp : Files.createDirectories(Path.of(dir));
  }

  static Path resource(String name) {
    try {
      return Path.of(InteropTest.class.getResource("/interop/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException(
          "missing test resource /interop/" + name + " (run scripts/golden/interop.py)", e);
    }
  }

  private static Tensor run(Module m, Tensor x) {
    m.eval();
    try (NoGrad g = NoGrad.enter()) {
      return m.call(x);
    }
  }

  private static void assertOutput(String name, Module m, String what) {
    Golden.Case c = G.get(name);
    assertTensorClose(c.tensor("output"), run(m, c.tensor("input")), RTOL, ATOL, name + " " + what);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lenet", "resnet", "fashion_net", "tied"})
  void torchSaveStateDictLoadsStrictAndMatchesPyTorch(String name) throws IOException {
    StateDict sd = TorchCheckpoint.loadStateDict(resource(name + ".pt"));
    assertEquals(
        List.of(G.get(name).attr("keys").split(" ")),
        new ArrayList<>(sd.keySet()),
        "PyTorch's key order");
    assertTrue(sd.metadata().containsKey(""), "the _metadata (module versions) came along");
    Module m = InteropModels.create(name);
    var result = m.loadStateDict(sd, true);
    assertTrue(result.missingKeys().isEmpty() && result.unexpectedKeys().isEmpty());
    assertOutput(name, m, "from .pt");

    // jnn writes it back (with the interop script's --verify in mind) and reads its own file
    Checkpoints.save(m, null, Map.of("source", name + ".pt"), out.resolve(name + ".safetensors"));
    Tensor x = G.get(name).tensor("input");
    Map<String, Tensor> io = new LinkedHashMap<>();
    io.put("input", x);
    io.put("output", run(m, x));
    SafeTensors.save(io, out.resolve(name + ".io.safetensors"));
    Module again = InteropModels.create(name);
    Map<String, String> meta = Checkpoints.load(again, out.resolve(name + ".safetensors"));
    assertEquals(name + ".pt", meta.get("source"));
    assertEquals(
        new ArrayList<>(m.stateDict().keySet()),
        SafeTensors.open(out.resolve(name + ".safetensors")).keys());
    assertOutput(name, again, "after a jnn save/load round trip");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lenet", "resnet", "fashion_net"})
  void pytorchSafetensorsLoadStrictAndMatch(String name) throws IOException {
    Map<String, Tensor> sd = SafeTensors.load(resource(name + ".safetensors"));
    assertEquals(
        new HashSet<>(List.of(G.get(name).attr("keys").split(" "))),
        sd.keySet(),
        "same keys as the state dict");
    Module m = InteropModels.create(name);
    m.loadStateDict(sd, true);
    assertOutput(name, m, "from .safetensors");
    assertEquals("pt", SafeTensors.readMetadata(resource(name + ".safetensors")).get("format"));

    Module viaCheckpoints = InteropModels.create(name);
    Checkpoints.load(viaCheckpoints, resource(name + ".safetensors"));
    assertOutput(name, viaCheckpoints, "Checkpoints.load(.safetensors)");
    Module viaPt = InteropModels.create(name);
    Checkpoints.load(viaPt, resource(name + ".pt"));
    assertOutput(name, viaPt, "Checkpoints.load(.pt)");
  }

  @Test
  void numBatchesTrackedArrivesAsInt64() throws IOException {
    for (Map<String, Tensor> sd :
        List.of(
            TorchCheckpoint.loadStateDict(resource("resnet.pt")),
            SafeTensors.load(resource("resnet.safetensors")))) {
      Tensor nbt = sd.get("layer2.downsample.1.num_batches_tracked");
      assertEquals(DType.INT64, nbt.dtype());
      assertEquals(0, nbt.dim());
      assertEquals(3L, nbt.itemLong(), "three training-mode forwards in the fixture");
      assertFalse(sd.get("bn1.running_var").toDoubleArray()[0] == 1.0, "running stats moved");
    }
    InteropModels.ResNet m = new InteropModels.ResNet();
    m.loadStateDict(TorchCheckpoint.loadStateDict(resource("resnet.pt")), true);
    assertEquals(DType.INT64, m.bn1.numBatchesTracked().dtype());
    assertEquals(3L, m.bn1.numBatchesTracked().itemLong());
  }

  @Test
  void tiedAndNonContiguousStoragesLoadRight() throws IOException {
    StateDict sd = TorchCheckpoint.loadStateDict(resource("tied.pt"));
    // fc1.weight is a transposed view, fc2.weight the same storage; biases are two halves of one
    assertArrayEquals(sd.get("fc1.weight").toFloatArray(), sd.get("fc2.weight").toFloatArray());
    assertTrue(sd.get("fc1.weight").isContiguous());
    assertEquals(4, sd.get("fc2.bias").numel());
  }

  @ParameterizedTest
  @ValueSource(strings = {"views.pt", "views_p4.pt"})
  void viewsAndDtypesMatchPyTorch(String file) throws IOException {
    Checkpoint c = TorchCheckpoint.load(resource(file));
    Map<String, Tensor> expected = G.get("views").tensors();
    assertEquals(new ArrayList<>(expected.keySet()), c.keys(), "dict order");
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      Tensor t = (Tensor) c.get(e.getKey());
      assertEquals(e.getValue().dtype(), t.dtype(), e.getKey());
      assertEquals(e.getValue().shape(), t.shape(), e.getKey());
      assertTensorClose(e.getValue(), t, 0, 0, file + " " + e.getKey());
    }
    assertTrue(c.isStateDict());
  }

  @Test
  void pytorchSafetensorsOfEveryDtype() throws IOException {
    Golden.Case g = G.get("dtypes");
    try (SafeTensorsFile f = SafeTensors.open(resource("dtypes.safetensors"))) {
      assertEquals(
          List.of(g.attr("order").split(" ")), f.keys(), "header order (the reference writer's)");
      assertEquals("scripts/golden/interop.py", f.metadata().get("source"));
      assertEquals("F16", f.info("f16").dtype());
      for (String k : f.keys()) {
        Tensor t = f.tensor(k);
        assertEquals(g.tensor(k).dtype(), t.dtype(), k);
        assertTensorClose(g.tensor(k), t, 0, 0, "dtypes " + k);
      }
    }
  }

  @Test
  void wrappedCheckpointExposesNestedMapsAndPlainValues() throws IOException {
    Checkpoint c = TorchCheckpoint.load(resource("wrapped.pt"));
    assertEquals(
        List.of(
            "model",
            "optimizer",
            "epoch",
            "best_acc",
            "name",
            "history",
            "flags",
            "big",
            "neg",
            "raw"),
        c.keys());
    assertFalse(c.isStateDict());
    assertEquals(3L, c.getLong("epoch"));
    assertEquals(0.875, c.getDouble("best_acc"));
    assertEquals("run-1", c.getString("name"));
    assertEquals(List.of(1.5, 0.75), c.get("history"));
    assertEquals(Arrays.asList(true, false, null), c.get("flags"));
    assertEquals(BigInteger.ONE.shiftLeft(70), c.get("big"));
    assertEquals(-5L, c.getLong("neg"));
    assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, (byte[]) c.get("raw"));
    assertThrows(IllegalStateException.class, () -> c.getLong("name"));
    assertThrows(IllegalStateException.class, () -> c.get("nope"));
    assertEquals(
        List.of(G.get("fashion_net").attr("keys").split(" ")),
        new ArrayList<>(c.stateDict().keySet()));
    Map<String, Object> opt = c.map("optimizer");
    List<?> groups = (List<?>) opt.get("param_groups");
    Map<?, ?> g0 = (Map<?, ?>) groups.get(0);
    assertEquals(0.05, g0.get("lr"));
    assertEquals(0.9, g0.get("momentum"));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), g0.get("params"));
    Map<?, ?> state = (Map<?, ?>) opt.get("state");
    assertEquals(6, state.size());
    assertInstanceOf(Tensor.class, ((Map<?, ?>) state.get(0L)).get("momentum_buffer"));
  }

  @Test
  void wrappedCheckpointResumesTrainingLikePyTorch() throws IOException {
    FashionMnistNet m = new FashionMnistNet();
    SGD opt = new SGD(m.parameters(), 0.1, 0.5);
    Map<String, String> meta = Checkpoints.load(m, opt, resource("wrapped.pt"));
    assertEquals("3", meta.get("epoch"));
    assertEquals(0.05, opt.paramGroups().get(0).lr(), "lr came from the checkpoint");
    Golden.Case g = G.get("wrapped");
    assertTensorClose(
        g.tensor("output"),
        run(m, G.get("fashion_net").tensor("input")),
        RTOL,
        ATOL,
        "wrapped output");

    // jnn saves model + optimizer; the interop script loads both into PyTorch (--verify)
    Checkpoints.save(m, opt, Map.of("epoch", "3"), out.resolve("fashion_net_sgd.safetensors"));
    Map<String, Tensor> io = new LinkedHashMap<>();
    io.put("input", G.get("fashion_net").tensor("input"));
    io.put("output", run(m, G.get("fashion_net").tensor("input")));
    SafeTensors.save(io, out.resolve("fashion_net_sgd.io.safetensors"));

    m.train();
    Tensor loss = Functional.crossEntropy(m.call(g.tensor("step_input")), g.tensor("step_target"));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    for (String k : List.of("conv1.weight", "fc.bias", "fc.weight")) {
      assertTensorClose(
          g.tensor(k), m.stateDict().get(k), RTOL, ATOL, "after one resumed SGD step: " + k);
    }

    // the same resume from jnn's own checkpoint
    FashionMnistNet m2 = new FashionMnistNet();
    SGD opt2 = new SGD(m2.parameters(), 0.1, 0.5);
    assertEquals(
        "3", Checkpoints.load(m2, opt2, out.resolve("fashion_net_sgd.safetensors")).get("epoch"));
    m2.train();
    Tensor loss2 =
        Functional.crossEntropy(m2.call(g.tensor("step_input")), g.tensor("step_target"));
    opt2.zeroGrad();
    loss2.backward();
    opt2.step();
    assertTensorClose(
        g.tensor("fc.weight"),
        m2.stateDict().get("fc.weight"),
        RTOL,
        ATOL,
        "resumed from jnn's file");
  }

  /** Every jnn dtype, written by jnn; {@code interop.py --verify} checks these exact values. */
  @Test
  void jnnWritesEveryDtype() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("bool", Tensor.fromArray(new boolean[] {true, false, true}));
    t.put("f32", Tensor.arange(6).toFloat().mul(0.5).reshape(2, 3));
    t.put("f32_t", Tensor.arange(6).toFloat().mul(0.5).reshape(2, 3).t());
    t.put("f64", Tensor.fromArray(new double[] {-1.5, 1e-300, Double.POSITIVE_INFINITY}));
    t.put("i64", Tensor.fromArray(new long[] {Long.MIN_VALUE, -1, 9_000_000_063L}));
    t.put("scalar", Tensor.scalar(2.5));
    t.put("empty", Tensor.zeros(0, 3));
    Path f = out.resolve("dtypes_jnn.safetensors");
    SafeTensors.save(t, Map.of("writer", "jnn"), f);
    Map<String, Tensor> back = SafeTensors.load(f);
    assertEquals(new ArrayList<>(t.keySet()), new ArrayList<>(back.keySet()));
    for (String k : t.keySet()) {
      assertEquals(t.get(k).dtype(), back.get(k).dtype(), k);
      assertTensorClose(t.get(k), back.get(k), 0, 0, k);
    }
  }

  @Test
  void legacyFormatIsRefusedByName() {
    FileFormatException e =
        assertThrows(FileFormatException.class, () -> TorchCheckpoint.load(resource("legacy.pt")));
    assertTrue(
        e.getMessage().contains("legacy.pt") && e.getMessage().contains("legacy"), e.getMessage());
  }
}
