package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader's decisions on fake directory layouts (no native code runs). */
class LibraryLocatorTest {
  @TempDir Path root;

  private Path touch(String path) throws IOException {
    Path p = root.resolve(path.substring(1));
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {0});
    return p;
  }

  /** A cuDNN 8 or 9 with all its sub-libraries next to it (files already there are kept). */
  private Path cudnn(String path) throws IOException {
    Path p = touch(path);
    for (String n : LibraryLocator.majorOf(p) == 8 ? LibraryLocator.CUDNN8_PARTS : LibraryLocator.CUDNN9_PARTS) {
      if (!Files.exists(p.resolveSibling(n))) {
        Files.write(p.resolveSibling(n), new byte[] {0});
      }
    }
    return p;
  }

  private LibraryLocator.Plan plan(Map<String, String> env, List<String> cache) {
    Map<String, String> e = new HashMap<>(env);
    e.put(LibraryLocator.ROOT_OVERRIDE, root.toString());
    return new LibraryLocator(LibraryLocator.envOf(e, cache, "/home/u")).plan();
  }

  private LibraryLocator.Plan plan() {
    return plan(Map.of(), List.of());
  }

  @Test
  void noDriverIsTheReason() {
    LibraryLocator.Plan p = plan();
    assertNull(p.driver());
    assertTrue(p.problem().startsWith("no NVIDIA driver: libcuda.so.1 was not found"), p.problem());
  }

  @Test
  void torchVenvOnACuda13HostUsesBothShims() throws IOException {
    // the H100/H200 test host: driver in the container's nvidia dir, cuBLAS 13 / cuDNN 9 in the venv
    Path drv = touch("/usr/local/nvidia/lib64/libcuda.so.1");
    String sp = "/opt/torch/.venv/lib/python3.12/site-packages/nvidia";
    Path lt = touch(sp + "/cu13/lib/libcublasLt.so.13");
    Path bl = touch(sp + "/cu13/lib/libcublas.so.13");
    Path dnn = cudnn(sp + "/cudnn/lib/libcudnn.so.9");
    touch("/usr/local/cuda-13.0/targets/x86_64-linux/lib/libcublas.so.13");
    LibraryLocator.Plan p = plan();
    assertNull(p.problem());
    assertEquals(drv, p.driver());
    assertEquals(bl, p.cublas());
    assertEquals(lt, p.cublasLt());
    assertEquals(dnn, p.cudnn());
    assertTrue(p.cublasShim());
    assertTrue(p.cudnnShim());
  }

  @Test
  void cudnnFromAPipEnvironmentTakesTheCublasOfThatEnvironment() throws IOException {
    touch("/usr/local/nvidia/lib64/libcuda.so.1");
    touch("/usr/lib/x86_64-linux-gnu/libcublas.so.12");
    touch("/usr/lib/x86_64-linux-gnu/libcublasLt.so.12");
    String sp = "/opt/torch/.venv/lib/python3.12/site-packages/nvidia";
    Path bl = touch(sp + "/cu13/lib/libcublas.so.13");
    touch(sp + "/cu13/lib/libcublasLt.so.13");
    Path dnn = cudnn(sp + "/cudnn/lib/libcudnn.so.9");
    LibraryLocator.Plan p = plan();
    assertNull(p.problem());
    assertEquals(dnn, p.cudnn());
    assertEquals(bl, p.cublas());
  }

  @Test
  void cudnn8WithoutCublas12FallsBackToCudnn9() throws IOException {
    touch("/usr/local/nvidia/lib64/libcuda.so.1");
    cudnn("/usr/lib/x86_64-linux-gnu/libcudnn.so.8");
    Path dnn9 = cudnn("/usr/local/cuda/lib64/libcudnn.so.9");
    touch("/usr/local/cuda/lib64/libcublas.so.13");
    touch("/usr/local/cuda/lib64/libcublasLt.so.13");
    LibraryLocator.Plan p = plan();
    assertNull(p.problem());
    assertEquals(dnn9, p.cudnn());
    assertEquals(13, p.cublasMajor());
  }

  @Test
  void cuda12WithCudnn8LoadsDirectly() throws IOException {
    touch("/usr/lib/x86_64-linux-gnu/libcuda.so.1");
    Path bl = touch("/usr/local/cuda/lib64/libcublas.so.12");
    touch("/usr/local/cuda/lib64/libcublasLt.so.12");
    Path dnn = cudnn("/usr/lib/x86_64-linux-gnu/libcudnn.so.8");
    touch("/opt/torch/.venv/lib/python3.11/site-packages/nvidia/cublas/lib/libcublas.so.13");
    touch("/opt/torch/.venv/lib/python3.11/site-packages/nvidia/cublas/lib/libcublasLt.so.13");
    LibraryLocator.Plan p = plan();
    assertNull(p.problem());
    assertEquals(bl, p.cublas());
    assertEquals(dnn, p.cudnn());
    assertFalse(p.cublasShim());
    assertFalse(p.cudnnShim());
  }

  @Test
  void environmentOverridesWin() throws IOException {
    touch("/usr/local/nvidia/lib64/libcuda.so.1");
    touch("/usr/local/cuda/lib64/libcublas.so.12");
    touch("/usr/local/cuda/lib64/libcublasLt.so.12");
    cudnn("/usr/lib/x86_64-linux-gnu/libcudnn.so.8");
    Path bl = touch("/opt/x/libcublas.so.13");
    Path lt = touch("/opt/x/libcublasLt.so.13");
    Path dnn = cudnn("/opt/y/libcudnn.so.9");
    LibraryLocator.Plan p = plan(Map.of("JNN_CUBLAS_LIBRARY", bl.toString(), "JNN_CUDNN_LIBRARY", dnn.toString()), List.of());
    assertNull(p.problem());
    assertEquals(bl, p.cublas());
    assertEquals(lt, p.cublasLt());
    assertEquals(dnn, p.cudnn());
    assertEquals(13, p.cublasMajor());
    assertEquals(9, p.cudnnMajor());
  }

  @Test
  void ldLibraryPathComesFirstAndCompatDirectoriesAreSkipped() throws IOException {
    touch("/usr/local/cuda/compat/libcuda.so.1");
    Path drv = touch("/drivers/libcuda.so.1");
    Path dnn9 = cudnn("/mine/libcudnn.so.9");
    touch("/mine/libcublas.so.13");
    touch("/mine/libcublasLt.so.13");
    LibraryLocator.Plan p = plan(Map.of("LD_LIBRARY_PATH", "/usr/local/cuda/compat:/mine:/drivers"), List.of());
    assertNull(p.problem());
    assertEquals(drv, p.driver());
    assertEquals(dnn9, p.cudnn());
  }

  @Test
  void driverKnownOnlyToTheLoaderCacheIsFine() throws IOException {
    touch("/usr/local/cuda/lib64/libcublas.so.12");
    touch("/usr/local/cuda/lib64/libcublasLt.so.12");
    cudnn("/usr/lib/x86_64-linux-gnu/libcudnn.so.8");
    LibraryLocator.Plan p = plan(Map.of(), List.of("/lib/elsewhere/libcuda.so.1"));
    assertNull(p.problem());
    assertNull(p.driver());
  }

  @Test
  void missingCublasAndCudnnAreNamed() throws IOException {
    touch("/usr/local/nvidia/lib64/libcuda.so.1");
    LibraryLocator.Plan p = plan();
    assertTrue(p.problem().contains("cuBLAS not found: looked for libcublas.so.12 and libcublas.so.13"), p.problem());
    assertTrue(p.problem().contains("cuDNN not found: looked for libcudnn.so.8 and libcudnn.so.9"), p.problem());
    assertTrue(p.problem().contains("JNN_CUDNN_LIBRARY"), p.problem());
    touch("/usr/local/cuda/lib64/libcublas.so.12");
    touch("/usr/lib/x86_64-linux-gnu/libcudnn.so.9");
    assertTrue(plan().problem().contains("libcublasLt.so.12"), plan().problem());
  }

  /** cuDNN 9 built for CUDA 12 (its libraries NEED libcublasLt.so.12) pairs with cuBLAS 12. */
  @Test
  void cudnnPicksTheCublasMajorItLinksAgainst() throws Exception {
    if (!Emulator.onPath("gcc")) {
      System.out.println("LibraryLocatorTest: gcc not found; the DT_NEEDED case is covered by ElfNeeded on JCudnn");
      return;
    }
    touch("/usr/local/nvidia/lib64/libcuda.so.1");
    Path dir = root.resolve("usr/lib/x86_64-linux-gnu");
    Files.createDirectories(dir);
    Path c = root.resolve("stub.c");
    Files.writeString(c, "int stub(void) { return 0; }\n");
    gcc("-shared", "-fPIC", "-o", dir.resolve("libcublasLt.so.12").toString(), "-Wl,-soname,libcublasLt.so.12", c.toString());
    gcc("-shared", "-fPIC", "-o", dir.resolve("libcudnn_ops.so.9").toString(), "-Wl,--no-as-needed",
        c.toString(), dir.resolve("libcublasLt.so.12").toString());
    cudnn("/usr/lib/x86_64-linux-gnu/libcudnn.so.9");
    touch("/usr/lib/x86_64-linux-gnu/libcublas.so.12");
    touch("/usr/local/cuda-13.0/lib64/libcublas.so.13");
    touch("/usr/local/cuda-13.0/lib64/libcublasLt.so.13");
    assertEquals(List.of("libcublasLt.so.12", "libc.so.6").subList(0, 1),
        ElfNeeded.read(dir.resolve("libcudnn_ops.so.9")).subList(0, 1));
    LibraryLocator.Plan p = plan();
    assertNull(p.problem());
    assertEquals(12, p.cublasMajor());
    assertTrue(p.cudnnShim());
    assertFalse(p.cublasShim());
  }

  private static void gcc(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("gcc"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }

  @Test
  void elfNeededReadsTheJCudnnJniLibrary() throws Exception {
    Path lib = Files.createTempFile("jcudnn", ".so");
    try (var in = getClass().getResourceAsStream(NativeSetup.JCUDNN_DIR + "libJCudnn-12.6.0-linux-x86_64.so")) {
      assertTrue(in != null, "the renamed JCudnn 11.7.0 binary is not a resource of the build");
      Files.copy(in, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertTrue(ElfNeeded.read(lib).contains("libcudnn.so.8"), ElfNeeded.read(lib).toString());
    assertEquals(List.of(), ElfNeeded.read(root.resolve("nothing")));
    Files.delete(lib);
  }
}
