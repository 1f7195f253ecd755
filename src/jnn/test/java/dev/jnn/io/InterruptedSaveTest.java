package dev.jnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.layers.Linear;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves killed with {@code kill -9} (a child JVM, {@link Process#destroyForcibly()}) never leave a
 * damaged target, and the next save to the same target removes their temporary files, but never
 * the temporary file of a save still in progress in another process.
 */
class InterruptedSaveTest {
  @TempDir Path dir;

  /** The child JVM: {@code loop <target>} saves forever; {@code hold <target>} stops mid-write. */
  public static final class Saver {
    public static void main(String[] args) throws Exception {
      Path target = Path.of(args[1]);
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      if (args[0].equals("hold")) {
        AtomicFiles.write(
            target,
            ch -> {
              ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
              out.println("writing");
              try {
                Thread.sleep(120_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
        return;
      }
      Module m = model();
      for (int i = 0; ; i++) {
        Checkpoints.save(m, target);
        if (i == 0) {
          out.println("saved");
        }
      }
    }
  }

  /** About 2 MB of parameters: a save takes long enough to be interrupted in the middle. */
  static Module model() {
    return new Sequential(new Linear(512, 512), new Linear(512, 512));
  }

  private static Process start(String mode, Path target) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            Saver.class.getName(),
            mode,
            target.toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  /** Waits for the child's line {@code want}; fails when it exits first. */
  private static void await(Process p, String want) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.equals(want)) {
        return;
      }
    }
    throw new AssertionError("child exited (" + p.onExit().join().exitValue() + ") before " + want);
  }

  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not die");
  }

  private List<String> temps() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted()
          .toList();
    }
  }

  private Path touch(String name) throws IOException {
    return Files.write(dir.resolve(name), new byte[] {42});
  }

  private static void age(Path p) throws IOException {
    Files.setLastModifiedTime(
        p, FileTime.fromMillis(System.currentTimeMillis() - 2 * AtomicFiles.REUSED_PID_AGE_MS));
  }

  @Test
  @Timeout(120)
  void killedSavesLeaveALoadableTargetAndTheirTempsAreCleanedUp() throws Exception {
    Path target = dir.resolve("ckpt.safetensors");
    Random rnd = new Random(15);
    long t0 = System.nanoTime();
    int rounds = 0;
    int orphans = 0;
    // several rounds, bounded in time: each kills a child at a random moment of its save loop
    while (rounds < 3 || (rounds < 12 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15))) {
      Process p = start("loop", target);
      try {
        await(p, "saved");
        Thread.sleep(rnd.nextInt(120));
      } finally {
        kill(p);
      }
      rounds++;
      orphans += temps().size();
      Checkpoints.load(model(), target); // whatever the moment, the target is whole
      assertEquals(List.of("ckpt.safetensors"), Files.list(dir).filter(f -> !f.getFileName()
          .toString().endsWith(".tmp")).map(f -> f.getFileName().toString()).toList());
    }
    Module last = model();
    Checkpoints.save(last, target);
    assertEquals(List.of(), temps(), "no orphan temporary file after a save (" + rounds
        + " rounds, " + orphans + " orphans seen along the way)");
    Checkpoints.load(model(), target);
  }

  @Test
  @Timeout(120)
  void onlyStaleTempsOfTheSameTargetAreRemoved() throws Exception {
    Path target = dir.resolve("m.safetensors");
    Process gone = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    gone.waitFor();
    long dead = gone.pid();
    long self = ProcessHandle.current().pid();
    Path deadTmp = touch(".m.safetensors.jnn-" + dead + "-0123456789abcdef.tmp");
    Path ownPidTmp = touch(".m.safetensors.jnn-" + self + "-00000000000000aa.tmp");
    List<Path> notOurs = new ArrayList<>();
    notOurs.add(touch(".other.safetensors.jnn-" + dead + "-0123456789abcdef.tmp"));
    notOurs.add(touch(".m.safetensors.0123456789abcdef.tmp")); // older jnn: no pid
    notOurs.add(touch(".m.safetensors.jnn-" + dead + "-0123.tmp")); // not the pattern
    notOurs.add(touch(".m.safetensors.jnn-x.jnn-" + dead + "-0123456789abcdef.tmp"));
    notOurs.forEach(p -> {
      try {
        age(p);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });

    // a concurrent saver of the same target in another process, in the middle of its write
    Process holder = start("hold", target);
    try {
      await(holder, "writing");
      String heldName = ".m.safetensors.jnn-" + holder.pid() + "-";
      Path held;
      try (Stream<Path> s = Files.list(dir)) {
        held = s.filter(p -> p.getFileName().toString().startsWith(heldName)).findFirst()
            .orElseThrow();
      }
      age(held); // old: only its lock says that it is in use
      Path young = touch(heldName + "00000000000000bb.tmp"); // live pid, young: maybe being created
      Path reused = touch(heldName + "00000000000000cc.tmp");
      age(reused); // live pid, unlocked and old: its pid was reused, an orphan

      Checkpoints.save(model(), target);
      assertFalse(Files.exists(deadTmp), "owner dead");
      assertFalse(Files.exists(ownPidTmp), "our pid, not being written by us");
      assertFalse(Files.exists(reused), "unlocked and old");
      assertTrue(Files.exists(held), "locked by a live saver");
      assertTrue(Files.exists(young), "a live process may be creating it");
      for (Path p : notOurs) {
        assertTrue(Files.exists(p), p + " is not a temporary file of this target");
      }
      kill(holder);
      Checkpoints.save(model(), target);
      assertFalse(Files.exists(held), "its saver was killed");
      assertFalse(Files.exists(young), "its owner is dead");
      for (Path p : notOurs) {
        assertTrue(Files.exists(p), p + " is not a temporary file of this target");
      }
      Checkpoints.load(model(), target);
    } finally {
      kill(holder);
    }
  }
}
