"""Movement on the cost surface.

A moving unit with a navigation field follows it as the terrain's
:func:`~kriegsspiel.terrain.movement.step_toward` does (the quickest path on the cost-to-go field of
its target, for its mobility and side: round the lake, never into the side's no-go ground, slow
through the marsh). Its time budget is the step's length times its speed factor (night, fog,
suppression); an assault pace cap lowers the budget by the ratio of the cap to the local speed.
A unit without a field (a target given as a bare point in a synthetic battle), or within
:data:`FINAL_APPROACH_M` of its target (the last rush onto a crest), moves in a straight line
at the local speed, in sub-steps of at most two cells, stopping before any cell its side may
not enter or its mobility cannot (water, slopes too steep for tanks). Only the moving
(replication, unit) pairs are processed, as flat arrays; the per-unit paths run as loops
compiled by numba (the same operations as ``step_toward`` and the straight rush, to the bit).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.arrays import AIR, BattleArrays, cell_index
from kriegsspiel.engine.distances import within
from kriegsspiel.engine.doctrine import Movement
from kriegsspiel.engine.jit import njit
from kriegsspiel.engine.state import State

__all__ = ["move"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

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
        field = ter.fields[f]
        grid = field.grid
        _follow_loop(
            np.flatnonzero(fld == f),
            x,
            y,
            budget_h,
            field.time_s,
            field.jumps,
            float(grid.x0),
            float(grid.y0),
            float(grid.cell_m),
            grid.nx,
            grid.ny,
            nx_,
            ny_,
        )
    straight = np.flatnonzero(fld < 0)
    if straight.size:
        _straight_loop(
            straight,
            x,
            y,
            tx,
            ty,
            mob,
            arr.side[u],
            budget_h,
            ter.speed,
            ter.passable,
            float(ter.x0),
            float(ter.y0),
            float(ter.cell_m),
            nx_,
            ny_,
        )
    st.x[b, u], st.y[b, u] = nx_, ny_
    dist[b, u] = np.hypot(nx_ - x, ny_ - y)
    return dist


def _follow_rows(
    rows: IntArray,
    x: FloatArray,
    y: FloatArray,
    budget_h: FloatArray,
    time_s: FloatArray,
    jumps: NDArray[np.int32],
    x0: float,
    y0: float,
    cell_m: float,
    nx: int,
    ny: int,
    out_x: FloatArray,
    out_y: FloatArray,
) -> None:
    """:func:`~kriegsspiel.terrain.movement.step_toward` on one field, for the units ``rows``.

    The same operations, one unit at a time (tested equal): climb the jump table to the
    furthest cell on the path the budget reaches, then go the share of the next edge that the
    rest of the budget allows. A unit that cannot reach the target, is on it or has no budget
    stays where it is.
    """
    for i in rows:
        budget = budget_h[i] * 3600.0
        row = int(min(max(math.floor((y[i] - y0) / cell_m), 0.0), ny - 1))
        col = int(min(max(math.floor((x[i] - x0) / cell_m), 0.0), nx - 1))
        t_cur = time_s[row * nx + col]
        if not math.isfinite(t_cur) or t_cur == 0 or budget <= 0:
            out_x[i], out_y[i] = x[i], y[i]
            continue
        goal = t_cur - max(budget, 0.0)
        a = row * nx + col
        for k in range(jumps.shape[0] - 1, -1, -1):
            cand = jumps[k, a]
            if time_s[cand] >= goal:
                a = cand
        b = jumps[0, a]
        edge = time_s[a] - time_s[b]
        frac = min(max((time_s[a] - goal) / edge, 0.0), 1.0) if edge > 0 else 0.0
        ax = x0 + (a % nx + 0.5) * cell_m
        ay = y0 + (a // nx + 0.5) * cell_m
        bx = x0 + (b % nx + 0.5) * cell_m
        by = y0 + (b // nx + 0.5) * cell_m
        out_x[i] = ax + frac * (bx - ax)
        out_y[i] = ay + frac * (by - ay)


def _straight_rows(
    rows: IntArray,
    x: FloatArray,
    y: FloatArray,
    tx: FloatArray,
    ty: FloatArray,
    mob: IntArray,
    side: IntArray,
    hours: FloatArray,
    speed_kmh: NDArray[np.float32],
    passable: BoolArray,
    x0: float,
    y0: float,
    cell_m: float,
    out_x: FloatArray,
    out_y: FloatArray,
) -> None:
    """Straight-line moves of the units ``rows`` at the local speed, short of forbidden cells.

    Sub-steps of at most two cells (at most :data:`_MAX_SUBSTEPS`) while time is left; speeds
    are float32 like the raster (m/h = km/h x 1000 in float32), times float64.
    """
    ny, nx = speed_kmh.shape[1], speed_kmh.shape[2]
    max_sub = 2.0 * cell_m
    x1, y1 = x0 + nx * cell_m, y0 + ny * cell_m
    thousand, tiny = np.float32(1000.0), np.float32(1e-9)
    for i in rows:
        px, py, m = x[i], y[i], mob[i]
        time_left = hours[i]
        for _ in range(_MAX_SUBSTEPS):
            row = cell_index(py, y0, cell_m, ny)
            col = cell_index(px, x0, cell_m, nx)
            speed = speed_kmh[m, row, col] * thousand
            gx, gy = tx[i] - px, ty[i] - py
            to_go = math.hypot(gx, gy)
            step = min(min(np.float64(speed) * time_left, max_sub), to_go)
            scale = step / max(to_go, 1e-9) if to_go > 0 else 0.0
            qx, qy = px + gx * scale, py + gy * scale
            r2 = cell_index(qy, y0, cell_m, ny)
            c2 = cell_index(qx, x0, cell_m, nx)
            ok = (
                passable[side[i], r2, c2]
                and speed_kmh[m, r2, c2] > 0
                and x0 <= qx < x1
                and y0 <= qy < y1
                and step > 0
            )
            if ok:
                px, py = qx, qy
                time_left = max(time_left - step / np.float64(max(speed, tiny)), 0.0)
            else:
                time_left = 0.0
            if not (ok and step < to_go - 1e-6 and time_left > 1e-9):
                break
        out_x[i], out_y[i] = px, py


_follow_loop = njit(_follow_rows)
_straight_loop = njit(_straight_rows)
