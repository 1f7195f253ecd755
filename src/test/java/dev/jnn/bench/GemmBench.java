package dev.jnn.bench;

import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.backend.cpu.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * JMH benchmark of {@link Gemm#sgemm} on square row-major matrices ({@code C = A * B}, beta = 0).
 *
 * <p>The primary score is calls per second; the secondary {@code gflop} counter is GFLOP/s
 * ({@code 2 * size^3} floating-point operations per call). Which kernel runs depends on the forked
 * JVM: with {@code --add-modules jdk.incubator.vector} the Vector API kernel, without it the scalar
 * fallback (see {@code scripts/bench-gemm}, which runs both).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class GemmBench {

  /** Matrix size: m = n = k. */
  @Param({"256", "1024", "2048"})
  public int size;

  /** Whether A is stored transposed (exercises the transposed packing path). */
  @Param({"false"})
  public boolean transA;

  /** Whether B is stored transposed. */
  @Param({"false"})
  public boolean transB;

  private float[] a;
  private float[] b;
  private float[] c;
  private double gflopPerCall;

  /** GFLOP counter: JMH divides it by the measured time, so its score is GFLOP/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    /** GFLOP done in this iteration. */
    public double gflop;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      gflop = 0;
    }
  }

  /** Allocates and fills the operands; prints the selected kernel once per fork. */
  @Setup(Level.Trial)
  public void setup() {
    int n = size;
    Random rnd = new Random(1);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
      b[i] = rnd.nextFloat() - 0.5f;
    }
    gflopPerCall = 2.0 * n * n * n / 1e9;
    System.out.println("# kernel: " + Gemm.kernelName() + " | " + CpuFeatures.describe());
  }

  /** One {@code size^3} sgemm. */
  @Benchmark
  public float[] sgemm(Flops flops) {
    int n = size;
    Gemm.sgemm(transA, transB, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
    flops.gflop += gflopPerCall;
    return c;
  }
}
