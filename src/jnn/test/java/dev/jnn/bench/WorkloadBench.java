package dev.jnn.bench;

import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.tensor.MemoryScope;
import dev.jnn.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of docs/PERFORMANCE.md's workloads a-d through the public API ({@link Workloads}):
 * forward without autograd, and forward + backward (a, c, d) or one SGD training step (b).
 * Milliseconds per call. {@code scope=true} runs each call in a {@link MemoryScope}, as the
 * README's training loop does. {@code scripts/bench} runs the same workloads next to PyTorch.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.openjdk.jmh.Main WorkloadBench \
 *     -jvmArgsAppend --add-modules=jdk.incubator.vector
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class WorkloadBench {
  /** Which workload of docs/PERFORMANCE.md. */
  @Param({"a", "b", "c", "d"})
  public String workload;

  /** Whether each call runs in a MemoryScope. */
  @Param({"false"})
  public boolean scope;

  private Workloads.Workload w;

  /** Builds the workload; prints the CPU kernel configuration once per fork. */
  @Setup(Level.Trial)
  public void setup() {
    w = Workloads.create(workload);
    System.out.println("# cpu: " + CpuFeatures.describe());
  }

  /** Forward only, no autograd (b has none: it returns immediately). */
  @Benchmark
  public Tensor forward() {
    if (!w.hasForward()) {
      return null;
    }
    if (!scope) {
      return w.forward();
    }
    try (MemoryScope s = MemoryScope.open()) {
      return w.forward();
    }
  }

  /** Forward + backward, or b's training step. */
  @Benchmark
  public Tensor train() {
    if (w.trainPhase() == null) {
      return null;
    }
    if (!scope) {
      return w.train();
    }
    try (MemoryScope s = MemoryScope.open()) {
      return w.train();
    }
  }
}
