"""The replay's map from a ``kriegsspiel.terrain`` ``Terrain``: relief image and named features."""

from __future__ import annotations

from typing import Any

import numpy as np

from kriegsspiel.report.map_image import RGB, relief_image
from kriegsspiel.report.replay_data import MapFeature, MapImage

#: Land-cover classes painted flat over the relief, by their ``LandCover`` value.
COVER_COLORS: dict[str, RGB] = {
    "water": (150, 190, 225),
    "river": (120, 170, 215),
    "marsh": (176, 201, 170),
    "forest": (150, 180, 130),
    "village": (200, 180, 160),
}
_AREA_KIND = {"water": "lake", "marsh": "marsh", "forest": "forest", "village": "village"}


def map_from_terrain(terrain: Any) -> tuple[MapImage, tuple[MapFeature, ...]]:
    """The terrain picture and its named features (areas, lines, hills, points) in local metres."""
    from kriegsspiel.terrain import LandCover

    grid, spec = terrain.grid, terrain.spec
    colors = {LandCover(name).code: rgb for name, rgb in COVER_COLORS.items()}
    contour = 10.0 if float(np.ptp(terrain.elevation)) < 300 else 50.0
    rgb = relief_image(terrain.elevation, grid.cell_m, terrain.cover_class, colors, contour)
    extent = (grid.x0, grid.x0 + grid.nx * grid.cell_m, grid.y0, grid.y0 + grid.ny * grid.cell_m)

    def xy(vertices: list[tuple[float, float]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        lat, lon = np.asarray(vertices, dtype=np.float64).T
        x, y = grid.to_xy(lat, lon)
        out: np.ndarray[Any, np.dtype[np.float64]] = np.c_[x, y]
        return out

    features: list[MapFeature] = []
    for area in spec.polygons:
        kind = _AREA_KIND.get(str(area.cover.value), str(area.cover.value))
        features.append(MapFeature(kind, area.id.replace("-", " "), xy(area.vertices), True))
    for line in spec.lines:
        kind = "road" if line.kind.value in ("road", "track") else str(line.kind.value)
        features.append(MapFeature(kind, "", xy(line.vertices)))
    for hill in spec.hills:
        lat, lon = _latlon(spec, hill.peak)
        height = f"{hill.height_m.value:.0f} m" if hill.height_m is not None else ""
        features.append(
            MapFeature("hill", _name(spec, hill.peak, hill.id), xy([(lat, lon)]), label=height)
        )
    hill_peaks = {h.peak for h in spec.hills if isinstance(h.peak, str)}
    for point in spec.points:
        if point.id in hill_peaks or point.height_m is None:
            continue
        features.append(
            MapFeature(
                "point",
                point.name or point.id,
                xy([(point.lat, point.lon)]),
                label=f"{point.height_m.value:.0f} m",
            )
        )
    return MapImage(rgb, extent), tuple(features)


def _latlon(spec: Any, place: Any) -> tuple[float, float]:
    located = spec.locate(place)
    return float(located.lat), float(located.lon)


def _name(spec: Any, place: Any, fallback: str) -> str:
    if isinstance(place, str):
        point = spec.point(place)
        return str(point.name or point.id)
    return fallback.replace("-", " ")
