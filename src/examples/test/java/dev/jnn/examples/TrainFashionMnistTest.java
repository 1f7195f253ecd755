package dev.jnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end on a small slice of the embedded data (the full run is in the README). */
class TrainFashionMnistTest {
  @TempDir Path tmp;

  @Test
  void shortRunOnEmbeddedDataLearnsAndWritesThePlot() throws Exception {
    Path plot = tmp.resolve("plot.png");
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    TrainFashionMnist.Result r = TrainFashionMnist.run(
        TrainFashionMnist.parse(new String[] {"--device", "cpu", "--epochs", "2", "--data", "embedded",
            "--limit", "1024", "--plot", plot.toString(), "--seed", "1"}),
        new PrintStream(bo, true, StandardCharsets.UTF_8));
    String out = bo.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("summary: held-out accuracy"), out);
    assertEquals(Device.CPU, r.device());
    assertEquals(2, r.epochTestAcc().size());
    assertTrue(r.epochLoss().get(1) < r.epochLoss().get(0), "loss decreases: " + r.epochLoss());
    assertTrue(r.epochTestAcc().get(1) > 0.5, "learns something on 1024 images: " + r.epochTestAcc());
    assertTrue(Files.size(plot) > 1000, "plot written");
    byte[] head = Files.readAllBytes(plot);
    assertEquals((byte) 0x89, head[0]);
    assertEquals('P', head[1]);
  }

  @Test
  void explicitCudaWithoutABackEndFailsWithTheReason() {
    var e = assertThrows(CudaUnavailableException.class,
        () -> TrainFashionMnist.pickDevice("cuda", new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().startsWith("CUDA is not available: "), e.getMessage());
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThrows(TrainFashionMnist.UsageException.class,
        () -> TrainFashionMnist.parse(new String[] {"--epochs", "x"}));
    assertThrows(TrainFashionMnist.UsageException.class,
        () -> TrainFashionMnist.parse(new String[] {"--device", "tpu"}));
    assertThrows(TrainFashionMnist.UsageException.class,
        () -> TrainFashionMnist.parse(new String[] {"--bogus", "1"}));
  }
}
