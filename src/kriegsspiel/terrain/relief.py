"""Elevation of hills (radial profiles) and ridges (crest lines) on the grid.

A hill's height at a cell is read from its radial profile at the cell's distance from the peak.
With several bearings, the heights of the two profiles whose bearings enclose the cell's
bearing are blended linearly in angle (so the surface has no cliffs between sectors). With an
elliptical footprint the distance is measured on the ellipse: ``d = sqrt(u^2 + (v/aspect)^2)``
where ``u`` is along ``axis_deg`` and ``v`` across it. Outside the last profile distance the
hill adds nothing. The cell holding the peak carries the summit height exactly (a sharp cone
would otherwise lose its top to cell-centre sampling). Features combine with the ground by
taking the maximum.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.terrain.features import Hill, Ridge, TerrainSpec, value_of
from kriegsspiel.terrain.geo import LocalGrid
from kriegsspiel.terrain.rasterize import distance_to_polyline

__all__ = ["hill_surface", "ridge_surface"]

FloatArray = NDArray[np.float64]


def _scaled(profile: list[tuple[float, float]], summit: float | None) -> FloatArray:
    arr = np.array(profile, dtype=np.float64)
    if summit is not None:
        top, foot = arr[0, 1], arr[-1, 1]
        if top != foot:
            arr[:, 1] = foot + (arr[:, 1] - foot) * (summit - foot) / (top - foot)
    return arr


def hill_surface(grid: LocalGrid, spec: TerrainSpec, hill: Hill) -> FloatArray:
    """Heights the hill gives each cell (``-inf`` outside its footprint)."""
    peak = spec.locate(hill.peak)
    px, py = grid.to_xy(peak.lat, peak.lon)
    summit: float | None = None
    if hill.height_m is not None:
        summit = value_of(hill.height_m)
    elif isinstance(hill.peak, str) and spec.point(hill.peak).height_m is not None:
        summit = value_of(spec.point(hill.peak).height_m)  # type: ignore[arg-type]
    if hill.bearings is not None:
        order = sorted(hill.bearings, key=lambda b: b.bearing_deg)
        bearings = np.array([b.bearing_deg for b in order])
        profiles = [_scaled(b.profile, summit) for b in order]
    else:
        assert hill.profile is not None
        bearings = np.array([0.0])
        profiles = [_scaled(hill.profile, summit)]
    reach = max(float(p[-1, 0]) for p in profiles)
    out = np.full(grid.shape, -np.inf)
    window = _window(grid, float(px), float(py), reach)
    if window is None:
        return out
    (r0, r1, c0, c1), (dx, dy) = window
    axis = np.radians(hill.axis_deg)
    u = dx * np.sin(axis) + dy * np.cos(axis)
    v = dx * np.cos(axis) - dy * np.sin(axis)
    dist = np.hypot(u, v / hill.aspect)
    reaches = np.array([p[-1, 0] for p in profiles])
    if len(profiles) == 1:
        height = np.interp(dist, profiles[0][:, 0], profiles[0][:, 1])
        limit = np.full(dist.shape, reaches[0])
    else:
        theta = np.degrees(np.arctan2(dx, dy)) % 360.0
        nxt = np.searchsorted(bearings, theta) % len(bearings)
        prv = (nxt - 1) % len(bearings)
        span = (bearings[nxt] - bearings[prv]) % 360.0
        span = np.where(span == 0, 360.0, span)
        w = ((theta - bearings[prv]) % 360.0) / span
        along = np.stack([np.interp(dist, p[:, 0], p[:, 1]) for p in profiles])
        h_prev = np.take_along_axis(along, prv[None], axis=0)[0]
        h_next = np.take_along_axis(along, nxt[None], axis=0)[0]
        height = (1 - w) * h_prev + w * h_next
        limit = (1 - w) * reaches[prv] + w * reaches[nxt]
    height = np.where(dist <= limit, height, -np.inf)
    out[r0:r1, c0:c1] = height
    if grid.contains(px, py):
        row, col = grid.to_cell(px, py)
        out[row, col] = max(profiles[0][0, 1], out[row, col])
    return out


def _window(
    grid: LocalGrid, px: float, py: float, reach: float
) -> tuple[tuple[int, int, int, int], tuple[FloatArray, FloatArray]] | None:
    c0 = int(np.clip(np.floor((px - reach - grid.x0) / grid.cell_m), 0, grid.nx))
    c1 = int(np.clip(np.ceil((px + reach - grid.x0) / grid.cell_m), 0, grid.nx))
    r0 = int(np.clip(np.floor((py - reach - grid.y0) / grid.cell_m), 0, grid.ny))
    r1 = int(np.clip(np.ceil((py + reach - grid.y0) / grid.cell_m), 0, grid.ny))
    if c1 <= c0 or r1 <= r0:
        return None
    cx, cy = grid.centres()
    gx, gy = np.meshgrid(cx[c0:c1] - px, cy[r0:r1] - py)
    return (r0, r1, c0, c1), (gx, gy)


def ridge_surface(grid: LocalGrid, ridge: Ridge, ground: float) -> FloatArray:
    """Heights a ridge gives each cell: crest height falling linearly to ``ground``."""
    lat = np.array([v[0] for v in ridge.vertices])
    lon = np.array([v[1] for v in ridge.vertices])
    x, y = grid.to_xy(lat, lon)
    heights = np.array(ridge.heights_m, dtype=np.float64)
    out = np.full(grid.shape, -np.inf)
    for i in range(len(x) - 1):
        d = distance_to_polyline(grid, x[i : i + 2], y[i : i + 2], ridge.half_width_m)
        near = np.isfinite(d)
        if not near.any():
            continue
        rows, cols = np.nonzero(near)
        cx, cy = grid.cell_centre(rows, cols)
        dx, dy = x[i + 1] - x[i], y[i + 1] - y[i]
        length2 = dx * dx + dy * dy
        t = np.clip(((cx - x[i]) * dx + (cy - y[i]) * dy) / length2, 0, 1) if length2 else 0.0
        crest = heights[i] + t * (heights[i + 1] - heights[i])
        h = ground + (crest - ground) * (1.0 - d[near] / ridge.half_width_m)
        out[rows, cols] = np.maximum(out[rows, cols], h)
    return out
