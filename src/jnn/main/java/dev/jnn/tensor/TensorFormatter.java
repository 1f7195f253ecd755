package dev.jnn.tensor;

import dev.jnn.backend.HostBuffer;
import dev.jnn.core.DType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's tensor repr ({@code torch/_tensor_str.py} of 1.13 with the default print options:
 * precision 4, threshold 1000, edgeitems 3, linewidth 80), for strided CPU/CUDA tensors of the
 * dtypes jnn has. Numbers are rounded from their exact binary value, half to even, as Python's
 * {@code format} does.
 */
final class TensorFormatter {
  private static final int THRESHOLD = 1000;
  private static final int EDGE = 3;
  private static final int PRECISION = 4;
  private static final int LINE_WIDTH = 80;
  private static final String PREFIX = "tensor(";

  private TensorFormatter() {}

  static String format(Tensor t) {
    int indent = PREFIX.length();
    List<String> suffixes = new ArrayList<>();
    if (!t.device().isCpu()) {
      suffixes.add("device='" + t.device() + "'");
    }
    DType dt = t.dtype();
    String body;
    if (t.numel() == 0) {
      // _str_intern: the shape is explicit unless it is (0,); the dtype unless it is the default
      if (t.dim() != 1) {
        suffixes.add("size=" + shapeTuple(t));
      }
      if (dt != DType.FLOAT32) {
        suffixes.add("dtype=" + dt);
      }
      body = "[]";
    } else {
      if (dt != DType.FLOAT32 && dt != DType.INT64 && dt != DType.BOOL) {
        suffixes.add("dtype=" + dt);
      }
      body = tensorStr(t, indent);
    }
    if (t.gradFn() != null) {
      suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
    } else if (t.requiresGrad()) {
      suffixes.add("requires_grad=True");
    }
    return addSuffixes(PREFIX + body, suffixes, indent);
  }

  /** {@code _add_suffixes}: a suffix moves to a new line when it would pass the line width. */
  private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
    StringBuilder sb = new StringBuilder(tensorStr);
    int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
    for (String suffix : suffixes) {
      if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
        sb.append(",\n").append(" ".repeat(indent)).append(suffix);
        lastLineLen = indent + suffix.length();
      } else {
        sb.append(", ").append(suffix);
        lastLineLen += suffix.length() + 2;
      }
    }
    return sb.append(')').toString();
  }

  private static String shapeTuple(Tensor t) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < t.dim(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(t.size(i));
    }
    if (t.dim() == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  /**
   * Element access by storage position without copying a CPU tensor (summarising a huge tensor
   * reads only the printed elements); other devices are downloaded first.
   */
  private static final class Data {
    final long[] dims;
    final long[] strides;
    final long offset;
    final HostBuffer buf;

    Data(Tensor t) {
      dims = t.shape().dims();
      if (t.device().isCpu() && t.storage().buffer() instanceof HostBuffer h) {
        buf = h;
        strides = t.strides();
        offset = t.storageOffset();
      } else {
        buf = t.backend().download(t.view());
        strides = t.shape().contiguousStrides();
        offset = 0;
      }
    }

    double d(long p) {
      return buf.getDouble(Math.toIntExact(p));
    }

    long l(long p) {
      return buf.getLong(Math.toIntExact(p));
    }
  }

  /** Per dim, the indices printed: all, or the first and last EDGE when summarising. */
  private static long[][] shownIndices(long[] dims, boolean summarize) {
    long[][] r = new long[dims.length][];
    for (int k = 0; k < dims.length; k++) {
      long n = dims[k];
      if (summarize && n > 2 * EDGE) {
        long[] idx = new long[2 * EDGE];
        for (int i = 0; i < EDGE; i++) {
          idx[i] = i;
          idx[EDGE + i] = n - EDGE + i;
        }
        r[k] = idx;
      } else {
        r[k] = new long[(int) n];
        for (int i = 0; i < n; i++) {
          r[k][i] = i;
        }
      }
    }
    return r;
  }

  private static String tensorStr(Tensor t, int indent) {
    boolean summarize = t.numel() > THRESHOLD;
    Data data = new Data(t);
    long[][] shown = shownIndices(data.dims, summarize);
    Fmt fmt = new Fmt(t.dtype(), data, shown);
    StringBuilder sb = new StringBuilder();
    recurse(sb, data, fmt, 0, data.offset, indent, summarize);
    return sb.toString();
  }

  /**
   * {@code _tensor_str_with_formatter} for the sub-tensor at {@code dim} starting at {@code base}.
   */
  private static void recurse(
      StringBuilder sb, Data data, Fmt fmt, int dim, long base, int indent, boolean summarize) {
    int rank = data.dims.length;
    if (rank == 0) {
      sb.append(fmt.format(data, data.offset));
      return;
    }
    long n = data.dims[dim];
    long stride = data.strides[dim];
    boolean cut = summarize && n > 2 * EDGE;
    if (dim == rank - 1) {
      // _vector_str
      int elementLength = fmt.width + 2;
      int perLine = Math.max(1, (LINE_WIDTH - indent) / elementLength);
      List<String> items = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        if (cut && i == EDGE) {
          items.add(" ...");
          i = n - EDGE - 1;
          continue;
        }
        items.add(fmt.format(data, base + i * stride));
      }
      sb.append('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          if (i % perLine == 0) {
            sb.append(",\n").append(" ".repeat(indent + 1));
          } else {
            sb.append(", ");
          }
        }
        sb.append(items.get(i));
      }
      sb.append(']');
      return;
    }
    String sep = "," + "\n".repeat(rank - dim - 1) + " ".repeat(indent + 1);
    sb.append('[');
    for (long i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(sep);
      }
      if (cut && i == EDGE) {
        sb.append("...").append(sep);
        i = n - EDGE;
      }
      recurse(sb, data, fmt, dim + 1, base + i * stride, indent + 1, summarize);
    }
    sb.append(']');
  }

  /** PyTorch's {@code _Formatter}: one number style and width for all printed elements. */
  private static final class Fmt {
    final DType dtype;
    boolean intMode = true;
    boolean sciMode;
    int width = 1;

    Fmt(DType dtype, Data data, long[][] shown) {
      this.dtype = dtype;
      List<Long> positions = new ArrayList<>();
      collect(data, shown, 0, data.offset, positions);
      if (!dtype.isFloatingPoint()) {
        for (long p : positions) {
          width = Math.max(width, format(data, p).length());
        }
        return;
      }
      List<Double> vals = new ArrayList<>();
      for (long p : positions) {
        double v = data.d(p);
        if (Double.isFinite(v) && v != 0) {
          vals.add(v);
        }
      }
      if (vals.isEmpty()) {
        return;
      }
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      for (double v : vals) {
        min = Math.min(min, Math.abs(v));
        max = Math.max(max, Math.abs(v));
        if (v != Math.ceil(v)) {
          intMode = false;
        }
      }
      if (intMode) {
        if (max / min > 1000.0 || max > 1.0e8) {
          sciMode = true;
          for (double v : vals) {
            width = Math.max(width, sci(v).length());
          }
        } else {
          for (double v : vals) {
            width = Math.max(width, fixed(v, 0).length() + 1);
          }
        }
      } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
        sciMode = true;
        for (double v : vals) {
          width = Math.max(width, sci(v).length());
        }
      } else {
        for (double v : vals) {
          width = Math.max(width, fixed(v, PRECISION).length());
        }
      }
    }

    private static void collect(Data data, long[][] shown, int dim, long base, List<Long> out) {
      if (dim == data.dims.length) {
        out.add(base);
        return;
      }
      for (long i : shown[dim]) {
        collect(data, shown, dim + 1, base + i * data.strides[dim], out);
      }
    }

    /** {@code _Formatter.format}: the element at storage position {@code p}, right-aligned. */
    String format(Data data, long p) {
      String s;
      if (dtype == DType.INT64) {
        s = Long.toString(data.l(p));
      } else if (dtype == DType.BOOL) {
        s = data.d(p) != 0 ? "True" : "False";
      } else {
        double v = data.d(p);
        if (sciMode) {
          s = sci(v);
        } else if (intMode) {
          s = fixed(v, 0);
          if (Double.isFinite(v)) {
            s += ".";
          }
        } else {
          s = fixed(v, PRECISION);
        }
      }
      return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
  }

  private static String nonFinite(double v) {
    return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  }

  private static boolean negative(double v) {
    return v < 0 || (v == 0 && 1.0 / v < 0);
  }

  /** Python's {@code "{:.Nf}".format(v)}. */
  static String fixed(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return nonFinite(v);
    }
    String s =
        new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    return negative(v) ? "-" + s : s;
  }

  /** Python's {@code "{:.4e}".format(v)}: mantissa with 4 decimals, exponent of 2+ digits. */
  static String sci(double v) {
    if (!Double.isFinite(v)) {
      return nonFinite(v);
    }
    String sign = negative(v) ? "-" : "";
    double a = Math.abs(v);
    if (a == 0) {
      return sign + "0." + "0".repeat(PRECISION) + "e+00";
    }
    BigDecimal r = new BigDecimal(a).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
    // r = unscaled * 10^-scale, unscaled has PRECISION + 1 digits (or fewer, e.g. 1E+3)
    String digits = r.unscaledValue().toString();
    int exp = digits.length() - 1 - r.scale();
    digits = (digits + "0".repeat(PRECISION + 1)).substring(0, PRECISION + 1);
    String e = Integer.toString(Math.abs(exp));
    return sign
        + digits.charAt(0)
        + "."
        + digits.substring(1)
        + "e"
        + (exp < 0 ? "-" : "+")
        + (e.length() < 2 ? "0" + e : e);
  }
}
