package dev.jnn.backend.cuda;

import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import dev.jnn.tensor.TensorInternals;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Probes of the CUDA back end that the {@code gpu} suite does not make, run by {@code
 * scripts/gpu/device-run.sh} on a GPU host. One {@code PASS|FAIL|ABSENT name: detail} line per
 * probe, {@code INFO} lines for facts, and a {@code RESULT} line last:
 *
 * <ul>
 *   <li>{@code staging.roundtrip}: uploads then downloads of 1 to 33 MiB, each started at several
 *       positions of the pinned staging ring ({@link PinnedStaging}: the ring is moved by an upload
 *       of a chosen size first), compared element by element;
 *   <li>{@code staging.many_uploads}: many uploads with no synchronisation, then one download of
 *       their concatenation;
 *   <li>{@code cudnn.find_parity}: {@link Cudnn#benchmark(boolean) Find mode}, convolution forward
 *       and backward against the CPU back end, within 5e-3 of the largest value: Find may choose a
 *       Winograd algorithm, whose float32 error is larger (1.4e-3 for a 5x5 forward on an H100
 *       under compute-sanitizer, docs/gpu-runs/2026-12-06-h100.md), as PyTorch's
 *       {@code cudnn.benchmark} may; the usual choices agree within 1e-6;
 *   <li>{@code threads.compute}, {@code threads.handoff}: two threads computing on the device at
 *       once; a tensor computed on thread A (no synchronisation) read on thread B;
 *   <li>{@code oom.recovery}: allocating until {@link CudaOutOfMemoryException}, then free,
 *       {@link Cuda#emptyCache()}, allocate and compute again;
 *   <li>{@code kernels.ptx80_jit}: a second back end whose driver reports CUDA 12 loads the whole
 *       kernel module as PTX 8.0 through the driver's JIT and computes with it;
 *   <li>{@code big.numel_2e30}: add and sum of a 2^30-element float tensor;
 *   <li>{@code big.download_1gib}: a 1 GiB download checked against its construction and a
 *       device-side sum.
 * </ul>
 *
 * <p>Without a usable GPU every probe prints {@code ABSENT} (exit status 0). {@code --emulated}
 * runs the probes on the CPU emulation of the device ({@link EmuDeviceApi}, built with g++), with
 * sizes scaled down; {@code --quick} scales down on a GPU too (for compute-sanitizer). {@code
 * --only a,b} runs the probes whose names start with one of the given prefixes. {@code
 * -Dprobes.deadline=S} stops after S seconds (the probe then running is reported {@code TIMEOUT}).
 * Exit status 1 when a probe failed.
 */
public final class GpuProbes {
  private static final Device GPU = Device.cuda(0);
  private static final long MIB = 1L << 20;

  /** A probe that cannot run here (no device, feature missing): reported ABSENT. */
  static final class Absent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Absent(String why) {
      super(why);
    }
  }

  private record Probe(String name, Body body) {}

  @FunctionalInterface
  private interface Body {
    String run() throws Exception;
  }

  private static boolean small;
  private static final Map<String, String> results = new LinkedHashMap<>();
  private static volatile String running = "";

  private GpuProbes() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    boolean emulated = false;
    List<String> only = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--emulated" -> emulated = true;
        case "--quick" -> small = true;
        case "--only" -> only.addAll(Arrays.asList(args[++i].split(",")));
        default -> {
          System.out.println("usage: GpuProbes [--emulated] [--quick] [--only prefix,...]");
          System.exit(2);
        }
      }
    }
    List<Probe> probes = List.of(
        new Probe("staging.roundtrip", GpuProbes::stagingRoundTrip),
        new Probe("staging.many_uploads", GpuProbes::manyUploads),
        new Probe("cudnn.find_parity", GpuProbes::findParity),
        new Probe("threads.compute", GpuProbes::threadsCompute),
        new Probe("threads.handoff", GpuProbes::threadsHandoff),
        new Probe("oom.recovery", GpuProbes::oomRecovery),
        new Probe("kernels.ptx80_jit", GpuProbes::ptxJit),
        new Probe("big.numel_2e30", GpuProbes::bigNumel),
        new Probe("big.download_1gib", GpuProbes::bigDownload));
    String absent = null;
    if (emulated) {
      small = true;
      String why = Emulator.unavailableReason();
      if (why != null) {
        System.out.println("INFO CUDA kernel emulator unavailable: " + why);
        absent = "no kernel emulator";
      } else {
        // as EmulatedCuda.backend(), without JUnit's Assumptions (not on a bundle's classpath)
        EmuDeviceApi api = new EmuDeviceApi();
        Backends.setCudaBackendForTesting(
            new CudaBackend(new CudaRuntime(api, new EmuBlas(api), new EmuDnn(api), "emulated")));
        System.out.println("INFO mode: emulated device (CPU emulation of jnn's kernels), sizes scaled down");
      }
    } else if (!Cuda.isAvailable()) {
      System.out.println("INFO CUDA unavailable: " + Cuda.unavailableReason());
      absent = "no usable GPU";
    }
    if (absent == null) {
      for (String line : Cuda.describe().split("\n")) {
        System.out.println("INFO " + line.strip());
      }
      if (small && !emulated) {
        System.out.println("INFO mode: --quick, sizes scaled down");
      }
      Cudnn.benchmark(false);
      Cudnn.allowTf32(false);
      Cublas.allowTf32(false);
    }
    startWatchdog(Double.parseDouble(System.getProperty("probes.deadline", "0")));
    for (Probe p : probes) {
      if (!only.isEmpty() && only.stream().noneMatch(p.name()::startsWith)) {
        continue;
      }
      if (absent != null) {
        report("ABSENT", p.name(), absent);
        continue;
      }
      running = p.name();
      System.out.println("RUN " + p.name());
      System.out.flush();
      long t0 = System.nanoTime();
      String status;
      String detail;
      try {
        detail = p.body().run();
        status = "PASS";
      } catch (Absent e) {
        status = "ABSENT";
        detail = e.getMessage();
      } catch (Throwable e) {
        status = "FAIL";
        detail = e instanceof AssertionError ? e.getMessage() : e.toString();
        if (!(e instanceof AssertionError)) {
          e.printStackTrace(System.out);
        }
      } finally {
        Cudnn.benchmark(false);
      }
      running = "";
      report(status, p.name(), detail + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9));
      System.gc();
    }
    System.exit(finish());
  }

  private static synchronized void report(String status, String name, String detail) {
    results.put(name, status);
    System.out.println(status + " " + name + ": " + (detail == null ? "" : detail.replace('\n', ' ')));
    System.out.flush();
  }

  private static synchronized int finish() {
    int pass = 0;
    int fail = 0;
    int absent = 0;
    for (String s : results.values()) {
      switch (s) {
        case "PASS" -> pass++;
        case "ABSENT" -> absent++;
        default -> fail++;
      }
    }
    System.out.println("RESULT " + pass + " PASS, " + fail + " FAIL, " + absent + " ABSENT");
    System.out.flush();
    return fail == 0 ? 0 : 1;
  }

  private static void startWatchdog(double seconds) {
    if (seconds <= 0) {
      return;
    }
    Thread w = new Thread(() -> {
      try {
        Thread.sleep((long) (seconds * 1000));
      } catch (InterruptedException e) {
        return;
      }
      synchronized (GpuProbes.class) {
        String r = running;
        if (!r.isEmpty()) {
          report("TIMEOUT", r, "still running after the " + seconds + " s deadline");
        }
        finish();
        Runtime.getRuntime().halt(3);
      }
    }, "probes-watchdog");
    w.setDaemon(true);
    w.start();
  }

  // ------------------------------------------------------------------ helpers

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  /** Exactly representable float values (integers below 2^20), different for each seed. */
  static float[] pattern(int n, int seed) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((i * 2654435761L + seed * 40503L) & 0xFFFFF) - 0x80000;
    }
    return a;
  }

  /** The first index where the arrays differ bitwise, or -1. */
  static int firstDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      return Math.min(a.length, b.length);
    }
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
        return i;
      }
    }
    return -1;
  }

  static CudaBackend backend() {
    Backend b = Backends.forDevice(GPU);
    if (b instanceof CudaBackend c) {
      return c;
    }
    throw new IllegalStateException("not jnn's CUDA back end: " + b.getClass());
  }

  /** The staging ring's position (a private field, read for the report only), or -1. */
  static long ringHead() {
    try {
      Object staging = backend().rt.device(0).staging;
      Field f = staging.getClass().getDeclaredField("head");
      f.setAccessible(true);
      return f.getLong(staging);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /** Largest |a-b| over max(|ref|) of two float arrays. */
  static double relErr(float[] got, float[] ref) {
    double err = 0;
    double scale = 1e-30;
    for (int i = 0; i < ref.length; i++) {
      err = Math.max(err, Math.abs((double) got[i] - ref[i]));
      scale = Math.max(scale, Math.abs(ref[i]));
    }
    return err / scale;
  }

  // ------------------------------------------------------------------ staging

  static String stagingRoundTrip() {
    long[] starts = small
        ? new long[] {0, 3 * MIB + 512, 8 * MIB - 256}
        : new long[] {0, 256, MIB + 256, 3 * MIB + 512, 4 * MIB - 256, 6 * MIB, 8 * MIB - 256};
    long[] sizes = small
        ? new long[] {MIB, 4 * MIB + 4, 9 * MIB - 4, 33 * MIB}
        : new long[] {MIB, MIB + 4, 2 * MIB, 4 * MIB - 4, 4 * MIB, 4 * MIB + 4, 5 * MIB, 8 * MIB,
            9 * MIB - 4, 16 * MIB, 33 * MIB};
    TreeSet<Long> heads = new TreeSet<>();
    int trips = 0;
    long bytes = 0;
    for (long pre : starts) {
      for (long size : sizes) {
        if (pre > 0) {
          // moves the ring's head by pre bytes (rounded to 256) from wherever it was
          try (Tensor p = Tensor.fromArray(new float[(int) (pre / 4)]).to(GPU)) {
            check(p.numel() == pre / 4, "positioning copy");
          }
        }
        long h = ringHead();
        if (h >= 0) {
          heads.add(h);
        }
        int n = (int) (size / 4);
        float[] src = pattern(n, trips);
        float[] back;
        try (Tensor d = Tensor.fromArray(src).to(GPU)) {
          back = d.toFloatArray();
        }
        int at = firstDiff(src, back);
        if (at >= 0) {
          throw new AssertionError(String.format("%d bytes after a %d-byte positioning upload (ring head %d):"
              + " element %d is %s, expected %s", size, pre, h, at, at < back.length ? back[at] : "missing", src[at]));
        }
        trips++;
        bytes += size;
      }
    }
    return String.format("%d round trips of %d B..%d MiB, %.0f MiB each way, element-exact; ring starts seen: %s",
        trips, sizes[0], sizes[sizes.length - 1] / MIB, bytes / (double) MIB,
        heads.isEmpty() ? "(not readable)" : heads.size() + " distinct of " + PinnedStaging.CAPACITY / MIB + " MiB");
  }

  static String manyUploads() {
    int count = small ? 24 : 96;
    int[] sizes = {1024, 25_600, (int) (MIB / 4), (int) (3 * MIB / 4) + 1, (int) MIB, (int) (6 * MIB / 4)};
    List<Tensor> dev = new ArrayList<>();
    List<float[]> src = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      float[] a = pattern(sizes[i % sizes.length], 1000 + i);
      src.add(a);
      dev.add(Tensor.fromArray(a).to(GPU)); // no synchronisation in between
      bytes += 4L * a.length;
    }
    float[] all;
    try (Tensor cat = Tensor.cat(dev, 0)) {
      all = cat.toFloatArray();
    }
    int off = 0;
    for (int i = 0; i < count; i++) {
      float[] a = src.get(i);
      for (int j = 0; j < a.length; j++) {
        if (Float.floatToRawIntBits(all[off + j]) != Float.floatToRawIntBits(a[j])) {
          throw new AssertionError("upload " + i + " (" + 4 * a.length + " B): element " + j + " is "
              + all[off + j] + ", expected " + a[j]);
        }
      }
      off += a.length;
    }
    dev.forEach(Tensor::close);
    return String.format("%d uploads (4 KiB..6 MiB, %.0f MiB) without synchronisation, one download: element-exact",
        count, bytes / (double) MIB);
  }

  // ------------------------------------------------------------------ cuDNN Find mode

  static String findParity() {
    // N, C, H, W, K, kernel, stride, padding, dilation, groups
    int[][] shapes = {
        {8, 3, 32, 32, 16, 3, 1, 1, 1, 1},
        {16, 20, 12, 12, 20, 5, 1, 0, 1, 1},
        {4, 64, 28, 28, 64, 3, 2, 1, 1, 1},
        {8, 32, 14, 14, 64, 1, 1, 0, 1, 1},
        {4, 16, 20, 20, 16, 3, 1, 2, 2, 1},
        {4, 32, 16, 16, 32, 3, 1, 1, 1, 4},
    };
    Cudnn.benchmark(true);
    Generator g = new Generator(7);
    double worst = 0;
    int n = 0;
    for (int[] s : shapes) {
      Tensor x = Tensor.randn(Shape.of(s[0], s[1], s[2], s[3]), DType.FLOAT32, g);
      Tensor w = Tensor.randn(Shape.of(s[4], s[1] / s[9], s[5], s[5]), DType.FLOAT32, g).mul(0.1);
      Tensor b = Tensor.randn(Shape.of(s[4]), DType.FLOAT32, g);
      float[][] ref = conv(x, w, b, s, Device.CPU);
      for (int rep = 0; rep < 2; rep++) { // the second call uses the algorithm Find chose
        float[][] got = conv(x, w, b, s, GPU);
        String[] part = {"output", "input grad", "weight grad", "bias grad"};
        for (int k = 0; k < ref.length; k++) {
          double e = relErr(got[k], ref[k]);
          worst = Math.max(worst, e);
          check(e < 5e-3, String.format("shape %s %s: max error %.2e of the largest value", Arrays.toString(s), part[k], e));
        }
      }
      n++;
    }
    return String.format("%d convolution shapes (incl. stride 2, dilation 2, groups 4), forward + 3 gradients,"
        + " twice each with cudnn benchmark on: worst error %.1e of max|ref|", n, worst);
  }

  /** {output, input grad, weight grad, bias grad} of a convolution on {@code dev}. */
  static float[][] conv(Tensor x, Tensor w, Tensor b, int[] s, Device dev) {
    Tensor xd = x.to(dev).detach().requiresGrad(true);
    Tensor wd = w.to(dev).detach().requiresGrad(true);
    Tensor bd = b.to(dev).detach().requiresGrad(true);
    Tensor y = Functional.conv2d(xd, wd, bd, new int[] {s[6]}, new int[] {s[7]}, new int[] {s[8]}, s[9]);
    Tensor gy = Tensor.randn(y.shape(), DType.FLOAT32, new Generator(11)).to(dev);
    y.backward(gy);
    return new float[][] {y.toFloatArray(), xd.grad().toFloatArray(), wd.grad().toFloatArray(), bd.grad().toFloatArray()};
  }

  // ------------------------------------------------------------------ threads

  /** An n x n matrix of small integers: products and sums stay exact in float32. */
  static Tensor intMatrix(int n, long seed) {
    return Tensor.randint(-3, 4, Shape.of(n, n), new Generator(seed)).to(DType.FLOAT32);
  }

  static String threadsCompute() throws Exception {
    int n = small ? 128 : 1024;
    int steps = small ? 5 : 40;
    Tensor[] a = {intMatrix(n, 21), intMatrix(n, 22)};
    Tensor[] b = {intMatrix(n, 23), intMatrix(n, 24)};
    double[] ref = new double[2];
    for (int t = 0; t < 2; t++) {
      ref[t] = a[t].matmul(b[t]).relu().sum().item();
    }
    AtomicReference<Throwable> err = new AtomicReference<>();
    Thread[] th = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int id = t;
      th[t] = new Thread(() -> {
        try {
          Tensor ad = a[id].to(GPU);
          Tensor bd = b[id].to(GPU);
          for (int i = 0; i < steps; i++) {
            double got = ad.matmul(bd).relu().sum().item();
            check(got == ref[id], "thread " + id + " step " + i + ": sum " + got + ", expected " + ref[id]);
          }
        } catch (Throwable e) {
          err.compareAndSet(null, e);
        }
      }, "probe-compute-" + t);
      th[t].start();
    }
    for (Thread t : th) {
      t.join(TimeUnit.MINUTES.toMillis(2));
      check(!t.isAlive(), t.getName() + " did not finish in 2 minutes");
    }
    Throwable e = err.get();
    if (e instanceof AssertionError ae) {
      throw ae;
    } else if (e != null) {
      throw new AssertionError(e.toString(), e);
    }
    return String.format("2 threads x %d steps of %dx%d matmul+relu+sum at once, each exact", steps, n, n);
  }

  static String threadsHandoff() throws Exception {
    int n = small ? 128 : 2048;
    int chain = small ? 3 : 30;
    Tensor a = intMatrix(n, 31);
    Tensor b = intMatrix(n, 32);
    float[] ref = a.matmul(b).toFloatArray();
    SynchronousQueue<Tensor> q = new SynchronousQueue<>();
    AtomicReference<Throwable> err = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try {
        Tensor eye = Tensor.eye(n, DType.FLOAT32, GPU);
        Tensor c = a.to(GPU).matmul(b.to(GPU));
        for (int i = 0; i < chain; i++) {
          c = c.matmul(eye); // keeps thread A's stream busy; no synchronisation before the hand-off
        }
        q.put(c);
      } catch (Throwable e) {
        err.compareAndSet(null, e);
      }
    }, "probe-thread-A");
    producer.start();
    Tensor c = q.poll(2, TimeUnit.MINUTES);
    if (c == null) {
      producer.join(1000);
      throw err.get() != null ? new AssertionError("thread A failed: " + err.get(), err.get())
          : new AssertionError("thread A handed nothing over in 2 minutes");
    }
    float[] got = c.toFloatArray(); // read on this thread (B), on its own stream
    producer.join();
    int at = firstDiff(got, ref);
    if (at >= 0) {
      throw new AssertionError(String.format("tensor computed on thread A (%dx%d matmul then %d matmuls by I),"
          + " read on thread B: element %d is %s, expected %s", n, n, chain, at, at < got.length ? got[at] : "missing",
          ref[at]));
    }
    return String.format("%dx%d result of thread A (matmul + %d chained matmuls, not synchronised) read on thread B: exact",
        n, n, chain);
  }

  // ------------------------------------------------------------------ out of memory

  static String oomRecovery() {
    CudaBackend be = backend();
    DeviceState d = be.rt.device(0);
    boolean emulated = be.rt.api instanceof EmuDeviceApi;
    long chunk = emulated ? 32 * MIB : 1L << 30;
    Cuda.emptyCache();
    if (emulated) {
      d.allocator.setLimit(d.allocator.stats().reservedBytes() + 256 * MIB);
    }
    MemoryStats before = Cuda.memoryStats();
    long total = be.rt.api.totalMemory(0);
    List<Tensor> held = new ArrayList<>();
    String oom = null;
    try {
      while (oom == null) {
        check((long) held.size() * chunk <= 2 * total + chunk,
            "no CudaOutOfMemoryException after " + held.size() + " allocations of " + chunk + " B");
        try {
          held.add(TensorInternals.uninitialized(Shape.of(chunk / 4), DType.FLOAT32, GPU));
        } catch (CudaOutOfMemoryException e) {
          oom = e.getMessage();
        }
      }
      int got = held.size();
      held.forEach(Tensor::close);
      held.clear();
      Cuda.emptyCache();
      MemoryStats after = Cuda.memoryStats();
      check(after.allocatedBytes() == before.allocatedBytes(), "allocated after freeing: " + after + " vs " + before);
      check(after.reservedBytes() <= before.reservedBytes() + chunk,
          "reserved after emptyCache: " + after.reservedBytes() + " B, before " + before.reservedBytes() + " B");
      double sum;
      try (Tensor t = Tensor.full(Shape.of(chunk / 4), 3, DType.FLOAT32, GPU)) {
        sum = t.sum().item();
      }
      check(sum == 3.0 * (chunk / 4), "sum after recovery " + sum + ", expected " + 3.0 * (chunk / 4));
      Tensor m = intMatrix(64, 41);
      float[] ref = m.matmul(m).toFloatArray();
      check(firstDiff(m.to(GPU).matmul(m.to(GPU)).toFloatArray(), ref) < 0, "cuBLAS matmul after recovery differs");
      return String.format("out of memory after %d x %s (%s); freed, emptyCache, allocate + fill + sum + matmul"
          + " correct%s; message: %s", got, CachingAllocator.human(chunk), CachingAllocator.human(got * chunk),
          emulated ? " (emulated: allocator capped at 256 MiB more)" : "",
          oom.length() > 160 ? oom.substring(0, 160) + "..." : oom);
    } finally {
      held.forEach(Tensor::close);
      if (emulated) {
        d.allocator.setLimit(Long.MAX_VALUE);
      }
    }
  }

  // ------------------------------------------------------------------ PTX 8.0 through the JIT

  static String ptxJit() {
    CudaBackend real = backend();
    DeviceApi api = real.rt.api;
    int driver = api.driverVersion();
    // the same driver, reporting CUDA 12.8: KernelImages.choose picks the PTX 8.0 image
    DeviceApi asCuda12 = (DeviceApi) Proxy.newProxyInstance(DeviceApi.class.getClassLoader(),
        new Class<?>[] {DeviceApi.class}, (proxy, m, margs) -> {
          if (m.getName().equals("driverVersion") && m.getParameterCount() == 0) {
            return 12080;
          }
          try {
            return m.invoke(api, margs);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    CudaRuntime rt = new CudaRuntime(asCuda12, real.rt.blas, real.rt.dnn, "GpuProbes: PTX forced");
    long t0 = System.nanoTime();
    String kind = rt.device(0).moduleKind;
    double jitMs = (System.nanoTime() - t0) / 1e6;
    check(kind.startsWith("PTX 8.0 (JIT)"), "module loaded as '" + kind + "', not as PTX 8.0 through the JIT");
    Backends.setCudaBackendForTesting(new CudaBackend(rt));
    try {
      Generator g = new Generator(51);
      Tensor x = Tensor.randn(Shape.of(4, 3, 16, 16), DType.FLOAT32, g);
      Tensor w = Tensor.randn(Shape.of(8, 3, 3, 3), DType.FLOAT32, g);
      Tensor bias = Tensor.randn(Shape.of(8), DType.FLOAT32, g);
      float[] ref = Functional.softmax(Functional.maxPool2d(Functional.relu(
          Functional.conv2d(x, w, bias, new int[] {1}, new int[] {1}, new int[] {1}, 1)), 2).flatten(1, -1), 1)
          .toFloatArray();
      float[] got = Functional.softmax(Functional.maxPool2d(Functional.relu(
          Functional.conv2d(x.to(GPU), w.to(GPU), bias.to(GPU), new int[] {1}, new int[] {1}, new int[] {1}, 1)), 2)
          .flatten(1, -1), 1).toFloatArray();
      double e = relErr(got, ref);
      check(e < 1e-4, String.format("conv+bias+relu+maxpool+softmax on the PTX module: max error %.2e", e));
      float[] v = pattern(1 << 20, 5);
      double s = Tensor.fromArray(v).to(GPU).add(1.0).sum().item();
      double sref = 0;
      for (float f : v) {
        sref += f + 1.0;
      }
      check(Math.abs(s - sref) <= 1e-5 * Math.abs(sref) + 1e3, "add+sum on the PTX module: " + s + ", expected " + sref);
      Cuda.emptyCache();
    } finally {
      Backends.setCudaBackendForTesting(real);
    }
    return String.format("driver %d reported as 12080: whole module loaded as '%s' in %.0f ms;"
        + " conv+bias+relu+maxpool+softmax and add+sum correct", driver, kind, jitMs);
  }

  // ------------------------------------------------------------------ large tensors

  static String bigNumel() {
    long n = small ? 1L << 22 : 1L << 30;
    double sum;
    float[] tail;
    float min;
    float max;
    try (Tensor x = Tensor.ones(Shape.of(n), DType.FLOAT32, GPU); Tensor y = x.add(x)) {
      sum = y.sum().item();
      min = (float) y.min().item();
      max = (float) y.max().item();
      tail = y.narrow(0, n - 3, 3).toFloatArray();
    }
    Cuda.emptyCache();
    check(min == 2 && max == 2, "min/max of ones+ones: " + min + " / " + max);
    check(Arrays.equals(tail, new float[] {2, 2, 2}), "last elements " + Arrays.toString(tail));
    double expect = 2.0 * n;
    double rel = Math.abs(sum - expect) / expect;
    check(rel < 1e-6, "sum " + sum + ", expected " + expect);
    return String.format("%d-element float32 (%s): ones+ones, sum %.0f (%s), min/max/last elements 2",
        n, CachingAllocator.human(4 * n), sum, rel == 0 ? "exact" : String.format("rel. error %.1e", rel));
  }

  static String bigDownload() {
    int n = small ? 1 << 21 : 1 << 27; // int64: 1 GiB
    long[] got;
    long deviceSum;
    double secs;
    try (Tensor a = Tensor.arange(n).to(GPU); Tensor u = a.mul(3).add(1)) {
      check(u.dtype() == DType.INT64, "3 * arange + 1 has dtype " + u.dtype() + ", not int64");
      deviceSum = u.sum().itemLong();
      Cuda.synchronize();
      long t0 = System.nanoTime();
      got = u.toLongArray();
      secs = (System.nanoTime() - t0) / 1e9;
    }
    Cuda.emptyCache();
    long hostSum = 0;
    for (int i = 0; i < n; i++) {
      if (got[i] != 3L * i + 1) {
        throw new AssertionError("element " + i + " is " + got[i] + ", expected " + (3L * i + 1));
      }
      hostSum += got[i];
    }
    long expect = 3L * ((long) n * (n - 1) / 2) + n;
    check(deviceSum == expect, "device-side sum " + deviceSum + ", expected " + expect);
    check(hostSum == deviceSum, "host sum of the download " + hostSum + " != device-side sum " + deviceSum);
    return String.format("%s int64 (3i+1 computed on the device) downloaded in %.3f s (%.1f GB/s incl. the Java copy):"
        + " every element as constructed, sum matches the device-side sum", CachingAllocator.human(8L * n), secs,
        8.0 * n / secs / 1e9);
  }
}
