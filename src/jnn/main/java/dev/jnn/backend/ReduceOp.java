package dev.jnn.backend;

/** Reductions over trailing groups of elements. */
public enum ReduceOp {
  /** Sum. */
  SUM,
  /** Maximum (NaN propagates). */
  MAX,
  /** Minimum (NaN propagates). */
  MIN,
  /** Index of the first maximum (int64 result). */
  ARGMAX,
  /** Index of the first minimum (int64 result). */
  ARGMIN,
  /** Product. */
  PROD
}
