package dev.jnn.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Parameter;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Init}'s contract beyond the distributions: in place, no grad, returns its argument. */
class InitTest {
  @Test
  void initialisesParametersInPlaceWithoutRecording() {
    Parameter p = new Parameter(Tensor.zeros(4, 3));
    int version = p.version();
    assertSame(p, Init.kaimingUniform(p, Math.sqrt(5)));
    assertSame(p, Init.xavierNormal(p));
    assertSame(p, Init.constant(p, 0.25));
    assertTrue(p.requiresGrad());
    assertTrue(p.isLeaf());
    assertNull(p.gradFn());
    assertTrue(p.version() > version);
    for (double v : p.toDoubleArray()) {
      assertEquals(0.25, v);
    }
    Init.ones(p);
    assertEquals(12.0, p.sum().item());
    Init.zeros(p);
    assertEquals(0.0, p.abs().sum().item());
    // works when grad mode is already off, and leaves it off
    try (NoGrad g = NoGrad.enter()) {
      Init.normal(p);
    }
  }

  @Test
  void keepsDtypeAndShape() {
    Tensor d = Tensor.zeros(Shape.of(50, 40), DType.FLOAT64, Device.CPU);
    Init.uniform(d, -1, 1, new Generator(1));
    assertEquals(DType.FLOAT64, d.dtype());
    assertEquals(Shape.of(50, 40), d.shape());
    assertTrue(d.abs().max().item() < 1.0);
    // a 0-d and a 1-d tensor can take the plain fills
    assertEquals(3.0, Init.constant(Tensor.scalar(0.0), 3.0).item());
    Init.normal(Tensor.zeros(7));
  }

  @Test
  void zeroElementTensorsAreLeftAlone() {
    Tensor t = Tensor.zeros(0, 5);
    assertSame(t, Init.kaimingUniform(t));
    assertSame(t, Init.kaimingNormal(t));
  }

  @Test
  void kaimingDefaultIsHeUniform() {
    // a = sqrt(5) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the layers' default
    Tensor w =
        Init.kaimingUniform(
            Tensor.zeros(64, 100), Math.sqrt(5), "fan_in", "leaky_relu", new Generator(2));
    assertTrue(w.abs().max().item() <= 0.1 + 1e-7);
    assertTrue(w.abs().max().item() > 0.099);
  }

  @Test
  void badArguments() {
    assertEquals(
        "uniform_ expects to return a [from, to) range, but found from=1.0 > to=0.0",
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(2), 1, 0))
            .getMessage());
    assertEquals(
        "normal_ expects std >= 0.0, but found std -1.0",
        assertThrows(IllegalArgumentException.class, () -> Init.normal(Tensor.zeros(2), 0, -1))
            .getMessage());
    assertEquals(
        "\"uniform_\" not implemented for 'Long'",
        assertThrows(
                IllegalArgumentException.class,
                () -> Init.uniform(Tensor.zeros(Shape.of(2), DType.INT64, Device.CPU)))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform(Tensor.zeros(3)));
  }
}
