package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cuDNN's sub-libraries (opened by cuDNN with {@code dlopen} by name): which files are preloaded,
 * from where, in which order, and what the load report and the unavailability reason say about
 * missing ones. The order is checked on real stand-in shared objects built with gcc, whose {@code
 * DT_NEEDED} entries link them like cuDNN's, loaded in a fresh JVM.
 */
class CudnnSubLibrariesTest {
  @TempDir Path root;

  private static final String LIB = "/usr/lib/x86_64-linux-gnu";

  private Path touch(String path) throws IOException {
    Path p = root.resolve(path.substring(1));
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {0});
    return p;
  }

  /** {@code libcudnn.so.N} at {@code dir} with the sub-libraries {@code parts}. */
  private Path cudnn(String dir, int major, List<String> parts) throws IOException {
    for (String n : parts) {
      touch(dir + "/" + n);
    }
    return touch(dir + "/libcudnn.so." + major);
  }

  private void cuda12() throws IOException {
    touch("/usr/local/nvidia/lib64/libcuda.so.1");
    touch("/usr/local/cuda/lib64/libcublas.so.12");
    touch("/usr/local/cuda/lib64/libcublasLt.so.12");
  }

  private LibraryLocator.Plan plan(Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    e.put(LibraryLocator.ROOT_OVERRIDE, root.toString());
    return new LibraryLocator(LibraryLocator.envOf(e, List.of(), "/home/u")).plan();
  }

  private static List<String> names(List<Path> ps) {
    return ps.stream().map(p -> p.getFileName().toString()).toList();
  }

  private static List<String> with(String first, List<String> rest) {
    List<String> l = new ArrayList<>(List.of(first));
    l.addAll(rest);
    return l;
  }

  @Test
  void cudnn8SubLibrariesComeFromTheDirectoryOfTheChosenLibraryInDependencyOrder() throws IOException {
    cuda12();
    Path dnn = cudnn(LIB, 8, LibraryLocator.CUDNN8_PARTS);
    // a stray copy on LD_LIBRARY_PATH (the directory searched first) is not taken
    touch("/stray/libcudnn_cnn_infer.so.8");
    touch("/stray/libcudnn_ops_infer.so.8");
    LibraryLocator.Plan p = plan(Map.of("LD_LIBRARY_PATH", "/stray"));
    assertNull(p.problem());
    assertEquals(dnn, p.cudnn());
    LibraryLocator.CudnnParts parts = p.cudnnParts();
    assertEquals(dnn.getParent(), parts.dir());
    assertEquals(with("libcudnn.so.8", List.of("libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8",
        "libcudnn_cnn_infer.so.8", "libcudnn_cnn_train.so.8", "libcudnn_adv_infer.so.8",
        "libcudnn_adv_train.so.8")), names(parts.load()));
    for (Path f : parts.load()) {
      assertEquals(dnn.getParent(), f.getParent(), f.toString());
    }
    assertEquals(List.of(), parts.missing());
    assertTrue(parts.complete());
  }

  @Test
  void cudnn9SubLibrariesArePreloadedToo() throws IOException {
    cuda12();
    Path dnn = cudnn(LIB, 9, LibraryLocator.CUDNN9_PARTS);
    LibraryLocator.Plan p = plan(Map.of());
    assertNull(p.problem());
    assertTrue(p.cudnnShim());
    assertEquals(with("libcudnn.so.9", LibraryLocator.CUDNN9_PARTS), names(p.cudnnParts().load()));
    assertEquals(dnn.getParent(), p.cudnnParts().dir());
  }

  @Test
  void missingSubLibraryTheConvolutionsDoNotNeedIsNamedInTheLoadReport() throws IOException {
    cuda12();
    Path dnn = cudnn(LIB, 8, LibraryLocator.CUDNN8_PARTS.subList(0, 5));
    LibraryLocator.Plan p = plan(Map.of());
    assertNull(p.problem());
    assertEquals(dnn, p.cudnn());
    LibraryLocator.CudnnParts parts = p.cudnnParts();
    assertEquals(List.of("libcudnn_adv_train.so.8"), parts.missing());
    assertTrue(parts.complete());
    assertFalse(names(parts.load()).contains("libcudnn_adv_train.so.8"));
    String line = NativeSetup.cudnnPartsReport(parts, Map.of());
    assertEquals("cuDNN sub-libraries: libcudnn_ops_infer.so.8, libcudnn_ops_train.so.8,"
        + " libcudnn_cnn_infer.so.8, libcudnn_cnn_train.so.8, libcudnn_adv_infer.so.8 from "
        + dnn.getParent() + "; not found: libcudnn_adv_train.so.8 (not used by jnn's convolutions)", line);
    // one that is there but cannot be loaded is named with the loader's error
    Map<String, String> failed = new LinkedHashMap<>();
    failed.put("libcudnn_adv_infer.so.8", "libfoo.so.1: cannot open shared object file");
    String line2 = NativeSetup.cudnnPartsReport(parts, failed);
    assertFalse(line2.contains("libcudnn_cnn_train.so.8, libcudnn_adv_infer.so.8"), line2);
    assertTrue(line2.endsWith("; libcudnn_adv_infer.so.8 cannot be loaded (not used by jnn's"
        + " convolutions): libfoo.so.1: cannot open shared object file"), line2);
  }

  @Test
  void missingSubLibraryTheConvolutionsNeedIsTheReasonCudaIsUnavailable() throws IOException {
    cuda12();
    List<String> parts = new ArrayList<>(LibraryLocator.CUDNN8_PARTS);
    parts.remove("libcudnn_cnn_train.so.8");
    Path dnn = cudnn(LIB, 8, parts);
    LibraryLocator.Plan p = plan(Map.of());
    assertEquals(dnn, p.cudnn());
    assertEquals("cuDNN 8 at " + dnn + " is incomplete: libcudnn_cnn_train.so.8 (needed for"
        + " convolutions) not found in " + dnn.getParent() + " (install the whole cuDNN, or set"
        + " JNN_CUDNN_LIBRARY to a complete one)", p.problem());
    assertEquals(List.of("libcudnn_cnn_train.so.8"), p.cudnnParts().missingRequired());

    // cuDNN 9 likewise, naming every missing one the convolutions need
    Path dnn9 = cudnn("/opt/c9", 9, List.of("libcudnn_graph.so.9", "libcudnn_adv.so.9"));
    LibraryLocator.Plan p9 = plan(Map.of("JNN_CUDNN_LIBRARY", dnn9.toString()));
    assertTrue(p9.problem().contains("libcudnn_engines_precompiled.so.9, libcudnn_heuristic.so.9,"
        + " libcudnn_ops.so.9, libcudnn_cnn.so.9 (needed for convolutions) not found in "
        + dnn9.getParent()), p9.problem());
    assertEquals(List.of("libcudnn_engines_precompiled.so.9", "libcudnn_engines_runtime_compiled.so.9",
        "libcudnn_heuristic.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9"), p9.cudnnParts().missing());
  }

  @Test
  void anIncompleteCudnnIsPassedOverForACompleteOne() throws IOException {
    cuda12();
    cudnn(LIB, 8, LibraryLocator.CUDNN8_PARTS.subList(0, 2));
    Path dnn9 = cudnn("/usr/local/cuda/lib64", 9, LibraryLocator.CUDNN9_PARTS);
    LibraryLocator.Plan p = plan(Map.of());
    assertNull(p.problem());
    assertEquals(dnn9, p.cudnn());
  }

  @Test
  void subLibrariesNextToTheFileALinkPointsTo() throws IOException {
    cuda12();
    Path real = cudnn("/opt/cudnn-8.9/lib", 8, LibraryLocator.CUDNN8_PARTS);
    Path link = root.resolve(LIB.substring(1)).resolve("libcudnn.so.8");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, real);
    LibraryLocator.Plan p = plan(Map.of());
    assertNull(p.problem());
    assertEquals(link, p.cudnn());
    assertEquals(real.getParent(), p.cudnnParts().dir());
    assertEquals(6, p.cudnnParts().load().size() - 1);
  }

  @Test
  void jnnsOwnShimIsNotTakenForACudnn8() throws Exception {
    cuda12();
    Path shimDir = root.resolve("bundle/shims");
    Files.createDirectories(shimDir);
    Path shim = shimDir.resolve("libcudnn.so.8");
    try (InputStream in = getClass().getResourceAsStream(NativeSetup.SHIM_DIR + "libcudnn.so.8")) {
      if (in != null) {
        Files.copy(in, shim);
      } else { // a build without gcc: a file carrying the shim's marker
        Files.writeString(shim, "\u007fELF...JCUDA_CUDNN8_SHIM_TARGET...", StandardCharsets.US_ASCII);
      }
    }
    assertTrue(LibraryLocator.isJnnShim(shim));
    Path dnn9 = cudnn(LIB, 9, LibraryLocator.CUDNN9_PARTS);
    assertFalse(LibraryLocator.isJnnShim(dnn9));
    LibraryLocator.Plan p = plan(Map.of("LD_LIBRARY_PATH", "/bundle/shims"));
    assertNull(p.problem());
    assertEquals(dnn9, p.cudnn());
    LibraryLocator.Plan ov = plan(Map.of("JNN_CUDNN_LIBRARY", shim.toString()));
    assertTrue(ov.problem().contains(shim + " is jnn's forwarding shim, not a cuDNN 8"), ov.problem());
    assertNull(ov.cudnnParts());
  }

  // ---------------------------------------------------------------- real stand-ins, built by gcc

  private static boolean gcc() {
    return Emulator.onPath("gcc");
  }

  private Path stub(Path dir, String soname, String version, String... needs) throws Exception {
    Path c = dir.resolve("stub.c");
    if (!Files.exists(c)) {
      Files.writeString(c, "int jnn_stub(void) { return 0; }\n");
    }
    Path file = dir.resolve(soname + version);
    List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-Wl,-soname," + soname,
        "-o", file.toString(), c.toString(), "-Wl,--no-as-needed"));
    for (String n : needs) {
      cmd.add(dir.resolve(n).toRealPath().toString());
    }
    NativeLoadingTest.run(cmd.toArray(String[]::new));
    if (!version.isEmpty()) {
      Files.createSymbolicLink(dir.resolve(soname), file.getFileName());
    }
    return dir.resolve(soname);
  }

  /** cuDNN 8.9's layout: versioned files, soname links, sub-libraries linked like the real ones. */
  private Path stubCudnn8(Path dir) throws Exception {
    Files.createDirectories(dir);
    String v = ".9.7";
    stub(dir, "libcudnn_ops_infer.so.8", v);
    stub(dir, "libcudnn_ops_train.so.8", v, "libcudnn_ops_infer.so.8");
    stub(dir, "libcudnn_cnn_infer.so.8", v, "libcudnn_ops_infer.so.8");
    stub(dir, "libcudnn_cnn_train.so.8", v, "libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8",
        "libcudnn_cnn_infer.so.8");
    stub(dir, "libcudnn_adv_infer.so.8", v, "libcudnn_ops_infer.so.8");
    stub(dir, "libcudnn_adv_train.so.8", v, "libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8",
        "libcudnn_adv_infer.so.8");
    return stub(dir, "libcudnn.so.8", v);
  }

  /**
   * cuDNN 9 stand-ins where {@code libcudnn_engines_precompiled} also needs {@code
   * libcudnn_heuristic}, which the canonical order puts after it: the order follows DT_NEEDED.
   */
  private Path stubCudnn9(Path dir) throws Exception {
    Files.createDirectories(dir);
    String v = ".9.1.0";
    stub(dir, "libcudnn_graph.so.9", v);
    stub(dir, "libcudnn_heuristic.so.9", v, "libcudnn_graph.so.9");
    stub(dir, "libcudnn_engines_precompiled.so.9", v, "libcudnn_graph.so.9", "libcudnn_heuristic.so.9");
    stub(dir, "libcudnn_engines_runtime_compiled.so.9", v, "libcudnn_graph.so.9");
    stub(dir, "libcudnn_ops.so.9", v, "libcudnn_graph.so.9");
    stub(dir, "libcudnn_cnn.so.9", v, "libcudnn_ops.so.9", "libcudnn_graph.so.9");
    // adv deliberately absent: reported, not fatal
    return stub(dir, "libcudnn.so.9", v);
  }

  @Test
  void stubOrderFollowsTheirDtNeeded() throws Exception {
    assumeTrue(gcc(), "gcc not found: the stand-in shared objects cannot be built");
    Path d8 = stubCudnn8(root.resolve("c8"));
    LibraryLocator.CudnnParts p8 = LibraryLocator.cudnnParts(d8);
    assertEquals(List.of("libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8", "libcudnn_cnn_infer.so.8"),
        ElfNeeded.read(root.resolve("c8/libcudnn_cnn_train.so.8.9.7")).subList(0, 3));
    assertEquals(with("libcudnn.so.8", LibraryLocator.CUDNN8_PARTS), names(p8.load()));
    Path d9 = stubCudnn9(root.resolve("c9"));
    LibraryLocator.CudnnParts p9 = LibraryLocator.cudnnParts(d9);
    assertEquals(List.of("libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_heuristic.so.9",
        "libcudnn_engines_precompiled.so.9", "libcudnn_engines_runtime_compiled.so.9",
        "libcudnn_ops.so.9", "libcudnn_cnn.so.9"), names(p9.load()));
    assertEquals(List.of("libcudnn_adv.so.9"), p9.missing());
    assertTrue(p9.complete());
    // the reverse of the canonical order is put right again
    List<Path> reversed = new ArrayList<>(p8.load());
    java.util.Collections.reverse(reversed);
    List<String> order = names(LibraryLocator.dependencyOrder(reversed));
    for (String[] dep : new String[][] {{"libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8"},
        {"libcudnn_cnn_infer.so.8", "libcudnn_cnn_train.so.8"}, {"libcudnn_adv_infer.so.8", "libcudnn_adv_train.so.8"},
        {"libcudnn_ops_train.so.8", "libcudnn_cnn_train.so.8"}}) {
      assertTrue(order.indexOf(dep[0]) < order.indexOf(dep[1]), order.toString());
    }
  }

  /**
   * In fresh JVMs, with the stand-ins' directories on no loader path: loading {@code
   * libcudnn.so.N} alone leaves cuDNN's by-name {@code dlopen} of a sub-library failing (the abort
   * this fixes); after NativeSetup's preload, in the planned order (a wrong one would fail on the
   * DT_NEEDED entries), every sub-library resolves by name, and the report names the missing one.
   */
  @Test
  void preloadedSubLibrariesResolveCudnnsDlopenByNameInAFreshJvm() throws Exception {
    assumeTrue(gcc(), "gcc not found: the stand-in shared objects cannot be built");
    Path d8 = stubCudnn8(root.resolve("c8"));
    Path d9 = stubCudnn9(root.resolve("c9"));
    Path check = root.resolve("check");
    Files.createDirectories(check);
    Path src = check.resolve("check.c");
    Files.writeString(src, String.join("\n",
        "#include <dlfcn.h>",
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "#include <string.h>",
        "__attribute__((constructor)) static void check(void) {",
        "  char buf[4096];",
        "  const char *names = getenv(\"JNN_TEST_DLOPEN\");",
        "  snprintf(buf, sizeof buf, \"%s\", names ? names : \"\");",
        "  for (char *n = strtok(buf, \":\"); n; n = strtok(NULL, \":\")) {",
        "    void *h = dlopen(n, RTLD_NOW | RTLD_LOCAL);",
        "    printf(\"dlopen %s: %s\\n\", n, h ? \"ok\" : \"failed\");",
        "  }",
        "  fflush(stdout);",
        "}", ""));
    Path checkLib = check.resolve("libcheck.so");
    NativeLoadingTest.run("gcc", "-shared", "-fPIC", "-o", checkLib.toString(), src.toString(), "-ldl");

    List<String> byName = new ArrayList<>(LibraryLocator.CUDNN8_PARTS);
    byName.addAll(LibraryLocator.CUDNN9_PARTS.subList(0, 6));
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, String> env = Map.of("JNN_TEST_DLOPEN", String.join(":", byName), "LD_LIBRARY_PATH", "");
    String cp = System.getProperty("java.class.path");

    String without = String.join("\n", NativeLoadingTest.run(env, java, "-cp", cp,
        CudnnPreloadProbe.class.getName(), "--no-preload", d8.toString(), "--check", checkLib.toString()));
    assertTrue(without.contains("loaded libcudnn.so.8 alone"), without);
    assertTrue(without.contains("dlopen libcudnn_cnn_infer.so.8: failed"), without);

    String with = String.join("\n", NativeLoadingTest.run(env, java, "-cp", cp,
        CudnnPreloadProbe.class.getName(), d8.toString(), d9.toString(), "--check", checkLib.toString()));
    assertTrue(with.contains("cuDNN sub-libraries: libcudnn_ops_infer.so.8, libcudnn_ops_train.so.8,"
        + " libcudnn_cnn_infer.so.8, libcudnn_cnn_train.so.8, libcudnn_adv_infer.so.8,"
        + " libcudnn_adv_train.so.8 from " + d8.getParent()), with);
    assertTrue(with.contains("cuDNN sub-libraries: libcudnn_graph.so.9, libcudnn_heuristic.so.9,"
        + " libcudnn_engines_precompiled.so.9, libcudnn_engines_runtime_compiled.so.9,"
        + " libcudnn_ops.so.9, libcudnn_cnn.so.9 from " + d9.getParent()
        + "; not found: libcudnn_adv.so.9 (not used by jnn's convolutions)"), with);
    for (String n : byName) {
      assertTrue(with.contains("dlopen " + n + ": ok"), with);
    }
    assertFalse(with.contains("failed"), with);
  }

  /** The canonical lists are what the Javadoc and the brief name, and REQUIRED is a subset. */
  @Test
  void requiredSubLibrariesAreTheConvolutionPath() {
    assertNotNull(LibraryLocator.cudnnParts(root.resolve("x/libcudnn.so.8")));
    assertNull(LibraryLocator.cudnnParts(root.resolve("x/libcudnn.so.7")));
    for (String n : LibraryLocator.REQUIRED) {
      assertTrue(LibraryLocator.CUDNN8_PARTS.contains(n) || LibraryLocator.CUDNN9_PARTS.contains(n), n);
      assertFalse(n.contains("_adv") || n.contains("runtime_compiled"), n);
    }
    assertEquals(9, LibraryLocator.REQUIRED.size());
  }
}
