package dev.jnn.ops;

import static dev.jnn.ops.Sample.bool;
import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.nz;

import dev.jnn.core.DType;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * Registry entries of issue 17 item 7's fifth batch (bmm, baddbmm, einsum; factories; integer and
 * bool inputs of the unary math ops), in their own file beside {@link NewOpsEntries};
 * {@link OpRegistry#all()} appends them before sealing.
 */
final class NewOpsEntries2 {
  private NewOpsEntries2() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    batched(r);
    factories(r);
    norms(r);
    integerAndBoolInputs(r);
    functional(r);
  }

  /** The entry already named {@code name} (an earlier family's). */
  private static OpInfo find(List<OpInfo> r, String name) {
    return r.stream().filter(o -> o.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no registry entry " + name));
  }

  // ---------------------------------------------------------------- bmm, baddbmm, einsum

  private static Tensor[] all(Args a) {
    return a.tensors().toArray(new Tensor[0]);
  }

  private static Sample eq(String equation, Sample.Input... inputs) {
    return Sample.of(inputs).kw("eq", equation);
  }

  private static void batched(List<OpInfo> r) {
    op(r, "bmm").torch("torch.bmm(a[0], a[1])")
        .java("Tensor.bmm(Tensor)", a -> a.t(0).bmm(a.t(1)))
        .samples(
            Sample.of(n(2, 3, 4), n(2, 4, 5)),
            Sample.of(n(2, 3, 4).transposed(), n(2, 4, 5).transposed()),
            Sample.of(n(1, 1, 3), n(1, 3, 1)),
            Sample.of(n(0, 3, 4), n(0, 4, 5)),
            Sample.of(n(2, 3, 0), n(2, 0, 5)),
            Sample.of(index(5, 2, 3, 4), index(5, 2, 4, 2)))
        .errors(
            Sample.of(n(3, 4), n(2, 4, 5)),
            Sample.of(n(2, 3, 4), n(4, 5)),
            Sample.of(n(2, 3, 4), n(3, 4, 5)),
            Sample.of(n(2, 3, 4), n(2, 5, 5)),
            Sample.of(index(3, 2, 3, 4), n(2, 4, 5)));
    op(r, "baddbmm").torch("torch.baddbmm(a[0], a[1], a[2])")
        .java("Tensor.baddbmm(Tensor,Tensor)", a -> a.t(0).baddbmm(a.t(1), a.t(2)))
        .samples(
            Sample.of(n(2, 3, 5), n(2, 3, 4), n(2, 4, 5)),
            Sample.of(n(5), n(2, 3, 4).transposed(), n(2, 4, 5)),
            Sample.of(n(3, 1), n(2, 3, 4), n(2, 4, 5).transposed()),
            Sample.of(n(0, 3, 5), n(0, 3, 4), n(0, 4, 5)),
            Sample.of(n(2, 3, 5), n(2, 3, 0), n(2, 0, 5)),
            Sample.of(index(5, 2, 3, 2), index(5, 2, 3, 4), index(5, 2, 4, 2)))
        .errors(
            Sample.of(n(2, 3, 4), n(2, 3, 4), n(2, 4, 5)),
            // 1.13 expands the input to [b1.size(0), b1.size(1), b2.size(2)] before the 3-D checks
            Sample.of(n(2, 3, 5), n(2, 4), n(2, 4, 5)),
            Sample.of(n(2, 3, 5), n(2, 3, 4), n(2, 5, 5)),
            Sample.of(n(2, 3, 5), n(2, 3, 4), n(3, 4, 5)),
            Sample.of(n(2, 3, 5), n(2, 3, 4), n(2, 4)));
    op(r, "baddbmm.scaled").torch("torch.baddbmm(a[0], a[1], a[2], beta=beta, alpha=alpha)")
        .java("Tensor.baddbmm(Tensor,Tensor,double,double)",
            a -> a.t(0).baddbmm(a.t(1), a.t(2), a.d("beta"), a.d("alpha")))
        .samples(
            Sample.of(n(2, 3, 5), n(2, 3, 4), n(2, 4, 5)).kw("beta", 0.5).kw("alpha", -1.5),
            Sample.of(n(1, 3, 5), n(2, 3, 4).transposed(), n(2, 4, 5)).kw("beta", 2.0)
                .kw("alpha", 1.0),
            // beta = 0: the input is ignored (its gradient is zero)
            Sample.of(n(2, 3, 5), n(2, 3, 4), n(2, 4, 5)).kw("beta", 0.0).kw("alpha", 2.0),
            Sample.of(n(2, 3, 5), n(2, 3, 4), n(2, 4, 5)).kw("beta", 1.0).kw("alpha", 0.0),
            Sample.of(index(5, 2, 3, 2), index(5, 2, 3, 4), index(5, 2, 4, 2)).kw("beta", 2)
                .kw("alpha", 3))
        .errors(Sample.of(n(2, 3, 5), n(2, 3, 4), n(2, 5, 5)).kw("beta", 0.5).kw("alpha", 2.0));
    op(r, "einsum").torch("torch.einsum(eq, *a)")
        .java("Tensor.einsum(String,Tensor[])", a -> Tensor.einsum(a.s("eq"), all(a)))
        .samples(
            eq("bij,bjk->bik", n(2, 3, 4), n(2, 4, 5)),
            eq("ij,jk", n(3, 4).transposed(), n(4, 2)),
            eq("ij->ji", n(3, 4)),
            eq("ji", n(3, 4).transposed()),
            eq("ii->i", n(3, 3)),
            eq("ii", n(4, 4).transposed()),
            eq("iij->ji", n(2, 2, 3)),
            eq("iji->j", n(3, 2, 3)),
            eq("ij->", n(3, 4)),
            eq("ij->j", n(3, 4)),
            eq("i,i", n(5), n(5)),
            eq("i,j->ij", n(3), n(4)),
            eq("ij,ij->ij", n(2, 3), n(1, 3)),
            eq("ij,kj->", n(2, 3), n(1, 3)),
            eq("...ij,...jk", n(2, 3, 4), n(4, 5)),
            eq("b...i,i...->...b", n(2, 3, 4), n(4, 3)),
            eq("bn,anm,bm->ba", n(2, 3), n(4, 3, 5), n(2, 5)),
            eq("bi,ij,bj->b", n(3, 4), n(4, 5), n(3, 5)),
            eq(" Ab , bC -> AC ", n(2, 3), n(3, 4)),
            eq("...", n(2, 3)),
            eq("->", n()),
            eq("i,->i", n(3), n()),
            eq("ij,jk->ik", n(0, 3), n(3, 4)),
            eq("ij,jk->ik", n(2, 0), n(0, 4)),
            eq("ij,jk", index(4, 2, 3), index(4, 3, 4)))
        .errors(
            eq("ij,jk->ik"),
            eq("ij,jk->ik", n(2, 3)),
            eq("ij->ij", n(2, 3), n(3, 4)),
            eq("i.j", n(2, 3)),
            eq("...i...->i", n(2, 3)),
            eq("i1", n(2, 3)),
            eq("ijk", n(2, 3)),
            eq("...ijk", n(2, 3)),
            eq("ij->k", n(2, 3)),
            eq("ij->ii", n(2, 3)),
            eq("ij->i1", n(2, 3)),
            eq("ij->.....", n(2, 3)),
            eq("ij->..", n(2, 3)),
            eq("ij,jk", n(2, 3), n(4, 5)),
            eq("ii", n(2, 3)),
            eq("...i,...i", n(2, 3), n(4, 3)),
            eq("ij,jk", index(3, 2, 3), n(3, 4)));
  }

  // ---------------------------------------------------------------- arange, linspace, logspace
  // Factories take no tensor: their samples have no inputs (the CUDA parity suite skips them,
  // nothing to move), and kwargs keep Python's int/float distinction (Java Integer -> int,
  // Double -> float) that drives torch.arange's dtype inference.

  private static DType dtype(Args a) {
    return DType.valueOf(a.s("dtype").toUpperCase());
  }

  /** A float keyword argument sent as a string (JSON has no NaN or inf; Python's float reads it). */
  private static double f(Args a, String k) {
    return Double.parseDouble(a.s(k));
  }

  private static Sample kw(Object... kv) {
    Sample s = Sample.of();
    for (int i = 0; i < kv.length; i += 2) {
      s.kw((String) kv[i], kv[i + 1]);
    }
    return s;
  }

  private static void factories(List<OpInfo> r) {
    op(r, "arange").torch("torch.arange(end)")
        .java("Tensor.arange(long)", a -> Tensor.arange((long) a.i("end"))).notDifferentiable()
        // error inputs: NewOpsEntries3 (added once Tensor.arange(long) went through FactoryOps)
        .samples(kw("end", 5), kw("end", 0), kw("end", 1));
    op(r, "arange.float_end").torch("torch.arange(float(end))")
        .java("Tensor.arange(double)", a -> Tensor.arange(f(a, "end"))).notDifferentiable()
        .samples(kw("end", "5.0"), kw("end", "2.5"), kw("end", "0.0"))
        .errors(kw("end", "-1.5"), kw("end", "NaN"));
    op(r, "arange.start").torch("torch.arange(start, end)")
        .java("Tensor.arange(long,long)", a -> Tensor.arange((long) a.i("start"), a.i("end")))
        .notDifferentiable()
        .samples(kw("start", 1, "end", 4), kw("start", -3, "end", 2), kw("start", 2, "end", 2))
        .errors(kw("start", 3, "end", 1));
    op(r, "arange.start_float").torch("torch.arange(start, end)")
        .java("Tensor.arange(double,double)", a -> Tensor.arange(a.d("start"), a.d("end")))
        .notDifferentiable()
        .samples(kw("start", 0.5, "end", 2.0), kw("start", -1.25, "end", 3.0))
        .errors(kw("start", 3.0, "end", 1.0));
    op(r, "arange.start_step").torch("torch.arange(start, end, step)")
        .java("Tensor.arange(long,long,long)",
            a -> Tensor.arange((long) a.i("start"), a.i("end"), a.i("step")))
        .notDifferentiable()
        .samples(kw("start", 0, "end", 10, "step", 3), kw("start", 10, "end", 0, "step", -3),
            kw("start", -5, "end", 5, "step", 2))
        .errors(kw("start", 0, "end", 5, "step", 0), kw("start", 0, "end", 5, "step", -1));
    op(r, "arange.start_step_float").torch("torch.arange(float(start), float(end), float(step))")
        .java("Tensor.arange(double,double,double)",
            a -> Tensor.arange(f(a, "start"), f(a, "end"), f(a, "step")))
        .notDifferentiable()
        .samples(kw("start", "0.0", "end", "1.0", "step", "0.3"),
            kw("start", "0.0", "end", "10.0", "step", "2.5"),
            kw("start", "1.0", "end", "-1.0", "step", "-0.25"),
            kw("start", "-0.1", "end", "0.7", "step", "0.1"))
        .errors(kw("start", "0.0", "end", "5.0", "step", "0.0"),
            kw("start", "0.0", "end", "Infinity", "step", "1.0"),
            kw("start", "0.0", "end", "5.0", "step", "-0.5"),
            kw("start", "0.0", "end", "1e30", "step", "1e-30"));
    op(r, "linspace").torch("torch.linspace(float(start), float(end), steps)")
        .java("Tensor.linspace(double,double,long)",
            a -> Tensor.linspace(f(a, "start"), f(a, "end"), a.i("steps")))
        .notDifferentiable()
        .samples(kw("start", "0.0", "end", "1.0", "steps", 5),
            kw("start", "3.0", "end", "-1.0", "steps", 4),
            kw("start", "-2.5", "end", "7.25", "steps", 33),
            kw("start", "2.0", "end", "5.0", "steps", 1),
            kw("start", "0.0", "end", "1.0", "steps", 0),
            kw("start", "0.0", "end", "Infinity", "steps", 3))
        .errors(kw("start", "0.0", "end", "1.0", "steps", -1));
    op(r, "linspace.dtype").torch("torch.linspace(start, end, steps, dtype=getattr(torch, dtype))")
        .java("Tensor.linspace(double,double,long,DType)",
            a -> Tensor.linspace(a.d("start"), a.d("end"), a.i("steps"), dtype(a)))
        .notDifferentiable()
        .samples(kw("start", 0.0, "end", 1.0, "steps", 7, "dtype", "float64"),
            kw("start", 0.0, "end", 10.0, "steps", 7, "dtype", "int64"),
            kw("start", -5.0, "end", 5.0, "steps", 6, "dtype", "int64"),
            kw("start", 3.0, "end", 3.0, "steps", 1, "dtype", "int64"))
        .errors(kw("start", 0.0, "end", 1.0, "steps", 5, "dtype", "bool"));
    op(r, "logspace").torch("torch.logspace(start, end, steps)")
        .java("Tensor.logspace(double,double,long)",
            a -> Tensor.logspace(a.d("start"), a.d("end"), a.i("steps")))
        .notDifferentiable()
        .samples(kw("start", 0.0, "end", 2.0, "steps", 3),
            kw("start", -1.5, "end", 1.0, "steps", 6),
            kw("start", 2.0, "end", 5.0, "steps", 1),
            kw("start", 0.0, "end", 2.0, "steps", 0))
        .errors(kw("start", 0.0, "end", 1.0, "steps", -2));
    op(r, "logspace.base").torch("torch.logspace(start, end, steps, base=base)")
        .java("Tensor.logspace(double,double,long,double)",
            a -> Tensor.logspace(a.d("start"), a.d("end"), a.i("steps"), a.d("base")))
        .notDifferentiable()
        .samples(kw("start", 0.0, "end", 4.0, "steps", 5, "base", 2.0),
            kw("start", -1.0, "end", 2.0, "steps", 4, "base", -2.0),
            kw("start", 1.0, "end", 0.0, "steps", 5, "base", 0.5))
        .errors(kw("start", 0.0, "end", 1.0, "steps", -1, "base", 2.0));
    op(r, "logspace.dtype")
        .torch("torch.logspace(start, end, steps, base=base, dtype=getattr(torch, dtype))")
        .java("Tensor.logspace(double,double,long,double,DType)",
            a -> Tensor.logspace(a.d("start"), a.d("end"), a.i("steps"), a.d("base"), dtype(a)))
        .notDifferentiable()
        .samples(kw("start", 0.0, "end", 1.0, "steps", 5, "base", 10.0, "dtype", "int64"),
            kw("start", 0.0, "end", 3.0, "steps", 4, "base", 10.0, "dtype", "int64"),
            kw("start", -2.0, "end", 2.0, "steps", 9, "base", 3.0, "dtype", "float64"))
        .errors(kw("start", 0.0, "end", 1.0, "steps", 3, "base", 10.0, "dtype", "bool"));
  }

  // ---------------------------------------------------------------- norm with p = "fro" / "nuc"

  private static void norms(List<OpInfo> r) {
    op(r, "norm.str").torch("torch.norm(a[0], p=p)")
        .java("Tensor.norm(String)", a -> a.t(0).norm(a.s("p")))
        .samples(Sample.of(n(3, 4)).kw("p", "fro"), Sample.of(n(3, 4).transposed()).kw("p", "fro"),
            Sample.of(n(2, 3, 4)).kw("p", "fro"), Sample.of(n()).kw("p", "fro"),
            Sample.of(n(0, 3)).kw("p", "fro"))
        .errors(Sample.of(n(3, 4)).kw("p", "abc"), Sample.of(n(3)).kw("p", "nuc"),
            Sample.of(n(2, 3, 4)).kw("p", "nuc"), Sample.of(index(3, 2, 3)).kw("p", "fro"));
    op(r, "norm.str_dims").torch("torch.norm(a[0], p=p, dim=dims, keepdim=keepdim)")
        .java("Tensor.norm(String,int[],boolean)",
            a -> a.t(0).norm(a.s("p"), a.ints("dims"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("p", "fro").kw("dims", new int[] {1}).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("p", "fro").kw("dims", new int[] {0, 1}).kw("keepdim", false),
            Sample.of(n(2, 3, 4)).kw("p", "fro").kw("dims", new int[] {-1, 0})
                .kw("keepdim", true),
            Sample.of(n(3, 4).transposed()).kw("p", "fro").kw("dims", new int[] {0})
                .kw("keepdim", true),
            Sample.of(nz(2, 3, 4)).kw("p", "fro").kw("dims", new int[] {}).kw("keepdim", false),
            Sample.of(n(0, 3)).kw("p", "fro").kw("dims", new int[] {1}).kw("keepdim", false))
        .errors(
            Sample.of(n(2, 3, 4)).kw("p", "fro").kw("dims", new int[] {0, 1, 2})
                .kw("keepdim", false),
            Sample.of(n(3, 4)).kw("p", "fro").kw("dims", new int[] {1, -1}).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("p", "fro").kw("dims", new int[] {2}).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("p", "fro").kw("dims", new int[] {0, 2}).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("p", "nuc").kw("dims", new int[] {1}).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("p", "max").kw("dims", new int[] {1}).kw("keepdim", false));
  }

  // ---------------------------------------------------------------- int64 and bool inputs
  // Appended to the unary entries of OpRegistry (their earlier samples and cases are unchanged):
  // PyTorch 1.13 computes the floating math ops of an int64 or bool tensor in float32; abs, neg,
  // sign, relu and the rounding ops keep int64 (rounding an integer is the identity); sign of a
  // bool is a bool; the rounding ops, abs and relu refuse bool, neg refuses it with its own text.

  private static final String[] TO_FLOAT = {"sin", "cos", "tan", "asin", "acos", "atan", "sinh",
      "cosh", "tanh", "sigmoid", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "erf",
      "sqrt", "rsqrt", "reciprocal"};
  private static final String[] KEEP_INT_NO_BOOL = {"floor", "ceil", "round", "trunc", "abs",
      "relu"};

  private static void integerAndBoolInputs(List<OpInfo> r) {
    for (String name : TO_FLOAT) {
      find(r, name).samples(Sample.of(index(5, 2, 3)), Sample.of(index(3, 3, 4).transposed()),
          Sample.of(bool(2, 3)), Sample.of(bool()));
    }
    for (String name : KEEP_INT_NO_BOOL) {
      find(r, name).samples(Sample.of(index(5, 2, 3)), Sample.of(index(3, 3, 4).transposed()))
          .errors(Sample.of(bool(2, 3)));
    }
    find(r, "neg").samples(Sample.of(index(5, 2, 3))).errors(Sample.of(bool(2, 3)));
    find(r, "sign").samples(Sample.of(index(5, 2, 3)), Sample.of(bool(2, 3)));
    // meshgrid's texts and order, checked against 1.13 (an empty list, mixed dtypes)
    find(r, "meshgrid").errors(Sample.of().kw("indexing", "ij"),
        Sample.of(n(2), index(3, 3)).kw("indexing", "ij"),
        Sample.of(n(2), index(3, 3)).kw("indexing", "foo"));
  }

  // ---------------------------------------------------------------- Functional composites

  private static void functional(List<OpInfo> r) {
    op(r, "nn.functional.softsign").torch("F.softsign(a[0])")
        .java("Functional.softsign(Tensor)", a -> Functional.softsign(a.t(0)))
        .samples(Sample.of(n(2, 3)), Sample.of(nz(3, 4).transposed()), Sample.of(n()),
            Sample.of(n(0, 3)), Sample.of(index(5, 2, 3)));
    op(r, "nn.functional.tanhshrink").torch("F.tanhshrink(a[0])")
        .java("Functional.tanhshrink(Tensor)", a -> Functional.tanhshrink(a.t(0)))
        .samples(Sample.of(n(2, 3)), Sample.of(n(3, 4).transposed()), Sample.of(n()),
            Sample.of(n(0, 3)));
    op(r, "nn.functional.normalize").torch("F.normalize(a[0])")
        .java("Functional.normalize(Tensor)", a -> Functional.normalize(a.t(0)))
        .samples(Sample.of(n(3, 4)), Sample.of(n(3, 4).transposed()), Sample.of(n(2, 3, 4)))
        .errors(Sample.of(n(3)));
    op(r, "nn.functional.normalize.p").torch("F.normalize(a[0], p=p, dim=dim, eps=eps)")
        .java("Functional.normalize(Tensor,double,int,double)",
            a -> Functional.normalize(a.t(0), a.d("p"), a.i("dim"), a.d("eps")))
        .samples(
            Sample.of(nz(3, 4)).kw("p", 1.0).kw("dim", 0).kw("eps", 1e-12),
            Sample.of(n(2, 3, 4)).kw("p", 2.0).kw("dim", -1).kw("eps", 1e-12),
            Sample.of(n(3, 4).transposed()).kw("p", 3.0).kw("dim", 1).kw("eps", 1e-12),
            // eps above every norm: the clamp is active (zero gradient through the norm)
            Sample.of(n(3, 4)).kw("p", 2.0).kw("dim", 1).kw("eps", 10.0),
            Sample.of(n(0, 3)).kw("p", 2.0).kw("dim", 1).kw("eps", 1e-12))
        .errors(Sample.of(n(3, 4)).kw("p", 2.0).kw("dim", 2).kw("eps", 1e-12),
            Sample.of(index(3, 3, 4)).kw("p", 2.0).kw("dim", 1).kw("eps", 1e-12));
  }
}
