package dev.jnn.backend.cuda;

import java.nio.file.Path;

/**
 * Run by {@link CudnnSubLibrariesTest} in a fresh JVM (loaded libraries are process-wide): for each
 * argument, a stand-in {@code libcudnn.so.N}, NativeSetup's preload of it and its sub-libraries
 * (or, after {@code --no-preload}, of the library alone), printing the load report's line; then
 * {@code --check LIB} loads a library whose constructor {@code dlopen}s names by name, the way
 * cuDNN opens its sub-libraries.
 */
public final class CudnnPreloadProbe {
  private CudnnPreloadProbe() {}

  public static void main(String[] args) {
    boolean preload = true;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--no-preload")) {
        preload = false;
      } else if (args[i].equals("--check")) {
        System.out.flush();
        System.load(Path.of(args[++i]).toAbsolutePath().toString());
      } else {
        Path lib = Path.of(args[i]);
        if (preload) {
          try {
            System.out.println(NativeSetup.preloadCudnn(LibraryLocator.cudnnParts(lib)));
          } catch (IllegalStateException e) {
            System.out.println("failed: " + e.getMessage());
          }
        } else {
          System.load(lib.toAbsolutePath().toString());
          System.out.println("loaded " + lib.getFileName() + " alone");
        }
      }
    }
    System.out.flush();
  }
}
