package dev.jnn.backend.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;

/**
 * Run by {@link NativeLoadingTest} in a fresh JVM: NativeSetup's load order without a GPU (shims
 * first, then the JNI libraries), printing what the calls return and which libraries got mapped.
 */
public final class JniBindingProbe {
  private JniBindingProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("jnn-probe");
    System.load(NativeSetup.extractShim("libcublas.so.12", dir, dir).toString());
    System.load(NativeSetup.extractShim("libcudnn.so.8", dir, dir).toString());
    NativeSetup.withTmpDir(dir, () -> {
      JCublas2.setExceptionsEnabled(false);
      JCublas2.initialize();
      System.out.println("jcudnn: " + NativeSetup.loadJCudnn(dir).getFileName());
      JCudnn.setExceptionsEnabled(false);
      JCudnn.initialize();
      return null;
    });
    System.out.println("cudnnGetVersion=" + JCudnn.cudnnGetVersion());
    System.out.println("cublasCreate=" + JCublas2.cublasCreate(new cublasHandle()));
    java.util.Set<String> jcudnnCopies = new java.util.TreeSet<>();
    for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
      int s = l.indexOf('/');
      if (s > 0 && l.contains("libJCudnn")) {
        jcudnnCopies.add(l.substring(s).trim());
      }
    }
    // every file the process mapped whose name contains libJCudnn: NativeSetup's copy only
    System.out.println("libJCudnn files mapped: " + jcudnnCopies.size() + " " + jcudnnCopies);
    for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
      int i = l.indexOf('/');
      if (i > 0 && l.startsWith(dir.toString(), i) || i > 0 && l.substring(i).startsWith(dir.toString())) {
        String name = Path.of(l.substring(i).trim()).getFileName().toString();
        System.out.println("mapped: " + name);
      }
    }
  }
}
