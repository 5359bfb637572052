"""Blocks of replications and the task that simulates one block: the unit of work and seeding.

A :class:`BlockTask` names a module-level block function by reference (``"package.module:name"``)
and carries plain JSON parameters (a scenario's file text, overrides, numbers), never a pickled
object, so it travels to any worker as a few strings. The block function is called as
``function(params, seed, block)`` and draws its randomness from
:func:`block_seed_sequence` ``(seed, block.index)``; a block's results therefore depend only on
the task, the seed and the block, never on the worker or backend that ran it.

The block function returns one row per replication (a :class:`pandas.DataFrame`) or a mapping
of table names to frames, one of which is :data:`MAIN_TABLE` (one row per replication); every
other table carries a ``replication`` column.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from kriegsspiel.errors import InputError

__all__ = [
    "MAIN_TABLE",
    "REPLICATION",
    "Block",
    "BlockError",
    "BlockFunction",
    "BlockTask",
    "TableSet",
    "block_seed_sequence",
    "plan_blocks",
    "run_block",
]

MAIN_TABLE = "replications"
"""The table with one row per replication (what comparisons and sensitivity read)."""

REPLICATION = "replication"
"""The column holding a row's replication number (0-based, across the whole run)."""

TableSet = dict[str, pd.DataFrame]

_FUNCTION_REF = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class BlockError(RuntimeError):
    """A block function broke the block protocol (a programming error, not a user mistake)."""


@dataclass(frozen=True)
class Block:
    """Replications ``start .. start + size - 1`` of a run, seeded as block ``index``."""

    index: int
    start: int
    size: int


def plan_blocks(replications: int, block_size: int) -> list[Block]:
    """Split ``replications`` into blocks of ``block_size`` (the last one may be shorter)."""
    if replications < 1:
        raise InputError("replications", "a whole number >= 1", replications)
    if block_size < 1:
        raise InputError("block size", "a whole number >= 1", block_size)
    return [
        Block(k, start, min(block_size, replications - start))
        for k, start in enumerate(range(0, replications, block_size))
    ]


def block_seed_sequence(seed: int, block: int) -> np.random.SeedSequence:
    """The seed sequence of block ``block`` of a run seeded with ``seed``."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(block,))


BlockFunction = Callable[
    [Mapping[str, Any], int, Block], "pd.DataFrame | Mapping[str, pd.DataFrame]"
]


def _canonical_json(value: Any, field: str) -> str:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError(field, "plain JSON data (numbers, strings, lists, tables)") from exc


def _resolve(reference: str) -> BlockFunction:
    module_name, _, name = reference.partition(":")
    function = getattr(importlib.import_module(module_name), name, None)
    if not callable(function):
        raise BlockError(f"{reference} is not a function")
    return function  # type: ignore[no-any-return]


@dataclass(frozen=True)
class BlockTask:
    """What to simulate: a block function by reference and its plain parameters.

    Attributes:
        function: ``"package.module:function"`` of a module-level block function.
        params_json: the parameters, as canonical JSON.
        scenario: the scenario's name (for the manifest and messages).
        scenario_hash: the scenario's content hash (runs with other hashes never mix).
        locators: names of parameters that only say where inputs are read from (a scenario
            file's path); they are left out of the run's identity (:attr:`params_sha256`),
            which the content hash covers, so a moved folder still resumes.
    """

    function: str
    params_json: str
    scenario: str
    scenario_hash: str
    locators: tuple[str, ...] = ()

    @classmethod
    def create(
        cls,
        function: str,
        params: Mapping[str, Any],
        *,
        scenario: str,
        scenario_hash: str | None = None,
        locators: tuple[str, ...] = (),
    ) -> BlockTask:
        """Build a task, checking that the function resolves and the parameters are plain data.

        Without ``scenario_hash`` the hash of the parameters stands in for it.
        """
        if not _FUNCTION_REF.match(function):
            raise BlockError(f"{function!r} is not a 'package.module:function' reference")
        _resolve(function)
        params_json = _canonical_json(dict(params), "parameters")
        task = cls(function, params_json, scenario, "", tuple(locators))
        return replace(task, scenario_hash=scenario_hash or task.params_sha256)

    @cached_property
    def params(self) -> dict[str, Any]:
        """The parameters as plain Python data."""
        value = json.loads(self.params_json)
        if not isinstance(value, dict):
            raise BlockError("block task parameters must be a JSON object")
        return value

    @property
    def params_sha256(self) -> str:
        """Hash of the canonical parameters less the locators (part of a run's identity)."""
        kept = {k: v for k, v in self.params.items() if k not in self.locators}
        return hashlib.sha256(_canonical_json(kept, "parameters").encode()).hexdigest()

    @property
    def overrides(self) -> dict[str, Any]:
        """The overrides among the parameters (``params["overrides"]``), if any."""
        value = self.params.get("overrides", {})
        return dict(value) if isinstance(value, Mapping) else {}

    def with_params(self, **changes: Any) -> BlockTask:
        """The same task with some parameters replaced (the scenario hash is kept)."""
        params = {**self.params, **changes}
        return replace(self, params_json=_canonical_json(params, "parameters"))


def _check_main(frame: pd.DataFrame, block: Block) -> pd.DataFrame:
    if len(frame) != block.size:
        raise BlockError(
            f"block {block.index}: table {MAIN_TABLE!r} has {len(frame)} rows, not {block.size}"
        )
    frame = frame.reset_index(drop=True)
    expected = np.arange(block.start, block.start + block.size, dtype=np.int64)
    if REPLICATION in frame.columns:
        if not np.array_equal(frame[REPLICATION].to_numpy(), expected):
            raise BlockError(f"block {block.index}: replications are not {block.start}.. in order")
        return frame
    frame.insert(0, REPLICATION, expected)
    return frame


def _check_other(name: str, frame: pd.DataFrame, block: Block) -> pd.DataFrame:
    if REPLICATION not in frame.columns:
        raise BlockError(f"block {block.index}: table {name!r} has no {REPLICATION!r} column")
    reps = frame[REPLICATION].to_numpy()
    if reps.size and (reps.min() < block.start or reps.max() >= block.start + block.size):
        raise BlockError(f"block {block.index}: table {name!r} has replications outside the block")
    return frame.reset_index(drop=True)


def run_block(task: BlockTask, seed: int, block: Block) -> TableSet:
    """Simulate one block (this runs on the worker) and check what came back."""
    out = _resolve(task.function)(task.params, seed, block)
    tables = {MAIN_TABLE: out} if isinstance(out, pd.DataFrame) else dict(out)
    if MAIN_TABLE not in tables:
        raise BlockError(f"block {block.index}: no {MAIN_TABLE!r} table")
    checked: TableSet = {}
    for name, frame in tables.items():
        if not _TABLE_NAME.match(name) or not isinstance(frame, pd.DataFrame):
            raise BlockError(f"block {block.index}: {name!r} is not a named table")
        checked[name] = (
            _check_main(frame, block) if name == MAIN_TABLE else _check_other(name, frame, block)
        )
    return checked
