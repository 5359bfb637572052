"""Crests changing hands: the QJM combat-power ratio of committed attackers to defenders."""

from __future__ import annotations

import numpy as np
from conftest import battle

from kriegsspiel.engine.arrays import P_ATTACKING, P_DEFENDING, P_DUG_IN, BattleArrays
from kriegsspiel.engine.doctrine import assaults
from kriegsspiel.engine.state import State, initial_state
from kriegsspiel.engine.trace import Trace


def _crest() -> BattleArrays:
    """A crest held by side 1 (unit 1), entered by an attacker of side 0 (unit 0), with a strong
    unit of side 0 (unit 2) 250 m away."""
    return battle(
        [(-50.0, 0.0), (0.0, 0.0), (-250.0, 0.0)],
        [0, 1, 0],
        [100.0, 100.0, 1000.0],
        [100.0, 100.0, 1000.0],
        obj_center=np.array([[0.0, 0.0]]),
        obj_radius=np.array([100.0]),
        obj_min_men=np.array([0.0]),
        objective_ids=("crest",),
    )


def _forced_share(arr: BattleArrays, posture_of_unit2: int, reps: int = 2000) -> float:
    st: State = initial_state(arr, reps)
    st.posture[:, 0] = P_ATTACKING
    st.posture[:, 1] = P_DEFENDING
    st.posture[:, 2] = posture_of_unit2
    st.last_holder[:] = 1
    st.contested[:] = True
    trace = Trace.allocate(arr, reps)
    assaults(arr, st, st.alive(arr), np.random.default_rng(5), 1.0, 0, 0, trace)
    return float(st.broken[:, 1].mean())


def test_only_units_committed_to_the_attack_add_assault_power() -> None:
    arr = _crest()
    # the strong unit attacking: 11x the defender's power -> the defenders are pushed off
    # at the QJM advance rate (24 km/day x 1.05 over a 100 m radius: almost surely in the hour)
    assert _forced_share(arr, P_ATTACKING) > 0.9
    # the same unit dug in short of the crest adds nothing: 100 against 100 x 1.3 x 1.05
    assert _forced_share(arr, P_DUG_IN) == 0.0
