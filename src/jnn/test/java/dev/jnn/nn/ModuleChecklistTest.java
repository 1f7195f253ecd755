package dev.jnn.nn;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnn.core.CudaUnavailableException;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.nn.TestModules.BatchNorm1d;
import dev.jnn.nn.TestModules.Block;
import dev.jnn.nn.TestModules.Linear;
import dev.jnn.nn.TestModules.Net;
import dev.jnn.nn.TestModules.Outer;
import dev.jnn.nn.TestModules.ReLU;
import dev.jnn.nn.TestModules.WithExtra;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One nested class per item of docs/PYTORCH-SEMANTICS.md section 1.14 (the checklist); golden-text
 * comparisons for the same items live in {@link ModuleGoldenTest} and {@link ModuleHooksTest}.
 */
class ModuleChecklistTest {
  static final Map<String, Golden.Case> G = ModuleGoldenTest.G;

  /** 1. Insertion-ordered registries; one namespace shared with plain attributes; name checks. */
  @Nested
  class Item01_OrderedRegistriesAndNamespace {
    @Test
    void registriesKeepInsertionOrder() {
      Module m = new Module();
      m.registerParameter("z", new Parameter(Tensor.zeros(1)));
      m.registerBuffer("y", Tensor.zeros(1));
      m.registerParameter("a", new Parameter(Tensor.zeros(1)));
      m.registerModule("m2", new ReLU());
      m.registerBuffer("b", Tensor.zeros(1));
      m.registerModule("m1", new ReLU());
      assertEquals(List.of("z", "a"), List.copyOf(m.namedParameters().keySet()));
      assertEquals(List.of("y", "b"), List.copyOf(m.namedBuffers().keySet()));
      assertEquals(List.of("m2", "m1"), List.copyOf(m.namedChildren().keySet()));
      assertEquals(List.of("z", "a", "y", "b"), List.copyOf(m.stateDict().keySet()));
    }

    @Test
    void namesAreSharedWithPlainAttributesAndChecked() {
      Module m = new Module();
      m.setAttribute("config", "x");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> m.registerBuffer("config", Tensor.zeros(1)));
      assertEquals("attribute 'config' already exists", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.registerModule("training", new ReLU()));
      assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", null));
      assertThrows(IllegalArgumentException.class, () -> m.registerBuffer("", null));
      // re-registering under the same kind is allowed (and keeps the position)
      m.registerParameter("w", new Parameter(Tensor.zeros(1)));
      m.registerParameter("v", null);
      Parameter w2 = m.registerParameter("w", new Parameter(Tensor.ones(1)));
      assertSame(w2, m.getParameter("w"));
      assertEquals(List.of("w", "v"), new ArrayList<>(m.parameters.keySet()));
    }

    @Test
    void registrationReturnsItsArgument() {
      Module m = new Module();
      Parameter p = new Parameter(Tensor.zeros(2));
      Tensor b = Tensor.zeros(2);
      ReLU r = new ReLU();
      assertSame(p, m.registerParameter("p", p));
      assertSame(b, m.registerBuffer("b", b));
      assertSame(r, m.registerModule("r", r));
      ReLU r2 = new ReLU();
      assertSame(r2, m.addModule("r2", r2));
    }
  }

  /** 2. setAttribute re-registers Parameters / Modules / Buffers; plain tensors are not buffers. */
  @Nested
  class Item02_AssignmentSemantics {
    @Test
    void parameterModuleAndBufferAssignmentMoveBetweenRegistries() {
      Module m = new Module();
      m.registerBuffer("x", Tensor.zeros(1), false);
      Parameter p = new Parameter(Tensor.ones(1));
      m.setAttribute("x", p); // buffer -> parameter
      assertSame(p, m.getParameter("x"));
      assertTrue(m.namedBuffers().isEmpty());
      assertFalse(m.nonPersistentBuffers.contains("x"));
      ReLU r = new ReLU();
      // as in PyTorch, a parameter name accepts only a Parameter or null, even for a Module
      assertThrows(IllegalArgumentException.class, () -> m.setAttribute("x", r));
      m.setAttribute("x", null);
      m.delAttribute("x");
      m.setAttribute("x", r);
      assertSame(r, m.getSubmodule("x"));
      assertTrue(m.namedParameters().isEmpty());
      m.setAttribute("x", new Parameter(Tensor.ones(1))); // module -> parameter
      assertTrue(m.namedChildren().isEmpty());
      m.delAttribute("x");
      m.setAttribute("x", r);
      m.setAttribute("y", 42);
      m.setAttribute("y", new ReLU()); // plain attribute -> module
      assertEquals(List.of("x", "y"), List.copyOf(m.namedChildren().keySet()));
      m.delAttribute("y");
      m.setAttribute("y", new Buffer(Tensor.ones(2), false)); // Buffer -> non-persistent buffer
      assertEquals(List.of("y"), List.copyOf(m.namedBuffers().keySet()));
      assertFalse(m.stateDict().containsKey("y"));
    }

    @Test
    void plainTensorToParameterNameIsAnError() {
      Linear lin = new Linear(2, 2);
      Tensor before = lin.weight.detach().clone();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> lin.setAttribute("weight", Tensor.ones(2, 2)));
      assertEquals(
          G.get("errors").text("setattr_tensor_to_param"),
          e.getMessage().replace("'weight'", "'scale'"));
      assertTensorClose(before, lin.weight, "data unchanged");
      lin.setAttribute("bias", null); // null is allowed: the parameter becomes absent
      assertTrue(lin.namedParameters().containsKey("weight"));
      assertFalse(lin.namedParameters().containsKey("bias"));
      assertTrue(lin.hasAttribute("bias"));
      assertEquals("Linear(in_features=2, out_features=2, bias=False)", lin.toString());
    }

    @Test
    void assignmentToExistingBufferKeepsItsPersistence() {
      Block b = new Block();
      b.setAttribute("scratch", Tensor.ones(3)); // non-persistent stays non-persistent
      b.setAttribute("running", Tensor.ones(2)); // persistent stays persistent
      StateDict sd = b.stateDict();
      assertFalse(sd.containsKey("scratch"));
      assertTrue(sd.containsKey("running"));
      assertTensorClose(Tensor.ones(3), b.getBuffer("scratch"), "replaced");
      // a Buffer carries its own persistence
      b.setAttribute("scratch", new Buffer(Tensor.ones(3), true));
      assertTrue(b.stateDict().containsKey("scratch"));
    }

    @Test
    void newPlainTensorIsNotABuffer() {
      Module m = new Module();
      Tensor t = Tensor.ones(2);
      m.setAttribute("cache", t);
      assertSame(t, m.getAttribute("cache"));
      assertTrue(m.namedBuffers().isEmpty());
      assertTrue(m.stateDict().isEmpty());
      m.toDouble();
      assertSame(t, m.getAttribute("cache"), "not converted");
      assertEquals(DType.FLOAT32, t.dtype());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.getBuffer("cache"));
      assertEquals("`cache` is not a buffer", e.getMessage());
    }

    @Test
    void nonModuleToChildNameIsAnError() {
      Net net = new Net();
      assertThrows(IllegalArgumentException.class, () -> net.setAttribute("fc1", Tensor.zeros(1)));
      net.setAttribute("fc1", null);
      assertNull(net.getAttribute("fc1"));
      assertEquals(List.of("act", "fc2"), List.copyOf(net.namedChildren().keySet()));
      assertTrue(net.toString().contains("(fc1): None"));
    }

    @Test
    void setAndGetSubmoduleByPath() {
      Outer o = new Outer();
      Linear replacement = new Linear(2, 1);
      o.setSubmodule("seq.2.inner", replacement);
      assertSame(replacement, o.getSubmodule("seq.2.inner"));
      o.setSubmodule("seq.2.extra", new ReLU()); // non-strict may add
      assertTrue(o.getSubmodule("seq.2").namedChildren().containsKey("extra"));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> o.setSubmodule("seq.2.nope", new ReLU(), true));
      assertEquals("Sequential has no attribute `nope`", e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class, () -> o.setSubmodule("block.scale", new ReLU()));
      assertEquals("`scale` is not an nn.Module", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> o.setSubmodule("", new ReLU()));
      assertEquals("Cannot set the submodule without a target name!", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> o.setSubmodule("x", null));
      assertEquals("`module` is not an nn.Module, found <class 'NoneType'>", e.getMessage());
      assertSame(o, o.getSubmodule(""));
      assertSame(o.block.getAttribute("lin"), o.getSubmodule("block.lin"));
      assertSame(
          o.getSubmodule("block.lin").getAttribute("weight"), o.getParameter("block.lin.weight"));
      assertSame(o.block.getAttribute("running"), o.getBuffer("block.running"));
    }
  }

  /** 3. Non-persistent buffers: out of the state dict only. */
  @Nested
  class Item03_NonPersistentBuffers {
    @Test
    void nonPersistentBuffersMoveAndAreListedButNotSaved() {
      Block b = new Block();
      assertEquals(List.of("running", "scratch"), List.copyOf(b.namedBuffers().keySet()));
      assertFalse(b.stateDict().containsKey("scratch"));
      b.toDouble();
      assertEquals(DType.FLOAT64, b.getBuffer("scratch").dtype());
      // loading does not expect it, and treats it as unexpected when present
      StateDict sd = b.stateDict();
      b.loadStateDict(sd);
      sd.put("scratch", Tensor.zeros(3));
      LoadResult r = b.loadStateDict(sd, false);
      assertEquals(List.of("scratch"), r.unexpectedKeys());
    }
  }

  /** 4. Null parameters and buffers are allowed and skipped everywhere. */
  @Nested
  class Item04_NullMembers {
    @Test
    void nullMembersAreSkipped() {
      Block b = new Block();
      assertTrue(b.hasAttribute("maybe"));
      assertNull(b.getAttribute("maybe"));
      assertFalse(b.namedParameters().containsKey("maybe"));
      assertFalse(b.namedBuffers().containsKey("absent"));
      assertFalse(b.stateDict().containsKey("maybe"));
      assertFalse(b.stateDict().containsKey("absent"));
      b.toDouble(); // conversion skips them
      assertNull(b.getAttribute("absent"));
      assertNull(b.getBuffer("absent"));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> b.getParameter("maybe"));
      assertEquals("`maybe` is not an nn.Parameter", e.getMessage());
      // a key for a null parameter is unexpected under strict
      StateDict sd = b.stateDict();
      sd.put("maybe", Tensor.zeros(1));
      StateDictException ex = assertThrows(StateDictException.class, () -> b.loadStateDict(sd));
      assertEquals(List.of("maybe"), ex.unexpectedKeys());
      assertFalse(b.namedChildren().containsKey("gap"));
      assertEquals(List.of("lin"), List.copyOf(b.namedChildren().keySet()));
    }
  }

  /** 5. Dotted keys and per-module metadata with the class version. */
  @Nested
  class Item05_KeysAndMetadata {
    @Test
    void keysAndMetadataFollowModulePaths() {
      Module root = new Module();
      root.registerModule("layer1", new Sequential(new Net(), new BatchNorm1d(2)));
      StateDict sd = root.stateDict();
      assertEquals(
          List.of(
              "layer1.0.fc1.weight",
              "layer1.0.fc1.bias",
              "layer1.0.fc2.weight",
              "layer1.0.fc2.bias",
              "layer1.1.weight",
              "layer1.1.bias",
              "layer1.1.running_mean",
              "layer1.1.running_var",
              "layer1.1.num_batches_tracked"),
          List.copyOf(sd.keySet()));
      assertEquals(
          List.of(
              "", "layer1", "layer1.0", "layer1.0.fc1", "layer1.0.act", "layer1.0.fc2", "layer1.1"),
          List.copyOf(sd.metadata().keySet()));
      assertEquals(2, sd.metadata().get("layer1.1").get("version"));
      assertEquals(1, sd.metadata().get("layer1.0.fc1").get("version"));
    }

    @Test
    void stateDictValuesAreLiveDetachedAliases() {
      Linear lin = new Linear(2, 2);
      StateDict sd = lin.stateDict();
      Tensor w = sd.get("weight");
      assertNotSame(lin.weight, w);
      assertFalse(w.requiresGrad());
      assertTrue(w.isLeaf());
      try (var g = dev.jnn.autograd.NoGrad.enter()) {
        lin.weight.fill(3);
      }
      assertEquals(3.0, w.select(0, 0).select(0, 0).item(), "shares storage");
      assertSame(lin.weight, lin.stateDict("", true).get("weight"), "keepVars");
    }

    @Test
    void stateDictHooksAndExtraState() {
      WithExtra m = new WithExtra();
      List<String> log = new ArrayList<>();
      m.registerStateDictPreHook((mod, prefix, keep) -> log.add("pre '" + prefix + "'"));
      m.registerStateDictPostHook(
          (mod, sd, prefix, meta) -> {
            log.add("post " + sd.keySet());
            sd.put(prefix + "added", Tensor.zeros(1));
          });
      StateDict sd = m.stateDict();
      assertEquals(List.of("pre ''", "post [_extra_state, lin.weight, lin.bias]"), log);
      assertEquals(
          List.of("_extra_state", "lin.weight", "lin.bias", "added"), List.copyOf(sd.keySet()));
      // opt-in: a module without the override has no _extra_state key
      assertFalse(new Linear(1, 1).stateDict().containsKey("_extra_state"));
      sd.remove("added");
      WithExtra other = new WithExtra();
      sd.put("_extra_state", Tensor.fromArray(new float[] {9f}, 1));
      other.loadStateDict(sd);
      assertEquals(9.0, other.extra.item());
      StateDict missing = other.stateDict();
      missing.remove("_extra_state");
      StateDictException e =
          assertThrows(StateDictException.class, () -> other.loadStateDict(missing));
      assertEquals(List.of("_extra_state"), e.missingKeys());
      StateDict withExtra = new WithExtra().stateDict();
      LoadResult r =
          new Module() {
            {
              registerModule("lin", new Linear(1, 1));
            }
          }.loadStateDict(withExtra, false);
      assertEquals(List.of("_extra_state"), r.unexpectedKeys());
    }
  }

  /** 6. applyConversion: children first, Parameter identity, grads converted, buffers replaced. */
  @Nested
  class Item06_Conversion {
    @Test
    void conversionKeepsParameterIdentityAndConvertsGrads() {
      Net net = new Net();
      List<Parameter> before = net.parameters();
      net.call(Tensor.ones(4, 2)).sum().backward();
      Tensor gradBefore = net.fc1.weight.grad();
      assertSame(net, net.toDouble());
      List<Parameter> after = net.parameters();
      for (int i = 0; i < before.size(); i++) {
        assertSame(before.get(i), after.get(i));
        assertEquals(DType.FLOAT64, after.get(i).dtype());
        assertEquals(DType.FLOAT64, after.get(i).grad().dtype());
        assertTrue(after.get(i).requiresGrad());
        assertTrue(after.get(i).isLeaf());
      }
      assertSame(gradBefore, net.fc1.weight.grad(), "the grad tensor keeps its identity too");
      assertEquals(DType.FLOAT64, net.call(Tensor.ones(1, 2).toDouble()).dtype());
      net.to(DType.FLOAT32);
      assertEquals(DType.FLOAT32, net.fc1.weight.dtype());
    }

    @Test
    void buffersAreReplacedAndOnlyFloatingTensorsCast() {
      BatchNorm1d bn = new BatchNorm1d(3);
      Tensor meanBefore = bn.getBuffer("running_mean");
      Tensor countBefore = bn.getBuffer("num_batches_tracked");
      bn.toDouble();
      assertNotSame(meanBefore, bn.getBuffer("running_mean"));
      assertEquals(DType.FLOAT64, bn.getBuffer("running_mean").dtype());
      assertSame(countBefore, bn.getBuffer("num_batches_tracked"), "integer buffers untouched");
      assertEquals(DType.INT64, bn.getBuffer("num_batches_tracked").dtype());
      bn.to(Device.CPU, DType.FLOAT32);
      assertEquals(DType.INT64, bn.getBuffer("num_batches_tracked").dtype());
      assertEquals(DType.FLOAT32, bn.getBuffer("running_var").dtype());
      bn.to(Tensor.zeros(1).toDouble()); // to(tensor): that tensor's device and dtype
      assertEquals(DType.FLOAT64, bn.getBuffer("running_var").dtype());
      assertEquals(DType.INT64, bn.getBuffer("num_batches_tracked").dtype());
      bn.type(DType.FLOAT64); // type() casts everything
      assertEquals(DType.FLOAT64, bn.getBuffer("num_batches_tracked").dtype());
      assertThrows(IllegalArgumentException.class, () -> bn.to(DType.BOOL));
    }

    @Test
    void childrenAreConvertedFirst() {
      List<String> order = new ArrayList<>();
      Outer o = new Outer();
      o.applyConversion(
          t -> {
            order.add(t.shape().toString());
            return t;
          });
      // Block's own members come after its child lin; Outer has none of its own
      assertEquals(
          List.of("[2, 2]", "[2]", "[2]", "[2]", "[3]", "[2, 2]", "[2]", "[1, 2]", "[1]"), order);
    }

    @Test
    void cudaWithoutBackendThrowsAndLeavesModuleUnchanged() {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          dev.jnn.backend.Backends.cudaUnavailableReason() != null, "a CUDA back end is usable");
      Net net = new Net();
      Parameter w = net.fc1.weight;
      Tensor data = w.detach();
      CudaUnavailableException e = assertThrows(CudaUnavailableException.class, net::cuda);
      assertTrue(e.getMessage().startsWith("CUDA is not available: "), e.getMessage());
      assertThrows(
          CudaUnavailableException.class, () -> new Module().cuda(1)); // even without tensors
      assertThrows(CudaUnavailableException.class, () -> net.to(Device.cuda(0), DType.FLOAT64));
      assertEquals(Device.CPU, w.device());
      assertEquals(DType.FLOAT32, w.dtype());
      assertSame(data.storage(), w.storage());
      assertSame(net, net.cpu());
    }
  }

  /** 7. Hook order, prepend, snapshot iteration, return normalisation, alwaysCall, fast path. */
  @Nested
  class Item07_ForwardHooks {
    @Test
    void seeModuleHooksTest() {
      // Covered in detail by ModuleHooksTest (golden hook order, prepend, always_call, with kwargs,
      // pre-hook normalisation, snapshot self-removal, fast path); this re-checks the essentials.
      ReLU r = new ReLU();
      List<String> log = new ArrayList<>();
      try (HookHandle g =
          Module.registerModuleForwardHook(
              (m, a, o) -> {
                log.add("global");
                return null;
              })) {
        r.registerForwardHook(
            (m, a, o) -> {
              log.add("second");
              return o.add(1);
            });
        r.registerForwardHook(
            (m, a, o) -> {
              log.add("first");
              return null;
            },
            true);
        Tensor y = r.call(Tensor.fromArray(new float[] {-1f}, 1));
        assertEquals(1.0, y.item());
      }
      assertEquals(List.of("global", "first", "second"), log);
    }
  }

  /** 8. Full backward hooks: once per backward, grad_input over positional tensors, same length. */
  @Nested
  class Item08_BackwardHooks {
    @Test
    void gradInputCoversPositionalTensorsOnly() {
      Module mul =
          new Module() {
            @Override
            public Tensor forward(List<Tensor> args, Map<String, Object> kwargs) {
              return args.get(0).mul(args.get(1)); // keyword arguments are not part of grad_input
            }
          };
      List<Integer> sizes = new ArrayList<>();
      mul.registerFullBackwardHook(
          (m, gi, go) -> {
            sizes.add(gi.size());
            sizes.add(go.size());
            return null;
          });
      Tensor a = Tensor.ones(2).requiresGrad(true);
      mul.call(List.of(a, Tensor.ones(2)), Map.of("ignored", 1)).sum().backward();
      assertEquals(List.of(2, 1), sizes);
    }
  }

  /** 9. HookHandle: unique ids, side tables, idempotent, AutoCloseable (see ModuleHooksTest). */
  @Nested
  class Item09_HookHandles {
    @Test
    void handleIdsAreGloballyUniqueAndShareTheAutogradCounter() {
      HookHandle a = new ReLU().registerForwardHook((m, x, o) -> null);
      dev.jnn.autograd.RemovableHandle t = Tensor.ones(1).requiresGrad(true).registerHook(g -> g);
      HookHandle b = new ReLU().registerForwardHook((m, x, o) -> null);
      assertTrue(a.id() < t.id() && t.id() < b.id());
      assertTrue(a instanceof AutoCloseable);
    }
  }

  /** 10. loadStateDict: collect, strict, shape errors, post-hooks, assign, atomicity. */
  @Nested
  class Item10_LoadStateDict {
    @Test
    void missingAndUnexpectedAreAlwaysCollected() {
      Net net = new Net();
      Map<String, Tensor> sd = new LinkedHashMap<>(new Net().stateDict());
      sd.remove("fc1.bias");
      sd.put(
          "fc1.weight.x",
          Tensor.zeros(1)); // 2.x: a dotted remainder under a parameter is unexpected
      LoadResult r = net.loadStateDict(sd, false);
      assertEquals(List.of("fc1.bias"), r.missingKeys());
      assertEquals(List.of("fc1.weight.x"), r.unexpectedKeys());
      assertThrows(UnsupportedOperationException.class, () -> r.missingKeys().add("x"));
      StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(sd));
      assertEquals(List.of("fc1.bias"), e.missingKeys());
      assertEquals(2, e.errorMessages().size());
    }

    @Test
    void loadingCopiesInPlaceAndKeepsIdentity() {
      Net src = new Net();
      try (var g = dev.jnn.autograd.NoGrad.enter()) {
        src.fc1.weight.fill(2);
      }
      Net dst = new Net();
      dst.toDouble();
      Parameter w = dst.fc1.weight;
      LoadResult r = dst.loadStateDict(src.stateDict());
      assertTrue(r.allKeysMatched());
      assertSame(w, dst.fc1.weight);
      assertEquals(DType.FLOAT64, w.dtype(), "keeps the module's dtype");
      assertEquals(2.0, w.select(0, 0).select(0, 0).item());
      assertTrue(w.requiresGrad());
      assertTrue(w.isLeaf());
    }

    @Test
    void nothingIsLoadedWhenItThrows() {
      Net src = new Net();
      try (var g = dev.jnn.autograd.NoGrad.enter()) {
        for (Parameter p : src.parameters()) {
          p.fill(5);
        }
      }
      StateDict sd = src.stateDict();
      sd.put("fc2.weight", Tensor.zeros(2, 2)); // shape mismatch: raises even when not strict
      Net dst = new Net();
      List<Tensor> before = new ArrayList<>();
      for (Parameter p : dst.parameters()) {
        before.add(p.detach().clone());
      }
      assertThrows(StateDictException.class, () -> dst.loadStateDict(sd, false));
      List<Parameter> after = dst.parameters();
      for (int i = 0; i < before.size(); i++) {
        assertTensorClose(before.get(i), after.get(i), "parameter " + i + " untouched");
      }
    }

    @Test
    void postHooksMayEditTheKeyLists() {
      Net net = new Net();
      Map<String, Tensor> sd = new LinkedHashMap<>(new Net().stateDict());
      sd.put("junk", Tensor.zeros(1));
      List<String> log = new ArrayList<>();
      net.fc1.registerLoadStateDictPostHook((m, keys) -> log.add("fc1 " + keys.unexpectedKeys()));
      net.registerLoadStateDictPostHook(
          (m, keys) -> {
            log.add("root " + keys.unexpectedKeys());
            keys.unexpectedKeys().remove("junk");
          });
      assertTrue(net.loadStateDict(sd).allKeysMatched());
      assertEquals(List.of("fc1 [junk]", "root [junk]"), log);
      net.fc2.registerLoadStateDictPostHook((m, keys) -> keys.missingKeys().add("made.up"));
      StateDictException e =
          assertThrows(StateDictException.class, () -> net.loadStateDict(new Net().stateDict()));
      assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"made.up\". "));
    }

    @Test
    void preHooksSeeAPrivateCopyAndMayRenameKeys() {
      Net net = new Net();
      Map<String, Tensor> old = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : new Net().stateDict().entrySet()) {
        old.put(e.getKey().replace("fc1.", "first."), e.getValue());
      }
      Map<String, Tensor> snapshot = new LinkedHashMap<>(old);
      net.registerLoadStateDictPreHook(
          (m, sd, prefix, meta, strict, missing, unexpected, errors) -> {
            assertTrue(strict, "modules always see strict=true");
            for (String k : new ArrayList<>(sd.keySet())) {
              if (k.startsWith(prefix + "first.")) {
                sd.put(k.replace("first.", "fc1."), sd.remove(k));
              }
            }
          });
      assertTrue(net.loadStateDict(old).allKeysMatched());
      assertEquals(snapshot, old, "the caller's map is not modified");
    }

    @Test
    void assignInstallsTheCheckpointTensors() {
      Net src = new Net();
      src.toDouble();
      Net dst = new Net();
      Parameter oldW = dst.fc1.weight;
      try (var g = dev.jnn.autograd.NoGrad.enter()) {
        for (Parameter p : dst.parameters()) {
          p.requiresGrad(false);
        }
      }
      dst.loadStateDict(src.stateDict(), true, true);
      Parameter w = dst.getParameter("fc1.weight");
      assertNotSame(oldW, w);
      assertEquals(DType.FLOAT64, w.dtype(), "takes the checkpoint's dtype");
      assertFalse(w.requiresGrad(), "keeps the module's requiresGrad");
      assertSame(src.fc1.weight.storage(), w.storage(), "no copy");
    }

    @Test
    void metadataVersionReachesLoadFromStateDict() {
      BatchNorm1d bn = new BatchNorm1d(3);
      List<Object> versions = new ArrayList<>();
      bn.registerLoadStateDictPreHook(
          (m, sd, p, meta, s, mk, uk, em) -> versions.add(meta.get("version")));
      bn.loadStateDict(new BatchNorm1d(3).stateDict());
      Map<String, Tensor> plain = new LinkedHashMap<>(new BatchNorm1d(3).stateDict());
      bn.loadStateDict(plain); // a plain map has no metadata
      assertEquals(java.util.Arrays.asList(2, null), versions);
    }
  }

  /** 11. train() recursion, zeroGrad default to null, apply() post-order. */
  @Nested
  class Item11_ModesGradsApply {
    @Test
    void trainAndEvalRecurse() {
      Outer o = new Outer();
      assertTrue(o.isTraining());
      assertSame(o, o.eval());
      for (Module m : o.modules()) {
        assertFalse(m.isTraining());
      }
      o.getSubmodule("seq").train();
      assertFalse(o.isTraining());
      assertTrue(o.getSubmodule("seq.2.inner").isTraining());
      assertFalse(o.getSubmodule("block").isTraining());
    }

    @Test
    void zeroGradSetsToNullByDefault() {
      Net net = new Net();
      net.call(Tensor.ones(2, 2)).sum().backward();
      Tensor g = net.fc1.weight.grad();
      net.zeroGrad(false);
      assertSame(g, net.fc1.weight.grad(), "zeroed in place");
      assertEquals(0.0, g.abs().sum().item());
      net.zeroGrad();
      for (Parameter p : net.parameters()) {
        assertNull(p.grad());
      }
    }

    @Test
    void requiresGradFreezes() {
      Net net = new Net();
      net.fc1.requiresGrad(false);
      assertFalse(net.fc1.weight.requiresGrad());
      assertTrue(net.fc2.weight.requiresGrad());
      net.call(Tensor.ones(1, 2)).sum().backward();
      assertNull(net.fc1.weight.grad());
    }

    @Test
    void applyIsPostOrder() {
      List<String> order = new ArrayList<>();
      new Net().apply(m -> order.add(m.typeName()));
      assertEquals(List.of("Linear", "ReLU", "Linear", "Net"), order);
    }
  }

  /** 12. BatchNorm's int64 counter, version-2 BC fill and cumulative average (test module). */
  @Nested
  class Item12_BatchNorm {
    @Test
    void counterStaysInt64AndOldCheckpointsLoad() {
      BatchNorm1d bn = new BatchNorm1d(3);
      bn.toDouble();
      assertEquals(DType.INT64, bn.getBuffer("num_batches_tracked").dtype());
      StateDict old = new BatchNorm1d(3).stateDict();
      old.remove("num_batches_tracked");
      old.metadata().get("").put("version", 1);
      bn.getBuffer("num_batches_tracked").fill(5);
      LoadResult r = bn.loadStateDict(old);
      assertEquals(G.get("batchnorm").text("v1_result"), r.toString());
      assertEquals(
          5, bn.getBuffer("num_batches_tracked").itemLong(), "2.x keeps the current count");
      StateDict v2 = new BatchNorm1d(3).stateDict();
      v2.remove("num_batches_tracked");
      StateDictException e =
          assertThrows(StateDictException.class, () -> new BatchNorm1d(3).loadStateDict(v2));
      assertEquals(G.get("batchnorm").text("v2_missing"), e.getMessage());
    }

    @Test
    void cumulativeAverageWhenMomentumIsNull() {
      Golden.Case c = G.get("batchnorm_running");
      BatchNorm1d cumulative = new BatchNorm1d(2, null);
      cumulative.call(c.tensor("x1"));
      cumulative.call(c.tensor("x2"));
      assertTensorClose(c.tensor("cumulative_mean"), cumulative.getBuffer("running_mean"), "mean");
      assertTensorClose(c.tensor("cumulative_var"), cumulative.getBuffer("running_var"), "var");
      assertTensorClose(
          c.tensor("cumulative_count"), cumulative.getBuffer("num_batches_tracked"), "count");
      BatchNorm1d momentum = new BatchNorm1d(2);
      momentum.call(c.tensor("x1"));
      momentum.call(c.tensor("x2"));
      assertTensorClose(c.tensor("momentum_mean"), momentum.getBuffer("running_mean"), "mean");
      assertTensorClose(c.tensor("momentum_var"), momentum.getBuffer("running_var"), "var");
    }
  }
}
