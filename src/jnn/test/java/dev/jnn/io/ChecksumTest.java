package dev.jnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.nn.Module;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flipped byte in tensor data is caught: by the zip's CRC-32 in a {@code torch.save} file, by
 * the {@code jnn.crc32} metadata in the safetensors files jnn writes; the error names the entry (or
 * tensor) and the file, and the module is not touched.
 */
class ChecksumTest {
  @TempDir Path dir;

  private static Path resource(String name) {
    return InteropTest.resource(name);
  }

  /** Flips one bit of byte {@code at}. */
  private static void flip(Path f, long at) throws IOException {
    byte[] b = Files.readAllBytes(f);
    b[(int) at] ^= 0x10;
    Files.write(f, b);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void flippedByteInPyTorchTensorDataIsNamed() throws IOException {
    Path f = Files.copy(resource("lenet.pt"), dir.resolve("lenet.pt"));
    String entry;
    byte[] data;
    try (ZipFile z = new ZipFile(f.toFile())) {
      ZipEntry e = z.getEntry("lenet/data/0");
      if (e == null) { // the archive's folder is named after the file PyTorch wrote
        e =
            z.stream()
                .filter(x -> x.getName().endsWith("/data/0"))
                .findFirst()
                .orElseThrow();
      }
      assertEquals(ZipEntry.STORED, e.getMethod(), "PyTorch stores tensor data uncompressed");
      entry = e.getName();
      try (var in = z.getInputStream(e)) {
        data = in.readAllBytes();
      }
    }
    assertTrue(data.length > 64);
    byte[] raw = Files.readAllBytes(f);
    int at = indexOf(raw, data);
    assertTrue(at > 0, "stored data found in the file");
    Module m = InteropModels.create("lenet");
    StateDictSnapshot before = new StateDictSnapshot(m);
    flip(f, at + data.length / 2);

    FileFormatException e = assertThrows(FileFormatException.class, () -> TorchCheckpoint.load(f));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("zip entry '" + entry + "' is corrupt"), e.getMessage());
    assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
    FileFormatException viaLoad =
        assertThrows(FileFormatException.class, () -> Checkpoints.load(m, f));
    assertTrue(viaLoad.getMessage().contains(entry), viaLoad.getMessage());
    before.assertSame(m);
  }

  /** The bits of every state-dict entry. */
  private static final class StateDictSnapshot {
    final Map<String, double[]> values = new LinkedHashMap<>();

    StateDictSnapshot(Module m) {
      m.stateDict().forEach((k, v) -> values.put(k, v.toDoubleArray()));
    }

    void assertSame(Module m) {
      Map<String, Tensor> now = m.stateDict();
      assertEquals(values.keySet(), now.keySet());
      values.forEach((k, v) -> assertArrayEquals(v, now.get(k).toDoubleArray(), k));
    }
  }

  /** Where tensor {@code name}'s bytes start in a safetensors file. */
  private static long dataOffset(Path f, String name) throws IOException {
    byte[] head = new byte[8];
    try (var in = Files.newInputStream(f)) {
      in.readNBytes(head, 0, 8);
    }
    long n = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
    try (SafeTensorsFile sf = SafeTensors.open(f)) {
      return 8 + n + sf.info(name).begin();
    }
  }

  @Test
  void flippedByteInAJnnCheckpointIsNamed() throws IOException {
    // bias: a small tensor (positional read); weight of 512x512 floats: 1 MiB (memory-mapped)
    for (int in : new int[] {3, 512}) {
      Linear saved = new Linear(in, 512);
      Path f = dir.resolve("ckpt" + in + ".safetensors");
      Checkpoints.save(saved, f);
      Linear target = new Linear(in, 512);
      StateDictSnapshot before = new StateDictSnapshot(target);
      for (String name : new String[] {"weight", "bias"}) {
        Path g = Files.copy(f, dir.resolve("bad-" + name + in + ".safetensors"),
            StandardCopyOption.REPLACE_EXISTING);
        flip(g, dataOffset(g, name) + 5);
        FileFormatException e =
            assertThrows(FileFormatException.class, () -> Checkpoints.load(target, g));
        assertTrue(e.getMessage().startsWith(g + ": "), e.getMessage());
        assertTrue(
            e.getMessage().contains("tensor '" + name + "' is corrupt: the CRC-32 of its data is"),
            e.getMessage());
        assertThrows(FileFormatException.class, () -> SafeTensors.load(g));
        before.assertSame(target);
      }
      Checkpoints.load(target, f); // the intact file loads
      new StateDictSnapshot(saved).assertSame(target);
    }
  }

  @Test
  void malformedChecksumMetadataIsRefused() throws IOException {
    Map<String, Tensor> t = Map.of("w", Tensor.ones(2));
    Path f = dir.resolve("m.safetensors");
    SafeTensors.save(t, f);
    String header = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    String crc = SafeTensors.readMetadata(f).get(SafeTensors.CHECKSUM_KEY);
    assertTrue(crc.matches("\\{\"w\":\"[0-9a-f]{8}\"\\}"), crc);
    // same length, not hex: the header stays valid JSON, the checksum entry does not
    byte[] b = Files.readAllBytes(f);
    int at = header.indexOf(crc.substring(6, 14));
    b[at] = 'x';
    Files.write(f, b);
    FileFormatException e = assertThrows(FileFormatException.class, () -> SafeTensors.open(f));
    assertTrue(e.getMessage().contains("bad jnn.crc32 metadata"), e.getMessage());
  }

  @Test
  void filesWithoutChecksumsStillLoad() throws IOException {
    // PyTorch's own safetensors files carry no jnn.crc32: nothing to verify, they load
    assertTrue(!SafeTensors.readMetadata(resource("lenet.safetensors"))
        .containsKey(SafeTensors.CHECKSUM_KEY));
    Checkpoints.load(InteropModels.create("lenet"), resource("lenet.safetensors"));
  }
}
