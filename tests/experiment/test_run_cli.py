"""``kriegsspiel run`` on the experiment machinery: ``--set`` overrides, backends, a scheduler
that does not answer, and the report's figures from ``Results``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment import Results
from kriegsspiel.experiment.store import RunStore, set_aside

SCENARIO = "example-meeting"
DISARM_RED = [
    "--set",
    "units[red-1].weapons.rifle=0",
    "--set",
    "units[red-1].weapons.hmg=0",
    "--set",
    "units[red-mortars].weapons.mortar_82=0",
]


def _run(out: Path, *extra: str, reps: int = 8, block: int = 3) -> Results:
    args = ["run", SCENARIO, "--reps", str(reps), "--block", str(block), "--seed", "5"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--quiet", "--json", *extra])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads((out / "summary.json").read_text())
    return Results.open(out)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from kriegsspiel.cli import main; sys.argv[0] = 'kriegsspiel'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def _blue_losses(results: Results) -> float:
    frame = results.frame()
    return float(frame[["blue.killed", "blue.wounded", "blue.missing"]].to_numpy().sum())


def test_set_disarming_one_side_spares_the_other_and_is_recorded(tmp_path: Path) -> None:
    base = _run(tmp_path / "base", "--workers", "1")
    disarmed = _run(tmp_path / "disarmed", "--workers", "1", *DISARM_RED)
    assert _blue_losses(base) > 0  # red fires in the scenario as written
    assert _blue_losses(disarmed) == 0  # nobody on red has a weapon: no blue casualty at all
    overrides = {
        "units[red-1].weapons.rifle": 0,
        "units[red-1].weapons.hmg": 0,
        "units[red-mortars].weapons.mortar_82": 0,
    }
    assert disarmed.manifest["overrides"] == overrides and base.manifest["overrides"] == {}
    summary = json.loads((tmp_path / "disarmed" / "summary.json").read_text())
    assert summary["overrides"] == overrides


def test_resume_with_other_overrides_is_refused(tmp_path: Path) -> None:
    _run(tmp_path / "run", "--workers", "1")
    out = str(tmp_path / "run")
    proc = _cli("run", SCENARIO, "--reps", "8", "--block", "3", "--seed", "5", "--out", out,
                "--resume", "--quiet", "--set", "units[red-1].weapons.hmg=0")  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "different run" in proc.stderr


def test_last_short_block_is_numbered_from_its_first_replication(tmp_path: Path) -> None:
    results = _run(tmp_path / "run", "--workers", "1", reps=7, block=3)
    for table in results.tables:  # sparse tables (events) may skip a quiet replication
        numbers = set(results.frame(table).reset_index()["replication"])
        assert numbers <= set(range(7)), table
        if table in ("replications", "series", "control"):  # one row or more per replication
            assert numbers == set(range(7)), table


@pytest.mark.parametrize(
    ("override", "names"),
    [
        ("units[red-1].nosuch=3", "units[1].nosuch"),
        ("units[red-1].men=abc", "units[1].men"),
        ("weather.nosuch.deeper=1", "weather.nosuch"),
    ],
)
def test_a_bad_override_is_one_line_exit_2_and_no_folder(
    tmp_path: Path, override: str, names: str
) -> None:
    out = tmp_path / "never"
    proc = _cli("run", SCENARIO, "--reps", "2", "--out", str(out), "--set", override)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and names in lines[0], proc.stderr
    assert not out.exists()


def test_serial_dask_and_process_pool_runs_are_bit_identical(tmp_path: Path) -> None:
    from distributed import LocalCluster

    serial = _run(tmp_path / "serial", "--workers", "1")
    dask = _run(tmp_path / "dask", "--workers", "2")
    pool = _run(tmp_path / "pool", "--processes", "--workers", "2")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    ) as cluster:
        existing = _run(tmp_path / "existing", "--scheduler", cluster.scheduler_address)
    assert dask.manifest["backend"] == {"kind": "dask", "workers": 2}
    assert pool.manifest["backend"] == {"kind": "processes", "workers": 2}
    assert serial.manifest["backend"] == {"kind": "serial"}
    assert existing.manifest["backend"]["kind"] == "dask"
    for other in (dask, pool, existing):
        assert other.tables == serial.tables
        for table in serial.tables:
            assert other.arrow(table).equals(serial.arrow(table)), table


@pytest.mark.timeout(60)
def test_an_unreachable_scheduler_is_one_line_exit_2_and_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "never"
    proc = _cli("run", SCENARIO, "--reps", "2", "--out", str(out),
                "--scheduler", "tcp://127.0.0.1:1")  # fmt: skip
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no Dask scheduler answered" in lines[0], proc.stderr
    assert not out.exists()


def test_results_draw_the_report_figures(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    results = _run(tmp_path / "run", "--workers", "1", reps=4, block=2)
    control = results.plot_control()
    losses = results.plot_losses()
    assert isinstance(control, Figure) and isinstance(losses, Figure)
    assert len(control.axes) == 1  # the scenario has one objective, the hill
    assert len(losses.axes) >= 2  # at least one loss figure for each of the two sides


def test_move_aside_keeps_a_different_run_whole_and_starts_afresh(tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = _run(out, "--workers", "1")
    before = first.frame()
    # the same run again: nothing moves, it resumes (here: is already complete)
    _run(out, "--workers", "1", "--resume", "--move-aside")
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    # another seed is a different run: the old one moves aside, untouched, and a new one starts
    args = ["run", SCENARIO, "--reps", "8", "--block", "3", "--seed", "6", "--out", str(out)]
    proc = _cli(*args, "--resume", "--move-aside", "--quiet", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    (moved,) = [p for p in tmp_path.iterdir() if p.name != "run"]
    assert moved.name.startswith("run.") and f"it is now in {moved}" in proc.stderr
    pd.testing.assert_frame_equal(Results.open(moved).frame(), before)
    assert Results.open(moved).manifest["seed"] == 5 and Results.open(out).manifest["seed"] == 6


def test_a_run_being_written_is_not_moved_aside(tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = _run(out, "--workers", "1")
    other = {**first.manifest, "seed": 6}
    lock = RunStore._acquire(out)  # another process writing it
    try:
        with pytest.raises(KriegsspielError, match="being written"):
            set_aside(out, other)
    finally:
        assert lock is not None
        lock.close()
    assert set_aside(out, first.manifest) is None  # the same run stays where it is
    assert set_aside(out, other) == tmp_path / f"run.{_digits(first.manifest['started'])}"


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())[:14]


def test_a_run_that_cannot_be_moved_aside_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    first = _run(out, "--workers", "1")
    args = ["run", SCENARIO, "--reps", "8", "--block", "3", "--seed", "6", "--out", "."]
    monkeypatch.chdir(out)  # --out . from inside the run: it cannot move away from under us
    proc = _cli(*args, "--resume", "--move-aside", "--quiet", "--workers", "1")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "current folder" in proc.stderr
    monkeypatch.chdir(tmp_path)

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", refuse)
    with pytest.raises(KriegsspielError, match=r"cannot move it to .*Permission denied"):
        set_aside(out, {**first.manifest, "seed": 6})
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    assert Results.open(out).manifest["seed"] == 5


@pytest.mark.timeout(60)
def test_an_unreachable_scheduler_moves_nothing_aside(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _run(out, "--workers", "1")
    proc = _cli("run", SCENARIO, "--reps", "2", "--out", str(out), "--move-aside",
                "--scheduler", "tcp://127.0.0.1:1")  # fmt: skip
    assert proc.returncode == 2 and "no Dask scheduler answered" in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    assert Results.open(out).manifest["replications"] == 8
