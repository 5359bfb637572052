"""One block of replications of a scenario: compile (cached), simulate, tabulate.

:func:`run_block` is the pure, deterministic unit of work: ``(scenario, seed, block index,
block size)`` -> tables. Block ``k`` draws from ``SeedSequence(entropy=seed, spawn_key=(k,))``,
so a block's results do not depend on which process runs it or on the other blocks.

Tables (one set per block):

* ``replications``: one row per replication; per side ``<side>.killed``, ``.wounded``,
  ``.missing``, ``.killed_missing``, ``.tanks_disabled``, ``.tanks_destroyed``,
  ``.aircraft_lost``, ``.casualties.<YYYY-MM-DD>`` (killed + wounded + missing on that local
  day); ``control.<objective>.<local time>`` the holding side at each checkpoint ("" none).
* ``series``: long format, one row per (replication, hour, side): men by unit type, operational
  vehicles and the cumulative losses.
* ``control``: one row per (replication, hour, objective): the holder ("" none).
* ``events``: the event log, one row per (replication, step, kind, unit, value).
* ``intel``: one row per (replication, hour, side): that side's picture of the enemy at the
  hourly sample, ``believed_enemy`` (its estimate of the enemy men on the objectives, summed
  over them: what a condition on all objectives is weighed against), ``true_enemy`` (the enemy
  men actually there), ``enemy_units`` (enemy ground units on the map with strength left) and
  ``enemy_seen`` (how many of them its detection observes at that moment).
* ``conditions`` (scenarios with conditional orders): one row per (replication, conditional
  order weighed): ``order`` (the event's id, else ``events[n]``), ``time`` (local), ``side``,
  ``objective`` of the condition ("" all), ``threshold``, ``own_men`` of the ordered units,
  ``believed_enemy`` it was weighed against, ``true_enemy`` (the enemy men actually on that
  objective, or on all) and ``fired`` (the believed ratio met the threshold, so the order went
  in).

For the replay, the replications numbered below ``trace_reps`` (default
:data:`TRACE_REPS`; they sit in the first block unless blocks are tiny) also get:

* ``unit_trace``: one row per (replication, frame, ground unit) every 15 simulated minutes:
  ``t_min`` (minutes after the start), ``unit`` (id), ``x``/``y`` (local metres; NaN before
  the unit arrives), ``strength`` (tanks for tank units, men otherwise), ``state`` (posture,
  or broken, destroyed, not arrived), ``order`` (the standing action and its objective) and
  one boolean ``seen_by_<side>`` per side: whether that side knows where the unit is (its own
  units always; an enemy when the side's detection of that step observes it);
* ``fire``: one row per (replication, 15-minute interval, firer, target, kind): ``kind``
  (fire, artillery, air), ``source``/``target`` unit ids, ``tx``/``ty`` where the target stood,
  ``size`` the expected losses (men or tanks) the fire caused;
* ``intel_objectives``: one row per (replication, hour, side, objective): the ``intel``
  table's ``believed_enemy`` and ``true_enemy`` on that objective alone (its sum over the
  objectives is the ``intel`` row; the replay's fog view shows it).

Recording draws no random numbers, so results do not depend on ``trace_reps``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from kriegsspiel.engine.arrays import ACTIONS, TYPES, BattleArrays
from kriegsspiel.engine.compile import compile_scenario
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.state import State
from kriegsspiel.engine.trace import EVENT_KINDS, FIRE_KINDS, STATES, Frames, Trace
from kriegsspiel.scenario.schema import Scenario

__all__ = [
    "ISSUE_CHECKPOINTS",
    "TRACE_REPS",
    "checkpoints",
    "compiled",
    "run_block",
]

TRACE_REPS = 5
"""Replications (numbered from 0) whose units are traced for the replay, by default."""

ISSUE_CHECKPOINTS = (
    "1938-07-31T08:00",
    "1938-08-03T00:00",
    "1938-08-06T12:00",
    "1938-08-07T06:00",
    "1938-08-11T12:00",
)
"""Control checkpoints every report gives when they fall inside the scenario's window."""

_CACHE: dict[str, BattleArrays] = {}
_CACHE_SIZE = 4


def compiled(scenario: Scenario) -> BattleArrays:
    """The scenario's :class:`BattleArrays`, compiled once per process (keyed by content)."""
    from kriegsspiel.scenario.loader import content_hash

    key = content_hash(scenario)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = compile_scenario(scenario)
    return _CACHE[key]


def checkpoints(arr: BattleArrays) -> list[datetime]:
    """Local times at which control is reported.

    The issue's checkpoints inside the window, every local midnight and noon, and the end.
    """
    end = arr.time_of(arr.n_steps)
    times = {datetime.fromisoformat(t) for t in ISSUE_CHECKPOINTS}
    day = arr.start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= end:
        times.update({day, day + timedelta(hours=12)})
        day += timedelta(days=1)
    times.add(end)
    return sorted(t for t in times if arr.start <= t <= end)


def _sample_index(trace: Trace, arr: BattleArrays, when: datetime) -> int:
    """The last hourly sample at or before ``when``."""
    k = arr.step_of(when)
    return max(int(np.searchsorted(trace.hour_steps, k, side="right")) - 1, 0)


def _days(arr: BattleArrays) -> list[datetime]:
    first = arr.start.replace(hour=0, minute=0, second=0, microsecond=0)
    end = arr.time_of(arr.n_steps)
    out = []
    day = first
    while day < end:
        out.append(day)
        day += timedelta(days=1)
    return out


def _main(arr: BattleArrays, st: State, trace: Trace) -> pd.DataFrame:
    cols: dict[str, Any] = {}
    cas = trace.killed + trace.wounded + trace.missing  # (H, B, S) cumulative
    for s, side in enumerate(arr.side_ids):
        cols[f"{side}.killed"] = st.killed[:, s]
        cols[f"{side}.wounded"] = st.wounded[:, s]
        cols[f"{side}.missing"] = st.missing[:, s]
        cols[f"{side}.killed_missing"] = st.killed[:, s] + st.missing[:, s]
        cols[f"{side}.tanks_disabled"] = st.veh_disabled[:, s]
        cols[f"{side}.tanks_destroyed"] = st.veh_destroyed[:, s]
        cols[f"{side}.aircraft_lost"] = st.air_lost[:, s]
        for day in _days(arr):
            lo = max(day, arr.start)
            hi = min(day + timedelta(days=1), arr.time_of(arr.n_steps))
            a = _sample_index(trace, arr, lo)
            b = _sample_index(trace, arr, hi)
            cols[f"{side}.casualties.{day.date().isoformat()}"] = cas[b, :, s] - cas[a, :, s]
    names = np.array([*arr.side_ids, ""], dtype=object)
    for when in checkpoints(arr):
        h = _sample_index(trace, arr, when)
        stamp = when.isoformat(timespec="minutes")
        for o, obj in enumerate(arr.objective_ids):
            cols[f"control.{obj}.{stamp}"] = names[trace.control[h, :, o]]
    return pd.DataFrame(cols)


def _along(values: Any, axis: int, shape: tuple[int, ...]) -> Any:
    """``values`` laid along ``axis`` of an array of ``shape``, repeated over the rest, flat."""
    index: list[slice | None] = [None] * len(shape)
    index[axis] = slice(None)
    return np.broadcast_to(np.asarray(values)[tuple(index)], shape).ravel()


def _series(arr: BattleArrays, trace: Trace, first: int) -> pd.DataFrame:
    h, b, _ = shape = trace.killed.shape
    hour = _along(np.arange(h), 0, shape)
    times = np.array([arr.time_of(int(k)).isoformat(timespec="minutes") for k in trace.hour_steps])
    cols: dict[str, Any] = {
        "replication": _along(np.arange(first, first + b), 1, shape),
        "hour": hour,
        "time": times[hour],
        "side": _along(np.array(arr.side_ids, dtype=object), 2, shape),
    }
    for t, name in enumerate(TYPES):
        cols[f"men_{name}"] = trace.men[:, :, :, t].ravel()
    for name in ("vehicles", "killed", "wounded", "missing"):
        cols[name] = getattr(trace, name).ravel()
    cols["tanks_disabled"] = trace.veh_disabled.ravel()
    cols["tanks_destroyed"] = trace.veh_destroyed.ravel()
    cols["aircraft_lost"] = trace.air_lost.ravel()
    return pd.DataFrame(cols)


def _control(arr: BattleArrays, trace: Trace, first: int) -> pd.DataFrame:
    h, b, _ = shape = trace.control.shape
    names = np.array([*arr.side_ids, ""], dtype=object)
    return pd.DataFrame(
        {
            "replication": _along(np.arange(first, first + b), 1, shape),
            "hour": _along(np.arange(h), 0, shape),
            "objective": _along(np.array(arr.objective_ids, dtype=object), 2, shape),
            "holder": names[trace.control.ravel()],
        }
    )


def _events(arr: BattleArrays, trace: Trace, first: int) -> pd.DataFrame:
    cap = trace.log_step.shape[1]
    count = np.minimum(trace.log_count, cap)
    keep = np.arange(cap)[None, :] < count[:, None]
    b, i = np.nonzero(keep)
    return pd.DataFrame(
        {
            "replication": b + first,
            "step": trace.log_step[b, i],
            "kind": np.array(EVENT_KINDS, dtype=object)[trace.log_kind[b, i]],
            "unit": trace.log_unit[b, i],
            "value": trace.log_value[b, i],
        }
    )


def _intel(arr: BattleArrays, trace: Trace, first: int) -> pd.DataFrame:
    h, b, _ = shape = trace.believed.shape
    return pd.DataFrame(
        {
            "replication": _along(np.arange(first, first + b), 1, shape),
            "hour": _along(np.arange(h), 0, shape),
            "side": _along(np.array(arr.side_ids, dtype=object), 2, shape),
            "believed_enemy": trace.believed.ravel(),
            "true_enemy": trace.enemy_true.ravel(),
            "enemy_units": trace.enemy_units.ravel(),
            "enemy_seen": trace.enemy_seen.ravel(),
        }
    )


def _intel_objectives(arr: BattleArrays, trace: Trace, first: int) -> pd.DataFrame:
    h, t, _, _ = shape = trace.objective_believed.shape
    return pd.DataFrame(
        {
            "replication": _along(np.arange(first, first + t), 1, shape),
            "hour": _along(np.arange(h), 0, shape),
            "side": _along(np.array(arr.side_ids, dtype=object), 2, shape),
            "objective": _along(np.array(arr.objective_ids, dtype=object), 3, shape),
            "believed_enemy": trace.objective_believed.ravel(),
            "true_enemy": trace.objective_true.ravel(),
        }
    )


def _conditions(scenario: Scenario, arr: BattleArrays, trace: Trace, first: int) -> pd.DataFrame:
    rows: dict[str, list[Any]] = {
        name: []
        for name in ("replication", "order", "time", "side", "objective", "threshold",
                     "own_men", "believed_enemy", "true_enemy", "fired")
    }  # fmt: skip
    for d in trace.decisions:
        n = d.met.size
        event_id = scenario.events[d.group].id or f"events[{d.group}]"
        rows["replication"].append(np.arange(first, first + n))
        rows["order"].append(np.full(n, event_id, dtype=object))
        stamp = arr.time_of(d.step).isoformat(timespec="minutes")
        rows["time"].append(np.full(n, stamp, dtype=object))
        rows["side"].append(np.full(n, arr.side_ids[d.side], dtype=object))
        objective = arr.objective_ids[d.objective] if d.objective >= 0 else ""
        rows["objective"].append(np.full(n, objective, dtype=object))
        rows["threshold"].append(np.full(n, d.threshold))
        rows["own_men"].append(d.own)
        rows["believed_enemy"].append(d.believed)
        rows["true_enemy"].append(d.true)
        rows["fired"].append(d.met)
    dtypes = {"replication": np.int64, "threshold": float, "own_men": float,
              "believed_enemy": float, "true_enemy": float, "fired": bool}  # fmt: skip
    return pd.DataFrame(
        {
            name: np.concatenate(parts) if parts else np.zeros(0, dtype=dtypes.get(name, object))
            for name, parts in rows.items()
        }
    )


def _unit_trace(arr: BattleArrays, fr: Frames, first: int) -> pd.DataFrame:
    f = np.flatnonzero(fr.recorded)
    t, g = fr.traced, fr.units.size
    shape = (f.size, t, g)
    frame = _along(f, 0, shape)
    rep = _along(np.arange(first, first + t), 1, shape)
    unit = _along(fr.units, 2, shape)
    targets = np.array(["", *arr.objective_ids], dtype=object)
    orders = np.array([f"{a} {o}".strip() for a in ACTIONS for o in targets], dtype=object)
    seen = {
        f"seen_by_{side}": fr.seen[f][:, :, s, :].ravel() for s, side in enumerate(arr.side_ids)
    }
    return pd.DataFrame(
        {
            "replication": rep,
            "t_min": (fr.steps[frame] * arr.step_minutes).astype(np.float64),
            "unit": np.array(arr.unit_ids, dtype=object)[unit],
            "x": fr.x[f].ravel(),
            "y": fr.y[f].ravel(),
            "strength": fr.strength[f].ravel(),
            "state": np.array(STATES, dtype=object)[fr.state[f].ravel()],
            "order": orders[fr.order[f].ravel()],
            **seen,
        }
    )


def _fire(arr: BattleArrays, fr: Frames, first: int) -> pd.DataFrame:
    rows = fr.fire_rows()
    frame, b, u, j, kind = (rows[:, i].astype(np.int64) for i in range(5))
    ids = np.array(arr.unit_ids, dtype=object)
    return pd.DataFrame(
        {
            "replication": b + first,
            "t_min": (fr.steps[frame] * arr.step_minutes).astype(np.float64),
            "kind": np.array(FIRE_KINDS, dtype=object)[kind],
            "source": ids[u],
            "target": ids[j],
            "tx": rows[:, 5],
            "ty": rows[:, 6],
            "size": rows[:, 7],
        }
    ).sort_values(["replication", "t_min"], kind="stable", ignore_index=True)


def run_block(
    scenario: Scenario,
    seed: int,
    block_index: int,
    block_size: int,
    first_replication: int | None = None,
    trace_reps: int = TRACE_REPS,
) -> dict[str, pd.DataFrame]:
    """Simulate block ``block_index`` (``block_size`` replications) of ``scenario``.

    ``first_replication`` numbers the block's rows in the other tables (default
    ``block_index * block_size``, right for every block but a shorter last one). The
    replications numbered below ``trace_reps`` also get the ``unit_trace``, ``fire`` and
    ``intel_objectives`` tables.
    """
    arr = compiled(scenario)
    rng = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(block_index,)))
    first = block_index * block_size if first_replication is None else first_replication
    traced = min(max(trace_reps - first, 0), block_size)
    st, trace = simulate(arr, block_size, rng, traced=traced)
    tables = {
        "replications": _main(arr, st, trace),
        "series": _series(arr, trace, first),
        "control": _control(arr, trace, first),
        "events": _events(arr, trace, first),
        "intel": _intel(arr, trace, first),
    }
    if np.isfinite(arr.events.order_threshold).any():
        tables["conditions"] = _conditions(scenario, arr, trace, first)
    if traced:
        tables["unit_trace"] = _unit_trace(arr, trace.frames, first)
        tables["fire"] = _fire(arr, trace.frames, first)
        tables["intel_objectives"] = _intel_objectives(arr, trace, first)
    return tables
