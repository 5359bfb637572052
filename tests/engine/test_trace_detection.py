"""The replay's fog of war: per frame, which units each side knows the position of."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kriegsspiel.engine.runner import compiled, run_block
from kriegsspiel.scenario import load, resolve
from kriegsspiel.scenario.schema import Scenario


@pytest.fixture(scope="module")
def meeting() -> Scenario:
    return load(resolve("example-meeting"))


@pytest.fixture(scope="module")
def traced(meeting: Scenario) -> pd.DataFrame:
    return run_block(meeting, 7, 0, 4, trace_reps=4)["unit_trace"]


def test_detection_columns_draw_no_random_numbers(meeting: Scenario) -> None:
    plain = run_block(meeting, 11, 0, 3, trace_reps=0)
    traced = run_block(meeting, 11, 0, 3, trace_reps=3)
    assert {"seen_by_blue", "seen_by_red"} <= set(traced["unit_trace"].columns)
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(frame, traced[name])


def test_a_side_knows_its_own_units_and_sees_only_live_enemies_in_range(
    meeting: Scenario, traced: pd.DataFrame
) -> None:
    arr = compiled(meeting)
    side_of = dict(zip(arr.unit_ids, np.array(arr.side_ids)[arr.side], strict=True))
    side = traced["unit"].map(side_of)
    p = arr.params
    reach = max(p.detect_day, p.detect_night, p.detect_fog)
    for s in arr.side_ids:
        seen = traced[f"seen_by_{s}"].to_numpy(bool)
        own = (side == s).to_numpy()
        assert seen[own].all()
        enemy = traced[~own & seen]
        assert enemy["x"].notna().all() and (enemy["strength"] > 0).all()
        # whoever is seen has an observer of side s within the longest detection range
        mine = traced[own]
        pairs = enemy.merge(mine, on=["replication", "t_min"], suffixes=("", "_obs"))
        dist = np.hypot(pairs["x"] - pairs["x_obs"], pairs["y"] - pairs["y_obs"])
        nearest = pairs.assign(d=dist).groupby(["replication", "t_min", "unit"])["d"].min()
        assert (nearest <= reach + 1e-6).all()


def test_detection_is_partial_in_the_meeting(traced: pd.DataFrame) -> None:
    """Blue sees the Red company it fights more often than the mortar section."""
    blue = traced[traced["unit"].str.startswith("red")].groupby("unit")["seen_by_blue"].mean()
    assert 0 < blue["red-1"] <= 1
    assert blue["red-mortars"] < blue["red-1"]
