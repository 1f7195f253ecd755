package dev.jnn.io;

import dev.jnn.nn.StateDict;
import dev.jnn.tensor.Tensor;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The object a {@code torch.save} file holds, as read by {@link TorchCheckpoint#load(Path)}: either
 * a state dict, or a training checkpoint that wraps one, such as {@code {"model":
 * model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}}.
 *
 * <p>Python values appear as Java values: dict and OrderedDict as an insertion-ordered {@code
 * Map<Object, Object>}, list as a mutable {@code List<Object>}, tuple as an unmodifiable {@code
 * List<Object>}, set as a {@code Set<Object>}, str as {@code String}, int as {@code Long} ({@code
 * BigInteger} beyond 64 bits), float as {@code Double}, bool as {@code Boolean}, None as {@code
 * null}, bytes as {@code byte[]}, tensors as CPU {@link Tensor}s (parameters as {@code Parameter}).
 * A hostile pickle can build containers that contain themselves; do not print or hash values from
 * untrusted files blindly.
 *
 * <p>An optimizer's state ({@link #map(String) map("optimizer")}) has exactly the shape {@code
 * Optimizer.loadStateDict} takes ({@code {"state": {0: {...}}, "param_groups": [...]}}).
 */
public final class Checkpoint {
  /** The keys {@link #stateDict()} looks under when the root is not itself a state dict. */
  public static final List<String> STATE_DICT_KEYS =
      List.of("state_dict", "model_state_dict", "model", "net");

  private final Path path;
  private final Object root;

  Checkpoint(Path path, Object root) {
    this.path = path;
    this.root = root;
  }

  /** The file this was read from. */
  public Path path() {
    return path;
  }

  /** The unpickled object, as described in the class comment. */
  public Object root() {
    return root;
  }

  /** Whether the root is a state dict (a map from strings to tensors). */
  public boolean isStateDict() {
    return isStateDict(root);
  }

  /**
   * The root as a map with string keys (a wrapped checkpoint's top level).
   *
   * @throws IllegalStateException when the root is not a dict with string keys
   */
  public Map<String, Object> asMap() {
    return stringMap(root, "the checkpoint");
  }

  /** The top-level keys, in file order (empty when the root is not a dict). */
  public List<String> keys() {
    return root instanceof Map<?, ?> m ? new ArrayList<>(stringKeys(m)) : List.of();
  }

  /** Whether the root is a dict with {@code key}. */
  public boolean has(String key) {
    return root instanceof Map<?, ?> m && m.containsKey(key);
  }

  /**
   * The value under a top-level key.
   *
   * @throws IllegalStateException when the root is not a dict or has no {@code key}
   */
  public Object get(String key) {
    if (!(root instanceof Map<?, ?> m)) {
      throw new IllegalStateException(
          path + ": the checkpoint is a " + Pickle.typeName(root) + ", not a dict");
    }
    if (!m.containsKey(key)) {
      throw new IllegalStateException(
          path
              + ": the checkpoint has no key '"
              + key
              + "' (keys: "
              + TorchCheckpoint.keysOf(m)
              + ")");
    }
    return m.get(key);
  }

  /**
   * The state dict: the root when it is one, else the first of {@link #STATE_DICT_KEYS} that holds
   * one. PyTorch's per-module {@code _metadata} (versions) comes along in {@link
   * StateDict#metadata()}.
   *
   * @throws IllegalStateException when there is none
   */
  public StateDict stateDict() {
    if (isStateDict(root)) {
      return toStateDict(root, "the checkpoint");
    }
    if (root instanceof Map<?, ?> m) {
      for (String k : STATE_DICT_KEYS) {
        if (isStateDict(m.get(k))) {
          return toStateDict(m.get(k), "'" + k + "'");
        }
      }
      throw new IllegalStateException(
          path
              + ": no state dict found: the checkpoint is a dict with keys "
              + TorchCheckpoint.keysOf(m)
              + " and none of "
              + STATE_DICT_KEYS
              + " holds a map of tensors");
    }
    throw new IllegalStateException(
        path + ": the checkpoint is a " + Pickle.typeName(root) + ", not a state dict");
  }

  /**
   * The state dict under a top-level key.
   *
   * @throws IllegalStateException when the key is absent or its value is not a map of tensors
   */
  public StateDict stateDict(String key) {
    return toStateDict(get(key), "'" + key + "'");
  }

  /**
   * A nested dict under a top-level key, with string keys where the file has strings (an
   * optimizer's {@code state} map keeps its integer keys as {@code Long}).
   *
   * @throws IllegalStateException when the key is absent or its value is not a dict
   */
  public Map<String, Object> map(String key) {
    return stringMap(get(key), "'" + key + "'");
  }

  /** A top-level int as a long ({@code checkpoint["epoch"]}). */
  public long getLong(String key) {
    Object v = get(key);
    if (v instanceof Long l) {
      return l;
    }
    throw wrongType(key, v, "an int that fits in 64 bits");
  }

  /** A top-level float (or int) as a double. */
  public double getDouble(String key) {
    Object v = get(key);
    if (v instanceof Double || v instanceof Long || v instanceof BigInteger) {
      return ((Number) v).doubleValue();
    }
    throw wrongType(key, v, "a float");
  }

  /** A top-level str. */
  public String getString(String key) {
    Object v = get(key);
    if (v instanceof String s) {
      return s;
    }
    throw wrongType(key, v, "a str");
  }

  /** A top-level bool. */
  public boolean getBoolean(String key) {
    Object v = get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(key, v, "a bool");
  }

  private IllegalStateException wrongType(String key, Object v, String wanted) {
    return new IllegalStateException(
        path + ": '" + key + "' is a " + Pickle.typeName(v) + ", not " + wanted);
  }

  private static boolean isStateDict(Object o) {
    if (!(o instanceof Map<?, ?> m)) {
      return false;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Tensor)) {
        return false;
      }
    }
    return true;
  }

  private StateDict toStateDict(Object o, String what) {
    if (!isStateDict(o)) {
      throw new IllegalStateException(
          path + ": " + what + " is a " + Pickle.typeName(o) + ", not a map of tensors");
    }
    StateDict sd = new StateDict();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
      sd.put((String) e.getKey(), (Tensor) e.getValue());
    }
    if (o instanceof PyDict d && d.attributes.get("_metadata") instanceof Map<?, ?> meta) {
      for (Map.Entry<?, ?> e : meta.entrySet()) {
        if (e.getKey() instanceof String k && e.getValue() instanceof Map<?, ?> mm) {
          Map<String, Object> local = new LinkedHashMap<>();
          for (Map.Entry<?, ?> x : mm.entrySet()) {
            local.put(String.valueOf(x.getKey()), x.getValue());
          }
          sd.metadata().put(k, local);
        }
      }
    }
    return sd;
  }

  private Map<String, Object> stringMap(Object o, String what) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new IllegalStateException(
          path + ": " + what + " is a " + Pickle.typeName(o) + ", not a dict");
    }
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalStateException(
            path + ": " + what + " has a key of type " + Pickle.typeName(k) + ", not str");
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) m;
    return Collections.unmodifiableMap(r);
  }

  private List<String> stringKeys(Map<?, ?> m) {
    List<String> l = new ArrayList<>();
    for (Object k : m.keySet()) {
      if (k instanceof String s) {
        l.add(s);
      }
    }
    return l;
  }
}
