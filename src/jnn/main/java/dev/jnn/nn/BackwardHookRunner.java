package dev.jnn.nn;

import dev.jnn.autograd.GradMode;
import dev.jnn.autograd.Node;
import dev.jnn.tensor.Tensor;
import dev.jnn.tensor.TensorAccess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One module call's full backward hooks and backward pre-hooks ({@code
 * torch.utils.hooks.BackwardHook}). The positional tensor arguments and the output pass through an
 * identity node named {@code BackwardHookFunctionBackward} each; the output-side node sees the
 * output gradients (runs the pre-hooks), the input-side node sees the input gradients (runs the
 * full hooks). So the forward receives views of its inputs and the caller views of the output
 * tensors. The output positions are a record's components (a tuple) or the single output value; see
 * {@link #setupOutputHook}.
 */
final class BackwardHookRunner {
  static final String NODE_NAME = "BackwardHookFunctionBackward";
  private static final TensorAccess TENSORS = TensorAccess.get();

  private final Module module;
  private final List<BackwardHook> userHooks;
  private final List<BackwardPreHook> userPreHooks;

  private List<Tensor> gradOutputs; // packed, set by the output side, cleared by the input side
  private int nOutputs = -1;
  private int[] outputTensorsIndex;
  private int nInputs = -1;
  private int[] inputTensorsIndex; // null when no input required grad

  BackwardHookRunner(Module module, List<BackwardHook> hooks, List<BackwardPreHook> preHooks) {
    this.module = module;
    this.userHooks = hooks;
    this.userPreHooks = preHooks;
  }

  private static List<Tensor> packWithNone(int[] indices, Tensor[] values, int size) {
    Tensor[] res = new Tensor[size];
    for (int k = 0; k < indices.length && k < values.length; k++) {
      res[indices[k]] = values[k];
    }
    return Collections.unmodifiableList(Arrays.asList(res));
  }

  private static Tensor[] unpackNone(int[] indices, List<Tensor> values) {
    Tensor[] res = new Tensor[indices.length];
    for (int k = 0; k < indices.length; k++) {
      res[k] = values.get(indices[k]);
    }
    return res;
  }

  /**
   * Wraps the tensors among {@code args} in one identity node (when one requires grad and grad mode
   * is on) and hands the node to {@code onNode}; returns the new values (a copy; {@code args}
   * itself when nothing was wrapped) and sets {@code indexOut[0]} to the tensor positions, or
   * leaves it null when nothing was wrapped ({@code _apply_on_tensors}).
   */
  private static Object[] applyOnTensors(
      Object[] args, java.util.function.Consumer<Node> onNode, int[][] indexOut) {
    List<Integer> idx = new ArrayList<>();
    List<Tensor> tensors = new ArrayList<>();
    boolean requiresGrad = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof Tensor t) {
        idx.add(i);
        tensors.add(t);
        requiresGrad |= t.requiresGrad();
      }
    }
    if (!(requiresGrad && GradMode.isEnabled())) {
      indexOut[0] = null;
      return args;
    }
    Tensor[] ins = tensors.toArray(new Tensor[0]);
    Tensor[] outs = new Tensor[ins.length];
    for (int k = 0; k < ins.length; k++) {
      outs[k] = ins[k].detach();
    }
    TENSORS.recordMulti(NODE_NAME, outs, ins, new Tensor[0], g -> g.clone());
    Node node = outs[0].gradFn();
    if (node == null || !NODE_NAME.equals(node.name())) {
      throw new IllegalStateException(
          "Error while setting up backward hooks. Please open an issue with a code sample to"
              + " reproduce this.");
    }
    onNode.accept(node);
    Object[] newArgs = args.clone();
    for (int k = 0; k < ins.length; k++) {
      // PyTorch marks the outputs of inputs that do not require grad non-differentiable: they keep
      // a slot in the node (their gradient is materialised as zeros) but are plain views.
      newArgs[idx.get(k)] = ins[k].requiresGrad() ? outs[k] : ins[k].detach();
    }
    int[] ix = new int[idx.size()];
    for (int k = 0; k < ix.length; k++) {
      ix[k] = idx.get(k);
    }
    indexOut[0] = ix;
    return newArgs;
  }

  /** {@code setup_input_hook}: wraps the positional tensors; the input-side node runs the hooks. */
  List<Tensor> setupInputHook(List<Tensor> args) {
    int[][] ix = new int[1][];
    Object[] res =
        applyOnTensors(
            args.toArray(), node -> node.registerPostHook((gin, gout) -> inputHook(gin)), ix);
    nInputs = args.size();
    inputTensorsIndex = ix[0];
    if (ix[0] == null) {
      return args;
    }
    Tensor[] wrapped = Arrays.copyOf(res, res.length, Tensor[].class);
    return Collections.unmodifiableList(Arrays.asList(wrapped));
  }

  private Tensor[] inputHook(Tensor[] gradInput) {
    if (gradOutputs == null) {
      // The gradient reached the module's inputs without passing through its outputs (e.g. a
      // double backward): nothing to report.
      return null;
    }
    List<Tensor> res = packWithNone(inputTensorsIndex, gradInput, nInputs);
    for (BackwardHook hook : userHooks) {
      List<Tensor> out = hook.apply(module, res, gradOutputs);
      if (out == null) {
        continue;
      }
      if (out.size() != res.size()) {
        throw new IllegalStateException(
            "Backward hook returned an invalid number of grad_input, got "
                + out.size()
                + ", but expected "
                + res.size());
      }
      res = Collections.unmodifiableList(Arrays.asList(out.toArray(new Tensor[0])));
    }
    gradOutputs = null;
    return unpackNone(inputTensorsIndex, res);
  }

  /**
   * {@code setup_output_hook}: wraps the output's tensors; their node runs the pre-hooks. A record
   * is a tuple: each component is one output position (a tensor, or a non-tensor whose gradient is
   * null), and the record is rebuilt, as the same record class, around the wrapped tensors. Any
   * other output is one position: a tensor is wrapped, anything else (a map, a list, a nested
   * structure) holds no tensor for the hooks, as in PyTorch.
   */
  Object setupOutputHook(Object result) {
    Record tuple = result instanceof Record r ? r : null;
    Object[] args = tuple != null ? Outputs.tupleElements(tuple) : new Object[] {result};
    int[][] ix = new int[1][];
    Object[] res =
        applyOnTensors(args, node -> node.registerPostHook((gin, gout) -> outputHook(gout)), ix);
    nOutputs = args.length;
    outputTensorsIndex = ix[0];
    if (ix[0] == null) {
      return result;
    }
    return tuple != null ? Outputs.withElements(tuple, res) : res[0];
  }

  private Tensor[] outputHook(Tensor[] gradOutput) {
    gradOutputs = packWithNone(outputTensorsIndex, gradOutput, nOutputs);
    if (!userPreHooks.isEmpty()) {
      int expected = gradOutputs.size();
      for (BackwardPreHook pre : userPreHooks) {
        List<Tensor> r = pre.apply(module, gradOutputs);
        if (r == null) {
          continue;
        }
        if (r.size() != expected) {
          throw new IllegalStateException(
              "Backward pre hook returned an invalid number of grad_output, got "
                  + r.size()
                  + ", but expected "
                  + expected);
        }
        gradOutputs = Collections.unmodifiableList(Arrays.asList(r.toArray(new Tensor[0])));
      }
    }
    List<Tensor> local = gradOutputs;
    if (inputTensorsIndex == null) {
      // No input requires grad: the full hooks run here, with all-null input gradients.
      List<Tensor> gradInputs = packWithNone(new int[0], new Tensor[0], nInputs);
      for (BackwardHook hook : userHooks) {
        List<Tensor> r = hook.apply(module, gradInputs, gradOutputs);
        if (r != null && !r.stream().allMatch(t -> t == null)) {
          throw new IllegalStateException(
              "Backward hook for Modules where no input requires gradient should always return"
                  + " None or None for all gradients.");
        }
      }
      gradOutputs = null;
    }
    return unpackNone(outputTensorsIndex, local);
  }
}
