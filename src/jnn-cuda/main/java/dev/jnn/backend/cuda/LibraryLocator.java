package dev.jnn.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides which driver, cuBLAS and cuDNN libraries to load and whether the forwarding shims are
 * needed. Pure file-system logic (no native code), so the decisions are unit-tested on fake
 * directory layouts.
 *
 * <p>Search order: environment overrides ({@code JNN_CUDA_DRIVER_LIBRARY}, {@code
 * JNN_CUBLAS_LIBRARY}, {@code JNN_CUBLASLT_LIBRARY}, {@code JNN_CUDNN_LIBRARY}: paths of the
 * libraries), then {@code LD_LIBRARY_PATH}, {@code CUDA_HOME}/{@code CUDA_PATH}, pip-installed
 * NVIDIA wheels ({@code site-packages/nvidia/&#42;/lib} of {@code VIRTUAL_ENV}, {@code
 * CONDA_PREFIX}, {@code /opt/torch/.venv}, the user's and the system's Python), the standard CUDA
 * directories, the container driver directories and the system library directories, then the
 * dynamic loader's cache.
 *
 * <p>Choice: cuDNN 8 (loaded directly) when a cuBLAS 12 goes with it, else cuDNN 9 (through the
 * {@code libcudnn.so.8} shim); then the cuBLAS of the CUDA major that cuDNN links against (read
 * from its {@code DT_NEEDED}), preferring the one installed next to it (the same pip environment),
 * else 12 (direct) before 13 (through the {@code libcublas.so.12} shim).
 *
 * <p>cuDNN's sub-libraries: {@code libcudnn.so.8} / {@code libcudnn.so.9} open their
 * sub-libraries (cuDNN 8: {@code libcudnn_ops_infer}, {@code _ops_train}, {@code _cnn_infer},
 * {@code _cnn_train}, {@code _adv_infer}, {@code _adv_train}; cuDNN 9: {@code libcudnn_graph},
 * {@code _engines_precompiled}, {@code _engines_runtime_compiled}, {@code _heuristic}, {@code
 * _ops}, {@code _cnn}, {@code _adv}) with {@code dlopen} by name on first use, and abort the
 * process ("Could not load library ...") when their directory is not on the loader path. So the
 * plan also lists them ({@link #cudnnParts}): the ones in the chosen library's directory (else in
 * the directory of the file it links to), ordered so that each comes after the siblings it needs
 * ({@code DT_NEEDED}, otherwise the order above), to be loaded by absolute path before the first
 * cuDNN call; the loader then resolves cuDNN's by-name {@code dlopen} to the loaded copies. The
 * ones jnn's convolutions need (cuDNN 8: ops and cnn, infer and train; cuDNN 9: graph,
 * engines_precompiled, heuristic, ops, cnn) must be there: a cuDNN without them is passed over for
 * another one, or, when it is the only one, is the reason CUDA is unavailable. The others (adv:
 * RNNs and attention; cuDNN 9's runtime-compiled engines, which also need NVRTC) are only named in
 * the load report when missing. jnn's own forwarding shim {@code libcudnn.so.8} (found e.g. through
 * {@code LD_LIBRARY_PATH}) is not a cuDNN 8 and is passed over.
 */
final class LibraryLocator {
  /** Where the locator looks: the environment and the loader cache, replaceable in tests. */
  interface Env {
    String getenv(String name);

    /** Absolute paths known to the dynamic loader cache ({@code ldconfig -p}). */
    List<String> loaderCache();

    /** The user's home directory. */
    String home();
  }

  /** The outcome: what to load, in which order, and why (or why not). */
  record Plan(
      Path driver,
      Path cublasLt,
      Path cublas,
      int cublasMajor,
      Path cudnn,
      int cudnnMajor,
      CudnnParts cudnnParts,
      List<Path> searched,
      String problem) {

    /** True when cuBLAS must be reached through the libcublas.so.12 shim. */
    boolean cublasShim() {
      return cublasMajor >= 13;
    }

    /** True when cuDNN must be reached through the libcudnn.so.8 shim. */
    boolean cudnnShim() {
      return cudnnMajor >= 9;
    }
  }

  /**
   * cuDNN and its sub-libraries, for a chosen {@code libcudnn.so.N}: {@code load} is every file to
   * load, in order (the library itself included, where its own {@code DT_NEEDED} puts it: first, for
   * the real ones), {@code dir} the directory the sub-libraries were taken from, {@code missing}
   * the sub-libraries not found and {@code missingRequired} those of them that jnn's convolutions
   * need.
   */
  record CudnnParts(
      Path cudnn, Path dir, List<Path> load, List<String> missing, List<String> missingRequired) {

    /** True when every sub-library the convolutions need is there. */
    boolean complete() {
      return missingRequired.isEmpty();
    }

    /** True when a failure to load {@code p} must stop the CUDA back end. */
    boolean required(Path p) {
      return p.equals(cudnn) || REQUIRED.contains(p.getFileName().toString());
    }
  }

  /** cuDNN 8's sub-libraries in dependency order (the first four are the convolutions'). */
  static final List<String> CUDNN8_PARTS = List.of(
      "libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8", "libcudnn_cnn_infer.so.8",
      "libcudnn_cnn_train.so.8", "libcudnn_adv_infer.so.8", "libcudnn_adv_train.so.8");

  /** cuDNN 9's sub-libraries in dependency order (graph first; adv is RNNs and attention only). */
  static final List<String> CUDNN9_PARTS = List.of(
      "libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9",
      "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9", "libcudnn_ops.so.9",
      "libcudnn_cnn.so.9", "libcudnn_adv.so.9");

  /** The sub-libraries jnn's convolutions (forward, backward data / filter / bias) reach. */
  static final Set<String> REQUIRED = Set.of(
      "libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8", "libcudnn_cnn_infer.so.8",
      "libcudnn_cnn_train.so.8", "libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9",
      "libcudnn_heuristic.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9");

  /** A string only jnn's forwarding shims contain (the name of their target override). */
  private static final byte[] SHIM_MARK =
      "JCUDA_CUDNN8_SHIM_TARGET".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static final String ROOT_OVERRIDE = "JNN_CUDA_SEARCH_ROOT";
  private static final Pattern MAJOR = Pattern.compile("\\.so\\.(\\d+)$");

  private final Env env;
  private final Path root;

  LibraryLocator(Env env) {
    this.env = env;
    String r = env.getenv(ROOT_OVERRIDE);
    this.root = r == null || r.isEmpty() ? Paths.get("/") : Paths.get(r);
  }

  /** The real environment. */
  static Env systemEnv() {
    return new Env() {
      @Override
      public String getenv(String name) {
        return System.getenv(name);
      }

      @Override
      public List<String> loaderCache() {
        return ldconfigCache();
      }

      @Override
      public String home() {
        return System.getProperty("user.home", "");
      }
    };
  }

  private Path at(String absolute) {
    return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
  }

  /** The directories searched, in order, existing ones only, without duplicates. */
  List<Path> searchDirs() {
    Set<Path> dirs = new LinkedHashSet<>();
    String ld = env.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(":")) {
        if (!d.isBlank()) {
          dirs.add(at(d.trim()));
        }
      }
    }
    for (String var : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
      String v = env.getenv(var);
      if (v != null && !v.isBlank()) {
        dirs.add(at(v).resolve("lib64"));
        dirs.add(at(v).resolve("lib"));
        dirs.add(at(v).resolve("targets/x86_64-linux/lib"));
      }
    }
    List<Path> pyRoots = new ArrayList<>();
    for (String var : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
      String v = env.getenv(var);
      if (v != null && !v.isBlank()) {
        pyRoots.add(at(v));
      }
    }
    pyRoots.add(at("/opt/torch/.venv"));
    if (env.home() != null && !env.home().isEmpty()) {
      pyRoots.add(at(env.home()).resolve(".local"));
    }
    pyRoots.add(at("/usr/local"));
    pyRoots.add(at("/usr"));
    for (Path py : pyRoots) {
      for (Path site : sitePackages(py)) {
        Path nvidia = site.resolve("nvidia");
        for (Path pkg : children(nvidia)) {
          dirs.add(pkg.resolve("lib"));
        }
      }
    }
    dirs.add(at("/usr/local/cuda/lib64"));
    dirs.add(at("/usr/local/cuda/targets/x86_64-linux/lib"));
    List<Path> versioned = new ArrayList<>();
    for (Path p : children(at("/usr/local"))) {
      if (p.getFileName().toString().startsWith("cuda-")) {
        versioned.add(p);
      }
    }
    versioned.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    for (Path p : versioned) {
      dirs.add(p.resolve("lib64"));
      dirs.add(p.resolve("targets/x86_64-linux/lib"));
    }
    for (String d :
        new String[] {
          "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/x86_64-linux-gnu",
          "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64", "/usr/lib/wsl/lib"
        }) {
      dirs.add(at(d));
    }
    for (String c : env.loaderCache()) {
      Path p = at(c).getParent();
      if (p != null) {
        dirs.add(p);
      }
    }
    List<Path> out = new ArrayList<>();
    for (Path d : dirs) {
      if (Files.isDirectory(d)) {
        out.add(d);
      }
    }
    return out;
  }

  private static List<Path> sitePackages(Path pyRoot) {
    List<Path> out = new ArrayList<>();
    for (String lib : new String[] {"lib", "lib64"}) {
      for (Path py : children(pyRoot.resolve(lib))) {
        String n = py.getFileName().toString();
        if (n.startsWith("python3")) {
          for (String s : new String[] {"site-packages", "dist-packages"}) {
            Path sp = py.resolve(s);
            if (Files.isDirectory(sp)) {
              out.add(sp);
            }
          }
        }
      }
    }
    return out;
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The first file named {@code name} in {@code dirs} (not under a {@code compat} directory). */
  static Path find(List<Path> dirs, String name) {
    for (Path d : dirs) {
      if (d.toString().contains("/compat")) {
        continue;
      }
      Path f = d.resolve(name);
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    return null;
  }

  static int majorOf(Path p) {
    Matcher m = MAJOR.matcher(p.getFileName().toString());
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private Path override(String var) {
    String v = env.getenv(var);
    if (v == null || v.isBlank()) {
      return null;
    }
    return Paths.get(v);
  }

  /**
   * The cuBLAS major a cuDNN build links against, from the DT_NEEDED entries of the cuDNN
   * libraries next to it; -1 when unknown.
   */
  static int cublasMajorNeededBy(Path cudnn) {
    Path dir = cudnn.getParent();
    List<Path> libs = new ArrayList<>();
    libs.add(cudnn);
    for (Path p : children(dir)) {
      String n = p.getFileName().toString();
      if (n.startsWith("libcudnn") && n.matches(".*\\.so\\.\\d+$") && !p.equals(cudnn)) {
        libs.add(p);
      }
    }
    for (Path p : libs) {
      for (String need : ElfNeeded.read(real(p))) {
        Matcher m = Pattern.compile("^libcublas(?:Lt)?\\.so\\.(\\d+)$").matcher(need);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    }
    return -1;
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  /** Every file named {@code name} in {@code dirs}, in search order (compat dirs skipped). */
  static List<Path> findAll(List<Path> dirs, String name) {
    List<Path> out = new ArrayList<>();
    for (Path d : dirs) {
      if (d.toString().contains("/compat")) {
        continue;
      }
      Path f = d.resolve(name);
      if (Files.isRegularFile(f) && !out.contains(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /** For a library in {@code .../site-packages/nvidia/<pkg>/lib}: the sibling packages' lib dirs. */
  static List<Path> pipSiblings(Path lib) {
    Path dir = lib.getParent();
    Path pkg = dir == null ? null : dir.getParent();
    Path nvidia = pkg == null ? null : pkg.getParent();
    if (nvidia == null || !nvidia.getFileName().toString().equals("nvidia")) {
      return List.of(dir);
    }
    List<Path> out = new ArrayList<>();
    out.add(dir);
    for (Path p : children(nvidia)) {
      Path l = p.resolve("lib");
      if (Files.isDirectory(l) && !out.contains(l)) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * The sub-libraries of {@code cudnn} ({@code libcudnn.so.8} or {@code .9}) and the order to load
   * them in, with the library itself. Pure file-system logic: looks in the library's directory,
   * then in the directory of the file it resolves to (a symbolic link into another directory);
   * orders by the canonical list ({@link #CUDNN8_PARTS}, {@link #CUDNN9_PARTS}), moving any file
   * after the siblings its {@code DT_NEEDED} names. Null for another major.
   */
  static CudnnParts cudnnParts(Path cudnn) {
    int major = majorOf(cudnn);
    List<String> names = major == 8 ? CUDNN8_PARTS : major == 9 ? CUDNN9_PARTS : null;
    if (names == null) {
      return null;
    }
    Path dir = cudnn.toAbsolutePath().getParent();
    Path realDir = real(cudnn).getParent();
    List<Path> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> missingRequired = new ArrayList<>();
    boolean anyInDir = names.stream().anyMatch(n -> Files.isRegularFile(dir.resolve(n)));
    Path from = !anyInDir && realDir != null
        && names.stream().anyMatch(n -> Files.isRegularFile(realDir.resolve(n))) ? realDir : dir;
    for (String n : names) {
      Path f = from.resolve(n);
      if (Files.isRegularFile(f)) {
        found.add(f);
      } else {
        missing.add(n);
        if (REQUIRED.contains(n)) {
          missingRequired.add(n);
        }
      }
    }
    List<Path> all = new ArrayList<>();
    all.add(cudnn);
    all.addAll(found);
    return new CudnnParts(cudnn, from, dependencyOrder(all), missing, missingRequired);
  }

  /**
   * {@code libs} reordered so that each comes after the ones among them that its {@code
   * DT_NEEDED} names (matched by file name, which is the soname for {@code .so.N} files): in the
   * given order, each preceded by those of its needs not yet placed (a dependency cycle is broken
   * at the library first reached again).
   */
  static List<Path> dependencyOrder(List<Path> libs) {
    Map<Path, List<Path>> needs = new java.util.HashMap<>();
    for (Path p : libs) {
      List<String> needed = ElfNeeded.read(real(p));
      List<Path> n = new ArrayList<>();
      for (Path q : libs) {
        if (!q.equals(p) && needed.contains(q.getFileName().toString())) {
          n.add(q);
        }
      }
      needs.put(p, n);
    }
    List<Path> out = new ArrayList<>();
    Set<Path> visiting = new java.util.HashSet<>();
    for (Path p : libs) {
      place(p, needs, visiting, out);
    }
    return out;
  }

  private static void place(Path p, Map<Path, List<Path>> needs, Set<Path> visiting, List<Path> out) {
    if (out.contains(p) || !visiting.add(p)) {
      return;
    }
    for (Path q : needs.get(p)) {
      place(q, needs, visiting, out);
    }
    out.add(p);
  }

  /** True when {@code lib} is one of jnn's forwarding shims rather than the library it names. */
  static boolean isJnnShim(Path lib) {
    try {
      if (!Files.isRegularFile(lib) || Files.size(lib) > (8 << 20)) {
        return false;
      }
      byte[] b = Files.readAllBytes(lib);
      outer:
      for (int i = 0; i + SHIM_MARK.length <= b.length; i++) {
        for (int j = 0; j < SHIM_MARK.length; j++) {
          if (b[i + j] != SHIM_MARK[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** cuBLAS (and its Lt) chosen for a cuDNN: {path, lt} and the major, or null. */
  private record Cublas(Path cublas, Path lt, int major) {}

  private Cublas cublasFor(Path cudnn, List<Path> dirs) {
    Path ov = override("JNN_CUBLAS_LIBRARY");
    Path ovLt = override("JNN_CUBLASLT_LIBRARY");
    List<Path> candidates = new ArrayList<>();
    if (ov != null) {
      candidates.add(ov);
    } else {
      int want = cudnn == null ? -1 : cublasMajorNeededBy(cudnn);
      List<Path> near = cudnn == null ? List.of() : pipSiblings(cudnn);
      int[] majors = want > 0 ? new int[] {want} : new int[] {13, 12};
      // the same installation as cuDNN first (pip wheels are released as a matched set) ...
      for (int m : majors) {
        candidates.addAll(findAll(near, "libcublas.so." + m));
      }
      // ... then anywhere: 12 (loaded directly) before 13 (through the shim)
      for (int m : want > 0 ? majors : new int[] {12, 13}) {
        for (Path p : findAll(dirs, "libcublas.so." + m)) {
          if (!candidates.contains(p)) {
            candidates.add(p);
          }
        }
      }
    }
    for (Path c : candidates) {
      int major = majorOf(c);
      Path lt = ovLt;
      if (lt == null) {
        Path sibling = c.resolveSibling("libcublasLt.so." + major);
        lt = Files.isRegularFile(sibling) ? sibling : find(dirs, "libcublasLt.so." + major);
      }
      if (lt != null || ov != null) {
        return new Cublas(c, lt, major);
      }
    }
    return candidates.isEmpty() ? null : new Cublas(candidates.get(0), null, majorOf(candidates.get(0)));
  }

  /** Decides. Never throws; a missing library is reported in {@link Plan#problem()}. */
  Plan plan() {
    List<Path> dirs = searchDirs();
    // driver
    Path driver = override("JNN_CUDA_DRIVER_LIBRARY");
    if (driver == null) {
      driver = find(dirs, "libcuda.so.1");
    }
    // cuDNN 8 (direct) when a cuBLAS 12 goes with it, else cuDNN 9 (shim) with the cuBLAS of its
    // installation
    Path ovDnn = override("JNN_CUDNN_LIBRARY");
    List<Path> dnnCandidates = new ArrayList<>();
    if (ovDnn != null) {
      dnnCandidates.add(ovDnn);
    } else {
      for (Path d : findAll(dirs, "libcudnn.so.8")) {
        if (!isJnnShim(d)) {
          dnnCandidates.add(d);
        }
      }
      dnnCandidates.addAll(findAll(dirs, "libcudnn.so.9"));
    }
    Path cudnn = null;
    Cublas cb = null;
    for (Path d : dnnCandidates) {
      Cublas c = cublasFor(d, dirs);
      CudnnParts parts = cudnnParts(d);
      boolean consistent = c != null && c.lt() != null && (majorOf(d) != 8 || c.major() == 12)
          && parts != null && parts.complete();
      if (consistent || ovDnn != null) {
        cudnn = d;
        cb = c;
        break;
      }
    }
    if (cudnn == null && !dnnCandidates.isEmpty()) {
      cudnn = dnnCandidates.get(dnnCandidates.size() - 1);
      cb = cublasFor(cudnn, dirs);
    }
    if (cb == null && cudnn == null) {
      cb = cublasFor(null, dirs);
    }
    int cudnnMajor = cudnn == null ? -1 : majorOf(cudnn);
    Path cublas = cb == null ? null : cb.cublas();
    Path lt = cb == null ? null : cb.lt();
    int cublasMajor = cb == null ? -1 : cb.major();
    List<String> problems = new ArrayList<>();
    if (driver == null && !env.loaderCache().stream().anyMatch(p -> p.endsWith("/libcuda.so.1"))) {
      problems.add("no NVIDIA driver: libcuda.so.1 was not found (searched " + dirs.size()
          + " directories, the loader cache and JNN_CUDA_DRIVER_LIBRARY)");
    }
    if (cublas == null) {
      problems.add("cuBLAS not found: looked for libcublas.so.12 and libcublas.so.13 (set"
          + " JNN_CUBLAS_LIBRARY to its path, or install the CUDA toolkit or the"
          + " nvidia-cublas wheel)");
    } else if (cublasMajor != 12 && cublasMajor != 13) {
      problems.add("unsupported cuBLAS " + cublas + " (jnn supports cuBLAS 12 and 13)");
    } else if (lt == null) {
      problems.add("libcublasLt.so." + cublasMajor + " (needed by " + cublas + ") was not found");
    }
    if (cudnn == null) {
      problems.add("cuDNN not found: looked for libcudnn.so.8 and libcudnn.so.9 (set"
          + " JNN_CUDNN_LIBRARY to its path, or install cuDNN or the nvidia-cudnn wheel)");
    } else if (cudnnMajor != 8 && cudnnMajor != 9) {
      problems.add("unsupported cuDNN " + cudnn + " (jnn supports cuDNN 8 and 9)");
    }
    boolean jnnShim = cudnnMajor == 8 && isJnnShim(cudnn);
    if (jnnShim) {
      problems.add(cudnn + " is jnn's forwarding shim, not a cuDNN 8 (point JNN_CUDNN_LIBRARY at a"
          + " libcudnn.so.9 or at a real cuDNN 8)");
    }
    CudnnParts parts = cudnn == null || jnnShim ? null : cudnnParts(cudnn);
    if (parts != null && !parts.complete()) {
      problems.add("cuDNN " + cudnnMajor + " at " + cudnn + " is incomplete: "
          + String.join(", ", parts.missingRequired()) + " (needed for convolutions) not found in "
          + parts.dir() + " (install the whole cuDNN, or set JNN_CUDNN_LIBRARY to a complete one)");
    }
    String problem = problems.isEmpty() ? null : String.join("; ", problems);
    return new Plan(driver, lt, cublas, cublasMajor, cudnn, cudnnMajor, parts, dirs, problem);
  }

  /** {@code ldconfig -p}'s paths (empty when it cannot run). */
  static List<String> ldconfigCache() {
    List<String> out = new ArrayList<>();
    for (String exe : new String[] {"/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"}) {
      try {
        Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
          continue;
        }
        for (String line : text.split("\n")) {
          int i = line.indexOf("=> ");
          if (i > 0) {
            out.add(line.substring(i + 3).trim());
          }
        }
        return out;
      } catch (IOException e) {
        // try the next location
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return out;
      }
    }
    return out;
  }

  /** For tests: an Env over a map and a fixed loader cache. */
  static Env envOf(Map<String, String> vars, List<String> cache, String home) {
    Function<String, String> get = vars::get;
    return new Env() {
      @Override
      public String getenv(String name) {
        return get.apply(name);
      }

      @Override
      public List<String> loaderCache() {
        return cache;
      }

      @Override
      public String home() {
        return home;
      }
    };
  }
}
