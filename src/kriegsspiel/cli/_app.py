"""The typer application object that every command module registers on."""

from __future__ import annotations

import json
from typing import Any

import typer

app = typer.Typer(
    name="kriegsspiel",
    help="Simulate historical battles: attrition laws, fits to real battles, Lake Khasan 1938.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def emit_json(payload: Any) -> None:
    """Print ``payload`` as JSON on stdout (and nothing else)."""
    typer.echo(json.dumps(payload, indent=2, allow_nan=False))


@app.callback()
def _root() -> None:
    """Simulate historical battles: attrition laws, fits to real battles, Lake Khasan 1938."""


validate_app = typer.Typer(help="Validate the models against real battles.", no_args_is_help=True)
app.add_typer(validate_app, name="validate")
