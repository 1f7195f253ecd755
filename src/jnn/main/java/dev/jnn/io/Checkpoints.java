package dev.jnn.io;

import dev.jnn.nn.Module;
import dev.jnn.nn.StateDict;
import dev.jnn.optim.Optimizer;
import dev.jnn.optim.ParamGroup;
import dev.jnn.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saving and loading a module (and optionally its optimizer) to one file: jnn's {@code
 * Module.save(path)} / {@code Module.load(path)}.
 *
 * <p><b>Format.</b> A plain safetensors file, so PyTorch (or anything that reads safetensors) can
 * load it: the module's state dict under its PyTorch keys ({@code "conv1.weight"}, in state-dict
 * order), plus, when an optimizer is saved, its tensors under {@code "__optimizer__.<path>"} keys
 * ({@code "__optimizer__.state.0.momentum_buffer"}). The {@code __metadata__} block holds:
 *
 * <ul>
 *   <li>{@code format}: {@code "pt"} (the convention for torch tensors), {@code jnn.format}:
 *       {@value #FORMAT};
 *   <li>{@code jnn.module}: the module's type name; {@code jnn.state_dict_metadata}: the state
 *       dict's per-module metadata (versions) as JSON;
 *   <li>with an optimizer: {@code jnn.optimizer} (its {@code stateDict()} as JSON, each tensor
 *       replaced by {@code {"$tensor": key}}, non-finite floats by {@code {"$float": "nan"}}),
 *       {@code jnn.optimizer_keys} (a JSON list of its tensor keys) and {@code
 *       jnn.optimizer_class};
 *   <li>{@code jnn.crc32}: the CRC-32 of every tensor's bytes ({@link SafeTensors#CHECKSUM_KEY});
 *       {@link #load} checks every tensor against it, so a corrupted byte in the data is a {@link
 *       FileFormatException} naming the tensor, never silently wrong weights;
 *   <li>the caller's own entries (for example {@code epoch}); they may not use the {@code jnn.}
 *       prefix or the key {@code format}.
 * </ul>
 *
 * <p><b>Atomic.</b> The file is written to a temporary file in the same directory, forced to disk
 * and renamed over the target, so a crash leaves the old checkpoint or the new one. Loading reads
 * and validates the whole file before touching the module; the module's {@code loadStateDict} is
 * itself atomic; the optimizer is loaded first and restored if the module then refuses the state. A
 * load that throws leaves the module as it was.
 *
 * <p><b>Other files.</b> {@link #load(Module, Path)} also takes plain safetensors files and {@code
 * torch.save} files ({@code .pt}/{@code .pth}: a state dict, or a wrapped checkpoint whose state
 * dict is under one of {@link Checkpoint#STATE_DICT_KEYS} and whose optimizer state is under {@code
 * "optimizer"}); the format is recognised by its first bytes.
 *
 * <pre>{@code
 * Checkpoints.save(model, optimizer, Map.of("epoch", "3"), Path.of("run/ckpt.safetensors"));
 * Map<String, String> meta = Checkpoints.load(model, optimizer, Path.of("run/ckpt.safetensors"));
 * }</pre>
 */
public final class Checkpoints {
  /** The value of {@code jnn.format} in files written by {@link #save}. */
  public static final String FORMAT = "jnn-checkpoint/1";

  /** The key prefix of the optimizer's tensors. */
  public static final String OPTIMIZER_PREFIX = "__optimizer__.";

  private Checkpoints() {}

  /** Saves the module's state dict; see the class comment. */
  public static void save(Module module, Path path) throws IOException {
    save(module, null, Map.of(), path);
  }

  /** Saves the module's state dict and the optimizer's state; see the class comment. */
  public static void save(Module module, Optimizer optimizer, Path path) throws IOException {
    save(module, optimizer, Map.of(), path);
  }

  /**
   * Saves the module's state dict, the optimizer's state (when not null) and the caller's metadata,
   * atomically; see the class comment.
   *
   * @throws IllegalArgumentException when a metadata key is reserved or the optimizer state holds a
   *     value JSON cannot represent
   */
  public static void save(
      Module module, Optimizer optimizer, Map<String, String> metadata, Path path)
      throws IOException {
    StateDict sd = module.stateDict();
    Map<String, Tensor> tensors = new LinkedHashMap<>(sd);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.put("jnn.format", FORMAT);
    meta.put("jnn.module", module.typeName());
    meta.put("jnn.state_dict_metadata", Json.write(jsonSafe(sd.metadata())));
    if (optimizer != null) {
      List<String> keys = new ArrayList<>();
      Object osd = encode(optimizer.stateDict(), "", tensors, keys);
      meta.put("jnn.optimizer", Json.write(osd));
      meta.put("jnn.optimizer_keys", Json.write(keys));
      meta.put("jnn.optimizer_class", optimizer.getClass().getName());
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().startsWith("jnn.") || e.getKey().equals("format")) {
        throw new IllegalArgumentException(
            "metadata key '" + e.getKey() + "' is reserved (jnn.* and format)");
      }
      meta.put(e.getKey(), e.getValue());
    }
    SafeTensors.save(tensors, meta, path);
  }

  /**
   * Loads a module's state (strict) from a jnn checkpoint, a safetensors file or a {@code
   * torch.save} file, and returns the file's metadata (the safetensors {@code __metadata__}, or for
   * a {@code torch.save} file its top-level plain values as text).
   *
   * @throws FileFormatException when the file is unreadable (the module is untouched)
   * @throws dev.jnn.nn.StateDictException when the state does not fit the module (untouched)
   */
  public static Map<String, String> load(Module module, Path path) throws IOException {
    return load(module, null, path);
  }

  /**
   * Loads a module's state (strict) and, when {@code optimizer} is not null, the optimizer's state
   * from the same file; returns the file's metadata as {@link #load(Module, Path)} does. Either
   * both are loaded or neither changes.
   *
   * @throws FileFormatException when the file is unreadable or has no optimizer state although one
   *     was asked for
   * @throws dev.jnn.nn.StateDictException when the state does not fit the module
   * @throws IllegalArgumentException when the optimizer state does not fit the optimizer
   */
  public static Map<String, String> load(Module module, Optimizer optimizer, Path path)
      throws IOException {
    Loaded l = read(path, optimizer != null);
    if (optimizer == null) {
      module.loadStateDict(l.stateDict, true);
      return l.metadata;
    }
    // the optimizer first: its loadStateDict validates everything before it changes anything and
    // replaces (does not overwrite) its state tensors, so the old state kept here is intact and
    // can be put back exactly if the module then refuses its state (module loads are atomic too)
    Map<String, Object> before = optimizer.stateDict();
    List<Map<String, Object>> optionsBefore = new ArrayList<>();
    for (ParamGroup g : optimizer.paramGroups()) {
      optionsBefore.add(new LinkedHashMap<>(g.options()));
    }
    try {
      optimizer.loadStateDict(l.optimizer);
    } catch (ClassCastException | NullPointerException e) {
      restore(optimizer, before, optionsBefore, e);
      throw new FileFormatException(path, "malformed optimizer state: " + e, e);
    } catch (RuntimeException e) {
      restore(optimizer, before, optionsBefore, e);
      throw e;
    }
    try {
      module.loadStateDict(l.stateDict, true);
    } catch (RuntimeException e) {
      restore(optimizer, before, optionsBefore, e);
      throw e;
    }
    return l.metadata;
  }

  /** Puts an optimizer's state and every group's options back as they were before a load. */
  private static void restore(
      Optimizer optimizer,
      Map<String, Object> state,
      List<Map<String, Object>> options,
      RuntimeException failure) {
    try {
      optimizer.loadStateDict(state);
      List<ParamGroup> groups = optimizer.paramGroups();
      for (int i = 0; i < groups.size(); i++) {
        groups.get(i).options().clear();
        groups.get(i).options().putAll(options.get(i));
      }
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Reads the model state dict of any supported file (a jnn checkpoint without its optimizer
   * tensors, a safetensors file, or a {@code torch.save} file) without loading it anywhere.
   */
  public static StateDict readStateDict(Path path) throws IOException {
    return read(path, false).stateDict;
  }

  /** What a file holds. */
  private record Loaded(
      StateDict stateDict, Map<String, Object> optimizer, Map<String, String> metadata) {}

  private static Loaded read(Path path, boolean wantOptimizer) throws IOException {
    return isTorchSave(path)
        ? readTorch(path, wantOptimizer)
        : readSafeTensors(path, wantOptimizer);
  }

  /**
   * Whether a file is a {@code torch.save} file (zip magic, or the legacy pickle; for a file that
   * is neither, a {@code .pt}/{@code .pth}/{@code .ckpt} name) rather than safetensors. A safetensors file starts with its header length and then {@code '{'}; checking
   * that first keeps a header whose length happens to begin with the bytes "PK" a safetensors
   * file.
   */
  static boolean isTorchSave(Path path) throws IOException {
    byte[] head = new byte[9];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, 9);
    }
    if (n == 9 && head[8] == '{') {
      long len = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
      if (len >= 2 && len <= Files.size(path) - 8) {
        return false;
      }
    }
    boolean zip = n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    boolean legacy = n >= 2 && head[0] == (byte) 0x80 && head[1] == 2;
    String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    boolean torchName = name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ckpt");
    return zip || legacy || torchName; // neither: the name decides whose error message is clearer
  }

  private static Loaded readTorch(Path path, boolean wantOptimizer) throws IOException {
    Checkpoint c = TorchCheckpoint.load(path);
    StateDict sd;
    Map<String, Object> opt = null;
    try {
      sd = c.stateDict();
      if (wantOptimizer) {
        if (!c.has("optimizer")) {
          throw new FileFormatException(
              path,
              "no optimizer state: the checkpoint has no 'optimizer' key (keys: " + c.keys() + ")");
        }
        opt = c.map("optimizer");
      }
    } catch (IllegalStateException e) {
      throw new FileFormatException(path, TorchCheckpoint.withoutPath(path, e.getMessage()), e);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    if (c.root() instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object v = e.getValue();
        if (e.getKey() instanceof String k
            && (v instanceof String
                || v instanceof Long
                || v instanceof BigInteger
                || v instanceof Double
                || v instanceof Boolean)) {
          meta.put(k, String.valueOf(v));
        }
      }
    }
    return new Loaded(sd, opt, Collections.unmodifiableMap(meta));
  }

  private static Loaded readSafeTensors(Path path, boolean wantOptimizer) throws IOException {
    try (SafeTensorsFile f = SafeTensorsFile.open(path)) {
      Map<String, String> meta = f.metadata();
      Set<String> optKeys = new HashSet<>();
      Object optJson = null;
      try {
        if (meta.containsKey("jnn.optimizer_keys")) {
          for (Object k : (List<?>) Json.parse(meta.get("jnn.optimizer_keys"), 4)) {
            optKeys.add((String) k);
          }
        }
        if (wantOptimizer) {
          if (!meta.containsKey("jnn.optimizer")) {
            throw new FileFormatException(
                path,
                "no optimizer state (no jnn.optimizer metadata): saved without an optimizer?");
          }
          optJson = Json.parse(meta.get("jnn.optimizer"), 64);
        }
      } catch (Json.SyntaxException | ClassCastException e) {
        throw new FileFormatException(path, "bad jnn optimizer metadata: " + e.getMessage(), e);
      }
      StateDict sd = new StateDict();
      Map<String, Tensor> opt = new LinkedHashMap<>();
      for (String k : f.keys()) {
        if (optKeys.contains(k)) {
          if (wantOptimizer) {
            opt.put(k, f.tensor(k));
          }
        } else {
          sd.put(k, f.tensor(k));
        }
      }
      if (meta.containsKey("jnn.state_dict_metadata")) {
        try {
          Object m = Json.parse(meta.get("jnn.state_dict_metadata"), 8);
          for (Map.Entry<?, ?> e : ((Map<?, ?>) m).entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> local = new LinkedHashMap<>((Map<String, Object>) e.getValue());
            sd.metadata().put((String) e.getKey(), local);
          }
        } catch (Json.SyntaxException | ClassCastException | NullPointerException e) {
          throw new FileFormatException(path, "bad jnn.state_dict_metadata: " + e.getMessage(), e);
        }
      }
      Map<String, Object> optimizer = null;
      if (wantOptimizer) {
        Object decoded = decode(path, optJson, opt);
        if (!(decoded instanceof Map<?, ?>)) {
          throw new FileFormatException(path, "jnn.optimizer is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> om = (Map<String, Object>) decoded;
        if (om.get("state") instanceof Map<?, ?> st) {
          Map<Object, Object> byIndex = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : st.entrySet()) {
            Object k = e.getKey();
            try {
              k = Integer.valueOf((String) k);
            } catch (NumberFormatException ex) {
              // keep non-numeric keys as they are
            }
            byIndex.put(k, e.getValue());
          }
          om.put("state", byIndex);
        }
        optimizer = om;
      }
      return new Loaded(sd, optimizer, meta);
    }
  }

  // ------------------------------------------------------------------ optimizer state <-> JSON

  private static Object encode(
      Object v, String path, Map<String, Tensor> tensors, List<String> keys) {
    if (v instanceof Tensor t) {
      String key = OPTIMIZER_PREFIX + path;
      if (tensors.containsKey(key)) {
        throw new IllegalArgumentException(
            "optimizer tensor key '" + key + "' collides with another tensor in the checkpoint");
      }
      tensors.put(key, t.detach());
      keys.add(key);
      return Map.of("$tensor", key);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        return Map.of("$float", "nan");
      }
      if (Double.isInfinite(d)) {
        return Map.of("$float", d > 0 ? "inf" : "-inf");
      }
      return d;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        out.put(k, encode(e.getValue(), path.isEmpty() ? k : path + "." + k, tensors, keys));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(encode(l.get(i), path + "." + i, tensors, keys));
      }
      return out;
    }
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      return v;
    }
    throw new IllegalArgumentException(
        "optimizer state at '"
            + path
            + "' holds a "
            + v.getClass().getName()
            + ", which a checkpoint cannot store");
  }

  private static Object decode(Path file, Object v, Map<String, Tensor> tensors)
      throws FileFormatException {
    if (v instanceof Map<?, ?> m) {
      if (m.size() == 1 && m.get("$tensor") instanceof String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
          throw new FileFormatException(file, "optimizer tensor '" + key + "' is missing");
        }
        return t;
      }
      if (m.size() == 1 && m.get("$float") instanceof String f) {
        return switch (f) {
          case "nan" -> Double.NaN;
          case "inf" -> Double.POSITIVE_INFINITY;
          case "-inf" -> Double.NEGATIVE_INFINITY;
          default -> throw new FileFormatException(file, "bad $float '" + f + "'");
        };
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put((String) e.getKey(), decode(file, e.getValue(), tensors));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(decode(file, o, tensors));
      }
      return out;
    }
    return v;
  }

  /** The JSON-representable part of state-dict metadata (versions and plain values). */
  private static Map<String, Object> jsonSafe(Map<String, Map<String, Object>> metadata) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> e : metadata.entrySet()) {
      Map<String, Object> local = new LinkedHashMap<>();
      for (Map.Entry<String, Object> x : e.getValue().entrySet()) {
        Object v = x.getValue();
        if (v == null
            || v instanceof String
            || v instanceof Boolean
            || v instanceof Long
            || v instanceof Integer
            || (v instanceof Double d && Double.isFinite(d))) {
          local.put(x.getKey(), v);
        }
      }
      out.put(e.getKey(), local);
    }
    return out;
  }
}
