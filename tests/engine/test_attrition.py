"""Fire and losses: the engine's attrition against the aggregate ODE of the same law, the
casualty split, the ceasefire and the control rule."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import battle

from kriegsspiel.aggregate import Engagement, solve
from kriegsspiel.engine.arrays import BattleArrays
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.doctrine import control_and_intel
from kriegsspiel.engine.state import initial_state
from kriegsspiel.engine.trace import Trace


def _no_morale_no_size(arr: BattleArrays) -> BattleArrays:
    """Switch off suppression, breaks and the size factor: pure attrition."""
    p = replace(
        arr.params,
        neutralized_loss=1e12,
        breakpoint_attacker=2.0,
        breakpoint_defender=2.0,
        size_men=((1.0, 1.0), (1e9, 1.0)),
    )
    return replace(arr, params=p)


def test_mean_strengths_follow_the_square_law_ode() -> None:
    x0, y0, fx, fy = 400.0, 300.0, 40_000.0, 30_000.0
    arr = _no_morale_no_size(
        battle([(-150.0, 0.0), (150.0, 0.0)], [0, 1], [x0, y0], [fx, fy], n_steps=12 * 8)
    )
    reps = 400
    _, trace = simulate(arr, reps, np.random.default_rng(7))
    # the engine's rate: c * intensity(hold) * firepower * (strength / initial strength)
    p = arr.params
    a = p.lethality * p.holding * fy / y0  # X's losses per man of Y per hour
    b = p.lethality * p.holding * fx / x0
    ode = solve(Engagement.homogeneous("square", x0, y0, a, b))
    hours = trace.hour_steps * arr.dt_h
    x_ode, y_ode = ode.totals(hours)
    x_sim = trace.men[:, :, 0, 0].mean(axis=1)
    y_sim = trace.men[:, :, 1, 0].mean(axis=1)
    se_x = trace.men[:, :, 0, 0].std(axis=1) / np.sqrt(reps) + 1e-9
    se_y = trace.men[:, :, 1, 0].std(axis=1) / np.sqrt(reps) + 1e-9
    assert x_ode[-1] < x0 - 20  # the battle really bled both sides
    # within 4 standard errors plus 1 % for the time discretisation of the draws
    assert np.all(np.abs(x_sim - x_ode) <= 4 * se_x + 0.01 * (x0 - x_ode) + 0.5)
    assert np.all(np.abs(y_sim - y_ode) <= 4 * se_y + 0.01 * (y0 - y_ode) + 0.5)


def test_casualties_split_in_the_configured_fractions() -> None:
    split = np.array([[0.2, 0.7, 0.1], [0.5, 0.5, 0.0]])
    arr = _no_morale_no_size(
        battle(
            [(-100.0, 0.0), (100.0, 0.0)],
            [0, 1],
            [2000.0, 2000.0],
            [300_000.0, 300_000.0],
            n_steps=12 * 6,
            casualty_split=split,
        )
    )
    st, _ = simulate(arr, 200, np.random.default_rng(3))
    total = st.killed + st.wounded + st.missing
    assert np.all(total.sum(axis=0) > 2000)
    for s in range(2):
        n = total[:, s].sum()
        for got, frac in zip((st.killed, st.wounded, st.missing), split[s], strict=True):
            share = got[:, s].sum() / n
            assert share == pytest.approx(frac, abs=4 * np.sqrt(frac * (1 - frac) / n) + 1e-12)
    # every casualty is counted once: killed + wounded + missing = men lost
    assert np.allclose(total.sum(axis=1), (arr.men0.sum() - st.men.sum(axis=1)))


def test_a_ceasefire_stops_all_fire() -> None:
    arr = battle([(-100.0, 0.0), (100.0, 0.0)], [0, 1], [500.0, 500.0], [800.0, 800.0])
    ev = replace(arr.events, ceasefire_step=np.array([0, 0]))
    st, _ = simulate(replace(arr, events=ev), 50, np.random.default_rng(1))
    assert np.all(st.men == arr.men0)
    ev = replace(arr.events, ceasefire_step=np.array([0, 10_000]))  # only side 0 stops
    st, _ = simulate(replace(arr, events=ev), 50, np.random.default_rng(1))
    assert np.all(st.men[:, 1] == arr.men0[1]) and np.all(st.men[:, 0] < arr.men0[0])


def test_a_side_holds_an_objective_only_when_alone_on_it() -> None:
    arr = battle(
        [(0.0, 0.0), (40.0, 0.0), (900.0, 0.0)],
        [0, 1, 1],
        [100.0, 100.0, 100.0],
        [1, 1, 1],
        obj_center=np.array([[0.0, 0.0]]),
        obj_radius=np.array([100.0]),
        obj_min_men=np.array([0.0]),
        objective_ids=("crest",),
    )
    st = initial_state(arr, 3)
    st.men[1, 1] = 0.0  # rep 1: side 1's unit on the crest is gone -> side 0 alone
    st.x[2, 0] = 500.0  # rep 2: side 0 leaves -> side 1 alone
    trace = Trace.allocate(arr, 3)
    control_and_intel(arr, st, st.alive(arr), None, np.random.default_rng(0), 0, trace)
    assert st.control[:, 0].tolist() == [-1, 0, 1]
    assert st.contested[:, 0].tolist() == [True, False, False]
    st.men[:, :] = 0.0  # nobody anywhere: empty counts for neither
    control_and_intel(arr, st, st.alive(arr), None, np.random.default_rng(0), 1, trace)
    assert st.control[:, 0].tolist() == [-1, -1, -1]
