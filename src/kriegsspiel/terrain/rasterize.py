"""Vector geometry to raster masks on a :class:`~kriegsspiel.terrain.geo.LocalGrid` (numpy only).

A cell belongs to a polygon when its centre is inside (even-odd rule, so holes and
self-intersections behave like GeoJSON rings). Lines are traced as 8-connected chains of cells,
which is enough to block any 4-connected path across them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.terrain.geo import LocalGrid

__all__ = ["distance_to_polyline", "extend_to_edges", "polygon_mask", "polyline_cells"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def polygon_mask(grid: LocalGrid, x: FloatArray, y: FloatArray) -> BoolArray:
    """Cells whose centre lies inside the closed ring ``(x, y)`` (metres), by scanline parity.

    Cost is O(edges x rows spanned + cells), so rings with thousands of vertices stay fast.
    """
    ny, nx = grid.shape
    x1, y1 = np.asarray(x, np.float64), np.asarray(y, np.float64)
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    ylo, yhi = np.minimum(y1, y2), np.maximum(y1, y2)
    # rows r with centre yc in [ylo, yhi): r from ceil(.. - 0.5) to ceil(.. - 0.5) - 1
    r_first = np.clip(np.ceil((ylo - grid.y0) / grid.cell_m - 0.5), 0, ny).astype(np.intp)
    r_stop = np.clip(np.ceil((yhi - grid.y0) / grid.cell_m - 0.5), 0, ny).astype(np.intp)
    spans = np.maximum(r_stop - r_first, 0)
    toggles = np.zeros((ny, nx + 1), dtype=np.int32)
    if spans.sum() > 0:
        edge = np.repeat(np.arange(len(x1)), spans)
        offset = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
        rows = r_first[edge] + offset
        yc = grid.y0 + (rows + 0.5) * grid.cell_m
        t = (yc - y1[edge]) / (y2[edge] - y1[edge])
        xi = x1[edge] + t * (x2[edge] - x1[edge])
        cols = np.clip(np.floor((xi - grid.x0) / grid.cell_m - 0.5) + 1, 0, nx).astype(np.intp)
        np.add.at(toggles, (rows, cols), 1)
    inside: BoolArray = (np.cumsum(toggles[:, :nx], axis=1) % 2).astype(bool)
    return inside


def polyline_cells(grid: LocalGrid, x: FloatArray, y: FloatArray) -> BoolArray:
    """Cells crossed by the polyline ``(x, y)``, as an 8-connected chain (clipped to the map)."""
    mask = np.zeros(grid.shape, dtype=bool)
    xs, ys = _densify(np.asarray(x, np.float64), np.asarray(y, np.float64), grid.cell_m / 3.0)
    keep = grid.contains(xs, ys)
    rows, cols = grid.to_cell(xs[keep], ys[keep])
    mask[rows, cols] = True
    return mask


def _densify(x: FloatArray, y: FloatArray, step: float) -> tuple[FloatArray, FloatArray]:
    seg = np.hypot(np.diff(x), np.diff(y))
    n = np.maximum(np.ceil(seg / step).astype(np.intp), 1)
    idx = np.repeat(np.arange(len(seg)), n)
    t = (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    xs = np.append(x[idx] + t * (x[idx + 1] - x[idx]), x[-1])
    ys = np.append(y[idx] + t * (y[idx + 1] - y[idx]), y[-1])
    return xs, ys


def extend_to_edges(grid: LocalGrid, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Prolong the first and last segments of a polyline until they leave the map frame."""
    reach = 2.0 * float(np.hypot(grid.width_m, grid.height_m))

    def prolong(px: float, py: float, qx: float, qy: float) -> tuple[float, float]:
        dx, dy = qx - px, qy - py
        norm = float(np.hypot(dx, dy)) or 1.0
        return qx + dx / norm * reach, qy + dy / norm * reach

    sx, sy = prolong(x[1], y[1], x[0], y[0])
    ex, ey = prolong(x[-2], y[-2], x[-1], y[-1])
    return np.concatenate([[sx], x, [ex]]), np.concatenate([[sy], y, [ey]])


def distance_to_polyline(grid: LocalGrid, x: FloatArray, y: FloatArray, max_m: float) -> FloatArray:
    """Distance (m) from each cell centre to the polyline; ``inf`` beyond ``max_m``."""
    out = np.full(grid.shape, np.inf)
    cx, cy = grid.centres()
    for x1, y1, x2, y2 in zip(x[:-1], y[:-1], x[1:], y[1:], strict=True):
        c0 = int(np.clip(np.floor((min(x1, x2) - max_m - grid.x0) / grid.cell_m), 0, grid.nx))
        c1 = int(np.clip(np.ceil((max(x1, x2) + max_m - grid.x0) / grid.cell_m), 0, grid.nx))
        r0 = int(np.clip(np.floor((min(y1, y2) - max_m - grid.y0) / grid.cell_m), 0, grid.ny))
        r1 = int(np.clip(np.ceil((max(y1, y2) + max_m - grid.y0) / grid.cell_m), 0, grid.ny))
        if c1 <= c0 or r1 <= r0:
            continue
        px, py = np.meshgrid(cx[c0:c1], cy[r0:r1])
        dx, dy = x2 - x1, y2 - y1
        length2 = dx * dx + dy * dy
        t = np.clip(((px - x1) * dx + (py - y1) * dy) / length2, 0, 1) if length2 > 0 else 0.0
        d = np.hypot(px - (x1 + t * dx), py - (y1 + t * dy))
        np.minimum(out[r0:r1, c0:c1], d, out=out[r0:r1, c0:c1])
    out[out > max_m] = np.inf
    return out
