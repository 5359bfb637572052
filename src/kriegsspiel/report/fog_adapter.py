"""The fog of war of a run: each side's estimate of the enemy, and its conditional orders.

Reads two tables of the engine (``kriegsspiel.engine.runner``):

- ``intel`` (``replication, hour, side, believed_enemy, true_enemy, enemy_units,
  enemy_seen``): per side and hour, the enemy men on the objectives as the side believes them
  and as they are, and how many of the enemy's ground units on the map it observes;
- ``conditions`` (``replication, order, time, side, objective, threshold, own_men,
  believed_enemy, true_enemy, fired``): each conditional order weighed in each replication.

Hour ``h`` is ``h`` hours after the scenario's local start (as for the ``control`` table).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.report.data import BeliefSeries, ConditionalOrder, FloatArray, ScenarioMeta

__all__ = ["beliefs_from_table", "hour_times", "orders_from_table"]

_LEVELS = (0.05, 0.5, 0.95)
_INTEL_COLUMNS = ("replication", "hour", "side", "believed_enemy", "true_enemy", "enemy_units",
                  "enemy_seen")  # fmt: skip
_CONDITION_COLUMNS = ("replication", "order", "time", "side", "objective", "threshold",
                      "own_men", "believed_enemy", "true_enemy", "fired")  # fmt: skip


def _columns(table: pa.Table, name: str, columns: tuple[str, ...]) -> pa.Table:
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise KriegsspielError(f"the {name!r} table lacks columns {', '.join(missing)}")
    return table.select(list(columns))


def hour_times(meta: ScenarioMeta, hours: Iterable[int]) -> tuple[str, ...]:
    """Local ISO times (``YYYY-MM-DDTHH:MM``) of hours counted from the scenario's start."""
    start = pd.Timestamp(meta.start)
    return tuple((start + pd.Timedelta(hours=int(h))).strftime("%Y-%m-%dT%H:%M") for h in hours)


def _quantiles(cube: FloatArray) -> FloatArray:
    """The 5/50/95% quantiles over axis 0 (runs), NaN where no run has a value: (3, ...)."""
    if not np.isnan(cube).any():  # the usual case, and twice as fast
        whole: FloatArray = np.quantile(cube, _LEVELS, axis=0)
        return whole
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN
        out: FloatArray = np.nanquantile(cube, _LEVELS, axis=0)
    return out


def beliefs_from_table(table: pa.Table, meta: ScenarioMeta) -> tuple[BeliefSeries, ...]:
    """One :class:`BeliefSeries` per side of ``meta`` that the ``intel`` table has."""
    table = _columns(table, "intel", _INTEL_COLUMNS)
    ids = [s.id for s in meta.sides]
    found = pc.index_in(table.column("side"), value_set=pa.array(ids))
    side = pc.fill_null(found, -1).to_numpy().astype(np.int64)
    keep = side >= 0
    if not keep.any():
        return ()
    _, rep = np.unique(table.column("replication").to_numpy(), return_inverse=True)
    hour = table.column("hour").to_numpy().astype(np.int64)
    rep, hour, side = rep[keep], hour[keep], side[keep]
    shape = (int(rep.max()) + 1, int(hour.max()) + 1, len(ids))

    def cube(name: str) -> FloatArray:
        out = np.full(shape, np.nan)
        values = table.column(name).to_numpy(zero_copy_only=False).astype(np.float64)[keep]
        out[rep, hour, side] = values
        return out

    believed = _quantiles(cube("believed_enemy"))
    true = _quantiles(cube("true_enemy"))
    units = cube("enemy_units")
    share = np.where(units > 0, cube("enemy_seen") / np.where(units > 0, units, 1.0), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(share, axis=0)
    band = _quantiles(share)
    detected = np.stack([mean, band[0], band[2]])  # (3, H, S)
    times = hour_times(meta, range(shape[1]))
    present = np.unique(side)
    return tuple(
        BeliefSeries(ids[s], times, believed[:, :, s].T, true[:, :, s].T, detected[:, :, s].T)
        for s in range(len(ids))
        if s in present
    )


def _band(values: pd.Series) -> tuple[float, float, float]:
    q05, q50, q95 = np.quantile(values.to_numpy(np.float64), _LEVELS)
    return float(q05), float(q50), float(q95)


def orders_from_table(table: pa.Table, meta: ScenarioMeta) -> tuple[ConditionalOrder, ...]:
    """One :class:`ConditionalOrder` per conditional order of a side of ``meta`` in the table."""
    frame = _columns(table, "conditions", _CONDITION_COLUMNS).to_pandas()
    frame = frame[frame["side"].isin([s.id for s in meta.sides])]
    if frame.empty:
        return ()
    frame["ratio"] = frame["own_men"] / np.maximum(frame["believed_enemy"], 1.0)
    keys = ["order", "time", "side", "objective", "threshold"]
    out = []
    for key, group in frame.groupby(keys, sort=False):
        order, time, side, objective, threshold = key
        q = {name: _band(group[name]) for name in ("believed_enemy", "true_enemy", "ratio")}
        out.append(
            ConditionalOrder(
                order=str(order),
                time=str(time),
                side=str(side),
                objective=str(objective),
                threshold=float(threshold),
                fired=int(group["fired"].sum()),
                runs=len(group),
                believed=q["believed_enemy"],
                true=q["true_enemy"],
                ratio=q["ratio"],
            )
        )
    return tuple(sorted(out, key=lambda o: o.time))
