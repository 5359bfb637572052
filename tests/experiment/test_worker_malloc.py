"""Local Dask workers keep glibc's malloc defaults and run no profiler (both slow numpy code)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kriegsspiel.experiment import Backend, BlockTask, run_experiment


def test_local_dask_workers_do_not_trim_malloc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    task = BlockTask.create("worker_environ:malloc_block", {}, scenario="environ")
    res = run_experiment(
        task, tmp_path / "run", replications=2, seed=1, block_size=1,
        backend=Backend("dask", 1), progress=False,
    )  # fmt: skip
    assert list(res.frame()["malloc_trim"]) == ["", ""]
    assert not res.frame()["profiler"].any()  # no stack sampling every 10 ms in the workers
    assert "MALLOC_TRIM_THRESHOLD_" not in os.environ  # nor is this process's environment changed
