package dev.jnn.nn;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.nn.TestModules.Linear;
import dev.jnn.nn.TestModules.ReLU;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Structured module outputs (issue 18): modules returning records (tuples), maps (dicts), lists and
 * nested combinations, their forward hooks and full backward (pre-)hooks, against PyTorch 1.13
 * ({@code scripts/golden/structured_outputs.py}) and, for 2.x-only behaviour, torch 2.x's {@code
 * torch/utils/hooks.py} and docs/PYTORCH-SEMANTICS.md.
 */
class StructuredOutputTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("structured_outputs.txt");

  // ------------------------------------------------------------------ the modules of the script

  record Heads(Tensor cls, Tensor box) {}

  /** trunk -> relu -> (cls head, box head): PyTorch's {@code return self.cls(h), self.box(h)}. */
  static final class TwoHead extends StructuredModule<Heads> {
    final Linear trunk = registerModule("trunk", new Linear(2, 3).fill(0.1));
    final ReLU act = registerModule("act", new ReLU());
    final Linear cls = registerModule("cls", new Linear(3, 2).fill(-0.2));
    final Linear box = registerModule("box", new Linear(3, 1).fill(0.05));

    TwoHead() {
      super(Heads.class);
    }

    @Override
    public Heads forwardOutput(Tensor x) {
      Tensor h = act.call(trunk.call(x));
      return new Heads(cls.call(h), box.call(h));
    }
  }

  record MixedOut(Tensor a, int k, Tensor c) {}

  /** {@code return x * 2, 7, x.detach() * 5}. */
  static final class Mixed extends StructuredModule<MixedOut> {
    Mixed() {
      super(MixedOut.class);
    }

    @Override
    public MixedOut forwardOutput(Tensor x) {
      return new MixedOut(x.mul(2), 7, x.detach().mul(5));
    }
  }

  record State(Tensor h, Tensor c) {}

  /** LSTM-shaped {@code (output, (h_n, c_n))}, with typed accessors for the nested state. */
  record NestedOut(Tensor output, State state) {
    Tensor hN() {
      return state.h();
    }

    Tensor cN() {
      return state.c();
    }
  }

  /** {@code return x * 2, (x * 3, x * 4)}. */
  static final class Nested extends StructuredModule<NestedOut> {
    Nested() {
      super(NestedOut.class);
    }

    @Override
    public NestedOut forwardOutput(Tensor x) {
      return new NestedOut(x.mul(2), new State(x.mul(3), x.mul(4)));
    }
  }

  /** {@code return {"a": x * 2, "b": x * 3}}. */
  static final class DictOut extends StructuredModule<Map<String, Tensor>> {
    DictOut() {
      super(Map.class);
    }

    @Override
    public Map<String, Tensor> forwardOutput(Tensor x) {
      Map<String, Tensor> m = new LinkedHashMap<>();
      m.put("a", x.mul(2));
      m.put("b", x.mul(3));
      return m;
    }
  }

  /** {@code return [x * 2, x * 3]}. */
  static final class ListOut extends StructuredModule<List<Tensor>> {
    ListOut() {
      super(List.class);
    }

    @Override
    public List<Tensor> forwardOutput(Tensor x) {
      return List.of(x.mul(2), x.mul(3));
    }
  }

  record Pair(Tensor first, Tensor second) {}

  record PairAndLast(Pair pair, Tensor last) {}

  /** {@code return (x * 2, x * 3), x * 4}. */
  static final class NestedFirst extends StructuredModule<PairAndLast> {
    NestedFirst() {
      super(PairAndLast.class);
    }

    @Override
    public PairAndLast forwardOutput(Tensor x) {
      return new PairAndLast(new Pair(x.mul(2), x.mul(3)), x.mul(4));
    }
  }

  static final Tensor W_CLS = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);

  static Tensor xIn() {
    return Tensor.fromArray(new float[] {1f, -2f, 0.5f, 3f}, 2, 2).requiresGrad(true);
  }

  static Tensor headLoss(Heads o, double clsFactor) {
    return o.cls().mul(W_CLS).mul(clsFactor).sum().add(o.box().mul(3).sum());
  }

  static String describe(List<Tensor> grads) {
    List<String> s = new ArrayList<>();
    for (Tensor t : grads) {
      s.add(t == null ? "None" : "tensor");
    }
    return String.join(" ", s);
  }

  /** Records each full backward hook call as (grad_input, grad_output). */
  static List<List<List<Tensor>>> record(Module m) {
    List<List<List<Tensor>>> seen = new ArrayList<>();
    m.registerFullBackwardHook(
        (mod, gi, go) -> {
          seen.add(List.of(gi, go));
          return null;
        });
    return seen;
  }

  // ------------------------------------------------------------------ tuples (records)

  @Test
  void twoHeadNetReturnsTypedTupleAndBackwardHooksSeeEveryHead() {
    Golden.Case c = G.get("two_head");
    TwoHead net = new TwoHead();
    List<List<List<Tensor>>> seen = record(net);
    Tensor x = xIn();
    Heads out = net.callOutput(x);
    assertTensorClose(c.tensor("cls"), out.cls(), "cls head");
    assertTensorClose(c.tensor("box"), out.box(), "box head");
    headLoss(out, 1).backward();
    assertEquals(c.intAttr("fired"), seen.size(), "fires once per backward");
    List<Tensor> gi = seen.get(0).get(0);
    List<Tensor> go = seen.get(0).get(1);
    assertEquals(c.text("grad_input"), describe(gi));
    assertEquals(c.text("grad_output"), describe(go));
    assertTensorClose(c.tensor("gi0"), gi.get(0), "grad_input[0]");
    assertTensorClose(c.tensor("go0"), go.get(0), "grad_output[0] (cls)");
    assertTensorClose(c.tensor("go1"), go.get(1), "grad_output[1] (box)");
    assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad");
    assertTensorClose(c.tensor("cls_weight_grad"), net.cls.weight.grad(), "cls.weight.grad");
  }

  @Test
  void gradOutputIsNullForAHeadThatGotNoGradient() {
    Golden.Case c = G.get("two_head_cls_only");
    TwoHead net = new TwoHead();
    List<List<List<Tensor>>> seen = record(net);
    Tensor x = xIn();
    net.callOutput(x).cls().mul(W_CLS).sum().backward();
    assertEquals(c.intAttr("fired"), seen.size());
    assertEquals(c.text("grad_output"), describe(seen.get(0).get(1)));
    assertTensorClose(c.tensor("go0"), seen.get(0).get(1).get(0), "grad_output[0]");
    assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad");
    // PyTorch 2.x's output hook passes the None on, so no gradient flows into the box head (1.13
    // let the identity node's materialised zeros through: a zero box.weight.grad)
    assertNull(net.box.weight.grad(), "box.weight.grad");
  }

  @Test
  void fullBackwardHookReplacesGradInputAndChecksItsLength() {
    Golden.Case c = G.get("two_head_replace_grad_input");
    TwoHead net = new TwoHead();
    net.registerFullBackwardHook((m, gi, go) -> List.of(gi.get(0).mul(0.5)));
    Tensor x = xIn();
    headLoss(net.callOutput(x), 1).backward();
    assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad replaced");

    TwoHead bad = new TwoHead();
    bad.registerFullBackwardHook((m, gi, go) -> List.of(gi.get(0), gi.get(0)));
    Tensor loss = headLoss(bad.callOutput(xIn()), 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
    assertEquals(G.get("two_head_wrong_count").text("error"), e.getMessage());
  }

  /** Full backward pre-hooks are 2.x-only; the golden is the same gradient via the loss. */
  @Test
  void backwardPreHookSeesEveryHeadAndMayReplaceTheirGradients() {
    Golden.Case c = G.get("two_head_double_cls");
    TwoHead net = new TwoHead();
    List<String> log = new ArrayList<>();
    net.registerFullBackwardPreHook(
        (m, go) -> {
          log.add("pre " + describe(go));
          return Arrays.asList(go.get(0).mul(2), go.get(1));
        });
    net.registerFullBackwardHook(
        (m, gi, go) -> {
          log.add("full");
          assertTensorClose(W_CLS.mul(2), go.get(0), "the full hook sees the replacement");
          return null;
        });
    Tensor x = xIn();
    headLoss(net.callOutput(x), 1).backward();
    assertEquals(List.of("pre tensor tensor", "full"), log);
    assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad");
    assertTensorClose(c.tensor("cls_weight_grad"), net.cls.weight.grad(), "cls.weight.grad");

    TwoHead bad = new TwoHead();
    bad.registerFullBackwardPreHook((m, go) -> List.of(go.get(0)));
    Tensor loss = headLoss(bad.callOutput(xIn()), 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
    assertEquals(
        "Backward pre hook returned an invalid number of grad_output, got 1, but expected 2",
        e.getMessage());
  }

  @Test
  void nonTensorComponentsAndTensorsWithoutGradGetNull() {
    Golden.Case c = G.get("mixed");
    Mixed m = new Mixed();
    List<List<List<Tensor>>> seen = record(m);
    Tensor x = xIn();
    MixedOut out = m.callOutput(x);
    assertEquals(c.intAttr("k"), out.k(), "the non-tensor component survives the rebuild");
    out.a().add(out.c()).sum().backward();
    assertEquals(c.intAttr("fired"), seen.size());
    assertEquals(c.text("grad_input"), describe(seen.get(0).get(0)));
    assertEquals(c.text("grad_output"), describe(seen.get(0).get(1)));
    assertTensorClose(c.tensor("go0"), seen.get(0).get(1).get(0), "grad_output[0]");
    assertTensorClose(c.tensor("gi0"), seen.get(0).get(0).get(0), "grad_input[0]");
    assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad");
  }

  @Test
  void nestedTupleIsOneNullPositionAsInPyTorch() {
    Golden.Case all = G.get("nested_all");
    Nested m = new Nested();
    List<List<List<Tensor>>> seen = record(m);
    Tensor x = xIn();
    NestedOut out = m.callOutput(x);
    assertSame(out.state().h(), out.hN());
    out.output().add(out.hN()).add(out.cN()).sum().backward();
    assertEquals(all.intAttr("fired"), seen.size());
    assertEquals(all.text("grad_output"), describe(seen.get(0).get(1)));
    assertTensorClose(all.tensor("go0"), seen.get(0).get(1).get(0), "grad_output[0]");
    assertTensorClose(all.tensor("gi0"), seen.get(0).get(0).get(0), "grad_input[0]");
    assertTensorClose(all.tensor("x_grad"), x.grad(), "x.grad");

    // a gradient through h_n alone never passes the output node: the hook does not fire
    Golden.Case hOnly = G.get("nested_h_only");
    Nested m2 = new Nested();
    List<List<List<Tensor>>> seen2 = record(m2);
    Tensor x2 = xIn();
    m2.callOutput(x2).hN().sum().backward();
    assertEquals(hOnly.intAttr("fired"), seen2.size());
    assertTensorClose(hOnly.tensor("x_grad"), x2.grad(), "x.grad");
  }

  /** PyTorch 2.x rebuilds a namedtuple output as its own type ({@code type(args)(*arg_list)}). */
  @Test
  void backwardHooksRebuildTheSameRecordAroundWrappedTensors() {
    TwoHead net = new TwoHead();
    Heads plain = net.callOutput(xIn());
    assertNotEquals(BackwardHookRunner.NODE_NAME, plain.cls().gradFn().name(), "no hook, no node");
    record(net);
    Heads hooked = net.callOutput(xIn());
    assertEquals(BackwardHookRunner.NODE_NAME, hooked.cls().gradFn().name());
    assertEquals(BackwardHookRunner.NODE_NAME, hooked.box().gradFn().name());
    assertSame(hooked.cls().gradFn(), hooked.box().gradFn(), "one node for all outputs");
    // no tensor requires grad: nothing is wrapped and the record is returned as is
    Object[] got = new Object[1];
    net.registerForwardHookAny(
        (m, a, o) -> {
          got[0] = o;
          return null;
        });
    try (NoGrad g = NoGrad.enter()) {
      Heads noGrad = net.callOutput(xIn());
      assertSame(got[0], noGrad);
    }
  }

  // ------------------------------------------------------------------ maps and lists

  @SuppressWarnings("unchecked")
  @Test
  void dictAndListOutputsGiveFullHooksNoGradientSoTheyDoNotFire() {
    for (String name : List.of("dict_output", "list_output")) {
      Golden.Case c = G.get(name);
      StructuredModule<?> m = name.startsWith("dict") ? new DictOut() : new ListOut();
      List<List<List<Tensor>>> seen = record(m);
      Tensor x = xIn();
      Object out = m.callOutput(x);
      List<Tensor> vals =
          out instanceof Map<?, ?> map
              ? new ArrayList<>(((Map<String, Tensor>) map).values())
              : ((List<Tensor>) out);
      assertEquals(c.text("type").equals("dict"), out instanceof Map, name);
      vals.get(0).add(vals.get(1)).sum().backward();
      assertEquals(c.intAttr("fired"), seen.size(), name);
      assertTensorClose(c.tensor("x_grad"), x.grad(), name + " x.grad");
    }
  }

  @Test
  void forwardHookSeesTheWholeDictAndReplacesIt() {
    Golden.Case c = G.get("dict_forward_hook");
    DictOut m = new DictOut();
    m.registerForwardHookAny(
        (mod, a, o) -> {
          @SuppressWarnings("unchecked")
          Map<String, Tensor> d = new LinkedHashMap<>((Map<String, Tensor>) o);
          d.put("sum", d.get("a").add(d.get("b")));
          return d;
        });
    Map<String, Tensor> out = m.callOutput(xIn());
    assertEquals(c.text("keys"), String.join(" ", out.keySet()));
    for (String k : out.keySet()) {
      assertTensorClose(c.tensor(k), out.get(k), k);
    }
  }

  @Test
  void forwardHookReplacesTheTupleBeforeBackwardHooksWrapIt() {
    Golden.Case c = G.get("tuple_forward_hook_replace");
    TwoHead net = new TwoHead();
    net.registerForwardHookAny(
        (m, a, o) -> {
          Heads h = (Heads) o;
          return new Heads(h.cls().mul(2), h.box().add(1));
        });
    List<List<List<Tensor>>> seen = record(net);
    Tensor x = xIn();
    Heads out = net.callOutput(x);
    assertTensorClose(c.tensor("cls"), out.cls(), "replaced cls");
    assertTensorClose(c.tensor("box"), out.box(), "replaced box");
    headLoss(out, 1).backward();
    assertEquals(c.intAttr("fired"), seen.size());
    assertTensorClose(c.tensor("go0"), seen.get(0).get(1).get(0), "grad_output[0]");
    assertTensorClose(c.tensor("go1"), seen.get(0).get(1).get(1), "grad_output[1]");
    assertTensorClose(c.tensor("gi0"), seen.get(0).get(0).get(0), "grad_input[0]");
    assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad");
  }

  @SuppressWarnings("deprecation")
  @Test
  void nonFullBackwardHookAttachesToTheFirstTensor() {
    // dict: the first tensor value; nested tuple: [0][0]
    List<String> dictFired = new ArrayList<>();
    for (String use : List.of("a", "b")) {
      DictOut m = new DictOut();
      int[] count = {0};
      m.registerBackwardHook(
          (mod, gi, go) -> {
            count[0]++;
            return null;
          });
      m.callOutput(xIn()).get(use).sum().backward();
      dictFired.add(String.valueOf(count[0]));
    }
    assertEquals(G.get("non_full_dict").text("fired"), String.join(" ", dictFired));

    List<String> nestedFired = new ArrayList<>();
    for (int use = 0; use < 2; use++) {
      NestedFirst m = new NestedFirst();
      int[] count = {0};
      m.registerBackwardHook(
          (mod, gi, go) -> {
            count[0]++;
            return null;
          });
      PairAndLast out = m.callOutput(xIn());
      (use == 0 ? out.pair().first() : out.last()).sum().backward();
      nestedFired.add(String.valueOf(count[0]));
    }
    assertEquals(G.get("non_full_nested").text("fired"), String.join(" ", nestedFired));
  }

  // ------------------------------------------------------------------ forward hooks (2.x options)

  @Test
  void anyOutputHooksKeepTheTableOrderWithPrependAndKwargs() {
    TwoHead net = new TwoHead();
    List<String> log = new ArrayList<>();
    net.registerForwardHookAny(
        (m, a, o) -> {
          log.add("any " + ((Heads) o).box().shape());
          return null;
        });
    net.registerForwardHookAnyWithKwargs(
        (m, a, k, o) -> {
          log.add("kwargs " + k + " " + o.getClass().getSimpleName());
          return null;
        },
        false,
        false);
    net.registerForwardHookAny(
        (m, a, o) -> {
          log.add("first");
          return null;
        },
        true);
    try (HookHandle g =
        Module.registerModuleForwardHookAny(
            (m, a, o) -> {
              log.add("global " + m.typeName() + " " + o.getClass().getSimpleName());
              return null;
            })) {
      net.callOutput(List.of(xIn()), Map.of());
    }
    assertEquals(
        List.of(
            "global Linear Tensor",
            "global ReLU Tensor",
            "global Linear Tensor",
            "global Linear Tensor",
            "global TwoHead Heads",
            "first",
            "any [2, 1]",
            "kwargs {} Heads"),
        log);
  }

  @Test
  void alwaysCallHooksSeeWhateverOutputExistsWhenTheCallThrows() {
    StructuredModule<Heads> boom =
        new StructuredModule<>(Heads.class) {
          @Override
          public Heads forwardOutput(Tensor x) {
            throw new IllegalStateException("boom");
          }
        };
    List<String> log = new ArrayList<>();
    boom.registerForwardHookAny(
        (m, a, o) -> {
          log.add("always out=" + o);
          return null;
        },
        false,
        true);
    boom.registerForwardHookAnyWithKwargs(
        (m, a, k, o) -> {
          log.add("always kwargs out=" + o);
          return null;
        },
        false,
        true);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> boom.callOutput(xIn()));
    assertEquals("boom", e.getMessage());
    assertEquals(List.of("always out=null", "always kwargs out=null"), log);

    // a later hook throws: the always-call hook that had not run yet sees the structured output
    TwoHead net = new TwoHead();
    List<Object> seen = new ArrayList<>();
    net.registerForwardHookAny(
        (m, a, o) -> {
          throw new IllegalArgumentException("late");
        });
    net.registerForwardHookAny(
        (m, a, o) -> {
          seen.add(o);
          return null;
        },
        false,
        true);
    assertThrows(IllegalArgumentException.class, () -> net.callOutput(xIn()));
    assertEquals(1, seen.size());
    assertInstanceOf(Heads.class, seen.get(0));
  }

  // ------------------------------------------------------------------ the tensor API around it

  @Test
  void tensorTypedApiRefusesStructuredOutputsWithAClearError() {
    TwoHead net = new TwoHead();
    IllegalStateException call = assertThrows(IllegalStateException.class, () -> net.call(xIn()));
    assertEquals(
        "TwoHead returned a dev.jnn.nn.StructuredOutputTest$Heads, not a Tensor: call it with"
            + " callAny or callOutput to receive a structured output",
        call.getMessage());
    UnsupportedOperationException fwd =
        assertThrows(UnsupportedOperationException.class, () -> net.forward(xIn()));
    assertTrue(fwd.getMessage().startsWith("TwoHead returns a dev.jnn.nn.StructuredOutputTest$Heads"));

    HookHandle h = net.registerForwardHook((m, a, o) -> null);
    IllegalStateException hook =
        assertThrows(IllegalStateException.class, () -> net.callOutput(xIn()));
    assertEquals(
        "a ForwardHook receives Tensor outputs, but TwoHead returned a"
            + " dev.jnn.nn.StructuredOutputTest$Heads; register a ForwardHookAny"
            + " (registerForwardHookAny) to see structured outputs",
        hook.getMessage());
    h.remove();

    // a hook replacing the output with another type breaks the typed call, not callAny
    net.registerForwardHookAny((m, a, o) -> ((Heads) o).cls());
    IllegalStateException typed =
        assertThrows(IllegalStateException.class, () -> net.callOutput(xIn()));
    assertTrue(typed.getMessage().contains("call it with callAny"), typed.getMessage());
    assertInstanceOf(Tensor.class, net.callAny(xIn()));
    assertInstanceOf(Tensor.class, net.call(xIn()), "a tensor replacement suits call");
  }

  @Test
  void plainModuleMayOverrideForwardAnyAndSingleTensorModulesAreUnchanged() {
    Module detect =
        new Module() {
          @Override
          public Object forwardAny(List<Tensor> args, Map<String, Object> kwargs) {
            return Map.of("boxes", args.get(0).mul(2));
          }
        };
    Object out = detect.callAny(Tensor.ones(1));
    assertInstanceOf(Map.class, out);
    assertEquals(2.0, ((Tensor) ((Map<?, ?>) out).get("boxes")).item());

    Linear lin = new Linear(2, 2).fill(0.3);
    Tensor x = Tensor.ones(1, 2);
    Tensor viaCall = lin.call(x);
    assertInstanceOf(Tensor.class, lin.callAny(x));
    assertTensorClose(viaCall, (Tensor) lin.callAny(List.of(x), Map.of()), "callAny == call");
    // a ForwardHookAny on a single-tensor module sees the tensor and may replace it
    lin.registerForwardHookAny((m, a, o) -> ((Tensor) o).add(1));
    assertTensorClose(viaCall.add(1), lin.call(x), "replaced through the hooked path");
  }

  @Test
  void sequentialStaysSingleTensor() {
    Sequential seq = new Sequential(new Linear(2, 3).fill(0.1), new ReLU(), new Linear(3, 1));
    Tensor y = seq.call(Tensor.ones(1, 2));
    assertEquals(List.of(1L, 1L), toList(y.shape().dims()));
    Sequential withHeads = new Sequential(new Linear(2, 2), new TwoHead());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> withHeads.call(Tensor.ones(1, 2)));
    assertTrue(e.getMessage().startsWith("TwoHead returned a"), e.getMessage());
  }

  static List<Long> toList(long[] dims) {
    List<Long> l = new ArrayList<>();
    for (long d : dims) {
      l.add(d);
    }
    return l;
  }

  @Test
  void callOutputWithoutHooksReturnsForwardOutputUnchanged() {
    Mixed m = new Mixed();
    Tensor x = xIn();
    MixedOut out = m.callOutput(x);
    assertEquals(7, out.k());
    assertNull(out.c().gradFn(), "the detached component has no history");
    assertEquals(m.outputType(), MixedOut.class);
  }
}
