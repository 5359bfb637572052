"""``kriegsspiel fit``: fit an attrition law (or choose one) to a daily engagement series."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kriegsspiel.cli._app import app, emit_json
from kriegsspiel.errors import InputError
from kriegsspiel.fit import fit
from kriegsspiel.series import SHIPPED, EngagementSeries, load_series, load_shipped


def _load(name: str) -> EngagementSeries:
    """A file path, or the name of a shipped series when no such file exists."""
    if name in SHIPPED and not Path(name).exists():
        return load_shipped(name)
    return load_series(name)


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.6g}" if isinstance(value, float) else str(value)


@app.command("fit")
def fit_cmd(
    series: Annotated[
        str, typer.Argument(help=f"Series CSV (docs/series-format.md) or: {', '.join(SHIPPED)}.")
    ],
    law: Annotated[str, typer.Option(help="Law name, or auto (rolling-origin choice).")] = "square",
    train_until: Annotated[
        int | None, typer.Option(help="Fit days <= DAY; forecast the later days.")
    ] = None,
    on: Annotated[str, typer.Option(help="Fit strength or (cumulative) losses.")] = "strength",
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Fit an attrition law to a daily series by least squares; report R², RMSE, MAPE."""
    if on not in ("strength", "losses"):
        raise InputError("--on", "strength or losses", on)
    data = _load(series)
    result = fit(
        data, law, on="strength" if on == "strength" else "losses", train_until=train_until
    )
    out = {"series": data.source, **result.to_dict()}
    if json_out:
        emit_json(out)
        return
    table = Table(title=f"{out['law']} law fitted to {data.source} on {on}")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for key, value in out["params"].items():
        table.add_row(key, f"{value:.6g} ± {_fmt(out['stderr'][key])}")
    for key in ("r2", "rmse", "mape", "n", "train_until"):
        table.add_row(key, _fmt(out[key]))
    for block in ("forecast", "persistence"):
        if block in out:
            for key in ("r2", "rmse", "mape"):
                table.add_row(f"{block} {key}", _fmt(out[block][key]))
    if "auto" in out:
        for name, score in out["auto"]["scores"].items():
            table.add_row(f"auto: {name} rolling MAPE", _fmt(score["mape"]))
        table.add_row("auto: persistence rolling MAPE", _fmt(out["auto"]["persistence"]["mape"]))
    Console().print(table)
