"""Designs (grid, Latin hypercube, Sobol) run as resumable sets of runs; the CLI commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment import BlockTask, engine_adapter, run_experiment
from kriegsspiel.experiment.aggregate_task import aggregate_task
from kriegsspiel.experiment.designs import grid_design, lhs_design, run_design
from kriegsspiel.experiment.sensitivity import run_sensitivity


def test_grid_is_the_full_product() -> None:
    design = grid_design({"a": [1, 2, 3], "b": [True, False]})
    assert len(design.points) == 6
    assert {(p["a"], p["b"]) for p in design.points} == {(a, b) for a in (1, 2, 3) for b in (1, 0)}


def test_latin_hypercube_uses_every_stratum_once() -> None:
    design = lhs_design({"x": (10.0, 20.0), "y": (-1.0, 1.0)}, 25, seed=3)
    frame = design.frame()
    for key, (low, high) in {"x": (10.0, 20.0), "y": (-1.0, 1.0)}.items():
        strata = np.floor((frame[key] - low) / (high - low) * 25).astype(int)
        assert sorted(strata) == list(range(25))


def test_design_points_share_random_numbers_and_resume(toy: BlockTask, tmp_path: Path) -> None:
    design = grid_design({"mean": [0.0, 1.0, 2.5]})
    opts = {"replications": 45, "seed": 4, "block_size": 10, "progress": False}
    res = run_design(lambda p: toy.with_params(**p), design, tmp_path / "sweep", **opts)
    values = [run.frame()["value"].to_numpy() for run in res.runs]
    # common random numbers: every point drew the same noise, so only the mean moved
    assert np.allclose(values[1] - values[0], 1.0, rtol=0, atol=1e-12)
    assert np.allclose(values[2] - values[0], 2.5, rtol=0, atol=1e-12)
    assert res.summary("value")["value"].diff().iloc[1:].round(12).tolist() == [1.0, 1.5]
    again = run_design(
        lambda p: toy.with_params(**p), design, tmp_path / "sweep", resume=True, **opts
    )
    assert all(a.arrow().equals(b.arrow()) for a, b in zip(res.runs, again.runs, strict=True))
    with pytest.raises(KriegsspielError, match="already holds this design"):
        run_design(lambda p: toy.with_params(**p), design, tmp_path / "sweep", **opts)
    with pytest.raises(KriegsspielError, match="different design"):
        other = grid_design({"mean": [0.0, 1.0]})
        run_design(lambda p: toy.with_params(**p), other, tmp_path / "sweep", resume=True, **opts)


def test_sensitivity_finds_the_parameter_that_matters(toy: BlockTask, tmp_path: Path) -> None:
    """value = mean + scale * noise; with shared noise the mean explains nearly everything."""
    ranges = {"mean": (0.0, 1.0), "scale": (0.0, 0.1)}
    idx = run_sensitivity(
        lambda p: toy.with_params(**p), ranges, "value", tmp_path / "sobol", samples=16,
        replications=20, seed=2, block_size=20, progress=False,
    )  # fmt: skip
    assert idx.loc["mean", "S1"] > 0.9 and idx.loc["scale", "ST"] < 0.1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from kriegsspiel.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def test_compare_cli_with_common_random_numbers(tmp_path: Path) -> None:
    opts = {"replications": 300, "seed": 9, "block_size": 50, "progress": False}
    base = aggregate_task("square", 30, 30, 0.02, 0.02, method="exact")
    better = aggregate_task("square", 30, 30, 0.02, 0.03, method="exact")  # X kills faster
    run_experiment(base, tmp_path / "a", **opts)  # type: ignore[arg-type]
    run_experiment(base, tmp_path / "same", **opts)  # type: ignore[arg-type]
    run_experiment(better, tmp_path / "b", **opts)  # type: ignore[arg-type]
    done = _cli("compare", str(tmp_path / "a"), str(tmp_path / "b"), "--json", "--resamples", "500")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["paired"] is True
    assert set(report["metrics"]) == {"x_wins", "y_wins", "x_final", "y_final", "duration", "steps"}
    wins = report["metrics"]["x_wins"]
    assert wins["diff_mean"]["low"] > 0 and wins["p_b_beats_a"]["estimate"] > 0.5
    same = _cli("compare", str(tmp_path / "a"), str(tmp_path / "same"), "--json")
    for metric in json.loads(same.stdout)["metrics"].values():
        assert metric["diff_mean"] == {"estimate": 0.0, "low": 0.0, "high": 0.0}
        assert metric["p_b_beats_a"]["estimate"] == 0.5
    missing = _cli("compare", str(tmp_path / "a"), str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["sweep", "khasan-1938", "--grid", "weather.fog=true,false", "--out", "OUT"],
        ["sensitivity", "khasan-1938", "--metric", "m", "--out", "OUT"],
        ["whatif", "khasan-1938", "no-fog", "--out", "OUT"],
    ],
)
def test_scenario_commands_say_when_the_engine_is_missing(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_adapter, "ENGINE_BLOCK_RUNNER", "kriegsspiel.no_such_engine:run")
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = CliRunner().invoke(app, argv)
    assert isinstance(result.exception, KriegsspielError)
    assert "tactical engine is not available" in str(result.exception)
    assert not (tmp_path / "out").exists()
