package dev.jnn.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.tensor.GoldenOps;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A float64 finite-difference gradient check ({@link GradCheck}) of every differentiable op of the
 * golden table (the *_f64 cases of {@code tensor_ops.txt} that have an upstream gradient), at the
 * same inputs PyTorch was run on.
 */
class GradCheckOpsTest {
  /**
   * Cases placed on purpose at points where the function is not differentiable, so central
   * differences disagree with any subgradient: clamp at its bounds, a max shared by three elements
   * (PyTorch splits the gradient evenly, 1/3 each; a one-sided perturbation sees 1/2), relu and abs
   * at 0. Their smooth counterparts (clamp_min, clamp_max, max_all, relu, abs) are checked; the
   * golden test pins PyTorch's subgradient choice at these points.
   */
  private static final Set<String> NON_SMOOTH =
      Set.of("clamp_f64", "max_all_ties_f64", "relu_at_zero_f64", "abs_at_zero_f64");

  static Stream<Golden.Case> differentiableCases() {
    return GoldenOps.opCases().stream()
        .filter(c -> c.name().endsWith("_f64") && c.has("gout") && !NON_SMOOTH.contains(c.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("differentiableCases")
  void gradcheck(Golden.Case c) {
    List<Tensor> xs = GoldenOps.inputs(c);
    int checked = 0;
    for (Tensor x : xs) {
      if (x.dtype() == DType.FLOAT64) {
        x.requiresGrad(true);
        checked++;
      }
    }
    if (checked == 0) {
      // to(float64) of a float32 input: check the same op from a float64 input instead
      xs.set(0, xs.get(0).to(DType.FLOAT64).requiresGrad(true));
    }
    boolean float32Out = c.tensor("out").dtype() == DType.FLOAT32;
    Function<List<Tensor>, Tensor> fn =
        ins -> {
          Tensor out = GoldenOps.first(GoldenOps.run(c, ins));
          return out.dtype() == DType.FLOAT64 ? out : out.to(DType.FLOAT64);
        };
    if (float32Out) {
      // to(float32): the output is rounded to float32, so differences need a larger step
      GradCheck.check(fn, 1e-3, 1e-4, 1e-3, xs.toArray(new Tensor[0]));
    } else {
      GradCheck.check(fn, xs.toArray(new Tensor[0]));
    }
  }

  @Test
  void detectsAWrongGradient() {
    Tensor x = Tensor.fromArray(new double[] {0.5, -1.0, 2.0}).requiresGrad(true);
    // a "square" whose backward claims 3x instead of 2x
    assertThrows(
        AssertionError.class,
        () ->
            GradCheck.check(
                ins -> new BadSquare().apply(ins.get(0))[0],
                x));
  }

  /** A "square" whose backward claims 3x instead of 2x. */
  static final class BadSquare extends dev.jnn.autograd.Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return new Tensor[] {in[0].mul(in[0])};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      return new Tensor[] {g[0].mul(ctx.savedTensors()[0]).mul(3.0)};
    }
  }

  @Test
  void rejectsFloat32Inputs() {
    Tensor x = Tensor.fromArray(new float[] {1f}).requiresGrad(true);
    assertThrows(IllegalArgumentException.class, () -> GradCheck.check(ins -> ins.get(0).exp(), x));
  }
}
