package dev.jnn.core;

import java.util.Objects;

/** A device tag: {@code cpu} or {@code cuda:N}, as PyTorch prints and parses them. */
public final class Device {
  /** The kind of a device. */
  public enum Type {
    /** Host memory, the pure-Java back end. */
    CPU,
    /** An NVIDIA GPU through JCuda. */
    CUDA
  }

  /** The host. */
  public static final Device CPU = new Device(Type.CPU, -1);

  private final Type type;
  private final int index;

  private Device(Type type, int index) {
    this.type = type;
    this.index = index;
  }

  /** {@code cuda:0}. */
  public static Device cuda() {
    return cuda(0);
  }

  /** {@code cuda:index}. */
  public static Device cuda(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("Device index must not be negative, got " + index);
    }
    return new Device(Type.CUDA, index);
  }

  /**
   * Parses {@code "cpu"}, {@code "cuda"} (= {@code cuda:0}) or {@code "cuda:N"}, like {@code
   * torch.device(str)}.
   */
  public static Device parse(String s) {
    Objects.requireNonNull(s, "device string");
    String t = s.trim();
    if (t.equals("cpu")) {
      return CPU;
    }
    if (t.equals("cuda")) {
      return cuda(0);
    }
    if (t.startsWith("cuda:")) {
      try {
        return cuda(Integer.parseInt(t.substring(5)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Invalid device string: '" + s + "'");
      }
    }
    throw new IllegalArgumentException(
        "Expected one of cpu, cuda device type at start of device string: " + s);
  }

  /** The kind. */
  public Type type() {
    return type;
  }

  /** The ordinal for CUDA devices, -1 for the CPU. */
  public int index() {
    return index;
  }

  /** True for the host. */
  public boolean isCpu() {
    return type == Type.CPU;
  }

  /** True for a GPU. */
  public boolean isCuda() {
    return type == Type.CUDA;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Device d && d.type == type && d.index == index;
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + index;
  }

  /** {@code "cpu"} or {@code "cuda:N"}. */
  @Override
  public String toString() {
    return type == Type.CPU ? "cpu" : "cuda:" + index;
  }
}
