"""``kriegsspiel compare``, ``sweep``, ``sensitivity`` and ``whatif``: experiments over runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from kriegsspiel.cli._app import app, emit_json
from kriegsspiel.errors import InputError
from kriegsspiel.experiment import DEFAULT_BLOCK_SIZE, Backend, Results
from kriegsspiel.experiment.compare import compare_results, metric_columns
from kriegsspiel.experiment.designs import DesignResults, grid_design, lhs_design, run_design
from kriegsspiel.experiment.engine_adapter import (
    parse_overrides,
    scenario_assumptions,
    scenario_summary,
    scenario_task,
    scenario_whatif,
)
from kriegsspiel.experiment.runner import run_many
from kriegsspiel.experiment.sensitivity import run_sensitivity
from kriegsspiel.experiment.store import json_bytes, write_atomic

Reps = Annotated[int, typer.Option("--reps", help="Replications per run (per design point).")]
Seed = Annotated[int, typer.Option(help="Seed of the run (all points share it).")]
Out = Annotated[Path, typer.Option("--out", help="Output folder (new, or --resume).")]
BlockOpt = Annotated[int, typer.Option("--block", help="Replications per block.")]
Sets = Annotated[list[str] | None, typer.Option("--set", help="Override key.path=value.")]
Workers = Annotated[
    int | None, typer.Option(help="Start a local Dask cluster of N workers (1: serial).")
]
Scheduler = Annotated[str | None, typer.Option(help="Use the Dask scheduler tcp://HOST:PORT.")]
Processes = Annotated[bool, typer.Option("--processes", help="A local process pool, not Dask.")]
Resume = Annotated[bool, typer.Option(help="Finish an interrupted run in --out.")]
Quiet = Annotated[bool, typer.Option("--quiet", help="No progress bar.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]


def _range(item: str, flag: str) -> tuple[str, tuple[float, float]]:
    key, sep, span = item.partition("=")
    low, colon, high = span.partition(":")
    try:
        if sep and colon and key.strip():
            return key.strip(), (float(low), float(high))
    except ValueError:
        pass
    raise InputError(f"{flag} {item}", "key.path=low:high with numbers")


def _grid(item: str) -> tuple[str, list[Any]]:
    key, sep, values = item.partition("=")
    if not sep or not key.strip() or not values.strip():
        raise InputError(f"--grid {item}", "key.path=v1,v2,...")
    return key.strip(), [parse_overrides([f"{key}={v}"])[key.strip()] for v in values.split(",")]


def _means(results: Results) -> dict[str, float | None]:
    frame = results.frame()
    out: dict[str, float | None] = {}
    for metric in metric_columns(frame):
        value = float(frame[metric].astype(np.float64).mean())
        out[metric] = value if np.isfinite(value) else None
    return out


def _design_rows(results: DesignResults) -> list[dict[str, Any]]:
    return [
        {"point": i, "dir": str(run.root), "values": point, "means": _means(run)}
        for i, (point, run) in enumerate(zip(results.design.points, results.runs, strict=True))
    ]


def _print_compare(report: dict[str, Any]) -> None:
    table = Table(title=f"B - A ({'paired' if report['paired'] else 'independent'} bootstrap 95%)")
    for col in ("metric", "mean A", "mean B", "diff of means", "diff of medians", "P(B beats A)"):
        table.add_column(col, justify="left" if col == "metric" else "right")

    def iv(d: dict[str, float]) -> str:
        return f"{d['estimate']:.4g} [{d['low']:.4g}, {d['high']:.4g}]"

    for name, m in report["metrics"].items():
        table.add_row(
            name, f"{m['mean_a']:.4g}", f"{m['mean_b']:.4g}", iv(m["diff_mean"]),
            iv(m["diff_median"]), iv(m["p_b_beats_a"]),
        )  # fmt: skip
    Console().print(table)


@app.command()
def compare(
    dir_a: Annotated[Path, typer.Argument(help="Results folder of run A.")],
    dir_b: Annotated[Path, typer.Argument(help="Results folder of run B.")],
    lower_is_better: Annotated[
        list[str] | None, typer.Option(help="A metric where lower is better (repeatable).")
    ] = None,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.")] = 2000,
    json_out: JsonOut = False,
) -> None:
    """Compare two runs metric by metric: differences with bootstrap 95% intervals, P(B beats A)."""
    if resamples < 100:
        raise InputError("--resamples", "at least 100", resamples)
    report = compare_results(
        Results.open(dir_a), Results.open(dir_b), lower_is_better=set(lower_is_better or ()),
        resamples=resamples,
    )  # fmt: skip
    if json_out:
        emit_json(report)
    else:
        _print_compare(report)


@app.command()
def sweep(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or file.")],
    out: Out,
    grid: Annotated[list[str] | None, typer.Option(help="key.path=v1,v2,... (repeatable).")] = None,
    lhs: Annotated[list[str] | None, typer.Option(help="key.path=low:high (repeatable).")] = None,
    samples: Annotated[int, typer.Option(help="Latin hypercube points.")] = 10,
    reps: Reps = 100,
    seed: Seed = 1,
    block: BlockOpt = DEFAULT_BLOCK_SIZE,
    set_: Sets = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    processes: Processes = False,
    resume: Resume = False,
    quiet: Quiet = False,
    json_out: JsonOut = False,
) -> None:
    """Run a grid or Latin-hypercube design over scenario values, one results set per point."""
    if bool(grid) == bool(lhs):
        raise InputError("--grid/--lhs", "exactly one kind of design (--grid ... or --lhs ...)")
    design = (
        grid_design(dict(_grid(g) for g in grid or ()))
        if grid
        else lhs_design(dict(_range(r, "--lhs") for r in lhs or ()), samples, seed)
    )
    base = parse_overrides(set_ or [])
    backend = Backend.choose(workers=workers, scheduler=scheduler, processes=processes)
    results = run_design(
        lambda point: scenario_task(scenario, {**base, **point}), design, out, replications=reps,
        seed=seed, block_size=block, backend=backend, resume=resume, progress=not quiet,
    )  # fmt: skip
    rows = _design_rows(results)
    if json_out:
        emit_json({"scenario": scenario, "out": str(out), "design": design.kind, "points": rows})
        return
    for row in rows:
        typer.echo(f"point {row['point']}: {row['values']} -> {row['dir']}")


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or file.")],
    metric: Annotated[str, typer.Option(help="Per-replication metric (column) to explain.")],
    out: Out,
    params: Annotated[
        list[str] | None,
        typer.Option(help="key.path=low:high (repeatable; default: the scenario's assumptions)."),
    ] = None,
    samples: Annotated[int, typer.Option(help="Sobol base samples (a power of two).")] = 8,
    reps: Reps = 20,
    seed: Seed = 1,
    block: BlockOpt = DEFAULT_BLOCK_SIZE,
    set_: Sets = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    processes: Processes = False,
    resume: Resume = False,
    quiet: Quiet = False,
    json_out: JsonOut = False,
) -> None:
    """First-order and total Sobol indices of a metric over parameter ranges (SALib)."""
    base = parse_overrides(set_ or [])
    scenario_task(scenario, base)  # the engine and the scenario first, before any design work
    ranges = (
        dict(_range(p, "--params") for p in params) if params else scenario_assumptions(scenario)
    )
    backend = Backend.choose(workers=workers, scheduler=scheduler, processes=processes)
    indices = run_sensitivity(
        lambda point: scenario_task(scenario, {**base, **point}), ranges, metric, out,
        samples=samples, replications=reps, seed=seed, block_size=block, backend=backend,
        resume=resume, progress=not quiet,
    )  # fmt: skip
    if json_out:
        records = indices.reset_index().to_dict(orient="records")
        emit_json({"scenario": scenario, "metric": metric, "samples": samples, "indices": records})
        return
    table = Table(title=f"Sobol indices of {metric} (95% intervals)")
    for col in ("parameter", "S1", "ST"):
        table.add_column(col)
    for name, row in indices.iterrows():
        table.add_row(
            str(name),
            f"{row.S1:.3f} [{row.S1_low:.3f}, {row.S1_high:.3f}]",
            f"{row.ST:.3f} [{row.ST_low:.3f}, {row.ST_high:.3f}]",
        )
    Console().print(table)


def _list_whatifs(scenario: str, json_out: bool) -> None:
    from kriegsspiel.scenario import load

    sc = load(scenario)
    rows = [
        {"name": name, "title": w.title, "history": w.history, "sources": w.sources,
         "overrides": w.overrides, "scenario": w.scenario}
        for name, w in sc.whatifs.items()
    ]  # fmt: skip
    if json_out:
        emit_json({"scenario": sc.meta.name, "whatifs": rows})
        return
    if not rows:
        typer.echo(f"{sc.meta.name} has no what-ifs", err=True)
    for name, w in sc.whatifs.items():
        typer.echo(f"{name}: {w.title}")
        typer.echo(f"    {w.history}")
        runs = f"scenario {w.scenario}" if w.scenario else "; ".join(w.overrides or ())
        typer.echo(f"    runs: {runs}")


@app.command()
def whatif(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or file.")],
    name: Annotated[str | None, typer.Argument(help="The scenario's what-if (see --list).")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder: DIR/baseline and DIR/NAME.")
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the scenario's what-ifs and their history.")
    ] = False,
    reps: Reps = 1000,
    seed: Seed = 1,
    block: BlockOpt = DEFAULT_BLOCK_SIZE,
    set_: Sets = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    processes: Processes = False,
    resume: Resume = False,
    quiet: Quiet = False,
    json_out: JsonOut = False,
) -> None:
    """Run the baseline and a named what-if with common random numbers, and compare them.

    Both runs use the same seed and block size, so replication r of each draws the same random
    numbers (a paired comparison); each folder gets its summary.json as from `run`. The command
    that writes the pair's HTML report is printed (on stderr; under --json also as
    "report_command"); no report is written.
    """
    if list_:
        _list_whatifs(scenario, json_out)
        return
    if name is None:
        from kriegsspiel.scenario import load

        names = ", ".join(load(scenario).whatifs) or "none"
        raise InputError("NAME", f"a what-if of {scenario} ({names}; --list explains them)")
    if out is None:
        raise InputError("--out", "an output folder for the baseline and the what-if runs")
    variant_scenario, variant_overrides = scenario_whatif(scenario, name)
    base = parse_overrides(set_ or [])
    baseline = scenario_task(scenario, base)
    variant = scenario_task(variant_scenario, {**base, **variant_overrides})
    backend = Backend.choose(workers=workers, scheduler=scheduler, processes=processes)
    a, b = run_many(
        [(out / "baseline", baseline), (out / name, variant)], replications=reps, seed=seed,
        block_size=block, backend=backend, resume=resume, progress=not quiet,
    )  # fmt: skip
    for folder, task, results in ((out / "baseline", baseline, a), (out / name, variant, b)):
        summary = scenario_summary(task, results.frame(), seed)
        write_atomic(folder / "summary.json", json_bytes(summary))
    report = compare_results(a, b)
    command = f"kriegsspiel report {out / name} --compare {out / 'baseline'}"
    if json_out:
        emit_json({"scenario": scenario, "whatif": name, **report, "report_command": command})
    else:
        _print_compare(report)
    typer.echo(f"page of the pair: {command}", err=True)
