package dev.jnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.nn.Parameter;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Linear;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two threads on one CUDA device, as PyTorch's caching allocator makes them safe: each thread
 * queues on its own stream, so a tensor computed on one thread and used on another, or freed by
 * the other, needs events between the streams, which the back end inserts itself. Run on the
 * emulated device in every mode: lazy mode leaves the producing thread's kernels queued until
 * something waits for them, so a missing event shows up as wrong values, and the racecheck
 * reports it whatever the order.
 */
class CudaThreadsTest {
  static final Device GPU = Device.cuda(0);
  private static ExecutorService a;
  private static ExecutorService b;
  private EmuDeviceApi.Mode saved;

  @BeforeAll
  static void install() {
    EmulatedCuda.install();
    a = Executors.newSingleThreadExecutor(r -> new Thread(r, "thread-A"));
    b = Executors.newSingleThreadExecutor(r -> new Thread(r, "thread-B"));
  }

  @AfterAll
  static void uninstall() throws InterruptedException {
    a.shutdown();
    b.shutdown();
    a.awaitTermination(10, TimeUnit.SECONDS);
    b.awaitTermination(10, TimeUnit.SECONDS);
    EmulatedCuda.uninstall();
  }

  private void mode(EmuDeviceApi.Mode m) {
    saved = EmulatedCuda.api().mode();
    EmulatedCuda.api().setMode(m, 11);
  }

  @AfterEach
  void restore() {
    if (saved != null) {
      EmulatedCuda.api().setMode(saved, 1);
    }
  }

  private static <T> T on(ExecutorService t, Supplier<T> work) throws Exception {
    Future<T> f = t.submit(work::get);
    return f.get(60, TimeUnit.SECONDS);
  }

  private static Tensor rnd(long seed, long... shape) {
    return Tensor.randn(Shape.of(shape), DType.FLOAT32, new Generator(seed));
  }

  private static void noRaces(int before) {
    List<String> r = EmulatedCuda.api().races();
    assertEquals(List.of(), r.subList(before, r.size()), "stream races");
  }

  @ParameterizedTest
  @EnumSource(EmuDeviceApi.Mode.class)
  void aTensorComputedOnOneThreadIsCorrectOnAnother(EmuDeviceApi.Mode m) throws Exception {
    mode(m);
    int races = EmulatedCuda.api().races().size();
    Tensor x = rnd(1, 64, 33);
    Tensor w = rnd(2, 33, 17);
    Tensor expected = x.mul(2).add(1).relu().matmul(w);
    // thread A: upload and compute (queued on A's stream, nothing waits for it)
    Tensor y = on(a, () -> x.to(GPU).mul(2).add(1).relu().matmul(w.to(GPU)));
    // thread B: read it, compute on it, download
    float[] direct = on(b, () -> y.cpu().toFloatArray());
    float[] derived = on(b, () -> y.mul(3).sum(0, false).cpu().toFloatArray());
    assertArrayEquals(expected.toFloatArray(), direct, 1e-4f, m + ": values read on thread B");
    assertArrayEquals(expected.mul(3).sum(0, false).toFloatArray(), derived, 1e-3f, m + ": computed on B");
    noRaces(races);
  }

  @ParameterizedTest
  @EnumSource(EmuDeviceApi.Mode.class)
  void aBlockFreedAfterUseOnAnotherStreamIsNotReusedBeforeThatWorkIsDone(EmuDeviceApi.Mode m)
      throws Exception {
    mode(m);
    int races = EmulatedCuda.api().races().size();
    CachingAllocator alloc = EmulatedCuda.backend().rt.device(0).allocator;
    Tensor x = rnd(3, 1000);
    long waits = alloc.crossStreamWaits();
    Tensor t = on(a, () -> x.to(GPU));
    // B uses A's tensor and frees it while its own work on it may still be queued
    Tensor u = on(b, () -> {
      Tensor r = t.mul(3).add(t);
      t.close();
      return r;
    });
    // A allocates the same size again (its own pool) and overwrites it at once
    Tensor v = on(a, () -> {
      Tensor z = Tensor.zeros(Shape.of(1000), DType.FLOAT32, GPU);
      try (var g = NoGrad.enter()) {
        z.fill(-7.0);
      }
      return z;
    });
    assertArrayEquals(x.mul(4).toFloatArray(), on(b, () -> u.cpu().toFloatArray()), 1e-5f,
        m + ": B's result after A reused memory");
    assertEquals(-7f, on(a, () -> v.cpu().toFloatArray())[999]);
    assertTrue(alloc.crossStreamWaits() > waits, "B's stream was ordered after A's upload");
    noRaces(races);
    on(a, () -> {
      v.close();
      return null;
    });
    u.close();
  }

  @ParameterizedTest
  @EnumSource(EmuDeviceApi.Mode.class)
  void twoThreadsTrainAtOnceAndMatchTheCpu(EmuDeviceApi.Mode m) throws Exception {
    mode(m);
    int races = EmulatedCuda.api().races().size();
    CyclicBarrier start = new CyclicBarrier(2);
    Supplier<float[]> gpuRun0 = () -> train(0, GPU, start);
    Supplier<float[]> gpuRun1 = () -> train(1, GPU, start);
    Future<float[]> f0 = a.submit(gpuRun0::get);
    Future<float[]> f1 = b.submit(gpuRun1::get);
    float[] g0 = f0.get(120, TimeUnit.SECONDS);
    float[] g1 = f1.get(120, TimeUnit.SECONDS);
    assertArrayEquals(train(0, Device.CPU, null), g0, 1e-4f, m + ": thread A's model");
    assertArrayEquals(train(1, Device.CPU, null), g1, 1e-4f, m + ": thread B's model");
    noRaces(races);
  }

  /** A few SGD steps of a small linear model; returns its weights. */
  private static float[] train(int seed, Device dev, CyclicBarrier start) {
    try {
      if (start != null) {
        start.await(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Linear lin = new Linear(12, 5, true);
    try (var g = NoGrad.enter()) {
      lin.weight().copyFrom(rnd(100 + seed, 5, 12).mul(0.1));
      lin.bias().copyFrom(rnd(200 + seed, 5).mul(0.1));
    }
    lin.to(dev);
    List<Parameter> params = lin.parameters();
    SGD opt = new SGD(params, 0.1, 0.9);
    Tensor x = rnd(300 + seed, 32, 12).to(dev);
    Tensor target = Tensor.randint(0, 5, Shape.of(32), new Generator(400 + seed)).to(dev);
    for (int step = 0; step < 5; step++) {
      opt.zeroGrad();
      Tensor loss = Functional.crossEntropy(lin.call(x), target);
      loss.backward();
      opt.step();
    }
    return lin.weight().cpu().toFloatArray();
  }

  @ParameterizedTest
  @EnumSource(EmuDeviceApi.Mode.class)
  void twoThreadsReadSharedWeightsWithoutRaces(EmuDeviceApi.Mode m) throws Exception {
    mode(m);
    int races = EmulatedCuda.api().races().size();
    Tensor w = rnd(5, 40, 40);
    Tensor wg = w.to(GPU);
    Tensor x0 = rnd(6, 8, 40);
    Tensor x1 = rnd(7, 8, 40);
    CyclicBarrier start = new CyclicBarrier(2);
    Future<float[]> r0 = a.submit(() -> chain(start, x0, wg));
    Future<float[]> r1 = b.submit(() -> chain(start, x1, wg));
    Tensor e0 = x0;
    Tensor e1 = x1;
    for (int i = 0; i < 3; i++) {
      e0 = e0.matmul(w).tanh();
      e1 = e1.matmul(w).tanh();
    }
    assertArrayEquals(e0.toFloatArray(), r0.get(60, TimeUnit.SECONDS), 1e-4f);
    assertArrayEquals(e1.toFloatArray(), r1.get(60, TimeUnit.SECONDS), 1e-4f);
    noRaces(races);
  }

  /** Three tanh(h W) layers on the device, started together with the other thread. */
  private static float[] chain(CyclicBarrier start, Tensor x, Tensor wg) throws Exception {
    start.await(30, TimeUnit.SECONDS);
    Tensor h = x.to(GPU);
    for (int i = 0; i < 3; i++) {
      h = h.matmul(wg).tanh();
    }
    return h.cpu().toFloatArray();
  }

  @ParameterizedTest
  @EnumSource(EmuDeviceApi.Mode.class)
  void anIndexErrorIsReportedOnTheThreadThatCausedIt(EmuDeviceApi.Mode m) throws Exception {
    mode(m);
    Tensor table = rnd(8, 10, 4).to(GPU);
    Tensor bad = Tensor.fromArray(new long[] {1, 12}, 2).to(GPU);
    Tensor picked = on(a, () -> table.indexSelect(0, bad)); // queued; the error is found later
    Tensor fine = on(b, () -> table.mul(2));
    assertArrayEquals(on(b, () -> table.cpu().mul(2).toFloatArray()), on(b, () -> fine.cpu().toFloatArray()));
    Exception e = assertThrows(Exception.class, () -> on(a, () -> picked.cpu()));
    assertTrue(String.valueOf(e.getCause()).contains("out of"), String.valueOf(e.getCause()));
  }

  /** The racecheck itself: unordered use of one allocation from two streams is reported. */
  @ParameterizedTest
  @EnumSource(EmuDeviceApi.Mode.class)
  void theRacecheckReportsUnorderedStreamsAndAcceptsEvents(EmuDeviceApi.Mode m) {
    mode(m);
    EmuDeviceApi api = EmulatedCuda.api();
    long s1 = api.createStream();
    long s2 = api.createStream();
    long p = api.malloc(4096);
    long q = api.malloc(4096);
    try {
      // reads p on s2 with no event after s1's write (found when it runs: at once in eager mode)
      assertThrows(EmuDeviceApi.RaceError.class, () -> {
        api.memsetZeroAsync(p, 4096, s1);
        api.copyDeviceToDeviceAsync(q, p, 4096, s2);
        api.drain();
      });
      // ordered by an event: no report
      int before = api.races().size();
      api.memsetZeroAsync(p, 4096, s1);
      long e = api.createEvent();
      api.recordEvent(e, s1);
      api.streamWaitEvent(s2, e);
      api.copyDeviceToDeviceAsync(q, p, 4096, s2);
      api.memsetZeroAsync(q, 64, s2);
      api.drain();
      assertEquals(before, api.races().size());
      // write after an unordered read
      assertThrows(EmuDeviceApi.RaceError.class, () -> {
        api.copyDeviceToDeviceAsync(q, p, 4096, s2);
        api.memsetZeroAsync(p, 4096, s1);
        api.drain();
      });
    } finally {
      api.free(p);
      api.free(q);
    }
  }
}
