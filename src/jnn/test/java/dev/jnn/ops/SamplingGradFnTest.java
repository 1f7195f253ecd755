package dev.jnn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code grad_fn} names of {@code F.interpolate} (and {@code F.upsample*}), which {@link SamplingEntries} marks as
 * deviating because PyTorch 1.13 records its {@code .vec} overloads' {@code ...Backward1}: every
 * sample's name is 1.13's (from the registry fixture), an {@code Upsample...Backward1} read as
 * 2.x's {@code Upsample...Backward0} ({@code AdaptiveAvgPool2DBackward0} and 3-d area's {@code
 * SqueezeBackward1} and 5-d area's {@code AdaptiveAvgPool3DBackward0} as they are).
 */
class SamplingGradFnTest {
  @TestFactory
  Stream<DynamicTest> interpolateRecordsPyTorch2xNodeNames() {
    Map<String, Golden.Case> cases = OpRegistryGoldenTest.fixture();
    List<DynamicTest> r = new ArrayList<>();
    for (OpInfo op : OpRegistry.all()) {
      if (!op.name().startsWith("nn.functional.interpolate")
          && !op.name().startsWith("nn.functional.upsample")) {
        continue;
      }
      for (int i = 0; i < op.samples().size(); i++) {
        Sample s = op.samples().get(i);
        String name = op.caseName(i, DType.FLOAT64);
        r.add(DynamicTest.dynamicTest(name, () -> {
          Golden.Case c = cases.get(name);
          assertNotNull(c, name);
          List<Tensor> xs = OpInfo.inputs(s, DType.FLOAT64);
          xs.get(0).requiresGrad(true);
          Tensor out = OpInfo.first(op.call(xs, s));
          String torch113 = c.attr("grad_fn");
          String expected = torch113.startsWith("Upsample")
              ? torch113.replace("Backward1", "Backward0") : torch113;
          assertEquals(expected, out.gradFn().name(), name);
        }));
      }
    }
    return r.stream();
  }
}
