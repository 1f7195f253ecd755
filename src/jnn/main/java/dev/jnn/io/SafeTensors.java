package dev.jnn.io;

import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors#format">safetensors</a>
 * format ({@code safetensors.torch.load_file} / {@code save_file}): an 8-byte little-endian header
 * length, a JSON header (tensor name to dtype, shape and byte span, plus an optional {@code
 * __metadata__} string map), then the raw little-endian tensor bytes.
 *
 * <p>Checksums: safetensors has no checksum field, so {@link #save} records the CRC-32 of every
 * tensor's bytes in the {@code __metadata__} block, under {@value #CHECKSUM_KEY} (a string, as the
 * format requires; other readers, PyTorch's included, ignore it). When a file has that entry, every
 * tensor read is checked against it, and a mismatch (a flipped bit in the data) is a {@link
 * FileFormatException} naming the tensor and the file.
 *
 * <p>Written: F32, F64, I64 and BOOL (every jnn dtype). Read: those plus F16 and BF16 (into
 * float32) and I32, I16, I8, U8 (into int64). See {@link SafeTensorsFile} for the validation done
 * on read and for memory mapping.
 *
 * <p>Key order: {@link #save} writes the header in the map's iteration order (so a state dict keeps
 * PyTorch's order) and lays the data out by element size, largest first (so every tensor starts
 * aligned to its element size when the header is, as the reference writer does); {@link #load}
 * returns the header's order. PyTorch's own writer orders entries by dtype alignment then name, so
 * its files come back in that order; this does not matter to {@code loadStateDict}.
 *
 * <p>Example:
 *
 * <pre>{@code
 * SafeTensors.save(model.stateDict(), Path.of("model.safetensors"));
 * model.loadStateDict(SafeTensors.load(Path.of("model.safetensors")));
 * }</pre>
 */
public final class SafeTensors {
  /**
   * The {@code __metadata__} key under which jnn records the CRC-32 of every tensor's bytes: a JSON
   * object, as a string (metadata values are strings), from tensor name to 8 lowercase hex digits,
   * {@code {"fc.weight":"1c291ca3",...}}.
   */
  public static final String CHECKSUM_KEY = "jnn.crc32";

  private SafeTensors() {}

  /**
   * Opens a file for lazy reads (the header is read and validated now).
   *
   * @throws FileFormatException when the file is not valid safetensors
   */
  public static SafeTensorsFile open(Path path) throws IOException {
    return SafeTensorsFile.open(path);
  }

  /**
   * Reads every tensor of a file, in header order, into a new insertion-ordered map of CPU tensors,
   * ready for {@code Module.loadStateDict}.
   *
   * @throws FileFormatException when the file is not valid safetensors
   */
  public static Map<String, Tensor> load(Path path) throws IOException {
    try (SafeTensorsFile f = SafeTensorsFile.open(path)) {
      return f.tensors();
    }
  }

  /** The {@code __metadata__} block of a file (empty when absent); reads only the header. */
  public static Map<String, String> readMetadata(Path path) throws IOException {
    try (SafeTensorsFile f = SafeTensorsFile.open(path)) {
      return f.metadata();
    }
  }

  /** {@code save(tensors, Map.of(), path)}. */
  public static void save(Map<String, ? extends Tensor> tensors, Path path) throws IOException {
    save(tensors, Map.of(), path);
  }

  /**
   * Writes tensors (any device; non-contiguous views are written in row-major order) and a metadata
   * block to {@code path}, atomically: the content goes to a temporary file in the same directory,
   * is forced to disk and then renamed over {@code path}. The metadata block holds the caller's
   * entries plus {@value #CHECKSUM_KEY}, the tensors' checksums (computed here: a value the caller
   * passed under that key is replaced); it is omitted when there are no tensors and no metadata.
   *
   * @throws IllegalArgumentException for a null or reserved ({@code __metadata__}) name, a null
   *     tensor or a null metadata key or value
   */
  public static void save(
      Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path path)
      throws IOException {
    // the checksums are known only once the data is written: the header is written first with
    // placeholders of the same length, then rewritten in place
    Map<String, String> placeholders = new LinkedHashMap<>();
    for (String k : tensors.keySet()) {
      placeholders.put(k, "00000000");
    }
    byte[] header = header(tensors, withChecksums(metadata, placeholders));
    List<Map.Entry<String, ? extends Tensor>> layout = layout(tensors);
    AtomicFiles.write(
        path,
        ch -> {
          ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
          len.putLong(0, header.length);
          writeFully(ch, len);
          writeFully(ch, ByteBuffer.wrap(header));
          ByteBuffer buf = ByteBuffer.allocate(1 << 20);
          Map<String, String> crcs = new LinkedHashMap<>(placeholders);
          for (Map.Entry<String, ? extends Tensor> e : layout) {
            CRC32 crc = new CRC32();
            ElementType.encode(
                e.getValue(),
                buf,
                b -> {
                  b.flip();
                  crc.update(b.duplicate());
                  writeFully(ch, b);
                  b.clear();
                });
            crcs.put(e.getKey(), String.format("%08x", crc.getValue()));
          }
          if (!tensors.isEmpty()) {
            byte[] done = header(tensors, withChecksums(metadata, crcs));
            if (done.length != header.length) {
              throw new IllegalStateException("safetensors: the checksummed header changed size");
            }
            ByteBuffer h = ByteBuffer.wrap(done);
            for (long pos = 8; h.hasRemaining(); ) {
              pos += ch.write(h, pos);
            }
          }
        });
  }

  /**
   * The metadata with {@value #CHECKSUM_KEY} set to the tensors' checksums (replacing any value the
   * caller passed); unchanged when there are no tensors.
   */
  private static Map<String, String> withChecksums(
      Map<String, String> metadata, Map<String, String> crcs) {
    Map<String, String> m = new LinkedHashMap<>();
    if (metadata != null) {
      m.putAll(metadata);
    }
    m.remove(CHECKSUM_KEY);
    if (!crcs.isEmpty()) {
      m.put(CHECKSUM_KEY, Json.write(new LinkedHashMap<String, Object>(crcs)));
    }
    return m;
  }

  /** The data layout: by element size, largest first; map order within a size (stable). */
  private static List<Map.Entry<String, ? extends Tensor>> layout(
      Map<String, ? extends Tensor> tensors) {
    List<Map.Entry<String, ? extends Tensor>> l = new ArrayList<>(tensors.entrySet());
    l.sort(
        (a, b) ->
            Integer.compare(b.getValue().dtype().byteSize(), a.getValue().dtype().byteSize()));
    return l;
  }

  /** The JSON header, padded with spaces to a multiple of 8 bytes. */
  static byte[] header(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
    if (metadata == null) {
      metadata = Map.of();
    }
    Map<String, long[]> spans = new LinkedHashMap<>();
    long off = 0;
    for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
      String name = e.getKey();
      if (name == null) {
        throw new IllegalArgumentException("safetensors: a tensor name is null");
      }
      if (name.equals("__metadata__")) {
        throw new IllegalArgumentException(
            "safetensors: '__metadata__' is reserved, not a tensor name");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null");
      }
    }
    for (Map.Entry<String, ? extends Tensor> e : layout(tensors)) {
      Tensor t = e.getValue();
      long bytes = t.numel() * t.dtype().byteSize();
      spans.put(e.getKey(), new long[] {off, off + bytes});
      off += bytes;
    }
    StringBuilder b = new StringBuilder();
    b.append('{');
    boolean first = true;
    if (!metadata.isEmpty()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          throw new IllegalArgumentException("safetensors: null metadata key or value");
        }
        m.put(e.getKey(), e.getValue());
      }
      b.append("\"__metadata__\":").append(Json.write(m));
      first = false;
    }
    for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      Tensor t = e.getValue();
      Json.quote(e.getKey(), b);
      b.append(":{\"dtype\":\"").append(ElementType.of(t.dtype()).name()).append("\",\"shape\":[");
      long[] dims = t.shape().dims();
      for (int i = 0; i < dims.length; i++) {
        b.append(i > 0 ? "," : "").append(dims[i]);
      }
      long[] s = spans.get(e.getKey());
      b.append("],\"data_offsets\":[").append(s[0]).append(',').append(s[1]).append("]}");
    }
    b.append('}');
    byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] padded = java.util.Arrays.copyOf(json, (json.length + 7) / 8 * 8);
    java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    return padded;
  }

  static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
