package dev.jnn.nn;

import java.util.Map;

/**
 * A hook run by {@link Module#stateDict} after a module and its children saved their state ({@code
 * register_state_dict_post_hook}); it may edit {@code stateDict} in place.
 */
@FunctionalInterface
public interface StateDictPostHook {
  /** Called with the module, the destination, the module's prefix and its metadata entry. */
  void apply(Module module, StateDict stateDict, String prefix, Map<String, Object> localMetadata);
}
