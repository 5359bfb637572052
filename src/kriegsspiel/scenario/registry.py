"""The scenarios shipped with kriegsspiel (``builtin/*.toml``), by name."""

from __future__ import annotations

from pathlib import Path

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"


def shipped() -> dict[str, Path]:
    """Shipped scenario names (file stems) and their file paths, sorted by name."""
    return {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.toml"), key=lambda p: p.stem)}


def shipped_path(name: str) -> Path | None:
    """The file of the shipped scenario ``name``, or None if there is none."""
    return shipped().get(name)
