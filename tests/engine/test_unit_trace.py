"""The per-unit trace for the replay: recorded without changing results, consistent with series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kriegsspiel.engine.arrays import TYPES
from kriegsspiel.engine.runner import compiled, run_block
from kriegsspiel.engine.trace import FRAME_MINUTES, STATES
from kriegsspiel.scenario import load, resolve
from kriegsspiel.scenario.schema import Scenario


@pytest.fixture(scope="module")
def meeting() -> Scenario:
    return load(resolve("example-meeting"))


def test_tracing_changes_no_result(meeting: Scenario) -> None:
    plain = run_block(meeting, 7, 1, 4, trace_reps=0)
    traced = run_block(meeting, 7, 1, 4, trace_reps=6)
    assert "unit_trace" not in plain
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(frame, traced[name])


def test_only_replications_below_trace_reps_are_traced(meeting: Scenario) -> None:
    first = run_block(meeting, 7, 0, 4, trace_reps=6)
    second = run_block(meeting, 7, 1, 4, trace_reps=6)
    third = run_block(meeting, 7, 2, 4, trace_reps=6)
    assert sorted(first["unit_trace"]["replication"].unique()) == [0, 1, 2, 3]
    assert sorted(second["unit_trace"]["replication"].unique()) == [4, 5]
    assert sorted(second["fire"]["replication"].unique()) == [4, 5]
    assert "unit_trace" not in third and "fire" not in third


def test_frames_every_quarter_hour_and_agree_with_the_hourly_series(meeting: Scenario) -> None:
    arr = compiled(meeting)
    tables = run_block(meeting, 3, 0, 3, trace_reps=3)
    trace = tables["unit_trace"]
    times = np.sort(trace["t_min"].unique())
    end = arr.n_steps * arr.step_minutes
    assert times[0] == 0 and times[-1] == end
    assert np.all(np.diff(times)[:-1] == FRAME_MINUTES)
    ground = [u for u, t in zip(arr.unit_ids, arr.utype, strict=True) if TYPES[t] != "air"]
    assert len(trace) == times.size * 3 * len(ground)
    assert set(trace["state"]) <= set(STATES)
    # at every whole hour, traced strength per side and type is what the series table holds
    series = tables["series"]
    side_of = dict(zip(arr.unit_ids, np.array(arr.side_ids)[arr.side], strict=True))
    type_of = dict(zip(arr.unit_ids, np.array(TYPES)[arr.utype], strict=True))
    hourly = trace[trace["t_min"] % 60 == 0].assign(
        side=trace["unit"].map(side_of),
        type=trace["unit"].map(type_of),
        hour=trace["t_min"] // 60,
    )
    for (rep, hour, side), rows in hourly.groupby(["replication", "hour", "side"]):
        row = series[
            (series["replication"] == rep) & (series["hour"] == hour) & (series["side"] == side)
        ]
        for unit_type, group in rows[rows["type"] != "tank"].groupby("type"):
            men = float(row[f"men_{unit_type}"].iloc[0])
            assert group["strength"].sum() == pytest.approx(men)


def test_fire_lines_join_units_of_opposite_sides(meeting: Scenario) -> None:
    arr = compiled(meeting)
    fire = run_block(meeting, 3, 0, 2, trace_reps=2)["fire"]
    side_of = dict(zip(arr.unit_ids, arr.side, strict=True))
    assert not fire.empty
    assert (fire["source"].map(side_of) != fire["target"].map(side_of)).all()
    assert (fire["size"] > 0).all() and np.isfinite(fire[["tx", "ty"]].to_numpy()).all()
    assert set(fire["kind"]) <= {"fire", "artillery", "air"}
