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
 *
 * <p>This class holds a tensor's state: construction and the static factories, metadata, autograd
 * state, dtype and device moves, reading values, and the static ops ({@link #cat}, {@link #stack},
 * {@link #where(Tensor, Tensor, Tensor) where}, {@link #einsum}, ...). Its instance ops are
 * inherited from one interface per family, sealed to this class: {@link TensorPointwise}
 * (element-wise arithmetic, comparisons, activations, unary math), {@link TensorReductions}
 * (reductions, statistics, cumulative ops, sorting), {@link TensorLinalg} (matrix products,
 * triangles), {@link TensorShaping} (views, splitting, indexing, scatter/gather, masking) and
 * {@link TensorInPlace} (the in-place ops). They are called on a {@code Tensor} like any method,
 * and a subclass may override them.
 */
public non-sealed class Tensor
    implements AutoCloseable, TensorPointwise, TensorReductions, TensorLinalg, TensorShaping,
        TensorInPlace {
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

  // ------------------------------------------------------------------ ops that stay on the class
  // The instance ops are default methods of the facade interfaces Tensor implements, one per
  // family (TensorPointwise, TensorReductions, TensorLinalg, TensorShaping, TensorInPlace). The
  // static ones stay here, since static interface methods are not inherited and callers write
  // Tensor.cat(...); so does clone(), which an interface cannot declare (Object.clone()).

  /** A copy with its own storage ({@code t.clone()}); differentiable. */
  public Tensor clone() {
    return ViewOps.clone(this);
  }

  /** {@code torch.where(cond, a, b)} with broadcasting; differentiable in a and b. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return BinaryOps.where(cond, a, b);
  }

  /** {@code torch.where(cond, a, b)} with a Python scalar {@code a}. */
  public static Tensor where(Tensor cond, double a, Tensor b) {
    return MaskOps.where(cond, a, b);
  }

  /** {@code torch.where(cond, a, b)} with a Python scalar {@code b}. */
  public static Tensor where(Tensor cond, Tensor a, double b) {
    return MaskOps.where(cond, a, b);
  }

  /** Concatenates along {@code dim} ({@code torch.cat}). */
  public static Tensor cat(List<Tensor> tensors, int dim) {
    return ViewOps.cat(tensors, dim);
  }

  /** Stacks along a new dim ({@code torch.stack}). */
  public static Tensor stack(List<Tensor> tensors, int dim) {
    return ViewOps.stack(tensors, dim);
  }

  /**
   * Coordinate grids from 0-d or 1-d tensors ({@code torch.meshgrid(*tensors, indexing=...)}):
   * output {@code i} varies along dim {@code i} for {@code "ij"}; {@code "xy"} swaps the first two.
   */
  public static List<Tensor> meshgrid(List<Tensor> tensorList, String indexing) {
    return ViewOps.meshgrid(tensorList, indexing);
  }

  /**
   * {@code torch.einsum(equation, *operands)}: subscripts in [a-zA-Z], {@code ...} for broadcast
   * dims, an implicit output (ellipsis, then the subscripts seen once, in order) without
   * {@code ->}, diagonals for repeated subscripts of one operand; contracted left to right.
   */
  public static Tensor einsum(String equation, Tensor... operands) {
    return EinsumOps.einsum(equation, operands);
  }

  /** Values and indices of a max/min over a dim ({@code torch.return_types.max}). */
  public record ValuesIndices(Tensor values, Tensor indices) {}
}
