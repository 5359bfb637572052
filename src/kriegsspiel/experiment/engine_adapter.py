"""Scenarios as experiment tasks: the one place that ties the tactical engine to experiments.

A scenario task carries the scenario's file text and its overrides (plain data). Every command
(``run``, ``sweep``, ``sensitivity``, ``whatif``) builds its tasks with :func:`scenario_task`,
which validates the overrides and compiles the scenario (every reference resolved) before any
folder is touched. Each worker validates them again and calls the engine's block runner,
``runner(scenario, seed, block_index, block_size, first_replication)``, which seeds block ``k`` from
``SeedSequence(entropy=seed, spawn_key=(k,))`` and returns the per-replication tables; the
block's first replication is passed explicitly, so a shorter last block is numbered right.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, cast

import pandas as pd

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment.task import Block, BlockTask

__all__ = [
    "ENGINE_BLOCK_RUNNER",
    "ENGINE_COMPILER",
    "parse_overrides",
    "scenario_assumptions",
    "scenario_block",
    "scenario_of",
    "scenario_summary",
    "scenario_task",
    "scenario_whatif",
]

ENGINE_BLOCK_RUNNER = "kriegsspiel.engine.runner:run_block"
"""Where the tactical engine's block runner lives (``module:function``)."""

ENGINE_COMPILER = "kriegsspiel.engine.runner:compiled"
"""The engine's compiler (``module:function``): resolves every reference of a scenario."""


def _engine(reference: str) -> Callable[..., Any]:
    module_name, _, name = reference.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), name, None)
    except ImportError:
        function = None
    if not callable(function):
        raise KriegsspielError(
            f"the tactical engine is not available in this build ({reference} "
            "is missing), so scenarios cannot be run yet"
        )
    return cast(Callable[..., Any], function)


def _json_value(raw: str, value: Any) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return raw.strip()  # e.g. a TOML date-time: the scenario validates the text itself
    return value


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``["key.path=value", ...]`` (values as TOML, as for ``--set``) to a mapping."""
    from kriegsspiel.scenario.overrides import parse_value, split_override

    out: dict[str, Any] = {}
    for item in items:
        key, raw = split_override(item)  # the first `=` outside [field=value] selectors
        out[key] = _json_value(raw, parse_value(raw))
    return out


@lru_cache(maxsize=8)
def _scenario(text: str, file: str, overrides_json: str) -> Any:
    from kriegsspiel.scenario import apply_overrides, load_text

    scenario = load_text(text, file)
    overrides = json.loads(overrides_json)
    return apply_overrides(scenario, overrides) if overrides else scenario


def _from_params(params: Mapping[str, Any]) -> Any:
    overrides = json.dumps(params["overrides"], sort_keys=True)
    return _scenario(params["scenario_text"], params["file"], overrides)


def _read(name_or_path: str) -> tuple[str, str]:
    from kriegsspiel.scenario import load, resolve

    path = resolve(name_or_path)
    load(path)  # size, encoding and validity checks
    return path.read_text(encoding="utf-8"), str(path)


def scenario_block(params: Mapping[str, Any], seed: int, block: Block) -> Any:
    """One block of a scenario (runs on the worker): the engine's per-replication tables."""
    scenario = _from_params(params)
    tables = _engine(ENGINE_BLOCK_RUNNER)(scenario, seed, block.index, block.size, block.start)
    if not isinstance(tables, pd.DataFrame | Mapping):
        raise KriegsspielError(
            f"{ENGINE_BLOCK_RUNNER} returned {type(tables).__name__}, not tables"
        )
    return tables


def scenario_task(name_or_path: str, overrides: Mapping[str, Any] | None = None) -> BlockTask:
    """The task of a scenario (shipped name or file) with overrides, checked before any work.

    The scenario with its overrides is validated like the file and compiled by the engine, so
    an unknown key, a value of the wrong type or a dangling reference shows here.

    Raises:
        KriegsspielError: the engine is missing, the scenario is invalid, or an override is.
    """
    from kriegsspiel.scenario import content_hash

    _engine(ENGINE_BLOCK_RUNNER)
    text, file = _read(name_or_path)
    chosen = dict(overrides or {})
    base = _scenario(text, file, "{}")
    _engine(ENGINE_COMPILER)(_scenario(text, file, json.dumps(chosen, sort_keys=True)))
    params = {"scenario_text": text, "file": file, "overrides": chosen}
    return BlockTask.create(
        "kriegsspiel.experiment.engine_adapter:scenario_block",
        params,
        scenario=base.meta.name,
        scenario_hash=content_hash(base),
        locators=("file",),
    )


def scenario_of(task: BlockTask) -> Any:
    """The validated scenario (overrides applied) that a :func:`scenario_task` task simulates."""
    return _from_params(task.params)


def scenario_summary(task: BlockTask, frame: pd.DataFrame, seed: int) -> dict[str, Any]:
    """``summary.json`` of a run of ``task`` (its per-replication ``frame``), with its overrides."""
    from kriegsspiel.engine.summary import summarize

    sc = scenario_of(task)
    side_ids = tuple(sc.sides)
    return {**summarize(frame, sc.meta.name, side_ids, seed), "overrides": task.overrides}


def scenario_assumptions(name_or_path: str) -> dict[str, tuple[float, float]]:
    """The scenario's own assumptions (key path -> low, high) that have a range to vary."""
    from kriegsspiel.scenario import assumptions

    text, file = _read(name_or_path)
    found = {
        a.path: (a.low, a.high) for a in assumptions(_scenario(text, file, "{}")) if a.low < a.high
    }
    if not found:
        raise KriegsspielError(f"{name_or_path}: no assumption with a low < high range to vary")
    return found


def scenario_whatif(name_or_path: str, name: str) -> tuple[str, dict[str, Any]]:
    """What the scenario's what-if ``name`` runs: (scenario name or path, overrides).

    An overrides what-if runs the same scenario with its overrides; a ``scenario = "..."``
    what-if runs that shipped scenario without overrides.

    Raises:
        InputError: the scenario has no what-if of that name (the message lists them).
    """
    from kriegsspiel.scenario.whatifs import whatif

    text, file = _read(name_or_path)
    entry = whatif(_scenario(text, file, "{}"), name)
    if entry.scenario is not None:
        return entry.scenario, {}
    return name_or_path, parse_overrides(list(entry.overrides or ()))
