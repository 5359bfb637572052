"""The compiled ray test of detection answers as the vectorised formulation over its samples."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from engine_battles import flat_terrain

from kriegsspiel.engine.arrays import BattleArrays
from kriegsspiel.engine.fire import _LOS_T, _clear


def line_of_sight(
    arr: BattleArrays, x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray
) -> np.ndarray:
    """The engine's ray test (as detection calls it for each ray) over many rays."""
    ter = arr.terrain
    grid = (ter.elevation, float(ter.x0), float(ter.y0), float(ter.cell_m), _LOS_T)
    return np.array([_clear(*ray, *grid) for ray in zip(x1, y1, x2, y2, strict=True)], dtype=bool)


def _vectorised(
    arr: BattleArrays, x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray
) -> np.ndarray:
    """Eight samples along the ray, heights float32 plus 2 m eyes, half a metre of slack."""
    ter = arr.terrain
    nx = ter.shape[1]
    elevation = ter.elevation.ravel()

    def index(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r, c = ter.cell(x, y)
        return r * nx + c

    z1 = elevation.take(index(x1, y1)) + 2.0
    z2 = elevation.take(index(x2, y2)) + 2.0
    t = np.linspace(0.0, 1.0, 10)[1:-1]
    xs = x1[:, None] + (x2 - x1)[:, None] * t
    ys = y1[:, None] + (y2 - y1)[:, None] * t
    ray = z1[:, None] + (z2 - z1)[:, None] * t
    ray += 0.5
    return np.all(elevation.take(index(xs, ys)) <= ray, axis=1)


def test_line_of_sight_over_rough_ground_matches_the_vectorised_samples(
    duel: BattleArrays,
) -> None:
    rng = np.random.default_rng(11)
    ter = flat_terrain()
    n = ter.shape[0]
    hills = np.cumsum(np.cumsum(rng.normal(0.0, 0.4, (n, n)), axis=0), axis=1) / 20.0
    arr = replace(duel, terrain=replace(ter, elevation=hills.astype(np.float32)))
    # rays inside the map and some ending beyond its edge (clipped to the border cells)
    x1, y1, x2, y2 = (rng.uniform(-2300.0, 2300.0, 20_000) for _ in range(4))
    seen = line_of_sight(arr, x1, y1, x2, y2)
    assert 0.05 < seen.mean() < 0.95  # the ground hides some rays and not others
    np.testing.assert_array_equal(seen, _vectorised(arr, x1, y1, x2, y2))


def test_line_of_sight_on_flat_ground_is_always_clear(duel: BattleArrays) -> None:
    rng = np.random.default_rng(2)
    x1, y1, x2, y2 = (rng.uniform(-1900.0, 1900.0, 500) for _ in range(4))
    assert line_of_sight(duel, x1, y1, x2, y2).all()
