package dev.jnn.backend.cuda;

import dev.jnn.backend.Backend;
import dev.jnn.backend.BackendProvider;
import dev.jnn.core.Device;

/**
 * The {@link java.util.ServiceLoader} entry point of the CUDA back end (listed in {@code
 * META-INF/services/dev.jnn.backend.BackendProvider}). {@link #create()} finds and loads the
 * native libraries and initialises the driver; it fails with the concrete reason (which library,
 * which path, which error) when the machine cannot run CUDA. Instantiating the provider touches no
 * native code.
 */
public final class CudaProvider implements BackendProvider {
  /** For the service loader. */
  public CudaProvider() {}

  @Override
  public Device.Type type() {
    return Device.Type.CUDA;
  }

  @Override
  public Backend create() {
    try {
      return new CudaBackend(NativeSetup.start());
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "JCuda is not on the class path (" + e.getMessage() + "): add org.jcuda:jcuda 12.6.0,"
              + " jcublas 12.6.0 and jcudnn 11.7.0 with their natives",
          e);
    }
  }
}
