package dev.jnn.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;

/**
 * Starts the real CUDA back end: decides what to load ({@link LibraryLocator}), loads it in the
 * verified order and initialises the driver, cuBLAS and cuDNN. Order, all by absolute path (no
 * {@code LD_LIBRARY_PATH} needed): {@code libcuda.so.1} (when found outside the loader cache),
 * JCuda's driver JNI library and {@code cuInit}; then {@code libcublasLt}, {@code libcublas},
 * {@code libcudnn} followed by its sub-libraries ({@link LibraryLocator#cudnnParts}: cuDNN opens
 * them by name, which only finds them once loaded, or on the loader path); then, for cuBLAS 13 /
 * cuDNN 9, jnn's forwarding shims {@code libcublas.so.12} / {@code libcudnn.so.8} (built at build
 * time from the JNI libraries' imports, shipped in the jar); then the JCublas2 and JCudnn JNI
 * libraries, which bind to whatever now carries the sonames they need. JCuda extracts its JNI
 * libraries into a fresh directory per JVM (it would otherwise reuse stale files of the same name
 * in the shared temp directory).
 *
 * <p>Any failure becomes an {@link IllegalStateException} whose message is the reason {@code
 * CudaUnavailableException} reports.
 */
final class NativeSetup {
  static final String SHIM_DIR = "/dev/jnn/backend/cuda/shims/";

  /**
   * Where this jar keeps the JCudnn JNI binary (11.7.0, under the file name JCudnn asks for next to
   * JCuda 12.6.0): a jnn-owned path, so that it never collides with JCuda's own {@code /lib/}
   * resources in a shaded jar. {@link #loadJCudnn} loads it.
   */
  static final String JCUDNN_DIR = "/dev/jnn/backend/cuda/native/linux-x86_64/";

  private NativeSetup() {}

  private static CudaRuntime started;
  private static IllegalStateException failed;

  /**
   * Loads everything and returns the runtime, or throws with the reason. Native libraries load
   * once per JVM, so the outcome is remembered: later calls return the same runtime or rethrow.
   */
  static synchronized CudaRuntime start() {
    if (started != null) {
      return started;
    }
    if (failed != null) {
      throw new IllegalStateException(failed.getMessage(), failed);
    }
    try {
      started = load();
      return started;
    } catch (IllegalStateException e) {
      failed = e;
      throw e;
    }
  }

  private static CudaRuntime load() {
    LibraryLocator.Plan plan = new LibraryLocator(LibraryLocator.systemEnv()).plan();
    List<String> report = new ArrayList<>();
    Path natives = nativesDir();
    report.add("JCuda " + jcuda.JCudaVersion.get() + ", JNI libraries extracted to " + natives);

    // 1. the driver
    if (plan.problem() != null && plan.problem().startsWith("no NVIDIA driver")) {
      throw new IllegalStateException(plan.problem());
    }
    if (plan.driver() != null) {
      load(plan.driver(), "the NVIDIA driver library");
      report.add("driver library: " + plan.driver());
    } else {
      report.add("driver library: libcuda.so.1 from the loader cache");
    }
    JCudaDeviceApi api;
    try {
      api = withTmpDir(natives, JCudaDeviceApi::new);
    } catch (CudaException e) {
      throw new IllegalStateException("the CUDA driver cannot be initialised: " + e.getMessage(), e);
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("JCuda's driver library cannot be loaded: " + brief(e), e);
    }
    if (api.deviceCount() == 0) {
      throw new IllegalStateException("the NVIDIA driver reports no CUDA device");
    }

    // 2. cuBLAS and cuDNN, then the shims
    if (plan.problem() != null) {
      throw new IllegalStateException(plan.problem());
    }
    load(plan.cublasLt(), "cuBLASLt");
    load(plan.cublas(), "cuBLAS");
    String parts = preloadCudnn(plan.cudnnParts());
    if (plan.cublasShim()) {
      Path shim = extractShim("libcublas.so.12", natives, plan.cublas());
      load(shim, "jnn's cuBLAS 12 shim");
      report.add("cuBLAS: " + plan.cublas() + " through the shim " + shim);
    } else {
      report.add("cuBLAS: " + plan.cublas() + " (direct)");
    }
    if (plan.cudnnShim()) {
      Path shim = extractShim("libcudnn.so.8", natives, plan.cudnn());
      load(shim, "jnn's cuDNN 8 shim");
      report.add("cuDNN: " + plan.cudnn() + " through the shim " + shim);
    } else {
      report.add("cuDNN: " + plan.cudnn() + " (direct)");
    }
    report.add(parts);
    report.add("cuBLASLt: " + plan.cublasLt());

    // 3. the JNI libraries of JCublas2 and JCudnn
    try {
      withTmpDir(natives, () -> {
        JCublas2.setExceptionsEnabled(false);
        JCublas2.initialize();
        loadJCudnn(natives); // before the first use of the JCudnn class, whose initialiser loads it
        JCudnn.setExceptionsEnabled(false);
        JCudnn.initialize();
        return null;
      });
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("the JCublas2 / JCudnn JNI libraries cannot be loaded: " + brief(e), e);
    }
    long cudnnVersion = JCudnn.cudnnGetVersion();
    if (cudnnVersion == CudnnStatus.SHIM_MISSING || cudnnVersion < 8000) {
      throw new IllegalStateException("cudnnGetVersion() returned " + cudnnVersion + ": the cuDNN shim"
          + " found no libcudnn.so.9 to forward to (" + plan.cudnn() + " was loaded)");
    }
    api.setCurrent(0);
    String cublasVersion;
    cublasHandle h = new cublasHandle();
    int r = JCublas2.cublasCreate(h);
    if (r != 0) {
      throw new IllegalStateException("cublasCreate failed: " + jcuda.jcublas.cublasStatus.stringFor(r)
          + " (" + r + ") with " + plan.cublas());
    }
    int[] v = {0};
    JCublas2.cublasGetVersion(h, v);
    JCublas2.cublasDestroy(h);
    cublasVersion = v[0] + " (" + plan.cublas().getFileName() + ")";

    CudaRuntime rt =
        new CudaRuntime(api, new JCublasBlas(api, cublasVersion), new JCudnnDnn(api, cudnnVersion),
            String.join("\n", report));
    try {
      rt.device(0);
    } catch (RuntimeException e) {
      throw new IllegalStateException("jnn's kernels cannot be loaded on cuda:0: " + e.getMessage(), e);
    }
    return rt;
  }

  /**
   * Loads cuDNN and its sub-libraries in the planned order, by absolute path, and returns the load
   * report's line about them. A library the convolutions need that cannot be loaded is an {@link
   * IllegalStateException} (cuDNN would abort the process on it at the first convolution); any
   * other one is named in the report.
   */
  static String preloadCudnn(LibraryLocator.CudnnParts parts) {
    Map<String, String> failed = new LinkedHashMap<>();
    for (Path p : parts.load()) {
      String name = p.getFileName().toString();
      if (parts.required(p)) {
        load(p, p.equals(parts.cudnn()) ? "cuDNN" : "cuDNN's " + name + " (needed for convolutions)");
      } else {
        try {
          System.load(p.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
          failed.put(name, brief(e));
        }
      }
    }
    return cudnnPartsReport(parts, failed);
  }

  /**
   * The load report's line about cuDNN's sub-libraries: which were loaded, from where, in which
   * order, and which are missing or failed to load (those the convolutions do not need; a missing
   * one they need stops the back end before this).
   */
  static String cudnnPartsReport(LibraryLocator.CudnnParts parts, Map<String, String> failed) {
    List<String> loaded = new ArrayList<>();
    for (Path p : parts.load()) {
      String name = p.getFileName().toString();
      if (!p.equals(parts.cudnn()) && !failed.containsKey(name)) {
        loaded.add(name);
      }
    }
    StringBuilder sb = new StringBuilder("cuDNN sub-libraries: ");
    sb.append(loaded.isEmpty() ? "none" : String.join(", ", loaded)).append(" from ").append(parts.dir());
    if (!parts.missing().isEmpty()) {
      sb.append("; not found: ").append(String.join(", ", parts.missing()))
          .append(parts.complete() ? " (not used by jnn's convolutions)" : "");
    }
    for (Map.Entry<String, String> e : failed.entrySet()) {
      sb.append("; ").append(e.getKey()).append(" cannot be loaded (not used by jnn's convolutions): ")
          .append(e.getValue());
    }
    return sb.toString();
  }

  private static void load(Path p, String what) {
    try {
      System.load(p.toAbsolutePath().toString());
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException(what + " at " + p + " cannot be loaded: " + brief(e), e);
    }
  }

  /**
   * Extracts jnn's JCudnn JNI binary ({@link #JCUDNN_DIR}) into {@code dir} under the file name
   * JCuda's loader computes for JCudnn ({@code libJCudnn-<JCuda version>-linux-x86_64.so}) and
   * loads it by absolute path. Must run before the {@code JCudnn} class is initialised, with {@code
   * java.io.tmpdir} = {@code dir} ({@link #withTmpDir}): JCudnn's initialiser asks {@code
   * jcuda.LibUtils} for the library, which (not on {@code java.library.path}) looks for its
   * resource file in {@code java.io.tmpdir}, finds this one already there, and loads the same path,
   * which the JVM has loaded: one copy, and {@code /lib/} resources are never consulted.
   */
  static Path loadJCudnn(Path dir) {
    String file = jcuda.LibUtils.createLibraryFileName(
        jcuda.LibUtils.createPlatformLibraryName("JCudnn-" + jcuda.JCudaVersion.get()));
    Path out = dir.resolve(file);
    try (InputStream in = NativeSetup.class.getResourceAsStream(JCUDNN_DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("this build of jnn-cuda has no JCudnn JNI library " + JCUDNN_DIR
            + file + " (jnn-cuda supports NVIDIA GPUs on Linux x86-64 with JCuda 12.6.0; this is "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch") + " with JCuda "
            + jcuda.JCudaVersion.get() + ")");
      }
      if (!Files.exists(out)) {
        Files.copy(in, out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract " + file + " to " + dir + ": " + e, e);
    }
    load(out, "the JCudnn JNI library");
    return out;
  }

  /** Copies a shim from the jar into {@code dir}. */
  static Path extractShim(String name, Path dir, Path target) {
    try (InputStream in = NativeSetup.class.getResourceAsStream(SHIM_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException(target + " needs jnn's forwarding shim " + name
            + ", which this build of jnn does not contain (it is generated at build time with gcc"
            + " and binutils; rebuild jnn where they are installed, or install "
            + (name.contains("cudnn") ? "cuDNN 8" : "cuBLAS 12") + ")");
      }
      Path out = dir.resolve(name);
      Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract " + name + " to " + dir + ": " + e, e);
    }
  }

  /** A fresh directory for this JVM's native files, deleted at exit. */
  static Path nativesDir() {
    String base = System.getProperty("jnn.cuda.tmpdir");
    if (base == null || base.isBlank()) {
      base = System.getenv("JNN_CUDA_TMPDIR");
    }
    if (base == null || base.isBlank()) {
      base = System.getProperty("java.io.tmpdir");
    }
    try {
      Path dir = Files.createTempDirectory(Paths.get(base), "jnn-cuda-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "jnn-cuda-cleanup"));
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for native libraries under " + base
          + " (set JNN_CUDA_TMPDIR): " + e, e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  /** Runs {@code body} with {@code java.io.tmpdir} pointing at {@code dir} (JCuda's LibUtils reads it). */
  static <T> T withTmpDir(Path dir, Callable<T> body) {
    String old = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", dir.toString());
    try {
      return body.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      System.setProperty("java.io.tmpdir", old);
    }
  }

  /** One readable line for a failed load (JCuda's LibUtils nests both attempts' stack traces). */
  static String brief(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExceptionInInitializerError) && c.getCause() != null) {
      c = c.getCause();
    }
    String msg = String.valueOf(c.getMessage());
    if (c instanceof UnsatisfiedLinkError || c instanceof NoClassDefFoundError) {
      String first = msg.split("\n", 2)[0].replaceFirst("^Error while loading native library ", "cannot load ");
      StringBuilder why = new StringBuilder();
      for (String line : msg.split("\n")) {
        String l = line.trim().replaceFirst("^java\\.lang\\.UnsatisfiedLinkError: ", "");
        if (l.contains("cannot open shared object") || l.contains("version `")
            || l.contains("undefined symbol") || l.contains("No resource found")
            || l.contains("wrong ELF") || l.contains("failed to map")
            || l.contains("cannot allocate")) {
          if (why.indexOf(l) < 0) {
            why.append(why.length() > 0 ? " | " : "").append(l);
          }
        }
      }
      return why.length() > 0 ? why + " (" + first + ")" : first;
    }
    return c.getClass().getSimpleName() + ": " + msg.replace('\n', ' ');
  }
}
