package dev.jnn.ops;

import java.util.List;
import java.util.Map;

/** A small deterministic JSON writer for the registry file (read by Python's json module). */
final class JsonOut {
  private JsonOut() {}

  static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v);
    return b.toString();
  }

  static void write(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      b.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          default -> {
            if (c < 0x20 || c > 0x7e) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      b.append('"');
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      b.append(v);
    } else if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON has no " + d);
      }
      b.append(d); // Double.toString: round-trip exact, always with '.' or 'E' (a float in Python)
    } else if (v instanceof int[] a) {
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        b.append(i == 0 ? "" : ", ").append(a[i]);
      }
      b.append(']');
    } else if (v instanceof long[] a) {
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        b.append(i == 0 ? "" : ", ").append(a[i]);
      }
      b.append(']');
    } else if (v instanceof double[] a) {
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        b.append(i == 0 ? "" : ", ");
        write(b, a[i]);
      }
      b.append(']');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "" : ", ");
        write(b, l.get(i));
      }
      b.append(']');
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (var e : m.entrySet()) {
        b.append(first ? "" : ", ");
        first = false;
        write(b, e.getKey().toString());
        b.append(": ");
        write(b, e.getValue());
      }
      b.append('}');
    } else {
      throw new IllegalArgumentException("not JSON: " + v.getClass());
    }
  }
}
