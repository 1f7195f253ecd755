package dev.jnn.io;

import dev.jnn.nn.StateDict;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A pure-Java reader of PyTorch's {@code torch.save} files ({@code .pt}/{@code .pth}, the zip
 * format PyTorch has written since 1.6), equivalent to {@code torch.load(f, map_location="cpu",
 * weights_only=True)}: it never executes anything from the file.
 *
 * <p>The file is a zip archive {@code <name>/data.pkl} (a pickle, protocol 2) plus one record
 * {@code <name>/data/<key>} per storage (raw little-endian elements). The pickle is run by a small
 * stack machine ({@code Pickle}) whose only callables are {@code collections.OrderedDict}, {@code
 * torch._utils._rebuild_tensor_v2}/{@code _rebuild_tensor}, {@code _rebuild_parameter} (+{@code
 * _with_state}), {@code torch._tensor._rebuild_from_type_v2} for plain tensors and parameters, the
 * typed storages {@code torch.FloatStorage}, {@code DoubleStorage}, {@code HalfStorage}, {@code
 * BFloat16Storage}, {@code LongStorage}, {@code IntStorage}, {@code ShortStorage}, {@code
 * CharStorage}, {@code ByteStorage}, {@code BoolStorage}, and {@code _codecs.encode}/{@code
 * set}/{@code frozenset} for plain values. Any other global or opcode is a {@link
 * FileFormatException} naming it.
 *
 * <p>Tensors: each is rebuilt from its storage, storage offset, size and stride (non-contiguous
 * views and several tensors sharing one storage load right) into a new contiguous CPU tensor; the
 * storage's device (e.g. {@code cuda:0}) is ignored, as with {@code map_location="cpu"}. Half and
 * bfloat16 become float32; int32/int16/int8/uint8 become int64. Tensors that shared a storage in
 * PyTorch do not share memory after loading (each is a copy).
 *
 * <p>Guards: entries must be stored (PyTorch's layout) or deflated; a stored entry's declared size
 * must equal its compressed size and fit in the file, a deflated one may not declare more than
 * deflate's maximum ratio (1032:1) of its compressed size, and all declared sizes together may not
 * exceed 16 times the file size plus 1 MiB ("zip bomb"); an entry that inflates past its declared
 * size is refused. Every entry read must match the CRC-32 its zip headers record (a flipped bit in
 * tensor data is a {@link FileFormatException} naming the entry and the file, not silently wrong
 * weights). Storages must be exactly {@code numel * itemsize} bytes, views must stay inside
 * their storage, and the elements materialised for all tensors together may not exceed twice the
 * storage bytes plus 1 Mi (stride-0 expansions of tiny storages are refused beyond that).
 */
public final class TorchCheckpoint {
  private static final long MAX_DEFLATE_RATIO = 1032;

  private TorchCheckpoint() {}

  /**
   * Reads a {@code torch.save} file into a {@link Checkpoint}: a state dict, or any nesting of
   * dicts, lists, tuples and plain values holding tensors (a wrapped training checkpoint).
   *
   * @throws FileFormatException when the file is not a readable {@code torch.save} zip (named
   *     problem: not a zip, legacy format, TorchScript, unknown pickle global or opcode, zip bomb,
   *     truncated or inconsistent storage)
   */
  public static Checkpoint load(Path path) throws IOException {
    long fileSize = Files.size(path);
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(path)) {
      int n = in.readNBytes(head, 0, 4);
      if (n < 4) {
        throw new FileFormatException(path, "truncated: " + n + " bytes is not a torch.save file");
      }
    }
    if (head[0] == (byte) 0x80 && head[1] == 2) {
      throw new FileFormatException(
          path,
          "legacy (pre-1.6, non-zip) torch.save format is not supported; re-save it with"
              + " torch.save(obj, f) in PyTorch 1.6 or later");
    }
    if (!(head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)) {
      throw new FileFormatException(
          path,
          String.format(
              "wrong magic: not a torch.save zip archive (starts with %02x %02x %02x %02x, expected"
                  + " 50 4b 03 04)",
              head[0], head[1], head[2], head[3]));
    }
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (IOException e) {
      // ZipException, or EOFException when the end record points past the end of the file
      throw new FileFormatException(path, "not a valid zip archive: " + e.getMessage(), e);
    }
    try (zip) {
      return read(path, zip, fileSize);
    } catch (ZipException e) {
      throw new FileFormatException(path, "corrupt zip archive: " + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
      // e.g. java.util.zip rejecting an entry name; never let a bad file escape unchecked
      throw new FileFormatException(path, "corrupt archive: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a {@code torch.save} file holding a state dict ({@code torch.save(model.state_dict(),
   * f)}), or a wrapped checkpoint whose state dict is found by {@link Checkpoint#stateDict()}. The
   * result carries PyTorch's per-module {@code _metadata} (versions), so {@code
   * Module.loadStateDict} applies the same upgrade rules as PyTorch.
   *
   * @throws FileFormatException when the file is unreadable or holds no state dict
   */
  public static StateDict loadStateDict(Path path) throws IOException {
    Checkpoint c = load(path);
    try {
      return c.stateDict();
    } catch (IllegalStateException e) {
      throw new FileFormatException(path, withoutPath(path, e.getMessage()), e);
    }
  }

  /** A {@link Checkpoint} message without its leading file name (FileFormatException adds it). */
  static String withoutPath(Path path, String message) {
    String p = path + ": ";
    return message.startsWith(p) ? message.substring(p.length()) : message;
  }

  private static Checkpoint read(Path path, ZipFile zip, long fileSize) throws IOException {
    Map<String, ZipEntry> entries = new HashMap<>();
    String prefix = null;
    long declared = 0;
    long dataBytes = 0;
    boolean torchScript = false;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      ZipEntry e = en.nextElement();
      String name = e.getName();
      checkSizes(path, e, fileSize);
      declared += e.getSize();
      if (declared > 16 * fileSize + (1 << 20)) {
        throw new FileFormatException(
            path,
            "zip bomb: the entries declare at least "
                + declared
                + " bytes in all, far more than the "
                + fileSize
                + "-byte file justifies");
      }
      entries.put(name, e);
      int slash = name.indexOf('/');
      if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
        if (prefix != null) {
          throw new FileFormatException(
              path, "two pickle records: " + prefix + "data.pkl and " + name);
        }
        prefix = name.substring(0, slash + 1);
      }
      if (name.endsWith("/constants.pkl") || name.contains("/code/")) {
        torchScript = true;
      }
    }
    if (torchScript) {
      throw new FileFormatException(
          path,
          "a TorchScript archive (torch.jit.save) is not supported; save model.state_dict() with"
              + " torch.save");
    }
    if (prefix == null) {
      throw new FileFormatException(path, "no <name>/data.pkl record: not a torch.save archive");
    }
    for (Map.Entry<String, ZipEntry> e : entries.entrySet()) {
      if (e.getKey().startsWith(prefix + "data/")) {
        dataBytes += e.getValue().getSize();
      }
    }
    ZipEntry order = entries.get(prefix + "byteorder");
    if (order != null) {
      String bo = new String(readEntry(path, zip, order), StandardCharsets.US_ASCII).trim();
      if (!bo.equals("little")) {
        throw new FileFormatException(
            path, "byteorder '" + bo + "' is not supported (only little-endian checkpoints are)");
      }
    }
    byte[] pickle = readEntry(path, zip, entries.get(prefix + "data.pkl"));
    Host host = new Host(path, zip, entries, prefix, 2 * dataBytes + (1 << 20));
    Object root = Pickle.load(pickle, host, path, prefix + "data.pkl");
    return new Checkpoint(path, root);
  }

  private static void checkSizes(Path path, ZipEntry e, long fileSize) throws FileFormatException {
    long size = e.getSize();
    long csize = e.getCompressedSize();
    String name = e.getName();
    if (size < 0 || csize < 0) {
      throw new FileFormatException(path, "zip entry '" + name + "' declares no size");
    }
    if (csize > fileSize) {
      throw new FileFormatException(
          path,
          "zip bomb or truncated file: entry '"
              + name
              + "' declares "
              + csize
              + " compressed bytes in a "
              + fileSize
              + "-byte file");
    }
    if (e.getMethod() == ZipEntry.STORED) {
      if (size != csize || size > fileSize) {
        throw new FileFormatException(
            path,
            "zip bomb: stored entry '"
                + name
                + "' declares "
                + size
                + " bytes ("
                + csize
                + " stored) in a "
                + fileSize
                + "-byte file");
      }
    } else if (e.getMethod() == ZipEntry.DEFLATED) {
      if (size > csize * MAX_DEFLATE_RATIO + 1024) {
        throw new FileFormatException(
            path,
            "zip bomb: entry '"
                + name
                + "' declares "
                + size
                + " bytes from "
                + csize
                + " compressed (more than deflate's 1032:1)");
      }
    } else {
      throw new FileFormatException(
          path, "zip entry '" + name + "' uses compression method " + e.getMethod());
    }
  }

  /** Reads an entry whose sizes passed {@link #checkSizes}: exactly its declared size. */
  private static byte[] readEntry(Path path, ZipFile zip, ZipEntry e) throws IOException {
    long size = e.getSize();
    if (size > ElementType.MAX_ELEMENTS) {
      throw new FileFormatException(
          path, "zip entry '" + e.getName() + "' has " + size + " bytes; jnn reads at most 2 GiB");
    }
    byte[] b = new byte[(int) size];
    try (InputStream in = zip.getInputStream(e)) {
      int n = in.readNBytes(b, 0, b.length);
      if (n < b.length) {
        throw new FileFormatException(
            path, "zip entry '" + e.getName() + "' is truncated: " + n + " of " + size + " bytes");
      }
      if (in.read() >= 0) {
        throw new FileFormatException(
            path,
            "zip bomb: entry '" + e.getName() + "' inflates past its declared " + size + " bytes");
      }
    } catch (FileFormatException ex) {
      throw ex;
    } catch (IOException ex) {
      // ZipException for bad headers, EOFException for a local header past the end
      throw new FileFormatException(
          path, "zip entry '" + e.getName() + "' is corrupt or truncated: " + ex, ex);
    }
    // java.util.zip.ZipFile does not check the CRC-32 of an entry (stored entries, PyTorch's, are
    // handed out as they are), so a flipped bit in tensor data would load silently
    long want = e.getCrc();
    if (want != -1) {
      CRC32 crc = new CRC32();
      crc.update(b);
      if (crc.getValue() != want) {
        throw new FileFormatException(
            path,
            String.format(
                "zip entry '%s' is corrupt: its CRC-32 is %08x, but the archive records %08x",
                e.getName(), crc.getValue(), want));
      }
    }
    return b;
  }

  /** One storage record, decoded. */
  private record LoadedStorage(Pickle.StorageType type, String key, Object array, int numel) {}

  /** Resolves storages and rebuilds tensors for the pickle machine. */
  private static final class Host implements Pickle.Host {
    private final Path path;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries;
    private final String prefix;
    private final Map<String, LoadedStorage> storages = new HashMap<>();
    private long budget;

    Host(Path path, ZipFile zip, Map<String, ZipEntry> entries, String prefix, long budget) {
      this.path = path;
      this.zip = zip;
      this.entries = entries;
      this.prefix = prefix;
      this.budget = budget;
    }

    @Override
    public Object persistentLoad(Object pid) throws IOException {
      if (!(pid instanceof PyTuple t)
          || t.size() != 5
          || !"storage".equals(t.get(0))
          || !(t.get(2) instanceof String key)
          || !(t.get(4) instanceof Long numel)) {
        throw new FileFormatException(
            path,
            "unsupported persistent id (expected ('storage', torch.XStorage, key, location,"
                + " numel), got a "
                + Pickle.typeName(pid)
                + ")");
      }
      if (!(t.get(1) instanceof Pickle.StorageType type)) {
        throw new FileFormatException(
            path, "storage type " + Pickle.typeName(t.get(1)) + " is not supported");
      }
      LoadedStorage s = storages.get(key);
      if (s != null) {
        if (s.type() != type || s.numel() != numel) {
          throw new FileFormatException(
              path, "storage '" + key + "' is referenced as two different types or sizes");
        }
        return s;
      }
      ZipEntry e = entries.get(prefix + "data/" + key);
      if (e == null) {
        throw new FileFormatException(
            path, "storage '" + key + "' has no record " + prefix + "data/" + key);
      }
      long bytes;
      try {
        bytes = Math.multiplyExact(numel, (long) type.element.size);
      } catch (ArithmeticException ex) {
        throw new FileFormatException(path, "storage '" + key + "' numel " + numel + " overflows");
      }
      if (numel < 0 || bytes != e.getSize()) {
        throw new FileFormatException(
            path,
            "storage '"
                + key
                + "' ("
                + type
                + ", "
                + numel
                + " elements) needs "
                + bytes
                + " bytes but its record has "
                + e.getSize());
      }
      byte[] raw = readEntry(path, zip, e);
      int n = (int) (long) numel;
      Object arr = type.element.newArray(n);
      type.element.decode(ByteBuffer.wrap(raw), arr, 0, n);
      s = new LoadedStorage(type, key, arr, n);
      storages.put(key, s);
      return s;
    }

    @Override
    public Tensor rebuildTensor(Object storage, long offset, long[] size, long[] stride)
        throws IOException {
      if (!(storage instanceof LoadedStorage s)) {
        throw new FileFormatException(
            path, "tensor rebuilt from a " + Pickle.typeName(storage) + ", not a storage");
      }
      long numel = 1;
      long maxIndex = offset;
      try {
        for (int d = 0; d < size.length; d++) {
          if (size[d] < 0 || stride[d] < 0) {
            throw new FileFormatException(
                path,
                "tensor on storage '"
                    + s.key()
                    + "' has size "
                    + Arrays.toString(size)
                    + " and stride "
                    + Arrays.toString(stride)
                    + " (negative)");
          }
          numel = Math.multiplyExact(numel, size[d]);
          if (size[d] > 0) {
            maxIndex = Math.addExact(maxIndex, Math.multiplyExact(size[d] - 1, stride[d]));
          }
        }
      } catch (ArithmeticException ex) {
        throw new FileFormatException(path, "tensor on storage '" + s.key() + "' overflows");
      }
      if (offset < 0 || (numel > 0 && maxIndex >= s.numel())) {
        throw new FileFormatException(
            path,
            "tensor view (offset "
                + offset
                + ", size "
                + Arrays.toString(size)
                + ", stride "
                + Arrays.toString(stride)
                + ") is out of range of storage '"
                + s.key()
                + "' ("
                + s.numel()
                + " elements)");
      }
      if (numel > ElementType.MAX_ELEMENTS || numel > budget) {
        throw new FileFormatException(
            path,
            "tensor of "
                + numel
                + " elements on storage '"
                + s.key()
                + "' ("
                + s.numel()
                + " elements) exceeds what the file justifies (stride-0 expansion?)");
      }
      budget -= numel;
      int n = (int) numel;
      if (n == s.numel() && offset == 0 && isContiguous(size, stride)) {
        return ElementType.tensor(s.array(), size); // the whole storage (Tensor.fromArray copies)
      }
      Object out = s.type().element.newArray(n);
      if (n > 0) {
        gather(s.array(), offset, size, stride, out, n);
      }
      return ElementType.tensor(out, size);
    }

    private static boolean isContiguous(long[] size, long[] stride) {
      long expect = 1;
      for (int d = size.length - 1; d >= 0; d--) {
        if (size[d] != 1 && stride[d] != expect) {
          return false;
        }
        expect *= size[d];
      }
      return true;
    }

    private static void gather(
        Object src, long offset, long[] size, long[] stride, Object out, int n) {
      int rank = size.length;
      if (isContiguous(size, stride)) {
        System.arraycopy(src, (int) offset, out, 0, n);
        return;
      }
      long[] idx = new long[rank];
      long at = offset;
      for (int i = 0; i < n; i++) {
        int a = (int) at;
        if (out instanceof float[] o) {
          o[i] = ((float[]) src)[a];
        } else if (out instanceof double[] o) {
          o[i] = ((double[]) src)[a];
        } else if (out instanceof long[] o) {
          o[i] = ((long[]) src)[a];
        } else {
          ((boolean[]) out)[i] = ((boolean[]) src)[a];
        }
        for (int d = rank - 1; d >= 0; d--) {
          idx[d]++;
          at += stride[d];
          if (idx[d] < size[d]) {
            break;
          }
          at -= stride[d] * size[d];
          idx[d] = 0;
        }
      }
    }
  }

  /** The keys of a map, for messages. */
  static List<String> keysOf(Map<?, ?> m) {
    List<String> l = new ArrayList<>();
    for (Object k : m.keySet()) {
      l.add(String.valueOf(k));
      if (l.size() == 10) {
        l.add("...");
        break;
      }
    }
    return l;
  }
}
