package dev.jnn.bench;

import dev.jnn.backend.cpu.CpuFeatures;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Generator;
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
 * JMH benchmark of {@link Functional#conv2d} on docs/PERFORMANCE.md's convolution workloads
 * (float32, NCHW):
 *
 * <ul>
 *   <li>{@code a}: x[64,1,28,28] -> Conv2d(1,20,5) -> relu -> Conv2d(20,20,5) -> relu (PyTorch
 *       anchor: 3.67 ms forward, 10.5 ms forward+backward, weight and bias gradients);
 *   <li>{@code c}: x[16,64,56,56] -> Conv2d(64,64,3,padding=1) (anchor: 8.33 ms forward, 27.0 ms
 *       forward+backward with input, weight and bias gradients).
 * </ul>
 *
 * <p>Scores are milliseconds per call. Run it with the Vector API in the forked JVM, e.g.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.openjdk.jmh.Main ConvBench \
 *     -jvmArgsAppend --add-modules=jdk.incubator.vector
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ConvBench {

  /** Which workload of docs/PERFORMANCE.md: {@code a} or {@code c}. */
  @Param({"a", "c"})
  public String workload;

  private Tensor x;
  private Tensor w1;
  private Tensor b1;
  private Tensor w2;
  private Tensor b2;

  private static Tensor randn(Generator g, long... dims) {
    return Tensor.randn(Shape.of(dims), DType.FLOAT32, g).mul(0.1);
  }

  /** Creates the input and parameters; prints the CPU kernel configuration once per fork. */
  @Setup(Level.Trial)
  public void setup() {
    Generator g = new Generator(1);
    if ("a".equals(workload)) {
      x = randn(g, 64, 1, 28, 28);
      w1 = randn(g, 20, 1, 5, 5).requiresGrad(true);
      b1 = randn(g, 20).requiresGrad(true);
      w2 = randn(g, 20, 20, 5, 5).requiresGrad(true);
      b2 = randn(g, 20).requiresGrad(true);
    } else {
      x = randn(g, 16, 64, 56, 56).requiresGrad(true);
      w1 = randn(g, 64, 64, 3, 3).requiresGrad(true);
      b1 = randn(g, 64).requiresGrad(true);
    }
    System.out.println("# cpu: " + CpuFeatures.describe());
  }

  private Tensor model() {
    if ("a".equals(workload)) {
      Tensor h = Functional.relu(Functional.conv2d(x, w1, b1));
      return Functional.relu(Functional.conv2d(h, w2, b2));
    }
    return Functional.conv2d(x, w1, b1, 1, 1);
  }

  /** Forward only, without recording autograd. */
  @Benchmark
  public Tensor forward() {
    try (var ignored = dev.jnn.autograd.NoGrad.enter()) {
      return model();
    }
  }

  /** Forward, then backward of the output's sum into every parameter (and c's input). */
  @Benchmark
  public Tensor forwardBackward() {
    Tensor y = model();
    y.sum().backward();
    Tensor g = w1.grad();
    x.setGrad(null);
    w1.setGrad(null);
    b1.setGrad(null);
    if (w2 != null) {
      w2.setGrad(null);
      b2.setGrad(null);
    }
    return g;
  }
}
