"""Planted gradient bugs: the forward stays right, the backward is wrong under one condition.

Each replaces a torch callable by a version that, when its condition holds and a gradient is wanted, computes the
same forward through a :class:`torch.autograd.Function` whose backward makes a realistic mistake (the kind a
hand-written derivative formula makes). The gradient tests (``suite/test_gradients.py``) must catch every one:
some through the generic finite-difference test of the catalogue entry, some through the closed-form tests.
"""
from __future__ import annotations

import functools

import torch

from conformance.selfcheck import PlantedBug

F = "autograd"
MODULES = ("conformance.suite.test_gradients",)


def _wants_grad(*tensors) -> bool:
    return torch.is_grad_enabled() and any(isinstance(t, torch.Tensor) and t.requires_grad for t in tensors)


def _arg(args, kwargs, position, name, default=None):
    if name in kwargs:
        return kwargs[name]
    return args[position] if len(args) > position else default


# ---- expand: the gradient not summed over the broadcast dims (the first slice taken instead) -----------------

def _expand(original):
    class ExpandFirstSlice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, size):
            ctx.shape = tuple(x.shape)
            return original(x, size).clone()

        @staticmethod
        def backward(ctx, g):
            lead = g.dim() - len(ctx.shape)
            for _ in range(lead):
                g = g[0] if g.shape[0] > 0 else g.sum(0)
            for d, n in enumerate(ctx.shape):
                if n == 1 and g.shape[d] != 1:
                    g = g.narrow(d, 0, 1) if g.shape[d] > 0 else g.sum(d, keepdim=True)
            return g, None

    @functools.wraps(original)
    def planted(self, *sizes, **kwargs):
        size = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list, torch.Size)) else sizes
        if kwargs or not _wants_grad(self):
            return original(self, *sizes, **kwargs)
        lead = len(size) - self.dim()
        target = tuple(self.shape[i - lead] if s == -1 else s for i, s in enumerate(size))
        if target == tuple(self.shape):  # nothing broadcast: the bug does not show
            return original(self, *sizes, **kwargs)
        return ExpandFirstSlice.apply(self, target)
    return planted


# ---- cat: with an empty input, the pieces cut at offsets that skip the first input's size ----------------

def _cat(original):
    class CatOffsets(torch.autograd.Function):
        @staticmethod
        def forward(ctx, dim, *tensors):
            out = original(tensors, dim)
            d = dim % out.dim()
            ctx.d = d
            ctx.sizes = [None if (t.dim() == 1 and t.numel() == 0 and out.dim() != 1) else t.shape[d]
                         for t in tensors]
            ctx.shapes = [t.shape for t in tensors]
            return out

        @staticmethod
        def backward(ctx, g):
            grads, sizes = [], [s or 0 for s in ctx.sizes]
            for k, (size, shape) in enumerate(zip(ctx.sizes, ctx.shapes)):
                if size is None:
                    grads.append(g.new_zeros(shape))
                    continue
                start = sum(sizes[1:k])  # should be sum(sizes[:k])
                grads.append(g.narrow(ctx.d, start, size))
            return (None, *grads)

    @functools.wraps(original)
    def planted(tensors, dim=0, *args, **kwargs):
        tensors = list(tensors)
        if args or kwargs or not _wants_grad(*tensors) or not tensors or \
                len({t.dtype for t in tensors}) > 1 or not any(t.numel() == 0 for t in tensors):
            return original(tensors, dim, *args, **kwargs)
        return CatOffsets.apply(dim, *tensors)
    return planted


# ---- softmax: the gradient without its subtraction term, along a dim that is not the last -----------------

def _softmax(original):
    class SoftmaxNoSubtraction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, dim):
            y = original(x, dim)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return y * g, None  # should be y * (g - (g * y).sum(dim, keepdim=True))

    @functools.wraps(original)
    def planted(x, dim=None, *args, **kwargs):
        if args or kwargs or dim is None or not _wants_grad(x) or x.dim() < 2 or dim % x.dim() == x.dim() - 1 \
                or x.shape[dim] < 2:
            return original(x, dim, *args, **kwargs)
        return SoftmaxNoSubtraction.apply(x, dim)
    return planted


# ---- sqrt: float32 only, the factor 1/2 lost -----------------------------------------------------------------

def _sqrt(original):
    class SqrtFloat32(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = original(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g / y  # should be g / (2 * y)

    @functools.wraps(original)
    def planted(x, *args, **kwargs):
        if args or kwargs or not isinstance(x, torch.Tensor) or x.dtype != torch.float32 or not _wants_grad(x):
            return original(x, *args, **kwargs)
        return SqrtFloat32.apply(x)
    return planted


# ---- index_select: the gradient written (index_copy) instead of accumulated: duplicates lost ---------------

def _index_select(original):
    class IndexSelectCopy(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, dim, index):
            ctx.save_for_backward(index)
            ctx.shape, ctx.dim = x.shape, dim
            return original(x, dim, index)

        @staticmethod
        def backward(ctx, g):
            (index,) = ctx.saved_tensors
            out = g.new_zeros(ctx.shape)
            return out.index_copy(ctx.dim, index.reshape(-1), g), None, None  # should be index_add

    @functools.wraps(original)
    def planted(x, dim, index, *args, **kwargs):
        if args or kwargs or not _wants_grad(x) or x.dim() == 0 or index.numel() == index.unique().numel():
            return original(x, dim, index, *args, **kwargs)
        return IndexSelectCopy.apply(x, dim, index)
    return planted


# ---- matmul: a 2-D right operand broadcast over a batch: its gradient from the first batch element only -----

def _matmul(original):
    class MatmulFirstBatch(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return original(a, b)

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            ga = original(g, b.mT)
            a2 = a.reshape(-1, *a.shape[-2:])
            g2 = g.reshape(-1, *g.shape[-2:])
            gb = original(a2[0].mT, g2[0])  # should be summed over every batch element
            return ga, gb

    @functools.wraps(original)
    def planted(a, b, *args, **kwargs):
        if args or kwargs or not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)) or \
                not _wants_grad(a, b) or a.dim() < 3 or b.dim() != 2 or a.shape[:-2].numel() < 2 or \
                a.dtype != b.dtype:
            return original(a, b, *args, **kwargs)
        return MatmulFirstBatch.apply(a, b)
    return planted


# ---- sum: a negative dim without keepdim put back at the position counted in the output's dims -----------

def _sum(original):
    class SumNegativeDim(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, dim):
            ctx.shape = x.shape
            ctx.dim = dim
            return original(x, dim)

        @staticmethod
        def backward(ctx, g):
            d = ctx.dim + g.dim()  # should be ctx.dim + len(ctx.shape): the dim counted among the input's dims
            return g.unsqueeze(d).expand(ctx.shape), None

    @functools.wraps(original)
    def planted(x, *args, **kwargs):
        dim = _arg(args, kwargs, 0, "dim")
        keepdim = _arg(args, kwargs, 1, "keepdim", False)
        extra = set(kwargs) - {"dim", "keepdim"}
        if extra or len(args) > 2 or not isinstance(x, torch.Tensor) or not _wants_grad(x) or \
                not isinstance(dim, int) or dim >= 0 or keepdim or x.dim() < 2:
            return original(x, *args, **kwargs)
        return SumNegativeDim.apply(x, dim)
    return planted


# ---- amax: ties not shared: the whole cotangent to the first maximal element ----------------------------------

def _amax(original):
    class AmaxFirstTie(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, dims, keepdim):
            y = original(x, dims, keepdim)
            ctx.save_for_backward(x, original(x, dims, True))
            ctx.dims, ctx.keepdim = dims, keepdim
            return y

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            dims = sorted(d % x.dim() for d in ctx.dims)
            if not ctx.keepdim:
                for d in dims:
                    g = g.unsqueeze(d)
            rest = [d for d in range(x.dim()) if d not in dims]
            perm = rest + dims
            hit = (x == y).permute(perm)
            flat = hit.reshape(*hit.shape[:len(rest)], -1)
            first = torch.zeros_like(flat).scatter_(-1, flat.int().argmax(-1, keepdim=True), True)
            inv = [perm.index(d) for d in range(x.dim())]
            mask = first.reshape(hit.shape).permute(inv)
            return g * mask, None, None  # should be g * hit / hit.sum(dims)

    @functools.wraps(original)
    def planted(x, dim=(), keepdim=False, *args, **kwargs):
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if args or kwargs or not _wants_grad(x) or x.dim() == 0 or not dims or x.numel() == 0:
            return original(x, dim, keepdim, *args, **kwargs)
        y = original(x.detach(), dims, True)
        ties = ((x.detach() == y).sum(dims) > 1).any()
        if not ties:
            return original(x, dim, keepdim, *args, **kwargs)
        return AmaxFirstTie.apply(x, dims, keepdim)
    return planted


# ---- abs: sign(0) taken as +1 in the backward ------------------------------------------------------------------

def _abs(original):
    class AbsSignAtZero(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return original(x)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * torch.where(x >= 0, 1.0, -1.0).to(g.dtype)  # should be torch.sgn(x): 0 at 0

    @functools.wraps(original)
    def planted(x, *args, **kwargs):
        if args or kwargs or not _wants_grad(x) or x.is_complex() or not (x == 0).any():
            return original(x, *args, **kwargs)
        return AbsSignAtZero.apply(x)
    return planted


# ---- tanh: a float64 gradient scaled by (1 + 1e-4): a numerical bug, not a structural one -------------------------

def _tanh(original):
    class TanhScaledGradient(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = original(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * (1 - y * y) * (1 + 1e-4)  # a constant off by 1e-4 relative

    @functools.wraps(original)
    def planted(x, *args, **kwargs):
        if args or kwargs or not _wants_grad(x) or x.dtype != torch.float64:
            return original(x, *args, **kwargs)
        return TanhScaledGradient.apply(x)
    return planted


BUGS = [
    PlantedBug("grad-tanh-float64-scaled", F, "tanh's gradient in float64 is (1 + 1e-4) times too large",
               "torch.tanh", _tanh, "test_gradient and tanh- and float64", MODULES),
    PlantedBug("grad-expand-not-summed", F, "expand's gradient takes the first slice along the broadcast dims "
               "instead of summing over them", "torch.Tensor.expand", _expand,
               "test_closed_form_views and expand", MODULES),
    PlantedBug("grad-cat-empty-input-offsets", F, "cat's gradient, when an input is empty, is cut at offsets that "
               "skip the first input (pieces routed to the wrong inputs)", "torch.cat", _cat,
               "test_closed_form_joining and cat", MODULES),
    PlantedBug("grad-softmax-no-subtraction", F, "softmax's gradient along a dim that is not the last lacks its "
               "subtraction term (y * v instead of y * (v - sum(v * y)))", "torch.softmax", _softmax,
               "test_closed_form_softmax and softmax", MODULES),
    PlantedBug("grad-sqrt-float32", F, "sqrt's gradient in float32 only: v / sqrt(x), the factor 1/2 lost",
               "torch.sqrt", _sqrt, "test_gradient and sqrt", MODULES),
    PlantedBug("grad-index_select-duplicates", F, "index_select's gradient written with index_copy: a row "
               "selected twice gets one cotangent, not the sum", "torch.index_select", _index_select,
               "test_gradient and index_select", MODULES),
    PlantedBug("grad-matmul-broadcast-batch", F, "matmul's gradient of a 2-D operand broadcast over a batch comes "
               "from the first batch element only", "torch.matmul", _matmul,
               "test_closed_form_matmul", MODULES),
    PlantedBug("grad-sum-negative-dim", F, "sum's gradient with a negative dim and keepdim=False puts the reduced "
               "dim back at the position counted among the output's dims", "torch.sum", _sum,
               "test_closed_form_sum_mean and sum", MODULES),
    PlantedBug("grad-amax-ties-first", F, "amax's gradient at ties goes entirely to the first maximal element "
               "(torch documents an even split)", "torch.amax", _amax,
               "test_closed_form_amax_ties", MODULES),
    PlantedBug("grad-abs-sign-at-zero", F, "abs's gradient at 0 is +1 (sign(0) taken as 1) instead of 0",
               "torch.abs", _abs, "test_abs_gradient_at_zero", MODULES),
]
