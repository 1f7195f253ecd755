package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CudnnStatusTest {
  @Test
  void cudnn9CodesAreNamedByTheNewNumbering() {
    assertEquals("CUDNN_STATUS_SUCCESS", CudnnStatus.name(0, 91900));
    assertEquals("CUDNN_STATUS_BAD_PARAM", CudnnStatus.name(2000, 91900));
    assertEquals("CUDNN_STATUS_NOT_SUPPORTED", CudnnStatus.name(3000, 90100));
    assertEquals("CUDNN_STATUS_EXECUTION_FAILED_CUBLAS", CudnnStatus.name(5002, 91900));
    assertEquals("CUDNN_STATUS_NOT_SUPPORTED (family of 3999)", CudnnStatus.name(3999, 91900));
    assertEquals("unknown cuDNN 9 status 9", CudnnStatus.name(9, 91900));
    assertTrue(CudnnStatus.isNotSupported(3002, 91900));
    assertFalse(CudnnStatus.isNotSupported(9, 91900));
    assertEquals(3000, CudnnStatus.SHIM_MISSING);
  }

  @Test
  void cudnn8CodesKeepTheOldNumbering() {
    assertEquals("CUDNN_STATUS_BAD_PARAM", CudnnStatus.name(3, 8907));
    assertEquals("CUDNN_STATUS_NOT_SUPPORTED", CudnnStatus.name(9, 8907));
    assertEquals("unknown cuDNN 8 status 2000", CudnnStatus.name(2000, 8907));
    assertTrue(CudnnStatus.isNotSupported(9, 8907));
  }
}
