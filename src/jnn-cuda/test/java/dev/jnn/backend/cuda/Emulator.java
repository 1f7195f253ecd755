package dev.jnn.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds (with g++, cached under {@code target/jnn-emu/<hash>/}) and loads the CPU emulation of
 * jnn's CUDA kernels: the real {@code native-kernels/*.cu} sources compiled for the host with
 * {@code native-kernels/emu/}. {@link #unavailableReason()} says why it cannot be used (no g++ or
 * no JDK headers), so that tests can skip only for a missing tool.
 */
final class Emulator {
  private static String reason;
  private static boolean loaded;

  private Emulator() {}

  /** The repository root (the directory holding pom.xml and native-kernels/). */
  static Path root() {
    Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve("native-kernels")) && Files.exists(q.resolve("pom.xml"))) {
        return q;
      }
    }
    return p;
  }

  /** Null when the emulator is loaded, else why not (a missing tool). */
  static synchronized String unavailableReason() {
    if (loaded) {
      return null;
    }
    if (reason != null) {
      return reason;
    }
    try {
      Path lib = build();
      if (lib == null) {
        return reason;
      }
      System.load(lib.toString());
      loaded = true;
      return null;
    } catch (IOException | InterruptedException | RuntimeException e) {
      throw new IllegalStateException("building the CUDA kernel emulator failed: " + e.getMessage(), e);
    }
  }

  private static Path build() throws IOException, InterruptedException {
    Path nk = root().resolve("native-kernels");
    Path jdk = Paths.get(System.getProperty("java.home"));
    Path inc = jdk.resolve("include");
    if (!Files.exists(inc.resolve("jni.h"))) {
      reason = "no JDK headers (jni.h) under " + jdk + " to build the kernel emulator";
      return null;
    }
    if (!onPath("g++")) {
      reason = "g++ not found: the CUDA kernel emulator cannot be built";
      return null;
    }
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> s = Files.walk(nk)) {
      s.filter(p -> p.toString().matches(".*\\.(cu|cuh|h|cpp)$")).sorted().forEach(sources::add);
    }
    String table = tableSource();
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path p : sources) {
      md.update(nk.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
      md.update(Files.readAllBytes(p));
    }
    md.update(table.getBytes(StandardCharsets.UTF_8));
    String hash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
    Path dir = root().resolve("target/jnn-emu/" + hash);
    Path lib = dir.resolve("libjnnemu.so");
    if (Files.isRegularFile(lib)) {
      return lib;
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kernels_table.inc"), table);
    Path tmp = dir.resolve("libjnnemu.so.tmp" + ProcessHandle.current().pid());
    List<String> cmd = List.of("g++", "-std=c++17", "-O1", "-g", "-shared", "-fPIC", "-DJNN_EMU",
        "-Wno-unknown-pragmas", "-I" + inc, "-I" + inc.resolve("linux"), "-I" + dir, "-I" + nk,
        nk.resolve("emu/emu_runtime.cpp").toString(), "-o", tmp.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("g++ failed:\n" + out);
    }
    Files.move(tmp, lib, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return lib;
  }

  /** One K(name) line per entry point of the committed PTX. */
  static String tableSource() {
    StringBuilder sb = new StringBuilder();
    for (String name : KernelImages.signatures().all().keySet()) {
      sb.append("K(").append(name).append(")\n");
    }
    return sb.toString();
  }

  static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Paths.get(d, exe))) {
        return true;
      }
    }
    return false;
  }
}
