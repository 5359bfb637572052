"""Exact outcome probabilities of a homogeneous battle: the Markov chain over states ``(i, j)``.

With ``i`` units of X and ``j`` of Y left, the next casualty is X's with probability
``rx / (rx + ry)``, where ``rx`` and ``ry`` are the law's loss rates at ``(i, j)``. A state is
absorbing when a side is at or below its breakpoint count (:func:`breakpoint_count`) or when
neither side can inflict a loss. Probability mass flows from ``(x0, y0)`` down the
anti-diagonals ``i + j = s``, one vectorized step per diagonal: ``O((x0 + y0) * min(x0, y0))``.

This is the reference for the stochastic engine's ``exact`` method (the same chain, sampled).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.aggregate.engagement import Engagement
from kriegsspiel.aggregate.stochastic import breakpoint_count
from kriegsspiel.errors import InputError
from kriegsspiel.laws import helmbold_rates

__all__ = ["MAX_STATES", "MarkovOutcome", "markov_outcome"]

FloatArray = NDArray[np.float64]

MAX_STATES = 10_000_000
"""Largest ``(x0 + 1) * (y0 + 1)`` the recursion accepts."""


@dataclass(frozen=True, eq=False)
class MarkovOutcome:
    """Exact outcome probabilities.

    Attributes:
        p_x_wins: probability that Y breaks first.
        p_y_wins: probability that X breaks first.
        p_draw: probability of a stalemate (no side can inflict a loss before either breaks).
        final: ``final[i, j]`` is the probability that the battle ends with ``i`` units of X and
            ``j`` of Y, shape ``(x0 + 1, y0 + 1)``.
    """

    p_x_wins: float
    p_y_wins: float
    p_draw: float
    final: FloatArray

    def mean_final(self) -> tuple[float, float]:
        """Expected final strengths of X and Y."""
        i = np.arange(self.final.shape[0])
        j = np.arange(self.final.shape[1])
        return float(self.final.sum(axis=1) @ i), float(self.final.sum(axis=0) @ j)


def _count(value: float, name: str) -> int:
    if value != round(value):
        raise InputError(name, "a whole number of units for the Markov chain", value)
    return round(value)


def markov_outcome(eng: Engagement) -> MarkovOutcome:
    """Exact outcome probabilities of a homogeneous engagement without time limits.

    Raises:
        InputError: if a side has several weapon systems, reinforcements, a quit time, or a
            fractional strength, if the battle has a time limit, or if it has too many states.
    """
    for name, side in (("x", eng.x), ("y", eng.y)):
        if side.strength.size != 1:
            raise InputError(f"{name}.strength", "one weapon system for the Markov chain")
        if side.reinforcements:
            raise InputError(f"{name}.reinforcements", "none for the Markov chain")
    if np.isfinite(eng.end_time):
        raise InputError("t_max", "no time limit or quit time for the Markov chain", eng.end_time)
    x0 = _count(eng.x.total, "x.strength")
    y0 = _count(eng.y.total, "y.strength")
    if (x0 + 1) * (y0 + 1) > MAX_STATES:
        raise InputError("strength", f"at most {MAX_STATES} states (x0 + 1) * (y0 + 1)")
    kx = int(breakpoint_count(eng.x.breakpoint, x0))
    ky = int(breakpoint_count(eng.y.breakpoint, y0))

    i = np.arange(x0 + 1, dtype=np.float64)[:, None, None] * np.ones((1, y0 + 1, 1))
    j = np.arange(y0 + 1, dtype=np.float64)[None, :, None] * np.ones((x0 + 1, 1, 1))
    rx, ry = (r[..., 0] for r in helmbold_rates(i, j, eng.a, eng.b, eng.exponents))
    total = rx + ry
    x_broken = np.arange(x0 + 1)[:, None] <= kx
    y_broken = np.arange(y0 + 1)[None, :] <= ky
    transient = ~x_broken & ~y_broken & (total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        px = np.where(transient, rx / total, 0.0)
    py = np.where(transient, 1.0 - px, 0.0)

    mass = np.zeros((x0 + 1, y0 + 1))
    mass[x0, y0] = 1.0
    for s in range(x0 + y0, 0, -1):
        ii = np.arange(max(0, s - y0), min(x0, s) + 1)
        jj = s - ii
        live = transient[ii, jj]
        ii, jj = ii[live], jj[live]
        w = mass[ii, jj]
        mass[ii - 1, jj] += w * px[ii, jj]
        mass[ii, jj - 1] += w * py[ii, jj]
    final = np.where(transient, 0.0, mass)
    p_x = float(final[~x_broken & y_broken].sum())
    p_y = float(final[x_broken & ~y_broken].sum())
    p_draw = float(final[x_broken == y_broken].sum())  # both broken, or a stalemate
    return MarkovOutcome(p_x, p_y, p_draw, final)
