package dev.jnn.data;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files, the MNIST format (plain or gzip-compressed, detected by magic bytes). Never
 * downloads anything. Corrupt or truncated files give an {@link IOException} naming the file.
 */
public final class Idx {
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private Idx() {}

  /**
   * Reads an IDX file into a tensor: unsigned/signed byte, short, int data become INT64 (or FLOAT32
   * when {@code dtype} is FLOAT32/FLOAT64, converted), float and double data become that dtype.
   */
  public static Tensor read(Path file, DType dtype) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gz = b0 == 0x1f && b1 == 0x8b;
      InputStream in = gz ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
      return parse(file, new DataInputStream(in), gz ? -1 : fileSize, dtype);
    } catch (java.util.zip.ZipException e) {
      throw new IOException(file + ": corrupt gzip stream: " + e.getMessage(), e);
    }
  }

  private static Tensor parse(Path file, DataInputStream in, long plainSize, DType dtype) throws IOException {
    int z0;
    int z1;
    int type;
    int nd;
    try {
      z0 = in.readUnsignedByte();
      z1 = in.readUnsignedByte();
      type = in.readUnsignedByte();
      nd = in.readUnsignedByte();
    } catch (EOFException e) {
      throw new IOException(file + ": not an IDX file (shorter than its 4-byte magic)");
    }
    if (z0 != 0 || z1 != 0) {
      throw new IOException(file + ": not an IDX file (magic must start with two zero bytes)");
    }
    int elemSize =
        switch (type) {
          case 0x08, 0x09 -> 1;
          case 0x0B -> 2;
          case 0x0C, 0x0D -> 4;
          case 0x0E -> 8;
          default -> throw new IOException(file + ": unknown IDX data type 0x" + Integer.toHexString(type));
        };
    if (nd == 0 || nd > 8) {
      throw new IOException(file + ": unsupported IDX rank " + nd);
    }
    long[] dims = new long[nd];
    long n = 1;
    for (int i = 0; i < nd; i++) {
      try {
        dims[i] = in.readInt() & 0xffffffffL;
      } catch (EOFException e) {
        throw new IOException(file + ": truncated IDX header");
      }
      n *= Math.max(1, dims[i]);
      if (dims[i] == 0) {
        n = 0;
      }
      if (n > MAX_ELEMENTS) {
        throw new IOException(file + ": IDX dims " + java.util.Arrays.toString(dims) + " are too large");
      }
    }
    long payload = n * elemSize;
    if (plainSize >= 0 && plainSize != 4L + 4L * nd + payload) {
      throw new IOException(file + ": IDX header declares " + payload + " data bytes but the file has "
          + (plainSize - 4L - 4L * nd));
    }
    int count = (int) n;
    boolean wantFloat = dtype.isFloatingPoint();
    try {
      if (elemSize == 1) {
        byte[] bytes = new byte[count];
        in.readFully(bytes);
        if (wantFloat) {
          float[] f = new float[count];
          for (int i = 0; i < count; i++) {
            f[i] = type == 0x08 ? (bytes[i] & 0xff) : bytes[i];
          }
          return Tensor.fromArray(f, dims).to(dtype);
        }
        long[] l = new long[count];
        for (int i = 0; i < count; i++) {
          l[i] = type == 0x08 ? (bytes[i] & 0xff) : bytes[i];
        }
        return Tensor.fromArray(l, dims).to(dtype);
      }
      double[] v = new double[count];
      for (int i = 0; i < count; i++) {
        v[i] = switch (type) {
          case 0x0B -> in.readShort();
          case 0x0C -> in.readInt();
          case 0x0D -> in.readFloat();
          default -> in.readDouble();
        };
      }
      return Tensor.fromArray(v, dims).to(dtype);
    } catch (EOFException e) {
      throw new IOException(file + ": truncated IDX data (expected " + count + " elements of "
          + elemSize + " bytes)");
    }
  }
}
