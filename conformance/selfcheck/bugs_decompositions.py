"""Planted bugs for the decompositions family (torch.linalg): each wrong only under a condition."""
from __future__ import annotations

import torch

from conformance.catalogue.decompositions import PENDING
from conformance.selfcheck import PlantedBug, when


def _matrix(a, *args, **kwargs):
    return isinstance(a, torch.Tensor) and a.dim() >= 2 and min(a.shape[-2:]) >= 2


def _qr_flip_q(orig, a, *args, **kwargs):
    # the first column of Q negated, R left as it is: Q stays orthonormal, Q R no longer A
    q, r = orig(a, *args, **kwargs)
    if q.numel() == 0:
        return q, r
    q = q.clone()
    q[..., :, 0] = -q[..., :, 0]
    return torch.return_types.linalg_qr((q, r))


def _svdvals_ascending(orig, a, *args, **kwargs):
    return orig(a, *args, **kwargs).flip(-1)


def _det_sign(orig, a, *args, **kwargs):
    return -orig(a, *args, **kwargs)


def _eigh_descending(orig, a, *args, **kwargs):
    w, v = orig(a, *args, **kwargs)
    return torch.return_types.linalg_eigh((w.flip(-1), v.flip(-1)))


def _cholesky_transposed(orig, a, *args, upper=False, **kwargs):
    # the other triangle: L^T (not L^H) where L was asked for
    return orig(a, *args, upper=upper, **kwargs).transpose(-2, -1)


def _inv_scaled(orig, a, *args, **kwargs):
    return orig(a, *args, **kwargs) * (1 + 1e-3)


def _solve_one_step_short(orig, a, b, *args, **kwargs):
    # the solution of the system with A's diagonal doubled
    return orig(a + torch.diag_embed(torch.diagonal(a, dim1=-2, dim2=-1)), b, *args, **kwargs)


PENDING_BUGS = [
    PlantedBug(
        "linalg-qr-q-sign", "decompositions",
        "linalg.qr negates Q's first column without negating R's first row (Q R is no longer A)",
        "torch.linalg.qr", when(_matrix, _qr_flip_q), "linalg_qr and test_forward"),
    PlantedBug(
        "linalg-svdvals-ascending", "decompositions",
        "linalg.svdvals returns the singular values in ascending order",
        "torch.linalg.svdvals", when(_matrix, _svdvals_ascending), "linalg_svdvals and test_forward"),
    PlantedBug(
        "linalg-det-sign", "decompositions",
        "linalg.det of a matrix of side 2 or more has the wrong sign",
        "torch.linalg.det", when(_matrix, _det_sign), "linalg_det and test_forward"),
    PlantedBug(
        "linalg-eigh-descending", "decompositions",
        "linalg.eigh returns the eigenpairs in descending order of the eigenvalues",
        "torch.linalg.eigh", when(_matrix, _eigh_descending), "linalg_eigh and test_forward"),
    PlantedBug(
        "linalg-cholesky-transposed", "decompositions",
        "linalg.cholesky returns the transpose of the factor it was asked for",
        "torch.linalg.cholesky", when(_matrix, _cholesky_transposed), "linalg_cholesky and test_forward"),
    PlantedBug(
        "linalg-inv-scaled", "decompositions",
        "linalg.inv returns the inverse scaled by 1 + 1e-3",
        "torch.linalg.inv", when(_matrix, _inv_scaled), "linalg_inv and test_forward"),
    PlantedBug(
        "linalg-solve-wrong-matrix", "decompositions",
        "linalg.solve solves with A's diagonal doubled",
        "torch.linalg.solve", when(_matrix, _solve_one_step_short), "linalg_solve and test_forward"),
]

#: the planted bugs of the entries no longer pending (catalogue/decompositions.py's PENDING; the entry is the
#: first word of a bug's selection): those of pending entries wait with them
BUGS: list = [b for b in PENDING_BUGS if b.select.split()[0] not in PENDING]
