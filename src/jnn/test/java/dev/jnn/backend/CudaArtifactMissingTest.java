package dev.jnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.layers.Linear;
import dev.jnn.tensor.Tensor;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * dev.jnn:jnn alone (its test class path has no jnn-cuda): whatever asks for CUDA is told which
 * dependency to add, by its exact Maven coordinates.
 */
class CudaArtifactMissingTest {
  private static final Pattern COORDINATES =
      Pattern.compile("dev\\.jnn:jnn-cuda:\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

  @Test
  void cudaArtifactIsTheCoordinatesOfThisVersion() {
    assertTrue(COORDINATES.matcher(Backends.cudaArtifact()).matches(), Backends.cudaArtifact());
  }

  @Test
  void askingForCudaNamesTheDependencyToAdd() {
    Backends.setCudaBackendForTesting(null);
    String expected = "CUDA is not available: jnn's CUDA back end is not on the class or module path: add the"
        + " dependency " + Backends.cudaArtifact();
    CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
        () -> Tensor.zeros(Shape.of(2), DType.FLOAT32, Device.cuda()));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assertEquals(e.getMessage(), assertThrows(CudaUnavailableException.class,
        () -> Backends.forDevice(Device.cuda(1))).getMessage());
    assertThrows(CudaUnavailableException.class, () -> new Linear(2, 2).cuda());
    assertTrue(("CUDA is not available: " + Backends.cudaUnavailableReason()).startsWith(expected));
    // the CPU is unaffected
    assertEquals(Device.CPU, Tensor.zeros(Shape.of(2), DType.FLOAT32, Device.CPU).device());
  }
}
