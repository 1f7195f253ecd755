package dev.jnn.backend.cuda;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code DT_NEEDED} entries (the shared libraries a library links against) of a 64-bit
 * little-endian ELF file, touching only its headers and dynamic section, so that the loader can
 * tell which cuBLAS major a cuDNN build was linked against without loading it.
 */
final class ElfNeeded {
  private ElfNeeded() {}

  /** The DT_NEEDED names, or an empty list when the file is not a readable ELF64 LE file. */
  static List<String> read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer h = read(ch, 0, 64);
      if (h.getInt(0) != 0x464c457f || h.get(4) != 2 || h.get(5) != 1) {
        return List.of();
      }
      long phoff = h.getLong(32);
      int phentsize = h.getShort(54) & 0xffff;
      int phnum = h.getShort(56) & 0xffff;
      ByteBuffer ph = read(ch, phoff, phentsize * phnum);
      long dynOff = -1;
      long dynSize = 0;
      List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
      for (int i = 0; i < phnum; i++) {
        int b = i * phentsize;
        int type = ph.getInt(b);
        long offset = ph.getLong(b + 8);
        long vaddr = ph.getLong(b + 16);
        long filesz = ph.getLong(b + 32);
        if (type == 1) {
          loads.add(new long[] {vaddr, offset, filesz});
        } else if (type == 2) {
          dynOff = offset;
          dynSize = filesz;
        }
      }
      if (dynOff < 0 || dynSize <= 0 || dynSize > (1 << 20)) {
        return List.of();
      }
      ByteBuffer dyn = read(ch, dynOff, (int) dynSize);
      long strtab = -1;
      long strsz = 0;
      List<Long> needed = new ArrayList<>();
      for (int i = 0; i + 16 <= dynSize; i += 16) {
        long tag = dyn.getLong(i);
        long val = dyn.getLong(i + 8);
        if (tag == 0) {
          break;
        } else if (tag == 1) {
          needed.add(val);
        } else if (tag == 5) {
          strtab = val;
        } else if (tag == 10) {
          strsz = val;
        }
      }
      if (strtab < 0 || strsz <= 0 || strsz > (16 << 20)) {
        return List.of();
      }
      long strOff = -1;
      for (long[] l : loads) {
        if (strtab >= l[0] && strtab < l[0] + l[2]) {
          strOff = strtab - l[0] + l[1];
        }
      }
      if (strOff < 0) {
        return List.of();
      }
      ByteBuffer str = read(ch, strOff, (int) strsz);
      List<String> out = new ArrayList<>();
      for (long n : needed) {
        int start = (int) n;
        int end = start;
        while (end < strsz && str.get(end) != 0) {
          end++;
        }
        byte[] b = new byte[end - start];
        str.get(start, b);
        out.add(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new IOException("short read");
      }
    }
    b.flip();
    return b;
  }
}
