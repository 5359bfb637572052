from __future__ import annotations

from pathlib import Path

import pytest

from kriegsspiel.scenario.registry import BUILTIN_DIR


@pytest.fixture(scope="session")
def example_text() -> str:
    return (BUILTIN_DIR / "example-meeting.toml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first ``needle``."""
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture(scope="session")
def line_of():
    return _line_of


@pytest.fixture
def write(tmp_path: Path):
    def _write(text: str, name: str = "s.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
