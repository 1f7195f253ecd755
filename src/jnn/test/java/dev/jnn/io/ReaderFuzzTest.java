package dev.jnn.io;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer for the safetensors and {@code torch.save} readers. Each input is a
 * mutated valid file (bit flips, interesting values, cut/duplicated/spliced ranges, header numbers
 * rewritten with a consistent header length, pickle bytes mutated and re-zipped); every read must
 * either succeed or throw a {@link FileFormatException} naming the file, within 2 s, and allocate
 * at most 64 times the file size plus 32 MiB. A failing input is saved under {@code
 * target/fuzz-failures/} with its seed.
 *
 * <p>Since the readers check checksums (each zip entry's CRC-32; {@code jnn.crc32} in safetensors
 * files written by jnn, as some seeds are), a mutation of tensor bytes that used to load with wrong
 * values is now a refusal ("is corrupt: ... CRC-32 ..."): fewer inputs are "read", and that is the
 * intended outcome, not lost coverage of the parsers (header and pickle mutations are unaffected).
 *
 * <p>Runs about 10 s in {@code mvn verify} (three targets, a third of the time each). Longer on
 * demand: {@code mvn test -Dtest=ReaderFuzzTest -Djnn.fuzz.seconds=600}; another sequence: {@code
 * -Djnn.fuzz.seed=N}.
 */
class ReaderFuzzTest {
  private static final double SECONDS =
      Double.parseDouble(System.getProperty("jnn.fuzz.seconds", "10"));
  private static final long SEED = Long.getLong("jnn.fuzz.seed", 20240601L);

  @TempDir Path dir;

  private final List<String> failures = new ArrayList<>();

  /** A reader under test. */
  private interface Target {
    void read(Path p) throws IOException;
  }

  @Test
  void fuzzReaders(TestReporter reporter) throws IOException {
    List<byte[]> stSeeds = safetensorsSeeds();
    List<byte[]> ptSeeds = torchSeeds();
    long budgetNanos = (long) (SECONDS * 1e9 / 3);
    String st =
        run(
            "safetensors",
            stSeeds,
            budgetNanos,
            SEED,
            this::mutateSafetensors,
            p -> SafeTensors.load(p));
    String zip =
        run("pt-zip", ptSeeds, budgetNanos, SEED + 1, this::mutateBytes, ReaderFuzzTest::readPt);
    String pickle =
        run(
            "pt-pickle",
            ptSeeds,
            budgetNanos,
            SEED + 2,
            this::mutatePickle,
            ReaderFuzzTest::readPt);
    String summary = "ReaderFuzzTest (seed " + SEED + "): " + st + "; " + zip + "; " + pickle;
    reporter.publishEntry("fuzz", summary);
    System.out.println(summary); // the one line a run reports: what ran, for how long
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " fuzz failure(s):\n"
              + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
    }
  }

  private static void readPt(Path p) throws IOException {
    Checkpoint c = TorchCheckpoint.load(p);
    try {
      for (Tensor t : c.stateDict().values()) {
        t.numel();
      }
    } catch (IllegalStateException notAStateDict) {
      // a valid pickle of something else: fine
    }
  }

  /** A mutation: from a seed to a new input. */
  private interface Mutator {
    byte[] mutate(SplittableRandom r, byte[] seed, List<byte[]> all);
  }

  private String run(
      String name, List<byte[]> seeds, long nanos, long seed, Mutator m, Target target)
      throws IOException {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    SplittableRandom r = new SplittableRandom(seed);
    Path p = dir.resolve("fuzz-" + name + ".bin");
    long end = System.nanoTime() + nanos;
    int n = 0;
    int ok = 0;
    long maxAlloc = 0;
    Map<String, Integer> problems = new LinkedHashMap<>();
    while (System.nanoTime() < end || n < seeds.size()) {
      byte[] input =
          n < seeds.size() ? seeds.get(n) : m.mutate(r, seeds.get(r.nextInt(seeds.size())), seeds);
      n++;
      Files.write(p, input);
      long t0 = System.nanoTime();
      long a0 = mx.getCurrentThreadAllocatedBytes();
      try {
        target.read(p);
        ok++;
      } catch (FileFormatException e) {
        if (!e.getMessage().startsWith(p + ": ")) {
          record(name, n, input, e);
        }
        String kind = e.problem().replaceAll("[0-9]+", "N");
        problems.merge(kind.length() > 60 ? kind.substring(0, 60) : kind, 1, Integer::sum);
      } catch (Throwable e) { // anything else is a bug: an unchecked exception, an Error, an OOM
        record(name, n, input, e);
      }
      long dt = System.nanoTime() - t0;
      long alloc = mx.getCurrentThreadAllocatedBytes() - a0;
      maxAlloc = Math.max(maxAlloc, alloc);
      if (dt > 2_000_000_000L) {
        record(name, n, input, new AssertionError("took " + dt / 1_000_000 + " ms"));
      }
      if (alloc > 64L * input.length + (32 << 20)) {
        record(
            name,
            n,
            input,
            new AssertionError(
                "allocated " + alloc + " bytes for a " + input.length + "-byte file"));
      }
    }
    return String.format(
        "%s: %d inputs in %.1f s, %d read, %d refused (%d distinct messages), largest allocation %d"
            + " KiB",
        name, n, nanos / 1e9, ok, n - ok, problems.size(), maxAlloc >> 10);
  }

  private void record(String target, int n, byte[] input, Throwable e) {
    try {
      Path d = Files.createDirectories(Path.of("target", "fuzz-failures"));
      Path f = d.resolve(target + "-seed" + SEED + "-" + n + ".bin");
      Files.write(f, input);
      java.io.StringWriter sw = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(sw));
      failures.add(
          target
              + " input "
              + n
              + " (saved as "
              + f
              + "): "
              + sw.toString().lines().limit(8).reduce("", (x, y) -> x + "\n  " + y));
    } catch (IOException io) {
      failures.add(target + " input " + n + ": " + e + " (and could not save it: " + io + ")");
    }
  }

  // ------------------------------------------------------------------ seeds

  private List<byte[]> safetensorsSeeds() throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("w", Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    t.put("d", Tensor.fromArray(new double[] {0.5, -1}));
    t.put("n", Tensor.fromArray(new long[] {7}));
    t.put("b", Tensor.fromArray(new boolean[] {true, false}));
    t.put("s", Tensor.scalar(3));
    Path f = dir.resolve("seed.safetensors");
    SafeTensors.save(t, Map.of("format", "pt", "epoch", "3"), f);
    seeds.add(Files.readAllBytes(f));
    seeds.add(Files.readAllBytes(InteropTest.resource("dtypes.safetensors")));
    seeds.add(BadInputTest.goodSafetensors());
    return seeds;
  }

  private List<byte[]> torchSeeds() throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(PtFiles.zip(PtFiles.linearEntries(), true));
    seeds.add(Files.readAllBytes(InteropTest.resource("tied.pt")));
    seeds.add(Files.readAllBytes(InteropTest.resource("views.pt")));
    seeds.add(Files.readAllBytes(InteropTest.resource("views_p4.pt")));
    return seeds;
  }

  // ------------------------------------------------------------------ mutations

  private static final long[] INTERESTING = {
    0,
    1,
    2,
    7,
    8,
    0x7f,
    0x80,
    0xff,
    0x100,
    0x7fff,
    0xffff,
    0x7fffffffL,
    0x80000000L,
    0xffffffffL,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    -1,
    -2
  };

  private byte[] mutateBytes(SplittableRandom r, byte[] seed, List<byte[]> all) {
    byte[] b = seed.clone();
    int ops = 1 + r.nextInt(4);
    for (int i = 0; i < ops && b.length > 0; i++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(8)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
        case 2 -> { // an interesting 2/4/8-byte little-endian value
          int w = 1 << (1 + r.nextInt(3));
          if (at + w <= b.length) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long v = INTERESTING[r.nextInt(INTERESTING.length)];
            switch (w) {
              case 2 -> bb.putShort(at, (short) v);
              case 4 -> bb.putInt(at, (int) v);
              default -> bb.putLong(at, v);
            }
          }
        }
        case 3 -> b = java.util.Arrays.copyOf(b, at); // truncate
        case 4 -> { // delete a range
          int len = Math.min(b.length - at, 1 + r.nextInt(16));
          byte[] c = new byte[b.length - len];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + len, c, at, b.length - at - len);
          b = c;
        }
        case 5 -> { // duplicate a range
          int len = Math.min(b.length - at, 1 + r.nextInt(32));
          byte[] c = new byte[b.length + len];
          System.arraycopy(b, 0, c, 0, at + len);
          System.arraycopy(b, at, c, at + len, b.length - at);
          b = c;
        }
        case 6 -> { // splice from another seed
          byte[] o = all.get(r.nextInt(all.size()));
          int from = r.nextInt(o.length);
          int len = Math.min(Math.min(o.length - from, b.length - at), 1 + r.nextInt(64));
          System.arraycopy(o, from, b, at, len);
        }
        default -> b[at] = (byte) r.nextInt(256);
      }
    }
    return b;
  }

  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");

  /**
   * Half the time: rewrite numbers or tokens in the JSON header, keeping its length field right.
   */
  private byte[] mutateSafetensors(SplittableRandom r, byte[] seed, List<byte[]> all) {
    if (r.nextBoolean() || seed.length < 8) {
      return mutateBytes(r, seed, all);
    }
    ByteBuffer bb = ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) bb.getLong(0);
    String header = new String(seed, 8, n, StandardCharsets.UTF_8);
    byte[] data = java.util.Arrays.copyOfRange(seed, 8 + n, seed.length);
    int edits = 1 + r.nextInt(3);
    for (int i = 0; i < edits; i++) {
      Matcher m = NUMBER.matcher(header);
      List<int[]> spans = new ArrayList<>();
      while (m.find()) {
        spans.add(new int[] {m.start(), m.end()});
      }
      if (spans.isEmpty()) {
        break;
      }
      int[] s = spans.get(r.nextInt(spans.size()));
      String old = header.substring(s[0], s[1]);
      String repl =
          switch (r.nextInt(6)) {
            case 0 ->
                String.valueOf(
                    Long.parseLong(old.length() > 18 ? "0" : old) + (r.nextBoolean() ? 1 : -1));
            case 1 -> String.valueOf(INTERESTING[r.nextInt(INTERESTING.length)]);
            case 2 -> "18446744073709551615";
            case 3 -> "1e3";
            case 4 -> old + "," + old;
            default -> String.valueOf(r.nextInt(64));
          };
      header = header.substring(0, s[0]) + repl + header.substring(s[1]);
      if (r.nextInt(8) == 0) {
        String[] dtypes = {
          "F32", "F64", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8", ""
        };
        header =
            header.replaceFirst(
                "\"(F32|F64|F16|BF16|I64|I32|I16|I8|U8|BOOL)\"",
                "\"" + dtypes[r.nextInt(dtypes.length)] + "\"");
      }
    }
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length)
        .put(h)
        .put(data)
        .array();
  }

  /** The archive with its data.pkl mutated (the storage records kept). */
  private final Map<byte[], Map<String, byte[]>> unzipped = new java.util.IdentityHashMap<>();

  private byte[] mutatePickle(SplittableRandom r, byte[] seed, List<byte[]> all) {
    for (byte[] a : all) {
      unzipped.computeIfAbsent(a, PtFiles::unzip);
    }
    Map<String, byte[]> e = new LinkedHashMap<>(unzipped.get(seed));
    List<byte[]> pickles = new ArrayList<>();
    for (byte[] a : all) {
      pickles.add(pickleOf(unzipped.get(a)));
    }
    for (Map.Entry<String, byte[]> x : e.entrySet()) {
      if (x.getKey().endsWith("/data.pkl")) {
        x.setValue(mutateBytes(r, x.getValue(), pickles));
      }
    }
    return PtFiles.zip(e, true);
  }

  private static byte[] pickleOf(Map<String, byte[]> entries) {
    for (Map.Entry<String, byte[]> x : entries.entrySet()) {
      if (x.getKey().endsWith("/data.pkl")) {
        return x.getValue();
      }
    }
    throw new IllegalStateException("no data.pkl");
  }
}
