"""Scenario files: the format (pydantic models), the loader with line numbers, overrides."""

from kriegsspiel.scenario.loader import content_hash, load, load_text, resolve, validate
from kriegsspiel.scenario.overrides import Assumption, apply_overrides, assumptions
from kriegsspiel.scenario.problems import Problem, ScenarioError
from kriegsspiel.scenario.registry import shipped
from kriegsspiel.scenario.schema import Scenario, Side, Unit

__all__ = [
    "Assumption",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Side",
    "Unit",
    "apply_overrides",
    "assumptions",
    "content_hash",
    "load",
    "load_text",
    "resolve",
    "shipped",
    "validate",
]
