"""Assault combat power: each weapon counted once, on the ground where the close fight is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from engine_battles import battle
from test_assaults import _with_guns

from kriegsspiel.engine.arrays import (
    COVER_FACTORS,
    P_ATTACKING,
    P_DEFENDING,
    TANK,
    BattleArrays,
)
from kriegsspiel.engine.doctrine import assaults, support_power
from kriegsspiel.engine.fire import Environment, acquire
from kriegsspiel.engine.library import load_library
from kriegsspiel.engine.state import State, initial_state
from kriegsspiel.engine.trace import Trace

DAY = Environment(0, 1.0, False, 0, 2500.0, np.ones(2, dtype=bool))
FloatPair = tuple[float, ...]


def _forced(
    arr: BattleArrays,
    attackers: list[int],
    reps: int = 2000,
    k: int = 0,
    prepare: Callable[[State], None] | None = None,
) -> FloatPair:
    """Share of replications in which each objective's defenders are forced off in the hour
    (at step ``k``, after ``prepare`` has set up the state)."""
    st = initial_state(arr, reps)
    st.posture[:] = P_DEFENDING
    st.posture[:, attackers] = P_ATTACKING
    st.last_holder[:] = 1
    st.contested[:] = True
    if prepare is not None:
        prepare(st)
    alive = st.alive(arr)
    con = acquire(arr, st, alive, DAY)
    assaults(arr, st, alive, con, DAY, np.random.default_rng(3), k, Trace.allocate(arr, reps))
    defenders = np.flatnonzero(arr.side == 1)
    return tuple(float(st.broken[:, u].mean()) for u in defenders)


def _two_crests(attacker_fp: float) -> BattleArrays:
    """Two crests 600 m apart, each held by a side-1 unit of OLI 100 (hasty, flat: 136.5);
    one side-0 unit of ``attacker_fp`` between them, within assault range of both."""
    centres = np.array([[-300.0, 0.0], [300.0, 0.0]])
    return battle(
        [(0.0, 0.0), (-300.0, 0.0), (300.0, 0.0)],
        [0, 1, 1],
        [500.0, 100.0, 100.0],
        [attacker_fp, 100.0, 100.0],
        obj_center=centres,
        obj_radius=np.array([100.0, 100.0]),
        obj_min_men=np.zeros(2),
        objective_ids=("west", "east"),
    )


def test_a_unit_between_two_contested_crests_splits_its_power() -> None:
    # 200 against 136.5 would force either crest alone; split over both, 100 forces neither
    assert _forced(_two_crests(200.0), [0]) == (0.0, 0.0)
    # twice that power is 200 on each crest: both fall (QJM advance at 1.47:1 over 100 m)
    west, east = _forced(_two_crests(400.0), [0])
    assert west > 0.5 and east > 0.5


def test_a_battery_supporting_two_contested_crests_splits_its_fire() -> None:
    arr = _with_guns(_two_crests(10.0))  # the battery (OLI 1,000) belongs to side 1
    st = initial_state(arr, 1)
    st.contested[:] = True
    alive = st.alive(arr)
    guns = support_power(arr, st, alive, acquire(arr, st, alive, DAY), DAY)
    assert np.allclose(guns[0, 1], [500.0, 500.0])
    # with one crest quiet, all of it goes to the other
    st.contested[:, 1] = False
    guns = support_power(arr, st, alive, acquire(arr, st, alive, DAY), DAY)
    assert guns[0, 1, 0] == 1000.0


def _crest_on_rugged_ground(tank: bool) -> BattleArrays:
    """A crest (radius 100 m) of rugged bare ground in flat bare country, held by an OLI-100
    infantry unit (x 0.8 infantry weapons x 1.3 hasty x 1.45 rugged defence = 150.8), attacked
    from the flat 250 m away by an OLI-250 unit: tanks or infantry."""
    arr = battle(
        [(-250.0, 0.0), (0.0, 0.0)],
        [0, 1],
        [100.0, 100.0],
        [250.0, 100.0],
        obj_center=np.array([[0.0, 0.0]]),
        obj_radius=np.array([100.0]),
        obj_min_men=np.zeros(1),
        objective_ids=("crest",),
    )
    ter = arr.terrain
    lib = load_library()
    rugged = [lib.value(f"terrain.rugged_bare.{c}") for c in COVER_FACTORS]
    n = ter.cover.shape[0]
    yy, xx = np.mgrid[0:n, 0:n]
    x = ter.x0 + (xx + 0.5) * ter.cell_m
    y = ter.y0 + (yy + 0.5) * ter.cell_m
    cover = np.where(np.hypot(x, y) <= 100.0, 1, 0).astype(np.int8)
    terrain = replace(
        ter,
        cover=cover,
        cover_names=("flat_bare", "rugged_bare"),
        factors=np.vstack([ter.factors, [rugged]]),
    )
    arr = replace(arr, terrain=terrain)
    if tank:
        utype = arr.utype.copy()
        utype[0] = TANK
        arr = replace(
            arr,
            utype=utype,
            vehicles0=np.array([10.0, 0.0]),
            vehicle_fp_share=np.array([1.0, 0.0]),
        )
    return arr


def test_tanks_assault_a_crest_at_the_crests_tank_factor() -> None:
    # infantry weapons count x 0.8 on the crest (200 > 150.8): the crest falls
    assert _forced(_crest_on_rugged_ground(tank=False), [0])[0] > 0.5
    # tank weapons only x 0.5 there (125 < 150.8), though the tanks stand on flat ground
    assert _forced(_crest_on_rugged_ground(tank=True), [0])[0] == 0.0
