"""Fire programmes shell their aim point whether or not anyone sees the enemy there."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from engine_battles import battle, no_events

from kriegsspiel.engine.core import simulate


def test_a_programme_fires_at_night_when_no_unit_sees_the_enemy() -> None:
    # a battery 2 km from an enemy company, at night (sight 300 m): no unit sees any enemy,
    # yet the battery's one-hour programme on the company's position must fire and hurt it
    steps = 12
    arr = battle([(-1000.0, 0.0), (1000.0, 0.0)], [0, 1], [100.0, 200.0], [0.0, 0.0], steps)
    events = replace(
        no_events(2, steps),
        prog_start=np.array([0]),
        prog_end=np.array([steps]),
        prog_unit=np.array([0]),
        prog_target=np.array([[1000.0, 0.0]]),
        prog_rounds=np.array([np.inf]),
    )
    arr = replace(
        arr,
        events=events,
        night=np.ones(steps, dtype=bool),
        ind_fp=np.array([500.0, 0.0]),
        ind_range=np.array([5000.0, 0.0]),
        rounds_per_hour=np.array([60.0, 0.0]),
        ammo0=np.array([1000.0, 0.0]),
    )
    st, _ = simulate(arr, 20, np.random.default_rng(3))
    assert np.all(st.ammo[:, 0] == 1000.0 - 60.0)  # the programme's hour of rounds is spent
    assert st.men[:, 1].mean() < 200.0  # and the company under it lost men
