"""Ten-fold cross-validation of the evidence model and its baselines on CDB90.

Folds are drawn by battle (:mod:`kriegsspiel.evidence.folds`), so no battle is both trained on
and scored.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from kriegsspiel.datasets import cdb90
from kriegsspiel.evidence import baselines
from kriegsspiel.evidence.folds import assign_folds, battle_groups
from kriegsspiel.evidence.inputs import check_inputs
from kriegsspiel.evidence.metrics import (
    accuracy,
    brier,
    interval_coverage,
    median_abs_log10_error,
)
from kriegsspiel.evidence.model import fit_clean, outcomes

__all__ = ["DEFAULT_SEED", "GOALS", "cross_validate"]

DEFAULT_SEED = 1990
#: Goals of issue 6: winner accuracy at least, casualty errors at most.
GOALS = {
    "winner_accuracy": 0.70,
    "att_cas_median_abs_log10": 0.30,
    "def_cas_median_abs_log10": 0.30,
}


def _winner_scores(p: NDArray[np.float64], won: NDArray[np.float64]) -> dict[str, float]:
    return {"accuracy": accuracy(p, won), "brier": brier(p, won)}


def cross_validate(
    table: pd.DataFrame | None = None, k: int = 10, seed: int = DEFAULT_SEED
) -> dict[str, Any]:
    """Score the model and the baselines out of fold.

    Args:
        table: battles like :func:`kriegsspiel.datasets.cdb90.load` (default: that table).
        k: number of folds.
        seed: seed of the fold assignment.

    Returns:
        A JSON-ready dict: counts, winner scores (accuracy, Brier) on decisive battles,
        casualty scores (median |log10 error|, 90 % interval coverage) per side, each for the
        model and its baselines, and whether each goal of :data:`GOALS` is met.
    """
    table = cdb90.load() if table is None else table
    clean, rejected = check_inputs(table)
    targets = outcomes(table.loc[clean.index])
    groups = battle_groups(table.loc[clean.index])
    folds = assign_folds(groups, k, seed)
    wina = targets["wina_fixed"].to_numpy(dtype=float)
    decisive = np.isin(wina, (1.0, -1.0))
    won = (wina == 1.0).astype(float)
    strength = {s: clean[f"{s}_str"].to_numpy(dtype=float) for s in ("att", "def")}
    cas = {s: targets[f"{s}_cas"].to_numpy(dtype=float) for s in ("att", "def")}
    has_cas = {s: np.isfinite(c) & (c > 0) for s, c in cas.items()}

    p = {name: np.full(len(clean), np.nan) for name in ("model", "attacker", "larger", "logistic")}
    pred = {
        f"{kind}_{s}": np.full(len(clean), np.nan)
        for kind in ("model", "q05", "q95", "const")
        for s in ("att", "def")
    }
    for f in range(k):
        tr, te = folds != f, folds == f
        model = fit_clean(clean[tr], targets[tr], groups[tr])
        out = model.predict_clean(clean[te])
        p["model"][te] = out["p_attacker_wins"]
        trd = tr & decisive
        p["attacker"][te] = baselines.attacker_wins(won[trd], int(te.sum()))
        p["larger"][te] = baselines.larger_side_wins(clean[trd], won[trd], clean[te])
        p["logistic"][te] = baselines.raw_logistic(clean[trd], won[trd], clean[te])
        for s in ("att", "def"):
            pred[f"model_{s}"][te] = out[f"{s}_cas_median"]
            pred[f"q05_{s}"][te] = out[f"{s}_cas_q05"]
            pred[f"q95_{s}"][te] = out[f"{s}_cas_q95"]
            trc = tr & has_cas[s]
            pred[f"const_{s}"][te] = baselines.constant_fraction(
                cas[s][trc], strength[s][trc], strength[s][te]
            )

    d = decisive
    winner = {
        "model": _winner_scores(p["model"][d], won[d]),
        "attacker_wins": _winner_scores(p["attacker"][d], won[d]),
        "larger_side_wins": _winner_scores(p["larger"][d], won[d]),
        "logistic_regression": _winner_scores(p["logistic"][d], won[d]),
    }
    casualties: dict[str, dict[str, float]] = {"model": {}, "constant_fraction": {}}
    for s in ("att", "def"):
        m = has_cas[s]
        casualties["model"][f"{s}_median_abs_log10"] = median_abs_log10_error(
            pred[f"model_{s}"][m], cas[s][m]
        )
        casualties["model"][f"{s}_coverage_90"] = interval_coverage(
            pred[f"q05_{s}"][m], pred[f"q95_{s}"][m], cas[s][m]
        )
        casualties["constant_fraction"][f"{s}_median_abs_log10"] = median_abs_log10_error(
            pred[f"const_{s}"][m], cas[s][m]
        )
    achieved = {
        "winner_accuracy": winner["model"]["accuracy"],
        "att_cas_median_abs_log10": casualties["model"]["att_median_abs_log10"],
        "def_cas_median_abs_log10": casualties["model"]["def_median_abs_log10"],
    }
    goals = {
        key: {
            "goal": goal,
            "achieved": achieved[key],
            "met": achieved[key] >= goal if key == "winner_accuracy" else achieved[key] <= goal,
        }
        for key, goal in GOALS.items()
    }
    return {
        "dataset": "CDB90 (527 battles shipped)",
        "folds": k,
        "seed": seed,
        "rows_used": len(clean),
        "rows_rejected": [r.as_dict() for r in rejected],
        "decisive_battles": int(decisive.sum()),
        "casualty_rows": {s: int(has_cas[s].sum()) for s in ("att", "def")},
        "winner": winner,
        "casualties": casualties,
        "goals": goals,
    }
