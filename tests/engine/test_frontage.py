"""The front open to a side around an objective caps the attackers' assault power."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from engine_battles import battle, flat_terrain
from test_assault_power import _forced

from kriegsspiel.engine.compile import objective_frontage

RING = 100.0 + 150.0  # objective radius plus half the 300 m assault range


def test_open_ground_offers_the_whole_circle() -> None:
    ter = flat_terrain()
    front = objective_frontage(ter, np.array([[0.0, 0.0]]), np.array([100.0]), 300.0)
    np.testing.assert_allclose(front, 2 * np.pi * RING, rtol=1e-12)


def test_water_and_the_border_take_their_share_of_the_circle() -> None:
    ter = flat_terrain()
    passable = ter.passable.copy()
    ny, nx = passable.shape[1:]
    passable[0, :, : nx // 2] = False  # side 0 may not go west of x = 0
    speed = ter.speed.copy()
    speed[0, ny // 2 :, :] = 0.0  # the northern half is water to walkers
    front = objective_frontage(
        replace(ter, passable=passable, speed=speed), np.zeros((1, 2)), np.array([100.0]), 300.0
    )
    full = 2 * np.pi * RING
    # side 0: the south-east quarter; side 1: the southern half (720 points on the circle)
    np.testing.assert_allclose(front[:, 0], [full / 4, full / 2], rtol=0.01)


def _crest(attacker_fp: float, frontage_m: float) -> tuple[float, ...]:
    """A 1,000-man attacker of ``attacker_fp`` against a crest held by 100 men of OLI 100."""
    arr = battle(
        [(-200.0, 0.0), (0.0, 0.0)],
        [0, 1],
        [1000.0, 100.0],
        [attacker_fp, 100.0],
        obj_center=np.zeros((1, 2)),
        obj_radius=np.array([100.0]),
        obj_min_men=np.zeros(1),
        objective_ids=("crest",),
        obj_frontage=np.array([[frontage_m], [2 * np.pi * RING]]),
    )
    return _forced(arr, [0])


def test_a_narrow_front_counts_only_the_men_who_fit_on_it() -> None:
    density = battle([(0.0, 0.0)], [0], [1.0], [1.0]).params.front_density  # men per metre
    room = 0.1 * 1000.0 / density  # metres of front for a tenth of the attacker's men
    # ample room: 1,000 against 136.5 -> pushed off; a tenth of the room: 100 against 136.5 ->
    # held; and the cap is exactly a scale on the attacker's power (same draws, same outcome)
    assert _crest(1000.0, 10 * room) > (0.9,)
    assert _crest(1000.0, room) == (0.0,)
    for share in (0.15, 0.2, 0.5):
        assert _crest(1000.0, share * 10 * room) == _crest(1000.0 * share, 10 * room)
