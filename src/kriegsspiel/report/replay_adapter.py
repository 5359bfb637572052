"""Turn one replication of a results folder into ``ReplayData``.

Reads tables stored like any other table of a block (``tables/<table>/block-N.parquet``):

- ``unit_trace`` (required): ``replication, t_min, unit, x, y, strength, state, order``: one
  row per frame and ground unit (``t_min`` minutes after the scenario's start; ``x``/``y`` local
  metres, NaN when the unit is not on the map); optional boolean ``seen_by_<side>`` columns (the
  side knows where the unit is) give the replay's fog of war;
- ``fire``: ``replication, t_min, kind (fire|artillery|air), source, target (unit ids or ""),
  tx, ty, size``;
- ``control`` (the engine's hourly table): ``replication, hour, objective, holder`` (side id, or
  "" for nobody);
- ``intel_objectives`` (the engine's hourly table for traced replications): ``replication,
  hour, side, objective, believed_enemy, true_enemy``: each side's believed and true enemy men
  on each objective, for the fog view.

The map, the units and the objectives come from the scenario named in the manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment import Results
from kriegsspiel.report.adapters import _load_scenario, meta_from_scenario, read_manifest
from kriegsspiel.report.replay_data import (
    EVENT_KINDS,
    EventLog,
    ObjectiveIntel,
    ReplayData,
    ReplayObjective,
    ReplayUnit,
)
from kriegsspiel.report.terrain_map import map_from_terrain

TRACE_TABLES: dict[str, tuple[str, ...]] = {
    "unit_trace": ("replication", "t_min", "unit", "x", "y", "strength", "state", "order"),
    "fire": ("replication", "t_min", "kind", "source", "target", "tx", "ty", "size"),
    "control": ("replication", "hour", "objective", "holder"),
    "intel_objectives": (
        "replication", "hour", "side", "objective", "believed_enemy", "true_enemy",
    ),
}  # fmt: skip


def _table(results: Results, name: str, rep: int) -> pd.DataFrame | None:
    if name not in results.tables:
        return None
    table = results.arrow(name)
    missing = [c for c in TRACE_TABLES[name] if c not in table.column_names]
    if missing:
        raise KriegsspielError(
            f"{results.root}: table {name!r} lacks column(s) {', '.join(missing)}"
        )
    extra = [c for c in table.column_names if name == "unit_trace" and c.startswith("seen_by_")]
    frame = table.select([*TRACE_TABLES[name], *extra]).to_pandas()
    return pd.DataFrame(frame[frame["replication"] == rep])


def _traced(results: Results) -> str:
    """Which replications of the run have a per-unit trace, in words."""
    if "unit_trace" not in results.tables:
        return "this run has no per-unit trace (tables/unit_trace/)"
    column = results.arrow("unit_trace").column("replication").to_numpy()
    reps = sorted(int(r) for r in np.unique(column))
    runs: list[str] = []
    for r in reps:
        if runs and runs[-1].split("-")[-1] == str(r - 1):
            runs[-1] = f"{runs[-1].split('-')[0]}-{r}"
        else:
            runs.append(str(r))
    return f"traced: --rep {', '.join(runs)}"


def _order_names(orders: tuple[str, ...], names: dict[str, str]) -> tuple[str, ...]:
    """``"assault HILL"`` as ``"assault Hill 120"`` (the objective's name for its id)."""
    out = []
    for order in orders:
        action, _, target = order.partition(" ")
        out.append(f"{action} {names.get(target, target)}".strip())
    return tuple(out)


def _wide(
    frame: pd.DataFrame, column: str, times: np.ndarray[Any, Any], cols: list[str], key: str
) -> np.ndarray[Any, Any]:
    table = frame.pivot_table(index="t_min", columns=key, values=column, aggfunc="last")
    return table.reindex(index=times, columns=cols).to_numpy(np.float64)


def _codes(frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    labels = tuple(sorted(frame[column].astype(str).unique()))
    coded = pd.Categorical(frame[column].astype(str), categories=labels).codes
    return frame.assign(**{column: coded}), labels


def _seen(
    frame: pd.DataFrame, times: np.ndarray[Any, Any], ids: list[str], sides: list[str]
) -> np.ndarray[Any, Any] | None:
    """``(frames, sides, units)`` of who knows where each unit is; None without the columns."""
    columns = [f"seen_by_{s}" for s in sides]
    if not all(c in frame.columns for c in columns):
        return None
    wide = [_wide(frame.assign(**{c: frame[c].astype(np.float64)}), c, times, ids, "unit")
            for c in columns]  # fmt: skip
    return np.stack([np.nan_to_num(w) > 0.5 for w in wide], axis=1)


def _events(results: Results, rep: int, ids: list[str]) -> EventLog:
    frame = _table(results, "fire", rep)
    if frame is None or frame.empty:
        return EventLog.empty()
    frame = frame[frame["kind"].isin(EVENT_KINDS)].sort_values("t_min", kind="stable")
    index = {u: i for i, u in enumerate(ids)}
    return EventLog(
        frame["t_min"].to_numpy(np.float64),
        frame["kind"].map(EVENT_KINDS.index).to_numpy(np.int64),
        frame["source"].map(lambda u: index.get(u, -1)).to_numpy(np.int64),
        frame["target"].map(lambda u: index.get(u, -1)).to_numpy(np.int64),
        frame["tx"].to_numpy(np.float64),
        frame["ty"].to_numpy(np.float64),
        frame["size"].to_numpy(np.float64),
    )


def _intel(
    results: Results, rep: int, sides: list[str], objectives: list[str]
) -> ObjectiveIntel | None:
    """Hourly beliefs and truth per side and objective; None without the table or objectives."""
    frame = _table(results, "intel_objectives", rep)
    if frame is None or frame.empty or not objectives:
        return None
    cube = []
    for column in ("believed_enemy", "true_enemy"):
        wide = frame.pivot_table(
            index="hour", columns=["side", "objective"], values=column, aggfunc="last"
        )
        full = pd.MultiIndex.from_product([sides, objectives])
        values = wide.reindex(columns=full).to_numpy(np.float64)
        if np.isnan(values).any():
            raise KriegsspielError(
                f"{results.root}: table 'intel_objectives' of replication {rep} lacks some side, "
                "objective or hour"
            )
        cube.append(values.reshape(len(wide.index), len(sides), len(objectives)))
    believed, enemy = cube
    # the men of side s on an objective: all men there (each counted by the n - 1 other sides)
    # less those the side counts as enemy
    total = enemy.sum(axis=1, keepdims=True) / max(len(sides) - 1, 1)
    present = np.maximum(total - enemy, 0.0) if len(sides) > 1 else np.zeros_like(enemy)
    hours = wide.index.to_numpy(np.float64)
    return ObjectiveIntel(hours * 60.0, np.maximum(believed, 0.0), present)


def replay_from_results_dir(root: str | Path, rep: int) -> ReplayData:
    """``ReplayData`` of replication ``rep`` of the run in ``root``."""
    from kriegsspiel.scenario.geometry import resolve
    from kriegsspiel.terrain.raster import build_terrain

    root = Path(root)
    manifest = read_manifest(root)
    planned = int(manifest.get("replications", 0) or 0)
    if not 0 <= rep < max(planned, 1):
        raise KriegsspielError(f"--rep: must be in 0..{planned - 1} for this run (got {rep})")
    notes: list[str] = []
    scenario = _load_scenario(manifest, notes)
    if scenario is None:
        raise KriegsspielError(f"{root}: the replay needs the run's scenario ({notes[-1]})")
    results = Results.open(root, partial=True)
    trace = _table(results, "unit_trace", rep)
    if trace is None or trace.empty:
        raise KriegsspielError(
            f"{root}: replication {rep} was not traced for replay; {_traced(results)}"
        )
    meta = meta_from_scenario(scenario)
    ground = [u for u in scenario.units if u.type != "air"]
    ids = [u.id for u in ground]
    times = np.sort(trace["t_min"].unique()).astype(np.float64)
    trace, states = _codes(trace, "state")
    trace, orders = _codes(trace, "order")
    x, y, strength, state, order = (
        _wide(trace, c, times, ids, "unit") for c in ("x", "y", "strength", "state", "order")
    )
    seen = _seen(trace, times, ids, [s.id for s in meta.sides])
    full = np.nanmax(np.where(np.isnan(strength), -np.inf, strength), axis=0)
    units = tuple(
        ReplayUnit(
            u.id,
            u.name,
            u.side,
            u.type,
            u.echelon,
            float(max(full[i], 1.0)),
            "tanks" if u.type == "tank" else "men",
        )
        for i, u in enumerate(ground)
    )
    air = tuple(
        ReplayUnit(u.id, u.name, u.side, u.type, u.echelon, float(u.men.value))
        for u in scenario.units
        if u.type == "air"
    )
    terrain = build_terrain(scenario.terrain)
    image, features = map_from_terrain(terrain)
    objectives = []
    for obj in scenario.objectives:
        if obj.center is None:
            continue
        lat, lon = resolve(scenario.terrain, obj.center)
        ox, oy = terrain.grid.to_xy(lat, lon)
        radius = obj.radius_m.value if obj.radius_m is not None else 150.0
        objectives.append(ReplayObjective(obj.id, obj.name, float(ox), float(oy), radius))
    holder = np.full((times.size, len(objectives)), -1, dtype=np.int64)
    held = _table(results, "control", rep)
    if held is not None and not held.empty:
        side_index = {s.id: float(i) for i, s in enumerate(meta.sides)}
        held = held.assign(
            holder=held["holder"].map(lambda s: side_index.get(s, -1.0)),
            t_min=held["hour"] * 60.0,
        )
        wide = _wide(held, "holder", times, [o.id for o in objectives], "objective")
        holder = np.nan_to_num(pd.DataFrame(wide).ffill().to_numpy(), nan=-1).astype(np.int64)
    return ReplayData(
        title=meta.title,
        scenario=meta.name,
        rep=rep,
        start=meta.start,
        sides=meta.sides,
        map=image,
        units=units,
        times=times,
        x=x,
        y=y,
        strength=np.nan_to_num(strength),
        state=np.nan_to_num(state).astype(np.int64),
        order=np.nan_to_num(order).astype(np.int64),
        states=states or ("",),
        orders=_order_names(orders, {o.id: o.name or o.id for o in scenario.objectives}) or ("",),
        objectives=tuple(objectives),
        holder=holder,
        events=_events(results, rep, ids),
        features=features,
        air_units=air,
        partial=manifest.get("status") != "complete",
        seen=seen,
        intel=_intel(results, rep, [s.id for s in meta.sides], [o.id for o in objectives]),
    )
