"""Variants of a scenario on the same map share its navigation fields within a process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.sparse import csgraph

from kriegsspiel.engine.compile import compile_scenario
from kriegsspiel.experiment import run_many
from kriegsspiel.experiment.engine_adapter import scenario_of, scenario_task
from kriegsspiel.terrain import movement


@pytest.fixture
def dijkstra_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the shortest-path solves (one per cost-to-go field computed)."""
    calls: list[int] = []
    real = csgraph.dijkstra

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(movement.csgraph, "dijkstra", counting)
    return calls


def _variant(men: int) -> dict[str, Any]:
    return {"units[blue-1].men.value": men}


def test_a_sweep_computes_each_field_once(tmp_path: Path, dijkstra_calls: list[int]) -> None:
    # more design points than the per-process cache of compiled scenarios holds
    points = [scenario_task("example-meeting", _variant(100 + k)) for k in range(6)]
    runs = [(tmp_path / f"p{k}", task) for k, task in enumerate(points)]
    run_many(runs, replications=2, seed=1, block_size=2, progress=False)
    fields = len(compile_scenario(scenario_of(points[0])).terrain.fields)
    assert fields > 0
    assert len(dijkstra_calls) <= fields  # none computed twice, whatever was cached before


def test_a_variant_shares_fields_and_compiles_as_if_alone() -> None:
    base = scenario_of(scenario_task("example-meeting"))
    variant = scenario_of(scenario_task("example-meeting", _variant(90)))
    a, b = compile_scenario(base), compile_scenario(variant)
    assert len(a.terrain.fields) == len(b.terrain.fields) > 0
    assert all(f is g for f, g in zip(a.terrain.fields, b.terrain.fields, strict=True))
    assert not np.array_equal(a.men0, b.men0)
    np.testing.assert_array_equal(a.terrain.speed, b.terrain.speed)
