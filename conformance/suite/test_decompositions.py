"""torch.linalg: what the generic catalogue tests cannot state.

* the property entries measure torch's outputs with the same functions that measure NumPy's (a defect there would
  make both sides agree on nonsense): the measurements of an exact decomposition are zero, those of a wrong one
  are not;
* a singular matrix makes inv and solve raise in torch as NumPy's raise (LinAlgError, a RuntimeError in torch),
  and det 0 in both.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from conformance import catalogue, dtypes
from conformance.catalogue import decompositions as C
from conformance.check import Mismatch, example_sample
from conformance.references import decompositions as R

pytestmark = [pytest.mark.decompositions]


def _pending(op):
    """Skips a test of an entry that is still pending (catalogue/decompositions.py's PENDING, with its reason)."""
    return pytest.mark.skipif(op in C.PENDING, reason=f"{op} is pending: {C.PENDING.get(op)}")


@pytest.mark.op("linalg_qr")
@_pending("linalg_qr")
@pytest.mark.dtypes("float64")
def test_measurements_tell_exact_from_wrong(device, dtype):
    """An exact factorization (from NumPy, in float64) measures about 0; the same one with Q's first column
    negated, or R made lower triangular, or the eigenvalues reversed, does not."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((5, 4))
    q, r = np.linalg.qr(a)
    good = R.measure_qr(a, q, r)
    flipped = q.copy()
    flipped[:, 0] *= -1
    bad = R.measure_qr(a, flipped, r)
    if not (np.all(good < 1e-13) and bad[0] > 0.1 and bad[1] < 1e-13):
        raise Mismatch(f"measure_qr: exact {good}, with Q's first column negated {bad}")
    if R.measure_qr(a, q, r.T @ np.eye(4))[2] == 0:
        raise Mismatch("measure_qr does not see a nonzero lower triangle")
    h = a[:4] + a[:4].T
    w, v = np.linalg.eigh(h)
    if not (np.all(R.measure_eigh(h, w, v)[:2] < 1e-13) and R.measure_eigh(h, w[::-1], v)[2] > 0):
        raise Mismatch("measure_eigh does not tell sorted, exact eigenpairs from reversed ones")
    u, s, vh = np.linalg.svd(a)
    if not (np.all(R.measure_svd(a, u, s, vh) < 1e-13) and R.measure_svd(a, u, s[::-1], vh)[0] > 0.01):
        raise Mismatch("measure_svd does not tell an exact SVD from one with reversed singular values")


@pytest.mark.op("linalg_inv")
@_pending("linalg_inv")
@pytest.mark.dtypes("float32", "float64", "complex128")
def test_singular_matrix_raises(device, dtype):
    """An exactly singular matrix (a row repeated): NumPy raises LinAlgError in inv and solve, torch raises
    (torch.linalg.LinAlgError, a RuntimeError). Its det is not asserted to be 0: that is exact only in some
    order of elimination (NumPy factors A, torch's column-major LAPACK call A^T, whose multiplier 1/3 rounds:
    torch gives 5e-16 in float64), and the det entry's generic test bounds it."""
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [1.0, 2.0, 3.0]], dtype=dtype)
    for name, np_fn, t_fn in (("inv", np.linalg.inv, torch.linalg.inv),
                              ("solve", lambda m: np.linalg.solve(m, np.ones(3, dtype=dtype)),
                               lambda m: torch.linalg.solve(m, torch.ones(3, dtype=m.dtype, device=m.device)))):
        with pytest.raises(np.linalg.LinAlgError):
            np_fn(a)
        try:
            t_fn(torch.from_numpy(a).to(device))
        except RuntimeError:
            continue
        raise Mismatch(f"linalg.{name} [{device}, {dtype}] of an exactly singular matrix did not raise")


@pytest.mark.op("linalg_eigvals")
@_pending("linalg_eigvals")
@pytest.mark.dtypes("float32")
def test_eigvals_of_a_nonfinite_matrix_is_unchecked(device, dtype):
    """Pins the torch bug recorded as ``linalg_eigvals-nonfinite-input-unchecked`` (the suite does not make that
    call in its own process), in a subprocess: a 2 x 2 matrix with a NaN crashes it, one with an infinity gives
    NaN eigenvalues, where NumPy (and torch.linalg.eig) raise. When torch raises there, this test fails: the
    record no longer holds and is to be removed."""
    import subprocess
    import sys

    def run(value):
        code = ("import torch; a = torch.ones(2, 2, dtype=torch.%s, device=%r); a[0, 0] = float(%r); "
                "print(bool(torch.linalg.eigvals(a).isnan().all()))" % (dtype, device, value))
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)

    nan, inf = run("nan"), run("inf")
    if nan.returncode >= 0 or inf.returncode != 0 or inf.stdout.strip() != "True":
        raise Mismatch(f"torch.linalg.eigvals [{device}, {dtype}]: a NaN matrix exits {nan.returncode} (a crash "
                       f"recorded), an infinite one exits {inf.returncode} printing {inf.stdout.strip()!r} (all "
                       "NaN recorded): the record linalg_eigvals-nonfinite-input-unchecked no longer holds")


@pytest.mark.op("linalg_eigvalsh")
@_pending("linalg_eigvalsh")
@pytest.mark.divergence("linalg_eigvalsh-gradient-hermitian")
@pytest.mark.dtypes("float64", "complex128")
def test_eigvalsh_gradient_is_hermitian(device, dtype):
    """torch's gradient of eigvalsh is ``V diag(g) V^H``, Hermitian, where NumPy's finite differences (the forward
    reads the lower triangle) give the lower triangle doubled and 0 above; along a Hermitian direction the two
    agree. A 1 x 1 matrix, just outside the record, has the same gradient in both."""
    a = np.array([[2.0, 1.0], [0.5, 3.0]], dtype=dtype)
    g = np.array([0.25, 1.0])
    t = torch.tensor(a, device=device, requires_grad=True)
    (torch.linalg.eigvalsh(t) * torch.tensor(g, device=device)).sum().backward()
    got = t.grad.cpu().numpy()
    h = 2.0 ** -20

    def fd(direction):
        return float(np.dot(g, (np.linalg.eigvalsh(a + h * direction) - np.linalg.eigvalsh(a - h * direction))
                            / (2 * h)))
    upper = np.array([[0.0, 1.0], [0.0, 0.0]], dtype=dtype)
    sym = np.array([[0.5, 1.0], [1.0, -0.25]], dtype=dtype)
    if not np.allclose(got, np.conj(got.T), atol=1e-12) or abs(got[0, 1]) < 1e-3 or abs(fd(upper)) > 1e-9:
        raise Mismatch(f"eigvalsh gradient {got}: not Hermitian and nonzero above the diagonal (NumPy's derivative "
                       f"there {fd(upper)}): linalg_eigvalsh-gradient-hermitian no longer holds")
    if abs(np.sum(np.conj(got) * sym).real - fd(sym)) > 1e-7:
        raise Mismatch(f"eigvalsh gradient {got} disagrees with NumPy's derivative along a Hermitian direction")
    one = torch.tensor([[3.0]], dtype=t.dtype, device=device, requires_grad=True)
    torch.linalg.eigvalsh(one).sum().backward()
    if abs(complex(one.grad.item()) - 1.0) > 1e-12:
        raise Mismatch(f"eigvalsh gradient of a 1 x 1 matrix: {one.grad.item()}, NumPy's 1")
def _matrix_norm_fd(a, ord_):
    """NumPy's derivative of the matrix norm at ``a``, element by element (central differences in float64)."""
    a = a.astype(np.float64)
    out = np.zeros_like(a)
    h = 2.0 ** -20
    for idx in np.ndindex(*a.shape):
        e = np.zeros_like(a)
        e[idx] = h
        out[idx] = (R.matrix_norm(a + e, ord_) - R.matrix_norm(a - e, ord_)) / (2 * h)
    return out


#: a bfloat16 matrix whose row sums, 2.953125 and 2.9599609, round to the same bfloat16 value, and the same
#: matrix with its second row's sum 2.9765625, which rounds to another
_TIED = [[-1.359375, 1.59375], [-2.84375, 0.1162109375]]
_UNTIED = [[-1.359375, 1.59375], [-2.84375, 0.1328125]]


@pytest.mark.parametrize("name", [pytest.param(o, marks=[pytest.mark.op(o), pytest.mark.divergence(
    f"{o}-gradient-rounded-line-sums-tie")]) for o in ("linalg_matrix_norm", "linalg_norm")])
@pytest.mark.dtypes("bfloat16")
def test_matrix_norm_gradient_where_rounded_line_sums_tie(name, device, dtype):
    """ord=inf (and ord=1 on the transpose) of a bfloat16 matrix whose two row sums tie once rounded to bfloat16:
    torch's gradient goes half to each row (amax of the rounded sums splits the cotangent), NumPy's derivative,
    of the exact sums, is sgn(a) on the second row alone. Just outside the record (the sums round apart) torch's
    gradient is NumPy's derivative."""
    record = catalogue.divergence(f"{name}-gradient-rounded-line-sums-tie")
    fn = torch.linalg.matrix_norm if name == "linalg_matrix_norm" else torch.linalg.norm
    for data, tied in ((_TIED, True), (_UNTIED, False)):
        for ord_, transpose in ((float("inf"), False), (1, True)):
            an = np.array(data, dtype=np.float64).T if transpose else np.array(data, dtype=np.float64)
            held = an.astype(dtypes.NUMPY[dtype])
            sample = example_sample(((held,), {"ord": ord_}) if name == "linalg_matrix_norm" else
                                    ((held, ord_, (-2, -1)), {}), "pinned")
            mask = record.applies(sample, dtype)
            assert bool(np.all(mask)) == tied and bool(np.any(mask)) == tied, (data, ord_, mask)
            x = torch.tensor(an, dtype=dtypes.TORCH[dtype], device=device, requires_grad=True)
            (g,) = torch.autograd.grad(fn(x, ord_), x)
            got = g.cpu().double().numpy()
            want = _matrix_norm_fd(an, ord_)
            if tied:
                split = 0.5 * np.sign(an)
                assert np.array_equal(got, split), f"{name} ord={ord_}: the split gradient is gone: {got}"
                assert not np.allclose(got, want, atol=1e-3), (got, want)
            else:
                assert np.allclose(got, want, atol=1e-3), f"{name} ord={ord_}: {got}, NumPy {want}"


def _singular_form(scale):
    rng = np.random.default_rng(0)
    return ((rng.standard_normal((17, 17)) + 1j * rng.standard_normal((17, 17))) * scale).astype(np.complex64)


@pytest.mark.op("linalg_det")
@pytest.mark.divergence("linalg_det-gradient-from-overflowing-determinant")
@_pending("linalg_det")
@pytest.mark.dtypes("complex64")
def test_det_gradient_where_the_determinant_overflows(device, dtype):
    """The 'singular' form of a 17 x 17 complex64 matrix of entries about 100 (||A||_F^17 far past complex64's
    range): torch's computed determinant overflows and the gradient, formed from it, is NaN, where NumPy's
    derivative is 0 (the determinant is 0 for every input). Scaled to entries about 1, just outside the record,
    the gradient is finite and within the backward's rounding bound of 0 (catalogue/gradients.py
    OUTPUT_ROUNDING)."""
    from conformance.catalogue.gradients import OUTPUT_ROUNDING

    record = catalogue.divergence("linalg_det-gradient-from-overflowing-determinant")
    for scale, inside in ((100.0, True), (1.0, False)):
        an = _singular_form(scale)
        sample = example_sample(((an, "singular"), {}), "pinned")
        mask = record.applies(sample, dtype)
        assert bool(np.all(mask)) == inside and bool(np.any(mask)) == inside, (scale, mask)
        x = torch.tensor(an, device=device, requires_grad=True)
        (g,) = torch.autograd.grad(C.det_call(x, "singular").real, x)
        got = g.cpu().numpy().astype(np.complex128)
        if inside:
            assert not np.all(np.isfinite(got)), f"the gradient is now finite where det overflows: {got}"
        else:
            bound = OUTPUT_ROUNDING["linalg_det"](sample, dtype, np.ones(()))[0]
            assert np.all(np.abs(got) <= bound), (np.abs(got).max(), bound.max())


@pytest.mark.op("linalg_det")
@pytest.mark.divergence("linalg_det-gradient-zero-at-singular-matrix")
@_pending("linalg_det")
@pytest.mark.dtypes("float64")
def test_det_gradient_at_a_singular_matrix_is_zero(device, dtype):
    """[[1, 2], [2, 4]] (rank one, determinant exactly 0): torch's gradient of det is 0, NumPy's derivative the
    adjugate's transpose [[4, -2], [-2, 1]]; [[1, 2], [2, 4.5]], just outside the record (determinant 0.5), has
    torch's gradient equal to it."""
    record = catalogue.divergence("linalg_det-gradient-zero-at-singular-matrix")
    for data, inside in (([[1.0, 2.0], [2.0, 4.0]], True), ([[1.0, 2.0], [2.0, 4.5]], False)):
        an = np.array(data, dtype=dtype)
        mask = record.applies(example_sample(((an, "plain"), {}), "pinned"), dtype)
        assert bool(np.all(mask)) == inside and bool(np.any(mask)) == inside, (data, mask)
        x = torch.tensor(an, device=device, requires_grad=True)
        (g,) = torch.autograd.grad(torch.linalg.det(x), x)
        adjugate = np.array([[an[1, 1], -an[1, 0]], [-an[0, 1], an[0, 0]]])
        h = 2.0 ** -20
        numpy_grad = np.array([[(R.det(an + h * e) - R.det(an - h * e)) / (2 * h)
                                for e in (np.eye(4)[2 * i + j].reshape(2, 2) for j in range(2))] for i in range(2)])
        assert np.allclose(numpy_grad, adjugate), (numpy_grad, adjugate)
        got = g.cpu().numpy()
        if inside:
            assert np.all(got == 0), f"torch's gradient of det at a singular matrix is now {got}"
        else:
            assert np.allclose(got, adjugate, rtol=1e-12), (got, adjugate)
