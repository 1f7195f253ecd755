package dev.jnn.backend.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@link DeviceApi} over the CPU kernel emulator, built to be harder on the back end than a real
 * GPU: one "device" whose memory is host memory with guard pages (every pointer a copy or a
 * kernel argument uses must lie inside a live allocation), and whose streams are separate queues.
 *
 * <p><b>Asynchrony.</b> Every stream operation (kernel launch, memset, copy, pinned DMA, cuBLAS
 * and cuDNN calls of {@link EmuBlas} / {@link EmuDnn}) is queued on its stream and returns at once;
 * queued work runs later, on whichever host thread calls in. Streams are ordered only by {@link
 * #streamWaitEvent}; the host waits only in {@link #synchronizeStream}, {@link
 * #synchronizeEvent}, {@link #synchronizeDevice}, {@link #copyDeviceToHost} and {@link #free}
 * (which synchronises the device, as {@code cuMemFree} does). When queued work runs is set by the
 * {@link Mode}:
 *
 * <ul>
 *   <li>{@link Mode#EAGER}: as soon as it is queued (and its stream's earlier work and awaited
 *       events are done), as a DMA engine that is idle may;
 *   <li>{@link Mode#LAZY}: only when the host waits for it, and then only what the wait needs
 *       (other streams' work stays queued);
 *   <li>{@link Mode#RANDOM}: at every call a seeded random number of ready operations of randomly
 *       chosen streams run; waits run random ready work until theirs is done.
 * </ul>
 *
 * <p><b>Racecheck for streams.</b> Each operation carries a vector clock (what it is ordered
 * after: its stream's earlier work, events waited for, host synchronisations). When it runs, its
 * accesses are checked against the last write and the reads since, per allocation: two accesses
 * of one allocation from different streams, at least one a write, that no event chain orders are
 * reported as {@link RaceError} (thrown by the call that ran the operation and kept in {@link
 * #races()}). Kernels read every pointer argument and write the non-const ones whose memory
 * changed; copies and library calls name what they read and write. Detection does not depend on
 * the order the mode chose.
 *
 * <p>The mode comes from {@code -Djnn.emu.mode=eager|lazy|random} (default random) and {@code
 * -Djnn.emu.seed} (default 1); tests switch it with {@link #setMode}. See {@code
 * native-kernels/emu/README.md} for what this still cannot catch.
 */
final class EmuDeviceApi implements DeviceApi {
  static final Object LOCK = new Object();

  /** When queued work runs. */
  enum Mode {
    EAGER,
    LAZY,
    RANDOM
  }

  /** A stream race the racecheck found. */
  static final class RaceError extends IllegalStateException {
    RaceError(String message) {
      super(message);
    }
  }

  long launches;
  /** Pinned buffers handed out; tests can make allocation fail. */
  long pinnedAllocations;
  boolean refusePinned;

  private Mode mode;
  private long seed;
  private Random random;
  private final Map<Long, Stream> streams = new LinkedHashMap<>();
  private long nextStream;
  private final Map<Long, EventState> events = new HashMap<>();
  private long nextEvent;
  private final Map<Long, Shadow> shadows = new HashMap<>();
  private final List<String> races = new ArrayList<>();
  /** What the host knows to be complete (joined at every host synchronisation). */
  private long[] hostClock = new long[0];

  EmuDeviceApi() {
    String m = System.getProperty("jnn.emu.mode", "random").trim().toUpperCase(Locale.ROOT);
    setMode(Mode.valueOf(m), Long.getLong("jnn.emu.seed", 1L));
  }

  // ================================================================== modes, reports

  /** Finishes all queued work, then runs later work in {@code mode} ({@code seed} for RANDOM). */
  void setMode(Mode mode, long seed) {
    synchronized (LOCK) {
      if (this.mode != null) {
        drain();
      }
      this.mode = mode;
      this.seed = seed;
      this.random = new Random(seed);
    }
  }

  Mode mode() {
    synchronized (LOCK) {
      return mode;
    }
  }

  /** A one-line description of the mode, for test names and failures. */
  String modeText() {
    synchronized (LOCK) {
      return mode == Mode.RANDOM ? "random(seed " + seed + ")" : mode.name().toLowerCase(Locale.ROOT);
    }
  }

  /** Every race reported so far. */
  List<String> races() {
    synchronized (LOCK) {
      return List.copyOf(races);
    }
  }

  /** Runs every queued operation. */
  void drain() {
    synchronized (LOCK) {
      for (Stream s : new ArrayList<>(streams.values())) {
        runUntil(s, s.enqueued);
        hostClock = join(hostClock, s.clock);
      }
    }
  }

  /** Operations queued and not yet run (tests). */
  int queuedCopies() {
    synchronized (LOCK) {
      int n = 0;
      for (Stream s : streams.values()) {
        n += s.queue.size();
      }
      return n;
    }
  }

  // ================================================================== streams, clocks, shadows

  private static final class Stream {
    final long id;
    final ArrayDeque<Op> queue = new ArrayDeque<>();
    long enqueued;
    long done;
    long[] clock = new long[0];

    Stream(long id) {
      this.id = id;
    }
  }

  private record EventState(long stream, long seq, long[] clock) {}

  /** One queued operation. */
  private abstract static class Op {
    Stream stream;
    long seq;
    long[] clock;
    final String label;

    Op(String label) {
      this.label = label;
    }

    /** True when it may run (its stream's earlier work is done). */
    boolean ready(EmuDeviceApi api) {
      return true;
    }

    abstract void run(EmuDeviceApi api);
  }

  /** Last write and reads since, of one allocation. */
  private static final class Shadow {
    long writeStream = -1;
    long writeSeq;
    String writeLabel;
    final Map<Long, Long> readSeq = new HashMap<>();
    final Map<Long, String> readLabel = new HashMap<>();
  }

  private static long[] join(long[] a, long[] b) {
    long[] r = Arrays.copyOf(a, Math.max(a.length, b.length));
    for (int i = 0; i < b.length; i++) {
      r[i] = Math.max(r[i], b[i]);
    }
    return r;
  }

  private static long at(long[] clock, long stream) {
    return stream < clock.length ? clock[(int) stream] : 0;
  }

  private Stream stream(long id) {
    Stream s = streams.get(id);
    if (s == null) {
      if (id != 0) {
        throw new IllegalStateException("no such stream: " + id);
      }
      s = new Stream(0);
      streams.put(0L, s);
    }
    return s;
  }

  /** Queues {@code op} on {@code streamId}, then lets the mode run work. */
  private void enqueue(long streamId, Op op) {
    if (streamId == 0) {
      // the legacy default stream: ordered after all earlier work, and all later work after it
      drain();
    }
    Stream s = stream(streamId);
    s.clock = join(s.clock, hostClock);
    s.enqueued++;
    if (s.clock.length <= s.id) {
      s.clock = Arrays.copyOf(s.clock, (int) s.id + 1);
    }
    s.clock[(int) s.id] = s.enqueued;
    op.stream = s;
    op.seq = s.enqueued;
    op.clock = s.clock.clone();
    s.queue.addLast(op);
    if (streamId == 0) {
      runUntil(s, s.enqueued);
      hostClock = join(hostClock, s.clock);
    }
    progress();
  }

  private void execute(Op op) {
    Stream s = op.stream;
    if (s.queue.peekFirst() != op) {
      throw new IllegalStateException("emulator: out-of-order execution of " + op.label);
    }
    s.queue.pollFirst();
    s.done = op.seq;
    op.run(this);
  }

  /** Runs the work of {@code s} up to {@code seq} and whatever it waits for. */
  private void runUntil(Stream s, long seq) {
    while (s.done < seq) {
      if (mode == Mode.RANDOM) {
        List<Op> ready = readyHeads();
        if (ready.isEmpty()) {
          throw new IllegalStateException("emulator: no queued work can run (a wait cycle)");
        }
        execute(ready.get(random.nextInt(ready.size())));
        continue;
      }
      Op head = s.queue.peekFirst();
      if (head instanceof WaitOp w && !w.ready(this)) {
        runUntil(stream(w.event.stream()), w.event.seq());
        continue;
      }
      execute(head);
    }
  }

  private List<Op> readyHeads() {
    List<Op> r = new ArrayList<>();
    for (Stream s : streams.values()) {
      Op h = s.queue.peekFirst();
      if (h != null && h.ready(this)) {
        r.add(h);
      }
    }
    return r;
  }

  /** What the mode does after each call. */
  private void progress() {
    if (mode == Mode.EAGER) {
      for (List<Op> ready = readyHeads(); !ready.isEmpty(); ready = readyHeads()) {
        for (Op op : ready) {
          execute(op);
        }
      }
    } else if (mode == Mode.RANDOM) {
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        List<Op> ready = readyHeads();
        if (ready.isEmpty()) {
          return;
        }
        execute(ready.get(random.nextInt(ready.size())));
      }
    }
  }

  private boolean complete(EventState e) {
    return e == null || stream(e.stream()).done >= e.seq();
  }

  /** Records an access of the allocation holding {@code ptr} by {@code op}; throws on a race. */
  private void access(Op op, long ptr, boolean write) {
    long base = EmuNative.allocationOf(ptr);
    if (base == 0) {
      throw new IllegalStateException(op.label + " on stream " + op.stream.id
          + ": 0x" + Long.toHexString(ptr) + " is not inside a live device allocation when it runs");
    }
    Shadow sh = shadows.computeIfAbsent(base, k -> new Shadow());
    long me = op.stream.id;
    String conflict = null;
    if (sh.writeStream >= 0 && sh.writeStream != me && at(op.clock, sh.writeStream) < sh.writeSeq) {
      conflict = sh.writeLabel + " on stream " + sh.writeStream + " writes it";
    }
    if (conflict == null && write) {
      for (Map.Entry<Long, Long> r : sh.readSeq.entrySet()) {
        if (r.getKey() != me && at(op.clock, r.getKey()) < r.getValue()) {
          conflict = sh.readLabel.get(r.getKey()) + " on stream " + r.getKey() + " reads it";
          break;
        }
      }
    }
    if (conflict != null) {
      String msg = "stream race on device allocation 0x" + Long.toHexString(base) + " ("
          + EmuNative.allocationBytes(base) + " bytes): " + op.label + " on stream " + me
          + (write ? " writes" : " reads") + " it while " + conflict
          + ", and no event orders the two [" + modeText() + "]";
      races.add(msg);
      throw new RaceError(msg);
    }
    if (write) {
      sh.writeStream = me;
      sh.writeSeq = op.seq;
      sh.writeLabel = op.label;
      sh.readSeq.clear();
      sh.readLabel.clear();
    } else {
      sh.readSeq.merge(me, op.seq, Math::max);
      sh.readLabel.put(me, op.label);
    }
  }

  private static void checkRange(long p, long bytes, String what) {
    if (!EmuNative.valid(p, bytes)) {
      throw new IllegalStateException(what + ": [0x" + Long.toHexString(p) + ", +" + bytes
          + ") is not inside one live device allocation");
    }
  }

  // ================================================================== device facts

  @Override
  public int deviceCount() {
    return 1;
  }

  @Override
  public int driverVersion() {
    return 13000;
  }

  @Override
  public String deviceName(int device) {
    return "CPU emulation of jnn's CUDA kernels";
  }

  @Override
  public int[] computeCapability(int device) {
    return new int[] {9, 0};
  }

  @Override
  public long totalMemory(int device) {
    return 1L << 30;
  }

  @Override
  public void setCurrent(int device) {
    if (device != 0) {
      throw new IllegalArgumentException("emulated device " + device);
    }
  }

  @Override
  public long[] memoryInfo() {
    return new long[] {1L << 30, 1L << 30};
  }

  // ================================================================== streams and memory

  @Override
  public long createStream() {
    synchronized (LOCK) {
      long id = ++nextStream;
      streams.put(id, new Stream(id));
      return id;
    }
  }

  /**
   * How many allocations {@link #malloc} lets be live at once. Each costs the process two memory
   * mappings (its pages and the guard page after them), and Linux refuses mappings past {@code
   * vm.max_map_count} (65530 by default), the JVM's own included: tens of thousands of small live
   * allocations (cached blocks, tensors nobody closed waiting for the GC's Cleaner) crashed the
   * test JVM. Past the cap {@link #malloc} reports out-of-memory, as a full GPU does, and the
   * caching allocator's retry path (release the cache, run the GC, retry) frees them. A quarter
   * of the mappings, at most 16384; the emulator's own short-lived allocations (kernels' struct
   * arguments) are not counted against it.
   */
  static int allocationCap = defaultAllocationCap();

  static int defaultAllocationCap() {
    long maxMaps = 65530;
    try {
      maxMaps = Long.parseLong(
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/vm/max_map_count")).trim());
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or unreadable: the kernel's default
    }
    return (int) Math.max(1024, Math.min(16384, maxMaps / 4));
  }

  @Override
  public long malloc(long bytes) {
    synchronized (LOCK) {
      progress();
      if (EmuNative.liveAllocations() >= allocationCap) {
        return 0;
      }
      long p = EmuNative.malloc(bytes);
      shadows.remove(p);
      return p;
    }
  }

  @Override
  public void free(long address) {
    synchronized (LOCK) {
      drain(); // cuMemFree synchronises the device
      if (!EmuNative.free(address)) {
        throw new IllegalStateException("free of an address that is no allocation: 0x" + Long.toHexString(address));
      }
      shadows.remove(address);
    }
  }

  /** An operation on device memory with its accesses known up front. */
  private static final class MemOp extends Op {
    final long[] reads;
    final long[] writes;
    final Runnable body;

    MemOp(String label, long[] reads, long[] writes, Runnable body) {
      super(label);
      this.reads = reads;
      this.writes = writes;
      this.body = body;
    }

    @Override
    void run(EmuDeviceApi api) {
      for (long r : reads) {
        boolean alsoWritten = false;
        for (long w : writes) {
          alsoWritten |= EmuNative.allocationOf(w) == EmuNative.allocationOf(r);
        }
        if (!alsoWritten) {
          api.access(this, r, false);
        }
      }
      for (long w : writes) {
        api.access(this, w, true);
      }
      body.run();
    }
  }

  private static final long[] NONE = {};

  @Override
  public void memsetZeroAsync(long address, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(address, bytes, "memset");
      enqueue(stream, new MemOp("memset", NONE, new long[] {address},
          () -> EmuNative.memset(address, 0, bytes)));
    }
  }

  @Override
  public void copyHostToDevice(long dst, Object array, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(dst, bytes, "copyHostToDevice");
      // the caller may reuse its array at once: the data is taken now, written when the copy runs
      byte[] data = new byte[(int) bytes];
      ByteBuffer b = ByteBuffer.wrap(data).order(java.nio.ByteOrder.nativeOrder());
      PinnedStaging.put(b, 0, array, 0, bytes);
      enqueue(stream, new MemOp("copyHostToDevice", NONE, new long[] {dst},
          () -> EmuNative.copyToDevice(dst, data, bytes)));
    }
  }

  @Override
  public void copyDeviceToHost(Object array, long src, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(src, bytes, "copyDeviceToHost");
      enqueue(stream, new MemOp("copyDeviceToHost", new long[] {src}, NONE,
          () -> EmuNative.copyToHost(array, src, bytes)));
      synchronizeStream(stream);
    }
  }

  @Override
  public void copyDeviceToDeviceAsync(long dst, long src, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(dst, bytes, "copyDeviceToDevice dst");
      checkRange(src, bytes, "copyDeviceToDevice src");
      enqueue(stream, new MemOp("copyDeviceToDevice", new long[] {src}, new long[] {dst},
          () -> EmuNative.copyDeviceToDevice(dst, src, bytes)));
    }
  }

  /**
   * Queues a library call (the emulated cuBLAS / cuDNN) on {@code stream}: {@code body} runs when
   * the stream gets to it and may read {@code reads} and write {@code writes} (device addresses)
   * directly through {@link EmuNative}.
   */
  void enqueueLibraryCall(long stream, String label, long[] reads, long[] writes, Runnable body) {
    synchronized (LOCK) {
      for (long p : reads) {
        checkRange(p, 1, label + " operand");
      }
      for (long p : writes) {
        checkRange(p, 1, label + " result");
      }
      enqueue(stream, new MemOp(label, reads, writes, body));
    }
  }

  @Override
  public void synchronizeStream(long stream) {
    synchronized (LOCK) {
      Stream s = stream(stream);
      runUntil(s, s.enqueued);
      hostClock = join(hostClock, s.clock);
    }
  }

  @Override
  public void synchronizeDevice() {
    drain();
  }

  // ================================================================== kernels

  @Override
  public long loadModule(byte[] image, boolean ptx) {
    if (image.length == 0) {
      throw new IllegalStateException("empty module image");
    }
    return 1;
  }

  @Override
  public long function(long module, String name) {
    synchronized (LOCK) {
      int k = EmuNative.kernelIndex(name);
      if (k < 0) {
        throw new IllegalStateException("the emulator has no kernel " + name);
      }
      return k;
    }
  }

  private static final class KernelOp extends Op {
    final int kernel;
    final int gridX;
    final int gridY;
    final int blockX;
    final boolean barrier;
    final KernelArgs.Kind[] kinds;
    final long[] values;
    final int[][] structs;

    KernelOp(String label, int kernel, int gridX, int gridY, int blockX, boolean barrier, KernelArgs args) {
      super(label);
      this.kernel = kernel;
      this.gridX = gridX;
      this.gridY = gridY;
      this.blockX = blockX;
      this.barrier = barrier;
      int n = args.size();
      kinds = new KernelArgs.Kind[n];
      values = new long[n];
      structs = new int[n][];
      for (int i = 0; i < n; i++) {
        kinds[i] = args.kind(i);
        if (kinds[i] == KernelArgs.Kind.STRUCT) {
          structs[i] = args.struct(i).clone();
        } else {
          values[i] = args.value(i);
        }
      }
    }

    @Override
    void run(EmuDeviceApi api) {
      int n = kinds.length;
      long writable = EmuNative.kernelWritable(kernel);
      long[] slots = new long[n];
      long[] temps = new long[n];
      long[] before = new long[n];
      long[] bases = new long[n];
      try {
        for (int i = 0; i < n; i++) {
          if (kinds[i] == KernelArgs.Kind.STRUCT) {
            long t = EmuNative.malloc(4L * structs[i].length);
            if (t == 0) {
              // mmap failed (e.g. the map-count limit): an error, not a copy to address 0
              throw new IllegalStateException(label + " argument " + i
                  + ": the emulator could not map " + 4L * structs[i].length + " bytes ("
                  + EmuNative.liveAllocations() + " live allocations)");
            }
            EmuNative.copyToDevice(t, structs[i], 4L * structs[i].length);
            temps[i] = t;
            slots[i] = t;
          } else {
            slots[i] = values[i];
            if (kinds[i] == KernelArgs.Kind.PTR && values[i] != 0) {
              bases[i] = EmuNative.allocationOf(values[i]);
              if (bases[i] == 0) {
                throw new IllegalStateException(label + " argument " + i + ": 0x"
                    + Long.toHexString(values[i]) + " is not inside a live device allocation when the kernel runs");
              }
              if ((writable >>> i & 1) != 0) {
                before[i] = EmuNative.hash(bases[i], EmuNative.allocationBytes(bases[i]));
              }
            }
          }
        }
        String err = EmuNative.launch(kernel, gridX, gridY, 1, blockX, 1, 1, slots, barrier);
        // accesses: an allocation is written when a non-const argument's memory changed
        Map<Long, Boolean> acc = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          if (bases[i] == 0) {
            continue;
          }
          boolean wrote = (writable >>> i & 1) != 0
              && EmuNative.hash(bases[i], EmuNative.allocationBytes(bases[i])) != before[i];
          acc.merge(bases[i], wrote, Boolean::logicalOr);
        }
        for (Map.Entry<Long, Boolean> e : acc.entrySet()) {
          api.access(this, e.getKey(), e.getValue());
        }
        if (err != null) {
          throw new CudaException("emulated launch of " + label + " failed: " + err);
        }
      } finally {
        for (long t : temps) {
          if (t != 0) {
            EmuNative.free(t);
          }
        }
      }
    }
  }

  @Override
  public void launch(
      long function, int gridX, int gridY, int blockX, long stream, KernelArgs args,
      boolean usesBarrier) {
    synchronized (LOCK) {
      launches++;
      int k = (int) function;
      if (EmuNative.kernelArity(k) != args.size()) {
        throw new CudaException("emulated launch failed: wrong number of kernel arguments");
      }
      if (blockX <= 0 || blockX > 1024 || gridX <= 0 || gridY <= 0 || gridY > 65535) {
        throw new CudaException("emulated launch failed: invalid grid " + gridX + "x" + gridY
            + " or block " + blockX);
      }
      for (int i = 0; i < args.size(); i++) {
        if (args.kind(i) == KernelArgs.Kind.PTR) {
          long v = args.value(i);
          if (v != 0 && !EmuNative.valid(v, 1)) {
            throw new IllegalStateException("kernel argument " + i + ": 0x" + Long.toHexString(v)
                + " is not inside a live device allocation");
          }
        }
      }
      enqueue(stream, new KernelOp("kernel #" + k, k, gridX, gridY, blockX, usesBarrier, args));
    }
  }

  // ================================================================== pinned memory, events

  @Override
  public ByteBuffer allocPinned(long bytes) {
    synchronized (LOCK) {
      if (refusePinned) {
        return null;
      }
      pinnedAllocations++;
      return ByteBuffer.allocateDirect((int) bytes);
    }
  }

  @Override
  public void copyPinnedToDeviceAsync(long dst, ByteBuffer pinned, long offset, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(dst, bytes, "copyPinnedToDeviceAsync");
      // the DMA reads pinned memory when it runs, not when it is queued
      enqueue(stream, new MemOp("copyPinnedToDeviceAsync", NONE, new long[] {dst},
          () -> EmuNative.copyBuffer(pinned, offset, dst, bytes, true)));
    }
  }

  @Override
  public void copyDeviceToPinnedAsync(ByteBuffer pinned, long offset, long src, long bytes, long stream) {
    synchronized (LOCK) {
      checkRange(src, bytes, "copyDeviceToPinnedAsync");
      enqueue(stream, new MemOp("copyDeviceToPinnedAsync", new long[] {src}, NONE,
          () -> EmuNative.copyBuffer(pinned, offset, src, bytes, false)));
    }
  }

  @Override
  public long createEvent() {
    synchronized (LOCK) {
      long e = ++nextEvent;
      events.put(e, null);
      return e;
    }
  }

  private EventState event(long e) {
    if (!events.containsKey(e)) {
      throw new IllegalStateException("no such event: " + e);
    }
    return events.get(e);
  }

  @Override
  public void recordEvent(long event, long stream) {
    synchronized (LOCK) {
      event(event);
      if (stream == 0) {
        drain();
      }
      Stream s = stream(stream);
      s.clock = join(s.clock, hostClock);
      events.put(event, new EventState(s.id, s.enqueued, s.clock.clone()));
      progress();
    }
  }

  /** Waits on the device for an event: an operation that is ready once the event completed. */
  private static final class WaitOp extends Op {
    final EventState event;

    WaitOp(EventState event) {
      super("streamWaitEvent");
      this.event = event;
    }

    @Override
    boolean ready(EmuDeviceApi api) {
      return api.complete(event);
    }

    @Override
    void run(EmuDeviceApi api) {}
  }

  @Override
  public void streamWaitEvent(long stream, long event) {
    synchronized (LOCK) {
      EventState e = event(event);
      if (e == null) {
        return; // an event never recorded counts as complete, as in CUDA
      }
      Stream s = stream(stream);
      s.clock = join(s.clock, e.clock());
      enqueue(stream, new WaitOp(e));
    }
  }

  @Override
  public boolean queryEvent(long event) {
    synchronized (LOCK) {
      EventState e = event(event);
      progress();
      if (complete(e)) {
        if (e != null) {
          hostClock = join(hostClock, e.clock());
        }
        return true;
      }
      return false;
    }
  }

  @Override
  public void synchronizeEvent(long event) {
    synchronized (LOCK) {
      EventState e = event(event);
      if (e == null) {
        throw new IllegalStateException("synchronizeEvent on an event never recorded: " + event);
      }
      runUntil(stream(e.stream()), e.seq());
      hostClock = join(hostClock, e.clock());
    }
  }
}
