package dev.jnn.nn;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.autograd.NoGrad;
import dev.jnn.nn.TestModules.Linear;
import dev.jnn.nn.TestModules.Mul;
import dev.jnn.nn.TestModules.ReLU;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward and backward hooks: order and values against PyTorch, plus the 2.x options. */
class ModuleHooksTest {
  static final Map<String, Golden.Case> G = ModuleGoldenTest.G;

  static Sequential makeModel() {
    Sequential seq =
        new Sequential(new Linear(2, 3).fill(0.1), new ReLU(), new Linear(3, 2).fill(-0.2));
    seq.setAttribute("label", "seq");
    seq.get(0).setAttribute("label", "fc1");
    seq.get(1).setAttribute("label", "act");
    seq.get(2).setAttribute("label", "fc2");
    return seq;
  }

  static String label(Module m) {
    return m.hasAttribute("label") ? (String) m.getAttribute("label") : m.typeName();
  }

  @Test
  void hookFiringOrderMatchesPyTorch() {
    Golden.Case c = G.get("hook_order");
    Sequential seq = makeModel();
    List<String> log = new ArrayList<>();
    List<HookHandle> handles = new ArrayList<>();
    handles.add(
        Module.registerModuleForwardPreHook(
            (m, a) -> {
              log.add("gpre " + label(m));
              return null;
            }));
    handles.add(
        Module.registerModuleForwardHook(
            (m, a, o) -> {
              log.add("gfwd " + label(m));
              return null;
            }));
    for (Module mod : List.of(seq, seq.get(0), seq.get(1), seq.get(2))) {
      String lab = label(mod);
      handles.add(
          mod.registerForwardPreHook(
              (m, a) -> {
                log.add("pre1 " + lab);
                return null;
              }));
      handles.add(
          mod.registerForwardPreHook(
              (m, a) -> {
                log.add("pre2 " + lab);
                return null;
              }));
      handles.add(
          mod.registerForwardHook(
              (m, a, o) -> {
                log.add("fwd1 " + lab);
                return null;
              }));
      handles.add(
          mod.registerForwardHook(
              (m, a, o) -> {
                log.add("fwd2 " + lab);
                return null;
              }));
      handles.add(
          mod.registerFullBackwardHook(
              (m, gi, go) -> {
                log.add("bwd " + lab);
                return null;
              }));
    }
    handles.add(
        Module.registerModuleFullBackwardHook(
            (m, gi, go) -> {
              log.add("gbwd " + label(m));
              return null;
            }));
    try {
      Tensor x = c.tensor("x").detach().requiresGrad(true);
      Tensor out = seq.call(x);
      log.add("-- backward");
      out.sum().backward();
      assertEquals(c.text("log"), String.join("\n", log));
      assertTensorClose(c.tensor("out"), out, "out");
      assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad");
    } finally {
      handles.forEach(HookHandle::remove);
    }
  }

  @Test
  void preHookReplacesInputAndForwardHookReplacesOutput() {
    Golden.Case c = G.get("hook_replace");
    Linear lin = new Linear(2, 2).fill(0.3);
    HookHandle h1 = lin.registerForwardPreHook((m, a) -> List.of(a.get(0).mul(2)));
    HookHandle h2 = lin.registerForwardHook((m, a, o) -> o.add(1));
    Tensor y = lin.call(c.tensor("x"));
    h1.remove();
    h2.remove();
    assertTensorClose(c.tensor("y"), y, "hooked");
    assertTensorClose(c.tensor("y_plain"), lin.call(c.tensor("x")), "plain");
  }

  @Test
  void fullBackwardHookSeesAndReplacesGradInput() {
    Golden.Case c = G.get("backward_hook_values");
    Linear lin = new Linear(2, 2).fill(0.3);
    List<List<Tensor>> seen = new ArrayList<>();
    lin.registerFullBackwardHook(
        (m, gi, go) -> {
          seen.add(gi);
          seen.add(go);
          return List.of(gi.get(0).mul(0.5));
        });
    Tensor x = c.tensor("x").detach().requiresGrad(true);
    Tensor y = lin.call(x);
    y.mul(Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2)).sum().backward();
    assertEquals(2, seen.size(), "fires once");
    assertTensorClose(c.tensor("grad_input0"), seen.get(0).get(0), "grad_input");
    assertTensorClose(c.tensor("grad_output0"), seen.get(1).get(0), "grad_output");
    assertTensorClose(c.tensor("x_grad"), x.grad(), "x.grad replaced");
    assertTensorClose(c.tensor("weight_grad"), lin.weight.grad(), "weight.grad");
  }

  @Test
  void gradInputIsNullForNonTensorArgsAndWhenNoInputRequiresGrad() {
    Golden.Case c = G.get("backward_hook_none");
    Mul mul = new Mul();
    List<List<Tensor>> got = new ArrayList<>();
    mul.registerFullBackwardHook(
        (m, gi, go) -> {
          got.add(gi);
          got.add(go);
          return null;
        });
    Tensor a = Tensor.fromArray(new float[] {1, 2}, 2).requiresGrad(true);
    Tensor b = Tensor.fromArray(new float[] {3, 4}, 2);
    mul.call(a, b, null).sum().backward();
    assertEquals(c.text("mul_grad_input"), describe(got.get(0)));
    assertTensorClose(c.tensor("mul_gi0"), got.get(0).get(0), "gi0");
    assertTensorClose(
        c.tensor("mul_gi1"), got.get(0).get(1), "gi1 (zeros for an input without grad)");
    assertTensorClose(c.tensor("mul_go0"), got.get(1).get(0), "go0");

    Linear lin = new Linear(2, 1).fill(0.1);
    List<List<Tensor>> got2 = new ArrayList<>();
    lin.registerFullBackwardHook(
        (m, gi, go) -> {
          got2.add(gi);
          got2.add(go);
          return null;
        });
    lin.call(Tensor.ones(1, 2)).sum().backward();
    assertEquals(c.text("lin_grad_input"), describe(got2.get(0)));
    assertTensorClose(c.tensor("lin_go0"), got2.get(1).get(0), "go");
  }

  static String describe(List<Tensor> l) {
    List<String> s = new ArrayList<>();
    for (Tensor t : l) {
      s.add(t == null ? "None" : "tensor");
    }
    return String.join(" ", s);
  }

  // ------------------------------------------------------------------ 2.x behaviours (per spec)

  @Test
  void prependIsLocalOnlyGlobalHooksStillFirst() {
    ReLU m = new ReLU();
    List<String> log = new ArrayList<>();
    try (HookHandle g =
        Module.registerModuleForwardPreHook(
            (mm, a) -> {
              log.add("global");
              return null;
            })) {
      m.registerForwardPreHook(
          (mm, a) -> {
            log.add("a");
            return null;
          });
      m.registerForwardPreHook(
          (mm, a) -> {
            log.add("b");
            return null;
          },
          true);
      m.registerForwardPreHookWithKwargs(
          (mm, a, k) -> {
            log.add("c");
            return null;
          },
          true);
      m.registerForwardHook(
          (mm, a, o) -> {
            log.add("f1");
            return null;
          });
      m.registerForwardHook(
          (mm, a, o) -> {
            log.add("f0");
            return null;
          },
          true);
      m.registerFullBackwardPreHook(
          (mm, go) -> {
            log.add("bp1");
            return null;
          });
      m.registerFullBackwardPreHook(
          (mm, go) -> {
            log.add("bp0");
            return null;
          },
          true);
      m.registerFullBackwardHook(
          (mm, gi, go) -> {
            log.add("b1");
            return null;
          });
      m.registerFullBackwardHook(
          (mm, gi, go) -> {
            log.add("b0");
            return null;
          },
          true);
      m.call(Tensor.ones(2).requiresGrad(true)).sum().backward();
    }
    assertEquals(List.of("global", "c", "b", "a", "f0", "f1", "bp0", "bp1", "b0", "b1"), log);
  }

  @Test
  void backwardPreHookMayReplaceGradOutputWithSameLength() {
    Linear lin = new Linear(2, 1).fill(0.5);
    List<String> log = new ArrayList<>();
    lin.registerFullBackwardPreHook(
        (m, go) -> {
          log.add("pre");
          return List.of(go.get(0).mul(10));
        });
    lin.registerFullBackwardHook(
        (m, gi, go) -> {
          log.add("full");
          assertTensorClose(
              Tensor.fromArray(new float[] {10f}, 1, 1), go.get(0), "replaced grad_output");
          return null;
        });
    Tensor x = Tensor.ones(1, 2).requiresGrad(true);
    lin.call(x).sum().backward();
    assertEquals(List.of("pre", "full"), log);
    // the weight gradient is computed from the replaced output gradient
    assertTensorClose(Tensor.fromArray(new float[] {10f, 10f}, 1, 2), lin.weight.grad(), "w.grad");
    assertTensorClose(Tensor.fromArray(new float[] {5f, 6f}, 1, 2), x.grad(), "x.grad");

    Linear bad = new Linear(2, 1);
    bad.registerFullBackwardPreHook((m, go) -> Arrays.asList(go.get(0), null));
    Tensor out = bad.call(Tensor.ones(1, 2).requiresGrad(true)).sum();
    IllegalStateException e = assertThrows(IllegalStateException.class, out::backward);
    assertEquals(
        "Backward pre hook returned an invalid number of grad_output, got 2, but expected 1",
        e.getMessage());

    Linear bad2 = new Linear(2, 1);
    bad2.registerFullBackwardHook((m, gi, go) -> Arrays.asList(null, null));
    Tensor out2 = bad2.call(Tensor.ones(1, 2).requiresGrad(true)).sum();
    e = assertThrows(IllegalStateException.class, out2::backward);
    assertEquals(
        "Backward hook returned an invalid number of grad_input, got 2, but expected 1",
        e.getMessage());

    Linear bad3 = new Linear(2, 1);
    bad3.registerFullBackwardHook((m, gi, go) -> List.of(Tensor.zeros(1, 2)));
    Tensor out3 = bad3.call(Tensor.ones(1, 2)).sum(); // no input requires grad
    e = assertThrows(IllegalStateException.class, out3::backward);
    assertEquals(
        "Backward hook for Modules where no input requires gradient should always return None or"
            + " None for all gradients.",
        e.getMessage());
  }

  @Test
  void fullBackwardHookFiresOncePerBackwardAndNotWithoutGradient() {
    Linear lin = new Linear(2, 2);
    int[] count = {0};
    lin.registerFullBackwardHook(
        (m, gi, go) -> {
          count[0]++;
          return null;
        });
    Tensor x = Tensor.ones(3, 2).requiresGrad(true);
    Tensor y = lin.call(x);
    y.sum().backward(null, true);
    assertEquals(1, count[0]);
    lin.call(x).mul(2).sum().backward();
    assertEquals(2, count[0]);
    try (NoGrad g = NoGrad.enter()) {
      lin.call(x);
    }
    assertEquals(2, count[0], "no graph, no hook");
  }

  @Test
  void backwardHooksMakeForwardSeeViewsOfInputs() {
    Tensor[] seen = new Tensor[1];
    Module probe =
        new Module() {
          @Override
          public Tensor forward(Tensor x) {
            seen[0] = x;
            return x.mul(2);
          }
        };
    Tensor x = Tensor.ones(2).requiresGrad(true);
    probe.call(x);
    assertSame(x, seen[0], "fast path passes the input itself");
    probe.registerFullBackwardHook((m, gi, go) -> null);
    Tensor out = probe.call(x);
    assertNotSame(x, seen[0]);
    assertEquals(BackwardHookRunner.NODE_NAME, seen[0].gradFn().name());
    assertEquals(BackwardHookRunner.NODE_NAME, out.gradFn().name());
  }

  @Test
  void alwaysCallHooksRunWhenForwardThrows() {
    Module boom =
        new Module() {
          @Override
          public Tensor forward(Tensor x) {
            throw new IllegalStateException("boom");
          }
        };
    List<String> log = new ArrayList<>();
    boom.registerForwardHook(
        (m, a, o) -> {
          log.add("normal");
          return null;
        });
    boom.registerForwardHook(
        (m, a, o) -> {
          log.add("always out=" + o);
          return null;
        },
        false,
        true);
    boom.registerForwardHook(
        (m, a, o) -> {
          throw new IllegalArgumentException("hook failed");
        },
        false,
        true);
    try (HookHandle g =
        Module.registerModuleForwardHook(
            (m, a, o) -> {
              log.add("global always");
              return null;
            },
            true)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> boom.call(Tensor.ones(1)));
      assertEquals("boom", e.getMessage());
      assertEquals(1, e.getSuppressed().length, "hook exceptions are attached, not thrown");
      assertEquals("hook failed", e.getSuppressed()[0].getMessage());
    }
    assertEquals(List.of("global always", "always out=null"), log);

    // an always-call hook that already ran is not run again when a later hook throws
    ReLU relu = new ReLU();
    List<String> log2 = new ArrayList<>();
    relu.registerForwardHook(
        (m, a, o) -> {
          log2.add("always");
          return null;
        },
        false,
        true);
    relu.registerForwardHook(
        (m, a, o) -> {
          throw new IllegalStateException("late");
        });
    assertThrows(IllegalStateException.class, () -> relu.call(Tensor.ones(1)));
    assertEquals(List.of("always"), log2);
  }

  @Test
  void withKwargsHooks() {
    Module scaled =
        new Module() {
          @Override
          public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
            double s = ((Number) kwargs.getOrDefault("scale", 1.0)).doubleValue();
            return args.get(0).mul(s);
          }
        };
    List<Object> seen = new ArrayList<>();
    scaled.registerForwardPreHookWithKwargs((m, a, k) -> new ArgsKwargs(a, Map.of("scale", 3.0)));
    scaled.registerForwardHookWithKwargs(
        (m, a, k, o) -> {
          seen.add(k.get("scale"));
          return null;
        },
        false,
        false);
    Tensor y = scaled.call(List.of(Tensor.ones(1)), Map.of("scale", 2.0));
    assertEquals(3.0, y.item());
    assertEquals(List.of(3.0), seen);
    // the default forward rejects keyword arguments, like Python
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ReLU().call(List.of(Tensor.ones(1)), Map.of("inplace", true)));
    assertEquals("ReLU.forward() got an unexpected keyword argument 'inplace'", e.getMessage());
  }

  @Test
  void preHookReturningOneTensorReplacesAllArguments() {
    Mul mul = new Mul();
    List<Integer> sizes = new ArrayList<>();
    // PyTorch wraps a single returned value into a 1-tuple: the arguments become just that value
    mul.registerForwardPreHook(
        (m, a) -> {
          sizes.add(a.size());
          return List.of(a.get(0));
        });
    mul.registerForwardPreHook(
        (m, a) -> {
          sizes.add(a.size());
          return List.of(a.get(0), a.get(0));
        });
    Tensor y = mul.call(Tensor.fromArray(new float[] {3}, 1), Tensor.fromArray(new float[] {5}, 1));
    assertEquals(9.0, y.item());
    assertEquals(List.of(2, 1), sizes);
  }

  @Test
  void handlesAreUniqueIdempotentAndRemoveSideTables() {
    ReLU a = new ReLU();
    ReLU b = new ReLU();
    HookHandle h1 = a.registerForwardHookWithKwargs((m, x, k, o) -> null, false, true);
    HookHandle h2 = b.registerForwardHook((m, x, o) -> null);
    HookHandle h3 = Module.registerModuleForwardPreHook((m, x) -> null);
    HookHandle h4 = a.registerForwardPreHookWithKwargs((m, x, k) -> null);
    assertTrue(
        h1.id() != h2.id() && h2.id() != h3.id() && h1.id() != h3.id() && h4.id() != h1.id());
    h3.close();
    assertTrue(a.forwardHooksWithKwargsTable().containsKey(h1.id()));
    assertTrue(a.forwardHooksAlwaysCalledTable().containsKey(h1.id()));
    h1.remove();
    h1.remove(); // idempotent
    assertTrue(a.forwardHooksWithKwargsTable().isEmpty());
    assertTrue(a.forwardHooksAlwaysCalledTable().isEmpty());
    h4.close();
    assertTrue(a.forwardPreHooksWithKwargsTable().isEmpty());

    // a hook may remove itself while firing; the current call's snapshot still runs the others
    ReLU c = new ReLU();
    List<String> log = new ArrayList<>();
    HookHandle[] self = new HookHandle[1];
    self[0] =
        c.registerForwardHook(
            (m, x, o) -> {
              log.add("once");
              self[0].remove();
              return null;
            });
    c.registerForwardHook(
        (m, x, o) -> {
          log.add("always");
          return null;
        });
    c.call(Tensor.ones(1));
    c.call(Tensor.ones(1));
    assertEquals(List.of("once", "always", "always"), log);

    // try-with-resources
    List<String> log2 = new ArrayList<>();
    try (HookHandle h =
        c.registerForwardPreHook(
            (m, x) -> {
              log2.add("tmp");
              return null;
            })) {
      c.call(Tensor.ones(1));
    }
    c.call(Tensor.ones(1));
    assertEquals(List.of("tmp"), log2);
  }

  @Test
  void fastPathCallsForwardDirectly() {
    int[] calls = {0};
    Module m =
        new Module() {
          @Override
          public Tensor forward(Tensor x) {
            calls[0]++;
            return x;
          }
        };
    Tensor x = Tensor.ones(1).requiresGrad(true);
    assertSame(x, m.call(x));
    assertEquals(1, calls[0]);
    // calling forward directly skips hooks
    List<String> log = new ArrayList<>();
    m.registerForwardHook(
        (mm, a, o) -> {
          log.add("hook");
          return null;
        });
    m.forward(x);
    assertTrue(log.isEmpty());
    m.call(x);
    assertEquals(List.of("hook"), log);
  }

  @Test
  @SuppressWarnings("deprecation")
  void regularAndFullBackwardHooksCannotBeMixed() {
    Linear lin = new Linear(2, 1);
    lin.registerFullBackwardHook((m, gi, go) -> null);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> lin.registerBackwardHook((m, gi, go) -> null));
    assertEquals(
        "Cannot use both regular backward hooks and full backward hooks on a single Module. Please"
            + " use only one of them.",
        e.getMessage());
    Linear lin2 = new Linear(2, 1);
    List<Integer> sizes = new ArrayList<>();
    lin2.registerBackwardHook(
        (m, gi, go) -> {
          sizes.add(gi.size());
          return null;
        });
    assertThrows(
        IllegalStateException.class, () -> lin2.registerFullBackwardHook((m, gi, go) -> null));
    lin2.call(Tensor.ones(1, 2).requiresGrad(true)).sum().backward();
    assertEquals(1, sizes.size(), "the non-full hook sees the last node's gradients");
  }

  @Test
  void globalRegistrationHooksReplaceValues() {
    Parameter replacement = new Parameter(Tensor.ones(3));
    List<String> log = new ArrayList<>();
    try (HookHandle hp =
            Module.registerModuleParameterRegistrationHook(
                (m, n, p) -> {
                  log.add("param " + n);
                  return n.equals("swap") ? replacement : null;
                });
        HookHandle hb =
            Module.registerModuleBufferRegistrationHook(
                (m, n, b) -> {
                  log.add("buffer " + n);
                  return null;
                });
        HookHandle hm =
            Module.registerModuleModuleRegistrationHook(
                (m, n, s) -> {
                  log.add("module " + n);
                  return null;
                })) {
      Module m = new Module();
      Parameter got = m.registerParameter("swap", new Parameter(Tensor.zeros(3)));
      assertSame(replacement, got);
      assertSame(replacement, m.getParameter("swap"));
      m.registerParameter("none", null); // not for null parameters
      m.registerBuffer("buf", Tensor.zeros(1));
      m.setAttribute("buf", Tensor.ones(1)); // buffer re-assignment goes through register_buffer
      m.registerModule("child", new ReLU());
      m.setAttribute("child", null); // also when assigning null to an existing child
      m.setAttribute("other", new ReLU());
      assertEquals(
          List.of(
              "param swap",
              "buffer buf",
              "buffer buf",
              "module child",
              "module child",
              "module other"),
          log);
    }
  }

  @Test
  void globalBackwardPreHooksFireBeforeLocal() {
    Linear lin = new Linear(2, 1);
    List<String> log = new ArrayList<>();
    lin.registerFullBackwardPreHook(
        (m, go) -> {
          log.add("local");
          return null;
        });
    try (HookHandle g =
        Module.registerModuleFullBackwardPreHook(
            (m, go) -> {
              log.add("global " + m.typeName());
              return null;
            })) {
      lin.call(Tensor.ones(1, 2)).sum().backward();
    }
    assertEquals(List.of("global Linear", "local"), log);
    assertNotNull(lin.weight.grad());
  }
}
