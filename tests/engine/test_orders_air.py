"""Conditional orders on the believed force ratio; air strikes grounded by fog."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from engine_battles import battle

from kriegsspiel.engine.arrays import A_ASSAULT, A_HOLD, AIR, BattleArrays
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.doctrine import condition_met, events
from kriegsspiel.engine.state import initial_state
from kriegsspiel.engine.trace import EVENT_KINDS, Trace


def _with_order(threshold: float) -> BattleArrays:
    arr = battle(
        [(-500.0, 0.0), (0.0, 0.0)],
        [0, 1],
        [800.0, 100.0],
        [10.0, 10.0],
        obj_center=np.array([[0.0, 0.0]]),
        obj_radius=np.array([100.0]),
        obj_min_men=np.array([0.0]),
        objective_ids=("crest",),
    )
    ev = replace(
        arr.events,
        order_step=np.array([1]),
        order_unit=np.array([0]),
        order_action=np.array([A_ASSAULT]),
        order_target=np.array([[0.0, 0.0]]),
        order_objective=np.array([0]),
        order_field=np.array([-1]),
        order_until=np.array([10_000]),
        order_threshold=np.array([threshold]),
        order_cond_objective=np.array([0]),
        order_group=np.array([0]),
        order_surprise=np.zeros(1),
    )
    return replace(arr, events=ev)


def test_a_conditional_order_goes_in_only_where_the_believed_ratio_meets_the_threshold() -> None:
    arr = _with_order(threshold=3.0)
    st = initial_state(arr, 4)
    # side 0 believes 100, 200, 300, 400 enemy men on the crest; it has 800 men: ratios 8..2
    st.believed[:, 0, 0] = [100.0, 200.0, 300.0, 400.0]
    assert condition_met(arr, st, 0).tolist() == [True, True, False, False]
    events(arr, st, np.random.default_rng(0), 1, Trace.allocate(arr, 4))
    assert st.action[:, 0].tolist() == [A_ASSAULT, A_ASSAULT, A_HOLD, A_HOLD]


def test_beliefs_follow_observation_so_the_order_depends_on_what_was_seen() -> None:
    # 100 enemy men on the crest; side 0's prior says 1,000 (ratio 0.8 < 3) and nothing is seen
    # at night from 500 m: the assault does not go in; by day the crest is seen: it does
    base = _with_order(threshold=3.0)
    arr = replace(base, intel_enemy_men=np.array([1000.0, 100.0]))
    night = replace(arr, night=np.ones(arr.n_steps, dtype=bool))
    st, _ = simulate(replace(night, n_steps=3), 20, np.random.default_rng(1))
    assert np.all(st.action[:, 0] == A_HOLD)
    st, _ = simulate(replace(arr, n_steps=3), 20, np.random.default_rng(1))
    assert np.all(st.action[:, 0] == A_ASSAULT)


def _air_battle(fog: bool) -> BattleArrays:
    arr = battle(
        [(0.0, 0.0), (0.0, 0.0)],
        [0, 1],
        [100.0, 3000.0],
        [0.0, 0.0],
        n_steps=24,
        utype=np.array([AIR, 0]),
        bomb_kg=np.array([1000.0, 0.0]),
    )
    ev = replace(
        arr.events,
        air_start=np.array([0]),
        air_end=np.array([12]),
        air_unit=np.array([0]),
        air_target=np.array([[0.0, 0.0]]),
        air_sorties=np.array([600.0]),
        air_bomb_kg=np.array([1000.0]),
    )
    return replace(arr, events=ev, fog=np.full(24, fog))


def test_fog_grounds_air_strikes() -> None:
    clear, _ = simulate(_air_battle(fog=False), 100, np.random.default_rng(2))
    foggy, trace = simulate(_air_battle(fog=True), 100, np.random.default_rng(2))
    assert clear.men[:, 1].mean() < 3000.0 - 5.0  # bombs hit in clear weather
    assert np.all(foggy.men[:, 1] == 3000.0)  # and not at all in fog
    assert np.all(foggy.air_lost == 0.0)
    kinds = trace.log_kind[:, : int(trace.log_count.min())]
    assert (kinds == EVENT_KINDS.index("aborted")).any()
    assert not (kinds == EVENT_KINDS.index("strike")).any()
