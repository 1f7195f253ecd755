package dev.jnn.ops;

import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;

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
}
