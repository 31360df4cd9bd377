"""Rules every op's ``out=`` variant shares (checked on every catalogue entry by ``check.out_variants``), where
torch differs from NumPy on purpose. Pinned by ``suite/test_out.py``."""
from __future__ import annotations

from conformance.catalogue.entry import Divergence

F = "variants"

DIVERGENCES = [
    Divergence(
        id="out-wrong-shape-resized", op="add", family=F,
        condition="an out= tensor with elements, of a shape other than the result's",
        torch_behaviour="resizes out to the result's shape and writes the result (with a UserWarning that resizing "
                        "a non-empty out is deprecated): torch.add(a, b, out=torch.empty(7)) for 3-element a and b "
                        "leaves out with shape (3,)",
        numpy_behaviour="raises ValueError (non-broadcastable output operand)",
        reference="https://pytorch.org/docs/stable/notes/out.html ; "
                  "https://github.com/pytorch/pytorch/wiki/Developer-FAQ#how-does-out-work-in-pytorch",
        kind="intended"),
]
