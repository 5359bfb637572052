"""Change a scenario by key path (``units[air].sorties=0``) and list its assumptions.

Key paths: dotted names, ``[n]`` for the n-th list entry, ``[some-id]`` for the entry whose
``id`` is ``some-id``, ``[field=value]`` for every entry whose ``field`` is ``value``
(``events[kind=air_strike]``), ``[*]`` for every entry. Values are TOML values (``20``, ``false``,
``"text"``, ``{ value = 3, source = "S1" }``); a bare word is taken as a string and ``none``
clears an optional key. Setting a number where the file has a Quantity keeps its provenance
but marks it as an assumption whose range is widened to include the new value.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kriegsspiel.errors import InputError
from kriegsspiel.scenario.loader import validate
from kriegsspiel.scenario.problems import Loc
from kriegsspiel.scenario.quantity import Quantity
from kriegsspiel.scenario.schema import Scenario
from kriegsspiel.scenario.walk import walk

_TOKEN = re.compile(r"\.?([A-Za-z0-9_\-]+)|\[([^\[\]]*)\]")
MAX_OVERRIDES = 1000


def parse_path(path: str) -> list[str | tuple[str]]:
    """Split ``units[air].men`` into ``["units", ("air",), "men"]`` (selectors as 1-tuples)."""
    out: list[str | tuple[str]] = []
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if m is None or (m.group(0).startswith(".") and pos == 0):
            raise InputError(f"--set {path}", "a key path like units[air].men or weather.sunrise")
        out.append(m.group(1) if m.group(1) is not None else (m.group(2),))
        pos = m.end()
    if not out or isinstance(out[0], tuple):
        raise InputError(f"--set {path}", "a key path starting with a section name")
    return out


def split_override(item: str) -> tuple[str, str]:
    """Split ``"key.path=value"`` at the first ``=`` outside brackets (selectors may hold one)."""
    depth = 0
    for i, char in enumerate(item):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == "=" and depth == 0:
            if item[:i].strip():
                return item[:i].strip(), item[i + 1 :]
            break
    raise InputError(f"--set {item}", "key.path=value")


def override_pairs(items: Iterable[str]) -> list[tuple[str, Any]]:
    """``"key.path=value"`` strings as ``(key path, value)`` pairs (values parsed as TOML)."""
    return [(key, parse_value(raw)) for key, raw in map(split_override, items)]


def parse_value(text: str) -> Any:
    """A TOML value, ``none`` for None, or else the text itself as a string."""
    if text.strip() == "none":
        return None
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def _select(node: Any, sel: str, path: str) -> list[int]:
    if not isinstance(node, list):
        raise InputError(f"--set {path}", f"[{sel}] selects list entries, but this is not a list")
    if sel == "*":
        return list(range(len(node)))
    if re.fullmatch(r"-?\d+", sel):
        i = int(sel)
        if not -len(node) <= i < len(node):
            raise InputError(f"--set {path}", f"an index below {len(node)}", i)
        return [i % len(node)]
    field, eq, want = sel.partition("=")
    if eq:
        hits = [i for i, item in enumerate(node) if _matches(item, field.strip(), want.strip())]
        if not hits:
            expected = f"an entry with {field.strip()} = {want.strip()!r}: none has"
            raise InputError(f"--set {path}", expected)
        return hits
    hits = [i for i, item in enumerate(node) if isinstance(item, dict) and item.get("id") == sel]
    if not hits:
        raise InputError(f"--set {path}", f"an existing id in [{sel}]: none has id {sel!r}")
    return hits


def _matches(item: Any, field: str, want: str) -> bool:
    """Whether a list entry's ``field`` equals ``want`` (written as in a key path)."""
    if not isinstance(item, dict) or field not in item:
        return False
    value = item[field]
    if isinstance(value, bool):
        return want == str(value).lower()
    return isinstance(value, str | int | float) and str(value) == want


def _new_value(old: Any, new: Any) -> Any:
    is_number = isinstance(new, int | float) and not isinstance(new, bool)
    if not (is_number and isinstance(old, dict) and "value" in old and "assumption" in old):
        return new
    lo = old["low"] if old.get("low") is not None else old["value"]
    hi = old["high"] if old.get("high") is not None else old["value"]
    note = f"set by override (was {old['value']:g})"
    return {
        **old, "value": new, "assumption": True,
        "low": min(lo, new), "high": max(hi, new), "note": note,
    }  # fmt: skip


def _assign(node: Any, tokens: list[str | tuple[str]], value: Any, path: str) -> None:
    head, rest = tokens[0], tokens[1:]
    if isinstance(head, tuple):
        for i in _select(node, head[0], path):
            if rest:
                _assign(node[i], rest, value, path)
            else:
                node[i] = _new_value(node[i], value)
        return
    if not isinstance(node, dict):
        raise InputError(f"--set {path}", f"{head!r} names a key, but this is not a table")
    if not rest:
        node[head] = _new_value(node.get(head), value)
        return
    if head not in node or node[head] is None:
        raise InputError(f"--set {path}", f"an existing key: {head!r} is not set in the scenario")
    _assign(node[head], rest, value, path)


def path_exists(data: Any, path: str) -> bool:
    """Whether ``path`` (override syntax) names something present in plain scenario data."""
    try:
        tokens = parse_path(path)
    except InputError:
        return False
    nodes = [data]
    for tok in tokens:
        nxt: list[Any] = []
        for node in nodes:
            if isinstance(tok, tuple):
                try:
                    nxt.extend(node[i] for i in _select(node, tok[0], path))
                except InputError:
                    return False
            elif isinstance(node, dict) and tok in node:
                nxt.append(node[tok])
            else:
                return False
        nodes = nxt
    return bool(nodes)


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any] | Iterable[str]) -> Scenario:
    """A new, validated scenario with the overrides applied in order.

    ``overrides`` is either ``{"units[3].men": 20}`` (values as Python data) or strings
    ``"units[3].men=20"`` (values as TOML). Bad paths raise InputError; results that do not
    validate raise ScenarioError naming the key path.
    """
    pairs = list(overrides.items()) if isinstance(overrides, Mapping) else override_pairs(overrides)
    if len(pairs) > MAX_OVERRIDES:
        raise InputError("--set", f"at most {MAX_OVERRIDES} overrides", len(pairs))
    data = scenario.model_dump(mode="json")
    for key, value in pairs:
        _assign(data, parse_path(key), value, key)
    return validate(data, "(with overrides)", base_dir=scenario.terrain.base_dir)


@dataclass(frozen=True)
class Assumption:
    """One assumed number: where it is, its value and range, and why."""

    path: str
    value: float
    low: float
    high: float
    note: str | None


def selector_loc(scenario: Scenario, loc: Loc) -> str:
    """The key path of ``loc`` with list entries named by id where they have one."""
    text = ""
    node: Any = scenario
    for part in loc:
        if isinstance(part, int):
            node = node[part]
            ident = getattr(node, "id", None)
            text += f"[{ident if isinstance(ident, str) else part}]"
        else:
            node = node[part] if isinstance(node, dict) else getattr(node, part)
            text += f".{part}" if text else part
    return text


def assumptions(scenario: Scenario) -> list[Assumption]:
    """Every Quantity marked ``assumption = true``, with a key path usable by overrides."""
    found = []
    for loc, node in walk(scenario):
        if isinstance(node, Quantity) and node.assumption:
            lo, hi = node.bounds
            found.append(Assumption(selector_loc(scenario, loc), node.value, lo, hi, node.note))
    return found
