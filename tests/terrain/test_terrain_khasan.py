"""The Khasan feature set of khasan-terrain.md §7 renders as described (fixture: literal data)."""

import numpy as np
import pytest
from khasan_fixture import LAKE_KHASAN, khasan_spec

from kriegsspiel.terrain.features import LandCover, Mobility
from kriegsspiel.terrain.los import line_of_sight, viewshed
from kriegsspiel.terrain.movement import cost_to_go, step_toward
from kriegsspiel.terrain.raster import SideBorder, Terrain, build_terrain


@pytest.fixture(scope="module")
def khasan() -> Terrain:
    sides = {
        "soviet": SideBorder("BORDER_1938_SOVIET", "east"),
        "japanese": SideBorder("BORDER_1938_SOVIET", "west"),
    }
    return build_terrain(khasan_spec(), sides=sides)


def at(t: Terrain, lat: float, lon: float) -> tuple[float, float]:
    x, y = t.grid.to_xy(lat, lon)
    return float(x), float(y)


def test_summits(khasan: Terrain) -> None:
    z = khasan.points["Z_SUMMIT"]
    assert khasan.sample(khasan.elevation, *z) == pytest.approx(155.0)
    assert khasan.elevation.max() == pytest.approx(155.0)
    b = khasan.points["B_SUMMIT"]
    assert khasan.sample(khasan.elevation, *b) == pytest.approx(77.0)
    # Bezymyannaya is the local maximum within 400 m.
    r, c = khasan.grid.to_cell(*b)
    assert khasan.elevation[r - 20 : r + 21, c - 20 : c + 21].max() == pytest.approx(77.0)


def test_lake_area_and_impassable(khasan: Terrain) -> None:
    water = khasan.cover_class == LandCover.WATER.code
    # §7.2: the polygon's area is about 2.21 km^2 (official 2.23 km^2).
    assert water.sum() * khasan.grid.cell_m**2 == pytest.approx(2.21e6, rel=0.03)
    for mob in Mobility:
        assert (khasan.speed_kmh[mob.code][water] == 0).all()


def test_marsh_slows_tanks_to_3_to_4_kmh(khasan: Terrain) -> None:
    marsh = khasan.cover_class == LandCover.MARSH.code
    flat_marsh = marsh & (khasan.slope_deg < 1) & (khasan.road == 0)
    assert flat_marsh.sum() > 1000
    speeds = khasan.speed_kmh[Mobility.TRACKED.code][flat_marsh]
    assert (speeds >= 3.0).all() and (speeds <= 4.0).all()
    # the T3 track across the southern marsh is faster than the marsh around it
    on_track = marsh & (khasan.slope_deg < 1) & (khasan.road > 0)
    assert (khasan.speed_kmh[Mobility.TRACKED.code][on_track] > 4.0).all()


def test_soviet_no_go_is_west_of_the_crest_line(khasan: Terrain) -> None:
    no_go = khasan.no_go["soviet"]
    east_shore = at(khasan, 42.452, 130.6195)  # just east of the lake's east shore
    fangchuan = at(khasan, 42.43701, 130.58829)  # Manchukuo side, §2 row 25
    assert not khasan.sample(no_go, *east_shore)
    assert khasan.sample(no_go, *fangchuan)
    assert not khasan.sample(no_go, *khasan.points["Z_SUMMIT"])  # the crest line itself
    assert khasan.sample(khasan.no_go["japanese"], *east_shore)
    # every cell is open to at least one side
    assert not (khasan.no_go["soviet"] & khasan.no_go["japanese"]).any()


def test_summit_sees_the_east_shore(khasan: Terrain) -> None:
    z = khasan.points["Z_SUMMIT"]
    shore = [at(khasan, 42.4445 + 0.002 * i, 130.6205) for i in range(5)]
    assert line_of_sight(khasan, z, np.array(shore)).all()
    assert viewshed(khasan, z)[khasan.grid.to_cell(*np.array(shore).T)].all()


def test_paths_go_round_the_lake(khasan: Terrain) -> None:
    field = cost_to_go(khasan, khasan.points["Z_S_CREST"], Mobility.FOOT, "soviet", radius_m=40)
    start = at(khasan, 42.4600, 130.6250)  # NE of the lake, Soviet side
    x = np.full((3, 4), start[0])
    y = np.full((3, 4), start[1])
    lake = khasan.cover_class == LandCover.WATER.code
    for _ in range(100):
        x, y, left = step_toward(x, y, field, 120.0)
        assert not khasan.sample(lake, x, y).any()
        assert not khasan.sample(khasan.no_go["soviet"], x, y).any()
        if (left == 0).all():
            break
    assert (left == 0).all()
    assert np.hypot(x - khasan.points["Z_S_CREST"][0], y - khasan.points["Z_S_CREST"][1]).max() < 80
    # straight-line walking time at 4 km/h would be shorter than the detour
    crow = np.hypot(start[0] - x[0, 0], start[1] - y[0, 0]) / (4 / 3.6)
    assert field.time_at(*start) > crow


def test_lake_polygon_fixture_is_closed_ring() -> None:
    assert len(LAKE_KHASAN) == 24


def test_render_is_north_up_with_the_lake_in_water_colour(khasan: Terrain) -> None:
    from kriegsspiel.terrain.render import COVER_RGB, render

    image, extent = render(khasan)
    assert image.shape == (*khasan.shape, 3) and image.dtype == np.uint8
    assert extent == (-4000.0, 4000.0, -4000.0, 4000.0)
    x, y = at(khasan, 42.4524, 130.6118)  # the lake's centroid (§2 row 11)
    row, col = khasan.grid.to_cell(x, y)
    pixel = image[khasan.shape[0] - 1 - row, col].astype(int)
    water = np.array(COVER_RGB[LandCover.WATER])
    assert np.abs(pixel - water).max() < 40  # flat water: colour changed by shading only
    assert (image[khasan.shape[0] - 1 - row, col] == image[::-1][row, col]).all()
