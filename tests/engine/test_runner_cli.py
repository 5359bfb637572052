"""Blocks are deterministic and independent of how they are run; ``kriegsspiel run`` writes the
summary of the issue's shape and nothing at all for a bad scenario."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.engine.runner import run_block
from kriegsspiel.scenario import load

CROSSING = Path(__file__).parent / "data" / "crossing.toml"


def test_same_seed_same_results_and_blocks_do_not_depend_on_each_other() -> None:
    sc = load(CROSSING)
    first = run_block(sc, 11, 0, 6)
    again = run_block(sc, 11, 0, 6)
    for name, frame in first.items():
        pd.testing.assert_frame_equal(frame, again[name])
    # block 1 computed alone equals block 1 computed after block 0 in the same process
    alone = run_block(sc, 11, 1, 6)
    run_block(sc, 11, 2, 6)
    after = run_block(sc, 11, 1, 6)
    pd.testing.assert_frame_equal(alone["replications"], after["replications"])
    # and different blocks or seeds draw different numbers
    other = run_block(sc, 12, 0, 6)
    assert not first["series"]["killed"].equals(other["series"]["killed"])
    assert set(first["series"]["replication"]) == set(range(6))
    assert set(alone["events"]["replication"]) <= set(range(6, 12))


def test_run_writes_the_summary_of_the_issue(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(CROSSING),
            "--reps",
            "6",
            "--seed",
            "3",
            "--block",
            "4",
            "--out",
            str(out),
            "--quiet",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert json.loads(result.stdout) == summary
    assert (summary["scenario"], summary["replications"], summary["seed"]) == (
        "test-crossing",
        6,
        3,
    )
    for side in ("blue", "red"):
        for metric in (
            "killed_missing",
            "wounded",
            "tanks_disabled",
            "tanks_destroyed",
            "aircraft_lost",
        ):
            q = summary["losses"][side][metric]
            assert q["q05"] <= q["q50"] <= q["q95"]
        days = summary["casualties_by_day"][side]
        assert list(days) == ["2000-06-01"]
    assert summary["control"] == {}  # the test map has no objectives
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["block_size"] == 4
    assert sorted(p.name for p in (out / "parts").iterdir()) == [
        "block-00000.parquet",
        "block-00001.parquet",
    ]


def test_a_bad_scenario_is_one_line_exit_2_and_leaves_no_folder(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(CROSSING.read_text().replace("mosin = {", "blunderbuss = {"))
    out = tmp_path / "never"
    code = "import sys; from kriegsspiel.cli import main; sys.argv[0] = 'kriegsspiel'; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "run", str(bad), "--reps", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "units[1].weapons.blunderbuss" in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("flag", [["--reps", "0"], ["--block", "0"], ["--seed", "-1"]])
def test_bad_numbers_are_refused_before_anything_is_written(
    tmp_path: Path, flag: list[str]
) -> None:
    out = tmp_path / "never"
    result = CliRunner().invoke(app, ["run", str(CROSSING), "--out", str(out), *flag])
    assert result.exit_code != 0 and not out.exists()
