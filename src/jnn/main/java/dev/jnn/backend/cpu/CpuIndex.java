package dev.jnn.backend.cpu;

import static dev.jnn.backend.cpu.CpuBackend.host;

import dev.jnn.backend.Buffer;
import dev.jnn.backend.EmbeddingShape;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.IndexErrors;
import dev.jnn.backend.IndexKernels;
import dev.jnn.backend.ScatterSpec;
import dev.jnn.backend.View;
import dev.jnn.core.DType;

/**
 * The indexing family on the CPU: index select/add, gather, scatter (add and the reductions of
 * {@link ScatterSpec}) and embedding lookup and backward, element by element on the host. {@link
 * CpuBackend} forwards its {@link IndexKernels} methods here.
 */
final class CpuIndex implements IndexKernels {
  CpuIndex() {}

  /** Calls {@code body(outFlatIndex, coords)} over every position of {@code shape}. */
  private interface CoordBody {
    void run(int flat, int[] coords);
  }

  private static void forEachCoord(int[] shape, CoordBody body) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n == 0) {
      return;
    }
    int[] c = new int[shape.length];
    for (int flat = 0; flat < n; flat++) {
      body.run(flat, c);
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++c[d] < shape[d]) {
          break;
        }
        c[d] = 0;
      }
    }
  }

  private static int offsetOf(View v, int[] coords) {
    int o = v.offset();
    for (int d = 0; d < coords.length; d++) {
      o += coords[d] * v.strides()[d];
    }
    return o;
  }

  private static void moveElement(HostBuffer src, int si, HostBuffer dst, int di, boolean add) {
    switch (dst.dtype()) {
      case FLOAT32 -> {
        float v = src.floats()[si];
        dst.floats()[di] = add ? dst.floats()[di] + v : v;
      }
      case FLOAT64 -> {
        double v = src.doubles()[si];
        dst.doubles()[di] = add ? dst.doubles()[di] + v : v;
      }
      default -> {
        long v = src.getLong(si);
        dst.setLong(di, add ? dst.getLong(di) + v : v);
      }
    }
  }

  /** The index at {@code at}, which must lie in {@code [0, size)} (negative values do not wrap). */
  private static int checkedIndex(HostBuffer idx, int at, int size, int dim, int code) {
    long i = idx.getLong(at);
    if (!IndexErrors.inRange(i, size)) {
      throw IndexErrors.of(code, i, dim, size);
    }
    return (int) i;
  }

  @Override
  public void indexSelect(View x, int dim, View index, Buffer outBuf) {
    HostBuffer hx = host(x.buffer());
    HostBuffer hi = host(index.buffer());
    HostBuffer out = host(outBuf);
    int[] outShape = x.shape().clone();
    outShape[dim] = index.numel();
    int size = x.shape()[dim];
    int is = index.strides().length == 0 ? 0 : index.strides()[0];
    int code = IndexErrors.indexSelectCode(x.shape().length, dim);
    forEachCoord(
        outShape,
        (flat, c) -> {
          int j = c[dim];
          c[dim] = checkedIndex(hi, index.offset() + j * is, size, dim, code);
          int xo = offsetOf(x, c);
          c[dim] = j;
          moveElement(hx, xo, out, flat, false);
        });
  }

  @Override
  public void indexAdd(Buffer target, int[] targetShape, int dim, View index, View src) {
    HostBuffer ht = host(target);
    HostBuffer hi = host(index.buffer());
    HostBuffer hs = host(src.buffer());
    View tv = View.contiguous(target, targetShape);
    int size = targetShape[dim];
    int is = index.strides().length == 0 ? 0 : index.strides()[0];
    forEachCoord(
        src.shape(),
        (flat, c) -> {
          int j = c[dim];
          int so = offsetOf(src, c);
          c[dim] = checkedIndex(hi, index.offset() + j * is, size, dim, IndexErrors.INDEX_ADD);
          int to = offsetOf(tv, c);
          c[dim] = j;
          moveElement(hs, so, ht, to, true);
        });
  }

  @Override
  public void gather(View x, int dim, View index, Buffer outBuf) {
    HostBuffer hx = host(x.buffer());
    HostBuffer hi = host(index.buffer());
    HostBuffer out = host(outBuf);
    int size = x.shape()[dim];
    forEachCoord(
        index.shape(),
        (flat, c) -> {
          int j = c[dim];
          c[dim] = checkedIndex(hi, offsetOf(index, c), size, dim, IndexErrors.GATHER);
          int xo = offsetOf(x, c);
          c[dim] = j;
          moveElement(hx, xo, out, flat, false);
        });
  }

  @Override
  public void scatterAdd(Buffer target, int[] targetShape, int dim, View index, View src) {
    HostBuffer ht = host(target);
    HostBuffer hi = host(index.buffer());
    HostBuffer hs = host(src.buffer());
    View tv = View.contiguous(target, targetShape);
    int size = targetShape[dim];
    forEachCoord(
        index.shape(),
        (flat, c) -> {
          int j = c[dim];
          int so = offsetOf(src, c);
          c[dim] = checkedIndex(hi, offsetOf(index, c), size, dim, IndexErrors.SCATTER_ADD);
          int to = offsetOf(tv, c);
          c[dim] = j;
          moveElement(hs, so, ht, to, true);
        });
  }

  @Override
  public void scatter(Buffer target, ScatterSpec spec, View index, View src) {
    HostBuffer ht = host(target);
    HostBuffer hi = host(index.buffer());
    HostBuffer hs = host(src.buffer());
    int dim = spec.dim();
    View tv = View.contiguous(target, spec.targetShape());
    int size = spec.targetShape()[dim];
    // every index first, so that a bad one leaves the target as it was
    forEachCoord(index.shape(),
        (flat, c) -> checkedIndex(hi, offsetOf(index, c), size, dim, IndexErrors.SCATTER_ADD));
    ScatterSpec.Reduce op = spec.reduce();
    forEachCoord(
        index.shape(),
        (flat, c) -> {
          int j = c[dim];
          int so = offsetOf(src, c);
          c[dim] = (int) hi.getLong(offsetOf(index, c));
          int to = offsetOf(tv, c);
          c[dim] = j;
          combine(hs, so, ht, to, op);
        });
  }

  /** {@code dst[di] = dst[di] (op) src[si]}; amax/amin propagate NaN (PyTorch's scatter_reduce). */
  private static void combine(HostBuffer src, int si, HostBuffer dst, int di, ScatterSpec.Reduce op) {
    switch (dst.dtype()) {
      case FLOAT32 -> {
        float v = src.floats()[si];
        float o = dst.floats()[di];
        dst.floats()[di] =
            switch (op) {
              case ASSIGN -> v;
              case SUM -> o + v;
              case PROD -> o * v;
              case AMAX -> Float.isNaN(o) || Float.isNaN(v) ? Float.NaN : Math.max(o, v);
              case AMIN -> Float.isNaN(o) || Float.isNaN(v) ? Float.NaN : Math.min(o, v);
            };
      }
      case FLOAT64 -> {
        double v = src.doubles()[si];
        double o = dst.doubles()[di];
        dst.doubles()[di] =
            switch (op) {
              case ASSIGN -> v;
              case SUM -> o + v;
              case PROD -> o * v;
              case AMAX -> Double.isNaN(o) || Double.isNaN(v) ? Double.NaN : Math.max(o, v);
              case AMIN -> Double.isNaN(o) || Double.isNaN(v) ? Double.NaN : Math.min(o, v);
            };
      }
      default -> {
        long v = src.getLong(si);
        long o = dst.getLong(di);
        boolean bool = dst.dtype() == DType.BOOL;
        long r =
            switch (op) {
              case ASSIGN -> v;
              case SUM -> bool ? (o | v) : o + v;
              case PROD -> bool ? (o & v) : o * v;
              case AMAX -> Math.max(o, v);
              case AMIN -> Math.min(o, v);
            };
        dst.setLong(di, r);
      }
    }
  }

  @Override
  public void embedding(View weight, View indices, EmbeddingShape s, Buffer out) {
    int count = s.count();
    int num = s.num();
    int dim = s.dim();
    long[] ix = ((HostBuffer) indices.buffer()).longs();
    int io = indices.offset();
    int wo = weight.offset();
    Object src = ((HostBuffer) weight.buffer()).array();
    Object dst = ((HostBuffer) out).array();
    for (int i = 0; i < count; i++) {
      long r = ix[io + i];
      if (r < 0 || r >= num) {
        throw new IndexOutOfBoundsException("index out of range in self");
      }
      System.arraycopy(src, wo + (int) r * dim, dst, i * dim, dim);
    }
  }

  @Override
  public void embeddingBackward(
      View gradOut, View indices, EmbeddingShape s, long paddingIdx, Buffer gradWeight) {
    int count = s.count();
    int dim = s.dim();
    long[] ix = ((HostBuffer) indices.buffer()).longs();
    int io = indices.offset();
    int go = gradOut.offset();
    boolean f32 = gradOut.buffer().dtype() == DType.FLOAT32;
    for (int i = 0; i < count; i++) {
      long r = ix[io + i];
      if (r == paddingIdx) {
        continue;
      }
      int dst = (int) r * dim;
      int src = go + i * dim;
      if (f32) {
        float[] g = ((HostBuffer) gradOut.buffer()).floats();
        float[] w = ((HostBuffer) gradWeight).floats();
        for (int j = 0; j < dim; j++) {
          w[dst + j] += g[src + j];
        }
      } else {
        double[] g = ((HostBuffer) gradOut.buffer()).doubles();
        double[] w = ((HostBuffer) gradWeight).doubles();
        for (int j = 0; j < dim; j++) {
          w[dst + j] += g[src + j];
        }
      }
    }
  }
}
