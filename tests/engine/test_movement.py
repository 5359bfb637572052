"""Movement on the cost surface of a small test map (tests/engine/data/crossing.toml)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kriegsspiel.engine.arrays import AIR, BattleArrays
from kriegsspiel.engine.compile import compile_scenario
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.doctrine import Movement
from kriegsspiel.engine.movement import FINAL_APPROACH_M, move
from kriegsspiel.engine.state import initial_state
from kriegsspiel.scenario import load
from kriegsspiel.terrain.movement import step_toward

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


def _straight_vectorised(
    arr: BattleArrays,
    x: np.ndarray,
    y: np.ndarray,
    tx: np.ndarray,
    ty: np.ndarray,
    mob: np.ndarray,
    side: np.ndarray,
    hours: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The straight rush as whole-array operations, sub-step by sub-step."""
    ter = arr.terrain
    x, y, time_left = x.copy(), y.copy(), hours.copy()
    active = np.ones(x.size, dtype=bool)
    for _ in range(64):
        i = np.flatnonzero(active)
        row, col = ter.cell(x[i], y[i])
        speed = ter.speed[mob[i], row, col] * 1000.0
        gx, gy = tx[i] - x[i], ty[i] - y[i]
        to_go = np.hypot(gx, gy)
        step = np.minimum(np.minimum(speed * time_left[i], 2.0 * ter.cell_m), to_go)
        scale = np.where(to_go > 0, step / np.maximum(to_go, 1e-9), 0.0)
        px, py = x[i] + gx * scale, y[i] + gy * scale
        r2, c2 = ter.cell(px, py)
        ok = ter.passable[side[i], r2, c2] & (ter.speed[mob[i], r2, c2] > 0)
        ok &= ter.inside(px, py) & (step > 0)
        x[i], y[i] = np.where(ok, px, x[i]), np.where(ok, py, y[i])
        used = np.where(ok, step / np.maximum(speed, 1e-9), time_left[i])
        time_left[i] = np.maximum(time_left[i] - used, 0.0)
        active[i] = ok & (step < to_go - 1e-6) & (time_left[i] > 1e-9)
    return x, y


def test_compiled_moves_match_step_toward_and_the_vectorised_rush(crossing: BattleArrays) -> None:
    arr, reps, rng = crossing, 40, np.random.default_rng(5)
    st = initial_state(arr, reps)
    n = arr.n_units
    half = arr.terrain.shape[0] * arr.terrain.cell_m / 2
    st.x, st.y = (rng.uniform(-0.9 * half, 0.9 * half, (reps, n)) for _ in range(2))
    near = rng.random((reps, n)) < 0.3  # some within the final approach: straight at the target
    tx = np.where(
        near, st.x + rng.uniform(-100, 100, (reps, n)), rng.uniform(-half, half, (reps, n))
    )
    ty = np.where(
        near, st.y + rng.uniform(-100, 100, (reps, n)), rng.uniform(-half, half, (reps, n))
    )
    field = rng.integers(-1, len(arr.terrain.fields), (reps, n))
    factor = rng.uniform(0.2, 1.0, (reps, n))
    moving = (rng.random((reps, n)) < 0.8) & (arr.utype != AIR)[None, :]
    plan = Movement(moving, factor, np.full((reps, n), np.inf), tx, ty, field)
    x0, y0, hours = st.x.copy(), st.y.copy(), 0.25
    moved = move(arr, st, plan, hours)
    # the reference: the terrain's step_toward per field, the vectorised rush for the rest
    b, u = np.nonzero(moving)
    x, y = x0[b, u], y0[b, u]
    mob = np.minimum(arr.mobility[u], 2)
    budget = hours * factor[b, u]  # no cap: the assault pace does not slow anyone here
    fld = np.where(np.hypot(tx[b, u] - x, ty[b, u] - y) <= FINAL_APPROACH_M, -1, field[b, u])
    want_x, want_y = x.copy(), y.copy()
    for f in np.unique(fld[fld >= 0]):
        sel = fld == f
        fx, fy, _ = step_toward(x[sel], y[sel], arr.terrain.fields[f], budget[sel] * 3600.0)
        want_x[sel], want_y[sel] = fx, fy
    i = np.flatnonzero(fld < 0)
    want_x[i], want_y[i] = _straight_vectorised(
        arr, x[i], y[i], tx[b, u][i], ty[b, u][i], mob[i], arr.side[u[i]], budget[i]
    )
    assert i.size > 20 and (fld >= 0).sum() > 20
    np.testing.assert_array_equal(st.x[b, u], want_x)
    np.testing.assert_array_equal(st.y[b, u], want_y)
    np.testing.assert_array_equal(moved[b, u], np.hypot(want_x - x, want_y - y))
    assert (moved[b, u] > 0).mean() > 0.5
