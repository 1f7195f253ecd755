#!/usr/bin/python3
"""Golden fixtures for the Transformer layers (issue 19): TransformerEncoderLayer,
TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, Transformer.

Run from the repository root with Debian's torch (1.13):  /usr/bin/python3 scripts/golden/transformer.py
Writes
  * src/jnn/test/resources/golden/transformer.txt (goldenio format), read by
    dev.jnn.nn.layers.TransformerGoldenTest;
  * src/jnn/test/resources/interop/transformer_encoder.pt: torch.save(encoder.state_dict()) of the
    module "pt_encoder" (2 batch-first layers and a final LayerNorm), whose eval-mode inputs and
    outputs are the case "pt_encoder" of transformer.txt.

Every module is named by an id; the Java test builds the same module for the same id
(dev.jnn.nn.layers.TransformerZoo). Cases:

* repr: repr(module) per id; keys: state-dict keys ("key [shape] dtype" lines).
* fb_<id>_<variant>: forward and backward with PyTorch's (seeded) weights, given to the Java module
  as the state dict 'sd.<key>'. Inputs are 'in.<name>' where <name> is PyTorch's forward argument
  (src, tgt, memory, src_mask, tgt_mask, memory_mask, mask, src_key_padding_mask, ...); the output
  'y'; the upstream gradient 'gy'; the gradients of sum(y * gy): 'g.in.<name>' for the
  floating-point inputs that are not masks, and 'g.<parameter>'. Bool masks follow PyTorch's
  convention for these layers: True = this position may NOT be attended. No row is fully masked.
  The "float" variants give a float attention mask and a float (0 / -inf) key padding mask: torch
  1.13 merges the two with attn_mask.masked_fill(key_padding_mask, -inf), which for a float
  key_padding_mask silently fills nothing (the mask is read as uint8: 0 and -inf both become 0),
  while PyTorch 2.x adds the two masks. jnn follows 2.x, so PyTorch here gets the equivalent bool
  key padding mask (True where the float one is -inf), which 1.13 and 2.x both merge correctly.
  attrs: module (the id), train (1: training mode; only dropout=1.0 modules, whose dropout is
  deterministic), dtype.
* square_mask_<n>: nn.Transformer.generate_square_subsequent_mask(n).
* pt_encoder: the saved encoder's input 'x', eval-mode outputs 'y' (no mask) and 'y_causal'
  (mask = the square subsequent mask), computed under torch.no_grad() as a user would.
* errors: PyTorch's messages for bad constructor arguments and inputs (texts keyed by the Java test).
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter, use_torch2_modulelist_repr  # noqa: E402

use_torch2_modulelist_repr()  # jnn follows 2.x: repeated layers fold into "(0-1): 2 x ..."

torch.manual_seed(19)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "src", "jnn", "test", "resources", "golden", "transformer.txt")
PT = os.path.join(ROOT, "src", "jnn", "test", "resources", "interop", "transformer_encoder.pt")
W = GoldenWriter(OUT, "Transformer layers (see scripts/golden/transformer.py).")

E, H, FF = 8, 2, 16
EL = nn.TransformerEncoderLayer
DL = nn.TransformerDecoderLayer

# id -> constructor; the Java TransformerZoo mirrors this table.
ZOO = {
    "enc": lambda: EL(E, H, FF, 0.0),
    "enc_nf_gelu_bf": lambda: EL(E, H, FF, 0.0, activation="gelu", layer_norm_eps=1e-6,
                                 batch_first=True, norm_first=True),
    "enc_drop1": lambda: EL(E, H, FF, 1.0),
    "enc_default": lambda: EL(16, 4),
    "dec": lambda: DL(E, H, FF, 0.0),
    "dec_nf_gelu_bf": lambda: DL(E, H, FF, 0.0, activation="gelu", batch_first=True, norm_first=True),
    "dec_drop1": lambda: DL(E, H, FF, 1.0, norm_first=True),
    "encoder": lambda: nn.TransformerEncoder(EL(E, H, FF, 0.0), 2, norm=nn.LayerNorm(E)),
    "encoder_nonorm_bf": lambda: nn.TransformerEncoder(EL(E, H, FF, 0.0, batch_first=True), 2),
    "decoder": lambda: nn.TransformerDecoder(DL(E, H, FF, 0.0), 2, norm=nn.LayerNorm(E)),
    "transformer": lambda: nn.Transformer(E, H, 2, 1, FF, 0.0),
    "transformer_bf_nf_gelu": lambda: nn.Transformer(E, H, 1, 2, FF, 0.0, activation="gelu",
                                                     layer_norm_eps=1e-6, batch_first=True,
                                                     norm_first=True),
    "transformer_default": lambda: nn.Transformer(16, 4, 1, 1, 32),
    "pt_encoder": lambda: nn.TransformerEncoder(EL(16, 4, 32, batch_first=True), 2,
                                                norm=nn.LayerNorm(16)),
}
NO_FB = ("enc_default", "transformer_default", "pt_encoder")

W.case("repr", texts={k: repr(f()) for k, f in ZOO.items()})


def keys_text(m):
    return "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", ""))
                     for k, v in m.state_dict().items())


W.case("keys", texts={k: keys_text(f()) for k, f in ZOO.items()})


def rnd(shape, dtype):
    return torch.randn(*shape, dtype=torch.float64).to(dtype)


def kind(m):
    if isinstance(m, nn.Transformer):
        return "transformer"
    if isinstance(m, (DL, nn.TransformerDecoder)):
        return "dec"
    return "enc"


def batch_first(m):
    if isinstance(m, nn.Transformer):
        return m.batch_first
    if isinstance(m, (nn.TransformerEncoder, nn.TransformerDecoder)):
        return m.layers[0].self_attn.batch_first
    return m.self_attn.batch_first


def seq_input(m, n, length, dtype):
    if n is None:
        return rnd((length, E), dtype)
    return rnd((n, length, E) if batch_first(m) else (length, n, E), dtype)


def bool_attn_mask(rows, cols):
    """True = masked; position 0 always stays visible so no row is fully masked."""
    m = torch.rand(rows, cols) < 0.4
    m[:, 0] = False
    return m


def float_attn_mask(rows, cols, dtype):
    m = rnd((rows, cols), dtype)
    m[bool_attn_mask(rows, cols)] = float("-inf")
    return m


def kpm(n, length, as_float=False, dtype=torch.float32):
    m = torch.zeros(n, length, dtype=torch.bool)
    m[1:, length - 2:] = True  # later sequences are shorter
    if as_float:
        return torch.zeros(n, length, dtype=dtype).masked_fill(m, float("-inf"))
    return m


def fb(mid, variant, masks="", n=2, src_len=5, tgt_len=4, dtype=torch.float32, train=False):
    m = ZOO[mid]().to(dtype)
    m.train(train)
    k = kind(m)
    sq = nn.Transformer.generate_square_subsequent_mask
    ins = {}
    if k == "enc":
        ins["src"] = seq_input(m, n, src_len, dtype)
        mask_name = "src_mask" if isinstance(m, EL) else "mask"
        if masks == "bool":
            ins[mask_name] = bool_attn_mask(src_len, src_len)
            if n is not None:
                ins["src_key_padding_mask"] = kpm(n, src_len)
        elif masks == "float":
            ins[mask_name] = float_attn_mask(src_len, src_len, dtype)
            if n is not None:
                ins["src_key_padding_mask"] = kpm(n, src_len, True, dtype)
    elif k == "dec":
        ins["tgt"] = seq_input(m, n, tgt_len, dtype)
        ins["memory"] = seq_input(m, n, src_len, dtype)
        if masks:
            ins["tgt_mask"] = sq(tgt_len).to(dtype)
            ins["memory_mask"] = bool_attn_mask(tgt_len, src_len)
            if n is not None:
                ins["tgt_key_padding_mask"] = kpm(n, tgt_len)
                ins["memory_key_padding_mask"] = kpm(n, src_len)
    else:
        ins["src"] = seq_input(m, n, src_len, dtype)
        ins["tgt"] = seq_input(m, n, tgt_len, dtype)
        if masks:
            ins["src_mask"] = bool_attn_mask(src_len, src_len)
            ins["tgt_mask"] = sq(tgt_len).to(dtype)
            ins["memory_mask"] = float_attn_mask(tgt_len, src_len, dtype)
            if n is not None:
                ins["src_key_padding_mask"] = kpm(n, src_len)
                ins["tgt_key_padding_mask"] = kpm(n, tgt_len)
                ins["memory_key_padding_mask"] = kpm(n, src_len)
    ref = dict(ins)  # what PyTorch gets: a float key padding mask as its bool equivalent (see above)
    for x, v in ins.items():
        if x.endswith("key_padding_mask") and v.is_floating_point():
            ref[x] = v == float("-inf")
    grad_names = [x for x in ("src", "tgt", "memory") if x in ins]
    for x in grad_names:
        ins[x].requires_grad_()
    t = {"in." + x: v.detach() for x, v in ins.items()}
    t.update({"sd." + x: v.clone() for x, v in m.state_dict().items()})
    y = m(**ref)
    gy = rnd(tuple(y.shape), dtype)
    (y * gy).sum().backward()
    t["y"] = y.detach()
    t["gy"] = gy
    for x in grad_names:
        t["g.in." + x] = ins[x].grad
    for x, p in m.named_parameters():
        t["g." + x] = p.grad if p.grad is not None else torch.zeros_like(p)
    W.case("fb_%s_%s" % (mid, variant), tensors=t,
           attrs={"module": mid, "train": int(train), "dtype": str(dtype).replace("torch.", "")})


for mid in ZOO:
    if mid in NO_FB:
        continue
    train = mid.endswith("drop1")
    fb(mid, "plain", train=train)
    if train:
        continue
    fb(mid, "bool", masks="bool")
    fb(mid, "unbatched", n=None, masks="bool")
    if kind(ZOO[mid]()) == "enc":
        fb(mid, "float", masks="float")
for mid in ("enc", "dec_nf_gelu_bf", "transformer"):
    fb(mid, "f64", masks="bool", n=3, dtype=torch.float64)

for n in (1, 4):
    W.case("square_mask_%d" % n, tensors={"mask": nn.Transformer.generate_square_subsequent_mask(n)})

# --------------------------------------------------------------------------- a saved encoder
pt = ZOO["pt_encoder"]()
torch.save(pt.state_dict(), PT)
pt.eval()
x = rnd((3, 6, 16), torch.float32)
with torch.no_grad():
    y = pt(x)
    y_causal = pt(x, mask=nn.Transformer.generate_square_subsequent_mask(6))
W.case("pt_encoder", tensors={"x": x, "y": y, "y_causal": y_causal},
       texts={"keys": "\n".join(pt.state_dict().keys())})


# --------------------------------------------------------------------------- errors
def message(f):
    try:
        f()
    except (RuntimeError, ValueError, AssertionError) as e:
        return str(e)
    raise AssertionError("no error")


z = torch.zeros
enc = EL(E, H, FF, 0.0)
tr = nn.Transformer(E, H, 1, 1, FF, 0.0)
errors = {
    "ctor_heads": lambda: EL(E, 3),
    "ctor_activation": lambda: EL(E, H, activation="tanh"),
    "enc_feature": lambda: enc(z(5, 2, 6)),
    "enc_mask_shape": lambda: enc(z(5, 2, E), src_mask=z(4, 4)),
    "tr_batch": lambda: tr(z(5, 2, E), z(4, 3, E)),
    "tr_feature": lambda: tr(z(5, 2, E), z(4, 2, 6)),
}
W.case("errors", texts={k: message(f) for k, f in errors.items()})

W.save()
print("wrote", os.path.normpath(OUT), "and", os.path.normpath(PT))
