"""``kriegsspiel run``: replications of a scenario with the tactical engine, into a folder.

The scenario is loaded, validated and compiled (every weapon id, place and event resolved)
before the output folder is touched, so a bad scenario leaves nothing behind. Blocks of
replications are then simulated and stored by :mod:`kriegsspiel.experiment` (one Parquet part
per block and table, written atomically, resumable), and ``DIR/summary.json`` is written last,
atomically.
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

DEFAULT_BLOCK = 250


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="A shipped scenario name or a scenario file.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (created; must be new).")],
    reps: Annotated[int, typer.Option("--reps", help="Replications.")] = 1000,
    seed: Annotated[
        int, typer.Option(help="Seed (block k draws from SeedSequence(seed, (k,))).")
    ] = 1,
    block: Annotated[int, typer.Option("--block", help="Replications per block.")] = DEFAULT_BLOCK,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: one per core; 1: serial).")
    ] = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted run in --out.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run replications of SCENARIO and write DIR/summary.json plus per-replication tables."""
    from kriegsspiel.engine.runner import compiled
    from kriegsspiel.engine.summary import summarize
    from kriegsspiel.experiment import Backend, BlockTask, run_experiment
    from kriegsspiel.experiment.store import json_bytes, write_atomic
    from kriegsspiel.scenario import content_hash, load, resolve

    for name, value in (("--reps", reps), ("--block", block)):
        if value < 1:
            raise InputError(name, "a whole number >= 1", value)
    if seed < 0:
        raise InputError("--seed", "a whole number >= 0", seed)
    path = resolve(scenario)
    sc = load(path)
    arr = compiled(sc)  # every reference resolved before anything is written
    if out.exists() and not resume and (not out.is_dir() or any(out.iterdir())):
        raise InputError("--out", "a new or empty folder (or --resume)", str(out))
    task = BlockTask.create(
        "kriegsspiel.engine.runner:scenario_block",
        {"scenario_text": path.read_text(encoding="utf-8"), "file": str(path)},
        scenario=sc.meta.name,
        scenario_hash=content_hash(sc),
    )
    if workers is not None and workers < 1:
        raise InputError("--workers", "a whole number >= 1", workers)
    blocks = -(-reps // block)
    n = min(workers or os.cpu_count() or 1, blocks)
    backend = Backend.choose(workers=n, processes=True) if n > 1 else Backend()
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
    summary = summarize(results.frame(), sc.meta.name, arr.side_ids, seed)
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
