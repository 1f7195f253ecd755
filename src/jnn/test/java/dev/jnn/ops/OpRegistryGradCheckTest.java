package dev.jnn.ops;

import dev.jnn.autograd.GradCheck;
import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A float64 finite-difference gradient check ({@link GradCheck}, PyTorch's tolerances) of every
 * differentiable registry op at every smooth, non-empty sample; samples marked {@link
 * Sample#nonSmooth()} sit on kinks or ties on purpose and are pinned by the golden test instead.
 */
class OpRegistryGradCheckTest {
  @TestFactory
  Stream<DynamicTest> gradcheck() {
    List<DynamicTest> r = new ArrayList<>();
    for (OpInfo op : OpRegistry.all()) {
      if (!op.differentiable()) {
        continue;
      }
      for (int i = 0; i < op.samples().size(); i++) {
        Sample s = op.samples().get(i);
        if (!s.smooth()) {
          continue;
        }
        String name = op.caseName(i, DType.FLOAT64);
        r.add(DynamicTest.dynamicTest(name + " " + s, () -> check(op, s)));
      }
    }
    return r.stream();
  }

  /**
   * GradCheck perturbs contiguous leaves: a transposed (non-contiguous) sample input is checked
   * through its contiguous base, the op still seeing the transposed view.
   */
  private static void check(OpInfo op, Sample s) {
    if (!OpInfo.first(op.call(OpInfo.inputs(s, DType.FLOAT64), s)).isFloatingPoint()) {
      return; // an integer or bool output (to(int64)): nothing to differentiate
    }
    List<Tensor> xs = OpInfo.inputs(s, DType.FLOAT64);
    boolean[] transposed = new boolean[xs.size()];
    for (int k = 0; k < xs.size(); k++) {
      Tensor x = xs.get(k);
      transposed[k] = s.inputs().get(k).layout().equals("transposed");
      if (transposed[k]) {
        x = swapLast(x).contiguous().detach();
      }
      if (s.inputs().get(k).requiresGrad()) {
        x.requiresGrad(true);
      }
      xs.set(k, x);
    }
    GradCheck.check(
        ins -> {
          List<Tensor> views = new ArrayList<>();
          for (int k = 0; k < ins.size(); k++) {
            views.add(transposed[k] ? swapLast(ins.get(k)) : ins.get(k));
          }
          return OpInfo.first(op.call(views, s));
        },
        xs.toArray(new Tensor[0]));
  }

  private static Tensor swapLast(Tensor x) {
    return x.transpose(x.dim() - 2, x.dim() - 1);
  }
}
