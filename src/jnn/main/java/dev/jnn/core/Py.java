package dev.jnn.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's text for the values that appear in PyTorch's {@code extra_repr()}: floats as {@code
 * repr(float)} ({@code 1e-05}, {@code 0.1}), booleans as {@code True}/{@code False}, tuples as
 * {@code (5, 5)} / {@code (4,)}, strings as {@code 'none'}. Public for the other packages that
 * print PyTorch reprs (layers, optimizers); not part of the modelling API.
 */
public final class Py {
  private Py() {}

  /**
   * {@code repr(float)}: the shortest decimal that reads back as {@code d}, in fixed notation when
   * the decimal exponent is in {@code [-4, 16)}, else scientific with a signed two-digit exponent.
   */
  public static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0.0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0.0" : "0.0";
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal exact = new BigDecimal(Math.abs(d));
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      // the nearest p-digit decimal round-trips whenever any p-digit decimal does
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == Math.abs(d)) {
        shortest = r;
        break;
      }
    }
    String digits = shortest.unscaledValue().toString();
    int trailing = 0;
    while (trailing < digits.length() - 1 && digits.charAt(digits.length() - 1 - trailing) == '0') {
      trailing++;
    }
    digits = digits.substring(0, digits.length() - trailing);
    // value = 0.<digits> * 10^decpt
    int decpt = digits.length() - shortest.scale() + trailing;
    StringBuilder b = new StringBuilder(sign);
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        b.append("0.").append("0".repeat(-decpt)).append(digits);
      } else if (decpt < digits.length()) {
        b.append(digits, 0, decpt).append('.').append(digits.substring(decpt));
      } else {
        b.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
      }
    } else {
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits.substring(1));
      }
      int exp = decpt - 1;
      b.append('e').append(exp < 0 ? '-' : '+');
      String e = Integer.toString(Math.abs(exp));
      b.append(e.length() < 2 ? "0" + e : e);
    }
    return b.toString();
  }

  /** {@code True} / {@code False}. */
  public static String bool(boolean b) {
    return b ? "True" : "False";
  }

  /** A Python tuple of ints: {@code (5, 5)}, {@code (4,)}, {@code ()}. */
  public static String tuple(long... v) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(v[i]);
    }
    if (v.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  /** A Python tuple of ints. */
  public static String tuple(int... v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      l[i] = v[i];
    }
    return tuple(l);
  }

  /** {@code repr(str)} for simple strings: single-quoted. */
  public static String str(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
