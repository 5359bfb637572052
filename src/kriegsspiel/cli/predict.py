"""``kriegsspiel predict``: winner probability and casualties of battles from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from kriegsspiel.cli._app import app, emit_json
from kriegsspiel.evidence.battles_csv import read_battles
from kriegsspiel.evidence.model import default_model


def _battle(position: int, isqno: str | None, row: pd.Series) -> dict[str, Any]:
    out: dict[str, Any] = {"row": position}
    if isqno is not None:
        out["isqno"] = isqno
    out["p_attacker_wins"] = float(row["p_attacker_wins"])
    for side in ("att", "def"):
        out[f"{side}_cas"] = {q: float(row[f"{side}_cas_{q}"]) for q in ("median", "q05", "q95")}
    return out


@app.command()
def predict(
    battles: Annotated[Path, typer.Argument(help="CSV with the columns of the CDB90 summary.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Predict P(attacker wins) and each side's casualties (median, 5 %, 95 %) per battle.

    Reads only pre-battle columns (strengths, weapons, posture, terrain, weather, season,
    front widths, year, duration; optionally the army names att_army, def_army and the war,
    as in CDB90: without them, or for armies CDB90 does not name, no army effect); outcome
    columns may be absent and are never read. Rows
    with a bad cell are listed under "rejected" and the others still answered. Exit status:
    0 every row answered, 1 some rows rejected, 2 the file itself is unusable.
    """
    table = read_battles(battles)
    preds, rejected = default_model().predict(table)
    has_id = "isqno" in table.columns
    position = {index: i for i, index in enumerate(table.index, start=1)}
    results = [
        _battle(
            position[index],
            str(table.at[index, "isqno"]).strip() if has_id else None,
            row,
        )
        for index, row in preds.iterrows()
    ]
    for r in rejected:
        typer.echo(f"row {r['row']}, column {r['column']}: {r['error']} (row rejected)", err=True)
    if json_out:
        emit_json({"battles": results, "rejected": rejected})
    else:
        _print_table(results)
    if rejected:
        sys.exit(1)


def _print_table(results: list[dict[str, Any]]) -> None:
    table = Table(title="kriegsspiel predict (evidence model fitted on CDB90)")
    for col in ("row", "isqno", "P(att wins)", "att cas [5%, 95%]", "def cas [5%, 95%]"):
        table.add_column(col, justify="right")
    for r in results:
        cas = [
            f"{r[s]['median']:.0f} [{r[s]['q05']:.0f}, {r[s]['q95']:.0f}]"
            for s in ("att_cas", "def_cas")
        ]
        table.add_row(str(r["row"]), str(r.get("isqno", "")), f"{r['p_attacker_wins']:.2f}", *cas)
    Console().print(table)
