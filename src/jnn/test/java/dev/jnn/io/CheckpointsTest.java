package dev.jnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.StateDict;
import dev.jnn.nn.StateDictException;
import dev.jnn.nn.layers.Linear;
import dev.jnn.optim.Adam;
import dev.jnn.optim.Optimizer;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints.save/load: module + optimizer in one safetensors file, atomic, all or nothing. */
class CheckpointsTest {
  @TempDir Path dir;

  private static void trainSteps(Module m, Optimizer opt, int steps, long seed) {
    Generator g = new Generator(seed);
    m.train();
    for (int i = 0; i < steps; i++) {
      Tensor x = Tensor.randn(dev.jnn.core.Shape.of(4, 3, 8, 8), DType.FLOAT32, g);
      Tensor loss = m.call(x).pow(2).mean();
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
  }

  private static void assertSameState(Module a, Module b) {
    StateDict sa = a.stateDict();
    StateDict sb = b.stateDict();
    assertEquals(List.copyOf(sa.keySet()), List.copyOf(sb.keySet()));
    for (String k : sa.keySet()) {
      assertEquals(sa.get(k).dtype(), sb.get(k).dtype(), k);
      assertArrayEquals(sa.get(k).toDoubleArray(), sb.get(k).toDoubleArray(), k);
    }
  }

  @Test
  void moduleAndAdamRoundTripAndResumeIdentically() throws IOException {
    InteropModels.ResNet m = new InteropModels.ResNet();
    Adam opt = new Adam(m.parameters(), 0.01);
    trainSteps(m, opt, 2, 1);
    Path f = dir.resolve("ckpt.safetensors");
    Checkpoints.save(m, opt, Map.of("epoch", "2", "note", "résumé"), f);
    assertEquals(List.of("ckpt.safetensors"), listDir(), "no temporary file left behind");

    InteropModels.ResNet m2 = new InteropModels.ResNet();
    Adam opt2 = new Adam(m2.parameters(), 0.5);
    Map<String, String> meta = Checkpoints.load(m2, opt2, f);
    assertEquals("2", meta.get("epoch"));
    assertEquals("résumé", meta.get("note"));
    assertEquals(Checkpoints.FORMAT, meta.get("jnn.format"));
    assertSameState(m, m2);
    assertEquals(DType.INT64, m2.bn1.numBatchesTracked().dtype());
    assertEquals(0.01, opt2.paramGroups().get(0).lr());
    assertEquals(
        2,
        ((Map<?, ?>) m2.stateDict().metadata().get("bn1")).get("version") instanceof Number n
            ? n.intValue()
            : -1);

    trainSteps(m, opt, 1, 7);
    trainSteps(m2, opt2, 1, 7);
    assertSameState(m, m2); // same state -> bitwise same next step (Adam's step count included)

    StateDict only = Checkpoints.readStateDict(f);
    assertEquals(m.stateDict().keySet(), only.keySet(), "optimizer tensors are not model keys");
    try (SafeTensorsFile sf = SafeTensors.open(f)) {
      assertTrue(sf.keys().contains("__optimizer__.state.0.exp_avg"));
      assertEquals(
          List.of(),
          sf.info("__optimizer__.state.0.step").shape().dims().length == 0
              ? List.of()
              : List.of(1));
    }
  }

  @Test
  void overwritesAtomicallyAndKeepsTheOldFileWhenWritingFails() throws IOException {
    Linear m = new Linear(3, 2);
    Path f = dir.resolve("m.safetensors");
    Checkpoints.save(m, f);
    byte[] before = Files.readAllBytes(f);

    Tensor exploding =
        new Parameter(Tensor.zeros(2)) {
          @Override
          public float[] toFloatArray() {
            throw new IllegalStateException("device lost while writing (simulated)");
          }
        };
    Map<String, Tensor> sd = new java.util.LinkedHashMap<>(m.stateDict());
    sd.put("z", exploding); // written last: the failure comes after the header and other tensors
    assertThrows(IllegalStateException.class, () -> SafeTensors.save(sd, f));
    assertArrayEquals(before, Files.readAllBytes(f), "the old checkpoint survives");
    assertEquals(List.of("m.safetensors"), listDir(), "the temporary file was removed");

    Linear other = new Linear(3, 2);
    Checkpoints.save(other, f);
    Linear back = new Linear(3, 2);
    Checkpoints.load(back, f);
    assertSameState(other, back);
  }

  @Test
  void reservedMetadataKeysAreRefused() {
    Linear m = new Linear(3, 2);
    assertThrows(
        IllegalArgumentException.class,
        () -> Checkpoints.save(m, null, Map.of("jnn.format", "x"), dir.resolve("a")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Checkpoints.save(m, null, Map.of("format", "x"), dir.resolve("a")));
  }

  @Test
  void wrongModuleFailsAndLeavesModuleAndOptimizerAsTheyWere() throws IOException {
    // same parameter shapes, different names: the optimizer state fits, the module's keys do not
    Sequential saved = new Sequential(new Linear(3, 2));
    SGD savedOpt = new SGD(saved.parameters(), 0.1, 0.9);
    trainSteps1d(saved, savedOpt);
    Path f = dir.resolve("seq.safetensors");
    Checkpoints.save(saved, savedOpt, f);

    Module target = new Module() {};
    Linear fc = target.registerModule("fc", new Linear(3, 2));
    SGD opt = new SGD(target.parameters(), 0.3, 0.5);
    trainSteps1d(fc, opt);
    float[] w = fc.weight().toFloatArray();
    float[] buf = ((Tensor) opt.state().get(fc.weight()).get("momentum_buffer")).toFloatArray();

    StateDictException e =
        assertThrows(StateDictException.class, () -> Checkpoints.load(target, opt, f));
    assertTrue(
        e.getMessage().contains("Missing key(s) in state_dict: \"fc.weight\""), e.getMessage());
    assertArrayEquals(w, fc.weight().toFloatArray(), "module untouched");
    assertArrayEquals(
        buf,
        ((Tensor) opt.state().get(fc.weight()).get("momentum_buffer")).toFloatArray(),
        "optimizer state restored");
    assertEquals(0.3, opt.paramGroups().get(0).lr(), "optimizer options restored");

    Module wrongShape = new Sequential(new Linear(2, 2));
    float[] w2 = wrongShape.parameters().get(0).toFloatArray();
    assertThrows(StateDictException.class, () -> Checkpoints.load(wrongShape, f));
    assertArrayEquals(w2, wrongShape.parameters().get(0).toFloatArray());
  }

  /** A Linear with extra state; {@code setExtraState} refuses negative values. */
  static final class Picky extends Module {
    final Linear fc = registerModule("fc", new Linear(3, 2));
    Tensor extra = Tensor.fromArray(new float[] {1f}, 1);

    @Override
    public Tensor forward(Tensor x) {
      return fc.call(x);
    }

    @Override
    protected Tensor getExtraState() {
      return extra;
    }

    @Override
    protected void setExtraState(Tensor state) {
      if (state.toFloatArray()[0] < 0) {
        throw new IllegalArgumentException("negative extra state (simulated failure)");
      }
      extra = state;
    }
  }

  /** Every tensor and option of an optimizer's state dict, compared by value. */
  private static void assertSameOptimizerState(Map<String, Object> want, Optimizer opt) {
    Map<String, Object> got = opt.stateDict();
    assertEquals(want.get("param_groups"), got.get("param_groups"), "param groups");
    Map<?, ?> ws = (Map<?, ?>) want.get("state");
    Map<?, ?> gs = (Map<?, ?>) got.get("state");
    assertEquals(ws.keySet(), gs.keySet());
    for (Object i : ws.keySet()) {
      Map<?, ?> w = (Map<?, ?>) ws.get(i);
      Map<?, ?> g = (Map<?, ?>) gs.get(i);
      assertEquals(w.keySet(), g.keySet());
      for (Object k : w.keySet()) {
        if (w.get(k) instanceof Tensor t) {
          assertArrayEquals(t.toDoubleArray(), ((Tensor) g.get(k)).toDoubleArray(), i + "." + k);
        } else {
          assertEquals(w.get(k), g.get(k), i + "." + k);
        }
      }
    }
  }

  /** A deep copy of an optimizer state dict (tensors cloned), to compare against later. */
  private static Map<String, Object> copyOf(Map<String, Object> sd) {
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) deepCopy(sd);
    return out;
  }

  private static Object deepCopy(Object v) {
    if (v instanceof Tensor t) {
      return t.detach().clone();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, deepCopy(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(CheckpointsTest::deepCopy).toList();
    }
    return v;
  }

  @Test
  void moduleFailingWhileWritingLeavesModuleAndOptimizerExactlyAsTheyWere() throws IOException {
    Picky saved = new Picky();
    SGD savedOpt = new SGD(saved.parameters(), 0.1, 0.9);
    savedOpt.paramGroups().get(0).set("custom", 5L); // an option the target does not have
    trainSteps1d(saved, savedOpt);
    saved.extra = Tensor.fromArray(new float[] {-1f}, 1); // refused by setExtraState on load
    Path f = dir.resolve("picky.safetensors");
    Checkpoints.save(saved, savedOpt, f);

    Picky target = new Picky();
    SGD opt = new SGD(target.parameters(), 0.3, 0.5);
    trainSteps1d(target, opt);
    Map<String, Object> optBefore = copyOf(opt.stateDict());
    float[] w = target.fc.weight().toFloatArray();
    float[] b = target.fc.bias().toFloatArray();
    Tensor extra = target.extra;

    StateDictException e =
        assertThrows(StateDictException.class, () -> Checkpoints.load(target, opt, f));
    assertTrue(e.getMessage().contains("negative extra state"), e.getMessage());
    assertArrayEquals(w, target.fc.weight().toFloatArray(), "weight untouched");
    assertArrayEquals(b, target.fc.bias().toFloatArray(), "bias untouched");
    assertTrue(extra == target.extra, "extra state untouched");
    assertSameOptimizerState(optBefore, opt);
    assertFalse(opt.paramGroups().get(0).options().containsKey("custom"), "no option added");
  }

  @Test
  void optimizerFailingLeavesModuleAndOptimizerAsTheyWere() throws IOException {
    Linear saved = new Linear(3, 2);
    SGD savedOpt = new SGD(saved.parameters(), 0.1, 0.9);
    trainSteps1d(saved, savedOpt);
    Path f = dir.resolve("lin.safetensors");
    Checkpoints.save(saved, savedOpt, f);

    Linear target = new Linear(3, 2);
    // one group of one parameter: the saved group of two does not fit
    SGD opt = new SGD(List.of(target.weight()), 0.3, 0.5);
    trainSteps1d(target, opt);
    Map<String, Object> optBefore = copyOf(opt.stateDict());
    float[] w = target.weight().toFloatArray();
    float[] b = target.bias().toFloatArray();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(target, opt, f));
    assertTrue(e.getMessage().contains("parameter group"), e.getMessage());
    assertArrayEquals(w, target.weight().toFloatArray(), "module untouched");
    assertArrayEquals(b, target.bias().toFloatArray(), "module untouched");
    assertSameOptimizerState(optBefore, opt);
  }

  private static void trainSteps1d(Module m, Optimizer opt) {
    Tensor loss = m.call(Tensor.ones(5, 3)).pow(2).sum();
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }

  private List<String> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void nonFiniteOptimizerValuesSurvive() throws IOException {
    Linear m = new Linear(2, 2);
    SGD opt = new SGD(m.parameters(), 0.1);
    opt.paramGroups().get(0).set("custom_nan", Double.NaN);
    opt.paramGroups().get(0).set("custom_inf", Double.NEGATIVE_INFINITY);
    Path f = dir.resolve("nan.safetensors");
    Checkpoints.save(m, opt, f);
    SGD opt2 = new SGD(new Linear(2, 2).parameters(), 0.2);
    Checkpoints.load(new Linear(2, 2), opt2, f);
    assertTrue(Double.isNaN((Double) opt2.paramGroups().get(0).options().get("custom_nan")));
    assertEquals(Double.NEGATIVE_INFINITY, opt2.paramGroups().get(0).options().get("custom_inf"));
    assertFalse(opt2.paramGroups().get(0).options().containsKey("params"));
  }
}
