"""QJM surprise: what a unit whose order achieved surprise gains, and for how long.

An order may carry a surprise level (0 none, 1 minor, 2 substantial, 3 complete). While it
lasts, the QJM raises the surpriser's mobility characteristic, lowers its vulnerability and raises
that of the surprised side (B7); the effects fall by a third a day after the order [D4]. A unit
that breaks has lost its surprise.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.arrays import BattleArrays
from kriegsspiel.engine.state import State

__all__ = ["assault_mobility", "factors"]

FloatArray = NDArray[np.float64]


def factors(arr: BattleArrays, st: State, k: int) -> FloatArray | None:
    """Each unit's surprise factors at step ``k``: ``(B, U, 3)``, or None if no unit has any.

    Columns: mobility characteristic, own vulnerability, vulnerability of the side it surprised;
    exactly 1 for a unit without surprise.
    """
    if not st.surprise.any():  # no order with surprise yet, or every one lost
        return None
    p = arr.params
    wear = 1.0 - (k - st.surprise_step) * arr.dt_h / 24.0 / p.surprise_days
    active = (st.surprise > 0) & ~st.broken & (wear > 0)
    if not active.any():
        return None
    wear = np.clip(wear, 0.0, 1.0)
    full = p.surprise_factors(np.where(active, st.surprise, 0.0))
    out: FloatArray = 1.0 + (full - 1.0) * wear[..., None]
    return out


def assault_mobility(
    arr: BattleArrays, mobility: FloatArray, ground: NDArray[np.int8], weather: int
) -> FloatArray:
    """QJM mobility factor of each unit in a close fight on each objective: ``(B, U, O)``.

    ``mobility`` is the unit's mobility characteristic (B, U) and ``ground`` the land-cover class
    of each objective; the terrain and weather mobility factors damp what it adds,
    ``m = 1 + (M - 1) r_m h_m`` [D4].
    """
    damp = arr.terrain.factors[ground, 7] * arr.params.weather_mobility[weather]
    out: FloatArray = 1.0 + (mobility[:, :, None] - 1.0) * damp[None, None, :]
    return out
