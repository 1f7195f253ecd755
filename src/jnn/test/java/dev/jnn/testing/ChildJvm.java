package dev.jnn.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a child JVM on this JVM's class path, for tests of what only a
 * JVM started with other options shows (no Vector API module, another micro-tile height).
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Starts {@code java <options> -cp <this class path> <main> <args>}, waits at most {@code
   * timeoutSeconds} and returns its standard output and error; throws {@link AssertionError}, with
   * the output, when it times out or exits with a status other than 0.
   */
  public static String run(int timeoutSeconds, List<String> options, Class<?> main, String... args)
      throws IOException, InterruptedException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      throw new AssertionError("child JVM timed out: " + out);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("child JVM exited with " + p.exitValue() + ": " + out);
    }
    return out;
  }
}
