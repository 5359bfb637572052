"""Baselines the evidence model must beat, each fitted on the training folds only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from kriegsspiel.evidence.inputs import INPUT_COLUMNS, NUMERIC_COLUMNS
from kriegsspiel.evidence.model import fit_logistic

__all__ = [
    "LOGISTIC_RIDGE",
    "attacker_wins",
    "constant_fraction",
    "larger_side_wins",
    "raw_logistic",
]

FloatArray = NDArray[np.float64]

#: Penalty ``ridge * sum(w**2)`` on standardized inputs: scikit-learn's default (C = 1).
LOGISTIC_RIDGE = 0.5


def attacker_wins(train_won: FloatArray, n_test: int) -> FloatArray:
    """Baseline "the attacker wins": P(attacker wins) is the training share of attacker wins."""
    return np.full(n_test, float(np.mean(train_won)))


def larger_side_wins(train: pd.DataFrame, train_won: FloatArray, test: pd.DataFrame) -> FloatArray:
    """Baseline "the larger side wins", with the training share of such battles as P."""

    def larger(t: pd.DataFrame) -> FloatArray:
        diff = t["att_str"].to_numpy(dtype=float) - t["def_str"].to_numpy(dtype=float)
        return np.asarray(np.sign(diff), dtype=float)

    side = larger(train)
    hits = (side > 0) & (train_won == 1) | (side < 0) & (train_won == 0)
    share = float(np.mean(hits[side != 0]))
    s = larger(test)
    return np.where(s > 0, share, np.where(s < 0, 1.0 - share, 0.5))


def _raw_design(clean: pd.DataFrame, levels: dict[str, list[str]]) -> FloatArray:
    cols: list[FloatArray] = []
    for col in NUMERIC_COLUMNS:
        v = clean[col].to_numpy(dtype=float)
        cols.append(np.where(np.isfinite(v), v, 0.0))
        cols.append((~np.isfinite(v)).astype(float))
    for col, values in levels.items():
        cols.extend(np.asarray(clean[col] == value, dtype=float) for value in values)
    return np.column_stack(cols)


def raw_logistic(train: pd.DataFrame, train_won: FloatArray, test: pd.DataFrame) -> FloatArray:
    """A plain logistic regression on the same inputs as the model, without its structure.

    Inputs as given (numbers untransformed, with a not-reported flag each; every code one-hot
    over the levels seen in training), standardized on the training rows, L2 penalty
    :data:`LOGISTIC_RIDGE`.
    """
    codes = [c for c in INPUT_COLUMNS if c not in NUMERIC_COLUMNS]
    levels = {c: sorted(str(v) for v in train[c].dropna().unique()) for c in codes}
    x_train, x_test = _raw_design(train, levels), _raw_design(test, levels)
    mean, sd = x_train.mean(axis=0), x_train.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)

    def scaled(x: FloatArray) -> FloatArray:
        return np.column_stack([np.ones(len(x)), (x - mean) / sd])

    w, _ = fit_logistic(scaled(x_train), train_won, LOGISTIC_RIDGE)
    z = scaled(x_test) @ w
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=float)


def constant_fraction(
    train_cas: FloatArray, train_str: FloatArray, test_str: FloatArray
) -> FloatArray:
    """Casualties as a constant fraction of strength: the training median of cas / strength."""
    return float(np.median(train_cas / train_str)) * test_str
