"""``out=`` where torch differs from NumPy on purpose (every catalogue entry's ``out=`` is checked by the generic
test; see ``check.out_variants``)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from conformance.check import Mismatch

pytestmark = pytest.mark.variants


@pytest.mark.op("add")
@pytest.mark.divergence("out-wrong-shape-resized")
def test_wrong_shape_out_is_resized(device):
    a, b = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    with pytest.raises(ValueError):
        np.add(a, b, out=np.empty(7))
    out = torch.full((7,), float("nan"), device=device, dtype=torch.float64)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        got = torch.add(torch.from_numpy(a).to(device), torch.from_numpy(b).to(device), out=out)
    if got is not out or tuple(out.shape) != (3,) or out.cpu().tolist() != [5.0, 7.0, 9.0]:
        raise Mismatch(f"out-wrong-shape-resized no longer holds: out is {out} (returned {got})")
    if not any("resize" in str(w.message).lower() for w in seen):
        raise Mismatch("out-wrong-shape-resized: torch resized the out tensor without its documented warning")
    # just outside the condition: an empty out is resized silently, as NumPy has no counterpart to refuse
    empty = torch.empty((0,), device=device, dtype=torch.float64)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        torch.add(torch.from_numpy(a).to(device), torch.from_numpy(b).to(device), out=empty)
    if tuple(empty.shape) != (3,) or any("resize" in str(w.message).lower() for w in seen):
        raise Mismatch("an empty out= must be resized without a warning")


@pytest.mark.op("ceil")
@pytest.mark.divergence("out-dtype-exact")
def test_out_must_have_the_result_dtype(device):
    x = np.array([1.5, -2.25], dtype=np.float32)
    wide = np.empty(2, dtype=np.float64)
    np.ceil(x, out=wide)
    assert wide.tolist() == [2.0, -2.0]
    with pytest.raises(RuntimeError):
        torch.ceil(torch.from_numpy(x).to(device), out=torch.empty(2, dtype=torch.float64, device=device))
    # just outside: an op of the same_kind rule takes the wider out, as NumPy does
    out = torch.empty(2, dtype=torch.float64, device=device)
    torch.sqrt(torch.from_numpy(np.abs(x)).to(device), out=out)
    if not torch.equal(out.cpu(), torch.sqrt(torch.from_numpy(np.abs(x))).double()):
        raise Mismatch("sqrt into a float64 out= did not receive the float32 result cast to float64")


@pytest.mark.op("sum")
@pytest.mark.divergence("out-dtype-computes-in-out")
def test_reduction_computes_in_the_out_dtype(device):
    x = np.array([1.7, 2.6])
    into = np.empty((), dtype=np.int64)
    np.sum(x, out=into)
    assert int(into) == 4  # NumPy sums in float64 and casts
    out = torch.empty((), dtype=torch.int64, device=device)
    torch.sum(torch.from_numpy(x).to(device), 0, out=out)
    if out.item() != 3:
        raise Mismatch(f"out-dtype-computes-in-out no longer holds: the sum into an int64 out is {out.item()}")
    # just outside: into a float64 out (no category change) torch's sum gives NumPy's value
    wide = torch.empty((), dtype=torch.float64, device=device)
    torch.sum(torch.from_numpy(x).to(device), 0, out=wide)
    if wide.item() != float(np.sum(x)):
        raise Mismatch(f"a float64 out= received {wide.item()}, NumPy {np.sum(x)}")


@pytest.mark.op("mean")
@pytest.mark.divergence("out-reduction-lower-category-refused")
def test_reduction_refuses_a_lower_category(device):
    x = np.array([1.7, 2.6])
    into = np.empty((), dtype=np.int64)
    np.mean(x, out=into)
    assert int(into) == 2
    with pytest.raises(RuntimeError):
        torch.mean(torch.from_numpy(x).to(device), 0, out=torch.empty((), dtype=torch.int64, device=device))
    # just outside: a float32 out (same category) is taken
    narrow = torch.empty((), dtype=torch.float32, device=device)
    torch.mean(torch.from_numpy(x).to(device), 0, out=narrow)
    if abs(narrow.item() - 2.15) > 1e-6:
        raise Mismatch(f"mean into a float32 out= gave {narrow.item()}")


@pytest.mark.op("tril")
@pytest.mark.divergence("tril-out-noncontiguous-batches")
def test_tril_into_a_noncontiguous_batched_out(device):
    x = np.arange(120, dtype=np.float64).reshape(2, 3, 4, 5)
    want = np.tril(x)
    base = torch.full((4, 6, 8, 10), float("nan"), dtype=torch.float64, device=device)
    out = base[::2, ::2, ::2, ::2]
    torch.tril(torch.from_numpy(x).to(device), out=out)
    got = out.cpu().numpy()
    if np.array_equal(got, want):
        raise Mismatch("tril-out-noncontiguous-batches no longer holds: every batch was written; update the record")
    if not np.array_equal(got[0, 0], want[0, 0]):
        raise Mismatch("tril into a non-contiguous out no longer writes even the first batch")
    # just outside: 3 dims (one batch dim), the same kind of out: every batch written
    x3 = x[0]
    base3 = torch.full((6, 8, 10), float("nan"), dtype=torch.float64, device=device)
    out3 = base3[::2, ::2, ::2]
    torch.tril(torch.from_numpy(x3).to(device), out=out3)
    if not np.array_equal(out3.cpu().numpy(), np.tril(x3)):
        raise Mismatch("tril into a non-contiguous 3-d out= is wrong too: the record is narrower than the bug")


@pytest.mark.op("gelu")
@pytest.mark.divergence("gelu-out-noncontiguous-unwritten")
def test_gelu_into_a_noncontiguous_out(device):
    import torch.nn.functional as F

    x = torch.tensor([1.0, 2.0, 3.0, 4.0], device=device)
    base = torch.full((8,), float("nan"), device=device)
    out = base[::2]
    F.gelu(x, out=out)
    if not torch.isnan(out).all():
        raise Mismatch(f"gelu-out-noncontiguous-unwritten no longer holds: out is {out.tolist()}")
    # just outside: a contiguous out is written
    dense = torch.full((4,), float("nan"), device=device)
    F.gelu(x, out=dense)
    if not torch.equal(dense, F.gelu(x)):
        raise Mismatch("gelu into a contiguous out= is wrong too: the record is narrower than the bug")


@pytest.mark.op("var")
@pytest.mark.divergence("out-var-half-wider-out-refused")
def test_var_of_half_into_float32_out(device):
    x = torch.tensor([1.0, 2.0, 4.0], dtype=torch.float16, device=device)
    with pytest.raises(RuntimeError):
        torch.var(x, 0, out=torch.empty((), dtype=torch.float32, device=device))
    # just outside: float32 into float64 is taken
    out = torch.empty((), dtype=torch.float64, device=device)
    torch.var(x.float(), 0, out=out)
    if abs(out.item() - float(np.var([1.0, 2.0, 4.0], ddof=1))) > 1e-6:
        raise Mismatch(f"var into a float64 out= gave {out.item()}")


@pytest.mark.op("logsumexp")
@pytest.mark.divergence("out-logsumexp-complex-into-real")
def test_logsumexp_complex_into_real_out(device):
    z = torch.tensor([1 + 2j, 3 - 1j], device=device)
    out = torch.empty((), dtype=torch.float64, device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.logsumexp(z, 0, out=out)
    full = torch.logsumexp(z, 0)
    real_parts = torch.logsumexp(z.real.double(), 0)
    if abs(out.item() - full.real.item()) < 1e-6 or abs(out.item() - real_parts.item()) < 1e-6:
        raise Mismatch(f"out-logsumexp-complex-into-real no longer holds: out is {out.item()}")
    # just outside: a complex out of the result's dtype gets the complex result
    same = torch.empty((), dtype=z.dtype, device=device)
    torch.logsumexp(z, 0, out=same)
    if same.item() != full.item():
        raise Mismatch("logsumexp into a complex out= differs from the function")


@pytest.mark.op("ldexp")
@pytest.mark.divergence("out-ldexp-wider-out-internal-assert")
def test_ldexp_exact_kernel_into_wider_out(device):
    x, n = torch.tensor([1.5, -3.0], device=device), torch.tensor([2, -1], device=device)
    with pytest.raises(RuntimeError, match="INTERNAL ASSERT"):
        torch.ldexp(x, n, out=torch.empty(2, dtype=torch.float64, device=device))
    # just outside: a float exponent (the product route) into a float64 out, and the exact kernel into a float32 one
    for other, dt in ((n.float(), torch.float64), (n, torch.float32)):
        out = torch.empty(2, dtype=dt, device=device)
        torch.ldexp(x, other, out=out)
        if out.tolist() != [6.0, -1.5]:
            raise Mismatch(f"ldexp into a {dt} out= gave {out.tolist()}")
