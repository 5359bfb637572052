"""``kriegsspiel battle``: one aggregate battle from the command line."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from kriegsspiel.aggregate import Engagement, solve
from kriegsspiel.cli._app import app, emit_json


def _shape(law: str, p: float | None, q: float | None) -> dict[str, float]:
    if law != "generalized":
        return {}
    return {k: v for k, v in (("p", p), ("q", q)) if v is not None}


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
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Fight one aggregate battle and print who wins, with what left, after how long."""
    eng = Engagement.homogeneous(
        law, x0, y0, a, b, shape=_shape(law, p, q), t_max=t_max,
        x_breakpoint=x_break, y_breakpoint=y_break,
    )  # fmt: skip
    out = solve(eng).outcome
    result: dict[str, Any] = {
        "law": law,
        "method": "ode",
        "winner": out.winner,
        "reason": out.reason,
        "p_x_wins": float(out.winner == "x"),
        "p_y_wins": float(out.winner == "y"),
        "x_final": float(out.x_final.sum()),
        "y_final": float(out.y_final.sum()),
        "duration": float(out.end_time) if np.isfinite(out.end_time) else None,
    }
    if json_out:
        emit_json(result)
        return
    table = Table(title=f"{law} law, deterministic")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(key, f"{value:.6g}" if isinstance(value, float) else str(value))
    Console().print(table)
