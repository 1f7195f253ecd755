package dev.jnn.nn;

/**
 * A global hook run by {@link Module#registerModule} and by module assignment through {@link
 * Module#setAttribute}, also when null is assigned to an existing child ({@code
 * register_module_module_registration_hook}).
 */
@FunctionalInterface
public interface ModuleRegistrationHook {
  /** Returns null to keep {@code submodule} (which may be null), or the module to register. */
  Module apply(Module module, String name, Module submodule);
}
