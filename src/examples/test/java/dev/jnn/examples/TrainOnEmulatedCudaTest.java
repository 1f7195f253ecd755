package dev.jnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.cuda.EmulatedCuda;
import dev.jnn.core.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The main job with {@code --device cuda} on the CPU emulation of the CUDA back end (jnn's real
 * kernels, allocator and staging; cuBLAS/cuDNN emulated): it trains, and its per-step memory
 * scopes keep device memory flat - after the first epoch no new driver allocations, and the same
 * live buffers at the end of every epoch.
 */
class TrainOnEmulatedCudaTest {
  @BeforeEach
  void install() {
    EmulatedCuda.install();
  }

  @AfterEach
  void uninstall() {
    EmulatedCuda.uninstall();
  }

  @Test
  void mainJobTrainsOnTheDeviceWithFlatMemory() throws Exception {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    TrainFashionMnist.Result r = TrainFashionMnist.run(
        TrainFashionMnist.parse(new String[] {"--device", "cuda", "--epochs", "3", "--data", "embedded",
            "--limit", "512", "--plot", "none", "--seed", "1"}),
        new PrintStream(bo, true, StandardCharsets.UTF_8));
    String out = bo.toString(StandardCharsets.UTF_8);
    assertEquals(Device.cuda(0), r.device(), out);
    assertTrue(r.epochLoss().get(2) < r.epochLoss().get(0), "loss decreases: " + r.epochLoss());
    assertTrue(r.epochTestAcc().get(2) > 0.4, "learns on 512 images: " + r.epochTestAcc());
    Matcher m = Pattern.compile(
        "epoch (\\d) device memory: [0-9.]+ MiB allocated in (\\d+) live buffers, .*; (\\d+) driver allocations").matcher(out);
    List<long[]> epochs = new ArrayList<>();
    while (m.find()) {
      epochs.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
    }
    assertEquals(3, epochs.size(), out);
    assertEquals(epochs.get(1)[1], epochs.get(2)[1], "driver allocations after warm-up:\n" + out);
    assertEquals(epochs.get(1)[0], epochs.get(2)[0], "live buffers grow from epoch to epoch:\n" + out);
  }
}
