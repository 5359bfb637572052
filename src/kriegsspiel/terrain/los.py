"""Line of sight over the elevation raster, for many observer-target pairs at once.

Pairs: the ground between observer and target is sampled at ``k`` evenly spaced points (default
spacing half a cell, so every cell a sight line crosses is sampled about twice), heights are
interpolated bilinearly between cell centres, and the target is visible when every sample lies
below the straight sight line from ``ground + observer_h`` to ``ground + target_h`` (an
end point stands on the higher of its cell's height and the interpolated ground, so a unit on
a summit cell sees from the summit). Earth
curvature with standard refraction (``k = 0.13``) lifts the ground midway by
``d1·d2 / (2 R_eff)`` (1.1 m at 8 km). Resolution: features narrower than the sample spacing are
smoothed as the bilinear surface smooths them; the elevation is only as good as the cell size.

Viewsheds from fixed points (objectives, crests) use a radial sweep: rays to every border cell,
each marched outward keeping the steepest elevation angle seen so far; a cell is visible when
a target standing on it rises above that angle. The sweep is O(cells) and is cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from kriegsspiel.terrain.raster import Terrain

__all__ = ["EARTH_RADIUS_M", "REFRACTION", "ground_height", "line_of_sight", "viewshed"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

EARTH_RADIUS_M = 6_371_000.0
REFRACTION = 0.13
_R_EFF = EARTH_RADIUS_M / (1.0 - REFRACTION)
_CHUNK_SAMPLES = 2_000_000


def ground_height(terrain: Terrain, x: ArrayLike, y: ArrayLike) -> FloatArray:
    """Bilinear interpolation of the elevation between cell centres (clamped at the edges)."""
    grid = terrain.grid
    fx = np.clip((np.asarray(x, np.float64) - grid.x0) / grid.cell_m - 0.5, 0, grid.nx - 1)
    fy = np.clip((np.asarray(y, np.float64) - grid.y0) / grid.cell_m - 0.5, 0, grid.ny - 1)
    c0 = np.minimum(np.floor(fx).astype(np.intp), max(grid.nx - 2, 0))
    r0 = np.minimum(np.floor(fy).astype(np.intp), max(grid.ny - 2, 0))
    c1 = np.minimum(c0 + 1, grid.nx - 1)
    r1 = np.minimum(r0 + 1, grid.ny - 1)
    wx, wy = fx - c0, fy - r0
    z = terrain.elevation
    top = z[r0, c0] * (1 - wx) + z[r0, c1] * wx
    bottom = z[r1, c0] * (1 - wx) + z[r1, c1] * wx
    height: FloatArray = top * (1 - wy) + bottom * wy
    return height


def _stand(terrain: Terrain, xy: FloatArray) -> FloatArray:
    """Ground under an observer or target: the higher of the cell and the interpolated value."""
    cell = terrain.sample(terrain.elevation, xy[:, 0], xy[:, 1])
    stand: FloatArray = np.maximum(ground_height(terrain, xy[:, 0], xy[:, 1]), cell)
    return stand


def line_of_sight(
    terrain: Terrain,
    observer_xy: ArrayLike,
    target_xy: ArrayLike,
    observer_h: ArrayLike = 2.0,
    target_h: ArrayLike = 2.0,
    spacing_m: float | None = None,
) -> BoolArray:
    """Whether each target can be seen from its observer.

    Args:
        terrain: the map.
        observer_xy: ``(..., 2)`` observer positions (m).
        target_xy: ``(..., 2)`` target positions, broadcast against ``observer_xy``.
        observer_h: eye height above ground (m), broadcastable to the pair shape.
        target_h: height of the target above ground (m).
        spacing_m: distance between ground samples (default half a cell).

    Returns:
        Boolean array of the broadcast pair shape.
    """
    obs = np.asarray(observer_xy, dtype=np.float64)
    tgt = np.asarray(target_xy, dtype=np.float64)
    shape = np.broadcast_shapes(obs.shape, tgt.shape)[:-1]
    o = np.broadcast_to(obs, (*shape, 2)).reshape(-1, 2)
    t = np.broadcast_to(tgt, (*shape, 2)).reshape(-1, 2)
    oh = np.broadcast_to(np.asarray(observer_h, np.float64), shape).ravel()
    th = np.broadcast_to(np.asarray(target_h, np.float64), shape).ravel()
    step = spacing_m or terrain.grid.cell_m / 2.0
    zo = _stand(terrain, o) + oh
    zt = _stand(terrain, t) + th
    dist = np.hypot(*(t - o).T)
    out = np.ones(o.shape[0], dtype=bool)
    order = np.argsort(dist)  # similar lengths share a chunk, so few samples are wasted
    start = 0
    while start < order.size:
        count = order.size - start
        while True:
            sel = order[start : start + count]
            k = max(2, int(np.ceil(dist[sel[-1]] / step)) + 1)
            if count * k <= _CHUNK_SAMPLES or count == 1:
                break
            count = max(1, _CHUNK_SAMPLES // k)
        frac = np.arange(1, k, dtype=np.float64) / k
        px = o[sel, 0, None] + frac * (t[sel, 0] - o[sel, 0])[:, None]
        py = o[sel, 1, None] + frac * (t[sel, 1] - o[sel, 1])[:, None]
        ground = ground_height(terrain, px, py)
        d = dist[sel, None]
        ground += (frac * d) * ((1 - frac) * d) / (2 * _R_EFF)
        sight = zo[sel, None] + frac * (zt[sel] - zo[sel])[:, None]
        out[sel] = np.all(ground < sight, axis=1)
        start += sel.size
    visible: BoolArray = out.reshape(shape)
    return visible


def viewshed(
    terrain: Terrain,
    observer_xy: tuple[float, float],
    observer_h: float = 2.0,
    target_h: float = 2.0,
) -> BoolArray:
    """Cells whose centre (plus ``target_h``) can be seen from ``observer_xy`` (cached)."""
    grid = terrain.grid
    row, col = grid.to_cell(observer_xy[0], observer_xy[1])
    key = ("viewshed", int(row), int(col), float(observer_h), float(target_h))
    if key in terrain._cache:
        cached: BoolArray = terrain._cache[key]
        return cached
    ny, nx = grid.shape
    ox, oy = (float(v) for v in grid.cell_centre(row, col))
    zo = float(terrain.elevation[row, col]) + observer_h
    edge_r = np.concatenate([np.zeros(nx), np.full(nx, ny - 1), np.arange(ny), np.arange(ny)])
    edge_c = np.concatenate([np.arange(nx), np.arange(nx), np.zeros(ny), np.full(ny, nx - 1)])
    ex, ey = grid.cell_centre(edge_r, edge_c)
    length = np.hypot(ex - ox, ey - oy)
    step = grid.cell_m / 2.0
    n_steps = int(np.ceil(length.max() / step))
    ux, uy = (ex - ox) / np.maximum(length, 1e-9), (ey - oy) / np.maximum(length, 1e-9)
    seen = np.zeros(grid.shape, dtype=bool)
    seen[row, col] = True
    horizon = np.full(ux.shape, -np.inf)
    for i in range(1, n_steps + 1):
        s = i * step
        alive = s <= length
        if not alive.any():
            break
        px, py = ox + ux[alive] * s, oy + uy[alive] * s
        r, c = grid.to_cell(px, py)
        bulge = s * s / (2 * _R_EFF)
        z = terrain.elevation[r, c] - bulge
        seen[r, c] |= (z + target_h - zo) / s >= horizon[alive]
        horizon[alive] = np.maximum(horizon[alive], (z - zo) / s)
    terrain._cache[key] = seen
    return seen
