package dev.jnn.backend;

import dev.jnn.core.Device;

/** A {@link java.util.ServiceLoader} entry point creating a back end, or failing with the reason. */
public interface BackendProvider {
  /** The device type the provider serves. */
  Device.Type type();

  /** Creates the back end; throws with a readable reason when the device cannot be used. */
  Backend create();
}
