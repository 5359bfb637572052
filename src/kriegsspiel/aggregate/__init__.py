"""Whole-battle (aggregate) engines: deterministic ODE and stochastic batch."""

from kriegsspiel.aggregate.deterministic import Outcome, Trajectory, solve
from kriegsspiel.aggregate.engagement import Engagement, Reinforcement, Side

__all__ = ["Engagement", "Outcome", "Reinforcement", "Side", "Trajectory", "solve"]
