"""Named what-ifs (``[whatifs.NAME]``): a scenario's variants, checked when it is loaded.

A what-if is either a list of overrides (``"key.path=value"``, exactly as for ``--set``) or the
name of another shipped scenario to run instead (another account of the same battle). The
overrides are applied the way the experiment runner applies ``--set``: one value per key path,
in sorted key-path order, to the scenario without its what-ifs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kriegsspiel.errors import InputError
from kriegsspiel.scenario.problems import Loc, ScenarioError

if TYPE_CHECKING:
    from kriegsspiel.scenario.schema import Scenario, WhatIf

Found = list[tuple[Loc, str]]


def whatif(scenario: Scenario, name: str) -> WhatIf:
    """The scenario's what-if ``name``; an unknown name is an InputError listing the names."""
    if name not in scenario.whatifs:
        names = ", ".join(sorted(scenario.whatifs)) or "none"
        raise InputError("what-if", f"one of {scenario.meta.name}'s what-ifs ({names})", name)
    return scenario.whatifs[name]


def variant(scenario: Scenario, name: str) -> Scenario:
    """The scenario that what-if ``name`` runs: the overrides applied, or the named scenario."""
    entry = whatif(scenario, name)
    if entry.scenario is not None:
        from kriegsspiel.scenario.loader import load

        return load(entry.scenario)
    from kriegsspiel.scenario.overrides import apply_overrides, override_pairs

    base = scenario.model_copy(update={"whatifs": {}})
    return apply_overrides(base, dict(sorted(override_pairs(entry.overrides or ()))))


def _check_overrides(sc: Scenario, name: str, entry: WhatIf, out: Found, apply: bool) -> None:
    from kriegsspiel.scenario.overrides import parse_path, split_override

    loc: Loc = ("whatifs", name, "overrides")
    keys: list[str] = []
    for j, item in enumerate(entry.overrides or ()):
        try:
            key, _ = split_override(item)
            parse_path(key)
        except InputError as exc:
            out.append(((*loc, j), f"{item!r}: expected {exc.expected}"))
            return
        if key in keys:
            out.append(((*loc, j), f"key path {key!r} is given twice"))
            return
        keys.append(key)
    if not apply:
        return
    try:
        variant(sc, name)
    except InputError as exc:
        path = exc.field.removeprefix("--set ")
        where = (*loc, keys.index(path)) if path in keys else loc
        out.append((where, f"{path}: {str(exc).removeprefix(exc.field + ': ')}"))
    except ScenarioError as exc:
        first = exc.problems[0] if exc.problems else "invalid"
        out.append((loc, f"the overrides give an invalid scenario: {first}"))


def check_whatifs(sc: Scenario, apply: bool = True) -> Found:
    """Every problem of the scenario's what-ifs as ``(key path, message)``.

    With ``apply`` false the overrides are parsed but not applied (the scenario itself has
    problems, which every variant would repeat).
    """
    from kriegsspiel.scenario.registry import shipped

    out: Found = []
    for name, entry in sc.whatifs.items():
        for j, key in enumerate(entry.sources):
            if key not in sc.sources:
                out.append((("whatifs", name, "sources", j), f"source key {key!r} is not defined"))
        if entry.scenario is not None:
            if entry.scenario == sc.meta.name or entry.scenario not in shipped():
                names = ", ".join(n for n in shipped() if n != sc.meta.name)
                out.append(
                    (("whatifs", name, "scenario"), f"not another shipped scenario ({names})")
                )
        else:
            _check_overrides(sc, name, entry, out, apply)
    return out
