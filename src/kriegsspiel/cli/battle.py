"""``kriegsspiel battle``: one aggregate battle from the command line, by ODE or by replications.

Both modes print the same keys where they make sense: win probabilities, and for ``x_final``,
``y_final`` and ``duration`` the mean and the 5/50/95 % quantiles (all equal for the ODE, a
deterministic model).
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from kriegsspiel.aggregate import Engagement, simulate, solve
from kriegsspiel.aggregate.stochastic import (
    DEFAULT_BLOCK,
    BatchResult,
    default_tau_step,
    resolve_method,
)
from kriegsspiel.cli._app import app, emit_json
from kriegsspiel.errors import InputError

_DEFAULT_REPS = 10_000


def _shape(law: str, p: float | None, q: float | None) -> dict[str, float]:
    if law != "generalized":
        return {}
    return {k: v for k, v in (("p", p), ("q", q)) if v is not None}


def _point(value: float) -> dict[str, float]:
    """A deterministic figure in the shape of a stochastic summary."""
    return {"mean": value, "q05": value, "q50": value, "q95": value}


def _ode(eng: Engagement, law: str) -> dict[str, Any]:
    out = solve(eng).outcome
    duration = float(out.end_time)
    return {
        "law": law,
        "method": "ode",
        "replications": None,
        "seed": None,
        "winner": out.winner,
        "reason": out.reason,
        "p_x_wins": float(out.winner == "x"),
        "p_y_wins": float(out.winner == "y"),
        "p_draw": float(out.winner is None),
        "x_final": _point(float(out.x_final.sum())),
        "y_final": _point(float(out.y_final.sum())),
        "duration": _point(duration) if np.isfinite(duration) else None,
    }


def _run_with_progress(
    eng: Engagement, reps: int, seed: int, method: str, block: int, dt: float | None
) -> BatchResult:
    """Replications with a progress bar on stderr when there is more than one block."""
    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=console, transient=True, disable=reps <= block,
    ) as bar:  # fmt: skip
        task = bar.add_task("replications", total=reps)
        return simulate(
            eng, reps, seed, method=method, block_size=block, dt=dt,
            progress=lambda rows: bar.advance(task, rows),
        )  # fmt: skip


def _stochastic(
    eng: Engagement, law: str, reps: int, seed: int, method: str, block: int, dt: float | None
) -> dict[str, Any]:
    if reps <= 0:
        raise InputError("--reps", "an integer >= 1", reps)
    if seed < 0:
        raise InputError("--seed", "an integer >= 0", seed)
    if block <= 0:
        raise InputError("--block", "an integer >= 1", block)
    if method not in ("exact", "tau", "auto"):
        raise InputError("--method", "one of exact, tau, auto", method)
    if dt is not None and not (np.isfinite(dt) and dt > 0):
        raise InputError("--dt", "a finite step > 0", dt)
    resolved = resolve_method(eng, method)
    result = _run_with_progress(eng, reps, seed, resolved, block, dt)
    head: dict[str, Any] = {"law": law, "method": resolved, "seed": seed, "block_size": block}
    if resolved == "tau":
        head["dt"] = float(dt) if dt is not None else default_tau_step(eng)
    return head | result.summary().as_dict()


def _print_table(result: dict[str, Any], title: str) -> None:
    table = Table(title=title)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for key, value in result.items():
        items = value.items() if isinstance(value, dict) else [("", value)]
        for sub, v in items:
            name = f"{key}.{sub}" if sub else key
            table.add_row(name, f"{v:.6g}" if isinstance(v, float) else str(v))
    Console().print(table)


@app.command()
def battle(
    law: Annotated[str, typer.Option(help="Attrition law (see `kriegsspiel laws`).")] = "square",
    x0: Annotated[float, typer.Option(help="Initial strength of side X.")] = 10.0,
    y0: Annotated[float, typer.Option(help="Initial strength of side Y.")] = 8.0,
    a: Annotated[float, typer.Option(help="Rate at which Y kills X.")] = 1.0,
    b: Annotated[float, typer.Option(help="Rate at which X kills Y.")] = 1.0,
    p: Annotated[float | None, typer.Option(help="Generalized: enemy exponent.")] = None,
    q: Annotated[float | None, typer.Option(help="Generalized: own exponent.")] = None,
    x_break: Annotated[float, typer.Option(help="X quits below this fraction.")] = 0.0,
    y_break: Annotated[float, typer.Option(help="Y quits below this fraction.")] = 0.0,
    t_max: Annotated[float, typer.Option(help="Time limit (inf: none).")] = float("inf"),
    stochastic: Annotated[
        bool, typer.Option("--stochastic", help="Run replications of the Markov chain.")
    ] = False,
    reps: Annotated[
        int | None, typer.Option(help=f"Stochastic: replications [default {_DEFAULT_REPS}].")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Stochastic: seed [default 0].")] = None,
    method: Annotated[
        str | None, typer.Option(help="Stochastic: exact, tau or auto [default auto].")
    ] = None,
    block: Annotated[
        int | None,
        typer.Option(help=f"Stochastic: replications per seeding block [default {DEFAULT_BLOCK}]."),
    ] = None,
    dt: Annotated[
        float | None, typer.Option(help="Stochastic tau: step [default automatic].")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Fight one aggregate battle and print who wins, with what left, after how long."""
    eng = Engagement.homogeneous(
        law, x0, y0, a, b, shape=_shape(law, p, q), t_max=t_max,
        x_breakpoint=x_break, y_breakpoint=y_break,
    )  # fmt: skip
    options = {"--reps": reps, "--seed": seed, "--method": method, "--block": block, "--dt": dt}
    if stochastic:
        result = _stochastic(
            eng, law, _DEFAULT_REPS if reps is None else reps, 0 if seed is None else seed,
            method or "auto", DEFAULT_BLOCK if block is None else block, dt,
        )  # fmt: skip
        title = f"{law} law, {result['replications']} replications ({result['method']})"
    else:
        given = [name for name, value in options.items() if value is not None]
        if given:
            raise InputError(given[0], "only with --stochastic")
        result, title = _ode(eng, law), f"{law} law, deterministic"
    if json_out:
        emit_json(result)
    else:
        _print_table(result, title)
