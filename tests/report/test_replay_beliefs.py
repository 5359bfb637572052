"""The replay's fog view shows what the side believed is on each objective; the full view the truth.

The numbers come from the engine's ``intel_objectives`` table (traced replications), the same
per-objective estimate the engine weighs conditional orders against.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from meeting_run import positions_known_run
from replay_view import at_time
from report_synthetic import SIDES, XSS, replay_data

from kriegsspiel.errors import InputError
from kriegsspiel.experiment import Results
from kriegsspiel.report.data import Side
from kriegsspiel.report.replay_adapter import replay_from_results_dir
from kriegsspiel.report.replay_data import ObjectiveIntel, ReplayData
from kriegsspiel.report.replay_page import replay_html, write_replay


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three runs of the meeting with Red knowing Blue's positions (its estimate has an error)."""
    return positions_known_run(tmp_path_factory.mktemp("beliefs"), reps=3, seed=4)


@pytest.fixture(scope="module")
def data(run: Path) -> ReplayData:
    return replay_from_results_dir(run, 1)


def test_beliefs_summed_over_objectives_are_the_intel_table(run: Path, data: ReplayData) -> None:
    assert data.intel is not None
    intel = Results.open(run).frame("intel")
    intel = intel[intel["replication"] == 1]
    sides = [s.id for s in data.sides]
    for s, side in enumerate(sides):
        rows = intel[intel["side"] == side].sort_values("hour")
        assert rows["hour"].to_list() == list(range(len(data.intel.times)))
        np.testing.assert_allclose(
            data.intel.believed[:, s, :].sum(axis=1), rows["believed_enemy"], rtol=1e-5
        )
        # two sides: the enemy men a side counts on the objectives are the other side's men
        other = 1 - s
        np.testing.assert_allclose(
            data.intel.present[:, other, :].sum(axis=1), rows["true_enemy"], rtol=1e-5, atol=1e-3
        )
    np.testing.assert_array_equal(data.intel.times, np.arange(len(data.intel.times)) * 60.0)


def test_without_the_table_there_is_no_intel(tmp_path: Path) -> None:
    from test_adapters import _results, _trace

    root = _results(tmp_path / "run", extra=_trace(0))
    assert replay_from_results_dir(root, 0).intel is None


def _intel(n: int, sides: int = 2, objectives: int = 2) -> ObjectiveIntel:
    grid = np.arange(n * sides * objectives, dtype=float).reshape(n, sides, objectives)
    return ObjectiveIntel(np.arange(n) * 60.0, grid + 1000.0, grid)


def test_malformed_intel_names_the_field() -> None:
    with pytest.raises(InputError, match=r"intel\.times"):
        ObjectiveIntel(np.array([0.0, 0.0]), np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(InputError, match=r"intel\.present"):
        ObjectiveIntel(np.array([0.0, 60.0]), np.zeros((2, 2, 2)), np.zeros((2, 2, 3)))
    with pytest.raises(InputError, match=r"intel\.believed"):
        ObjectiveIntel(np.array([0.0]), np.full((1, 2, 2), -1.0), np.zeros((1, 2, 2)))
    with pytest.raises(InputError, match=r"intel\.believed"):
        replace(replay_data(), intel=_intel(3, objectives=3))


def _hostile() -> ReplayData:
    sides = (Side("east", XSS, "#c0392b"), SIDES[1])
    return replace(replay_data(), sides=sides, intel=_intel(25))


def test_side_names_in_the_intel_are_escaped() -> None:
    html = replay_html(_hostile())
    assert XSS not in html
    assert "<img" not in html


def _shown(page: Any) -> tuple[list[str], list[str]]:
    """The side panel's line and the map's label for each objective."""
    texts: list[str] = page.locator("#objectives li .intel").all_inner_texts()
    return [t.removeprefix(" · ") for t in texts], page.evaluate(
        "kriegsspielReplay.objectiveLabels()"
    )


@pytest.mark.browser
def test_the_fog_view_shows_the_sides_belief_and_the_full_view_the_truth(
    open_page: Any, run: Path, data: ReplayData
) -> None:
    assert data.intel is not None
    believed, present = np.rint(data.intel.believed), np.rint(data.intel.present)
    # Red (side 1) knows Blue's positions: an hour when Red's estimate on the hill is off
    red, blue = 1, 0
    assert [s.id for s in data.sides] == ["blue", "red"]
    differs = np.flatnonzero(
        (believed[:, red, 0] != present[:, blue, 0]) & (present[:, blue, 0] > 0)
    )
    assert differs.size > 0
    k = int(differs[0])
    opened = open_page(write_replay(data, run))
    page = opened.page
    at_time(page, float(data.intel.times[k]))
    names = [s.name for s in data.sides]
    objectives = range(len(data.objectives))
    men = [[f"{int(present[k, i, o]):,}" for i in range(2)] for o in objectives]
    truth = (
        [f"true: {names[0]} {m[0]} · {names[1]} {m[1]}" for m in men],
        [f"true {m[0]} · {m[1]}" for m in men],
    )
    assert _shown(page) == truth
    page.select_option("#view", str(red))
    panel, labels = _shown(page)
    assert (
        panel == labels == [f"believed {int(believed[k, red, o]):,} enemy men" for o in objectives]
    )
    assert f"believed {int(present[k, blue, 0]):,} enemy men" not in panel
    page.select_option("#view", str(blue))
    panel, labels = _shown(page)
    assert (
        panel == labels == [f"believed {int(believed[k, blue, o]):,} enemy men" for o in objectives]
    )
    page.select_option("#view", "-1")
    assert _shown(page) == truth
    assert opened.errors == [] and opened.network == [] and opened.dialogs == []


@pytest.mark.browser
def test_hostile_side_names_in_the_labels_stay_text(open_page: Any, tmp_path: Path) -> None:
    opened = open_page(write_replay(_hostile(), tmp_path))
    page = opened.page
    at_time(page, 120.0)
    panel, labels = _shown(page)
    assert panel and all(XSS in t for t in panel)
    assert len(labels) == len(panel) and not any(XSS in t for t in labels)
    assert page.locator("img").count() == 0
    assert opened.errors == [] and opened.dialogs == []
