package dev.jnn.core;

/** Thrown when shapes are incompatible for an op (PyTorch raises {@code RuntimeError}). */
public class ShapeMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the op and the shapes. */
  public ShapeMismatchException(String message) {
    super(message);
  }
}
