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

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.jit import njit, vectorize

__all__ = ["MARGIN", "nearest", "within", "within_one"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MARGIN = 1e-9
"""Relative margin on squared distances beyond which rounding cannot change a comparison."""

_BIG = 1e150
_TINY = 1e-200  # squared distances below this may be subnormal: counted as ties


_SQRT_TINY = math.sqrt(_TINY)


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
    c = np.ascontiguousarray
    if _nearest_loop(c(px), c(py), c(qx), c(qy), c(ok), k, d):
        return k, d
    plain = np.where(  # some coordinate is not tame: the plain formulation
        ok[:, None, :],
        np.hypot(px[:, :, None] - qx[:, None, :], py[:, :, None] - qy[:, None, :]),
        np.inf,
    )
    k = np.argmin(plain, axis=2)
    return k, np.take_along_axis(plain, k[:, :, None], axis=2)[:, :, 0]


def _nearest_rows(
    px: FloatArray,
    py: FloatArray,
    qx: FloatArray,
    qy: FloatArray,
    ok: BoolArray,
    k: IntArray,
    d: FloatArray,
) -> bool:
    """The loop of :func:`nearest`: writes ``k`` and ``d`` if every coordinate is tame.

    Returns whether they were (finite and below 1e150 in magnitude); if not, it writes nothing.

    Per replication, one pass over the enemies (each against every point, which the compiler
    can vectorise) keeps the squared distances and each point's smallest; a second settles each
    point on ``hypot`` among the enemies within the margin of its smallest.
    """
    for values in (px, py, qx, qy):
        for v in values.flat:
            if not abs(v) < _BIG:  # also nan and inf
                return False
    reps, n_f = px.shape
    n_e = qx.shape[1]
    d2 = np.empty((n_e, n_f))
    best = np.empty(n_f)
    for b in range(reps):
        pxb, pyb = px[b], py[b]
        best[:] = math.inf
        for e in range(n_e):
            penalty = 0.0 if ok[b, e] else math.inf
            x, y = qx[b, e], qy[b, e]
            row = d2[e]
            for f in range(n_f):
                dx, dy = pxb[f] - x, pyb[f] - y
                row[f] = dx * dx + dy * dy + penalty
                best[f] = min(best[f], row[f])
        for f in range(n_f):
            if best[f] == math.inf:
                continue
            # every e whose hypot could be the smallest is within the margin of the best
            limit = max(best[f], _TINY) * (1.0 + MARGIN)
            for e in range(n_e):
                if d2[e, f] <= limit:
                    h = math.hypot(pxb[f] - qx[b, e], pyb[f] - qy[b, e])
                    if h < d[b, f]:  # strict: the first of equals, as argmin
                        d[b, f] = h
                        k[b, f] = e
    return True


_nearest_loop = njit(_nearest_rows)


def within(dx: FloatArray, dy: FloatArray, r: float | FloatArray) -> BoolArray:
    """Exactly ``np.hypot(dx, dy) <= r``, deciding on the squared distance where it is clear.

    ``r`` is a radius or an array of radii broadcastable against ``dx`` (a numpy ufunc
    compiled by numba, element by element).
    """
    out: BoolArray = _within_ufunc(dx, dy, r)
    return out


def _within_one(dx: float, dy: float, r: float) -> bool:
    """One offset: ``hypot(dx, dy) <= r``, on the squared distance when the margin settles it."""
    if abs(dx) < _BIG and abs(dy) < _BIG and r >= _SQRT_TINY:
        d2 = dx * dx + dy * dy
        r2 = r * r
        if d2 <= r2 * (1.0 - MARGIN):
            return True
        if d2 > r2 * (1.0 + MARGIN):
            return False
    return math.hypot(dx, dy) <= r


within_one = njit(_within_one)
"""One offset in a compiled loop: the same answer as :func:`within`."""
_within_ufunc = vectorize("boolean(float64, float64, float64)", _within_one)
