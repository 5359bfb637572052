"""The ``[terrain]`` section's model until ``kriegsspiel.terrain.features`` provides TerrainSpec.

Vertices are ``[lat, lon]`` pairs; every feature names a source or is an assumption.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from kriegsspiel.scenario.quantity import Frozen, Id, Name, Provenance, Quantity

MAX_VERTICES = 5000
MAX_FEATURES = 500

Extent = Annotated[float, Field(gt=0, le=200_000)]
LatLon = tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]]


class Anchor(Frozen):
    """The map centre."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class TerrainPoint(Provenance):
    """A named point (a summit, a marker, a village)."""

    id: Id
    name: Name | None = None
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    height_m: Quantity | None = None


class TerrainPolygon(Provenance):
    """An area of one land cover (closed ring; the last vertex joins the first)."""

    id: Id
    kind: Literal["water", "marsh", "forest", "village", "meadow", "hill"]
    vertices: list[LatLon] = Field(min_length=3, max_length=MAX_VERTICES)


class TerrainLine(Provenance):
    """A river, road, track, ridge or border line (vertices in order)."""

    id: Id
    kind: Literal["river", "road", "track", "border", "ridge"]
    vertices: list[LatLon] = Field(min_length=2, max_length=MAX_VERTICES)


class TerrainSpec(Frozen):
    """The map frame and its vector features."""

    anchor: Anchor
    size_m: tuple[Extent, Extent]
    cell_m: float = Field(gt=0, le=1000)
    points: list[TerrainPoint] = Field(default_factory=list, max_length=MAX_FEATURES)
    polygons: list[TerrainPolygon] = Field(default_factory=list, max_length=MAX_FEATURES)
    lines: list[TerrainLine] = Field(default_factory=list, max_length=MAX_FEATURES)
