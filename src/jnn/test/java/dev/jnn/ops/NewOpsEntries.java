package dev.jnn.ops;

import static dev.jnn.ops.Sample.bool;
import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.nz;
import static dev.jnn.ops.Sample.p;
import static dev.jnn.ops.Sample.ties;
import static dev.jnn.ops.Sample.values;

import dev.jnn.core.DType;
import dev.jnn.nn.functional.Functional;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * Registry entries of issue 17 item 7's third batch (cumulative ops, logsumexp/std/norm, sorting
 * and selection), kept in their own file so that {@link OpRegistry}'s families stay as they are;
 * {@link OpRegistry#all()} appends them before sealing. Non-finite arguments (p = inf) travel as
 * strings: Java's {@code Double.parseDouble} and Python's {@code float} both read "Infinity".
 */
final class NewOpsEntries {
  private NewOpsEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  private static DType dtype(Args a) {
    return DType.valueOf(a.s("dtype").toUpperCase());
  }

  static void add(List<OpInfo> r) {
    cumulative(r);
    reductions(r);
    sorting(r);
    masking(r);
    binaryMath(r);
  }

  // ---------------------------------------------------------------- cumsum, cumprod

  private static void cumulative(List<OpInfo> r) {
    op(r, "cumsum").torch("torch.cumsum(a[0], dim)")
        .java("Tensor.cumsum(int)", a -> a.t(0).cumsum(a.i("dim")))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1),
            Sample.of(n(3, 4).transposed()).kw("dim", 0),
            Sample.of(n(2, 3, 5)).kw("dim", -1),
            Sample.of(n(17)).kw("dim", 0),
            Sample.of(n()).kw("dim", 0),
            Sample.of(n(0, 3)).kw("dim", 0),
            Sample.of(index(5, 2, 4)).kw("dim", 1),
            Sample.of(bool(5)).kw("dim", 0))
        .errors(Sample.of(n(2, 3)).kw("dim", 2), Sample.of(n()).kw("dim", 1));
    op(r, "cumsum.dtype").torch("torch.cumsum(a[0], dim, dtype=getattr(torch, dtype))")
        .java("Tensor.cumsum(int,DType)", a -> a.t(0).cumsum(a.i("dim"), dtype(a)))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1).kw("dtype", "float64"),
            Sample.of(n(4, 3).transposed()).kw("dim", 0).kw("dtype", "float64"),
            Sample.of(index(5, 2, 4)).kw("dim", 0).kw("dtype", "float32"))
        .errors(Sample.of(n(2, 3)).kw("dim", -3).kw("dtype", "float64"));
    op(r, "cumprod").torch("torch.cumprod(a[0], dim)")
        .java("Tensor.cumprod(int)", a -> a.t(0).cumprod(a.i("dim")))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1),
            Sample.of(nz(3, 4).transposed()).kw("dim", 0),
            Sample.of(n(2, 3, 5)).kw("dim", -1),
            Sample.of(p(11)).kw("dim", 0),
            Sample.of(n()).kw("dim", 0),
            Sample.of(n(0, 3)).kw("dim", 0),
            // zeros: the gradient's explicit-product path
            Sample.of(values(new double[] {1.5, 0, 2, -1, 0, 3, 0.5, -2, 0, 1.25, 2, -0.5}, 3, 4))
                .kw("dim", 1),
            Sample.of(ties(4, 5)).kw("dim", 0),
            Sample.of(index(3, 2, 4)).kw("dim", 1))
        .errors(Sample.of(n(2, 3)).kw("dim", 2), Sample.of(n()).kw("dim", -2));
    op(r, "cumprod.dtype").torch("torch.cumprod(a[0], dim, dtype=getattr(torch, dtype))")
        .java("Tensor.cumprod(int,DType)", a -> a.t(0).cumprod(a.i("dim"), dtype(a)))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1).kw("dtype", "float64"),
            Sample.of(n(4, 3).transposed()).kw("dim", 0).kw("dtype", "float64"),
            Sample.of(index(4, 2, 3)).kw("dim", 1).kw("dtype", "float32"))
        .errors(Sample.of(n(2, 3)).kw("dim", 3).kw("dtype", "float64"));
  }

  // ---------------------------------------------------------------- logsumexp, var/std, norm

  private static void reductions(List<OpInfo> r) {
    op(r, "logsumexp").torch("torch.logsumexp(a[0], dims, keepdim=keepdim)")
        .java("Tensor.logsumexp(int[],boolean)",
            a -> a.t(0).logsumexp(a.ints("dims"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("dims", new int[] {1}).kw("keepdim", false),
            Sample.of(n(2, 3, 4)).kw("dims", new int[] {0, 2}).kw("keepdim", true),
            Sample.of(n(3, 4).transposed()).kw("dims", new int[] {-1}).kw("keepdim", false),
            Sample.of(n()).kw("dims", new int[] {0}).kw("keepdim", false),
            Sample.of(n(0, 3)).kw("dims", new int[] {0}).kw("keepdim", false),
            Sample.of(n(0, 3)).kw("dims", new int[] {1}).kw("keepdim", true),
            // large magnitudes: exp overflows without the max shift
            Sample.of(values(new double[] {1000, 999, -1000, 88, 90, 89}, 2, 3))
                .kw("dims", new int[] {1}).kw("keepdim", false),
            Sample.of(index(5, 2, 3)).kw("dims", new int[] {1}).kw("keepdim", false))
        .errors(
            Sample.of(n(2, 3)).kw("dims", new int[] {2}).kw("keepdim", false),
            Sample.of(n(2, 3)).kw("dims", new int[] {0, 0}).kw("keepdim", false));
    op(r, "logsumexp.dim").torch("torch.logsumexp(a[0], dim, keepdim=keepdim)")
        .java("Tensor.logsumexp(int,boolean)", a -> a.t(0).logsumexp(a.i("dim"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 0).kw("keepdim", true),
            Sample.of(n(3, 4).transposed()).kw("dim", 1).kw("keepdim", false))
        .errors(Sample.of(n(2, 3)).kw("dim", -3).kw("keepdim", false));
    op(r, "var.unbiased").torch("torch.var(a[0], dims, unbiased=unbiased, keepdim=keepdim)")
        .java("Tensor.var(int[],boolean,boolean)",
            a -> a.t(0).var(a.ints("dims"), a.b("unbiased"), a.b("keepdim")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("dims", new int[] {0, 2}).kw("unbiased", false)
                .kw("keepdim", false),
            Sample.of(n(3, 4).transposed()).kw("dims", new int[] {1}).kw("unbiased", true)
                .kw("keepdim", true))
        .errors(Sample.of(n(2, 3)).kw("dims", new int[] {0, 0}).kw("unbiased", true)
            .kw("keepdim", false));
    op(r, "std").torch("torch.std(a[0])").java("Tensor.std()", a -> a.t(0).std())
        .samples(Sample.of(n(3, 4)), Sample.of(n(3, 4).transposed()), Sample.of(n(5)))
        .errors(Sample.of(index(3, 2, 3)));
    op(r, "std.correction")
        .torch("torch.std(a[0], dim=dims, correction=correction, keepdim=keepdim)")
        .java("Tensor.std(int[],int,boolean)",
            a -> a.t(0).std(a.ints("dims"), a.i("correction"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("dims", new int[] {1}).kw("correction", 1).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("dims", new int[] {0}).kw("correction", 0).kw("keepdim", true),
            Sample.of(n(2, 3, 4)).kw("dims", new int[] {0, 2}).kw("correction", 2)
                .kw("keepdim", false),
            Sample.of(n(3, 4).transposed()).kw("dims", new int[] {-1}).kw("correction", 1)
                .kw("keepdim", true))
        .errors(
            Sample.of(n(2, 3)).kw("dims", new int[] {2}).kw("correction", 1).kw("keepdim", false),
            Sample.of(n(2, 3)).kw("dims", new int[] {1, -1}).kw("correction", 1)
                .kw("keepdim", false));
    op(r, "std.unbiased").torch("torch.std(a[0], dims, unbiased=unbiased, keepdim=keepdim)")
        .java("Tensor.std(int[],boolean,boolean)",
            a -> a.t(0).std(a.ints("dims"), a.b("unbiased"), a.b("keepdim")))
        .samples(
            Sample.of(n(2, 3, 4)).kw("dims", new int[] {0, 1}).kw("unbiased", false)
                .kw("keepdim", true),
            Sample.of(n(3, 4).transposed()).kw("dims", new int[] {0}).kw("unbiased", true)
                .kw("keepdim", false))
        .errors(Sample.of(index(3, 2, 3)).kw("dims", new int[] {0}).kw("unbiased", true)
            .kw("keepdim", false));
    op(r, "std.dim").torch("torch.std(a[0], dim, unbiased=unbiased, keepdim=keepdim)")
        .java("Tensor.std(int,boolean,boolean)",
            a -> a.t(0).std(a.i("dim"), a.b("unbiased"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1).kw("unbiased", true).kw("keepdim", false),
            Sample.of(n(2, 3, 4)).kw("dim", 0).kw("unbiased", false).kw("keepdim", true),
            Sample.of(n(3, 4).transposed()).kw("dim", -1).kw("unbiased", true).kw("keepdim", false))
        .errors(Sample.of(n(2, 3)).kw("dim", 2).kw("unbiased", true).kw("keepdim", false));
    op(r, "norm").torch("torch.norm(a[0])").java("Tensor.norm()", a -> a.t(0).norm())
        .samples(Sample.of(n(3, 4)), Sample.of(n(3, 4).transposed()), Sample.of(n()),
            Sample.of(n(0, 3)))
        .errors(Sample.of(index(3, 2, 3)));
    op(r, "norm.p").torch("torch.norm(a[0], float(p))")
        .java("Tensor.norm(double)", a -> a.t(0).norm(Double.parseDouble(a.s("p"))))
        .samples(
            Sample.of(nz(3, 4)).kw("p", "1"),
            Sample.of(n(3, 4).transposed()).kw("p", "Infinity"),
            Sample.of(n(2, 3)).kw("p", "-Infinity"),
            Sample.of(n(2, 3)).kw("p", "3"),
            Sample.of(nz(2, 3)).kw("p", "1.5"),
            Sample.of(nz(2, 3)).kw("p", "0.5"),
            Sample.of(n(2, 3)).kw("p", "0"),
            Sample.of(n(2, 3)).kw("p", "2"),
            Sample.of(values(new double[] {1, -2, 2, 0.5, -0.25, 0}, 2, 3)).kw("p", "Infinity")
                .nonSmooth())
        .errors(Sample.of(index(3, 2, 3)).kw("p", "1"));
    op(r, "norm.dims").torch("torch.norm(a[0], float(p), dims, keepdim)")
        .java("Tensor.norm(double,int[],boolean)",
            a -> a.t(0).norm(Double.parseDouble(a.s("p")), a.ints("dims"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 4)).kw("p", "2").kw("dims", new int[] {1}).kw("keepdim", false),
            Sample.of(nz(3, 4)).kw("p", "1").kw("dims", new int[] {0}).kw("keepdim", true),
            Sample.of(n(3, 4)).kw("p", "Infinity").kw("dims", new int[] {-1}).kw("keepdim", false),
            Sample.of(n(2, 3, 4)).kw("p", "3").kw("dims", new int[] {0, 2}).kw("keepdim", false),
            Sample.of(n(3, 4).transposed()).kw("p", "2").kw("dims", new int[] {0})
                .kw("keepdim", true),
            Sample.of(n(2, 3, 4)).kw("p", "-Infinity").kw("dims", new int[] {1, 2})
                .kw("keepdim", true),
            Sample.of(n(0, 3)).kw("p", "2").kw("dims", new int[] {1}).kw("keepdim", false),
            Sample.of(n(0, 3)).kw("p", "2").kw("dims", new int[] {0}).kw("keepdim", false))
        .errors(
            Sample.of(n(2, 3)).kw("p", "2").kw("dims", new int[] {5}).kw("keepdim", false),
            Sample.of(n(2, 3)).kw("p", "2").kw("dims", new int[] {0, 0}).kw("keepdim", false),
            Sample.of(index(3, 2, 3)).kw("p", "2").kw("dims", new int[] {0}).kw("keepdim", false));
  }

  // ---------------------------------------------------------------- sort, topk, kthvalue

  private static void sorting(List<OpInfo> r) {
    op(r, "argmin").torch("torch.argmin(a[0])").java("Tensor.argmin()", a -> a.t(0).argmin())
        .notDifferentiable()
        .samples(Sample.of(n(3, 4)), Sample.of(n(3, 4).transposed()), Sample.of(ties(2, 5)),
            Sample.of(n()))
        .errors(Sample.of(n(0, 3)));
    // jnn's sort is always stable (a valid result for stable=False too); the samples of the plain
    // call have no ties, those with ties ask PyTorch for stable=True
    op(r, "sort").torch("torch.sort(a[0], dim, descending)")
        .java("Tensor.sort(int,boolean)", a -> a.t(0).sort(a.i("dim"), a.b("descending")))
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1).kw("descending", false),
            Sample.of(n(3, 4).transposed()).kw("dim", 0).kw("descending", true),
            Sample.of(n(2, 3, 4)).kw("dim", -1).kw("descending", true),
            Sample.of(n(9)).kw("dim", 0).kw("descending", false),
            Sample.of(n()).kw("dim", 0).kw("descending", false),
            Sample.of(n(0, 3)).kw("dim", 0).kw("descending", false))
        .errors(Sample.of(n(2, 3)).kw("dim", 2).kw("descending", false),
            Sample.of(n()).kw("dim", 1).kw("descending", false));
    // logged=True sorts log(x): the negative inputs give NaN, which sorts above +inf (the
    // registry's inputs are finite)
    op(r, "sort.stable")
        .torch("torch.sort(torch.log(a[0]) if logged else a[0], dim=dim, descending=descending,"
            + " stable=stable)")
        .java("Tensor.sort(int,boolean,boolean)",
            a -> (a.b("logged") ? a.t(0).log() : a.t(0))
                .sort(a.i("dim"), a.b("descending"), a.b("stable")))
        .samples(
            Sample.of(ties(3, 6)).kw("dim", 1).kw("descending", false).kw("stable", true)
                .kw("logged", false).nonSmooth(),
            Sample.of(ties(6, 3).transposed()).kw("dim", 0).kw("descending", true)
                .kw("stable", true).kw("logged", false).nonSmooth(),
            Sample.of(n(3, 4)).kw("dim", 1).kw("descending", true).kw("stable", false)
                .kw("logged", false),
            Sample.of(index(4, 3, 5)).kw("dim", 1).kw("descending", false).kw("stable", true)
                .kw("logged", false),
            Sample.of(n(3, 6)).kw("dim", 1).kw("descending", false).kw("stable", true)
                .kw("logged", true),
            Sample.of(n(3, 6)).kw("dim", 1).kw("descending", true).kw("stable", true)
                .kw("logged", true),
            Sample.of(n(0, 3)).kw("dim", 1).kw("descending", true).kw("stable", true)
                .kw("logged", false))
        .errors(Sample.of(n(2, 3)).kw("dim", -3).kw("descending", false).kw("stable", true)
            .kw("logged", false));
    op(r, "argsort").torch("torch.argsort(a[0], dim, descending)")
        .java("Tensor.argsort(int,boolean)", a -> a.t(0).argsort(a.i("dim"), a.b("descending")))
        .notDifferentiable()
        .samples(
            Sample.of(n(3, 4)).kw("dim", 1).kw("descending", false),
            Sample.of(n(3, 4).transposed()).kw("dim", 0).kw("descending", true),
            Sample.of(n()).kw("dim", 0).kw("descending", true),
            Sample.of(n(0, 3)).kw("dim", 1).kw("descending", false))
        .errors(Sample.of(n(2, 3)).kw("dim", 2).kw("descending", false));
    // sorted=False leaves PyTorch's order unspecified: those samples have k <= 1
    op(r, "topk").torch("torch.topk(a[0], k, dim, largest, sorted)")
        .java("Tensor.topk(int,int,boolean,boolean)",
            a -> a.t(0).topk(a.i("k"), a.i("dim"), a.b("largest"), a.b("sorted")))
        .samples(
            Sample.of(n(3, 5)).kw("k", 2).kw("dim", 1).kw("largest", true).kw("sorted", true),
            Sample.of(n(3, 5)).kw("k", 3).kw("dim", 1).kw("largest", false).kw("sorted", true),
            Sample.of(n(3, 5).transposed()).kw("k", 4).kw("dim", 1).kw("largest", true)
                .kw("sorted", true),
            Sample.of(n(2, 3, 4)).kw("k", 1).kw("dim", 0).kw("largest", true).kw("sorted", false),
            Sample.of(n(3, 4)).kw("k", 0).kw("dim", 1).kw("largest", true).kw("sorted", true),
            Sample.of(n()).kw("k", 1).kw("dim", 0).kw("largest", true).kw("sorted", true),
            Sample.of(n(0, 3)).kw("k", 2).kw("dim", 1).kw("largest", true).kw("sorted", true),
            Sample.of(index(7, 2, 5)).kw("k", 1).kw("dim", 1).kw("largest", false)
                .kw("sorted", true))
        .errors(
            Sample.of(n(3, 4)).kw("k", 5).kw("dim", 1).kw("largest", true).kw("sorted", true),
            Sample.of(n(3, 4)).kw("k", -1).kw("dim", 1).kw("largest", true).kw("sorted", true),
            Sample.of(n(3, 4)).kw("k", 1).kw("dim", 3).kw("largest", true).kw("sorted", true),
            Sample.of(n()).kw("k", 2).kw("dim", 0).kw("largest", true).kw("sorted", true));
    op(r, "kthvalue").torch("torch.kthvalue(a[0], k, dim, keepdim)")
        .java("Tensor.kthvalue(int,int,boolean)",
            a -> a.t(0).kthvalue(a.i("k"), a.i("dim"), a.b("keepdim")))
        .samples(
            Sample.of(n(3, 5)).kw("k", 2).kw("dim", 1).kw("keepdim", false),
            Sample.of(n(3, 5).transposed()).kw("k", 4).kw("dim", 1).kw("keepdim", true),
            Sample.of(n(2, 3, 4)).kw("k", 1).kw("dim", 0).kw("keepdim", false),
            Sample.of(n()).kw("k", 1).kw("dim", 0).kw("keepdim", false),
            Sample.of(n(0, 3)).kw("k", 1).kw("dim", 1).kw("keepdim", false))
        .errors(
            Sample.of(n(3, 4)).kw("k", 5).kw("dim", 1).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("k", 0).kw("dim", 1).kw("keepdim", false),
            Sample.of(n(3, 4)).kw("k", 1).kw("dim", 3).kw("keepdim", false),
            Sample.of(n()).kw("k", 2).kw("dim", 0).kw("keepdim", false),
            Sample.of(n(0, 3)).kw("k", 1).kw("dim", 0).kw("keepdim", false));
  }

  // ---------------------------------------------------------------- masked ops, where, one_hot

  private static void masking(List<OpInfo> r) {
    op(r, "masked_fill").torch("a[0].masked_fill(a[1], value)")
        .java("Tensor.maskedFill(Tensor,double)", a -> a.t(0).maskedFill(a.t(1), a.d("value")))
        .samples(
            Sample.of(n(3, 4), bool(3, 4)).kw("value", 1.5),
            Sample.of(n(3, 4).transposed(), bool(4)).kw("value", -2.0),
            Sample.of(n(3, 4), bool(2, 3, 4)).kw("value", 0.25),
            Sample.of(n(), bool()).kw("value", 3.0),
            Sample.of(n(0, 3), bool(3)).kw("value", 1.0),
            Sample.of(index(5, 2, 3), bool(2, 3)).kw("value", 1.5),
            Sample.of(n(2, 3), index(2, 2, 3)).kw("value", 7.0))
        .errors(Sample.of(n(2, 3), bool(3, 3)).kw("value", 1.0));
    op(r, "masked_fill.tensor").torch("a[0].masked_fill(a[1], a[2])")
        .java("Tensor.maskedFill(Tensor,Tensor)", a -> a.t(0).maskedFill(a.t(1), a.t(2)))
        .samples(
            Sample.of(n(3, 4), bool(3, 4), n()),
            Sample.of(n(3, 4).transposed(), bool(4), n()),
            Sample.of(n(3, 4), bool(3, 4), index(4)))
        .errors(Sample.of(n(2, 3), bool(2, 3), n(2)));
    // PyTorch 1.13's masked_select backward is wrong for a non-contiguous input (its own
    // gradcheck fails on x.t(); fixed in 2.x): the call makes the input contiguous first, which
    // changes nothing else (jnn's gradient is gradchecked on the non-contiguous input itself)
    op(r, "masked_select").torch("torch.masked_select(a[0].contiguous(), a[1])")
        .java("Tensor.maskedSelect(Tensor)", a -> a.t(0).maskedSelect(a.t(1)))
        .samples(
            Sample.of(n(3, 4), bool(3, 4)),
            Sample.of(n(3, 4).transposed(), bool(4)),
            Sample.of(n(4), bool(3, 4)),
            Sample.of(n(), bool(2)),
            Sample.of(n(0, 3), bool(3)),
            Sample.of(index(5, 2, 3), bool(2, 3)))
        .errors(Sample.of(n(2, 3), index(2, 2, 3)), Sample.of(n(3, 4), bool(2, 4)));
    op(r, "where.scalar_self").torch("torch.where(a[0], value, a[1])")
        .java("Tensor.where(Tensor,double,Tensor)",
            a -> Tensor.where(a.t(0), a.d("value"), a.t(1)))
        .samples(
            Sample.of(bool(3, 4), n(3, 4)).kw("value", 1.5),
            Sample.of(bool(4), n(3, 4).transposed()).kw("value", -2.0),
            Sample.of(bool(2, 3), index(5, 2, 3)).kw("value", 2),
            Sample.of(bool(2, 3), index(5, 2, 3)).kw("value", 2.5))
        .errors(Sample.of(index(2, 2, 3), n(2, 3)).kw("value", 1.0));
    op(r, "where.scalar_other").torch("torch.where(a[0], a[1], value)")
        .java("Tensor.where(Tensor,Tensor,double)",
            a -> Tensor.where(a.t(0), a.t(1), a.d("value")))
        .samples(
            Sample.of(bool(3, 4), n(3, 4)).kw("value", 0.0),
            Sample.of(bool(3, 1), n(4)).kw("value", -1.0),
            Sample.of(bool(0, 3), n(3)).kw("value", 1.0))
        .errors(Sample.of(bool(2, 3), n(4)).kw("value", 1.0));
    // inf and NaN made inside the call (the registry's inputs are finite): a[0] / a[1] with
    // integer-valued divisors, 0 among them
    op(r, "nan_to_num").torch("torch.nan_to_num(a[0] / a[1])")
        .java("Tensor.nanToNum()", a -> a.t(0).div(a.t(1)).nanToNum())
        .samples(
            Sample.of(ties(3, 4), ties(3, 4).constant()),
            Sample.of(n(3, 4).transposed(), ties(4).constant()),
            Sample.of(n(), ties().constant()),
            Sample.of(n(0, 3), ties(3).constant()));
    op(r, "nan_to_num.values")
        .torch("torch.nan_to_num(a[0] / a[1], nan=nan, posinf=posinf, neginf=neginf)")
        .java("Tensor.nanToNum(double,Double,Double)",
            a -> a.t(0).div(a.t(1)).nanToNum(a.d("nan"), a.d("posinf"), a.d("neginf")))
        .samples(
            Sample.of(ties(3, 4), ties(3, 4).constant()).kw("nan", 1.5).kw("posinf", 100.0)
                .kw("neginf", -50.0),
            Sample.of(n(3, 4).transposed(), ties(4).constant()).kw("nan", -1.0)
                .kw("posinf", 2.0).kw("neginf", -2.0));
    op(r, "repeat_interleave").torch("torch.repeat_interleave(a[0], repeats)")
        .java("Tensor.repeatInterleave(long)", a -> a.t(0).repeatInterleave(a.i("repeats")))
        .samples(
            Sample.of(n(2, 3)).kw("repeats", 2),
            Sample.of(n(3, 2).transposed()).kw("repeats", 3),
            Sample.of(n()).kw("repeats", 2),
            Sample.of(n(2, 3)).kw("repeats", 0))
        .errors(Sample.of(n(2, 3)).kw("repeats", -1));
    op(r, "repeat_interleave.dim").torch("torch.repeat_interleave(a[0], repeats, dim)")
        .java("Tensor.repeatInterleave(long,int)",
            a -> a.t(0).repeatInterleave(a.i("repeats"), a.i("dim")))
        .samples(
            Sample.of(n(2, 3)).kw("repeats", 2).kw("dim", 0),
            Sample.of(n(3, 4).transposed()).kw("repeats", 3).kw("dim", -1),
            Sample.of(n(0, 3)).kw("repeats", 2).kw("dim", 0))
        .errors(
            Sample.of(n(2, 3)).kw("repeats", 2).kw("dim", 2),
            Sample.of(n()).kw("repeats", 2).kw("dim", 0),
            Sample.of(n(2, 3)).kw("repeats", -1).kw("dim", 0));
    op(r, "repeat_interleave.tensor").torch("torch.repeat_interleave(a[0], a[1], dim)")
        .java("Tensor.repeatInterleave(Tensor,int)",
            a -> a.t(0).repeatInterleave(a.t(1), a.i("dim")))
        .samples(
            Sample.of(n(3, 4), index(3, 3)).kw("dim", 0),
            Sample.of(n(3, 4).transposed(), index(4, 4)).kw("dim", 1),
            Sample.of(n(3, 2), index(4)).kw("dim", 0))
        .errors(
            Sample.of(n(3, 4), index(3, 2)).kw("dim", 0),
            Sample.of(n(3, 4), index(3, 1, 3)).kw("dim", 0),
            Sample.of(n(3, 4), n(3)).kw("dim", 0));
    op(r, "nn.functional.one_hot").torch("F.one_hot(a[0])")
        .java("Functional.oneHot(Tensor)", a -> Functional.oneHot(a.t(0))).notDifferentiable()
        .samples(Sample.of(index(5, 2, 3)), Sample.of(index(4, 4, 3).transposed()),
            Sample.of(index(3)))
        .errors(Sample.of(n(2, 3)), Sample.of(index(3, 0)));
    op(r, "nn.functional.one_hot.num_classes").torch("F.one_hot(a[0], num_classes)")
        .java("Functional.oneHot(Tensor,int)",
            a -> Functional.oneHot(a.t(0), a.i("num_classes")))
        .notDifferentiable()
        .samples(
            Sample.of(index(5, 2, 3)).kw("num_classes", 7),
            Sample.of(index(3, 0)).kw("num_classes", 3),
            Sample.of(index(3, 4)).kw("num_classes", -1))
        .errors(Sample.of(index(5, 2, 3)).kw("num_classes", 2),
            Sample.of(n(2, 3)).kw("num_classes", 3));
  }

  // ---------------------------------------------------------------- atan2, remainder, fmod, clamp

  private static void binaryMath(List<OpInfo> r) {
    op(r, "atan2").torch("torch.atan2(a[0], a[1])")
        .java("Tensor.atan2(Tensor)", a -> a.t(0).atan2(a.t(1)))
        .samples(
            Sample.of(n(3, 4), n(3, 4)),
            Sample.of(n(3, 4).transposed(), n(4)),
            Sample.of(n(2, 1, 3), n(4, 1)),
            Sample.of(n(), n(2, 3)),
            Sample.of(n(0, 3), n(3)),
            Sample.of(index(5, 2, 3), index(4, 2, 3)))
        .errors(Sample.of(n(2, 3), n(4)));
    op(r, "remainder").torch("torch.remainder(a[0], a[1])")
        .java("Tensor.remainder(Tensor)", a -> a.t(0).remainder(a.t(1)))
        .samples(
            Sample.of(n(3, 4), nz(3, 4)),
            Sample.of(n(3, 4).transposed(), nz(4)),
            Sample.of(n(), nz(2, 3)),
            Sample.of(n(0, 3), nz(3)),
            Sample.of(index(9, 2, 3), values(new double[] {3, -3, 2}, 3).constant()))
        .errors(Sample.of(n(2, 3), n(4)));
    op(r, "remainder.scalar").torch("torch.remainder(a[0], other)")
        .java("Tensor.remainder(double)", a -> a.t(0).remainder(a.d("other")))
        .samples(
            Sample.of(n(3, 4)).kw("other", 1.5),
            Sample.of(n(3, 4).transposed()).kw("other", -0.75),
            Sample.of(index(9, 2, 3)).kw("other", -4),
            Sample.of(index(9, 2, 3)).kw("other", 2.5))
        .errors(Sample.of(index(3, 2, 3)).kw("other", 0));
    op(r, "fmod").torch("torch.fmod(a[0], a[1])")
        .java("Tensor.fmod(Tensor)", a -> a.t(0).fmod(a.t(1)))
        .samples(
            Sample.of(n(3, 4), nz(3, 4)),
            Sample.of(n(3, 4).transposed(), nz(4)),
            Sample.of(n(), nz(2, 3)),
            Sample.of(n(0, 3), nz(3)))
        .errors(Sample.of(n(2, 3), n(4)));
    op(r, "fmod.scalar").torch("torch.fmod(a[0], other)")
        .java("Tensor.fmod(double)", a -> a.t(0).fmod(a.d("other")))
        .samples(
            Sample.of(n(3, 4)).kw("other", 1.5),
            Sample.of(n(3, 4).transposed()).kw("other", -0.75),
            Sample.of(index(9, 2, 3)).kw("other", -4))
        .errors(Sample.of(index(3, 2, 3)).kw("other", 0));
    op(r, "clamp.tensor").torch("torch.clamp(a[0], a[1], a[2])")
        .java("Tensor.clamp(Tensor,Tensor)", a -> a.t(0).clamp(a.t(1), a.t(2)))
        .samples(
            Sample.of(n(3, 4), n(3, 4), n(3, 4)),
            Sample.of(n(3, 4).transposed(), n(4), p(3, 1)),
            Sample.of(n(2, 3), n(), n(2, 3)),
            Sample.of(n(0, 3), n(3), n(3)))
        .errors(Sample.of(n(2, 3), n(4), n(2, 3)));
  }
}
