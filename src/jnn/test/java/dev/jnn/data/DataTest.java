package dev.jnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
  @TempDir Path tmp;

  private static TensorDataset range(int n) {
    float[] x = new float[n * 2];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      y[i] = i;
    }
    return new TensorDataset(Tensor.fromArray(x, n, 2), Tensor.fromArray(y, n));
  }

  private static List<Long> labels(DataLoader dl) {
    List<Long> out = new ArrayList<>();
    for (Tensor[] b : dl) {
      for (long v : b[1].toLongArray()) {
        out.add(v);
      }
    }
    return out;
  }

  @Test
  void batchesInOrderWithPartialLastBatch() {
    DataLoader dl = DataLoader.builder(range(10)).batchSize(4).numWorkers(0).build();
    assertEquals(3, dl.size());
    List<Tensor[]> bs = new ArrayList<>();
    for (Tensor[] b : dl) {
      bs.add(new Tensor[] {b[0].clone(), b[1].clone()});
    }
    assertEquals(3, bs.size());
    assertEquals(dev.jnn.core.Shape.of(4, 2), bs.get(0)[0].shape());
    assertEquals(dev.jnn.core.Shape.of(2, 2), bs.get(2)[0].shape());
    assertArrayEquals(new float[] {8, -8, 9, -9}, bs.get(2)[0].toFloatArray());
    assertArrayEquals(new long[] {4, 5, 6, 7}, bs.get(1)[1].toLongArray());
  }

  @Test
  void dropLastDropsTheIncompleteBatch() {
    DataLoader dl = DataLoader.builder(range(10)).batchSize(4).dropLast(true).build();
    assertEquals(2, dl.size());
    assertEquals(8, labels(dl).size());
  }

  @Test
  void shuffleIsSeededAPermutationAndChangesPerEpoch() {
    DataLoader a = DataLoader.builder(range(50)).batchSize(7).shuffle(true).seed(42).numWorkers(2).build();
    DataLoader b = DataLoader.builder(range(50)).batchSize(7).shuffle(true).seed(42).numWorkers(0).build();
    List<Long> e1 = labels(a);
    assertEquals(e1, labels(b));
    Set<Long> all = new HashSet<>(e1);
    assertEquals(50, all.size());
    List<Long> e2 = labels(a);
    assertNotEquals(e1, e2);
    assertEquals(new HashSet<>(e2), all);
  }

  @Test
  void workersPrefetchAndReuseBufferRing() {
    DataLoader dl = DataLoader.builder(range(64)).batchSize(8).numWorkers(2).prefetch(2).build();
    Set<Tensor> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    long sum = 0;
    for (int epoch = 0; epoch < 3; epoch++) {
      for (Tensor[] b : dl) {
        distinct.add(b[0]);
        sum += (long) b[1].sum().item();
      }
    }
    assertEquals(3L * (63 * 64 / 2), sum);
    assertTrue(distinct.size() <= 4, "batch buffers are reused: " + distinct.size());
  }

  @Test
  void emptyDatasetIsRejected() {
    Dataset<Tensor[]> empty = new Dataset<>() {
      public int size() {
        return 0;
      }

      public Tensor[] get(int i) {
        throw new IndexOutOfBoundsException();
      }
    };
    var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(empty).build());
    assertTrue(e.getMessage().contains("empty"));
    assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(range(3)).batchSize(0));
  }

  @Test
  void tensorDatasetRejectsMismatchedFirstDims() {
    assertThrows(IllegalArgumentException.class,
        () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
  }

  private static byte[] idx(int type, int[] dims, byte[] payload) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(bo);
    o.writeByte(0);
    o.writeByte(0);
    o.writeByte(type);
    o.writeByte(dims.length);
    for (int d : dims) {
      o.writeInt(d);
    }
    o.write(payload);
    return bo.toByteArray();
  }

  @Test
  void idxReadsPlainAndGzipUnsignedBytes() throws IOException {
    byte[] payload = {0, 1, (byte) 200, (byte) 255, 7, 8};
    byte[] file = idx(0x08, new int[] {2, 3}, payload);
    Path plain = tmp.resolve("x-idx3-ubyte");
    Files.write(plain, file);
    Path gz = tmp.resolve("x-idx3-ubyte.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(file);
    }
    for (Path p : new Path[] {plain, gz}) {
      Tensor t = Idx.read(p, DType.INT64);
      assertEquals(dev.jnn.core.Shape.of(2, 3), t.shape());
      assertArrayEquals(new long[] {0, 1, 200, 255, 7, 8}, t.toLongArray());
      assertArrayEquals(new float[] {0, 1, 200, 255, 7, 8}, Idx.read(p, DType.FLOAT32).toFloatArray());
    }
  }

  @Test
  void idxRejectsCorruptFilesWithTheFileName() throws IOException {
    Path bad = tmp.resolve("bad");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5});
    var e = assertThrows(IOException.class, () -> Idx.read(bad, DType.INT64));
    assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("magic"), e.getMessage());

    Path trunc = tmp.resolve("trunc");
    Files.write(trunc, idx(0x08, new int[] {10, 10}, new byte[5]));
    var e2 = assertThrows(IOException.class, () -> Idx.read(trunc, DType.INT64));
    assertTrue(e2.getMessage().contains("declares 100 data bytes"), e2.getMessage());

    Path huge = tmp.resolve("huge.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(huge))) {
      o.write(idx(0x08, new int[] {60000, 60000}, new byte[10]));
    }
    var e3 = assertThrows(IOException.class, () -> Idx.read(huge, DType.INT64));
    assertTrue(e3.getMessage().contains("too large"), e3.getMessage());

    Path gzTrunc = tmp.resolve("t.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gzTrunc))) {
      o.write(idx(0x08, new int[] {4, 4}, new byte[3]));
    }
    var e4 = assertThrows(IOException.class, () -> Idx.read(gzTrunc, DType.INT64));
    assertTrue(e4.getMessage().contains("truncated"), e4.getMessage());

    Path type = tmp.resolve("type");
    Files.write(type, idx(0x42, new int[] {1}, new byte[1]));
    assertThrows(IOException.class, () -> Idx.read(type, DType.INT64));
  }

  @Test
  void idxReadsTheEmbeddedFashionMnistLabels() throws IOException {
    Path labels = Path.of("data/t10k-labels-idx1-ubyte.gz");
    Tensor t = Idx.read(labels, DType.INT64);
    assertEquals(dev.jnn.core.Shape.of(10000), t.shape());
    assertEquals(0, t.min().item());
    assertEquals(9, t.max().item());
  }
}
