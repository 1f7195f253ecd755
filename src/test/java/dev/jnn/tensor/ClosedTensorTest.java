package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * {@code toString()} of a closed tensor never throws (logging, debuggers), and {@code
 * Parameter.close()} releases the parameter's reference exactly as closing a view does.
 */
class ClosedTensorTest {
  @Test
  void aClosedTensorPrintsItsMetadataInsteadOfThrowing() {
    Tensor t = Tensor.ones(2, 3);
    t.close();
    assertTrue(t.isClosed());
    assertEquals("tensor(<closed>, size=[2, 3], dtype=torch.float32)", t.toString());
    assertThrows(IllegalStateException.class, t::sum); // using it still fails
    Tensor i = Tensor.zeros(Shape.of(4), DType.INT64, Device.CPU);
    i.close();
    assertEquals("tensor(<closed>, size=[4], dtype=torch.int64)", i.toString());
  }

  @Test
  void closingTheBaseLeavesAViewPrintableAndBothPrintWhenClosed() {
    Tensor base = Tensor.ones(4);
    Tensor v = base.narrow(0, 0, 2);
    base.close();
    assertEquals("tensor([1., 1.])", v.toString()); // the view keeps the storage alive
    v.close();
    assertEquals("tensor(<closed>, size=[2], dtype=torch.float32)", v.toString());
    assertEquals("tensor(<closed>, size=[4], dtype=torch.float32)", base.toString());
  }

  @Test
  void parameterCloseReleasesItsReferenceLikeAView() {
    Tensor data = Tensor.ones(2, 3);
    Parameter p = new Parameter(data);
    p.close();
    assertTrue(p.isClosed());
    assertEquals("Parameter containing:\ntensor(<closed>, size=[2, 3], dtype=torch.float32)", p.toString());
    // the wrapped tensor still holds the storage: its data is intact
    assertEquals(6.0, data.sum().item(), 0);
    data.close();
    assertTrue(data.isClosed());
    // both handles closed: the storage is freed, and every handle prints without throwing
    Tensor q = Tensor.ones(2);
    Parameter pq = new Parameter(q);
    q.close();
    // the parameter alone keeps the memory alive (read without autograd, which would keep a
    // reference of its own)
    assertArrayEquals(new float[] {1, 1}, pq.toFloatArray());
    pq.close();
    assertThrows(IllegalStateException.class, pq::toFloatArray);
    assertEquals("Parameter containing:\ntensor(<closed>, size=[2], dtype=torch.float32)", pq.toString());
    p.close(); // idempotent
  }
}
