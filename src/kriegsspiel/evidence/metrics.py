"""Scores of probabilistic winner forecasts and casualty forecasts."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["accuracy", "brier", "interval_coverage", "median_abs_log10_error"]


def accuracy(p_attacker: ArrayLike, attacker_won: ArrayLike) -> float:
    """Share of battles where ``p > 0.5`` names the winner (``p == 0.5`` counts as a miss)."""
    p = np.asarray(p_attacker, dtype=float)
    won = np.asarray(attacker_won, dtype=bool)
    return float(np.mean(np.where(won, p > 0.5, p < 0.5)))


def brier(p_attacker: ArrayLike, attacker_won: ArrayLike) -> float:
    """Mean squared difference between ``p`` and the 0/1 outcome (0 perfect, 0.25 a coin)."""
    p = np.asarray(p_attacker, dtype=float)
    won = np.asarray(attacker_won, dtype=float)
    return float(np.mean((p - won) ** 2))


def median_abs_log10_error(predicted: ArrayLike, observed: ArrayLike) -> float:
    """Median of ``|log10(predicted / observed)|`` (0.30: within a factor 2 half the time)."""
    pred = np.asarray(predicted, dtype=float)
    obs = np.asarray(observed, dtype=float)
    return float(np.median(np.abs(np.log10(pred) - np.log10(obs))))


def interval_coverage(low: ArrayLike, high: ArrayLike, observed: ArrayLike) -> float:
    """Share of observations inside ``[low, high]``."""
    obs = np.asarray(observed, dtype=float)
    return float(np.mean((np.asarray(low) <= obs) & (obs <= np.asarray(high))))
