"""Constructed terrains with exact geometry: LOS behind a hill, borders, movement, GeoJSON."""

import json
from pathlib import Path

import numpy as np
import pytest

from kriegsspiel.errors import InputError
from kriegsspiel.terrain.features import LandCover, Mobility, TerrainSpec
from kriegsspiel.terrain.geo import LocalGrid
from kriegsspiel.terrain.los import line_of_sight, viewshed
from kriegsspiel.terrain.movement import cost_to_go, step_toward
from kriegsspiel.terrain.raster import SideBorder, build_terrain

LAT0, LON0 = 42.0, 130.0
GRID = LocalGrid(LAT0, LON0, 4000, 4000, 20)
EST = {"assumption": True, "note": "test geometry"}


def ll(x: float, y: float) -> dict[str, float]:
    lat, lon = GRID.to_latlon(x, y)
    return {"lat": float(lat), "lon": float(lon)}


def two_hills(far_height: float) -> TerrainSpec:
    # a cone 50 m high (radius 200 m) midway between an observer at x=-990 and a second
    # hill's summit at x=+1010 (all on the row y=10, cell centres).
    return TerrainSpec.model_validate({
        "anchor": {"lat": LAT0, "lon": LON0}, "size_m": [4000, 4000], "cell_m": 20,
        "base_elevation_m": 0.0,
        "hills": [
            {"id": "A", "peak": ll(10, 10), "profile": [[0, 50], [200, 0]], **EST},
            {"id": "B", "peak": ll(1010, 10), "profile": [[0, far_height], [300, 0]], **EST},
        ],
    })  # fmt: skip


@pytest.mark.parametrize(("far", "visible"), [(60.0, False), (90.0, False), (106.0, True)])
def test_a_hill_hides_what_is_behind_it(far: float, visible: bool) -> None:
    # Sight line from 2 m at x=-990 to far+2 at x=1010 passes x=10 at (4 + far) / 2 m; the
    # cone's top is 50 m: hidden iff far < 96 m (up to the half-cell bilinear rounding).
    t = build_terrain(two_hills(far))
    seen = line_of_sight(t, np.array([-990.0, 10.0]), np.array([1010.0, 10.0]))
    assert bool(seen) is visible
    assert bool(viewshed(t, (-990.0, 10.0))[GRID.to_cell(1010.0, 10.0)]) is visible


def test_los_is_symmetric_and_batched() -> None:
    t = build_terrain(two_hills(90.0))
    rng = np.random.default_rng(7)
    a = rng.uniform(-1900, 1900, (50, 2))
    b = rng.uniform(-1900, 1900, (50, 2))
    ab = line_of_sight(t, a, b, 3.0, 3.0)
    assert (ab == line_of_sight(t, b, a, 3.0, 3.0)).all()
    one_by_one = np.array([line_of_sight(t, a[i], b[i], 3.0, 3.0) for i in range(50)])
    assert (ab == one_by_one).all()
    grid_pairs = line_of_sight(t, a[:, None, :], b[None, :, :])
    assert grid_pairs.shape == (50, 50)


LAKE_CORNERS = [(-300, -600), (300, -600), (300, 600), (-300, 600)]


def lake_and_border(home: object) -> tuple[TerrainSpec, SideBorder]:
    spec = TerrainSpec.model_validate({
        "anchor": {"lat": LAT0, "lon": LON0}, "size_m": [4000, 4000], "cell_m": 20,
        "points": [{"id": "HOME", **ll(1500, 0), **EST}, {"id": "GOAL", **ll(0, 1500), **EST}],
        "polygons": [{"id": "LAKE", "cover": "water", **EST, "vertices": [
            tuple(ll(x, y).values()) for x, y in LAKE_CORNERS]}],
        "lines": [{"id": "B", "kind": "border", **EST,
                   "vertices": [tuple(ll(-1000, -100).values()), tuple(ll(-1000, 100).values())]}],
    })  # fmt: skip
    return spec, SideBorder("B", home)  # type: ignore[arg-type]


@pytest.mark.parametrize("home", ["east", "HOME"])
def test_border_is_extended_to_the_edges_and_splits_the_map(home: str) -> None:
    spec, rule = lake_and_border(home)
    t = build_terrain(spec, sides={"east": rule})
    no_go = t.no_go["east"]
    assert t.sample(no_go, -1500.0, 1800.0) and t.sample(no_go, -1500.0, -1800.0)
    assert not t.sample(no_go, 1500.0, 0.0) and not t.sample(no_go, -900.0, 0.0)
    west = build_terrain(spec, sides={"w": SideBorder("B", "west")}).no_go["w"]
    assert not (no_go & west).any()


def test_border_rule_errors_are_input_errors() -> None:
    spec, _ = lake_and_border("east")
    with pytest.raises(InputError, match="border line"):
        build_terrain(spec, sides={"s": SideBorder("NOPE", "east")})
    with pytest.raises(InputError, match="point id"):
        build_terrain(spec, sides={"s": SideBorder("B", "NOWHERE")})


def test_movement_detours_round_the_lake_and_takes_the_exact_flat_time() -> None:
    spec, _ = lake_and_border("east")
    t = build_terrain(spec)
    goal = t.points["GOAL"]
    field = cost_to_go(t, goal, Mobility.FOOT)
    # flat meadow at 4 km/h: 1000 m due east of the goal is 900 s, but (0, -1500) is behind
    # the lake and must go round it, so it takes longer than the 3000 m straight line.
    x, y = GRID.cell_centre(*GRID.to_cell(0.0, 0.0))
    direct = field.time_at(1000.0, 1500.0)
    assert direct == pytest.approx(1000.0 / (4 / 3.6), rel=0.01)
    assert field.time_at(0.0, -1500.0) > 3000.0 / (4 / 3.6) * 1.02
    assert not np.isfinite(field.time_at(0.0, 0.0))  # in the lake
    px, py, left = step_toward(np.array([0.0, 10.0]), np.array([-1500.0, -1490.0]), field, 60.0)
    assert (left > 0).all()
    assert np.hypot(px - 0.0, py + 1500.0).max() == pytest.approx(60 * 4 / 3.6, abs=25)
    # the lake cell cannot reach the goal and stays put
    sx, sy, sleft = step_toward(np.array([5.0]), np.array([5.0]), field, 600.0)
    assert sx[0] == 5.0 and sy[0] == 5.0 and np.isinf(sleft[0])
    assert t.cover_class[GRID.to_cell(x, y)] == LandCover.WATER.code


def test_geojson_features_are_painted(tmp_path: Path) -> None:
    ring = [[ll(x, y)["lon"], ll(x, y)["lat"]] for x, y in [(-500, -500), (500, -500), (0, 500)]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "F", "cover": "forest", "source": "S1"},
         "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}},
        {"type": "Feature", "properties": {"kind": "road", "source": "S1"},
         "geometry": {"type": "LineString", "coordinates": [ring[0], ring[1]]}},
    ]}  # fmt: skip
    (tmp_path / "f.geojson").write_text(json.dumps(doc))
    spec = TerrainSpec.model_validate({
        "anchor": {"lat": LAT0, "lon": LON0}, "size_m": [4000, 4000], "cell_m": 20,
        "geojson": "f.geojson",
    })  # fmt: skip
    t = build_terrain(spec, base_dir=tmp_path)
    assert t.sample(t.cover_class, 0.0, 0.0) == LandCover.FOREST.code
    assert t.sample(t.road, 0.0, -500.0) > 0
    assert t.spec.source_keys() == {"S1"}
    (tmp_path / "bad.geojson").write_text('{"type": "FeatureCollection", "features": [{}]}')
    bad = spec.model_copy(update={"geojson": "bad.geojson"})
    with pytest.raises(InputError, match=r"features\[0\]"):
        build_terrain(bad, base_dir=tmp_path)
    with pytest.raises(InputError, match="existing file"):
        build_terrain(spec.model_copy(update={"geojson": "missing.geojson"}), base_dir=tmp_path)
