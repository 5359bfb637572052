"""Results folders into ReportData/ReplayData, and the CLI's messages for bad folders."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment import MAIN_TABLE
from kriegsspiel.experiment.store import part_path
from kriegsspiel.report.adapters import RESULTS_FORMAT, from_results_dir
from kriegsspiel.report.replay_adapter import replay_from_results_dir

REPS = 40


def _store_block(root: Path, index: int, start: int, tables: dict[str, pa.Table]) -> None:
    """Write one finished block as the experiment store does: parts, then the marker."""
    entries = {}
    for name, table in tables.items():
        path = part_path(root, name, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
        data = path.read_bytes()
        entries[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                         "rows": table.num_rows}  # fmt: skip
    marker = {"block": index, "start": start, "size": REPS // 2, "tables": entries}
    (root / "blocks").mkdir(exist_ok=True)
    (root / "blocks" / f"block-{index:05d}.json").write_text(json.dumps(marker))


Extra = Callable[[np.ndarray], dict[str, pa.Table]]


def _results(
    root: Path, *, blocks: int = 2, status: str = "complete", extra: Extra | None = None
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": RESULTS_FORMAT, "scenario": "example-meeting", "scenario_hash": "x",
        "seed": 5, "replications": REPS, "block_size": REPS // 2, "package_version": "0.1.0",
        "overrides": {}, "status": status,
    }  # fmt: skip
    (root / "manifest.json").write_text(json.dumps(manifest))
    summary = {
        "scenario": "example-meeting", "replications": REPS, "seed": 5,
        "control": {"hill": {"2000-06-01T08:00": {"blue": 0.2, "red": 0.5},
                             "2000-06-01T07:00": {"blue": 0.1, "red": 0.3}}},
        "losses": {"blue": {"wounded": {"q05": 1, "q50": 4, "q95": 9}}},
    }  # fmt: skip
    (root / "summary.json").write_text(json.dumps(summary))
    rng = np.random.default_rng(0)
    for b in range(blocks):
        reps = np.arange(b * REPS // 2, (b + 1) * REPS // 2)
        main = pa.table({
            "replication": reps,
            "blue.killed": rng.poisson(5, REPS // 2).astype(float),
            "red.killed": rng.poisson(7, REPS // 2).astype(float),
            "red.casualties.2000-06-01": np.ones(REPS // 2),
        })  # fmt: skip
        _store_block(root, b, int(reps[0]), {MAIN_TABLE: main, **(extra(reps) if extra else {})})
    return root


def test_complete_run(tmp_path: Path) -> None:
    data = from_results_dir(_results(tmp_path / "run"))
    assert data.scenario.name == "example-meeting"
    assert [s.id for s in data.scenario.sides] == ["blue", "red"]
    assert len(data.scenario.assumptions) > 0
    assert not data.manifest.partial and data.manifest.replications == REPS
    (hill,) = data.control
    assert hill.times == ("2000-06-01T07:00", "2000-06-01T08:00")  # sorted
    np.testing.assert_allclose(hill.fractions, [[0.1, 0.3], [0.2, 0.5]])
    killed = data.loss("red", "killed")
    assert killed is not None and killed.values is not None and killed.values.size == REPS
    wounded = data.loss("blue", "wounded")
    assert wounded is not None and wounded.quantile(0.5) == 4
    assert "changed since this run" in " ".join(data.notes)  # the hash "x" is not the file's
    assert {x.metric for x in data.losses} == {"killed", "wounded"}  # no casualties.<day>


def _hourly_control(reps: np.ndarray) -> dict[str, pa.Table]:
    rep, hour = np.meshgrid(reps, np.arange(3), indexing="ij")
    # hour 0: nobody; hour 1: red in every run; hour 2: blue in the even runs only.
    holder = np.where(hour == 1, "red", np.where((hour == 2) & (rep % 2 == 0), "blue", ""))
    return {
        "control": pa.table(
            {
                "replication": rep.ravel(),
                "hour": hour.ravel(),
                "objective": np.full(rep.size, "hill"),
                "holder": holder.ravel(),
            }
        )
    }


def test_hourly_control_table_is_preferred(tmp_path: Path) -> None:
    (hill,) = from_results_dir(_results(tmp_path / "run", extra=_hourly_control)).control
    assert hill.name == "Hill 120"  # the scenario's name for the objective
    assert hill.times == ("2000-06-01T06:00", "2000-06-01T07:00", "2000-06-01T08:00")
    np.testing.assert_allclose(hill.fractions, [[0, 0], [0, 1], [0.5, 0]])


def test_unfinished_run_is_partial(tmp_path: Path) -> None:
    data = from_results_dir(_results(tmp_path / "run", blocks=1, status="running"))
    assert data.manifest.partial
    assert data.manifest.replications == REPS // 2
    assert data.manifest.replications_planned == REPS
    killed = data.loss("red", "killed")
    assert killed is not None and killed.values is not None and killed.values.size == REPS // 2


def test_damaged_part_is_an_error_not_data(tmp_path: Path) -> None:
    root = _results(tmp_path / "run")
    part = part_path(root, MAIN_TABLE, 1)
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    with pytest.raises(KriegsspielError, match="damaged"):
        from_results_dir(root)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "absent", "no such results folder"),
        (lambda p: p, "no manifest.json"),
        (lambda p: _write(p, {"format": "kriegsspiel-results/9"}), "not readable by this"),
        (lambda p: _write(p, {"scenario": "x"}), "unknown or older version"),
        (lambda p: _write(p, "not json", raw=True), "not valid JSON"),
    ],
)
def test_bad_folders_are_one_clear_error(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KriegsspielError, match=message):
        from_results_dir(make(tmp_path))


def _write(root: Path, manifest: object, raw: bool = False) -> Path:
    text = manifest if raw else json.dumps(manifest)
    (root / "manifest.json").write_text(str(text))
    return root


def test_replay_without_trace_says_so(tmp_path: Path) -> None:
    root = _results(tmp_path / "run")
    with pytest.raises(KriegsspielError, match=r"replication 3 was not traced.*no per-unit trace"):
        replay_from_results_dir(root, 3)
    traced = _results(tmp_path / "traced", extra=_trace(0))
    with pytest.raises(KriegsspielError, match=r"replication 3 was not traced.*traced: --rep 0$"):
        replay_from_results_dir(traced, 3)
    with pytest.raises(KriegsspielError, match="--rep"):
        replay_from_results_dir(root, REPS)


def test_cli_report_and_errors(tmp_path: Path) -> None:
    root = _results(tmp_path / "run", blocks=1, status="running")
    cli = [sys.executable, "-c", "from kriegsspiel.cli import main; main()"]
    ok = subprocess.run([*cli, "report", str(root), "--json"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["partial"] is True and Path(out["report"]).is_file()
    assert "PARTIAL" in Path(out["report"]).read_text()
    bad = subprocess.run([*cli, "report", str(tmp_path / "nope")], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def _trace(rep: int, frames: int = 9) -> Extra:
    def tables(reps: np.ndarray) -> dict[str, pa.Table]:
        if rep not in reps:
            return {}
        t = np.repeat(np.arange(frames) * 15.0, 3)
        units = np.tile(["blue-1", "red-1", "red-mortars"], frames)
        n = t.size
        trace = pa.table({
            "replication": np.full(n, rep), "t_min": t, "unit": units,
            "x": np.where(units == "blue-1", -1000 + t * 5, 800.0), "y": np.zeros(n),
            "strength": np.where(units == "blue-1", 120 - t / 10, 100.0),
            "state": np.where(t > 60, "attacking", "moving"),
            "order": np.full(n, "advance on hill"),
        })  # fmt: skip
        fire = pa.table({
            "replication": [rep], "t_min": [30.0], "kind": ["artillery"],
            "source": ["red-mortars"], "target": ["blue-1"], "tx": [-850.0], "ty": [0.0],
            "size": [6.0],
        })  # fmt: skip
        control = pa.table({
            "replication": [rep, rep], "hour": [0, 1], "objective": ["hill", "hill"],
            "holder": ["red", ""],
        })  # fmt: skip
        return {"unit_trace": trace, "fire": fire, "control": control}

    return tables


def test_replay_from_trace_tables(tmp_path: Path) -> None:
    root = _results(tmp_path / "run", extra=_trace(2))
    data = replay_from_results_dir(root, 2)
    assert [u.id for u in data.units] == ["blue-1", "red-1", "red-mortars"]
    assert data.times.tolist() == [15.0 * k for k in range(9)]
    np.testing.assert_allclose(data.x[:, 0], -1000 + data.times * 5)
    assert data.units[0].strength0 == 120  # the unit's largest strength in the trace
    assert data.states[data.state[-1, 0]] == "attacking"
    assert data.holder is not None and data.holder[:, 0].tolist() == [1] * 4 + [-1] * 5
    assert data.events.kind.tolist() == [1] and data.events.source.tolist() == [2]
    assert data.map.rgb.ndim == 3 and any(f.kind == "lake" for f in data.features)
    with pytest.raises(KriegsspielError, match="replication 1"):
        replay_from_results_dir(root, 1)
