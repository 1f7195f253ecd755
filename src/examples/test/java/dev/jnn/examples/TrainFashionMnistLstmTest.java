package dev.jnn.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.Device;
import dev.jnn.io.SafeTensors;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code scripts/train --model lstm}, the LSTM sequence classifier, on a small slice of the
 * embedded data (the full 3-epoch run and its accuracy are in the README): it learns, prints the
 * main job's progress output, and its options are checked like the main job's.
 */
class TrainFashionMnistLstmTest {
  @TempDir Path tmp;

  /**
   * The first {@code n} images and labels of the embedded data as IDX files in {@code dir}: the
   * job divides them like the embedded split (4/5 train, 1/5 held-out), so a short run also
   * evaluates quickly.
   */
  static void firstImages(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    for (String[] f : new String[][] {{"t10k-images-idx3-ubyte", "16", "784"}, {"t10k-labels-idx1-ubyte", "8", "1"}}) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of("data", f[0] + ".gz")))) {
        int header = Integer.parseInt(f[1]);
        byte[] bytes = in.readNBytes(header + n * Integer.parseInt(f[2]));
        ByteBuffer.wrap(bytes).putInt(4, n); // the count after the magic number
        Files.write(dir.resolve(f[0]), bytes);
      }
    }
  }

  String[] args(String... more) throws IOException {
    Path data = tmp.resolve("first500");
    if (!Files.isDirectory(data)) {
      firstImages(data, 500); // 400 train / 100 held-out
    }
    String[] common = {"--device", "cpu", "--epochs", "2", "--data", data.toString(), "--limit", "128",
        "--seed", "1"};
    String[] r = Arrays.copyOf(common, common.length + more.length);
    System.arraycopy(more, 0, r, common.length, more.length);
    return r;
  }

  String run(String[] args, TrainFashionMnist.Result[] result) throws Exception {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    result[0] = TrainFashionMnist.run(TrainFashionMnist.parse(args),
        new PrintStream(bo, true, StandardCharsets.UTF_8));
    return bo.toString(StandardCharsets.UTF_8);
  }

  /** The output's lines with every number replaced by {@code #}: the shape of the progress output. */
  static List<String> shapes(String out) {
    return out.lines().map(l -> l.replaceAll("[0-9][0-9,.]*", "#")).collect(Collectors.toList());
  }

  @Test
  void shortRunLearnsAndPrintsTheMainJobsProgressOutput() throws Exception {
    Path plot = tmp.resolve("lstm.png");
    Path ckpt = tmp.resolve("lstm.safetensors");
    TrainFashionMnist.Result[] r = new TrainFashionMnist.Result[1];
    String out = run(args("--model", "lstm", "--plot", plot.toString(), "--save", ckpt.toString()), r);
    assertEquals(Device.CPU, r[0].device());
    assertEquals(2, r[0].epochLoss().size(), out);
    assertTrue(r[0].epochLoss().get(1) < r[0].epochLoss().get(0), "loss falls: " + r[0].epochLoss());
    // chance is 10 % (3 points' spread on 100 images); 256 images seen (128 twice) put the LSTM above it
    assertTrue(r[0].epochTestAcc().get(1) > 0.25, "beats chance: " + r[0].epochTestAcc());
    assertTrue(out.contains("model: lstm, a bidirectional LSTM (hidden 256) reading the 28 rows as 28 steps, max "
        + "over the steps, a linear head (590,858 parameters); Adam lr 0.005, gradient norm clipped to 1, cosine "
        + "annealing per batch"), out);
    for (int epoch = 1; epoch <= 2; epoch++) {
      String line = String.format(Locale.ROOT, "epoch %d: train loss %.4f, train acc ", epoch,
          r[0].epochLoss().get(epoch - 1));
      assertTrue(out.lines().anyMatch(l -> l.startsWith(line)
          && l.matches(".*, held-out acc [0-9.]+%, [0-9.]+ s \\(large host buffers: \\d+ reused, \\d+ new\\)")), out);
    }
    assertTrue(out.lines().anyMatch(
        l -> l.matches("epoch 2/2 100\\.0% loss [0-9.]+ acc [0-9.]+%, \\d+ img/s, ETA 0 s")), out);
    assertTrue(out.contains(String.format(Locale.ROOT, "summary: held-out accuracy %.2f%% after 2 epochs",
        100 * r[0].epochTestAcc().get(1))), out);
    assertTrue(Files.size(plot) > 1000, "plot written");
    assertEquals("lstm", SafeTensors.readMetadata(ckpt).get("model"), "the checkpoint names its network");
    // --load evaluates exactly the saved LSTM; the CNN refuses it, naming the option that fits
    TrainFashionMnist.Result[] loaded = new TrainFashionMnist.Result[1];
    run(args("--model", "lstm", "--epochs", "0", "--load", ckpt.toString()), loaded);
    assertEquals(r[0].epochTestAcc().get(1), loaded[0].epochTestAcc().get(0), "same weights, same accuracy");
    var wrong = assertThrows(TrainFashionMnist.JobException.class,
        () -> run(args("--epochs", "0", "--load", ckpt.toString()), loaded));
    assertEquals("--load " + ckpt + ": a checkpoint of --model lstm, not cnn (add --model lstm)", wrong.getMessage());

    // the main job's output, line for line, but for the model: line (with the LSTM's batch size, so
    // that both print as many progress lines)
    TrainFashionMnist.Result[] cnn = new TrainFashionMnist.Result[1];
    String cnnOut = run(args("--batch-size", "32", "--plot", tmp.resolve("cnn.png").toString(), "--save",
        tmp.resolve("cnn.safetensors").toString()), cnn);
    List<String> lstmShapes = shapes(out);
    List<String> cnnShapes = shapes(cnnOut);
    assertEquals(cnnShapes.size(), lstmShapes.size(), cnnOut + "\n---\n" + out);
    for (int i = 0; i < cnnShapes.size(); i++) {
      if (!cnnShapes.get(i).startsWith("model: ") && !cnnShapes.get(i).startsWith("saved: ")
          && !cnnShapes.get(i).startsWith("plot: ")) {
        assertEquals(cnnShapes.get(i), lstmShapes.get(i), cnnOut + "\n---\n" + out);
      }
    }
  }

  @Test
  void theNetworkReadsRowsAsStepsAndMatchesTheReferenceScriptsNames() {
    Generator.manualSeed(0);
    FashionMnistLstm net = new FashionMnistLstm();
    assertEquals(List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
        "lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse", "lstm.bias_ih_l0_reverse",
        "lstm.bias_hh_l0_reverse", "fc.weight", "fc.bias"), List.copyOf(net.stateDict().keySet()));
    assertArrayEquals(new long[] {4 * 256, 28}, net.getParameter("lstm.weight_ih_l0").shape().dims());
    assertArrayEquals(new long[] {10, 2 * 256}, net.getParameter("fc.weight").shape().dims());
    assertArrayEquals(new long[] {3, 10}, net.call(Tensor.randn(3, 1, 28, 28)).shape().dims());
  }

  @Test
  void eachNetworkHasItsOwnBatchSizeAndLearningRateDefaults() {
    TrainFashionMnist.Options cnn = TrainFashionMnist.parse(new String[0]);
    assertEquals(Network.CNN, cnn.model());
    assertEquals(64, cnn.batchSize());
    assertEquals(0.05, cnn.lr());
    TrainFashionMnist.Options lstm = TrainFashionMnist.parse(new String[] {"--model", "lstm"});
    assertEquals(Network.LSTM, lstm.model());
    assertEquals(32, lstm.batchSize());
    assertEquals(0.005, lstm.lr());
    TrainFashionMnist.Options given =
        TrainFashionMnist.parse(new String[] {"--model=LSTM", "--lr", "0.01", "--batch-size=16"});
    assertEquals(0.01, given.lr());
    assertEquals(16, given.batchSize());
    // the help text states the defaults the enum holds
    assertEquals(Arrays.stream(Network.values()).map(n -> n.defaultBatchSize + " (" + n.option + ")")
        .collect(Collectors.joining(", ")), TrainFashionMnist.BATCH_SIZE_DEFAULTS);
    assertEquals(Arrays.stream(Network.values()).map(n -> Network.number(n.defaultLr) + " (" + n.option + ")")
        .collect(Collectors.joining(", ")), TrainFashionMnist.LR_DEFAULTS);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--model rnn                 | --model must be cnn or lstm, got 'rnn'",
      "--model                     | '--model needs a value (cnn|lstm)'",
      "--model lstm --momentum 0.5 | --momentum applies to --model cnn only (--model lstm trains with Adam), got 0.5",
      "--model lstm --lr 0         | --lr must be positive, got 0",
      "--model lstm --batch-size -2 | --batch-size must be positive, got -2",
  })
  void badOptionsAreOneLineUsageErrors(String line, String message) {
    TrainCliTest.assertUsageError(line, message);
  }
}
