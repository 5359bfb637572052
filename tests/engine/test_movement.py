"""Movement on the cost surface of a small test map (tests/engine/data/crossing.toml)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kriegsspiel.engine.arrays import BattleArrays
from kriegsspiel.engine.compile import compile_scenario
from kriegsspiel.engine.core import simulate
from kriegsspiel.scenario import load

CROSSING = Path(__file__).parent / "data" / "crossing.toml"


@pytest.fixture(scope="module")
def crossing() -> BattleArrays:
    return compile_scenario(load(CROSSING))


def _positions(arr: BattleArrays, steps: int, reps: int = 1, seed: int = 0) -> np.ndarray:
    st, _ = simulate(replace(arr, n_steps=steps), reps, np.random.default_rng(seed))
    return np.stack([st.x, st.y], axis=-1)


def test_tanks_cross_the_marsh_at_the_t26_marsh_speed(crossing: BattleArrays) -> None:
    tank = crossing.unit_ids.index("blue-tanks")
    ter = crossing.terrain
    # in the marsh band from 10 to 30 minutes after the order at 10:00 (it is 2 km wide)
    a = _positions(crossing, 48 + 2)[0, tank]
    b = _positions(crossing, 48 + 6)[0, tank]
    for x, y in (a, b):
        row, col = ter.cell(np.array([x]), np.array([y]))
        assert ter.cover_names[ter.cover[row, col][0]] == "swamp_open"
    speed_kmh = np.hypot(*(b - a)) / 1000.0 / (4 * crossing.dt_h)
    assert 3.0 <= speed_kmh <= 4.0  # fact sheet: T-26s slowed to 3-4 km/h in the marsh [S20]


def test_no_unit_ever_stands_in_water_or_beyond_its_border(crossing: BattleArrays) -> None:
    ter = crossing.terrain
    wet = ter.speed[0] == 0  # water is impassable on foot
    for steps in (3, 12, 24, 48, 72):
        pos = _positions(crossing, steps, reps=20, seed=steps)
        row, col = ter.cell(pos[..., 0], pos[..., 1])
        assert not wet[row, col].any()
        for u, side in enumerate(crossing.side):
            assert ter.passable[side][row[:, u], col[:, u]].all()
    # the red company was sent east across its border: it stops at the line (x ~ 1150 m)
    red = crossing.unit_ids.index("red-walkers")
    assert np.all(pos[:, red, 0] < 1200.0) and np.median(pos[:, red, 0]) > 1000.0
    # the blue walkers had to go round the lake to reach the north-east corner
    blue = crossing.unit_ids.index("blue-walkers")
    assert np.all(pos[:, blue, 0] > 1000.0)
