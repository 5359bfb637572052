"""The deterministic aggregate engine: the law's ODE integrated with ``solve_ivp``.

Reinforcements split the time axis into segments; inside a segment the solver runs with
terminal events for

* a side's total strength falling to its breakpoint (``breakpoint * committed``, where committed
  is the initial strength plus reinforcements so far; a breakpoint of 0 means annihilation,
  detected at ``EXTINCT`` of committed strength so that asymptotic laws end too), and
* one weapon system of a heterogeneous side reaching zero: it is then frozen at zero and stops
  firing, and the integration restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from kriegsspiel.aggregate.engagement import Engagement
from kriegsspiel.laws import helmbold_rates

__all__ = ["EXTINCT", "Outcome", "Trajectory", "solve"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Winner = Literal["x", "y"] | None

EXTINCT = 1e-9
"""Fraction of committed strength below which a side counts as annihilated."""

_HORIZON = 1e12  # integration horizon when the engagement sets no time limit


@dataclass(frozen=True)
class Outcome:
    """How a battle ended."""

    winner: Winner
    reason: str
    end_time: float
    x_final: FloatArray
    y_final: FloatArray


@dataclass(frozen=True)
class _Segment:
    t0: float
    t1: float
    dense: Callable[[FloatArray], FloatArray]
    alive: BoolArray


@dataclass(frozen=True)
class Trajectory:
    """The solution: dense in time, with the outcome."""

    engagement: Engagement
    outcome: Outcome
    segments: tuple[_Segment, ...]

    def sample(self, times: FloatArray | list[float]) -> tuple[FloatArray, FloatArray]:
        """Strengths at ``times`` (held at the final value after the battle ends).

        Returns:
            ``(x, y)`` shaped ``(len(times), m)`` and ``(len(times), n)``.
        """
        t = np.asarray(times, dtype=np.float64)
        m = self.engagement.x.strength.size
        out = np.empty((t.size, m + self.engagement.y.strength.size))
        final = np.concatenate([self.outcome.x_final, self.outcome.y_final])
        starts = np.array([s.t0 for s in self.segments])
        for k, tk in enumerate(t):
            if tk < 0:
                raise ValueError("times must be >= 0")
            if tk >= self.outcome.end_time:
                out[k] = final
                continue
            seg = self.segments[int(np.searchsorted(starts, tk, side="right")) - 1]
            out[k] = np.where(seg.alive, np.maximum(np.ravel(seg.dense(np.array(tk))), 0.0), 0.0)
        return out[:, :m], out[:, m:]

    def totals(self, times: FloatArray | list[float]) -> tuple[FloatArray, FloatArray]:
        """Total strength per side at ``times``."""
        x, y = self.sample(times)
        return x.sum(axis=1), y.sum(axis=1)


def _side_event(idx: slice, level: float) -> Callable[[float, FloatArray], float]:
    def event(t: float, z: FloatArray) -> float:
        return float(z[idx].sum() - level)

    event.terminal = True  # type: ignore[attr-defined]
    event.direction = -1  # type: ignore[attr-defined]
    return event


def _system_event(i: int) -> Callable[[float, FloatArray], float]:
    def event(t: float, z: FloatArray) -> float:
        return float(z[i])

    event.terminal = True  # type: ignore[attr-defined]
    event.direction = -1  # type: ignore[attr-defined]
    return event


def solve(eng: Engagement, rtol: float = 1e-10) -> Trajectory:
    """Integrate ``eng`` until a side breaks or time runs out."""
    m = eng.x.strength.size
    e = eng.exponents
    z = np.concatenate([eng.x.strength, eng.y.strength])
    committed = np.array([eng.x.total, eng.y.total])
    breakpoints = np.array([eng.x.breakpoint, eng.y.breakpoint])
    atol = 1e-12 * max(float(committed.max()), 1.0)
    arrivals = sorted(
        [(r.time, 0, r.amount) for r in eng.x.reinforcements]
        + [(r.time, 1, r.amount) for r in eng.y.reinforcements],
        key=lambda item: item[0],
    )
    t_end = eng.end_time if np.isfinite(eng.end_time) else _HORIZON
    t = 0.0
    segments: list[_Segment] = []
    sides = (slice(0, m), slice(m, None))

    def levels() -> FloatArray:
        return np.asarray(np.maximum(breakpoints, EXTINCT) * committed, dtype=np.float64)

    broken = [False, False]
    while True:
        while arrivals and arrivals[0][0] <= t:
            _, side, amount = arrivals.pop(0)
            z[sides[side]] = np.maximum(z[sides[side]] + amount, 0.0)
            committed[side] += amount.sum()
        lev = levels()
        broken = [broken[s] or bool(z[sides[s]].sum() <= lev[s]) for s in (0, 1)]
        if any(broken) or t >= t_end:
            break
        alive = z > 0
        t_stop = min(arrivals[0][0], t_end) if arrivals else t_end

        def rhs(_t: float, zz: FloatArray, alive: BoolArray = alive) -> FloatArray:
            lx, ly = helmbold_rates(zz[:m], zz[m:], eng.a, eng.b, e, (alive[:m], alive[m:]))
            return -np.concatenate([lx, ly]) * alive

        events = [_side_event(sides[0], lev[0]), _side_event(sides[1], lev[1])]
        live = np.flatnonzero(alive)
        events += [_system_event(int(i)) for i in live]
        sol = solve_ivp(
            rhs, (t, t_stop), z, method="DOP853", rtol=rtol, atol=atol,
            dense_output=True, events=events,
        )  # fmt: skip
        if sol.status < 0:
            raise RuntimeError(f"integration failed at t={sol.t[-1]}: {sol.message}")
        segments.append(_Segment(t, float(sol.t[-1]), sol.sol, alive))
        t = float(sol.t[-1])
        z = np.where(alive, np.maximum(sol.y[:, -1], 0.0), 0.0)
        fired = [len(te) > 0 for te in sol.t_events]
        broken = [fired[0], fired[1]]
        z[live[np.array(fired[2:], dtype=bool)]] = 0.0  # a system reached zero: it is dead

    for s, side_slice in enumerate(sides):  # annihilated to the extinction level: report zero
        if broken[s] and breakpoints[s] == 0:
            z[side_slice] = 0.0
    outcome = _outcome(z, m, t, broken, eng.end_time)
    if not segments:  # ended before any integration: a constant trajectory
        z0 = z.copy()
        segments.append(_Segment(0.0, t, lambda _t: z0, z0 > 0))
    return Trajectory(eng, outcome, tuple(segments))


def _outcome(z: FloatArray, m: int, t: float, broken: list[bool], t_limit: float) -> Outcome:
    x_broke, y_broke = broken
    winner: Winner
    if x_broke and y_broke:
        winner, reason = None, "both sides broke"
    elif x_broke:
        winner, reason = "y", "x broke"
    elif y_broke:
        winner, reason = "x", "y broke"
    else:
        winner = None
        reason = "time limit" if np.isfinite(t_limit) else "stalemate (no side breaks)"
    return Outcome(winner, reason, t, z[:m].copy(), z[m:].copy())
