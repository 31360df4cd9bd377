"""Known divergences of autograd semantics, pinned by bespoke tests in conformance/suite/test_backward.py.

The reference here is the documented contract (there is no NumPy counterpart): numpy_behaviour states it."""
from conformance.catalogue.entry import Divergence

DIVERGENCES = [
    Divergence(id="inference-inplace-writes-before-raising", op="inference_mode", family="autograd",
        condition="an in-place op (add_, mul_, zero_, __setitem__, ...) on an inference tensor outside inference_mode",
        torch_behaviour="raises 'Inplace update to inference tensor outside InferenceMode is not allowed' after the "
                        "update has been written: with torch.inference_mode(): t = torch.ones(3); then t.add_(1) "
                        "raises RuntimeError and t is [2., 2., 2.]",
        numpy_behaviour="the documented contract: inference tensors are immutable outside InferenceMode and the "
                        "forbidden update raises (so it does not happen)",
        reference="https://pytorch.org/cppdocs/notes/inference_mode.html (no torch issue found)",
        kind="bug",),
]
