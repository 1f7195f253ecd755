package dev.jnn.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code torch.norm(x, p='nuc')} needs singular values, which jnn does not compute: a valid call
 * raises UnsupportedOperationException naming the op (the registry's norm.str / norm.str_dims
 * entries cover "fro" and the inputs where PyTorch itself raises).
 */
class MatrixNormNucTest {
  @Test
  void nuclearNormIsNotSupported() {
    Tensor x = Tensor.randn(3, 4);
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> x.norm("nuc"));
    assertTrue(e.getMessage().startsWith("norm(p='nuc')"), e.getMessage());
    e = assertThrows(UnsupportedOperationException.class,
        () -> Tensor.randn(2, 3, 4).norm("nuc", new int[] {0, 2}, true));
    assertTrue(e.getMessage().startsWith("norm(p='nuc')"), e.getMessage());
  }
}
