package dev.jnn.tensor;

import dev.jnn.autograd.AccumulateGrad;
import dev.jnn.autograd.Edge;
import dev.jnn.autograd.Engine;
import dev.jnn.autograd.FunctionNode;
import dev.jnn.autograd.GradMode;
import dev.jnn.autograd.Node;
import dev.jnn.autograd.RemovableHandle;
import dev.jnn.backend.Backend;
import dev.jnn.backend.Backends;
import dev.jnn.backend.BinaryOp;
import dev.jnn.backend.Buffer;
import dev.jnn.backend.HostBuffer;
import dev.jnn.backend.ReduceOp;
import dev.jnn.backend.UnaryOp;
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
 * grad.
 */
public class Tensor implements AutoCloseable {
  private Storage storage;
  private Shape shape;
  private long[] strides;
  private long offset;
  private boolean requiresGrad;
  private Tensor grad;
  private Node gradFn;
  private int outputNr;
  private AccumulateGrad gradAccumulator;
  private boolean retainsGrad;
  private Tensor viewBase; // non-null for views: the tensor whose storage this aliases
  private int viewHistoryVersion; // storage.historyVersion() when this view was taken
  private boolean closed;
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

  /** {@link #allocate} for factory {@code op}: the size errors name the op and the shape. */
  private static Tensor allocate(String op, Shape shape, DType dtype, Device device) {
    if (device.isCpu()) {
      hostNumel(op, shape);
    } else {
      storageNumel(op, shape);
    }
    return allocate(shape, dtype, device);
  }

  /** Like {@link #allocate}, but the contents are unspecified (the caller overwrites them all). */
  static Tensor allocateUninit(Shape shape, DType dtype, Device device) {
    Backend b = Backends.forDevice(device);
    Buffer buf = b.allocateUninitialized(device, dtype, shape.numel());
    return new Tensor(new Storage(buf), shape, shape.contiguousStrides(), 0);
  }

  /** An uninitialised-by-contract (zero-filled in practice) contiguous tensor. */
  public static Tensor empty(Shape shape, DType dtype, Device device) {
    return allocate("empty", shape, dtype, device);
  }

  /**
   * A contiguous tensor whose contents are unspecified (a recycled buffer may hold old values):
   * for an output that the caller overwrites entirely before it is read, where {@link #empty}
   * would spend a pass zeroing it.
   */
  public static Tensor uninitialized(Shape shape, DType dtype, Device device) {
    if (device.isCpu()) {
      hostNumel("uninitialized", shape);
    } else {
      storageNumel("uninitialized", shape);
    }
    return allocateUninit(shape, dtype, device);
  }

  /** Zeros of the given shape, float32 on the CPU ({@code torch.zeros}). */
  public static Tensor zeros(long... dims) {
    return zeros(Shape.of(dims), DType.FLOAT32, Device.CPU);
  }

  /** Zeros. */
  public static Tensor zeros(Shape shape, DType dtype, Device device) {
    return allocate("zeros", shape, dtype, device);
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
    return fill("ones", shape, 1.0, dtype, device);
  }

  /** Ones with the shape, dtype and device of {@code t}. */
  public static Tensor onesLike(Tensor t) {
    return full(t.shape, 1.0, t.dtype(), t.device());
  }

  /** A tensor filled with {@code value} ({@code torch.full}). */
  public static Tensor full(Shape shape, double value, DType dtype, Device device) {
    return fill("full", shape, value, dtype, device);
  }

  private static Tensor fill(String op, Shape shape, double value, DType dtype, Device device) {
    Tensor t = allocate(op, shape, dtype, device);
    if (value != 0.0) {
      t.backend().fill(t.view(), value);
    }
    return t;
  }

  /** {@code [0, 1, ..., end-1]} as int64 ({@code torch.arange(end)}). */
  public static Tensor arange(long end) {
    return arange(0, end, 1, DType.INT64);
  }

  /** {@code torch.arange(start, end, step, dtype=dtype)}. */
  public static Tensor arange(double start, double end, double step, DType dtype) {
    if (!Double.isFinite(start) || !Double.isFinite(end)) {
      throw new IllegalArgumentException(
          "unsupported range: " + scalarText(start) + " -> " + scalarText(end) + " (arange)");
    }
    if (step == 0) {
      throw new IllegalArgumentException("arange: step must be nonzero");
    }
    if ((step > 0 && end < start) || (step < 0 && end > start)) {
      throw new IllegalArgumentException(
          "arange: upper bound and larger bound inconsistent with step sign");
    }
    double size = Math.ceil((end - start) / step);
    if (!(size < 0x1p63)) {
      throw new IllegalArgumentException(
          "invalid size, possible overflow? (arange: start=" + scalarText(start) + ", end="
              + scalarText(end) + ", step=" + scalarText(step) + ")");
    }
    long n = (long) size;
    HostBuffer h = HostBuffer.allocate(dtype, hostNumel("arange", Shape.of(n)));
    for (int i = 0; i < n; i++) {
      h.setDouble(i, start + i * step);
    }
    return new Tensor(new Storage(h), Shape.of(n), new long[] {1}, 0);
  }

  /** A number as PyTorch prints a Scalar in messages: integral values without a fraction. */
  private static String scalarText(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 0x1p63) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** The n x n identity, float32 ({@code torch.eye}). */
  public static Tensor eye(long n) {
    return eye(n, DType.FLOAT32, Device.CPU);
  }

  /** The n x n identity. */
  public static Tensor eye(long n, DType dtype, Device device) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be greater or equal to 0, got " + n + " (eye)");
    }
    try {
      Math.multiplyExact(n, n);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "numel: integer multiplication overflow (eye: shape [" + n + ", " + n + "])");
    }
    HostBuffer h = HostBuffer.allocate(dtype, hostNumel("eye", Shape.of(n, n)));
    for (int i = 0; i < n; i++) {
      h.setDouble((int) (i * n + i), 1.0);
    }
    return fromHost(h, Shape.of(n, n), device);
  }

  /** Uniform [0, 1) float32 from the default generator ({@code torch.rand}). */
  public static Tensor rand(long... dims) {
    return rand(Shape.of(dims), DType.FLOAT32, Generator.defaultGenerator());
  }

  /** Uniform [0, 1). */
  public static Tensor rand(Shape shape, DType dtype, Generator gen) {
    double[] v = new double[hostNumel("rand", shape)];
    gen.fillUniform(v);
    if (dtype == DType.FLOAT32) {
      // a double just below 1 rounds to 1.0f; keep the float32 result in [0, 1) as PyTorch does
      for (int i = 0; i < v.length; i++) {
        if ((float) v[i] >= 1.0f) {
          v[i] = Math.nextDown(1.0f);
        }
      }
    }
    // fromHost keeps a 0-d shape (fromArray would make it 1-D)
    return fromHost(HostBuffer.wrap(v), shape, Device.CPU).to(dtype);
  }

  /** Standard normal float32 from the default generator ({@code torch.randn}). */
  public static Tensor randn(long... dims) {
    return randn(Shape.of(dims), DType.FLOAT32, Generator.defaultGenerator());
  }

  /** Standard normal. */
  public static Tensor randn(Shape shape, DType dtype, Generator gen) {
    double[] v = new double[hostNumel("randn", shape)];
    gen.fillNormal(v);
    return fromHost(HostBuffer.wrap(v), shape, Device.CPU).to(dtype);
  }

  /** Uniform integers in [low, high), int64 ({@code torch.randint}). */
  public static Tensor randint(long low, long high, Shape shape, Generator gen) {
    if (low >= high) {
      throw new IllegalArgumentException(
          "random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
    }
    long[] v = new long[hostNumel("randint", shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = gen.nextLong(low, high);
    }
    return fromHost(HostBuffer.wrap(v), shape, Device.CPU);
  }

  /** Uniform integers in [low, high) from the default generator. */
  public static Tensor randint(long low, long high, long... dims) {
    return randint(low, high, Shape.of(dims), Generator.defaultGenerator());
  }

  private static Shape checkedShape(int length, long[] dims) {
    Shape s = dims.length == 0 ? Shape.of(length) : Shape.of(dims);
    long n;
    try {
      n = s.numel();
    } catch (ArithmeticException e) {
      n = -1; // an overflowing product never matches the data's length
    }
    if (n != length) {
      throw new ShapeMismatchException(
          "fromArray: shape " + s + " is invalid for input of size " + length);
    }
    return s;
  }

  private static Tensor fromHost(HostBuffer h, Shape s, Device device) {
    Tensor t = new Tensor(new Storage(h), s, s.contiguousStrides(), 0);
    return device.isCpu() ? t : t.to(device);
  }

  /** A float32 tensor copying {@code data}; {@code dims} defaults to 1-D. */
  public static Tensor fromArray(float[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
  }

  /** A float64 tensor copying {@code data}. */
  public static Tensor fromArray(double[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
  }

  /** An int64 tensor copying {@code data}. */
  public static Tensor fromArray(long[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
  }

  /** A bool tensor copying {@code data}. */
  public static Tensor fromArray(boolean[] data, long... dims) {
    return fromHost(HostBuffer.wrap(data.clone()), checkedShape(data.length, dims), Device.CPU);
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

  /** The storage (shared by views). */
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

  /** A tensor with this one's shape, dtype and device but no data (for autograd metadata). */
  public Tensor metaOnly() {
    return new MetaTensor(shape, dtype(), device());
  }

  private static final class MetaTensor extends Tensor {
    private final DType dt;
    private final Device dev;

    MetaTensor(Shape shape, DType dt, Device dev) {
      super(null, shape, shape.contiguousStrides(), 0);
      this.dt = dt;
      this.dev = dev;
    }

    @Override
    public DType dtype() {
      return dt;
    }

    @Override
    public Device device() {
      return dev;
    }
  }

  Backend backend() {
    return Backends.forDevice(device());
  }

  /** The back-end view of this tensor (buffer + int shape/strides/offset). */
  public View view() {
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
  public AccumulateGrad gradAccumulator() {
    if (gradFn != null) {
      throw new IllegalStateException("gradAccumulator() of a non-leaf tensor");
    }
    if (gradAccumulator == null) {
      gradAccumulator = new AccumulateGrad(this);
    }
    return gradAccumulator;
  }

  /** Called by {@link AccumulateGrad}: adds {@code g} into {@link #grad()}. */
  public void accumulateGrad(Tensor g) {
    accumulateGrad(g, false);
  }

  /**
   * {@link #accumulateGrad(Tensor)}, where {@code exclusive} says that nothing but the caller
   * refers to the handle {@code g} (autograd's engine knows this for a gradient a backward formula
   * just created and handed to this leaf only; see {@code Engine}). The first gradient is then
   * adopted as {@code grad} instead of copied, when its storage has no other handle and it is a
   * plain contiguous tensor, as PyTorch steals an unshared gradient. Otherwise {@code grad} gets a
   * private copy: the incoming tensor may be held elsewhere (a hook that kept it, a gradient shared
   * by two inputs, the caller's seed), and {@code grad} is accumulated into in place.
   */
  public void accumulateGrad(Tensor g, boolean exclusive) {
    if (g.dtype() != dtype()) {
      g = g.to(dtype());
    }
    if (!g.shape.equals(shape)) {
      g = sumToShape(g, shape);
    }
    if (grad == null) {
      if (exclusive && g.isPrivateDense() && g.device().equals(device())) {
        grad = g;
      } else {
        grad = g.detach().clone();
      }
      MemoryScope.escape(grad);
    } else {
      grad.addInPlaceRaw(g);
    }
  }

  /**
   * Whether this handle is the only one on its storage and covers all of it, contiguous, with no
   * autograd history: then the memory can change owner without anyone noticing.
   */
  private boolean isPrivateDense() {
    return !closed && storage != null && storage.refCount() == 1 && offset == 0 && gradFn == null
        && !requiresGrad && isContiguous() && numel() == storage.buffer().numel();
  }

  /** Whether this handle was created after {@link #creationMark()} returned {@code mark}. */
  public boolean createdSince(long mark) {
    return serial > mark;
  }

  /** A mark for {@link #createdSince}: handles created from now on compare after it. */
  public static long creationMark() {
    return CREATED.get();
  }

  /** Whether a non-leaf keeps its gradient ({@code t.retains_grad}). */
  public boolean retainsGrad() {
    return retainsGrad;
  }

  /** Makes a non-leaf keep its {@code grad} after backward ({@code t.retain_grad()}). */
  public void retainGrad() {
    if (!requiresGrad) {
      throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
    }
    if (gradFn == null || retainsGrad) {
      return;
    }
    retainsGrad = true;
    final int nr = outputNr;
    gradFn.setRetainGradHook(
        nr,
        (i, g) -> {
          if (i == nr) {
            if (grad == null) {
              grad = g.detach().clone();
            } else {
              grad = grad.add(g);
            }
            MemoryScope.escape(grad);
          }
          return null;
        });
  }

  /**
   * Registers a hook on this tensor's gradient ({@code t.register_hook}); it may return a
   * replacement gradient or null. For a leaf it runs before accumulation.
   */
  public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
    if (!requiresGrad) {
      throw new IllegalStateException(
          "cannot register a hook on a tensor that doesn't require gradient");
    }
    final int nr = gradFn != null ? outputNr : 0;
    Node n = gradFn != null ? gradFn : gradAccumulator();
    return n.registerTensorPreHook((i, g) -> i == nr ? hook.apply(g) : null);
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

  private static boolean anyRequiresGrad(Tensor... inputs) {
    if (!GradMode.isEnabled()) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad) {
        return true;
      }
    }
    return false;
  }

  /**
   * A view taken before a differentiable in-place op rewrote its base (say {@code v = y.narrow(..);
   * y.mulInPlace(w)}) still points at the old history. PyTorch regenerates the view's grad_fn
   * (AsStridedBackward0); jnn does not, so using such a view in a recorded op fails instead of
   * silently producing wrong gradients.
   */
  private static void checkViewHistories(String op, Tensor[] inputs) {
    if (!GradMode.isEnabled()) {
      return;
    }
    for (Tensor t : inputs) {
      if (t != null && t.viewBase != null && t.storage != null
          && t.viewHistoryVersion != t.storage.historyVersion()) {
        throw new IllegalStateException(
            "a view used by " + op + " was taken before its base was modified by a differentiable"
                + " in-place operation, so its autograd history is stale (jnn does not regenerate"
                + " view histories as PyTorch's AsStridedBackward0 does): take the view again after"
                + " the in-place operation, or clone() it before");
      }
    }
  }

  private static Edge edgeOf(Tensor t) {
    if (t == null || !t.requiresGrad) {
      return null;
    }
    return t.gradFn != null ? new Edge(t.gradFn, t.outputNr) : new Edge(t.gradAccumulator(), 0);
  }

  /**
   * Records a differentiable op with one output: when grad mode is on and an input requires grad,
   * {@code out} gets a {@link FunctionNode} named {@code name} whose backward is {@code fn}.
   * {@code saved} lists the tensors {@code fn} reads (version-checked, freed after backward).
   */
  public static Tensor record(
      String name, Tensor out, Tensor[] inputs, Tensor[] saved, FunctionNode.Backward fn) {
    checkViewHistories(name, inputs);
    if (!anyRequiresGrad(inputs) || !out.dtype().isFloatingPoint()) {
      return out;
    }
    Edge[] edges = new Edge[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      edges[i] = edgeOf(inputs[i]);
    }
    FunctionNode node = new FunctionNode(name, edges, 1, fn, saved);
    node.setOutputMeta(new Tensor[] {out});
    out.gradFn = node;
    out.outputNr = 0;
    out.requiresGrad = true;
    return out;
  }

  /**
   * Records an op with several outputs sharing one node (e.g. an identity over many tensors, used
   * by module backward hooks).
   */
  public static Tensor[] recordMulti(
      String name, Tensor[] outs, Tensor[] inputs, Tensor[] saved, FunctionNode.Backward fn) {
    checkViewHistories(name, inputs);
    if (!anyRequiresGrad(inputs)) {
      return outs;
    }
    Edge[] edges = new Edge[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      edges[i] = edgeOf(inputs[i]);
    }
    FunctionNode node = new FunctionNode(name, edges, outs.length, fn, saved);
    node.setOutputMeta(outs);
    for (int i = 0; i < outs.length; i++) {
      outs[i].gradFn = node;
      outs[i].outputNr = i;
      outs[i].requiresGrad = true;
    }
    return outs;
  }

  private static Tensor[] in(Tensor... ts) {
    return ts;
  }

  private static final Tensor[] NONE = new Tensor[0];

  /** Sums {@code g} over broadcast dims so that it has {@code target}'s shape. */
  public static Tensor sumToShape(Tensor g, Shape target) {
    if (g.shape.equals(target)) {
      return g;
    }
    int lead = g.dim() - target.rank();
    List<Integer> dims = new ArrayList<>();
    for (int i = 0; i < g.dim(); i++) {
      if (i < lead) {
        dims.add(i);
      } else if (target.get(i - lead) == 1 && g.size(i) != 1) {
        dims.add(i);
      }
    }
    Tensor r = g;
    if (!dims.isEmpty()) {
      r = g.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
    }
    return r.reshape(target.dims());
  }

  private static Tensor gradFor(Tensor g, Tensor input) {
    if (input == null || !input.requiresGrad) {
      return null;
    }
    Tensor r = sumToShape(g, input.shape);
    return r.dtype() == input.dtype() ? r : r.to(input.dtype());
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
    return record("ToCopyBackward0", out, in(this), NONE, g -> new Tensor[] {g[0].to(src)});
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
    return record("ToCopyBackward0", out, in(this), NONE, g -> new Tensor[] {g[0].to(src)});
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

  // ------------------------------------------------------------------ checks

  static void checkSameDevice(String op, Tensor a, Tensor b) {
    if (!a.device().equals(b.device())) {
      throw new IllegalArgumentException(
          "Expected all tensors to be on the same device, but found at least two devices, "
              + a.device()
              + " and "
              + b.device()
              + "! (when checking argument for "
              + op
              + ")");
    }
  }

  private static int category(DType d) {
    return d == DType.BOOL ? 0 : d == DType.INT64 ? 1 : 2;
  }

  /** PyTorch's result type of a binary op, including the 0-dim rule. */
  static DType resultType(Tensor a, Tensor b) {
    boolean az = a.dim() == 0;
    boolean bz = b.dim() == 0;
    if (az == bz) {
      return DType.promote(a.dtype(), b.dtype());
    }
    Tensor dimmed = az ? b : a;
    Tensor zero = az ? a : b;
    if (category(zero.dtype()) > category(dimmed.dtype())) {
      return DType.promote(dimmed.dtype(), zero.dtype());
    }
    return dimmed.dtype();
  }

  private Tensor wrapScalar(double v) {
    // Java cannot tell 2 from 2.0: an integral value acts like a Python int (int64, so a bool
    // tensor + 1 is int64 as in PyTorch), any other like a Python float (float32 default)
    DType dt;
    if (isFloatingPoint()) {
      dt = dtype();
    } else if (v == Math.rint(v) && !Double.isInfinite(v)) {
      dt = DType.INT64;
    } else {
      dt = DType.FLOAT32;
    }
    return full(Shape.scalar(), v, dt, device());
  }

  // ------------------------------------------------------------------ element-wise (raw)

  private Tensor floatingOrPromoted() {
    return isFloatingPoint() ? this : to(DType.FLOAT32);
  }

  private Tensor unaryRaw(UnaryOp op, double p0, double p1) {
    Tensor out = allocateUninit(shape, dtype(), device());
    backend().unary(op, view(), out.view(), p0, p1);
    return out;
  }

  static Tensor binaryRaw(String opName, BinaryOp op, Tensor a, Tensor b) {
    checkSameDevice(opName, a, b);
    DType ct = resultType(a, b);
    Shape outShape = Shape.broadcast(a.shape, b.shape, opName);
    Tensor ac = a.dtype() == ct ? a : a.toRaw(ct);
    Tensor bc = b.dtype() == ct ? b : b.toRaw(ct);
    Tensor out = allocateUninit(outShape, op.isComparison() ? DType.BOOL : ct, a.device());
    a.backend().binary(op, ac.broadcastView(outShape), bc.broadcastView(outShape), out.view());
    return out;
  }

  private Tensor toRaw(DType dt) {
    Tensor out = allocateUninit(shape, dt, device());
    backend().copy(view(), out.view());
    return out;
  }

  // ------------------------------------------------------------------ arithmetic

  /** {@code this + other} with broadcasting. */
  public Tensor add(Tensor other) {
    Tensor out = binaryRaw("add", BinaryOp.ADD, this, other);
    Tensor a = this;
    return record("AddBackward0", out, in(this, other), NONE,
        g -> new Tensor[] {gradFor(g[0], a), gradFor(g[0], other)});
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
    if (dtype() == DType.BOOL && other.dtype() == DType.BOOL) {
      throw new IllegalArgumentException(
          "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or"
              + " `logical_xor()` operator instead.");
    }
    Tensor out = binaryRaw("sub", BinaryOp.SUB, this, other);
    Tensor a = this;
    return record("SubBackward0", out, in(this, other), NONE,
        g -> new Tensor[] {gradFor(g[0], a), other.requiresGrad ? gradFor(g[0].neg(), other) : null});
  }

  /** {@code this - s}. */
  public Tensor sub(double s) {
    return sub(wrapScalar(s));
  }

  /** {@code s - this} ({@code torch.rsub}). */
  public Tensor rsub(double s) {
    Tensor out = binaryRaw("rsub", BinaryOp.SUB, wrapScalar(s), this);
    Tensor x = this;
    return record("RsubBackward1", out, in(x), NONE, g -> new Tensor[] {gradFor(g[0].neg(), x)});
  }

  /** {@code this * other}. */
  public Tensor mul(Tensor other) {
    Tensor out = binaryRaw("mul", BinaryOp.MUL, this, other);
    Tensor a = this;
    return record("MulBackward0", out, in(this, other), in(this, other),
        g -> new Tensor[] {
          a.requiresGrad ? gradFor(g[0].mul(other), a) : null,
          other.requiresGrad ? gradFor(g[0].mul(a), other) : null
        });
  }

  /** {@code this * s}. */
  public Tensor mul(double s) {
    if (!isFloatingPoint()) {
      return mul(wrapScalar(s));
    }
    Tensor out = unaryRaw(UnaryOp.MUL_SCALAR, s, 0);
    return record("MulBackward0", out, in(this), NONE, g -> new Tensor[] {g[0].mul(s)});
  }

  /** {@code this / other} (true division: integers promote to float32). */
  public Tensor div(Tensor other) {
    Tensor a = this;
    Tensor b = other;
    if (!a.isFloatingPoint() && !b.isFloatingPoint()) {
      a = a.to(DType.FLOAT32);
      b = b.to(DType.FLOAT32);
    }
    Tensor out = binaryRaw("div", BinaryOp.DIV, a, b);
    Tensor fa = a;
    Tensor fb = b;
    return record("DivBackward0", out, in(a, b), in(a, b),
        g -> new Tensor[] {
          fa.requiresGrad ? gradFor(g[0].div(fb), fa) : null,
          fb.requiresGrad ? gradFor(g[0].neg().mul(fa).div(fb.mul(fb)), fb) : null
        });
  }

  /** {@code this / s}. */
  public Tensor div(double s) {
    // a true division, as PyTorch does (x * (1/s) can differ in the last bit)
    return div(wrapScalar(s));
  }

  /** {@code -this}. */
  public Tensor neg() {
    if (dtype() == DType.BOOL) {
      throw new IllegalArgumentException(
          "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to"
              + " invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    Tensor out = unaryRaw(UnaryOp.NEG, 0, 0);
    return record("NegBackward0", out, in(this), NONE, g -> new Tensor[] {g[0].neg()});
  }

  /** {@code this ^ exponent} element-wise. */
  public Tensor pow(Tensor exponent) {
    Tensor out = binaryRaw("pow", BinaryOp.POW, this, exponent);
    Tensor a = this;
    Tensor b = exponent;
    return record("PowBackward1", out, in(a, b), in(a, b, out),
        g -> {
          Tensor ga = null;
          Tensor gb = null;
          if (a.requiresGrad) {
            // grad * b * a^(b-1), zero where b == 0 (PyTorch's pow_backward_self)
            Tensor d = b.mul(a.pow(b.sub(1.0)));
            ga = gradFor(where(b.eq(0.0), zerosLike(d), d).mul(g[0]), a);
          }
          if (b.requiresGrad) {
            // grad * a^b * log(a), zero where a == 0 and b >= 0 (pow_backward_exponent)
            Tensor d = out.mul(a.log());
            Tensor mask = a.eq(0.0).logicalAnd(b.ge(0.0));
            gb = gradFor(where(mask, zerosLike(d), d).mul(g[0]), b);
          }
          return new Tensor[] {ga, gb};
        });
  }

  /** {@code this ^ p}. */
  public Tensor pow(double p) {
    if (dtype() == DType.INT64 && p >= 0 && p == Math.rint(p) && !Double.isInfinite(p)) {
      // an integral exponent acts like a Python int: torch.tensor([2, 3]).pow(2) stays int64
      return unaryRaw(UnaryOp.POW_SCALAR, p, 0);
    }
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.POW_SCALAR, p, 0);
    return record("PowBackward0", out, in(x), in(x),
        g -> new Tensor[] {p == 0 ? zerosLike(x) : g[0].mul(x.pow(p - 1).mul(p))});
  }

  /** e^x. */
  public Tensor exp() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.EXP, 0, 0);
    return record("ExpBackward0", out, in(x), in(out), g -> new Tensor[] {g[0].mul(out)});
  }

  /** Natural log. */
  public Tensor log() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.LOG, 0, 0);
    return record("LogBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].div(x)});
  }

  /** Square root. */
  public Tensor sqrt() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.SQRT, 0, 0);
    return record("SqrtBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].div(out.mul(2.0))});
  }

  /** |x|. */
  public Tensor abs() {
    if (dtype() == DType.BOOL) {
      throw new IllegalArgumentException("\"abs_cpu\" not implemented for 'Bool'");
    }
    Tensor out = unaryRaw(UnaryOp.ABS, 0, 0);
    Tensor x = this;
    return record("AbsBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.sign())});
  }

  /** sign(x) (not differentiable: zero gradient). */
  public Tensor sign() {
    Tensor out = unaryRaw(UnaryOp.SIGN, 0, 0);
    return record("SignBackward0", out, in(this), NONE, g -> new Tensor[] {zerosLike(g[0])});
  }

  /** Clamps into [min, max]; pass {@code Double.NaN} for "no bound" ({@code torch.clamp}). */
  public Tensor clamp(double min, double max) {
    if (Double.isNaN(min) && Double.isNaN(max)) {
      throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
    }
    Tensor out = unaryRaw(UnaryOp.CLAMP, min, max);
    Tensor x = this;
    return record("ClampBackward1", out, in(x), in(x),
        g -> {
          Tensor mask = null;
          if (!Double.isNaN(min)) {
            mask = x.ge(min);
          }
          if (!Double.isNaN(max)) {
            Tensor m2 = x.le(max);
            mask = mask == null ? m2 : mask.logicalAnd(m2);
          }
          return new Tensor[] {where(mask, g[0], zerosLike(g[0]))};
        });
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
    Tensor out = binaryRaw("maximum", BinaryOp.MAXIMUM, this, other);
    Tensor a = this;
    return record("MaximumBackward0", out, in(a, other), in(a, other),
        g -> minMaxBackward(g[0], a, other, true));
  }

  /** Element-wise minimum, NaN-propagating ({@code torch.minimum}). */
  public Tensor minimum(Tensor other) {
    Tensor out = binaryRaw("minimum", BinaryOp.MINIMUM, this, other);
    Tensor a = this;
    return record("MinimumBackward0", out, in(a, other), in(a, other),
        g -> minMaxBackward(g[0], a, other, false));
  }

  private static Tensor[] minMaxBackward(Tensor g, Tensor a, Tensor b, boolean max) {
    // PyTorch: where(a == b, g / 2, g) masked to zero where the other input wins
    Tensor half = g.mul(0.5);
    Tensor eq = a.eq(b);
    Tensor zero = zerosLike(g);
    Tensor ga = null;
    Tensor gb = null;
    if (a.requiresGrad) {
      Tensor wins = max ? a.gt(b) : a.lt(b);
      ga = gradFor(where(eq, half, where(wins, g, zero)), a);
    }
    if (b.requiresGrad) {
      Tensor wins = max ? b.gt(a) : b.lt(a);
      gb = gradFor(where(eq, half, where(wins, g, zero)), b);
    }
    return new Tensor[] {ga, gb};
  }

  // ------------------------------------------------------------------ comparisons / logic

  /** {@code this == other} (bool). */
  public Tensor eq(Tensor other) {
    return binaryRaw("eq", BinaryOp.EQ, this, other);
  }

  /** {@code this == s}. */
  public Tensor eq(double s) {
    return eq(wrapScalar(s));
  }

  /** {@code this != other}. */
  public Tensor ne(Tensor other) {
    return binaryRaw("ne", BinaryOp.NE, this, other);
  }

  /** {@code this != s}. */
  public Tensor ne(double s) {
    return ne(wrapScalar(s));
  }

  /** {@code this < other}. */
  public Tensor lt(Tensor other) {
    return binaryRaw("lt", BinaryOp.LT, this, other);
  }

  /** {@code this < s}. */
  public Tensor lt(double s) {
    return lt(wrapScalar(s));
  }

  /** {@code this <= other}. */
  public Tensor le(Tensor other) {
    return binaryRaw("le", BinaryOp.LE, this, other);
  }

  /** {@code this <= s}. */
  public Tensor le(double s) {
    return le(wrapScalar(s));
  }

  /** {@code this > other}. */
  public Tensor gt(Tensor other) {
    return binaryRaw("gt", BinaryOp.GT, this, other);
  }

  /** {@code this > s}. */
  public Tensor gt(double s) {
    return gt(wrapScalar(s));
  }

  /** {@code this >= other}. */
  public Tensor ge(Tensor other) {
    return binaryRaw("ge", BinaryOp.GE, this, other);
  }

  /** {@code this >= s}. */
  public Tensor ge(double s) {
    return ge(wrapScalar(s));
  }

  /** Element-wise logical and (bool). */
  public Tensor logicalAnd(Tensor other) {
    return binaryRaw("logical_and", BinaryOp.AND, this.toBoolRaw(), other.toBoolRaw());
  }

  /** Element-wise logical or (bool). */
  public Tensor logicalOr(Tensor other) {
    return binaryRaw("logical_or", BinaryOp.OR, this.toBoolRaw(), other.toBoolRaw());
  }

  /** Element-wise logical not (bool). */
  public Tensor logicalNot() {
    Tensor b = toBoolRaw();
    Tensor out = allocate(shape, DType.BOOL, device());
    backend().unary(UnaryOp.NOT, b.view(), out.view(), 0, 0);
    return out;
  }

  private Tensor toBoolRaw() {
    return dtype() == DType.BOOL ? this : toRaw(DType.BOOL);
  }

  /** {@code torch.where(cond, a, b)} with broadcasting; differentiable in a and b. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    checkSameDevice("where", cond, a);
    checkSameDevice("where", a, b);
    if (cond.dtype() != DType.BOOL) {
      throw new IllegalArgumentException(
          "where expected condition to be a boolean tensor, but got a tensor with dtype "
              + scalarTypeName(cond.dtype()));
    }
    DType ct = resultType(a, b);
    Shape s = Shape.broadcast(Shape.broadcast(cond.shape, a.shape, "where"), b.shape, "where");
    Tensor ac = a.dtype() == ct ? a : a.toRaw(ct);
    Tensor bc = b.dtype() == ct ? b : b.toRaw(ct);
    Tensor out = allocate(s, ct, a.device());
    a.backend().where(cond.broadcastView(s), ac.broadcastView(s), bc.broadcastView(s), out.view());
    return record("WhereBackward0", out, in(a, b), in(cond),
        g -> {
          Tensor zero = zerosLike(g[0]);
          return new Tensor[] {
            a.requiresGrad ? gradFor(where(cond, g[0], zero), a) : null,
            b.requiresGrad ? gradFor(where(cond, zero, g[0]), b) : null
          };
        });
  }

  // ------------------------------------------------------------------ activations

  /** max(x, 0). */
  public Tensor relu() {
    if (dtype() == DType.BOOL) {
      throw new IllegalArgumentException("Boolean inputs not supported for relu");
    }
    Tensor out = unaryRaw(UnaryOp.RELU, 0, 0);
    return record("ReluBackward0", out, in(this), in(out),
        g -> new Tensor[] {binaryRaw("threshold_backward", BinaryOp.THRESHOLD_BACKWARD, g[0], out)});
  }

  /**
   * {@code t.relu_()}: {@code max(x, 0)} written into this tensor, which is returned. As for the
   * other in-place ops, a leaf that requires grad (or a view of one) is refused, the storage's
   * version is bumped (so a backward pass that saved the old values fails instead of using the
   * new ones), and when autograd records, this tensor takes over the ReLU's history.
   */
  public Tensor reluInPlace() {
    checkInPlace("relu_");
    if (recordsInPlace()) {
      return commitInPlace(clone().relu());
    }
    backend().unary(UnaryOp.RELU, view(), view(), 0, 0); // element-wise: in place is safe
    storage.bumpVersion();
    return this;
  }

  /** 1 / (1 + e^-x). */
  public Tensor sigmoid() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.SIGMOID, 0, 0);
    return record("SigmoidBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out.rsub(1.0)))});
  }

  /** tanh x. */
  public Tensor tanh() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.TANH, 0, 0);
    return record("TanhBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).rsub(1.0))});
  }

  // ------------------------------------------------------------------ unary math (torch names)

  private static final double LN2 = Math.log(2.0);
  private static final double LN10 = Math.log(10.0);
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  /** {@code torch.sin}. */
  public Tensor sin() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.SIN, 0, 0);
    return record("SinBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.cos())});
  }

  /** {@code torch.cos}. */
  public Tensor cos() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.COS, 0, 0);
    return record("CosBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.sin().neg())});
  }

  /** {@code torch.tan}. */
  public Tensor tan() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.TAN, 0, 0);
    return record("TanBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).add(1.0))});
  }

  /** {@code torch.asin}. */
  public Tensor asin() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.ASIN, 0, 0);
    return record("AsinBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.mul(x).rsub(1.0).rsqrt())});
  }

  /** {@code torch.acos}. */
  public Tensor acos() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.ACOS, 0, 0);
    return record("AcosBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.mul(x).rsub(1.0).rsqrt().neg())});
  }

  /** {@code torch.atan}. */
  public Tensor atan() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.ATAN, 0, 0);
    return record("AtanBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].div(x.mul(x).add(1.0))});
  }

  /** {@code torch.sinh}. */
  public Tensor sinh() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.SINH, 0, 0);
    return record("SinhBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.cosh())});
  }

  /** {@code torch.cosh}. */
  public Tensor cosh() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.COSH, 0, 0);
    return record("CoshBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].mul(x.sinh())});
  }

  /** {@code torch.exp2}: 2^x. */
  public Tensor exp2() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.EXP2, 0, 0);
    return record("Exp2Backward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(LN2))});
  }

  /** {@code torch.expm1}: e^x - 1. */
  public Tensor expm1() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.EXPM1, 0, 0);
    return record("Expm1Backward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.add(1.0))});
  }

  /** {@code torch.log1p}: ln(1 + x). */
  public Tensor log1p() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.LOG1P, 0, 0);
    return record("Log1PBackward0", out, in(x), in(x), g -> new Tensor[] {g[0].div(x.add(1.0))});
  }

  /** {@code torch.log2}. */
  public Tensor log2() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.LOG2, 0, 0);
    return record("Log2Backward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].div(x.mul(LN2))});
  }

  /** {@code torch.log10}. */
  public Tensor log10() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.LOG10, 0, 0);
    return record("Log10Backward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].div(x.mul(LN10))});
  }

  /** {@code torch.erf}. */
  public Tensor erf() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.ERF, 0, 0);
    return record("ErfBackward0", out, in(x), in(x),
        g -> new Tensor[] {g[0].mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI))});
  }

  /** {@code torch.rsqrt}: 1 / sqrt(x). */
  public Tensor rsqrt() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.RSQRT, 0, 0);
    return record("RsqrtBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).mul(out).mul(-0.5))});
  }

  /** {@code torch.reciprocal}: 1 / x. */
  public Tensor reciprocal() {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.RECIPROCAL, 0, 0);
    return record("ReciprocalBackward0", out, in(x), in(out),
        g -> new Tensor[] {g[0].mul(out.mul(out).neg())});
  }

  /** {@code torch.floor} (zero gradient; integer tensors are returned as a copy). */
  public Tensor floor() {
    return rounding(UnaryOp.FLOOR, "FloorBackward0");
  }

  /** {@code torch.ceil} (zero gradient; integer tensors are returned as a copy). */
  public Tensor ceil() {
    return rounding(UnaryOp.CEIL, "CeilBackward0");
  }

  /** {@code torch.round}: half to even (zero gradient; integer tensors are returned as a copy). */
  public Tensor round() {
    return rounding(UnaryOp.ROUND, "RoundBackward0");
  }

  /** {@code torch.trunc}: toward zero (zero gradient; integer tensors are returned as a copy). */
  public Tensor trunc() {
    return rounding(UnaryOp.TRUNC, "TruncBackward0");
  }

  private Tensor rounding(UnaryOp op, String gradFn) {
    if (dtype() == DType.BOOL) {
      throw new IllegalArgumentException(
          "\"" + op.name().toLowerCase() + "_vml_cpu\" not implemented for 'Bool'");
    }
    Tensor out = unaryRaw(op, 0, 0);
    return record(gradFn, out, in(this), NONE, g -> new Tensor[] {zerosLike(g[0])});
  }

  /** GELU, exact (erf) form ({@code approximate='none'}). */
  public Tensor gelu() {
    return gelu("none");
  }

  /** GELU with {@code approximate} = {@code "none"} or {@code "tanh"}. */
  public Tensor gelu(String approximate) {
    boolean tanhForm;
    if ("none".equals(approximate)) {
      tanhForm = false;
    } else if ("tanh".equals(approximate)) {
      tanhForm = true;
    } else {
      throw new IllegalArgumentException("approximate argument must be either none or tanh.");
    }
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(tanhForm ? UnaryOp.GELU_TANH : UnaryOp.GELU, 0, 0);
    BinaryOp bw = tanhForm ? BinaryOp.GELU_TANH_BACKWARD : BinaryOp.GELU_BACKWARD;
    return record("GeluBackward0", out, in(x), in(x),
        g -> new Tensor[] {binaryRaw("gelu_backward", bw, g[0], x)});
  }

  /** x &gt; 0 ? x : slope * x. */
  public Tensor leakyRelu(double negativeSlope) {
    Tensor x = floatingOrPromoted();
    Tensor out = x.unaryRaw(UnaryOp.LEAKY_RELU, negativeSlope, 0);
    return record("LeakyReluBackward0", out, in(x), in(x),
        g -> new Tensor[] {where(x.gt(0.0), g[0], g[0].mul(negativeSlope))});
  }

  // ------------------------------------------------------------------ reductions

  private int[] normDims(int[] dims) {
    int r = dim();
    if (dims == null || dims.length == 0) {
      int[] all = new int[r];
      for (int i = 0; i < r; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] d = new int[dims.length];
    boolean[] seen = new boolean[Math.max(r, 1)];
    for (int i = 0; i < dims.length; i++) {
      d[i] = Shape.normalizeDim(dims[i], r);
      if (seen[d[i]]) {
        throw new IllegalArgumentException("dim " + d[i] + " appears multiple times in the list of dims");
      }
      seen[d[i]] = true;
    }
    Arrays.sort(d);
    return d;
  }

  /** Moves {@code dims} to the end and makes the result contiguous: [kept..., reduced...]. */
  private Tensor reduceLayout(int[] dims) {
    int r = dim();
    int[] perm = new int[r];
    int k = 0;
    boolean[] red = new boolean[r];
    for (int d : dims) {
      red[d] = true;
    }
    for (int i = 0; i < r; i++) {
      if (!red[i]) {
        perm[k++] = i;
      }
    }
    for (int d : dims) {
      perm[k++] = d;
    }
    Tensor p = permuteRaw(perm);
    return p.isContiguous() ? p : p.contiguousRaw();
  }

  private Shape reducedShape(int[] dims, boolean keepdim) {
    List<Long> out = new ArrayList<>();
    boolean[] red = new boolean[dim()];
    for (int d : dims) {
      red[d] = true;
    }
    for (int i = 0; i < dim(); i++) {
      if (!red[i]) {
        out.add(shape.get(i));
      } else if (keepdim) {
        out.add(1L);
      }
    }
    return Shape.of(out.stream().mapToLong(Long::longValue).toArray());
  }

  private Tensor reduceRaw(ReduceOp op, int[] dims, boolean keepdim, DType outType) {
    Shape outShape = reducedShape(dims, keepdim);
    long innerL = 1;
    for (int d : dims) {
      innerL *= shape.get(d);
    }
    int inner = Math.toIntExact(innerL);
    if (inner == 0 && op != ReduceOp.SUM && op != ReduceOp.PROD) {
      throw new IllegalArgumentException(
          op.name().toLowerCase()
              + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the"
              + " reduction dim with the 'dim' argument.");
    }
    int outer = Math.toIntExact(outShape.numel());
    if (op == ReduceOp.SUM && inner > 0 && outType == dtype() && isContiguous()
        && leadingDims(dims)) {
      // sum over the leading dims of a contiguous tensor (a bias gradient): no transposed copy
      Tensor out = allocateUninit(outShape, outType, device());
      if (backend().sumLeading(storage.buffer(), Math.toIntExact(offset), inner, outer,
          out.storage.buffer())) {
        return out;
      }
      out.close();
    }
    Tensor lay = reduceLayout(dims);
    Tensor out = allocate(outShape, outType, device());
    if (inner == 0) {
      backend().fill(out.view(), op == ReduceOp.PROD ? 1 : 0);
      return out;
    }
    backend().reduce(op, lay.storage.buffer(), Math.toIntExact(lay.offset), outer, inner, out.storage.buffer());
    return out;
  }

  /** Whether {@code dims} are exactly {@code 0 .. k-1} for some k below {@code dim()}. */
  private boolean leadingDims(int[] dims) {
    if (dims.length == 0 || dims.length >= dim()) {
      return false;
    }
    boolean[] seen = new boolean[dim()];
    for (int d : dims) {
      if (d >= dims.length || seen[d]) {
        return false;
      }
      seen[d] = true;
    }
    return true;
  }

  /** Sum of all elements (bool and int64 sum to int64). */
  public Tensor sum() {
    return sum(null, false);
  }

  /** Sum over {@code dims} ({@code torch.sum(x, dim, keepdim)}). */
  public Tensor sum(int[] dims, boolean keepdim) {
    int[] d = normDims(dims);
    DType outType = isFloatingPoint() ? dtype() : DType.INT64;
    Tensor out = dim() == 0
        ? (outType == dtype() ? contiguousRaw() : toRaw(outType))
        : reduceRaw(ReduceOp.SUM, d, keepdim, outType);
    Tensor x = this;
    return record(dims == null || dims.length == 0 ? "SumBackward0" : "SumBackward1", out, in(x), NONE,
        g -> new Tensor[] {x.dim() == 0 ? g[0] : expandReduced(g[0], x.shape, d, keepdim)});
  }

  /** Sum over one dim. */
  public Tensor sum(int dim, boolean keepdim) {
    return sum(new int[] {dim}, keepdim);
  }

  private static Tensor expandReduced(Tensor g, Shape inputShape, int[] dims, boolean keepdim) {
    Tensor r = g;
    if (!keepdim) {
      for (int d : dims) {
        r = r.unsqueeze(d);
      }
    }
    return r.expand(inputShape.dims());
  }

  /** Mean of all elements (floating tensors only, as in PyTorch). */
  public Tensor mean() {
    return mean(null, false);
  }

  /** Mean over {@code dims}. */
  public Tensor mean(int[] dims, boolean keepdim) {
    if (!isFloatingPoint()) {
      throw new IllegalArgumentException(
          "mean(): could not infer output dtype. Input dtype must be either a floating point or"
              + " complex dtype. Got: "
              + scalarTypeName(dtype()));
    }
    int[] d = normDims(dims);
    long n = 1;
    for (int i : d) {
      n *= shape.get(i);
    }
    if (dim() == 0) {
      n = 1;
    }
    Tensor out;
    try (var g = dev.jnn.autograd.NoGrad.enter()) {
      out = sum(dims, keepdim).div((double) n);
    }
    Tensor x = this;
    double scale = 1.0 / n;
    boolean full = dims == null || dims.length == 0;
    return record(full ? "MeanBackward0" : "MeanBackward1", out, in(x), NONE,
        gr -> new Tensor[] {
          x.dim() == 0 ? gr[0].mul(scale) : expandReduced(gr[0].mul(scale), x.shape, d, keepdim)
        });
  }

  /** Mean over one dim. */
  public Tensor mean(int dim, boolean keepdim) {
    return mean(new int[] {dim}, keepdim);
  }

  /**
   * Variance over {@code dims} with Bessel's {@code correction} (1 = unbiased, PyTorch's default).
   */
  public Tensor var(int[] dims, int correction, boolean keepdim) {
    if (!isFloatingPoint()) {
      throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
    }
    int[] d = normDims(dims);
    long n = 1;
    for (int i : d) {
      n *= shape.get(i);
    }
    Tensor out;
    try (var g = dev.jnn.autograd.NoGrad.enter()) {
      Tensor diff = sub(mean(dims, true));
      out = diff.mul(diff).sum(dims, keepdim).div((double) Math.max(0, n - correction));
    }
    Tensor x = this;
    double scale = 2.0 / (n - correction);
    return record("VarBackward0", out, in(x), in(x),
        g -> {
          // d var / dx = 2 (x - mean) / (n - correction)
          Tensor gg = g[0];
          if (!keepdim) {
            for (int k : d) {
              gg = gg.unsqueeze(k);
            }
          }
          return new Tensor[] {gg.mul(x.sub(x.mean(dims, true))).mul(scale)};
        });
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
    return fullReduceMinMax(ReduceOp.MAX, "MaxBackward1");
  }

  /** Minimum of all elements. */
  public Tensor min() {
    return fullReduceMinMax(ReduceOp.MIN, "MinBackward1");
  }

  private Tensor fullReduceMinMax(ReduceOp op, String name) {
    if (numel() == 0) {
      // PyTorch 1.13's text (torch.max(torch.zeros(0))), as the op registry's fixture records it
      throw new IllegalArgumentException(
          op.name().toLowerCase()
              + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the"
              + " reduction dim with the 'dim' argument.");
    }
    Tensor out = dim() == 0 ? clone().detach() : reduceRaw(op, normDims(null), false, dtype());
    Tensor x = this;
    return record(name, out, in(x), in(x, out),
        g -> {
          Tensor mask = x.eq(out).to(g[0].dtype());
          return new Tensor[] {mask.mul(g[0].div(mask.sum()))};
        });
  }

  /** Values and indices of a max/min over a dim ({@code torch.return_types.max}). */
  public record ValuesIndices(Tensor values, Tensor indices) {}

  /** Maximum over {@code dim} with the index of the first maximum. */
  public ValuesIndices max(int dim, boolean keepdim) {
    return minMaxDim(dim, keepdim, true);
  }

  /** Minimum over {@code dim} with the index of the first minimum. */
  public ValuesIndices min(int dim, boolean keepdim) {
    return minMaxDim(dim, keepdim, false);
  }

  private ValuesIndices minMaxDim(int dim, boolean keepdim, boolean max) {
    int d = Shape.normalizeDim(dim, dim());
    int[] dims = dim() == 0 ? new int[0] : new int[] {d};
    Tensor idx = dim() == 0 ? zeros(Shape.scalar(), DType.INT64, device())
        : reduceRaw(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, dims, true, DType.INT64);
    Tensor vals = dim() == 0 ? clone().detach() : gatherRaw(d, idx);
    if (!keepdim && dim() > 0) {
      idx = idx.squeeze(d);
      vals = vals.squeeze(d);
    }
    Tensor x = this;
    Tensor fidx = idx;
    Tensor out = record(max ? "MaxBackward0" : "MinBackward0", vals, in(x), in(fidx),
        g -> {
          if (x.dim() == 0) {
            return new Tensor[] {g[0]};
          }
          Tensor gg = keepdim ? g[0] : g[0].unsqueeze(d);
          Tensor ii = keepdim ? fidx : fidx.unsqueeze(d);
          Tensor z = zeros(x.shape, g[0].dtype(), g[0].device());
          z.backend().scatterAdd(z.storage.buffer(), x.shape.intDims(), d, ii.view(), gg.view());
          return new Tensor[] {z};
        });
    return new ValuesIndices(out, idx);
  }

  /** Index of the maximum of the flattened tensor ({@code torch.argmax(x)}). */
  public Tensor argmax() {
    if (numel() == 0) {
      // PyTorch 1.13 raises IndexError here (torch.argmax(torch.zeros(0, 3)))
      throw new IndexOutOfBoundsException(
          "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
    }
    return reshape(-1).argmax(0, false);
  }

  /** Index of the maximum along {@code dim}. */
  public Tensor argmax(int dim, boolean keepdim) {
    if (dim() == 0) {
      return zeros(Shape.scalar(), DType.INT64, device());
    }
    int d = Shape.normalizeDim(dim, dim());
    return reduceRaw(ReduceOp.ARGMAX, new int[] {d}, keepdim, DType.INT64);
  }

  /** Index of the minimum along {@code dim}. */
  public Tensor argmin(int dim, boolean keepdim) {
    if (dim() == 0) {
      return zeros(Shape.scalar(), DType.INT64, device());
    }
    int d = Shape.normalizeDim(dim, dim());
    return reduceRaw(ReduceOp.ARGMIN, new int[] {d}, keepdim, DType.INT64);
  }

  // ------------------------------------------------------------------ matmul

  /**
   * Matrix product with PyTorch's {@code torch.matmul} rules: 1-D operands are promoted and the
   * added dim removed, batch dims broadcast.
   */
  public Tensor matmul(Tensor other) {
    checkSameDevice("matmul", this, other);
    if (dtype() != other.dtype()) {
      throw new IllegalArgumentException(
          "expected m1 and m2 to have the same dtype, but got: "
              + dtype().torchName()
              + " != "
              + other.dtype().torchName());
    }
    if (dim() == 0 || other.dim() == 0) {
      throw new IllegalArgumentException(
          "both arguments to matmul need to be at least 1D, but they are "
              + dim()
              + "D and "
              + other.dim()
              + "D");
    }
    if (dim() == 1 && other.dim() == 1) {
      if (size(0) != other.size(0)) {
        throw new ShapeMismatchException(
            "inconsistent tensor size, expected tensor [" + size(0) + "] and src [" + other.size(0)
                + "] to have the same number of elements, but got " + size(0) + " and "
                + other.size(0) + " elements respectively");
      }
      return unsqueeze(0).matmul(other.unsqueeze(1)).reshape();
    }
    if (dim() == 1) {
      return unsqueeze(0).matmul(other).squeeze(-2);
    }
    if (other.dim() == 1) {
      return matmul(other.unsqueeze(1)).squeeze(-1);
    }
    long m = size(-2);
    long k = size(-1);
    long k2 = other.size(-2);
    long n = other.size(-1);
    if (k != k2) {
      // PyTorch folds the batch dims of the first operand when the second is a matrix; for
      // batched-by-batched operands the matrices' own sizes are shown, with both full shapes
      String msg =
          other.dim() == 2
              ? "mat1 and mat2 shapes cannot be multiplied (" + shapeAs2d(this) + " and " + k2 + "x"
                  + n + ")"
              : "mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and " + k2 + "x" + n
                  + ") in batched matmul of " + shape + " and " + other.shape;
      throw new ShapeMismatchException(msg);
    }
    long[] ab = Arrays.copyOf(shape.dims(), dim() - 2);
    long[] bb = Arrays.copyOf(other.shape.dims(), other.dim() - 2);
    Shape batch = Shape.broadcast(Shape.of(ab), Shape.of(bb), "matmul batch dims");
    Tensor a = this;
    Tensor b = other;
    Tensor out = bmmRaw(a, b, batch, (int) m, (int) n, (int) k);
    return record("MmBackward0", out, in(a, b), in(a, b),
        g -> new Tensor[] {
          a.requiresGrad ? gradFor(g[0].matmul(b.transpose(-1, -2)), a) : null,
          b.requiresGrad ? gradFor(a.transpose(-1, -2).matmul(g[0]), b) : null
        });
  }

  private static String shapeAs2d(Tensor t) {
    return (t.numel() / t.size(-1)) + "x" + t.size(-1);
  }

  private static Tensor bmmRaw(Tensor a, Tensor b, Shape batch, int m, int n, int k) {
    long[] outDims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
    outDims[batch.rank()] = m;
    outDims[batch.rank() + 1] = n;
    Shape outShape = Shape.of(outDims);
    Tensor out = allocate(outShape, a.dtype(), a.device());
    int nb = Math.toIntExact(batch.numel());
    if (out.numel() == 0) {
      return out;
    }
    MatOperand pa = MatOperand.of(a, batch, m, k);
    MatOperand pb = MatOperand.of(b, batch, k, n);
    a.backend().gemm(pa.trans, pb.trans, nb, m, n, k,
        pa.t.storage.buffer(), pa.off, pa.batchStride, pa.ld,
        pb.t.storage.buffer(), pb.off, pb.batchStride, pb.ld,
        out.storage.buffer(), 0, m * n, n, false);
    return out;
  }

  /** A matrix operand prepared for GEMM: [batch, rows, cols] with row- or column-major layout. */
  private record MatOperand(Tensor t, boolean trans, int off, int batchStride, int ld) {
    static MatOperand of(Tensor x, Shape batch, int rows, int cols) {
      int r = x.dim();
      long rs = x.strides[r - 2];
      long cs = x.strides[r - 1];
      boolean sameBatch = x.dim() - 2 == batch.rank() && Arrays.equals(
          Arrays.copyOf(x.shape.dims(), r - 2), batch.dims());
      boolean batchOne = true;
      for (int i = 0; i < r - 2; i++) {
        if (x.shape.get(i) != 1) {
          batchOne = false;
        }
      }
      // a single matrix broadcast over the batch: stride 0
      if (batchOne || (sameBatch && r == 2)) {
        if (cs == 1 && (rs >= cols || rows == 1)) {
          return new MatOperand(x, false, (int) x.offset, 0, (int) Math.max(rs, cols));
        }
        if (rs == 1 && (cs >= rows || cols == 1)) {
          return new MatOperand(x, true, (int) x.offset, 0, (int) Math.max(cs, rows));
        }
      }
      Tensor c = x;
      if (!sameBatch) {
        long[] dims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        dims[batch.rank()] = rows;
        dims[batch.rank() + 1] = cols;
        c = x.expand(dims);
      }
      // contiguous [batch, rows, cols] or its transpose in the last two dims
      Tensor ct = c.transposeRaw(-1, -2);
      if (ct.isContiguous()) {
        return new MatOperand(ct, true, (int) ct.offset, rows * cols, rows);
      }
      if (!c.isContiguous()) {
        c = c.contiguousRaw();
      }
      return new MatOperand(c, false, (int) c.offset, rows * cols, cols);
    }
  }

  /** 2-D matrix product ({@code torch.mm}); both operands must be 2-D. */
  public Tensor mm(Tensor other) {
    if (dim() != 2 || other.dim() != 2) {
      throw new IllegalArgumentException(
          (dim() != 2 ? "self" : "mat2") + " must be a matrix (got " + (dim() != 2 ? dim() : other.dim()) + "-D)");
    }
    return matmul(other);
  }

  // ------------------------------------------------------------------ views

  private Tensor makeView(Shape s, long[] st, long off) {
    storage.retain();
    Tensor t = new Tensor(storage, s, st, off);
    t.viewBase = viewBase != null ? viewBase : this;
    t.viewHistoryVersion = storage.historyVersion();
    return t;
  }

  private long[] inferShape(String op, long[] dims) {
    long[] d = dims.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < d.length; i++) {
      if (d[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("only one dimension can be inferred");
        }
        infer = i;
      } else if (d[i] < 0) {
        throw new IllegalArgumentException("invalid shape dimension " + d[i]);
      } else if (known >= 0) {
        try {
          known = Math.multiplyExact(known, d[i]);
        } catch (ArithmeticException e) {
          known = -1; // the product overflows a long: no tensor has that many elements
        }
      }
    }
    if (known < 0
        || (infer >= 0 && (known == 0 || numel() % known != 0))
        || (infer < 0 && known != numel())) {
      throw new ShapeMismatchException(
          "shape '" + Arrays.toString(dims) + "' is invalid for input of size " + numel() + " ("
              + op + ": input shape " + shape + ")");
    }
    if (infer >= 0) {
      d[infer] = numel() / known;
    }
    return d;
  }

  /** Computes view strides for a reshape without copying, or null if impossible (PyTorch's computeStride). */
  private long[] viewStrides(long[] newDims) {
    long[] oldDims = shape.dims();
    long[] oldStrides = strides;
    long[] ns = new long[newDims.length];
    if (numel() == 0) {
      return Shape.of(newDims).contiguousStrides();
    }
    if (oldDims.length == 0) {
      // a 0-d tensor views as any all-ones shape (PyTorch's computeStride special case)
      Arrays.fill(ns, 1);
      return ns;
    }
    int viewD = newDims.length - 1;
    long chunkBase = oldDims.length == 0 ? 1 : oldStrides[oldDims.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int td = oldDims.length - 1; td >= 0; td--) {
      tensorNumel *= oldDims[td];
      if (td == 0 || (oldDims[td - 1] != 1 && oldStrides[td - 1] != tensorNumel * chunkBase)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || newDims[viewD] == 1)) {
          ns[viewD] = viewNumel * chunkBase;
          viewNumel *= newDims[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return null;
        }
        if (td > 0) {
          chunkBase = oldStrides[td - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    if (viewD != -1) {
      return null;
    }
    return ns;
  }

  /** A view with a new shape; fails when the strides do not allow it ({@code t.view}). */
  public Tensor view(long... dims) {
    long[] d = inferShape("view", dims);
    long[] st = viewStrides(d);
    if (st == null) {
      throw new IllegalStateException(
          "view size is not compatible with input tensor's size and stride (at least one dimension"
              + " spans across two contiguous subspaces). Use .reshape(...) instead. (input "
              + shape
              + " with strides "
              + Arrays.toString(strides)
              + ", requested "
              + Arrays.toString(dims)
              + ")");
    }
    Tensor out = makeView(Shape.of(d), st, offset);
    Shape in = shape;
    return record("ViewBackward0", out, in(this), NONE, g -> new Tensor[] {g[0].reshape(in.dims())});
  }

  /** A view when possible, else a copy ({@code t.reshape}). */
  public Tensor reshape(long... dims) {
    long[] d = inferShape("reshape", dims);
    if (viewStrides(d) != null) {
      return view(d);
    }
    return contiguous().view(d);
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
    if (dim() == 0) {
      return reshape(1);
    }
    int s = Shape.normalizeDim(startDim, dim());
    int e = Shape.normalizeDim(endDim, dim());
    if (s > e) {
      throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
    }
    long[] d = new long[dim() - (e - s)];
    int k = 0;
    for (int i = 0; i < s; i++) {
      d[k++] = size(i);
    }
    long p = 1;
    for (int i = s; i <= e; i++) {
      p *= size(i);
    }
    d[k++] = p;
    for (int i = e + 1; i < dim(); i++) {
      d[k++] = size(i);
    }
    return reshape(d);
  }

  private Tensor permuteRaw(int[] perm) {
    long[] d = new long[perm.length];
    long[] st = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      d[i] = shape.get(perm[i]);
      st[i] = strides[perm[i]];
    }
    Tensor t = new Tensor(storage, Shape.of(d), st, offset);
    storage.retain();
    t.viewBase = viewBase != null ? viewBase : this;
    t.viewHistoryVersion = storage.historyVersion();
    return t;
  }

  /** Reorders dims ({@code t.permute}). */
  public Tensor permute(int... dims) {
    if (dims.length != dim()) {
      throw new IllegalArgumentException(
          "permute(sparse_coo): number of dimensions in the tensor input does not match the length"
              + " of the desired ordering of dimensions i.e. input.dim() = "
              + dim()
              + " is not equal to len(dims) = "
              + dims.length);
    }
    int[] p = new int[dims.length];
    boolean[] seen = new boolean[dims.length];
    for (int i = 0; i < dims.length; i++) {
      p[i] = Shape.normalizeDim(dims[i], dim());
      if (seen[p[i]]) {
        throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
      }
      seen[p[i]] = true;
    }
    Tensor out = permuteRaw(p);
    int[] inv = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      inv[p[i]] = i;
    }
    return record("PermuteBackward0", out, in(this), NONE, g -> new Tensor[] {g[0].permute(inv)});
  }

  private Tensor transposeRaw(int d0, int d1) {
    int a = Shape.normalizeDim(d0, dim());
    int b = Shape.normalizeDim(d1, dim());
    int[] p = new int[dim()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    p[a] = b;
    p[b] = a;
    return permuteRaw(p);
  }

  /** Swaps two dims ({@code t.transpose}). */
  public Tensor transpose(int dim0, int dim1) {
    if (dim() < 2 && dim() > 0) {
      Shape.normalizeDim(dim0, dim());
      Shape.normalizeDim(dim1, dim());
    }
    if (dim() == 0) {
      return this;
    }
    Tensor out = transposeRaw(dim0, dim1);
    return record("TransposeBackward0", out, in(this), NONE,
        g -> new Tensor[] {g[0].transpose(dim0, dim1)});
  }

  /** Transpose of a matrix of at most 2 dims ({@code t.t()}). */
  public Tensor t() {
    if (dim() > 2) {
      throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
    }
    return dim() < 2 ? this : transpose(0, 1);
  }

  private Tensor contiguousRaw() {
    Tensor out = allocateUninit(shape, dtype(), device());
    backend().copy(view(), out.view());
    return out;
  }

  /** This tensor when contiguous, else a contiguous copy. */
  public Tensor contiguous() {
    if (isContiguous()) {
      return this;
    }
    Tensor out = contiguousRaw();
    return record("CloneBackward0", out, in(this), NONE, g -> new Tensor[] {g[0]});
  }

  /** A copy with its own storage ({@code t.clone()}); differentiable. */
  public Tensor clone() {
    Tensor out = contiguousRaw();
    return record("CloneBackward0", out, in(this), NONE, g -> new Tensor[] {g[0]});
  }

  /** Removes all size-1 dims. */
  public Tensor squeeze() {
    List<Long> d = new ArrayList<>();
    for (long x : shape.dims()) {
      if (x != 1) {
        d.add(x);
      }
    }
    return reshapeView(d.stream().mapToLong(Long::longValue).toArray(), "SqueezeBackward0");
  }

  /** Removes dim {@code dim} if it has size 1. */
  public Tensor squeeze(int dim) {
    if (dim() == 0) {
      Shape.normalizeDim(dim, 0);
      return this;
    }
    int d = Shape.normalizeDim(dim, dim());
    if (size(d) != 1) {
      return this;
    }
    long[] nd = new long[dim() - 1];
    for (int i = 0, k = 0; i < dim(); i++) {
      if (i != d) {
        nd[k++] = size(i);
      }
    }
    return reshapeView(nd, "SqueezeBackward1");
  }

  /** Inserts a size-1 dim at {@code dim}. */
  public Tensor unsqueeze(int dim) {
    int d = Shape.normalizeDim(dim, dim() + 1);
    long[] nd = new long[dim() + 1];
    for (int i = 0, k = 0; i < nd.length; i++) {
      nd[i] = i == d ? 1 : size(k++);
    }
    return reshapeView(nd, "UnsqueezeBackward0");
  }

  private Tensor reshapeView(long[] nd, String nodeName) {
    long[] st = viewStrides(nd);
    Tensor out = makeView(Shape.of(nd), st == null ? Shape.of(nd).contiguousStrides() : st, offset);
    Shape in = shape;
    return record(nodeName, out, in(this), NONE, g -> new Tensor[] {g[0].reshape(in.dims())});
  }

  /** Broadcasts size-1 dims to {@code dims} without copying; -1 keeps a dim ({@code t.expand}). */
  public Tensor expand(long... dims) {
    if (dims.length < dim()) {
      throw new IllegalArgumentException(
          "expand(" + shape + ", size=" + Arrays.toString(dims) + "): the number of sizes provided ("
              + dims.length + ") must be greater or equal to the number of dimensions in the tensor ("
              + dim() + ")");
    }
    long[] target = dims.clone();
    int lead = dims.length - dim();
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        if (i < lead) {
          throw new IllegalArgumentException("expand: -1 is not allowed in a leading, non-existing dimension " + i);
        }
        target[i] = size(i - lead);
      }
    }
    Shape ts = Shape.of(target);
    if (ts.equals(shape)) {
      return this;
    }
    try {
      ts.numel();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "numel: integer multiplication overflow (expand: " + shape + " to " + ts + ")");
    }
    // strides as longs: an expanded view may be larger than any kernel could address
    long[] st = new long[target.length];
    for (int i = 0; i < st.length; i++) {
      int j = i - lead;
      if (j < 0 || (size(j) == 1 && target[i] != 1)) {
        st[i] = 0;
      } else if (size(j) == target[i]) {
        st[i] = strides[j];
      } else {
        throw new ShapeMismatchException(
            "The expanded size of the tensor (" + target[i] + ") must match the existing size ("
                + size(j) + ") at non-singleton dimension " + i + ".  Target sizes: " + ts
                + ".  Tensor sizes: " + shape);
      }
    }
    Tensor out = makeView(ts, st, offset);
    Shape in = shape;
    return record("ExpandBackward0", out, in(this), NONE, g -> new Tensor[] {sumToShape(g[0], in)});
  }

  /** Expands to {@code other}'s shape. */
  public Tensor expandAs(Tensor other) {
    return expand(other.shape.dims());
  }

  /** {@code length} elements of {@code dim} from {@code start}, as a view ({@code t.narrow}). */
  public Tensor narrow(int dim, long start, long length) {
    if (dim() == 0) {
      throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
    }
    int d = Shape.normalizeDim(dim, dim());
    long sz = size(d);
    if (start < 0) {
      start += sz;
    }
    if (start < 0 || length < 0 || start + length > sz) {
      throw new IndexOutOfBoundsException(
          "start (" + start + ") + length (" + length + ") exceeds dimension size (" + sz + ").");
    }
    return slice(d, start, start + length, 1);
  }

  /** {@code t[..., start:end:step, ...]} along {@code dim} as a view; bounds are clamped like Python. */
  public Tensor slice(int dim, long start, long end, long step) {
    if (step <= 0) {
      throw new IllegalArgumentException("slice step must be positive");
    }
    int d = Shape.normalizeDim(dim, dim());
    long sz = size(d);
    long s = start < 0 ? Math.max(0, start + sz) : Math.min(start, sz);
    long e = end < 0 ? Math.max(0, end + sz) : Math.min(end, sz);
    long len = e > s ? (e - s + step - 1) / step : 0;
    long[] nd = shape.dims();
    nd[d] = len;
    long[] st = strides.clone();
    st[d] = strides[d] * step;
    Tensor out = makeView(Shape.of(nd), st, offset + s * strides[d]);
    Shape in = shape;
    DType dt = dtype();
    long fs = s;
    return record("SliceBackward0", out, in(this), NONE,
        g -> {
          Tensor z = zeros(in, g[0].dtype(), g[0].device());
          z.sliceRaw(d, fs, len, step).copyRaw(g[0]);
          return new Tensor[] {z};
        });
  }

  private Tensor sliceRaw(int d, long s, long len, long step) {
    long[] nd = shape.dims();
    nd[d] = len;
    long[] st = strides.clone();
    st[d] = strides[d] * step;
    storage.retain();
    return new Tensor(storage, Shape.of(nd), st, offset + s * strides[d]);
  }

  /** {@code t[index]} along {@code dim}: removes the dim ({@code t.select}). */
  public Tensor select(int dim, long index) {
    if (dim() == 0) {
      throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
    }
    int d = Shape.normalizeDim(dim, dim());
    long sz = size(d);
    if (index < -sz || index >= sz) {
      throw new IndexOutOfBoundsException(
          "select(): index " + index + " out of range for tensor of size " + shape
              + " at dimension " + d);
    }
    long i = index < 0 ? index + sz : index;
    long[] nd = new long[dim() - 1];
    long[] st = new long[dim() - 1];
    for (int k = 0, j = 0; k < dim(); k++) {
      if (k != d) {
        nd[j] = shape.get(k);
        st[j++] = strides[k];
      }
    }
    Tensor out = makeView(Shape.of(nd), st, offset + i * strides[d]);
    Shape in = shape;
    return record("SelectBackward0", out, in(this), NONE,
        g -> {
          Tensor z = zeros(in, g[0].dtype(), g[0].device());
          z.sliceRaw(d, i, 1, 1).copyRaw(g[0].unsqueeze(d));
          return new Tensor[] {z};
        });
  }

  /** {@code t[i]} (first dim), with the errors of PyTorch 1.13's indexing (not select()'s). */
  public Tensor get(long i) {
    if (dim() == 0) {
      throw new IndexOutOfBoundsException(
          "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()`"
              + " in C++ to convert a 0-dim tensor to a number");
    }
    long n = size(0);
    if (i < -n || i >= n) {
      throw new IndexOutOfBoundsException(
          "index " + i + " is out of bounds for dimension 0 with size " + n);
    }
    return select(0, i);
  }

  /** Concatenates along {@code dim} ({@code torch.cat}). */
  public static Tensor cat(List<Tensor> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
    }
    Tensor first = tensors.get(0);
    int d = Shape.normalizeDim(dim, first.dim());
    DType dt = first.dtype();
    long total = 0;
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      checkSameDevice("cat", first, t);
      dt = DType.promote(dt, t.dtype());
      if (t.dim() != first.dim()) {
        throw new ShapeMismatchException(
            "Tensors must have same number of dimensions: got " + first.dim() + " and " + t.dim());
      }
      for (int k = 0; k < t.dim(); k++) {
        if (k != d && t.size(k) != first.size(k)) {
          throw new ShapeMismatchException(
              "Sizes of tensors must match except in dimension " + d + ". Expected size "
                  + first.size(k) + " but got size " + t.size(k) + " for tensor number " + i
                  + " in the list.");
        }
      }
      total += t.size(d);
    }
    long[] nd = first.shape.dims();
    nd[d] = total;
    Tensor out = allocate(Shape.of(nd), dt, first.device());
    long pos = 0;
    long[] starts = new long[tensors.size()];
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      starts[i] = pos;
      out.sliceRaw(d, pos, t.size(d), 1).copyRaw(t);
      pos += t.size(d);
    }
    Tensor[] ins = tensors.toArray(new Tensor[0]);
    return record("CatBackward0", out, ins, NONE,
        g -> {
          Tensor[] r = new Tensor[ins.length];
          for (int i = 0; i < ins.length; i++) {
            if (ins[i].requiresGrad) {
              Tensor gi = g[0].narrow(d, starts[i], ins[i].size(d));
              r[i] = gi.dtype() == ins[i].dtype() ? gi : gi.to(ins[i].dtype());
            }
          }
          return r;
        });
  }

  /** Stacks along a new dim ({@code torch.stack}). */
  public static Tensor stack(List<Tensor> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("stack expects a non-empty TensorList");
    }
    Shape s0 = tensors.get(0).shape;
    List<Tensor> u = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) {
      if (!tensors.get(i).shape.equals(s0)) {
        throw new ShapeMismatchException(
            "stack expects each tensor to be equal size, but got " + s0 + " at entry 0 and "
                + tensors.get(i).shape + " at entry " + i);
      }
    }
    int d = Shape.normalizeDim(dim, s0.rank() + 1);
    Tensor out;
    try (var g = dev.jnn.autograd.NoGrad.enter()) {
      for (Tensor t : tensors) {
        u.add(t.unsqueeze(d));
      }
      out = cat(u, d);
    }
    Tensor[] ins = tensors.toArray(new Tensor[0]);
    return record("StackBackward0", out, ins, NONE,
        g -> {
          Tensor[] r = new Tensor[ins.length];
          for (int i = 0; i < ins.length; i++) {
            if (ins[i].requiresGrad) {
              r[i] = gradFor(g[0].select(d, i), ins[i]);
            }
          }
          return r;
        });
  }

  // ---- composites (issue 17 item 7): built from differentiable ops, so CPU and CUDA and autograd
  //      come for free; their grad_fn names are those of the ops they are built from.

  /** Splits {@code dim} into pieces of {@code splitSize} (the last may be smaller) ({@code torch.split}). */
  public List<Tensor> split(int splitSize, int dim) {
    if (dim() == 0) {
      throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
    }
    if (splitSize < 0) {
      throw new IllegalArgumentException(
          "split expects split_size be non-negative, but got split_size=" + splitSize);
    }
    int d = Shape.normalizeDim(dim, dim());
    long sz = size(d);
    if (splitSize == 0 && sz != 0) {
      throw new IllegalArgumentException(
          "split_size can only be 0 if dimension size is 0, but got dimension size of " + sz);
    }
    long n = splitSize == 0 ? 1 : Math.max((sz + splitSize - 1) / splitSize, 1);
    List<Tensor> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      long start = i * splitSize;
      out.add(narrow(d, start, Math.min(splitSize, sz - start)));
    }
    return out;
  }

  /** Splits {@code dim} into pieces of the given {@code sizes} ({@code torch.split} with a list). */
  public List<Tensor> split(long[] sizes, int dim) {
    if (dim() == 0) {
      throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
    }
    int d = Shape.normalizeDim(dim, dim());
    long sz = size(d);
    long total = 0;
    for (long s : sizes) {
      if (s < 0) {
        throw new IllegalArgumentException(
            "split_with_sizes expects split_sizes have only non-negative entries, but got"
                + " split_sizes=" + Arrays.toString(sizes));
      }
      total += s;
    }
    if (total != sz) {
      throw new IllegalArgumentException(
          "split_with_sizes expects split_sizes to sum exactly to " + sz
              + " (input tensor's size at dimension " + dim + "), but got split_sizes="
              + Arrays.toString(sizes));
    }
    List<Tensor> out = new ArrayList<>();
    long start = 0;
    for (long s : sizes) {
      out.add(narrow(d, start, s));
      start += s;
    }
    return out;
  }

  /** Splits {@code dim} into at most {@code chunks} equal pieces ({@code torch.chunk}). */
  public List<Tensor> chunk(int chunks, int dim) {
    if (dim() == 0) {
      throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
    }
    if (chunks <= 0) {
      throw new IllegalArgumentException(
          "chunk expects `chunks` to be greater than 0, got: " + chunks);
    }
    int d = Shape.normalizeDim(dim, dim());
    long sz = size(d);
    if (sz == 0) {
      // PyTorch 1.13: an empty dim gives `chunks` empty pieces
      List<Tensor> out = new ArrayList<>();
      for (int i = 0; i < chunks; i++) {
        out.add(narrow(d, 0, 0));
      }
      return out;
    }
    return split((int) ((sz + chunks - 1) / chunks), d);
  }

  /** The slices along {@code dim}, each without that dim ({@code torch.unbind}). */
  public List<Tensor> unbind(int dim) {
    if (dim() == 0) {
      throw new IndexOutOfBoundsException(
          "Dimension specified as " + dim + " but tensor has no dimensions");
    }
    int d = Shape.normalizeDim(dim, dim());
    List<Tensor> out = new ArrayList<>();
    for (long i = 0; i < size(d); i++) {
      out.add(select(d, i));
    }
    return out;
  }

  /** Outer product of two 1-D tensors ({@code torch.outer}). */
  public Tensor outer(Tensor other) {
    if (dim() != 1) {
      throw new IllegalArgumentException(
          "outer: Expected 1-D argument self, but got " + dim() + "-D");
    }
    if (other.dim() != 1) {
      throw new IllegalArgumentException(
          "outer: Expected 1-D argument vec2, but got " + other.dim() + "-D");
    }
    return unsqueeze(1).mul(other.unsqueeze(0));
  }

  /** The lower triangle (on and below the main diagonal) ({@code torch.tril}). */
  public Tensor tril() {
    return tril(0);
  }

  /** The lower triangle: elements with {@code col - row <= diagonal} ({@code torch.tril}). */
  public Tensor tril(int diagonal) {
    return triangle(diagonal, true);
  }

  /** The upper triangle (on and above the main diagonal) ({@code torch.triu}). */
  public Tensor triu() {
    return triu(0);
  }

  /** The upper triangle: elements with {@code col - row >= diagonal} ({@code torch.triu}). */
  public Tensor triu(int diagonal) {
    return triangle(diagonal, false);
  }

  private Tensor triangle(long diagonal, boolean lower) {
    if (dim() == 0) {
      throw new IndexOutOfBoundsException("Dimension specified as -2 but tensor has no dimensions");
    }
    Shape.normalizeDim(-2, dim()); // PyTorch's error for a 1-d input
    int rows = (int) size(dim() - 2);
    int cols = (int) size(dim() - 1);
    boolean[] m = new boolean[Math.multiplyExact(rows, cols)];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i * cols + j] = lower ? j - i <= diagonal : j - i >= diagonal;
      }
    }
    Tensor mask = fromArray(m, rows, cols).to(device());
    return where(mask, this, scalar(0, dtype(), device()));
  }

  /** Reverses the order of elements along {@code dims} ({@code torch.flip}). */
  public Tensor flip(int... dims) {
    boolean[] seen = new boolean[Math.max(dim(), 1)];
    for (int dm : dims) {
      int d = Shape.normalizeDim(dm, dim());
      if (seen[d]) {
        throw new IllegalArgumentException("dim " + d + " appears multiple times in the list of dims");
      }
      seen[d] = true;
    }
    Tensor out = this;
    if (dim() == 0) {
      return clone();
    }
    for (int d = 0; d < dim(); d++) {
      if (seen[d] && size(d) > 1) {
        long n = size(d);
        out = out.indexSelect(d, arange(n - 1, -1, -1, DType.INT64).to(device()));
      }
    }
    return out == this ? clone() : out;
  }

  /** Rotates the elements of {@code dim} by {@code shifts} places, wrapping around ({@code torch.roll}). */
  public Tensor roll(int shifts, int dim) {
    if (dim() == 0) {
      throw new IndexOutOfBoundsException(
          "Dimension specified as " + dim + " but tensor has no dimensions");
    }
    int d = Shape.normalizeDim(dim, dim());
    long n = size(d);
    if (n == 0) {
      return clone();
    }
    long s = Math.floorMod((long) shifts, n);
    if (s == 0) {
      return clone();
    }
    return cat(List.of(narrow(d, n - s, s), narrow(d, 0, n - s)), d);
  }

  /** Tiles the tensor {@code sizes[i]} times along each dim ({@code t.repeat}). */
  public Tensor repeat(long... sizes) {
    if (sizes.length < dim()) {
      throw new IllegalArgumentException(
          "Number of dimensions of repeat dims can not be smaller than number of dimensions of"
              + " tensor");
    }
    int k = sizes.length;
    int lead = k - dim();
    long[] padded = new long[k];
    long[] split = new long[2 * k];
    long[] expanded = new long[2 * k];
    long[] target = new long[k];
    for (int i = 0; i < k; i++) {
      padded[i] = i < lead ? 1 : size(i - lead);
      split[2 * i] = 1;
      split[2 * i + 1] = padded[i];
      expanded[2 * i] = sizes[i];
      expanded[2 * i + 1] = padded[i];
      target[i] = sizes[i] * padded[i];
    }
    for (int i = 0; i < k; i++) {
      if (target[i] < 0) {
        throw new IllegalArgumentException(
            "Trying to create tensor with negative dimension " + target[i] + ": "
                + Arrays.toString(target));
      }
    }
    return reshape(split).expand(expanded).reshape(target);
  }

  /** True where the element is NaN ({@code torch.isnan}); never differentiable. */
  public Tensor isnan() {
    return ne(this);
  }

  /** True where the element is +-infinity ({@code torch.isinf}); never differentiable. */
  public Tensor isinf() {
    if (!isFloatingPoint()) {
      return full(shape, 0, DType.BOOL, device());
    }
    return abs().eq(Double.POSITIVE_INFINITY);
  }

  /** Whether any element is nonzero, as a 0-d bool tensor ({@code torch.any}). */
  public Tensor any() {
    return ne(0).to(DType.INT64).sum().gt(0);
  }

  /** Whether every element is nonzero, as a 0-d bool tensor ({@code torch.all}). */
  public Tensor all() {
    return eq(0).any().logicalNot();
  }

  /**
   * Coordinate grids from 0-d or 1-d tensors ({@code torch.meshgrid(*tensors, indexing=...)}):
   * output {@code i} varies along dim {@code i} for {@code "ij"}; {@code "xy"} swaps the first two.
   */
  public static List<Tensor> meshgrid(List<Tensor> tensorList, String indexing) {
    Tensor[] tensors = tensorList.toArray(new Tensor[0]);
    // PyTorch 1.13's checks, texts and order (TensorShape.cpp): list, dtypes/devices, indexing,
    // ranks (PyTorch prints the offending tensor in its C++ form, jnn in its repr)
    if (tensors.length == 0) {
      throw new IllegalArgumentException("meshgrid expects a non-empty TensorList");
    }
    for (int i = 0; i + 1 < tensors.length; i++) {
      if (tensors[i].dtype() != tensors[i + 1].dtype()) {
        throw new IllegalArgumentException("meshgrid expects all tensors to have the same dtype");
      }
      if (!tensors[i].device().equals(tensors[i + 1].device())) {
        throw new IllegalArgumentException("meshgrid expects all tensors to have the same device");
      }
    }
    if (!"ij".equals(indexing) && !"xy".equals(indexing)) {
      throw new IllegalArgumentException(
          "torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: " + indexing);
    }
    int n = tensors.length;
    for (Tensor t : tensors) {
      if (t.dim() > 1) {
        throw new IllegalArgumentException(
            "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: " + t);
      }
    }
    boolean swap = "xy".equals(indexing) && n >= 2;
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      sizes[i] = tensors[i].numel();
    }
    if (swap) {
      long tmp = sizes[0];
      sizes[0] = sizes[1];
      sizes[1] = tmp;
    }
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int axis = swap && i < 2 ? 1 - i : i;
      long[] view = new long[n];
      Arrays.fill(view, 1);
      view[axis] = sizes[axis];
      out.add(tensors[i].reshape(view).expand(sizes));
    }
    return out;
  }

  /**
   * Rows of {@code dim} picked by a 1-D int64 {@code index} ({@code torch.index_select}). Each
   * index must lie in {@code [0, size(dim))}: negative indices do not count from the end (as in
   * PyTorch) and throw {@link IndexOutOfBoundsException} with PyTorch's text (on CUDA at the next
   * synchronising call, like PyTorch's device-side checks).
   */
  public Tensor indexSelect(int dim, Tensor index) {
    checkSameDevice("index_select", this, index);
    if (index.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          // PyTorch 1.13's text (it also takes int32, which jnn does not have), then context
          "index_select(): Expected dtype int32 or int64 for index (got " + index.dtype() + ")");
    }
    if (index.dim() > 1) {
      throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
    }
    int d = dim() == 0 ? 0 : Shape.normalizeDim(dim, dim());
    if (dim() > 1 && size(d) == 0 && index.numel() > 0) {
      throw new IndexOutOfBoundsException(
          "index_select(): self indexing axis dim should be positive");
    }
    Tensor src = dim() == 0 ? reshape(1) : this;
    Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
    long[] nd = src.shape.dims();
    nd[d] = idx.numel();
    Tensor out = allocate(Shape.of(nd), dtype(), device());
    backend().indexSelect(src.view(), d, idx.view(), out.storage.buffer());
    if (dim() == 0) {
      out = out.reshapeRawTo(index.dim() == 0 ? new long[0] : new long[] {1});
    }
    Shape in = shape;
    Tensor fi = idx;
    return record("IndexSelectBackward0", out, in(this), in(fi),
        g -> {
          Tensor z = zeros(in.rank() == 0 ? Shape.of(1) : in, g[0].dtype(), g[0].device());
          Tensor gg = g[0].contiguous().reshape(z.shape().rank() == 0 ? new long[] {1} : nd);
          z.backend().indexAdd(z.storage.buffer(), z.shape.intDims(), d, fi.view(), gg.view());
          return new Tensor[] {z.reshape(in.dims())};
        });
  }

  private Tensor reshapeRawTo(long[] dims) {
    storage.retain();
    return new Tensor(storage, Shape.of(dims), Shape.of(dims).contiguousStrides(), offset);
  }

  private Tensor gatherRaw(int d, Tensor index) {
    Tensor out = allocate(index.shape, dtype(), device());
    backend().gather(view(), d, index.view(), out.storage.buffer());
    return out;
  }

  /**
   * {@code out[i][j] = x[i][index[i][j]]} for dim 1, in general rank ({@code torch.gather}). Each
   * index must lie in {@code [0, size(dim))}; a negative one throws {@link
   * IndexOutOfBoundsException} ("index -1 is out of bounds for dimension 0 with size 5").
   */
  public Tensor gather(int dim, Tensor index) {
    checkSameDevice("gather", this, index);
    if (index.dtype() != DType.INT64) {
      throw new IllegalArgumentException("gather(): Expected dtype int64 for index");
    }
    int d = Shape.normalizeDim(dim, dim());
    if (index.dim() != dim()) {
      throw new ShapeMismatchException(
          "Index tensor must have the same number of dimensions as input tensor (index "
              + index.shape + ", input " + shape + ")");
    }
    for (int i = 0; i < dim(); i++) {
      if (i != d && index.size(i) > size(i)) {
        throw new ShapeMismatchException(
            "Size does not match at dimension " + i + " expected index " + index.shape
                + " to be smaller than self " + shape + " apart from dimension " + d);
      }
    }
    Tensor out = gatherRaw(d, index);
    Shape in = shape;
    return record("GatherBackward0", out, in(this), in(index),
        g -> {
          Tensor z = zeros(in, g[0].dtype(), g[0].device());
          z.backend().scatterAdd(z.storage.buffer(), in.intDims(), d, index.view(), g[0].view());
          return new Tensor[] {z};
        });
  }

  // ------------------------------------------------------------------ in-place

  private void checkInPlace(String op, Tensor... others) {
    if (!GradMode.isEnabled()) {
      return;
    }
    boolean othersRequire = false;
    for (Tensor o : others) {
      othersRequire |= o != null && o.requiresGrad;
    }
    if (isLeaf() && requiresGrad) {
      throw new IllegalStateException(
          "a leaf Variable that requires grad is being used in an in-place operation. (" + op + ")");
    }
    if (viewBase != null && (viewBase.requiresGrad || requiresGrad || othersRequire)) {
      if (viewBase.isLeaf() && viewBase.requiresGrad) {
        throw new IllegalStateException(
            "a view of a leaf Variable that requires grad is being used in an in-place operation. ("
                + op + ")");
      }
      if (requiresGrad || othersRequire) {
        throw new UnsupportedOperationException(
            op + ": in-place modification of a view that is part of an autograd graph is not"
                + " supported by jnn; use the out-of-place op");
      }
    }
  }

  /** Writes {@code src} (broadcast, cast) into this tensor's elements without autograd. */
  private void copyRaw(Tensor src) {
    checkSameDevice("copy_", this, src);
    backend().copy(src.broadcastView(shape), view());
  }

  /** Replaces this tensor's values by {@code result}'s and takes over its autograd history. */
  private Tensor commitInPlace(Tensor result) {
    copyRaw(result);
    storage.bumpVersion();
    if (result.gradFn != null) {
      storage.bumpHistoryVersion();
      this.gradFn = result.gradFn;
      this.outputNr = result.outputNr;
      this.requiresGrad = true;
      this.retainsGrad = false;
    }
    return this;
  }

  private boolean recordsInPlace(Tensor... others) {
    return anyRequiresGrad(others) || (GradMode.isEnabled() && requiresGrad);
  }

  /** In-place add without autograd bookkeeping (used for gradient accumulation). */
  void addInPlaceRaw(Tensor other) {
    checkSameDevice("add_", this, other);
    backend().binary(BinaryOp.ADD, view(), other.broadcastView(shape), view());
    storage.bumpVersion();
  }

  private void checkInPlaceShape(String op, Tensor other) {
    Shape b = Shape.broadcast(shape, other.shape, op);
    if (!b.equals(shape)) {
      throw new ShapeMismatchException(
          op + ": output with shape " + shape + " doesn't match the broadcast shape " + b);
    }
    DType rt = resultType(this, other);
    // PyTorch's canCast: only a cast to a lower category (float -> int, int -> bool) is refused
    if (category(rt) > category(dtype())) {
      throw new IllegalArgumentException(
          "result type " + scalarTypeName(rt) + " can't be cast to the desired output type "
              + scalarTypeName(dtype()));
    }
  }

  /** PyTorch's ScalarType name used in its messages ("Float", "Double", "Long", "Bool"). */
  static String scalarTypeName(DType d) {
    return switch (d) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  private Tensor inPlaceBinary(String op, BinaryOp bop, Tensor other) {
    checkInPlace(op, other);
    checkInPlaceShape(op, other);
    if (bop == BinaryOp.DIV && !isFloatingPoint()) {
      // true division: the result type is floating (torch.tensor([3]).div_(2) fails)
      throw new IllegalArgumentException(
          "result type Float can't be cast to the desired output type " + scalarTypeName(dtype()));
    }
    if (recordsInPlace(other)) {
      Tensor self = clone();
      Tensor r =
          switch (bop) {
            case ADD -> self.add(other);
            case SUB -> self.sub(other);
            case MUL -> self.mul(other);
            case DIV -> self.div(other);
            default -> throw new IllegalArgumentException(op);
          };
      return commitInPlace(r.dtype() == dtype() ? r : r.to(dtype()));
    }
    checkSameDevice(op, this, other);
    Tensor o = other.dtype() == dtype() ? other : other.toRaw(dtype());
    backend().binary(bop, view(), o.broadcastView(shape), view());
    storage.bumpVersion();
    return this;
  }

  /** {@code t.add_(other)}. */
  public Tensor addInPlace(Tensor other) {
    return inPlaceBinary("add_", BinaryOp.ADD, other);
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
    return inPlaceBinary("sub_", BinaryOp.SUB, other);
  }

  /** {@code t.mul_(other)}. */
  public Tensor mulInPlace(Tensor other) {
    return inPlaceBinary("mul_", BinaryOp.MUL, other);
  }

  /** {@code t.mul_(s)}. */
  public Tensor mulInPlace(double s) {
    return mulInPlace(wrapScalar(s));
  }

  /** {@code t.div_(other)}. */
  public Tensor divInPlace(Tensor other) {
    return inPlaceBinary("div_", BinaryOp.DIV, other);
  }

  /** {@code t.div_(s)}. */
  public Tensor divInPlace(double s) {
    return divInPlace(wrapScalar(s));
  }

  /** {@code t.fill_(v)}. */
  public Tensor fill(double value) {
    return fillImpl("fill_", "FillBackward2", value);
  }

  /** {@code t.zero_()}. */
  public Tensor zero() {
    return fillImpl("zero_", "ZeroBackward0", 0.0);
  }

  private Tensor fillImpl(String op, String nodeName, double value) {
    checkInPlace(op);
    backend().fill(view(), value);
    storage.bumpVersion();
    if (GradMode.isEnabled() && requiresGrad && gradFn != null) {
      // the new values do not depend on the old ones: the history gets zeros (as in PyTorch)
      Tensor r = record(nodeName, zerosLike(this).detach(), in(this), NONE,
          g -> new Tensor[] {zerosLike(g[0])});
      storage.bumpHistoryVersion();
      this.gradFn = r.gradFn;
      this.outputNr = 0;
    }
    return this;
  }

  /** {@code t.copy_(src)}: copies values (broadcast, cast, across devices) into this tensor. */
  public Tensor copyFrom(Tensor src) {
    checkInPlace("copy_", src);
    Shape b = Shape.broadcast(shape, src.shape, "copy_");
    if (!b.equals(shape)) {
      throw new ShapeMismatchException(
          "copy_: the size of src " + src.shape + " must be broadcastable to " + shape);
    }
    Tensor s = src.device().equals(device()) ? src : src.to(device());
    if (recordsInPlace(src)) {
      // PyTorch's CopyBackwards: the gradient goes to src (summed over broadcast dims, cast back
      // to its dtype); this tensor's old history, whose values were overwritten, gets zeros
      Tensor out = allocate(shape, dtype(), device());
      backend().copy(s.broadcastView(shape), out.view());
      Tensor r = record("CopyBackwards", out, in(this, s), NONE,
          g -> new Tensor[] {zerosLike(g[0]), gradFor(g[0], s)});
      return commitInPlace(r);
    }
    copyRaw(s);
    storage.bumpVersion();
    return this;
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
}
