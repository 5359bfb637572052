"""The terrain raster: layers built from a :class:`~kriegsspiel.terrain.features.TerrainSpec`.

Paint order (later layers win; khasan-terrain.md §7): base cover and height -> land polygons
(marsh, forest, village, ...; file order) -> hills and ridges (elevation, maximum with the
ground) -> the DEM, if any (its heights replace the elevation built so far) -> water polygons
(lakes) -> rivers -> roads, tracks and fords -> borders (barriers).
Where a hill or ridge lifts the ground more than :data:`HILL_COVER_RISE_M` above the painted
ground, its cover becomes the hill's ``cover`` (default: the base cover), so the slopes of a hill
that reach into a marsh polygon are dry ground.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.errors import InputError
from kriegsspiel.terrain.borders import Compass, allowed_region
from kriegsspiel.terrain.dem import dem_elevation
from kriegsspiel.terrain.features import (
    LandCover,
    LatLon,
    LineKind,
    Mobility,
    TerrainSpec,
    value_of,
)
from kriegsspiel.terrain.geo import LocalGrid
from kriegsspiel.terrain.rasterize import (
    distance_to_polyline,
    extend_to_edges,
    polygon_mask,
    polyline_cells,
)
from kriegsspiel.terrain.relief import hill_surface, ridge_surface
from kriegsspiel.terrain.tables import (
    CONCEALMENT,
    COVER,
    DEFAULT_SPEEDS_KMH,
    MAX_SLOPE_DEG,
    SLOPE_COVER_BONUS,
)

__all__ = ["HILL_COVER_RISE_M", "ROAD", "TRACK", "SideBorder", "Terrain", "build_terrain"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

HILL_COVER_RISE_M = 2.0
"""A hill that lifts the ground by more than this replaces the cover under it."""

TRACK = 1
ROAD = 2
"""Codes of the ``road`` layer (0: none)."""

FOOT_MIN_SLOPE_FACTOR = 0.1
"""Walkers keep at least this fraction of their speed on any slope up to the limit."""


@dataclass(frozen=True)
class SideBorder:
    """The border rule of one side: the line it may not cross and where its home lies.

    Attributes:
        line: id of a ``border`` line in the terrain.
        home: ``"east"``/``"west"``/``"north"``/``"south"`` of the line, a point id, or a
            position.
    """

    line: str
    home: str | LatLon


@dataclass(frozen=True, eq=False)
class Terrain:
    """Raster layers on a :class:`LocalGrid` (arrays indexed ``[row, col]``, row 0 = south).

    Attributes:
        grid: the map frame and coordinate conversions.
        elevation: ground height above sea level (m).
        cover_class: land-cover code (:attr:`LandCover.code`) of each cell.
        road: 0 none, :data:`TRACK`, :data:`ROAD`.
        ford: cells of a river that can be waded or driven through.
        slope_deg: steepest slope (degrees) from central differences of the elevation.
        speed_kmh: shape ``(len(Mobility), rows, cols)``, speed by mobility code; 0 = impassable.
        cover: protection from direct fire, 0 to 1.
        concealment: reduction of the chance of detection, 0 to 1.
        borders: barrier cells of each border line, by line id.
        no_go: cells each side may not enter, by side name (the border rule).
        points: ``(x, y)`` of each named point, by id.
        spec: the features the layers were built from.
    """

    grid: LocalGrid
    elevation: FloatArray
    cover_class: NDArray[np.int8]
    road: NDArray[np.int8]
    ford: BoolArray
    slope_deg: FloatArray
    speed_kmh: NDArray[np.float32]
    cover: NDArray[np.float32]
    concealment: NDArray[np.float32]
    borders: Mapping[str, BoolArray]
    no_go: Mapping[str, BoolArray]
    points: Mapping[str, tuple[float, float]]
    spec: TerrainSpec
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """Raster shape ``(rows, cols)``."""
        return self.grid.shape

    def sample(self, layer: NDArray[Any], x: FloatArray, y: FloatArray) -> NDArray[Any]:
        """Values of a 2-D ``layer`` at positions ``(x, y)`` (nearest cell, any array shape)."""
        row, col = self.grid.to_cell(x, y)
        return layer[row, col]

    def speed_at(
        self, x: FloatArray, y: FloatArray, mobility: NDArray[np.integer[Any]]
    ) -> FloatArray:
        """Local speed (km/h) at ``(x, y)`` for mobility codes ``mobility`` (broadcast shapes).

        Positions may be any shape, e.g. ``(reps, units)``; ``mobility`` broadcasts against
        them (e.g. shape ``(units,)``).
        """
        row, col = self.grid.to_cell(x, y)
        mob = np.broadcast_to(np.asarray(mobility, dtype=np.intp), row.shape)
        return self.speed_kmh[mob, row, col].astype(np.float64)

    def passable(self, mobility: Mobility, side: str | None = None) -> BoolArray:
        """Cells a unit of ``mobility`` (of ``side``, if bound by a border) may stand in."""
        ok: BoolArray = self.speed_kmh[mobility.code] > 0
        if side is not None and side in self.no_go:
            ok = ok & ~self.no_go[side]
        return ok

    def no_go_for(self, border: SideBorder) -> BoolArray:
        """The no-go mask for a border rule (cached by line and home)."""
        key = ("no_go", border.line, str(border.home))
        if key not in self._cache:
            self._cache[key] = _no_go(self, border)
        mask: BoolArray = self._cache[key]
        return mask


def build_terrain(
    spec: TerrainSpec,
    sides: Mapping[str, SideBorder] | None = None,
    base_dir: Path | None = None,
) -> Terrain:
    """Paint the raster layers from ``spec`` (see the module docstring for the order).

    Args:
        spec: the ``[terrain]`` section.
        sides: border rules by side name; their no-go masks go into :attr:`Terrain.no_go`.
        base_dir: folder that relative ``geojson`` and ``dem.path`` paths are read from
            (default: the scenario file's folder, else the working directory).

    Raises:
        InputError: a border rule names an unknown line or a home on the line, or the
            GeoJSON or DEM file is unusable.
    """
    folder = base_dir or spec.base_dir or Path.cwd()
    spec = _with_imports(spec, folder)
    grid = LocalGrid(spec.anchor.lat, spec.anchor.lon, spec.size_m[0], spec.size_m[1], spec.cell_m)
    elevation = np.full(grid.shape, spec.base_elevation_m)
    cover = np.full(grid.shape, spec.base_cover.code, dtype=np.int8)

    def xy(vertices: list[tuple[float, float]]) -> tuple[FloatArray, FloatArray]:
        lat = np.array([v[0] for v in vertices])
        lon = np.array([v[1] for v in vertices])
        return grid.to_xy(lat, lon)

    land = [a for a in spec.polygons if a.cover is not LandCover.WATER]
    water = [a for a in spec.polygons if a.cover is LandCover.WATER]
    for area in land:
        inside = polygon_mask(grid, *xy(area.vertices))
        cover[inside] = area.cover.code
        if area.surface_m is not None:
            elevation[inside] = value_of(area.surface_m)
    ground = elevation.copy()
    for hill in spec.hills:
        lifted = hill_surface(grid, spec, hill)
        _raise(elevation, cover, ground, lifted, (hill.cover or spec.base_cover).code)
    for ridge in spec.ridges:
        lifted = ridge_surface(grid, ridge, spec.base_elevation_m)
        _raise(elevation, cover, ground, lifted, spec.base_cover.code)
    if spec.dem is not None:
        dem = dem_elevation(spec.dem, grid, folder)
        elevation = np.where(np.isnan(dem), elevation, dem)
    for area in water:
        inside = polygon_mask(grid, *xy(area.vertices))
        cover[inside] = LandCover.WATER.code
        if area.surface_m is not None:
            elevation[inside] = value_of(area.surface_m)
    ford = np.zeros(grid.shape, dtype=bool)
    road = np.zeros(grid.shape, dtype=np.int8)
    borders: dict[str, BoolArray] = {}
    for line in spec.lines:
        x, y = xy(line.vertices)
        if line.kind is LineKind.RIVER:
            width = value_of(line.width_m) if line.width_m is not None else grid.cell_m
            wet = polyline_cells(grid, x, y) | np.isfinite(
                distance_to_polyline(grid, x, y, width / 2.0)
            )
            cover[wet] = LandCover.RIVER.code
            if line.surface_m is not None:
                elevation[wet] = value_of(line.surface_m)
            for place in line.fords:
                at = spec.locate(place)
                fx, fy = grid.to_xy([at.lat], [at.lon])
                near = np.isfinite(distance_to_polyline(grid, fx.repeat(2), fy.repeat(2), width))
                ford |= near & wet
        elif line.kind in (LineKind.ROAD, LineKind.TRACK):
            code = ROAD if line.kind is LineKind.ROAD else TRACK
            on = polyline_cells(grid, x, y)
            if line.width_m is not None:
                on |= np.isfinite(distance_to_polyline(grid, x, y, value_of(line.width_m) / 2))
            road[on] = np.maximum(road[on], code)
        else:
            if line.extend_to_edge:
                x, y = extend_to_edges(grid, x, y)
            borders[line.id] = polyline_cells(grid, x, y)
    slope = np.degrees(np.arctan(np.hypot(*np.gradient(elevation, grid.cell_m))))
    terrain = Terrain(
        grid=grid,
        elevation=elevation,
        cover_class=cover,
        road=road,
        ford=ford,
        slope_deg=slope,
        speed_kmh=_speeds(spec, cover, road, ford, slope),
        cover=_by_class(COVER, cover)
        + np.float32(SLOPE_COVER_BONUS) * np.clip(slope / 30.0, 0, 1).astype(np.float32),
        concealment=_by_class(CONCEALMENT, cover),
        borders=borders,
        no_go={},
        points={p.id: _point_xy(grid, p.lat, p.lon) for p in spec.points},
        spec=spec,
    )
    if sides:
        no_go = {name: terrain.no_go_for(rule) for name, rule in sides.items()}
        object.__setattr__(terrain, "no_go", no_go)
    return terrain


def _point_xy(grid: LocalGrid, lat: float, lon: float) -> tuple[float, float]:
    x, y = grid.to_xy(lat, lon)
    return float(x), float(y)


def _raise(
    elevation: FloatArray,
    cover: NDArray[np.int8],
    ground: FloatArray,
    lifted: FloatArray,
    code: int,
) -> None:
    np.maximum(elevation, lifted, out=elevation)
    cover[lifted > ground + HILL_COVER_RISE_M] = code


def _by_class(table: Mapping[LandCover, float], cover: NDArray[np.int8]) -> NDArray[np.float32]:
    lookup = np.array([table[c] for c in LandCover], dtype=np.float32)
    values: NDArray[np.float32] = lookup[cover]
    return values


def _speeds(
    spec: TerrainSpec,
    cover: NDArray[np.int8],
    road: NDArray[np.int8],
    ford: BoolArray,
    slope: FloatArray,
) -> NDArray[np.float32]:
    out = np.empty((len(Mobility), *cover.shape), dtype=np.float32)
    for mob in Mobility:
        table: dict[Any, float] = dict(DEFAULT_SPEEDS_KMH[mob])
        table.update({k: value_of(v) for k, v in spec.speeds_kmh.get(mob, {}).items()})
        speed = np.array([table[c] for c in LandCover], dtype=np.float64)[cover]
        speed = np.where(road == TRACK, table["track"], speed)
        speed = np.where(road == ROAD, table["road"], speed)
        speed = np.where(ford, table["ford"], speed)
        limit = MAX_SLOPE_DEG[mob]
        if mob is Mobility.FOOT:
            factor = np.maximum(np.exp(-3.5 * np.tan(np.radians(slope))), FOOT_MIN_SLOPE_FACTOR)
            factor = np.where(slope < limit, factor, 0.0)
        else:
            factor = np.clip(1.0 - slope / limit, 0.0, 1.0)
        out[mob.code] = speed * factor
    return out


def _no_go(terrain: Terrain, border: SideBorder) -> BoolArray:
    what = f"border rule for line {border.line!r}"
    if border.line not in terrain.borders:
        raise InputError(what, "the id of a border line in [terrain]", border.line)
    home: Compass | tuple[int, int]
    if border.home in ("east", "west", "north", "south"):
        home = border.home  # type: ignore[assignment]
    else:
        at = terrain.spec.locate(border.home) if isinstance(border.home, LatLon) else None
        if at is None:
            try:
                at = terrain.spec.locate(str(border.home))
            except KeyError:
                expected = "home = east/west/north/south or a point id"
                raise InputError(what, expected, border.home) from None
        x, y = terrain.grid.to_xy(at.lat, at.lon)
        row, col = terrain.grid.to_cell(x, y)
        home = (int(row), int(col))
    return ~allowed_region(terrain.borders[border.line], home, what)


def _with_imports(spec: TerrainSpec, base_dir: Path) -> TerrainSpec:
    if spec.geojson is None:
        return spec
    from kriegsspiel.terrain.imports import merge_imports

    return merge_imports(spec, base_dir)
