package dev.jnn.ops;

import static dev.jnn.ops.Sample.index;
import static dev.jnn.ops.Sample.n;
import static dev.jnn.ops.Sample.p;
import static dev.jnn.ops.Sample.ties;

import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.TensorWithIndices;
import dev.jnn.tensor.Tensor;
import java.util.List;

/**
 * Registry entries of issue 20 part 1, the pooling family: 1-D and 3-D max and average pooling,
 * adaptive max pooling (1-D, 2-D, 3-D), 1-D and 3-D adaptive average pooling, max unpooling and
 * power-average pooling, in their own file, appended by {@link OpRegistry#all()}.
 *
 * <ul>
 *   <li>The 1-D forms are 1.13's composites of the 2-D ops on a height-1 view: their {@code
 *       grad_fn} is {@code SqueezeBackward1}. {@code F.max_pool1d}'s error samples run without a
 *       gradient, so they get {@code max_pool1d}'s own messages; its {@code return_indices} form
 *       always takes the 2-D path and its messages.
 *   <li>The plain unpooling samples hold one value per plane, so that random indices never
 *       collide (a collision of different values assigns in an unspecified order on a GPU); the
 *       {@code pooled} samples unpool what a max pooling returned, overlapping windows included
 *       (repeated indices, equal values).
 *   <li>{@code lp_pool} samples with a fractional norm use positive inputs ({@code x^p} of a
 *       negative number is NaN there, in PyTorch as in jnn).
 * </ul>
 */
final class PoolEntries {
  private PoolEntries() {}

  private static OpInfo op(List<OpInfo> into, String name) {
    OpInfo o = new OpInfo(name);
    into.add(o);
    return o;
  }

  static void add(List<OpInfo> r) {
    oneD(r);
    adaptiveMax(r);
    threeD(r);
    adaptiveAvg(r);
    unpool(r);
    lpPool(r);
  }

  private static long[] longsOrNull(Args a, String k) {
    int[] v = a.intsOrNull(k);
    return v == null ? null : java.util.Arrays.stream(v).asLongStream().toArray();
  }

  // ---------------------------------------------------------------- 1-D

  private static void oneD(List<OpInfo> r) {
    op(r, "nn.functional.max_pool1d").torch("F.max_pool1d(a[0], kernel_size)")
        .java("Functional.maxPool1d(Tensor,int)",
            a -> Functional.maxPool1d(a.t(0), a.i("kernel_size")))
        .samples(
            Sample.of(n(2, 3, 8)).kw("kernel_size", 2),
            Sample.of(n(5, 7).transposed()).kw("kernel_size", 3),
            Sample.of(n(0, 2, 4)).kw("kernel_size", 2))
        .errors(
            Sample.of(n(1, 2, 3, 4)).kw("kernel_size", 2),
            Sample.of(n(2, 0, 5)).kw("kernel_size", 2),
            Sample.of(n(2, 3, 4)).kw("kernel_size", 0));
    op(r, "nn.functional.max_pool1d.full")
        .torch("F.max_pool1d(a[0], kernel_size, stride, padding, dilation, ceil_mode=ceil_mode)")
        .java("Functional.maxPool1d(Tensor,int,Integer,int,int,boolean)",
            a -> Functional.maxPool1d(a.t(0), a.i("kernel_size"), a.intOrNull("stride"),
                a.i("padding"), a.i("dilation"), a.b("ceil_mode")))
        .samples(
            Sample.of(n(2, 3, 9)).kw("kernel_size", 3).kw("stride", 2).kw("padding", 1)
                .kw("dilation", 1).kw("ceil_mode", true),
            Sample.of(n(3, 10)).kw("kernel_size", 2).kw("stride", null).kw("padding", 1)
                .kw("dilation", 3).kw("ceil_mode", false))
        .errors(
            Sample.of(n(2, 3, 4)).kw("kernel_size", 2).kw("stride", 1).kw("padding", 2)
                .kw("dilation", 1).kw("ceil_mode", false),
            Sample.of(n(2, 3, 5)).kw("kernel_size", 2).kw("stride", 1).kw("padding", 0)
                .kw("dilation", 0).kw("ceil_mode", false),
            Sample.of(n(2, 3, 5)).kw("kernel_size", 2).kw("stride", -1).kw("padding", 0)
                .kw("dilation", 1).kw("ceil_mode", false),
            Sample.of(n(2, 3, 5)).kw("kernel_size", 2).kw("stride", 1).kw("padding", -1)
                .kw("dilation", 1).kw("ceil_mode", false));
    op(r, "nn.functional.max_pool1d.return_indices")
        .torch("F.max_pool1d(a[0], kernel_size, stride, padding, dilation, ceil_mode=ceil_mode,"
            + " return_indices=True)")
        .java("Functional.maxPool1dWithIndices(Tensor,int,Integer,int,int,boolean)",
            a -> Functional.maxPool1dWithIndices(a.t(0), a.i("kernel_size"),
                a.intOrNull("stride"), a.i("padding"), a.i("dilation"), a.b("ceil_mode")))
        .samples(
            Sample.of(n(2, 3, 9)).kw("kernel_size", 3).kw("stride", 2).kw("padding", 1)
                .kw("dilation", 1).kw("ceil_mode", true),
            Sample.of(n(4, 6).transposed()).kw("kernel_size", 2).kw("stride", null)
                .kw("padding", 0).kw("dilation", 2).kw("ceil_mode", false),
            Sample.of(ties(2, 3, 9)).kw("kernel_size", 3).kw("stride", 1).kw("padding", 1)
                .kw("dilation", 1).kw("ceil_mode", false).nonSmooth())
        .errors(
            Sample.of(n(2, 3, 4)).kw("kernel_size", 2).kw("stride", 1).kw("padding", 2)
                .kw("dilation", 1).kw("ceil_mode", false),
            Sample.of(n(2, 3, 2)).kw("kernel_size", 3).kw("stride", null).kw("padding", 0)
                .kw("dilation", 1).kw("ceil_mode", false),
            Sample.of(n(2, 3, 5)).kw("kernel_size", 2).kw("stride", 1).kw("padding", 0)
                .kw("dilation", 0).kw("ceil_mode", false));
    op(r, "nn.functional.avg_pool1d").torch("F.avg_pool1d(a[0], kernel_size)")
        .java("Functional.avgPool1d(Tensor,int)",
            a -> Functional.avgPool1d(a.t(0), a.i("kernel_size")))
        .samples(
            Sample.of(n(2, 3, 8)).kw("kernel_size", 2),
            Sample.of(n(5, 7).transposed()).kw("kernel_size", 3))
        .errors(
            Sample.of(n(1, 2, 3, 4)).kw("kernel_size", 2),
            Sample.of(n(2, 3, 2)).kw("kernel_size", 3),
            Sample.of(n(2, 3, 4)).kw("kernel_size", 0));
    op(r, "nn.functional.avg_pool1d.full")
        .torch("F.avg_pool1d(a[0], kernel_size, stride, padding, ceil_mode, count_include_pad)")
        .java("Functional.avgPool1d(Tensor,int,Integer,int,boolean,boolean)",
            a -> Functional.avgPool1d(a.t(0), a.i("kernel_size"), a.intOrNull("stride"),
                a.i("padding"), a.b("ceil_mode"), a.b("count_include_pad")))
        .samples(
            Sample.of(n(2, 3, 9)).kw("kernel_size", 3).kw("stride", 2).kw("padding", 1)
                .kw("ceil_mode", true).kw("count_include_pad", false),
            Sample.of(n(3, 8)).kw("kernel_size", 4).kw("stride", null).kw("padding", 2)
                .kw("ceil_mode", false).kw("count_include_pad", true))
        .errors(
            Sample.of(n(2, 3, 4)).kw("kernel_size", 2).kw("stride", 1).kw("padding", 2)
                .kw("ceil_mode", false).kw("count_include_pad", true));
  }

  // ---------------------------------------------------------------- adaptive max

  private static void adaptiveMax(List<OpInfo> r) {
    op(r, "nn.functional.adaptive_max_pool1d").torch("F.adaptive_max_pool1d(a[0], output_size)")
        .java("Functional.adaptiveMaxPool1d(Tensor,int)",
            a -> Functional.adaptiveMaxPool1d(a.t(0), a.i("output_size")))
        .samples(
            Sample.of(n(2, 3, 10)).kw("output_size", 4),
            Sample.of(n(5, 3).transposed()).kw("output_size", 5))
        .errors(
            Sample.of(n(1, 2, 3, 4)).kw("output_size", 2),
            Sample.of(n(2, 0, 4)).kw("output_size", 2),
            Sample.of(n(2, 3, 4)).kw("output_size", -1));
    op(r, "nn.functional.adaptive_max_pool1d.return_indices")
        .torch("F.adaptive_max_pool1d(a[0], output_size, return_indices=True)")
        .java("Functional.adaptiveMaxPool1dWithIndices(Tensor,int)",
            a -> Functional.adaptiveMaxPool1dWithIndices(a.t(0), a.i("output_size")))
        .samples(
            Sample.of(n(2, 3, 7)).kw("output_size", 3),
            Sample.of(n(0, 2, 5)).kw("output_size", 2));
    op(r, "nn.functional.adaptive_max_pool2d")
        .torch("F.adaptive_max_pool2d(a[0],"
            + " (output_size[0] if len(output_size) == 1 else output_size))")
        .java("Functional.adaptiveMaxPool2d(Tensor,int[])",
            a -> Functional.adaptiveMaxPool2d(a.t(0), a.ints("output_size")))
        .samples(
            Sample.of(n(2, 3, 7, 5)).kw("output_size", new int[] {3, 2}),
            Sample.of(n(2, 5, 6).transposed()).kw("output_size", new int[] {4}),
            Sample.of(n(1, 2, 3, 3)).kw("output_size", new int[] {5, 1}))
        // (no empty output sample: 1.13 pools to [1, 2, 0, 2] but its backward rejects the
        // empty gradient, "Expected grad_output to have non-zero size for non-batch dimensions")
        .errors(
            Sample.of(n(3, 4)).kw("output_size", new int[] {2}),
            Sample.of(n(1, 1, 3, 4, 4)).kw("output_size", new int[] {2}),
            Sample.of(n(1, 3, 4, 4)).kw("output_size", new int[] {-1, 2}),
            Sample.of(n(1, 3, 0, 4)).kw("output_size", new int[] {2}),
            Sample.of(n(1, 3, 4, 4)).kw("output_size", new int[] {1, 2, 3}));
    op(r, "nn.functional.adaptive_max_pool2d.return_indices")
        .torch("F.adaptive_max_pool2d(a[0], (output_size[0] if len(output_size) == 1 else"
            + " output_size), return_indices=True)")
        .java("Functional.adaptiveMaxPool2dWithIndices(Tensor,int[])",
            a -> Functional.adaptiveMaxPool2dWithIndices(a.t(0), a.ints("output_size")))
        .samples(
            Sample.of(n(2, 2, 6, 7)).kw("output_size", new int[] {4, 3}),
            Sample.of(n(3, 5, 5)).kw("output_size", new int[] {2}),
            Sample.of(ties(2, 2, 6, 5)).kw("output_size", new int[] {4, 2}).nonSmooth());
    op(r, "nn.functional.adaptive_max_pool3d")
        .torch("F.adaptive_max_pool3d(a[0],"
            + " (output_size[0] if len(output_size) == 1 else output_size))")
        .java("Functional.adaptiveMaxPool3d(Tensor,int[])",
            a -> Functional.adaptiveMaxPool3d(a.t(0), a.ints("output_size")))
        .samples(
            Sample.of(n(2, 2, 5, 4, 6)).kw("output_size", new int[] {3, 2, 4}),
            Sample.of(n(2, 3, 4, 5).transposed()).kw("output_size", new int[] {2}))
        .errors(
            Sample.of(n(1, 1, 3, 4, 4, 4)).kw("output_size", new int[] {2}),
            Sample.of(n(3, 4, 4)).kw("output_size", new int[] {2}),
            Sample.of(n(1, 2, 3, 0, 4)).kw("output_size", new int[] {2}),
            Sample.of(n(1, 2, 3, 4, 4)).kw("output_size", new int[] {2, -3, 1}));
    op(r, "nn.functional.adaptive_max_pool3d.return_indices")
        .torch("F.adaptive_max_pool3d(a[0], (output_size[0] if len(output_size) == 1 else"
            + " output_size), return_indices=True)")
        .java("Functional.adaptiveMaxPool3dWithIndices(Tensor,int[])",
            a -> Functional.adaptiveMaxPool3dWithIndices(a.t(0), a.ints("output_size")))
        .samples(
            Sample.of(n(1, 2, 4, 5, 3)).kw("output_size", new int[] {3, 2, 2}),
            Sample.of(ties(2, 2, 5, 4, 4)).kw("output_size", new int[] {2, 3, 2}).nonSmooth());
  }

  // ---------------------------------------------------------------- 3-D max and average

  private static Sample pool3(Sample.Input x, int[] k, int[] s, int[] pad, int[] dil, boolean c) {
    return Sample.of(x).kw("kernel_size", k).kw("stride", s).kw("padding", pad)
        .kw("dilation", dil).kw("ceil_mode", c);
  }

  private static void threeD(List<OpInfo> r) {
    int[] one = {1};
    int[] zero = {0};
    op(r, "nn.functional.max_pool3d").torch("F.max_pool3d(a[0], kernel_size)")
        .java("Functional.maxPool3d(Tensor,int)",
            a -> Functional.maxPool3d(a.t(0), a.i("kernel_size")))
        .samples(
            Sample.of(n(1, 2, 4, 4, 5)).kw("kernel_size", 2),
            Sample.of(n(2, 3, 5, 4).transposed()).kw("kernel_size", 2))
        .errors(
            Sample.of(n(2, 3, 4)).kw("kernel_size", 2),
            Sample.of(n(1, 2, 3, 4, 4)).kw("kernel_size", 0),
            Sample.of(n(1, 2, 2, 4, 4)).kw("kernel_size", 3));
    op(r, "nn.functional.max_pool3d.full")
        .torch("F.max_pool3d(a[0], kernel_size, stride, padding, dilation, ceil_mode=ceil_mode)")
        .java("Functional.maxPool3d(Tensor,int[],int[],int[],int[],boolean)",
            a -> Functional.maxPool3d(a.t(0), a.ints("kernel_size"), a.intsOrNull("stride"),
                a.ints("padding"), a.ints("dilation"), a.b("ceil_mode")))
        .samples(
            pool3(n(1, 2, 5, 6, 7), new int[] {3, 2, 3}, null, new int[] {1, 0, 1},
                new int[] {1, 2, 1}, true),
            pool3(n(2, 4, 5, 6), new int[] {2}, new int[] {1, 2, 2}, zero, new int[] {2}, false),
            pool3(n(0, 2, 3, 3, 3), new int[] {2}, null, zero, one, false))
        .errors(
            pool3(n(1, 2, 3, 4, 4), new int[] {2, 2}, null, zero, one, false),
            pool3(n(1, 2, 3, 4, 4), new int[] {2}, new int[] {1, 1}, zero, one, false),
            pool3(n(1, 2, 3, 4, 4), new int[] {2}, null, new int[] {0, 0}, one, false),
            pool3(n(1, 2, 3, 4, 4), new int[] {2}, null, zero, new int[] {1, 1}, false),
            pool3(n(1, 2, 3, 4, 4), new int[] {2}, null, new int[] {2}, one, false),
            pool3(n(1, 2, 3, 4, 4), new int[] {0}, one, zero, one, false),
            pool3(n(1, 2, 3, 4, 4), new int[] {2}, new int[] {0}, zero, one, false),
            pool3(n(1, 2, 3, 4, 4), new int[] {2}, null, zero, new int[] {0}, false),
            pool3(n(1, 0, 3, 4, 4), new int[] {2}, null, zero, one, false));
    op(r, "nn.functional.max_pool3d.return_indices")
        .torch("F.max_pool3d(a[0], kernel_size, stride, padding, dilation, ceil_mode=ceil_mode,"
            + " return_indices=True)")
        .java("Functional.maxPool3dWithIndices(Tensor,int[],int[],int[],int[],boolean)",
            a -> Functional.maxPool3dWithIndices(a.t(0), a.ints("kernel_size"),
                a.intsOrNull("stride"), a.ints("padding"), a.ints("dilation"), a.b("ceil_mode")))
        .samples(
            pool3(n(1, 2, 4, 5, 6), new int[] {2, 3, 2}, new int[] {2, 1, 2}, new int[] {1},
                one, false),
            pool3(n(2, 5, 4, 4), new int[] {3}, new int[] {2}, one, one, true),
            pool3(ties(1, 2, 5, 6, 5), new int[] {2, 3, 2}, new int[] {1, 2, 1}, new int[] {1},
                new int[] {1, 1, 2}, false).nonSmooth());
    op(r, "nn.functional.avg_pool3d").torch("F.avg_pool3d(a[0], kernel_size)")
        .java("Functional.avgPool3d(Tensor,int)",
            a -> Functional.avgPool3d(a.t(0), a.i("kernel_size")))
        .samples(
            Sample.of(n(1, 2, 4, 4, 5)).kw("kernel_size", 2),
            Sample.of(n(2, 3, 5, 4).transposed()).kw("kernel_size", 2))
        .errors(
            Sample.of(n(2, 3, 4)).kw("kernel_size", 2),
            Sample.of(n(1, 2, 2, 4, 4)).kw("kernel_size", 3));
    op(r, "nn.functional.avg_pool3d.full")
        .torch("F.avg_pool3d(a[0], kernel_size, stride, padding, ceil_mode, count_include_pad,"
            + " divisor_override)")
        .java("Functional.avgPool3d(Tensor,int[],int[],int[],boolean,boolean,Integer)",
            a -> Functional.avgPool3d(a.t(0), a.ints("kernel_size"), a.intsOrNull("stride"),
                a.ints("padding"), a.b("ceil_mode"), a.b("count_include_pad"),
                a.intOrNull("divisor_override")))
        .samples(
            Sample.of(n(1, 2, 5, 6, 7)).kw("kernel_size", new int[] {3, 2, 3}).kw("stride", null)
                .kw("padding", new int[] {1, 0, 1}).kw("ceil_mode", true)
                .kw("count_include_pad", false).kw("divisor_override", null),
            Sample.of(n(2, 4, 5, 5)).kw("kernel_size", new int[] {2}).kw("stride", new int[] {1})
                .kw("padding", new int[] {1}).kw("ceil_mode", false)
                .kw("count_include_pad", true).kw("divisor_override", 3),
            Sample.of(n(1, 1, 5, 4, 4)).kw("kernel_size", new int[] {3, 2, 2})
                .kw("stride", new int[] {2}).kw("padding", new int[] {1}).kw("ceil_mode", true)
                .kw("count_include_pad", true).kw("divisor_override", null))
        .errors(
            Sample.of(n(1, 2, 3, 4, 4)).kw("kernel_size", new int[] {2}).kw("stride", null)
                .kw("padding", zero).kw("ceil_mode", false).kw("count_include_pad", true)
                .kw("divisor_override", 0),
            Sample.of(n(1, 2, 3, 4, 4)).kw("kernel_size", new int[] {2, 2}).kw("stride", null)
                .kw("padding", zero).kw("ceil_mode", false).kw("count_include_pad", true)
                .kw("divisor_override", null),
            Sample.of(n(1, 2, 3, 4, 4)).kw("kernel_size", new int[] {2}).kw("stride", null)
                .kw("padding", new int[] {2}).kw("ceil_mode", false)
                .kw("count_include_pad", true).kw("divisor_override", null));
  }

  // ---------------------------------------------------------------- adaptive average

  private static void adaptiveAvg(List<OpInfo> r) {
    op(r, "nn.functional.adaptive_avg_pool1d").torch("F.adaptive_avg_pool1d(a[0], output_size)")
        .java("Functional.adaptiveAvgPool1d(Tensor,int)",
            a -> Functional.adaptiveAvgPool1d(a.t(0), a.i("output_size")))
        .samples(
            Sample.of(n(2, 3, 10)).kw("output_size", 4),
            Sample.of(n(5, 3).transposed()).kw("output_size", 7))
        .errors(
            Sample.of(n(1, 2, 3, 4)).kw("output_size", 2),
            Sample.of(n(2, 3, 4)).kw("output_size", -1));
    op(r, "nn.functional.adaptive_avg_pool3d")
        .torch("F.adaptive_avg_pool3d(a[0],"
            + " (output_size[0] if len(output_size) == 1 else output_size))")
        .java("Functional.adaptiveAvgPool3d(Tensor,int[])",
            a -> Functional.adaptiveAvgPool3d(a.t(0), a.ints("output_size")))
        .samples(
            Sample.of(n(2, 2, 5, 4, 6)).kw("output_size", new int[] {3, 2, 4}),
            Sample.of(n(2, 3, 4, 5).transposed()).kw("output_size", new int[] {2}),
            Sample.of(n(1, 2, 3, 4, 2)).kw("output_size", new int[] {1}),
            Sample.of(n(1, 2, 2, 3, 3)).kw("output_size", new int[] {4, 1, 5}))
        .errors(
            Sample.of(n(3, 4, 4)).kw("output_size", new int[] {2}),
            Sample.of(n(1, 2, 3, 4, 4)).kw("output_size", new int[] {-1}),
            Sample.of(n(1, 3, 0, 4, 4)).kw("output_size", new int[] {2}));
  }

  // ---------------------------------------------------------------- unpooling

  /**
   * An unpooling of what a max pooling of {@code x} returned ({@code pooled=True}): overlapping
   * windows repeat indices (with equal values), the realistic use. Not gradient-checked: for a
   * repeated index PyTorch's backward (derivatives.yaml's {@code max_pool_double_backward}, a
   * gather, then the pooling's scatter-add) counts the upstream gradient once per repetition, which
   * is PyTorch's result (the golden case pins it) but not the finite-difference Jacobian.
   */
  private static Sample pooled(Sample.Input x, Object k, Object s, Object p, boolean overlap) {
    Sample r = Sample.of(x).kw("kernel_size", k).kw("stride", s).kw("padding", p)
        .kw("output_size", null).kw("pooled", true);
    return overlap ? r.nonSmooth() : r;
  }

  private static Tensor[] pool1d(Args a) {
    TensorWithIndices p = Functional.maxPool1dWithIndices(a.t(0), a.i("kernel_size"),
        a.intOrNull("stride"), a.i("padding"), 1, false);
    return new Tensor[] {p.output(), p.indices()};
  }

  private static Tensor[] pool2d(Args a) {
    TensorWithIndices p = Functional.maxPool2dWithIndices(a.t(0), a.ints("kernel_size"),
        a.intsOrNull("stride"), a.ints("padding"), new int[] {1}, false);
    return new Tensor[] {p.output(), p.indices()};
  }

  private static Tensor[] pool3d(Args a) {
    TensorWithIndices p = Functional.maxPool3dWithIndices(a.t(0), a.ints("kernel_size"),
        a.intsOrNull("stride"), a.ints("padding"), new int[] {1}, false);
    return new Tensor[] {p.output(), p.indices()};
  }

  private static void unpool(List<OpInfo> r) {
    op(r, "nn.functional.max_unpool1d")
        .torch("F.max_unpool1d(*(F.max_pool1d(a[0], kernel_size, stride, padding,"
            + " return_indices=True) if pooled else a), kernel_size, stride, padding,"
            + " output_size)")
        .java("Functional.maxUnpool1d(Tensor,Tensor,int,Integer,int,long[])",
            a -> {
              Tensor[] xi = a.b("pooled") ? pool1d(a) : new Tensor[] {a.t(0), a.t(1)};
              return Functional.maxUnpool1d(xi[0], xi[1], a.i("kernel_size"),
                  a.intOrNull("stride"), a.i("padding"), longsOrNull(a, "output_size"));
            })
        .samples(
            Sample.of(n(2, 3, 1), index(3, 2, 3, 1)).kw("kernel_size", 3).kw("stride", null)
                .kw("padding", 0).kw("output_size", null).kw("pooled", false),
            Sample.of(n(3, 1), index(3, 3, 1)).kw("kernel_size", 4).kw("stride", 2)
                .kw("padding", 1).kw("output_size", new int[] {3}).kw("pooled", false),
            pooled(n(2, 3, 9), 3, 1, 1, true))
        .errors(
            Sample.of(n(2, 3, 1), index(3, 2, 3, 1)).kw("kernel_size", 3).kw("stride", null)
                .kw("padding", 0).kw("output_size", new int[] {9}).kw("pooled", false));
    op(r, "nn.functional.max_unpool2d")
        .torch("F.max_unpool2d(*(F.max_pool2d(a[0], kernel_size, stride, padding,"
            + " return_indices=True) if pooled else a), kernel_size, stride, padding,"
            + " output_size)")
        .java("Functional.maxUnpool2d(Tensor,Tensor,int[],int[],int[],long[])",
            a -> {
              Tensor[] xi = a.b("pooled") ? pool2d(a) : new Tensor[] {a.t(0), a.t(1)};
              return Functional.maxUnpool2d(xi[0], xi[1], a.ints("kernel_size"),
                  a.intsOrNull("stride"), a.ints("padding"), longsOrNull(a, "output_size"));
            })
        .samples(
            Sample.of(n(2, 3, 1, 1), index(4, 2, 3, 1, 1)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0}).kw("output_size", null)
                .kw("pooled", false),
            Sample.of(n(3, 1, 1), index(10, 3, 1, 1)).kw("kernel_size", new int[] {3, 4})
                .kw("stride", new int[] {2, 2}).kw("padding", new int[] {1, 0})
                .kw("output_size", new int[] {2, 5}).kw("pooled", false),
            Sample.of(n(0, 2, 1, 1), index(4, 0, 2, 1, 1)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0}).kw("output_size", null)
                .kw("pooled", false),
            pooled(n(2, 2, 5, 6), new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, true),
            pooled(n(3, 6, 8).transposed(), new int[] {2, 2}, null, new int[] {0, 0}, false))
        .errors(
            Sample.of(n(1, 2, 1, 1), index(4, 1, 2, 1, 1)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0})
                .kw("output_size", new int[] {9, 2}).kw("pooled", false),
            Sample.of(n(1, 2, 1, 1), index(4, 1, 2, 1, 1)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0})
                .kw("output_size", new int[] {2, 2, 2}).kw("pooled", false),
            Sample.of(n(1, 1, 1, 1), index(1000, 1, 1, 1, 1)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0}).kw("output_size", null)
                .kw("pooled", false),
            Sample.of(n(1, 2, 1, 1), index(4, 1, 2, 1, 2)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0}).kw("output_size", null)
                .kw("pooled", false),
            Sample.of(n(1, 2, 1, 1), n(1, 2, 1, 1)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0}).kw("output_size", null)
                .kw("pooled", false),
            Sample.of(n(2, 1), index(4, 2, 1)).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0}).kw("output_size", null)
                .kw("pooled", false));
    op(r, "nn.functional.max_unpool3d")
        .torch("F.max_unpool3d(*(F.max_pool3d(a[0], kernel_size, stride, padding,"
            + " return_indices=True) if pooled else a), kernel_size, stride, padding,"
            + " output_size)")
        .java("Functional.maxUnpool3d(Tensor,Tensor,int[],int[],int[],long[])",
            a -> {
              Tensor[] xi = a.b("pooled") ? pool3d(a) : new Tensor[] {a.t(0), a.t(1)};
              return Functional.maxUnpool3d(xi[0], xi[1], a.ints("kernel_size"),
                  a.intsOrNull("stride"), a.ints("padding"), longsOrNull(a, "output_size"));
            })
        .samples(
            Sample.of(n(2, 2, 1, 1, 1), index(8, 2, 2, 1, 1, 1))
                .kw("kernel_size", new int[] {2, 2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0, 0}).kw("output_size", null)
                .kw("pooled", false),
            Sample.of(n(3, 1, 1, 1), index(6, 3, 1, 1, 1)).kw("kernel_size", new int[] {2, 3, 3})
                .kw("stride", new int[] {1, 1, 1}).kw("padding", new int[] {0, 1, 0})
                .kw("output_size", new int[] {2, 1, 3}).kw("pooled", false),
            pooled(n(1, 2, 4, 5, 4), new int[] {3, 3, 3}, new int[] {1, 1, 1},
                new int[] {1, 1, 1}, true))
        .errors(
            Sample.of(n(1, 1, 1, 1, 1), index(1000, 1, 1, 1, 1, 1))
                .kw("kernel_size", new int[] {2, 2, 2}).kw("stride", null)
                .kw("padding", new int[] {0, 0, 0})
                .kw("output_size", null).kw("pooled", false),
            Sample.of(n(1, 1, 1), index(8, 1, 1, 1)).kw("kernel_size", new int[] {2, 2, 2})
                .kw("stride", null).kw("padding", new int[] {0, 0, 0}).kw("output_size", null)
                .kw("pooled", false));
  }

  // ---------------------------------------------------------------- power-average

  private static void lpPool(List<OpInfo> r) {
    op(r, "nn.functional.lp_pool1d")
        .torch("F.lp_pool1d(a[0], norm_type, kernel_size, stride, ceil_mode)")
        .java("Functional.lpPool1d(Tensor,double,int,Integer,boolean)",
            a -> Functional.lpPool1d(a.t(0), a.d("norm_type"), a.i("kernel_size"),
                a.intOrNull("stride"), a.b("ceil_mode")))
        .samples(
            Sample.of(n(2, 3, 8)).kw("norm_type", 2.0).kw("kernel_size", 3).kw("stride", null)
                .kw("ceil_mode", false),
            Sample.of(p(3, 9)).kw("norm_type", 1.5).kw("kernel_size", 2).kw("stride", 3)
                .kw("ceil_mode", true))
        .errors(
            Sample.of(n(1, 2, 3, 4)).kw("norm_type", 2.0).kw("kernel_size", 2)
                .kw("stride", null).kw("ceil_mode", false));
    op(r, "nn.functional.lp_pool2d")
        .torch("F.lp_pool2d(a[0], norm_type, kernel_size, stride, ceil_mode)")
        .java("Functional.lpPool2d(Tensor,double,int[],int[],boolean)",
            a -> Functional.lpPool2d(a.t(0), a.d("norm_type"), a.ints("kernel_size"),
                a.intsOrNull("stride"), a.b("ceil_mode")))
        .samples(
            Sample.of(n(2, 2, 5, 6)).kw("norm_type", 2.0).kw("kernel_size", new int[] {2, 2})
                .kw("stride", null).kw("ceil_mode", false),
            Sample.of(p(3, 7, 5)).kw("norm_type", 3.0).kw("kernel_size", new int[] {3, 2})
                .kw("stride", new int[] {2, 1}).kw("ceil_mode", true));
    // (no error sample: 1.13's avg_pool2d fails a 2-d input with an internal "Dimension out of
    // range" error where jnn gives max_pool2d's message, as for F.avg_pool2d itself)
  }
}
