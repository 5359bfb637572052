"""Crests changing hands: the QJM combat-power ratio of committed attackers to defenders."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from engine_battles import battle

from kriegsspiel.engine.arrays import P_ATTACKING, P_DEFENDING, P_DUG_IN, BattleArrays
from kriegsspiel.engine.doctrine import assaults, support_power
from kriegsspiel.engine.fire import Environment, acquire
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


def _env(arr: BattleArrays, night: bool = False) -> Environment:
    return Environment(0, 1.0, night, 0, 300.0 if night else 2500.0, np.ones(2, dtype=bool))


def _forced_share(
    arr: BattleArrays, posture_of_unit2: int, reps: int = 2000, night: bool = False
) -> float:
    st: State = initial_state(arr, reps)
    st.posture[:, 0] = P_ATTACKING
    st.posture[:, 1] = P_DEFENDING
    st.posture[:, 2] = posture_of_unit2
    st.last_holder[:] = 1
    st.contested[:] = True
    trace = Trace.allocate(arr, reps)
    env = _env(arr, night)
    con = acquire(arr, st, st.alive(arr), env)
    assaults(arr, st, st.alive(arr), con, env, np.random.default_rng(5), 0, trace)
    return float(st.broken[:, 1].mean())


def test_only_units_committed_to_the_attack_add_assault_power() -> None:
    arr = _crest()
    # the strong unit attacking: 11x the defender's power -> the defenders are pushed off
    # at the QJM advance rate (24 km/day x 1.05 over a 100 m radius: almost surely in the hour)
    assert _forced_share(arr, P_ATTACKING) > 0.9
    # the same unit dug in short of the crest adds nothing: 100 against 100 x 1.3 x 1.05
    assert _forced_share(arr, P_DUG_IN) == 0.0


def _with_guns(arr: BattleArrays) -> BattleArrays:
    """The defenders get a battery 3 km behind the crest (indirect OLI 1,000, 10 km range)."""
    n = arr.n_units
    return replace(
        arr,
        side=np.append(arr.side, 1),
        utype=np.append(arr.utype, 0),
        mobility=np.append(arr.mobility, 0),
        men0=np.append(arr.men0, 100.0),
        vehicles0=np.append(arr.vehicles0, 0.0),
        armour_mm=np.append(arr.armour_mm, 0.0),
        crew=np.append(arr.crew, 0.0),
        fp=np.vstack([arr.fp, np.zeros((1, arr.fp.shape[1]))]),
        fp_at=np.vstack([arr.fp_at, np.zeros((1, arr.fp.shape[1]))]),
        vehicle_fp_share=np.append(arr.vehicle_fp_share, 0.0),
        ind_fp=np.append(arr.ind_fp, 1000.0),
        ind_range=np.append(arr.ind_range, 10_000.0),
        rounds_per_hour=np.append(arr.rounds_per_hour, 60.0),
        ammo0=np.append(arr.ammo0, 200.0),
        resupply_per_hour=np.append(arr.resupply_per_hour, 0.0),
        bomb_kg=np.append(arr.bomb_kg, 0.0),
        pos0=np.vstack([arr.pos0, [[1900.0, 0.0]]]),
        home=np.vstack([arr.home, [[1900.0, 0.0]]]),
        home_field=np.append(arr.home_field, -1),
        posture0=np.append(arr.posture0, P_DEFENDING),
        arrive_step=np.append(arr.arrive_step, 0),
        unit_ids=(*arr.unit_ids, f"u{n}"),
    )


def test_observed_guns_count_in_the_defence_and_blind_ones_do_not() -> None:
    arr = _with_guns(_crest())
    st = initial_state(arr, 1)
    alive = st.alive(arr)
    day, night = _env(arr), _env(arr, night=True)
    seen = support_power(arr, st, alive, acquire(arr, st, alive, day), day)
    # the defender on the crest observes the attackers in daylight: the battery's full OLI
    assert seen[0, 1, 0] == 1000.0 and seen[0, 0, 0] == 0.0
    # at night the attacker 50 m away is still seen, but the fall of shot cannot be observed:
    # no close support
    assert support_power(arr, st, alive, acquire(arr, st, alive, night), night)[0, 1, 0] == 0.0
    st.ammo[:, -1] = 0.0  # no rounds, no support
    assert support_power(arr, st, alive, acquire(arr, st, alive, day), day)[0, 1, 0] == 0.0
    # by day the battery (x 1.3 hasty x 1.05 flat ground) outweighs even the committed
    # strong unit; at night the crest falls as without it
    assert _forced_share(arr, P_ATTACKING) == 0.0
    assert _forced_share(arr, P_ATTACKING, night=True) > 0.9
