package dev.jnn.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Python dict or {@code collections.OrderedDict} read from a pickle: an insertion-ordered map,
 * plus the instance attributes a BUILD opcode set on it (PyTorch pickles a state dict as an
 * OrderedDict whose {@code _metadata} attribute holds the per-module versions).
 */
final class PyDict extends LinkedHashMap<Object, Object> {
  private static final long serialVersionUID = 1L;

  /** Instance attributes ({@code obj.__dict__}), e.g. {@code _metadata}. */
  final Map<String, Object> attributes = new LinkedHashMap<>();
}
