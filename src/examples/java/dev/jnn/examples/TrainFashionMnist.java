package dev.jnn.examples;

import dev.jnn.autograd.NoGrad;
import dev.jnn.backend.Backends;
import dev.jnn.backend.HostBufferPool;
import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.backend.cpu.Gemm;
import dev.jnn.backend.cpu.Parallel;
import dev.jnn.backend.cuda.Cuda;
import dev.jnn.backend.cuda.MemoryStats;
import dev.jnn.core.Device;
import dev.jnn.data.DataLoader;
import dev.jnn.data.TensorDataset;
import dev.jnn.io.Checkpoints;
import dev.jnn.nn.functional.Functional;
import dev.jnn.optim.CosineAnnealingLR;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The main job: trains {@link FashionMnistNet} on Fashion-MNIST and reports held-out accuracy.
 *
 * <pre>
 * scripts/train [--device auto|cpu|cuda] [--epochs 3] [--batch-size 64] [--lr 0.05]
 *               [--momentum 0.9] [--seed 0] [--data auto|embedded|DIR] [--plot FILE.png]
 *               [--limit N] [--save FILE] [--load FILE]
 * </pre>
 *
 * <p>SGD with momentum; the learning rate follows a cosine from {@code --lr} towards 0 over the
 * epochs ({@link CosineAnnealingLR} stepped once per epoch).
 *
 * <p>{@code --save FILE} writes the trained model and optimizer state (a safetensors checkpoint,
 * see {@link dev.jnn.io.Checkpoints}) after the last epoch. {@code --load FILE} loads a model
 * (a jnn checkpoint, a safetensors file or a PyTorch {@code torch.save} state dict of the same
 * network) before training and reports its held-out accuracy; with {@code --epochs 0} that is
 * all it does.
 */
public final class TrainFashionMnist {
  /** Parsed command-line options. */
  record Options(String device, int epochs, int batchSize, double lr, double momentum, long seed,
      String data, Path plot, int limit, Path save, Path load) {}

  /** What a run produced. */
  public record Result(List<Double> epochLoss, List<Double> epochTrainAcc, List<Double> epochTestAcc,
      double seconds, Device device, String data) {}

  private TrainFashionMnist() {}

  static Options parse(String[] args) {
    String device = "auto";
    int epochs = 3;
    int batch = 64;
    double lr = 0.05;
    double momentum = 0.9;
    long seed = 0;
    String data = "auto";
    Path plot = Path.of("fashion-mnist-training.png");
    int limit = 0;
    Path save = null;
    Path load = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        throw new UsageException(null);
      }
      if (i + 1 >= args.length) {
        throw new UsageException("missing value for " + a);
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--device" -> device = v;
          case "--epochs" -> epochs = Integer.parseInt(v);
          case "--batch-size" -> batch = Integer.parseInt(v);
          case "--lr" -> lr = Double.parseDouble(v);
          case "--momentum" -> momentum = Double.parseDouble(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--data" -> data = v;
          case "--plot" -> plot = v.equals("none") ? null : Path.of(v);
          case "--limit" -> limit = Integer.parseInt(v);
          case "--save" -> save = Path.of(v);
          case "--load" -> load = Path.of(v);
          default -> throw new UsageException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new UsageException("bad number for " + a + ": " + v);
      }
    }
    if (!device.equals("auto") && !device.equals("cpu") && !device.startsWith("cuda")) {
      throw new UsageException("--device must be auto, cpu or cuda[:N], got " + device);
    }
    if ((epochs < 1 && !(epochs == 0 && load != null)) || batch < 1) {
      throw new UsageException(
          "--epochs and --batch-size must be positive (--epochs 0 only with --load)");
    }
    return new Options(device, epochs, batch, lr, momentum, seed, data, plot, limit, save, load);
  }

  /** Bad command line. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String msg) {
      super(msg);
    }
  }

  static final String USAGE = "usage: scripts/train [--device auto|cpu|cuda] [--epochs N] [--batch-size N]"
      + " [--lr X] [--momentum X] [--seed N] [--data auto|embedded|DIR] [--plot FILE.png|none] [--limit N]"
      + " [--save FILE] [--load FILE]";

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    Options o;
    try {
      o = parse(args);
    } catch (UsageException e) {
      if (e.getMessage() != null) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.println(USAGE);
      System.exit(e.getMessage() == null ? 0 : 2);
      return;
    }
    run(o, System.out);
  }

  static Device pickDevice(String requested, PrintStream out) {
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
    out.println("CUDA not used (" + reason + "); training on the CPU.");
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

  static Path embeddedDir() {
    String home = System.getenv("JNN_HOME");
    Path p = home != null ? Path.of(home, "data") : Path.of("data");
    return p;
  }

  /** Runs training as configured and prints progress to {@code out}. */
  static Result run(Options o, PrintStream out) throws IOException {
    Device device = pickDevice(o.device(), out);
    FashionMnist.Split split = loadData(o.data());
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
    FashionMnistNet model = new FashionMnistNet();
    model.to(device);
    SGD opt = new SGD(model.parameters(), o.lr(), o.momentum());
    if (o.load() != null) {
      Checkpoints.load(model, o.load());
      double acc = evaluate(model, split.testX(), split.testY(), device);
      out.printf(Locale.ROOT, "loaded %s: held-out accuracy %.2f%%%n", o.load(), 100 * acc);
      if (o.epochs() == 0) {
        return new Result(List.of(), List.of(), List.of(acc), 0, device, split.description());
      }
    }
    // cosine annealing of the learning rate over the epochs (to 0 after the last one)
    CosineAnnealingLR schedule = new CosineAnnealingLR(opt, Math.max(1, o.epochs()), 0.0);
    DataLoader loader = DataLoader.builder(new TensorDataset(trX, trY)).batchSize(o.batchSize())
        .shuffle(true).seed(o.seed()).numWorkers(1).build();
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
      for (Tensor[] b : loader) {
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
          opt.step();
          lossSum += loss.item() * n;
          correct += logits.argmax(1, false).eq(y).sum().itemLong();
        }
        seen += n;
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
      schedule.step();
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
    if (o.plot() != null) {
      plot(o.plot(), losses, trainAcc, testAcc);
      out.println("plot: " + o.plot().toAbsolutePath());
    }
    if (o.save() != null) {
      Checkpoints.save(model, opt, Map.of("epochs", String.valueOf(o.epochs()), "seed",
          String.valueOf(o.seed()), "held_out_accuracy", String.valueOf(testAcc.get(testAcc.size() - 1))),
          o.save());
      out.println("saved: " + o.save().toAbsolutePath());
    }
    return new Result(losses, trainAcc, testAcc, secs, device, split.description());
  }

  /** Accuracy of {@code model} on ({@code x}, {@code y}) in eval mode without recording a graph. */
  static double evaluate(FashionMnistNet model, Tensor x, Tensor y, Device device) {
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
