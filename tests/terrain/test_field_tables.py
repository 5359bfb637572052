"""The navigation field's path table: compact cell indices, and binary lifting that is exact."""

import numpy as np

from kriegsspiel.terrain.features import Mobility, TerrainSpec
from kriegsspiel.terrain.geo import LocalGrid
from kriegsspiel.terrain.movement import MoveField, cost_to_go, step_toward
from kriegsspiel.terrain.raster import build_terrain

LAT0, LON0 = 42.0, 130.0
GRID = LocalGrid(LAT0, LON0, 3000, 2000, 20)
EST = {"assumption": True, "note": "test geometry"}


def _ll(x: float, y: float) -> tuple[float, float]:
    lat, lon = GRID.to_latlon(x, y)
    return float(lat), float(lon)


def _field() -> MoveField:
    # a lake in the middle of a meadow, so paths bend round it
    lake = [_ll(-400, -600), _ll(400, -600), _ll(400, 600), _ll(-400, 600)]
    spec = TerrainSpec.model_validate({
        "anchor": {"lat": LAT0, "lon": LON0}, "size_m": [3000, 2000], "cell_m": 20,
        "polygons": [{"id": "L", "cover": "water", "vertices": lake, **EST}],
    })  # fmt: skip
    return cost_to_go(build_terrain(spec), (1200.0, 0.0), Mobility.FOOT)


def test_cell_indices_are_int32_and_next_cell_is_the_first_row() -> None:
    field = _field()
    assert field.jumps.dtype == np.int32
    assert np.shares_memory(field.next_cell, field.jumps)
    assert np.array_equal(field.next_cell, field.jumps[0])


def test_each_row_jumps_twice_as_far_as_the_one_before() -> None:
    field = _field()
    nxt = field.next_cell.astype(np.int64)
    ahead = np.arange(nxt.size)
    for k in range(field.jumps.shape[0]):
        steps = 1 if k == 0 else 2 ** (k - 1)
        for _ in range(steps):
            ahead = nxt[ahead]
        assert np.array_equal(field.jumps[k], ahead), k
    # the last row reaches the objective from every cell that can reach it at all
    reachable = np.isfinite(field.time_s)
    assert (field.time_s[field.jumps[-1][reachable]] == 0.0).all()


def test_a_step_along_the_field_saves_exactly_the_time_spent() -> None:
    field = _field()
    x, y = np.array([-1200.0, -1000.0]), np.array([0.0, 300.0])
    before = field.time_at(x, y)
    nx, ny, left = step_toward(x, y, field, 120.0)
    assert np.allclose(left, before - 120.0)
    assert np.hypot(nx - x, ny - y).min() > 0.0
