package dev.jnn.nn;

import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A hook run by {@link Module#loadStateDict} before a module reads its entries ({@code
 * register_load_state_dict_pre_hook}). {@code stateDict} is the loader's private copy (restricted
 * to this module's prefix), so the hook may rename, add or remove entries; it may also append to
 * the key lists and error messages.
 */
@FunctionalInterface
public interface LoadStateDictPreHook {
  /** Called before the module's own parameters and buffers are checked. */
  void apply(
      Module module,
      Map<String, Tensor> stateDict,
      String prefix,
      Map<String, Object> localMetadata,
      boolean strict,
      List<String> missingKeys,
      List<String> unexpectedKeys,
      List<String> errorMsgs);
}
