"""``kriegsspiel validate cdb90`` and ``kriegsspiel validate all``: the scoreboard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from kriegsspiel.cli._app import emit_json, validate_app
from kriegsspiel.evidence.army_effects_doc import army_effects_csv, army_effects_markdown
from kriegsspiel.evidence.crossval import DEFAULT_SEED, cross_validate
from kriegsspiel.evidence.model import default_model
from kriegsspiel.evidence.report import cdb90_markdown, model_markdown, scoreboard_markdown
from kriegsspiel.validation.iwojima import validate_iwojima


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    typer.echo(f"wrote {folder / name}", err=True)


def _write_model_docs(folder: Path, scores: dict[str, Any]) -> None:
    """evidence-model.md and the complete army-effect tables of the shipped model."""
    model = default_model()
    _write(folder, "evidence-model.md", model_markdown(model, scores))
    _write(folder, "army-effects.md", army_effects_markdown(model.winner))
    _write(folder, "army-effects.csv", army_effects_csv(model.winner))


@validate_app.command("cdb90")
def validate_cdb90(
    folds: Annotated[int, typer.Option(min=2, max=50, help="Number of folds.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the fold assignment.")] = DEFAULT_SEED,
    out: Annotated[
        Path | None, typer.Option(help="Write evidence-model.md and army-effects.md/.csv here.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Cross-validate the evidence model and its baselines on the CDB90 battles."""
    scores = cross_validate(k=folds, seed=seed)
    if out is not None:
        _write_model_docs(out, scores)
    if json_out:
        emit_json(scores)
    else:
        typer.echo("\n".join(cdb90_markdown(scores)))


@validate_app.command("all")
def validate_all(
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write scoreboard.md/.json, evidence-model.md, army-effects.md/.csv here."
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Run every validation (Iwo Jima, CDB90) and print the scoreboard."""
    typer.echo("validating Iwo Jima ...", err=True)
    iwojima = validate_iwojima()
    typer.echo("cross-validating on CDB90 ...", err=True)
    cdb90 = cross_validate()
    board: dict[str, Any] = {"iwojima": iwojima, "cdb90": cdb90}
    markdown = scoreboard_markdown(board)
    if out is not None:
        _write(out, "scoreboard.json", json.dumps(board, indent=2, allow_nan=False) + "\n")
        _write(out, "scoreboard.md", markdown)
        _write_model_docs(out, cdb90)
    if json_out:
        emit_json(board)
    else:
        typer.echo(markdown)
