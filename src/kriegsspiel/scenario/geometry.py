"""Plane geometry on the map frame: local metres from the anchor, point in polygon, places."""

from __future__ import annotations

import math
from collections.abc import Sequence

from kriegsspiel.scenario.places import Place
from kriegsspiel.scenario.terrain_fallback import TerrainSpec

M_PER_DEG_LAT = 111_195.0
"""Metres per degree of latitude (spherical Earth, R = 6,371 km)."""


def to_local(terrain: TerrainSpec, lat: float, lon: float) -> tuple[float, float]:
    """(east, north) in metres from the map anchor (equirectangular; fine for a few km)."""
    k = M_PER_DEG_LAT * math.cos(math.radians(terrain.anchor.lat))
    return (lon - terrain.anchor.lon) * k, (lat - terrain.anchor.lat) * M_PER_DEG_LAT


def to_latlon(terrain: TerrainSpec, east: float, north: float) -> tuple[float, float]:
    """Inverse of :func:`to_local`."""
    k = M_PER_DEG_LAT * math.cos(math.radians(terrain.anchor.lat))
    return terrain.anchor.lat + north / M_PER_DEG_LAT, terrain.anchor.lon + east / k


def in_frame(terrain: TerrainSpec, lat: float, lon: float) -> bool:
    """Whether the point lies on the map (inclusive of the edges)."""
    east, north = to_local(terrain, lat, lon)
    half_w, half_h = terrain.size_m[0] / 2, terrain.size_m[1] / 2
    return abs(east) <= half_w and abs(north) <= half_h


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
        if poly.kind == "water" and point_in_polygon(lat, lon, poly.vertices):
            return poly.id
    return None


def resolve(terrain: TerrainSpec, place: Place) -> tuple[float, float]:
    """Latitude and longitude of a place (KeyError for an unknown terrain point)."""
    if place.point is not None:
        pts = {p.id: p for p in terrain.points}
        base = pts[place.point]
        lat, lon = base.lat, base.lon
    else:
        assert place.lat is not None and place.lon is not None
        lat, lon = place.lat, place.lon
    if place.east_m or place.north_m:
        east, north = to_local(terrain, lat, lon)
        lat, lon = to_latlon(terrain, east + place.east_m, north + place.north_m)
    return lat, lon
