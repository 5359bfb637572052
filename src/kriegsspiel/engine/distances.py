"""Distance queries between many points, exactly as ``np.hypot`` would answer them, but cheaper.

The engine asks "which is the nearest?" and "is it within ``r``?" of ``(reps, n, m)`` point
pairs every step. ``np.hypot`` costs several times a multiply, so these helpers decide on the
squared distance ``dx*dx + dy*dy`` and call ``hypot`` only where the answer is needed or where
the squared distance is too close to call. The squared distance differs from ``hypot**2`` by a
few units in the last place (hypot's error is below one ulp, the square's below three), so a
relative margin of :data:`MARGIN` separates the clear cases from the ones settled with
``hypot`` itself: results are bit-identical to the plain ``hypot`` formulation (tested).
Coordinates must be finite and below 1e150 in magnitude (metres on a map); otherwise the
helpers fall back to the plain formulation.

:func:`nearest` runs as a loop compiled by numba (one pass over the pairs for the smallest
squared distance, a second for ``hypot`` of the candidates within the margin of it), which
needs no ``(reps, n, m)`` temporaries; ``math.hypot`` in numba and ``np.hypot`` both call the C
library's ``hypot``, so the answers are the same to the bit.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["MARGIN", "nearest", "within"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MARGIN = 1e-9
"""Relative margin on squared distances beyond which rounding cannot change a comparison."""

_BIG = 1e150
_TINY = 1e-200  # squared distances below this may be subnormal: counted as ties


def _tame(*values: FloatArray) -> bool:
    return all(bool((np.abs(v) < _BIG).all()) for v in values)  # False for nan and inf


def nearest(
    px: FloatArray, py: FloatArray, qx: FloatArray, qy: FloatArray, ok: BoolArray
) -> tuple[IntArray, FloatArray]:
    """For each ``(b, f)`` of points ``p`` ``(B, F)`` the nearest ``q[b, e]`` with ``ok[b, e]``.

    Exactly ``k = argmin(where(ok[:, None, :], hypot(px[:, :, None] - qx[:, None, :], ...),
    inf), axis=2)`` and the distance there (``inf`` and ``k = 0`` when no ``e`` is allowed).
    """
    k = np.zeros(px.shape, dtype=np.int64)
    d = np.full(px.shape, np.inf)
    if px.size == 0 or qx.shape[1] == 0:
        return k, d
    if not _tame(px, py, qx, qy):
        plain = np.where(
            ok[:, None, :],
            np.hypot(px[:, :, None] - qx[:, None, :], py[:, :, None] - qy[:, None, :]),
            np.inf,
        )
        k = np.argmin(plain, axis=2)
        return k, np.take_along_axis(plain, k[:, :, None], axis=2)[:, :, 0]
    c = np.ascontiguousarray
    _nearest_loop(c(px), c(py), c(qx), c(qy), c(ok), k, d)
    return k, d


def _nearest_rows(
    px: FloatArray,
    py: FloatArray,
    qx: FloatArray,
    qy: FloatArray,
    ok: BoolArray,
    k: IntArray,
    d: FloatArray,
) -> None:
    """The loop of :func:`nearest` for tame coordinates; writes ``k`` and ``d``."""
    reps, n_f = px.shape
    n_e = qx.shape[1]
    penalty = np.empty(n_e)
    for b in range(reps):
        qxb, qyb = qx[b], qy[b]
        for e in range(n_e):
            penalty[e] = 0.0 if ok[b, e] else math.inf
        for f in range(n_f):
            x, y = px[b, f], py[b, f]
            best = math.inf
            for e in range(n_e):
                dx, dy = x - qxb[e], y - qyb[e]
                best = min(best, dx * dx + dy * dy + penalty[e])
            if best == math.inf:
                continue
            # every e whose hypot could be the smallest is within the margin of the best
            limit = max(best, _TINY) * (1.0 + MARGIN)
            for e in range(n_e):
                dx, dy = x - qxb[e], y - qyb[e]
                if dx * dx + dy * dy + penalty[e] <= limit:
                    h = math.hypot(dx, dy)
                    if h < d[b, f]:  # strict: the first of equals, as argmin
                        d[b, f] = h
                        k[b, f] = e


_nearest_loop = numba.njit(cache=True, nogil=True, boundscheck=False)(_nearest_rows)


def within(dx: FloatArray, dy: FloatArray, r: float | FloatArray) -> BoolArray:
    """Exactly ``np.hypot(dx, dy) <= r``, deciding on the squared distance where it is clear.

    ``r`` is a radius or an array of radii broadcastable against ``dx``.
    """
    if not bool(np.all(np.greater_equal(r, np.sqrt(_TINY)))) or not _tame(dx, dy):
        out: BoolArray = np.hypot(dx, dy) <= r
        return out
    d2 = dx * dx
    d2 += dy * dy
    r2 = np.multiply(r, r)
    inside = d2 <= r2 * (1.0 - MARGIN)
    unsure = ~inside & (d2 <= r2 * (1.0 + MARGIN))
    if unsure.any():
        inside[unsure] = (np.hypot(dx, dy) <= r)[unsure]
    return inside
