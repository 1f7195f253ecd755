package dev.jnn.nn.functional;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Forward and backward of every {@link Functional} op against PyTorch 1.13
 * ({@code scripts/golden/functional_ops.py}): the output, and the gradients of {@code sum(out *
 * gout)} with respect to each input, within 1e-5 (float32) or 1e-10 (float64) relative.
 */
class FunctionalGoldenTest {
  private static final Set<String> NOT_INPUTS = Set.of("out", "gout", "indices", "rm_after", "rv_after");

  /** Builds the op's output from the case's (grad-requiring) inputs. */
  @FunctionalInterface
  interface Op {
    Tensor apply(Golden.Case c, Map<String, Tensor> in);
  }

  @TestFactory
  Stream<DynamicTest> goldens() {
    List<Golden.Case> cases = Golden.load("functional_ops.txt");
    assertEquals(true, cases.size() > 150, "fixture looks truncated");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  private static void run(Golden.Case c) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    List<String> grads = new ArrayList<>();
    for (var e : c.tensors().entrySet()) {
      String k = e.getKey();
      if (NOT_INPUTS.contains(k) || (k.startsWith("g") && c.has(k.substring(1)))) {
        continue;
      }
      Tensor t = e.getValue().detach();
      if (c.has("g" + k)) {
        t.requiresGrad(true);
        grads.add(k);
      }
      in.put(k, t);
    }
    String base = c.name().substring(0, c.name().length() - 4);
    Tensor out;
    if (base.startsWith("max_pool2d")) {
      TensorWithIndices r =
          Functional.maxPool2dWithIndices(
              in.get("x"),
              c.intsAttr("kernel"),
              c.intsAttr("stride"),
              c.intsAttr("padding"),
              c.intsAttr("dilation"),
              c.intAttr("ceil") != 0);
      assertEquals(
          java.util.Arrays.toString(c.tensor("indices").toLongArray()),
          java.util.Arrays.toString(r.indices().toLongArray()),
          c.name() + ": indices");
      out = r.output();
    } else {
      out = op(base).apply(c, in);
    }
    assertTensorClose(c.tensor("out"), out, c.name() + ": out");
    if (c.has("rm_after")) {
      assertTensorClose(c.tensor("rm_after"), in.getOrDefault("rm", RUNNING.get()[0]), c.name() + ": running_mean");
      assertTensorClose(c.tensor("rv_after"), in.getOrDefault("rv", RUNNING.get()[1]), c.name() + ": running_var");
    }
    if (grads.isEmpty()) {
      return;
    }
    out.backward(c.tensor("gout"));
    for (String g : grads) {
      assertNotNull(in.get(g).grad(), c.name() + ": no gradient for " + g);
      assertTensorClose(c.tensor("g" + g), in.get(g).grad(), c.name() + ": grad " + g);
    }
  }

  /** Running statistics created by a case that does not store them (cumulative average). */
  private static final ThreadLocal<Tensor[]> RUNNING = ThreadLocal.withInitial(() -> new Tensor[2]);

  private static Reduction red(Golden.Case c) {
    return Reduction.fromString(c.attr("reduction"));
  }

  private static final String[] PAD_MODES = {"constant", "reflect", "replicate", "circular"};

  private static Op op(String base) {
    if (base.startsWith("pad_")) {
      return (c, in) -> Functional.pad(in.get("x"), c.intsAttr("pad"), PAD_MODES[c.intAttr("mode")],
          c.doubleAttr("value"));
    }
    if (base.startsWith("conv2d")) {
      return (c, in) -> {
        if (c.attr("padding_mode", null) != null) {
          return Functional.conv2d(
              in.get("x"), in.get("w"), in.get("b"), new int[] {1}, c.attr("padding_mode"),
              c.intsAttr("dilation"), 1);
        }
        return Functional.conv2d(
            in.get("x"), in.get("w"), in.get("b"), c.intsAttr("stride"), c.intsAttr("padding"),
            c.intsAttr("dilation"), c.intAttr("groups"));
      };
    }
    if (base.startsWith("linear")) {
      return (c, in) -> Functional.linear(in.get("x"), in.get("w"), in.get("b"));
    }
    if (base.startsWith("leaky_relu_default")) {
      return (c, in) -> Functional.leakyRelu(in.get("x"));
    }
    if (base.startsWith("leaky_relu")) {
      return (c, in) -> Functional.leakyRelu(in.get("x"), c.doubleAttr("slope"));
    }
    if (base.startsWith("relu")) {
      return (c, in) -> Functional.relu(in.get("x"));
    }
    if (base.startsWith("gelu_tanh")) {
      return (c, in) -> Functional.gelu(in.get("x"), "tanh");
    }
    if (base.startsWith("gelu")) {
      return (c, in) -> Functional.gelu(in.get("x"));
    }
    if (base.startsWith("sigmoid")) {
      return (c, in) -> Functional.sigmoid(in.get("x"));
    }
    if (base.startsWith("tanh")) {
      return (c, in) -> Functional.tanh(in.get("x"));
    }
    if (base.startsWith("log_softmax")) {
      return (c, in) -> Functional.logSoftmax(in.get("x"), c.intAttr("dim"));
    }
    if (base.startsWith("softmax")) {
      return (c, in) -> Functional.softmax(in.get("x"), c.intAttr("dim"));
    }
    if (base.startsWith("avg_pool2d")) {
      return (c, in) -> {
        int div = c.intAttr("divisor");
        return Functional.avgPool2d(
            in.get("x"), c.intsAttr("kernel"), c.intsAttr("stride"), c.intsAttr("padding"),
            c.intAttr("ceil") != 0, c.intAttr("count_include_pad") != 0, div == 0 ? null : div);
      };
    }
    if (base.startsWith("adaptive_avg_pool2d")) {
      return (c, in) -> Functional.adaptiveAvgPool2d(in.get("x"), c.intsAttr("output_size"));
    }
    if (base.startsWith("batch_norm")) {
      return (c, in) -> {
        Tensor rm = in.get("rm");
        Tensor rv = in.get("rv");
        if (base.startsWith("batch_norm_cma")) {
          long ch = in.get("x").size(1);
          rm = Tensor.zeros(dev.jnn.core.Shape.of(ch), in.get("x").dtype(), in.get("x").device());
          rv = Tensor.ones(dev.jnn.core.Shape.of(ch), in.get("x").dtype(), in.get("x").device());
          RUNNING.get()[0] = rm;
          RUNNING.get()[1] = rv;
        }
        return Functional.batchNorm(
            in.get("x"), rm, rv, in.get("w"), in.get("b"), c.intAttr("training") != 0,
            c.doubleAttr("momentum"), c.doubleAttr("eps"));
      };
    }
    if (base.startsWith("layer_norm")) {
      return (c, in) -> {
        int[] s = c.intsAttr("shape");
        long[] ls = new long[s.length];
        for (int i = 0; i < s.length; i++) {
          ls[i] = s[i];
        }
        return Functional.layerNorm(in.get("x"), ls, in.get("w"), in.get("b"), c.doubleAttr("eps"));
      };
    }
    if (base.startsWith("embedding")) {
      return (c, in) ->
          "none".equals(c.attr("padding_idx"))
              ? Functional.embedding(in.get("idx"), in.get("w"))
              : Functional.embedding(in.get("idx"), in.get("w"), c.intAttr("padding_idx"));
    }
    if (base.startsWith("cross_entropy")) {
      return (c, in) -> {
        Tensor target = in.containsKey("p") ? in.get("p") : in.get("t");
        int ignore = Integer.parseInt(c.attr("ignore_index", "-100"));
        return Functional.crossEntropy(
            in.get("x"), target, in.get("wt"), ignore, red(c), c.doubleAttr("smoothing"));
      };
    }
    if (base.startsWith("nll_loss")) {
      return (c, in) ->
          Functional.nllLoss(in.get("x"), in.get("t"), in.get("wt"), c.intAttr("ignore_index"), red(c));
    }
    if (base.startsWith("mse_loss")) {
      return (c, in) -> Functional.mseLoss(in.get("a"), in.get("b"), red(c));
    }
    if (base.startsWith("l1_loss")) {
      return (c, in) -> Functional.l1Loss(in.get("a"), in.get("b"), red(c));
    }
    if (base.startsWith("bce_logits")) {
      return (c, in) ->
          Functional.binaryCrossEntropyWithLogits(in.get("x"), in.get("t"), in.get("w"), red(c), in.get("pw"));
    }
    throw new IllegalArgumentException("no op for golden case " + base);
  }
}
