package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.Backends;
import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

/**
 * The native side that runs without a GPU: the shims cover every import of the real JNI
 * libraries, the JNI libraries bind to them by soname in the verified load order, device
 * pointers convert, and without a driver CUDA is unavailable with a concrete reason.
 */
class NativeLoadingTest {
  static boolean tools() {
    return Emulator.onPath("gcc") && Emulator.onPath("nm") && Emulator.onPath("readelf");
  }

  static Path resourceFile(String resource, Path dir) throws Exception {
    Path out = dir.resolve(Paths.get(resource).getFileName().toString());
    try (var in = NativeLoadingTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return out;
  }

  static List<String> run(String... cmd) throws Exception {
    return run(Map.of(), cmd);
  }

  static List<String> run(Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        lines.add(l);
      }
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + String.join("\n", lines));
    return lines;
  }

  /** Undefined dynamic symbols of {@code lib} bound to version node {@code node}. */
  static Set<String> imports(Path lib, String node) throws Exception {
    Set<String> s = new TreeSet<>();
    Pattern p = Pattern.compile("^\\s*[Uw]\\s+([A-Za-z_][A-Za-z0-9_]*)@+(\\S+)\\s*$");
    for (String l : run("nm", "-D", "--undefined-only", lib.toString())) {
      Matcher m = p.matcher(l);
      if (m.matches() && m.group(2).equals(node)) {
        s.add(m.group(1));
      }
    }
    return s;
  }

  /** Defined dynamic symbols of {@code lib} with default version {@code node}. */
  static Set<String> exports(Path lib, String node) throws Exception {
    Set<String> s = new TreeSet<>();
    Pattern p = Pattern.compile("^\\s*[0-9a-f]+\\s+[TtWi]\\s+([A-Za-z_][A-Za-z0-9_]*)@@(\\S+)\\s*$");
    for (String l : run("nm", "-D", "--defined-only", lib.toString())) {
      Matcher m = p.matcher(l);
      if (m.matches() && m.group(2).equals(node)) {
        s.add(m.group(1));
      }
    }
    return s;
  }

  static Path jcublasNative(String name, Path dir) throws Exception {
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.contains("jcublas-natives") && e.endsWith(".jar")) {
        try (ZipFile z = new ZipFile(e)) {
          ZipEntry ze = z.getEntry("lib/" + name);
          if (ze != null) {
            Path out = dir.resolve(name);
            Files.copy(z.getInputStream(ze), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return out;
          }
        }
      }
    }
    throw new AssertionError("jcublas-natives jar with lib/" + name + " not on the test class path");
  }

  @Test
  void shimsExportEveryImportOfTheJniLibraries() throws Exception {
    if (!tools()) {
      System.out.println("NativeLoadingTest: gcc/nm/readelf missing, the build made no shims; not checked");
      return;
    }
    Path tmp = Files.createTempDirectory("jnn-shims");
    Path cudnnShim = resourceFile(NativeSetup.SHIM_DIR + "libcudnn.so.8", tmp);
    Path cublasShim = resourceFile(NativeSetup.SHIM_DIR + "libcublas.so.12", tmp);
    assertTrue(cudnnShim != null && cublasShim != null,
        "gcc and nm are here but the build produced no shims (see native-kernels/build-shims.sh output)");
    Path jcudnn = resourceFile(NativeSetup.JCUDNN_DIR + "libJCudnn-12.6.0-linux-x86_64.so", tmp);
    Path jcublas2 = jcublasNative("libJCublas2-12.6.0-linux-x86_64.so", tmp);
    Path jcublas = jcublasNative("libJCublas-12.6.0-linux-x86_64.so", tmp);

    Set<String> need = imports(jcudnn, "libcudnn.so.8");
    Set<String> have = exports(cudnnShim, "libcudnn.so.8");
    assertTrue(need.size() > 200, "JCudnn imports " + need.size());
    Set<String> missing = new TreeSet<>(need);
    missing.removeAll(have);
    assertTrue(missing.isEmpty(), "cuDNN shim lacks " + missing);

    Set<String> needB = new TreeSet<>(imports(jcublas2, "libcublas.so.12"));
    needB.addAll(imports(jcublas, "libcublas.so.12"));
    Set<String> haveB = exports(cublasShim, "libcublas.so.12");
    assertTrue(needB.size() > 400, "JCublas imports " + needB.size());
    Set<String> missingB = new TreeSet<>(needB);
    missingB.removeAll(haveB);
    assertTrue(missingB.isEmpty(), "cuBLAS shim lacks " + missingB);

    assertTrue(String.join("\n", run("readelf", "-d", cudnnShim.toString())).contains("[libcudnn.so.8]"));
    assertTrue(String.join("\n", run("readelf", "-d", cublasShim.toString())).contains("[libcublas.so.12]"));
  }

  /**
   * In a fresh JVM (binding is process-wide): load the shims, then JCublas2 and JCudnn (the 11.7.0
   * binary under the 12.6.0 name); they bind to the shims by soname; with no cuDNN 9 / cuBLAS 13
   * behind them every call returns the shims' missing-status instead of killing the JVM.
   */
  @Test
  void jniLibrariesBindToTheShimsInAFreshJvm() throws Exception {
    if (!tools()) {
      System.out.println("NativeLoadingTest: gcc/nm/readelf missing; not checked");
      return;
    }
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    // targets that do not exist, so that a cuDNN 9 / cuBLAS 13 installed on this host stays out of it
    List<String> out = run(Map.of("JCUDA_CUDNN8_SHIM_TARGET", "/nonexistent/libcudnn.so.9",
            "JCUDA_CUBLAS12_SHIM_TARGET", "/nonexistent/libcublas.so.13"),
        java, "-cp", System.getProperty("java.class.path"), JniBindingProbe.class.getName());
    String text = String.join("\n", out);
    assertTrue(text.contains("cudnnGetVersion=3000"), text);
    assertTrue(text.contains("cublasCreate=15"), text);
    assertTrue(text.contains("mapped: libJCudnn-12.6.0-linux-x86_64.so"), text);
    // jnn loaded its own copy, and JCudnn's loader reused it instead of extracting a second one
    assertTrue(text.contains("jcudnn: libJCudnn-12.6.0-linux-x86_64.so"), text);
    assertTrue(text.contains("libJCudnn files mapped: 1 "), text);
    assertTrue(text.contains("mapped: libcudnn.so.8"), text);
    assertTrue(text.contains("mapped: libcublas.so.12"), text);
  }

  /**
   * The JCudnn binary lives under jnn's own resource path, not in JCuda's {@code /lib/} namespace
   * (where it collided with JCuda's natives in shaded jars).
   */
  @Test
  void jcudnnBinaryIsAJnnOwnedResource() {
    assertTrue(NativeSetup.class.getResource(NativeSetup.JCUDNN_DIR + "libJCudnn-12.6.0-linux-x86_64.so") != null,
        "the build did not put the JCudnn binary under " + NativeSetup.JCUDNN_DIR);
    assertEquals(null, NativeSetup.class.getResource("/lib/libJCudnn-12.6.0-linux-x86_64.so"),
        "a libJCudnn-12.6.0 is on the class path under JCuda's /lib/ again");
  }

  @Test
  void devicePointersCarryTheAddress() {
    CUdeviceptr p = DevicePointers.of(0x7f00_1234_5678L);
    assertTrue(p.toString().contains("nativePointer=0x7f0012345678"), p.toString());
    assertTrue(p.toString().contains("byteOffset=0"), p.toString());
    assertEquals(0L, new DevicePointers.Allocated().address());
  }

  @Test
  void withoutAGpuCudaIsUnavailableWithTheReason() {
    Backends.setCudaBackendForTesting(null);
    if (Cuda.isAvailable()) {
      // a GPU host: the positive path is GpuCudaSuiteTest's
      assertTrue(Cuda.describe().contains("cuda:0"));
      return;
    }
    String why = Cuda.unavailableReason();
    assertTrue(why.contains("libcuda.so.1") || why.contains("driver") || why.contains("cuBLAS")
        || why.contains("cuDNN"), why);
    CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
        () -> Tensor.zeros(Shape.of(2), DType.FLOAT32, Device.cuda()));
    assertEquals("CUDA is not available: " + why, e.getMessage());
    assertEquals(0, Cuda.deviceCount());
    assertTrue(Cuda.describe().startsWith("CUDA is not available: "));
    Linear l = new Linear(3, 2);
    Tensor w = l.weight();
    assertThrows(CudaUnavailableException.class, l::cuda);
    assertEquals(Device.CPU, l.weight().device());
    assertEquals(w, l.weight());
    assertThrows(CudaUnavailableException.class, Cuda::synchronize);
    // on this kind of machine (no driver) the reason is the driver
    if (!Files.exists(Paths.get("/dev/nvidiactl"))) {
      assertTrue(why.startsWith("no NVIDIA driver") || why.contains("libcuda.so.1"), why);
    }
  }
}
