package dev.jnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnn.backend.Backends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The main job's command line as a user meets it: {@code java ... TrainFashionMnist ARGS} run as a
 * process (exit status, what reaches stdout and stderr, where files land), plus in-process checks
 * of the remaining messages through {@link TrainFashionMnist#execute}. The processes that train
 * use one epoch on 160 random images, about a JVM start each.
 */
class TrainCliTest {
  @TempDir Path tmp;

  /** The project root (surefire's working directory): JNN_HOME, where data/ lives. */
  static final Path ROOT = Path.of("").toAbsolutePath();

  /** What a process did; {@code err} without the JVM's incubator-module warning. */
  record Run(int status, List<String> out, List<String> err) {
    String all() {
      return "exit " + status + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n"
          + String.join("\n", err);
    }
  }

  /** Runs the main job in {@code cwd} the way scripts/train does (module flag, JNN_HOME). */
  static Run train(Path cwd, String... args) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Xshare:auto",
        "-cp", cp, TrainFashionMnist.class.getName()));
    cmd.addAll(Arrays.asList(args));
    Path out = Files.createTempFile("train-out", ".txt");
    Path err = Files.createTempFile("train-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("JNN_HOME", ROOT.toString());
      pb.environment().remove(TrainFashionMnist.CUDA_HINT_ENV);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", args));
      }
      List<String> e = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.startsWith("WARNING: Using incubator modules")).collect(Collectors.toList());
      return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  Run train(String... args) throws Exception {
    return train(tmp, args);
  }

  static void assertOneLineError(Run r, int status, String start) {
    assertEquals(status, r.status(), r.all());
    assertEquals(1, r.err().size(), "one line on stderr:\n" + r.all());
    assertTrue(r.err().get(0).startsWith(start), "expected '" + start + "...':\n" + r.all());
    assertFalse(String.join("\n", r.err()).contains("at dev.jnn"), "no stack trace:\n" + r.all());
  }

  @Test
  void usageErrorsExit2WithOneLineNamingTheOption() throws Exception {
    assertOneLineError(train("--bogus"), 2, "train: unknown option '--bogus'");
    Run lr = train("--lr", "-1");
    assertOneLineError(lr, 2, "train: --lr must be positive, got -1");
    assertTrue(lr.out().isEmpty(), lr.all());
    assertOneLineError(train("--epochs=x"), 2, "train: --epochs must be an integer, got 'x'");
  }

  @Test
  void helpListsEveryOptionWithItsDefaultAndExits0() throws Exception {
    Run r = train("--help");
    assertEquals(0, r.status(), r.all());
    assertTrue(r.err().isEmpty(), r.all());
    String help = String.join("\n", r.out());
    for (String opt : List.of("--model", "--device", "--epochs", "--batch-size", "--lr", "--momentum", "--seed",
        "--data", "--plot", "--limit", "--save", "--load", "--verbose", "--help")) {
      assertTrue(help.contains(opt), opt + " missing from:\n" + help);
    }
    for (String d : List.of("Default: cnn.", "Default: auto.", "Default: 3.", "Default: 64 (cnn), 32 (lstm).",
        "Default: 0.05 (cnn), 0.005 (lstm).", "Default: 0.9.",
        "Default: 0.", "Default: fashion-mnist-training.png.", "Default: not saved.", "Default: none")) {
      assertTrue(help.contains(d), d + " missing from:\n" + help);
    }
    assertTrue(help.contains("Exit status: 0 done, 1 runtime error"), help);
    // the same text in process for -h
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    assertEquals(0, TrainFashionMnist.execute(new String[] {"-h"}, print(bo), print(new ByteArrayOutputStream())));
    assertEquals(help.strip(), bo.toString(StandardCharsets.UTF_8).strip().replace("\r", ""));
  }

  @Test
  void runtimeErrorsExit1WithOneLineBeforeAnyTraining() throws Exception {
    Path missing = tmp.resolve("missing");
    assertOneLineError(train("--data", missing.toString(), "--device", "cpu"), 1,
        "train: --data " + missing + ": no such directory");
    assertOneLineError(train("--load", "missing.safetensors", "--device", "cpu", "--epochs", "0"), 1,
        "train: --load missing.safetensors: no such file");
    Files.writeString(tmp.resolve("corrupt.safetensors"), "not a checkpoint at all");
    tinyDataset(tmp.resolve("tiny"), 20);
    Run corrupt = train("--load", "corrupt.safetensors", "--epochs", "0", "--device", "cpu", "--data", "tiny");
    assertOneLineError(corrupt, 1, "train: --load corrupt.safetensors: ");
    assertFalse(corrupt.out().stream().anyMatch(l -> l.startsWith("loaded")), corrupt.all());
    // unwritable outputs are found before the data is even read, not after training
    for (String[] out : new String[][] {{"--plot", "nodir/p.png"}, {"--save", "nodir/m.safetensors"}}) {
      Run r = train("--device", "cpu", "--data", "embedded", "--limit", "128", "--epochs", "1", out[0], out[1]);
      assertOneLineError(r, 1, "train: " + out[0] + " " + out[1] + ": directory " + tmp.resolve("nodir")
          + " does not exist");
      assertTrue(r.out().isEmpty(), "nothing ran:\n" + r.all());
    }
  }

  @Test
  void cudaRequestedButUnavailableIsOneLine() throws Exception {
    assumeTrue(Backends.cudaUnavailableReason() != null, "CUDA is usable here");
    Run r = train("--device", "cuda", "--data", "embedded", "--plot", "none");
    assertOneLineError(r, 1, "train: --device cuda: CUDA is not available (");
    assertTrue(r.err().get(0).contains("--verbose"), r.all());
  }

  @Test
  void verboseShowsTheStackTrace() throws Exception {
    Run r = train("--data", tmp.resolve("missing").toString(), "--device", "cpu", "--verbose");
    assertEquals(1, r.status(), r.all());
    assertTrue(r.err().get(0).startsWith("train: --data "), r.all());
    assertTrue(r.err().stream().anyMatch(l -> l.contains("at dev.jnn.examples.TrainFashionMnist")), r.all());
  }

  /** --verbose adds the first training step's time against the epoch's median step (issue 21). */
  @Test
  void verboseReportsTheFirstStep() throws Exception {
    tinyDataset(tmp.resolve("tiny"), 160);
    Run r = train("--data", "tiny", "--device", "cpu", "--epochs", "1", "--plot", "none", "--verbose");
    assertEquals(0, r.status(), r.all());
    assertTrue(r.out().stream().anyMatch(l -> l.matches("epoch 1 steps: first \\d+ ms \\(.*\\), median of the later ones [\\d.]+ ms "
        + "\\(first/median \\d+x\\)")), r.all());
  }

  /**
   * {@code --opt=value} works; relative --save/--plot land in the process's working directory,
   * the checkpoint before the plot; a relative --load evaluates it; the CPU fallback notice is one
   * line.
   */
  @Test
  void relativeOutputsLandInTheWorkingDirectory() throws Exception {
    tinyDataset(tmp.resolve("tiny"), 160); // 128 train / 32 held-out: a run takes a JVM start
    Run r = train("--epochs=1", "--data=tiny", "--seed=2", "--save=model.safetensors", "--plot=plot.png");
    assertEquals(0, r.status(), r.all());
    assertTrue(Files.size(tmp.resolve("model.safetensors")) > 1000, r.all());
    assertTrue(Files.size(tmp.resolve("plot.png")) > 1000, r.all());
    assertFalse(Files.exists(ROOT.resolve("model.safetensors")) || Files.exists(ROOT.resolve("plot.png")));
    int saved = r.out().indexOf("saved: " + tmp.resolve("model.safetensors"));
    int plot = r.out().indexOf("plot: " + tmp.resolve("plot.png"));
    assertTrue(saved >= 0 && plot > saved, "checkpoint first, then the plot:\n" + r.all());
    List<String> cuda = r.out().stream().filter(l -> l.contains("CUDA") || l.contains("cuBLAS")).toList();
    if (!cuda.isEmpty() && cuda.get(0).startsWith("CUDA not used")) {
      assertEquals(1, cuda.size(), r.all());
      assertTrue(cuda.get(0).length() < 200, "a short notice: " + cuda.get(0));
    }
    Run l = train("--epochs", "0", "--load", "model.safetensors", "--data", "tiny", "--device", "cpu");
    assertEquals(0, l.status(), l.all());
    assertTrue(l.out().stream().anyMatch(s -> s.startsWith("loaded model.safetensors: held-out accuracy")),
        l.all());
  }

  /** The rest of the usage errors, in process (the same code path as main, without a JVM each). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--bogus=1                      | unknown option '--bogus' (see --help)",
      "--epoch 2                      | unknown option '--epoch' (did you mean --epochs?)",
      "--lr=-1                        | --lr must be positive, got -1",
      "--lr 0                         | --lr must be positive, got 0",
      "--lr x                         | --lr must be a number, got 'x'",
      "--momentum -0.5                | --momentum must be 0 or more, got -0.5",
      "--epochs 2.5                   | --epochs must be an integer, got '2.5'",
      "--epochs 0                     | --epochs must be positive (0 only with --load), got 0",
      "--batch-size 0                 | --batch-size must be positive, got 0",
      "--limit -1                     | --limit must be 0 (all) or more, got -1",
      "--device tpu                   | --device must be auto, cpu, cuda or cuda:N, got 'tpu'",
      "--device cuda:x                | --device must be auto, cpu, cuda or cuda:N, got 'cuda:x'",
      "--save                         | --save needs a value (FILE)",
      "--epochs --lr 1                | --epochs needs a value (N)",
      "extra                          | unexpected argument 'extra' (options start with --; see --help)",
  })
  void usageErrorsInProcess(String line, String message) {
    assertUsageError(line, message);
  }

  /** The command line {@code line} (words split at spaces) exits 2 with {@code train: message} alone. */
  static void assertUsageError(String line, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TrainFashionMnist.execute(line.strip().split(" +"), print(out), print(err));
    assertEquals(2, status, err.toString(StandardCharsets.UTF_8));
    assertEquals("train: " + message + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void optionEqualsValueAndLastOneWins() {
    TrainFashionMnist.Options o = TrainFashionMnist.parse(new String[] {"--epochs=2", "--lr", "0.1",
        "--plot=out", "--epochs", "4", "--save=a/b.safetensors", "--load", "c.pt", "--seed=-3"});
    assertEquals(4, o.epochs());
    assertEquals(0.1, o.lr());
    assertEquals(-3, o.seed());
    assertEquals(Path.of("out.png"), o.plot(), "the file BitmapEncoder writes");
    assertEquals(Path.of("a", "b.safetensors"), o.save());
    assertEquals(Path.of("c.pt"), o.load());
    assertEquals(null, TrainFashionMnist.parse(new String[] {"--plot", "none"}).plot());
  }

  @Test
  void shortReasonKeepsTheFirstClauseWithoutDetails() {
    assumeTrue(System.getenv(TrainFashionMnist.CUDA_HINT_ENV) == null);
    assertEquals("no NVIDIA driver: libcuda.so.1 was not found", TrainFashionMnist.shortReason(
        "CUDA is not available: no NVIDIA driver: libcuda.so.1 was not found (searched 12 directories, the"
            + " loader cache (ldconfig) and JNN_CUDA_DRIVER_LIBRARY); cuBLAS not found: looked for x"));
    assertTrue(TrainFashionMnist.shortReason("x".repeat(300)).length() <= 100);
  }

  /** {@code n} random images and labels in the layout of the embedded split (IDX files in {@code dir}). */
  static void tinyDataset(Path dir, int n) throws Exception {
    Files.createDirectories(dir);
    java.util.Random rnd = new java.util.Random(1);
    java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + n * 28 * 28).putInt(0x803).putInt(n).putInt(28)
        .putInt(28);
    java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[28 * 28];
      rnd.nextBytes(px);
      img.put(px);
      lab.put((byte) rnd.nextInt(10));
    }
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), img.array());
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), lab.array());
  }

  private static PrintStream print(ByteArrayOutputStream bo) {
    return new PrintStream(bo, true, StandardCharsets.UTF_8);
  }
}
