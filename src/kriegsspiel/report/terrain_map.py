"""The replay's map from a ``kriegsspiel.terrain`` ``Terrain``: relief image and named features."""

from __future__ import annotations

from typing import Any

import numpy as np

from kriegsspiel.report.map_image import draw_contours
from kriegsspiel.report.replay_data import MapFeature, MapImage

_AREA_KIND = {"water": "lake", "marsh": "marsh", "forest": "forest", "village": "village"}


def map_from_terrain(terrain: Any) -> tuple[MapImage, tuple[MapFeature, ...]]:
    """The terrain's own picture with contours, and its named features, in local metres."""
    from kriegsspiel.terrain.render import render

    grid, spec = terrain.grid, terrain.spec
    image, extent = render(terrain)
    elevation = np.asarray(terrain.elevation, dtype=np.float64)[::-1]
    contour = 10.0 if float(np.ptp(elevation)) < 300 else 50.0
    rgb = np.clip(draw_contours(image, elevation, contour), 0, 255).astype(np.uint8)

    def xy(vertices: list[tuple[float, float]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        lat, lon = np.asarray(vertices, dtype=np.float64).T
        x, y = grid.to_xy(lat, lon)
        out: np.ndarray[Any, np.dtype[np.float64]] = np.c_[x, y]
        return out

    features: list[MapFeature] = []
    for area in spec.polygons:
        kind = _AREA_KIND.get(str(area.cover.value), str(area.cover.value))
        features.append(MapFeature(kind, _pretty(area.id), xy(area.vertices), True))
    for line in spec.lines:
        kind = "road" if line.kind.value in ("road", "track") else str(line.kind.value)
        name = _pretty(line.id) if kind in ("border", "river") else ""
        features.append(MapFeature(kind, name, xy(line.vertices)))
    for hill in spec.hills:
        lat, lon = _latlon(spec, hill.peak)
        metres = hill.height_m or (
            spec.point(hill.peak).height_m if isinstance(hill.peak, str) else None
        )
        height = f"{metres.value:.0f} m" if metres is not None else ""
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
    x0, x1, y0, y1 = (float(v) for v in extent)
    return MapImage(rgb, (x0, x1, y0, y1)), tuple(features)


def _pretty(ident: str) -> str:
    """``LAKE_KHASAN`` or ``lake-khasan`` as ``Lake Khasan``."""
    words = ident.replace("_", " ").replace("-", " ").split()
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in words)


def _latlon(spec: Any, place: Any) -> tuple[float, float]:
    located = spec.locate(place)
    return float(located.lat), float(located.lon)


def _name(spec: Any, place: Any, fallback: str) -> str:
    if isinstance(place, str):
        point = spec.point(place)
        return str(point.name or point.id)
    return _pretty(fallback)
