package dev.jnn.nn.functional;

import java.util.Locale;

/** How a loss reduces its per-element values ({@code reduction=} in PyTorch). */
public enum Reduction {
  /** No reduction: the loss has one value per element ({@code 'none'}). */
  NONE,
  /** The (weighted) mean of the elements ({@code 'mean'}, PyTorch's default). */
  MEAN,
  /** The sum of the elements ({@code 'sum'}). */
  SUM,
  /**
   * The sum divided by the batch size ({@code 'batchmean'}): {@code kl_div} and {@code
   * KLDivLoss} only, as in PyTorch; every other loss refuses it with {@code "batchmean is not a
   * valid value for reduction"} (or, for the losses PyTorch writes in Python, {@code "batchmean is
   * not valid"}).
   */
  BATCHMEAN;

  /**
   * Parses PyTorch's string form: {@code "none"}, {@code "mean"}, {@code "sum"} or {@code
   * "batchmean"}.
   *
   * @throws IllegalArgumentException {@code "foo is not a valid value for reduction"}
   */
  public static Reduction fromString(String s) {
    if (s != null) {
      switch (s) {
        case "none":
          return NONE;
        case "mean":
          return MEAN;
        case "sum":
          return SUM;
        case "batchmean":
          return BATCHMEAN;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(s + " is not a valid value for reduction");
  }

  /** PyTorch's string form, e.g. {@code "mean"}. */
  public String pyName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
