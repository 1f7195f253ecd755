package dev.jnn.nn.layers;

import static dev.jnn.testing.Assertions2.assertTensorClose;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jnn.nn.Module;
import dev.jnn.nn.Sequential;
import dev.jnn.nn.functional.Functional;
import dev.jnn.nn.functional.Reduction;
import dev.jnn.nn.loss.BCEWithLogitsLoss;
import dev.jnn.nn.loss.CrossEntropyLoss;
import dev.jnn.nn.loss.L1Loss;
import dev.jnn.nn.loss.MSELoss;
import dev.jnn.nn.loss.NLLLoss;
import dev.jnn.tensor.Tensor;
import dev.jnn.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The modules of {@code scripts/golden/layers.py}'s {@code ZOO} table, by the same ids, built with
 * jnn's constructors and builders.
 */
public final class LayerZoo {
  private LayerZoo() {}

  /** The issue-3 example model. */
  public static final class Model extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 20, 5));
    final Conv2d conv2 = registerModule("conv2", new Conv2d(20, 20, 5));

    @Override
    public Tensor forward(Tensor x) {
      x = Functional.relu(conv1.call(x));
      return Functional.relu(conv2.call(x));
    }
  }

  static Tensor ceWeight() {
    return Tensor.fromArray(new float[] {0.5f, 1.0f, 2.0f, 1.5f});
  }

  static Tensor bceWeight() {
    return Tensor.fromArray(new float[] {1.0f, 0.5f, 2.0f});
  }

  static Tensor bcePosWeight() {
    return Tensor.fromArray(new float[] {3.0f, 0.5f, 1.0f});
  }

  /** id to factory, in the script's order. */
  public static final Map<String, Supplier<Module>> ZOO = new LinkedHashMap<>();

  static {
    ZOO.put("conv_default", () -> new Conv2d(1, 20, 5));
    ZOO.put("conv_pos", () -> new Conv2d(3, 16, 3, 1, 1));
    ZOO.put(
        "conv_stride2", () -> Conv2d.builder(20, 40, 3).stride(2).padding(1).bias(false).build());
    ZOO.put(
        "conv_full",
        () ->
            Conv2d.builder(4, 6, 3, 2)
                .stride(2, 1)
                .padding(1, 2)
                .dilation(1, 2)
                .groups(2)
                .bias(false)
                .build());
    ZOO.put("conv_same", () -> Conv2d.builder(2, 3, 4).padding("same").dilation(2).build());
    ZOO.put("conv_valid", () -> Conv2d.builder(2, 3, 3).padding("valid").build());
    ZOO.put(
        "conv_reflect", () -> Conv2d.builder(2, 3, 3).padding(1, 2).paddingMode("reflect").build());
    ZOO.put(
        "conv_replicate",
        () -> Conv2d.builder(2, 3, 3).padding(2).paddingMode("replicate").build());
    ZOO.put(
        "conv_circular",
        () -> Conv2d.builder(2, 3, 3, 2).padding(2, 1).paddingMode("circular").build());
    ZOO.put(
        "conv_same_reflect",
        () -> Conv2d.builder(2, 3, 4, 3).padding("same").paddingMode("reflect").build());
    ZOO.put("linear", () -> new Linear(800, 500));
    ZOO.put("linear_small", () -> new Linear(5, 3));
    ZOO.put("linear_nobias", () -> new Linear(4, 2, false));
    ZOO.put("bn2d", () -> new BatchNorm2d(20));
    ZOO.put("bn2d_small", () -> new BatchNorm2d(3));
    ZOO.put(
        "bn2d_opts",
        () ->
            BatchNorm2d.builder(3)
                .eps(1e-3)
                .momentum(null)
                .affine(false)
                .trackRunningStats(false)
                .build());
    ZOO.put("bn2d_cma", () -> BatchNorm2d.builder(3).momentum(null).build());
    ZOO.put("bn1d", () -> new BatchNorm1d(100));
    ZOO.put("bn1d_small", () -> new BatchNorm1d(4));
    ZOO.put("bn1d_opts", () -> BatchNorm1d.builder(4).eps(0.0001).momentum(0.01).build());
    ZOO.put("bn1d_noaffine", () -> BatchNorm1d.builder(4).affine(false).build());
    ZOO.put("ln", () -> new LayerNorm(10));
    ZOO.put("ln_small", () -> new LayerNorm(4));
    ZOO.put("ln2", () -> LayerNorm.builder(3, 4).eps(1e-6).elementwiseAffine(false).build());
    ZOO.put("ln2_affine", () -> new LayerNorm(new long[] {3, 4}));
    ZOO.put("maxpool", () -> new MaxPool2d(2));
    ZOO.put("maxpool_s", () -> new MaxPool2d(3, 2));
    ZOO.put(
        "maxpool_full",
        () ->
            MaxPool2d.builder(3, 2).stride(2, 1).padding(1).dilation(1, 2).ceilMode(true).build());
    ZOO.put("avgpool", () -> new AvgPool2d(2));
    ZOO.put(
        "avgpool_full",
        () ->
            AvgPool2d.builder(3, 3)
                .stride(2)
                .padding(1, 0)
                .ceilMode(true)
                .countIncludePad(false)
                .build());
    ZOO.put(
        "avgpool_div", () -> AvgPool2d.builder(2).stride(1).padding(1).divisorOverride(3).build());
    ZOO.put("adaptive", () -> new AdaptiveAvgPool2d(1));
    ZOO.put("adaptive2", () -> new AdaptiveAvgPool2d(3, 2));
    ZOO.put("adaptive_none", () -> new AdaptiveAvgPool2d(null, 3));
    ZOO.put("dropout", Dropout::new);
    ZOO.put("dropout2", () -> new Dropout(0.2));
    ZOO.put("dropout0", () -> new Dropout(0.0));
    ZOO.put("relu", ReLU::new);
    ZOO.put("leaky", LeakyReLU::new);
    ZOO.put("leaky2", () -> new LeakyReLU(0.2));
    ZOO.put("gelu", GELU::new);
    ZOO.put("gelu_tanh", () -> new GELU("tanh"));
    ZOO.put("sigmoid", Sigmoid::new);
    ZOO.put("tanh", Tanh::new);
    ZOO.put("softmax", () -> new Softmax(1));
    ZOO.put("softmax_none", Softmax::new);
    ZOO.put("logsoftmax", () -> new LogSoftmax(-1));
    // issue 20: the other activations and alpha dropout
    ZOO.put("relu6", ReLU6::new);
    ZOO.put("relu6_inplace", () -> new ReLU6(true));
    ZOO.put("elu", ELU::new);
    ZOO.put("elu_opts", () -> new ELU(0.5, true));
    ZOO.put("selu", SELU::new);
    ZOO.put("selu_inplace", () -> new SELU(true));
    ZOO.put("celu", CELU::new);
    ZOO.put("celu_opts", () -> new CELU(0.3));
    ZOO.put("celu_inplace", () -> new CELU(2.0, true));
    ZOO.put("silu", SiLU::new);
    ZOO.put("silu_inplace", () -> new SiLU(true));
    ZOO.put("mish", Mish::new);
    ZOO.put("mish_inplace", () -> new Mish(true));
    ZOO.put("hardswish", Hardswish::new);
    ZOO.put("hardswish_inplace", () -> new Hardswish(true));
    ZOO.put("hardsigmoid", Hardsigmoid::new);
    ZOO.put("hardsigmoid_inplace", () -> new Hardsigmoid(true));
    ZOO.put("hardtanh", Hardtanh::new);
    ZOO.put("hardtanh_opts", () -> new Hardtanh(-2.0, 0.5));
    ZOO.put("hardtanh_inplace", () -> new Hardtanh(-0.5, 0.5, true));
    ZOO.put("softplus", Softplus::new);
    ZOO.put("softplus_beta", () -> new Softplus(2.0));
    ZOO.put("softplus_opts", () -> new Softplus(0.5, 1.0));
    ZOO.put("softsign", Softsign::new);
    ZOO.put("prelu", PReLU::new);
    ZOO.put("prelu3", () -> new PReLU(3, 0.1));
    ZOO.put("logsigmoid", LogSigmoid::new);
    ZOO.put("softmin", () -> new Softmin(1));
    ZOO.put("softmin_none", Softmin::new);
    ZOO.put("softmax2d", Softmax2d::new);
    ZOO.put("threshold", () -> new Threshold(0.1, 20.0));
    ZOO.put("threshold_inplace", () -> new Threshold(-0.5, 2.0, true));
    ZOO.put("tanhshrink", Tanhshrink::new);
    ZOO.put("hardshrink", Hardshrink::new);
    ZOO.put("hardshrink1", () -> new Hardshrink(1.0));
    ZOO.put("softshrink", Softshrink::new);
    ZOO.put("softshrink1", () -> new Softshrink(1.0));
    ZOO.put("glu", GLU::new);
    ZOO.put("glu0", () -> new GLU(0));
    ZOO.put("leaky_inplace", () -> new LeakyReLU(0.2, true));
    ZOO.put("alpha_dropout", AlphaDropout::new);
    ZOO.put("alpha_dropout_opts", () -> new AlphaDropout(0.2, true));
    ZOO.put("feature_alpha_dropout", FeatureAlphaDropout::new);
    ZOO.put("feature_alpha_dropout_opts", () -> new FeatureAlphaDropout(0.1, true));
    ZOO.put("flatten", Flatten::new);
    ZOO.put("flatten2", () -> new Flatten(0, 2));
    ZOO.put("identity", Identity::new);
    ZOO.put("emb", () -> new Embedding(10, 3));
    ZOO.put("emb_pad", () -> Embedding.builder(10, 3).paddingIdx(-1).build());
    ZOO.put("emb_pad0", () -> Embedding.builder(6, 4).paddingIdx(0).build());
    ZOO.put("ce", CrossEntropyLoss::new);
    ZOO.put(
        "ce_opts",
        () ->
            CrossEntropyLoss.builder()
                .weight(ceWeight())
                .ignoreIndex(0)
                .reduction(Reduction.SUM)
                .labelSmoothing(0.1)
                .build());
    ZOO.put("ce_none", () -> CrossEntropyLoss.builder().reduction(Reduction.NONE).build());
    ZOO.put(
        "ce_weight", () -> CrossEntropyLoss.builder().weight(ceWeight()).ignoreIndex(1).build());
    ZOO.put("nll", NLLLoss::new);
    ZOO.put(
        "nll_opts",
        () -> NLLLoss.builder().weight(ceWeight()).ignoreIndex(2).reduction(Reduction.SUM).build());
    ZOO.put("mse", MSELoss::new);
    ZOO.put("mse_sum", () -> new MSELoss(Reduction.SUM));
    ZOO.put("mse_none", () -> new MSELoss(Reduction.NONE));
    ZOO.put("l1", L1Loss::new);
    ZOO.put("l1_sum", () -> new L1Loss(Reduction.SUM));
    ZOO.put("bce", BCEWithLogitsLoss::new);
    ZOO.put(
        "bce_opts",
        () -> BCEWithLogitsLoss.builder().weight(bceWeight()).posWeight(bcePosWeight()).build());
    ZOO.put(
        "bce_pos",
        () ->
            BCEWithLogitsLoss.builder()
                .posWeight(bcePosWeight())
                .reduction(Reduction.NONE)
                .build());
    ZOO.put("bn1d_cma3d", () -> BatchNorm1d.builder(4).momentum(null).build());
    ZOO.put(
        "seq",
        () ->
            new Sequential(
                new Conv2d(1, 4, 5),
                new BatchNorm2d(4),
                new ReLU(),
                new MaxPool2d(2),
                new Flatten(),
                new Dropout(0.25),
                new Linear(64, 10),
                new LogSoftmax(1)));
    ZOO.put("model", Model::new);
    // issue 19 part 3 (layers.py's ZOO_TFP)
    ZOO.put("ln_nobias", () -> LayerNorm.builder(6).bias(false).build());
    ZOO.put("ln2_nobias", () -> LayerNorm.builder(3, 4).eps(1e-6).bias(false).build());
    ZOO.put("rms", () -> new RMSNorm(6));
    ZOO.put("rms2", () -> RMSNorm.builder(3, 4).eps(1e-6).build());
    ZOO.put("rms_noaffine", () -> RMSNorm.builder(5).eps(0.1).elementwiseAffine(false).build());
    ZOO.put("dropout1d", Dropout1d::new);
    ZOO.put("dropout2d", () -> new Dropout2d(0.2, true));
    ZOO.put("dropout3d", () -> new Dropout3d(1e-5));
    ZOO.put("emb_maxnorm", () -> Embedding.builder(10, 3).maxNorm(1.0).build());
    ZOO.put(
        "emb_opts",
        () ->
            Embedding.builder(10, 3)
                .paddingIdx(-2)
                .maxNorm(1.5)
                .normType(1.0)
                .scaleGradByFreq(true)
                .build());
    ZOO.put("emb_norm3", () -> Embedding.builder(6, 4).maxNorm(0.6).normType(3.0).build());
    ZOO.put(
        "emb_pre", () -> Embedding.fromPretrained(embPre(), false, 1, 0.5, 2.0, false, false));
    // issue 20 part 1 (layers.py's ZOO_VISION)
    ZOO.put("zeropad2d", () -> new ZeroPad2d(new int[] {1, 1, 2, 0}));
    ZOO.put("zeropad2d_int", () -> new ZeroPad2d(2));
    ZOO.put("constpad1d", () -> new ConstantPad1d(2, 3.5));
    ZOO.put("constpad1d_crop", () -> new ConstantPad1d(new int[] {3, -1}, -1.25));
    ZOO.put("constpad2d", () -> new ConstantPad2d(new int[] {3, 0, 2, 1}, 3.5));
    ZOO.put("constpad3d", () -> new ConstantPad3d(1, 0.0));
    ZOO.put("reflpad1d", () -> new ReflectionPad1d(2));
    ZOO.put("reflpad2d", () -> new ReflectionPad2d(new int[] {1, 2, 2, 0}));
    ZOO.put("reflpad3d", () -> new ReflectionPad3d(new int[] {1, 0, 1, 1, 0, 1}));
    ZOO.put("replpad1d", () -> new ReplicationPad1d(new int[] {3, 1}));
    ZOO.put("replpad2d", () -> new ReplicationPad2d(2));
    ZOO.put("replpad3d", () -> new ReplicationPad3d(new int[] {1, 2, 0, 1, 2, 0}));
    ZOO.put("circpad1d", () -> new CircularPad1d(new int[] {2, 1}));
    ZOO.put("circpad2d", () -> new CircularPad2d(new int[] {1, 1, 2, 0}));
    ZOO.put("circpad2d_int", () -> new CircularPad2d(1));
    ZOO.put("circpad3d", () -> new CircularPad3d(new int[] {1, 0, 0, 2, 1, 1}));
    ZOO.put("gn", () -> new GroupNorm(2, 4));
    ZOO.put("gn_opts", () -> GroupNorm.builder(3, 6).eps(1e-3).affine(false).build());
    ZOO.put("gn1", () -> new GroupNorm(1, 3));
    ZOO.put("inorm1d", () -> new InstanceNorm1d(3));
    ZOO.put("inorm1d_affine", () -> InstanceNorm1d.builder(3).affine(true).build());
    ZOO.put(
        "inorm2d_track",
        () -> InstanceNorm2d.builder(3).momentum(0.2).affine(true).trackRunningStats(true).build());
    ZOO.put("inorm3d", () -> InstanceNorm3d.builder(2).eps(1e-3).trackRunningStats(true).build());
    ZOO.put("bn3d", () -> new BatchNorm3d(3));
    ZOO.put(
        "bn3d_opts", () -> BatchNorm3d.builder(2).eps(1e-3).momentum(null).affine(false).build());
    ZOO.put("lrn", () -> new LocalResponseNorm(2));
    ZOO.put("lrn_opts", () -> new LocalResponseNorm(3, 0.5, 0.6, 2.0));
    ZOO.put("pixel_shuffle", () -> new PixelShuffle(2));
    ZOO.put("pixel_unshuffle", () -> new PixelUnshuffle(3));
    ZOO.put("channel_shuffle", () -> new ChannelShuffle(2));
    ZOO.put("unflatten", () -> new Unflatten(1, new long[] {2, 5}));
    ZOO.put("unflatten_infer", () -> new Unflatten(-1, new long[] {3, -1, 2}));
    ZOO.put("identity_args", () -> new Identity(54, "unused_argument1", 0.1, false));
  }

  /** layers.py's EMB_PRE: {@code arange(12).reshape(4, 3) * 0.25 - 1}. */
  static Tensor embPre() {
    float[] v = new float[12];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.25f - 1.0f;
    }
    return Tensor.fromArray(v, 4, 3);
  }

  /** A new module for {@code id}. */
  public static Module create(String id) {
    Supplier<Module> f = ZOO.get(id);
    if (f == null) {
      throw new IllegalArgumentException("no module '" + id + "' in LayerZoo");
    }
    return f.get();
  }

  /**
   * Runs one {@code fb_*} golden case: builds the module, loads {@code sd.*} (strict), runs it in
   * the case's mode, and compares the output, the input and parameter gradients of {@code sum(y *
   * gy)}, and the buffers after the forward with PyTorch's, within the float32 tolerance.
   */
  public static void checkForwardBackward(Golden.Case c) {
    Module m = create(c.attr("module"));
    Map<String, Tensor> sd = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      if (e.getKey().startsWith("sd.")) {
        sd.put(e.getKey().substring(3), e.getValue());
      }
    }
    m.loadStateDict(sd);
    m.train(c.intAttr("train") == 1);
    Tensor x = c.tensor("x").clone().detach();
    if (x.isFloatingPoint()) {
      x.requiresGrad(true);
    }
    Tensor y = c.has("target") ? m.call(x, c.tensor("target")) : m.call(x);
    String what = c.name();
    assertTensorClose(c.tensor("y"), y, what + " y");
    if (y.requiresGrad()) {
      y.backward(c.tensor("gy"));
    }
    if (c.has("gx")) {
      assertNotNull(x.grad(), what + " gx");
      assertTensorClose(c.tensor("gx"), x.grad(), what + " gx");
    }
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      String k = e.getKey();
      if (k.startsWith("g.")) {
        Tensor g = m.getParameter(k.substring(2)).grad();
        assertNotNull(g, what + " " + k);
        assertTensorClose(e.getValue(), g, what + " " + k);
      } else if (k.startsWith("sd_after.")) {
        assertTensorClose(e.getValue(), m.stateDict().get(k.substring(9)), what + " " + k);
      }
    }
  }
}
