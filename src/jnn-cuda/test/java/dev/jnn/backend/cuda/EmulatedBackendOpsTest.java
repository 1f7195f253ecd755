package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.GemmSpec;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.ScatterSpec;
import dev.jnn.backend.UnaryOp;
import dev.jnn.backend.View;
import dev.jnn.backend.cpu.CpuBackend;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every op of the {@link dev.jnn.backend.Backend} SPI on every dtype, strided and broadcast
 * views included, CUDA (on the kernel emulator) against the CPU back end. Covers what the Tensor
 * level cannot reach (bool arithmetic, products, int64 accumulation, all 16 casts).
 */
class EmulatedBackendOpsTest {
  private static final Device GPU = Device.cuda(0);
  private final CpuBackend cpu = new CpuBackend();

  private static HostBuffer random(DType dt, int n, long seed) {
    Random r = new Random(seed);
    HostBuffer h = HostBuffer.allocate(dt, n);
    for (int i = 0; i < n; i++) {
      switch (dt) {
        case FLOAT32, FLOAT64 -> h.setDouble(i, Math.round(r.nextGaussian() * 8) / 4.0);
        case INT64 -> h.setLong(i, r.nextInt(11) - 5);
        case BOOL -> h.setLong(i, r.nextInt(2));
      }
    }
    return h;
  }

  private static HostBuffer copyOf(HostBuffer h) {
    HostBuffer c = HostBuffer.allocate(h.dtype(), h.numel());
    for (int i = 0; i < h.numel(); i++) {
      c.setDouble(i, h.getDouble(i));
      if (h.dtype() == DType.INT64) {
        c.setLong(i, h.getLong(i));
      }
    }
    return c;
  }

  private static View on(Buffer b, View shape) {
    return new View(b, shape.shape(), shape.strides(), shape.offset());
  }

  private static void same(String what, HostBuffer expected, HostBuffer actual, double tol) {
    assertEquals(expected.numel(), actual.numel(), what + ": size");
    for (int i = 0; i < expected.numel(); i++) {
      double e = expected.getDouble(i);
      double a = actual.getDouble(i);
      if (Double.isNaN(e) && Double.isNaN(a) || e == a) {
        continue;
      }
      if (expected.dtype() == DType.INT64 && expected.getLong(i) == actual.getLong(i)) {
        continue;
      }
      if (!(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)))) {
        fail(what + ": element " + i + " CPU " + e + " CUDA " + a);
      }
    }
  }

  /** A 3 x 4 view read transposed out of a 4 x 3 buffer with offset 2 (15 elements). */
  private static final View STRIDED = new View(null, new int[] {3, 4}, new int[] {1, 3}, 2);
  private static final View CONTIG = new View(null, new int[] {3, 4}, new int[] {4, 1}, 0);
  private static final View ROW_BCAST = new View(null, new int[] {3, 4}, new int[] {0, 1}, 1);

  @Test
  void copiesBetweenAllDtypes() {
    CudaBackend gpu = EmulatedCuda.backend();
    for (DType s : DType.values()) {
      for (DType d : DType.values()) {
        HostBuffer src = random(s, 15, s.ordinal() * 7 + d.ordinal());
        HostBuffer dc = HostBuffer.allocate(d, 12);
        cpu.copy(on(src, STRIDED), on(dc, CONTIG));
        Buffer gs = gpu.upload(GPU, copyOf(src));
        Buffer gd = gpu.allocate(GPU, d, 12);
        gpu.copy(on(gs, STRIDED), on(gd, CONTIG));
        same("copy " + s + "->" + d, dc, gpu.download(View.contiguous(gd, new int[] {12})), 0);
        // broadcast source into a strided destination
        HostBuffer dc2 = HostBuffer.allocate(d, 15);
        cpu.copy(on(src, ROW_BCAST), on(dc2, STRIDED));
        Buffer gd2 = gpu.allocate(GPU, d, 15);
        gpu.copy(on(gs, ROW_BCAST), on(gd2, STRIDED));
        same("broadcast copy " + s + "->" + d, dc2, gpu.download(View.contiguous(gd2, new int[] {15})), 0);
      }
    }
  }

  @Test
  void fillsEveryDtype() {
    CudaBackend gpu = EmulatedCuda.backend();
    for (DType d : DType.values()) {
      HostBuffer hc = HostBuffer.allocate(d, 15);
      cpu.fill(on(hc, STRIDED), -2.5);
      Buffer g = gpu.allocate(GPU, d, 15);
      gpu.fill(on(g, STRIDED), -2.5);
      same("fill " + d, hc, gpu.download(View.contiguous(g, new int[] {15})), 0);
    }
  }

  @Test
  void unaryOpsOnEveryDtype() {
    CudaBackend gpu = EmulatedCuda.backend();
    for (DType d : DType.values()) {
      for (UnaryOp op : UnaryOp.values()) {
        HostBuffer x = random(d, 15, op.ordinal());
        double p0 = op == UnaryOp.CLAMP ? -0.5 : op == UnaryOp.POW_SCALAR ? 3 : 0.25;
        double p1 = op == UnaryOp.CLAMP ? Double.NaN : 0;
        HostBuffer oc = HostBuffer.allocate(d, 12);
        cpu.unary(op, on(x, STRIDED), on(oc, CONTIG), p0, p1);
        Buffer gx = gpu.upload(GPU, copyOf(x));
        Buffer go = gpu.allocate(GPU, d, 12);
        gpu.unary(op, on(gx, STRIDED), on(go, CONTIG), p0, p1);
        same("unary " + op + " " + d, oc, gpu.download(View.contiguous(go, new int[] {12})),
            d == DType.FLOAT64 ? 1e-12 : 1e-5);
      }
    }
  }

  @Test
  void binaryOpsOnEveryDtype() {
    CudaBackend gpu = EmulatedCuda.backend();
    for (DType d : DType.values()) {
      for (BinaryOp op : BinaryOp.values()) {
        HostBuffer a = random(d, 15, 100 + op.ordinal());
        HostBuffer b = random(d, 15, 200 + op.ordinal());
        if (d == DType.INT64 && op == BinaryOp.DIV) {
          for (int i = 0; i < 15; i++) {
            if (b.getLong(i) == 0) {
              b.setLong(i, 3);
            }
          }
        }
        DType od = op.isComparison() ? DType.BOOL : d;
        HostBuffer oc = HostBuffer.allocate(od, 12);
        cpu.binary(op, on(a, STRIDED), on(b, ROW_BCAST), on(oc, CONTIG));
        Buffer ga = gpu.upload(GPU, copyOf(a));
        Buffer gb = gpu.upload(GPU, copyOf(b));
        Buffer go = gpu.allocate(GPU, od, 12);
        gpu.binary(op, on(ga, STRIDED), on(gb, ROW_BCAST), on(go, CONTIG));
        same("binary " + op + " " + d, oc, gpu.download(View.contiguous(go, new int[] {12})),
            d == DType.FLOAT64 ? 1e-12 : 1e-5);
      }
    }
  }

  @Test
  void whereOnEveryDtype() {
    CudaBackend gpu = EmulatedCuda.backend();
    for (DType d : DType.values()) {
      HostBuffer c = random(DType.BOOL, 15, 1);
      HostBuffer a = random(d, 15, 2);
      HostBuffer b = random(d, 15, 3);
      HostBuffer oc = HostBuffer.allocate(d, 12);
      cpu.where(on(c, ROW_BCAST), on(a, STRIDED), on(b, CONTIG), on(oc, CONTIG));
      Buffer go = gpu.allocate(GPU, d, 12);
      gpu.where(on(gpu.upload(GPU, copyOf(c)), ROW_BCAST), on(gpu.upload(GPU, copyOf(a)), STRIDED),
          on(gpu.upload(GPU, copyOf(b)), CONTIG), on(go, CONTIG));
      same("where " + d, oc, gpu.download(View.contiguous(go, new int[] {12})), 0);
    }
  }

  @Test
  void reductionsOnEveryDtype() {
    CudaBackend gpu = EmulatedCuda.backend();
    int[][] sizes = {{3, 5}, {2, 700}, {1, 1}, {40, 1}};
    for (DType d : DType.values()) {
      for (ReduceOp op : ReduceOp.values()) {
        for (int[] sz : sizes) {
          int outer = sz[0];
          int inner = sz[1];
          HostBuffer x = random(d, outer * inner + 1, op.ordinal() + inner);
          if (op == ReduceOp.PROD && d.isFloatingPoint()) {
            for (int i = 0; i < x.numel(); i++) {
              x.setDouble(i, 1 + x.getDouble(i) / 64);
            }
          }
          boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
          DType od = arg || (!d.isFloatingPoint() && (op == ReduceOp.SUM || op == ReduceOp.PROD))
              ? DType.INT64 : d;
          HostBuffer oc = HostBuffer.allocate(od, outer);
          cpu.reduce(op, x, 1, outer, inner, oc);
          Buffer go = gpu.allocate(GPU, od, outer);
          gpu.reduce(op, gpu.upload(GPU, copyOf(x)), 1, outer, inner, go);
          same("reduce " + op + " " + d + " " + outer + "x" + inner, oc,
              gpu.download(View.contiguous(go, new int[] {outer})), 1e-5);
        }
      }
    }
  }

  @Test
  void indexAccumulationOnIntegers() {
    CudaBackend gpu = EmulatedCuda.backend();
    HostBuffer idx = HostBuffer.wrap(new long[] {2, 0, 2, 1});
    HostBuffer src = random(DType.INT64, 8, 9);
    HostBuffer tc = HostBuffer.allocate(DType.INT64, 6);
    View iv = View.contiguous(idx, new int[] {4});
    View sv = View.contiguous(src, new int[] {4, 2});
    cpu.indexAdd(tc, new int[] {3, 2}, 0, iv, sv);
    Buffer tg = gpu.allocate(GPU, DType.INT64, 6);
    gpu.indexAdd(tg, new int[] {3, 2}, 0, on(gpu.upload(GPU, copyOf(idx)), iv), on(gpu.upload(GPU, copyOf(src)), sv));
    same("indexAdd int64", tc, gpu.download(View.contiguous(tg, new int[] {6})), 0);
  }

  @Test
  void everyIndexKernelRejectsNegativeIndicesWithPyTorchsText() {
    // index_add and scatter_add are reached only through backward passes: check them here, on
    // both back ends (the CUDA kernel reports at the next download)
    CudaBackend gpu = EmulatedCuda.backend();
    HostBuffer idx = HostBuffer.wrap(new long[] {1, -1});
    HostBuffer src = random(DType.FLOAT32, 4, 3);
    View iv = View.contiguous(idx, new int[] {2});
    View sv = View.contiguous(src, new int[] {2, 2});
    var g = dev.jnn.testing.Golden.loadByName("api_parity.txt").get("indexing_backend");
    String outOfRange = g.text("index_add_neg");
    String scatter = g.text("scatter_add_neg");
    assertEquals(outOfRange, assertThrows(IndexOutOfBoundsException.class,
        () -> cpu.indexAdd(HostBuffer.allocate(DType.FLOAT32, 6), new int[] {3, 2}, 0, iv, sv))
        .getMessage());
    assertEquals(scatter, assertThrows(IndexOutOfBoundsException.class,
        () -> cpu.scatterAdd(HostBuffer.allocate(DType.FLOAT32, 6), new int[] {3, 2}, 0,
            View.contiguous(HostBuffer.wrap(new long[] {1, 0, 2, -1}), new int[] {2, 2}),
            sv)).getMessage());
    Buffer tg = gpu.allocate(GPU, DType.FLOAT32, 6);
    gpu.indexAdd(tg, new int[] {3, 2}, 0, on(gpu.upload(GPU, copyOf(idx)), iv),
        on(gpu.upload(GPU, copyOf(src)), sv));
    assertEquals(outOfRange, assertThrows(IndexOutOfBoundsException.class,
        () -> gpu.download(View.contiguous(tg, new int[] {6}))).getMessage());
    HostBuffer sidx = HostBuffer.wrap(new long[] {1, 0, 2, -1});
    gpu.scatterAdd(tg, new int[] {3, 2}, 0,
        on(gpu.upload(GPU, sidx), View.contiguous(sidx, new int[] {2, 2})),
        on(gpu.upload(GPU, copyOf(src)), sv));
    assertEquals(scatter, assertThrows(IndexOutOfBoundsException.class,
        () -> gpu.download(View.contiguous(tg, new int[] {6}))).getMessage());
  }

  @Test
  void scatterMatchesTheCpuForEveryReduceAndDtypeAndReportsBadIndices() {
    CudaBackend gpu = EmulatedCuda.backend();
    int[] ts = {3, 4};
    // 5 x 4 indices into dim 0 (repeats: the reductions), 1 x 4 for assignment (no repeats)
    long[] rep = new long[20];
    Random r = new Random(7);
    for (int i = 0; i < rep.length; i++) {
      rep[i] = r.nextInt(3);
    }
    HostBuffer once = HostBuffer.wrap(new long[] {2, 0, 1, 2});
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL}) {
      for (ScatterSpec.Reduce op : ScatterSpec.Reduce.values()) {
        HostBuffer target = random(dt, 12, 11);
        HostBuffer src = random(dt, 20, 12);
        if (dt.isFloatingPoint()) {
          target.setDouble(5, Double.NaN); // amax / amin propagate NaN from either side
          src.setDouble(3, Double.NaN);
        }
        boolean assign = op == ScatterSpec.Reduce.ASSIGN;
        HostBuffer idx = assign ? once : HostBuffer.wrap(rep.clone());
        View iv = View.contiguous(idx, new int[] {assign ? 1 : 5, 4});
        // src read transposed: a 5 x 4 view of a 4 x 5 buffer
        View sv = new View(src, new int[] {5, 4}, new int[] {1, 5}, 0);
        ScatterSpec spec = new ScatterSpec(ts, 0, op);
        HostBuffer tc = copyOf(target);
        cpu.scatter(tc, spec, iv, sv);
        Buffer tg = gpu.upload(GPU, copyOf(target));
        gpu.scatter(tg, spec, on(gpu.upload(GPU, copyOf(idx)), iv), on(gpu.upload(GPU, copyOf(src)), sv));
        same("scatter " + op + " " + dt, tc, gpu.download(View.contiguous(tg, ts)), 1e-6);
      }
    }
    String text = "index -1 is out of bounds for dimension 0 with size 3";
    HostBuffer bad = HostBuffer.wrap(new long[] {1, 0, 2, -1});
    View bv = View.contiguous(bad, new int[] {1, 4});
    View sv = View.contiguous(random(DType.FLOAT32, 4, 3), new int[] {1, 4});
    HostBuffer tc = random(DType.FLOAT32, 12, 4);
    HostBuffer before = copyOf(tc);
    ScatterSpec spec = new ScatterSpec(ts, 0, ScatterSpec.Reduce.SUM);
    assertEquals(text, assertThrows(IndexOutOfBoundsException.class,
        () -> cpu.scatter(tc, spec, bv, sv)).getMessage());
    same("a bad index leaves the CPU target as it was", before, tc, 0);
    Buffer tg = gpu.allocate(GPU, DType.FLOAT32, 12);
    gpu.scatter(tg, spec, on(gpu.upload(GPU, copyOf(bad)), bv), on(gpu.upload(GPU, copyOf((HostBuffer) sv.buffer())), sv));
    assertEquals(text, assertThrows(IndexOutOfBoundsException.class,
        () -> gpu.download(View.contiguous(tg, ts))).getMessage());
  }

  @Test
  void gemmAccumulatesWithOffsetsAndBatchStrides() {
    CudaBackend gpu = EmulatedCuda.backend();
    for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        int batch = 2;
        int m = 3;
        int n = 4;
        int k = 5;
        HostBuffer a = random(d, 1 + batch * m * k, 10 + t);
        HostBuffer b = random(d, 2 + k * n, 20 + t);
        HostBuffer c = random(d, 3 + batch * m * n, 30 + t);
        HostBuffer cc = copyOf(c);
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        GemmSpec spec = new GemmSpec(ta, tb, batch, m, n, k, new GemmSpec.Operand(1, m * k, lda),
            new GemmSpec.Operand(2, 0, ldb), new GemmSpec.Operand(3, m * n, n), true);
        cpu.gemm(spec, a, b, cc);
        Buffer gc = gpu.upload(GPU, copyOf(c));
        gpu.gemm(spec, gpu.upload(GPU, copyOf(a)), gpu.upload(GPU, copyOf(b)), gc);
        same("gemm " + d + " " + ta + tb, cc, gpu.download(View.contiguous(gc, new int[] {(int) c.numel()})), 1e-5);
      }
    }
    GemmSpec one = GemmSpec.of(false, false, 1, 1, 1, GemmSpec.Operand.at(0, 1),
        GemmSpec.Operand.at(0, 1), GemmSpec.Operand.at(0, 1));
    assertThrows(IllegalArgumentException.class, () -> gpu.gemm(one,
        gpu.allocate(GPU, DType.BOOL, 1), gpu.allocate(GPU, DType.BOOL, 1),
        gpu.allocate(GPU, DType.BOOL, 1)));
  }

  @Test
  void allocatorFlushesItsCacheAndReportsOutOfMemory() {
    CudaBackend gpu = EmulatedCuda.backend();
    CachingAllocator alloc = gpu.rt.device(0).allocator;
    // buffers other tests dropped without closing still count as allocated until the Cleaner
    // returns them - possibly in the middle of this test, which would move the limits below
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    alloc.emptyCache();
    long base = alloc.stats().reservedBytes();
    try {
      Buffer a = gpu.allocate(GPU, DType.FLOAT32, 1 << 18); // 1 MiB
      a.close();
      MemoryStats cached = alloc.stats();
      assertTrue(cached.cachedBlocks() > 0);
      // a limit that fits the new request only once the cache is released
      alloc.setLimit(cached.reservedBytes() - CachingAllocator.roundUp(1 << 20) + CachingAllocator.roundUp(3 << 19));
      Buffer b = gpu.allocate(GPU, DType.FLOAT32, 3 << 17); // 1.5 MiB
      b.close();
      alloc.setLimit(alloc.stats().allocatedBytes() + (1 << 20));
      CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
          () -> gpu.allocate(GPU, DType.FLOAT64, 1 << 20));
      assertTrue(e.getMessage().contains("Tried to allocate 8.00 MiB on cuda:0"), e.getMessage());
      assertTrue(e.getMessage().contains("allocated by live tensors"), e.getMessage());
    } finally {
      alloc.setLimit(Long.MAX_VALUE);
    }
    assertTrue(alloc.stats().reservedBytes() >= 0 && base >= 0);
  }

  @Test
  void closedBuffersFailLoudly() {
    CudaBackend gpu = EmulatedCuda.backend();
    Buffer a = gpu.allocate(GPU, DType.FLOAT32, 4);
    a.close();
    a.close(); // idempotent
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> gpu.download(View.contiguous(a, new int[] {4})));
    assertTrue(e.getMessage().contains("freed"), e.getMessage());
  }
}
