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
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["MARGIN", "Gaps", "within"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MARGIN = 1e-9
"""Relative margin on squared distances beyond which rounding cannot change a comparison."""

_BIG = 1e150
_TINY = 1e-200  # squared distances below this may be subnormal: counted as ties


def _tame(*values: FloatArray) -> bool:
    return all(bool((np.abs(v) < _BIG).all()) for v in values)  # False for nan and inf


class Gaps:
    """Offsets ``p - q`` between points ``p`` ``(B, F)`` and ``q`` ``(B, E)``, per replication.

    ``dx[b, f, e] = px[b, f] - qx[b, e]`` (likewise ``dy``), the same subtraction the plain
    formulation makes, so every distance returned is ``np.hypot(dx, dy)`` to the bit.
    """

    def __init__(self, px: FloatArray, py: FloatArray, qx: FloatArray, qy: FloatArray) -> None:
        self.dx: FloatArray = np.subtract(px[:, :, None], qx[:, None, :])
        self.dy: FloatArray = np.subtract(py[:, :, None], qy[:, None, :])
        self.exact = not _tame(px, py, qx, qy)
        if self.exact:
            self.d2 = np.hypot(self.dx, self.dy)
        else:
            self.d2 = np.multiply(self.dx, self.dx)
            self.d2 += np.multiply(self.dy, self.dy, out=np.empty_like(self.dy))

    def nearest(self, ok: BoolArray) -> tuple[IntArray, FloatArray]:
        """For each ``(b, f)`` the nearest ``e`` with ``ok[b, e]`` and its distance.

        Exactly ``k = argmin(where(ok[:, None, :], hypot(dx, dy), inf), axis=2)`` and the
        distance there (``inf`` and ``k = 0`` when no ``e`` is allowed).
        """
        if self.exact:
            plain = np.where(ok[:, None, :], self.d2, np.inf)
            k = np.argmin(plain, axis=2)
            return k, np.take_along_axis(plain, k[:, :, None], axis=2)[:, :, 0]
        masked = self.d2 + np.where(ok, 0.0, np.inf)[:, None, :]
        k = np.argmin(masked, axis=2)
        kk = k[:, :, None]
        best = np.take_along_axis(masked, kk, axis=2)[:, :, 0]
        found = np.isfinite(best)
        dx = np.take_along_axis(self.dx, kk, axis=2)[:, :, 0]
        dy = np.take_along_axis(self.dy, kk, axis=2)[:, :, 0]
        dist = np.hypot(dx, dy)
        dist[~found] = np.inf
        # rows with a runner-up within the margin: clear if every such runner-up sits at the
        # same offset as the nearest (same hypot, and argmin keeps the first); else hypot
        close = masked <= (np.maximum(best, _TINY) * (1.0 + MARGIN))[:, :, None]
        b, f = np.nonzero(found & (np.count_nonzero(close, axis=2) > 1))
        if b.size:
            same = (self.dx[b, f] == dx[b, f, None]) & (self.dy[b, f] == dy[b, f, None])
            unsure = (close[b, f] & ~same).any(axis=1)
            b, f = b[unsure], f[unsure]
        if b.size:
            exact = np.where(ok[b], np.hypot(self.dx[b, f], self.dy[b, f]), np.inf)
            kt = np.argmin(exact, axis=1)
            k[b, f] = kt
            dist[b, f] = exact[np.arange(b.size), kt]
        return k, dist


def within(dx: FloatArray, dy: FloatArray, r: float) -> BoolArray:
    """Exactly ``np.hypot(dx, dy) <= r``, deciding on the squared distance where it is clear."""
    if not r >= np.sqrt(_TINY) or not _tame(dx, dy):
        out: BoolArray = np.hypot(dx, dy) <= r
        return out
    d2 = dx * dx
    d2 += dy * dy
    inside = d2 <= r * r * (1.0 - MARGIN)
    unsure = ~inside & (d2 <= r * r * (1.0 + MARGIN))
    if unsure.any():
        inside[unsure] = np.hypot(dx[unsure], dy[unsure]) <= r
    return inside
