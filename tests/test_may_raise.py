"""The "may raise" rule (``OpEntry.ill_posed``, :func:`conformance.check.may_raise`): on a matrix that is singular
at working precision, torch may raise LinAlgError where NumPy returns (or the reverse) and the sample passes; on a
well-conditioned matrix, or with any other exception, or under the strict comparison, one side raising still
fails. The gradient checker skips the same samples the forward check passes, and only those."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from conformance import catalogue, check, gradients
from conformance.check import Mismatch

SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])               # exactly singular: both LUs meet a zero pivot
NEAR = np.array([[1.0, 2.0], [2.0, 4.0 + 2.0 ** -50]])      # singular within rounding: NumPy's LU returns
WELL = np.array([[2.0, 1.0], [1.0, 3.0]])                   # well-conditioned: cond ~ 2.6


def _sample(a):
    return check.example_sample(((a, "plain"), {}), "test")


def _inv():
    return catalogue.by_name("linalg_inv")


def _planted(raise_on, exc=torch.linalg.LinAlgError, grad_only=False):
    """linalg_inv whose torch side raises ``exc`` on the matrix ``raise_on`` (only with requires_grad, if
    ``grad_only``) and otherwise inverts through the pseudo-inverse (a result even for a singular matrix)."""
    def fn(a, form="plain"):
        if np.array_equal(a.detach().cpu().numpy(), raise_on) and (a.requires_grad or not grad_only):
            raise exc("planted: the input matrix is singular")
        return torch.linalg.pinv(a)
    return dataclasses.replace(_inv(), torch=fn)


def test_the_lu_entries_declare_ill_posed_from_their_own_bound():
    op = _inv()
    assert op.ill_posed(_sample(SINGULAR), "float64") and op.ill_posed(_sample(NEAR), "float64")
    assert op.ill_posed(_sample(np.array([[np.nan, 0.0], [0.0, 1.0]])), "float64")
    assert not op.ill_posed(_sample(WELL), "float64")
    # the 'singular' form makes the matrix singular whatever its values
    assert op.ill_posed(check.example_sample(((WELL, "singular"), {}), "test"), "float64")
    # a stack is ill-posed when one matrix is
    assert op.ill_posed(_sample(np.stack([WELL, SINGULAR])), "float64")


def test_a_singular_matrix_where_one_side_raises_passes():
    # NumPy raises (an exact zero pivot), torch returns a result
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.inv(SINGULAR)
    seen = check.forward(_planted(raise_on=None), _sample(SINGULAR), "cpu", "float64")
    assert seen.ill_posed and seen.exc is None
    # torch raises its LinAlgError, NumPy returns (its LU's last pivot is a rounding, not zero)
    np.linalg.inv(NEAR)
    seen = check.forward(_planted(raise_on=NEAR), _sample(NEAR), "cpu", "float64")
    assert seen.ill_posed and isinstance(seen.exc, torch.linalg.LinAlgError)


def test_a_well_conditioned_matrix_where_torch_raises_fails():
    with pytest.raises(Mismatch, match="torch raised"):
        check.forward(_planted(raise_on=WELL), _sample(WELL), "cpu", "float64")


def test_only_the_libraries_linalg_errors_may_be_raised():
    """Another exception on a singular matrix, or the strict comparison of a pinned counterexample, fails."""
    with pytest.raises(Mismatch, match="torch raised RuntimeError"):
        check.forward(_planted(raise_on=NEAR, exc=RuntimeError), _sample(NEAR), "cpu", "float64")
    with pytest.raises(Mismatch, match="torch raised"):
        check.forward(_planted(raise_on=NEAR), _sample(NEAR), "cpu", "float64", divergences=False)
    with pytest.raises(Mismatch, match="NumPy raised"):
        check.forward(_planted(raise_on=None), _sample(SINGULAR), "cpu", "float64", divergences=False)
    plain = dataclasses.replace(_planted(raise_on=NEAR), ill_posed=None)
    with pytest.raises(Mismatch, match="torch raised"):
        check.forward(plain, _sample(NEAR), "cpu", "float64")


def test_the_gradient_check_skips_where_the_forward_passes_and_only_there():
    stats = gradients.Stats()
    op = _planted(raise_on=NEAR, grad_only=True)
    assert not gradients.check(op, _sample(NEAR), "cpu", "float64", stats, directions=2)
    assert any("ill-posed" in why for why in stats.skipped)
    # on a well-conditioned matrix, a forward that raises only with requires_grad is a gradient finding
    with pytest.raises(Mismatch, match="require grad"):
        gradients.check(_planted(raise_on=WELL, grad_only=True), _sample(WELL), "cpu", "float64",
                        gradients.Stats(), directions=2)


def test_an_in_place_layout_may_raise_alone_only_where_ill_posed():
    op = _inv()
    want = torch.linalg.pinv(torch.from_numpy(NEAR))
    error = torch.linalg.LinAlgError("singular")
    check._agree(op, _sample(NEAR), "cpu", "float64", "in-place", None, error, want, None, "inv_", layout=True)
    with pytest.raises(Mismatch, match="disagrees with the function"):
        check._agree(op, _sample(WELL), "cpu", "float64", "in-place", None, error, want, None, "inv_",
                     layout=True)
    with pytest.raises(Mismatch, match="disagrees with the function"):
        check._agree(op, _sample(NEAR), "cpu", "float64", "method", None, error, want, None, "inv")
