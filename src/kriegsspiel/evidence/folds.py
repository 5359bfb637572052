"""Folds by battle: rows re-counting one battle always fall in the same fold.

A row that re-counts part of another battle (``parent`` set) belongs to its parent's battle.
The assignment is a permutation of the battles drawn from ``numpy.random.SeedSequence(seed)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["assign_folds", "battle_groups"]


def battle_groups(table: pd.DataFrame) -> NDArray[np.int64]:
    """The battle each row belongs to: its ``parent`` when set, else its own ``isqno``."""
    parent = pd.to_numeric(table["parent"]).astype(float)
    own = pd.to_numeric(table["isqno"]).astype(float)
    return np.asarray(parent.fillna(own), dtype=np.int64)


def assign_folds(groups: NDArray[np.int64], k: int, seed: int) -> NDArray[np.int64]:
    """Fold number (0..k-1) of each row.

    Rows of one group share a fold; fold sizes differ by at most one group.
    """
    unique = np.unique(groups)
    order = np.random.default_rng(np.random.SeedSequence(seed)).permutation(len(unique))
    fold_of_group = np.empty(len(unique), dtype=np.int64)
    fold_of_group[order] = np.arange(len(unique)) % k
    return fold_of_group[np.searchsorted(unique, groups)]
