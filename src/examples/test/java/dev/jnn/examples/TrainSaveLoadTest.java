package dev.jnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.io.Checkpoints;
import dev.jnn.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job's --save and --load: a --load run evaluates exactly the model that was saved. */
class TrainSaveLoadTest {
  @TempDir Path tmp;

  @Test
  void saveThenLoadEvaluatesTheSavedModel() throws Exception {
    Path ckpt = tmp.resolve("fashion.safetensors");
    String[] common = {"--device", "cpu", "--data", "embedded", "--plot", "none", "--seed", "3"};
    TrainFashionMnist.Result trained =
        TrainFashionMnist.run(
            TrainFashionMnist.parse(
                concat(common, "--epochs", "1", "--limit", "512", "--save", ckpt.toString())),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    var meta = SafeTensors.readMetadata(ckpt);
    assertEquals(Checkpoints.FORMAT, meta.get("jnn.format"));
    assertEquals("1", meta.get("epochs"));
    assertTrue(meta.containsKey("jnn.optimizer"), "optimizer state saved too");

    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    TrainFashionMnist.Result loaded =
        TrainFashionMnist.run(
            TrainFashionMnist.parse(concat(common, "--epochs", "0", "--load", ckpt.toString())),
            new PrintStream(bo, true, StandardCharsets.UTF_8));
    assertTrue(
        bo.toString(StandardCharsets.UTF_8).contains("loaded " + ckpt),
        bo.toString(StandardCharsets.UTF_8));
    assertEquals(
        trained.epochTestAcc().get(0), loaded.epochTestAcc().get(0), "same weights, same accuracy");
    assertThrows(
        TrainFashionMnist.UsageException.class,
        () -> TrainFashionMnist.parse(new String[] {"--epochs", "0"}));
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
