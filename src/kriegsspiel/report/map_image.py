"""A terrain picture for the replay, in pure numpy: tinted relief, hill shading, contours."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kriegsspiel.errors import InputError

RGB = tuple[int, int, int]

_LOW: RGB = (214, 226, 196)
_HIGH: RGB = (196, 170, 128)
_CONTOUR: RGB = (120, 92, 60)


def relief_image(
    elevation: npt.NDArray[np.floating],
    cell_m: float,
    cover: npt.NDArray[np.integer] | None = None,
    cover_colors: dict[int, RGB] | None = None,
    contour_m: float = 20.0,
) -> npt.NDArray[np.uint8]:
    """An RGB image (row 0 = north) of a south-up ``elevation`` grid (row 0 = south).

    Elevation is tinted from green lowland to brown heights, shaded by a light from the
    north-west, and drawn with a contour every ``contour_m`` metres (heavier every fifth).
    Cells whose ``cover`` code has a colour in ``cover_colors`` (water, marsh, ...) take it.
    """
    elev = np.asarray(elevation, dtype=np.float64)
    if elev.ndim != 2 or min(elev.shape) < 2 or not np.all(np.isfinite(elev)):
        raise InputError("terrain.elevation", "a finite 2-D grid of at least 2 x 2 cells")
    if cell_m <= 0 or contour_m <= 0:
        raise InputError("terrain.cell_m", "a positive cell size and contour interval")
    elev = elev[::-1]  # north up
    lo, hi = float(elev.min()), float(elev.max())
    t = (elev - lo) / (hi - lo) if hi > lo else np.zeros_like(elev)
    low, high = np.array(_LOW, np.float64), np.array(_HIGH, np.float64)
    rgb = low + (high - low) * t[..., None]
    gy, gx = np.gradient(elev, cell_m)
    # Light from the north-west, 45 degrees up; image rows run north to south.
    nx, ny, nz = -gx, gy, np.ones_like(elev)
    norm = np.sqrt(nx * nx + ny * ny + nz * nz)
    light = np.array([-1.0, 1.0, np.sqrt(2.0)]) / 2.0
    shade = (nx * light[0] + ny * light[1] + nz * light[2]) / norm
    rgb *= (0.55 + 0.6 * np.clip(shade, 0, 1))[..., None]
    rgb = draw_contours(rgb, elev, contour_m)
    if cover is not None and cover_colors:
        codes = np.asarray(cover)[::-1]
        if codes.shape != elev.shape:
            raise InputError("terrain.cover", f"a grid shaped {elev.shape}", codes.shape)
        for code, color in cover_colors.items():
            rgb[codes == code] = color
    return np.clip(rgb, 0, 255).astype(np.uint8)


def draw_contours(
    rgb: npt.NDArray[np.floating] | npt.NDArray[np.uint8],
    elevation: npt.NDArray[np.float64],
    contour_m: float,
) -> npt.NDArray[np.float64]:
    """``rgb`` with a contour every ``contour_m`` metres (heavier every fifth) of ``elevation``.

    Both arrays are in the same row order; the result is float RGB.
    """
    out = np.asarray(rgb, dtype=np.float64).copy()
    minor, major = _edges(elevation, contour_m), _edges(elevation, 5 * contour_m)
    out[minor] = out[minor] * 0.6 + np.array(_CONTOUR) * 0.4
    out[major] = np.array(_CONTOUR, np.float64)
    return out


def _edges(elev: npt.NDArray[np.float64], step: float) -> npt.NDArray[np.bool_]:
    """Cells where the ``step``-metre height band changes towards a neighbour."""
    band = np.floor(elev / step)
    edge = np.zeros(elev.shape, dtype=bool)
    edge[:-1, :] |= band[:-1, :] != band[1:, :]
    edge[:, :-1] |= band[:, :-1] != band[:, 1:]
    return edge
