"""Where blocks run: in this process, in a pool of local processes, or on a Dask cluster.

Every backend runs the same :func:`~kriegsspiel.experiment.task.run_block` on the same
``(task, seed, block)`` jobs and hands the tables back to this process, which alone writes the
results folder. A block's result does not depend on the backend, so neither does a run's.
At most a few blocks per worker are in flight at a time, so memory stays bounded.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import re
from collections.abc import Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Literal

from kriegsspiel.errors import InputError, KriegsspielError
from kriegsspiel.experiment.task import Block, BlockTask, TableSet, run_block

__all__ = ["CONNECT_TIMEOUT_S", "Backend", "Job", "check_scheduler", "execute"]

CONNECT_TIMEOUT_S = 5.0
"""How long to try reaching an existing Dask scheduler before giving up."""

_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")


@dataclass(frozen=True)
class Job:
    """One block of one run (``key`` numbers the run it belongs to)."""

    key: int
    task: BlockTask
    seed: int
    block: Block


@dataclass(frozen=True)
class Backend:
    """How to run blocks.

    Attributes:
        kind: ``serial`` (this process), ``processes`` (a local process pool) or ``dask``.
        workers: processes of the pool, or workers of a local Dask cluster.
        scheduler: address of an existing Dask scheduler (``tcp://HOST:PORT``).
        dask_processes: whether a local Dask cluster's workers are processes (else threads).
    """

    kind: Literal["serial", "processes", "dask"] = "serial"
    workers: int = 1
    scheduler: str | None = None
    dask_processes: bool = True

    @classmethod
    def choose(
        cls, *, workers: int | None = None, scheduler: str | None = None, processes: bool = False
    ) -> Backend:
        """The backend the command-line options ask for.

        ``scheduler`` uses an existing Dask cluster; ``workers`` starts a local Dask cluster (a
        plain process pool with ``processes``, by default one process per core); neither, or one
        worker (it needs no cluster), runs serially in this process.
        """
        if workers is not None and workers < 1:
            raise InputError("--workers", "a whole number >= 1", workers)
        if scheduler is not None:
            if workers is not None:
                raise InputError("--workers", "not together with --scheduler (the cluster is set)")
            if not _ADDRESS.match(scheduler):
                raise InputError("--scheduler", "an address like tcp://HOST:PORT", scheduler)
            return cls("dask", 0, scheduler)
        if workers is None:
            if not processes:
                return cls()
            workers = os.cpu_count() or 1
        if workers == 1:
            return cls()
        return cls("processes" if processes else "dask", workers)

    def describe(self) -> dict[str, Any]:
        """A JSON description for the manifest."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.scheduler is not None:
            out["scheduler"] = self.scheduler
        elif self.kind != "serial":
            out["workers"] = self.workers
        return out


def _run(job: Job) -> TableSet:
    return run_block(job.task, job.seed, job.block)


def _serial(jobs: Sequence[Job]) -> Generator[tuple[Job, TableSet]]:
    for job in jobs:
        yield job, _run(job)


def _pool(jobs: Sequence[Job], workers: int) -> Generator[tuple[Job, TableSet]]:
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    pending: dict[Future[TableSet], Job] = {}
    queue = iter(jobs)
    try:
        for job in queue:
            pending[pool.submit(_run, job)] = job
            if len(pending) >= 2 * workers:
                break
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                job = pending.pop(future)
                yield job, future.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(_run, nxt)] = nxt
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


def _distributed() -> Any:
    return importlib.import_module("distributed")


_WORKER_ENVIRON = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}
"""Dask's default MALLOC_TRIM_THRESHOLD_=65536 also freezes glibc's mmap threshold at 128 KiB,
so every larger numpy temporary is mapped and unmapped anew: a Khasan block of 100 page-faulted
2.9 million times and took 18.2 s instead of 12.5 s. Local workers leave malloc at its default.
Nor do they run Dask's statistical profiler (a stack sample every 10 ms) on the work.
"""


def _client(backend: Backend) -> tuple[Any, Any]:
    dist = _distributed()

    if backend.scheduler is None:
        with importlib.import_module("dask").config.set(_WORKER_ENVIRON):
            cluster = dist.LocalCluster(
                n_workers=backend.workers,
                threads_per_worker=1,
                processes=backend.dask_processes,
                dashboard_address=":0",  # None still binds 8787 (dask/distributed#8136)
                silence_logs=logging.ERROR,
            )
        return dist.Client(cluster), cluster
    try:
        return dist.Client(backend.scheduler, timeout=CONNECT_TIMEOUT_S), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise KriegsspielError(
            f"--scheduler {backend.scheduler}: no Dask scheduler answered within "
            f"{CONNECT_TIMEOUT_S:g} s ({type(exc).__name__})"
        ) from None


def _dask(jobs: Sequence[Job], backend: Backend) -> Generator[tuple[Job, TableSet]]:
    client, cluster = _client(backend)
    try:
        window = 2 * max(1, sum(client.nthreads().values()))
        queue = iter(jobs)
        owner: dict[str, Job] = {}
        futures = _distributed().as_completed()
        for job in queue:
            future = client.submit(_run, job, pure=False)
            owner[future.key] = job
            futures.add(future)
            if len(owner) >= window:
                break
        for future in futures:
            job = owner.pop(future.key)
            yield job, future.result()
            nxt = next(queue, None)
            if nxt is not None:
                new = client.submit(_run, nxt, pure=False)
                owner[new.key] = nxt
                futures.add(new)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def check_scheduler(backend: Backend) -> None:
    """Check that the existing Dask scheduler of ``backend`` (if any) answers, before any write.

    Raises:
        KriegsspielError: no scheduler answered within :data:`CONNECT_TIMEOUT_S` (one line).
    """
    if backend.scheduler is not None:
        client, _ = _client(backend)
        client.close()


def execute(backend: Backend, jobs: Sequence[Job]) -> Generator[tuple[Job, TableSet]]:
    """Run ``jobs`` on ``backend``, yielding each with its tables as it completes.

    Close the generator (``contextlib.closing``) to stop early and release the workers.
    """
    if not jobs:
        return
    if backend.kind == "serial":
        yield from _serial(jobs)
    elif backend.kind == "processes":
        yield from _pool(jobs, backend.workers)
    else:
        yield from _dask(jobs, backend)
