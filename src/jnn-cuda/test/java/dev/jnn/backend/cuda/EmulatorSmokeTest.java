package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.UnaryOp;
import dev.jnn.backend.View;
import dev.jnn.core.Device;
import org.junit.jupiter.api.Test;

class EmulatorSmokeTest {
  @Test
  void reluAndSum() {
    CudaBackend be = EmulatedCuda.backend();
    float[] x = {-1f, 2f, -3f, 4f, 5f, -6f};
    Buffer d = be.upload(Device.cuda(0), HostBuffer.wrap(x.clone()));
    Buffer o = be.allocate(Device.cuda(0), d.dtype(), 6);
    be.unary(UnaryOp.RELU, View.contiguous(d, new int[] {2, 3}), View.contiguous(o, new int[] {2, 3}), 0, 0);
    assertArrayEquals(new float[] {0, 2, 0, 4, 5, 0}, be.download(View.contiguous(o, new int[] {6})).floats());
    Buffer s = be.allocate(Device.cuda(0), d.dtype(), 2);
    be.reduce(ReduceOp.SUM, d, 0, 2, 3, s);
    assertArrayEquals(new float[] {-2f, 3f}, be.download(View.contiguous(s, new int[] {2})).floats());
  }
}
