#!/usr/bin/python3
"""Golden fixtures for the recurrent layers (issue 18): RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell.

Run from the repository root with Debian's torch (1.13):  /usr/bin/python3 scripts/golden/rnn.py
Writes
  * src/jnn/test/resources/golden/rnn.txt (goldenio format), read by dev.jnn.nn.layers.RecurrentGoldenTest;
  * src/jnn/test/resources/interop/lstm.pt: torch.save(lstm.state_dict()) of the module "pt_lstm"
    (a 2-layer bidirectional LSTM with proj_size and batch_first), whose input and outputs are the
    case "pt_lstm" of rnn.txt.

Every module is named by an id; the Java test builds the same module for the same id
(dev.jnn.nn.layers.RecurrentZoo). Cases:

* repr: repr(module) per id; keys: state-dict keys ("key [shape] dtype" lines) and the root version.
* fb_<id>_<variant>: forward and backward with PyTorch's (seeded) weights, given to the Java module as
  the state dict 'sd.<key>': the input 'x', initial states 'h0' (and 'c0' for LSTM / LSTMCell) when the
  variant has them, the outputs 'y' (output, or h' of a cell), 'hn' (h_n; absent for RNNCell/GRUCell)
  and 'cn' (c_n, or c' of LSTMCell), upstream gradients 'gy', 'ghn', 'gcn', and the gradients of
  sum(y * gy) + sum(hn * ghn) + sum(cn * gcn): 'gx', 'gh0', 'gc0' and 'g.<parameter>'.
  attrs: module (the id), train (1: training mode; only dropout=1.0 modules, whose dropout is
  deterministic: everything dropped), dtype.
* errors: PyTorch's messages for bad constructor arguments and inputs (texts keyed by the Java test).
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

torch.manual_seed(18)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "src", "jnn", "test", "resources", "golden", "rnn.txt")
PT = os.path.join(ROOT, "src", "jnn", "test", "resources", "interop", "lstm.pt")
W = GoldenWriter(OUT, "Recurrent layers (see scripts/golden/rnn.py).")

# id -> constructor; the Java RecurrentZoo mirrors this table.
ZOO = {
    "rnn": lambda: nn.RNN(4, 5),
    "rnn_relu2": lambda: nn.RNN(4, 5, num_layers=2, nonlinearity="relu"),
    "rnn_bi2": lambda: nn.RNN(3, 4, num_layers=2, bias=False, batch_first=True, bidirectional=True),
    "rnn_drop1": lambda: nn.RNN(3, 4, num_layers=3, dropout=1.0),
    "lstm": lambda: nn.LSTM(4, 5),
    "lstm_bi2": lambda: nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True),
    "lstm_proj_bi2": lambda: nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2),
    "lstm_proj_nobias": lambda: nn.LSTM(3, 5, bias=False, proj_size=2, batch_first=True),
    "lstm_drop": lambda: nn.LSTM(3, 4, num_layers=2, dropout=0.5),
    "lstm_drop1": lambda: nn.LSTM(3, 4, num_layers=2, dropout=1.0, bidirectional=True),
    "gru": lambda: nn.GRU(4, 5),
    "gru_bi2": lambda: nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True),
    "gru_nobias": lambda: nn.GRU(3, 4, num_layers=2, bias=False, dropout=0.25),
    "gru_drop1": lambda: nn.GRU(3, 4, num_layers=2, dropout=1.0),
    "rnncell": lambda: nn.RNNCell(4, 5),
    "rnncell_relu": lambda: nn.RNNCell(4, 5, bias=False, nonlinearity="relu"),
    "lstmcell": lambda: nn.LSTMCell(4, 5),
    "lstmcell_nobias": lambda: nn.LSTMCell(3, 4, bias=False),
    "grucell": lambda: nn.GRUCell(4, 5),
    "grucell_nobias": lambda: nn.GRUCell(3, 4, False),
    "pt_lstm": lambda: nn.LSTM(5, 7, num_layers=2, batch_first=True, bidirectional=True, proj_size=3),
}

W.case("repr", texts={k: repr(f()) for k, f in ZOO.items()})


def keys_text(m):
    return "\n".join("%s %s %s" % (k, list(v.shape), str(v.dtype).replace("torch.", ""))
                     for k, v in m.state_dict().items())


W.case("keys", texts={k: keys_text(f()) for k, f in ZOO.items()},
       attrs={"version_" + k: f().state_dict()._metadata[""]["version"] for k, f in ZOO.items()})


def rnd(shape, dtype):
    return torch.randn(*shape, dtype=torch.float64).to(dtype)


def kind(m):
    if isinstance(m, nn.LSTM):
        return "lstm"
    if isinstance(m, nn.RNNBase):
        return "seq"
    if isinstance(m, nn.LSTMCell):
        return "lstmcell"
    return "cell"


def state_shapes(m, batch):
    """Shapes of (h0, c0) for a batch (None: unbatched)."""
    b = () if batch is None else (batch,)
    if isinstance(m, nn.RNNBase):
        d = 2 if m.bidirectional else 1
        hout = m.proj_size if m.proj_size > 0 else m.hidden_size
        return (m.num_layers * d,) + b + (hout,), (m.num_layers * d,) + b + (m.hidden_size,)
    return b + (m.hidden_size,), b + (m.hidden_size,)


def fb(mid, variant, seq=3, batch=2, states=True, dtype=torch.float32, train=False):
    m = ZOO[mid]().to(dtype)
    m.train(train)
    k = kind(m)
    if k in ("seq", "lstm"):
        if batch is None:
            xs = (seq, m.input_size)
        elif m.batch_first:
            xs = (batch, seq, m.input_size)
        else:
            xs = (seq, batch, m.input_size)
    else:
        xs = (m.input_size,) if batch is None else (batch, m.input_size)
    x = rnd(xs, dtype).requires_grad_()
    hs, cs = state_shapes(m, batch)
    h0 = rnd(hs, dtype).requires_grad_() if states else None
    c0 = rnd(cs, dtype).requires_grad_() if states and k in ("lstm", "lstmcell") else None
    sd = {"sd." + n: v.clone() for n, v in m.state_dict().items()}
    if k == "lstm":
        y, (hn, cn) = m(x, (h0, c0)) if states else m(x)
    elif k == "seq":
        y, hn = m(x, h0) if states else m(x)
        cn = None
    elif k == "lstmcell":
        y, cn = m(x, (h0, c0)) if states else m(x)
        hn = None
    else:
        y = m(x, h0) if states else m(x)
        hn = cn = None
    outs = {"y": y, "hn": hn, "cn": cn}
    t = dict(x=x.detach())
    if states:
        t["h0"] = h0.detach()
        if c0 is not None:
            t["c0"] = c0.detach()
    t.update(sd)
    loss = 0
    for name, o in outs.items():
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
    W.case("fb_%s_%s" % (mid, variant), tensors=t,
           attrs={"module": mid, "train": int(train), "dtype": str(dtype).replace("torch.", "")})


for mid in ZOO:
    if mid == "pt_lstm":
        continue
    train = mid.endswith("drop1")
    fb(mid, "zero", states=False, train=train)
    fb(mid, "states", train=train)
    fb(mid, "unbatched", batch=None, train=train)
    if "_" not in mid or mid.endswith("cell"):
        fb(mid, "unbatched_zero", batch=None, states=False, train=train)
for mid in ("rnn_relu2", "lstm_proj_bi2", "gru_bi2", "lstmcell", "grucell"):
    fb(mid, "f64", seq=4, batch=3, dtype=torch.float64)
fb("lstm", "long", seq=12, batch=2)
fb("gru", "batch0", batch=0)
fb("lstm_bi2", "batch0", batch=0, states=False)

# --------------------------------------------------------------------------- a saved LSTM state dict
pt = ZOO["pt_lstm"]()
torch.save(pt.state_dict(), PT)
pt.eval()
x = rnd((2, 6, 5), torch.float32)
with torch.no_grad():
    y, (hn, cn) = pt(x)
W.case("pt_lstm", tensors={"x": x, "y": y, "hn": hn, "cn": cn},
       texts={"keys": "\n".join(pt.state_dict().keys())})


# --------------------------------------------------------------------------- errors
def message(f):
    try:
        f()
    except (RuntimeError, ValueError, AssertionError) as e:
        return str(e)
    raise AssertionError("no error")


z = torch.zeros
rnn = nn.RNN(5, 4, 2)
lstm = nn.LSTM(5, 4, 2, proj_size=2)
gru = nn.GRU(5, 4, batch_first=True)
cell = nn.RNNCell(5, 4)
lcell = nn.LSTMCell(5, 4)
errors = {
    "ctor_dropout": lambda: nn.RNN(5, 4, dropout=1.5),
    "ctor_dropout_neg": lambda: nn.LSTM(5, 4, dropout=-0.1),
    "ctor_nonlinearity": lambda: nn.RNN(5, 4, nonlinearity="sigmoid"),
    "ctor_proj_neg": lambda: nn.LSTM(5, 4, proj_size=-1),
    "ctor_proj_big": lambda: nn.LSTM(5, 4, proj_size=4),
    "ctor_hidden0": lambda: nn.GRU(5, 0),
    "rnn_rank4": lambda: rnn(z(2, 3, 5, 1)),
    "rnn_rank1": lambda: rnn(z(5)),
    "rnn_input_size": lambda: rnn(z(2, 3, 6)),
    "rnn_hidden_size": lambda: rnn(z(2, 3, 5), z(2, 4, 4)),
    "rnn_hidden_layers": lambda: rnn(z(2, 3, 5), z(1, 3, 4)),
    "rnn_hx_rank_batched": lambda: rnn(z(2, 3, 5), z(4, 4)),
    "rnn_hx_rank_unbatched": lambda: rnn(z(3, 5), z(2, 1, 4)),
    "rnn_hidden_unbatched": lambda: rnn(z(3, 5), z(2, 5)),
    "rnn_empty_seq": lambda: rnn(z(0, 3, 5)),
    "rnn_dtype": lambda: rnn(z(2, 3, 5, dtype=torch.float64)),
    "gru_hidden_batch_first": lambda: gru(z(3, 2, 5), z(1, 2, 4)),
    "gru_empty_seq": lambda: gru(z(3, 0, 5)),
    "lstm_h_size": lambda: lstm(z(2, 3, 5), (z(2, 3, 4), z(2, 3, 4))),
    "lstm_c_size": lambda: lstm(z(2, 3, 5), (z(2, 3, 2), z(2, 3, 2))),
    "lstm_hx_rank_batched": lambda: lstm(z(2, 3, 5), (z(3, 2), z(2, 3, 2))),
    "lstm_hx_rank_unbatched": lambda: lstm(z(3, 5), (z(2, 3, 2), z(2, 3, 4))),
    "lstm_input_size": lambda: lstm(z(2, 3, 4)),
    "lstm_empty_seq": lambda: lstm(z(0, 3, 5)),
    "cell_rank3": lambda: cell(z(2, 3, 5)),
    "cell_rank0": lambda: cell(z(())),
    "cell_input_size": lambda: cell(z(3, 6)),
    "cell_hidden_batch": lambda: cell(z(3, 5), z(2, 4)),
    "cell_hidden_size": lambda: cell(z(3, 5), z(3, 5)),
    "cell_unbatched_hidden": lambda: cell(z(5), z(3, 4)),
    "cell_nonlinearity": lambda: nn.RNNCell(5, 4, nonlinearity="x")(z(3, 5)),
    "lstmcell_rank3": lambda: lcell(z(2, 3, 5)),
    "lstmcell_h_batch": lambda: lcell(z(3, 5), (z(2, 4), z(3, 4))),
    "lstmcell_c_size": lambda: lcell(z(3, 5), (z(3, 4), z(3, 3))),
    "grucell_input_size": lambda: nn.GRUCell(5, 4)(z(3, 6)),
    "grucell_rank3": lambda: nn.GRUCell(5, 4)(z(1, 3, 5)),
}
W.case("errors", texts={k: message(f) for k, f in errors.items()})

W.save()
print("wrote", os.path.normpath(OUT), "and", os.path.normpath(PT))
