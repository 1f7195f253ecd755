package dev.jnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader and writer on their own (PyTorch's files are in InteropTest). */
class SafeTensorsTest {
  @TempDir Path dir;

  @Test
  void writesHeaderInMapOrderAndDataByAlignment() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("mask", Tensor.fromArray(new boolean[] {true, false, true}));
    t.put("w", Tensor.fromArray(new float[] {1, 2}));
    t.put("steps", Tensor.fromArray(new long[] {3}));
    t.put("d", Tensor.fromArray(new double[] {0.5}));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("z", "last?");
    meta.put("a", "\"quoted\" \n and \u00e9");
    Path f = dir.resolve("t.safetensors");
    SafeTensors.save(t, meta, f);

    byte[] bytes = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, n % 8, "header padded to 8 bytes");
    assertEquals('{', bytes[8]);
    try (SafeTensorsFile sf = SafeTensors.open(f)) {
      assertEquals(List.of("mask", "w", "steps", "d"), sf.keys());
      Map<String, String> withChecksums = new LinkedHashMap<>(meta);
      String crcs = sf.metadata().get(SafeTensors.CHECKSUM_KEY);
      withChecksums.put(SafeTensors.CHECKSUM_KEY, crcs);
      assertEquals(withChecksums, sf.metadata(), "the caller's metadata plus the checksums");
      assertEquals(List.of("z", "a", "jnn.crc32"), List.copyOf(sf.metadata().keySet()));
      long dataStart = 8 + n;
      StringBuilder want = new StringBuilder("{");
      for (String k : List.of("mask", "w", "steps", "d")) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(
            bytes,
            (int) (dataStart + sf.info(k).begin()),
            (int) sf.info(k).byteLength());
        want.append(want.length() > 1 ? "," : "")
            .append(String.format("\"%s\":\"%08x\"", k, crc.getValue()));
      }
      assertEquals(want.append('}').toString(), crcs, "CRC-32 of each tensor's bytes, map order");
      // 8-byte types first, in map order, then 4-byte, then 1-byte: every tensor aligned
      assertEquals(0, sf.info("steps").begin());
      assertEquals(8, sf.info("d").begin());
      assertEquals(16, sf.info("w").begin());
      assertEquals(24, sf.info("mask").begin());
      assertEquals("BOOL", sf.info("mask").dtype());
      assertEquals(Shape.of(3), sf.info("mask").shape());
      assertArrayEquals(new boolean[] {true, false, true}, sf.tensor("mask").toBooleanArray());
      assertEquals(DType.INT64, sf.tensor("steps").dtype());
      assertThrows(IllegalArgumentException.class, () -> sf.info("nope"));
    }
  }

  @Test
  void largeTensorsAreMemoryMapped() throws IOException {
    int n = 400_000; // 1.6 MB, above the 1 MiB mapping threshold
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(i);
    }
    long[] l = new long[n / 2];
    for (int i = 0; i < l.length; i++) {
      l[i] = (long) i * i - 7;
    }
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("big", Tensor.fromArray(v, 400, 1000));
    t.put("longs", Tensor.fromArray(l));
    t.put("small", Tensor.scalar(1.5, DType.FLOAT64));
    Path f = dir.resolve("big.safetensors");
    SafeTensors.save(t, f);
    assertTrue(
        new SafeTensorsFile.TensorInfo("x", "F32", Shape.of(n), 0, 4L * n).byteLength()
            >= SafeTensorsFile.MAP_THRESHOLD);
    Map<String, Tensor> back = SafeTensors.load(f);
    assertArrayEquals(v, back.get("big").toFloatArray());
    assertEquals(Shape.of(400, 1000), back.get("big").shape());
    assertArrayEquals(l, back.get("longs").toLongArray());
    assertEquals(0, back.get("small").dim());
    assertEquals(1.5, back.get("small").item());
  }

  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length)
        .put(h)
        .put(data)
        .array();
  }

  static byte[] shorts(int... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putShort((short) x);
    }
    return b.array();
  }

  @Test
  void halfAndBfloat16WidenExactly() throws IOException {
    int[] half = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555};
    int[] bf16 = {0x3f80, 0xc040, 0x7f80, 0x0001, 0x7fc0};
    byte[] data = new byte[2 * (half.length + bf16.length)];
    System.arraycopy(shorts(half), 0, data, 0, 2 * half.length);
    System.arraycopy(shorts(bf16), 0, data, 2 * half.length, 2 * bf16.length);
    String header =
        String.format(
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[%d],\"data_offsets\":[0,%d]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[%d],\"data_offsets\":[%d,%d]}}",
            half.length, 2 * half.length, bf16.length, 2 * half.length, data.length);
    Path f = Files.write(dir.resolve("half.safetensors"), file(header, data));
    Map<String, Tensor> t = SafeTensors.load(f);
    float[] h = t.get("h").toFloatArray();
    assertEquals(DType.FLOAT32, t.get("h").dtype());
    assertArrayEquals(
        new float[] {
          1f,
          -2f,
          65504f,
          0x1p-24f,
          0x3ffp-24f,
          -0f,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          Float.NaN,
          0.33325195f
        },
        h);
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(h[5]));
    assertArrayEquals(
        new float[] {1f, -3f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x10000), Float.NaN},
        t.get("b").toFloatArray());
  }

  @Test
  void narrowIntegersWidenToInt64() throws IOException {
    byte[] data = new byte[8 + 2 + 1 + 1];
    ByteBuffer.wrap(data)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(-7)
        .putInt(Integer.MAX_VALUE)
        .putShort((short) -300)
        .put((byte) -128)
        .put((byte) 255);
    String header =
        "{\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"i16\":{\"dtype\":\"I16\",\"shape\":[],\"data_offsets\":[8,10]},"
            + "\"i8\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[10,11]},"
            + "\"u8\":{\"dtype\":\"U8\",\"shape\":[1,1],\"data_offsets\":[11,12]}}";
    Map<String, Tensor> t =
        SafeTensors.load(Files.write(dir.resolve("ints.safetensors"), file(header, data)));
    assertArrayEquals(new long[] {-7, Integer.MAX_VALUE}, t.get("i32").toLongArray());
    assertEquals(-300, t.get("i16").itemLong());
    assertEquals(0, t.get("i16").dim());
    assertEquals(-128, t.get("i8").itemLong());
    assertEquals(255, t.get("u8").itemLong());
    Stream.of("i32", "i16", "i8", "u8").forEach(k -> assertEquals(DType.INT64, t.get(k).dtype()));
  }

  @Test
  void aHeaderLengthStartingWithPkIsStillSafetensors() throws IOException {
    // a header of 0x4b50 = 19280 bytes makes the file start with "PK", like a zip
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("w", Tensor.fromArray(new float[] {1, 2}));
    byte[] h = SafeTensors.header(t, Map.of("pad", "x".repeat(19280 - 100)));
    String json = new String(h, StandardCharsets.UTF_8).stripTrailing();
    String padded = json + " ".repeat(19280 - json.length());
    Path f = Files.write(dir.resolve("pk.safetensors"), file(padded, PtFiles.floats(1, 2)));
    assertEquals('P', Files.readAllBytes(f)[0]);
    assertEquals('K', Files.readAllBytes(f)[1]);
    assertFalse(Checkpoints.isTorchSave(f));
    assertArrayEquals(new float[] {1, 2}, Checkpoints.readStateDict(f).get("w").toFloatArray());
  }

  @Test
  void emptyFileOfTensorsAndEmptyTensors() throws IOException {
    Path f = dir.resolve("none.safetensors");
    SafeTensors.save(Map.of(), f);
    assertEquals(Map.of(), SafeTensors.load(f));
    assertEquals(Map.of(), SafeTensors.readMetadata(f), "no tensor, no checksum");
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("e", Tensor.zeros(0, 5));
    SafeTensors.save(t, Map.of("k", ""), f);
    assertEquals(Shape.of(0, 5), SafeTensors.load(f).get("e").shape());
    // an empty tensor's bytes have CRC-32 0; with no tensor at all there is nothing to record
    assertEquals(
        Map.of("k", "", "jnn.crc32", "{\"e\":\"00000000\"}"), SafeTensors.readMetadata(f));
  }

  @Test
  void refusesReservedNamesAndNulls() {
    Path f = dir.resolve("x.safetensors");
    Map<String, Tensor> reserved = new LinkedHashMap<>();
    reserved.put("__metadata__", Tensor.zeros(1));
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(reserved, f));
    Map<String, Tensor> nullValue = new LinkedHashMap<>();
    nullValue.put("a", null);
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(nullValue, f));
    Map<String, String> nullMeta = new LinkedHashMap<>();
    nullMeta.put("a", null);
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(Map.of(), nullMeta, f));
    assertTrue(!Files.exists(f));
  }

  @Test
  void jsonParserEdgeCases() throws Exception {
    assertEquals(
        Map.of("a", List.of(1L, -2.5, true, false), "b", "\u00e9\n\"/", "c", 1e-3),
        Json.parse(" {\"a\":[1,-2.5,true,false],\"b\":\"\\u00e9\\n\\\"\\/\",\"c\":1E-3} ", 4));
    assertEquals(null, Json.parse("null", 1));
    assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807", 1));
    for (String bad :
        new String[] {
          "",
          "{",
          "[1,]",
          "{\"a\"}",
          "01",
          "1.",
          "-",
          "\"\\x\"",
          "\"\u0001\"",
          "[1] 2",
          "{\"a\":1,\"a\":2}",
          "9223372036854775808",
          "tru",
          "[[[[[1]]]]]"
        }) {
      assertThrows(Json.SyntaxException.class, () -> Json.parse(bad, 4), bad);
    }
    assertEquals(
        "{\"k\":[1,2.0,null,\"\\\"\"]}",
        Json.write(Map.of("k", java.util.Arrays.asList(1, 2.0, null, "\""))));
    assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
  }
}
