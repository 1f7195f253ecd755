package dev.jnn.backend.cpu;

import dev.jnn.backend.Backend;
import dev.jnn.backend.BackendProvider;
import dev.jnn.core.Device;

/**
 * The {@link java.util.ServiceLoader} entry point of the CPU back end, listed in jnn's {@code
 * META-INF/services}: both back ends are found the same way, so the back-end SPI package does not
 * depend on its implementations.
 */
public final class CpuProvider implements BackendProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public CpuProvider() {}

  @Override
  public Device.Type type() {
    return Device.Type.CPU;
  }

  @Override
  public Backend create() {
    return new CpuBackend();
  }
}
