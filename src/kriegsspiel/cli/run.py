"""``kriegsspiel run``: replications of a scenario with the tactical engine, into a folder.

The scenario is loaded, its ``--set`` overrides applied and validated like the file, and the
result compiled (every weapon id, place and event resolved) before the output folder is touched,
so a bad scenario or override leaves nothing behind; so does a ``--scheduler`` that does not
answer. Blocks of replications are then simulated and stored by :mod:`kriegsspiel.experiment`
(one Parquet part per block and table, written atomically, resumable; the task is built by
:func:`~kriegsspiel.experiment.engine_adapter.scenario_task`, as for ``sweep``, ``whatif`` and
``sensitivity``), and ``DIR/summary.json`` is written last, atomically.

Backends: ``--workers N`` (N >= 2) a local Dask cluster of N worker processes, ``--workers 1``
serial in this process, ``--processes`` a local process pool (``--workers N`` processes, default
one per core), ``--scheduler tcp://HOST:PORT`` an existing Dask cluster. With none of these the
run uses a local process pool of one process per core. A pool never has more processes than the
run has blocks, and a pool of one is this process (serial). The results do not depend on the
backend.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kriegsspiel.cli._app import app, emit_json
from kriegsspiel.errors import InputError
from kriegsspiel.experiment import Backend

DEFAULT_BLOCK = 250


def _backend(workers: int | None, scheduler: str | None, processes: bool, blocks: int) -> Backend:
    """The options' backend: see the module docstring."""
    if workers is not None and workers < 1:
        raise InputError("--workers", "a whole number >= 1", workers)
    if scheduler is None and (workers is None or processes):
        n = min(workers or os.cpu_count() or 1, blocks)
        return Backend.choose(workers=n, processes=True)
    return Backend.choose(workers=workers, scheduler=scheduler, processes=processes)


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="A shipped scenario name or a scenario file.")],
    out: Annotated[
        Path, typer.Option("--out", help="Output folder (new or empty, or a run to --resume).")
    ],
    reps: Annotated[int, typer.Option("--reps", help="Replications.")] = 1000,
    seed: Annotated[
        int, typer.Option(help="Seed (block k draws from SeedSequence(seed, (k,))).")
    ] = 1,
    block: Annotated[int, typer.Option("--block", help="Replications per block.")] = DEFAULT_BLOCK,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a scenario value: key.path=value (repeatable)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Start a local Dask cluster of N workers (1: serial; a process pool with "
            "--processes). Default: a process pool, one process per core."
        ),
    ] = None,
    processes: Annotated[
        bool, typer.Option("--processes", help="A local process pool, not Dask.")
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option(help="Use the existing Dask scheduler tcp://HOST:PORT.")
    ] = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted run in --out.")] = False,
    move_aside: Annotated[
        bool,
        typer.Option(
            "--move-aside",
            help="If --out holds a different run (another scenario, version, seed or size), "
            "move it to OUT.<when it started> and start afresh.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run replications of SCENARIO and write DIR/summary.json plus per-replication tables."""
    from kriegsspiel.experiment import run_experiment
    from kriegsspiel.experiment.backends import check_scheduler
    from kriegsspiel.experiment.engine_adapter import (
        parse_overrides,
        scenario_of,
        scenario_summary,
        scenario_task,
    )
    from kriegsspiel.experiment.runner import run_identity
    from kriegsspiel.experiment.store import json_bytes, set_aside, write_atomic

    for name, value in (("--reps", reps), ("--block", block)):
        if value < 1:
            raise InputError(name, "a whole number >= 1", value)
    if seed < 0:
        raise InputError("--seed", "a whole number >= 0", seed)
    backend = _backend(workers, scheduler, processes, -(-reps // block))
    task = scenario_task(scenario, parse_overrides(set_ or []))  # validated and compiled
    sc = scenario_of(task)
    check_scheduler(backend)  # an unreachable cluster fails before any folder is touched
    if move_aside and (moved := set_aside(out, run_identity(task, seed, block, reps))):
        typer.echo(f"{out} held a different run; it is now in {moved}", err=True)
    results = run_experiment(
        task,
        out,
        replications=reps,
        seed=seed,
        block_size=block,
        backend=backend,
        resume=resume,
        progress=not quiet,
    )
    summary = scenario_summary(task, results.frame(), seed)
    write_atomic(out / "summary.json", json_bytes(summary))
    if json_out:
        emit_json(summary)
        return
    table = Table(title=f"{sc.meta.name}: {reps} replications, seed {seed}")
    for col in ("side", "metric", "q05", "q50", "q95"):
        table.add_column(col, justify="left" if col in ("side", "metric") else "right")
    for side, metrics in summary["losses"].items():
        for metric, q in metrics.items():
            table.add_row(side, metric, f"{q['q05']:.0f}", f"{q['q50']:.0f}", f"{q['q95']:.0f}")
    Console().print(table)
    typer.echo(f"results in {out} (summary.json, parts/, tables/)", err=True)
