package dev.jnn.bench;

import dev.jnn.autograd.NoGrad;
import dev.jnn.core.DType;
import dev.jnn.core.Shape;
import dev.jnn.models.MobileNetV2;
import dev.jnn.models.ResNet;
import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.layers.Linear;
import dev.jnn.nn.layers.ReLU;
import dev.jnn.optim.SGD;
import dev.jnn.tensor.Generator;
import dev.jnn.tensor.Tensor;

/**
 * Issue 21's models suite ({@code scripts/bench --suite models}: these, {@code e} and {@code f}),
 * written with the public API as a user writes them; {@code scripts/bench_torch.py} has the same
 * code against torchvision:
 *
 * <ul>
 *   <li>{@code r50-train}: torchvision's ResNet-50, training step on x[8,3,224,224] (zero_grad,
 *       forward, cross-entropy, backward, SGD lr 0.01 momentum 0.9);
 *   <li>{@code r50-b1}, {@code r50-b32}: ResNet-50 inference (eval, no autograd), batch 1 and 32;
 *   <li>{@code mnv2-train}: MobileNetV2, training step on x[8,3,224,224];
 *   <li>{@code mnv2-b1}: MobileNetV2 inference, batch 1 (depthwise 3x3 at stride 1 and 2, 1x1
 *       expansions);
 *   <li>{@code cnn-b1}: workload b's LeNet, inference on one 28x28 image (per-op overhead);
 *   <li>{@code mlp-b1}: Linear(784,256)-ReLU-Linear(256,256)-ReLU-Linear(256,10), inference on one
 *       vector (per-op overhead);
 *   <li>{@code tiny-ops}: 80 element-wise ops on an [8, 8] tensor, without and with autograd (the
 *       per-op overhead itself; also a JMH workload, {@code WorkloadBench -p workload=tiny-ops}).
 * </ul>
 *
 * <p>GFLOP: ResNet-50 4.09 G multiply-adds per 224x224 image (torchvision's figure), MobileNetV2
 * 0.30 G; a training step counts three forwards, as the other workloads do.
 */
final class ModelWorkloads {
  private ModelWorkloads() {}

  /** Every id of the suite, in the order {@code scripts/bench --suite models} runs them. */
  static final String SUITE =
      "r50-train,r50-b1,r50-b32,mnv2-train,mnv2-b1,cnn-b1,mlp-b1,tiny-ops,e,f";

  /** A training step (no separate forward phase). */
  private static Workloads.Workload trainStep(String id, double gflop, Module model, Tensor x,
      Tensor y) {
    SGD opt = new SGD(model.parameters(), 0.01, 0.9);
    return new Workloads.Workload(id, gflop) {
      @Override
      public Tensor forward() {
        throw new UnsupportedOperationException(id + " has no forward phase");
      }

      @Override
      public Tensor train() {
        model.train();
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

  /** Inference only: eval mode, no autograd. */
  private static Workloads.Workload inference(String id, double gflop, Module model, Tensor x) {
    model.eval();
    return new Workloads.Workload(id, gflop) {
      @Override
      public Tensor forward() {
        try (var ng = NoGrad.enter()) {
          return model.call(x);
        }
      }

      @Override
      public Tensor train() {
        throw new UnsupportedOperationException(id + " is inference only");
      }

      @Override
      public String trainPhase() {
        return null;
      }
    };
  }

  private static Tensor images(Generator g, int batch, int size) {
    return Tensor.randn(Shape.of(batch, 3, size, size), DType.FLOAT32, g);
  }

  /** Operations per call of {@code tiny-ops}: 16 rounds of mul, add, relu, sub, tanh. */
  static final int TINY_OPS = 16 * 5;

  /**
   * Per-op overhead: a chain of {@link #TINY_OPS} element-wise ops on an [8, 8] tensor, where the
   * arithmetic is nothing and the time is what each op costs around it (checks, allocation,
   * dispatch, autograd bookkeeping); forward without autograd, and with autograd plus backward.
   * Milliseconds per call x 1000 / 80 = microseconds per op.
   */
  private static Workloads.Workload tinyOps(String id, Generator g) {
    Tensor x = Tensor.randn(Shape.of(8, 8), DType.FLOAT32, g).requiresGrad(true);
    return new Workloads.Workload(id, 64e-9 * TINY_OPS) {
      private Tensor chain(Tensor y) {
        for (int i = 0; i < 16; i++) {
          y = y.mul(1.0001).add(0.5).relu().sub(0.25).tanh();
        }
        return y;
      }

      @Override
      public Tensor forward() {
        try (var ng = NoGrad.enter()) {
          return chain(x);
        }
      }

      @Override
      public Tensor train() {
        x.setGrad(null);
        chain(x).sum().backward();
        return x.grad();
      }
    };
  }

  /** The workload {@code id}, or null when it is not one of this suite's. */
  static Workloads.Workload create(String id, Generator g) {
    switch (id) {
      case "r50-train":
        return trainStep(id, 8 * 8.18, ResNet.resnet50(), images(g, 8, 224),
            Tensor.randint(0, 1000, Shape.of(8), g));
      case "r50-b1":
        return inference(id, 8.18, ResNet.resnet50(), images(g, 1, 224));
      case "r50-b32":
        return inference(id, 32 * 8.18, ResNet.resnet50(), images(g, 32, 224));
      case "mnv2-train":
        return trainStep(id, 8 * 0.60, MobileNetV2.mobilenetV2(), images(g, 8, 224),
            Tensor.randint(0, 1000, Shape.of(8), g));
      case "mnv2-b1":
        return inference(id, 0.60, MobileNetV2.mobilenetV2(), images(g, 1, 224));
      case "cnn-b1":
        return inference(id, 0.294 / 64, Workloads.lenet(),
            Tensor.randn(Shape.of(1, 1, 28, 28), DType.FLOAT32, g));
      case "mlp-b1":
        return inference(id, 2e-9 * (784 * 256 + 256 * 256 + 256 * 10),
            new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 256), new ReLU(),
                new Linear(256, 10)),
            Tensor.randn(Shape.of(1, 784), DType.FLOAT32, g));
      case "tiny-ops":
        return tinyOps(id, g);
      default:
        return null;
    }
  }
}
