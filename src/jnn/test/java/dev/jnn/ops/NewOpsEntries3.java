package dev.jnn.ops;

import static dev.jnn.ops.Sample.bool;
import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.ties;

import dev.jnn.core.DType;
import dev.jnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Registry entries of issue 17 item 7's scatter batch (scatter, scatter with reduce,
 * scatter_reduce), in their own file beside {@link NewOpsEntries2}; {@link OpRegistry#all()}
 * appends them before sealing.
 *
 * <p>Plain scatter leaves repeated indices unspecified (PyTorch), so its samples never repeat an
 * index along the scattered dim: the index is one element long there, or a permutation (argsort
 * of a constant input, narrowed).
 */
final class NewOpsEntries3 {
  private NewOpsEntries3() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    scatter(r);
    scatterReduce(r);
    indexPut(r);
    fixes(r);
  }

  // ---------------------------------------------------------------- index_put
  // inputs: self, the indices, values (last); without accumulation the samples never repeat an
  // element (a bool mask, or one index element), as PyTorch leaves repeats unspecified

  private static void indexPut(List<OpInfo> r) {
    op(r, "index_put").torch("torch.index_put(a[0], tuple(a[1:-1]), a[-1], accumulate)")
        .java("Tensor.indexPut(Tensor[],Tensor,boolean)",
            a -> {
              List<Tensor> t = a.tensors();
              return t.get(0).indexPut(t.subList(1, t.size() - 1).toArray(new Tensor[0]),
                  t.get(t.size() - 1), a.b("accumulate"));
            })
        .samples(
            Sample.of(n(3, 4), index(3, 5), n(5, 4)).kw("accumulate", true),
            Sample.of(n(3, 4), index(3, 2, 1), index(4, 1, 3), n(2, 3)).kw("accumulate", true),
            Sample.of(n(3, 4), index(3, 2, 1), index(4, 1, 3), n(3)).kw("accumulate", true),
            Sample.of(n(2, 3, 4), index(2, 3), index(3, 3), n(3, 4)).kw("accumulate", true),
            Sample.of(n(4, 3).transposed(), index(4, 3), n(3, 3).transposed())
                .kw("accumulate", true),
            Sample.of(n(3, 4), bool(3, 4), n(1)).kw("accumulate", false),
            Sample.of(n(3, 4), bool(3), n(4)).kw("accumulate", false),
            Sample.of(n(3, 4), index(3, 1), n(1, 4)).kw("accumulate", false),
            Sample.of(n(2, 3, 4), index(2, 1), index(3, 1), n(4)).kw("accumulate", false),
            Sample.of(n(3, 4), index(3, 0), n(4)).kw("accumulate", false),
            Sample.of(index(5, 3, 4), index(3, 2), index(4, 2), index(5, 2))
                .kw("accumulate", true))
        .errors(
            Sample.of(n(3, 4), index(3, 2), index(4, 2), index(4, 2), n(2))
                .kw("accumulate", false),
            Sample.of(n(3, 4), n(2), n(4)).kw("accumulate", false),
            Sample.of(n(3, 4), index(3, 2), index(4, 3), n(1)).kw("accumulate", false),
            Sample.of(n(3, 4), index(3, 2), index(4, 2), n(3)).kw("accumulate", true),
            Sample.of(n(3, 4), index(100, 2), n(4)).kw("accumulate", true),
            Sample.of(n(3, 4), index(3, 2), index(100, 2), n(2)).kw("accumulate", false),
            Sample.of(n(3, 4), bool(2, 4), n(1)).kw("accumulate", false),
            Sample.of(n(3, 4), index(3, 2), index(4, 2), index(5, 2)).kw("accumulate", false));
  }

  /** The entry already named {@code name} (an earlier family's). */
  private static OpInfo find(List<OpInfo> r, String name) {
    return r.stream().filter(o -> o.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no registry entry " + name));
  }

  private static Sample kw(Object... kv) {
    Sample s = Sample.of();
    for (int i = 0; i < kv.length; i += 2) {
      s.kw((String) kv[i], kv[i + 1]);
    }
    return s;
  }

  /** A float keyword argument sent as a string (JSON has no NaN or inf; Python's float reads it). */
  private static double f(Args a, String k) {
    return Double.parseDouble(a.s(k));
  }

  // ---------------------------------------------------------------- expand, arange fixes

  private static void fixes(List<OpInfo> r) {
    // several mismatching dims: PyTorch scans from the last and names it; -1 in a new leading dim
    find(r, "expand").errors(
        Sample.of(n(2, 3)).kw("shape", new int[] {4, 5}),
        Sample.of(n(2, 3)).kw("shape", new int[] {-1, 2, 3}),
        Sample.of(n(2, 3)).kw("shape", new int[] {-1, 4, 5}),
        Sample.of(n(2, 3)).kw("shape", new int[] {3, -1}));
    find(r, "arange").errors(kw("end", -1));
    op(r, "arange.dtype")
        .torch("torch.arange(float(start), float(end), float(step), dtype=getattr(torch, dtype))")
        .java("Tensor.arange(double,double,double,DType)",
            a -> Tensor.arange(f(a, "start"), f(a, "end"), f(a, "step"),
                DType.valueOf(a.s("dtype").toUpperCase())))
        .notDifferentiable()
        .samples(kw("start", "0.0", "end", "1.0", "step", "0.3", "dtype", "float32"),
            kw("start", "1.0", "end", "-1.0", "step", "-0.25", "dtype", "float64"),
            kw("start", "-1.5", "end", "2.0", "step", "1.0", "dtype", "int64"),
            kw("start", "10.0", "end", "0.0", "step", "-3.0", "dtype", "int64"),
            kw("start", "2.0", "end", "2.0", "step", "1.0", "dtype", "float32"))
        .errors(kw("start", "0.0", "end", "5.0", "step", "0.0", "dtype", "float32"),
            // step before range (the old Tensor.arange checked the range first)
            kw("start", "0.0", "end", "Infinity", "step", "0.0", "dtype", "float64"),
            kw("start", "0.0", "end", "NaN", "step", "1.0", "dtype", "float32"),
            kw("start", "0.0", "end", "5.0", "step", "-0.5", "dtype", "float64"),
            kw("start", "0.0", "end", "1.0", "step", "0.3", "dtype", "int64"),
            kw("start", "0.0", "end", "Infinity", "step", "1.0", "dtype", "int64"),
            kw("start", "0.0", "end", "5.0", "step", "1.0", "dtype", "bool"));
  }

  /** The index of a sample: a[1], or argsort(a[3], dim) narrowed to "perm" when that is not 0. */
  private static Tensor idx(Args a) {
    if (a.i("perm") > 0) {
      int d = a.i("dim");
      return a.t(3).argsort(d, false).narrow(d, 0, a.i("perm"));
    }
    return a.t(1);
  }

  private static final String TORCH_IDX =
      "(torch.argsort(a[3], dim).narrow(dim, 0, perm) if perm else a[1])";

  private static void scatter(List<OpInfo> r) {
    op(r, "scatter").torch("torch.scatter(a[0], dim, " + TORCH_IDX + ", a[2])")
        .java("Tensor.scatter(int,Tensor,Tensor)", a -> a.t(0).scatter(a.i("dim"), idx(a), a.t(2)))
        .samples(
            Sample.of(n(4, 3), index(4, 1, 3), n(1, 3)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(3, 5).transposed(), index(5, 3, 1), n(3, 1)).kw("dim", -1).kw("perm", 0),
            Sample.of(n(4, 4), index(4, 1, 4), n(1, 4).transposed()).kw("dim", 0).kw("perm", 0),
            // a permutation along dim 0: every row of self written once at most
            Sample.of(n(5, 3), index(1, 1, 1), n(3, 3), n(5, 3).constant()).kw("dim", 0)
                .kw("perm", 3),
            Sample.of(n(2, 4), index(1, 1, 1), n(2, 4), n(2, 4).constant()).kw("dim", 1)
                .kw("perm", 4),
            Sample.of(n(), index(1), n()).kw("dim", 0).kw("perm", 0),
            Sample.of(n(2, 3), index(2, 0, 3), n(0, 3)).kw("dim", 0).kw("perm", 0),
            // src larger than index (a constant: PyTorch's src gradient would have index's shape)
            Sample.of(n(3, 4), index(3, 1, 4), n(2, 5).constant()).kw("dim", 0).kw("perm", 0),
            Sample.of(index(9, 4, 3), index(4, 1, 3), index(7, 1, 3)).kw("dim", 0).kw("perm", 0))
        .errors(
            Sample.of(n(2, 3), index(2, 1, 3), n(1, 3)).kw("dim", 2).kw("perm", 0),
            Sample.of(n(2, 3), n(1, 3), n(1, 3)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(2, 3), index(2, 1, 3), index(3, 1, 3)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(2, 3), index(2, 3), n(1, 3)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(2, 3), index(2, 1, 4), n(1, 4)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(2, 3), index(2, 2, 3), n(1, 3)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(2, 3), index(2, 1, 3), n(3)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(2, 3), index(100, 1, 3), n(1, 3)).kw("dim", 0).kw("perm", 0),
            Sample.of(n(3, 3), index(100, 3, 1), n(3, 1)).kw("dim", 1).kw("perm", 0));
    op(r, "scatter.value").torch("torch.scatter(a[0], dim, a[1], value)")
        .java("Tensor.scatter(int,Tensor,double)",
            a -> a.t(0).scatter(a.i("dim"), a.t(1), a.d("value")))
        .samples(
            Sample.of(n(4, 3), index(4, 2, 3)).kw("dim", 0).kw("value", 1.5),
            Sample.of(n(3, 4).transposed(), index(4, 3, 2)).kw("dim", 1).kw("value", -2.0),
            Sample.of(n(), index(1)).kw("dim", 0).kw("value", 0.25),
            Sample.of(n(2, 3), index(2, 0, 3)).kw("dim", 0).kw("value", 3.0),
            Sample.of(index(9, 4, 3), index(4, 2, 3)).kw("dim", 0).kw("value", 1.5))
        .errors(
            Sample.of(n(2, 3), n(1, 3)).kw("dim", 0).kw("value", 1.0),
            Sample.of(n(2, 3), index(2, 1, 4)).kw("dim", 0).kw("value", 1.0),
            Sample.of(n(2, 3), index(100, 1, 3)).kw("dim", 0).kw("value", 1.0));
    op(r, "scatter.reduce").torch("torch.scatter(a[0], dim, a[1], a[2], reduce=reduce)")
        .java("Tensor.scatter(int,Tensor,Tensor,String)",
            a -> a.t(0).scatter(a.i("dim"), a.t(1), a.t(2), a.s("reduce")))
        // PyTorch 1.13 records NotImplemented: backward raises, so no gradient to compare
        .notDifferentiable()
        .samples(
            Sample.of(n(3, 4), index(3, 5, 4), n(5, 4)).kw("dim", 0).kw("reduce", "add"),
            Sample.of(n(3, 4), index(3, 5, 4), n(5, 4)).kw("dim", 0).kw("reduce", "multiply"),
            Sample.of(n(4, 3).transposed(), index(3, 4, 6), n(4, 6)).kw("dim", 1)
                .kw("reduce", "add"),
            Sample.of(index(9, 3, 4), index(3, 5, 4), index(5, 5, 4)).kw("dim", 0)
                .kw("reduce", "multiply"))
        .errors(
            Sample.of(n(3, 4), index(3, 5, 4), n(5, 4)).kw("dim", 0).kw("reduce", "mean"),
            Sample.of(n(3, 4), index(3, 5, 5), n(5, 4)).kw("dim", 0).kw("reduce", "mean"));
    op(r, "scatter.value_reduce").torch("torch.scatter(a[0], dim, a[1], value, reduce=reduce)")
        .java("Tensor.scatter(int,Tensor,double,String)",
            a -> a.t(0).scatter(a.i("dim"), a.t(1), a.d("value"), a.s("reduce")))
        .notDifferentiable()
        .samples(
            Sample.of(n(3, 4), index(3, 5, 4)).kw("dim", 0).kw("value", 0.5).kw("reduce", "add"),
            Sample.of(n(3, 4), index(4, 3, 5)).kw("dim", 1).kw("value", -1.5)
                .kw("reduce", "multiply"),
            Sample.of(index(9, 3, 4), index(3, 5, 4)).kw("dim", 0).kw("value", 2.0)
                .kw("reduce", "multiply"))
        .errors(
            Sample.of(n(3, 4), index(3, 5, 4)).kw("dim", 0).kw("value", 0.5).kw("reduce", "sum"));
  }

  private static final String[] REDUCES = {"sum", "prod", "mean", "amax", "amin"};

  private static void scatterReduce(List<OpInfo> r) {
    List<Sample> s = new ArrayList<>();
    for (String red : REDUCES) {
      for (boolean inc : new boolean[] {true, false}) {
        s.add(Sample.of(n(3, 4), index(3, 5, 4), n(5, 4)).kw("dim", 0).kw("reduce", red)
            .kw("include_self", inc));
        // ties (integers -2..2: zeros for prod, equal maxima for amax/amin)
        s.add(Sample.of(ties(3, 4), index(3, 5, 4), ties(5, 4)).kw("dim", 0).kw("reduce", red)
            .kw("include_self", inc).nonSmooth());
      }
      s.add(Sample.of(n(4, 3).transposed(), index(3, 4, 6), n(4, 6).transposed()).kw("dim", 1)
          .kw("reduce", red).kw("include_self", true));
      s.add(Sample.of(index(9, 3, 4), index(3, 5, 4), index(7, 5, 4)).kw("dim", 0)
          .kw("reduce", red).kw("include_self", red.equals("mean")));
    }
    s.add(Sample.of(n(), index(1), n()).kw("dim", 0).kw("reduce", "prod").kw("include_self", true));
    s.add(Sample.of(n(2, 3), index(2, 0, 3), n(0, 3)).kw("dim", 0).kw("reduce", "amax")
        .kw("include_self", false));
    s.add(Sample.of(n(2, 3, 2), index(3, 2, 4, 2), n(2, 4, 2)).kw("dim", 1).kw("reduce", "mean")
        .kw("include_self", false));
    op(r, "scatter_reduce")
        .torch("torch.scatter_reduce(a[0], dim, a[1], a[2], reduce, include_self=include_self)")
        .java("Tensor.scatterReduce(int,Tensor,Tensor,String,boolean)",
            a -> a.t(0).scatterReduce(a.i("dim"), a.t(1), a.t(2), a.s("reduce"),
                a.b("include_self")))
        .samples(s)
        .errors(
            Sample.of(n(3, 4), index(3, 5, 4), n(5, 4)).kw("dim", 0).kw("reduce", "add")
                .kw("include_self", true),
            Sample.of(n(3, 4), index(3, 5, 4), index(3, 5, 4)).kw("dim", 0).kw("reduce", "sum")
                .kw("include_self", true),
            Sample.of(n(3, 4), index(3, 5, 5), n(5, 5)).kw("dim", 0).kw("reduce", "sum")
                .kw("include_self", true),
            Sample.of(n(3, 4), index(100, 2, 4), n(2, 4)).kw("dim", 0).kw("reduce", "amax")
                .kw("include_self", false));
    op(r, "scatter_reduce.include_self")
        .torch("torch.scatter_reduce(a[0], dim, a[1], a[2], reduce)")
        .java("Tensor.scatterReduce(int,Tensor,Tensor,String)",
            a -> a.t(0).scatterReduce(a.i("dim"), a.t(1), a.t(2), a.s("reduce")))
        .samples(Sample.of(n(3, 4), index(3, 5, 4), n(5, 4)).kw("dim", 0).kw("reduce", "amin"))
        .errors(Sample.of(n(3, 4), index(3, 5, 4), n(5, 4)).kw("dim", 0).kw("reduce", "max"));
  }
}
