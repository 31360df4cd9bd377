"""The former home of the indexing, joining and views strategies, kept so that older imports still work: its
names now live in :mod:`conformance.strategies.indexing` (the pieces, gather/scatter/index_* arguments, tensor
indices, NumPy layouts), :mod:`conformance.strategies.joining` (split arguments) and
:mod:`conformance.strategies.views` (reshape and view targets)."""
from conformance.strategies.indexing import *  # noqa: F401,F403
from conformance.strategies.indexing import (  # noqa: F401 - names the star import leaves out
    INDEX_DTYPES, OTHER_INDEX, Draw, along, basic_index, bounds, broadcast, broadcastable, case, dim, gather_args,
    index_args, index_array, index_dtype, mixed_index, numpy_layout, put_args, scalar, scatter_args, shape, side,
    sized_broadcast, sized_shape, suffix_broadcast, value, viewable)
from conformance.strategies.joining import split_indices, split_sizes  # noqa: F401
from conformance.strategies.views import reshape_target, split_target  # noqa: F401
