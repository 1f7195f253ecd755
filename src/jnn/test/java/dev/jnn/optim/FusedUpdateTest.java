package dev.jnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The back ends' fused optimizer kernels against the optimizers' tensor-op arithmetic: bit for bit
 * (float32 on the CPU, where the fused kernels run), for every option that changes the update.
 */
class FusedUpdateTest {
  /** Runs 6 steps on two identical parameters, fused and unfused, and compares them bit for bit. */
  private static void same(String what, Function<List<Parameter>, Optimizer> make) {
    Generator gen = new Generator(11);
    Tensor init = Tensor.randn(Shape.of(37, 19), DType.FLOAT32, gen);
    Parameter fused = new Parameter(init.clone());
    Parameter plain = new Parameter(init.clone());
    Optimizer a = make.apply(List.of(fused));
    Optimizer b = make.apply(List.of(plain));
    for (int s = 0; s < 6; s++) {
      Tensor g = Tensor.randn(Shape.of(37, 19), DType.FLOAT32, gen);
      if (s == 2) {
        g = g.mul(1e-6); // tiny gradients: where Adam's rounding is most delicate
      }
      fused.setGrad(g.clone());
      plain.setGrad(g.clone());
      a.step();
      Optimizer.stepUnfused(b);
      float[] x = fused.toFloatArray();
      float[] y = plain.toFloatArray();
      for (int i = 0; i < x.length; i++) {
        assertEquals(Float.floatToIntBits(y[i]), Float.floatToIntBits(x[i]),
            what + ", step " + s + ", element " + i + ": fused " + x[i] + ", ops " + y[i]);
      }
    }
    // the parameter actually moved
    float[] x = fused.toFloatArray();
    float[] x0 = init.toFloatArray();
    int moved = 0;
    for (int i = 0; i < x.length; i++) {
      moved += x[i] != x0[i] ? 1 : 0;
    }
    assertEquals(x.length, moved, what + ": elements updated");
  }

  @Test
  void sgdVariants() {
    same("SGD", p -> new SGD(p, 0.1));
    same("SGD weight decay maximize", p -> new SGD(p, 0.05, 0, 0, 1e-2, false, true));
    same("SGD momentum", p -> new SGD(p, 0.1, 0.9));
    same("SGD momentum dampening weight decay", p -> new SGD(p, 0.1, 0.9, 0.3, 1e-3, false, false));
    same("SGD nesterov", p -> new SGD(p, 0.1, 0.9, 0, 1e-3, true, false));
  }

  @Test
  void adamVariants() {
    same("Adam", p -> new Adam(p, 1e-3));
    same("Adam weight decay amsgrad", p -> new Adam(p, 1e-2, 0.8, 0.99, 1e-6, 0.1, true, false));
    same("Adam maximize", p -> new Adam(p, 1e-2, 0.9, 0.999, 1e-8, 0, false, true));
    same("AdamW", p -> new AdamW(p, 1e-2));
    same("AdamW amsgrad maximize", p -> new AdamW(p, 3e-3, 0.9, 0.95, 1e-8, 0.05, true, true));
  }
}
