"""Each side's belief per objective, recorded for the traced replications (the replay's fog view).

The ``intel_objectives`` table splits the ``intel`` table's believed and true enemy men by
objective; the belief there is the array conditional orders are weighed against.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from engine_battles import no_events
from test_intel_trace import HOUR, PRIOR, _quiet, informed_meeting

from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.runner import run_block


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The meeting, Blue knowing Red's positions, 6 replications of which 4 are traced."""
    return run_block(informed_meeting(), 5, 0, 6, trace_reps=4)


def test_summed_over_objectives_the_beliefs_are_the_intel_table(
    tables: dict[str, pd.DataFrame],
) -> None:
    per_objective = tables["intel_objectives"]
    intel = tables["intel"]
    keys = ["replication", "hour", "side"]
    assert sorted(per_objective["replication"].unique()) == [0, 1, 2, 3]
    n_objectives = per_objective["objective"].nunique()
    assert n_objectives >= 1
    summed = per_objective.groupby(keys, sort=False)[["believed_enemy", "true_enemy"]].sum()
    traced = intel[intel["replication"] < 4].set_index(keys)
    assert len(summed) == len(traced) == len(per_objective) // n_objectives
    summed = summed.loc[traced.index]
    np.testing.assert_allclose(summed["believed_enemy"], traced["believed_enemy"], rtol=1e-6)
    np.testing.assert_allclose(summed["true_enemy"], traced["true_enemy"], rtol=1e-6)
    # the beliefs vary: positions known, Blue's estimate carries the lognormal error
    blue = per_objective[per_objective["side"] == "blue"]
    assert blue["believed_enemy"].nunique() > 1


def test_the_record_changes_no_other_table(tables: dict[str, pd.DataFrame]) -> None:
    plain = run_block(informed_meeting(), 5, 0, 6, trace_reps=0)
    assert set(tables) - set(plain) == {"unit_trace", "fire", "intel_objectives"}
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(frame, tables[name])


def test_a_condition_on_one_objective_weighs_the_recorded_belief() -> None:
    # 200 m apart at night: red sees blue standing on objective 1 and estimates it (with error)
    arr = _quiet([(800.0, 0.0), (1000.0, 0.0)], [80.0, 90.0], hours=3)
    events = replace(
        no_events(2, arr.n_steps),
        order_step=np.array([2 * HOUR], dtype=np.int64),
        order_unit=np.array([0], dtype=np.int64),
        order_action=np.zeros(1, dtype=np.int64),
        order_target=np.full((1, 2), np.nan),
        order_objective=np.full(1, -1, dtype=np.int64),
        order_field=np.full(1, -1, dtype=np.int64),
        order_until=np.full(1, arr.n_steps, dtype=np.int64),
        order_threshold=np.array([1.0]),
        order_cond_objective=np.array([1], dtype=np.int64),
        order_group=np.array([0], dtype=np.int64),
        order_surprise=np.zeros(1),
    )
    _, trace = simulate(replace(arr, events=events), 8, np.random.default_rng(3), traced=5)
    believed = trace.objective_believed
    assert believed.shape == (4, 5, 2, 2)
    np.testing.assert_allclose(believed[:, :, 0, 0], PRIOR / 2)  # nothing seen on objective 0
    np.testing.assert_allclose(trace.objective_true[:, :, 0, 1], 90.0)
    assert np.unique(believed[:, :, 0, 1]).size > 1  # the estimate of 90 men, with its error
    # weighed at 2 h, before that hour's update: the belief sampled at 1 h, objective 1
    (decision,) = trace.decisions
    np.testing.assert_array_equal(decision.believed[:5].astype(np.float32), believed[1, :, 0, 1])
    assert not np.allclose(decision.believed[:5], believed[2, :, 0, 1])


def test_without_traced_replications_nothing_per_objective_is_kept() -> None:
    arr = _quiet([(-1000.0, 0.0), (1000.0, 0.0)], [80.0, 90.0], hours=1)
    _, trace = simulate(arr, 3, np.random.default_rng(1))
    assert trace.believed.shape == (2, 3, 2)
    assert trace.objective_believed.shape == trace.objective_true.shape == (2, 0, 2, 2)
