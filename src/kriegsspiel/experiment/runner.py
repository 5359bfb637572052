"""Running experiments: blocks of replications on a backend, stored as they finish, resumable."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kriegsspiel.errors import InputError, KriegsspielError
from kriegsspiel.experiment.backends import Backend, Job, check_scheduler, execute
from kriegsspiel.experiment.fingerprint import code_sha256
from kriegsspiel.experiment.progress import progress_bar
from kriegsspiel.experiment.results import Results
from kriegsspiel.experiment.store import RunStore, StorageError, now_iso
from kriegsspiel.experiment.task import Block, BlockTask, plan_blocks

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "ExperimentInterrupted",
    "run_experiment",
    "run_identity",
    "run_many",
]

DEFAULT_BLOCK_SIZE = 100
"""Replications per block unless asked otherwise (the unit of seeding, work and storage)."""


class ExperimentInterrupted(KriegsspielError):
    """The run was stopped (Ctrl-C); finished blocks are kept and ``--resume`` continues."""


def run_identity(task: BlockTask, seed: int, block_size: int, replications: int) -> dict[str, Any]:
    """What makes a run the same run: the task, its seed, blocks and size, the version and code."""
    from kriegsspiel import __version__

    return {
        "function": task.function,
        "scenario": task.scenario,
        "scenario_hash": task.scenario_hash,
        "params_sha256": task.params_sha256,
        "overrides": task.overrides,
        "seed": seed,
        "block_size": block_size,
        "replications": replications,
        "package_version": __version__,
        "code_sha256": code_sha256(),
    }


def _check(replications: int, seed: int, block_size: int) -> list[Block]:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed", "a whole number >= 0", seed)
    return plan_blocks(replications, block_size)


def run_many(
    runs: Sequence[tuple[Path, BlockTask]],
    *,
    replications: int,
    seed: int,
    block_size: int = DEFAULT_BLOCK_SIZE,
    backend: Backend | None = None,
    resume: bool = False,
    progress: bool = True,
) -> list[Results]:
    """Run several tasks (each into its own folder) with the same seed, sharing one backend.

    Runs that share a seed share their random numbers block by block (common random numbers):
    replication ``r`` of every run draws from the same stream.

    Raises:
        KriegsspielError: a folder holds another run, a write failed (finished blocks are
            kept), or the run was interrupted (:class:`ExperimentInterrupted`).
    """
    plan = _check(replications, seed, block_size)
    backend = backend or Backend()
    check_scheduler(backend)  # an unreachable cluster fails before any folder is written
    stores: list[RunStore] = []
    left: list[int] = []
    try:
        jobs: list[Job] = []
        for key, (root, task) in enumerate(runs):
            store = RunStore.prepare(
                Path(root), run_identity(task, seed, block_size, replications), resume
            )
            stores.append(store)
            done = set(store.done(plan))
            pending = [b for b in plan if b not in done]
            store.clear(pending)
            store.update(backend=backend.describe(), blocks=len(plan))
            if not pending:
                store.update(status="complete", finished=now_iso())
            jobs.extend(Job(key, task, seed, b) for b in pending)
            left.append(len(pending))
        total = replications * len(runs)
        todo = sum(job.block.size for job in jobs)
        with (
            progress_bar(total, total - todo, enabled=progress) as advance,
            contextlib.closing(execute(backend, jobs)) as stream,
        ):
            for job, tables in stream:
                key = job.key
                stores[key].write_block(job.block, tables)
                left[key] -= 1
                if left[key] == 0:
                    stores[key].update(status="complete", finished=now_iso())
                advance(job.block.size)
    except KeyboardInterrupt:
        _mark(stores, left, "interrupted")
        saved = len(plan) * len(stores) - sum(left)
        raise ExperimentInterrupted(
            f"interrupted: {saved} of {len(plan) * len(runs)} blocks are saved; "
            "run the same command with --resume to finish"
        ) from None
    except StorageError as exc:
        _mark(stores, left, "failed")
        saved = len(plan) * len(stores) - sum(left)
        hint = "free some space and " if exc.disk_full else ""
        raise KriegsspielError(
            f"{exc} ({saved} of {len(plan) * len(runs)} blocks are saved; "
            f"{hint}run the same command with --resume)"
        ) from None
    except BaseException:
        _mark(stores, left, "failed")
        raise
    finally:
        for store in stores:
            store.close()
    return [Results.open(root) for root, _ in runs]


def _mark(stores: Sequence[RunStore], left: Sequence[int], status: str) -> None:
    """Record why unfinished runs stopped (best effort: the disk may be full)."""
    for store, count in zip(stores, left, strict=False):
        if count:
            with contextlib.suppress(KriegsspielError):
                store.update(status=status, finished=now_iso())


def run_experiment(
    task: BlockTask,
    out: str | Path,
    *,
    replications: int,
    seed: int,
    block_size: int = DEFAULT_BLOCK_SIZE,
    backend: Backend | None = None,
    resume: bool = False,
    progress: bool = True,
) -> Results:
    """Run ``replications`` of ``task`` in blocks into the folder ``out`` and open the results.

    The results are bit-identical for the same task, seed and block size on any backend and
    any number of workers; ``resume`` finishes an interrupted run of the same identity.
    """
    return run_many(
        [(Path(out), task)],
        replications=replications,
        seed=seed,
        block_size=block_size,
        backend=backend,
        resume=resume,
        progress=progress,
    )[0]
