package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.nn.layers.BatchNorm2d;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Embedding;
import dev.jnn.nn.layers.GRU;
import dev.jnn.nn.layers.LSTM;
import dev.jnn.nn.layers.LSTMOutput;
import dev.jnn.nn.layers.PackedLSTMOutput;
import dev.jnn.nn.layers.PackedRNNOutput;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.RNNOutput;
import dev.jnn.optim.Optimizer;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.nn.utils.rnn.PackedSequence;
import dev.jnn.nn.utils.rnn.RnnUtils;
import dev.jnn.tensor.Tensor;
import dev.jnn.tensor.TensorInternals;
import dev.jnn.testing.Golden;
import dev.jnn.testing.IndexBoundsCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.jnn.ops.OpInfo;
import dev.jnn.ops.OpRegistry;
import dev.jnn.ops.Sample;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CUDA back end against the CPU back end, through the public API ({@link Tensor}, {@link
 * Functional}, {@link Module}): every op forward and backward on the same seeded inputs, dtype and
 * device round trips, parameter identity across {@code cuda()/cpu()}, a LeNet training run, the
 * allocator's accounting. Run twice: on a real GPU ({@link GpuCudaSuiteTest}, tag {@code gpu}) and
 * on the CPU emulation of the kernels ({@link EmulatedCudaSuiteTest}), so that everything but the
 * JCuda layer is exercised on every build.
 */
abstract class CudaParitySuite {
  static final Device GPU = Device.cuda(0);

  /** Float32 tolerance (relative and absolute); GPU math functions differ from Java's in the last bits. */
  static final double F32 = 2e-5;
  static final double F64 = 1e-10;

  // ================================================================== helpers

  static Tensor rnd(long seed, DType dt, long... shape) {
    return Tensor.randn(Shape.of(shape), dt, new Generator(seed));
  }

  static Tensor rnd(long seed, long... shape) {
    return rnd(seed, DType.FLOAT32, shape);
  }

  static Tensor positive(long seed, long... shape) {
    return rnd(seed, shape).abs().add(0.1);
  }

  static Tensor labels(long seed, int classes, long... shape) {
    return Tensor.randint(0, classes, Shape.of(shape), new Generator(seed));
  }

  static double tolOf(Tensor t) {
    return t.dtype() == DType.FLOAT64 ? F64 : F32;
  }

  static void close(String what, Tensor expected, Tensor actual, double tol) {
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    double scale = 0;
    for (double v : e) {
      if (Double.isFinite(v)) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < e.length; i++) {
      if (Double.isNaN(e[i]) && Double.isNaN(a[i])) {
        continue;
      }
      if (e[i] == a[i]) {
        continue;
      }
      double err = Math.abs(a[i] - e[i]);
      if (!(err <= tol * Math.abs(e[i]) + tol * Math.max(1.0, scale))) {
        fail(what + ": element " + i + " of " + expected.shape() + ": CPU " + e[i] + ", CUDA " + a[i]
            + " (tol " + tol + ")");
      }
    }
  }

  /** A function of tensors (the inputs already on the device under test). */
  interface Op {
    Tensor apply(Tensor[] in);
  }

  /**
   * Runs {@code op} on CPU inputs and on copies moved to the GPU, compares the outputs; then,
   * when the output is floating, back-propagates {@code sum(out * w)} for a random {@code w} and
   * compares the gradients of the floating inputs.
   */
  static void parity(String name, double tol, Op op, Tensor... inputs) {
    parity(name, tol, op, null, inputs);
  }

  /** {@link #parity(String, double, Op, Tensor...)}; {@code grads} says which inputs require grad (null: the floating ones). */
  static void parity(String name, double tol, Op op, boolean[] grads, Tensor... inputs) {
    Tensor[] cpu = new Tensor[inputs.length];
    Tensor[] gpu = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor x = inputs[i];
      boolean grad = grads == null ? x.isFloatingPoint() : grads[i];
      cpu[i] = x.detach().requiresGrad(grad);
      gpu[i] = x.to(GPU).detach().requiresGrad(grad);
      assertEquals(GPU, gpu[i].device(), name + ": input " + i + " device");
    }
    Tensor yc = op.apply(cpu);
    Tensor yg = op.apply(gpu);
    assertEquals(GPU, yg.device(), name + ": output device");
    close(name + " forward", yc, yg.cpu(), tol);
    if (!yc.isFloatingPoint() || !yc.requiresGrad()) {
      return;
    }
    Tensor w = rnd(777, yc.dtype(), yc.shape().dims());
    yc.mul(w).sum().backward();
    yg.mul(w.to(GPU)).sum().backward();
    for (int i = 0; i < inputs.length; i++) {
      if (cpu[i].grad() == null) {
        continue;
      }
      assertNotNull(gpu[i].grad(), name + ": no CUDA gradient for input " + i);
      assertEquals(GPU, gpu[i].grad().device(), name + ": gradient device");
      close(name + " grad " + i, cpu[i].grad(), gpu[i].grad().cpu(), tol);
    }
  }

  static void parity(String name, Op op, Tensor... inputs) {
    parity(name, F32, op, inputs);
  }

  // ================================================================== the op registry

  /**
   * Every sample of every op registry entry (dev.jnn.ops.OpRegistry, from jnn's test-jar), in
   * float32 and float64: forward on CPU and CUDA, and for differentiable outputs the gradients of
   * every floating input. Second outputs (the indices of max/min over a dim) are compared too.
   */
  @TestFactory
  Stream<DynamicTest> registryOps() {
    List<DynamicTest> r = new ArrayList<>();
    for (OpInfo op : OpRegistry.all()) {
      for (int i = 0; i < op.samples().size(); i++) {
        Sample s = op.samples().get(i);
        if (s.inputs().isEmpty()) {
          continue; // a factory (arange, linspace): no tensor to move, it builds on the host
        }
        for (DType dt : OpInfo.DTYPES) {
          String name = op.caseName(i, dt);
          r.add(DynamicTest.dynamicTest(name + " " + s, () -> {
            // a sample of only int64/bool inputs gives float32 results in either pass (sin of an
            // int64 tensor): float32's tolerance
            boolean f64 = dt == DType.FLOAT64 && s.inputs().stream()
                .anyMatch(in -> !in.kind().equals("b") && !in.kind().startsWith("i"));
            double tol = f64 ? F64 : Math.max(F32, op.rtol(DType.FLOAT32));
            Tensor[] in = OpInfo.inputs(s, dt).toArray(new Tensor[0]);
            boolean[] grads = new boolean[in.length];
            for (int k = 0; k < in.length; k++) {
              grads[k] = op.differentiable() && s.inputs().get(k).requiresGrad();
            }
            parity(name, tol, x -> OpInfo.first(op.call(List.of(x), s)), grads, in);
            if (OpInfo.second(op.call(OpInfo.inputs(s, dt), s)) != null) {
              parity(name + " indices", tol, x -> OpInfo.second(op.call(List.of(x), s)), grads,
                  in);
            }
          }));
        }
      }
    }
    return r.stream();
  }

  // ================================================================== element-wise

  @Test
  void arithmeticWithBroadcasting() {
    Tensor a = rnd(1, 3, 4, 5);
    Tensor b = rnd(2, 4, 1);
    Tensor pos = positive(3, 3, 4, 5);
    parity("add", in -> in[0].add(in[1]), a, b);
    parity("sub", in -> in[0].sub(in[1]), a, b);
    parity("mul", in -> in[0].mul(in[1]), a, b);
    parity("div", in -> in[0].div(in[1]), a, positive(4, 4, 1));
    parity("pow", in -> in[0].pow(in[1]), pos, rnd(5, 5));
    parity("scalars", in -> in[0].add(2.5).mul(-1.5).sub(0.25).div(3.0).rsub(1.0), a);
    parity("maximum/minimum", in -> in[0].maximum(in[1]).add(in[0].minimum(in[1])), a, b);
    parity("float64", F64, in -> in[0].mul(in[1]).add(in[0]).div(in[1].abs().add(1)),
        rnd(6, DType.FLOAT64, 2, 3), rnd(7, DType.FLOAT64, 3));
  }

  @Test
  void unaryFunctions() {
    Tensor x = rnd(10, 4, 33);
    Tensor pos = positive(11, 4, 33);
    parity("neg", in -> in[0].neg(), x);
    parity("exp", in -> in[0].exp(), x);
    parity("log", in -> in[0].log(), pos);
    parity("sqrt", in -> in[0].sqrt(), pos);
    parity("abs", in -> in[0].abs(), x);
    parity("sign", in -> in[0].sign(), x);
    parity("clamp", in -> in[0].clamp(-0.5, 0.7), x);
    parity("clampMin", in -> in[0].clampMin(0.1), x);
    parity("pow scalar", in -> in[0].pow(3.0).add(in[0].pow(2.0)), x);
    parity("relu", in -> Functional.relu(in[0]), x);
    parity("leakyRelu", in -> Functional.leakyRelu(in[0], 0.2), x);
    parity("sigmoid", in -> Functional.sigmoid(in[0]), x);
    parity("tanh", in -> Functional.tanh(in[0]), x);
    parity("gelu", in -> Functional.gelu(in[0]), x);
    parity("gelu tanh", in -> Functional.gelu(in[0], "tanh"), x);
    parity("float64 chain", F64, in -> in[0].exp().add(1).log().mul(in[0].tanh()).sigmoid(),
        rnd(12, DType.FLOAT64, 5, 7));
  }

  @Test
  void nanAndInfinityPropagate() {
    Tensor x = Tensor.fromArray(new float[] {Float.NaN, 1f, -2f, Float.POSITIVE_INFINITY, -0f, 3f}, 2, 3);
    parity("relu NaN", in -> in[0].relu(), x);
    parity("clamp NaN", in -> in[0].clamp(-1, 1), x);
    parity("max NaN", in -> in[0].max(1, false).values(), x);
    parity("argmax NaN", in -> in[0].argmax(1, false), x);
    parity("maximum NaN", in -> in[0].maximum(in[0].narrow(0, 1, 1)), x);
  }

  /** The fused hardtanh_backward kernel: kinks (0), NaN (passes), views and float64. */
  @Test
  void hardtanhBackward() {
    float[] v = new float[4 * 33];
    Tensor r = rnd(13, 4, 33).mul(5);
    float[] rv = r.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (i % 7) {
        case 0 -> 0f;
        case 1 -> 6f;
        case 2 -> Float.NaN;
        case 3 -> -1f;
        case 4 -> 1f;
        default -> rv[i];
      };
    }
    Tensor x = Tensor.fromArray(v, 4, 33);
    parity("relu6 backward", in -> Functional.relu6(in[0]), x);
    parity("relu6_ backward", in -> Functional.relu6(in[0].mul(1.0), true), x);
    parity("hardtanh backward", in -> Functional.hardtanh(in[0]), x);
    parity("hardtanh_ backward (view)", in -> Functional.hardtanh_(in[0].t().mul(1.0), -1, 1),
        x);
    parity("hardtanh backward (strided)", in -> Functional.hardtanh(in[0].t(), -0.5, 0.5), x);
    parity("hardtanh backward float64", F64, in -> Functional.hardtanh(in[0], -1, 6),
        x.to(DType.FLOAT64));
  }

  @Test
  void comparisonsLogicAndWhere() {
    Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = Tensor.fromArray(new float[] {3, 2, 1}, 3);
    parity("eq", in -> in[0].eq(in[1]), a, b);
    parity("ne", in -> in[0].ne(in[1]), a, b);
    parity("lt", in -> in[0].lt(in[1]), a, b);
    parity("le", in -> in[0].le(2.0), a);
    parity("gt", in -> in[0].gt(in[1]), a, b);
    parity("ge", in -> in[0].ge(4.0), a);
    parity("logic", in -> in[0].gt(2.0).logicalAnd(in[0].lt(5.0)).logicalOr(in[0].eq(6.0)).logicalNot(), a);
    parity("where", in -> Tensor.where(in[0].gt(in[1]), in[0], in[1].mul(10)), a, b);
    parity("where float64", F64, in -> Tensor.where(in[0].gt(0.0), in[0], in[0].mul(0.5)),
        rnd(13, DType.FLOAT64, 4, 4));
  }

  @Test
  void integerAndBoolOps() {
    Tensor a = Tensor.fromArray(new long[] {7, -7, 3, 0, -4, 9}, 2, 3);
    Tensor b = Tensor.fromArray(new long[] {2, -3, 5}, 3);
    parity("int64 add", in -> in[0].add(in[1]), a, b);
    parity("int64 mul/sub", in -> in[0].mul(in[1]).sub(in[0]), a, b);
    parity("int64 floor div", in -> in[0].div(in[1]), a, b);
    parity("int64 neg/abs/sign", in -> in[0].neg().add(in[0].abs()).add(in[0].sign()), a);
    parity("int64 max/min", in -> in[0].maximum(in[1]).add(in[0].minimum(in[1])), a, b);
    parity("int64 sum", in -> in[0].sum(1, false), a);
    parity("int64 max", in -> in[0].max(), a);
    parity("int64 matmul", in -> in[0].matmul(in[1].reshape(3, 1)), a, b);
    Tensor z = Tensor.fromArray(new boolean[] {true, false, true, true, false, false}, 2, 3);
    parity("bool sum", in -> in[0].sum(), z);
    parity("bool to float", in -> in[0].toFloat().mul(2.0), z);
    parity("bool not", in -> in[0].logicalNot(), z);
  }

  // ================================================================== dtype and layout

  @Test
  void castsOnTheDevice() {
    Tensor x = Tensor.fromArray(new float[] {-2.7f, -0.5f, 0f, 0.5f, 1.5f, 1e10f}, 6);
    parity("f32->f64", F64, in -> in[0].toDouble(), x);
    parity("f32->i64", in -> in[0].toLong(), x);
    parity("f32->bool", in -> in[0].ne(0.0), x);
    parity("f64->f32", in -> in[0].toFloat(), rnd(14, DType.FLOAT64, 9));
    parity("i64->f64", F64, in -> in[0].toDouble(), Tensor.fromArray(new long[] {1L << 40, -3, 5}));
  }

  @Test
  void stridedViewsAndCopies() {
    Tensor x = rnd(20, 4, 5, 6);
    parity("permute+contiguous", in -> in[0].permute(2, 0, 1).contiguous(), x);
    parity("transpose+mul", in -> in[0].transpose(0, 2).mul(2.0), x);
    parity("narrow", in -> in[0].narrow(1, 1, 3).add(1.0), x);
    parity("slice step", in -> in[0].slice(2, 0, 6, 2).exp(), x);
    parity("select", in -> in[0].select(1, 2).sum(), x);
    parity("expand", in -> in[0].narrow(0, 0, 1).expand(3, 5, 6).contiguous(), x);
    parity("cat", in -> Tensor.cat(List.of(in[0], in[0].mul(2.0)), 1), x);
    parity("stack", in -> Tensor.stack(List.of(in[0], in[0].neg()), 0), x);
    parity("clone", in -> in[0].t().clone(), rnd(21, 7, 3));
    // a rank-8 non-contiguous view exercises the host-side split of deep iterations
    Tensor deep = rnd(22, 2, 3, 2, 3, 2, 3, 2, 3);
    parity("rank 8 permute", in -> in[0].permute(7, 6, 5, 4, 3, 2, 1, 0).contiguous(), deep);
  }

  @Test
  void inPlaceOps() {
    Tensor x = rnd(30, 3, 4);
    Tensor y = rnd(31, 4);
    try (var g = NoGrad.enter()) {
      Tensor c = x.clone();
      Tensor d = x.to(GPU).clone();
      c.addInPlace(y).mulInPlace(2.0).subInPlace(y).divInPlace(y.abs().add(1));
      d.addInPlace(y.to(GPU)).mulInPlace(2.0).subInPlace(y.to(GPU)).divInPlace(y.to(GPU).abs().add(1));
      close("in-place chain", c, d.cpu(), F32);
      c.narrow(1, 1, 2).fill(7.0);
      d.narrow(1, 1, 2).fill(7.0);
      close("fill view", c, d.cpu(), 0);
      c.narrow(0, 0, 1).zero();
      d.narrow(0, 0, 1).zero();
      close("zero view", c, d.cpu(), 0);
      c.copyFrom(y.expand(3, 4));
      d.copyFrom(y.to(GPU).expand(3, 4));
      close("copyFrom broadcast", c, d.cpu(), 0);
    }
  }

  // ================================================================== reductions

  @Test
  void reductions() {
    Tensor x = rnd(40, 3, 70, 5);
    parity("sum all", in -> in[0].sum(), x);
    parity("sum dim", in -> in[0].sum(1, false), x);
    parity("sum dims keepdim", in -> in[0].sum(new int[] {0, 2}, true), x);
    parity("mean", in -> in[0].mean(2, false), x);
    parity("var", in -> in[0].var(1, true, false), x);
    parity("max", in -> in[0].max(), x);
    parity("min dim", in -> in[0].min(1, true).values(), x);
    parity("max indices", in -> in[0].max(2, false).indices(), x);
    parity("argmax", in -> in[0].argmax(), x);
    parity("argmin dim", in -> in[0].argmin(1, false), x);
    parity("long row", in -> in[0].sum(1, false), rnd(41, 2, 3000));
    parity("float64 sum", F64, in -> in[0].sum(0, false), rnd(42, DType.FLOAT64, 300, 3));
    Tensor ties = Tensor.fromArray(new float[] {1, 3, 3, 2, 3, 0}, 6);
    parity("argmax first of ties", in -> in[0].argmax(), ties);
  }

  // ================================================================== matmul

  @Test
  void matmulAndLinear() {
    parity("mm", in -> in[0].mm(in[1]), rnd(50, 5, 7), rnd(51, 7, 3));
    parity("mm transposed operands", in -> in[0].t().mm(in[1].t()), rnd(52, 7, 5), rnd(53, 3, 7));
    parity("bmm", in -> in[0].matmul(in[1]), rnd(54, 4, 5, 6), rnd(55, 4, 6, 2));
    parity("broadcast matmul", in -> in[0].matmul(in[1]), rnd(56, 3, 4, 5), rnd(57, 5, 6));
    parity("matvec", in -> in[0].matmul(in[1]), rnd(58, 4, 5), rnd(59, 5));
    parity("linear", in -> Functional.linear(in[0], in[1], in[2]), rnd(60, 6, 10), rnd(61, 4, 10), rnd(62, 4));
    parity("linear 3d input", in -> Functional.linear(in[0], in[1]), rnd(63, 2, 3, 10), rnd(64, 4, 10));
    parity("float64 mm", F64, in -> in[0].mm(in[1]), rnd(65, DType.FLOAT64, 9, 8), rnd(66, DType.FLOAT64, 8, 7));
  }

  // ================================================================== indexing

  @Test
  void indexing() {
    Tensor x = rnd(70, 5, 4, 3);
    Tensor idx = Tensor.fromArray(new long[] {4, 0, 3, 2, 2});
    parity("indexSelect dim0", in -> in[0].indexSelect(0, in[1]), x, idx);
    parity("indexSelect dim1", in -> in[0].indexSelect(1, in[1]), x, Tensor.fromArray(new long[] {3, 3, 1}));
    Tensor gi = Tensor.fromArray(new long[] {0, 2, 1, 1, 0, 0, 2, 2}, 2, 4, 1);
    parity("gather", in -> in[0].gather(1, in[1]), rnd(71, 2, 3, 1), gi);
    parity("gather dim2", in -> in[0].gather(2, in[1]), x, labels(72, 3, 5, 4, 2));
  }

  /** Attention (scaled_dot_product_attention, MultiheadAttention): {@link AttentionParity}. */
  @Test
  void attention() {
    AttentionParity.run();
  }

  /** The Transformer layers (issue 19): {@link TransformerParity}. */
  @Test
  void transformerLayers() {
    TransformerParity.run();
  }

  /** torchvision's models, fusion and the README prediction path: {@link ModelsParity}. */
  @Test
  void models() {
    ModelsParity.run();
  }

  /** Packed sequences (dev.jnn.nn.utils.rnn): {@link PackedSequenceParity}. */
  @Test
  void packedSequences() {
    PackedSequenceParity.run();
  }

  @Test
  void indexOutOfRangeIsReportedAtTheNextRead() {
    Tensor x = rnd(73, 4, 3).to(GPU);
    Tensor bad = Tensor.fromArray(new long[] {0, 7}).to(GPU);
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, bad).sum().item());
    assertEquals("index out of range in self", e.getMessage());
    // the device stays usable and the error is cleared
    assertEquals(x.cpu().sum().item(), x.sum().item(), 1e-5);
    Tensor w = rnd(74, 5, 2).to(GPU);
    assertThrows(IndexOutOfBoundsException.class,
        () -> Functional.embedding(Tensor.fromArray(new long[] {1, 5}).to(GPU), w).sum().item());
  }

  @Test
  void outOfRangeAndNegativeIndicesFailAsOnTheCpu() {
    Golden.Case g = Golden.loadByName("api_parity.txt").get("indexing");
    for (var e : IndexBoundsCases.cases().entrySet()) {
      IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class,
          () -> e.getValue().apply(GPU).cpu(), e.getKey());
      assertEquals(g.text(e.getKey()), ex.getMessage(), e.getKey());
    }
    // the device is still usable, the error block clear
    Tensor x = rnd(75, 3, 5);
    Tensor i = Tensor.fromArray(new long[] {4, 0});
    close("indexSelect after errors", x.indexSelect(1, i), x.to(GPU).indexSelect(1, i.to(GPU)).cpu(), F32);
  }

  // ================================================================== convolution

  @Test
  void convolution() {
    Tensor x = rnd(80, 2, 3, 9, 8);
    parity("conv2d", in -> Functional.conv2d(in[0], in[1], in[2]), x, rnd(81, 4, 3, 3, 3), rnd(82, 4));
    parity("conv2d stride pad", in -> Functional.conv2d(in[0], in[1], in[2], 2, 1), x, rnd(83, 5, 3, 3, 3), rnd(84, 5));
    parity("conv2d dilation groups",
        in -> Functional.conv2d(in[0], in[1], null, new int[] {1, 2}, new int[] {2, 1}, new int[] {2, 1}, 3),
        rnd(85, 2, 6, 9, 8), rnd(86, 9, 2, 3, 3));
    parity("conv2d same even kernel",
        in -> Functional.conv2d(in[0], in[1], in[2], new int[] {1}, "same", new int[] {1}, 1),
        x, rnd(87, 4, 3, 4, 2), rnd(88, 4));
    parity("conv2d 1x1", in -> Functional.conv2d(in[0], in[1]), x, rnd(89, 6, 3, 1, 1));
    parity("conv2d float64", F64, in -> Functional.conv2d(in[0], in[1], in[2], 1, 1),
        rnd(90, DType.FLOAT64, 2, 2, 6, 6), rnd(91, DType.FLOAT64, 3, 2, 3, 3), rnd(92, DType.FLOAT64, 3));
    parity("seed model", in -> Functional.relu(Functional.conv2d(
            Functional.relu(Functional.conv2d(in[0], in[1], in[2])), in[3], in[4])),
        rnd(93, 4, 1, 28, 28), rnd(94, 20, 1, 5, 5).mul(0.2), rnd(95, 20), rnd(96, 20, 20, 5, 5).mul(0.05), rnd(97, 20));
  }

  // ================================================================== cuDNN modes: Find, TF32

  /** Float32 tolerance of convolutions whose algorithm cuDNN picks (FFT, Winograd: ~1e-4). */
  static final double CONV_F32 = 1e-4;

  /** Tolerance of TF32 results (10-bit mantissa operands) against the CPU's strict float32. */
  static final double TF32 = 1e-2;

  /** The emulated cuDNN, which records what it receives; null on a real GPU. */
  EmuDnn emulatedDnn() {
    return null;
  }

  /** The emulated cuBLAS, which records the math mode it receives; null on a real GPU. */
  EmuBlas emulatedBlas() {
    return null;
  }

  /** Runs {@code body} with cuDNN benchmark mode set to {@code on}, restoring the switch after. */
  static void withBenchmark(boolean on, Runnable body) {
    boolean was = Cudnn.isBenchmark();
    Cudnn.benchmark(on);
    try {
      body.run();
    } finally {
      Cudnn.benchmark(was);
    }
  }

  /**
   * Asserts that {@code t}, on the device, is a contiguous view whose element 0 is not 16-byte
   * aligned (float32: only 4-byte aligned; float64: only 8-byte aligned): Functional passes such
   * a contiguous view on as it is, and the back end must copy it before cuDNN. Returns {@code t}.
   */
  static Tensor misaligned(Tensor t) {
    if (!t.device().equals(GPU)) {
      return t;
    }
    int es = t.dtype().byteSize();
    assertTrue(t.isContiguous(), "not contiguous: would be copied before cuDNN");
    assertTrue(t.storageOffset() * es % 16 != 0, "storage offset " + t.storageOffset() + " is aligned");
    var v = TensorInternals.view(t);
    long addr = CudaBackend.cuda(v.buffer()).address(v.offset());
    assertEquals(es, addr % (2L * es), "device address " + addr + " is not just " + es + "-byte aligned");
    return t;
  }

  /**
   * Checks what the emulated cuDNN received for the operations of one convolution case: the mode
   * ({@code tf32} only for float32) and, for the named operand indices of each operation (whose
   * tensors are not 16-byte aligned), a 16-byte aligned address: the back end copies such
   * operands before cuDNN. No-op on a real GPU.
   */
  void checkDnnSaw(String what, DType dt, boolean tf32, boolean bias, Map<String, int[]> misalignedOperands) {
    EmuDnn dnn = emulatedDnn();
    if (dnn == null) {
      return;
    }
    ConvMode want = new ConvMode(tf32 && dt == DType.FLOAT32, Cudnn.isBenchmark());
    List<String> ops = new ArrayList<>(List.of("forward", "backwardData", "backwardFilter"));
    if (bias) {
      ops.add("backwardBias");
    }
    for (String op : ops) {
      EmuDnn.Seen seen = dnn.last.get(op);
      assertNotNull(seen, what + ": no cuDNN " + op + " call");
      assertEquals(want, seen.mode(), what + ": mode of cuDNN " + op);
    }
    for (Map.Entry<String, int[]> e : misalignedOperands.entrySet()) {
      for (int i : e.getValue()) {
        long addr = dnn.last.get(e.getKey()).addresses()[i];
        assertEquals(0, addr % CudaNnKernels.CUDNN_ALIGNMENT, what + ": operand " + i + " of cuDNN "
            + e.getKey() + " reached cuDNN misaligned: " + addr);
      }
    }
  }

  /**
   * One convolution case: forward and every gradient against the CPU, then what the emulated
   * cuDNN received (see {@link #checkDnnSaw}).
   */
  void convCase(String name, DType dt, boolean tf32, boolean bias, Map<String, int[]> misalignedOperands,
      Op op, Tensor... in) {
    EmuDnn dnn = emulatedDnn();
    if (dnn != null) {
      dnn.last.clear();
    }
    String what = name + " " + dt + (Cudnn.isBenchmark() ? " (Find)" : " (heuristics)");
    double tol = tf32 && dt == DType.FLOAT32 ? TF32 : dt == DType.FLOAT32 ? CONV_F32 : F64;
    parity(what, tol, op, in);
    checkDnnSaw(what, dt, tf32, bias, misalignedOperands);
  }

  /**
   * The convolution shapes cuDNN's algorithm choice is checked on, float32 and float64: padding
   * that differs per dimension and between sides, strides that differ per dimension, groups with
   * dilation, 1x1 kernels, a non-contiguous input, and operands at addresses that are only
   * element-aligned (batch slices of odd-sized tensors), which must reach cuDNN aligned.
   */
  void convolutionCases(boolean tf32) {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Map<String, int[]> none = Map.of();
      Tensor x = rnd(800, dt, 2, 3, 9, 8);
      // (a) padding and strides per dimension, asymmetric padding
      convCase("stride (2,1) padding (1,2) kernel 3x4", dt, tf32, true, none,
          in -> Functional.conv2d(in[0], in[1], in[2], new int[] {2, 1}, new int[] {1, 2}, new int[] {1}, 1),
          x, rnd(801, dt, 4, 3, 3, 4), rnd(802, dt, 4));
      convCase("same, even kernel 4x2, dilation (1,2): pads top 1, bottom 2", dt, tf32, true, none,
          in -> Functional.conv2d(in[0], in[1], in[2], new int[] {1}, "same", new int[] {1, 2}, 1),
          x, rnd(803, dt, 5, 3, 4, 2), rnd(804, dt, 5));
      convCase("F.pad (1,2,0,3) then stride (1,2)", dt, tf32, false, none,
          in -> Functional.conv2d(Functional.pad(in[0], new int[] {1, 2, 0, 3}), in[1], null,
              new int[] {1, 2}, new int[] {0}, new int[] {1}, 1),
          x, rnd(805, dt, 4, 3, 3, 3));
      convCase("stride 3 leaving rows unread, padding (0,1) kernel 2x2", dt, tf32, true, none,
          in -> Functional.conv2d(in[0], in[1], in[2], new int[] {3}, new int[] {0, 1}, new int[] {1}, 1),
          x, rnd(806, dt, 4, 3, 2, 2), rnd(807, dt, 4));
      // (b) groups with dilation
      convCase("groups 3, dilation (2,3), padding (2,3), stride (1,2)", dt, tf32, true, none,
          in -> Functional.conv2d(in[0], in[1], in[2], new int[] {1, 2}, new int[] {2, 3}, new int[] {2, 3}, 3),
          rnd(808, dt, 2, 6, 9, 10), rnd(809, dt, 9, 2, 3, 3), rnd(810, dt, 9));
      convCase("depthwise, channel multiplier 2, dilation 2", dt, tf32, true, none,
          in -> Functional.conv2d(in[0], in[1], in[2], new int[] {1}, new int[] {2}, new int[] {2}, 4),
          rnd(811, dt, 2, 4, 7, 7), rnd(812, dt, 8, 1, 3, 3), rnd(813, dt, 8));
      // (c) 1x1 kernels
      convCase("1x1", dt, tf32, true, none, in -> Functional.conv2d(in[0], in[1], in[2]),
          x, rnd(814, dt, 6, 3, 1, 1), rnd(815, dt, 6));
      convCase("1x1 stride 2", dt, tf32, true, none,
          in -> Functional.conv2d(in[0], in[1], in[2], new int[] {2}, new int[] {0}, new int[] {1}, 1),
          x, rnd(816, dt, 5, 3, 1, 1), rnd(817, dt, 5));
      convCase("1x1 groups 3, stride (1,2), padding (1,0)", dt, tf32, true, none,
          in -> Functional.conv2d(in[0], in[1], in[2], new int[] {1, 2}, new int[] {1, 0}, new int[] {1}, 3),
          rnd(818, dt, 2, 6, 5, 5), rnd(819, dt, 6, 2, 1, 1), rnd(820, dt, 6));
      // a non-contiguous input (made contiguous before cuDNN)
      convCase("transposed input", dt, tf32, true, none,
          in -> Functional.conv2d(in[0].transpose(2, 3), in[1], in[2], 1, 1),
          rnd(821, dt, 2, 3, 8, 9), rnd(822, dt, 4, 3, 3, 3), rnd(823, dt, 4));
      // (d) operands at element-aligned addresses: a batch slice of an odd-sized input (offset
      // 3 * 9 * 7 elements) and a weight cut from an odd-sized flat tensor (offset 1)
      Tensor odd = rnd(824, dt, 3, 3, 9, 7);
      Tensor wFlat = rnd(825, dt, 1 + 4 * 3 * 3 * 3);
      convCase("misaligned input and weight", dt, tf32, true,
          Map.of("forward", new int[] {0, 1}, "backwardData", new int[] {0}, "backwardFilter", new int[] {0}),
          in -> Functional.conv2d(misaligned(in[0].narrow(0, 1, 2)),
              misaligned(in[1].narrow(0, 1, 4 * 3 * 3 * 3).view(4, 3, 3, 3)), in[2], 1, 1),
          odd, wFlat, rnd(826, dt, 4));
      convCase("misaligned input, groups 3 dilation 2 stride (2,1)", dt, tf32, true,
          Map.of("forward", new int[] {0}, "backwardFilter", new int[] {0}),
          in -> Functional.conv2d(misaligned(in[0].narrow(0, 1, 2)), in[1], in[2],
              new int[] {2, 1}, new int[] {2}, new int[] {2}, 3),
          rnd(827, dt, 3, 3, 9, 7), rnd(828, dt, 6, 1, 3, 3), rnd(829, dt, 6));
      convCase("misaligned input, 1x1", dt, tf32, true,
          Map.of("forward", new int[] {0}, "backwardFilter", new int[] {0}),
          in -> Functional.conv2d(misaligned(in[0].narrow(0, 1, 2)), in[1], in[2]),
          odd, rnd(830, dt, 5, 3, 1, 1), rnd(831, dt, 5));
      convCase("misaligned input, same even kernel (copied into the padded input)", dt, tf32, true, none,
          in -> Functional.conv2d(misaligned(in[0].narrow(0, 1, 2)), in[1], in[2], new int[] {1}, "same",
              new int[] {1}, 1),
          odd, rnd(832, dt, 4, 3, 2, 4), rnd(833, dt, 4));
      misalignedGradient(dt, tf32);
    }
  }

  /**
   * The output gradient at an element-aligned address (a slice of an odd-sized flat tensor, seeded
   * into {@code backward}): backward data, filter and bias against the CPU.
   */
  void misalignedGradient(DType dt, boolean tf32) {
    EmuDnn dnn = emulatedDnn();
    if (dnn != null) {
      dnn.last.clear();
    }
    String what = "misaligned output gradient " + dt + (Cudnn.isBenchmark() ? " (Find)" : " (heuristics)");
    Tensor x = rnd(840, dt, 2, 3, 9, 7);
    Tensor w = rnd(841, dt, 4, 3, 3, 3);
    Tensor b = rnd(842, dt, 4);
    int numel = 2 * 4 * 9 * 7;
    Tensor flat = rnd(843, dt, 1 + numel);
    Tensor[] grads = new Tensor[6];
    for (int d = 0; d < 2; d++) {
      Device dev = d == 0 ? Device.CPU : GPU;
      Tensor xd = x.to(dev).detach().requiresGrad(true);
      Tensor wd = w.to(dev).detach().requiresGrad(true);
      Tensor bd = b.to(dev).detach().requiresGrad(true);
      Tensor gy = misaligned(flat.to(dev).narrow(0, 1, numel).view(2, 4, 9, 7));
      Functional.conv2d(xd, wd, bd, 1, 1).backward(gy);
      grads[3 * d] = xd.grad();
      grads[3 * d + 1] = wd.grad();
      grads[3 * d + 2] = bd.grad();
    }
    double tol = tf32 && dt == DType.FLOAT32 ? TF32 : dt == DType.FLOAT32 ? CONV_F32 : F64;
    String[] names = {"input", "weight", "bias"};
    for (int i = 0; i < 3; i++) {
      assertEquals(GPU, grads[3 + i].device(), what + ": " + names[i] + " gradient device");
      close(what + ": " + names[i] + " gradient", grads[i], grads[3 + i].cpu(), tol);
    }
    checkDnnSaw(what, dt, tf32, true,
        Map.of("backwardData", new int[] {1}, "backwardFilter", new int[] {1}, "backwardBias", new int[] {0}));
  }

  @Test
  void convolutionWithCudnnFindMatchesCpu() {
    withBenchmark(true, () -> convolutionCases(false));
    if (emulatedDnn() != null) {
      // the switch is restored and reaches cuDNN off again
      Tensor x = rnd(850, 1, 2, 5, 5).to(GPU);
      Functional.conv2d(x, rnd(851, 3, 2, 3, 3).to(GPU)).cpu();
      assertEquals(new ConvMode(false, false), emulatedDnn().last.get("forward").mode());
    }
  }

  @Test
  void convolutionWithCudnnHeuristicsMatchesCpu() {
    withBenchmark(false, () -> convolutionCases(false));
  }

  /** The largest difference of two tensors relative to the largest magnitude of the first. */
  static double relDiff(Tensor expected, Tensor actual) {
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < e.length; i++) {
      scale = Math.max(scale, Math.abs(e[i]));
      diff = Math.max(diff, Math.abs(a[i] - e[i]));
    }
    return diff / scale;
  }

  @Test
  void tf32ReachesCudnnAndCublas() {
    Tensor x = rnd(860, 2, 8, 12, 12);
    Tensor w = rnd(861, 16, 8, 3, 3);
    Tensor a = rnd(862, 64, 96);
    Tensor b = rnd(863, 96, 48);
    Op conv = in -> Functional.conv2d(in[0], in[1], null, 1, 1);
    Op mm = in -> in[0].mm(in[1]);
    Tensor convStrict = conv.apply(new Tensor[] {x.to(GPU), w.to(GPU)}).cpu();
    Tensor mmStrict = mm.apply(new Tensor[] {a.to(GPU), b.to(GPU)}).cpu();
    EmuDnn dnn = emulatedDnn();
    EmuBlas blas = emulatedBlas();
    if (dnn != null) {
      assertEquals(new ConvMode(false, false), dnn.last.get("forward").mode());
      assertEquals(Boolean.FALSE, blas.lastTf32);
    }
    boolean dnnWas = Cudnn.isTf32Allowed();
    boolean blasWas = Cublas.isTf32Allowed();
    Cudnn.allowTf32(true);
    Cublas.allowTf32(true);
    try {
      for (boolean find : new boolean[] {false, true}) {
        withBenchmark(find, () -> {
          String m = find ? " (Find)" : " (heuristics)";
          convCase("conv2d TF32", DType.FLOAT32, true, false, Map.of(), conv, x, w);
          convCase("conv2d float64 ignores TF32", DType.FLOAT64, true, false, Map.of(), conv,
              x.toDouble(), w.toDouble());
          Tensor convTf32 = conv.apply(new Tensor[] {x.to(GPU), w.to(GPU)}).cpu();
          double d = relDiff(convStrict, convTf32);
          System.out.println("cuDNN TF32" + m + ": largest difference to strict fp32 " + d + " (relative)");
          if (dnn != null) {
            // TF32-sized: far above float32 rounding (~1e-7), within TF32's 2^-11 per operand
            assertTrue(d > 1e-5 && d < 1e-2, "conv2d TF32" + m + " differs from strict fp32 by " + d);
          }
        });
      }
      if (blas != null) {
        blas.lastTf32 = null;
      }
      parity("mm TF32", TF32, mm, a, b);
      parity("linear TF32", TF32, in -> Functional.linear(in[0], in[1], in[2]), a, b.t(), rnd(864, 48));
      Tensor mmTf32 = mm.apply(new Tensor[] {a.to(GPU), b.to(GPU)}).cpu();
      double d = relDiff(mmStrict, mmTf32);
      System.out.println("cuBLAS TF32: largest difference to strict fp32 " + d + " (relative)");
      if (blas != null) {
        assertEquals(Boolean.TRUE, blas.lastTf32, "TF32 did not reach cuBLAS");
        assertTrue(d > 1e-5 && d < 1e-2, "mm TF32 differs from strict fp32 by " + d);
        blas.lastTf32 = null;
      }
      parity("mm float64 ignores TF32", F64, mm, a.toDouble(), b.toDouble());
      if (blas != null) {
        assertEquals(Boolean.FALSE, blas.lastTf32, "TF32 reached a float64 cuBLAS call");
      }
    } finally {
      Cudnn.allowTf32(dnnWas);
      Cublas.allowTf32(blasWas);
    }
    // switched off again: strict fp32 as before
    Tensor convAfter = conv.apply(new Tensor[] {x.to(GPU), w.to(GPU)}).cpu();
    Tensor mmAfter = mm.apply(new Tensor[] {a.to(GPU), b.to(GPU)}).cpu();
    if (dnn != null) {
      assertEquals(new ConvMode(false, false), dnn.last.get("forward").mode());
      assertEquals(Boolean.FALSE, blas.lastTf32);
      assertArrayEquals(bitsOf(convStrict), bitsOf(convAfter), "conv2d after TF32 was switched off");
      assertArrayEquals(bitsOf(mmStrict), bitsOf(mmAfter), "mm after TF32 was switched off");
    } else {
      close("conv2d after TF32 was switched off", convStrict, convAfter, CONV_F32);
      close("mm after TF32 was switched off", mmStrict, mmAfter, F32);
    }
  }

  // ================================================================== pooling

  @Test
  void pooling() {
    Tensor x = rnd(100, 2, 3, 9, 10);
    parity("maxPool2d", in -> Functional.maxPool2d(in[0], 2), x);
    parity("maxPool2d overlapping pad dilation",
        in -> Functional.maxPool2d(in[0], new int[] {3}, new int[] {2}, new int[] {1}, new int[] {2}, true), x);
    parity("avgPool2d", in -> Functional.avgPool2d(in[0], 3, 2, 1), x);
    parity("avgPool2d no pad count ceil", in -> Functional.avgPool2d(in[0], new int[] {3}, new int[] {2},
        new int[] {1}, true, false, null), x);
    parity("avgPool2d divisor", in -> Functional.avgPool2d(in[0], new int[] {2}, new int[] {1},
        new int[] {0}, false, true, 3), x);
    parity("adaptiveAvgPool2d", in -> Functional.adaptiveAvgPool2d(in[0], new int[] {4, 3}), x);
    parity("float64 maxPool2d", F64, in -> Functional.maxPool2d(in[0], 3, 1), rnd(101, DType.FLOAT64, 1, 2, 5, 5));
  }

  // ================================================================== normalisation

  @Test
  void batchNorm() {
    Tensor x = rnd(110, 4, 3, 5, 6);
    Tensor w = rnd(111, 3);
    Tensor b = rnd(112, 3);
    parity("batchNorm training", in -> Functional.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), x, w, b);
    parity("batchNorm eval", in -> Functional.batchNorm(in[0], in[3].detach(), in[4].detach(), in[1], in[2], false, 0.1, 1e-5),
        x, w, b, rnd(113, 3), positive(114, 3));
    parity("batchNorm 2d input no affine", in -> Functional.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5),
        rnd(115, 8, 5));
    // running statistics are updated on the device
    Tensor rmC = Tensor.zeros(3);
    Tensor rvC = Tensor.ones(3);
    Tensor rmG = Tensor.zeros(3).to(GPU);
    Tensor rvG = Tensor.ones(3).to(GPU);
    Functional.batchNorm(x, rmC, rvC, w, b, true, 0.1, 1e-5);
    Functional.batchNorm(x.to(GPU), rmG, rvG, w.to(GPU), b.to(GPU), true, 0.1, 1e-5);
    close("running mean", rmC, rmG.cpu(), F32);
    close("running var", rvC, rvG.cpu(), F32);
  }

  @Test
  void layerNorm() {
    parity("layerNorm", in -> Functional.layerNorm(in[0], new long[] {6}, in[1], in[2], 1e-5),
        rnd(120, 4, 5, 6), rnd(121, 6), rnd(122, 6));
    parity("layerNorm 2 dims no affine", in -> Functional.layerNorm(in[0], new long[] {5, 6}, null, null, 1e-5),
        rnd(123, 4, 5, 6));
    parity("layerNorm float64", F64, in -> Functional.layerNorm(in[0], new long[] {300}, in[1], in[2], 1e-5),
        rnd(124, DType.FLOAT64, 3, 300), rnd(125, DType.FLOAT64, 300), rnd(126, DType.FLOAT64, 300));
  }

  // ================================================================== softmax and losses

  @Test
  void softmax() {
    parity("softmax last", in -> Functional.softmax(in[0], -1), rnd(130, 4, 10));
    parity("logSoftmax last", in -> Functional.logSoftmax(in[0], 1), rnd(131, 4, 300));
    parity("softmax middle", in -> Functional.softmax(in[0], 1), rnd(132, 2, 5, 3, 4));
    parity("logSoftmax middle", in -> Functional.logSoftmax(in[0], 1), rnd(133, 2, 5, 3, 4));
    parity("softmax float64", F64, in -> Functional.softmax(in[0], 0), rnd(134, DType.FLOAT64, 6, 3));
    Tensor inf = Tensor.fromArray(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, 2f}, 2, 2);
    parity("softmax -inf row", in -> Functional.softmax(in[0], 1), inf);
  }

  @Test
  void losses() {
    Tensor logits = rnd(140, 8, 5);
    Tensor y = labels(141, 5, 8);
    Tensor cw = positive(142, 5);
    parity("crossEntropy", in -> Functional.crossEntropy(in[0], in[1]), logits, y);
    parity("crossEntropy sum weighted ignore", in -> Functional.crossEntropy(in[0], in[1], in[2], 2, Reduction.SUM, 0.0),
        logits, y, cw);
    parity("crossEntropy label smoothing", in -> Functional.crossEntropy(in[0], in[1], null, -100, Reduction.MEAN, 0.1),
        logits, y);
    parity("crossEntropy spatial", in -> Functional.crossEntropy(in[0], in[1], Reduction.NONE),
        rnd(143, 2, 4, 3, 3), labels(144, 4, 2, 3, 3));
    parity("nllLoss", in -> Functional.nllLoss(Functional.logSoftmax(in[0], 1), in[1]), logits, y);
    parity("nllLoss weighted none", in -> Functional.nllLoss(in[0], in[1], in[2], -100, Reduction.NONE), logits, y, cw);
    parity("mseLoss", in -> Functional.mseLoss(in[0], in[1]), rnd(145, 4, 3), rnd(146, 4, 3));
    parity("l1Loss", in -> Functional.l1Loss(in[0], in[1]), rnd(147, 4, 3), rnd(148, 4, 3));
    parity("bceWithLogits", in -> Functional.binaryCrossEntropyWithLogits(in[0], in[1]),
        rnd(149, 4, 3), rnd(150, 4, 3).sigmoid());
    parity("crossEntropy float64", F64, in -> Functional.crossEntropy(in[0], in[1]),
        rnd(151, DType.FLOAT64, 6, 4), labels(152, 4, 6));
  }

  @Test
  void embeddingAndDropout() {
    Tensor w = rnd(160, 7, 4);
    Tensor idx = Tensor.fromArray(new long[] {1, 3, 3, 0, 6, 1}, 2, 3);
    parity("embedding", in -> Functional.embedding(in[0], in[1]), idx, w);
    parity("embedding padding", in -> Functional.embedding(in[0], in[1], 3), idx, w);
    parity("dropout", in -> Functional.dropout(in[0], 0.3, true, new Generator(5)), rnd(161, 6, 6));
  }

  /**
   * Alpha dropout's training path (issue 20; the registry covers its deterministic paths): the
   * same generator seed gives the same mask on every device, so forward and gradient agree.
   */
  @Test
  void alphaDropoutInTraining() {
    parity("alphaDropout", in -> Functional.alphaDropout(in[0], 0.3, true, false,
        new Generator(5)), rnd(164, 6, 6));
    parity("featureAlphaDropout", in -> Functional.featureAlphaDropout(in[0], 0.3, true, false,
        new Generator(5)), rnd(165, 2, 3, 4, 4));
  }

  // ================================================================== moving data

  @Test
  void roundTripsAreExact() {
    float[] f = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, 1e38f, 3.25f};
    double[] d = {Double.NaN, Double.MAX_VALUE, -Double.MIN_VALUE, -0.0, Math.PI};
    long[] l = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 42};
    boolean[] z = {true, false, false, true};
    assertArrayEquals(bits(f), bits(Tensor.fromArray(f).to(GPU).cpu().toFloatArray()));
    assertArrayEquals(bits(d), bits(Tensor.fromArray(d).to(GPU).cpu().toDoubleArray()));
    assertArrayEquals(l, Tensor.fromArray(l).to(GPU).cpu().toLongArray());
    assertArrayEquals(z, Tensor.fromArray(z).to(GPU).cpu().toBooleanArray());
    assertArrayEquals(l, Tensor.fromArray(l).to(GPU).toLongArray());
    assertArrayEquals(bits(f), bits(Tensor.fromArray(f).to(GPU).toDouble().toFloat().cpu().toFloatArray()));
    Tensor g = Tensor.fromArray(f).to(GPU);
    assertEquals(GPU, g.toDouble().device());
    assertEquals(DType.FLOAT64, g.toDouble().dtype());
    assertEquals(3.25f, g.narrow(0, 6, 1).item(), 0);
    assertEquals(42, Tensor.fromArray(l).to(GPU).narrow(0, 4, 1).itemLong());
    // a non-contiguous view read back to the host
    Tensor m = rnd(170, 3, 4);
    assertArrayEquals(m.t().contiguous().toFloatArray(), m.to(GPU).t().toFloatArray());
    assertEquals(m.t().toString(), m.to(GPU).t().cpu().toString());
    assertTrue(m.to(GPU).toString().contains("device='cuda:0'"), m.to(GPU).toString());
    // empty tensors
    assertEquals(0, Tensor.zeros(Shape.of(0, 3), DType.FLOAT32, GPU).cpu().numel());
  }

  private static int[] bits(float[] a) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Float.floatToRawIntBits(a[i]);
    }
    return b;
  }

  private static long[] bits(double[] a) {
    long[] b = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Double.doubleToRawLongBits(a[i]);
    }
    return b;
  }

  @Test
  void mixedDevicesThrowNamingBoth() {
    Tensor a = rnd(180, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(a.to(GPU)));
    assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("cpu"), e.getMessage());
  }

  /** A small CNN with every kind of state: parameters, a BN with buffers, an int64 buffer. */
  static final class Net extends Module {
    final Conv2d conv = registerModule("conv", new Conv2d(1, 4, 3));
    final BatchNorm2d bn = registerModule("bn", new BatchNorm2d(4));
    final Linear fc = registerModule("fc", new Linear(4 * 6 * 6, 3));

    @Override
    public Tensor forward(Tensor x) {
      x = Functional.maxPool2d(Functional.relu(bn.call(conv.call(x))), 2);
      return fc.call(Functional.flatten(x, 1, -1));
    }
  }

  @Test
  void moduleCudaKeepsParameterIdentity() {
    Net net = new Net();
    List<Parameter> before = net.parameters();
    Map<String, Tensor> buffersBefore = net.namedBuffers();
    Optimizer opt = new SGD(before, 0.1, 0.9);
    Tensor x = rnd(190, 4, 1, 14, 14);
    Tensor y = labels(191, 3, 4);
    Functional.crossEntropy(net.call(x), y).backward(); // grads on the CPU first
    net.cuda();
    List<Parameter> after = net.parameters();
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertSame(before.get(i), after.get(i), "parameter " + i + " replaced");
      assertEquals(GPU, after.get(i).device());
      assertNotNull(after.get(i).grad(), "grad dropped");
      assertEquals(GPU, after.get(i).grad().device(), "grad not moved");
    }
    for (Map.Entry<String, Tensor> e : net.namedBuffers().entrySet()) {
      assertEquals(GPU, e.getValue().device(), e.getKey());
    }
    assertEquals(DType.INT64, net.namedBuffers().get("bn.num_batches_tracked").dtype());
    assertEquals(buffersBefore.keySet(), net.namedBuffers().keySet());
    // the optimizer made before cuda() trains the moved parameters
    Tensor w0 = net.fc.weight().cpu();
    opt.zeroGrad();
    Tensor loss = Functional.crossEntropy(net.call(x.to(GPU)), y.to(GPU));
    loss.backward();
    opt.step();
    assertEquals(GPU, net.fc.weight().device());
    assertTrue(net.fc.weight().cpu().sub(w0).abs().max().item() > 0, "optimizer did not update");
    net.toDouble();
    assertEquals(DType.FLOAT64, net.fc.weight().dtype());
    assertEquals(GPU, net.fc.weight().device());
    assertEquals(DType.INT64, net.namedBuffers().get("bn.num_batches_tracked").dtype());
    net.cpu();
    assertSame(before.get(0), net.parameters().get(0));
    assertEquals(Device.CPU, net.fc.weight().device());
    assertEquals(Device.CPU, net.namedBuffers().get("bn.running_mean").device());
  }

  // ================================================================== optimizers

  private static Tensor optimise(Device device, java.util.function.Function<List<Parameter>, Optimizer> make) {
    Linear l = new Linear(6, 3);
    try (var g = NoGrad.enter()) {
      l.weight().copyFrom(rnd(600, 3, 6));
      l.bias().copyFrom(rnd(601, 3));
    }
    l.to(device);
    Optimizer opt = make.apply(l.parameters());
    Tensor x = rnd(602, 5, 6).to(device);
    for (int i = 0; i < 3; i++) {
      opt.zeroGrad();
      Functional.mseLoss(l.call(x), rnd(603 + i, 5, 3).to(device)).backward();
      opt.step();
    }
    return l.weight().cpu();
  }

  @Test
  void optimizersStepTheSameOnBothDevices() {
    close("SGD momentum", optimise(Device.CPU, p -> new SGD(p, 0.1, 0.9)), optimise(GPU, p -> new SGD(p, 0.1, 0.9)), F32);
    close("Adam", optimise(Device.CPU, p -> new dev.jnn.optim.Adam(p, 0.01)),
        optimise(GPU, p -> new dev.jnn.optim.Adam(p, 0.01)), F32);
    close("AdamW", optimise(Device.CPU, p -> new dev.jnn.optim.AdamW(p, 0.01)),
        optimise(GPU, p -> new dev.jnn.optim.AdamW(p, 0.01)), F32);
  }

  // ================================================================== fused kernels, random masks

  /** The exact bits of a floating tensor's values (float32 widens to double exactly and injectively). */
  static long[] bitsOf(Tensor t) {
    return bits(t.toDoubleArray());
  }

  @Test
  void philoxKnownAnswersOnTheDevice() {
    CudaBackend be = (CudaBackend) dev.jnn.backend.Backends.forDevice(GPU);
    int[][] kat = dev.jnn.backend.PhiloxTest.KAT;
    dev.jnn.backend.HostBuffer in = dev.jnn.backend.HostBuffer.allocate(DType.INT64, 3 * kat.length);
    for (int v = 0; v < kat.length; v++) {
      for (int w = 0; w < 6; w += 2) {
        in.setLong(v * 3 + w / 2, (kat[v][w] & 0xFFFFFFFFL) | ((long) kat[v][w + 1] << 32));
      }
    }
    try (dev.jnn.backend.Buffer din = be.upload(GPU, in);
        dev.jnn.backend.Buffer dout = be.allocate(GPU, DType.INT64, 2 * kat.length)) {
      ThreadContext c = be.ctx(dout);
      be.rt.launch(c, "philox_words", 1, 1, 32,
          new KernelArgs().i64(kat.length).ptr(CudaBackend.in(c, din)).ptr(CudaBackend.out(c, dout)));
      dev.jnn.backend.HostBuffer out =
          be.download(dev.jnn.backend.View.contiguous(dout, new int[] {2 * kat.length}));
      for (int v = 0; v < kat.length; v++) {
        for (int w = 0; w < 4; w += 2) {
          long l = out.getLong(v * 2 + w / 2);
          assertEquals(kat[v][6 + w], (int) l, "vector " + v + " word " + w);
          assertEquals(kat[v][7 + w], (int) (l >>> 32), "vector " + v + " word " + (w + 1));
        }
      }
    }
  }

  @Test
  void dropoutMasksAreTheSameOnEveryDevice() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (long n : new long[] {1, 3, 4, 5, 1001, 70_003}) {
        Tensor c = dev.jnn.tensor.FusedOps.dropoutMask(Shape.of(n), dt, Device.CPU, 0.25, 1 / 0.75, -77);
        Tensor g = dev.jnn.tensor.FusedOps.dropoutMask(Shape.of(n), dt, GPU, 0.25, 1 / 0.75, -77);
        assertEquals(GPU, g.device());
        assertArrayEquals(bitsOf(c), bitsOf(g.cpu()), "mask of " + n + " " + dt);
      }
    }
    // the layer: same generator state, same output and gradient on both devices, exactly
    Tensor x = rnd(170, 9, 11);
    Tensor yc = Functional.dropout(x, 0.4, true, new Generator(3));
    Tensor yg = Functional.dropout(x.to(GPU), 0.4, true, new Generator(3));
    assertArrayEquals(bitsOf(yc), bitsOf(yg.cpu()));
  }

  /**
   * Channel dropout's random path (issue 19 part 3; the op registry covers only its deterministic
   * paths): the default generator seeded alike before each device's call gives the same mask,
   * so the same output and gradient, bit for bit, batched, unbatched and in place.
   */
  @Test
  void channelDropoutIsTheSameOnEveryDevice() {
    long[][] shapes = {{4, 6, 5}, {6, 5}, {3, 4, 2, 3}, {3, 4, 2, 2, 2}, {5, 2, 2, 2}};
    int[] kinds = {1, 1, 2, 3, 3};
    for (int i = 0; i < shapes.length; i++) {
      Tensor x = rnd(180 + i, shapes[i]);
      long[][] bits = new long[2][];
      long[][] grads = new long[2][];
      for (int d = 0; d < 2; d++) {
        Generator.manualSeed(44);
        Tensor xi = (d == 0 ? x : x.to(GPU)).detach().requiresGrad(true);
        Tensor y = switch (kinds[i]) {
          case 1 -> Functional.dropout1d(xi, 0.4, true);
          case 2 -> Functional.dropout2d(xi, 0.4, true);
          default -> Functional.dropout3d(xi, 0.4, true);
        };
        y.backward(Tensor.onesLike(y));
        bits[d] = bitsOf(y.cpu());
        grads[d] = bitsOf(xi.grad().cpu());
        // in place, on a tensor that does not require grad
        Generator.manualSeed(45);
        Tensor z = (d == 0 ? x.clone() : x.to(GPU));
        Functional.dropout3d(z, 0.5, true, true);
        if (d == 0) {
          bits[0] = concat(bits[0], bitsOf(z));
        } else {
          bits[1] = concat(bits[1], bitsOf(z.cpu()));
        }
      }
      assertArrayEquals(bits[0], bits[1], "dropout" + kinds[i] + "d " + java.util.Arrays.toString(shapes[i]));
      assertArrayEquals(grads[0], grads[1], "gradient " + java.util.Arrays.toString(shapes[i]));
    }
  }

  private static long[] concat(long[] a, long[] b) {
    long[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * Embedding's max_norm renormalises the looked-up rows of the parameter in place on the
   * device as on the CPU (the scatter into a contiguous weight, and through a view), and its
   * scale_grad_by_freq gradient agrees.
   */
  @Test
  void embeddingMaxNormRenormalisesTheParameterOnTheDevice() {
    Tensor w = rnd(190, 7, 4).mul(2.0);
    Tensor idx = Tensor.fromArray(new long[] {1, 3, 3, 0, 6, 1}, 2, 3);
    Tensor[] after = new Tensor[2];
    Tensor[] grads = new Tensor[2];
    for (int d = 0; d < 2; d++) {
      Device on = d == 0 ? Device.CPU : GPU;
      Embedding e = Embedding.fromPretrained(w.clone().to(on), false, null, 1.5, 2.0, true, false);
      e.call(idx.to(on)).sum().backward();
      after[d] = e.weight().detach().cpu();
      grads[d] = e.weight().grad().cpu();
    }
    close("renormalised weight", after[0], after[1], F32);
    close("scaled gradient", grads[0], grads[1], F32);
    // a non-contiguous weight (a transposed view): renormalised through the view
    Tensor wt = rnd(191, 4, 7).mul(2.0);
    Tensor[] viewAfter = new Tensor[2];
    for (int d = 0; d < 2; d++) {
      Tensor base = (d == 0 ? wt.clone() : wt.to(GPU));
      Functional.embedding(idx.to(base.device()), base.t(), null, 1.0, 1.0, false, false);
      viewAfter[d] = base.cpu();
    }
    close("renormalised through a view", viewAfter[0], viewAfter[1], F32);
  }

  /** The optimizers of {@link #fusedOptimizerUpdatesMatchTheCpuBitForBit}. */
  static final Map<String, java.util.function.Function<List<Parameter>, Optimizer>> UPDATES =
      new java.util.LinkedHashMap<>();

  static {
    UPDATES.put("SGD", p -> new SGD(p, 0.1));
    UPDATES.put("SGD momentum dampening wd maximize", p -> new SGD(p, 0.1, 0.9, 0.2, 1e-3, false, true));
    UPDATES.put("SGD nesterov wd", p -> new SGD(p, 0.05, 0.8, 0, 1e-2, true, false));
    UPDATES.put("Adam", p -> new dev.jnn.optim.Adam(p, 1e-2));
    UPDATES.put("Adam wd amsgrad maximize",
        p -> new dev.jnn.optim.Adam(p, 1e-2, 0.8, 0.99, 1e-6, 0.1, true, true));
    UPDATES.put("AdamW", p -> new dev.jnn.optim.AdamW(p, 1e-2));
    UPDATES.put("AdamW amsgrad", p -> new dev.jnn.optim.AdamW(p, 3e-3, 0.9, 0.95, 1e-8, 0.05, true, false));
  }

  @Test
  void fusedOptimizerUpdatesMatchTheCpuBitForBit() {
    // the same gradients on both devices: the update kernels (single rounding per operation,
    // never contracted to FMA) must reproduce the CPU's arithmetic exactly
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (Map.Entry<String, java.util.function.Function<List<Parameter>, Optimizer>> e : UPDATES.entrySet()) {
        Tensor init = rnd(900, dt, 33, 7);
        Parameter pc = new Parameter(init.clone());
        Parameter pg = new Parameter(init.to(GPU));
        Optimizer oc = e.getValue().apply(List.of(pc));
        Optimizer og = e.getValue().apply(List.of(pg));
        for (int s = 0; s < 4; s++) {
          Tensor g = rnd(901 + s, dt, 33, 7).mul(s == 1 ? 1e-7 : 1.0);
          pc.setGrad(g.clone());
          pg.setGrad(g.to(GPU));
          oc.step();
          og.step();
          assertArrayEquals(bitsOf(pc), bitsOf(pg.cpu()), e.getKey() + " " + dt + " step " + s);
        }
        assertEquals(GPU, pg.device());
      }
    }
  }

  // ================================================================== training

  /** docs/PERFORMANCE.md workload b's network. */
  static final class LeNet extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5));
    final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 50, 5));
    final Linear fc1 = registerModule("fc1", new Linear(800, 500));
    final Linear fc2 = registerModule("fc2", new Linear(500, 10));

    @Override
    public Tensor forward(Tensor x) {
      x = Functional.maxPool2d(Functional.relu(conv1.call(x)), 2);
      x = Functional.maxPool2d(Functional.relu(conv2.call(x)), 2);
      x = Functional.flatten(x, 1, -1);
      return fc2.call(Functional.relu(fc1.call(x)));
    }
  }

  /** Batch size of the training comparison (small enough for the emulation). */
  int trainingBatch() {
    return 8;
  }

  /** Steps of the training comparison. */
  int trainingSteps() {
    return 5;
  }

  private double[] train(Device device, int batch, int steps) {
    LeNet net = new LeNet();
    // same initial weights on both devices
    try (var g = NoGrad.enter()) {
      int k = 0;
      for (Parameter p : net.parameters()) {
        long fanIn = p.dim() > 1 ? p.numel() / p.size(0) : p.size(0);
        p.copyFrom(rnd(200 + k, p.shape().dims()).mul(1.0 / Math.sqrt(fanIn)));
        k++;
      }
    }
    net.to(device);
    Optimizer opt = new SGD(net.parameters(), 0.01, 0.9);
    double[] losses = new double[steps];
    // one fixed batch: the loss must fall as the network memorises it
    Tensor x = rnd(300, batch, 1, 28, 28).to(device);
    Tensor y = labels(400, 10, batch).to(device);
    for (int s = 0; s < steps; s++) {
      opt.zeroGrad();
      Tensor loss = Functional.crossEntropy(net.call(x), y);
      loss.backward();
      opt.step();
      losses[s] = loss.item();
    }
    return losses;
  }

  @Test
  void leNetTrainingMatchesCpu() {
    int batch = trainingBatch();
    int steps = trainingSteps();
    double[] cpu = train(Device.CPU, batch, steps);
    double[] gpu = train(GPU, batch, steps);
    for (int s = 0; s < steps; s++) {
      assertEquals(cpu[s], gpu[s], 1e-3, "loss of step " + s + ": CPU " + cpu[s] + ", CUDA " + gpu[s]);
    }
    assertTrue(gpu[steps - 1] < gpu[0], "the loss did not decrease: " + java.util.Arrays.toString(gpu));
  }

  // ================================================================== recurrent layers

  /**
   * LSTM (bidirectional, 2 layers, with and without proj_size, batch_first, without bias) and GRU
   * (bidirectional, 2 layers), which are composites of linear, the fused cells, the LSTM layer op
   * ({@code RnnLayerOps}), stack and cat: outputs, final states and the
   * gradients of the input, the initial states and every parameter on the device against the CPU,
   * in float32 and float64; the same for an unsorted {@code PackedSequence} input (packed output
   * data, final states in the input's batch order, gradients of the padded input).
   */
  @Test
  void recurrentLayersMatchCpu() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      recurrentParity(
          "LSTM " + dt,
          () -> LSTM.builder(3, 5).numLayers(2).bidirectional(true).projSize(2).batchFirst(true)
              .dtype(dt).build(),
          rnd(700, dt, 2, 4, 3), rnd(701, dt, 4, 2, 2), rnd(702, dt, 4, 2, 5));
      // without proj_size each direction is one RnnLayerOps.lstmLayer op (per-step GEMMs at
      // buffer offsets, W_hh's gradient as one GEMM over the sequence)
      recurrentParity(
          "LSTM (layer op) " + dt,
          () -> LSTM.builder(3, 5).numLayers(2).bidirectional(true).dtype(dt).build(),
          rnd(710, dt, 4, 2, 3), rnd(711, dt, 4, 2, 5), rnd(712, dt, 4, 2, 5));
      recurrentParity(
          "LSTM (layer op, no bias) " + dt,
          () -> LSTM.builder(3, 5).bias(false).batchFirst(true).dtype(dt).build(),
          rnd(713, dt, 2, 4, 3), rnd(714, dt, 1, 2, 5), rnd(715, dt, 1, 2, 5));
      recurrentParity(
          "GRU " + dt,
          () -> GRU.builder(3, 5).numLayers(2).bidirectional(true).dtype(dt).build(),
          rnd(703, dt, 4, 2, 3), rnd(704, dt, 4, 2, 5), null);
      // PackedSequence input, unsorted (sorted_indices / unsorted_indices on the device)
      long[] lengths = {2, 4, 1};
      recurrentParity(
          "packed LSTM " + dt,
          () -> LSTM.builder(3, 5).numLayers(2).bidirectional(true).projSize(2).dtype(dt).build(),
          lengths, rnd(705, dt, 4, 3, 3), rnd(706, dt, 4, 3, 2), rnd(707, dt, 4, 3, 5));
      recurrentParity(
          "packed GRU " + dt,
          () -> GRU.builder(3, 5).numLayers(2).bidirectional(true).batchFirst(true).dtype(dt)
              .build(),
          lengths, rnd(708, dt, 3, 4, 3), rnd(709, dt, 4, 3, 5), null);
    }
  }

  /**
   * The fused cells behind the layers ({@code RnnOps}: PyTorch's {@code _thnn_fused_lstm_cell} /
   * {@code _thnn_fused_gru_cell}, jnn's {@code rnn.cuh} kernels) with every option the layers do
   * not use: biases passed to the op, hidden sizes below, at and past the CPU's vector width, a
   * non-contiguous gate input, an unused {@code cy}; forward and all gradients against the CPU in
   * float32 and float64, and the same autograd node on both devices.
   */
  @Test
  void fusedRecurrentCellsMatchCpu() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      for (int h : new int[] {3, 8, 19}) {
        for (boolean bias : new boolean[] {false, true}) {
          for (boolean lstm : new boolean[] {true, false}) {
            int gates = lstm ? 4 : 3;
            long seed = 760 + h * 10 + (bias ? 1 : 0) + (lstm ? 2 : 0);
            String name = (lstm ? "lstm" : "gru") + " cell " + dt + " h=" + h
                + (bias ? " with bias" : "");
            List<Tensor> in = new ArrayList<>();
            // the input gates transposed: a non-contiguous operand
            in.add(rnd(seed, dt, (long) gates * h, 5).t());
            in.add(rnd(seed + 1, dt, 5, (long) gates * h));
            in.add(rnd(seed + 2, dt, 5, h));
            in.add(bias ? rnd(seed + 3, dt, (long) gates * h) : null);
            in.add(bias ? rnd(seed + 4, dt, (long) gates * h) : null);
            List<Tensor> inC = new ArrayList<>();
            List<Tensor> inG = new ArrayList<>();
            for (Tensor t : in) {
              inC.add(t == null ? null : t.detach().requiresGrad(true));
              inG.add(t == null ? null : t.to(GPU).detach().requiresGrad(true));
            }
            List<Tensor> outC = fusedCell(lstm, inC);
            List<Tensor> outG = fusedCell(lstm, inG);
            Tensor w = rnd(seed + 5, dt, 5, h);
            // only hy feeds the loss: cy's gradient is the engine's zero
            outC.get(0).mul(w).sum().backward();
            outG.get(0).mul(w.to(GPU)).sum().backward();
            double tol = tolOf(w);
            for (int i = 0; i < outC.size(); i++) {
              assertEquals(GPU, outG.get(i).device(), name + ": output " + i + " device");
              assertEquals(outC.get(i).gradFn().name(), outG.get(i).gradFn().name(),
                  name + ": grad_fn");
              close(name + " output " + i, outC.get(i), outG.get(i).cpu(), tol);
            }
            for (int i = 0; i < in.size(); i++) {
              if (in.get(i) != null) {
                close(name + " grad of input " + i, inC.get(i).grad(), inG.get(i).grad().cpu(),
                    tol);
              }
            }
          }
        }
      }
    }
  }

  private static List<Tensor> fusedCell(boolean lstm, List<Tensor> a) {
    if (lstm) {
      return List.of(dev.jnn.tensor.RnnOps.lstmCell(a.get(0), a.get(1), a.get(2), a.get(3),
          a.get(4)));
    }
    return List.of(dev.jnn.tensor.RnnOps.gruCell(a.get(0), a.get(1), a.get(2), a.get(3),
        a.get(4)));
  }

  /** A fused cell with operands on two devices: the op's name and both devices in the message. */
  @Test
  void fusedRecurrentCellRejectsMixedDevices() {
    Tensor g = rnd(790, 2, 8).to(GPU);
    Tensor c = rnd(791, 2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> dev.jnn.tensor.RnnOps.lstmCell(g, g, c, null, null));
    assertEquals("_thnn_fused_lstm_cell: expected all tensors on " + GPU
        + " (input_gates'), got cx on cpu", e.getMessage());
  }

  /**
   * The cells ({@code LSTMCell}, {@code GRUCell}, batched and unbatched, with and without bias)
   * and unidirectional single-layer LSTM/GRU without bias at a hidden size past the CPU's vector
   * width: outputs and all gradients against the CPU, float32 and float64.
   */
  @Test
  void recurrentCellsMatchCpu() {
    for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
      for (boolean bias : new boolean[] {true, false}) {
        cellParity("LSTMCell " + dt + " bias=" + bias,
            () -> dev.jnn.nn.layers.LSTMCell.builder(4, 9).bias(bias).dtype(dt).build(),
            rnd(800, dt, 3, 4), rnd(801, dt, 3, 9), rnd(802, dt, 3, 9));
        cellParity("GRUCell " + dt + " bias=" + bias,
            () -> dev.jnn.nn.layers.GRUCell.builder(4, 9).bias(bias).dtype(dt).build(),
            rnd(803, dt, 3, 4), rnd(804, dt, 3, 9), null);
        // unbatched, zero initial state
        cellParity("unbatched LSTMCell " + dt + " bias=" + bias,
            () -> dev.jnn.nn.layers.LSTMCell.builder(4, 9).bias(bias).dtype(dt).build(),
            rnd(805, dt, 4), null, null);
        cellParity("unbatched GRUCell " + dt + " bias=" + bias,
            () -> dev.jnn.nn.layers.GRUCell.builder(4, 9).bias(bias).dtype(dt).build(),
            rnd(806, dt, 4), null, null);
      }
      recurrentParity(
          "LSTM without bias " + dt,
          () -> LSTM.builder(3, 9).bias(false).dtype(dt).build(),
          rnd(807, dt, 5, 2, 3), rnd(808, dt, 1, 2, 9), rnd(809, dt, 1, 2, 9));
      recurrentParity(
          "GRU without bias " + dt,
          () -> GRU.builder(3, 9).bias(false).batchFirst(true).dtype(dt).build(),
          rnd(810, dt, 2, 5, 3), rnd(811, dt, 1, 2, 9), null);
    }
  }

  private static void cellParity(
      String name, java.util.function.Supplier<Module> make, Tensor x, Tensor h0, Tensor c0) {
    Module cpu = make.get();
    Module gpu = make.get();
    gpu.loadStateDict(cpu.stateDict());
    gpu.to(GPU);
    List<Tensor> inC = new ArrayList<>();
    List<Tensor> inG = new ArrayList<>();
    for (Tensor t : new Tensor[] {x, h0, c0}) {
      inC.add(t == null ? null : t.detach().requiresGrad(true));
      inG.add(t == null ? null : t.to(GPU).detach().requiresGrad(true));
    }
    List<Tensor> outC = runCell(cpu, inC);
    List<Tensor> outG = runCell(gpu, inG);
    double tol = tolOf(x);
    Tensor lossC = null;
    Tensor lossG = null;
    for (int i = 0; i < outC.size(); i++) {
      assertEquals(GPU, outG.get(i).device(), name + ": output " + i + " device");
      close(name + " output " + i, outC.get(i), outG.get(i).cpu(), tol);
      Tensor w = rnd(820 + i, x.dtype(), outC.get(i).shape().dims());
      Tensor termC = outC.get(i).mul(w).sum();
      Tensor termG = outG.get(i).mul(w.to(GPU)).sum();
      lossC = lossC == null ? termC : lossC.add(termC);
      lossG = lossG == null ? termG : lossG.add(termG);
    }
    lossC.backward();
    lossG.backward();
    for (int i = 0; i < inC.size(); i++) {
      if (inC.get(i) != null) {
        close(name + " grad of input " + i, inC.get(i).grad(), inG.get(i).grad().cpu(), tol);
      }
    }
    Map<String, Parameter> pc = cpu.namedParameters();
    Map<String, Parameter> pg = gpu.namedParameters();
    assertEquals(pc.keySet(), pg.keySet());
    for (String k : pc.keySet()) {
      close(name + " grad of " + k, pc.get(k).grad(), pg.get(k).grad().cpu(), tol);
    }
  }

  private static List<Tensor> runCell(Module m, List<Tensor> in) {
    if (m instanceof dev.jnn.nn.layers.LSTMCell cell) {
      dev.jnn.nn.layers.LSTMState s = in.get(1) == null
          ? cell.callOutput(in.get(0))
          : cell.callOutput(in.get(0), in.get(1), in.get(2));
      return List.of(s.h(), s.c());
    }
    return List.of(in.get(1) == null ? m.call(in.get(0)) : m.call(in.get(0), in.get(1)));
  }

  private static List<Tensor> runRecurrent(
      Module m, long[] lengths, Tensor x, Tensor h0, Tensor c0) {
    if (lengths != null) {
      dev.jnn.nn.layers.RNNBase<?> r = (dev.jnn.nn.layers.RNNBase<?>) m;
      PackedSequence p = RnnUtils.packPaddedSequence(x, lengths, r.batchFirst(), false);
      if (m instanceof LSTM lstm) {
        PackedLSTMOutput o = lstm.callPacked(p, h0, c0);
        assertEquals(GPU.equals(x.device()), o.output().isCuda(), "packed output device");
        return List.of(o.output().data(), o.hN(), o.cN());
      }
      PackedRNNOutput o = ((GRU) m).callPacked(p, h0);
      return List.of(o.output().data(), o.hN());
    }
    if (m instanceof LSTM lstm) {
      LSTMOutput o = lstm.callOutput(x, h0, c0);
      return List.of(o.output(), o.hN(), o.cN());
    }
    RNNOutput o = ((GRU) m).callOutput(x, h0);
    return List.of(o.output(), o.hN());
  }

  private static void recurrentParity(
      String name, java.util.function.Supplier<Module> make, Tensor x, Tensor h0, Tensor c0) {
    recurrentParity(name, make, null, x, h0, c0);
  }

  /** As above; with {@code lengths}, the input packed by {@code pack_padded_sequence} first. */
  private static void recurrentParity(
      String name,
      java.util.function.Supplier<Module> make,
      long[] lengths,
      Tensor x,
      Tensor h0,
      Tensor c0) {
    Module cpu = make.get();
    Module gpu = make.get();
    gpu.loadStateDict(cpu.stateDict());
    gpu.to(GPU);
    double tol = tolOf(x);
    List<Tensor> inC = new ArrayList<>();
    List<Tensor> inG = new ArrayList<>();
    for (Tensor t : new Tensor[] {x, h0, c0}) {
      inC.add(t == null ? null : t.detach().requiresGrad(true));
      inG.add(t == null ? null : t.to(GPU).detach().requiresGrad(true));
    }
    List<Tensor> outC = runRecurrent(cpu, lengths, inC.get(0), inC.get(1), inC.get(2));
    List<Tensor> outG = runRecurrent(gpu, lengths, inG.get(0), inG.get(1), inG.get(2));
    Tensor lossC = null;
    Tensor lossG = null;
    for (int i = 0; i < outC.size(); i++) {
      assertEquals(GPU, outG.get(i).device(), name + ": output " + i + " device");
      close(name + " output " + i, outC.get(i), outG.get(i).cpu(), tol);
      Tensor w = rnd(710 + i, x.dtype(), outC.get(i).shape().dims());
      Tensor termC = outC.get(i).mul(w).sum();
      Tensor termG = outG.get(i).mul(w.to(GPU)).sum();
      lossC = lossC == null ? termC : lossC.add(termC);
      lossG = lossG == null ? termG : lossG.add(termG);
    }
    lossC.backward();
    lossG.backward();
    for (int i = 0; i < inC.size(); i++) {
      if (inC.get(i) != null) {
        close(name + " grad of input " + i, inC.get(i).grad(), inG.get(i).grad().cpu(), tol);
      }
    }
    Map<String, Parameter> pc = cpu.namedParameters();
    Map<String, Parameter> pg = gpu.namedParameters();
    assertEquals(pc.keySet(), pg.keySet());
    for (String k : pc.keySet()) {
      assertEquals(GPU, pg.get(k).grad().device(), name + " " + k + " grad device");
      close(name + " grad of " + k, pc.get(k).grad(), pg.get(k).grad().cpu(), tol);
    }
  }

  // ================================================================== memory

  static long allocatedAfterGc() throws InterruptedException {
    return allocatedAfterGc(Long.MAX_VALUE);
  }

  /**
   * The allocated bytes once garbage collection has settled: collects until two readings agree
   * and are at most {@code target}, for up to 2 s (the Cleaner returns buffers some time after a
   * collection, so one unchanged reading alone can come too early).
   */
  static long allocatedAfterGc(long target) throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 80; i++) {
      System.gc();
      Thread.sleep(25);
      // frees of collected buffers are stream-ordered: let queued work (and them) complete, or
      // they land inside whatever the caller measures next (seen in random-order emulation)
      Cuda.synchronize();
      long now = Cuda.memoryStats().allocatedBytes();
      if (now == last && now <= target) {
        return now;
      }
      last = now;
    }
    return last;
  }

  @Test
  void memoryIsFreedAndAccounted() throws InterruptedException {
    Cuda.synchronize();
    long base = allocatedAfterGc();
    // explicit close frees at once
    Tensor t = Tensor.zeros(Shape.of(1000, 1000), DType.FLOAT32, GPU);
    long with = Cuda.memoryStats().allocatedBytes();
    assertTrue(with >= base + 4_000_000L, "allocation not accounted: " + base + " -> " + with);
    t.close();
    long closed = Cuda.memoryStats().allocatedBytes();
    assertTrue(closed <= with - 4_000_000L, "close did not free: " + with + " -> " + closed);
    assertTrue(Cuda.memoryStats().peakAllocatedBytes() >= with);
    // a burst of unclosed temporaries comes back through the Cleaner
    Tensor x = rnd(500, 64, 64).to(GPU);
    for (int i = 0; i < 20; i++) {
      x = x.mul(0.5).add(1.0).tanh();
    }
    x.sum().item();
    x = null;
    long end = allocatedAfterGc(base);
    assertTrue(end <= base, "live bytes did not return to the baseline: " + base + " -> " + end);
    MemoryStats s = Cuda.memoryStats();
    assertTrue(s.reservedBytes() >= s.allocatedBytes(), s.toString());
    Cuda.emptyCache();
    assertEquals(Cuda.memoryStats().allocatedBytes(), Cuda.memoryStats().reservedBytes(),
        "emptyCache kept cached blocks");
  }

  /**
   * The SPI's accounting ({@link dev.jnn.backend.MemoryOps#allocationStats}) is the caching
   * allocator's: a training step run in a {@link dev.jnn.tensor.MemoryScope} leaves the allocated
   * bytes and live buffers where they were, its temporaries raise the peak, and every allocation
   * counts once.
   */
  @Test
  void aTrainingStepInAScopeLeavesAllocatedBytesWhereTheyWere() throws InterruptedException {
    dev.jnn.backend.Backend be = dev.jnn.backend.Backends.forDevice(GPU);
    for (String name : new String[] {"SGD momentum dampening wd maximize", "Adam"}) {
      Generator.manualSeed(12);
      Module model = new dev.jnn.nn.Sequential(
          new Conv2d(1, 4, 3), new BatchNorm2d(4), new dev.jnn.nn.layers.ReLU(),
          new dev.jnn.nn.layers.MaxPool2d(2), new dev.jnn.nn.layers.Flatten(),
          new Linear(4 * 3 * 3, 3)).to(GPU);
      Optimizer opt = UPDATES.get(name).apply(model.parameters());
      Tensor x = rnd(1201, 8, 1, 8, 8).to(GPU);
      Tensor y = Tensor.fromArray(new long[] {0, 1, 2, 0, 1, 2, 0, 1}).to(GPU);
      Runnable step = () -> {
        try (dev.jnn.tensor.MemoryScope s = dev.jnn.tensor.MemoryScope.open()) {
          Tensor loss = Functional.crossEntropy(model.call(x), y);
          opt.zeroGrad(false);
          loss.backward();
          opt.step();
        }
      };
      step.run(); // gradients, optimizer state and cuDNN workspaces stay
      Cuda.synchronize();
      allocatedAfterGc(); // buffers earlier tests dropped come back now, not during the steps
      for (int i = 0; i < 2; i++) {
        allocatedAfterGc();
        dev.jnn.backend.AllocationStats before = be.allocationStats(GPU);
        assertEquals(Cuda.memoryStats().allocatedBytes(), before.allocatedBytes(),
            "the SPI reports the allocator's counters");
        assertEquals(Cuda.memoryStats().liveBuffers(), before.liveBuffers());
        be.resetPeakAllocation(GPU);
        step.run();
        dev.jnn.backend.AllocationStats after = be.allocationStats(GPU);
        String what = name + " step " + (i + 2);
        assertEquals(before.allocatedBytes(), after.allocatedBytes(), what + ": bytes left behind");
        assertEquals(before.liveBuffers(), after.liveBuffers(), what + ": buffers left behind");
        assertTrue(after.peakAllocatedBytes() > before.allocatedBytes(),
            what + ": the step's temporaries raise the peak");
        assertTrue(after.totalAllocations() > before.totalAllocations(), what);
        assertEquals(Cuda.memoryStats().peakAllocatedBytes(), after.peakAllocatedBytes());
      }
    }
  }

  @Test
  void describeAndSynchronize() {
    assertTrue(Cuda.isAvailable());
    assertNull(Cuda.unavailableReason());
    assertTrue(Cuda.deviceCount() >= 1);
    String d = Cuda.describe();
    assertTrue(d.contains("cuda:0"), d);
    Cuda.synchronize();
    Cuda.synchronize(0);
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(Shape.of(2), DType.FLOAT32, Device.cuda(99)));
  }

  /**
   * After the suite every tensor it created is unreachable: once the garbage collector has run,
   * the allocator must hold no bytes but the back end's own (error block, cuDNN workspaces).
   */
  static void assertNoTensorMemoryLeft() throws InterruptedException {
    DeviceState d = ((CudaBackend) dev.jnn.backend.Backends.forDevice(GPU)).rt.device(0);
    long left = -1;
    for (int i = 0; i < 40 && left != 0; i++) {
      System.gc();
      Thread.sleep(25);
      left = d.allocator.stats().allocatedBytes() - d.internalBytes.get();
    }
    assertEquals(0, left, "device bytes still held by tensors after the suite: " + d.allocator.stats());
  }

  /** Operations run after this suite's tests leave no live buffers behind (checked last). */
  static List<String> leakReport() {
    List<String> out = new ArrayList<>();
    for (MemoryStats s : Cuda.allMemoryStats()) {
      out.add(s.toString());
    }
    return out;
  }
}
