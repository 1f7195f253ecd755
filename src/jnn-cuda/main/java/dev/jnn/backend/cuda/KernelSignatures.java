package dev.jnn.backend.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entry points of a PTX module with their parameter lists, read from the PTX text, and
 * whether each kernel contains a barrier ({@code bar.sync}). Every launch is checked against the
 * signature, so that a Java call site that disagrees with the CUDA source fails with a readable
 * message instead of corrupting memory on the device.
 */
final class KernelSignatures {
  /**
   * One parameter: its PTX type ({@code u64}, {@code u32}, {@code f32}, {@code f64}, {@code u8},
   * {@code b8} for structs) and size in bytes.
   */
  record Param(String type, int bytes) {}

  /** One entry point. */
  record Signature(String name, List<Param> params, boolean usesBarrier) {}

  private static final Pattern ENTRY =
      Pattern.compile("(?m)^\\.visible \\.entry ([A-Za-z_][A-Za-z0-9_]*)\\(");
  private static final Pattern PARAM =
      Pattern.compile(
          "\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.([a-z]+)(\\d+)(?:\\s+\\.ptr(?:\\s+\\.[a-z]+)*)?"
              + "(?:\\s+\\.align\\s+\\d+)?\\s+[A-Za-z_][A-Za-z0-9_]*(?:\\[(\\d+)\\])?");

  private final Map<String, Signature> byName;

  private KernelSignatures(Map<String, Signature> byName) {
    this.byName = byName;
  }

  /** Parses PTX text. */
  static KernelSignatures parse(String ptx) {
    Map<String, Signature> m = new LinkedHashMap<>();
    Matcher e = ENTRY.matcher(ptx);
    List<int[]> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (e.find()) {
      starts.add(new int[] {e.start(), e.end()});
      names.add(e.group(1));
    }
    for (int i = 0; i < names.size(); i++) {
      int headerEnd = ptx.indexOf(')', starts.get(i)[1]);
      String header = ptx.substring(starts.get(i)[1], headerEnd);
      int bodyEnd = i + 1 < names.size() ? starts.get(i + 1)[0] : ptx.length();
      String body = ptx.substring(headerEnd, bodyEnd);
      List<Param> params = new ArrayList<>();
      Matcher p = PARAM.matcher(header);
      while (p.find()) {
        String type = p.group(1);
        int bits = Integer.parseInt(p.group(2));
        int bytes = p.group(3) != null ? Integer.parseInt(p.group(3)) * bits / 8 : bits / 8;
        params.add(new Param(type + (p.group(3) != null ? "[]" : bits), bytes));
      }
      boolean barrier = body.contains("bar.sync") || body.contains("barrier.sync");
      m.put(names.get(i), new Signature(names.get(i), List.copyOf(params), barrier));
    }
    return new KernelSignatures(Collections.unmodifiableMap(m));
  }

  /** All entry points, in PTX order. */
  Map<String, Signature> all() {
    return byName;
  }

  /** The signature of {@code name}; throws when the module has no such kernel. */
  Signature get(String name) {
    Signature s = byName.get(name);
    if (s == null) {
      throw new IllegalStateException("jnn's CUDA module has no kernel '" + name + "'");
    }
    return s;
  }

  /** Throws {@link IllegalStateException} when {@code args} do not fit {@code name}'s parameters. */
  void check(String name, KernelArgs args) {
    Signature s = get(name);
    if (s.params().size() != args.size()) {
      throw new IllegalStateException(
          "kernel " + name + " takes " + s.params().size() + " arguments, got " + args.size());
    }
    for (int i = 0; i < args.size(); i++) {
      Param p = s.params().get(i);
      KernelArgs.Kind k = args.kind(i);
      boolean ok =
          switch (k) {
            case PTR, I64 -> p.bytes() == 8 && (p.type().startsWith("u") || p.type().startsWith("s")
                || p.type().startsWith("b"));
            case I32 -> p.bytes() == 4 && !p.type().startsWith("f") && !p.type().endsWith("[]");
            case F32 -> p.type().equals("f32");
            case F64 -> p.type().equals("f64");
            case STRUCT -> p.type().endsWith("[]") && p.bytes() == args.bytes(i);
          };
      if (!ok) {
        throw new IllegalStateException(
            "kernel " + name + " argument " + i + ": the kernel expects ." + p.type() + " ("
                + p.bytes() + " bytes), the call passes " + k + " (" + args.bytes(i) + " bytes)");
      }
    }
  }
}
