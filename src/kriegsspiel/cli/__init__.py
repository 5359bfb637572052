"""The ``kriegsspiel`` command line: one typer app, one module per command group."""

from __future__ import annotations

import sys

import typer

from kriegsspiel.cli import (
    battle,  # registers its command
    experiment_cmds,  # registers compare, sweep, sensitivity, whatif
    fit,  # registers fit
    predict,  # registers predict
    report_cmds,  # registers report, replay
    run,  # registers run
    scenario_cmds,  # registers check, schema, scenarios
    validate_cdb90,  # registers validate cdb90, validate all
    validate_iwojima,  # registers validate iwojima
)
from kriegsspiel.cli._app import app
from kriegsspiel.errors import KriegsspielError

__all__ = ["app", "main"]

_COMMAND_MODULES = (
    battle,
    experiment_cmds,
    fit,
    predict,
    report_cmds,
    run,
    scenario_cmds,
    validate_cdb90,
    validate_iwojima,
)


def main() -> None:
    """Run the CLI; a user mistake becomes one line on stderr and exit status 2."""
    try:
        code = app(standalone_mode=False)
    except KriegsspielError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("aborted", err=True)
        sys.exit(130)
    except Exception as exc:
        # click's usage errors (a bad flag or value): one line instead of a framed box
        message, exit_code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
        if not (callable(message) and isinstance(exit_code, int)):
            raise
        text = str(message()).strip()
        if text:  # empty when a bare command group printed its help
            typer.echo(f"error: {text}", err=True)
        sys.exit(exit_code)
    sys.exit(code if isinstance(code, int) else 0)
