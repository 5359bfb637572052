"""``kriegsspiel report`` and ``kriegsspiel replay``: self-contained HTML pages of a run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kriegsspiel.cli._app import app, emit_json
from kriegsspiel.report.adapters import from_results_dir
from kriegsspiel.report.compare_adapter import with_compare
from kriegsspiel.report.replay_adapter import replay_from_results_dir
from kriegsspiel.report.replay_page import write_replay
from kriegsspiel.report.report_page import write_report


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="Results folder written by `kriegsspiel run`.")],
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            help="Results folder of a run A to compare FOLDER (run B) with, side by side.",
        ),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Write FOLDER/report.html (one self-contained page) and FOLDER/figures/*.png|svg.

    With --compare DIR_A the page adds the comparison of FOLDER (B) with DIR_A (A): differences
    of means and medians with bootstrap 95% intervals, P(B beats A), and both runs' control and
    loss charts side by side.
    """
    data = from_results_dir(folder)
    if compare is not None:
        data = with_compare(data, compare, folder)
    path = write_report(data, folder)
    figures = sorted(str(p) for p in (folder / "figures").glob("*.*"))
    if json_out:
        emit_json(
            {
                "report": str(path),
                "figures": figures,
                "partial": data.manifest.partial,
                "replications": data.manifest.replications,
                "compared_with": None if compare is None else str(compare),
            }
        )
        return
    label = " (PARTIAL run)" if data.manifest.partial else ""
    typer.echo(f"wrote {path}{label} and {len(figures)} figures in {folder / 'figures'}", err=True)


@app.command()
def replay(
    folder: Annotated[Path, typer.Argument(help="Results folder written by `kriegsspiel run`.")],
    rep: Annotated[int, typer.Option("--rep", min=0, help="Replication to replay.")] = 0,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Write FOLDER/replay-REP.html: the battle on the map, animated, in one file."""
    data = replay_from_results_dir(folder, rep)
    path = write_replay(data, folder)
    if json_out:
        emit_json({"replay": str(path), "frames": int(data.times.size), "units": len(data.units)})
        return
    typer.echo(f"wrote {path} ({data.times.size} frames, {len(data.units)} units)", err=True)
