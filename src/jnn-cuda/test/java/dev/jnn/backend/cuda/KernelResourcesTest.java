package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.UnaryOp;
import dev.jnn.core.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed kernel module (src/main/resources/dev/jnn/backend/cuda/kernels/) is up to date
 * with native-kernels/*.cu{,h}, has the expected form, and the op codes in the CUDA sources agree
 * with the Java enums.
 */
class KernelResourcesTest {
  static Path kernels() {
    return Emulator.root().resolve("native-kernels");
  }

  /** The hash native-kernels/sources-hash.sh computes. */
  static String sourcesHash() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(kernels())) {
      s.filter(p -> p.getFileName().toString().matches(".*\\.(cu|cuh)$")).forEach(files::add);
    }
    files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (Path f : files) {
      md.update((f.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
      md.update(Files.readAllBytes(f));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static Map<String, String> record() {
    Map<String, String> m = new LinkedHashMap<>();
    String text = new String(KernelImages.resource(KernelImages.HASH), StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      int i = line.indexOf(' ');
      if (i > 0) {
        m.put(line.substring(0, i), line.substring(i + 1).trim());
      }
    }
    return m;
  }

  @Test
  void committedKernelsMatchTheSources() throws Exception {
    assertEquals(record().get("sources-sha256"), sourcesHash(),
        "native-kernels/*.cu changed since the committed kernels were built: run native-kernels/build.sh");
  }

  @Test
  void moduleFormsAreAsShipped() {
    String ptx = KernelImages.ptx();
    assertTrue(ptx.contains("\n.version 8.0\n"), "PTX not rewritten to .version 8.0");
    assertTrue(ptx.contains("\n.target sm_75"), "PTX not built for compute_75");
    byte[] fatbin = KernelImages.resource(KernelImages.FATBIN);
    assertEquals(0xba55ed50, (fatbin[0] & 0xff) | (fatbin[1] & 0xff) << 8 | (fatbin[2] & 0xff) << 16 | (fatbin[3] & 0xff) << 24,
        "not a fatbin");
    assertTrue(KernelImages.signatures().all().size() > 80);
    assertEquals("fatbin", KernelImages.choose(13000));
    assertEquals("ptx", KernelImages.choose(12040));
    assertTrue(assertThrowsMessage(() -> KernelImages.choose(11080)).contains("CUDA 12.0 or newer"));
  }

  private static String assertThrowsMessage(Runnable r) {
    try {
      r.run();
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError("no exception");
  }

  /** When nvcc (the version that built the committed PTX) is here, rebuilding gives the same PTX. */
  @Test
  void rebuildingThePtxWithNvccReproducesIt() throws Exception {
    String nvcc = Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc")) ? "/usr/local/cuda/bin/nvcc"
        : Emulator.onPath("nvcc") ? "nvcc" : null;
    if (nvcc == null) {
      System.out.println("KernelResourcesTest: nvcc not found; the source hash check stands alone");
      return;
    }
    Process v = new ProcessBuilder(nvcc, "--version").redirectErrorStream(true).start();
    String[] lines = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
    v.waitFor(60, TimeUnit.SECONDS);
    String version = lines[lines.length - 1].trim();
    if (!("nvcc " + version).equals("nvcc " + record().get("nvcc"))) {
      System.out.println("KernelResourcesTest: nvcc " + version + " differs from the one that built the"
          + " committed PTX (" + record().get("nvcc") + "); not comparing");
      return;
    }
    Path tmp = Files.createTempDirectory("jnn-ptx");
    try {
      Path out = tmp.resolve("jnn.ptx");
      Process p = new ProcessBuilder(nvcc, "-ptx", "-arch=compute_75", kernels().resolve("jnn.cu").toString(),
          "-o", out.toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, log);
      String fresh = Files.readString(out).replaceFirst("(?m)^\\.version \\d+\\.\\d+", ".version 8.0");
      assertEquals(fresh, KernelImages.ptx(), "committed PTX differs from nvcc's: run native-kernels/build.sh");
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static Map<String, Integer> defines(String file, String prefix) throws IOException {
    Map<String, Integer> m = new LinkedHashMap<>();
    Matcher mt = Pattern.compile("(?m)^#define " + prefix + "([A-Z0-9_]+) (\\d+)$")
        .matcher(Files.readString(kernels().resolve(file)));
    while (mt.find()) {
      m.put(mt.group(1), Integer.parseInt(mt.group(2)));
    }
    return m;
  }

  @Test
  void opCodesAgreeWithTheJavaEnums() throws IOException {
    Map<String, Integer> u = defines("elementwise.cuh", "U_");
    assertEquals(UnaryOp.values().length, u.size());
    for (UnaryOp op : UnaryOp.values()) {
      assertEquals(op.ordinal(), u.get(op.name()), "U_" + op);
    }
    Map<String, Integer> b = defines("elementwise.cuh", "B_");
    assertEquals(BinaryOp.values().length, b.size());
    for (BinaryOp op : BinaryOp.values()) {
      assertEquals(op.ordinal(), b.get(op.name()), "B_" + op);
    }
    Map<String, Integer> r = defines("reduce.cuh", "R_");
    for (ReduceOp op : ReduceOp.values()) {
      assertEquals(op.ordinal(), r.get(op.name()), "R_" + op);
    }
    Map<String, Integer> d = defines("common.cuh", "DT_");
    assertEquals(DType.FLOAT32.ordinal(), d.get("F32"));
    assertEquals(DType.FLOAT64.ordinal(), d.get("F64"));
    assertEquals(DType.INT64.ordinal(), d.get("I64"));
    assertEquals(DType.BOOL.ordinal(), d.get("BOOL"));
    assertEquals(Iters.MAXD, defines("common.cuh", "MAX").get("D"));
    assertEquals(Iters.MAXR, defines("common.cuh", "MAX").get("R"));
  }
}
