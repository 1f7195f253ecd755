package dev.jnn.examples;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.Backends;
import dev.jnn.backend.HostBufferPool;
import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.backend.cpu.Gemm;
import dev.jnn.backend.cpu.Parallel;
import dev.jnn.backend.cuda.Cuda;
import dev.jnn.backend.cuda.MemoryStats;
import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.Device;
import dev.jnn.data.DataLoader;
import dev.jnn.data.TensorDataset;
import dev.jnn.io.Checkpoints;
import dev.jnn.io.FileFormatException;
import dev.jnn.io.SafeTensors;
import dev.jnn.nn.Module;
import dev.jnn.nn.functional.Functional;
import dev.jnn.optim.ClipGrad;
import dev.jnn.optim.CosineAnnealingLR;
import dev.jnn.optim.Optimizer;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The main job: trains {@link FashionMnistNet} (or, with {@code --model lstm}, the sequence
 * classifier {@link FashionMnistLstm}) on Fashion-MNIST and reports held-out accuracy.
 *
 * <pre>
 * scripts/train [--model cnn|lstm] [--device auto|cpu|cuda] [--epochs 3]
 *               [--batch-size 64 (cnn), 32 (lstm)] [--lr 0.05 (cnn), 0.005 (lstm)] [--momentum 0.9] [--seed 0]
 *               [--data auto|embedded|DIR] [--plot FILE.png|none] [--limit N] [--save FILE]
 *               [--load FILE] [--verbose] [--help]
 * </pre>
 *
 * <p>The CNN trains with SGD with momentum, its learning rate following a cosine from {@code
 * --lr} towards 0 over the epochs ({@link CosineAnnealingLR} stepped once per epoch); the LSTM
 * with Adam on batches of 32, its gradient norm clipped to 1, the cosine stepped after every batch
 * ({@link Network} holds both recipes).
 *
 * <p>{@code --save FILE} writes the trained model and optimizer state (a safetensors checkpoint,
 * see {@link dev.jnn.io.Checkpoints}) after the last epoch. {@code --load FILE} loads a model
 * (a jnn checkpoint, a safetensors file or a PyTorch {@code torch.save} state dict of the same
 * network) before training and reports its held-out accuracy; with {@code --epochs 0} that is
 * all it does.
 *
 * <p>The command line is parsed by picocli: {@code --opt value} and {@code --opt=value} both
 * work. Exit status: 0 done, 1 runtime error (missing data or checkpoint, unwritable output,
 * CUDA requested but unusable; one line, the stack trace with {@code --verbose}), 2 usage error
 * (one line naming the option). Relative paths are resolved against the working directory; the
 * output paths are checked before training, and the checkpoint is written before the plot.
 */
public final class TrainFashionMnist {
  /** Parsed command-line options. */
  record Options(Network model, String device, int epochs, int batchSize, double lr, double momentum,
      long seed, String data, Path plot, int limit, Path save, Path load, boolean verbose) {}

  /** What a run produced. */
  public record Result(List<Double> epochLoss, List<Double> epochTrainAcc, List<Double> epochTestAcc,
      double seconds, Device device, String data) {}

  /** The program name in messages (scripts/train, the Docker image's {@code jnn train}). */
  static final String NAME = "train";

  /**
   * Set by the Docker entry point when the container sees no GPU: replaces the back end's reason in
   * the one-line CPU fallback notice with what to do about it.
   */
  static final String CUDA_HINT_ENV = "JNN_CUDA_HINT";

  private TrainFashionMnist() {}

  /** The command line as picocli sees it; {@link #options()} validates it. */
  @Command(name = NAME, sortOptions = false, usageHelpWidth = 100, showAtFileInUsageHelp = false,
      description = {"Trains a classifier on Fashion-MNIST and reports the held-out accuracy: "
          + "FashionMnistNet (two 5x5 convolutions, ReLU, 2x2 max pooling, a linear head) with SGD "
          + "(momentum, learning rate cosine-annealed per epoch), or with --model lstm FashionMnistLstm "
          + "(a bidirectional LSTM reading each image row by row, 28 steps of 28 pixels, max over the "
          + "steps, a linear head) with Adam (gradient norm clipped to 1, learning rate cosine-annealed "
          + "per batch). "
          + "On JDK 17, runs with the same seed on one machine repeat exactly.", ""},
      footer = {"", "Relative paths (--data, --plot, --save, --load) are resolved against the working "
          + "directory. --plot and --save are checked before training starts; the checkpoint is "
          + "written before the plot.",
          "Exit status: 0 done, 1 runtime error (missing data or checkpoint, unwritable output, CUDA "
          + "requested but unusable), 2 usage error."})
  static final class Cli {
    @Option(names = "--model", paramLabel = "cnn|lstm", defaultValue = "cnn",
        description = "The network: cnn, the convolutional network; lstm, the LSTM sequence classifier. "
            + "Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]", defaultValue = "auto",
        description = "Where to train: the GPU when one is usable, else the CPU (auto); cuda fails "
            + "when CUDA is unusable. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
        description = "Passes over the training data; 0 with --load only evaluates the loaded model. "
            + "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N",
        description = "Images per optimizer step. Default: " + BATCH_SIZE_DEFAULTS + ".")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X",
        description = "Initial learning rate (cosine-annealed towards 0 over the epochs). "
            + "Default: " + LR_DEFAULTS + ".")
    Double lr;

    @Option(names = "--momentum", paramLabel = "X",
        description = "SGD momentum (--model cnn; the LSTM trains with Adam). Default: "
            + MOMENTUM_DEFAULT + ".")
    Double momentum;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
        description = "Seed of the initial weights and the shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--data", paramLabel = "auto|embedded|DIR", defaultValue = "auto",
        description = "auto: the full split from /usr/share/datasets/fashion-mnist when it is "
            + "there, else the embedded 10,000 images (8,000 train / 2,000 held-out); embedded: those; "
            + "DIR: a folder with the IDX files. Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--plot", paramLabel = "FILE.png|none", defaultValue = DEFAULT_PLOT,
        description = "Where to draw loss and accuracy per epoch (PNG); none draws nothing. "
            + "Default: ${DEFAULT-VALUE}.")
    String plot;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
        description = "Train on the first N training images only; 0 uses all. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--save", paramLabel = "FILE",
        description = "Write the trained model and optimizer state (a safetensors checkpoint) after "
            + "the last epoch. Default: not saved.")
    String save;

    @Option(names = "--load", paramLabel = "FILE",
        description = "Load a model first (a jnn checkpoint, a safetensors file or a PyTorch torch.save "
            + "state dict of the same network) and report its held-out accuracy. Default: none "
            + "(fresh weights).")
    String load;

    @Option(names = {"-v", "--verbose"},
        description = "Full details: the CUDA back end's reasons, the time of the first training "
            + "step against the epoch's median step, and, on errors, the stack trace. Default: off.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The validated options; usage errors name the option. */
    Options options() {
      Network network = Network.of(model);
      if (network == null) {
        throw new UsageException("--model must be cnn or lstm, got '" + model + "'");
      }
      if (momentum != null && !network.usesMomentum()) {
        throw new UsageException("--momentum applies to --model cnn only (--model " + network.option
            + " trains with Adam), got " + Network.number(momentum));
      }
      double lr = this.lr != null ? this.lr : network.defaultLr;
      int batchSize = this.batchSize != null ? this.batchSize : network.defaultBatchSize;
      double momentum = this.momentum != null ? this.momentum : Double.parseDouble(MOMENTUM_DEFAULT);
      if (!device.equals("auto") && !device.equals("cpu")) {
        try {
          if (Device.parse(device).type() != Device.Type.CUDA) {
            throw new IllegalArgumentException(device);
          }
        } catch (RuntimeException e) {
          throw new UsageException("--device must be auto, cpu, cuda or cuda:N, got '" + device + "'");
        }
      }
      if (epochs < 0 || (epochs == 0 && load == null)) {
        throw new UsageException("--epochs must be positive (0 only with --load), got " + epochs);
      }
      if (batchSize < 1) {
        throw new UsageException("--batch-size must be positive, got " + batchSize);
      }
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw new UsageException("--lr must be positive, got " + Network.number(lr));
      }
      if (!(momentum >= 0) || Double.isInfinite(momentum)) {
        throw new UsageException("--momentum must be 0 or more, got " + Network.number(momentum));
      }
      if (limit < 0) {
        throw new UsageException("--limit must be 0 (all) or more, got " + limit);
      }
      for (String[] p : new String[][] {{"--data", data}, {"--plot", plot}, {"--save", save}, {"--load", load}}) {
        if (p[1] != null && p[1].isBlank()) {
          throw new UsageException(p[0] + " needs a value, got ''");
        }
      }
      Path plotPath = null;
      if (!plot.equals("none")) {
        // BitmapEncoder writes FILE.png; name the file it writes
        plotPath = path("--plot", plot.toLowerCase(Locale.ROOT).endsWith(".png") ? plot : plot + ".png");
      }
      return new Options(network, device, epochs, batchSize, lr, momentum, seed, data, plotPath, limit,
          save == null ? null : path("--save", save), load == null ? null : path("--load", load), verbose);
    }
  }

  static final String DEFAULT_PLOT = "fashion-mnist-training.png";
  /** {@code --batch-size}'s default per network, as the help text gives it ({@link Network#defaultBatchSize}). */
  static final String BATCH_SIZE_DEFAULTS = "64 (cnn), 32 (lstm)";
  /** {@code --lr}'s default per network, as the help text gives it ({@link Network#defaultLr}). */
  static final String LR_DEFAULTS = "0.05 (cnn), 0.005 (lstm)";
  static final String MOMENTUM_DEFAULT = "0.9";

  private static Path path(String option, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(option + ": not a valid path: '" + value + "'");
    }
  }

  static CommandLine commandLine(Cli cli) {
    CommandLine cl = new CommandLine(cli);
    cl.setExpandAtFiles(false); // a file name may start with '@'
    cl.setOverwrittenOptionsAllowed(true); // the last --opt wins, as before (and after a wrapper's defaults)
    return cl;
  }

  /** Parses and validates a command line; throws {@link UsageException} (a null message: --help). */
  static Options parse(String[] args) {
    Cli cli = new Cli();
    try {
      commandLine(cli).parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(usageMessage(e));
    }
    if (cli.help) {
      throw new UsageException(null);
    }
    return cli.options();
  }

  /** picocli's complaint as one line naming the option. */
  static String usageMessage(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (!arg.startsWith("-") || arg.equals("-")) {
        return "unexpected argument '" + arg + "' (options start with --; see --help)";
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      List<String> similar = u.getSuggestions();
      return "unknown option '" + name + "'"
          + (similar.isEmpty() ? " (see --help)" : " (did you mean " + String.join(" or ", similar) + "?)");
    }
    if (e instanceof MissingParameterException m && m.getMissing() != null && !m.getMissing().isEmpty()
        && m.getMissing().get(0) instanceof OptionSpec opt) {
      return opt.longestName() + " needs a value (" + opt.paramLabel() + ")";
    }
    if (e.getCause() instanceof TypeConversionException && e.getArgSpec() instanceof OptionSpec opt) {
      Class<?> t = opt.type();
      String kind = t == int.class || t == long.class || t == Integer.class || t == Long.class
          ? "an integer" : "a number";
      String v = e.getValue() != null ? e.getValue() : "?";
      return opt.longestName() + " must be " + kind + ", got '" + v + "'";
    }
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  /** Bad command line (exit status 2); a null message asks for the help text. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String msg) {
      super(msg);
    }
  }

  /** A runtime error the user can act on (exit status 1): the message is the whole story. */
  static final class JobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobException(String msg, Throwable cause) {
      super(msg, cause);
    }

    JobException(String msg) {
      super(msg);
    }
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
      err.println(NAME + ": " + usageMessage(e));
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
    } catch (Exception | Error e) { // an unexpected failure: still one line, the trace on request
      out.flush();
      err.println(NAME + ": " + oneLine(e) + (o.verbose() ? "" : " (--verbose shows the stack trace)"));
      if (o.verbose()) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** An exception's message for people: the message, else the exception's kind. */
  static String oneLine(Throwable e) {
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof FileFormatException f) {
      return f.problem();
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    m = m.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl) + " ...";
  }

  /**
   * The first clause of the CUDA back end's reason without its parenthesised details (the full
   * reason names every library and folder searched): for one-line notices.
   */
  static String shortReason(String reason) {
    String hint = System.getenv(CUDA_HINT_ENV);
    if (hint != null && !hint.isBlank()) {
      return hint.strip();
    }
    if (reason == null) {
      return "unknown reason";
    }
    String r = reason.startsWith("CUDA is not available: ") ? reason.substring(23) : reason;
    int semi = r.indexOf("; ");
    if (semi > 0) {
      r = r.substring(0, semi);
    }
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (char c : r.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        sb.append(c);
      }
    }
    String s = sb.toString().replaceAll("\\s+", " ").strip();
    return s.length() <= 100 ? s : s.substring(0, 97) + "...";
  }

  static Device pickDevice(String requested, PrintStream out) {
    return pickDevice(requested, out, false);
  }

  static Device pickDevice(String requested, PrintStream out, boolean verbose) {
    if (requested.equals("cpu")) {
      return Device.CPU;
    }
    if (requested.startsWith("cuda")) {
      Device d = Device.parse(requested);
      Backends.forDevice(d); // throws CudaUnavailableException with the reason
      return d;
    }
    String reason = Backends.cudaUnavailableReason();
    if (reason == null) {
      return Device.cuda(0);
    }
    out.println("CUDA not used (" + shortReason(reason) + "); training on the CPU"
        + (verbose ? "" : " (--verbose for details)"));
    if (verbose) {
      out.println("CUDA: " + reason);
    }
    return Device.CPU;
  }

  static FashionMnist.Split loadData(String data) throws IOException {
    if (data.equals("embedded")) {
      return FashionMnist.embedded(embeddedDir());
    }
    if (data.equals("auto")) {
      if (FashionMnist.hasFullSplit(FashionMnist.SYSTEM_DIR)) {
        return FashionMnist.full(FashionMnist.SYSTEM_DIR);
      }
      return FashionMnist.embedded(embeddedDir());
    }
    Path dir = Path.of(data);
    if (!Files.isDirectory(dir)) {
      throw new IOException("--data " + data + ": not a directory");
    }
    return FashionMnist.hasFullSplit(dir) ? FashionMnist.full(dir) : FashionMnist.embedded(dir);
  }

  /** {@code $JNN_HOME/data} (scripts/train and the Docker entry point set JNN_HOME), else ./data. */
  static Path embeddedDir() {
    String home = System.getenv("JNN_HOME");
    Path p = home != null ? Path.of(home, "data") : Path.of("data");
    return p;
  }

  /**
   * Fails before any work when an output file cannot be written: its folder must exist and be
   * writable, and the file itself, if present, must be a writable regular file.
   */
  static void checkOutput(String option, Path file) {
    if (file == null) {
      return;
    }
    Path abs = file.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new JobException(option + " " + file + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir)) {
      throw new JobException(option + " " + file + ": directory " + dir + " is not writable");
    }
    if (Files.isDirectory(abs)) {
      throw new JobException(option + " " + file + ": is a directory");
    }
    if (Files.exists(abs) && !Files.isWritable(abs)) {
      throw new JobException(option + " " + file + ": not writable");
    }
  }

  /** Runs training as configured and prints progress to {@code out}. */
  static Result run(Options o, PrintStream out) throws IOException {
    // everything that can be checked before the first epoch is (--epochs 0 writes nothing)
    if (o.epochs() > 0) {
      checkOutput("--save", o.save());
      checkOutput("--plot", o.plot());
    }
    if (o.load() != null && !Files.isRegularFile(o.load())) {
      throw new JobException("--load " + o.load() + ": "
          + (Files.isDirectory(o.load()) ? "is a directory" : "no such file"));
    }
    if (o.load() != null && !Files.isReadable(o.load())) {
      throw new JobException("--load " + o.load() + ": not readable");
    }
    if (!o.data().equals("auto") && !o.data().equals("embedded") && !Files.isDirectory(Path.of(o.data()))) {
      throw new JobException("--data " + o.data() + ": "
          + (Files.exists(Path.of(o.data())) ? "not a directory" : "no such directory"));
    }
    Device device;
    try {
      device = pickDevice(o.device(), out, o.verbose());
    } catch (CudaUnavailableException e) {
      throw new JobException("--device " + o.device() + ": CUDA is not available ("
          + shortReason(e.getMessage()) + "); --device cpu or auto trains on the CPU"
          + (o.verbose() ? "" : ", --verbose gives the details"), e);
    } catch (RuntimeException e) {
      throw new JobException("--device " + o.device() + ": " + oneLine(e), e);
    }
    if (o.verbose() && device.type() == Device.Type.CUDA) {
      try {
        out.println(Cuda.describe());
      } catch (RuntimeException e) {
        out.println("CUDA: " + oneLine(e));
      }
    }
    FashionMnist.Split split;
    try {
      split = loadData(o.data());
    } catch (IOException | RuntimeException e) {
      String m = oneLine(e);
      throw new JobException(m.startsWith("--data") ? m : "--data " + o.data() + ": " + m, e);
    }
    Tensor trX = split.trainX();
    Tensor trY = split.trainY();
    if (o.limit() > 0 && o.limit() < trX.size(0)) {
      trX = trX.narrow(0, 0, o.limit()).contiguous();
      trY = trY.narrow(0, 0, o.limit()).contiguous();
    }
    out.println("data: " + split.description() + (o.limit() > 0 ? ", first " + trX.size(0) + " used" : ""));
    out.println("device: " + device + "; CPU threads " + Parallel.threads() + ", GEMM " + Gemm.kernelName()
        + (CpuFeatures.vectorEnabled() ? "" : " (start the JVM with --add-modules jdk.incubator.vector for the fast path)"));

    Generator.manualSeed(o.seed());
    Module model = o.model().create();
    model.to(device);
    Optimizer opt = o.model().optimizer(model.parameters(), o.lr(), o.momentum());
    long params = model.parameters().stream().mapToLong(Tensor::numel).sum();
    out.printf(Locale.ROOT, "model: %s, %s (%,d parameters); %s%n", o.model().option, o.model().description,
        params, o.model().recipe(o.lr(), o.momentum()));
    if (o.load() != null) {
      String saved = savedNetwork(o.load());
      if (saved != null && !saved.equals(o.model().option)) {
        throw new JobException("--load " + o.load() + ": a checkpoint of --model " + saved + ", not "
            + o.model().option + " (add --model " + saved + ")");
      }
      try {
        Checkpoints.load(model, o.load());
      } catch (IOException | RuntimeException e) {
        throw new JobException("--load " + o.load() + ": " + oneLine(e), e);
      }
      double acc = evaluate(model, split.testX(), split.testY(), device);
      out.printf(Locale.ROOT, "loaded %s: held-out accuracy %.2f%%%n", o.load(), 100 * acc);
      if (o.epochs() == 0) {
        return new Result(List.of(), List.of(), List.of(acc), 0, device, split.description());
      }
    }
    DataLoader loader = DataLoader.builder(new TensorDataset(trX, trY)).batchSize(o.batchSize())
        .shuffle(true).seed(o.seed()).numWorkers(1).build();
    // cosine annealing of the learning rate over the epochs (to 0 after the last one), stepped
    // once per epoch or after every batch
    boolean perBatch = o.model().schedulePerBatch;
    CosineAnnealingLR schedule = new CosineAnnealingLR(opt,
        Math.max(1, o.epochs() * (perBatch ? loader.size() : 1)), 0.0);
    double clip = o.model().clipNorm;
    boolean tty = System.console() != null;

    List<Double> losses = new ArrayList<>();
    List<Double> trainAcc = new ArrayList<>();
    List<Double> testAcc = new ArrayList<>();
    long t0 = System.nanoTime();
    HostBufferPool.Stats poolBefore = HostBufferPool.stats();
    for (int epoch = 1; epoch <= o.epochs(); epoch++) {
      model.train();
      double lossSum = 0;
      long correct = 0;
      long seen = 0;
      long te = System.nanoTime();
      String task = String.format(Locale.ROOT, "epoch %d/%d", epoch, o.epochs());
      ProgressBar bar = tty ? new ProgressBarBuilder().setTaskName(task).setInitialMax(trX.size(0))
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" img", 1).showSpeed().build() : null;
      int batchIdx = 0;
      int reportEvery = Math.max(1, loader.size() / 4);
      // each step's wall time, for --verbose: the first step of a process includes the JIT
      // compilation of the kernels (issue 21's cold start)
      long[] stepNanos = new long[loader.size()];
      for (Tensor[] b : loader) {
        long stepStart = System.nanoTime();
        long n = b[1].size(0);
        // The step's temporaries (activations, gradients) are closed when the scope ends, so
        // their memory is reused by the next step instead of allocated anew. (The batch tensors
        // belong to the loader, which reuses them.)
        try (MemoryScope step = MemoryScope.open()) {
          Tensor x = b[0].to(device);
          Tensor y = b[1].to(device);
          Tensor logits = model.call(x);
          Tensor loss = Functional.crossEntropy(logits, y);
          opt.zeroGrad(false); // zero the gradients in place: they are reused, not reallocated
          loss.backward();
          if (clip > 0) {
            ClipGrad.clipGradNorm(model.parameters(), clip, 2.0);
          }
          opt.step();
          if (perBatch) {
            schedule.step();
          }
          lossSum += loss.item() * n;
          correct += logits.argmax(1, false).eq(y).sum().itemLong();
        }
        seen += n;
        if (batchIdx < stepNanos.length) {
          stepNanos[batchIdx] = System.nanoTime() - stepStart;
        }
        batchIdx++;
        String msg = String.format(Locale.ROOT, "loss %.4f acc %.1f%%", lossSum / seen, 100.0 * correct / seen);
        if (bar != null) {
          bar.stepBy(n);
          bar.setExtraMessage(" " + msg);
        } else if (batchIdx % reportEvery == 0 || batchIdx == loader.size()) {
          double secs = (System.nanoTime() - te) / 1e9;
          double rate = seen / Math.max(secs, 1e-9);
          double eta = (trX.size(0) - seen) / Math.max(rate, 1e-9);
          out.printf(Locale.ROOT, "%s %5.1f%% %s, %.0f img/s, ETA %.0f s%n", task,
              100.0 * seen / trX.size(0), msg, rate, eta);
        }
      }
      if (bar != null) {
        bar.close();
      }
      if (!perBatch) {
        schedule.step();
      }
      double acc = evaluate(model, split.testX(), split.testY(), device);
      losses.add(lossSum / seen);
      trainAcc.add((double) correct / seen);
      testAcc.add(acc);
      HostBufferPool.Stats pool = HostBufferPool.stats();
      out.printf(Locale.ROOT,
          "epoch %d: train loss %.4f, train acc %.2f%%, held-out acc %.2f%%, %.1f s"
              + " (large host buffers: %d reused, %d new)%n",
          epoch, lossSum / seen, 100.0 * correct / seen, 100 * acc, (System.nanoTime() - te) / 1e9,
          pool.hits() - poolBefore.hits(), pool.misses() - poolBefore.misses());
      poolBefore = pool;
      if (o.verbose() && epoch == 1 && batchIdx > 0) {
        // the median of the later steps
        long[] later = Arrays.copyOfRange(stepNanos, 1, Math.max(1, Math.min(batchIdx, stepNanos.length)));
        Arrays.sort(later);
        double first = stepNanos[0] / 1e6;
        String rest = "";
        if (later.length > 0) {
          double median = later[later.length / 2] / 1e6;
          rest = String.format(Locale.ROOT, ", median of the later ones %.1f ms (first/median %.0fx)", median,
              first / Math.max(median, 1e-9));
        }
        out.printf(Locale.ROOT, "epoch 1 steps: first %.0f ms (it includes the JIT compilation of the kernels)%s%n",
            first, rest);
      }
      if (device.type() == Device.Type.CUDA) {
        MemoryStats m = Cuda.memoryStats(device.index());
        out.printf(Locale.ROOT,
            "epoch %d device memory: %s allocated in %d live buffers, %s reserved, peak %s;"
                + " %d driver allocations, %d buffers left to the garbage collector%n",
            epoch, human(m.allocatedBytes()), m.liveBuffers(), human(m.reservedBytes()),
            human(m.peakAllocatedBytes()), m.driverAllocations(), m.leakedBuffers());
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "summary: held-out accuracy %.2f%% after %d epochs, %.1f s on %s (%s)%n",
        100 * testAcc.get(testAcc.size() - 1), o.epochs(), secs, device, split.description());
    // the checkpoint first: it is the expensive result, the plot only shows it
    if (o.save() != null) {
      try {
        Checkpoints.save(model, opt, Map.of("model", o.model().option, "epochs", String.valueOf(o.epochs()),
            "seed", String.valueOf(o.seed()), "held_out_accuracy", String.valueOf(testAcc.get(testAcc.size() - 1))),
            o.save());
      } catch (IOException e) {
        throw new JobException("--save " + o.save() + ": " + oneLine(e), e);
      }
      out.println("saved: " + o.save().toAbsolutePath());
    }
    if (o.plot() != null) {
      try {
        plot(o.plot(), losses, trainAcc, testAcc);
      } catch (IOException e) {
        throw new JobException("--plot " + o.plot() + ": " + oneLine(e), e);
      }
      out.println("plot: " + o.plot().toAbsolutePath());
    }
    return new Result(losses, trainAcc, testAcc, secs, device, split.description());
  }

  /**
   * The {@code --model} a checkpoint this job saved was trained with (its metadata), or null when
   * unknown (another kind of file, or saved before the job had --model): then loading it says
   * what does not fit.
   */
  static String savedNetwork(Path checkpoint) {
    try {
      return SafeTensors.readMetadata(checkpoint).get("model");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Accuracy of {@code model} on ({@code x}, {@code y}) in eval mode without recording a graph. */
  static double evaluate(Module model, Tensor x, Tensor y, Device device) {
    model.eval();
    long correct = 0;
    long n = x.size(0);
    try (var g = NoGrad.enter()) {
      for (long s = 0; s < n; s += 500) {
        long len = Math.min(500, n - s);
        try (MemoryScope chunk = MemoryScope.open()) {
          Tensor logits = model.call(x.narrow(0, s, len).to(device));
          correct += logits.argmax(1, false).eq(y.narrow(0, s, len).to(device)).sum().itemLong();
        }
      }
    }
    return (double) correct / n;
  }

  static void plot(Path file, List<Double> loss, List<Double> trainAcc, List<Double> testAcc) throws IOException {
    System.setProperty("java.awt.headless", "true");
    double[] ep = new double[loss.size()];
    for (int i = 0; i < ep.length; i++) {
      ep[i] = i + 1;
    }
    XYChart l = new XYChartBuilder().width(520).height(360).title("training loss").xAxisTitle("epoch")
        .yAxisTitle("cross-entropy").build();
    l.addSeries("train loss", ep, loss.stream().mapToDouble(Double::doubleValue).toArray());
    XYChart a = new XYChartBuilder().width(520).height(360).title("accuracy").xAxisTitle("epoch")
        .yAxisTitle("accuracy (%)").build();
    a.addSeries("train", ep, trainAcc.stream().mapToDouble(d -> 100 * d).toArray());
    a.addSeries("held-out", ep, testAcc.stream().mapToDouble(d -> 100 * d).toArray());
    String name = file.toString();
    String base = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(List.of(l, a), 1, 2, base, BitmapEncoder.BitmapFormat.PNG);
  }

  static String human(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1 << 20));
  }
}
