"""Whole-battle (aggregate) engines: deterministic ODE and stochastic batch."""

from kriegsspiel.aggregate.deterministic import Outcome, Trajectory, solve
from kriegsspiel.aggregate.engagement import Engagement, Reinforcement, Side
from kriegsspiel.aggregate.markov import MarkovOutcome, markov_outcome
from kriegsspiel.aggregate.stochastic import (
    BatchResult,
    BatchSummary,
    Quantiles,
    breakpoint_count,
    simulate,
    simulate_block,
)

__all__ = [
    "BatchResult",
    "BatchSummary",
    "Engagement",
    "MarkovOutcome",
    "Outcome",
    "Quantiles",
    "Reinforcement",
    "Side",
    "Trajectory",
    "breakpoint_count",
    "markov_outcome",
    "simulate",
    "simulate_block",
    "solve",
]
