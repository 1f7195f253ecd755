"""Golden text for packed sequences (issue 18 part 3): run with /usr/bin/python3 from anywhere.

Writes src/jnn/test/resources/golden/packed_sequence.txt, read by
dev.jnn.nn.utils.rnn.PackedSequenceGoldenTest. Everything comes from torch.nn.utils.rnn of
PyTorch 1.13: pack_padded_sequence (sorted and enforce_sorted=False), pad_packed_sequence,
pack_sequence, pad_sequence (1.13 has no padding_side), unpad_sequence, unpack_sequence.

Case kinds (the prefix of the case name):
  pack/<n>     input, lengths -> data, batch_sizes, sorted/unsorted_indices; gdata -> ginput
  pad/<n>      a pack case's PackedSequence -> padded, lengths; gpadded -> gdata
  packseq/<n>  seq0.. -> data, batch_sizes, indices; gdata -> gseq0..
  padseq/<n>   seq0.. -> padded; gpadded -> gseq0..
  unpad/<n>    padded, lengths -> out0..   (unpad_sequence)
  unpack/<n>   a pack case -> out0..       (unpack_sequence)
  error/<n>    the exception PyTorch raises (type, text) for the inputs the Java test builds
               under the same name
"""
import os
import sys

import torch
from torch.nn.utils import rnn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenio import GoldenWriter  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "src", "jnn", "test", "resources", "golden", "packed_sequence.txt")

w = GoldenWriter(OUT, __doc__.strip().splitlines()[0])
gen = torch.Generator().manual_seed(18)


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype)


def packed_tensors(p, prefix=""):
    t = {prefix + "data": p.data, prefix + "batch_sizes": p.batch_sizes}
    if p.sorted_indices is not None:
        t[prefix + "sorted_indices"] = p.sorted_indices
    if p.unsorted_indices is not None:
        t[prefix + "unsorted_indices"] = p.unsorted_indices
    return t


# ---------------------------------------------------------------------------------- pack_padded

PACK = [
    # name, shape, dtype, lengths, lengths_as_tensor, batch_first, enforce_sorted
    ("time_major_sorted", (4, 3, 2), torch.float64, [4, 2, 1], False, False, True),
    ("batch_first_sorted_ties", (3, 4, 2), torch.float64, [4, 4, 2], False, True, True),
    ("time_major_unsorted", (4, 3, 2), torch.float64, [2, 4, 1], False, False, False),
    ("unsorted_ties", (3, 4), torch.float64, [3, 1, 3, 3], True, False, False),
    ("batch_first_unsorted_2d", (3, 5), torch.float32, [1, 5, 2], True, True, False),
    ("batch_first_unsorted_3feat", (4, 3, 2, 2), torch.float32, [2, 3, 3, 1], False, True, False),
    ("all_full", (3, 2, 1), torch.float64, [3, 3], False, False, True),
    ("shorter_than_input", (5, 2, 3), torch.float64, [3, 2], False, False, True),
    ("single", (2, 1, 3), torch.float32, [2], False, False, False),
]

packs = {}
for name, shape, dtype, lengths, as_tensor, bf, es in PACK:
    x = randn(*shape, dtype=dtype).requires_grad_()
    lens = torch.tensor(lengths) if as_tensor else lengths
    p = rnn.pack_padded_sequence(x, lens, batch_first=bf, enforce_sorted=es)
    g = randn(*p.data.shape, dtype=dtype)
    p.data.backward(g)
    packs[name] = (x, lengths, bf, es, p)
    t = {"input": x, "lengths": torch.tensor(lengths)}
    t.update(packed_tensors(p))
    t.update({"gdata": g, "ginput": x.grad})
    w.case("pack/" + name, t, attrs={"batch_first": int(bf), "enforce_sorted": int(es),
                                      "lengths_as_tensor": int(as_tensor)})

# integer data packs too (not differentiable)
xi = torch.arange(12).reshape(4, 3)
pi = rnn.pack_padded_sequence(xi, [4, 1, 3], enforce_sorted=False)
t = {"input": xi, "lengths": torch.tensor([4, 1, 3])}
t.update(packed_tensors(pi))
w.case("pack/int64", t, attrs={"batch_first": 0, "enforce_sorted": 0, "lengths_as_tensor": 0})

# ---------------------------------------------------------------------------------- pad_packed

PAD = [
    # name, pack case, batch_first, padding_value, total_length
    ("time_major_sorted", "time_major_sorted", False, 0.0, None),
    ("time_major_sorted_bf", "time_major_sorted", True, -1.5, None),
    ("unsorted_total", "time_major_unsorted", False, 2.5, 6),
    ("unsorted_bf_total", "time_major_unsorted", True, 0.0, 5),
    ("ties_bf", "unsorted_ties", True, -7.0, None),
    ("bf_2d", "batch_first_unsorted_2d", True, 0.0, None),
    ("bf_3feat", "batch_first_unsorted_3feat", True, 9.0, 4),
    ("all_full", "all_full", False, 1.0, None),
    ("all_full_total", "all_full", True, 1.0, 3),
    ("single", "single", False, 0.0, 4),
]
for name, src, bf, pv, total in PAD:
    x, lengths, _, _, p0 = packs[src]
    data = p0.data.detach().clone().requires_grad_()
    p = rnn.PackedSequence(data, p0.batch_sizes, p0.sorted_indices, p0.unsorted_indices)
    padded, lens = rnn.pad_packed_sequence(p, batch_first=bf, padding_value=pv, total_length=total)
    g = randn(*padded.shape, dtype=padded.dtype)
    padded.backward(g)
    t = packed_tensors(p)
    t.update({"padded": padded, "lengths": lens, "gpadded": g, "gdata": data.grad})
    attrs = {"batch_first": int(bf), "padding_value": repr(pv), "pack": src,
             "padded_strides": list(padded.stride())}
    if total is not None:
        attrs["total_length"] = total
    w.case("pad/" + name, t, attrs=attrs)

# ---------------------------------------------------------------------------------- pack_sequence

PACKSEQ = [
    ("sorted", [(5, 2), (3, 2), (2, 2)], True),
    ("unsorted", [(3, 2), (5, 2), (2, 2), (5, 2)], False),
    ("unsorted_1d", [(2,), (4,), (1,)], False),
]
for name, shapes, es in PACKSEQ:
    seqs = [randn(*s).requires_grad_() for s in shapes]
    p = rnn.pack_sequence(seqs, enforce_sorted=es)
    g = randn(*p.data.shape)
    p.data.backward(g)
    t = {"seq%d" % i: s for i, s in enumerate(seqs)}
    t.update(packed_tensors(p))
    t["gdata"] = g
    t.update({"gseq%d" % i: s.grad for i, s in enumerate(seqs)})
    w.case("packseq/" + name, t, attrs={"count": len(seqs), "enforce_sorted": int(es)})

# ---------------------------------------------------------------------------------- pad_sequence

PADSEQ = [
    # name, shapes, dtypes, batch_first, padding_value
    ("time_major", [(3, 2), (5, 2), (1, 2)], None, False, 0.0),
    ("batch_first", [(3, 2), (5, 2), (1, 2)], None, True, -2.0),
    ("one_d", [(4,), (2,), (4,)], None, True, 0.5),
    ("broadcast", [(2, 3), (3, 1), (1, 3)], None, False, 0.0),
    ("broadcast_lower_rank", [(2, 3, 3), (3, 3)], None, True, 1.0),
    ("mixed_dtypes", [(2, 3), (3, 3)], [torch.float32, torch.float64], False, 0.0),
    ("empty_sequence", [(2, 2), (0, 2)], None, True, 3.0),
    ("all_empty", [(0, 2), (0, 2)], None, False, 3.0),
    ("float32", [(2, 2, 2), (3, 2, 2)], [torch.float32, torch.float32], False, 0.25),
]
for name, shapes, dtypes, bf, pv in PADSEQ:
    dtypes = dtypes or [torch.float64] * len(shapes)
    seqs = [randn(*s, dtype=d).requires_grad_() for s, d in zip(shapes, dtypes)]
    padded = rnn.pad_sequence(seqs, batch_first=bf, padding_value=pv)
    g = randn(*padded.shape, dtype=padded.dtype)
    padded.backward(g)
    t = {"seq%d" % i: s for i, s in enumerate(seqs)}
    t.update({"padded": padded, "gpadded": g})
    t.update({"gseq%d" % i: s.grad for i, s in enumerate(seqs)})
    w.case("padseq/" + name, t, attrs={"count": len(seqs), "batch_first": int(bf),
                                        "padding_value": repr(pv)})

seqs = [torch.tensor([1, 2, 3]), torch.tensor([4]), torch.tensor([5, 6])]
padded = rnn.pad_sequence(seqs, padding_value=-1)
t = {"seq%d" % i: s for i, s in enumerate(seqs)}
t["padded"] = padded
w.case("padseq/int64", t, attrs={"count": 3, "batch_first": 0, "padding_value": "-1"})

# a Tensor argument is unbound along dim 0
stacked = randn(3, 2, 2)
padded = rnn.pad_sequence(stacked, batch_first=False, padding_value=0.0)
w.case("padseq/tensor_argument", {"sequences": stacked, "padded": padded},
       attrs={"batch_first": 0, "padding_value": "0.0"})

# ---------------------------------------------------------------------------------- unpad / unpack

for name, bf in (("time_major", False), ("batch_first", True)):
    seqs = [randn(3, 2), randn(1, 2), randn(4, 2)]
    padded = rnn.pad_sequence(seqs, batch_first=bf)
    lengths = torch.tensor([3, 1, 4])
    out = rnn.unpad_sequence(padded.clone(), lengths, batch_first=bf)  # 1.13 transposes in place
    t = {"padded": padded, "lengths": lengths}
    t.update({"out%d" % i: o for i, o in enumerate(out)})
    w.case("unpad/" + name, t, attrs={"count": len(out), "batch_first": int(bf)})

for src in ("time_major_unsorted", "time_major_sorted", "unsorted_ties"):
    p = packs[src][4]
    out = rnn.unpack_sequence(p)
    w.case("unpack/" + src, {"out%d" % i: o for i, o in enumerate(out)},
           attrs={"count": len(out), "pack": src})

# ---------------------------------------------------------------------------------- errors

x32 = torch.zeros(3, 2)
packed31 = rnn.pack_padded_sequence(x32, [3, 1])
ERRORS = [
    ("pack_unsorted_lengths", lambda: rnn.pack_padded_sequence(x32, [2, 3])),
    ("pack_zero_length_sorted", lambda: rnn.pack_padded_sequence(x32, [2, 0])),
    ("pack_zero_length_unsorted", lambda: rnn.pack_padded_sequence(x32, [0, 2], enforce_sorted=False)),
    ("pack_negative_length", lambda: rnn.pack_padded_sequence(x32, [3, -1])),
    ("pack_zero_then_unsorted", lambda: rnn.pack_padded_sequence(x32, [0, 2])),
    ("pack_too_many_lengths", lambda: rnn.pack_padded_sequence(x32, [3, 2, 1])),
    ("pack_too_few_lengths", lambda: rnn.pack_padded_sequence(x32, [3])),
    ("pack_empty_input", lambda: rnn.pack_padded_sequence(torch.zeros(0, 2), [2, 1])),
    ("pack_1d_input", lambda: rnn.pack_padded_sequence(torch.zeros(3), [2, 1])),
    ("pack_1d_input_batch_first", lambda: rnn.pack_padded_sequence(torch.zeros(3), [2, 1], batch_first=True)),
    ("pack_2d_lengths", lambda: rnn.pack_padded_sequence(x32, torch.tensor([[3, 2]]))),
    ("pad_total_length_too_short", lambda: rnn.pad_packed_sequence(packed31, total_length=2)),
    ("pad_total_length_negative", lambda: rnn.pad_packed_sequence(packed31, total_length=-1)),
    ("packed_batch_sizes_not_cpu_is_checked",
     lambda: rnn.PackedSequence(torch.zeros(4), torch.tensor([2, 1, 1]).to("meta"))),
    ("padseq_empty_list", lambda: rnn.pad_sequence([])),
    ("padseq_trailing_mismatch", lambda: rnn.pad_sequence([torch.zeros(2, 3), torch.zeros(2, 4)])),
    ("padseq_higher_rank", lambda: rnn.pad_sequence([torch.zeros(2, 3), torch.zeros(3, 2, 3)])),
    ("padseq_broadcast_grows", lambda: rnn.pad_sequence([torch.zeros(3), torch.zeros(3, 3)])),
    ("padseq_scalar", lambda: rnn.pad_sequence([torch.zeros(3), torch.zeros(())])),
    ("packseq_unsorted", lambda: rnn.pack_sequence([torch.zeros(2), torch.zeros(3)])),
    ("packseq_empty_sequence", lambda: rnn.pack_sequence([torch.zeros(2), torch.zeros(0)], enforce_sorted=False)),
    ("packseq_empty_list", lambda: rnn.pack_sequence([])),
    ("packseq_scalar", lambda: rnn.pack_sequence([torch.zeros(2), torch.zeros(())])),
    ("packseq_all_empty", lambda: rnn.pack_sequence([torch.zeros(0, 2), torch.zeros(0, 2)])),
]
for name, f in ERRORS:
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the type is recorded
        w.case("error/" + name, attrs={"type": type(e).__name__}, texts={"message": str(e)})
        continue
    raise SystemExit("PyTorch did not raise for " + name)

w.save()
print("wrote", OUT)
