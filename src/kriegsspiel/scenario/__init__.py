"""Scenario files: the format (pydantic models), the loader with line numbers, overrides.

Names are imported lazily so that ``kriegsspiel.terrain.features`` (which builds on
``kriegsspiel.scenario.quantity``) and this package can import each other's modules freely.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kriegsspiel.scenario.loader import content_hash, load, load_text, resolve, validate
    from kriegsspiel.scenario.overrides import Assumption, apply_overrides, assumptions
    from kriegsspiel.scenario.problems import Problem, ScenarioError
    from kriegsspiel.scenario.registry import shipped
    from kriegsspiel.scenario.schema import Scenario, Side, Unit, WhatIf
    from kriegsspiel.scenario.whatifs import variant, whatif

_WHERE = {
    "content_hash": "loader",
    "load": "loader",
    "load_text": "loader",
    "resolve": "loader",
    "validate": "loader",
    "Assumption": "overrides",
    "apply_overrides": "overrides",
    "assumptions": "overrides",
    "Problem": "problems",
    "ScenarioError": "problems",
    "shipped": "registry",
    "Scenario": "schema",
    "Side": "schema",
    "Unit": "schema",
    "WhatIf": "schema",
    "variant": "whatifs",
    "whatif": "whatifs",
}

__all__ = [
    "Assumption",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Side",
    "Unit",
    "WhatIf",
    "apply_overrides",
    "assumptions",
    "content_hash",
    "load",
    "load_text",
    "resolve",
    "shipped",
    "validate",
    "variant",
    "whatif",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its submodule on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
