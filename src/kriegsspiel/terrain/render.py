"""A terrain picture in pure numpy: land-cover colours, hill shading, roads and borders.

The image's row 0 is the **northern** edge (image convention), the reverse of the raster's
rows; :func:`render` returns the ``(x0, x1, y0, y1)`` extent in local metres with it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.terrain.features import LandCover

if TYPE_CHECKING:
    from kriegsspiel.terrain.raster import Terrain

__all__ = ["COVER_RGB", "hillshade", "render"]

COVER_RGB: Final = MappingProxyType(
    {
        LandCover.MEADOW: (206, 214, 160),
        LandCover.MARSH: (160, 190, 160),
        LandCover.FOREST: (110, 150, 95),
        LandCover.SCRUB: (170, 180, 120),
        LandCover.VILLAGE: (200, 170, 150),
        LandCover.BARE: (215, 200, 175),
        LandCover.WATER: (120, 165, 215),
        LandCover.RIVER: (100, 150, 210),
    }
)
ROAD_RGB: Final = (120, 90, 60)
BORDER_RGB: Final = (200, 30, 30)


def hillshade(
    elevation: NDArray[np.float64], cell_m: float, azimuth_deg: float = 315.0, sun_deg: float = 45.0
) -> NDArray[np.float64]:
    """Lambertian shading in [0, 1] for a sun at ``azimuth_deg`` (from north), ``sun_deg`` up.

    ``elevation`` rows run south to north (row 0 south), as in :class:`Terrain`.
    """
    dz_dy, dz_dx = np.gradient(elevation, cell_m)
    az, alt = np.radians(azimuth_deg), np.radians(sun_deg)
    sun = np.array([np.sin(az) * np.cos(alt), np.cos(az) * np.cos(alt), np.sin(alt)])
    norm = np.sqrt(dz_dx**2 + dz_dy**2 + 1.0)
    shade = (-dz_dx * sun[0] - dz_dy * sun[1] + sun[2]) / norm
    clipped: NDArray[np.float64] = np.clip(shade, 0.0, 1.0)
    return clipped


def render(terrain: Terrain) -> tuple[NDArray[np.uint8], tuple[float, float, float, float]]:
    """RGB image ``(rows, cols, 3)`` uint8 of the terrain (north up) and its extent in metres."""
    lookup = np.array([COVER_RGB[c] for c in LandCover], dtype=np.float64)
    base = lookup[terrain.cover_class]
    shade = hillshade(terrain.elevation, terrain.grid.cell_m)
    flat_shade = np.sin(np.radians(45.0))
    rgb = base * np.clip(0.55 + 0.45 * shade / flat_shade, 0.0, 1.3)[..., None]
    rgb[terrain.road > 0] = ROAD_RGB
    for mask in terrain.borders.values():
        rgb[mask] = BORDER_RGB
    image = np.clip(rgb, 0, 255).astype(np.uint8)[::-1]
    g = terrain.grid
    return np.ascontiguousarray(image), (g.x0, -g.x0, g.y0, -g.y0)
