package dev.jnn.nn.layers;

import dev.jnn.nn.Module;
import dev.jnn.nn.ModuleList;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link TransformerEncoder} and {@link TransformerDecoder} share: {@code num_layers} copies
 * of a layer in the child {@code layers} (PyTorch's {@code _get_clones}: deep copies, so every
 * layer starts with the given layer's weights), then the optional final {@code norm}.
 */
public abstract class TransformerStack extends Module {
  private final int numLayers;
  private final boolean hasNorm;

  TransformerStack(TransformerLayerBase layer, int numLayers, Module norm) {
    if (numLayers < 0) {
      throw new IllegalArgumentException(
          pythonName() + ": num_layers must be non-negative, got " + numLayers);
    }
    List<Module> copies = new ArrayList<>();
    for (int i = 0; i < numLayers; i++) {
      copies.add(layer.copy());
    }
    registerModule("layers", new ModuleList(copies));
    this.numLayers = numLayers;
    this.hasNorm = norm != null;
    if (norm != null) {
      registerModule("norm", norm);
    }
  }

  abstract String pythonName();

  /** {@code num_layers}. */
  public int numLayers() {
    return numLayers;
  }

  /** The stacked layers (the child {@code layers}). */
  public ModuleList layers() {
    return (ModuleList) getSubmodule("layers");
  }

  /** The final norm, or null. */
  public Module norm() {
    return hasNorm ? getSubmodule("norm") : null;
  }

  /**
   * Runs {@code x} through every layer, each called as {@code mod(x, *extra, **kwargs)}, then the
   * final norm.
   */
  final Tensor run(Tensor x, List<Tensor> extra, Map<String, Object> kwargs) {
    for (Module mod : layers()) {
      List<Tensor> args = new ArrayList<>();
      args.add(x);
      args.addAll(extra);
      x = mod.call(args, kwargs);
    }
    return hasNorm ? getSubmodule("norm").call(x) : x;
  }

  /** PyTorch's keyword arguments, in order, null values included (what the layers' hooks see). */
  static Map<String, Object> kwargs(Object... namesAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }
}
