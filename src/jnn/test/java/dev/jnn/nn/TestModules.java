package dev.jnn.nn;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Device;
import dev.jnn.core.Shape;
import dev.jnn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small modules for the nn tests, named like the Python classes of {@code
 * scripts/golden/module_semantics.py} so reprs and messages compare byte for byte. (The real layers
 * live in {@code dev.jnn.nn.layers}.)
 */
final class TestModules {
  private TestModules() {}

  /** {@code nn.Linear}'s registration order and repr; forward {@code x W^T + b}. */
  static final class Linear extends Module {
    final int inFeatures;
    final int outFeatures;
    final Parameter weight;
    final Parameter bias;

    Linear(int in, int out) {
      this(in, out, true);
    }

    Linear(int in, int out, boolean bias) {
      this.inFeatures = in;
      this.outFeatures = out;
      this.weight = registerParameter("weight", new Parameter(Tensor.zeros(out, in)));
      this.bias = registerParameter("bias", bias ? new Parameter(Tensor.zeros(out)) : null);
      fill(0.0);
    }

    /** Deterministic weights as in the golden script: weight = start + 0.1 k, bias = -0.05 k. */
    Linear fill(double start) {
      try (NoGrad g = NoGrad.enter()) {
        Tensor w = (Tensor) getAttribute("weight");
        long n = w.numel();
        w.copyFrom(
            Tensor.arange(0, n, 1, DType.FLOAT32).mul(0.1).add(start).reshape(w.shape().dims()));
        Tensor b = (Tensor) getAttribute("bias");
        if (b != null) {
          b.copyFrom(Tensor.arange(0, b.numel(), 1, DType.FLOAT32).mul(-0.05));
        }
      }
      return this;
    }

    @Override
    public Tensor forward(Tensor x) {
      Tensor w = (Tensor) getAttribute("weight");
      Tensor b = (Tensor) getAttribute("bias");
      Tensor y = x.matmul(w.t());
      return b == null ? y : y.add(b);
    }

    @Override
    protected String extraRepr() {
      return "in_features="
          + inFeatures
          + ", out_features="
          + outFeatures
          + ", bias="
          + (getAttribute("bias") != null ? "True" : "False");
    }
  }

  /** {@code nn.ReLU()}. */
  static final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
      return x.relu();
    }
  }

  /** fc1 -> act -> fc2. */
  static final class Net extends Module {
    final Linear fc1 = registerModule("fc1", new Linear(2, 3));
    final ReLU act = registerModule("act", new ReLU());
    final Linear fc2 = registerModule("fc2", new Linear(3, 1));

    @Override
    public Tensor forward(Tensor x) {
      return fc2.call(act.call(fc1.call(x)));
    }
  }

  /** Parameters, a null parameter, persistent / non-persistent / null buffers, a null child. */
  static final class Block extends Module {
    Block() {
      registerParameter("scale", new Parameter(Tensor.ones(2)));
      registerParameter("maybe", null);
      registerBuffer("running", Tensor.zeros(2));
      registerBuffer("scratch", Tensor.zeros(3), false);
      registerBuffer("absent", null);
      registerModule("lin", new Linear(2, 2));
      registerModule("gap", null);
    }
  }

  /** A Block and a nested Sequential (one of them built from named entries). */
  static final class Outer extends Module {
    final Block block = registerModule("block", new Block());
    final Sequential seq;

    Outer() {
      Map<String, Module> inner = new LinkedHashMap<>();
      inner.put("inner", new Linear(2, 1));
      seq =
          registerModule(
              "seq", new Sequential(new Linear(2, 2), new ReLU(), new Sequential(inner)));
    }
  }

  /** A two-line extra repr and a child. */
  static final class Multi extends Module {
    Multi() {
      registerModule("child", new Linear(1, 1));
    }

    @Override
    protected String extraRepr() {
      return "alpha=1\nbeta=2";
    }
  }

  /** A one-line extra repr, no child. */
  static final class Single extends Module {
    @Override
    protected String extraRepr() {
      return "k=3";
    }
  }

  /** Tied weights (b.weight is a.weight) and one module registered twice (s1, s2). */
  static final class Tied extends Module {
    final Linear a = registerModule("a", new Linear(2, 2));
    final Linear b = registerModule("b", new Linear(2, 2));

    Tied() {
      b.setAttribute("weight", a.weight);
      Linear shared = new Linear(1, 1);
      registerModule("s1", shared);
      registerModule("s2", shared);
    }
  }

  /** {@code a * b} over two positional inputs (a third, non-tensor argument is ignored). */
  static final class Mul extends Module {
    @Override
    public Tensor forward(Tensor... inputs) {
      return inputs[0].mul(inputs[1]);
    }
  }

  /**
   * A minimal {@code nn.BatchNorm1d} (2-D input) showing what the Module system must support for
   * PyTorch's batch norm: version 2 metadata, the int64 {@code num_batches_tracked}, the version-1
   * checkpoint upgrade and the cumulative average for {@code momentum == null}.
   */
  static final class BatchNorm1d extends Module {
    final int numFeatures;
    final double eps = 1e-5;
    final Double momentum;

    BatchNorm1d(int numFeatures) {
      this(numFeatures, 0.1);
    }

    BatchNorm1d(int numFeatures, Double momentum) {
      this.numFeatures = numFeatures;
      this.momentum = momentum;
      registerParameter("weight", new Parameter(Tensor.ones(numFeatures)));
      registerParameter("bias", new Parameter(Tensor.zeros(numFeatures)));
      registerBuffer("running_mean", Tensor.zeros(numFeatures));
      registerBuffer("running_var", Tensor.ones(numFeatures));
      registerBuffer("num_batches_tracked", Tensor.zeros(Shape.scalar(), DType.INT64, Device.CPU));
    }

    @Override
    protected int version() {
      return 2;
    }

    @Override
    protected void loadFromStateDict(
        Map<String, Tensor> stateDict,
        String prefix,
        Map<String, Object> localMetadata,
        boolean strict,
        List<String> missingKeys,
        List<String> unexpectedKeys,
        List<String> errorMsgs) {
      Object version = localMetadata.get("version");
      if (version == null || (Integer) version < 2) {
        // version 2 added num_batches_tracked; old checkpoints keep the module's current count
        String key = prefix + "num_batches_tracked";
        if (!stateDict.containsKey(key)) {
          stateDict.put(key, getBuffer("num_batches_tracked"));
        }
      }
      super.loadFromStateDict(
          stateDict, prefix, localMetadata, strict, missingKeys, unexpectedKeys, errorMsgs);
    }

    @Override
    public Tensor forward(Tensor x) {
      Tensor mean = x.mean(0, false);
      Tensor varBiased = x.var(0, false, false);
      if (isTraining()) {
        try (NoGrad g = NoGrad.enter()) {
          Tensor count = getBuffer("num_batches_tracked");
          count.fill(count.itemLong() + 1);
          double f = momentum == null ? 1.0 / count.itemLong() : momentum;
          Tensor rm = getBuffer("running_mean");
          Tensor rv = getBuffer("running_var");
          rm.copyFrom(rm.mul(1 - f).add(mean.detach().mul(f)));
          rv.copyFrom(rv.mul(1 - f).add(x.detach().var(0, true, false).mul(f)));
        }
      }
      Tensor w = (Tensor) getAttribute("weight");
      Tensor b = (Tensor) getAttribute("bias");
      return x.sub(mean).div(varBiased.add(eps).sqrt()).mul(w).add(b);
    }

    @Override
    protected String extraRepr() {
      return numFeatures
          + ", eps=1e-05, momentum="
          + momentum
          + ", affine=True, track_running_stats=True";
    }
  }

  /** A module with opt-in extra state (a tensor). */
  static final class WithExtra extends Module {
    Tensor extra = Tensor.fromArray(new float[] {7f}, 1);
    final Linear lin = registerModule("lin", new Linear(1, 1));

    @Override
    protected Tensor getExtraState() {
      return extra;
    }

    @Override
    protected void setExtraState(Tensor state) {
      extra = state;
    }
  }
}
