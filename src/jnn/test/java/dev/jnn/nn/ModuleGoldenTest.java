package dev.jnn.nn;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnn.core.DType;
import dev.jnn.nn.TestModules.BatchNorm1d;
import dev.jnn.nn.TestModules.Block;
import dev.jnn.nn.TestModules.Linear;
import dev.jnn.nn.TestModules.Multi;
import dev.jnn.nn.TestModules.Net;
import dev.jnn.nn.TestModules.Outer;
import dev.jnn.nn.TestModules.ReLU;
import dev.jnn.nn.TestModules.Single;
import dev.jnn.nn.TestModules.Tied;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Repr text, state-dict keys and metadata, traversal orders and error messages compared with
 * PyTorch's own output ({@code scripts/golden/module_semantics.py}).
 */
class ModuleGoldenTest {
  static final Map<String, Golden.Case> G = Golden.loadByName("module_semantics.txt");

  static String text(String c, String key) {
    return G.get(c).text(key);
  }

  static String message(Executable e) {
    RuntimeException ex = assertThrows(RuntimeException.class, e);
    return ex.getMessage();
  }

  // ------------------------------------------------------------------ repr

  @Test
  void reprOfNestedModules() {
    assertEquals(text("repr", "net"), new Net().toString());
    assertEquals(text("repr", "outer"), new Outer().toString());
    assertEquals(text("repr", "block"), new Block().toString());
    assertEquals(text("repr", "module"), new Module().toString());
    assertEquals(text("repr", "multi"), new Multi().toString());
    assertEquals(text("repr", "single"), new Single().toString());
    assertEquals(text("repr", "linear_nobias"), new Linear(3, 4, false).toString());
  }

  @Test
  void reprOfContainers() {
    Map<String, Module> named = new LinkedHashMap<>();
    named.put("conv", new Linear(1, 2));
    named.put("act", new ReLU());
    assertEquals(text("repr", "seq_named"), new Sequential(named).toString());
    ModuleList ml =
        new ModuleList(
            List.of(
                new Linear(2, 2),
                new Linear(2, 2),
                new Linear(2, 2),
                new ReLU(),
                new Linear(2, 3),
                new Linear(2, 3)));
    assertEquals(text("repr", "modulelist"), ml.toString());
    assertEquals(
        text("repr", "modulelist_nested"),
        new ModuleList(List.of(new Net(), new Net())).toString());
    assertEquals(text("repr", "modulelist_empty"), new ModuleList().toString());
    Map<String, Module> md = new LinkedHashMap<>();
    md.put("b", new Linear(1, 1));
    md.put("a", new ReLU());
    assertEquals(text("repr", "moduledict"), new ModuleDict(md).toString());
    assertEquals(
        text("repr", "paramlist1"),
        new ParameterList(List.of(new Parameter(Tensor.zeros(2, 3)))).toString());
    assertEquals(
        text("repr", "paramlist2"),
        new ParameterList(
                List.of(
                    new Parameter(Tensor.zeros(2, 3)),
                    new Parameter(Tensor.zeros(4).to(DType.FLOAT64))))
            .toString());
    Map<String, Tensor> pd = new LinkedHashMap<>();
    pd.put("w", new Parameter(Tensor.zeros(2, 2)));
    pd.put("s", new Parameter(Tensor.scalar(0.0, DType.FLOAT32)));
    assertEquals(text("repr", "paramdict"), new ParameterDict(pd).toString());
    // a plain (unordered) map is added in sorted key order, like a Python dict
    assertEquals(
        text("repr", "paramdict_sorted"),
        new ParameterDict(
                Map.of("b", new Parameter(Tensor.zeros(2)), "a", new Parameter(Tensor.zeros(1))))
            .toString());
  }

  // ------------------------------------------------------------------ state dict

  static String keysText(StateDict sd) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : sd.entrySet()) {
      Tensor t = e.getValue();
      lines.add(e.getKey() + " " + t.shape() + " " + t.dtype().torchName());
    }
    return String.join("\n", lines);
  }

  static String metaText(StateDict sd) {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : sd.metadata().entrySet()) {
      lines.add((e.getKey().isEmpty() ? "<root>" : e.getKey()) + "=" + e.getValue().get("version"));
    }
    return String.join("\n", lines);
  }

  @Test
  void stateDictKeysAndMetadata() {
    Map<String, Supplier<Module>> mods = new LinkedHashMap<>();
    mods.put("net", Net::new);
    mods.put("outer", Outer::new);
    mods.put("tied", Tied::new);
    mods.put("bn", () -> new BatchNorm1d(3));
    mods.put("seq", () -> new Sequential(new Linear(1, 2), new ReLU(), new Linear(2, 1)));
    for (Map.Entry<String, Supplier<Module>> e : mods.entrySet()) {
      StateDict sd = e.getValue().get().stateDict();
      assertEquals(text("state_dict", e.getKey() + "_keys"), keysText(sd), e.getKey());
      assertEquals(text("state_dict", e.getKey() + "_meta"), metaText(sd), e.getKey());
    }
    StateDict prefixed = new Net().stateDict("model.", false);
    assertEquals(text("state_dict", "net_prefixed_keys"), keysText(prefixed));
    assertEquals(text("state_dict", "net_prefixed_meta"), metaText(prefixed));
    List<String> dtypes = new ArrayList<>();
    new BatchNorm1d(3)
        .toDouble()
        .stateDict()
        .forEach((k, v) -> dtypes.add(k + " " + v.dtype().torchName()));
    assertEquals(text("state_dict", "bn_double_dtypes"), String.join("\n", dtypes));
  }

  // ------------------------------------------------------------------ traversal

  @Test
  void traversalOrders() {
    Outer o = new Outer();
    Tied tied = new Tied();
    assertEquals(
        text("traversal", "outer_named_modules"), String.join("\n", o.namedModules().keySet()));
    assertEquals(
        text("traversal", "outer_named_modules_prefix"),
        String.join("\n", o.namedModules("root", true).keySet()));
    assertEquals(
        text("traversal", "outer_named_children"), String.join("\n", o.namedChildren().keySet()));
    assertEquals(
        text("traversal", "outer_named_parameters"),
        String.join("\n", o.namedParameters().keySet()));
    assertEquals(
        text("traversal", "outer_named_parameters_prefix_norecurse"),
        String.join("\n", o.block.namedParameters("blk", false).keySet()));
    assertEquals(
        text("traversal", "outer_named_buffers"), String.join("\n", o.namedBuffers().keySet()));
    assertEquals(
        text("traversal", "tied_named_parameters"),
        String.join("\n", tied.namedParameters().keySet()));
    assertEquals(
        text("traversal", "tied_named_modules"), String.join("\n", tied.namedModules().keySet()));
    assertEquals(
        text("traversal", "tied_named_modules_dups"),
        String.join("\n", tied.namedModules("", false).keySet()));
    assertEquals(
        text("traversal", "tied_parameters_count"), String.valueOf(tied.parameters().size()));
    assertEquals(text("traversal", "tied_modules_count"), String.valueOf(tied.modules().size()));
    List<String> order = new ArrayList<>();
    new Outer().apply(m -> order.add(m.typeName()));
    assertEquals(text("apply", "order"), String.join("\n", order));
  }

  // ------------------------------------------------------------------ errors

  @Test
  void registrationAndLookupErrorMessages() {
    Block m = new Block();
    m.setAttribute("plain", 5);
    Map<String, Executable> cases = new LinkedHashMap<>();
    cases.put("param_dot", () -> m.registerParameter("a.b", new Parameter(Tensor.zeros(1))));
    cases.put("param_empty", () -> m.registerParameter("", new Parameter(Tensor.zeros(1))));
    cases.put(
        "param_exists_buffer",
        () -> m.registerParameter("running", new Parameter(Tensor.zeros(1))));
    cases.put(
        "param_exists_module", () -> m.registerParameter("lin", new Parameter(Tensor.zeros(1))));
    cases.put(
        "param_exists_plain", () -> m.registerParameter("plain", new Parameter(Tensor.zeros(1))));
    cases.put(
        "param_exists_training",
        () -> m.registerParameter("training", new Parameter(Tensor.zeros(1))));
    cases.put("buffer_dot", () -> m.registerBuffer("a.b", Tensor.zeros(1)));
    cases.put("buffer_empty", () -> m.registerBuffer("", Tensor.zeros(1)));
    cases.put("buffer_exists_param", () -> m.registerBuffer("scale", Tensor.zeros(1)));
    cases.put("module_dot", () -> m.addModule("a.b", new Linear(1, 1)));
    cases.put("module_empty", () -> m.addModule("", new Linear(1, 1)));
    cases.put("module_exists_param", () -> m.addModule("scale", new Linear(1, 1)));
    cases.put("setattr_tensor_to_param", () -> m.setAttribute("scale", Tensor.zeros(2)));
    cases.put(
        "setattr_double_tensor_to_param",
        () -> m.setAttribute("scale", Tensor.zeros(2).to(DType.FLOAT64)));
    cases.put("setattr_tensor_to_module", () -> m.setAttribute("lin", Tensor.zeros(2)));
    cases.put("getattr_missing", () -> m.getAttribute("nope"));
    cases.put("delattr_missing", () -> m.delAttribute("nope"));
    cases.put("get_submodule_missing", () -> new Outer().getSubmodule("seq.7"));
    cases.put("get_submodule_not_module", () -> new Outer().getSubmodule("block.scale"));
    cases.put("get_submodule_deep_missing", () -> new Outer().getSubmodule("seq.2.nothing"));
    cases.put("get_parameter_missing", () -> new Outer().getParameter("block.lin.nope"));
    cases.put("get_parameter_not_param", () -> new Outer().getParameter("block.running"));
    cases.put("get_parameter_bad_path", () -> new Outer().getParameter("nope.weight"));
    cases.put("get_buffer_not_buffer", () -> new Outer().getBuffer("block.scale"));
    cases.put("get_buffer_missing", () -> new Outer().getBuffer("block.nope"));
    cases.put("forward_missing", () -> new Module().call(Tensor.zeros(1)));
    cases.put("to_long", () -> new Net().to(DType.INT64));
    cases.put("paramlist_call", () -> new ParameterList().call(Tensor.zeros(1)));
    cases.put("seq_index", () -> new Sequential(new ReLU()).get(5));
    cases.put("seq_insert", () -> new Sequential(new ReLU()).insert(7, new ReLU()));
    cases.put("modulelist_index", () -> new ModuleList(List.of(new ReLU())).get(-2));
    for (Map.Entry<String, Executable> e : cases.entrySet()) {
      assertEquals(text("errors", e.getKey()), message(e.getValue()), e.getKey());
    }
  }

  @Test
  void loadStateDictErrorMessages() {
    StateDict good = new Net().stateDict();
    Map<String, Tensor> missing = new LinkedHashMap<>(good);
    missing.remove("fc2.bias");
    Map<String, Tensor> unexpected = new LinkedHashMap<>(good);
    unexpected.put("fc3.weight", Tensor.zeros(1));
    unexpected.put("fc1.extra", Tensor.zeros(1));
    Map<String, Tensor> both = new LinkedHashMap<>(good);
    both.remove("fc1.weight");
    both.put("zzz", Tensor.zeros(1));
    Map<String, Tensor> mismatch = new LinkedHashMap<>(good);
    mismatch.put("fc1.weight", Tensor.zeros(3, 3));
    mismatch.put("fc2.bias", Tensor.zeros(2));
    Map<String, Tensor> mismatchMissing = new LinkedHashMap<>(mismatch);
    mismatchMissing.remove("fc2.weight");

    assertEquals(
        text("load_state_dict", "missing"), message(() -> new Net().loadStateDict(missing)));
    assertEquals(
        text("load_state_dict", "unexpected"), message(() -> new Net().loadStateDict(unexpected)));
    assertEquals(text("load_state_dict", "both"), message(() -> new Net().loadStateDict(both)));
    assertEquals(
        text("load_state_dict", "mismatch_nonstrict"),
        message(() -> new Net().loadStateDict(mismatch, false)));
    assertEquals(
        text("load_state_dict", "mismatch_missing_strict"),
        message(() -> new Net().loadStateDict(mismatchMissing)));
    Net net = new Net();
    assertEquals(
        text("load_state_dict", "nonstrict_result"), net.loadStateDict(both, false).toString());
    assertEquals(text("load_state_dict", "ok_result"), net.loadStateDict(good).toString());

    Map<String, Tensor> outerSd = new LinkedHashMap<>(new Outer().stateDict());
    outerSd.put("block.gap.weight", Tensor.zeros(1));
    outerSd.put("block.maybe", Tensor.zeros(1));
    outerSd.put("block.scratch", Tensor.zeros(3));
    assertEquals(
        text("load_state_dict", "outer_unexpected"),
        message(() -> new Outer().loadStateDict(outerSd)));

    BatchNorm1d bn = new BatchNorm1d(2);
    StateDict bc = bn.stateDict();
    bc.put("num_batches_tracked", Tensor.fromArray(new long[] {7}, 1)); // 1-D into 0-D
    bn.loadStateDict(bc);
    assertTensorClose(
        G.get("load_state_dict").tensor("bc_num_batches_tracked"),
        bn.getBuffer("num_batches_tracked"),
        "bc");
    assertEquals(DType.INT64, bn.getBuffer("num_batches_tracked").dtype());
  }
}
