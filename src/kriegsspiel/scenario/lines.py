"""A line index of a TOML text: key path -> line number (tomllib keeps no positions).

Good enough to point a user at the right line: table headers, array-of-tables entries and
``key = value`` lines (dotted keys included) are indexed; keys inside a value that spans
several lines are attributed to the line where that value starts.
"""

from __future__ import annotations

import re

from kriegsspiel.scenario.problems import Loc


def _code(line: str, in_ml: str | None) -> tuple[str, str | None]:
    """The line without strings and comments, and the still-open multi-line quote (if any)."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        if in_ml is not None:
            j = line.find(in_ml, i)
            if j < 0:
                return "".join(out), in_ml
            i, in_ml = j + 3, None
            out.append('""')
            continue
        c = line[i]
        if c == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            in_ml = line[i : i + 3]
            i += 3
            continue
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if (c == '"' and line[j] == "\\") else 1
            out.append('""')
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), in_ml


_PART = r"""(?:[A-Za-z0-9_\-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_PATH = rf"{_PART}(?:\s*\.\s*{_PART})*"
_AOT = re.compile(rf"^\s*\[\[\s*({_PATH})\s*\]\]")
_TABLE = re.compile(rf"^\s*\[\s*({_PATH})\s*\]")
_KEY = re.compile(rf"^\s*({_PATH})\s*=")


def _parts(path: str) -> list[str]:
    """Split a dotted key path, unquoting quoted parts."""
    return [p[1:-1] if p[:1] in "\"'" else p for p in re.findall(_PART, path)]


def index_lines(text: str) -> dict[Loc, int]:
    """Map each key path found in ``text`` to the 1-based line where it is written."""
    index: dict[Loc, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: Loc = ()
    depth = 0
    in_ml: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        top = depth == 0 and in_ml is None
        code, in_ml = _code(raw, in_ml)
        if top:
            aot = _AOT.match(raw)
            head = aot or _TABLE.match(raw)
            if head is not None:
                table = _header(counts, _parts(head.group(1)), aot=aot is not None)
                index.setdefault(table, lineno)
                continue
            key = _KEY.match(raw)
            if key is not None:
                index.setdefault((*table, *_parts(key.group(1))), lineno)
        depth += code.count("[") + code.count("{") - code.count("]") - code.count("}")
        depth = max(depth, 0)
    return index


def _header(counts: dict[tuple[str, ...], int], names: list[str], *, aot: bool) -> Loc:
    """The key path of a table header, numbering array-of-tables entries."""
    loc: list[str | int] = []
    for k, name in enumerate(names):
        loc.append(name)
        prefix = tuple(names[: k + 1])
        if aot and k == len(names) - 1:
            counts[prefix] = counts.get(prefix, -1) + 1
            nested = [c for c in counts if len(c) > len(prefix) and c[: len(prefix)] == prefix]
            for deeper in nested:
                del counts[deeper]  # arrays nested in the new entry start again at 0
        if prefix in counts:
            loc.append(counts[prefix])
    return tuple(loc)


def line_for(index: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the longest prefix of ``loc`` present in ``index`` (None if no prefix is)."""
    for n in range(len(loc), 0, -1):
        hit = index.get(tuple(loc[:n]))
        if hit is not None:
            return hit
    return None
