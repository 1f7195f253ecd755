package dev.jnn.testing;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of golden fixture files produced by PyTorch through {@code scripts/golden/*.py} (format
 * documented in {@code scripts/golden/goldenio.py}); resources under {@code /golden/}.
 */
public final class Golden {
  /** One case of a fixture file. */
  public static final class Case {
    private final String name;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> attrs = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    Case(String name) {
      this.name = name;
    }

    /** The case name. */
    public String name() {
      return name;
    }

    /** A tensor by key; throws if absent. */
    public Tensor tensor(String key) {
      Tensor t = tensors.get(key);
      if (t == null) {
        throw new IllegalArgumentException("golden case " + name + " has no tensor '" + key + "'");
      }
      return t;
    }

    /** Whether a tensor key exists. */
    public boolean has(String key) {
      return tensors.containsKey(key);
    }

    /** All tensors in file order. */
    public Map<String, Tensor> tensors() {
      return tensors;
    }

    /** An attribute's raw text; throws if absent. */
    public String attr(String key) {
      String v = attrs.get(key);
      if (v == null) {
        throw new IllegalArgumentException("golden case " + name + " has no attr '" + key + "'");
      }
      return v;
    }

    /** An attribute or a default. */
    public String attr(String key, String dflt) {
      return attrs.getOrDefault(key, dflt);
    }

    /** Attribute as int. */
    public int intAttr(String key) {
      return Integer.parseInt(attr(key).trim());
    }

    /** Attribute as double. */
    public double doubleAttr(String key) {
      return parseDouble(attr(key).trim());
    }

    /** Attribute as int list (space separated). */
    public int[] intsAttr(String key) {
      String v = attr(key).trim();
      if (v.isEmpty()) {
        return new int[0];
      }
      String[] p = v.split("\\s+");
      int[] r = new int[p.length];
      for (int i = 0; i < p.length; i++) {
        r[i] = Integer.parseInt(p[i]);
      }
      return r;
    }

    /** A text entry (decoded). */
    public String text(String key) {
      String v = texts.get(key);
      if (v == null) {
        throw new IllegalArgumentException("golden case " + name + " has no text '" + key + "'");
      }
      return v;
    }

    /** The text keys in file order. */
    public List<String> textKeys() {
      return List.copyOf(texts.keySet());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Golden() {}

  /** Loads {@code /golden/<file>} from the test class path. */
  public static List<Case> load(String file) {
    String res = "/golden/" + file;
    try (InputStream in = Golden.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalArgumentException("missing golden resource " + res + " (run scripts/golden/*.py)");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads the file and returns its cases by name. */
  public static Map<String, Case> loadByName(String file) {
    Map<String, Case> m = new LinkedHashMap<>();
    for (Case c : load(file)) {
      m.put(c.name(), c);
    }
    return m;
  }

  static List<Case> parse(String text) {
    List<Case> out = new ArrayList<>();
    Case cur = null;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("case ")) {
        cur = new Case(line.substring(5).trim());
      } else if (line.equals("end")) {
        out.add(cur);
        cur = null;
      } else if (line.startsWith("attr ")) {
        String rest = line.substring(5);
        int sp = rest.indexOf(' ');
        cur.attrs.put(sp < 0 ? rest : rest.substring(0, sp), sp < 0 ? "" : rest.substring(sp + 1));
      } else if (line.startsWith("text ")) {
        String rest = line.substring(5);
        int sp = rest.indexOf(' ');
        cur.texts.put(rest.substring(0, sp), Json.decodeString(rest.substring(sp + 1).trim()));
      } else if (line.startsWith("tensor ")) {
        String[] p = line.split(" ");
        String key = p[1];
        DType dt = DType.valueOf(p[2].toUpperCase());
        long[] dims;
        if (p[3].equals("scalar")) {
          dims = new long[0];
        } else {
          String[] ds = p[3].split(",");
          dims = new long[ds.length];
          for (int i = 0; i < ds.length; i++) {
            dims[i] = Long.parseLong(ds[i]);
          }
        }
        int n = p.length - 4;
        Tensor t;
        switch (dt) {
          case FLOAT32 -> {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
              v[i] = (float) parseDouble(p[4 + i]);
            }
            t = Tensor.fromArray(v, dims.length == 0 ? new long[] {1} : dims);
          }
          case FLOAT64 -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
              v[i] = parseDouble(p[4 + i]);
            }
            t = Tensor.fromArray(v, dims.length == 0 ? new long[] {1} : dims);
          }
          case INT64 -> {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
              v[i] = Long.parseLong(p[4 + i]);
            }
            t = Tensor.fromArray(v, dims.length == 0 ? new long[] {1} : dims);
          }
          default -> {
            boolean[] v = new boolean[n];
            for (int i = 0; i < n; i++) {
              v[i] = p[4 + i].equals("1");
            }
            t = Tensor.fromArray(v, dims.length == 0 ? new long[] {1} : dims);
          }
        }
        if (dims.length == 0) {
          t = t.reshape();
        }
        cur.tensors.put(key, t);
      } else {
        throw new IllegalArgumentException("bad golden line: " + line);
      }
    }
    return out;
  }

  private static double parseDouble(String s) {
    return switch (s) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /** Minimal JSON string decoding (what Python's json.dumps writes for a str). */
  static final class Json {
    private Json() {}

    static String decodeString(String s) {
      if (!s.startsWith("\"") || !s.endsWith("\"")) {
        throw new IllegalArgumentException("not a JSON string: " + s);
      }
      StringBuilder b = new StringBuilder();
      for (int i = 1; i < s.length() - 1; i++) {
        char c = s.charAt(i);
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(++i);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      }
      return b.toString();
    }
  }
}
