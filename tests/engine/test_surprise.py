"""QJM surprise: the surpriser's combat power in assaults and both sides' losses."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_assault_power import _forced as forced_off
from test_attrition import _big, _env
from test_cev import _crest

from kriegsspiel.engine import surprise
from kriegsspiel.engine.arrays import A_ASSAULT, P_DEFENDING, BattleArrays
from kriegsspiel.engine.doctrine import events
from kriegsspiel.engine.fire import Fire, acquire, direct_fire, resolve
from kriegsspiel.engine.library import load_library
from kriegsspiel.engine.params import EngineParams
from kriegsspiel.engine.runner import run_block
from kriegsspiel.engine.state import State, initial_state
from kriegsspiel.engine.trace import Trace
from kriegsspiel.scenario import load
from kriegsspiel.scenario.loader import validate
from kriegsspiel.scenario.problems import ScenarioError

PARAMS = EngineParams.from_library(load_library())
DAY_STEPS = 24 * 12  # 5-minute steps


def test_the_factors_are_the_qjm_table_at_whole_levels_and_geometric_in_between() -> None:
    table = np.array([[1.0, 1.0, 1.0], [1.3, 0.9, 1.2], [3.0, 0.6, 2.0], [5.0, 0.4, 3.0]])
    np.testing.assert_allclose(PARAMS.surprise_factors(np.arange(4.0)), table)
    half = PARAMS.surprise_factors(np.array(1.5))
    np.testing.assert_allclose(half, np.sqrt(table[1] * table[2]))
    levels = np.linspace(0.0, 3.0, 31)
    f = PARAMS.surprise_factors(levels)
    assert np.all(np.diff(f[:, 0]) > 0) and np.all(np.diff(f[:, 2]) > 0)  # more surprise, more
    assert np.all(np.diff(f[:, 1]) < 0)  # and the surpriser less vulnerable


def _forced(arr: BattleArrays, level: float, k: int) -> float:
    """Share of replications in which the crest's holder is forced off at step ``k`` by an
    attacker whose order (given at step 0) achieved surprise ``level``."""

    def surprised(st: State) -> None:
        st.surprise[:, 0] = level

    (share,) = forced_off(arr, [0], k=k, prepare=surprised)
    return share


def test_surprise_carries_an_assault_by_the_damped_mobility_and_wears_off() -> None:
    arr = _crest(110.0, (1.0, 1.0))  # 110 against 136.5: fails without surprise
    assert _forced(arr, 0.0, 0) == 0.0
    # minor surprise on open flat ground (r_m 1.05) in clear weather (h_m 1): m = 1.315, 144.7
    assert arr.terrain.factors[0, 7] == 1.05
    assert _forced(arr, 1.0, 0) > 0.05
    # a day later a third has worn off: m = 1 + 0.3 x 2/3 x 1.05 = 1.21, 133 < 136.5
    assert _forced(arr, 1.0, DAY_STEPS) == 0.0
    # substantial surprise still carries it on the second day (m = 2.4)
    assert _forced(arr, 2.0, DAY_STEPS) > 0.05
    # and after three days nothing is left of it
    assert _forced(arr, 3.0, 3 * DAY_STEPS) == 0.0


def _losses(level: float, k: int = 0) -> np.ndarray[Any, np.dtype[np.float64]]:
    arr = _big(5000.0, 5000.0, 1)
    st = initial_state(arr, 1)
    st.posture[:] = P_DEFENDING
    st.surprise[:, 0] = level
    env = replace(_env(arr), step=k)
    con = acquire(arr, st, st.alive(arr), env)
    fire = Fire.empty(st.men.shape)
    direct_fire(arr, st, con, env, fire)
    out: np.ndarray[Any, np.dtype[np.float64]] = resolve(arr, st, fire, con, env).men[0]
    return out


def test_surprise_multiplies_losses_by_the_qjm_vulnerabilities() -> None:
    base = _losses(0.0)
    assert np.all(base > 0)
    # substantial: the surpriser loses 0.6 as many, the surprised side twice as many
    assert _losses(2.0) == pytest.approx(base * np.array([0.6, 2.0]))
    # half worn off after a day and a half: 0.8 and 1.5
    assert _losses(2.0, DAY_STEPS * 3 // 2) == pytest.approx(base * np.array([0.8, 1.5]))


def _with_surprise(level: float) -> Any:
    data = load("example-meeting").model_dump(mode="json")
    order = next(e for e in data["events"] if e["kind"] == "order")
    order["surprise"] = {"value": level, "assumption": True, "low": 0, "high": 3, "note": "test"}
    return validate(data)


def test_no_surprise_is_bit_identical_to_none_given_and_surprise_changes_the_battle() -> None:
    before = run_block(load("example-meeting"), 5, 0, 8)
    after = run_block(_with_surprise(0.0), 5, 0, 8)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[name], check_exact=True)
    surprised = run_block(_with_surprise(3.0), 5, 0, 8)
    assert not before["replications"].equals(surprised["replications"])


def test_a_surprise_level_must_lie_between_none_and_complete() -> None:
    with pytest.raises(ScenarioError, match="surprise"):
        _with_surprise(3.5)
    data = load("example-meeting").model_dump(mode="json")
    next(e for e in data["events"] if e["kind"] == "order")["surprise"] = 1  # no provenance
    with pytest.raises(ScenarioError, match="surprise"):
        validate(data)


def test_a_unit_that_breaks_loses_its_surprise_for_good() -> None:
    arr = _crest(110.0, (1.0, 1.0))
    order = {
        "order_step": [5],
        "order_unit": [0],
        "order_action": [A_ASSAULT],
        "order_objective": [0],
        "order_field": [-1],
        "order_until": [10_000],
        "order_threshold": [np.nan],
        "order_cond_objective": [-1],
        "order_group": [0],
        "order_surprise": [2.0],
    }
    ev = replace(
        arr.events, order_target=np.zeros((1, 2)), **{k: np.array(v) for k, v in order.items()}
    )
    arr = replace(arr, events=ev)
    st = initial_state(arr, 2)
    rng, trace = np.random.default_rng(0), Trace.allocate(arr, 2)
    events(arr, st, rng, 5, trace)  # the order goes in: substantial surprise everywhere
    assert st.surprise[:, 0].tolist() == [2.0, 2.0]
    st.broken[0, 0] = True  # replication 0's attacker breaks ...
    events(arr, st, rng, 6, trace)
    st.broken[0, 0] = False  # ... and rallies
    f = surprise.factors(arr, st, 7)
    assert f is not None
    assert f[0, 0].tolist() == [1.0, 1.0, 1.0]
    assert f[1, 0] == pytest.approx([3.0, 0.6, 2.0], rel=0.01)
