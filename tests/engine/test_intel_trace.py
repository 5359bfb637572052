"""Each side's picture of the enemy, hour by hour, and the conditional orders it weighs.

The update rule (``kriegsspiel.engine.doctrine``): a side's belief about the enemy men on each
objective starts at its prior spread evenly over the objectives; an intel event with a number
resets it to that number spread again; an intel event with positions sets it to the truth on
each objective times a lognormal error; every hour, an objective on which the side observes
enemy men is set to the observed men times that error, the others keep their value.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from engine_battles import battle, no_events

from kriegsspiel.engine import doctrine
from kriegsspiel.engine.arrays import BattleArrays
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.runner import compiled, run_block
from kriegsspiel.engine.trace import EVENT_KINDS, Trace
from kriegsspiel.scenario import Scenario, apply_overrides, load, resolve

PRIOR = 120.0
HOUR = 12  # steps of 5 minutes


def _objectives(arr: BattleArrays, centres: list[tuple[float, float]]) -> BattleArrays:
    return replace(
        arr,
        objective_ids=tuple(f"o{i}" for i in range(len(centres))),
        obj_center=np.asarray(centres, dtype=float),
        obj_radius=np.full(len(centres), 150.0),
        obj_min_men=np.zeros(len(centres)),
        intel_enemy_men=np.array([PRIOR, PRIOR]),
    )


def _quiet(positions: list[tuple[float, float]], men: list[float], hours: int) -> BattleArrays:
    """Two units that never fire, at night (detection 300 m), two objectives."""
    n_steps = hours * HOUR
    arr = battle(positions, [0, 1], men, [0.0, 0.0], n_steps=n_steps)
    arr = replace(arr, night=np.ones(n_steps, dtype=bool))
    return _objectives(arr, [(-1000.0, 0.0), (1000.0, 0.0)])


def _intel_events(arr: BattleArrays, rows: list[tuple[int, int, float, int]]) -> BattleArrays:
    events = replace(
        no_events(2, arr.n_steps),
        intel_step=np.array([r[0] for r in rows], dtype=np.int64),
        intel_side=np.array([r[1] for r in rows], dtype=np.int64),
        intel_enemy_men=np.array([r[2] for r in rows]),
        intel_positions=np.array([r[3] for r in rows], dtype=np.int64),
    )
    return replace(arr, events=events)


def _run(arr: BattleArrays, reps: int = 6, seed: int = 1) -> Trace:
    _, trace = simulate(arr, reps, np.random.default_rng(seed))
    return trace


def test_without_detection_or_intel_the_estimate_stays_at_the_prior() -> None:
    arr = _quiet([(-1000.0, 0.0), (1000.0, 0.0)], [80.0, 90.0], hours=4)
    trace = _run(arr)
    assert trace.believed.shape == (5, 6, 2)
    np.testing.assert_allclose(trace.believed, PRIOR)
    assert (trace.enemy_seen == 0).all() and (trace.enemy_units == 1).all()
    # each unit stands on an objective: the truth is the other side's men there
    np.testing.assert_allclose(trace.enemy_true[:, :, 0], 90.0)
    np.testing.assert_allclose(trace.enemy_true[:, :, 1], 80.0)


def test_a_recon_event_sets_the_estimate_to_the_truth_of_that_hour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(doctrine, "INTEL_ERROR_SIGMA", 0.0)
    arr = _quiet([(-1000.0, 0.0), (1000.0, 0.0)], [80.0, 90.0], hours=4)
    arr = _intel_events(arr, [(2 * HOUR, 0, np.nan, 1), (3 * HOUR, 1, 250.0, -1)])
    trace = _run(arr)
    red, blue = trace.believed[:, :, 0], trace.believed[:, :, 1]
    np.testing.assert_allclose(red[:2], PRIOR)  # before the recon: the prior
    np.testing.assert_allclose(red[2:], trace.enemy_true[2:, :, 0])  # after: the truth, 90
    np.testing.assert_allclose(red[2:], 90.0)
    np.testing.assert_allclose(blue[:3], PRIOR)
    np.testing.assert_allclose(blue[3:], 250.0)  # a new estimate replaces the old one


def test_the_recon_estimate_carries_the_lognormal_error() -> None:
    arr = _quiet([(-1000.0, 0.0), (1000.0, 0.0)], [80.0, 90.0], hours=2)
    arr = _intel_events(arr, [(HOUR, 0, np.nan, 1)])
    trace = _run(arr, reps=600, seed=4)
    log_ratio = np.log(trace.believed[1, :, 0] / trace.enemy_true[1, :, 0])
    sigma = doctrine.INTEL_ERROR_SIGMA
    assert abs(log_ratio.mean()) < 4 * sigma / np.sqrt(600)
    assert log_ratio.std() == pytest.approx(sigma, rel=0.15)


def test_observed_enemies_replace_the_estimate_on_their_objective_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(doctrine, "INTEL_ERROR_SIGMA", 0.0)
    # 200 m apart at night: each sees the other; blue stands on objective 1, red on neither
    arr = _quiet([(800.0, 0.0), (1000.0, 0.0)], [80.0, 90.0], hours=2)
    trace = _run(arr)
    assert (trace.enemy_seen == 1).all()
    # red observes blue's 90 men on objective 1 and keeps PRIOR / 2 for objective 0
    np.testing.assert_allclose(trace.believed[:, :, 0], 90.0 + PRIOR / 2)
    # blue sees red's men, but not on an objective: nothing to update, the prior stands
    np.testing.assert_allclose(trace.believed[:, :, 1], PRIOR)
    np.testing.assert_allclose(trace.enemy_true[:, :, 1], 0.0)


def informed_meeting(extra: dict[str, Any] | None = None) -> Scenario:
    """The meeting, Blue knowing Red's positions (prior 120 men), after the ``extra`` overrides."""
    return apply_overrides(
        load(resolve("example-meeting")),
        {
            **(extra or {}),
            "sides.blue.intel.positions_known": True,
            "sides.blue.intel.enemy_men": {"value": 120, "source": "FM"},
        },
    )


@pytest.fixture(scope="module")
def conditional() -> dict[str, pd.DataFrame]:
    """The meeting with Blue's advance conditional on a believed ratio of 1 (positions known)."""
    condition = {"kind": "believed_force_ratio", "threshold": {"value": 1.0, "source": "FM"}}
    return run_block(informed_meeting({"events[0].condition": condition}), 3, 0, 40, trace_reps=0)


def test_the_conditions_table_follows_the_rule_and_the_orders_given(
    conditional: dict[str, pd.DataFrame],
) -> None:
    table = conditional["conditions"]
    assert len(table) == 40 and set(table["side"]) == {"blue"}
    assert (table["order"] == "events[0]").all() and (table["objective"] == "").all()
    rule = table["own_men"] >= table["threshold"] * np.maximum(table["believed_enemy"], 1.0)
    assert (table["fired"] == rule).all()
    # the order event was logged in exactly the replications where it went in
    events = conditional["events"]
    arr = compiled(load(resolve("example-meeting")))
    blue = arr.unit_ids.index("blue-1")
    ordered = events[
        (events["kind"] == "order") & (events["step"] == 0) & (events["unit"] == blue)
    ]["replication"]
    assert set(ordered) == set(table.loc[table["fired"], "replication"])


def test_the_intel_table_has_one_row_per_replication_hour_and_side(
    conditional: dict[str, pd.DataFrame],
) -> None:
    intel = conditional["intel"]
    series = conditional["series"]
    keys = ["replication", "hour", "side"]
    assert len(intel) == len(series)
    assert intel[keys].equals(series[keys])
    assert (intel["enemy_seen"] <= intel["enemy_units"]).all()
    # at the first sample Blue's belief is the truth with error (positions known)
    first = intel[(intel["hour"] == 0) & (intel["side"] == "blue")]
    conditions = conditional["conditions"].set_index("replication")
    np.testing.assert_allclose(
        first["believed_enemy"].to_numpy(),
        conditions.loc[first["replication"], "believed_enemy"].to_numpy(),
        rtol=1e-6,
    )


def test_conditional_orders_are_weighed_once_per_event() -> None:
    arr = _quiet([(-1000.0, 0.0), (1000.0, 0.0)], [80.0, 90.0], hours=2)
    events = replace(
        no_events(2, arr.n_steps),
        order_step=np.array([HOUR, HOUR, HOUR], dtype=np.int64),
        order_unit=np.array([0, 0, 1], dtype=np.int64),
        order_action=np.zeros(3, dtype=np.int64),
        order_target=np.full((3, 2), np.nan),
        order_objective=np.full(3, -1, dtype=np.int64),
        order_field=np.full(3, -1, dtype=np.int64),
        order_until=np.full(3, arr.n_steps, dtype=np.int64),
        order_threshold=np.array([0.5, 0.5, 2.0]),
        order_cond_objective=np.array([-1, -1, 1], dtype=np.int64),
        order_group=np.array([4, 4, 7], dtype=np.int64),
        order_surprise=np.zeros(3),
    )
    trace = _run(replace(arr, events=events))
    assert [(d.group, d.side, d.objective) for d in trace.decisions] == [(4, 0, -1), (7, 1, 1)]
    red, blue = trace.decisions
    np.testing.assert_allclose(red.own, 80.0)
    np.testing.assert_allclose(red.believed, PRIOR)
    np.testing.assert_allclose(red.true, 90.0)
    assert red.met.all()  # 80 >= 0.5 x 120
    np.testing.assert_allclose(blue.believed, PRIOR / 2)  # objective 1 only
    np.testing.assert_allclose(blue.true, 0.0)  # red stands on objective 0
    assert not blue.met.any()  # 90 < 2 x 60
    order = trace.log_kind == EVENT_KINDS.index("order")
    given = trace.log_unit[order & (trace.log_step == HOUR)]
    # red's order (two rows) went in, in each of the 6 replications; blue's in none
    assert set(given.tolist()) == {0} and given.size == 2 * 6
