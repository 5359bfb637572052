"""``summary.json`` from a run's per-replication table (the shape issue 3 specifies).

::

    {"scenario": ..., "replications": N, "seed": S,
     "control": {objective: {local time: {side: share, ...}, ...}, ...},
     "losses": {side: {metric: {"q05": .., "q50": .., "q95": ..}, ...}, ...},
     "casualties_by_day": {side: {"YYYY-MM-DD": mean, ...}, ...}}

Control shares count the replications in which the side alone held the objective; the shares
of a time need not add up to 1 (contested or empty counts for neither side).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["LOSS_METRICS", "summarize"]

LOSS_METRICS = (
    "killed_missing",
    "wounded",
    "tanks_disabled",
    "tanks_destroyed",
    "aircraft_lost",
    "killed",
    "missing",
)
"""Loss columns summarised by quantiles (the issue's five first)."""


def _q(values: pd.Series) -> dict[str, float]:
    v = values.to_numpy(dtype=float)
    q05, q50, q95 = np.quantile(v, [0.05, 0.5, 0.95])
    return {"q05": float(q05), "q50": float(q50), "q95": float(q95), "mean": float(v.mean())}


def summarize(
    frame: pd.DataFrame, scenario: str, sides: tuple[str, ...], seed: int
) -> dict[str, Any]:
    """The summary of a run's ``replications`` table."""
    control: dict[str, dict[str, dict[str, float]]] = {}
    for col in frame.columns:
        if not col.startswith("control."):
            continue
        _, rest = col.split(".", 1)
        objective, stamp = rest.rsplit(".", 1)
        held = frame[col].astype(str)
        control.setdefault(objective, {})[stamp] = {s: float((held == s).mean()) for s in sides}
    losses = {
        s: {m: _q(frame[f"{s}.{m}"]) for m in LOSS_METRICS if f"{s}.{m}" in frame} for s in sides
    }
    by_day = {
        s: {
            col.rsplit(".", 1)[1]: float(frame[col].mean())
            for col in frame.columns
            if col.startswith(f"{s}.casualties.")
        }
        for s in sides
    }
    return {
        "scenario": scenario,
        "replications": len(frame),
        "seed": seed,
        "control": control,
        "losses": losses,
        "casualties_by_day": by_day,
    }
