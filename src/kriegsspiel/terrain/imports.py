"""GeoJSON features for the ``[terrain]`` section (``geojson = "features.geojson"``).

The file is a ``FeatureCollection`` in WGS-84 (``[lon, lat]`` order, RFC 7946). Each feature's
``properties`` give what a hand-written feature would: ``id`` (optional, default
``geojson-<n>``), provenance (``source`` or ``assumption = true``, required), and

* ``Polygon``/``MultiPolygon``: ``cover`` (a land-cover name), optional ``surface_m``;
  only exterior rings are used (holes are ignored);
* ``LineString``/``MultiLineString``: ``kind`` (river/road/track/border), optional ``width_m``;
* ``Point``: optional ``name`` and ``height_m``.

A numeric property is either a Quantity table or a plain number that takes the feature's
``source`` (an assumption needs the table, with its ``low``/``high``). The features are
appended after the hand-written ones (so they paint later). Size limit: :data:`MAX_BYTES`.

:func:`check_files` reads this file and the DEM (``[terrain.dem]``) the way building the raster
does, so ``kriegsspiel check`` reports their problems without building the map.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kriegsspiel.errors import InputError
from kriegsspiel.terrain.features import Area, Line, Point, TerrainSpec

__all__ = ["MAX_BYTES", "check_files", "merge_imports", "read_geojson"]

MAX_BYTES = 20_000_000


def merge_imports(spec: TerrainSpec, base_dir: Path) -> TerrainSpec:
    """Return ``spec`` with the features of its ``geojson`` file appended."""
    if spec.geojson is None:
        return spec
    points, areas, lines = read_geojson(_resolve(base_dir, spec.geojson, "terrain.geojson"))
    data = spec.model_dump(mode="python", exclude={"geojson"})
    data["points"] = [*spec.points, *points]
    data["polygons"] = [*spec.polygons, *areas]
    data["lines"] = [*spec.lines, *lines]
    try:
        return TerrainSpec.model_validate(data)
    except ValidationError as err:
        raise InputError("terrain.geojson", _first(err)) from None


def _resolve(base_dir: Path, name: str, field: str) -> Path:
    path = Path(name)
    path = path if path.is_absolute() else base_dir / path
    if not path.is_file():
        raise InputError(field, "an existing file (relative to the scenario file)", str(path))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(field, f"a file of at most {MAX_BYTES} bytes", str(path))
    return path


def _first(err: ValidationError) -> str:
    e = err.errors()[0]
    return f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"


def read_geojson(path: Path) -> tuple[list[Point], list[Area], list[Line]]:
    """Read points, polygons and lines from a GeoJSON ``FeatureCollection``.

    Raises:
        InputError: the file is not valid JSON, not a FeatureCollection, or a feature is
            malformed (the message names the feature index).
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError("terrain.geojson", f"a readable GeoJSON file ({err})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError("terrain.geojson", "a GeoJSON FeatureCollection")
    points: list[Point] = []
    areas: list[Area] = []
    lines: list[Line] = []
    for i, feature in enumerate(doc.get("features") or []):
        where = f"terrain.geojson features[{i}]"
        try:
            _convert(i, feature, points, areas, lines)
        except ValidationError as err:
            raise InputError(where, _first(err)) from None
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise InputError(
                where, f"a Point, (Multi)LineString or (Multi)Polygon ({err})"
            ) from None
    return points, areas, lines


def _convert(
    i: int, feature: Any, points: list[Point], areas: list[Area], lines: list[Line]
) -> None:
    props = dict(feature.get("properties") or {})
    geom = feature["geometry"]
    kind, coords = geom["type"], geom["coordinates"]
    base = {"id": props.pop("id", f"geojson-{i}")}
    for key in ("source", "assumption", "note"):
        if key in props:
            base[key] = props.pop(key)
    provenance = {k: v for k, v in base.items() if k != "id"}
    if kind == "Point":
        height = props.pop("height_m", None)
        points.append(
            Point.model_validate(
                {
                    **base,
                    **props,
                    "lat": coords[1],
                    "lon": coords[0],
                    "height_m": None if height is None else {"value": height, **provenance},
                }
            )
        )
        return
    parts = {
        "Polygon": [coords],
        "MultiPolygon": coords,
        "LineString": [coords],
        "MultiLineString": coords,
    }[kind]
    for j, part in enumerate(parts):
        fid = base["id"] if len(parts) == 1 else f"{base['id']}-{j}"
        if kind.endswith("Polygon"):
            ring = [(c[1], c[0]) for c in part[0]]
            extra = _quantities(props, ("surface_m",), provenance)
            areas.append(
                Area.model_validate({**base, **props, **extra, "id": fid, "vertices": ring})
            )
        else:
            path = [(c[1], c[0]) for c in part]
            extra = _quantities(props, ("width_m", "surface_m"), provenance)
            lines.append(
                Line.model_validate({**base, **props, **extra, "id": fid, "vertices": path})
            )


def _quantities(
    props: dict[str, Any], names: tuple[str, ...], provenance: dict[str, Any]
) -> dict[str, Any]:
    out = {}
    for name in names:
        if name in props:
            out[name] = {"value": props.pop(name), **provenance}
    return out


def check_files(spec: TerrainSpec, base_dir: Path | None = None) -> None:
    """Read the terrain's GeoJSON and DEM files as building the raster does.

    ``base_dir`` defaults to the scenario file's folder, else the working directory.

    Raises:
        InputError: a file is missing, too big or unusable (the message names the key).
    """
    from kriegsspiel.terrain.dem import dem_elevation
    from kriegsspiel.terrain.geo import LocalGrid

    folder = base_dir or spec.base_dir or Path.cwd()
    merged = merge_imports(spec, folder)
    if merged.dem is not None:
        grid = LocalGrid(spec.anchor.lat, spec.anchor.lon, *spec.size_m, spec.cell_m)
        dem_elevation(merged.dem, grid, folder)
