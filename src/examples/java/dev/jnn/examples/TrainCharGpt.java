package dev.jnn.examples;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.backend.cpu.Gemm;
import dev.jnn.backend.cpu.Parallel;
import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.Device;
import dev.jnn.examples.TrainFashionMnist.JobException;
import dev.jnn.examples.TrainFashionMnist.UsageException;
import dev.jnn.io.Checkpoints;
import dev.jnn.io.SafeTensors;
import dev.jnn.nn.Parameter;
import dev.jnn.optim.AdamW;
import dev.jnn.optim.ClipGrad;
import dev.jnn.optim.ParamGroup;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * An example that learns: trains {@link CharGpt}, a small causal (GPT-style) character-level
 * language model, on a public-domain text ({@link CharText}: the King James Bible from Debian's
 * {@code bible-kjv}, or its embedded first three chapters), prints the training and held-out loss
 * against the unigram baseline as it goes, and samples text at the end.
 *
 * <pre>
 * scripts/train-gpt [--steps 400] [--batch-size 32] [--lr 0.006] [--seed 0] [--device auto|cpu|cuda]
 *                   [--text auto|sample|kjv|FILE] [--context 64] [--d-model 64] [--heads 4]
 *                   [--layers 2] [--dropout 0] [--eval-every 50] [--eval-windows 128]
 *                   [--save FILE] [--resume FILE] [--sample-length 400] [--temperature 0.8]
 *                   [--top-k 10] [--prompt TEXT] [--plot FILE.png|none] [--verbose] [--help]
 * </pre>
 *
 * <p>Each step takes {@code --batch-size} windows of {@code --context} characters at random
 * offsets of the training part (nanoGPT's {@code get_batch}) and makes one AdamW step (weight
 * decay 0.1 on the matrices only, betas 0.9/0.99, gradient norm clipped at 1; the learning rate
 * rises linearly over the first tenth of the steps, at most 100, then follows a cosine down to a
 * tenth of {@code --lr}). The windows of step {@code s} and its dropout masks come from seeds
 * derived from {@code (--seed, s)}, and the learning rate is a function of {@code s}, so a run
 * resumed from a checkpoint continues exactly as the uninterrupted run would have.
 *
 * <p>{@code --save FILE} writes the model, the AdamW state, the step, the options and the loss
 * history with {@link Checkpoints#save} (atomically) at every evaluation and at the end. {@code
 * --resume FILE} loads all of it and goes on to {@code --steps}; the model's shape and the
 * training options come from the checkpoint unless given again (a different shape is an error).
 *
 * <p>Exit status: 0 done, 1 runtime error (one line; the stack trace with {@code --verbose}), 2
 * usage error (one line naming the option), as {@link TrainFashionMnist}.
 */
public final class TrainCharGpt {
  /** The program name in messages (scripts/train-gpt). */
  static final String NAME = "train-gpt";

  static final String DEFAULT_PLOT = "char-gpt-loss.png";

  /** The metadata key that marks this example's checkpoints. */
  static final String MARK = "char_gpt";

  private TrainCharGpt() {}

  /** The defaults of the options that a checkpoint can also supply. */
  static final Map<String, Number> DEFAULTS = Map.ofEntries(
      Map.entry("steps", 400), Map.entry("batch_size", 32), Map.entry("lr", 6e-3),
      Map.entry("seed", 0L), Map.entry("context", 64), Map.entry("d_model", 64),
      Map.entry("heads", 4), Map.entry("layers", 2), Map.entry("dropout", 0.0),
      Map.entry("eval_every", 50), Map.entry("eval_windows", 128));

  /** Options that fix the model's shape: given with --resume, they must match the checkpoint. */
  static final List<String> SHAPE = List.of("context", "d_model", "heads", "layers");

  /**
   * Parsed options. The boxed ones are null when not given (then the checkpoint's value with
   * {@code --resume}, else {@link #DEFAULTS}); {@code stopAfter} (0: no) stops after that step as
   * an interruption would, for tests.
   */
  record Options(String device, Integer steps, Integer batchSize, Double lr, Long seed, String text,
      Integer context, Integer dModel, Integer heads, Integer layers, Double dropout,
      Integer evalEvery, Integer evalWindows, Path save, Path resume, int sampleLength,
      double temperature, int topK, String prompt, Path plot, boolean verbose, int stopAfter) {
    Options withStopAfter(int step) {
      return new Options(device, steps, batchSize, lr, seed, text, context, dModel, heads, layers,
          dropout, evalEvery, evalWindows, save, resume, sampleLength, temperature, topK, prompt,
          plot, verbose, step);
    }

    /** The given value of a resumable option, or null. */
    Number given(String key) {
      return switch (key) {
        case "steps" -> steps;
        case "batch_size" -> batchSize;
        case "lr" -> lr;
        case "seed" -> seed;
        case "context" -> context;
        case "d_model" -> dModel;
        case "heads" -> heads;
        case "layers" -> layers;
        case "dropout" -> dropout;
        case "eval_every" -> evalEvery;
        case "eval_windows" -> evalWindows;
        default -> throw new IllegalArgumentException(key);
      };
    }
  }

  /** One evaluation: the step, the mean training loss since the last one (NaN at the start), the held-out loss. */
  record Point(int step, double trainLoss, double heldOutLoss) {}

  /** What a run produced. */
  record Result(List<Point> history, double unigram, int step, double seconds, String sample,
      CharText text) {}

  /** The command line as picocli sees it; {@link #options()} validates it. */
  @Command(name = NAME, sortOptions = false, usageHelpWidth = 100, showAtFileInUsageHelp = false,
      description = {"Trains a small causal (GPT-style) character-level language model on a "
          + "public-domain text, prints the training and held-out loss against the unigram baseline "
          + "as it goes, and samples text at the end.", ""},
      footer = {"", "With --resume, the options marked (*) default to the checkpoint's values; the "
          + "model's shape (--context, --d-model, --heads, --layers) must match it.",
          "Relative paths are resolved against the working directory. --save and --plot are checked "
          + "before training starts.",
          "Exit status: 0 done, 1 runtime error (missing text or checkpoint, unwritable output, CUDA "
          + "requested but unusable), 2 usage error."})
  static final class Cli {
    @Option(names = "--steps", paramLabel = "N",
        description = "(*) Optimizer steps in all (a resumed run goes on to N). Default: 400.")
    Integer steps;

    @Option(names = "--batch-size", paramLabel = "N",
        description = "(*) Windows of --context characters per step. Default: 32.")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X",
        description = "(*) Peak learning rate (linear warm-up over the first tenth of the steps, at "
            + "most 100, then a cosine down to X/10). Default: 0.006.")
    Double lr;

    @Option(names = "--seed", paramLabel = "N",
        description = "(*) Seed of the initial weights, the windows, dropout and sampling. Default: 0.")
    Long seed;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]", defaultValue = "auto",
        description = "Where to train: the GPU when one is usable, else the CPU (auto); cuda fails "
            + "when CUDA is unusable. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--text", paramLabel = "auto|sample|kjv|FILE", defaultValue = "auto",
        description = "kjv: the King James Bible, as the program of Debian's bible-kjv package prints "
            + "it (4.3 million characters); sample: its first three chapters, shipped with the example; "
            + "FILE: a UTF-8 text file; auto: kjv when bible-kjv is installed, else sample. The last "
            + "10 %% are held out. Default: ${DEFAULT-VALUE}.")
    String text;

    @Option(names = "--context", paramLabel = "N",
        description = "(*) Characters the model sees (block size). Default: 64.")
    Integer context;

    @Option(names = "--d-model", paramLabel = "N",
        description = "(*) Width of the model (embedding size). Default: 64.")
    Integer dModel;

    @Option(names = "--heads", paramLabel = "N",
        description = "(*) Attention heads per layer (must divide --d-model). Default: 4.")
    Integer heads;

    @Option(names = "--layers", paramLabel = "N",
        description = "(*) Transformer layers. Default: 2.")
    Integer layers;

    @Option(names = "--dropout", paramLabel = "X",
        description = "(*) Dropout probability in training. Default: 0.")
    Double dropout;

    @Option(names = "--eval-every", paramLabel = "N",
        description = "(*) Steps between evaluations (each also writes --save). Default: 50.")
    Integer evalEvery;

    @Option(names = "--eval-windows", paramLabel = "N",
        description = "(*) Held-out windows of --context characters the held-out loss is measured "
            + "on (the same ones in every run). Default: 128.")
    Integer evalWindows;

    @Option(names = "--save", paramLabel = "FILE",
        description = "Write a checkpoint (model, AdamW state, step, options, loss history; "
            + "safetensors) at every evaluation and at the end. Default: not saved.")
    String save;

    @Option(names = "--resume", paramLabel = "FILE",
        description = "Continue the training saved in FILE (by --save) up to --steps. Default: none "
            + "(fresh weights).")
    String resume;

    @Option(names = "--sample-length", paramLabel = "N", defaultValue = "400",
        description = "Characters to sample at the end; 0 samples none. Default: ${DEFAULT-VALUE}.")
    int sampleLength;

    @Option(names = "--temperature", paramLabel = "X", defaultValue = "0.8",
        description = "Sampling temperature (lower: more conservative). Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--top-k", paramLabel = "N", defaultValue = "10",
        description = "Sample among the N most likely characters only; 0: all. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--prompt", paramLabel = "TEXT",
        description = "Text the sample continues (its characters must occur in the text). Default: "
            + "a new line.")
    String prompt;

    @Option(names = "--plot", paramLabel = "FILE.png|none", defaultValue = DEFAULT_PLOT,
        description = "Where to draw the training and held-out loss per evaluation (PNG); none "
            + "draws nothing. Default: ${DEFAULT-VALUE}.")
    String plot;

    @Option(names = {"-v", "--verbose"},
        description = "Full details: the CUDA back end's reasons and, on errors, the stack trace. "
            + "Default: off.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The validated options; usage errors name the option. */
    Options options() {
      if (!device.equals("auto") && !device.equals("cpu")) {
        try {
          if (Device.parse(device).type() != Device.Type.CUDA) {
            throw new IllegalArgumentException(device);
          }
        } catch (RuntimeException e) {
          throw new UsageException("--device must be auto, cpu, cuda or cuda:N, got '" + device + "'");
        }
      }
      positive("--steps", steps);
      positive("--batch-size", batchSize);
      positive("--context", context);
      positive("--d-model", dModel);
      positive("--heads", heads);
      positive("--layers", layers);
      positive("--eval-every", evalEvery);
      positive("--eval-windows", evalWindows);
      if (lr != null && (!(lr > 0) || Double.isInfinite(lr))) {
        throw new UsageException("--lr must be positive, got " + number(lr));
      }
      if (dropout != null && !(dropout >= 0 && dropout < 1)) {
        throw new UsageException("--dropout must be at least 0 and below 1, got " + number(dropout));
      }
      if (dModel != null && heads != null && dModel % heads != 0) {
        throw new UsageException("--heads " + heads + " must divide --d-model " + dModel);
      }
      if (sampleLength < 0) {
        throw new UsageException("--sample-length must be 0 or more, got " + sampleLength);
      }
      if (!(temperature > 0) || Double.isInfinite(temperature)) {
        throw new UsageException("--temperature must be positive, got " + number(temperature));
      }
      if (topK < 0) {
        throw new UsageException("--top-k must be 0 (all) or more, got " + topK);
      }
      if (prompt != null && prompt.isEmpty()) {
        throw new UsageException("--prompt needs at least one character");
      }
      for (String[] p : new String[][] {{"--text", text}, {"--plot", plot}, {"--save", save}, {"--resume", resume}}) {
        if (p[1] != null && p[1].isBlank()) {
          throw new UsageException(p[0] + " needs a value, got ''");
        }
      }
      Path plotPath = null;
      if (!plot.equals("none")) {
        plotPath = path("--plot", plot.toLowerCase(Locale.ROOT).endsWith(".png") ? plot : plot + ".png");
      }
      return new Options(device, steps, batchSize, lr, seed, text, context, dModel, heads, layers,
          dropout, evalEvery, evalWindows, save == null ? null : path("--save", save),
          resume == null ? null : path("--resume", resume), sampleLength, temperature, topK, prompt,
          plotPath, verbose, 0);
    }
  }

  private static void positive(String option, Integer v) {
    if (v != null && v < 1) {
      throw new UsageException(option + " must be positive, got " + v);
    }
  }

  private static String number(double x) {
    return x == Math.rint(x) && !Double.isInfinite(x) ? String.valueOf((long) x) : String.valueOf(x);
  }

  private static Path path(String option, String value) {
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new UsageException(option + ": not a valid path: '" + value + "'");
    }
  }

  static CommandLine commandLine(Cli cli) {
    CommandLine cl = new CommandLine(cli);
    cl.setExpandAtFiles(false);
    cl.setOverwrittenOptionsAllowed(true);
    return cl;
  }

  /** Parses and validates a command line; throws {@link UsageException} (a null message: --help). */
  static Options parse(String... args) {
    Cli cli = new Cli();
    try {
      commandLine(cli).parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(TrainFashionMnist.usageMessage(e));
    }
    if (cli.help) {
      throw new UsageException(null);
    }
    return cli.options();
  }

  /** Entry point: exits 0 when done, 1 on a runtime error, 2 on a usage error. */
  public static void main(String[] args) {
    int status = execute(args, System.out, System.err);
    System.out.flush();
    System.exit(status);
  }

  /** Runs the command line; returns the exit status. Errors go to {@code err} as one line. */
  static int execute(String[] args, PrintStream out, PrintStream err) {
    Cli cli = new Cli();
    CommandLine cl = commandLine(cli);
    Options o;
    try {
      cl.parseArgs(args);
      if (cli.help) {
        cl.usage(out, CommandLine.Help.Ansi.OFF);
        return 0;
      }
      o = cli.options();
    } catch (ParameterException e) {
      err.println(NAME + ": " + TrainFashionMnist.usageMessage(e));
      return 2;
    } catch (UsageException e) {
      err.println(NAME + ": " + e.getMessage());
      return 2;
    }
    try {
      run(o, out);
      return 0;
    } catch (JobException e) {
      out.flush();
      err.println(NAME + ": " + e.getMessage());
      if (o.verbose()) {
        e.printStackTrace(err);
      }
      return 1;
    } catch (Exception | Error e) {
      out.flush();
      err.println(NAME + ": " + TrainFashionMnist.oneLine(e)
          + (o.verbose() ? "" : " (--verbose shows the stack trace)"));
      if (o.verbose()) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** The learning rate of step {@code s} (0-based): linear warm-up, then a cosine to lr / 10. */
  static double learningRate(int s, int steps, double lr) {
    int warmup = Math.max(1, Math.min(100, steps / 10));
    if (s < warmup) {
      return lr * (s + 1) / warmup;
    }
    double progress = steps > warmup ? (double) (s - warmup) / (steps - warmup) : 1;
    double min = lr / 10;
    return min + 0.5 * (lr - min) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  }

  /** A seed for step {@code s} of a run seeded with {@code seed} (SplitMix64's finaliser). */
  static long stepSeed(long seed, long s) {
    long z = seed * 0x9E3779B97F4A7C15L + s + 1;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Runs training as configured, printing progress to {@code out}. */
  static Result run(Options o, PrintStream out) throws IOException {
    TrainFashionMnist.checkOutput("--save", o.save());
    TrainFashionMnist.checkOutput("--plot", o.plot());
    Map<String, String> meta = Map.of();
    if (o.resume() != null) {
      if (!Files.isRegularFile(o.resume())) {
        throw new JobException("--resume " + o.resume() + ": "
            + (Files.isDirectory(o.resume()) ? "is a directory" : "no such file"));
      }
      try {
        meta = SafeTensors.readMetadata(o.resume());
      } catch (IOException | RuntimeException e) {
        throw new JobException("--resume " + o.resume() + ": " + TrainFashionMnist.oneLine(e), e);
      }
      if (!"1".equals(meta.get(MARK))) {
        throw new JobException("--resume " + o.resume() + ": not a checkpoint of " + NAME
            + " (no '" + MARK + "' metadata)");
      }
    }
    // every resumable option: given, else the checkpoint's, else the default
    Map<String, Number> v = new LinkedHashMap<>();
    for (String key : DEFAULTS.keySet()) {
      Number given = o.given(key);
      String saved = meta.get(key);
      if (given != null && saved != null && SHAPE.contains(key) && given.intValue() != Integer.parseInt(saved)) {
        throw new JobException("--" + key.replace('_', '-') + " " + given + " differs from the checkpoint's "
            + saved + " (--resume " + o.resume() + "): the model's shape cannot change");
      }
      Number d = DEFAULTS.get(key);
      if (given != null) {
        v.put(key, given);
      } else if (saved != null) {
        v.put(key, d instanceof Double ? (Number) Double.parseDouble(saved)
            : d instanceof Long ? (Number) Long.parseLong(saved) : (Number) Integer.parseInt(saved));
      } else {
        v.put(key, d);
      }
    }
    final int steps = v.get("steps").intValue();
    final int batch = v.get("batch_size").intValue();
    final double lr = v.get("lr").doubleValue();
    final long seed = v.get("seed").longValue();
    final int context = v.get("context").intValue();
    final int evalEvery = v.get("eval_every").intValue();
    final int evalWindows = v.get("eval_windows").intValue();
    if (v.get("d_model").intValue() % v.get("heads").intValue() != 0) {
      throw new JobException("--heads " + v.get("heads") + " must divide --d-model " + v.get("d_model"));
    }

    CharText text;
    try {
      text = CharText.load(o.text(), out::println);
    } catch (IOException | RuntimeException e) {
      throw new JobException("--text " + o.text() + ": " + TrainFashionMnist.oneLine(e), e);
    }
    out.println("text: " + text);
    if (!text.fits(context)) {
      throw new JobException("--text " + o.text() + ": too short for --context " + context
          + " (each part needs more than " + context + " characters)");
    }
    if (o.resume() != null && !text.vocabString().equals(meta.get("vocab"))) {
      throw new JobException("--resume " + o.resume() + ": the checkpoint was trained on another text "
          + "(its characters differ from those of --text " + o.text() + ")");
    }
    String promptText = o.prompt() != null ? o.prompt() : text.encode("\n")[0] >= 0 ? "\n" : text.decode(0);
    int[] prompt = text.encode(promptText);
    for (int i = 0; i < prompt.length; i++) {
      if (prompt[i] < 0) {
        throw new JobException("--prompt: '" + promptText.substring(promptText.offsetByCodePoints(0, i),
            promptText.offsetByCodePoints(0, i + 1)) + "' does not occur in the text");
      }
    }
    double unigram = text.unigramHeldOutLoss();
    out.printf(Locale.ROOT, "unigram baseline: %.4f nats per character (the held-out part under the "
        + "training part's character frequencies)%n", unigram);

    Device device;
    try {
      device = TrainFashionMnist.pickDevice(o.device(), out, o.verbose());
    } catch (CudaUnavailableException e) {
      throw new JobException("--device " + o.device() + ": CUDA is not available ("
          + TrainFashionMnist.shortReason(e.getMessage()) + "); --device cpu or auto trains on the CPU"
          + (o.verbose() ? "" : ", --verbose gives the details"), e);
    } catch (RuntimeException e) {
      throw new JobException("--device " + o.device() + ": " + TrainFashionMnist.oneLine(e), e);
    }
    out.println("device: " + device + "; CPU threads " + Parallel.threads() + ", GEMM " + Gemm.kernelName()
        + (CpuFeatures.vectorEnabled() ? "" : " (start the JVM with --add-modules jdk.incubator.vector for the fast path)"));

    Generator.manualSeed(seed);
    CharGpt model = new CharGpt(new CharGpt.Config(text.vocabSize(), context, v.get("d_model").intValue(),
        v.get("heads").intValue(), v.get("layers").intValue(), v.get("dropout").doubleValue()));
    model.to(device);
    AdamW opt = optimizer(model, lr);
    long nParams = model.parameters().stream().mapToLong(Parameter::numel).sum();
    out.printf(Locale.ROOT, "model: %d layers, d_model %d, %d heads, context %d, dropout %s: %,d parameters "
            + "(lm_head.weight is tok_emb.weight: %d parameter tensors, %d state-dict entries)%n",
        model.config().layers(), model.config().dModel(), model.config().heads(), context,
        number(model.config().dropout()), nParams, model.parameters().size(), model.stateDict().size());

    int step = 0;
    List<Point> history = new ArrayList<>();
    if (o.resume() != null) {
      try {
        Checkpoints.load(model, opt, o.resume());
      } catch (IOException | RuntimeException e) {
        throw new JobException("--resume " + o.resume() + ": " + TrainFashionMnist.oneLine(e), e);
      }
      step = Integer.parseInt(meta.get("step"));
      history.addAll(parseHistory(meta.getOrDefault("loss_history", "")));
      out.printf(Locale.ROOT, "resumed: %s at step %d%s%n", o.resume(), step, history.isEmpty() ? ""
          : String.format(Locale.ROOT, " (held-out loss %.4f)", history.get(history.size() - 1).heldOutLoss()));
    }
    int last = o.stopAfter() > 0 ? Math.min(steps, o.stopAfter()) : steps;
    if (step >= last) {
      out.printf(Locale.ROOT, "training: none, the checkpoint is at step %d of %d (a larger --steps trains on)%n",
          step, steps);
    } else {
      out.printf(Locale.ROOT, "training: steps %d to %d of %d, each on %d windows of %d characters (%.2f passes "
              + "over the training part in all); AdamW, lr %s (warm-up %d steps, cosine to %s), gradient norm "
              + "clipped at 1; held-out loss on %d windows%n",
          step + 1, last, steps, batch, context, (double) steps * batch * context / text.trainLength(),
          number(lr), Math.max(1, Math.min(100, steps / 10)), String.format(Locale.ROOT, "%.3g", lr / 10),
          evalWindows);
    }

    long[] evalOffsets = text.heldOutOffsets(evalWindows, context);
    boolean tty = System.console() != null;
    long t0 = System.nanoTime();
    if (step == 0) {
      double h = evaluate(model, text, evalOffsets, context, batch, device);
      history.add(new Point(0, Double.NaN, h));
      out.printf(Locale.ROOT, "step %d: held-out loss %.4f (unigram %.4f)%n", 0, h, unigram);
    }
    List<Parameter> params = model.parameters();
    double lossSum = 0;
    int lossCount = 0;
    ProgressBar bar = null;
    while (step < last) {
      if (bar == null && tty) {
        int to = Math.min(last, (step / evalEvery + 1) * evalEvery);
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "steps %d-%d", step + 1, to))
            .setInitialMax(to - step).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" steps", 1)
            .showSpeed().build();
      }
      model.train();
      double stepLr = learningRate(step, steps, lr);
      for (ParamGroup g : opt.paramGroups()) {
        g.setLr(stepLr);
      }
      Generator.manualSeed(stepSeed(seed, step)); // this step's dropout masks
      Tensor[] b = text.trainBatch(batch, context, new SplittableRandom(stepSeed(~seed, step)));
      try (MemoryScope s = MemoryScope.open()) {
        Tensor loss = model.loss(b[0].to(device), b[1].to(device));
        opt.zeroGrad(false);
        loss.backward();
        ClipGrad.clipGradNorm(params, 1.0, 2.0);
        opt.step();
        lossSum += loss.item();
      }
      lossCount++;
      step++;
      if (bar != null) {
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", lossSum / lossCount));
      }
      if (step % evalEvery == 0 || step == last) {
        if (bar != null) {
          bar.close();
          bar = null;
        }
        double h = evaluate(model, text, evalOffsets, context, batch, device);
        Point p = new Point(step, lossSum / lossCount, h);
        history.add(p);
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "step %d: train loss %.4f, held-out loss %.4f (unigram %.4f), lr %.2e, %.1f s%n",
            step, p.trainLoss(), h, unigram, stepLr, secs);
        lossSum = 0;
        lossCount = 0;
        if (o.save() != null) {
          save(model, opt, o.save(), step, v, text, history);
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    double finalLoss = history.get(history.size() - 1).heldOutLoss();
    out.printf(Locale.ROOT, "summary: held-out loss %.4f nats per character after %d steps, unigram baseline "
            + "%.4f (%.0f %% of it); %.1f s on %s (%s)%n",
        finalLoss, step, unigram, 100 * finalLoss / unigram, secs, device, text.description());
    if (o.save() != null) {
      save(model, opt, o.save(), step, v, text, history);
      out.println("saved: " + o.save().toAbsolutePath());
    }
    if (o.plot() != null) {
      try {
        plot(o.plot(), history, unigram);
      } catch (IOException e) {
        throw new JobException("--plot " + o.plot() + ": " + TrainFashionMnist.oneLine(e), e);
      }
      out.println("plot: " + o.plot().toAbsolutePath());
    }
    String sample = "";
    if (o.sampleLength() > 0) {
      out.printf(Locale.ROOT, "sample (%d characters after %s, temperature %s, top-k %s):%n", o.sampleLength(),
          quote(promptText), number(o.temperature()), o.topK() == 0 ? "all" : String.valueOf(o.topK()));
      out.print(promptText);
      StringBuilder drawn = new StringBuilder();
      model.generate(prompt, o.sampleLength(), o.temperature(), o.topK(), new Random(seed), device, id -> {
        String c = text.decode(id);
        drawn.append(c);
        out.print(c);
        out.flush();
      });
      out.println();
      sample = drawn.toString();
    }
    return new Result(history, unigram, step, secs, sample, text);
  }

  /**
   * AdamW as nanoGPT configures it: weight decay 0.1 on the matrices (embeddings, linear and
   * attention weights), none on biases and layer-norm parameters; betas 0.9 / 0.99.
   */
  static AdamW optimizer(CharGpt model, double lr) {
    List<Parameter> decay = new ArrayList<>();
    List<Parameter> noDecay = new ArrayList<>();
    for (Parameter p : model.parameters()) {
      (p.dim() >= 2 ? decay : noDecay).add(p);
    }
    AdamW opt = new AdamW(decay, lr, 0.9, 0.99, 1e-8, 0.1, false, false);
    opt.addParamGroup(noDecay, Map.of("weight_decay", 0.0));
    return opt;
  }

  /** Held-out loss: the mean cross-entropy over the windows at {@code offsets}, in eval mode. */
  static double evaluate(CharGpt model, CharText text, long[] offsets, int context, int batch, Device device) {
    model.eval();
    double sum = 0;
    try (var g = NoGrad.enter()) {
      for (int s = 0; s < offsets.length; s += batch) {
        long[] chunk = java.util.Arrays.copyOfRange(offsets, s, Math.min(offsets.length, s + batch));
        Tensor[] w = text.windows(chunk, context);
        try (MemoryScope scope = MemoryScope.open()) {
          sum += model.loss(w[0].to(device), w[1].to(device)).item() * chunk.length;
        }
      }
    }
    model.train();
    return sum / offsets.length;
  }

  static void save(CharGpt model, AdamW opt, Path file, int step, Map<String, Number> v, CharText text,
      List<Point> history) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(MARK, "1");
    meta.put("step", String.valueOf(step));
    for (Map.Entry<String, Number> e : v.entrySet()) {
      meta.put(e.getKey(), String.valueOf(e.getValue()));
    }
    meta.put("vocab", text.vocabString());
    meta.put("text", text.description());
    meta.put("loss_history", formatHistory(history));
    try {
      Checkpoints.save(model, opt, meta, file);
    } catch (IOException e) {
      throw new JobException("--save " + file + ": " + TrainFashionMnist.oneLine(e), e);
    }
  }

  /** {@code step:train:heldout} triples separated by {@code ;} (train is {@code NaN} at step 0). */
  static String formatHistory(List<Point> history) {
    StringBuilder b = new StringBuilder();
    for (Point p : history) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(p.step()).append(':').append(p.trainLoss()).append(':').append(p.heldOutLoss());
    }
    return b.toString();
  }

  static List<Point> parseHistory(String s) {
    List<Point> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    for (String p : s.split(";")) {
      String[] f = p.split(":");
      out.add(new Point(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])));
    }
    return out;
  }

  static void plot(Path file, List<Point> history, double unigram) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart c = new XYChartBuilder().width(720).height(420).title("character-level GPT: loss")
        .xAxisTitle("step").yAxisTitle("cross-entropy (nats per character)").build();
    List<Point> trained = history.stream().filter(p -> !Double.isNaN(p.trainLoss())).toList();
    if (!trained.isEmpty()) {
      c.addSeries("train (mean since the last evaluation)", trained.stream().mapToDouble(Point::step).toArray(),
          trained.stream().mapToDouble(Point::trainLoss).toArray());
    }
    double[] steps = history.stream().mapToDouble(Point::step).toArray();
    c.addSeries("held-out", steps, history.stream().mapToDouble(Point::heldOutLoss).toArray());
    double lastStep = steps.length > 1 ? steps[steps.length - 1] : 1;
    c.addSeries("unigram baseline", new double[] {0, lastStep}, new double[] {unigram, unigram});
    String name = file.toString();
    String base = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(c, base, BitmapEncoder.BitmapFormat.PNG);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t") + "\"";
  }
}
