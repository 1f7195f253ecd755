package dev.jnn.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds pickles and torch.save-style zip archives byte by byte, for bad-input tests and fuzz
 * seeds.
 */
final class PtFiles {
  private PtFiles() {}

  /** A pickle, opcode by opcode. */
  static final class Pickler {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    Pickler op(int op) {
      b.write(op);
      return this;
    }

    Pickler raw(byte... bytes) {
      b.writeBytes(bytes);
      return this;
    }

    Pickler proto() {
      return op(0x80).op(2);
    }

    Pickler global(String module, String name) {
      return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    Pickler str(String s) {
      byte[] u = s.getBytes(StandardCharsets.UTF_8);
      op('X');
      raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(u.length).array());
      return raw(u);
    }

    Pickler integer(int v) {
      if (v >= 0 && v < 256) {
        return op('K').op(v);
      }
      op('J');
      return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    Pickler mark() {
      return op('(');
    }

    Pickler tuple() {
      return op('t');
    }

    Pickler emptyTuple() {
      return op(')');
    }

    Pickler reduce() {
      return op('R');
    }

    Pickler orderedDict() {
      return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /**
     * Pushes a tensor: _rebuild_tensor_v2(storage(key, numel), offset, size, stride, False,
     * OrderedDict()).
     */
    Pickler tensor(
        String storageType, String key, int numel, int offset, int[] size, int[] stride) {
      global("torch._utils", "_rebuild_tensor_v2");
      mark();
      mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple();
      op('Q');
      integer(offset);
      mark();
      for (int s : size) {
        integer(s);
      }
      tuple();
      mark();
      for (int s : stride) {
        integer(s);
      }
      tuple();
      op(0x89); // False
      orderedDict();
      tuple();
      return reduce();
    }

    byte[] bytes() {
      return b.toByteArray();
    }
  }

  /**
   * The pickle of {"weight": float[2,3] storage "0", "bias": float[2] storage "1"} (Linear(3, 2)).
   */
  static byte[] linearPickle() {
    Pickler p = new Pickler().proto().orderedDict().mark();
    p.str("weight").tensor("FloatStorage", "0", 6, 0, new int[] {2, 3}, new int[] {3, 1});
    p.str("bias").tensor("FloatStorage", "1", 2, 0, new int[] {2}, new int[] {1});
    return p.op('u').op('.').bytes();
  }

  /** Little-endian float32 bytes. */
  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  /** The entries of a valid torch.save file for Linear(3, 2) (weights 1..6, bias 7, 8). */
  static Map<String, byte[]> linearEntries() {
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put("archive/data.pkl", linearPickle());
    e.put("archive/data/0", floats(1, 2, 3, 4, 5, 6));
    e.put("archive/data/1", floats(7, 8));
    e.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    return e;
  }

  /** A zip of the entries (STORED as PyTorch writes them, or DEFLATED). */
  static byte[] zip(Map<String, byte[]> entries, boolean stored) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        if (stored) {
          ze.setMethod(ZipEntry.STORED);
          ze.setSize(e.getValue().length);
          ze.setCompressedSize(e.getValue().length);
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          ze.setCrc(crc.getValue());
        }
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  /**
   * The entries of a zip (for mutating one entry of a real file; PyTorch's use data descriptors).
   */
  static Map<String, byte[]> unzip(byte[] zip) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try {
      java.nio.file.Path tmp = java.nio.file.Files.createTempFile("jnn-unzip", ".zip");
      try {
        java.nio.file.Files.write(tmp, zip);
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(tmp.toFile())) {
          for (var en = z.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            try (var in = z.getInputStream(e)) {
              m.put(e.getName(), in.readAllBytes());
            }
          }
        }
      } finally {
        java.nio.file.Files.deleteIfExists(tmp);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return m;
  }
}
