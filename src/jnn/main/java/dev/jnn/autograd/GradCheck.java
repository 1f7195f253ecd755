package dev.jnn.autograd;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Finite-difference gradient checking ({@code torch.autograd.gradcheck}): compares the Jacobian
 * computed by backward with central differences, in float64, with PyTorch's default tolerances
 * ({@code eps=1e-6, atol=1e-5, rtol=1e-3}).
 */
public final class GradCheck {
  /** Perturbation. */
  public static final double EPS = 1e-6;
  /** Absolute tolerance. */
  public static final double ATOL = 1e-5;
  /** Relative tolerance. */
  public static final double RTOL = 1e-3;

  private GradCheck() {}

  /**
   * Checks {@code fn} at {@code inputs} (float64 tensors; those with {@code requiresGrad} are
   * checked). Returns normally on success; throws {@link AssertionError} naming the input, output
   * element and both values on the first mismatch.
   */
  public static void check(Function<List<Tensor>, Tensor> fn, Tensor... inputs) {
    check(fn, EPS, ATOL, RTOL, inputs);
  }

  /** Same with explicit tolerances. */
  public static void check(
      Function<List<Tensor>, Tensor> fn, double eps, double atol, double rtol, Tensor... inputs) {
    for (Tensor t : inputs) {
      if (t.requiresGrad() && t.dtype() != DType.FLOAT64) {
        throw new IllegalArgumentException(
            "gradcheck expects float64 inputs that require grad, got " + t.dtype());
      }
    }
    List<Tensor> ins = Arrays.asList(inputs);
    Tensor out = fn.apply(ins);
    int m = Math.toIntExact(out.numel());
    double[][][] analytic = new double[inputs.length][][];
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].requiresGrad()) {
        analytic[i] = new double[m][];
      }
    }
    if (out.requiresGrad()) {
      for (int j = 0; j < m; j++) {
        for (Tensor t : inputs) {
          t.setGrad(null);
        }
        double[] seed = new double[m];
        seed[j] = 1.0;
        // reshape: fromArray with no dims would make a 0-d output's seed 1-D
        Tensor sd = Tensor.fromArray(seed).reshape(out.shape().dims()).to(out.dtype());
        Engine.backward(List.of(out), new ArrayList<>(List.of(sd)), true);
        for (int i = 0; i < inputs.length; i++) {
          if (analytic[i] != null) {
            Tensor g = inputs[i].grad();
            analytic[i][j] =
                g == null ? new double[Math.toIntExact(inputs[i].numel())] : g.toDoubleArray();
          }
        }
      }
    }
    for (Tensor t : inputs) {
      t.setGrad(null);
    }
    for (int i = 0; i < inputs.length; i++) {
      if (analytic[i] == null) {
        continue;
      }
      Tensor x = inputs[i];
      int n = Math.toIntExact(x.numel());
      for (int k = 0; k < n; k++) {
        double[] plus;
        double[] minus;
        double orig = elementAt(x, k);
        try (var g = NoGrad.enter()) {
          setElement(x, k, orig + eps);
          plus = fn.apply(ins).toDoubleArray();
          setElement(x, k, orig - eps);
          minus = fn.apply(ins).toDoubleArray();
          setElement(x, k, orig);
        }
        for (int j = 0; j < m; j++) {
          double num = (plus[j] - minus[j]) / (2 * eps);
          double ana = out.requiresGrad() ? analytic[i][j][k] : 0.0;
          if (Math.abs(num - ana) > atol + rtol * Math.abs(num)) {
            throw new AssertionError(
                "Jacobian mismatch for output " + j + " with respect to input " + i
                    + " element " + k + ",\nnumerical:" + num + "\nanalytical:" + ana);
          }
        }
      }
    }
  }

  private static double elementAt(Tensor x, int flat) {
    return x.detach().reshape(-1).narrow(0, flat, 1).item();
  }

  private static void setElement(Tensor x, int flat, double v) {
    Tensor d = x.detach();
    if (!d.isContiguous()) {
      throw new IllegalArgumentException("gradcheck inputs must be contiguous");
    }
    d.reshape(-1).narrow(0, flat, 1).fill(v);
  }
}
