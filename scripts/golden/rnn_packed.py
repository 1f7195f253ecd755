#!/usr/bin/python3
"""Golden fixtures for the recurrent layers fed a PackedSequence (issue 18 part 3).

Run from the repository root with Debian's torch (1.13):  /usr/bin/python3 scripts/golden/rnn_packed.py
Writes src/jnn/test/resources/golden/rnn_packed.txt (goldenio format), read by
dev.jnn.nn.layers.RecurrentPackedGoldenTest. The modules are those of scripts/golden/rnn.py's ZOO
(same ids; the Java test builds them with dev.jnn.nn.layers.RecurrentZoo).

Cases pk_<id>_<variant>: the padded input 'x' ([T, B, I], or [B, T, I] for a batch_first module) and
'lengths' (int64) are packed with pack_padded_sequence(x, lengths, batch_first, enforce_sorted)
(attr enforce_sorted); the module runs on the packed sequence, from h0 (and c0 for LSTM: [L * D, B, *]
in the batch order of x) when the variant has them. Tensors: 'sd.<key>' (PyTorch's seeded weights),
'yd' (output.data), 'bs' (output.batch_sizes), 'si' (output.sorted_indices, absent when None), 'hn',
'cn', upstream gradients 'gyd', 'ghn', 'gcn', and the gradients of
sum(yd * gyd) + sum(hn * ghn) + sum(cn * gcn): 'gx' (of the padded x), 'gh0', 'gc0', 'g.<parameter>'.
attrs: module, enforce_sorted, dtype.
Case errors: PyTorch's messages for bad packed inputs (texts keyed by the Java test).
"""
import os
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.manual_seed(1803)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "src", "jnn", "test", "resources", "golden", "rnn_packed.txt")
W = GoldenWriter(OUT, "Recurrent layers on packed sequences (see scripts/golden/rnn_packed.py).")

# the entries of rnn.py's ZOO used here (copied: importing rnn.py would rewrite its fixtures)
ZOO = {
    "rnn": lambda: nn.RNN(4, 5),
    "rnn_relu2": lambda: nn.RNN(4, 5, num_layers=2, nonlinearity="relu"),
    "rnn_bi2": lambda: nn.RNN(3, 4, num_layers=2, bias=False, batch_first=True, bidirectional=True),
    "lstm": lambda: nn.LSTM(4, 5),
    "lstm_bi2": lambda: nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True),
    "lstm_proj_bi2": lambda: nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2),
    "lstm_proj_nobias": lambda: nn.LSTM(3, 5, bias=False, proj_size=2, batch_first=True),
    "gru": lambda: nn.GRU(4, 5),
    "gru_bi2": lambda: nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True),
    "gru_nobias": lambda: nn.GRU(3, 4, num_layers=2, bias=False, dropout=0.25),
}


def rnd(shape, dtype):
    return torch.randn(*shape, dtype=torch.float64).to(dtype)


def state_shapes(m, batch):
    d = 2 if m.bidirectional else 1
    hout = m.proj_size if m.proj_size > 0 else m.hidden_size
    return (m.num_layers * d, batch, hout), (m.num_layers * d, batch, m.hidden_size)


def pk(mid, variant, lengths, enforce_sorted, states=True, dtype=torch.float32):
    m = ZOO[mid]().to(dtype)
    m.eval()
    is_lstm = isinstance(m, torch.nn.LSTM)
    T, B = max(lengths), len(lengths)
    xs = (B, T, m.input_size) if m.batch_first else (T, B, m.input_size)
    x = rnd(xs, dtype).requires_grad_()
    hs, cs = state_shapes(m, B)
    h0 = rnd(hs, dtype).requires_grad_() if states else None
    c0 = rnd(cs, dtype).requires_grad_() if states and is_lstm else None
    sd = {"sd." + n: v.clone() for n, v in m.state_dict().items()}
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=m.batch_first,
                                  enforce_sorted=enforce_sorted)
    if is_lstm:
        y, (hn, cn) = m(packed, (h0, c0)) if states else m(packed)
    else:
        y, hn = m(packed, h0) if states else m(packed)
        cn = None
    t = dict(x=x.detach(), lengths=torch.tensor(lengths, dtype=torch.int64))
    if states:
        t["h0"] = h0.detach()
        if c0 is not None:
            t["c0"] = c0.detach()
    t.update(sd)
    t["bs"] = y.batch_sizes
    if y.sorted_indices is not None:
        t["si"] = y.sorted_indices
    loss = 0
    for name, o in (("yd", y.data), ("hn", hn), ("cn", cn)):
        if o is None:
            continue
        g = rnd(tuple(o.shape), dtype)
        t[name] = o.detach()
        t["g" + name] = g
        loss = loss + (o * g).sum()
    loss.backward()
    t["gx"] = x.grad
    if states:
        t["gh0"] = h0.grad
        if c0 is not None:
            t["gc0"] = c0.grad
    for n, p in m.named_parameters():
        t["g." + n] = p.grad if p.grad is not None else torch.zeros_like(p)
    W.case("pk_%s_%s" % (mid, variant), tensors=t,
           attrs={"module": mid, "enforce_sorted": int(enforce_sorted),
                  "dtype": str(dtype).replace("torch.", "")})


UNSORTED = [3, 5, 1, 5]
SORTED = [5, 4, 4, 2, 1]
for mid in ("rnn", "rnn_relu2", "rnn_bi2", "lstm", "lstm_bi2", "lstm_proj_bi2", "lstm_proj_nobias",
            "gru", "gru_bi2", "gru_nobias"):
    pk(mid, "unsorted_zero", UNSORTED, False, states=False)
    pk(mid, "unsorted_states", UNSORTED, False)
    pk(mid, "sorted_states", SORTED, True)
    pk(mid, "sorted_zero", SORTED, True, states=False)
pk("lstm_proj_bi2", "f64", [2, 6, 3], False, dtype=torch.float64)
pk("gru_bi2", "f64", [2, 6, 3], False, dtype=torch.float64)
pk("rnn", "single", [4], True)
pk("lstm_bi2", "equal", [3, 3, 3], False)



def message(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return str(e)
    raise AssertionError("no error")


# PyTorch's messages for bad packed inputs (keys read by the Java test); the input's sequences have
# lengths [3, 1], sorted, so batch_sizes = [2, 1, 1]
_p = pack_padded_sequence(torch.randn(3, 2, 4), torch.tensor([3, 1]))
W.case("errors", texts={
    "data_3d": message(lambda: nn.GRU(4, 5)(
        torch.nn.utils.rnn.PackedSequence(torch.randn(4, 2, 4), torch.tensor([2, 1, 1])))),
    "input_size": message(lambda: nn.GRU(4, 5)(
        torch.nn.utils.rnn.PackedSequence(torch.randn(4, 3), torch.tensor([2, 1, 1])))),
    "hidden_batch": message(lambda: nn.RNN(4, 5)(_p, torch.randn(1, 3, 5))),
    "lstm_hidden1": message(lambda: nn.LSTM(4, 5)(_p, (torch.randn(1, 2, 5), torch.randn(1, 3, 5)))),
})
W.save()
