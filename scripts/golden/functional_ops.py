#!/usr/bin/python3
"""Golden fixtures for dev.jnn.nn.functional.Functional (forward and backward) from PyTorch.

Run with Debian's torch:  /usr/bin/python3 scripts/golden/functional_ops.py
Writes src/jnn/test/resources/golden/functional_ops.txt (see goldenio.py for the format).

Every case stores its inputs, the forward output 'out', an upstream gradient 'gout' (same shape as
'out') and the gradients of sum(out * gout) with respect to the inputs that require grad, named
'g' + input name. Attributes carry the op's arguments. Inputs are small and seeded.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

torch.manual_seed(1234)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "jnn", "test", "resources",
                   "golden", "functional_ops.txt")
W = GoldenWriter(OUT, "Functional ops: forward output 'out', upstream 'gout', input grads 'g<name>'.")


def rnd(*shape, dtype=torch.float32, scale=1.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).to(dtype)


def case(name, fn, inputs, grad_names, attrs=None, extra=None):
    """inputs: ordered dict name -> tensor; grad_names: which inputs get gradients."""
    ins = {}
    for k, v in inputs.items():
        t = v.detach().clone()
        if k in grad_names:
            t.requires_grad_(True)
        ins[k] = t
    out = fn(ins)
    gout = torch.randn(out.shape, dtype=torch.float64).to(out.dtype) if out.dim() > 0 \
        else torch.tensor(0.7, dtype=out.dtype)
    tensors = dict((k, v.detach()) for k, v in inputs.items())
    tensors["out"] = out.detach()
    tensors["gout"] = gout
    if grad_names:
        grads = torch.autograd.grad(out, [ins[g] for g in grad_names], gout, allow_unused=True)
        for g, gr in zip(grad_names, grads):
            tensors["g" + g] = gr if gr is not None else torch.zeros_like(ins[g])
    if extra:
        for k, v in extra(ins).items():
            tensors[k] = v.detach()
    W.case(name, tensors, attrs or {})


DTYPES = [("f32", torch.float32), ("f64", torch.float64)]

# ------------------------------------------------------------------ conv2d
conv_specs = [
    # name, x shape, w shape, bias, stride, padding, dilation, groups
    ("basic", (2, 2, 6, 6), (3, 2, 3, 3), True, (1, 1), (0, 0), (1, 1), 1),
    ("stride_pad_dil", (1, 3, 9, 8), (4, 3, 3, 2), True, (2, 1), (1, 2), (2, 1), 1),
    ("groups", (1, 4, 6, 6), (4, 2, 3, 3), True, (1, 1), (1, 1), (1, 1), 2),
    ("depthwise", (1, 4, 5, 5), (4, 1, 3, 3), False, (2, 2), (1, 1), (1, 1), 4),
    ("pointwise", (2, 5, 4, 3), (3, 5, 1, 1), True, (1, 1), (0, 0), (1, 1), 1),
    ("pointwise_stride", (2, 5, 5, 5), (3, 5, 1, 1), True, (2, 2), (0, 0), (1, 1), 1),
    ("nobias_stride3", (1, 2, 10, 9), (3, 2, 4, 3), False, (3, 2), (2, 1), (1, 2), 1),
]
for suffix, dt in DTYPES:
    for name, xs, ws, has_b, st, pd, dl, gr in conv_specs:
        inputs = {"x": rnd(*xs, dtype=dt), "w": rnd(*ws, dtype=dt, scale=0.5)}
        if has_b:
            inputs["b"] = rnd(ws[0], dtype=dt)
        case("conv2d_%s_%s" % (name, suffix),
             lambda i, st=st, pd=pd, dl=dl, gr=gr: F.conv2d(i["x"], i["w"], i.get("b"), st, pd, dl, gr),
             inputs, list(inputs.keys()),
             {"stride": st, "padding": pd, "dilation": dl, "groups": gr})
    for name, xs, ws, pad, dl in [("same_even", (1, 2, 6, 5), (3, 2, 4, 4), "same", (1, 1)),
                                  ("same_dil", (1, 2, 7, 6), (3, 2, 3, 2), "same", (2, 3)),
                                  ("valid", (1, 3, 6, 6), (2, 3, 3, 3), "valid", (1, 1))]:
        inputs = {"x": rnd(*xs, dtype=dt), "w": rnd(*ws, dtype=dt, scale=0.5), "b": rnd(ws[0], dtype=dt)}
        case("conv2d_%s_%s" % (name, suffix),
             lambda i, pad=pad, dl=dl: F.conv2d(i["x"], i["w"], i["b"], 1, pad, dl),
             inputs, ["x", "w", "b"], {"padding_mode": pad, "dilation": dl})
    inputs = {"x": rnd(3, 6, 6, dtype=dt), "w": rnd(2, 3, 3, 3, dtype=dt), "b": rnd(2, dtype=dt)}
    case("conv2d_unbatched_" + suffix, lambda i: F.conv2d(i["x"], i["w"], i["b"], 1, 1),
         inputs, ["x", "w", "b"], {"stride": (1, 1), "padding": (1, 1), "dilation": (1, 1), "groups": 1})

# ------------------------------------------------------------------ linear
for suffix, dt in DTYPES:
    case("linear_2d_" + suffix, lambda i: F.linear(i["x"], i["w"], i["b"]),
         {"x": rnd(3, 5, dtype=dt), "w": rnd(4, 5, dtype=dt), "b": rnd(4, dtype=dt)}, ["x", "w", "b"])
    case("linear_3d_nobias_" + suffix, lambda i: F.linear(i["x"], i["w"]),
         {"x": rnd(2, 3, 5, dtype=dt), "w": rnd(4, 5, dtype=dt)}, ["x", "w"])
    case("linear_1d_" + suffix, lambda i: F.linear(i["x"], i["w"], i["b"]),
         {"x": rnd(5, dtype=dt), "w": rnd(4, 5, dtype=dt), "b": rnd(4, dtype=dt)}, ["x", "w", "b"])

# ------------------------------------------------------------------ activations
for suffix, dt in DTYPES:
    x = rnd(3, 4, dtype=dt, scale=2.0)
    case("relu_" + suffix, lambda i: F.relu(i["x"]), {"x": x}, ["x"])
    case("leaky_relu_" + suffix, lambda i: F.leaky_relu(i["x"], 0.2), {"x": x}, ["x"], {"slope": 0.2})
    case("leaky_relu_default_" + suffix, lambda i: F.leaky_relu(i["x"]), {"x": x}, ["x"])
    case("gelu_" + suffix, lambda i: F.gelu(i["x"]), {"x": x}, ["x"])
    case("gelu_tanh_" + suffix, lambda i: F.gelu(i["x"], approximate="tanh"), {"x": x}, ["x"])
    case("sigmoid_" + suffix, lambda i: torch.sigmoid(i["x"]), {"x": x}, ["x"])
    case("tanh_" + suffix, lambda i: torch.tanh(i["x"]), {"x": x}, ["x"])

# ------------------------------------------------------------------ softmax
for suffix, dt in DTYPES:
    x = rnd(2, 3, 4, dtype=dt, scale=3.0)
    for dim in (0, 1, 2, -1):
        case("softmax_d%d_%s" % (dim, suffix), lambda i, dim=dim: F.softmax(i["x"], dim), {"x": x}, ["x"],
             {"dim": dim})
        case("log_softmax_d%d_%s" % (dim, suffix), lambda i, dim=dim: F.log_softmax(i["x"], dim), {"x": x},
             ["x"], {"dim": dim})
    big = torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0]], dtype=dt)
    case("softmax_large_" + suffix, lambda i: F.softmax(i["x"], 1), {"x": big}, ["x"], {"dim": 1})
    case("log_softmax_large_" + suffix, lambda i: F.log_softmax(i["x"], 1), {"x": big}, ["x"], {"dim": 1})

# ------------------------------------------------------------------ pooling
for suffix, dt in DTYPES:
    x = rnd(1, 2, 7, 7, dtype=dt)
    for name, k, s, p, d, ceil in [("k3s2p1", (3, 3), (2, 2), (1, 1), (1, 1), False),
                                   ("k2", (2, 2), (2, 2), (0, 0), (1, 1), False),
                                   ("dil2", (3, 2), (1, 2), (1, 1), (2, 1), False),
                                   ("ceil", (2, 3), (2, 2), (1, 0), (1, 1), True),
                                   ("ceil_k3s2", (3, 3), (2, 2), (0, 0), (1, 1), True)]:
        case("max_pool2d_%s_%s" % (name, suffix),
             lambda i, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool2d(i["x"], k, s, p, d, ceil_mode=ceil),
             {"x": x}, ["x"], {"kernel": k, "stride": s, "padding": p, "dilation": d, "ceil": int(ceil)},
             extra=lambda i, k=k, s=s, p=p, d=d, ceil=ceil: {
                 "indices": F.max_pool2d(i["x"], k, s, p, d, ceil_mode=ceil, return_indices=True)[1]})
    x3 = rnd(3, 5, 6, dtype=dt)
    case("max_pool2d_unbatched_" + suffix, lambda i: F.max_pool2d(i["x"], 2), {"x": x3}, ["x"],
         {"kernel": (2, 2), "stride": (2, 2), "padding": (0, 0), "dilation": (1, 1), "ceil": 0},
         extra=lambda i: {"indices": F.max_pool2d(i["x"], 2, return_indices=True)[1]})
    for name, k, s, p, ceil, cip, div in [("k3s2p1", (3, 3), (2, 2), (1, 1), False, True, None),
                                          ("k3s2p1_nopad", (3, 3), (2, 2), (1, 1), False, False, None),
                                          ("ceil", (3, 2), (2, 2), (1, 1), True, True, None),
                                          ("ceil_nopad", (3, 2), (2, 2), (1, 1), True, False, None),
                                          ("k2", (2, 2), (2, 2), (0, 0), False, True, None),
                                          ("divisor", (3, 3), (1, 2), (1, 0), False, True, 5)]:
        case("avg_pool2d_%s_%s" % (name, suffix),
             lambda i, k=k, s=s, p=p, ceil=ceil, cip=cip, div=div: F.avg_pool2d(
                 i["x"], k, s, p, ceil_mode=ceil, count_include_pad=cip, divisor_override=div),
             {"x": x}, ["x"],
             {"kernel": k, "stride": s, "padding": p, "ceil": int(ceil), "count_include_pad": int(cip),
              "divisor": div if div is not None else 0})
    for osz in [(3, 2), (1, 1), (4, 4)]:
        case("adaptive_avg_pool2d_%dx%d_%s" % (osz[0], osz[1], suffix),
             lambda i, osz=osz: F.adaptive_avg_pool2d(i["x"], osz), {"x": rnd(1, 3, 7, 5, dtype=dt)}, ["x"],
             {"output_size": osz})
    case("adaptive_avg_pool2d_unbatched_" + suffix, lambda i: F.adaptive_avg_pool2d(i["x"], 2),
         {"x": rnd(3, 5, 5, dtype=dt)}, ["x"], {"output_size": (2, 2)})

# ------------------------------------------------------------------ normalisation
for suffix, dt in DTYPES:
    for name, shape in [("4d", (3, 2, 4, 4)), ("2d", (6, 4)), ("3d", (3, 2, 5))]:
        c = shape[1]
        x = rnd(*shape, dtype=dt, scale=2.0) + 0.5
        rm0 = rnd(c, dtype=dt) * 0.1
        rv0 = rnd(c, dtype=dt).abs() + 0.5
        w = rnd(c, dtype=dt)
        b = rnd(c, dtype=dt)
        for training in (True, False):
            holder = {}

            def bn(i, training=training, holder=holder, rm0=rm0, rv0=rv0):
                rm = rm0.clone()
                rv = rv0.clone()
                holder["rm"], holder["rv"] = rm, rv
                return F.batch_norm(i["x"], rm, rv, i["w"], i["b"], training, 0.1, 1e-5)

            case("batch_norm_%s_%s_%s" % (name, "train" if training else "eval", suffix), bn,
                 {"x": x, "w": w, "b": b, "rm": rm0, "rv": rv0}, ["x", "w", "b"],
                 {"training": int(training), "momentum": 0.1, "eps": 1e-5},
                 extra=lambda i, holder=holder: {"rm_after": holder["rm"], "rv_after": holder["rv"]})
    x = rnd(5, 3, 4, dtype=dt)
    case("batch_norm_noaffine_train_" + suffix,
         lambda i: F.batch_norm(i["x"], None, None, None, None, True, 0.1, 1e-3), {"x": x}, ["x"],
         {"training": 1, "momentum": 0.1, "eps": 1e-3})
    holder2 = {}

    def bn_cma(i, holder=holder2):
        rm = torch.zeros(3, dtype=dt)
        rv = torch.ones(3, dtype=dt)
        # momentum=None in the module: the factor is 1 / num_batches_tracked (here: third batch)
        out = F.batch_norm(i["x"], rm, rv, None, None, True, 1.0 / 3, 1e-5)
        holder["rm"], holder["rv"] = rm, rv
        return out

    case("batch_norm_cma_" + suffix, bn_cma, {"x": x}, ["x"], {"training": 1, "momentum": 1.0 / 3, "eps": 1e-5},
         extra=lambda i: {"rm_after": holder2["rm"], "rv_after": holder2["rv"]})

    x = rnd(3, 4, 5, dtype=dt, scale=2.0)
    case("layer_norm_last_" + suffix, lambda i: F.layer_norm(i["x"], (5,), i["w"], i["b"], 1e-5),
         {"x": x, "w": rnd(5, dtype=dt), "b": rnd(5, dtype=dt)}, ["x", "w", "b"], {"shape": (5,), "eps": 1e-5})
    case("layer_norm_two_" + suffix, lambda i: F.layer_norm(i["x"], (4, 5), i["w"], i["b"], 1e-3),
         {"x": x, "w": rnd(4, 5, dtype=dt), "b": rnd(4, 5, dtype=dt)}, ["x", "w", "b"],
         {"shape": (4, 5), "eps": 1e-3})
    case("layer_norm_noaffine_" + suffix, lambda i: F.layer_norm(i["x"], (5,)), {"x": x}, ["x"],
         {"shape": (5,), "eps": 1e-5})

# ------------------------------------------------------------------ embedding
for suffix, dt in DTYPES:
    idx = torch.tensor([[0, 2, 4, 2], [5, 1, 2, 0]])
    case("embedding_" + suffix, lambda i: F.embedding(i["idx"], i["w"]),
         {"idx": idx, "w": rnd(6, 3, dtype=dt)}, ["w"], {"padding_idx": "none"})
    case("embedding_pad_" + suffix, lambda i: F.embedding(i["idx"], i["w"], padding_idx=2),
         {"idx": idx, "w": rnd(6, 3, dtype=dt)}, ["w"], {"padding_idx": 2})
    case("embedding_padneg_" + suffix, lambda i: F.embedding(i["idx"], i["w"], padding_idx=-6),
         {"idx": idx, "w": rnd(6, 3, dtype=dt)}, ["w"], {"padding_idx": -6})

# ------------------------------------------------------------------ losses
for suffix, dt in DTYPES:
    x = rnd(6, 4, dtype=dt, scale=2.0)
    t = torch.tensor([1, 0, 3, 3, 2, 1])
    t_ign = torch.tensor([1, -100, 3, 3, 2, -100])
    t_ign1 = torch.tensor([1, 0, 3, 1, 2, 1])
    wt = rnd(4, dtype=dt).abs() + 0.2
    for red in ("mean", "sum", "none"):
        case("cross_entropy_%s_%s" % (red, suffix), lambda i, red=red: F.cross_entropy(i["x"], i["t"], reduction=red),
             {"x": x, "t": t}, ["x"], {"reduction": red, "ignore_index": -100, "smoothing": 0.0})
        case("cross_entropy_w_ign_%s_%s" % (red, suffix),
             lambda i, red=red: F.cross_entropy(i["x"], i["t"], i["wt"], reduction=red),
             {"x": x, "t": t_ign, "wt": wt}, ["x"], {"reduction": red, "ignore_index": -100, "smoothing": 0.0})
        case("cross_entropy_ign1_%s_%s" % (red, suffix),
             lambda i, red=red: F.cross_entropy(i["x"], i["t"], ignore_index=1, reduction=red),
             {"x": x, "t": t_ign1}, ["x"], {"reduction": red, "ignore_index": 1, "smoothing": 0.0})
        case("cross_entropy_ls_%s_%s" % (red, suffix),
             lambda i, red=red: F.cross_entropy(i["x"], i["t"], reduction=red, label_smoothing=0.1),
             {"x": x, "t": t}, ["x"], {"reduction": red, "ignore_index": -100, "smoothing": 0.1})
        case("cross_entropy_ls_w_ign_%s_%s" % (red, suffix),
             lambda i, red=red: F.cross_entropy(i["x"], i["t"], i["wt"], ignore_index=1, reduction=red,
                                                label_smoothing=0.25),
             {"x": x, "t": t_ign1, "wt": wt}, ["x"], {"reduction": red, "ignore_index": 1, "smoothing": 0.25})
        p = F.softmax(rnd(6, 4, dtype=dt), 1)
        case("cross_entropy_prob_%s_%s" % (red, suffix),
             lambda i, red=red: F.cross_entropy(i["x"], i["p"], reduction=red),
             {"x": x, "p": p}, ["x", "p"], {"reduction": red, "smoothing": 0.0})
        case("cross_entropy_prob_w_ls_%s_%s" % (red, suffix),
             lambda i, red=red: F.cross_entropy(i["x"], i["p"], i["wt"], reduction=red, label_smoothing=0.2),
             {"x": x, "p": p, "wt": wt}, ["x", "p"], {"reduction": red, "smoothing": 0.2})
        xs = rnd(2, 4, 3, 2, dtype=dt)
        ts = torch.tensor([[[0, 3], [1, 1], [2, -100]], [[3, 3], [0, 2], [1, 0]]])
        case("cross_entropy_spatial_%s_%s" % (red, suffix),
             lambda i, red=red: F.cross_entropy(i["x"], i["t"], i["wt"], reduction=red),
             {"x": xs, "t": ts, "wt": wt}, ["x"], {"reduction": red, "ignore_index": -100, "smoothing": 0.0})
        logp = F.log_softmax(x, 1)
        case("nll_loss_%s_%s" % (red, suffix), lambda i, red=red: F.nll_loss(i["x"], i["t"], i["wt"], reduction=red),
             {"x": logp, "t": t_ign, "wt": wt}, ["x"], {"reduction": red, "ignore_index": -100})
        x3 = rnd(2, 4, 5, dtype=dt)
        t3 = torch.tensor([[0, 1, 2, 3, 1], [3, 2, 1, 0, 0]])
        case("nll_loss_3d_%s_%s" % (red, suffix), lambda i, red=red: F.nll_loss(i["x"], i["t"], ignore_index=0,
                                                                                 reduction=red),
             {"x": x3, "t": t3}, ["x"], {"reduction": red, "ignore_index": 0})
        a = rnd(3, 4, dtype=dt)
        b = rnd(3, 4, dtype=dt)
        case("mse_loss_%s_%s" % (red, suffix), lambda i, red=red: F.mse_loss(i["a"], i["b"], reduction=red),
             {"a": a, "b": b}, ["a", "b"], {"reduction": red})
        case("l1_loss_%s_%s" % (red, suffix), lambda i, red=red: F.l1_loss(i["a"], i["b"], reduction=red),
             {"a": a, "b": b}, ["a", "b"], {"reduction": red})
        logits = rnd(3, 4, dtype=dt, scale=3.0)
        probs = torch.rand(3, 4, dtype=torch.float64).to(dt)
        case("bce_logits_%s_%s" % (red, suffix),
             lambda i, red=red: F.binary_cross_entropy_with_logits(i["x"], i["t"], reduction=red),
             {"x": logits, "t": probs}, ["x", "t"], {"reduction": red})
        case("bce_logits_w_pw_%s_%s" % (red, suffix),
             lambda i, red=red: F.binary_cross_entropy_with_logits(i["x"], i["t"], i["w"], reduction=red,
                                                                   pos_weight=i["pw"]),
             {"x": logits, "t": probs, "w": rnd(4, dtype=dt).abs(), "pw": rnd(4, dtype=dt).abs() + 0.5},
             ["x", "t"], {"reduction": red})
    case("cross_entropy_unbatched_" + suffix, lambda i: F.cross_entropy(i["x"], i["t"]),
         {"x": rnd(5, dtype=dt), "t": torch.tensor(3)}, ["x"], {"reduction": "mean", "ignore_index": -100,
                                                                "smoothing": 0.0})

# ------------------------------------------------------------------ pad (appended last: earlier cases keep their seeds)
pad_specs = [
    # name, input shape, pad, mode, value
    ("const_1d", (2, 3, 4), (1, 2), "constant", 0.0),
    ("const_value", (2, 3, 4), (2, 0, 1, 1), "constant", -1.5),
    ("const_crop", (2, 3, 5), (-1, 2, 1, -2), "constant", 0.25),
    ("const_3d", (1, 2, 2, 3), (1, 1, 0, 2, 1, 0), "constant", 0.0),
    ("const_all_dims", (2, 3), (1, 1, 1, 1), "constant", 2.0),
    ("reflect_1d", (2, 3, 5), (2, 3), "reflect", None),
    ("reflect_1d_unbatched", (3, 5), (4, 1), "reflect", None),
    ("reflect_2d", (2, 2, 4, 5), (1, 2, 3, 0), "reflect", None),
    ("reflect_3d", (1, 2, 3, 4, 3), (1, 1, 2, 0, 1, 2), "reflect", None),
    ("reflect_negative", (2, 3, 5), (-1, 2), "reflect", None),
    ("replicate_1d", (2, 3, 4), (3, 1), "replicate", None),
    ("replicate_2d", (2, 4, 3), (2, 2, 5, 1), "replicate", None),
    ("replicate_3d", (2, 2, 2, 3, 2), (1, 0, 0, 2, 3, 1), "replicate", None),
    ("circular_1d", (2, 3, 4), (4, 2), "circular", None),
    ("circular_2d", (1, 2, 3, 4), (1, 3, 3, 2), "circular", None),
    ("circular_3d", (1, 2, 2, 3, 2), (2, 1, 1, 1, 0, 2), "circular", None),
]
MODE_CODE = {"constant": 0, "reflect": 1, "replicate": 2, "circular": 3}
for suffix, dt in DTYPES:
    for name, shape, pad, mode, value in pad_specs:
        x = rnd(*shape, dtype=dt)
        fn = (lambda i, pad=pad, value=value: F.pad(i["x"], pad, mode="constant", value=value)) if mode == "constant" \
            else (lambda i, pad=pad, mode=mode: F.pad(i["x"], pad, mode=mode))
        case("pad_%s_%s" % (name, suffix), fn, {"x": x}, ["x"],
             {"pad": list(pad), "mode": MODE_CODE[mode], "value": value or 0.0})

W.save()
print("wrote", os.path.normpath(OUT), len(W.lines), "lines")
