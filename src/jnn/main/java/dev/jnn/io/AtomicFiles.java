package dev.jnn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file atomically: into a temporary file in the same directory, forced to disk, then
 * renamed over the target. A crash leaves either the old file or the new one, never half of one.
 *
 * <p><b>Temporary files.</b> The temporary file of target {@code name} is {@code
 * .<name>.jnn-<pid>-<16 hex digits>.tmp}: the writing process's id and a random number. The writer
 * holds an exclusive {@link FileLock} on it from creation until it has been renamed (or deleted
 * after a failure). A process killed while saving leaves its temporary file behind; every
 * successful save removes the stale temporary files <em>of its own target</em> (names that match
 * the pattern exactly for that target name, nothing else), best effort. One is stale when:
 *
 * <ul>
 *   <li>this JVM is not writing it, and nobody holds its lock (checked with {@link
 *       FileChannel#tryLock()}; a concurrent saver in another process keeps its lock while it
 *       writes), and
 *   <li>its owner is dead: the pid in its name is not a live process, or is this JVM's own (a
 *       process with our pid that left it is gone); or it is older than {@link #REUSED_PID_AGE_MS}
 *       (its pid was reused by an unrelated process: a live writer locks its file right after
 *       creating it, so an unlocked file that old has no writer).
 * </ul>
 *
 * Temporary files of older jnn versions ({@code .<name>.<hex>.tmp}, no pid) are left alone.
 */
final class AtomicFiles {
  /** Writes the content through a channel. */
  @FunctionalInterface
  interface Writer {
    void write(FileChannel ch) throws IOException;
  }

  /** An unlocked temporary file older than this is stale even if its pid is in use. */
  static final long REUSED_PID_AGE_MS = 60_000;

  private static final long PID = ProcessHandle.current().pid();

  private static final Pattern OWNER = Pattern.compile("([0-9]{1,19})-[0-9a-f]{16}");

  /** The temporary files this JVM is writing now (never opened by the clean-up). */
  private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

  private AtomicFiles() {}

  static void write(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    // a fresh name next to the target (same file system, so the rename is atomic); created with
    // the default permissions, as the target would be
    Path tmp =
        abs.resolveSibling(
            tempPrefix(abs)
                + PID
                + "-"
                + String.format("%016x", ThreadLocalRandom.current().nextLong())
                + ".tmp");
    IN_FLIGHT.add(tmp);
    boolean done = false;
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        lock(ch); // held until the channel closes, after the rename
        writer.write(ch);
        ch.force(true);
        try {
          Files.move(
              tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
        done = true;
      }
      syncDirectory(dir);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
      IN_FLIGHT.remove(tmp);
    }
    removeStaleTemps(abs);
  }

  /** {@code .<name>.jnn-}: what every temporary file of {@code target} starts with. */
  static String tempPrefix(Path target) {
    return "." + target.getFileName() + ".jnn-";
  }

  /** Locks a new temporary file; where the file system has no locks, writes without one. */
  private static void lock(FileChannel ch) {
    try {
      ch.lock();
    } catch (IOException | UnsupportedOperationException e) {
      // no locking here (some network file systems): the pid and the age still protect it
    }
  }

  /**
   * Deletes the stale temporary files of {@code target} (see the class comment); best effort,
   * never throws.
   */
  static void removeStaleTemps(Path target) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) {
      return;
    }
    String prefix = tempPrefix(abs);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.startsWith(prefix) || !name.endsWith(".tmp")) {
          continue;
        }
        Matcher m = OWNER.matcher(name.substring(prefix.length(), name.length() - 4));
        if (!m.matches() || IN_FLIGHT.contains(p)) {
          continue;
        }
        try {
          removeIfStale(p, Long.parseLong(m.group(1)));
        } catch (IOException | RuntimeException e) {
          // in use, gone already, or not ours to delete: leave it
        }
      }
    } catch (IOException | RuntimeException e) {
      // the directory cannot be listed: nothing to clean
    }
  }

  private static void removeIfStale(Path p, long pid) throws IOException {
    boolean ownerMayLive =
        pid != PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    if (ownerMayLive
        && System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis()
            < REUSED_PID_AGE_MS) {
      return; // a live process of that pid may be creating or renaming it right now
    }
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        return; // locked through another channel of this JVM
      }
      if (lock == null) {
        return; // its writer is still at work
      }
      Files.deleteIfExists(p);
    }
  }

  /** Best effort: makes the rename durable (works on Linux; ignored where unsupported). */
  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      // not supported on this platform or file system; the rename itself is still atomic
    }
  }
}
