package dev.jnn.tensor;

import java.util.List;

/**
 * The shape and indexing ops of {@link Tensor}: views ({@code view}, {@code reshape}, {@code
 * permute}, {@code transpose}, {@code squeeze}, {@code expand}, {@code narrow}, {@code slice},
 * {@code select}, ...), splitting and tiling ({@code split}, {@code chunk}, {@code unbind},
 * {@code flip}, {@code roll}, {@code repeat}, {@code repeatInterleave}), indexing with tensors
 * ({@code indexSelect}, {@code gather}, {@code scatter}, {@code scatterReduce}, {@code indexPut})
 * and masking ({@code maskedFill}, {@code maskedSelect}); PyTorch's docs list them under
 * "Indexing, Slicing, Joining, Mutating Ops". Joining is static: {@link Tensor#cat}, {@link
 * Tensor#stack}, {@link Tensor#meshgrid}; {@link Tensor#clone()} stays on the class, because an
 * interface cannot declare {@code clone()}.
 *
 * <p>One of the facade interfaces that {@link Tensor} implements, one per family of ops, so that
 * its methods can be read by family (as PyTorch's documentation groups them) and no file of the
 * facade grows past about 1,000 lines. It is sealed to {@code Tensor}: users never implement it
 * and never need to name it, since every method is called on a {@code Tensor} ({@code
 * x.view(2, 3)}, {@code Tensor::flatten}) and a subclass of {@code Tensor} may override any of
 * them. Each method is one line into the package's op family that holds the op's body (here
 * {@code ViewOps}, {@code IndexOps}, {@code ScatterOps}, {@code MaskOps}); see "Op families" in
 * docs/ARCHITECTURE.md.
 */
public sealed interface TensorShaping permits Tensor {
  /** This object as the {@link Tensor} it is (the only permitted implementation). */
  private Tensor self() {
    return (Tensor) this;
  }

  // ------------------------------------------------------------------ views (ViewOps)

  /** A view with a new shape; fails when the strides do not allow it ({@code t.view}). */
  default Tensor view(long... dims) {
    return ViewOps.view(self(), dims);
  }

  /** A view when possible, else a copy ({@code t.reshape}). */
  default Tensor reshape(long... dims) {
    return ViewOps.reshape(self(), dims);
  }

  /** Flattens all dims into one ({@code t.flatten()}). */
  default Tensor flatten() {
    return flatten(0, -1);
  }

  /** Flattens dims {@code startDim..} to the last ({@code t.flatten(start_dim)}). */
  default Tensor flatten(int startDim) {
    return flatten(startDim, -1);
  }

  /** Flattens dims {@code startDim..endDim} ({@code torch.flatten}). */
  default Tensor flatten(int startDim, int endDim) {
    return ViewOps.flatten(self(), startDim, endDim);
  }

  /** Reorders dims ({@code t.permute}). */
  default Tensor permute(int... dims) {
    return ViewOps.permute(self(), dims);
  }

  /** Swaps two dims ({@code t.transpose}). */
  default Tensor transpose(int dim0, int dim1) {
    return ViewOps.transpose(self(), dim0, dim1);
  }

  /** Transpose of a matrix of at most 2 dims ({@code t.t()}). */
  default Tensor t() {
    return ViewOps.t(self());
  }

  /** This tensor when contiguous, else a contiguous copy. */
  default Tensor contiguous() {
    return ViewOps.contiguous(self());
  }

  /** Removes all size-1 dims. */
  default Tensor squeeze() {
    return ViewOps.squeeze(self());
  }

  /** Removes dim {@code dim} if it has size 1. */
  default Tensor squeeze(int dim) {
    return ViewOps.squeeze(self(), dim);
  }

  /** Inserts a size-1 dim at {@code dim}. */
  default Tensor unsqueeze(int dim) {
    return ViewOps.unsqueeze(self(), dim);
  }

  /** Broadcasts size-1 dims to {@code dims} without copying; -1 keeps a dim ({@code t.expand}). */
  default Tensor expand(long... dims) {
    return ViewOps.expand(self(), dims);
  }

  /** Expands to {@code other}'s shape. */
  default Tensor expandAs(Tensor other) {
    return expand(other.shape.dims());
  }

  /** {@code length} elements of {@code dim} from {@code start}, as a view ({@code t.narrow}). */
  default Tensor narrow(int dim, long start, long length) {
    return ViewOps.narrow(self(), dim, start, length);
  }

  /** {@code t[..., start:end:step, ...]} along {@code dim} as a view; bounds are clamped like Python. */
  default Tensor slice(int dim, long start, long end, long step) {
    return ViewOps.slice(self(), dim, start, end, step);
  }

  /** {@code t[index]} along {@code dim}: removes the dim ({@code t.select}). */
  default Tensor select(int dim, long index) {
    return ViewOps.select(self(), dim, index);
  }

  /** {@code t[i]} (first dim), with the errors of PyTorch 1.13's indexing (not select()'s). */
  default Tensor get(long i) {
    return ViewOps.get(self(), i);
  }

  // ------------------------------------------------------- splitting and tiling (ViewOps, MaskOps)

  /** Splits {@code dim} into pieces of {@code splitSize} (the last may be smaller) ({@code torch.split}). */
  default List<Tensor> split(int splitSize, int dim) {
    return ViewOps.split(self(), splitSize, dim);
  }

  /** Splits {@code dim} into pieces of the given {@code sizes} ({@code torch.split} with a list). */
  default List<Tensor> split(long[] sizes, int dim) {
    return ViewOps.split(self(), sizes, dim);
  }

  /** Splits {@code dim} into at most {@code chunks} equal pieces ({@code torch.chunk}). */
  default List<Tensor> chunk(int chunks, int dim) {
    return ViewOps.chunk(self(), chunks, dim);
  }

  /** The slices along {@code dim}, each without that dim ({@code torch.unbind}). */
  default List<Tensor> unbind(int dim) {
    return ViewOps.unbind(self(), dim);
  }

  /** Reverses the order of elements along {@code dims} ({@code torch.flip}). */
  default Tensor flip(int... dims) {
    return ViewOps.flip(self(), dims);
  }

  /** Rotates the elements of {@code dim} by {@code shifts} places, wrapping around ({@code torch.roll}). */
  default Tensor roll(int shifts, int dim) {
    return ViewOps.roll(self(), shifts, dim);
  }

  /** Tiles the tensor {@code sizes[i]} times along each dim ({@code t.repeat}). */
  default Tensor repeat(long... sizes) {
    return ViewOps.repeat(self(), sizes);
  }

  /** Each element repeated {@code repeats} times, flattened ({@code torch.repeat_interleave(x, r)}). */
  default Tensor repeatInterleave(long repeats) {
    return MaskOps.repeatInterleave(self(), new long[] {repeats}, null);
  }

  /** Each slice along {@code dim} repeated {@code repeats} times ({@code torch.repeat_interleave}). */
  default Tensor repeatInterleave(long repeats, int dim) {
    return MaskOps.repeatInterleave(self(), new long[] {repeats}, dim);
  }

  /** Slice {@code i} along {@code dim} repeated {@code repeats[i]} times (int64 0-d or 1-d). */
  default Tensor repeatInterleave(Tensor repeats, int dim) {
    return MaskOps.repeatInterleave(self(), repeats, dim);
  }

  // ------------------------------------------- indexing, gather and scatter (IndexOps, ScatterOps)

  /**
   * Rows of {@code dim} picked by a 1-D int64 {@code index} ({@code torch.index_select}). Each
   * index must lie in {@code [0, size(dim))}: negative indices do not count from the end (as in
   * PyTorch) and throw {@link IndexOutOfBoundsException} with PyTorch's text (on CUDA at the next
   * synchronising call, like PyTorch's device-side checks).
   */
  default Tensor indexSelect(int dim, Tensor index) {
    return IndexOps.indexSelect(self(), dim, index);
  }

  /**
   * {@code out[i][j] = x[i][index[i][j]]} for dim 1, in general rank ({@code torch.gather}). Each
   * index must lie in {@code [0, size(dim))}; a negative one throws {@link
   * IndexOutOfBoundsException} ("index -1 is out of bounds for dimension 0 with size 5").
   */
  default Tensor gather(int dim, Tensor index) {
    return IndexOps.gather(self(), dim, index);
  }

  /**
   * {@code torch.scatter(this, dim, index, src)}: a copy of this tensor with {@code
   * out[i][index[i][j][k]][k] = src[i][j][k]} (dim = 1 case). index is int64 of this tensor's rank,
   * no larger than src in any dim nor than this tensor apart from {@code dim}; src has this tensor's
   * dtype. With repeated indices the element written is unspecified (as in PyTorch; the CPU writes
   * the last in index order). Index values outside {@code [0, size(dim))} raise {@link
   * IndexOutOfBoundsException}.
   */
  default Tensor scatter(int dim, Tensor index, Tensor src) {
    return ScatterOps.scatter(self(), dim, index, src);
  }

  /** {@code torch.scatter(this, dim, index, value)}: writes {@code value} at the indices. */
  default Tensor scatter(int dim, Tensor index, double value) {
    return ScatterOps.scatter(self(), dim, index, value);
  }

  /**
   * {@code torch.scatter(this, dim, index, src, reduce=reduce)} with {@code reduce} {@code "add"}
   * or {@code "multiply"}. As in PyTorch 1.13 it has no derivative: backward through it raises.
   */
  default Tensor scatter(int dim, Tensor index, Tensor src, String reduce) {
    return ScatterOps.scatter(self(), dim, index, src, reduce);
  }

  /** {@code torch.scatter(this, dim, index, value, reduce=reduce)} ("add" or "multiply"). */
  default Tensor scatter(int dim, Tensor index, double value, String reduce) {
    return ScatterOps.scatter(self(), dim, index, value, reduce);
  }

  /**
   * {@code torch.scatter_reduce(this, dim, index, src, reduce, include_self=includeSelf)}: src's
   * elements reduced into a copy of this tensor at the indices, {@code reduce} one of {@code "sum"},
   * {@code "prod"}, {@code "mean"} (int64: floor division), {@code "amax"}, {@code "amin"}; with
   * {@code includeSelf} false the indexed elements of this tensor are left out of the reduction.
   * Differentiable in this tensor and src (PyTorch's formulas: prod with zeros computed
   * explicitly, amax/amin share the gradient evenly among ties).
   */
  default Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
    return ScatterOps.scatterReduce(self(), dim, index, src, reduce, includeSelf);
  }

  /** {@code torch.scatter_reduce(this, dim, index, src, reduce)} (include_self = true). */
  default Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce) {
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
  default Tensor indexPut(Tensor[] indices, Tensor values, boolean accumulate) {
    return ScatterOps.indexPut(self(), indices, values, accumulate);
  }

  // ------------------------------------------------------------------ masking (MaskOps)

  /** {@code value} where {@code mask} (bool, broadcast) is true ({@code x.masked_fill(mask, value)}). */
  default Tensor maskedFill(Tensor mask, double value) {
    return MaskOps.maskedFill(self(), mask, value);
  }

  /** {@code x.masked_fill(mask, value)} with a 0-d tensor {@code value}; differentiable in it. */
  default Tensor maskedFill(Tensor mask, Tensor value) {
    return MaskOps.maskedFill(self(), mask, value);
  }

  /** The elements where the bool {@code mask} (broadcast) is true, as 1-D ({@code torch.masked_select}). */
  default Tensor maskedSelect(Tensor mask) {
    return MaskOps.maskedSelect(self(), mask);
  }
}
