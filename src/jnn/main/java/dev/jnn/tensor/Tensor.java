package dev.jnn.tensor;

import dev.jnn.autograd.AccumulateGrad;
import dev.jnn.autograd.Engine;
import dev.jnn.autograd.FunctionNode;
import dev.jnn.autograd.Node;
import dev.jnn.autograd.RemovableHandle;
import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.View;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A multi-dimensional array on a device, with autograd ({@code torch.Tensor}). A tensor is a
 * strided view (shape, strides, offset) of a reference-counted {@link Storage}; views share
 * storage. Ops follow PyTorch's broadcasting, type promotion, gradient formulas and error
 * messages. Differentiable ops record a {@link Node} when grad mode is on and an input requires
 * grad; a differentiable op of one's own is a {@link dev.jnn.autograd.Function}.
 */
public class Tensor implements AutoCloseable {
  // package-private: the op families of this package (ViewOps, InPlaceOps, Autograd, ...) read
  // the layout and set the autograd fields; outside the package they are reached through methods
  Storage storage;
  Shape shape;
  long[] strides;
  long offset;
  boolean requiresGrad;
  Tensor grad;
  Node gradFn;
  int outputNr;
  private AccumulateGrad gradAccumulator;
  boolean retainsGrad;
  Tensor viewBase; // non-null for views: the tensor whose storage this aliases
  int viewHistoryVersion; // storage.historyVersion() when this view was taken
  boolean closed;
  /** Creation order of tensor handles (see {@link #createdSince}). */
  private static final java.util.concurrent.atomic.AtomicLong CREATED =
      new java.util.concurrent.atomic.AtomicLong();
  private final long serial = CREATED.incrementAndGet();

  // ------------------------------------------------------------------ construction

  Tensor(Storage storage, Shape shape, long[] strides, long offset) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    if (storage != null) {
      MemoryScope.register(this);
    }
  }

  /**
   * A new tensor sharing {@code data}'s storage (used by {@code Parameter}); {@code data}'s
   * autograd history is not carried over.
   */
  protected Tensor(Tensor data, boolean requiresGrad) {
    data.storage.retain();
    this.storage = data.storage;
    this.shape = data.shape;
    this.strides = data.strides.clone();
    this.offset = data.offset;
    if (requiresGrad) {
      checkCanRequireGrad(data.dtype());
    }
    this.requiresGrad = requiresGrad;
  }

  static Tensor allocate(Shape shape, DType dtype, Device device) {
    Backend b = Backends.forDevice(device);
    Buffer buf = b.allocate(device, dtype, shape.numel());
    return new Tensor(new Storage(buf), shape, shape.contiguousStrides(), 0);
  }

  /**
   * The element count of a tensor that factory {@code op} is about to create: PyTorch's text,
   * followed by the op, when the product of the sizes (left to right, as PyTorch multiplies)
   * overflows a long.
   */
  static long storageNumel(String op, Shape shape) {
    try {
      return shape.numel();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "Storage size calculation overflowed with sizes=" + shape + " (" + op + ")");
    }
  }

  /**
   * {@link #storageNumel}, also within the 2^31-1 elements of a Java array (the CPU back end's
   * storage, and the host staging of the random factories on every device).
   */
  static int hostNumel(String op, Shape shape) {
    long n = storageNumel(op, shape);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "CPU tensors are limited to 2^31-1 elements, requested " + n + " (" + op + ": shape "
              + shape + ")");
    }
    return (int) n;
  }

  /** Like {@link #allocate}, but the contents are unspecified (the caller overwrites them all). */
  static Tensor allocateUninit(Shape shape, DType dtype, Device device) {
    Backend b = Backends.forDevice(device);
    Buffer buf = b.allocateUninitialized(device, dtype, shape.numel());
    return new Tensor(new Storage(buf), shape, shape.contiguousStrides(), 0);
  }

  /** An uninitialised-by-contract (zero-filled in practice) contiguous tensor. */
  public static Tensor empty(Shape shape, DType dtype, Device device) {
    return Factories.empty(shape, dtype, device);
  }

  /**
   * A contiguous tensor whose contents are unspecified (a recycled buffer may hold old values):
   * for an output that the caller overwrites entirely before it is read, where {@link #empty}
   * would spend a pass zeroing it.
   */
  static Tensor uninitialized(Shape shape, DType dtype, Device device) {
    return Factories.uninitialized(shape, dtype, device);
  }

  /** Zeros of the given shape, float32 on the CPU ({@code torch.zeros}). */
  public static Tensor zeros(long... dims) {
    return zeros(Shape.of(dims), DType.FLOAT32, Device.CPU);
  }

  /** Zeros. */
  public static Tensor zeros(Shape shape, DType dtype, Device device) {
    return Factories.zeros(shape, dtype, device);
  }

  /** Zeros with the shape, dtype and device of {@code t}. */
  public static Tensor zerosLike(Tensor t) {
    return zeros(t.shape, t.dtype(), t.device());
  }

  /** Ones, float32 on the CPU. */
  public static Tensor ones(long... dims) {
    return ones(Shape.of(dims), DType.FLOAT32, Device.CPU);
  }

  /** Ones. */
  public static Tensor ones(Shape shape, DType dtype, Device device) {
    return Factories.ones(shape, dtype, device);
  }

  /** Ones with the shape, dtype and device of {@code t}. */
  public static Tensor onesLike(Tensor t) {
    return full(t.shape, 1.0, t.dtype(), t.device());
  }

  /** A tensor filled with {@code value} ({@code torch.full}). */
  public static Tensor full(Shape shape, double value, DType dtype, Device device) {
    return Factories.full(shape, value, dtype, device);
  }

  /** {@code [0, 1, ..., end-1]} as int64 ({@code torch.arange(end)}). */
  public static Tensor arange(long end) {
    return arange(0, end, 1, DType.INT64);
  }

  /** {@code torch.arange(start, end, step, dtype=dtype)}. */
  public static Tensor arange(double start, double end, double step, DType dtype) {
    return FactoryOps.arange(start, end, step, dtype);
  }

  /** The n x n identity, float32 ({@code torch.eye}). */
  public static Tensor eye(long n) {
    return eye(n, DType.FLOAT32, Device.CPU);
  }

  /** The n x n identity. */
  public static Tensor eye(long n, DType dtype, Device device) {
    return Factories.eye(n, dtype, device);
  }

  /** Uniform [0, 1) float32 from the default generator ({@code torch.rand}). */
  public static Tensor rand(long... dims) {
    return rand(Shape.of(dims), DType.FLOAT32, Generator.defaultGenerator());
  }

  /** Uniform [0, 1). */
  public static Tensor rand(Shape shape, DType dtype, Generator gen) {
    return RandomOps.rand(shape, dtype, gen);
  }

  /** Standard normal float32 from the default generator ({@code torch.randn}). */
  public static Tensor randn(long... dims) {
    return randn(Shape.of(dims), DType.FLOAT32, Generator.defaultGenerator());
  }

  /** Standard normal. */
  public static Tensor randn(Shape shape, DType dtype, Generator gen) {
    return RandomOps.randn(shape, dtype, gen);
  }

  /** Uniform integers in [low, high), int64 ({@code torch.randint}). */
  public static Tensor randint(long low, long high, Shape shape, Generator gen) {
    return RandomOps.randint(low, high, shape, gen);
  }

  /** Uniform integers in [low, high) from the default generator. */
  public static Tensor randint(long low, long high, long... dims) {
    return randint(low, high, Shape.of(dims), Generator.defaultGenerator());
  }

  /** A float32 tensor copying {@code data}; {@code dims} defaults to 1-D. */
  public static Tensor fromArray(float[] data, long... dims) {
    return Factories.fromArray(data, dims);
  }

  /** A float64 tensor copying {@code data}. */
  public static Tensor fromArray(double[] data, long... dims) {
    return Factories.fromArray(data, dims);
  }

  /** An int64 tensor copying {@code data}. */
  public static Tensor fromArray(long[] data, long... dims) {
    return Factories.fromArray(data, dims);
  }

  /** A bool tensor copying {@code data}. */
  public static Tensor fromArray(boolean[] data, long... dims) {
    return Factories.fromArray(data, dims);
  }

  /** A 0-d float32 tensor ({@code torch.tensor(3.0)}). */
  public static Tensor scalar(double value) {
    return scalar(value, DType.FLOAT32);
  }

  /** A 0-d tensor of the given dtype. */
  public static Tensor scalar(double value, DType dtype) {
    return full(Shape.scalar(), value, dtype, Device.CPU);
  }

  /** A 0-d tensor on a device. */
  public static Tensor scalar(double value, DType dtype, Device device) {
    return full(Shape.scalar(), value, dtype, device);
  }

  // ------------------------------------------------------------------ metadata

  /** The shape ({@code t.shape}). */
  public Shape shape() {
    return shape;
  }

  /** Size of dim {@code d} ({@code t.size(d)}); negative counts from the end. */
  public long size(int d) {
    return shape.get(d);
  }

  /** Number of dims ({@code t.dim()}). */
  public int dim() {
    return shape.rank();
  }

  /** Number of elements. */
  public long numel() {
    return shape.numel();
  }

  /** Element strides ({@code t.stride()}). */
  public long[] strides() {
    return strides.clone();
  }

  /** Element offset into the storage ({@code t.storage_offset()}). */
  public long storageOffset() {
    return offset;
  }

  /** The element type. */
  public DType dtype() {
    return storage.dtype();
  }

  /** The device. */
  public Device device() {
    return storage.device();
  }

  /**
   * The storage ({@code t.untyped_storage()}): shared by views, so two tensors share memory when
   * their storages are the same object (PyTorch compares {@code untyped_storage().data_ptr()}).
   */
  public Storage storage() {
    return storage;
  }

  /** The version counter of the storage (bumped by in-place ops). */
  public int version() {
    return storage.version();
  }

  /** Whether the elements are row-major without gaps. */
  public boolean isContiguous() {
    long expected = 1;
    for (int i = shape.rank() - 1; i >= 0; i--) {
      long d = shape.get(i);
      if (d != 1 && strides[i] != expected) {
        return false;
      }
      expected *= d;
    }
    return true;
  }

  /** Whether this is a floating-point tensor. */
  public boolean isFloatingPoint() {
    return dtype().isFloatingPoint();
  }

  Backend backend() {
    return Backends.forDevice(device());
  }

  /**
   * The back-end view of this tensor (buffer + int shape/strides/offset), for the op families.
   * Package-private: outside this package {@code t.view()} is {@link #view(long...)} with no sizes.
   */
  View view() {
    try {
      int[] s = shape.intDims();
      int[] st = new int[strides.length];
      for (int i = 0; i < st.length; i++) {
        st[i] = Math.toIntExact(strides[i]);
      }
      return new View(storage.buffer(), s, st, Math.toIntExact(offset));
    } catch (ArithmeticException e) {
      throw beyondKernels(shape, strides);
    }
  }

  /** A tensor (or a broadcast target) whose sizes / strides / offset do not fit the int views. */
  private IllegalArgumentException beyondKernels(Shape s, long[] st) {
    return new IllegalArgumentException(
        "jnn's kernels address sizes, strides and offsets up to 2^31-1: a tensor of shape " + s
            + " (strides " + Arrays.toString(st) + ", offset " + offset + ") is beyond them");
  }

  /** A view broadcast (stride 0) to {@code target}; no copy. */
  View broadcastView(Shape target) {
    int n = target.rank();
    int[] st = new int[n];
    int[] s;
    try {
      s = target.intDims();
    } catch (ArithmeticException e) {
      throw beyondKernels(target, strides);
    }
    int r = shape.rank();
    for (int i = 0; i < n; i++) {
      int j = r - n + i;
      if (j < 0) {
        st[i] = 0;
      } else if (shape.get(j) == 1 && s[i] != 1) {
        st[i] = 0;
      } else if (shape.get(j) == s[i]) {
        st[i] = Math.toIntExact(strides[j]);
      } else {
        throw new ShapeMismatchException(
            "The expanded size of the tensor ("
                + s[i]
                + ") must match the existing size ("
                + shape.get(j)
                + ") at non-singleton dimension "
                + i
                + ".  Target sizes: "
                + target
                + ".  Tensor sizes: "
                + shape);
      }
    }
    return new View(storage.buffer(), s, st, Math.toIntExact(offset));
  }

  // ------------------------------------------------------------------ autograd state

  /** Whether gradients are recorded for this tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /**
   * Sets {@code requires_grad} on a leaf ({@code requires_grad_}); returns this. Only floating
   * tensors can require gradients; non-leaves cannot change the flag.
   */
  public Tensor requiresGrad(boolean requiresGrad) {
    if (gradFn != null) {
      if (!requiresGrad) {
        throw new IllegalStateException(
            "you can only change requires_grad flags of leaf variables. If you want to use a"
                + " computed variable in a subgraph that doesn't require differentiation use"
                + " var_no_grad = var.detach().");
      }
      return this;
    }
    if (requiresGrad) {
      checkCanRequireGrad(dtype());
    }
    this.requiresGrad = requiresGrad;
    return this;
  }

  private static void checkCanRequireGrad(DType dt) {
    if (!dt.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "only Tensors of floating point and complex dtype can require gradients (got " + dt + ")");
    }
  }

  /** The accumulated gradient of a leaf, or null ({@code t.grad}). */
  public Tensor grad() {
    return grad;
  }

  /** Sets or clears the gradient ({@code t.grad = g}); shape and device must match. */
  public void setGrad(Tensor g) {
    if (g != null) {
      if (!g.shape.equals(shape)) {
        throw new ShapeMismatchException(
            "assigned grad has data of a different size: grad " + g.shape + ", tensor " + shape);
      }
      if (!g.device().equals(device())) {
        throw new IllegalArgumentException(
            "assigned grad has data located on a different device: grad on "
                + g.device()
                + ", tensor on "
                + device());
      }
      if (g.dtype() != dtype()) {
        throw new IllegalArgumentException(
            "assigned grad has data of a different type: grad " + g.dtype() + ", tensor " + dtype());
      }
    }
    MemoryScope.escape(g); // the gradient belongs to this tensor, not to a step's scope
    this.grad = g;
  }

  /** The node that produced this tensor, null for leaves ({@code t.grad_fn}). */
  public Node gradFn() {
    return gradFn;
  }

  /** Which output of {@link #gradFn()} this tensor is. */
  public int outputNr() {
    return outputNr;
  }

  /** True when created by the user rather than by a recorded op ({@code t.is_leaf}). */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** The (lazily created, cached) accumulator node of a leaf that requires grad. */
  AccumulateGrad gradAccumulator() {
    if (gradFn != null) {
      throw new IllegalStateException("gradAccumulator() of a non-leaf tensor");
    }
    if (gradAccumulator == null) {
      gradAccumulator = new AccumulateGrad(this);
    }
    return gradAccumulator;
  }

  /**
   * Called by {@link AccumulateGrad} and the engine (through {@link TensorAccess}): adds {@code g}
   * into {@link #grad()}, where {@code exclusive} says that nothing but the caller
   * refers to the handle {@code g} (autograd's engine knows this for a gradient a backward formula
   * just created and handed to this leaf only; see {@code Engine}). The first gradient is then
   * adopted as {@code grad} instead of copied, when its storage has no other handle and it is a
   * plain contiguous tensor, as PyTorch steals an unshared gradient. Otherwise {@code grad} gets a
   * private copy: the incoming tensor may be held elsewhere (a hook that kept it, a gradient shared
   * by two inputs, the caller's seed), and {@code grad} is accumulated into in place.
   */
  void accumulateGrad(Tensor g, boolean exclusive) {
    Autograd.accumulateGrad(this, g, exclusive);
  }

  /** Whether this handle was created after {@link #creationMark()} returned {@code mark}. */
  boolean createdSince(long mark) {
    return serial > mark;
  }

  /** A mark for {@link #createdSince}: handles created from now on compare after it. */
  static long creationMark() {
    return CREATED.get();
  }

  /** Whether a non-leaf keeps its gradient ({@code t.retains_grad}). */
  public boolean retainsGrad() {
    return retainsGrad;
  }

  /** Makes a non-leaf keep its {@code grad} after backward ({@code t.retain_grad()}). */
  public void retainGrad() {
    Autograd.retainGrad(this);
  }


  /**
   * Registers a hook on this tensor's gradient ({@code t.register_hook}); it may return a
   * replacement gradient or null. For a leaf it runs before accumulation.
   */
  public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
    return Autograd.registerHook(this, hook);
  }


  /** Backpropagates from a scalar ({@code t.backward()}). */
  public void backward() {
    backward(null, false);
  }

  /** Backpropagates with an explicit seed gradient (required for non-scalars). */
  public void backward(Tensor gradient) {
    backward(gradient, false);
  }

  /** Backpropagates; {@code retainGraph} keeps saved tensors for another backward. */
  public void backward(Tensor gradient, boolean retainGraph) {
    List<Tensor> g = new ArrayList<>();
    g.add(gradient);
    Engine.backward(List.of(this), g, retainGraph);
  }

  /** A new tensor sharing storage, cut from the graph ({@code t.detach()}). */
  public Tensor detach() {
    storage.retain();
    // not an autograd view: in-place ops on the result are allowed even when this is a leaf that
    // requires grad (they still bump the shared version counter), as in PyTorch
    return new Tensor(storage, shape, strides, offset);
  }

  /** Replaces this tensor's data by {@code other}'s storage, keeping this object ({@code t.data = x}). */
  public void setData(Tensor other) {
    if (other.storage != storage) {
      other.storage.retain();
      Storage old = storage;
      storage = other.storage;
      old.release();
    }
    shape = other.shape;
    strides = other.strides.clone();
    offset = other.offset;
    if (requiresGrad && !other.dtype().isFloatingPoint()) {
      requiresGrad = false;
    }
  }

  /** A detached alias of the data ({@code t.data}). */
  public Tensor data() {
    return detach();
  }

  /**
   * Frees this handle's reference to the storage; the memory goes when the last tensor sharing it
   * (views, a {@code Parameter} and the tensor it wraps) closes. Idempotent. A closed handle must
   * not be used any more (its {@link #toString()} says {@code tensor(<closed>, size=[2, 3],
   * dtype=torch.float32)}); a tensor whose storage another handle freed prints {@code <freed>}.
   */
  @Override
  public void close() {
    if (!closed && storage != null) {
      closed = true;
      storage.release();
    }
  }

  // ------------------------------------------------------------------ recording helpers

  /**
   * Records a differentiable op with one output: when grad mode is on and an input requires grad,
   * {@code out} gets a {@link FunctionNode} named {@code name} whose backward is {@code fn}.
   * {@code saved} lists the tensors {@code fn} reads (version-checked, freed after backward).
   */
  static Tensor record(
      String name, Tensor out, Tensor[] inputs, Tensor[] saved, FunctionNode.Backward fn) {
    return Autograd.record(name, out, inputs, saved, fn);
  }

  /**
   * Records an op with several outputs sharing one node (e.g. an identity over many tensors, used
   * by module backward hooks).
   */
  static Tensor[] recordMulti(
      String name, Tensor[] outs, Tensor[] inputs, Tensor[] saved, FunctionNode.Backward fn) {
    return Autograd.recordMulti(name, outs, inputs, saved, fn);
  }

  /** Sums {@code g} over broadcast dims so that it has {@code target}'s shape. */
  public static Tensor sumToShape(Tensor g, Shape target) {
    return Autograd.sumToShape(g, target);
  }

  // ------------------------------------------------------------------ dtype / device

  /** Converts to {@code dtype} (a copy, or this tensor when the dtype already matches). */
  public Tensor to(DType dtype) {
    if (dtype == dtype()) {
      return this;
    }
    Tensor out = allocateUninit(shape, dtype, device());
    backend().copy(view(), out.view());
    final DType src = dtype();
    return record("ToCopyBackward0", out, Autograd.in(this), Autograd.NONE,
        g -> new Tensor[] {g[0].to(src)});
  }

  /** Moves to {@code device} (a copy, or this tensor when already there). */
  public Tensor to(Device device) {
    if (device.equals(device())) {
      return this;
    }
    Backend target = Backends.forDevice(device);
    // a whole contiguous CPU storage is uploaded from its own array (upload copies it before
    // returning); anything else goes through a contiguous host copy
    HostBuffer host = hostContiguous();
    Buffer b = target.upload(device, host);
    Tensor out = new Tensor(new Storage(b), shape, shape.contiguousStrides(), 0);
    final Device src = device();
    return record("ToCopyBackward0", out, Autograd.in(this), Autograd.NONE,
        g -> new Tensor[] {g[0].to(src)});
  }

  /** Moves and converts. */
  public Tensor to(Device device, DType dtype) {
    return to(device).to(dtype);
  }

  /** {@code t.cpu()}. */
  public Tensor cpu() {
    return to(Device.CPU);
  }

  /** {@code t.cuda()} (device 0). */
  public Tensor cuda() {
    return to(Device.cuda(0));
  }

  /** {@code t.float()}. */
  public Tensor toFloat() {
    return to(DType.FLOAT32);
  }

  /** {@code t.double()}. */
  public Tensor toDouble() {
    return to(DType.FLOAT64);
  }

  /** {@code t.long()}. */
  public Tensor toLong() {
    return to(DType.INT64);
  }

  // ------------------------------------------------------------------ reading values

  private HostBuffer hostContiguous() {
    if (device().isCpu() && isContiguous() && offset == 0 && numel() == storage.buffer().numel()) {
      return (HostBuffer) storage.buffer();
    }
    return backend().download(view());
  }

  /** The single value as a double ({@code t.item()}); requires exactly one element. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalStateException(
          "a Tensor with " + numel() + " elements cannot be converted to Scalar");
    }
    return hostContiguous().getDouble(0);
  }

  /** The single value as a long. */
  public long itemLong() {
    if (numel() != 1) {
      throw new IllegalStateException(
          "a Tensor with " + numel() + " elements cannot be converted to Scalar");
    }
    return hostContiguous().getLong(0);
  }

  /** All elements in row-major order, converted to float. */
  public float[] toFloatArray() {
    HostBuffer h = hostContiguous();
    if (h.dtype() == DType.FLOAT32) {
      return h.floats().clone();
    }
    float[] r = new float[Math.toIntExact(numel())];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) h.getDouble(i);
    }
    return r;
  }

  /** All elements in row-major order, converted to double. */
  public double[] toDoubleArray() {
    HostBuffer h = hostContiguous();
    double[] r = new double[Math.toIntExact(numel())];
    for (int i = 0; i < r.length; i++) {
      r[i] = h.getDouble(i);
    }
    return r;
  }

  /** All elements in row-major order, converted to long (floats truncate). */
  public long[] toLongArray() {
    HostBuffer h = hostContiguous();
    long[] r = new long[Math.toIntExact(numel())];
    for (int i = 0; i < r.length; i++) {
      r[i] = h.getLong(i);
    }
    return r;
  }

  /** All elements as booleans (non-zero is true). */
  public boolean[] toBooleanArray() {
    HostBuffer h = hostContiguous();
    boolean[] r = new boolean[Math.toIntExact(numel())];
    for (int i = 0; i < r.length; i++) {
      r[i] = h.getDouble(i) != 0;
    }
    return r;
  }

  /** PyTorch-style repr, e.g. {@code tensor([1., 2.], requires_grad=True)}. */
  @Override
  public String toString() {
    if (storage != null && (closed || storage.isFreed())) {
      // never throws (logging, debuggers): the metadata survives the data
      Device d = storage.deviceEvenIfFreed();
      return "tensor(<" + (closed ? "closed" : "freed") + ">, size=" + shape + ", dtype="
          + storage.dtypeEvenIfFreed() + (d.isCpu() ? "" : ", device='" + d + "'") + ")";
    }
    return TensorFormatter.format(this);
  }

  /**
   * Whether {@link #close()} was called on this handle. Its data may still be readable through
   * other tensors sharing the storage (views, a {@code Parameter} and the tensor it wraps), but
   * this handle must not be used any more.
   */
  public boolean isClosed() {
    return closed;
  }

  private Tensor wrapScalar(double v) {
    return Checks.wrapScalar(this, v);
  }

  // ------------------------------------------------------------------ arithmetic

  /** {@code this + other} with broadcasting. */
  public Tensor add(Tensor other) {
    return BinaryOps.add(this, other);
  }

  /** {@code this + alpha * other} ({@code torch.add(x, y, alpha=)}). */
  public Tensor add(Tensor other, double alpha) {
    return alpha == 1.0 ? add(other) : add(other.mul(alpha));
  }

  /** {@code this + s}. */
  public Tensor add(double s) {
    return add(wrapScalar(s));
  }

  /** {@code this - other}. */
  public Tensor sub(Tensor other) {
    return BinaryOps.sub(this, other);
  }

  /** {@code this - s}. */
  public Tensor sub(double s) {
    return sub(wrapScalar(s));
  }

  /** {@code s - this} ({@code torch.rsub}). */
  public Tensor rsub(double s) {
    return BinaryOps.rsub(this, s);
  }

  /** {@code this * other}. */
  public Tensor mul(Tensor other) {
    return BinaryOps.mul(this, other);
  }

  /** {@code this * s}. */
  public Tensor mul(double s) {
    return BinaryOps.mul(this, s);
  }

  /** {@code this / other} (true division: integers promote to float32). */
  public Tensor div(Tensor other) {
    return BinaryOps.div(this, other);
  }

  /** {@code this / s}. */
  public Tensor div(double s) {
    // a true division, as PyTorch does (x * (1/s) can differ in the last bit)
    return div(wrapScalar(s));
  }

  /** {@code -this}. */
  public Tensor neg() {
    return UnaryOps.neg(this);
  }

  /** {@code this ^ exponent} element-wise. */
  public Tensor pow(Tensor exponent) {
    return BinaryOps.pow(this, exponent);
  }

  /** {@code this ^ p}. */
  public Tensor pow(double p) {
    return UnaryOps.pow(this, p);
  }

  /** e^x. */
  public Tensor exp() {
    return UnaryOps.exp(this);
  }

  /** Natural log. */
  public Tensor log() {
    return UnaryOps.log(this);
  }

  /** Square root. */
  public Tensor sqrt() {
    return UnaryOps.sqrt(this);
  }

  /** |x|. */
  public Tensor abs() {
    return UnaryOps.abs(this);
  }

  /** sign(x) (not differentiable: zero gradient). */
  public Tensor sign() {
    return UnaryOps.sign(this);
  }

  /** Clamps into [min, max]; pass {@code Double.NaN} for "no bound" ({@code torch.clamp}). */
  public Tensor clamp(double min, double max) {
    return UnaryOps.clamp(this, min, max);
  }

  /** {@code clamp(min=min)}. */
  public Tensor clampMin(double min) {
    return clamp(min, Double.NaN);
  }

  /** {@code clamp(max=max)}. */
  public Tensor clampMax(double max) {
    return clamp(Double.NaN, max);
  }

  /** Element-wise maximum, NaN-propagating ({@code torch.maximum}). */
  public Tensor maximum(Tensor other) {
    return BinaryOps.maximum(this, other);
  }

  /** Element-wise minimum, NaN-propagating ({@code torch.minimum}). */
  public Tensor minimum(Tensor other) {
    return BinaryOps.minimum(this, other);
  }

  // ------------------------------------------------------------------ comparisons / logic

  /** {@code this == other} (bool). */
  public Tensor eq(Tensor other) {
    return BinaryOps.eq(this, other);
  }

  /** {@code this == s}. */
  public Tensor eq(double s) {
    return eq(wrapScalar(s));
  }

  /** {@code this != other}. */
  public Tensor ne(Tensor other) {
    return BinaryOps.ne(this, other);
  }

  /** {@code this != s}. */
  public Tensor ne(double s) {
    return ne(wrapScalar(s));
  }

  /** {@code this < other}. */
  public Tensor lt(Tensor other) {
    return BinaryOps.lt(this, other);
  }

  /** {@code this < s}. */
  public Tensor lt(double s) {
    return lt(wrapScalar(s));
  }

  /** {@code this <= other}. */
  public Tensor le(Tensor other) {
    return BinaryOps.le(this, other);
  }

  /** {@code this <= s}. */
  public Tensor le(double s) {
    return le(wrapScalar(s));
  }

  /** {@code this > other}. */
  public Tensor gt(Tensor other) {
    return BinaryOps.gt(this, other);
  }

  /** {@code this > s}. */
  public Tensor gt(double s) {
    return gt(wrapScalar(s));
  }

  /** {@code this >= other}. */
  public Tensor ge(Tensor other) {
    return BinaryOps.ge(this, other);
  }

  /** {@code this >= s}. */
  public Tensor ge(double s) {
    return ge(wrapScalar(s));
  }

  /** Element-wise logical and (bool). */
  public Tensor logicalAnd(Tensor other) {
    return BinaryOps.logicalAnd(this, other);
  }

  /** Element-wise logical or (bool). */
  public Tensor logicalOr(Tensor other) {
    return BinaryOps.logicalOr(this, other);
  }

  /** Element-wise logical not (bool). */
  public Tensor logicalNot() {
    return UnaryOps.logicalNot(this);
  }

  /** {@code torch.where(cond, a, b)} with broadcasting; differentiable in a and b. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return BinaryOps.where(cond, a, b);
  }

  // ------------------------------------------------------------------ activations

  /** max(x, 0). */
  public Tensor relu() {
    return UnaryOps.relu(this);
  }

  /**
   * {@code t.relu_()}: {@code max(x, 0)} written into this tensor, which is returned. As for the
   * other in-place ops, a leaf that requires grad (or a view of one) is refused, the storage's
   * version is bumped (so a backward pass that saved the old values fails instead of using the
   * new ones), and when autograd records, this tensor takes over the ReLU's history.
   */
  public Tensor reluInPlace() {
    return InPlaceOps.reluInPlace(this);
  }

  /** 1 / (1 + e^-x). */
  public Tensor sigmoid() {
    return UnaryOps.sigmoid(this);
  }

  /** tanh x. */
  public Tensor tanh() {
    return UnaryOps.tanh(this);
  }

  // ------------------------------------------------------------------ unary math (torch names)

  /** {@code torch.sin}. */
  public Tensor sin() {
    return UnaryOps.sin(this);
  }

  /** {@code torch.cos}. */
  public Tensor cos() {
    return UnaryOps.cos(this);
  }

  /** {@code torch.tan}. */
  public Tensor tan() {
    return UnaryOps.tan(this);
  }

  /** {@code torch.asin}. */
  public Tensor asin() {
    return UnaryOps.asin(this);
  }

  /** {@code torch.acos}. */
  public Tensor acos() {
    return UnaryOps.acos(this);
  }

  /** {@code torch.atan}. */
  public Tensor atan() {
    return UnaryOps.atan(this);
  }

  /** {@code torch.sinh}. */
  public Tensor sinh() {
    return UnaryOps.sinh(this);
  }

  /** {@code torch.cosh}. */
  public Tensor cosh() {
    return UnaryOps.cosh(this);
  }

  /** {@code torch.exp2}: 2^x. */
  public Tensor exp2() {
    return UnaryOps.exp2(this);
  }

  /** {@code torch.expm1}: e^x - 1. */
  public Tensor expm1() {
    return UnaryOps.expm1(this);
  }

  /** {@code torch.log1p}: ln(1 + x). */
  public Tensor log1p() {
    return UnaryOps.log1p(this);
  }

  /** {@code torch.log2}. */
  public Tensor log2() {
    return UnaryOps.log2(this);
  }

  /** {@code torch.log10}. */
  public Tensor log10() {
    return UnaryOps.log10(this);
  }

  /** {@code torch.erf}. */
  public Tensor erf() {
    return UnaryOps.erf(this);
  }

  /** {@code torch.rsqrt}: 1 / sqrt(x). */
  public Tensor rsqrt() {
    return UnaryOps.rsqrt(this);
  }

  /** {@code torch.reciprocal}: 1 / x. */
  public Tensor reciprocal() {
    return UnaryOps.reciprocal(this);
  }

  /** {@code torch.floor} (zero gradient; integer tensors are returned as a copy). */
  public Tensor floor() {
    return UnaryOps.floor(this);
  }

  /** {@code torch.ceil} (zero gradient; integer tensors are returned as a copy). */
  public Tensor ceil() {
    return UnaryOps.ceil(this);
  }

  /** {@code torch.round}: half to even (zero gradient; integer tensors are returned as a copy). */
  public Tensor round() {
    return UnaryOps.round(this);
  }

  /** {@code torch.trunc}: toward zero (zero gradient; integer tensors are returned as a copy). */
  public Tensor trunc() {
    return UnaryOps.trunc(this);
  }

  /** GELU, exact (erf) form ({@code approximate='none'}). */
  public Tensor gelu() {
    return gelu("none");
  }

  /** GELU with {@code approximate} = {@code "none"} or {@code "tanh"}. */
  public Tensor gelu(String approximate) {
    return UnaryOps.gelu(this, approximate);
  }

  /** x &gt; 0 ? x : slope * x. */
  public Tensor leakyRelu(double negativeSlope) {
    return UnaryOps.leakyRelu(this, negativeSlope);
  }

  // ------------------------------------------------------------------ reductions

  /** Sum of all elements (bool and int64 sum to int64). */
  public Tensor sum() {
    return sum(null, false);
  }

  /** Sum over {@code dims} ({@code torch.sum(x, dim, keepdim)}). */
  public Tensor sum(int[] dims, boolean keepdim) {
    return ReduceOps.sum(this, dims, keepdim);
  }

  /** Sum over one dim. */
  public Tensor sum(int dim, boolean keepdim) {
    return sum(new int[] {dim}, keepdim);
  }

  /** Mean of all elements (floating tensors only, as in PyTorch). */
  public Tensor mean() {
    return mean(null, false);
  }

  /** Mean over {@code dims}. */
  public Tensor mean(int[] dims, boolean keepdim) {
    return ReduceOps.mean(this, dims, keepdim);
  }

  /** Mean over one dim. */
  public Tensor mean(int dim, boolean keepdim) {
    return mean(new int[] {dim}, keepdim);
  }

  /**
   * Variance over {@code dims} with Bessel's {@code correction} (1 = unbiased, PyTorch's default).
   */
  public Tensor var(int[] dims, int correction, boolean keepdim) {
    return ReduceOps.var(this, dims, correction, keepdim);
  }

  /** Unbiased variance of all elements. */
  public Tensor var() {
    return var(null, 1, false);
  }

  /** Variance over one dim. */
  public Tensor var(int dim, boolean unbiased, boolean keepdim) {
    return var(new int[] {dim}, unbiased ? 1 : 0, keepdim);
  }

  /** Maximum of all elements; the gradient is split evenly among ties (PyTorch). */
  public Tensor max() {
    return ReduceOps.max(this);
  }

  /** Minimum of all elements. */
  public Tensor min() {
    return ReduceOps.min(this);
  }

  /** Values and indices of a max/min over a dim ({@code torch.return_types.max}). */
  public record ValuesIndices(Tensor values, Tensor indices) {}

  /** Maximum over {@code dim} with the index of the first maximum. */
  public ValuesIndices max(int dim, boolean keepdim) {
    return ReduceOps.max(this, dim, keepdim);
  }

  /** Minimum over {@code dim} with the index of the first minimum. */
  public ValuesIndices min(int dim, boolean keepdim) {
    return ReduceOps.min(this, dim, keepdim);
  }

  /** Index of the maximum of the flattened tensor ({@code torch.argmax(x)}). */
  public Tensor argmax() {
    return ReduceOps.argmax(this);
  }

  /** Index of the maximum along {@code dim}. */
  public Tensor argmax(int dim, boolean keepdim) {
    return ReduceOps.argmax(this, dim, keepdim);
  }

  /** Index of the minimum along {@code dim}. */
  public Tensor argmin(int dim, boolean keepdim) {
    return ReduceOps.argmin(this, dim, keepdim);
  }

  // ------------------------------------------------------------------ matmul

  /**
   * Matrix product with PyTorch's {@code torch.matmul} rules: 1-D operands are promoted and the
   * added dim removed, batch dims broadcast.
   */
  public Tensor matmul(Tensor other) {
    return LinalgOps.matmul(this, other);
  }

  /** 2-D matrix product ({@code torch.mm}); both operands must be 2-D. */
  public Tensor mm(Tensor other) {
    return LinalgOps.mm(this, other);
  }

  // ------------------------------------------------------------------ views

  /** A view with a new shape; fails when the strides do not allow it ({@code t.view}). */
  public Tensor view(long... dims) {
    return ViewOps.view(this, dims);
  }

  /** A view when possible, else a copy ({@code t.reshape}). */
  public Tensor reshape(long... dims) {
    return ViewOps.reshape(this, dims);
  }

  /** Flattens all dims into one ({@code t.flatten()}). */
  public Tensor flatten() {
    return flatten(0, -1);
  }

  /** Flattens dims {@code startDim..} to the last ({@code t.flatten(start_dim)}). */
  public Tensor flatten(int startDim) {
    return flatten(startDim, -1);
  }

  /** Flattens dims {@code startDim..endDim} ({@code torch.flatten}). */
  public Tensor flatten(int startDim, int endDim) {
    return ViewOps.flatten(this, startDim, endDim);
  }

  /** Reorders dims ({@code t.permute}). */
  public Tensor permute(int... dims) {
    return ViewOps.permute(this, dims);
  }

  /** Swaps two dims ({@code t.transpose}). */
  public Tensor transpose(int dim0, int dim1) {
    return ViewOps.transpose(this, dim0, dim1);
  }

  /** Transpose of a matrix of at most 2 dims ({@code t.t()}). */
  public Tensor t() {
    return ViewOps.t(this);
  }

  /** This tensor when contiguous, else a contiguous copy. */
  public Tensor contiguous() {
    return ViewOps.contiguous(this);
  }

  /** A copy with its own storage ({@code t.clone()}); differentiable. */
  public Tensor clone() {
    return ViewOps.clone(this);
  }

  /** Removes all size-1 dims. */
  public Tensor squeeze() {
    return ViewOps.squeeze(this);
  }

  /** Removes dim {@code dim} if it has size 1. */
  public Tensor squeeze(int dim) {
    return ViewOps.squeeze(this, dim);
  }

  /** Inserts a size-1 dim at {@code dim}. */
  public Tensor unsqueeze(int dim) {
    return ViewOps.unsqueeze(this, dim);
  }

  /** Broadcasts size-1 dims to {@code dims} without copying; -1 keeps a dim ({@code t.expand}). */
  public Tensor expand(long... dims) {
    return ViewOps.expand(this, dims);
  }

  /** Expands to {@code other}'s shape. */
  public Tensor expandAs(Tensor other) {
    return expand(other.shape.dims());
  }

  /** {@code length} elements of {@code dim} from {@code start}, as a view ({@code t.narrow}). */
  public Tensor narrow(int dim, long start, long length) {
    return ViewOps.narrow(this, dim, start, length);
  }

  /** {@code t[..., start:end:step, ...]} along {@code dim} as a view; bounds are clamped like Python. */
  public Tensor slice(int dim, long start, long end, long step) {
    return ViewOps.slice(this, dim, start, end, step);
  }

  /** {@code t[index]} along {@code dim}: removes the dim ({@code t.select}). */
  public Tensor select(int dim, long index) {
    return ViewOps.select(this, dim, index);
  }

  /** {@code t[i]} (first dim), with the errors of PyTorch 1.13's indexing (not select()'s). */
  public Tensor get(long i) {
    return ViewOps.get(this, i);
  }

  /** Concatenates along {@code dim} ({@code torch.cat}). */
  public static Tensor cat(List<Tensor> tensors, int dim) {
    return ViewOps.cat(tensors, dim);
  }

  /** Stacks along a new dim ({@code torch.stack}). */
  public static Tensor stack(List<Tensor> tensors, int dim) {
    return ViewOps.stack(tensors, dim);
  }

  // ---- composites (issue 17 item 7): built from differentiable ops, so CPU and CUDA and autograd
  //      come for free; their grad_fn names are those of the ops they are built from.

  /** Splits {@code dim} into pieces of {@code splitSize} (the last may be smaller) ({@code torch.split}). */
  public List<Tensor> split(int splitSize, int dim) {
    return ViewOps.split(this, splitSize, dim);
  }

  /** Splits {@code dim} into pieces of the given {@code sizes} ({@code torch.split} with a list). */
  public List<Tensor> split(long[] sizes, int dim) {
    return ViewOps.split(this, sizes, dim);
  }

  /** Splits {@code dim} into at most {@code chunks} equal pieces ({@code torch.chunk}). */
  public List<Tensor> chunk(int chunks, int dim) {
    return ViewOps.chunk(this, chunks, dim);
  }

  /** The slices along {@code dim}, each without that dim ({@code torch.unbind}). */
  public List<Tensor> unbind(int dim) {
    return ViewOps.unbind(this, dim);
  }

  /** Outer product of two 1-D tensors ({@code torch.outer}). */
  public Tensor outer(Tensor other) {
    return LinalgOps.outer(this, other);
  }

  /** The lower triangle (on and below the main diagonal) ({@code torch.tril}). */
  public Tensor tril() {
    return tril(0);
  }

  /** The lower triangle: elements with {@code col - row <= diagonal} ({@code torch.tril}). */
  public Tensor tril(int diagonal) {
    return LinalgOps.tril(this, diagonal);
  }

  /** The upper triangle (on and above the main diagonal) ({@code torch.triu}). */
  public Tensor triu() {
    return triu(0);
  }

  /** The upper triangle: elements with {@code col - row >= diagonal} ({@code torch.triu}). */
  public Tensor triu(int diagonal) {
    return LinalgOps.triu(this, diagonal);
  }

  /** Reverses the order of elements along {@code dims} ({@code torch.flip}). */
  public Tensor flip(int... dims) {
    return ViewOps.flip(this, dims);
  }

  /** Rotates the elements of {@code dim} by {@code shifts} places, wrapping around ({@code torch.roll}). */
  public Tensor roll(int shifts, int dim) {
    return ViewOps.roll(this, shifts, dim);
  }

  /** Tiles the tensor {@code sizes[i]} times along each dim ({@code t.repeat}). */
  public Tensor repeat(long... sizes) {
    return ViewOps.repeat(this, sizes);
  }

  /** True where the element is NaN ({@code torch.isnan}); never differentiable. */
  public Tensor isnan() {
    return UnaryOps.isnan(this);
  }

  /** True where the element is +-infinity ({@code torch.isinf}); never differentiable. */
  public Tensor isinf() {
    return UnaryOps.isinf(this);
  }

  /** Whether any element is nonzero, as a 0-d bool tensor ({@code torch.any}). */
  public Tensor any() {
    return ReduceOps.any(this);
  }

  /** Whether every element is nonzero, as a 0-d bool tensor ({@code torch.all}). */
  public Tensor all() {
    return ReduceOps.all(this);
  }

  /**
   * Coordinate grids from 0-d or 1-d tensors ({@code torch.meshgrid(*tensors, indexing=...)}):
   * output {@code i} varies along dim {@code i} for {@code "ij"}; {@code "xy"} swaps the first two.
   */
  public static List<Tensor> meshgrid(List<Tensor> tensorList, String indexing) {
    return ViewOps.meshgrid(tensorList, indexing);
  }

  /**
   * Rows of {@code dim} picked by a 1-D int64 {@code index} ({@code torch.index_select}). Each
   * index must lie in {@code [0, size(dim))}: negative indices do not count from the end (as in
   * PyTorch) and throw {@link IndexOutOfBoundsException} with PyTorch's text (on CUDA at the next
   * synchronising call, like PyTorch's device-side checks).
   */
  public Tensor indexSelect(int dim, Tensor index) {
    return IndexOps.indexSelect(this, dim, index);
  }

  /**
   * {@code out[i][j] = x[i][index[i][j]]} for dim 1, in general rank ({@code torch.gather}). Each
   * index must lie in {@code [0, size(dim))}; a negative one throws {@link
   * IndexOutOfBoundsException} ("index -1 is out of bounds for dimension 0 with size 5").
   */
  public Tensor gather(int dim, Tensor index) {
    return IndexOps.gather(this, dim, index);
  }

  // ------------------------------------------------------------------ in-place

  /** {@code t.add_(other)}. */
  public Tensor addInPlace(Tensor other) {
    return InPlaceOps.addInPlace(this, other);
  }

  /** {@code t.add_(other, alpha=alpha)}. */
  public Tensor addInPlace(Tensor other, double alpha) {
    return alpha == 1.0 ? addInPlace(other) : addInPlace(other.mul(alpha));
  }

  /** {@code t.add_(s)}. */
  public Tensor addInPlace(double s) {
    return addInPlace(wrapScalar(s));
  }

  /** {@code t.sub_(other)}. */
  public Tensor subInPlace(Tensor other) {
    return InPlaceOps.subInPlace(this, other);
  }

  /** {@code t.mul_(other)}. */
  public Tensor mulInPlace(Tensor other) {
    return InPlaceOps.mulInPlace(this, other);
  }

  /** {@code t.mul_(s)}. */
  public Tensor mulInPlace(double s) {
    return mulInPlace(wrapScalar(s));
  }

  /** {@code t.div_(other)}. */
  public Tensor divInPlace(Tensor other) {
    return InPlaceOps.divInPlace(this, other);
  }

  /** {@code t.div_(s)}. */
  public Tensor divInPlace(double s) {
    return divInPlace(wrapScalar(s));
  }

  /** {@code t.fill_(v)}. */
  public Tensor fill(double value) {
    return InPlaceOps.fill(this, value);
  }

  /** {@code t.zero_()}. */
  public Tensor zero() {
    return InPlaceOps.zero(this);
  }

  /** {@code t.copy_(src)}: copies values (broadcast, cast, across devices) into this tensor. */
  public Tensor copyFrom(Tensor src) {
    return InPlaceOps.copyFrom(this, src);
  }

  // ---- issue 17 item 7, third batch: cumulative ops (CumulativeOps), more reductions (StatOps),
  //      sorting and selection (SortOps). Each method is one line into its family.

  /** Cumulative sum along {@code dim}; bool/int64 inputs give int64 ({@code torch.cumsum}). */
  public Tensor cumsum(int dim) {
    return CumulativeOps.cumsum(this, dim, null);
  }

  /** Cumulative sum along {@code dim} computed in {@code dtype} ({@code torch.cumsum(x, dim, dtype=)}). */
  public Tensor cumsum(int dim, DType dtype) {
    return CumulativeOps.cumsum(this, dim, dtype);
  }

  /** Cumulative product along {@code dim}; bool/int64 inputs give int64 ({@code torch.cumprod}). */
  public Tensor cumprod(int dim) {
    return CumulativeOps.cumprod(this, dim, null);
  }

  /** Cumulative product along {@code dim} computed in {@code dtype} ({@code torch.cumprod(x, dim, dtype=)}). */
  public Tensor cumprod(int dim, DType dtype) {
    return CumulativeOps.cumprod(this, dim, dtype);
  }

  /** {@code log(sum(exp(x)))} over {@code dims}, computed stably ({@code torch.logsumexp}). */
  public Tensor logsumexp(int[] dims, boolean keepdim) {
    return StatOps.logsumexp(this, dims, keepdim);
  }

  /** {@code log(sum(exp(x)))} over one dim ({@code torch.logsumexp(x, dim, keepdim)}). */
  public Tensor logsumexp(int dim, boolean keepdim) {
    return StatOps.logsumexp(this, new int[] {dim}, keepdim);
  }

  /** Variance over {@code dims}, Bessel-corrected when {@code unbiased} ({@code torch.var(x, dims, unbiased)}). */
  public Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
    return var(dims, unbiased ? 1 : 0, keepdim);
  }

  /** Unbiased standard deviation of all elements ({@code torch.std(x)}). */
  public Tensor std() {
    return StatOps.std(this, null, 1, false);
  }

  /** Standard deviation over {@code dims} with {@code correction} ({@code torch.std(x, dims, correction=)}). */
  public Tensor std(int[] dims, int correction, boolean keepdim) {
    return StatOps.std(this, dims, correction, keepdim);
  }

  /** Standard deviation over {@code dims}, Bessel-corrected when {@code unbiased}. */
  public Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
    return StatOps.std(this, dims, unbiased ? 1 : 0, keepdim);
  }

  /** Standard deviation over one dim ({@code torch.std(x, dim, unbiased, keepdim)}). */
  public Tensor std(int dim, boolean unbiased, boolean keepdim) {
    return StatOps.std(this, new int[] {dim}, unbiased ? 1 : 0, keepdim);
  }

  /** Euclidean (2-)norm of all elements ({@code torch.norm(x)}). */
  public Tensor norm() {
    return StatOps.norm(this, 2, null, false);
  }

  /** The {@code p}-norm of all elements ({@code torch.norm(x, p)}; p may be +-infinity or 0). */
  public Tensor norm(double p) {
    return StatOps.norm(this, p, null, false);
  }

  /** The {@code p}-norm over {@code dims} ({@code torch.norm(x, p, dim, keepdim)}). */
  public Tensor norm(double p, int[] dims, boolean keepdim) {
    return StatOps.norm(this, p, dims, keepdim);
  }

  /** Index of the minimum of the flattened tensor ({@code torch.argmin(x)}). */
  public Tensor argmin() {
    if (numel() == 0) {
      // PyTorch 1.13 raises IndexError here (torch.argmin(torch.zeros(0, 3)))
      throw new IndexOutOfBoundsException(
          "argmin(): Expected reduction dim to be specified for input.numel() == 0.");
    }
    return reshape(-1).argmin(0, false);
  }

  /** Sorted values along {@code dim} and their indices; stable ({@code torch.sort}). */
  public ValuesIndices sort(int dim, boolean descending) {
    return SortOps.sort(this, dim, descending, false);
  }

  /**
   * {@code torch.sort(x, dim, descending, stable)}; jnn's sort is always stable, which is also a
   * valid result for {@code stable=false}.
   */
  public ValuesIndices sort(int dim, boolean descending, boolean stable) {
    return SortOps.sort(this, dim, descending, true);
  }

  /** The indices that sort {@code dim} ({@code torch.argsort}); stable. */
  public Tensor argsort(int dim, boolean descending) {
    return SortOps.sort(this, dim, descending, false).indices();
  }

  /**
   * The {@code k} largest (or smallest) elements along {@code dim} and their indices ({@code
   * torch.topk}); always in sorted order, which is also a valid result for {@code sorted=false}.
   */
  public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) {
    return SortOps.topk(this, k, dim, largest);
  }

  /** The {@code k}-th smallest element (1-based) along {@code dim} and its index ({@code torch.kthvalue}). */
  public ValuesIndices kthvalue(int k, int dim, boolean keepdim) {
    return SortOps.kthvalue(this, k, dim, keepdim);
  }

  // ---- issue 17 item 7, fourth batch: masked ops (MaskOps), binary math (BinaryMathOps).

  /** {@code value} where {@code mask} (bool, broadcast) is true ({@code x.masked_fill(mask, value)}). */
  public Tensor maskedFill(Tensor mask, double value) {
    return MaskOps.maskedFill(this, mask, value);
  }

  /** {@code x.masked_fill(mask, value)} with a 0-d tensor {@code value}; differentiable in it. */
  public Tensor maskedFill(Tensor mask, Tensor value) {
    return MaskOps.maskedFill(this, mask, value);
  }

  /** The elements where the bool {@code mask} (broadcast) is true, as 1-D ({@code torch.masked_select}). */
  public Tensor maskedSelect(Tensor mask) {
    return MaskOps.maskedSelect(this, mask);
  }

  /** {@code torch.where(cond, a, b)} with a Python scalar {@code a}. */
  public static Tensor where(Tensor cond, double a, Tensor b) {
    return MaskOps.where(cond, a, b);
  }

  /** {@code torch.where(cond, a, b)} with a Python scalar {@code b}. */
  public static Tensor where(Tensor cond, Tensor a, double b) {
    return MaskOps.where(cond, a, b);
  }

  /** NaN to 0, +-inf to the dtype's largest/lowest finite value ({@code torch.nan_to_num}). */
  public Tensor nanToNum() {
    return MaskOps.nanToNum(this, 0, null, null);
  }

  /**
   * {@code torch.nan_to_num(x, nan, posinf, neginf)}; a null {@code posinf}/{@code neginf} keeps
   * the dtype's largest/lowest finite value.
   */
  public Tensor nanToNum(double nan, Double posinf, Double neginf) {
    return MaskOps.nanToNum(this, nan, posinf, neginf);
  }

  /** Each element repeated {@code repeats} times, flattened ({@code torch.repeat_interleave(x, r)}). */
  public Tensor repeatInterleave(long repeats) {
    return MaskOps.repeatInterleave(this, new long[] {repeats}, null);
  }

  /** Each slice along {@code dim} repeated {@code repeats} times ({@code torch.repeat_interleave}). */
  public Tensor repeatInterleave(long repeats, int dim) {
    return MaskOps.repeatInterleave(this, new long[] {repeats}, dim);
  }

  /** Slice {@code i} along {@code dim} repeated {@code repeats[i]} times (int64 0-d or 1-d). */
  public Tensor repeatInterleave(Tensor repeats, int dim) {
    return MaskOps.repeatInterleave(this, repeats, dim);
  }

  /** Element-wise {@code atan2(this, other)} in (-pi, pi] ({@code torch.atan2}). */
  public Tensor atan2(Tensor other) {
    return BinaryMathOps.atan2(this, other);
  }

  /** Python's modulus: the remainder with the sign of the divisor ({@code torch.remainder}). */
  public Tensor remainder(Tensor other) {
    return BinaryMathOps.mod(this, other, true, "RemainderBackward1");
  }

  /** {@code torch.remainder(x, s)} with a scalar divisor. */
  public Tensor remainder(double s) {
    return BinaryMathOps.mod(this, s, true, "RemainderBackward0");
  }

  /** C's fmod: the remainder with the sign of the dividend ({@code torch.fmod}). */
  public Tensor fmod(Tensor other) {
    return BinaryMathOps.mod(this, other, false, "FmodBackward1");
  }

  /** {@code torch.fmod(x, s)} with a scalar divisor. */
  public Tensor fmod(double s) {
    return BinaryMathOps.mod(this, s, false, "FmodBackward0");
  }

  /** Clamp into tensor bounds, broadcast; either may be null ({@code torch.clamp(x, min, max)}). */
  public Tensor clamp(Tensor min, Tensor max) {
    return BinaryMathOps.clamp(this, min, max);
  }

  // ------------------------------------------------------------------ issue 17 item 7, fifth batch
  // (bmm/baddbmm/einsum: EinsumOps)

  /** {@code torch.bmm}: batched matrix product, [b, n, m] x [b, m, p] -> [b, n, p]. */
  public Tensor bmm(Tensor mat2) {
    return EinsumOps.bmm(this, mat2);
  }

  /** {@code torch.baddbmm(this, batch1, batch2)}: {@code this + batch1 @ batch2}. */
  public Tensor baddbmm(Tensor batch1, Tensor batch2) {
    return EinsumOps.baddbmm(this, batch1, batch2, 1, 1);
  }

  /**
   * {@code torch.baddbmm(this, batch1, batch2, beta=beta, alpha=alpha)}: {@code beta * this +
   * alpha * (batch1 @ batch2)}, {@code this} broadcast to [b, n, p]; {@code beta == 0} ignores
   * {@code this} (NaN in it does not propagate).
   */
  public Tensor baddbmm(Tensor batch1, Tensor batch2, double beta, double alpha) {
    return EinsumOps.baddbmm(this, batch1, batch2, beta, alpha);
  }

  /**
   * {@code torch.einsum(equation, *operands)}: subscripts in [a-zA-Z], {@code ...} for broadcast
   * dims, an implicit output (ellipsis, then the subscripts seen once, in order) without
   * {@code ->}, diagonals for repeated subscripts of one operand; contracted left to right.
   */
  public static Tensor einsum(String equation, Tensor... operands) {
    return EinsumOps.einsum(equation, operands);
  }

  // (range factories: FactoryOps; norm with p = "fro"/"nuc": MatrixNormOps)

  /** {@code torch.arange(end)} with a float {@code end}: float32 {@code [0, 1, ...]}. */
  public static Tensor arange(double end) {
    return FactoryOps.arange(0, end, 1, DType.FLOAT32);
  }

  /** {@code torch.arange(start, end)} with integer bounds: int64. */
  public static Tensor arange(long start, long end) {
    return FactoryOps.arange(start, end, 1, DType.INT64);
  }

  /** {@code torch.arange(start, end)} with a float bound: float32. */
  public static Tensor arange(double start, double end) {
    return FactoryOps.arange(start, end, 1, DType.FLOAT32);
  }

  /** {@code torch.arange(start, end, step)} with integer arguments: int64. */
  public static Tensor arange(long start, long end, long step) {
    return FactoryOps.arange(start, end, step, DType.INT64);
  }

  /**
   * {@code torch.arange(start, end, step)} with a float argument: float32 values {@code start +
   * i * step} (computed in double) for {@code i < ceil((end - start) / step)}.
   */
  public static Tensor arange(double start, double end, double step) {
    return FactoryOps.arange(start, end, step, DType.FLOAT32);
  }

  /** {@code torch.linspace(start, end, steps)}: float32, {@code steps} evenly spaced values. */
  public static Tensor linspace(double start, double end, long steps) {
    return FactoryOps.linspace(start, end, steps, DType.FLOAT32);
  }

  /** {@code torch.linspace(start, end, steps, dtype=dtype)} (int64 values are truncated). */
  public static Tensor linspace(double start, double end, long steps, DType dtype) {
    return FactoryOps.linspace(start, end, steps, dtype);
  }

  /** {@code torch.logspace(start, end, steps)}: float32 {@code 10^linspace(start, end, steps)}. */
  public static Tensor logspace(double start, double end, long steps) {
    return FactoryOps.logspace(start, end, steps, 10.0, DType.FLOAT32);
  }

  /** {@code torch.logspace(start, end, steps, base=base)}: float32. */
  public static Tensor logspace(double start, double end, long steps, double base) {
    return FactoryOps.logspace(start, end, steps, base, DType.FLOAT32);
  }

  /** {@code torch.logspace(start, end, steps, base=base, dtype=dtype)}. */
  public static Tensor logspace(double start, double end, long steps, double base, DType dtype) {
    return FactoryOps.logspace(start, end, steps, base, dtype);
  }

  /**
   * {@code torch.norm(this, p)} with a string {@code p}: {@code "fro"} (the Frobenius norm over
   * every element); {@code "nuc"} raises {@link UnsupportedOperationException} (no SVD in jnn).
   */
  public Tensor norm(String p) {
    return MatrixNormOps.norm(this, p, null, false);
  }

  /**
   * {@code torch.norm(this, p, dim=dims, keepdim=keepdim)} with a string {@code p}: {@code "fro"}
   * over at most two dims; {@code "nuc"} raises {@link UnsupportedOperationException}.
   */
  public Tensor norm(String p, int[] dims, boolean keepdim) {
    return MatrixNormOps.norm(this, p, dims, keepdim);
  }

  // ------------------------------------------------------------------ scatter, scatter_reduce
  // (issue 17 item 7: ScatterOps)

  /**
   * {@code torch.scatter(this, dim, index, src)}: a copy of this tensor with {@code
   * out[i][index[i][j][k]][k] = src[i][j][k]} (dim = 1 case). index is int64 of this tensor's rank,
   * no larger than src in any dim nor than this tensor apart from {@code dim}; src has this tensor's
   * dtype. With repeated indices the element written is unspecified (as in PyTorch; the CPU writes
   * the last in index order). Index values outside {@code [0, size(dim))} raise {@link
   * IndexOutOfBoundsException}.
   */
  public Tensor scatter(int dim, Tensor index, Tensor src) {
    return ScatterOps.scatter(this, dim, index, src);
  }

  /** {@code torch.scatter(this, dim, index, value)}: writes {@code value} at the indices. */
  public Tensor scatter(int dim, Tensor index, double value) {
    return ScatterOps.scatter(this, dim, index, value);
  }

  /**
   * {@code torch.scatter(this, dim, index, src, reduce=reduce)} with {@code reduce} {@code "add"}
   * or {@code "multiply"}. As in PyTorch 1.13 it has no derivative: backward through it raises.
   */
  public Tensor scatter(int dim, Tensor index, Tensor src, String reduce) {
    return ScatterOps.scatter(this, dim, index, src, reduce);
  }

  /** {@code torch.scatter(this, dim, index, value, reduce=reduce)} ("add" or "multiply"). */
  public Tensor scatter(int dim, Tensor index, double value, String reduce) {
    return ScatterOps.scatter(this, dim, index, value, reduce);
  }

  /**
   * {@code torch.scatter_reduce(this, dim, index, src, reduce, include_self=includeSelf)}: src's
   * elements reduced into a copy of this tensor at the indices, {@code reduce} one of {@code "sum"},
   * {@code "prod"}, {@code "mean"} (int64: floor division), {@code "amax"}, {@code "amin"}; with
   * {@code includeSelf} false the indexed elements of this tensor are left out of the reduction.
   * Differentiable in this tensor and src (PyTorch's formulas: prod with zeros computed
   * explicitly, amax/amin share the gradient evenly among ties).
   */
  public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
    return ScatterOps.scatterReduce(this, dim, index, src, reduce, includeSelf);
  }

  /** {@code torch.scatter_reduce(this, dim, index, src, reduce)} (include_self = true). */
  public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce) {
    return scatterReduce(dim, index, src, reduce, true);
  }

  /**
   * {@code torch.index_put(this, indices, values, accumulate)}: a copy of this tensor with {@code
   * out[indices] = values} ({@code +=} when accumulating), PyTorch's advanced indexing: int64 index
   * tensors (negative values count from the end) or bool masks (their nonzero coordinates) address
   * the leading dims and broadcast together; values broadcast to the indexed result. With repeated
   * indices and no accumulation the element written is unspecified. The index values are read on
   * the host.
   */
  public Tensor indexPut(Tensor[] indices, Tensor values, boolean accumulate) {
    return ScatterOps.indexPut(this, indices, values, accumulate);
  }
}
