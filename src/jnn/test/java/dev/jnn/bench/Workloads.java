package dev.jnn.bench;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Conv2d;
import dev.jnn.nn.layers.Flatten;
import dev.jnn.nn.layers.LSTM;
import dev.jnn.nn.layers.TransformerEncoderLayer;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.MaxPool2d;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;

/**
 * docs/PERFORMANCE.md's workloads a-d, written with the public API the way a user writes them
 * (modules, {@link Functional}, an optimizer). {@code scripts/bench} times them next to the same
 * PyTorch code ({@code scripts/bench_torch.py}); {@link WorkloadBench} runs them under JMH.
 *
 * <ul>
 *   <li>a: x[64,1,28,28] -> Conv2d(1,20,5) -> relu -> Conv2d(20,20,5) -> relu; backward of the
 *       output's sum into the parameters;
 *   <li>b: LeNet training step, batch 64: zero_grad, forward, cross-entropy, backward, SGD step
 *       (lr 0.01, momentum 0.9);
 *   <li>c: x[16,64,56,56] -> Conv2d(64,64,3,padding=1); backward into the input and parameters;
 *   <li>d: x[256,1024] -> Linear(1024,1024); backward into the input and parameters;
 *   <li>e: x[64,32,512] (seq, batch, feature) -> LSTM(512, 512, num_layers=2); backward of the
 *       output's sum into the input and parameters (issue 18's workload: hidden 512, 2 layers,
 *       sequence 64, batch 32; the composite recurrent layers);
 *   <li>f: x[8,128,512] (batch first) -> TransformerEncoderLayer(512, 8, dim_feedforward=2048,
 *       dropout=0.1): forward in evaluation mode without autograd (PyTorch takes its fused
 *       inference path there), and a training-mode step: backward of the output's sum into the
 *       input and parameters (issue 19's workload).
 * </ul>
 *
 * <p>Issue 21's models suite (ResNet-50, MobileNetV2, batch-1 CNN and MLP) is in {@link
 * ModelWorkloads}; {@link #create} makes those too.
 *
 * <p>Each phase allocates its outputs as user code does and lets them go (nothing is closed by
 * hand), so the timings include whatever the library does with per-step memory.
 */
public final class Workloads {
  private Workloads() {}

  /** One workload: forward (no autograd) and its training phase. */
  public abstract static class Workload {
    /** {@code a} .. {@code d}. */
    public final String id;
    /** Forward GFLOP (2 x multiply-adds). */
    public final double forwardGflop;

    Workload(String id, double forwardGflop) {
      this.id = id;
      this.forwardGflop = forwardGflop;
    }

    /** Forward only, without recording autograd; returns the output. */
    public abstract Tensor forward();

    /**
     * Forward + backward (a, c, d) or one training step (b); returns something that depends on
     * the result so the work cannot be elided.
     */
    public abstract Tensor train();

    /**
     * Name of the training phase: {@code fwd+bwd} or {@code train step}; null for an
     * inference-only workload (the models suite's batch-1 and batch-32 ones).
     */
    public String trainPhase() {
      return "fwd+bwd";
    }

    /** Whether the workload has a separately timed forward phase. */
    public boolean hasForward() {
      return true;
    }
  }

  static Tensor randn(Generator g, long... dims) {
    return Tensor.randn(Shape.of(dims), DType.FLOAT32, g);
  }

  /** Workload b's LeNet (also the models suite's batch-1 {@code cnn-b1}). */
  static Module lenet() {
    return new Sequential(
        new Conv2d(1, 20, 5), new ReLU(), new MaxPool2d(2),
        new Conv2d(20, 50, 5), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(800, 500), new ReLU(),
        new Linear(500, 10));
  }

  /** Creates workload {@code id} with seeded inputs and PyTorch's default initialisation. */
  public static Workload create(String id) {
    Generator.manualSeed(0);
    Generator g = new Generator(1);
    switch (id) {
      case "a": {
        Module model =
            new Sequential(new Conv2d(1, 20, 5), new ReLU(), new Conv2d(20, 20, 5), new ReLU());
        Tensor x = randn(g, 64, 1, 28, 28);
        return new Workload("a", 0.549) {
          @Override
          public Tensor forward() {
            try (var ng = NoGrad.enter()) {
              return model.call(x);
            }
          }

          @Override
          public Tensor train() {
            model.zeroGrad();
            Tensor y = model.call(x);
            y.sum().backward();
            return y;
          }
        };
      }
      case "b": {
        Module model = lenet();
        SGD opt = new SGD(model.parameters(), 0.01, 0.9);
        Tensor x = randn(g, 64, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, Shape.of(64), g);
        return new Workload("b", 0.294) {
          @Override
          public Tensor forward() {
            try (var ng = NoGrad.enter()) {
              return model.call(x);
            }
          }

          @Override
          public Tensor train() {
            opt.zeroGrad();
            Tensor loss = Functional.crossEntropy(model.call(x), y);
            loss.backward();
            opt.step();
            return loss;
          }

          @Override
          public String trainPhase() {
            return "train step";
          }

          @Override
          public boolean hasForward() {
            return false;
          }
        };
      }
      case "c": {
        Conv2d conv = new Conv2d(64, 64, 3, 1, 1);
        Tensor x = randn(g, 16, 64, 56, 56).requiresGrad(true);
        return new Workload("c", 3.699) {
          @Override
          public Tensor forward() {
            try (var ng = NoGrad.enter()) {
              return conv.call(x);
            }
          }

          @Override
          public Tensor train() {
            conv.zeroGrad();
            x.setGrad(null);
            Tensor y = conv.call(x);
            y.sum().backward();
            return x.grad();
          }
        };
      }
      case "d": {
        Linear fc = new Linear(1024, 1024);
        Tensor x = randn(g, 256, 1024).requiresGrad(true);
        return new Workload("d", 0.537) {
          @Override
          public Tensor forward() {
            try (var ng = NoGrad.enter()) {
              return fc.call(x);
            }
          }

          @Override
          public Tensor train() {
            fc.zeroGrad();
            x.setGrad(null);
            Tensor y = fc.call(x);
            y.sum().backward();
            return x.grad();
          }
        };
      }
      case "e": {
        LSTM lstm = new LSTM(512, 512, 2);
        Tensor x = randn(g, 64, 32, 512).requiresGrad(true);
        // per layer and step: 2 GEMMs [32 x 512] x [512 x 2048]: 2 x 2 x 32 x 512 x 2048 x 64 x 2
        return new Workload("e", 17.18) {
          @Override
          public Tensor forward() {
            try (var ng = NoGrad.enter()) {
              return lstm.callOutput(x).output();
            }
          }

          @Override
          public Tensor train() {
            lstm.zeroGrad();
            x.setGrad(null);
            Tensor y = lstm.callOutput(x).output();
            y.sum().backward();
            return x.grad();
          }
        };
      }
      case "f": {
        TransformerEncoderLayer layer = TransformerEncoderLayer.builder(512, 8)
            .dimFeedforward(2048).dropout(0.1).batchFirst(true).build();
        Tensor x = randn(g, 8, 128, 512).requiresGrad(true);
        // 1024 tokens: QKV 3 x 2 x 1024 x 512 x 512, scores and weights x values 2 x 2 x 64 x 128
        // x 128 x 64, output projection 2 x 1024 x 512 x 512, feed-forward 2 x 2 x 1024 x 512 x
        // 2048 = 6.71 GFLOP forward
        return new Workload("f", 6.711) {
          @Override
          public Tensor forward() {
            layer.eval();
            try (var ng = NoGrad.enter()) {
              return layer.call(x);
            }
          }

          @Override
          public Tensor train() {
            layer.train();
            layer.zeroGrad();
            x.setGrad(null);
            Tensor y = layer.call(x);
            y.sum().backward();
            return x.grad();
          }
        };
      }
      default:
        Workload m = ModelWorkloads.create(id, g);
        if (m == null) {
          throw new IllegalArgumentException("unknown workload " + id + " (a, b, c, d, e, f or"
              + " one of the models suite: " + ModelWorkloads.SUITE + ")");
        }
        return m;
    }
  }
}
