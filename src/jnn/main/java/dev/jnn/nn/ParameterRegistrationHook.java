package dev.jnn.nn;

/**
 * A global hook run by {@link Module#registerParameter} for every non-null parameter ({@code
 * register_module_parameter_registration_hook}).
 */
@FunctionalInterface
public interface ParameterRegistrationHook {
  /** Returns null to keep {@code param}, or the parameter to register instead. */
  Parameter apply(Module module, String name, Parameter param);
}
