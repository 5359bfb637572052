"""The stochastic aggregate engine: a batch of replications advanced together in numpy arrays.

Two methods share one engagement plan:

* ``exact``: the continuous-time Markov chain of the law (Gillespie's direct method). Every
  unit casualty is an event; its rate is the law's loss rate of the system that loses the unit.
  One loop iteration advances every still-running replication by one event.
* ``tau``: tau-leaping with a fixed step for large forces. In a step of length ``h`` system
  ``i`` loses ``Binomial(n_i, min(1, r_i h / n_i))`` units, with ``r_i`` the loss rate at the
  estimated midpoint of the step (Gillespie 2001), so the mean is second-order accurate in ``h``.

Seeding: the block of ``block_size`` replications is the unit of seeding. Block ``k`` draws from
``default_rng(SeedSequence(entropy=seed, spawn_key=(k,)))``, so a run's results do not depend on
how its blocks are split across calls or workers. A partial block (fewer rows than
``block_size``) equals the first rows of the full block, bit for bit: the exact method draws the
random numbers of all ``block_size`` rows at every iteration, the tau method simulates the full
block and keeps its first rows.

Inside a block the state is stored systems-first, ``(m + n, rows)``, so that sums over systems
run across all replications in one numpy call (2.4x faster than ``(rows, m + n)`` in
``benchmarks/bench_stochastic.py``); results are returned replications-first.

Strengths are whole numbers of units. A side breaks when its total falls to
:func:`breakpoint_count` of its committed strength (initial plus reinforcements so far).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kriegsspiel.aggregate.engagement import Engagement
from kriegsspiel.errors import InputError
from kriegsspiel.laws import Exponents

__all__ = [
    "AUTO_EXACT_MAX_EVENTS",
    "DEFAULT_BLOCK",
    "NO_WINNER",
    "TAU_FRACTION",
    "X_WINS",
    "Y_WINS",
    "BatchResult",
    "BatchSummary",
    "Quantiles",
    "block_rng",
    "breakpoint_count",
    "default_tau_step",
    "resolve_method",
    "simulate",
    "simulate_block",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Method = Literal["exact", "tau", "auto"]

NO_WINNER, X_WINS, Y_WINS = 0, 1, 2
"""Codes of :attr:`BatchResult.winner` (no winner covers time limits, stalemates, both broken)."""

DEFAULT_BLOCK = 1024
"""Replications per seeding block."""

AUTO_EXACT_MAX_EVENTS = 2000
"""``method="auto"`` runs the exact chain when at most this many casualties are possible."""

TAU_FRACTION = 0.01
"""The automatic tau step loses at most this fraction of a system's strength at the start."""

_MAX_UNITS = 1e9  # bound on a whole-number strength (int64 counts, float64 exact)
_SLACK = 1e-9  # absorbs float noise in breakpoint * committed


def breakpoint_count(breakpoint: float, committed: ArrayLike) -> IntArray:
    """The unit count at or below which a side breaks: ``floor(breakpoint * committed)``.

    A breakpoint of 0 gives 0: the side fights to the last unit.
    """
    level = np.floor(breakpoint * np.asarray(committed, dtype=np.float64) + _SLACK)
    return np.maximum(level, 0.0).astype(np.int64)


def block_rng(seed: int, block: int) -> np.random.Generator:
    """The generator of block ``block`` of a run seeded with ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(block,)))


@dataclass(frozen=True)
class _Plan:
    """What every block of a run shares, derived once from the engagement."""

    m: int
    a: FloatArray
    b: FloatArray
    e: Exponents
    z0: FloatArray  # initial strengths, X's systems then Y's
    arrival_time: FloatArray  # (K + 1,), sorted, a final inf sentinel
    arrival: FloatArray  # (K + 1, m + n) amounts, a final zero sentinel
    level: IntArray  # (K + 1, 2) break counts of X and Y after k arrivals
    t_end: float


def _whole(values: FloatArray, name: str) -> FloatArray:
    if np.any(values != np.round(values)) or np.any(np.abs(values) > _MAX_UNITS):
        raise InputError(name, "whole numbers of units (at most 1e9) for the stochastic engine")
    return values


def _plan(eng: Engagement) -> _Plan:
    m, n = eng.x.strength.size, eng.y.strength.size
    z0 = np.concatenate(
        [_whole(eng.x.strength, "x.strength"), _whole(eng.y.strength, "y.strength")]
    )
    items: list[tuple[float, FloatArray]] = []
    for side, offset in ((eng.x, 0), (eng.y, m)):
        for k, r in enumerate(side.reinforcements):
            full = np.zeros(m + n)
            name = f"{'x' if offset == 0 else 'y'}.reinforcements[{k}].amount"
            full[offset : offset + r.amount.size] = _whole(r.amount, name)
            items.append((r.time, full))
    items.sort(key=lambda item: item[0])
    times = np.array([t for t, _ in items] + [np.inf])
    amounts = np.array([amt for _, amt in items] + [np.zeros(m + n)])
    committed = np.array([eng.x.total, eng.y.total]) + np.cumsum(
        np.vstack([np.zeros(2), np.stack([amounts[:-1, :m].sum(1), amounts[:-1, m:].sum(1)], 1)]),
        axis=0,
    )
    level = np.stack(
        [
            breakpoint_count(eng.x.breakpoint, committed[:, 0]),
            breakpoint_count(eng.y.breakpoint, committed[:, 1]),
        ],
        axis=1,
    )
    return _Plan(m, eng.a, eng.b, eng.exponents, z0, times, amounts, level, eng.end_time)


def _power(v: FloatArray, exponent: float) -> FloatArray:
    """``v**exponent`` for live systems and 0 for dead ones (strengths here are never negative)."""
    if exponent == 0:
        return (v > 0).astype(np.float64)
    return v if exponent == 1 else np.power(v, exponent)


def _rates(z: FloatArray, plan: _Plan) -> FloatArray:
    """The law's loss rates of every system; ``z`` and the result are ``(m + n, rows)``.

    The same Helmbold form as :func:`kriegsspiel.laws.helmbold_rates`, written with broadcasting
    instead of a matrix product so that a replication's value never depends on the batch around
    it. Inside the engine the state is stored systems-first, so that sums over systems run
    across all replications at once.
    """
    m, e = plan.m, plan.e
    x, y = z[:m], z[m:]
    if plan.a.shape == (1, 1):
        loss_x = _power(x, e.qx) * _power(y, e.px) * plan.a[0, 0]
        loss_y = _power(y, e.qy) * _power(x, e.py) * plan.b[0, 0]
    else:
        loss_x = _power(x, e.qx) * (plan.a[:, :, None] * _power(y, e.px)[None]).sum(axis=1)
        loss_y = _power(y, e.qy) * (plan.b[:, :, None] * _power(x, e.py)[None]).sum(axis=1)
    return np.concatenate([loss_x, loss_y], axis=0)


def resolve_method(eng: Engagement, method: str = "auto") -> Literal["exact", "tau"]:
    """``exact`` or ``tau``; ``auto`` is exact if at most ``AUTO_EXACT_MAX_EVENTS`` can happen."""
    if method in ("exact", "tau"):
        return "exact" if method == "exact" else "tau"
    if method != "auto":
        raise InputError("method", "one of exact, tau, auto", method)
    arrivals = [np.maximum(r.amount, 0).sum() for s in (eng.x, eng.y) for r in s.reinforcements]
    possible = eng.x.total + eng.y.total + float(sum(arrivals))
    return "exact" if possible <= AUTO_EXACT_MAX_EVENTS else "tau"


def default_tau_step(eng: Engagement, fraction: float = TAU_FRACTION) -> float:
    """The tau step at which no live system expects to lose more than ``fraction`` of itself.

    The bound is taken at the initial state and after each reinforcement (losses ignored); loss
    rates only fall as strengths fall, so it holds at the start of the battle and of each arrival
    and is looser later. Infinite when no system can ever take a loss.
    """
    plan = _plan(eng)
    states = plan.z0 + np.cumsum(np.vstack([np.zeros_like(plan.z0), plan.arrival[:-1]]), axis=0)
    z = np.maximum(states, 0.0)
    r = _rates(z.T, plan).T
    with np.errstate(divide="ignore"):
        ratio = np.where(r > 0, z / r, np.inf)
    return float(fraction * ratio.min())


@dataclass(frozen=True)
class Quantiles:
    """Mean and 5/50/95 % quantiles of a quantity across replications."""

    mean: float
    q05: float
    q50: float
    q95: float

    @classmethod
    def of(cls, values: FloatArray) -> Quantiles:
        """Summarize ``values``."""
        q05, q50, q95 = np.quantile(values, [0.05, 0.5, 0.95])
        return cls(float(values.mean()), float(q05), float(q50), float(q95))


@dataclass(frozen=True)
class BatchSummary:
    """Win probabilities with standard errors, and distributions of survivors and duration."""

    replications: int
    p_x_wins: float
    p_y_wins: float
    p_draw: float
    se_x_wins: float
    se_y_wins: float
    se_draw: float
    x_final: Quantiles
    y_final: Quantiles
    duration: Quantiles

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "replications": self.replications,
            "p_x_wins": self.p_x_wins,
            "p_y_wins": self.p_y_wins,
            "p_draw": self.p_draw,
            "p_x_wins_se": self.se_x_wins,
            "p_y_wins_se": self.se_y_wins,
            "p_draw_se": self.se_draw,
            "x_final": vars(self.x_final),
            "y_final": vars(self.y_final),
            "duration": vars(self.duration),
        }


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Per-replication outcomes of a batch (rows are replications, in block order).

    Attributes:
        method: ``exact`` or ``tau``.
        seed: the run's seed.
        block_size: replications per seeding block.
        winner: ``X_WINS``, ``Y_WINS`` or ``NO_WINNER`` per replication.
        end_time: when each replication ended.
        x_final: X's final strengths, shape ``(reps, m)``.
        y_final: Y's final strengths, shape ``(reps, n)``.
        steps: events (exact) or leaps (tau) per replication.
        times: the time grid of ``x_totals`` and ``y_totals``, if one was asked for.
        x_totals: X's total strength at ``times``, shape ``(reps, len(times))``.
        y_totals: Y's total strength at ``times``.
    """

    method: str
    seed: int
    block_size: int
    winner: NDArray[np.int8]
    end_time: FloatArray
    x_final: FloatArray
    y_final: FloatArray
    steps: IntArray
    times: FloatArray | None = None
    x_totals: FloatArray | None = None
    y_totals: FloatArray | None = None

    @property
    def reps(self) -> int:
        """Number of replications."""
        return int(self.winner.size)

    @classmethod
    def concat(cls, parts: Sequence[BatchResult]) -> BatchResult:
        """Join results of consecutive blocks of one run, in order."""
        if not parts:
            raise ValueError("nothing to join")
        first = parts[0]

        def cat(name: str) -> Any:
            arrays = [getattr(p, name) for p in parts]
            return None if arrays[0] is None else np.concatenate(arrays)

        return cls(
            first.method, first.seed, first.block_size, cat("winner"), cat("end_time"),
            cat("x_final"), cat("y_final"), cat("steps"), first.times, cat("x_totals"),
            cat("y_totals"),
        )  # fmt: skip

    def summary(self) -> BatchSummary:
        """Win probabilities (with binomial standard errors) and quantiles."""
        n = self.reps
        p = [float(np.mean(self.winner == code)) for code in (X_WINS, Y_WINS, NO_WINNER)]
        se = [float(np.sqrt(q * (1.0 - q) / n)) for q in p]
        return BatchSummary(
            n, p[0], p[1], p[2], se[0], se[1], se[2],
            Quantiles.of(self.x_final.sum(axis=1)), Quantiles.of(self.y_final.sum(axis=1)),
            Quantiles.of(self.end_time),
        )  # fmt: skip


@dataclass
class _Block:
    """Outputs of one block while it runs (rows in block order)."""

    winner: NDArray[np.int8]
    end_time: FloatArray
    z: FloatArray
    steps: IntArray
    record: FloatArray | None  # (rows, len(grid), 2) totals of X and Y

    @classmethod
    def empty(cls, rows: int, width: int, grid: FloatArray | None) -> _Block:
        record = None if grid is None else np.zeros((rows, grid.size, 2))
        return cls(
            np.zeros(rows, np.int8), np.zeros(rows), np.zeros((rows, width)),
            np.zeros(rows, np.int64), record,
        )  # fmt: skip


def _totals(z: FloatArray, m: int) -> FloatArray:
    """Totals of X and Y, ``(rows, 2)``, from a systems-first state ``(m + n, rows)``."""
    return np.stack([z[:m].sum(axis=0), z[m:].sum(axis=0)], axis=1)


def _arrive(plan: _Plan, z: FloatArray, t: FloatArray, nxt: IntArray) -> None:
    """Apply, in place, every arrival due by ``t`` (rows may be at different times)."""
    while plan.arrival_time.size > 1:
        due = np.flatnonzero(plan.arrival_time[nxt] <= t)
        if due.size == 0:
            return
        z[:, due] = np.maximum(z[:, due] + plan.arrival[nxt[due]].T, 0.0)
        nxt[due] += 1


def _judge(
    plan: _Plan, z: FloatArray, t: FloatArray, nxt: IntArray, stalled: NDArray[np.bool_] | None
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Which rows have ended (breakpoint, time limit or stalemate), and which sides broke."""
    level = plan.level[nxt] if plan.arrival_time.size > 1 else plan.level[0]
    x_broke = z[: plan.m].sum(axis=0) <= level[..., 0]
    y_broke = z[plan.m :].sum(axis=0) <= level[..., 1]
    done = x_broke | y_broke
    if np.isfinite(plan.t_end):
        done |= t >= plan.t_end
    if stalled is not None:
        done |= stalled
    return done, x_broke, y_broke


def _winner(x_broke: NDArray[np.bool_], y_broke: NDArray[np.bool_]) -> NDArray[np.int8]:
    """Winner codes: a side wins when only the other broke."""
    code = np.where(x_broke & ~y_broke, Y_WINS, np.where(y_broke & ~x_broke, X_WINS, NO_WINNER))
    return code.astype(np.int8)


def _exact_block(
    plan: _Plan, rng: np.random.Generator, rows: int, block_size: int, grid: FloatArray | None
) -> _Block:
    """Gillespie's direct method for ``rows`` replications, all advanced one event per loop."""
    out = _Block.empty(rows, plan.z0.size, grid)
    z = np.tile(plan.z0[:, None], (1, rows))
    t = np.zeros(rows)
    nxt = np.zeros(rows, np.int64)
    steps = np.zeros(rows, np.int64)
    cursor = np.zeros(rows, np.int64)  # next grid index to record
    idx = np.arange(rows)
    stalled: NDArray[np.bool_] | None = None
    last = z.shape[0] - 1
    limited = plan.arrival_time.size > 1 or np.isfinite(plan.t_end)
    while True:
        _arrive(plan, z, t, nxt)
        done, x_broke, y_broke = _judge(plan, z, t, nxt, stalled)
        if done.any():
            rows_done = idx[done]
            out.winner[rows_done] = _winner(x_broke[done], y_broke[done])
            out.end_time[rows_done], out.z[rows_done], out.steps[rows_done] = (
                t[done], z[:, done].T, steps[done]
            )  # fmt: skip
            if out.record is not None and grid is not None:
                _fill_from(out.record, grid, rows_done, cursor[done], _totals(z[:, done], plan.m))
            keep = ~done
            idx, nxt, steps, cursor, z, t = (
                idx[keep], nxt[keep], steps[keep], cursor[keep], z[:, keep], t[keep]
            )  # fmt: skip
            stalled = None if stalled is None else stalled[keep]
        if idx.size == 0:
            return out
        wait = rng.standard_exponential(block_size)[idx]
        u = rng.random(block_size)[idx]
        rates = _rates(z, plan)
        cum = np.cumsum(rates, axis=0)
        total = cum[-1]
        with np.errstate(divide="ignore"):
            t_next = t + wait / total
        bound = np.minimum(plan.arrival_time[nxt], plan.t_end) if limited else np.inf
        hit = t_next >= bound
        if out.record is not None and grid is not None:
            _record_until(out.record, grid, idx, cursor, np.minimum(t_next, bound), z, plan.m)
        if hit.any():  # the next event comes after an arrival or the time limit: skip it
            stalled = hit & np.isinf(bound)
            t = np.where(stalled, t, np.minimum(t_next, bound))
            ev = np.flatnonzero(~hit)
            cum, u, total = cum[:, ev], u[ev], total[ev]
            steps[ev] += 1
        else:
            stalled, t = None, t_next
            ev = np.arange(idx.size)
            steps += 1
        pick = (cum <= u * total).sum(axis=0)
        over = np.flatnonzero(pick > last)  # u * total rounded onto the total
        if over.size:
            pick[over] = last - np.argmax(rates[::-1, ev[over]] > 0, axis=0)
        z[pick, ev] -= 1.0


def _record_until(
    record: FloatArray,
    grid: FloatArray,
    idx: IntArray,
    cursor: IntArray,
    until: FloatArray,
    z: FloatArray,
    m: int,
) -> None:
    """Record the current totals at every grid time before ``until`` not yet recorded."""
    stop = np.searchsorted(grid, until, side="left")
    pending = np.flatnonzero(cursor < stop)
    if pending.size == 0:
        return
    totals = _totals(z[:, pending], m)
    while pending.size:
        record[idx[pending], cursor[pending]] = totals
        cursor[pending] += 1
        more = cursor[pending] < stop[pending]
        pending, totals = pending[more], totals[more]


def _fill_from(
    record: FloatArray, grid: FloatArray, rows: IntArray, start: IntArray, totals: FloatArray
) -> None:
    """Hold the final totals of ``rows`` from grid index ``start`` on."""
    after = np.arange(grid.size)[None, :] >= start[:, None]
    record[rows] = np.where(after[:, :, None], totals[:, None, :], record[rows])


def _tau_block(
    plan: _Plan, rng: np.random.Generator, rows: int, grid: FloatArray | None, dt: float
) -> _Block:
    """Midpoint tau-leaping; all replications share the step times."""
    out = _Block.empty(rows, plan.z0.size, grid)
    stops = [plan.arrival_time[:-1], np.array([plan.t_end])] + ([] if grid is None else [grid])
    boundaries: FloatArray = np.unique(np.concatenate(stops))
    boundaries = boundaries[np.isfinite(boundaries) & (boundaries > 0)]
    z = np.tile(plan.z0[:, None], (1, rows))
    t = 0.0
    nxt = np.zeros(rows, np.int64)
    steps = np.zeros(rows, np.int64)
    idx = np.arange(rows)
    cursor = 0  # next grid index to record
    while True:
        times = np.full(idx.size, t)
        _arrive(plan, z, times, nxt)
        if out.record is not None and grid is not None:
            reached = int(np.searchsorted(grid, t, side="right"))
            if reached > cursor:
                out.record[idx, cursor:reached] = _totals(z, plan.m)[:, None, :]
                cursor = reached
        rates = _rates(z, plan)
        stalled = (rates.sum(axis=0) == 0) & np.isinf(plan.arrival_time[nxt]) & np.isinf(plan.t_end)
        done, x_broke, y_broke = _judge(plan, z, times, nxt, stalled)
        if done.any():
            rows_done = idx[done]
            out.winner[rows_done] = _winner(x_broke[done], y_broke[done])
            out.end_time[rows_done] = t
            out.z[rows_done], out.steps[rows_done] = z[:, done].T, steps[done]
            if out.record is not None and grid is not None:
                start = np.full(rows_done.size, cursor)
                _fill_from(out.record, grid, rows_done, start, _totals(z[:, done], plan.m))
            keep = ~done
            idx, nxt, steps = idx[keep], nxt[keep], steps[keep]
            z, rates = z[:, keep], rates[:, keep]
        if idx.size == 0:
            return out
        later = boundaries[boundaries > t]
        boundary = float(later[0]) if later.size else np.inf
        h = min(dt, boundary - t)
        mid = z - 0.5 * h * rates
        mid_rates = _rates(np.maximum(mid, 0.0), plan)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(mid > 0, np.minimum(mid_rates * h / z, 1.0), 1.0)
        z = z - rng.binomial(z.astype(np.int64), np.where(z > 0, p, 0.0))
        t = boundary if boundary - t <= dt else t + dt
        steps += 1


@dataclass(frozen=True)
class _Run:
    """A validated run: the plan, the resolved method and its settings."""

    plan: _Plan
    method: Literal["exact", "tau"]
    block_size: int
    grid: FloatArray | None
    dt: float


def _integer(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InputError(name, f"an integer >= {minimum}", value)
    return int(value)


def _prepare(
    eng: Engagement,
    method: str,
    block_size: int,
    times: ArrayLike | None,
    dt: float | None,
) -> _Run:
    plan = _plan(eng)
    resolved = resolve_method(eng, method)
    size = _integer(block_size, "block_size", 1)
    grid = None
    if times is not None:
        grid = np.atleast_1d(np.asarray(times, dtype=np.float64))
        bad = grid.ndim != 1 or not np.all(np.isfinite(grid)) or np.any(grid < 0)
        if bad or np.any(np.diff(grid) < 0):
            raise InputError("times", "a sorted list of finite times >= 0")
    if dt is not None and not (np.isfinite(dt) and dt > 0):
        raise InputError("dt", "a finite step > 0", dt)
    step = default_tau_step(eng) if dt is None else float(dt)
    return _Run(plan, resolved, size, grid, step)


def _run_block(run: _Run, seed: int, block: int, rows: int) -> BatchResult:
    rng = block_rng(seed, block)
    if run.method == "exact":
        out = _exact_block(run.plan, rng, rows, run.block_size, run.grid)
    else:  # the full block is simulated so that a partial block is its prefix
        out = _tau_block(run.plan, rng, run.block_size, run.grid, run.dt)
    m = run.plan.m
    record = out.record
    return BatchResult(
        run.method, seed, run.block_size, out.winner[:rows], out.end_time[:rows],
        out.z[:rows, :m], out.z[:rows, m:], out.steps[:rows], run.grid,
        None if record is None else record[:rows, :, 0],
        None if record is None else record[:rows, :, 1],
    )  # fmt: skip


def simulate_block(
    eng: Engagement,
    seed: int,
    block: int,
    *,
    rows: int | None = None,
    method: Method | str = "auto",
    block_size: int = DEFAULT_BLOCK,
    times: ArrayLike | None = None,
    dt: float | None = None,
) -> BatchResult:
    """Run block ``block`` of a run alone: its first ``rows`` replications (all by default).

    The result equals rows ``block * block_size`` onwards of :func:`simulate` with the same
    ``seed``, ``method``, ``block_size``, ``times`` and ``dt``, bit for bit.
    """
    run = _prepare(eng, method, block_size, times, dt)
    seed = _integer(seed, "seed", 0)
    block = _integer(block, "block", 0)
    count = run.block_size if rows is None else _integer(rows, "rows", 1)
    if count > run.block_size:
        raise InputError("rows", f"at most the block size {run.block_size}", count)
    return _run_block(run, seed, block, count)


def simulate(
    eng: Engagement,
    reps: int,
    seed: int,
    *,
    method: Method | str = "auto",
    block_size: int = DEFAULT_BLOCK,
    times: ArrayLike | None = None,
    dt: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Run ``reps`` replications of ``eng``: blocks ``0 .. ceil(reps / block_size) - 1``.

    Args:
        eng: the engagement (whole-number strengths and reinforcements).
        reps: number of replications.
        seed: the run's seed (an integer >= 0).
        method: ``exact``, ``tau`` or ``auto`` (see :func:`resolve_method`).
        block_size: replications per seeding block.
        times: optional time grid at which to record each side's total strength.
        dt: tau step (default :func:`default_tau_step`); ignored by the exact method.
        progress: called with the number of replications each finished block adds.
    """
    run = _prepare(eng, method, block_size, times, dt)
    seed = _integer(seed, "seed", 0)
    reps = _integer(reps, "reps", 1)
    parts = []
    for block in range(-(-reps // run.block_size)):
        rows = min(run.block_size, reps - block * run.block_size)
        parts.append(_run_block(run, seed, block, rows))
        if progress is not None:
            progress(rows)
    return BatchResult.concat(parts)
