"""Geometry checks on the map frame: on the map, in the water, where a place is."""

from __future__ import annotations

from collections.abc import Sequence

from kriegsspiel.scenario.places import Place
from kriegsspiel.terrain.features import LandCover, TerrainSpec
from kriegsspiel.terrain.geo import LocalGrid


def grid(terrain: TerrainSpec) -> LocalGrid:
    """The terrain's local metric grid (the map frame)."""
    w, h = terrain.size_m
    return LocalGrid(terrain.anchor.lat, terrain.anchor.lon, w, h, terrain.cell_m)


def in_frame(terrain: TerrainSpec, lat: float, lon: float) -> bool:
    """Whether the point lies on the map (inclusive of the edges)."""
    x, y = grid(terrain).to_xy(lat, lon)
    w, h = terrain.size_m
    return bool(abs(float(x)) <= w / 2 and abs(float(y)) <= h / 2)


def point_in_polygon(lat: float, lon: float, ring: Sequence[tuple[float, float]]) -> bool:
    """Even-odd ray casting on (lat, lon) vertices; the ring closes itself."""
    inside = False
    n = len(ring)
    for i in range(n):
        y1, x1 = ring[i]
        y2, x2 = ring[(i + 1) % n]
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x_cross:
                inside = not inside
    return inside


def water_at(terrain: TerrainSpec, lat: float, lon: float) -> str | None:
    """The id of the water polygon containing the point, if any."""
    for poly in terrain.polygons:
        if poly.cover is LandCover.WATER and point_in_polygon(lat, lon, poly.vertices):
            return poly.id
    return None


def resolve(terrain: TerrainSpec, place: Place) -> tuple[float, float]:
    """Latitude and longitude of a place (KeyError for an unknown terrain point)."""
    if place.point is not None:
        base = terrain.point(place.point)
        lat, lon = base.lat, base.lon
    else:
        assert place.lat is not None and place.lon is not None
        lat, lon = place.lat, place.lon
    if place.east_m or place.north_m:
        g = grid(terrain)
        x, y = g.to_xy(lat, lon)
        la, lo = g.to_latlon(float(x) + place.east_m, float(y) + place.north_m)
        lat, lon = float(la), float(lo)
    return lat, lon
