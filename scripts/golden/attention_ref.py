"""PyTorch 2.x's F.scaled_dot_product_attention, written with torch 1.13's ops (1.13 has no such
function), for jnn's golden fixtures: scripts/golden/op_registry.py evaluates the registry entries
`nn.functional.scaled_dot_product_attention*` with `attention_ref.sdpa`, and
scripts/golden/attention.py uses it too.

What it follows, read from PyTorch's source (aten/src/ATen/native/transformers/attention.cpp of
2.5 and later, and the reference implementation in the docstring of F.scaled_dot_product_attention):

* validate_sdpa_input's checks and messages, in its order (query/key/value dtypes, devices, at least
  2 dims, attn_mask dtype bool or float or query's);
* a bool attn_mask (True = takes part) becomes an additive mask (0 / -inf) of its own shape; a float
  mask is added as it is; the mask must broadcast to the attention weights' shape [..., L, S]
  (the math path adds it in place: `attn.add_(attn_mask)`);
* is_causal: the lower-triangular [L, S] mask (ones(L, S).tril()), with the math path's error when
  an attn_mask is given as well;
* scale: 1 / sqrt(E) by default;
* _scaled_dot_product_attention_math's `_safe_softmax` (2.5+): rows whose scores are all -inf
  (fully masked) give weights 0, hence output 0, and no gradient (its derivative is softmax's,
  computed from its output), where 2.0 - 2.4's plain softmax gave NaN;
* dropout on the weights whenever dropout_p > 0 (no training flag), after the softmax.

The math path scales q and k by sqrt(scale) each; this reference scales q @ k^T once (the
docstring's form): the same values to rounding.
"""
import math

import torch

_TYPE_META = {torch.float32: "float", torch.float64: "double", torch.int64: "long int",
              torch.bool: "bool", torch.float16: "c10::Half"}


def _tm(dtype):
    """c10::TypeMeta's name of a dtype, as PyTorch's C++ messages print it."""
    return _TYPE_META[dtype]


class _SafeSoftmax(torch.autograd.Function):
    """at::_safe_softmax over the last dim: softmax, then 0 on rows that are -inf everywhere."""

    @staticmethod
    def forward(ctx, x):
        out = torch.softmax(x, -1)
        if x.size(-1) > 0:
            out = out.masked_fill(x.eq(float("-inf")).all(-1, keepdim=True), 0.0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return torch._softmax_backward_data(g, out, -1, out.dtype)


def validate(query, key, value, attn_mask):
    if not (query.dtype == key.dtype and query.dtype == value.dtype):
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: %s"
            " key.dtype: %s and value.dtype: %s instead."
            % (_tm(query.dtype), _tm(key.dtype), _tm(value.dtype)))
    if not (query.device == key.device and query.device == value.device):
        raise RuntimeError(
            "Expected query, key, and value to have the same device type, but got query.device: %s"
            " key.device: %s and value.device: %s instead." % (query.device, key.device, value.device))
    if not (query.dim() >= 2 and key.dim() >= 2 and value.dim() >= 2):
        raise RuntimeError(
            "Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: %d"
            " key.dim: %d and value.dim: %d instead." % (query.dim(), key.dim(), value.dim()))
    if attn_mask is not None:
        md = attn_mask.dtype
        if not (md == torch.bool or md == torch.float32 or md == query.dtype):
            raise RuntimeError(
                "Expected attn_mask dtype to be bool or float or to match query dtype, but got"
                " attn_mask.dtype: %s and  query.dtype: %s instead." % (_tm(md), _tm(query.dtype)))


def sdpa(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """F.scaled_dot_product_attention of PyTorch 2.5+ (math path), see the module comment."""
    validate(query, key, value, attn_mask)
    if attn_mask is not None and attn_mask.dtype == torch.bool:
        attn_mask = torch.zeros(attn_mask.shape, dtype=query.dtype).masked_fill(
            attn_mask.logical_not(), float("-inf"))
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(
                "_scaled_dot_product_attention: Explicit attn_mask should not be set when"
                " is_causal=True")
        L, S = query.size(-2), key.size(-2)
        attn_mask = torch.zeros(L, S, dtype=query.dtype).masked_fill(
            torch.ones(L, S, dtype=torch.bool).tril().logical_not(), float("-inf"))
    scale_factor = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    attn = query @ key.transpose(-2, -1) * scale_factor
    if attn_mask is not None:
        attn = attn.clone()
        attn += attn_mask  # in place: the mask must broadcast to the weights' shape
    attn = _SafeSoftmax.apply(attn)
    if dropout_p > 0.0:
        attn = torch.dropout(attn, dropout_p, True)
    return attn @ value
