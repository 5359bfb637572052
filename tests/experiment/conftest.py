from __future__ import annotations

import pytest

from kriegsspiel.experiment import BlockTask
from kriegsspiel.experiment.aggregate_task import aggregate_task


@pytest.fixture
def battle() -> BlockTask:
    """A real workload: the stochastic aggregate engine, exact chain, a small square-law fight."""
    return aggregate_task("square", 40, 32, 0.02, 0.025, method="exact")


@pytest.fixture
def toy() -> BlockTask:
    """Normal draws with a mean (test scaffolding for the statistics)."""
    return BlockTask.create("experiment_workload:normal_block", {"mean": 0.0}, scenario="toy")
