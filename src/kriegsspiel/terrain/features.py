"""The ``[terrain]`` section of a scenario file: immutable pydantic models of the map features.

A map is a rectangle of ``size_m`` metres centred on ``anchor`` (lat/lon), cut into square cells
of ``cell_m`` metres. It is painted from vector features (see ``docs/terrain.md``):

* ``points``: named places with an optional height (hill summits, crests, markers).
* ``hills``: a peak (a point id or lat/lon) with a radial height profile ``[[distance_m,
  height_m], ...]``; optionally one profile per bearing (interpolated between bearings) and an
  elliptical footprint (``axis_deg``, ``aspect``).
* ``ridges``: a crest polyline with a height at each vertex, falling to the base over
  ``half_width_m`` on each side (saddles between hills, spurs).
* ``polygons``: areas of one land-cover class (water, marsh, forest, village, ...), with an
  optional flat ``surface_m`` (lake level, marsh level).
* ``lines``: rivers (with ``width_m`` and optional fords), roads, tracks and borders, with ids.
* ``dem``: optionally, an elevation GeoTIFF whose heights replace those of the base, land
  surfaces, hills and ridges (see :mod:`kriegsspiel.terrain.dem`).

Every feature carries its provenance: ``source = "KEY"`` (a key of ``[sources]``) or
``assumption = true`` (with a ``note``); that covers its geometry (vertices, profiles, widths of
ridges). Figures that matter on their own (point and hill heights, water levels, river widths,
speeds) are :class:`~kriegsspiel.scenario.quantity.Quantity` tables ``{value, source}`` or
``{value, assumption = true, low, high}`` so that sensitivity analysis can vary them.
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    model_serializer,
    model_validator,
)

from kriegsspiel.scenario.quantity import Frozen, Id, Provenance, Quantity

__all__ = [
    "Area",
    "Bearing",
    "Dem",
    "Hill",
    "LandCover",
    "LatLon",
    "Line",
    "LineKind",
    "Mobility",
    "Place",
    "Point",
    "Quantity",
    "Ridge",
    "TerrainSpec",
    "value_of",
]

MAX_FEATURES = 2_000
MAX_VERTICES = 20_000
MAX_CELLS = 4_000_000


def _no_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


Finite = Annotated[float, BeforeValidator(_no_bool), Field(allow_inf_nan=False)]


def value_of(number: float | Quantity) -> float:
    """Return the plain value of a :class:`Quantity` (or of a plain number)."""
    return float(number.value) if isinstance(number, Quantity) else float(number)


class LandCover(StrEnum):
    """Land-cover classes; the integer code of a class is its position in this enum."""

    MEADOW = "meadow"
    MARSH = "marsh"
    FOREST = "forest"
    SCRUB = "scrub"
    VILLAGE = "village"
    BARE = "bare"
    WATER = "water"
    RIVER = "river"

    @property
    def code(self) -> int:
        """Integer code used in the land-cover raster."""
        return list(LandCover).index(self)


class Mobility(StrEnum):
    """Mobility types; the integer code is the position in this enum."""

    FOOT = "foot"
    TRACKED = "tracked"
    WHEELED = "wheeled"

    @property
    def code(self) -> int:
        """Integer code used by the movement layers."""
        return list(Mobility).index(self)


class LineKind(StrEnum):
    """Kinds of line features."""

    RIVER = "river"
    ROAD = "road"
    TRACK = "track"
    BORDER = "border"


class LatLon(Frozen):
    """A WGS-84 position in decimal degrees."""

    lat: Finite = Field(ge=-89.0, le=89.0)
    lon: Finite = Field(ge=-180.0, le=180.0)


Vertex = tuple[Annotated[float, Field(ge=-89.0, le=89.0)], Annotated[float, Field(ge=-180, le=180)]]
"""A ``[lat, lon]`` pair."""


class Point(Provenance):
    """A named place, optionally with its height above sea level."""

    id: Id
    name: str | None = Field(default=None, max_length=200)
    lat: Finite = Field(ge=-89.0, le=89.0)
    lon: Finite = Field(ge=-180.0, le=180.0)
    height_m: Quantity | None = None


Place = Id | LatLon
"""A position: the id of a point, or an inline ``{lat, lon}``."""

Height = Annotated[float, Field(ge=-500, le=9000, allow_inf_nan=False)]
Profile = Annotated[
    list[tuple[Annotated[float, Field(ge=0, le=50_000)], Height]],
    Field(min_length=2, max_length=200),
]
"""Radial profile ``[[distance_m, height_m], ...]``: distances start at 0 and increase."""


def _check_profile(profile: list[tuple[float, float]], what: str) -> None:
    distances = [d for d, _ in profile]
    if distances[0] != 0:
        raise ValueError(f"{what} must start at distance 0")
    if any(b <= a for a, b in itertools.pairwise(distances)):
        raise ValueError(f"{what} distances must increase strictly")


class Bearing(Frozen):
    """A radial profile that holds along one bearing (degrees clockwise from north)."""

    bearing_deg: Finite = Field(ge=0, lt=360)
    profile: Profile

    @model_validator(mode="after")
    def _valid(self) -> Self:
        _check_profile(self.profile, "profile")
        return self


class Hill(Provenance):
    """A hill: a peak, its height and its shape.

    Heights in profiles are metres above sea level. If ``height_m`` (or the peak point's height)
    differs from the profile's height at distance 0, the profile is scaled so the summit matches
    it. With ``axis_deg``/``aspect`` distances are measured on an ellipse whose long axis points
    along ``axis_deg``; the profile distances then hold along the long axis.
    """

    id: Id
    peak: Place
    height_m: Quantity | None = None
    profile: Profile | None = None
    bearings: list[Bearing] | None = Field(default=None, min_length=2, max_length=36)
    axis_deg: Finite = Field(default=0.0, ge=0, lt=180)
    aspect: Finite = Field(default=1.0, gt=0.05, le=1.0)
    cover: LandCover | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if (self.profile is None) == (self.bearings is None):
            raise ValueError("give exactly one of profile or bearings")
        if self.profile is not None:
            _check_profile(self.profile, "profile")
        if self.bearings is not None:
            angles = [b.bearing_deg for b in self.bearings]
            if len(set(angles)) != len(angles):
                raise ValueError("bearings must be distinct")
        return self


class Ridge(Provenance):
    """A crest line: a height at each vertex, falling linearly to nothing at ``half_width_m``."""

    id: Id
    vertices: list[Vertex] = Field(min_length=2, max_length=MAX_VERTICES)
    heights_m: list[Height]
    half_width_m: Finite = Field(gt=0, le=50_000)

    @model_validator(mode="after")
    def _heights(self) -> Self:
        if len(self.heights_m) != len(self.vertices):
            raise ValueError("heights_m needs one height per vertex")
        return self


class Area(Provenance):
    """A polygon of one land-cover class (the ring closes itself)."""

    id: Id
    cover: LandCover
    vertices: list[Vertex] = Field(min_length=3, max_length=MAX_VERTICES)
    surface_m: Quantity | None = None


class Line(Provenance):
    """A river, road, track or border polyline."""

    id: Id
    kind: LineKind
    vertices: list[Vertex] = Field(min_length=2, max_length=MAX_VERTICES)
    width_m: Quantity | None = None
    surface_m: Quantity | None = None
    fords: list[Place] = Field(default_factory=list, max_length=100)
    extend_to_edge: bool = True

    @model_validator(mode="after")
    def _kind(self) -> Self:
        if self.width_m is not None and value_of(self.width_m) <= 0:
            raise ValueError("width_m must be > 0")
        if self.fords and self.kind is not LineKind.RIVER:
            raise ValueError("only a river has fords")
        return self


class Dem(Provenance):
    """An elevation GeoTIFF: where it is, what it is pinned to, and what to do where it ends.

    Attributes:
        path: the file, relative to the scenario file's folder (or absolute).
        sha256: the file's SHA-256 (hex); required when the file is read, so the scenario's
            content hash pins the elevations (the error names the file's digest).
        nodata: the value that marks missing pixels when the file carries no GDAL_NODATA tag.
        outside: ``"error"`` (default): every map cell must be covered by valid pixels;
            ``"features"``: uncovered cells keep the elevation built from the features.
    """

    path: str = Field(min_length=1, max_length=500)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-fA-F]{64}$")
    nodata: Finite | None = None
    outside: Literal["error", "features"] = "error"


Extent = Annotated[float, Field(ge=100, le=200_000)]
SpeedTable = dict[Mobility, dict[LandCover | Literal["road", "track", "ford"], Quantity]]


class TerrainSpec(Frozen):
    """The whole ``[terrain]`` section."""

    anchor: LatLon
    size_m: tuple[Extent, Extent]
    cell_m: Finite = Field(ge=1.0, le=1000.0)
    base_cover: LandCover = LandCover.MEADOW
    base_elevation_m: Finite = Field(default=5.0, ge=-500, le=9000)
    points: list[Point] = Field(default_factory=list, max_length=MAX_FEATURES)
    hills: list[Hill] = Field(default_factory=list, max_length=MAX_FEATURES)
    ridges: list[Ridge] = Field(default_factory=list, max_length=MAX_FEATURES)
    polygons: list[Area] = Field(default_factory=list, max_length=MAX_FEATURES)
    lines: list[Line] = Field(default_factory=list, max_length=MAX_FEATURES)
    speeds_kmh: SpeedTable = Field(default_factory=dict)
    geojson: str | None = Field(default=None, max_length=500)
    dem: Dem | None = None
    _base_dir: Path | None = PrivateAttr(default=None)

    @property
    def base_dir(self) -> Path | None:
        """Folder of the scenario file (``geojson`` and ``dem.path`` are relative to it)."""
        return self._base_dir

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        # without a DEM the dump (and so the content hash) is that of a file without the key
        data: dict[str, object] = handler(self)
        if self.dem is None:
            data.pop("dem", None)
        return data

    @model_validator(mode="after")
    def _folder(self, info: ValidationInfo) -> Self:
        folder = (info.context or {}).get("base_dir")
        if folder is not None:
            self._base_dir = Path(folder)
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        w, h = self.size_m
        if (w / self.cell_m) * (h / self.cell_m) > MAX_CELLS:
            raise ValueError(f"size_m / cell_m gives more than {MAX_CELLS} cells")
        ids = [
            f.id
            for group in (self.points, self.hills, self.ridges, self.polygons, self.lines)
            for f in group
        ]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate feature id(s): {', '.join(dupes)}")
        point_ids = {p.id for p in self.points}
        refs = [h.peak for h in self.hills] + [f for ln in self.lines for f in ln.fords]
        unknown = sorted({r for r in refs if isinstance(r, str) and r not in point_ids})
        if unknown:
            raise ValueError(f"unknown point id(s): {', '.join(unknown)}")
        return self

    def point(self, point_id: str) -> Point:
        """Return the point named ``point_id``."""
        for p in self.points:
            if p.id == point_id:
                return p
        raise KeyError(point_id)

    def line(self, line_id: str) -> Line:
        """Return the line named ``line_id``."""
        for ln in self.lines:
            if ln.id == line_id:
                return ln
        raise KeyError(line_id)

    def locate(self, place: str | LatLon) -> LatLon:
        """Resolve a :data:`Place` (a point id or an inline lat/lon) to a position."""
        if isinstance(place, LatLon):
            return place
        p = self.point(place)
        return LatLon(lat=p.lat, lon=p.lon)

    def source_keys(self) -> set[str]:
        """Every source key used anywhere in the terrain (for the ``[sources]`` check)."""
        keys: set[str] = set()

        def walk(obj: object) -> None:
            if isinstance(obj, BaseModel):
                src = getattr(obj, "source", None)
                if isinstance(src, str):
                    keys.add(src)
                for name in type(obj).model_fields:
                    walk(getattr(obj, name))
            elif isinstance(obj, list | tuple):
                for item in obj:
                    walk(item)
            elif isinstance(obj, dict):
                for item in obj.values():
                    walk(item)

        walk(self)
        return keys
