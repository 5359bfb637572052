"""Movement on the cost surface.

A moving unit with a navigation field follows it with the terrain's
:func:`~kriegsspiel.terrain.movement.step_toward` (the quickest path on the cost-to-go field of
its target, for its mobility and side: round the lake, never into the side's no-go ground, slow
through the marsh). Its time budget is the step's length times its speed factor (night, fog,
suppression); an assault pace cap lowers the budget by the ratio of the cap to the local speed.
A unit without a field (a target given as a bare point in a synthetic battle), or within
:data:`FINAL_APPROACH_M` of its target (the last rush onto a crest), moves in a straight line
at the local speed, in sub-steps of at most two cells, stopping before any cell its side may
not enter or its mobility cannot (water, slopes too steep for tanks). Only the moving
(replication, unit) pairs are processed, as flat arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.arrays import AIR, BattleArrays
from kriegsspiel.engine.distances import within
from kriegsspiel.engine.doctrine import Movement
from kriegsspiel.engine.state import State
from kriegsspiel.terrain.movement import step_toward

__all__ = ["move"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_MAX_SUBSTEPS = 64
FINAL_APPROACH_M = 150.0
"""Within this distance of its target a unit leaves its field and goes straight at it."""


def move(arr: BattleArrays, st: State, plan: Movement, hours: float) -> FloatArray:
    """Advance the units ``plan`` moves for ``hours``; return the distance each moved (metres).

    ``plan`` gives per (B, U): who moves, the target, the navigation field, a multiplier on the
    terrain speed (night, fog, suppression) and a cap in km/h (assault pace; inf for none).
    Positions in ``st`` are updated in place.
    """
    ter = arr.terrain
    dist = np.zeros_like(st.x)
    b, u = np.nonzero(plan.moving & (arr.utype != AIR)[None, :])
    if b.size == 0:
        return dist
    x, y = st.x[b, u], st.y[b, u]
    mob = np.minimum(arr.mobility[u], 2)
    row, col = ter.cell(x, y)
    here = ter.speed[mob, row, col].astype(np.float64)
    slow = np.where(here > 0, np.minimum(1.0, plan.cap[b, u] / np.maximum(here, 1e-9)), 1.0)
    budget_h = hours * plan.factor[b, u] * slow
    fld = plan.field[b, u]
    tx, ty = plan.tx[b, u], plan.ty[b, u]
    fld = np.where(within(tx - x, ty - y, FINAL_APPROACH_M), -1, fld)
    nx_, ny_ = x.copy(), y.copy()
    for f in np.unique(fld[fld >= 0]):
        sel = fld == f
        nx_[sel], ny_[sel], _ = step_toward(x[sel], y[sel], ter.fields[f], budget_h[sel] * 3600.0)
    straight = fld < 0
    if straight.any():
        i = np.flatnonzero(straight)
        nx_[i], ny_[i] = _straight(
            arr,
            x[i],
            y[i],
            tx[i],
            ty[i],
            mob[i],
            arr.side[u[i]],
            budget_h[i],
        )
    st.x[b, u], st.y[b, u] = nx_, ny_
    dist[b, u] = np.hypot(nx_ - x, ny_ - y)
    return dist


def _straight(
    arr: BattleArrays,
    x: FloatArray,
    y: FloatArray,
    tx: FloatArray,
    ty: FloatArray,
    mob: IntArray,
    side: IntArray,
    hours: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Straight-line moves at the local speed, stopping before forbidden cells."""
    ter = arr.terrain
    x, y = x.copy(), y.copy()
    time_left = hours.copy()
    max_sub = 2.0 * ter.cell_m
    active = np.ones(x.size, dtype=bool)
    for _ in range(_MAX_SUBSTEPS):
        i = np.flatnonzero(active)
        if i.size == 0:
            break
        row, col = ter.cell(x[i], y[i])
        speed = ter.speed[mob[i], row, col] * 1000.0  # m/h
        gx, gy = tx[i] - x[i], ty[i] - y[i]
        to_go = np.hypot(gx, gy)
        step = np.minimum(np.minimum(speed * time_left[i], max_sub), to_go)
        scale = np.where(to_go > 0, step / np.maximum(to_go, 1e-9), 0.0)
        px, py = x[i] + gx * scale, y[i] + gy * scale
        r2, c2 = ter.cell(px, py)
        ok = ter.passable[side[i], r2, c2] & (ter.speed[mob[i], r2, c2] > 0)
        ok &= ter.inside(px, py) & (step > 0)
        x[i], y[i] = np.where(ok, px, x[i]), np.where(ok, py, y[i])
        used = np.where(ok, step / np.maximum(speed, 1e-9), time_left[i])
        time_left[i] = np.maximum(time_left[i] - used, 0.0)
        active[i] = ok & (step < to_go - 1e-6) & (time_left[i] > 1e-9)
    return x, y
