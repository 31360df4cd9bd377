"""The op families: each is a pytest marker (``-m indexing``) and a section of the reports."""

FAMILIES = {
    "creation": "tensor creation and NumPy interop",
    "random": "random number generation and seeding",
    "pointwise": "elementwise math, type promotion and special values",
    "indexing": "indexing, index_select, gather and scatter",
    "joining": "cat, stack, split and chunk",
    "views": "view, reshape and aliasing",
    "reductions": "sum, mean, std, max, cumsum and friends",
    "comparison": "comparison operators, isclose and allclose",
    "sorting": "sort, argsort, topk, unique, searchsorted",
    "linalg": "dot, matmul, tensordot and friends",
    "einsum": "einsum on generated equations",
    "decompositions": "torch.linalg's solvers, decompositions and matrix functions against numpy.linalg",
    "fft": "torch.fft against numpy.fft: every transform, norm mode, length and dim form",
    "functional": "torch.nn.functional",
    "autograd": "gradients and backward semantics",
    "modules": "torch.nn.Module semantics and hooks",
    "variants": "out= and the rules every function's output variants share",
}
