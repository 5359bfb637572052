import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kriegsspiel.terrain.geo import LocalGrid
from kriegsspiel.terrain.rasterize import polygon_mask, polyline_cells

GRID = LocalGrid(42.4359, 130.611, 8000, 8000, 20)


def _bearing_distance(grid: LocalGrid, a: tuple[float, float], b: tuple[float, float]):
    ax, ay = grid.to_xy(*a)
    bx, by = grid.to_xy(*b)
    return math.degrees(math.atan2(bx - ax, by - ay)) % 360, math.hypot(bx - ax, by - ay)


def test_distances_match_the_terrain_notes() -> None:
    # khasan-terrain.md §2/§5 [D]: Zaozernaya -> Bezymyannaya 2.50 km at 314 deg,
    # Zaozernaya -> lake south tip 0.51 km at 40 deg, -> Kraskino 33.4 km at 25 deg.
    z = (42.43590, 130.61100)
    bearing, dist = _bearing_distance(GRID, z, (42.45150, 130.58900))
    assert abs(dist - 2500) < 25 and abs(bearing - 314) < 1
    bearing, dist = _bearing_distance(GRID, z, (42.43940, 130.61500))
    assert abs(dist - 510) < 10 and abs(bearing - 40) < 2
    bearing, dist = _bearing_distance(GRID, z, (42.70833, 130.78194))
    assert abs(dist - 33_400) < 200 and abs(bearing - 25) < 1


def test_metres_per_degree_is_the_wgs84_value() -> None:
    # One degree of latitude at 45 deg is 111 132 m on WGS-84 (standard tables).
    kx, ky = LocalGrid(45.0, 0.0, 1000, 1000, 10).metres_per_degree
    assert abs(ky - 111_132) < 2
    assert abs(kx - 78_847) < 2


@given(st.floats(-4000, 4000), st.floats(-4000, 4000))
def test_round_trips(x: float, y: float) -> None:
    lat, lon = GRID.to_latlon(x, y)
    x2, y2 = GRID.to_xy(lat, lon)
    assert abs(x2 - x) < 1e-6 and abs(y2 - y) < 1e-6
    row, col = GRID.to_cell(x, y)
    cx, cy = GRID.cell_centre(row, col)
    assert abs(cx - x) <= 10 + 1e-9 and abs(cy - y) <= 10 + 1e-9


def test_polygon_area_matches_the_shoelace_formula() -> None:
    rng = np.random.default_rng(3)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 40))
    radius = rng.uniform(800, 2500, 40)
    x, y = radius * np.sin(angles), radius * np.cos(angles)
    exact = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    raster = polygon_mask(GRID, x, y).sum() * GRID.cell_m**2
    assert abs(raster - exact) / exact < 0.01


def test_a_traced_line_blocks_four_connected_paths() -> None:
    from scipy import ndimage

    x = np.array([-4100.0, -1000, 1200, 4100])
    y = np.array([-3000.0, 2500, -2000, 3500])
    _, n = ndimage.label(~polyline_cells(GRID, x, y))
    assert n >= 2
