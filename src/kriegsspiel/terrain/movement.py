"""Movement on the cost surface: cost-to-go fields and a vectorised step along them.

A :class:`MoveField` holds, for one objective, one mobility type and one side, the least
travel time (seconds, at the terrain's full speed) from every cell to the objective, and the
next cell on the quickest path. It is computed once by Dijkstra on the 8-neighbour grid graph
(``scipy.sparse.csgraph``): crossing from cell *a* to a neighbour *b* takes
``step / 2 · (1/v_a + 1/v_b)``; impassable cells (speed 0: water, rivers except fords, slopes
too steep) and the side's no-go cells have no edges; a diagonal step needs both cells beside it
passable, so no path squeezes between two diagonal wet or forbidden cells.

:func:`step_toward` then moves any number of units (shape ``(reps, units)`` or anything else)
along their paths for a time budget each, with a binary-lifting table of the next-cell pointers
(``O(log path length)`` gathers, no per-unit Python). A unit moves from its cell centre to the
next, so it never enters the lake nor a no-go cell, and stops on reaching the objective.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage, sparse
from scipy.sparse import csgraph

from kriegsspiel.errors import InputError
from kriegsspiel.terrain.features import Mobility
from kriegsspiel.terrain.geo import LocalGrid

if TYPE_CHECKING:
    from kriegsspiel.terrain.raster import Terrain

__all__ = ["MoveField", "cost_to_go", "move_graph", "step_toward"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
CellArray = NDArray[np.int32] | NDArray[np.intp]
BoolArray = NDArray[np.bool_]

_OFFSETS = ((0, 1), (1, 0), (1, 1), (1, -1))


@dataclass(frozen=True, eq=False)
class MoveField:
    """Travel time to an objective and the quickest path from every cell.

    Attributes:
        grid: the map frame.
        time_s: shape ``(rows * cols,)``, seconds to the objective at full speed (``inf``:
            unreachable).
        next_cell: flat index of the next cell on the path (the cell itself at the objective
            and where unreachable); a view of ``jumps[0]``.
        jumps: ``jumps[k]`` is the cell ``2**k`` steps ahead on the path. Cell indices are
            ``int32`` on any grid of fewer than 2**31 cells (half the memory of ``intp``: a
            field is mostly this table, and a Khasan run holds some fifty fields).
    """

    grid: LocalGrid
    time_s: FloatArray
    next_cell: CellArray
    jumps: CellArray

    def time_at(self, x: ArrayLike, y: ArrayLike) -> FloatArray:
        """Seconds to the objective from ``(x, y)`` (``inf`` where unreachable)."""
        row, col = self.grid.to_cell(x, y)
        times: FloatArray = self.time_s[row * self.grid.nx + col]
        return times


def move_graph(terrain: Terrain, mobility: Mobility, side: str | None = None) -> sparse.csr_array:
    """The 8-neighbour travel-time graph for ``mobility`` (and ``side``'s no-go mask), cached."""
    key = ("graph", mobility, side)
    if key in terrain._cache:
        graph: sparse.csr_array = terrain._cache[key]
        return graph
    ny, nx = terrain.shape
    ok = terrain.passable(mobility, side)
    pace = np.where(ok, 3.6 / np.maximum(terrain.speed_kmh[mobility.code], 1e-9), np.inf)
    idx = np.arange(ny * nx).reshape(ny, nx)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    cost: list[FloatArray] = []
    cell = terrain.grid.cell_m
    for dr, dc in _OFFSETS:
        rows_a, rows_b = slice(0, ny - dr), slice(dr, ny)
        cols_a, cols_b = slice(max(0, -dc), nx - max(0, dc)), slice(max(0, dc), nx + min(0, dc))
        a, b = (rows_a, cols_a), (rows_b, cols_b)
        both = ok[a] & ok[b]
        if dr and dc:
            both &= ok[rows_a, cols_b] & ok[rows_b, cols_a]
        step = cell * (np.sqrt(2.0) if dr and dc else 1.0)
        t = step / 2.0 * (pace[a] + pace[b])
        rows += [idx[a][both], idx[b][both]]
        cols += [idx[b][both], idx[a][both]]
        cost += [t[both], t[both]]
    graph = sparse.csr_array(
        (np.concatenate(cost), (np.concatenate(rows), np.concatenate(cols))),
        shape=(ny * nx, ny * nx),
    )
    terrain._cache[key] = graph
    return graph


def cost_to_go(
    terrain: Terrain,
    target_xy: ArrayLike,
    mobility: Mobility,
    side: str | None = None,
    radius_m: float = 0.0,
) -> MoveField:
    """The travel-time field to a target (cached by target cell, radius, mobility and side).

    Args:
        terrain: the map.
        target_xy: ``(x, y)`` of the objective, or ``(k, 2)`` several points (any one will do).
        mobility: the mobility type.
        side: the side whose no-go mask applies (``None``: no border rule).
        radius_m: every passable cell within this distance of a target point counts as
            arrived (an objective area).

    A target cell that this mobility cannot enter (a summit too steep for tanks, a lake) is
    replaced by the nearest cell it can.
    """
    pts = np.atleast_2d(np.asarray(target_xy, dtype=np.float64))
    grid = terrain.grid
    rows, cols = grid.to_cell(pts[:, 0], pts[:, 1])
    key = ("field", tuple(rows.tolist()), tuple(cols.tolist()), float(radius_m), mobility, side)
    if key in terrain._cache:
        cached: MoveField = terrain._cache[key]
        return cached
    ok = terrain.passable(mobility, side)
    if not ok.any():
        raise InputError(f"movement of {mobility.value} units", "at least one passable cell")
    seeds = np.zeros(grid.shape, dtype=bool)
    seeds[rows, cols] = True
    if radius_m > 0:
        seeds = ndimage.distance_transform_edt(~seeds, sampling=grid.cell_m) <= radius_m
    seeds &= ok
    if not seeds.any():
        _, (nr, nc) = ndimage.distance_transform_edt(~ok, return_indices=True)
        seeds[nr[rows, cols], nc[rows, cols]] = True
    graph = move_graph(terrain, mobility, side)
    time_s, pred, _ = csgraph.dijkstra(
        graph,
        directed=True,
        indices=np.flatnonzero(seeds),
        min_only=True,
        return_predecessors=True,
    )
    here = np.arange(time_s.size)
    levels = max(1, int(np.ceil(np.log2(grid.nx + grid.ny))) + 2)
    cells = np.int32 if time_s.size < 2**31 else np.intp
    jumps = np.empty((levels, time_s.size), dtype=cells)
    jumps[0] = np.where(pred >= 0, pred, here)
    for k in range(1, levels):
        jumps[k] = jumps[k - 1][jumps[k - 1]]
    field = MoveField(grid=grid, time_s=time_s, next_cell=jumps[0], jumps=jumps)
    terrain._cache[key] = field
    return field


def step_toward(
    x: ArrayLike, y: ArrayLike, field: MoveField, budget_s: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Move units along ``field`` for ``budget_s`` seconds of full-speed travel each.

    Args:
        x: east coordinates (m), any shape (e.g. ``(reps, units)``).
        y: north coordinates (m), same shape.
        field: the objective's :class:`MoveField` for the units' mobility and side.
        budget_s: time each unit moves (seconds), broadcastable; scale ``dt`` by any speed
            factor (posture, night, fatigue) before passing it.

    Returns:
        New ``x``, ``y`` and the time still to go (0 on arrival; ``inf`` for a unit whose cell
        cannot reach the objective, which stays where it is).
    """
    grid = field.grid
    x0 = np.asarray(x, dtype=np.float64)
    y0 = np.asarray(y, dtype=np.float64)
    budget = np.broadcast_to(np.asarray(budget_s, dtype=np.float64), x0.shape)
    row, col = grid.to_cell(x0, y0)
    cur = row * grid.nx + col
    t_cur = field.time_s[cur]
    goal = t_cur - np.maximum(budget, 0.0)
    a = cur
    for k in range(field.jumps.shape[0] - 1, -1, -1):
        cand = field.jumps[k][a]
        a = np.where(field.time_s[cand] >= goal, cand, a)
    b = field.next_cell[a]
    with np.errstate(invalid="ignore"):  # inf - inf for units that cannot reach
        edge = field.time_s[a] - field.time_s[b]
        frac = np.clip(
            np.divide(field.time_s[a] - goal, edge, out=np.zeros_like(edge), where=edge > 0), 0, 1
        )
    ax, ay = grid.cell_centre(a // grid.nx, a % grid.nx)
    bx, by = grid.cell_centre(b // grid.nx, b % grid.nx)
    nx_ = ax + frac * (bx - ax)
    ny_ = ay + frac * (by - ay)
    still = ~np.isfinite(t_cur) | (t_cur == 0) | (budget <= 0)
    new_x = np.where(still, x0, nx_)
    new_y = np.where(still, y0, ny_)
    left = np.where(np.isfinite(t_cur), np.maximum(goal, 0.0), np.inf)
    return new_x, new_y, left
