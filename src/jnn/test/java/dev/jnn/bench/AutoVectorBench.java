package dev.jnn.bench;

import java.util.Random;
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
 * What HotSpot's auto-vectoriser (C2 SuperWord) gives the scalar fallback, one thread, data in
 * the L1 cache: the ceiling of {@code ScalarGemm}'s micro-kernel, which is what the
 * {@code jnn-scalar} column of {@code scripts/bench} can at best approach.
 *
 * <ul>
 *   <li>{@code rows2x4}: ScalarGemm's kernel shape, two accumulator rows, four B rows per pass,
 *       every array indexed by the loop index alone;
 *   <li>{@code axpy}: one {@code c[j] = fma(a, b[j], c[j])} stream;
 *   <li>{@code axpyOffsets}: the same loop on {@code c[co + j]}, {@code b[bo + j]}: C2 (JDK 17 and
 *       25) does not vectorise it, which is why ScalarGemm packs B into separate row arrays.
 * </ul>
 *
 * <p>The {@code gflop} counter ({@link GemmBench.Flops}) is GFLOP/s. Run without {@code
 * --add-modules jdk.incubator.vector} (it uses none); compare with {@code GemmBench.FmaPeak}, the
 * register-only Vector API ceiling of the same machine:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.openjdk.jmh.Main AutoVectorBench
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AutoVectorBench {
  /** Loop length (ScalarGemm's NB is 256). */
  @Param({"256", "1024"})
  public int n;

  private float[] c0;
  private float[] c1;
  private float[][] b;
  private float[] flat;
  private float[] out;
  /** Offsets read from fields, so that C2 cannot fold them into constants. */
  private int outOffset = 5;

  private int flatOffset = 3;

  /** Small random operands (the accumulators stay finite over a run). */
  @Setup(Level.Trial)
  public void setup() {
    Random r = new Random(1);
    c0 = new float[n];
    c1 = new float[n];
    b = new float[4][n];
    for (float[] row : b) {
      for (int j = 0; j < n; j++) {
        row[j] = (r.nextFloat() - 0.5f) * 1e-6f;
      }
    }
    flat = new float[4 * n + 7];
    out = new float[n + 5];
    for (int j = 0; j < flat.length; j++) {
      flat[j] = (r.nextFloat() - 0.5f) * 1e-6f;
    }
  }

  /** ScalarGemm's 2 x 4 shape: 16 flops per column. */
  @Benchmark
  public float[] rows2x4(GemmBench.Flops f) {
    float[] x0 = c0;
    float[] x1 = c1;
    float[] b0 = b[0];
    float[] b1 = b[1];
    float[] b2 = b[2];
    float[] b3 = b[3];
    for (int j = 0; j < n; j++) {
      x0[j] = Math.fma(0.4f, b3[j], Math.fma(0.3f, b2[j], Math.fma(0.2f, b1[j], Math.fma(0.1f, b0[j], x0[j]))));
      x1[j] = Math.fma(0.8f, b3[j], Math.fma(0.7f, b2[j], Math.fma(0.6f, b1[j], Math.fma(0.5f, b0[j], x1[j]))));
    }
    f.gflop += 16.0 * n / 1e9;
    return x0;
  }

  /** One fused multiply-add stream, same index everywhere: 2 flops per element. */
  @Benchmark
  public float[] axpy(GemmBench.Flops f) {
    float[] x = c0;
    float[] y = b[0];
    for (int j = 0; j < n; j++) {
      x[j] = Math.fma(0.5f, y[j], x[j]);
    }
    f.gflop += 2.0 * n / 1e9;
    return x;
  }

  /** The same stream at loop-invariant offsets. */
  @Benchmark
  public float[] axpyOffsets(GemmBench.Flops f) {
    float[] x = out;
    float[] y = flat;
    int xo = outOffset;
    int yo = flatOffset;
    for (int j = 0; j < n; j++) {
      x[xo + j] = Math.fma(0.5f, y[yo + j], x[xo + j]);
    }
    f.gflop += 2.0 * n / 1e9;
    return x;
  }
}
