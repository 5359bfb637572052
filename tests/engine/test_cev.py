"""Combat effectiveness value (QJM/TNDM CEV): combat power in assaults, losses in attrition."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from engine_battles import battle
from test_assault_power import _forced
from test_attrition import _big, _env

from kriegsspiel.engine.arrays import P_DEFENDING, BattleArrays
from kriegsspiel.engine.compile import compile_scenario
from kriegsspiel.engine.fire import Fire, acquire, direct_fire, resolve
from kriegsspiel.engine.runner import run_block
from kriegsspiel.engine.state import initial_state
from kriegsspiel.scenario import load
from kriegsspiel.scenario.loader import validate
from kriegsspiel.scenario.problems import ScenarioError


def _crest(attacker_fp: float, cev: tuple[float, float]) -> BattleArrays:
    """A crest held by a side-1 unit of OLI 100 (hasty, flat: 136.5), a side-0 attacker 200 m
    off (within assault range) with ``attacker_fp``."""
    return battle(
        [(200.0, 0.0), (0.0, 0.0)],
        [0, 1],
        [500.0, 100.0],
        [attacker_fp, 100.0],
        obj_center=np.array([[0.0, 0.0]]),
        obj_radius=np.array([100.0]),
        obj_min_men=np.zeros(1),
        objective_ids=("crest",),
        cev=np.array(cev),
    )


def test_the_cev_multiplies_combat_power_in_an_assault() -> None:
    # 110 against 136.5 fails (ratio 0.81); at CEV 1.5 it is 165, a ratio of 1.21: it succeeds
    assert _forced(_crest(110.0, (1.0, 1.0)), [0]) == (0.0,)
    assert _forced(_crest(110.0, (1.5, 1.0)), [0])[0] > 0.05
    # the CEV is relative: the same edge on both sides changes nothing
    assert _forced(_crest(110.0, (1.5, 1.5)), [0]) == (0.0,)
    # and it is the attacker's ratio that matters: at 0.8 the same attack fails again
    assert _forced(_crest(110.0, (0.8, 1.0)), [0]) == (0.0,)


def _losses(cev: tuple[float, float]) -> np.ndarray[Any, np.dtype[np.float64]]:
    arr = _big(5000.0, 5000.0, 1, cev=np.array(cev))
    st = initial_state(arr, 1)
    st.posture[:] = P_DEFENDING
    con = acquire(arr, st, st.alive(arr), _env(arr))
    fire = Fire.empty(st.men.shape)
    direct_fire(arr, st, con, _env(arr), fire)
    out: np.ndarray[Any, np.dtype[np.float64]] = resolve(arr, st, fire, con, _env(arr)).men[0]
    return out


def test_the_opponents_cev_multiplies_own_losses_up_to_the_tndm_cap() -> None:
    base = _losses((1.0, 1.0))
    assert np.all(base > 0)
    # side 0 at 1.2: side 1 loses 1.2 times as many, side 0 1/1.2 as many
    assert _losses((1.2, 1.0)) == pytest.approx(base * np.array([1 / 1.2, 1.2]))
    # the relative CEV is capped at 1.5 (TNDM), both ways
    cap = _big(1.0, 1.0, 1).params.cev_loss_cap
    assert cap == 1.5
    assert _losses((2.0, 1.0)) == pytest.approx(base * np.array([1 / cap, cap]))
    # equal CEVs: exactly the losses of CEV 1
    assert np.array_equal(_losses((1.3, 1.3)), base)


def _with_cev(name: str, cev: dict[str, float]) -> Any:
    data = load(name).model_dump(mode="json")
    for side, value in cev.items():
        data["sides"][side]["cev"] = {
            "value": value,
            "assumption": True,
            "low": 1.0,
            "high": 1.6,
            "note": "test",
        }
    return validate(data)


def test_cev_one_on_every_side_is_bit_identical_to_no_cev() -> None:
    plain = load("example-meeting")
    explicit = _with_cev("example-meeting", {"blue": 1.0, "red": 1.0})
    assert np.array_equal(compile_scenario(explicit).cev, [1.0, 1.0])
    before = run_block(plain, 5, 0, 8)
    after = run_block(explicit, 5, 0, 8)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[name], check_exact=True)
    # and a CEV that differs from 1 does change the battle
    edge = run_block(_with_cev("example-meeting", {"blue": 1.5}), 5, 0, 8)
    assert not before["replications"].equals(edge["replications"])


def test_a_scenario_cev_must_be_positive_and_sourced() -> None:
    with pytest.raises(ScenarioError, match="cev"):
        _with_cev("example-meeting", {"blue": 0.0})
    data = load("example-meeting").model_dump(mode="json")
    data["sides"]["blue"]["cev"] = 1.2  # a bare number has no provenance
    with pytest.raises(ScenarioError, match="cev"):
        validate(data)
