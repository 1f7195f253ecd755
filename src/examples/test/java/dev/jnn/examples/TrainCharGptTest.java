package dev.jnn.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.io.Checkpoints;
import dev.jnn.io.SafeTensors;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.StateDict;
import dev.jnn.optim.AdamW;
import dev.jnn.optim.ParamGroup;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The character-level GPT example ({@link TrainCharGpt}, {@link CharGpt}, {@link CharText}) on
 * tiny configurations of the embedded sample: it learns, samples from its vocabulary, resumes
 * exactly, ties its weights as PyTorch does, and reports bad options in one line.
 */
class TrainCharGptTest {
  @TempDir Path tmp;

  /** A model small enough for a step to take milliseconds; the embedded sample; no plot. */
  static final List<String> TINY = List.of("--device", "cpu", "--text", "sample", "--context", "16",
      "--d-model", "16", "--heads", "2", "--layers", "1", "--batch-size", "8", "--eval-windows", "16",
      "--lr", "0.01", "--plot", "none");

  static String[] args(String... more) {
    List<String> a = new ArrayList<>(TINY);
    a.addAll(Arrays.asList(more));
    return a.toArray(String[]::new);
  }

  static TrainCharGpt.Result run(TrainCharGpt.Options o, ByteArrayOutputStream out) throws IOException {
    return TrainCharGpt.run(o, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Test
  void tinyRunLearnsAndSamplesTheRequestedNumberOfCharactersFromTheVocabulary() throws Exception {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    TrainCharGpt.Result r = run(TrainCharGpt.parse(args("--steps", "40", "--eval-every", "20",
        "--sample-length", "50", "--top-k", "5", "--seed", "1")), bo);
    String out = bo.toString(StandardCharsets.UTF_8);
    List<TrainCharGpt.Point> h = r.history();
    assertEquals(List.of(0, 20, 40), h.stream().map(TrainCharGpt.Point::step).toList(), out);
    // from about ln(vocabulary) at the start to well below it; the training loss falls too
    double start = h.get(0).heldOutLoss();
    double end = h.get(2).heldOutLoss();
    assertTrue(Math.abs(start - Math.log(r.text().vocabSize())) < 0.5, "starts near uniform: " + out);
    assertTrue(end < start - 0.5, "held-out loss falls by half a nat or more:\n" + out);
    assertTrue(h.get(2).trainLoss() < h.get(1).trainLoss(), out);
    assertTrue(out.contains(String.format(java.util.Locale.ROOT, "unigram baseline: %.4f nats per character",
        r.unigram())), out);

    assertEquals(50, r.sample().codePointCount(0, r.sample().length()), r.sample());
    Set<Integer> vocab = Arrays.stream(r.text().vocab()).boxed().collect(Collectors.toSet());
    assertTrue(r.sample().codePoints().allMatch(vocab::contains), r.sample());
    assertTrue(out.contains("sample (50 characters after \"\\n\", temperature 0.8, top-k 5):\n\n" + r.sample()),
        out);
  }

  /**
   * A run interrupted after step 8 (its checkpoint written at that evaluation) and resumed to step
   * 12 ends with the same parameters, optimizer state and loss history, bit for bit, as a run that
   * was not interrupted. Dropout is on, so the resumed steps must also draw the same masks.
   */
  @Test
  void resumingContinuesExactlyAsTheUninterruptedRun() throws Exception {
    Path whole = tmp.resolve("whole.safetensors");
    Path parts = tmp.resolve("parts.safetensors");
    String[] common = {"--steps", "12", "--eval-every", "4", "--dropout", "0.1", "--seed", "5",
        "--sample-length", "0"};
    ByteArrayOutputStream ignored = new ByteArrayOutputStream();
    run(TrainCharGpt.parse(args(concat(common, "--save", whole.toString()))), ignored);
    TrainCharGpt.Result first =
        run(TrainCharGpt.parse(args(concat(common, "--save", parts.toString()))).withStopAfter(8), ignored);
    assertEquals(8, first.step());
    assertEquals("8", SafeTensors.readMetadata(parts).get("step"));

    // resumed with only the file names: every other option comes from the checkpoint
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    TrainCharGpt.Result resumed = run(TrainCharGpt.parse("--device", "cpu", "--text", "sample", "--plot",
        "none", "--sample-length", "0", "--resume", parts.toString(), "--save", parts.toString()), bo);
    String out = bo.toString(StandardCharsets.UTF_8);
    assertEquals(12, resumed.step(), out);
    assertTrue(out.contains("resumed: " + parts + " at step 8"), out);
    assertTrue(out.contains("training: steps 9 to 12 of 12"), out);

    Map<String, Tensor> a = SafeTensors.load(whole);
    Map<String, Tensor> b = SafeTensors.load(parts);
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.keySet().contains("__optimizer__.state.0.exp_avg"), a.keySet().toString());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(), 0.0, k);
    }
    Map<String, String> ma = SafeTensors.readMetadata(whole);
    Map<String, String> mb = SafeTensors.readMetadata(parts);
    for (String k : List.of("step", "loss_history", "seed", "lr", "steps", "dropout", "vocab")) {
      assertEquals(ma.get(k), mb.get(k), k);
    }
    assertEquals(4, TrainCharGpt.parseHistory(mb.get("loss_history")).size());

    // a finished checkpoint resumed again trains no further (and still samples)
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    TrainCharGpt.Result done = run(TrainCharGpt.parse("--device", "cpu", "--text", "sample", "--plot", "none",
        "--sample-length", "5", "--resume", parts.toString()), again);
    assertEquals(12, done.step());
    assertEquals(resumed.history(), done.history());
    assertEquals(5, done.sample().length());
    assertTrue(again.toString(StandardCharsets.UTF_8).contains("training: none, the checkpoint is at step 12 of 12"),
        again.toString(StandardCharsets.UTF_8));
  }

  /**
   * {@code lm_head.weight = tok_emb.weight} as in PyTorch: one Parameter, listed once by
   * parameters() and given to AdamW once, but two state-dict keys; its gradient is the sum of both
   * uses'; a checkpoint round trip keeps the two modules sharing it.
   */
  @Test
  void theOutputProjectionIsTiedToTheTokenEmbedding() throws Exception {
    Generator.manualSeed(3);
    CharGpt.Config c = new CharGpt.Config(11, 8, 16, 2, 1, 0.0);
    CharGpt tied = new CharGpt(c);
    Parameter w = tied.tokEmb().weight();
    assertSame(w, tied.lmHead().weight());
    assertTrue(tied.namedParameters().containsKey("tok_emb.weight"));
    assertFalse(tied.namedParameters().containsKey("lm_head.weight"), "listed once, under its first name");
    assertTrue(tied.namedParameters("", true, false).containsKey("lm_head.weight"));
    assertEquals(1, tied.parameters().stream().filter(p -> p == w).count());
    StateDict sd = tied.stateDict();
    assertTrue(sd.containsKey("tok_emb.weight") && sd.containsKey("lm_head.weight"), sd.keySet().toString());
    assertEquals(tied.namedParameters().size() + 1, sd.size(), "one extra key: lm_head.weight");
    AdamW opt = TrainCharGpt.optimizer(tied, 1e-3);
    List<Parameter> inOpt = new ArrayList<>();
    for (ParamGroup g : opt.paramGroups()) {
      inOpt.addAll(g.params());
    }
    assertEquals(tied.parameters().size(), inOpt.size());
    assertEquals(1, inOpt.stream().filter(p -> p == w).count());

    // the same weights untied: lm_head gets its own copy of the embedding
    CharGpt untied = new CharGpt(c);
    untied.loadStateDict(sd);
    untied.lmHead().setAttribute("weight", new Parameter(w.detach().clone()));
    assertNotSame(untied.tokEmb().weight(), untied.lmHead().weight());
    Tensor x = Tensor.fromArray(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4, 5}, 2, 8);
    Tensor y = Tensor.fromArray(new long[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4, 5, 6}, 2, 8);
    tied.loss(x, y).backward();
    untied.loss(x, y).backward();
    Tensor sum = untied.tokEmb().weight().grad().add(untied.lmHead().weight().grad());
    assertArrayEquals(sum.toDoubleArray(), w.grad().toDoubleArray(), 1e-6);

    Path f = tmp.resolve("tied.safetensors");
    Checkpoints.save(tied, f);
    Generator.manualSeed(4);
    CharGpt loaded = new CharGpt(c);
    Checkpoints.load(loaded, f);
    assertSame(loaded.tokEmb().weight(), loaded.lmHead().weight());
    assertArrayEquals(w.toDoubleArray(), loaded.lmHead().weight().toDoubleArray(), 0.0);
  }

  @Test
  void unigramBaselineIsTheHeldOutCrossEntropyUnderTrainingFrequencies() {
    // 20 characters: the first 18 train (15 a, 2 b, 1 c), the last 2 held out ("ab")
    CharText t = CharText.of("aaaaaaaaaaaaaaabbc" + "ab", "test");
    assertEquals(18, t.trainLength());
    assertEquals(2, t.heldOutLength());
    assertEquals("abc", t.vocabString());
    // add-one smoothing over 3 characters: p(a) = 16/21, p(b) = 3/21
    double expected = -(Math.log(16.0 / 21) + Math.log(3.0 / 21)) / 2;
    assertEquals(expected, t.unigramHeldOutLoss(), 1e-12);
    assertEquals("cab", t.decode(t.encode("cab")));
    assertEquals(-1, t.encode("d")[0]);
  }

  @Test
  void samplingKeepsTheTopKAndLowTemperatureTakesTheMostLikely() {
    float[] logits = {0f, 5f, 1f, 4f, -2f};
    Random rnd = new Random(0);
    Set<Integer> drawn = new java.util.HashSet<>();
    for (int i = 0; i < 2000; i++) {
      drawn.add(CharGpt.sample(logits, 1.0, 2, rnd));
    }
    assertEquals(Set.of(1, 3), drawn);
    drawn.clear();
    for (int i = 0; i < 2000; i++) {
      drawn.add(CharGpt.sample(logits, 1.0, 0, rnd));
    }
    assertEquals(Set.of(0, 1, 2, 3, 4), drawn, "top-k 0 keeps all");
    for (int i = 0; i < 100; i++) {
      assertEquals(1, CharGpt.sample(logits, 1e-3, 0, rnd));
    }
  }

  @Test
  void theKjvTextComesFromTheProgramOrFallsBackWithANotice() throws Exception {
    List<String> missing = List.of(tmp.resolve("no-such-bible").toString(), "gen1:1");
    CharText.ProgramMissingException e =
        assertThrows(CharText.ProgramMissingException.class, () -> CharText.load("kjv", missing, s -> {}));
    assertTrue(e.getMessage().contains("apt-get install bible-kjv"), e.getMessage());
    List<String> notices = new ArrayList<>();
    CharText auto = CharText.load("auto", missing, notices::add);
    assertEquals(CharText.sample().length(), auto.trainLength() + auto.heldOutLength());
    assertEquals(1, notices.size());
    assertTrue(notices.get(0).contains("install Debian's bible-kjv"), notices.get(0));
    // what the program prints is the text (echo stands in for bible)
    CharText echoed = CharText.load("kjv", List.of("echo", "In the beginning"), s -> {});
    assertEquals("\n Ibeghint", echoed.vocabString());
    IOException failed = assertThrows(IOException.class, () -> CharText.load("kjv", List.of("false"), s -> {}));
    assertTrue(failed.getMessage().contains("failed (exit 1)"), failed.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--bogus                    | unknown option '--bogus' (see --help)",
      "--step 5                   | unknown option '--step' (did you mean --steps?)",
      "--steps 0                  | --steps must be positive, got 0",
      "--steps x                  | --steps must be an integer, got 'x'",
      "--lr -1                    | --lr must be positive, got -1",
      "--batch-size 0             | --batch-size must be positive, got 0",
      "--d-model 64 --heads 3     | --heads 3 must divide --d-model 64",
      "--dropout 1                | --dropout must be at least 0 and below 1, got 1",
      "--temperature 0            | --temperature must be positive, got 0",
      "--top-k -1                 | --top-k must be 0 (all) or more, got -1",
      "--sample-length -2         | --sample-length must be 0 or more, got -2",
      "--device tpu               | --device must be auto, cpu, cuda or cuda:N, got 'tpu'",
      "--resume                   | --resume needs a value (FILE)",
      "extra                      | unexpected argument 'extra' (options start with --; see --help)",
  })
  void usageErrorsExit2WithOneLineNamingTheOption(String line, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TrainCharGpt.execute(line.strip().split(" +"), print(out), print(err));
    assertEquals(2, status, err.toString(StandardCharsets.UTF_8));
    assertEquals("train-gpt: " + message + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryOptionAndExits0() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, TrainCharGpt.execute(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream())));
    String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    for (String opt : List.of("--steps", "--batch-size", "--lr", "--seed", "--device", "--text", "--context",
        "--d-model", "--heads", "--layers", "--dropout", "--eval-every", "--eval-windows", "--save", "--resume",
        "--sample-length", "--temperature", "--top-k", "--prompt", "--plot", "--verbose", "--help")) {
      assertTrue(help.contains(opt), opt + " missing from:\n" + help);
    }
    assertTrue(help.contains("The last 10 % are held out. Default: auto."), help);
    for (Map.Entry<String, Number> d : TrainCharGpt.DEFAULTS.entrySet()) { // the help states the real defaults
      double x = d.getValue().doubleValue();
      String shown = x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
      assertTrue(help.contains("Default: " + shown + "."), d + " missing from:\n" + help);
    }
    assertTrue(help.contains("Exit status: 0 done, 1 runtime error"), help);
  }

  @Test
  void runtimeErrorsExit1WithOneLine() throws Exception {
    Files.writeString(tmp.resolve("short.txt"), "too short");
    Path other = tmp.resolve("other.safetensors");
    Checkpoints.save(new dev.jnn.nn.layers.Linear(2, 2), other);
    Path small = tmp.resolve("small.safetensors");
    run(TrainCharGpt.parse(args("--steps", "2", "--eval-every", "2", "--sample-length", "0", "--save",
        small.toString())), new ByteArrayOutputStream());
    Path missingDir = tmp.resolve("nodir");
    String[][] cases = {
        {"train-gpt: --text " + tmp.resolve("missing.txt") + ": no such file: " + tmp.resolve("missing.txt"),
            "--text", tmp.resolve("missing.txt").toString()},
        {"train-gpt: --text " + tmp.resolve("short.txt") + ": too short for --context 64",
            "--text", tmp.resolve("short.txt").toString()},
        {"train-gpt: --resume " + tmp.resolve("none.ckpt") + ": no such file",
            "--resume", tmp.resolve("none.ckpt").toString()},
        {"train-gpt: --resume " + other + ": not a checkpoint of train-gpt", "--resume", other.toString()},
        {"train-gpt: --d-model 32 differs from the checkpoint's 16", "--resume", small.toString(),
            "--d-model", "32"},
        {"train-gpt: --prompt: '#' does not occur in the text", "--text", "sample", "--prompt", "#"},
        {"train-gpt: --save " + missingDir.resolve("m.ckpt") + ": directory " + missingDir + " does not exist",
            "--save", missingDir.resolve("m.ckpt").toString()},
    };
    for (String[] c : cases) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      String[] a = concat(new String[] {"--device", "cpu", "--plot", "none", "--text", "sample"},
          Arrays.copyOfRange(c, 1, c.length));
      int status = TrainCharGpt.execute(a, print(out), print(err));
      String e = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, status, String.join(" ", a) + "\n" + e);
      assertEquals(1, e.lines().count(), e);
      assertTrue(e.startsWith(c[0]), "expected '" + c[0] + "...', got: " + e);
      assertFalse(out.toString(StandardCharsets.UTF_8).contains("step 1"), "nothing trained");
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static PrintStream print(ByteArrayOutputStream bo) {
    return new PrintStream(bo, true, StandardCharsets.UTF_8);
  }
}
