"""Contour lines for the replay's terrain picture, in pure numpy."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RGB = tuple[int, int, int]

_CONTOUR: RGB = (120, 92, 60)


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
