"""Runs: bit-identical results on every backend, the results store, refusals, disk full."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import kriegsspiel
from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment import Backend, BlockTask, Results, run_experiment
from kriegsspiel.experiment import store as store_module
from kriegsspiel.experiment.aggregate_task import aggregate_task

REPS, BLOCK, SEED = 230, 20, 7  # 12 blocks, the last one short


def _run(task: BlockTask, out: Path, backend: Backend | None = None, **kw: object) -> Results:
    opts = {"replications": REPS, "seed": SEED, "block_size": BLOCK, "progress": False, **kw}
    return run_experiment(task, out, backend=backend, **opts)  # type: ignore[arg-type]


def _part_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "parts").glob("*.parquet"))}


def test_store_layout_is_plain_parquet(battle: BlockTask, tmp_path: Path) -> None:
    res = _run(battle, tmp_path / "run")
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert [manifest[k] for k in ("seed", "block_size", "replications")] == [SEED, BLOCK, REPS]
    assert manifest["blocks"] == 12 and manifest["scenario"] == "aggregate-square"
    # any Parquet reader sees the whole per-replication table in parts/
    table = pq.read_table(tmp_path / "run" / "parts")
    assert table.num_rows == REPS
    assert sorted(table.column("replication").to_pylist()) == list(range(REPS))
    frame = res.frame()
    assert list(frame.index) == list(range(REPS))
    assert kriegsspiel.Results.open(tmp_path / "run").frame().equals(frame)
    # the engine's own invariant: exactly one side is broken or time ran out; square law, no
    # breakpoints, so the loser is wiped out
    loser_left = np.where(frame["x_wins"], frame["y_final"], frame["x_final"])
    assert np.all(loser_left == 0) and np.all(frame["x_wins"] ^ frame["y_wins"])


def test_backends_and_worker_counts_give_identical_bits(battle: BlockTask, tmp_path: Path) -> None:
    from distributed import LocalCluster

    serial = _run(battle, tmp_path / "serial")
    pool1 = _run(battle, tmp_path / "pool1", Backend("processes", 1))
    pool2 = _run(battle, tmp_path / "pool2", Backend("processes", 2))
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    ) as cl:
        dask = _run(battle, tmp_path / "dask", Backend.choose(scheduler=cl.scheduler_address))
    reference = serial.arrow()
    for other in (pool1, pool2, dask):
        assert other.arrow().equals(reference)
        assert _part_bytes(other.root) == _part_bytes(serial.root)
    assert dask.manifest["backend"]["kind"] == "dask"


def test_local_dask_cluster_of_worker_processes(battle: BlockTask, tmp_path: Path) -> None:
    serial = _run(battle, tmp_path / "serial", replications=60)
    dask = _run(battle, tmp_path / "dask", Backend.choose(workers=2), replications=60)
    assert dask.arrow().equals(serial.arrow())


def test_blocks_are_independent_of_each_other(battle: BlockTask, tmp_path: Path) -> None:
    # a longer run with the same block size repeats the shorter run's blocks bit for bit
    short = _run(battle, tmp_path / "short", replications=100)
    long = _run(battle, tmp_path / "long", replications=REPS)
    assert long.frame().iloc[:100].equals(short.frame())
    # other seeds give other numbers
    other = _run(battle, tmp_path / "other", seed=SEED + 1)
    assert not other.frame()["steps"].equals(long.frame()["steps"])


def test_several_tables_per_block(toy: BlockTask, tmp_path: Path) -> None:
    res = _run(toy, tmp_path / "toy")
    assert res.tables == ("replications", "series")
    series = res.frame("series")
    assert len(series) == 3 * REPS
    assert np.array_equal(np.bincount(series["replication"]), np.full(REPS, 3))
    assert pq.read_table(tmp_path / "toy" / "tables" / "series").num_rows == 3 * REPS


def test_existing_run_is_never_overwritten(battle: BlockTask, tmp_path: Path) -> None:
    _run(battle, tmp_path / "run")
    with pytest.raises(KriegsspielError, match=r"already holds this run.*--resume"):
        _run(battle, tmp_path / "run")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "notes.txt").write_text("mine")
    with pytest.raises(KriegsspielError, match="not empty and holds no kriegsspiel run"):
        _run(battle, tmp_path / "junk")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seed": SEED + 1}, "seed"),
        ({"block_size": BLOCK + 1}, "block_size"),
        ({"task": aggregate_task("square", 41, 32, 0.02, 0.025, method="exact")}, "scenario_hash"),
    ],
)
def test_resume_refuses_a_different_run(
    battle: BlockTask, tmp_path: Path, change: dict[str, object], field: str
) -> None:
    _run(battle, tmp_path / "run", replications=60)
    task = change.pop("task", battle)
    with pytest.raises(KriegsspielError, match=f"holds a different run.*{field}=") as info:
        _run(task, tmp_path / "run", replications=60, resume=True, **change)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_disk_full_keeps_finished_blocks(
    battle: BlockTask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store_module.write_atomic

    def full_after_three(path: Path, data: bytes) -> None:
        if path.suffix == ".parquet" and int(path.stem.split("-")[1]) >= 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(store_module, "write_atomic", full_after_three)
    with pytest.raises(KriegsspielError) as info:
        _run(battle, tmp_path / "run")
    message = str(info.value)
    assert "\n" not in message and "disk is full" in message
    assert "3 of 12 blocks are saved" in message
    partial = Results.open(tmp_path / "run", partial=True)
    assert [b.index for b in partial.blocks] == [0, 1, 2]
    assert partial.manifest["status"] == "failed"
    monkeypatch.setattr(store_module, "write_atomic", real)
    resumed = _run(battle, tmp_path / "run", resume=True)
    assert resumed.arrow().equals(_run(battle, tmp_path / "clean").arrow())


def test_damaged_part_is_never_read_and_is_redone(battle: BlockTask, tmp_path: Path) -> None:
    _run(battle, tmp_path / "run")
    part = tmp_path / "run" / "parts" / "block-00004.parquet"
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, different content
    part.write_bytes(bytes(data))
    with pytest.raises(KriegsspielError, match="damaged"):
        Results.open(tmp_path / "run").frame()
    resumed = _run(battle, tmp_path / "run", resume=True)
    assert resumed.arrow().equals(_run(battle, tmp_path / "clean").arrow())


@pytest.mark.timeout(60)
def test_unreachable_scheduler_is_a_clear_error(battle: BlockTask, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = Backend.choose(scheduler=f"tcp://127.0.0.1:{port}")
    with pytest.raises(KriegsspielError, match="no Dask scheduler answered") as info:
        _run(battle, tmp_path / "run", backend)
    assert "\n" not in str(info.value)


def test_scheduler_address_is_checked() -> None:
    with pytest.raises(KriegsspielError, match="tcp://HOST:PORT"):
        Backend.choose(scheduler="localhost")


def test_processes_alone_is_a_pool_per_core_and_one_worker_is_serial(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    assert Backend.choose(processes=True) == Backend("processes", 3)
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert Backend.choose(processes=True) == Backend()
    assert Backend.choose(workers=1, processes=True) == Backend()
