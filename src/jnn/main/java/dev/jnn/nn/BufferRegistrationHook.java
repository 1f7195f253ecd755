package dev.jnn.nn;

import dev.jnn.tensor.Tensor;

/**
 * A global hook run by {@link Module#registerBuffer} and by buffer re-assignment through {@link
 * Module#setAttribute} ({@code register_module_buffer_registration_hook}).
 */
@FunctionalInterface
public interface BufferRegistrationHook {
  /** Returns null to keep {@code buffer} (which may be null), or the tensor to register instead. */
  Tensor apply(Module module, String name, Tensor buffer);
}
