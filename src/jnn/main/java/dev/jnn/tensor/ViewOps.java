package dev.jnn.tensor;

import static dev.jnn.tensor.Autograd.NONE;
import static dev.jnn.tensor.Autograd.gradFor;
import static dev.jnn.tensor.Autograd.in;
import static dev.jnn.tensor.Autograd.record;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.core.ShapeMismatchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Views and shape ops: view/reshape/flatten, permute/transpose, squeeze/unsqueeze, expand,
 * narrow/slice/select, contiguous/clone, and the ops built from them (cat, stack, split, chunk,
 * unbind, flip, roll, repeat, meshgrid). Views share the storage and remember their base. The
 * public entry points are {@link Tensor}'s methods of the same names (documented there).
 */
final class ViewOps {
  private ViewOps() {}

  private static Tensor makeView(Tensor self, Shape s, long[] st, long off) {
    self.storage.retain();
    Tensor t = new Tensor(self.storage, s, st, off);
    t.viewBase = self.viewBase != null ? self.viewBase : self;
    t.viewHistoryVersion = self.storage.historyVersion();
    return t;
  }

  private static long[] inferShape(Tensor self, String op, long[] dims) {
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
        || (infer >= 0 && (known == 0 || self.numel() % known != 0))
        || (infer < 0 && known != self.numel())) {
      throw new ShapeMismatchException(
          "shape '" + Arrays.toString(dims) + "' is invalid for input of size " + self.numel()
              + " (" + op + ": input shape " + self.shape + ")");
    }
    if (infer >= 0) {
      d[infer] = self.numel() / known;
    }
    return d;
  }

  /** Computes view strides for a reshape without copying, or null if impossible (PyTorch's computeStride). */
  private static long[] viewStrides(Tensor self, long[] newDims) {
    long[] oldDims = self.shape.dims();
    long[] oldStrides = self.strides;
    long[] ns = new long[newDims.length];
    if (self.numel() == 0) {
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

  static Tensor view(Tensor self, long... dims) {
    long[] d = inferShape(self, "view", dims);
    long[] st = viewStrides(self, d);
    if (st == null) {
      throw new IllegalStateException(
          "view size is not compatible with input tensor's size and stride (at least one dimension"
              + " spans across two contiguous subspaces). Use .reshape(...) instead. (input "
              + self.shape
              + " with strides "
              + Arrays.toString(self.strides)
              + ", requested "
              + Arrays.toString(dims)
              + ")");
    }
    Tensor out = makeView(self, Shape.of(d), st, self.offset);
    Shape in = self.shape;
    return record("ViewBackward0", out, in(self), NONE,
        g -> new Tensor[] {g[0].reshape(in.dims())});
  }

  static Tensor reshape(Tensor self, long... dims) {
    long[] d = inferShape(self, "reshape", dims);
    if (viewStrides(self, d) != null) {
      return self.view(d);
    }
    return self.contiguous().view(d);
  }

  static Tensor flatten(Tensor self, int startDim, int endDim) {
    if (self.dim() == 0) {
      return self.reshape(1);
    }
    int s = Shape.normalizeDim(startDim, self.dim());
    int e = Shape.normalizeDim(endDim, self.dim());
    if (s > e) {
      throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
    }
    long[] d = new long[self.dim() - (e - s)];
    int k = 0;
    for (int i = 0; i < s; i++) {
      d[k++] = self.size(i);
    }
    long p = 1;
    for (int i = s; i <= e; i++) {
      p *= self.size(i);
    }
    d[k++] = p;
    for (int i = e + 1; i < self.dim(); i++) {
      d[k++] = self.size(i);
    }
    return self.reshape(d);
  }

  static Tensor permuteRaw(Tensor self, int[] perm) {
    long[] d = new long[perm.length];
    long[] st = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      d[i] = self.shape.get(perm[i]);
      st[i] = self.strides[perm[i]];
    }
    Tensor t = new Tensor(self.storage, Shape.of(d), st, self.offset);
    self.storage.retain();
    t.viewBase = self.viewBase != null ? self.viewBase : self;
    t.viewHistoryVersion = self.storage.historyVersion();
    return t;
  }

  static Tensor permute(Tensor self, int... dims) {
    if (dims.length != self.dim()) {
      throw new IllegalArgumentException(
          "permute(sparse_coo): number of dimensions in the tensor input does not match the length"
              + " of the desired ordering of dimensions i.e. input.dim() = "
              + self.dim()
              + " is not equal to len(dims) = "
              + dims.length);
    }
    int[] p = new int[dims.length];
    boolean[] seen = new boolean[dims.length];
    for (int i = 0; i < dims.length; i++) {
      p[i] = Shape.normalizeDim(dims[i], self.dim());
      if (seen[p[i]]) {
        throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
      }
      seen[p[i]] = true;
    }
    Tensor out = permuteRaw(self, p);
    int[] inv = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      inv[p[i]] = i;
    }
    return record("PermuteBackward0", out, in(self), NONE, g -> new Tensor[] {g[0].permute(inv)});
  }

  static Tensor transposeRaw(Tensor self, int d0, int d1) {
    int a = Shape.normalizeDim(d0, self.dim());
    int b = Shape.normalizeDim(d1, self.dim());
    int[] p = new int[self.dim()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    p[a] = b;
    p[b] = a;
    return permuteRaw(self, p);
  }

  static Tensor transpose(Tensor self, int dim0, int dim1) {
    if (self.dim() < 2 && self.dim() > 0) {
      Shape.normalizeDim(dim0, self.dim());
      Shape.normalizeDim(dim1, self.dim());
    }
    if (self.dim() == 0) {
      return self;
    }
    Tensor out = transposeRaw(self, dim0, dim1);
    return record("TransposeBackward0", out, in(self), NONE,
        g -> new Tensor[] {g[0].transpose(dim0, dim1)});
  }

  static Tensor t(Tensor self) {
    if (self.dim() > 2) {
      throw new IllegalArgumentException(
          "t() expects a tensor with <= 2 dimensions, but self is " + self.dim() + "D");
    }
    return self.dim() < 2 ? self : self.transpose(0, 1);
  }

  static Tensor contiguousRaw(Tensor self) {
    Tensor out = Tensor.allocateUninit(self.shape, self.dtype(), self.device());
    self.backend().copy(self.view(), out.view());
    return out;
  }

  static Tensor contiguous(Tensor self) {
    if (self.isContiguous()) {
      return self;
    }
    Tensor out = contiguousRaw(self);
    return record("CloneBackward0", out, in(self), NONE, g -> new Tensor[] {g[0]});
  }

  static Tensor clone(Tensor self) {
    Tensor out = contiguousRaw(self);
    return record("CloneBackward0", out, in(self), NONE, g -> new Tensor[] {g[0]});
  }

  static Tensor squeeze(Tensor self) {
    List<Long> d = new ArrayList<>();
    for (long x : self.shape.dims()) {
      if (x != 1) {
        d.add(x);
      }
    }
    return reshapeView(self, d.stream().mapToLong(Long::longValue).toArray(), "SqueezeBackward0");
  }

  static Tensor squeeze(Tensor self, int dim) {
    if (self.dim() == 0) {
      Shape.normalizeDim(dim, 0);
      return self;
    }
    int d = Shape.normalizeDim(dim, self.dim());
    if (self.size(d) != 1) {
      return self;
    }
    long[] nd = new long[self.dim() - 1];
    for (int i = 0, k = 0; i < self.dim(); i++) {
      if (i != d) {
        nd[k++] = self.size(i);
      }
    }
    return reshapeView(self, nd, "SqueezeBackward1");
  }

  static Tensor unsqueeze(Tensor self, int dim) {
    int d = Shape.normalizeDim(dim, self.dim() + 1);
    long[] nd = new long[self.dim() + 1];
    for (int i = 0, k = 0; i < nd.length; i++) {
      nd[i] = i == d ? 1 : self.size(k++);
    }
    return reshapeView(self, nd, "UnsqueezeBackward0");
  }

  private static Tensor reshapeView(Tensor self, long[] nd, String nodeName) {
    long[] st = viewStrides(self, nd);
    Tensor out = makeView(
        self, Shape.of(nd), st == null ? Shape.of(nd).contiguousStrides() : st, self.offset);
    Shape in = self.shape;
    return record(nodeName, out, in(self), NONE, g -> new Tensor[] {g[0].reshape(in.dims())});
  }

  static Tensor expand(Tensor self, long... dims) {
    if (dims.length < self.dim()) {
      throw new IllegalArgumentException(
          "expand(" + self.shape + ", size=" + Arrays.toString(dims)
              + "): the number of sizes provided (" + dims.length
              + ") must be greater or equal to the number of dimensions in the tensor ("
              + self.dim() + ")");
    }
    // PyTorch's infer_expand_geometry: one scan from the last dim, so that the first error found
    // (and named) is the last mismatching dim
    long[] target = dims.clone();
    int lead = dims.length - self.dim();
    long[] st = new long[target.length]; // longs: an expanded view may exceed any kernel's reach
    for (int i = target.length - 1; i >= 0; i--) {
      int j = i - lead;
      long size = j >= 0 ? self.size(j) : 1;
      long stride = j >= 0 ? self.strides[j] : 0;
      if (target[i] == -1) {
        if (j < 0) {
          throw new IllegalArgumentException("The expanded size of the tensor (-1) isn't allowed in"
              + " a leading, non-existing dimension " + i);
        }
        target[i] = size;
      }
      if (size != target[i]) {
        if (size != 1) {
          throw new ShapeMismatchException(
              "The expanded size of the tensor (" + target[i] + ") must match the existing size ("
                  + size + ") at non-singleton dimension " + i + ".  Target sizes: "
                  + Arrays.toString(dims) + ".  Tensor sizes: " + self.shape);
        }
        stride = 0;
      }
      st[i] = stride;
    }
    Shape ts = Shape.of(target);
    if (ts.equals(self.shape)) {
      return self;
    }
    try {
      ts.numel();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "numel: integer multiplication overflow (expand: " + self.shape + " to " + ts + ")");
    }
    Tensor out = makeView(self, ts, st, self.offset);
    Shape in = self.shape;
    return record("ExpandBackward0", out, in(self), NONE,
        g -> new Tensor[] {Tensor.sumToShape(g[0], in)});
  }

  static Tensor narrow(Tensor self, int dim, long start, long length) {
    if (self.dim() == 0) {
      throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
    }
    int d = Shape.normalizeDim(dim, self.dim());
    long sz = self.size(d);
    if (start < 0) {
      start += sz;
    }
    if (start < 0 || length < 0 || start + length > sz) {
      throw new IndexOutOfBoundsException(
          "start (" + start + ") + length (" + length + ") exceeds dimension size (" + sz + ").");
    }
    return self.slice(d, start, start + length, 1);
  }

  static Tensor slice(Tensor self, int dim, long start, long end, long step) {
    if (step <= 0) {
      throw new IllegalArgumentException("slice step must be positive");
    }
    int d = Shape.normalizeDim(dim, self.dim());
    long sz = self.size(d);
    long s = start < 0 ? Math.max(0, start + sz) : Math.min(start, sz);
    long e = end < 0 ? Math.max(0, end + sz) : Math.min(end, sz);
    long len = e > s ? (e - s + step - 1) / step : 0;
    long[] nd = self.shape.dims();
    nd[d] = len;
    long[] st = self.strides.clone();
    st[d] = self.strides[d] * step;
    Tensor out = makeView(self, Shape.of(nd), st, self.offset + s * self.strides[d]);
    Shape in = self.shape;
    DType dt = self.dtype();
    long fs = s;
    return record("SliceBackward0", out, in(self), NONE,
        g -> {
          Tensor z = Tensor.zeros(in, g[0].dtype(), g[0].device());
          InPlaceOps.copyRaw(sliceRaw(z, d, fs, len, step), g[0]);
          return new Tensor[] {z};
        });
  }

  private static Tensor sliceRaw(Tensor self, int d, long s, long len, long step) {
    long[] nd = self.shape.dims();
    nd[d] = len;
    long[] st = self.strides.clone();
    st[d] = self.strides[d] * step;
    self.storage.retain();
    return new Tensor(self.storage, Shape.of(nd), st, self.offset + s * self.strides[d]);
  }

  static Tensor select(Tensor self, int dim, long index) {
    if (self.dim() == 0) {
      throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
    }
    int d = Shape.normalizeDim(dim, self.dim());
    long sz = self.size(d);
    if (index < -sz || index >= sz) {
      throw new IndexOutOfBoundsException(
          "select(): index " + index + " out of range for tensor of size " + self.shape
              + " at dimension " + d);
    }
    long i = index < 0 ? index + sz : index;
    long[] nd = new long[self.dim() - 1];
    long[] st = new long[self.dim() - 1];
    for (int k = 0, j = 0; k < self.dim(); k++) {
      if (k != d) {
        nd[j] = self.shape.get(k);
        st[j++] = self.strides[k];
      }
    }
    Tensor out = makeView(self, Shape.of(nd), st, self.offset + i * self.strides[d]);
    Shape in = self.shape;
    return record("SelectBackward0", out, in(self), NONE,
        g -> {
          Tensor z = Tensor.zeros(in, g[0].dtype(), g[0].device());
          InPlaceOps.copyRaw(sliceRaw(z, d, i, 1, 1), g[0].unsqueeze(d));
          return new Tensor[] {z};
        });
  }

  static Tensor get(Tensor self, long i) {
    if (self.dim() == 0) {
      throw new IndexOutOfBoundsException(
          "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()`"
              + " in C++ to convert a 0-dim tensor to a number");
    }
    long n = self.size(0);
    if (i < -n || i >= n) {
      throw new IndexOutOfBoundsException(
          "index " + i + " is out of bounds for dimension 0 with size " + n);
    }
    return self.select(0, i);
  }

  static Tensor cat(List<Tensor> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
    }
    Tensor first = tensors.get(0);
    int d = Shape.normalizeDim(dim, first.dim());
    DType dt = first.dtype();
    long total = 0;
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      Checks.checkSameDevice("cat", first, t);
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
    Tensor out = Tensor.allocate(Shape.of(nd), dt, first.device());
    long pos = 0;
    long[] starts = new long[tensors.size()];
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      starts[i] = pos;
      InPlaceOps.copyRaw(sliceRaw(out, d, pos, t.size(d), 1), t);
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

  static Tensor stack(List<Tensor> tensors, int dim) {
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

  static List<Tensor> split(Tensor self, int splitSize, int dim) {
    if (self.dim() == 0) {
      throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
    }
    if (splitSize < 0) {
      throw new IllegalArgumentException(
          "split expects split_size be non-negative, but got split_size=" + splitSize);
    }
    int d = Shape.normalizeDim(dim, self.dim());
    long sz = self.size(d);
    if (splitSize == 0 && sz != 0) {
      throw new IllegalArgumentException(
          "split_size can only be 0 if dimension size is 0, but got dimension size of " + sz);
    }
    long n = splitSize == 0 ? 1 : Math.max((sz + splitSize - 1) / splitSize, 1);
    long[] lengths = new long[Math.toIntExact(n)];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = Math.min(splitSize, sz - (long) i * splitSize);
    }
    return pieces(self, d, lengths, "SplitBackward0");
  }

  /**
   * Consecutive narrow views of {@code self} along {@code d}, all with one backward node
   * {@code name} that concatenates their gradients, as PyTorch's split does (a NarrowBackward0
   * per piece would allocate a zero tensor of the whole input for each piece).
   */
  private static List<Tensor> pieces(Tensor self, int d, long[] lengths, String name) {
    Tensor[] outs = new Tensor[lengths.length];
    try (var ng = NoGrad.enter()) {
      long start = 0;
      for (int i = 0; i < lengths.length; i++) {
        outs[i] = self.narrow(d, start, lengths[i]);
        start += lengths[i];
      }
    }
    if (outs.length > 0) {
      Autograd.recordMulti(name, outs, in(self), NONE,
          g -> new Tensor[] {Tensor.cat(Arrays.asList(g), d)});
    }
    return new ArrayList<>(Arrays.asList(outs));
  }

  static List<Tensor> split(Tensor self, long[] sizes, int dim) {
    if (self.dim() == 0) {
      throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
    }
    int d = Shape.normalizeDim(dim, self.dim());
    long sz = self.size(d);
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
    return pieces(self, d, sizes.clone(), "SplitWithSizesBackward0");
  }

  static List<Tensor> chunk(Tensor self, int chunks, int dim) {
    if (self.dim() == 0) {
      throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
    }
    if (chunks <= 0) {
      throw new IllegalArgumentException(
          "chunk expects `chunks` to be greater than 0, got: " + chunks);
    }
    int d = Shape.normalizeDim(dim, self.dim());
    long sz = self.size(d);
    if (sz == 0) {
      // PyTorch 1.13: an empty dim gives `chunks` empty pieces
      List<Tensor> out = new ArrayList<>();
      for (int i = 0; i < chunks; i++) {
        out.add(self.narrow(d, 0, 0));
      }
      return out;
    }
    return self.split((int) ((sz + chunks - 1) / chunks), d);
  }

  static List<Tensor> unbind(Tensor self, int dim) {
    if (self.dim() == 0) {
      throw new IndexOutOfBoundsException(
          "Dimension specified as " + dim + " but tensor has no dimensions");
    }
    int d = Shape.normalizeDim(dim, self.dim());
    int n = Math.toIntExact(self.size(d));
    Tensor[] outs = new Tensor[n];
    // the slices are views; one UnbindBackward0 node stacks their gradients, as PyTorch does
    // (a SelectBackward0 per slice would allocate a zero tensor of the whole input for each)
    try (var ng = NoGrad.enter()) {
      for (int i = 0; i < n; i++) {
        outs[i] = self.select(d, i);
      }
    }
    if (n > 0) {
      Autograd.recordMulti("UnbindBackward0", outs, in(self), NONE,
          g -> new Tensor[] {Tensor.stack(Arrays.asList(g), d)});
    }
    return new ArrayList<>(Arrays.asList(outs));
  }

  static Tensor flip(Tensor self, int... dims) {
    boolean[] seen = new boolean[Math.max(self.dim(), 1)];
    for (int dm : dims) {
      int d = Shape.normalizeDim(dm, self.dim());
      if (seen[d]) {
        throw new IllegalArgumentException("dim " + d + " appears multiple times in the list of dims");
      }
      seen[d] = true;
    }
    Tensor out = self;
    if (self.dim() == 0) {
      return self.clone();
    }
    for (int d = 0; d < self.dim(); d++) {
      if (seen[d] && self.size(d) > 1) {
        long n = self.size(d);
        out = out.indexSelect(d, Tensor.arange(n - 1, -1, -1, DType.INT64).to(self.device()));
      }
    }
    return out == self ? self.clone() : out;
  }

  static Tensor roll(Tensor self, int shifts, int dim) {
    if (self.dim() == 0) {
      throw new IndexOutOfBoundsException(
          "Dimension specified as " + dim + " but tensor has no dimensions");
    }
    int d = Shape.normalizeDim(dim, self.dim());
    long n = self.size(d);
    if (n == 0) {
      return self.clone();
    }
    long s = Math.floorMod((long) shifts, n);
    if (s == 0) {
      return self.clone();
    }
    return cat(List.of(self.narrow(d, n - s, s), self.narrow(d, 0, n - s)), d);
  }

  static Tensor repeat(Tensor self, long... sizes) {
    if (sizes.length < self.dim()) {
      throw new IllegalArgumentException(
          "Number of dimensions of repeat dims can not be smaller than number of dimensions of"
              + " tensor");
    }
    int k = sizes.length;
    int lead = k - self.dim();
    long[] padded = new long[k];
    long[] split = new long[2 * k];
    long[] expanded = new long[2 * k];
    long[] target = new long[k];
    for (int i = 0; i < k; i++) {
      padded[i] = i < lead ? 1 : self.size(i - lead);
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
    return self.reshape(split).expand(expanded).reshape(target);
  }

  static List<Tensor> meshgrid(List<Tensor> tensorList, String indexing) {
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
}
