"""The shared combat-parameter library: every value with its source, read from ``library.toml``.

The library is package data (``kriegsspiel/engine/library.toml``); :func:`load_library` parses
and validates it once. A value is a :class:`Param` (value, source tag, status, range, note);
:meth:`Library.value` looks one up by its key path (``"posture.dug_in.vulnerability"``), and
:meth:`Library.with_overrides` returns a copy with some values replaced (a scenario's named
adjustments, later a sensitivity analysis).
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from kriegsspiel.errors import InputError

__all__ = ["Library", "Param", "Weapon", "load_library"]

_STATUSES = frozenset({"S", "D", "E"})
_WEAPON_KINDS = frozenset(
    {
        "rifle",
        "lmg",
        "hmg",
        "at_gun",
        "inf_gun",
        "field_gun",
        "howitzer",
        "mortar",
        "discharger",
        "tank",
        "spg",
    }
)


@dataclass(frozen=True)
class Param:
    """One library value with its provenance (``status``: S sourced, D derived, E estimated)."""

    value: float
    source: str
    status: str = "S"
    low: float | None = None
    high: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Weapon:
    """A weapon (or armed vehicle) of the library; numbers are :class:`Param`."""

    id: str
    name: str
    kind: str
    calibre_mm: float
    oli: Param
    range_m: Param
    indirect: bool
    penetration_mm: Param | None
    armour_mm: Param | None
    crew: Param | None
    speed_road_kmh: Param | None
    speed_cross_kmh: Param | None
    speed_marsh_kmh: Param | None

    @property
    def is_vehicle(self) -> bool:
        """Tanks and self-propelled guns count as vehicles (they can be disabled)."""
        return self.kind in ("tank", "spg")


@dataclass(frozen=True)
class Library:
    """The parsed library: weapons, aircraft and factor sections, with the citation per tag."""

    sources: dict[str, str]
    weapons: dict[str, Weapon]
    aircraft: dict[str, dict[str, Param]]
    sections: dict[str, dict[str, Any]]
    aliases: dict[str, str]

    def weapon(self, wid: str) -> Weapon | None:
        """The weapon with id (or alias) ``wid``, or ``None``."""
        return self.weapons.get(self.aliases.get(wid, wid))

    def value(self, path: str) -> float:
        """The value at a dotted key path, e.g. ``"terrain.swamp_open.tanks"``."""
        return self.param(path).value

    def param(self, path: str) -> Param:
        """The :class:`Param` at a dotted key path (``weapons.t26.oli`` works too)."""
        parts = path.split(".")
        node: Any
        if parts[0] == "weapons" and len(parts) == 3 and parts[1] in self.weapons:
            node = getattr(self.weapons[parts[1]], parts[2], None)
        elif parts[0] == "aircraft" and len(parts) == 3:
            node = self.aircraft.get(parts[1], {}).get(parts[2])
        else:
            node = self.sections
            for part in parts:
                node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, Param):
            raise InputError(f"parameter {path}", "a key path of the parameter library")
        return node

    def with_overrides(self, values: dict[str, float]) -> Library:
        """A copy with the values at ``values``' key paths replaced (provenance kept)."""
        sections = {k: _copy_tree(v) for k, v in self.sections.items()}
        weapons = dict(self.weapons)
        aircraft = {k: dict(v) for k, v in self.aircraft.items()}
        for path, new in values.items():
            old = self.param(path)
            p = replace(old, value=float(new), note=f"overridden (was {old.value}); {old.note}")
            parts = path.split(".")
            if parts[0] == "weapons":
                changed = copy.copy(weapons[parts[1]])
                object.__setattr__(changed, parts[2], p)
                weapons[parts[1]] = changed
            elif parts[0] == "aircraft":
                aircraft[parts[1]][parts[2]] = p
            else:
                node = sections
                for part in parts[:-1]:
                    node = node[part]
                node[parts[-1]] = p
        return Library(self.sources, weapons, aircraft, sections, self.aliases)

    def rows(self) -> list[tuple[str, Param]]:
        """Every value as ``(key path, Param)``, in file order (for docs and reports)."""
        out: list[tuple[str, Param]] = []
        for wid, w in self.weapons.items():
            for field in (
                "oli",
                "range_m",
                "penetration_mm",
                "armour_mm",
                "crew",
                "speed_road_kmh",
                "speed_cross_kmh",
                "speed_marsh_kmh",
            ):
                p = getattr(w, field)
                if p is not None:
                    out.append((f"weapons.{wid}.{field}", p))
        for aid, a in self.aircraft.items():
            out.extend((f"aircraft.{aid}.{k}", p) for k, p in a.items())
        _walk(self.sections, "", out)
        return out


def _copy_tree(node: Any) -> Any:
    return {k: _copy_tree(v) for k, v in node.items()} if isinstance(node, dict) else node


def _walk(node: dict[str, Any], prefix: str, out: list[tuple[str, Param]]) -> None:
    for key, val in node.items():
        if isinstance(val, Param):
            out.append((prefix + key, val))
        elif isinstance(val, dict):
            _walk(val, f"{prefix}{key}.", out)


def _param(raw: Any, where: str, sources: dict[str, str]) -> Param:
    if not isinstance(raw, dict) or "value" not in raw or "source" not in raw:
        raise InputError(where, "a table { value = ..., source = ... }", raw)
    source = str(raw["source"])
    if source not in sources:
        raise InputError(f"{where}.source", "a tag defined in [sources]", source)
    status = str(raw.get("status", "S"))
    if status not in _STATUSES:
        raise InputError(f"{where}.status", "S, D or E", status)
    value = float(raw["value"])
    low = None if raw.get("low") is None else float(raw["low"])
    high = None if raw.get("high") is None else float(raw["high"])
    if low is not None and high is not None and not low <= value <= high:
        raise InputError(where, "low <= value <= high", (low, value, high))
    return Param(value, source, status, low, high, str(raw.get("note", "")))


def _section(raw: dict[str, Any], where: str, sources: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, val in raw.items():
        path = f"{where}.{key}"
        if isinstance(val, dict) and "value" in val:
            out[key] = _param(val, path, sources)
        elif isinstance(val, dict):
            out[key] = _section(val, path, sources)
        else:
            raise InputError(path, "a parameter table or a group of them", val)
    return out


def _weapon(wid: str, raw: dict[str, Any], sources: dict[str, str]) -> Weapon:
    where = f"weapons.{wid}"
    kind = str(raw.get("kind"))
    if kind not in _WEAPON_KINDS:
        raise InputError(f"{where}.kind", f"one of {', '.join(sorted(_WEAPON_KINDS))}", kind)

    def opt(name: str) -> Param | None:
        return _param(raw[name], f"{where}.{name}", sources) if name in raw else None

    return Weapon(
        id=wid,
        name=str(raw.get("name", wid)),
        kind=kind,
        calibre_mm=float(raw.get("calibre_mm", 0.0)),
        oli=_param(raw.get("oli"), f"{where}.oli", sources),
        range_m=_param(raw.get("range_m"), f"{where}.range_m", sources),
        indirect=bool(raw.get("indirect", False)),
        penetration_mm=opt("penetration_mm"),
        armour_mm=opt("armour_mm"),
        crew=opt("crew"),
        speed_road_kmh=opt("speed_road_kmh"),
        speed_cross_kmh=opt("speed_cross_kmh"),
        speed_marsh_kmh=opt("speed_marsh_kmh"),
    )


def parse_library(text: str) -> Library:
    """Parse and validate library TOML text."""
    raw = tomllib.loads(text)
    sources = {str(k): str(v) for k, v in raw.get("sources", {}).items()}
    weapons = {wid: _weapon(wid, w, sources) for wid, w in raw.get("weapons", {}).items()}
    aircraft = {
        aid: {k: _param(v, f"aircraft.{aid}.{k}", sources) for k, v in a.items() if k != "name"}
        for aid, a in raw.get("aircraft", {}).items()
    }
    aliases = {str(k): str(v) for k, v in raw.get("aliases", {}).items()}
    for alias, target in aliases.items():
        if target not in weapons:
            raise InputError(f"aliases.{alias}", "the id of a weapon in the library", target)
    skip = {"meta", "sources", "weapons", "aircraft", "aliases"}
    sections = {k: _section(v, k, sources) for k, v in raw.items() if k not in skip}
    return Library(sources, weapons, aircraft, sections, aliases)


@lru_cache(maxsize=1)
def load_library() -> Library:
    """The shipped library (parsed once per process)."""
    text = resources.files("kriegsspiel.engine").joinpath("library.toml").read_text("utf-8")
    return parse_library(text)


_DOC_HEADER = """# Combat-parameter library

Generated from `src/kriegsspiel/engine/library.toml` by
`kriegsspiel.engine.library.markdown` (a test keeps this file in step with the library). Every
value names its source tag (listed at the end); status **S** = sourced, **D** = derived by
arithmetic from sourced numbers, **E** = estimated (a judgement; its reason is in the note).
The range is the published spread or the span used for sensitivity analysis. The engine reads
these values once per run; a scenario may change one only by a named `[[adjustments]]` entry
with its reason. How the engine uses each group is described in `docs/engine.md`.

**The casualty law.** The constants of `[calibration]` are the first-order terms of the project's
Helmbold fit on CDB90 battles (`docs/evidence-model.md`): a force of X men under the fire of an
enemy force Y loses `k Y^p X^q` men a day, attacker and defender apart. The engine measures the
enemy by the firepower it aims (OLI), in units of a reference force of 10,000 men with the
per-man OLI of the reference battalion. Nothing here was fitted to the outcome of any battle the
shipped scenarios describe.
"""


def markdown(lib: Library) -> str:
    """The library as a Markdown reference (``docs/parameters.md``)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [_DOC_HEADER]
    group = ""
    for path, p in lib.rows():
        head = (
            ".".join(path.split(".")[:2])
            if path.startswith(("weapons.", "aircraft."))
            else path.split(".")[0]
        )
        if head != group:
            group = head
            title = lib.weapons[head.split(".")[1]].name if head.startswith("weapons.") else head
            lines += [
                "",
                f"## {title}",
                "",
                "| key | value | range | status | source | note |",
                "|---|---|---|---|---|---|",
            ]
        span = "" if p.low is None or p.high is None else f"{p.low:g}-{p.high:g}"
        lines.append(
            f"| `{path}` | {p.value:g} | {span} | {p.status} | {p.source} | {cell(p.note)} |"
        )
    if lib.aliases:
        lines += ["", "## Aliases", "", "| alias | weapon |", "|---|---|"]
        lines += [f"| `{a}` | `{w}` |" for a, w in lib.aliases.items()]
    lines += ["", "## Sources", ""]
    lines += [f"* **[{tag}]** {cell(text)}" for tag, text in lib.sources.items()]
    return "\n".join(lines) + "\n"
