"""Experiments at scale: blocks of replications on any backend, stored, resumed and compared."""

from kriegsspiel.experiment.backends import Backend
from kriegsspiel.experiment.results import Results
from kriegsspiel.experiment.runner import (
    DEFAULT_BLOCK_SIZE,
    ExperimentInterrupted,
    run_experiment,
    run_many,
)
from kriegsspiel.experiment.task import (
    MAIN_TABLE,
    REPLICATION,
    Block,
    BlockTask,
    block_seed_sequence,
    plan_blocks,
)

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "MAIN_TABLE",
    "REPLICATION",
    "Backend",
    "Block",
    "BlockTask",
    "ExperimentInterrupted",
    "Results",
    "block_seed_sequence",
    "plan_blocks",
    "run_experiment",
    "run_many",
]
