"""A run of the example meeting with Red knowing Blue's positions, made through the CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.scenario import resolve


def positions_known_run(root: Path, *, reps: int, seed: int, extra: str = "") -> Path:
    """Run the meeting, with Red's ``intel = { positions_known = true }`` and ``extra`` TOML.

    The scenario file is written to ``root/meeting.toml``; the results folder is ``root/run``.
    """
    text = resolve("example-meeting").read_text(encoding="utf-8")
    red = '[sides.red]\nname = "Red"\n'
    assert red in text
    scenario = root / "meeting.toml"
    known = text.replace(red, red + "intel = { positions_known = true }\n")
    scenario.write_text(known + extra, encoding="utf-8")
    out = root / "run"
    args = ["run", str(scenario), "--reps", str(reps), "--seed", str(seed), "--out", str(out),
            "--quiet", "--workers", "1"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out
