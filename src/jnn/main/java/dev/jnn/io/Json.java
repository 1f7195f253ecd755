package dev.jnn.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON reader and writer behind safetensors headers and checkpoint metadata (RFC 8259).
 * Objects become insertion-ordered {@code LinkedHashMap<String, Object>} (duplicate keys are an
 * error), arrays {@code ArrayList<Object>}, integers {@code Long} (an integer beyond 64 bits is an
 * error), other numbers {@code Double}, plus {@code String}, {@code Boolean} and {@code null}.
 * Nesting is limited, so a hostile header cannot exhaust the stack.
 */
final class Json {
  /** A syntax error, with the character offset where it was found. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message, int offset) {
      super(message + " at character " + offset);
    }
  }

  private final String s;
  private final int maxDepth;
  private int pos;

  private Json(String s, int maxDepth) {
    this.s = s;
    this.maxDepth = maxDepth;
  }

  /** Parses one JSON value (surrounding whitespace allowed, nothing else after it). */
  static Object parse(String text, int maxDepth) throws SyntaxException {
    Json p = new Json(text, maxDepth);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw new SyntaxException("unexpected text after the JSON value", p.pos);
    }
    return v;
  }

  private Object value(int depth) throws SyntaxException {
    if (pos >= s.length()) {
      throw new SyntaxException("unexpected end of JSON", pos);
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new SyntaxException("unexpected character '" + printable(c) + "'", pos);
    }
  }

  private Map<String, Object> object(int depth) throws SyntaxException {
    if (depth > maxDepth) {
      throw new SyntaxException("JSON nested deeper than " + maxDepth + " levels", pos);
    }
    pos++; // {
    Map<String, Object> m = new LinkedHashMap<>();
    skipWs();
    if (peek() == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipWs();
      if (peek() != '"') {
        throw new SyntaxException("expected a string key", pos);
      }
      int keyAt = pos;
      String k = string();
      skipWs();
      expect(':');
      skipWs();
      Object v = value(depth);
      if (m.containsKey(k)) {
        throw new SyntaxException("duplicate key \"" + k + "\"", keyAt);
      }
      m.put(k, v);
      skipWs();
      char c = peek();
      pos++;
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw new SyntaxException("expected ',' or '}'", pos - 1);
      }
    }
  }

  private List<Object> array(int depth) throws SyntaxException {
    if (depth > maxDepth) {
      throw new SyntaxException("JSON nested deeper than " + maxDepth + " levels", pos);
    }
    pos++; // [
    List<Object> a = new ArrayList<>();
    skipWs();
    if (peek() == ']') {
      pos++;
      return a;
    }
    while (true) {
      skipWs();
      a.add(value(depth));
      skipWs();
      char c = peek();
      pos++;
      if (c == ']') {
        return a;
      }
      if (c != ',') {
        throw new SyntaxException("expected ',' or ']'", pos - 1);
      }
    }
  }

  private String string() throws SyntaxException {
    pos++; // "
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw new SyntaxException("unterminated string", pos);
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw new SyntaxException("control character in string", pos - 1);
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= s.length()) {
        throw new SyntaxException("unterminated string", pos);
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"' -> b.append('"');
        case '\\' -> b.append('\\');
        case '/' -> b.append('/');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw new SyntaxException("bad \\u escape", pos);
          }
          int v = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0) {
              throw new SyntaxException("bad \\u escape", pos);
            }
            v = v * 16 + d;
          }
          pos += 4;
          b.append((char) v);
        }
        default -> throw new SyntaxException("bad escape '\\" + printable(e) + "'", pos - 1);
      }
    }
  }

  private Object number() throws SyntaxException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw new SyntaxException("bad number", start);
    }
    boolean integral = true;
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) {
        throw new SyntaxException("bad number", start);
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw new SyntaxException("bad number", start);
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    String t = s.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException ex) {
        throw new SyntaxException("integer " + abbreviate(t) + " does not fit in 64 bits", start);
      }
    }
    return Double.parseDouble(t);
  }

  private void literal(String word) throws SyntaxException {
    if (!s.startsWith(word, pos)) {
      throw new SyntaxException("unexpected character '" + printable(s.charAt(pos)) + "'", pos);
    }
    pos += word.length();
  }

  private void expect(char c) throws SyntaxException {
    if (peek() != c) {
      throw new SyntaxException("expected '" + c + "'", pos);
    }
    pos++;
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }

  private static String abbreviate(String t) {
    return t.length() <= 40 ? t : t.substring(0, 37) + "...";
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes a value made of maps (keys written with {@code String.valueOf}), lists, strings,
   * numbers, booleans and null. Doubles are written so they read back as doubles ({@code 1.0});
   * non-finite doubles are refused (JSON has no NaN), callers encode them first.
   */
  static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(v, b, 0);
    return b.toString();
  }

  private static void write(Object v, StringBuilder b, int depth) {
    if (depth > 64) {
      throw new IllegalArgumentException("value nested deeper than 64 levels (a cycle?)");
    }
    if (v == null) {
      b.append("null");
    } else if (v instanceof String str) {
      quote(str, b);
    } else if (v instanceof Boolean bo) {
      b.append(bo.booleanValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON cannot hold " + d);
      }
      b.append(Double.toString(d));
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      b.append(((Number) v).longValue());
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        quote(String.valueOf(e.getKey()), b);
        b.append(':');
        write(e.getValue(), b, depth + 1);
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(l.get(i), b, depth + 1);
      }
      b.append(']');
    } else {
      throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  static void quote(String str, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < str.length(); i++) {
      char c = str.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
