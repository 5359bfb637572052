"""numba compilation for the engine's loops, with numba's disk cache where it can be written.

With ``cache=True`` numba keeps the compiled code next to the module (or in the user's cache
folder) and refuses to compile at all when neither can be written (a read-only install with no
writable home). There the loops are compiled in memory at each start instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba

__all__ = ["njit", "vectorize"]


def njit(fn: Callable[..., Any]) -> Any:
    """``fn`` compiled in nopython mode (no GIL, no bounds checks), cached on disk if possible."""
    try:
        return numba.njit(cache=True, nogil=True, boundscheck=False)(fn)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(cache=False, nogil=True, boundscheck=False)(fn)


def vectorize(signature: str, fn: Callable[..., Any]) -> Any:
    """``fn`` as a numpy ufunc for one signature, cached on disk if possible."""
    try:
        return numba.vectorize([signature], cache=True)(fn)  # type: ignore[no-untyped-call]
    except RuntimeError:  # no writable cache location
        return numba.vectorize([signature], cache=False)(fn)  # type: ignore[no-untyped-call]
