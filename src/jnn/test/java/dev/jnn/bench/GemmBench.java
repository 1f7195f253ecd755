package dev.jnn.bench;

import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.backend.cpu.Gemm;
import dev.jnn.backend.cpu.Parallel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * fallback (see {@code scripts/bench-gemm}, which runs both). {@link FmaPeak} measures the
 * machine's FMA ceiling in the same run.
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

  /**
   * The machine's attainable fp32 FMA throughput right now: a register-only Vector API FMA loop on
   * all of {@link Parallel}'s threads. The host is shared and noisy, so sgemm's GFLOP/s mean most
   * next to this ceiling measured in the same run. Needs {@code --add-modules
   * jdk.incubator.vector}; a nested class so that {@link GemmBench} itself never links against the
   * Vector API.
   */
  @State(Scope.Benchmark)
  public static class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ITERS = 1 << 20;

    /** 12 independent FMA chains per thread, {@code ITERS} steps. */
    @Benchmark
    public float fma(Flops flops) {
      int threads = Parallel.threads();
      float[] out = new float[threads];
      Parallel.parallelFor(threads, 1, (s, e) -> {
        for (int t = s; t < e; t++) {
          out[t] = chains(t);
        }
      });
      flops.gflop += (double) threads * ITERS * 12 * S.length() * 2 / 1e9;
      float sum = 0;
      for (float x : out) {
        sum += x;
      }
      return sum;
    }

    private static float chains(int seed) {
      FloatVector x = FloatVector.broadcast(S, 0.999999f);
      FloatVector y = FloatVector.broadcast(S, 1e-7f);
      FloatVector c0 = FloatVector.broadcast(S, seed);
      FloatVector c1 = c0.add(1);
      FloatVector c2 = c0.add(2);
      FloatVector c3 = c0.add(3);
      FloatVector c4 = c0.add(4);
      FloatVector c5 = c0.add(5);
      FloatVector c6 = c0.add(6);
      FloatVector c7 = c0.add(7);
      FloatVector c8 = c0.add(8);
      FloatVector c9 = c0.add(9);
      FloatVector c10 = c0.add(10);
      FloatVector c11 = c0.add(11);
      for (int i = 0; i < ITERS; i++) {
        c0 = c0.fma(x, y);
        c1 = c1.fma(x, y);
        c2 = c2.fma(x, y);
        c3 = c3.fma(x, y);
        c4 = c4.fma(x, y);
        c5 = c5.fma(x, y);
        c6 = c6.fma(x, y);
        c7 = c7.fma(x, y);
        c8 = c8.fma(x, y);
        c9 = c9.fma(x, y);
        c10 = c10.fma(x, y);
        c11 = c11.fma(x, y);
      }
      return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10)
          .add(c11).reduceLanes(VectorOperators.ADD);
    }
  }
}
