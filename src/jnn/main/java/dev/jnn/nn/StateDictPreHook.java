package dev.jnn.nn;

/**
 * A hook run by {@link Module#stateDict} before a module saves its state ({@code
 * register_state_dict_pre_hook}).
 */
@FunctionalInterface
public interface StateDictPreHook {
  /** Called with the module, its key prefix and {@code keepVars}. */
  void apply(Module module, String prefix, boolean keepVars);
}
