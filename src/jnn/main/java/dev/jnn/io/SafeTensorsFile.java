package dev.jnn.io;

import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * An open safetensors file whose header has been read and fully validated; tensors are read on
 * demand ({@code safetensors.safe_open}). Obtain one with {@link SafeTensors#open(Path)} and close
 * it (try-with-resources).
 *
 * <p>Opening checks everything the format promises before any tensor is read: the 8-byte header
 * length is within the file (and at most 100 MB, the reference implementation's limit), the header
 * is UTF-8 JSON (an object, no duplicate keys), {@code __metadata__} maps strings to strings, every
 * entry has a known dtype, a shape of non-negative sizes and {@code data_offsets} whose span equals
 * {@code numel * itemsize}, and the spans tile the data region exactly (no overlap, no hole,
 * nothing past the end, no trailing bytes). Any violation is a {@link FileFormatException} naming
 * the file, the tensor and the problem. Nothing larger than the file is ever allocated: the header
 * buffer is bounded by the file size and every tensor by its validated byte span.
 *
 * <p>Checksums: when {@code __metadata__} has {@value SafeTensors#CHECKSUM_KEY} (files written by
 * jnn), opening checks that it is a JSON object of 8-hex-digit values, and {@link #tensor} checks
 * the bytes of every tensor listed there against its CRC-32: a mismatch is a {@link
 * FileFormatException} naming the tensor and the file.
 *
 * <p>Reads: regions of at least 1 MiB are memory-mapped ({@link FileChannel#map}) and decoded
 * straight into the tensor's array, in chunks of at most 1 GiB; smaller ones are read with
 * positional reads. F16 and BF16 are widened to float32, I32/I16/I8/U8 to int64; F64, F32, I64 and
 * BOOL load as themselves. Tensors are returned on the CPU.
 *
 * <p>Order: {@link #keys()} is the order of the header, which is the order jnn wrote (the map's
 * order). The reference (Rust) writer lists tensors by dtype alignment, then name, so a file
 * written by PyTorch's {@code safetensors.torch.save_file} comes back in that order, not the state
 * dict's; {@code Module.loadStateDict} does not depend on the order.
 */
public final class SafeTensorsFile implements AutoCloseable {
  /** The reference implementation's limit on the header size. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Regions at least this large are memory-mapped. */
  static final long MAP_THRESHOLD = 1L << 20;

  private static final long MAP_CHUNK = 1L << 30;

  /**
   * One header entry: the tensor's name, its dtype as the file names it ({@code "F32"}), its shape
   * and its byte span {@code [begin, end)} relative to the start of the data region.
   *
   * @param name the tensor's key
   * @param dtype the safetensors dtype name ({@code F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL})
   * @param shape the shape ({@code []} for a 0-d tensor)
   * @param begin first byte, relative to the data region
   * @param end one past the last byte, relative to the data region
   */
  public record TensorInfo(String name, String dtype, Shape shape, long begin, long end) {
    /** The number of bytes the tensor occupies in the file. */
    public long byteLength() {
      return end - begin;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> infos;
  private final Map<String, String> metadata;

  /** The recorded CRC-32 of each tensor (from {@link SafeTensors#CHECKSUM_KEY}); may be empty. */
  private final Map<String, Long> checksums;

  private SafeTensorsFile(
      Path path,
      FileChannel channel,
      long dataStart,
      Map<String, TensorInfo> infos,
      Map<String, String> metadata)
      throws FileFormatException {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.infos = infos;
    this.metadata = metadata;
    this.checksums = checksums(path, metadata.get(SafeTensors.CHECKSUM_KEY));
  }

  /** Parses the {@link SafeTensors#CHECKSUM_KEY} entry (null: none). */
  private static Map<String, Long> checksums(Path path, String json) throws FileFormatException {
    Map<String, Long> out = new LinkedHashMap<>();
    if (json == null) {
      return out;
    }
    String bad = "bad " + SafeTensors.CHECKSUM_KEY + " metadata: ";
    Object parsed;
    try {
      parsed = Json.parse(json, 2);
    } catch (Json.SyntaxException e) {
      throw new FileFormatException(path, bad + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> m)) {
      throw new FileFormatException(path, bad + "not a JSON object");
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof String hex) || !hex.matches("[0-9a-f]{8}")) {
        throw new FileFormatException(
            path, bad + "the value of '" + e.getKey() + "' is not 8 lowercase hex digits");
      }
      out.put((String) e.getKey(), Long.parseLong(hex, 16));
    }
    return out;
  }

  static SafeTensorsFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      if (size < 8) {
        throw new FileFormatException(
            path,
            "truncated: "
                + size
                + " bytes, but a safetensors file starts with an 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0, path);
      long n = lenBuf.getLong(0);
      if (n < 0 || n > size - 8) {
        throw new FileFormatException(
            path,
            "header length "
                + Long.toUnsignedString(n)
                + " is past the end of the file ("
                + size
                + " bytes)");
      }
      if (n > MAX_HEADER_BYTES) {
        throw new FileFormatException(
            path, "header length " + n + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
      }
      if (n < 2) {
        throw new FileFormatException(path, "header of " + n + " bytes cannot hold a JSON object");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) n);
      readFully(ch, hb, 8, path);
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(hb.flip())
                .toString();
      } catch (CharacterCodingException e) {
        throw new FileFormatException(path, "header is not valid UTF-8", e);
      }
      if (!text.startsWith("{")) {
        throw new FileFormatException(
            path, "header does not start with '{' (not a safetensors file?)");
      }
      Object root;
      try {
        root = Json.parse(text, 8);
      } catch (Json.SyntaxException e) {
        throw new FileFormatException(path, "bad JSON header: " + e.getMessage(), e);
      }
      long dataLen = size - 8 - n;
      Map<String, String> meta = new LinkedHashMap<>();
      Map<String, TensorInfo> infos = parseHeader(path, (Map<?, ?>) root, dataLen, meta);
      return new SafeTensorsFile(
          path, ch, 8 + n, Collections.unmodifiableMap(infos), Collections.unmodifiableMap(meta));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static Map<String, TensorInfo> parseHeader(
      Path path, Map<?, ?> root, long dataLen, Map<String, String> meta)
      throws FileFormatException {
    Map<String, TensorInfo> infos = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : root.entrySet()) {
      String name = (String) e.getKey();
      Object v = e.getValue();
      if (name.equals("__metadata__")) {
        if (!(v instanceof Map<?, ?> m)) {
          throw new FileFormatException(path, "__metadata__ is not a JSON object");
        }
        for (Map.Entry<?, ?> me : m.entrySet()) {
          if (!(me.getValue() instanceof String s)) {
            throw new FileFormatException(
                path, "__metadata__ value of \"" + me.getKey() + "\" is not a string");
          }
          meta.put((String) me.getKey(), s);
        }
        continue;
      }
      if (!(v instanceof Map<?, ?> m)) {
        throw new FileFormatException(path, "tensor '" + name + "': entry is not a JSON object");
      }
      if (!(m.get("dtype") instanceof String dtype)) {
        throw new FileFormatException(path, "tensor '" + name + "': missing or non-string dtype");
      }
      ElementType et = ElementType.bySafetensorsName(dtype);
      if (et == null) {
        throw new FileFormatException(
            path,
            "tensor '"
                + name
                + "': unsupported dtype '"
                + dtype
                + "' (jnn reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
      }
      long[] dims = longs(path, name, "shape", m.get("shape"), -1);
      long[] offs = longs(path, name, "data_offsets", m.get("data_offsets"), 2);
      long numel = 1;
      for (long d : dims) {
        try {
          numel = Math.multiplyExact(numel, d);
        } catch (ArithmeticException ex) {
          throw new FileFormatException(path, "tensor '" + name + "': shape overflows 64 bits");
        }
      }
      long bytes;
      try {
        bytes = Math.multiplyExact(numel, (long) et.size);
      } catch (ArithmeticException ex) {
        throw new FileFormatException(path, "tensor '" + name + "': byte size overflows 64 bits");
      }
      if (offs[1] < offs[0]) {
        throw new FileFormatException(
            path,
            "tensor '"
                + name
                + "': data_offsets ["
                + offs[0]
                + ", "
                + offs[1]
                + "] end before they begin");
      }
      if (offs[1] > dataLen) {
        throw new FileFormatException(
            path,
            "tensor '"
                + name
                + "': data_offsets ["
                + offs[0]
                + ", "
                + offs[1]
                + "] are out of range: the data region has "
                + dataLen
                + " bytes");
      }
      if (offs[1] - offs[0] != bytes) {
        throw new FileFormatException(
            path,
            "tensor '"
                + name
                + "': dtype "
                + dtype
                + " and shape "
                + java.util.Arrays.toString(dims)
                + " need "
                + bytes
                + " bytes, but data_offsets ["
                + offs[0]
                + ", "
                + offs[1]
                + "] span "
                + (offs[1] - offs[0]));
      }
      if (numel > ElementType.MAX_ELEMENTS) {
        throw new FileFormatException(
            path,
            "tensor '"
                + name
                + "' has "
                + numel
                + " elements; a jnn tensor holds at most "
                + ElementType.MAX_ELEMENTS);
      }
      infos.put(name, new TensorInfo(name, dtype, Shape.of(dims), offs[0], offs[1]));
    }
    // the spans must tile the data region: sorted by begin, each starts where the last ended
    List<TensorInfo> sorted = new ArrayList<>(infos.values());
    sorted.sort(
        (a, b) ->
            a.begin() != b.begin()
                ? Long.compare(a.begin(), b.begin())
                : Long.compare(a.end(), b.end()));
    long pos = 0;
    TensorInfo prev = null;
    for (TensorInfo t : sorted) {
      if (t.begin() < pos) {
        throw new FileFormatException(
            path,
            "tensors '"
                + prev.name()
                + "' ["
                + prev.begin()
                + ", "
                + prev.end()
                + ") and '"
                + t.name()
                + "' ["
                + t.begin()
                + ", "
                + t.end()
                + ") overlap");
      }
      if (t.begin() > pos) {
        throw new FileFormatException(
            path, "bytes [" + pos + ", " + t.begin() + ") of the data region belong to no tensor");
      }
      pos = t.end();
      prev = t;
    }
    if (pos != dataLen) {
      throw new FileFormatException(
          path,
          "the data region has "
              + dataLen
              + " bytes but the tensors cover "
              + pos
              + " (truncated or trailing bytes)");
    }
    return infos;
  }

  private static long[] longs(Path path, String name, String field, Object v, int len)
      throws FileFormatException {
    if (!(v instanceof List<?> l) || (len >= 0 && l.size() != len)) {
      throw new FileFormatException(
          path,
          "tensor '"
              + name
              + "': "
              + field
              + " must be a list of "
              + (len >= 0 ? len + " " : "")
              + "non-negative integers");
    }
    long[] r = new long[l.size()];
    for (int i = 0; i < r.length; i++) {
      if (!(l.get(i) instanceof Long x) || x < 0) {
        throw new FileFormatException(
            path,
            "tensor '"
                + name
                + "': "
                + field
                + " must be a list of non-negative integers, got "
                + l.get(i));
      }
      r[i] = x;
    }
    return r;
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path path)
      throws IOException {
    long p = position;
    while (dst.hasRemaining()) {
      int r = ch.read(dst, p);
      if (r < 0) {
        throw new FileFormatException(
            path, "truncated: the file ended at byte " + p, new EOFException());
      }
      p += r;
    }
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** The {@code __metadata__} block (string to string, file order); empty when absent. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor names, in the order of the header. */
  public List<String> keys() {
    return List.copyOf(infos.keySet());
  }

  /** The header entries by name, in header order. */
  public Map<String, TensorInfo> infos() {
    return infos;
  }

  /**
   * The header entry of one tensor.
   *
   * @throws IllegalArgumentException when the file has no tensor {@code name}
   */
  public TensorInfo info(String name) {
    TensorInfo t = infos.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no tensor named '" + name + "' in " + path + " (" + infos.size() + " tensors)");
    }
    return t;
  }

  /**
   * Reads one tensor (a new CPU tensor; F16/BF16 widened to float32, narrow integers to int64).
   *
   * @throws IllegalArgumentException when the file has no tensor {@code name}
   * @throws IOException when reading fails (for example, the file shrank since it was opened)
   */
  public Tensor tensor(String name) throws IOException {
    TensorInfo t = info(name);
    ElementType et = ElementType.bySafetensorsName(t.dtype());
    int n = (int) t.shape().numel();
    Object arr = et.newArray(n);
    long start = dataStart + t.begin();
    if (start + t.byteLength() > channel.size()) {
      throw new FileFormatException(
          path, "truncated: tensor '" + name + "' ends past the end of the file (it shrank?)");
    }
    Long want = checksums.get(name);
    CRC32 crc = want == null ? null : new CRC32();
    if (t.byteLength() >= MAP_THRESHOLD) {
      long perChunk = MAP_CHUNK / et.size;
      for (long done = 0; done < n; ) {
        int k = (int) Math.min(perChunk, n - done);
        ByteBuffer mb;
        try {
          mb =
              channel.map(
                  FileChannel.MapMode.READ_ONLY, start + done * et.size, (long) k * et.size);
        } catch (IOException e) {
          throw new FileFormatException(
              path, "cannot map tensor '" + name + "': " + e.getMessage(), e);
        }
        if (mb.remaining() < (long) k * et.size) {
          throw new FileFormatException(path, "truncated while reading tensor '" + name + "'");
        }
        if (crc != null) {
          crc.update(mb.duplicate());
        }
        et.decode(mb, arr, (int) done, k);
        done += k;
      }
    } else {
      ByteBuffer b = ByteBuffer.allocate((int) t.byteLength());
      readFully(channel, b, start, path);
      b.flip();
      if (crc != null) {
        crc.update(b.duplicate());
      }
      et.decode(b, arr, 0, n);
    }
    if (crc != null && crc.getValue() != want) {
      throw new FileFormatException(
          path,
          String.format(
              "tensor '%s' is corrupt: the CRC-32 of its data is %08x, but %s records %08x",
              name, crc.getValue(), SafeTensors.CHECKSUM_KEY, want));
    }
    return ElementType.tensor(arr, t.shape().dims());
  }

  /** Reads every tensor, in header order, into a new insertion-ordered map. */
  public Map<String, Tensor> tensors() throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String k : infos.keySet()) {
      out.put(k, tensor(k));
    }
    return out;
  }

  /** Closes the file. Tensors already read stay valid (they are copies). */
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
