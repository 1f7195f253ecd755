package dev.jnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: every malformed or hostile file gives a {@link FileFormatException} that
 * names the file and the problem, and the module it was meant for is left untouched.
 */
class BadInputTest {
  @TempDir Path dir;
  private Linear module;
  private float[] weightBefore;
  private float[] biasBefore;

  @BeforeEach
  void freshModule() {
    module = new Linear(3, 2);
    weightBefore = module.weight().toFloatArray();
    biasBefore = module.bias().toFloatArray();
  }

  // ------------------------------------------------------------------ safetensors

  /** A safetensors file from a raw JSON header and data region. */
  static byte[] st(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  static final String LINEAR_HEADER =
      "{\"weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
          + "\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}";

  static byte[] goodSafetensors() {
    return st(LINEAR_HEADER, PtFiles.floats(1, 2, 3, 4, 5, 6, 7, 8));
  }

  static byte[] withHeaderLength(byte[] file, long n) {
    byte[] c = file.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
    return c;
  }

  static Stream<Arguments> badSafetensors() {
    byte[] good = goodSafetensors();
    byte[] eight = PtFiles.floats(1, 2, 3, 4, 5, 6, 7, 8);
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    return Stream.of(
        Arguments.of("empty", new byte[0], "truncated"),
        Arguments.of("seven bytes", new byte[7], "truncated"),
        Arguments.of(
            "truncated data",
            java.util.Arrays.copyOf(good, good.length - 5),
            "data_offsets [24, 32] are out of range: the data region has 27 bytes"),
        Arguments.of(
            "truncated header", java.util.Arrays.copyOf(good, 40), "is past the end of the file"),
        Arguments.of(
            "wrong magic (a GIF)",
            "GIF89a-not-a-tensor-file".getBytes(StandardCharsets.US_ASCII),
            "is past the end of the file"),
        Arguments.of(
            "header length past end",
            withHeaderLength(good, 1L << 40),
            "header length 1099511627776 is past the end of the file"),
        Arguments.of(
            "header length negative",
            withHeaderLength(good, -1),
            "header length 18446744073709551615 is past the end"),
        Arguments.of(
            "header not an object", st("[1, 2, 3]", new byte[0]), "does not start with '{'"),
        Arguments.of(
            "bad JSON", st("{\"weight\": {\"dtype\": \"F32\",}", eight), "bad JSON header"),
        Arguments.of(
            "bad UTF-8",
            st("{\"\u00ff\":1}", new byte[0]).length > 0 ? invalidUtf8() : null,
            "not valid UTF-8"),
        Arguments.of(
            "deeply nested JSON", st("{\"a\":" + deep + "}", new byte[0]), "nested deeper than 8"),
        Arguments.of(
            "duplicate key",
            st(
                "{\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                PtFiles.floats(1, 2)),
            "duplicate key \"bias\""),
        Arguments.of(
            "overlapping offsets",
            st(LINEAR_HEADER.replace("[24,32]", "[16,24]"), PtFiles.floats(1, 2, 3, 4, 5, 6)),
            "overlap"),
        Arguments.of(
            "offsets out of range",
            st(LINEAR_HEADER.replace("[24,32]", "[32,40]"), eight),
            "out of range"),
        Arguments.of(
            "offsets reversed",
            st(LINEAR_HEADER.replace("[24,32]", "[32,24]"), eight),
            "end before they begin"),
        Arguments.of(
            "hole between tensors",
            st(
                LINEAR_HEADER.replace("[24,32]", "[28,36]"),
                PtFiles.floats(1, 2, 3, 4, 5, 6, 7, 8, 9)),
            "bytes [24, 28) of the data region belong to no tensor"),
        Arguments.of(
            "trailing bytes",
            st(LINEAR_HEADER, PtFiles.floats(1, 2, 3, 4, 5, 6, 7, 8, 9)),
            "but the tensors cover 32"),
        Arguments.of(
            "shape vs length",
            st(LINEAR_HEADER.replace("[2,3]", "[2,4]"), eight),
            "dtype F32 and shape [2, 4] need 32 bytes, but data_offsets [0, 24] span 24"),
        Arguments.of(
            "dtype vs length",
            st(LINEAR_HEADER.replace("\"F32\",\"shape\":[2,3]", "\"F64\",\"shape\":[2,3]"), eight),
            "dtype F64 and shape [2, 3] need 48 bytes"),
        Arguments.of(
            "unknown dtype",
            st(LINEAR_HEADER.replace("\"F32\",\"shape\":[2]", "\"F8_E4M3\",\"shape\":[2]"), eight),
            "unsupported dtype 'F8_E4M3'"),
        Arguments.of(
            "negative dim",
            st(LINEAR_HEADER.replace("[2,3]", "[-2,3]"), eight),
            "shape must be a list of non-negative integers"),
        Arguments.of(
            "shape overflow",
            st(LINEAR_HEADER.replace("[2,3]", "[4294967296,4294967296]"), eight),
            "shape overflows 64 bits"),
        Arguments.of(
            "huge tensor",
            st(
                "{\"w\":{\"dtype\":\"BOOL\",\"shape\":[3000000000],\"data_offsets\":[0,3000000000]}}",
                new byte[0]),
            "out of range"),
        Arguments.of(
            "metadata not strings",
            st("{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
            "__metadata__ value of \"epoch\" is not a string"),
        Arguments.of(
            "entry not an object",
            st("{\"weight\":[1,2]}", new byte[0]),
            "entry is not a JSON object"));
  }

  static byte[] invalidUtf8() {
    byte[] h = "{\"x\":1}".getBytes(StandardCharsets.US_ASCII);
    h[2] = (byte) 0xff;
    return st(new String(h, StandardCharsets.ISO_8859_1), new byte[0]) == null ? null : rawSt(h);
  }

  static byte[] rawSt(byte[] header) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(header.length).put(header).array();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSafetensors")
  void badSafetensorsFile(String name, byte[] content, String problem) throws IOException {
    expectBad(content, "bad.safetensors", problem);
  }

  @Test
  void goodFilesLoad() throws IOException {
    // the positive controls of the corpus below
    Path st = write("good.safetensors", goodSafetensors());
    Checkpoints.load(module, st);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, module.weight().toFloatArray());
    freshModule();
    Checkpoints.load(module, write("good.pt", PtFiles.zip(PtFiles.linearEntries(), true)));
    assertArrayEquals(new float[] {7, 8}, module.bias().toFloatArray());
    freshModule();
    Checkpoints.load(module, write("deflated.pt", PtFiles.zip(PtFiles.linearEntries(), false)));
    assertArrayEquals(new float[] {7, 8}, module.bias().toFloatArray());
  }

  // ------------------------------------------------------------------ torch.save

  static Map<String, byte[]> withPickle(byte[] pickle) {
    Map<String, byte[]> e = PtFiles.linearEntries();
    e.put("archive/data.pkl", pickle);
    return e;
  }

  static byte[] pt(Map<String, byte[]> entries) {
    return PtFiles.zip(entries, true);
  }

  static Stream<Arguments> badTorchFiles() {
    byte[] good = pt(PtFiles.linearEntries());
    byte[] lin = PtFiles.linearPickle();
    PtFiles.Pickler evil =
        new PtFiles.Pickler()
            .proto()
            .global("os", "system")
            .str("echo pwned")
            .op(0x85)
            .reduce()
            .op('.');
    PtFiles.Pickler inst =
        new PtFiles.Pickler()
            .proto()
            .mark()
            .op('i')
            .raw("os\nsystem\n".getBytes(StandardCharsets.US_ASCII))
            .op('.');
    PtFiles.Pickler bigView =
        new PtFiles.Pickler()
            .proto()
            .orderedDict()
            .mark()
            .str("weight")
            .tensor("FloatStorage", "0", 6, 0, new int[] {2, 3}, new int[] {3, 2})
            .op('u')
            .op('.');
    PtFiles.Pickler expand =
        new PtFiles.Pickler()
            .proto()
            .orderedDict()
            .mark()
            .str("weight")
            .tensor("FloatStorage", "0", 6, 0, new int[] {100_000, 100_000}, new int[] {0, 0})
            .op('u')
            .op('.');
    PtFiles.Pickler wrongNumel =
        new PtFiles.Pickler()
            .proto()
            .orderedDict()
            .mark()
            .str("weight")
            .tensor("FloatStorage", "0", 100, 0, new int[] {2, 3}, new int[] {3, 1})
            .op('u')
            .op('.');
    PtFiles.Pickler missingStorage =
        new PtFiles.Pickler()
            .proto()
            .orderedDict()
            .mark()
            .str("weight")
            .tensor("FloatStorage", "7", 6, 0, new int[] {2, 3}, new int[] {3, 1})
            .op('u')
            .op('.');
    PtFiles.Pickler unknownStorage =
        new PtFiles.Pickler()
            .proto()
            .orderedDict()
            .mark()
            .str("weight")
            .tensor("ComplexFloatStorage", "0", 6, 0, new int[] {2, 3}, new int[] {3, 1})
            .op('u')
            .op('.');
    PtFiles.Pickler listKey =
        new PtFiles.Pickler().proto().op('}').op(']').str("v").op('s').op('.');
    PtFiles.Pickler notSd =
        new PtFiles.Pickler().proto().op(']').str("just a list").op('a').op('.');
    Map<String, byte[]> script = PtFiles.linearEntries();
    script.put("archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
    Map<String, byte[]> noPickle = PtFiles.linearEntries();
    noPickle.remove("archive/data.pkl");
    Map<String, byte[]> shortStorage = PtFiles.linearEntries();
    shortStorage.put("archive/data/0", PtFiles.floats(1, 2, 3));
    Map<String, byte[]> bigEndian = PtFiles.linearEntries();
    bigEndian.put("archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
    return Stream.of(
        Arguments.of(
            "truncated zip",
            java.util.Arrays.copyOf(good, good.length / 2),
            "not a valid zip archive"),
        Arguments.of("three bytes", new byte[] {'P', 'K', 3}, "truncated"),
        Arguments.of(
            "wrong magic",
            "PKZIP? no: just text".getBytes(StandardCharsets.US_ASCII),
            "wrong magic"),
        Arguments.of(
            "legacy format",
            new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc},
            "legacy (pre-1.6, non-zip)"),
        Arguments.of(
            "unknown opcode",
            pt(withPickle(new byte[] {(byte) 0x80, 2, (byte) 0xff, '.'})),
            "unknown pickle opcode 0xff"),
        Arguments.of(
            "text opcode",
            pt(withPickle(new byte[] {(byte) 0x80, 2, 'I', '1', '\n', '.'})),
            "opcode INT (0x49) is not supported"),
        Arguments.of(
            "unknown global",
            pt(withPickle(evil.bytes())),
            "unsupported pickle global 'os.system'"),
        Arguments.of(
            "INST opcode", pt(withPickle(inst.bytes())), "opcode INST (0x69) is not supported"),
        Arguments.of(
            "truncated pickle",
            pt(withPickle(java.util.Arrays.copyOf(lin, lin.length - 20))),
            "truncated"),
        Arguments.of(
            "pickle without STOP",
            pt(withPickle(java.util.Arrays.copyOf(lin, lin.length - 1))),
            "truncated"),
        Arguments.of(
            "stack underflow",
            pt(withPickle(new byte[] {(byte) 0x80, 2, 'R', '.'})),
            "stack underflow"),
        Arguments.of(
            "memo miss",
            pt(withPickle(new byte[] {(byte) 0x80, 2, 'h', 9, '.'})),
            "memo has no entry 9"),
        Arguments.of(
            "bad protocol",
            pt(withPickle(new byte[] {(byte) 0x80, 9, 'N', '.'})),
            "pickle protocol 9 is not supported"),
        Arguments.of(
            "view out of range", pt(withPickle(bigView.bytes())), "is out of range of storage '0'"),
        Arguments.of(
            "stride-0 expansion beyond the file",
            pt(withPickle(expand.bytes())),
            "exceeds what the file justifies"),
        Arguments.of(
            "storage numel vs record",
            pt(withPickle(wrongNumel.bytes())),
            "needs 400 bytes but its record has 24"),
        Arguments.of(
            "storage record short", pt(shortStorage), "needs 24 bytes but its record has 12"),
        Arguments.of(
            "missing storage record",
            pt(withPickle(missingStorage.bytes())),
            "storage '7' has no record archive/data/7"),
        Arguments.of(
            "unknown storage type",
            pt(withPickle(unknownStorage.bytes())),
            "unsupported pickle global 'torch.ComplexFloatStorage'"),
        Arguments.of(
            "unhashable key", pt(withPickle(listKey.bytes())), "a list cannot be a dict key"),
        Arguments.of("not a state dict", pt(withPickle(notSd.bytes())), "not a state dict"),
        Arguments.of("no data.pkl", pt(noPickle), "no <name>/data.pkl record"),
        Arguments.of("TorchScript archive", pt(script), "TorchScript"),
        Arguments.of("big-endian", pt(bigEndian), "byteorder 'big' is not supported"),
        Arguments.of(
            "zip bomb: stored size lie",
            patchCen(good, "archive/data/0", 0x7ffffff0L, -1),
            "zip bomb"),
        Arguments.of(
            "zip bomb: both sizes lie",
            patchCen(good, "archive/data/0", 0x7ffffff0L, 0x7ffffff0L),
            "zip bomb"),
        Arguments.of(
            "zip bomb: deflate ratio lie",
            patchCen(
                PtFiles.zip(PtFiles.linearEntries(), false), "archive/data/0", 0x7ffffff0L, -1),
            "more than deflate's 1032:1"),
        Arguments.of(
            "zip bomb: real deflate bomb", deflateBomb(), "zip bomb: the entries declare"));
  }

  /** Overwrites the central-directory sizes of one entry (-1 keeps a value). */
  static byte[] patchCen(byte[] zip, String name, long size, long csize) {
    byte[] z = zip.clone();
    ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 < z.length; i++) {
      if (b.getInt(i) == 0x02014b50
          && (b.getShort(i + 28) & 0xffff) == n.length
          && java.util.Arrays.equals(z, i + 46, i + 46 + n.length, n, 0, n.length)) {
        if (csize >= 0) {
          b.putInt(i + 20, (int) csize);
        }
        if (size >= 0) {
          b.putInt(i + 24, (int) size);
        }
        return z;
      }
    }
    throw new IllegalStateException("no central directory entry " + name);
  }

  /** A real bomb: 24 MiB of zeros deflated to about 24 KiB, stored as a storage record. */
  static byte[] deflateBomb() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("archive/data.pkl"));
      z.write(PtFiles.linearPickle());
      z.putNextEntry(new ZipEntry("archive/data/0"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 24; i++) {
        z.write(zeros);
      }
      z.closeEntry();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTorchFiles")
  void badTorchFile(String name, byte[] content, String problem) throws IOException {
    expectBad(content, "bad.pt", problem);
    assertThrows(
        FileFormatException.class, () -> TorchCheckpoint.loadStateDict(dir.resolve("bad.pt")));
  }

  @Test
  void badJnnMetadataLeavesModuleAndOptimizerUntouched() throws IOException {
    Path f = dir.resolve("ckpt.safetensors");
    Checkpoints.save(module, f);
    freshModule();
    var opt = new dev.jnn.optim.SGD(module.parameters(), 0.1, 0.9);
    FileFormatException e =
        assertThrows(FileFormatException.class, () -> Checkpoints.load(module, opt, f));
    assertTrue(e.getMessage().contains("no optimizer state"), e.getMessage());
    assertUntouched();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("jnn.optimizer", "{\"state\": [}");
    Map<String, Tensor> sd = new LinkedHashMap<>(module.stateDict());
    SafeTensors.save(sd, meta, f);
    e = assertThrows(FileFormatException.class, () -> Checkpoints.load(module, opt, f));
    assertTrue(e.getMessage().contains("bad jnn optimizer metadata"), e.getMessage());
    assertUntouched();
  }

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private void expectBad(byte[] content, String fileName, String problem) throws IOException {
    Path f = write(fileName, content);
    FileFormatException e =
        assertThrows(FileFormatException.class, () -> Checkpoints.load(module, f));
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
    assertTrue(
        e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
    assertEquals(f, e.path());
    assertUntouched();
  }

  private void assertUntouched() {
    assertArrayEquals(weightBefore, module.weight().toFloatArray(), "module weight untouched");
    assertArrayEquals(biasBefore, module.bias().toFloatArray(), "module bias untouched");
  }

  /** Lists the corpus (for the report). */
  static List<String> corpusNames() {
    List<String> l = new ArrayList<>();
    badSafetensors().forEach(a -> l.add("safetensors: " + a.get()[0]));
    badTorchFiles().forEach(a -> l.add("pt: " + a.get()[0]));
    return l;
  }
}
