"""Fire and losses: the engine's attrition against the aggregate ODE of the same law, the
casualty split, the ceasefire and the control rule."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from engine_battles import battle

from kriegsspiel.aggregate import Engagement, solve
from kriegsspiel.engine.arrays import P_DEFENDING, P_DUG_IN, BattleArrays
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.doctrine import battle_areas, control_and_intel
from kriegsspiel.engine.fire import Environment, Fire, _area_max, acquire, direct_fire, resolve
from kriegsspiel.engine.library import load_library
from kriegsspiel.engine.params import EngineParams
from kriegsspiel.engine.state import initial_state
from kriegsspiel.engine.trace import Trace


def _no_morale(arr: BattleArrays) -> BattleArrays:
    """Switch off suppression and breaks: pure attrition."""
    p = replace(
        arr.params,
        neutralized_loss=1e12,
        breakpoint_attacker=2.0,
        breakpoint_defender=2.0,
        ineffective=1.0,
    )
    return replace(arr, params=p)


def _env(arr: BattleArrays) -> Environment:
    """A clear day hour in which both sides may fire."""
    return Environment(0, 1.0, False, 0, 2500.0, np.ones(arr.n_sides, dtype=bool))


def _big(x0: float, y0: float, hours: int, **kw: object) -> BattleArrays:
    """Two forces 300 m apart, both holding (QJM holding rate), per-man OLI of the reference."""
    rho = 0.89
    return _no_morale(
        battle(
            [(-150.0, 0.0), (150.0, 0.0)],
            [0, 1],
            [x0, y0],
            [rho * x0, rho * y0],
            n_steps=12 * hours,
            **kw,
        )
    )


def test_mean_strengths_follow_the_aggregate_ode_of_the_same_helmbold_law() -> None:
    x0, y0 = 20_000.0, 15_000.0
    arr = _big(x0, y0, 24)
    reps = 200
    _, trace = simulate(arr, reps, np.random.default_rng(7))
    # the engine's law for two attacking forces: dX/dt = -a Y**p X**q (helmbold_rates), with
    # Y the firepower aimed at X (its per-man OLI times Y's men), at the holding rate, on open
    # flat ground (QJM casualty factor 1.0) relative to the fit's reference terrain
    p = arr.params
    e = p.attacker_law
    vulnerability = 1.0 / p.reference_casualty_terrain / p.reference_vulnerability[0]
    scale = p.attacker_k / 24.0 * p.holding * vulnerability / p.reference_men**e.qx
    a = scale * (0.89 / p.reference_fire) ** e.px
    ode = solve(Engagement.homogeneous("generalized", x0, y0, a, a, shape={"p": e.px, "q": e.qx}))
    hours = trace.hour_steps * arr.dt_h
    x_ode, y_ode = ode.totals(hours)
    x_sim = trace.men[:, :, 0, 0].mean(axis=1)
    y_sim = trace.men[:, :, 1, 0].mean(axis=1)
    se_x = trace.men[:, :, 0, 0].std(axis=1) / np.sqrt(reps)
    se_y = trace.men[:, :, 1, 0].std(axis=1) / np.sqrt(reps)
    assert x0 - x_ode[-1] > 300  # the battle really bled both sides
    # within 4 standard errors plus 1 % for the time discretisation of the draws
    assert np.all(np.abs(x_sim - x_ode) <= 4 * se_x + 0.01 * (x0 - x_ode) + 0.5)
    assert np.all(np.abs(y_sim - y_ode) <= 4 * se_y + 0.01 * (y0 - y_ode) + 0.5)


def test_losses_use_qjm_factors_relative_to_the_reference_battle_of_the_fit() -> None:
    """At the fit's reference (hasty defence, rolling mixed terrain) the factor is exactly 1;
    a dug-in defender loses 0.6/0.7 of it, never the product of absolute QJM factors."""
    lib = load_library()
    p = EngineParams.from_library(lib)
    assert p.reference_vulnerability[1] == lib.value("posture.defending.vulnerability")
    assert p.reference_casualty_terrain == lib.value("terrain.rolling_mixed.casualty")
    arr = _big(5000.0, 5000.0, 1)
    st = initial_state(arr, 1)
    st.posture[:] = P_DEFENDING
    con = acquire(arr, st, st.alive(arr), _env(arr))
    fire = Fire.empty(st.men.shape)
    direct_fire(arr, st, con, _env(arr), fire)
    hasty = resolve(arr, st, fire, con, _env(arr)).men
    st.posture[:] = P_DUG_IN
    dug = resolve(arr, st, fire, con, _env(arr)).men
    assert np.allclose(dug / hasty, lib.value("posture.dug_in.vulnerability") / 0.7)
    flat = lib.value("terrain.flat_bare.casualty") / p.reference_casualty_terrain
    assert flat > 1.0  # open flat ground is deadlier than the fit's reference terrain


def test_casualties_split_in_the_configured_fractions() -> None:
    split = np.array([[0.2, 0.7, 0.1], [0.5, 0.5, 0.0]])
    arr = _big(20_000.0, 20_000.0, 12, casualty_split=split)
    st, _ = simulate(arr, 50, np.random.default_rng(3))
    total = st.killed + st.wounded + st.missing
    assert np.all(total.sum(axis=0) > 5000)
    for s in range(2):
        n = total[:, s].sum()
        for got, frac in zip((st.killed, st.wounded, st.missing), split[s], strict=True):
            share = got[:, s].sum() / n
            assert share == pytest.approx(frac, abs=4 * np.sqrt(frac * (1 - frac) / n) + 1e-12)
    # every casualty is counted once: killed + wounded + missing = men lost
    assert np.allclose(total.sum(axis=1), (arr.men0.sum() - st.men.sum(axis=1)))


def test_a_ceasefire_stops_all_fire() -> None:
    arr = _big(5000.0, 5000.0, 4)
    ev = replace(arr.events, ceasefire_step=np.array([0, 0]))
    st, _ = simulate(replace(arr, events=ev), 50, np.random.default_rng(1))
    assert np.all(st.men == arr.men0)
    ev = replace(arr.events, ceasefire_step=np.array([0, 10_000]))  # only side 0 stops
    st, _ = simulate(replace(arr, events=ev), 50, np.random.default_rng(1))
    assert np.all(st.men[:, 1] == arr.men0[1]) and st.men[:, 0].mean() < arr.men0[0] - 5


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


def test_the_whole_force_of_a_battle_area_where_some_unit_fights_is_engaged() -> None:
    # unit 0 fights unit 1 at 300 m; unit 2 (700 m behind unit 0, out of the 300 m sight of the
    # step) is in its battle area; unit 3 is 1.35 km from unit 0, beyond it
    arr = _no_morale(
        battle(
            [(-150.0, 0.0), (150.0, 0.0), (-700.0, 0.0), (-1500.0, 0.0)],
            [0, 1, 0, 0],
            [500.0, 500.0, 500.0, 500.0],
            [400.0, 400.0, 400.0, 400.0],
        )
    )
    st = initial_state(arr, 1)
    alive = st.alive(arr)
    env = Environment(0, 1.0, False, 0, 300.0, np.ones(2, dtype=bool))
    battle_areas(arr, st, alive)
    con = acquire(arr, st, alive, env)
    assert con.target[0, 2] < 0 and con.target[0, 3] < 0  # neither sees the enemy
    fire = Fire.empty(st.men.shape)
    direct_fire(arr, st, con, env, fire)
    men = resolve(arr, st, fire, con, env).men[0]
    assert men[2] > 0 and men[3] == 0
    # the force's losses are shared in proportion to strength
    assert men[2] == pytest.approx(men[0])


def test_fire_at_the_holding_rate_added_to_an_assault_never_lowers_the_losses() -> None:
    """An engagement fights at its fiercest pair's intensity: guns firing at the holding rate
    behind an assault add to Y (losses grow as (Y'/Y)**p), they do not dilute the assault."""
    arr = _no_morale(
        battle([(-150.0, 0.0), (150.0, 0.0), (600.0, 0.0)], [0, 1, 1], [500.0] * 3, [1.0] * 3)
    )
    p = arr.params
    st = initial_state(arr, 1)
    st.posture[:] = P_DEFENDING
    alive = st.alive(arr)
    battle_areas(arr, st, alive)
    con = acquire(arr, st, alive, _env(arr))
    one = np.zeros(1, dtype=np.int64)

    def losses(pairs: list[tuple[int, float, float]]) -> float:
        fire = Fire.empty(st.men.shape)
        for firer, y, intensity in pairs:
            fire.add(arr, one * 0, one * firer, one * 0, np.array([y]), np.array([intensity]))
        return float(resolve(arr, st, fire, con, _env(arr)).men[0, 0])

    assault = losses([(1, 100.0, p.main_effort)])
    both = losses([(1, 100.0, p.main_effort), (2, 400.0, p.holding)])
    assert both == pytest.approx(assault * 5.0**p.defender_law.px)
    assert losses([(2, 400.0, p.holding)]) == pytest.approx(
        assault * 4.0**p.defender_law.px * p.holding / p.main_effort
    )


@pytest.mark.parametrize("sides", [[0, 0, 0, 1, 1], [0, 1, 0, 1, 1]])
def test_the_fiercest_intensity_of_a_battle_area_is_its_largest(sides: list[int]) -> None:
    # side blocks ([0, 0, 0, 1, 1]) and interleaved sides take the same maximum as the plain
    # definition: for each unit, the largest value over the units marked in its battle area
    arr = battle([(100.0 * u, 0.0) for u in range(5)], sides, [10.0] * 5, [1.0] * 5)
    rng = np.random.default_rng(4)
    same = np.equal.outer(sides, sides)
    near = ((rng.random((6, 5, 5)) < 0.5) & same).astype(float)
    near[:, range(5), range(5)] = 1.0
    v = rng.choice([0.0, 0.3, 1.0, 1.5], size=(6, 5))
    plain = np.array([[max(v[b, j] for j in range(5) if near[b, u, j]) for u in range(5)]
                      for b in range(6)])  # fmt: skip
    np.testing.assert_array_equal(_area_max(arr, near, v), plain)
