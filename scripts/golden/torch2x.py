"""PyTorch 2.x functions that torch 1.13 (the golden generator's PyTorch) lacks, written with 1.13's
ops exactly as 2.x composes them, for the golden scripts (op_registry.py's `torch2x.<name>`).

Each function says which 2.x source it follows. Only behaviour the 2.x source defines goes here:
values and gradients come from 1.13's ops, error messages from the 1.13 function whose checks
2.x's share (never typed here).
"""
import torch
import torch.nn.functional as F


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """torch.nn.functional.rms_norm (2.4+), after ATen's rms_norm_symint (2.4,
    aten/src/ATen/native/layer_norm.cpp): the composite

        upcast = input (float32/float64 stay as they are)
        rsqrt(pow(upcast, 2).mean(dims, keepdim=True).add_(eps)), dims the last
            len(normalized_shape) dims, last first; eps None: torch.finfo(input.dtype).eps
        result = upcast.mul(that) [.mul(weight)], then .type_as(input)

    so its grad_fn is MulBackward0. Its input checks (_check_rms_norm_inputs_symint: the rank of
    normalized_shape, the weight's shape, the input's trailing shape, in that order and with the
    same messages) are 1.13's layer_norm checks, which run first here on detached tensors.
    """
    F.layer_norm(input.detach(), normalized_shape,
                 None if weight is None else weight.detach())
    dims = [input.dim() - i - 1 for i in range(len(normalized_shape))]
    e = torch.finfo(input.dtype).eps if eps is None else eps
    r = torch.rsqrt(torch.pow(input, 2).mean(dims, keepdim=True).add_(e))
    y = input.mul(r)
    if weight is not None:
        y = y.mul(weight)
    return y.type_as(input)


def LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True):
    """torch.nn.LayerNorm with 2.1's bias argument: with bias=False (and elementwise_affine) the
    module registers no bias parameter (register_parameter("bias", None): no state-dict key) and
    its forward passes bias=None to F.layer_norm, as 2.1's does. 1.13's LayerNorm already has
    2.x's extra_repr (which does not show bias), so this is 1.13's class with the bias removed."""
    m = torch.nn.LayerNorm(normalized_shape, eps=eps, elementwise_affine=elementwise_affine)
    if elementwise_affine and not bias:
        m.register_parameter("bias", None)
    return m


class RMSNorm(torch.nn.Module):
    """torch.nn.RMSNorm (2.4, torch/nn/modules/normalization.py) on 1.13: the same constructor
    arguments, the parameter 'weight' (ones, of normalized_shape; None without
    elementwise_affine), the extra_repr '{normalized_shape}, eps={eps},
    elementwise_affine={elementwise_affine}' (normalized_shape a tuple, eps None by default), and
    forward F.rms_norm (rms_norm above)."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = torch.nn.Parameter(
                torch.empty(self.normalized_shape, device=device, dtype=dtype))
            torch.nn.init.ones_(self.weight)
        else:
            self.register_parameter("weight", None)

    def forward(self, x):
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return "{normalized_shape}, eps={eps}, elementwise_affine={elementwise_affine}".format(
            **self.__dict__)


class _CircularPadNd(torch.nn.Module):
    """torch.nn.CircularPad1d/2d/3d (2.1, torch/nn/modules/padding.py) on 1.13: the padding expanded
    as _pair/_quadruple/_ntuple(6) do, 2.1's _check_input_dim (a ValueError whose text is 2.1's
    own: 1.13 has no such check to take it from), forward F.pad(input, padding, 'circular') (unbatched
    input too, as 2.x pads it) and the extra_repr '{padding}'."""

    def __init__(self, k, padding):
        super().__init__()
        self.k = k
        self.padding = tuple(padding) if isinstance(padding, (tuple, list)) else (padding,) * (2 * k)

    def forward(self, input):
        if input.dim() != self.k + 1 and input.dim() != self.k + 2:
            raise ValueError(f"expected {self.k + 1}D or {self.k + 2}D input (got {input.dim()}D input)")
        if input.dim() == self.k + 1:
            # 2.x pads an unbatched input circularly; 1.13's F.pad wants a batch dim ("Invalid
            # padding size, expected 0 but got 2"): add one and remove it, which is 2.x's result
            return F.pad(input.unsqueeze(0), self.padding, "circular").squeeze(0)
        return F.pad(input, self.padding, "circular")

    def extra_repr(self):
        return f"{self.padding}"


class CircularPad1d(_CircularPadNd):
    def __init__(self, padding):
        super().__init__(1, padding)


class CircularPad2d(_CircularPadNd):
    def __init__(self, padding):
        super().__init__(2, padding)


class CircularPad3d(_CircularPadNd):
    def __init__(self, padding):
        super().__init__(3, padding)


def channel_shuffle(input, groups):
    """F.channel_shuffle with a gradient: 1.13 has the op (its checks and messages come from it,
    and its value is asserted equal here) but no derivative for it ("derivative for
    channel_shuffle is not implemented"); 2.x differentiates it as the view composite returned
    here ([N, g, C/g, *] transposed to [N, C/g, g, *])."""
    ref = F.channel_shuffle(input.detach(), groups)
    out = input.unflatten(1, (groups, -1)).transpose(1, 2).flatten(1, 2)
    assert torch.equal(ref, out.detach()), "channel_shuffle composite differs from 1.13's op"
    return out
