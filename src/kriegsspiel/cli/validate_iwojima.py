"""``kriegsspiel validate iwojima``: Engel's square law on Iwo Jima, and the project's fits."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kriegsspiel.cli._app import emit_json, validate_app
from kriegsspiel.validation.iwojima import validate_iwojima


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


@validate_app.command("iwojima")
def validate_iwojima_cmd(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Engel's coefficients and the fitted square and generalized laws on the US series."""
    result = validate_iwojima()
    if json_out:
        emit_json(result)
        return
    table = Table(title=f"{result['battle']}: US active troops (published R² of Engel's model: "
                  f"{result['published_r2']})")  # fmt: skip
    for col in ("model", "parameters (± SE)", "R²", "RMSE", "MAPE %"):
        table.add_column(col)
    for key, label in (("engel", "Engel 1954"), ("square", "square, fitted"),
                       ("generalized", "generalized, fitted")):  # fmt: skip
        row = result[key]
        se = row.get("stderr", {})
        params = ", ".join(
            f"{k}={v:.4g}" + (f" ± {_fmt(se[k])}" if k in se else "")
            for k, v in row["params"].items()
        )
        table.add_row(label, params, _fmt(row["r2"]), _fmt(row["rmse"]), _fmt(row["mape"]))
    Console().print(table)
