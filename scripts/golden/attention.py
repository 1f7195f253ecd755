#!/usr/bin/python3
"""Golden fixtures for nn.MultiheadAttention (issue 19), computed with Debian's torch 1.13.

Run from the repository root:  /usr/bin/python3 scripts/golden/attention.py
Writes
  * src/jnn/test/resources/golden/attention.txt (goldenio format), read by
    dev.jnn.nn.layers.AttentionGoldenTest;
  * src/jnn/test/resources/interop/mha.pt: torch.save(mha.state_dict()) of the module "pt_mha"
    (separate projection weights, bias_k/bias_v, batch_first), whose input and outputs are the case
    "pt_mha" of attention.txt.

(F.scaled_dot_product_attention is PyTorch 2.x only; its goldens come from the op registry,
scripts/golden/op_registry.py with scripts/golden/attention_ref.py.)

Every module is named by an id; the Java test builds the same module for the same id
(dev.jnn.nn.layers.AttentionZoo). Cases:

* repr: repr(module) per id; keys: state-dict keys ("key [shape] dtype" lines) and the root version.
* fb_<id>_<variant>: forward and backward with PyTorch's (seeded) weights, given to the Java module as
  the state dict 'sd.<key>': inputs 'q', 'k', 'v' (attrs self=1: key and value are the query tensor
  itself; kv=1: value is the key tensor itself), masks 'kpm' and 'mask' when given, outputs 'y'
  (attn_output) and 'w' (attn_output_weights, absent when need_weights=False), upstream gradients
  'gy', 'gw', and the gradients of sum(y * gy) + sum(w * gw): 'gq', 'gk', 'gv' (only 'gq' with
  self=1, no 'gv' with kv=1) and 'g.<parameter>'. attrs: module, need_weights, average, train
  (1 only for dropout=1.0, which drops every weight), dtype.
* nan_<id>: a forward whose key padding mask hides every key of one batch element: 1.13 gives NaN
  there (tensors q, k, v, kpm, sd.*, y, w).
* init_<parameter>: distribution statistics of PyTorch's initialisation of a large module (xavier_uniform_
  projections, Linear's out_proj weight, xavier_normal_ bias_k/bias_v), as layers.py's init_* cases.
* errors: PyTorch's messages for bad constructor arguments and inputs (texts keyed by the Java test).
"""
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

torch.manual_seed(19)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "src", "jnn", "test", "resources", "golden", "attention.txt")
PT = os.path.join(ROOT, "src", "jnn", "test", "resources", "interop", "mha.pt")
W = GoldenWriter(OUT, "nn.MultiheadAttention (see scripts/golden/attention.py).")

# id -> constructor; the Java AttentionZoo mirrors this table.
ZOO = {
    "mha": lambda: nn.MultiheadAttention(8, 2),
    "mha_nobias": lambda: nn.MultiheadAttention(8, 2, bias=False),
    "mha_biaskv": lambda: nn.MultiheadAttention(8, 2, add_bias_kv=True),
    "mha_zero": lambda: nn.MultiheadAttention(8, 4, add_zero_attn=True),
    "mha_kvdim": lambda: nn.MultiheadAttention(8, 2, kdim=5, vdim=3),
    "mha_bf": lambda: nn.MultiheadAttention(6, 3, batch_first=True),
    "mha_all": lambda: nn.MultiheadAttention(6, 2, dropout=0.1, bias=False, add_bias_kv=True,
                                             add_zero_attn=True, kdim=4, vdim=5, batch_first=True),
    "mha_drop1": lambda: nn.MultiheadAttention(8, 2, dropout=1.0),
    "pt_mha": lambda: nn.MultiheadAttention(8, 4, add_bias_kv=True, kdim=6, vdim=5, batch_first=True),
}

W.case("repr", texts={k: repr(f()) for k, f in ZOO.items()})


def keys_text(m):
    return "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", ""))
                     for k, v in m.state_dict().items())


W.case("keys", texts={k: keys_text(f()) for k, f in ZOO.items()},
       attrs={"version_" + k: f().state_dict()._metadata[""]["version"] for k, f in ZOO.items()})


def rnd(shape, dtype):
    return torch.randn(*shape, dtype=torch.float64).to(dtype)


def bool_mask(shape):
    """Random True (= masked) entries, column 0 never masked (so no row is masked everywhere)."""
    m = torch.rand(*shape) < 0.4
    m[..., 0] = False
    return m


def float_mask(shape, dtype):
    """Additive: random finite values, some -inf, column 0 finite."""
    m = rnd(shape, dtype)
    m = m.masked_fill(torch.rand(*shape) < 0.25, float("-inf"))
    m[..., 0] = 0.5
    return m


def fb(mid, variant, L=3, S=4, N=2, share=None, kpm=None, mask=None, need_weights=True,
       average=True, dtype=torch.float32, train=False):
    """share: None (distinct q, k, v), "self" (one tensor) or "kv" (value is key)."""
    m = ZOO[mid]().to(dtype)
    m.train(train)
    E, H = m.embed_dim, m.num_heads
    bf = m.batch_first and N is not None

    def shape(T, D):
        if N is None:
            return (T, D)
        return (N, T, D) if bf else (T, N, D)

    q = rnd(shape(L, E), dtype).requires_grad_()
    if share == "self":
        k = v = q
    else:
        k = rnd(shape(S, m.kdim), dtype).requires_grad_()
        v = k if share == "kv" else rnd(shape(S, m.vdim), dtype).requires_grad_()
    nb = 1 if N is None else N
    kpm_t = None
    if kpm == "bool":
        kpm_t = bool_mask((nb, S))
    elif kpm == "float":
        kpm_t = float_mask((nb, S), dtype)
    elif kpm == "float_finite":  # nonzero finite values: 1.13's logical_or treats them as True
        kpm_t = rnd((nb, S), dtype)
        kpm_t[:, 0] = 0.0
    if kpm_t is not None and N is None:
        kpm_t = kpm_t[0]
    mask_t = None
    if mask == "bool2":
        mask_t = bool_mask((L, S))
    elif mask == "float2":
        mask_t = float_mask((L, S), dtype)
    elif mask == "bool3":
        mask_t = bool_mask((nb * H, L, S))
    elif mask == "float3":
        mask_t = float_mask((nb * H, L, S), dtype)
    sd = {"sd." + n: t.clone() for n, t in m.state_dict().items()}
    y, w = m(q, k, v, key_padding_mask=kpm_t, need_weights=need_weights, attn_mask=mask_t,
             average_attn_weights=average)
    t = {"q": q.detach()}
    if share != "self":
        t["k"] = k.detach()
        if share != "kv":
            t["v"] = v.detach()
    if kpm_t is not None:
        t["kpm"] = kpm_t
    if mask_t is not None:
        t["mask"] = mask_t
    t.update(sd)
    gy = rnd(tuple(y.shape), dtype)
    t["y"] = y.detach()
    t["gy"] = gy
    loss = (y * gy).sum()
    if w is not None:
        gw = rnd(tuple(w.shape), dtype)
        t["w"] = w.detach()
        t["gw"] = gw
        loss = loss + (w * gw).sum()
    loss.backward()
    t["gq"] = q.grad
    if share != "self":
        t["gk"] = k.grad
        if share != "kv":
            t["gv"] = v.grad
    for n, p in m.named_parameters():
        t["g." + n] = p.grad if p.grad is not None else torch.zeros_like(p)
    W.case("fb_%s_%s" % (mid, variant), tensors=t,
           attrs={"module": mid, "self": int(share == "self"), "kv": int(share == "kv"),
                  "need_weights": int(need_weights), "average": int(average), "train": int(train),
                  "dtype": str(dtype).replace("torch.", "")})


# every option combination that changes the computation, on the plain module
fb("mha", "plain")
fb("mha", "self", L=4, S=4, share="self")
fb("mha", "kv", share="kv")
fb("mha", "kpm", kpm="bool")
fb("mha", "kpm_float", kpm="float")
fb("mha", "mask2_bool", mask="bool2")
fb("mha", "mask2_float", mask="float2")
fb("mha", "mask3_bool", mask="bool3")
fb("mha", "mask3_float", mask="float3")
fb("mha", "both_bool", kpm="bool", mask="bool2")
fb("mha", "both_float_bool", kpm="bool", mask="float3")
fb("mha", "both_bool_float", kpm="float_finite", mask="bool2")
fb("mha", "noweights", need_weights=False, kpm="bool", mask="float2")
fb("mha", "perhead", average=False, mask="bool3")
fb("mha", "unbatched", N=None)
fb("mha", "unbatched_masks", N=None, kpm="bool", mask="bool3", average=False)
fb("mha", "self_unbatched", N=None, L=4, S=4, share="self")
fb("mha", "f64", dtype=torch.float64, kpm="bool", mask="float2")
fb("mha", "batch0", N=0)
# the other modules
for mid in ("mha_nobias", "mha_biaskv", "mha_zero", "mha_kvdim", "mha_bf", "mha_all"):
    fb(mid, "plain")
    fb(mid, "masks", kpm="bool", mask="bool2")
    fb(mid, "mask3_float", mask="float3", average=False)
    fb(mid, "unbatched", N=None, kpm="bool")
    fb(mid, "f64", dtype=torch.float64, kpm="bool", mask="float3")
    if mid != "mha_kvdim" and mid != "mha_all":
        fb(mid, "self", L=4, S=4, share="self", mask="bool2")
        fb(mid, "kv", share="kv", kpm="bool")
fb("mha_biaskv", "noweights", need_weights=False, kpm="bool", mask="bool3")
fb("mha_zero", "noweights_unbatched", N=None, need_weights=False, mask="float2")
fb("mha_drop1", "train", train=True, kpm="bool")
fb("mha_drop1", "eval", kpm="bool")

# a key padding mask hiding every key of batch element 1: NaN rows in 1.13 (forward only)
m = ZOO["mha"]()
q, k, v = rnd((3, 2, 8), torch.float32), rnd((4, 2, 8), torch.float32), rnd((4, 2, 8), torch.float32)
kpm = torch.tensor([[False, True, False, True], [True, True, True, True]])
with torch.no_grad():
    y, w = m(q, k, v, key_padding_mask=kpm)
W.case("nan_mha", tensors=dict(q=q, k=k, v=v, kpm=kpm, y=y, w=w,
                               **{"sd." + n: t for n, t in m.state_dict().items()}))

# --------------------------------------------------------------------------- a saved state dict
pt = ZOO["pt_mha"]()
torch.save(pt.state_dict(), PT)
pt.eval()
q, k, v = rnd((2, 3, 8), torch.float32), rnd((2, 5, 6), torch.float32), rnd((2, 5, 5), torch.float32)
kpm = torch.tensor([[False, False, True, False, True], [False, False, False, False, False]])
with torch.no_grad():
    y, w = pt(q, k, v, key_padding_mask=kpm)
W.case("pt_mha", tensors={"q": q, "k": k, "v": v, "kpm": kpm, "y": y, "w": w},
       texts={"keys": "\n".join(pt.state_dict().keys())})


# --------------------------------------------------------------------------- init distributions
def stats(name, t, **analytic):
    t = t.detach().double()
    attrs = {"numel": t.numel(), "min": t.min().item(), "max": t.max().item(), "mean": t.mean().item(),
             "std": t.std().item()}
    attrs.update(analytic)
    W.case("init_" + name, attrs=attrs)


big = nn.MultiheadAttention(512, 8, add_bias_kv=True)
stats("in_proj_weight", big.in_proj_weight, bound=math.sqrt(6 / (512 + 1536)))
stats("out_proj_weight", big.out_proj.weight, bound=1 / math.sqrt(512))
stats("bias_k", big.bias_k, expected_std=math.sqrt(2 / (512 + 512)))
stats("bias_v", big.bias_v, expected_std=math.sqrt(2 / (512 + 512)))
sep_big = nn.MultiheadAttention(512, 8, kdim=256, vdim=128)
stats("q_proj_weight", sep_big.q_proj_weight, bound=math.sqrt(6 / (512 + 512)))
stats("k_proj_weight", sep_big.k_proj_weight, bound=math.sqrt(6 / (256 + 512)))
stats("v_proj_weight", sep_big.v_proj_weight, bound=math.sqrt(6 / (128 + 512)))


# --------------------------------------------------------------------------- errors
def message(f):
    try:
        f()
    except (RuntimeError, ValueError, AssertionError) as e:
        return str(e)
    raise AssertionError("no error")


z = torch.zeros
mha = nn.MultiheadAttention(8, 2)
sep = nn.MultiheadAttention(8, 2, kdim=5, vdim=3)
errors = {
    "ctor_divisible": lambda: nn.MultiheadAttention(8, 3),
    "key_rank": lambda: mha(z(3, 2, 8), z(4, 8), z(4, 2, 8)),
    "unbatched_key_rank": lambda: mha(z(3, 8), z(4, 2, 8), z(4, 8)),
    "query_rank": lambda: mha(z(1, 3, 2, 8), z(4, 2, 8), z(4, 2, 8)),
    "kpm_rank": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), key_padding_mask=z(4, dtype=torch.bool)),
    "unbatched_kpm_rank": lambda: mha(z(3, 8), z(4, 8), z(4, 8), key_padding_mask=z(1, 4, dtype=torch.bool)),
    "mask_rank": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), attn_mask=z(4)),
    "unbatched_mask_rank": lambda: mha(z(3, 8), z(4, 8), z(4, 8), attn_mask=z(1, 2, 3, 4)),
    "unbatched_mask3_shape": lambda: mha(z(3, 8), z(4, 8), z(4, 8), attn_mask=z(2, 3, 5)),
    "mask2_shape": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), attn_mask=z(3, 5)),
    "mask3_shape": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), attn_mask=z(2, 3, 4)),
    "mask_dtype": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), attn_mask=z(3, 4, dtype=torch.long)),
    "kpm_dtype": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), key_padding_mask=z(2, 4, dtype=torch.long)),
    "kpm_shape": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(4, 2, 8), key_padding_mask=z(2, 5, dtype=torch.bool)),
    "embed_dim": lambda: mha(z(3, 2, 6), z(4, 2, 6), z(4, 2, 6)),
    "key_value_shape": lambda: mha(z(3, 2, 8), z(4, 2, 8), z(5, 2, 8)),
    "sep_key_value_dims": lambda: sep(z(3, 2, 8), z(4, 2, 5), z(5, 2, 3)),
    "sep_key_weights": lambda: sep(z(3, 2, 8), z(4, 2, 4), z(4, 2, 3)),
    "sep_value_weights": lambda: sep(z(3, 2, 8), z(4, 2, 5), z(4, 2, 6)),
}
W.case("errors", texts={k: message(f) for k, f in errors.items()})

W.save()
print("wrote", os.path.normpath(OUT), "and", os.path.normpath(PT))
