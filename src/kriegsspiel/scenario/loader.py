"""Load a scenario file into a validated :class:`Scenario`; errors carry key paths and lines."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kriegsspiel.scenario.lines import index_lines
from kriegsspiel.scenario.problems import Loc, Problem, ScenarioError
from kriegsspiel.scenario.registry import shipped, shipped_path
from kriegsspiel.scenario.schema import Scenario

MAX_FILE_BYTES = 2_000_000
"""Largest scenario file accepted (bytes)."""

_MESSAGES = {
    "extra_forbidden": "unknown key (not part of the scenario format; see `kriegsspiel schema`)",
    "missing": "missing required key",
}


def resolve(path_or_name: str | Path) -> Path:
    """The file behind a shipped scenario name or a path (ScenarioError if neither exists)."""
    path = Path(path_or_name)
    if path.is_file():
        return path
    builtin = shipped_path(str(path_or_name))
    if builtin is not None:
        return builtin
    names = ", ".join(shipped()) or "none"
    raise ScenarioError(
        [Problem((), f"no such file, nor a shipped scenario of that name (shipped: {names})")],
        str(path_or_name),
    )


def load(path_or_name: str | Path) -> Scenario:
    """Load and validate a scenario by shipped name (``khasan-1938``) or file path."""
    path = resolve(path_or_name)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem((), f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")], str(path)
        )
    raw = path.read_bytes()[: MAX_FILE_BYTES + 1]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem((), f"not UTF-8 text ({exc.reason})")], str(path)) from None
    return load_text(text, str(path))


def parse_toml(text: str, file: str = "<text>") -> dict[str, Any]:
    """Parse TOML text (size-bounded) into plain data; syntax errors become ScenarioError."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ScenarioError([Problem((), f"text longer than {MAX_FILE_BYTES} bytes")], file)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem((), f"TOML syntax error: {exc}")], file) from None
    except RecursionError:
        raise ScenarioError([Problem((), "values nested too deeply")], file) from None


def load_text(text: str, file: str = "<text>") -> Scenario:
    """Validate scenario TOML given as text; ``file`` names it in error messages."""
    data = parse_toml(text, file)
    return validate(data, file, index_lines(text))


def _clean_loc(loc: tuple[int | str, ...]) -> Loc:
    out: list[int | str] = []
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if i == 2 and loc[0] == "events" and isinstance(loc[1], int):
            continue  # the union's tag (the event's kind) is not part of the file's path
        out.append(part)
    return tuple(out)


def _clean_msg(err: Any) -> str:
    if err["type"] == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown kind {ctx.get('tag')!r} (expected one of {ctx.get('expected_tags')})"
    if err["type"] in _MESSAGES:
        return _MESSAGES[err["type"]]
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


def validate(
    data: dict[str, Any],
    file: str | None = None,
    lines: dict[Loc, int] | None = None,
    base_dir: Path | None = None,
) -> Scenario:
    """Validate parsed scenario data; every problem is reported with its key path (and line).

    Terrain files (``geojson``, ``dem.path``) are relative to ``base_dir``, by default the
    folder of ``file`` when that names a file.
    """
    if base_dir is None and file is not None and Path(file).is_file():
        base_dir = Path(file).resolve().parent
    try:
        return Scenario.model_validate(data, context={"base_dir": base_dir})
    except ValidationError as exc:
        probs = [
            Problem(
                _clean_loc(e["loc"]) + (("kind",) if e["type"] == "union_tag_invalid" else ()),
                _clean_msg(e),
            )
            for e in exc.errors()
        ]
        raise ScenarioError(probs).with_context(file, lines) from None
    except ScenarioError as exc:
        raise exc.with_context(file, lines) from None


def canonical_json(scenario: Scenario) -> str:
    """The scenario's canonical JSON (sorted keys, no spaces): equal models give equal text."""
    return json.dumps(
        scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def content_hash(scenario: Scenario) -> str:
    """SHA-256 (hex) of the canonical JSON: identifies a scenario's content in manifests."""
    return hashlib.sha256(canonical_json(scenario).encode("utf-8")).hexdigest()
