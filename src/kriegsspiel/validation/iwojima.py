"""Iwo Jima 1945: Engel's square-law verification, reproduced, and the project's own fits.

Engel (1954) fitted ``dx/dt = -a y + P(t)``, ``dy/dt = -b x`` (x US, y Japanese) to the US
daily series and found ``a = 0.0544``, ``b = 0.0106`` per day. Here the model is integrated
finely by the project's engine with the landings of day ``d`` at the start of day ``d``
(time ``d - 1``) and each day's figure read at the end of that day (time ``d``), and compared
with the published US active troops on days 1-35 (kept as published, day 19 included).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kriegsspiel.fit import FitResult, fit, goodness, simulate
from kriegsspiel.series import load_shipped

__all__ = ["ENGEL", "PUBLISHED_R2", "validate_iwojima"]

ENGEL = {"a": 0.0544, "b": 0.0106}
"""Engel's square-law coefficients (per day): a = Japanese kill rate on the US, b the reverse."""

PUBLISHED_R2 = 0.907
"""R² of Engel's model on the US active troops, as published in the literature."""


def _law_summary(result: FitResult) -> dict[str, Any]:
    out = result.to_dict()
    return {k: out[k] for k in ("law", "params", "stderr", "r2", "rmse", "mape", "n")}


def validate_iwojima() -> dict[str, Any]:
    """Engel's coefficients and the project's fitted laws on the Iwo Jima US series.

    Returns:
        ``engel`` (coefficients, R², RMSE, MAPE, the model's US strength on day 35 against the
        data, the Japanese left), ``square`` and ``generalized`` (the project's least-squares
        fits with standard errors), and ``published_r2``.
    """
    series = load_shipped("iwojima")
    observed = np.asarray(series.x.strength)
    us, japan = simulate(series, "square", ENGEL)
    engel = goodness([observed], [us])
    return {
        "battle": "Iwo Jima, 19 February - 26 March 1945 (days 1-35)",
        "published_r2": PUBLISHED_R2,
        "engel": {
            "law": "square",
            "params": dict(ENGEL),
            **engel.to_dict(),
            "us_day35_model": float(us[-1]),
            "us_day35_data": float(observed[-1]),
            "japan_day35_model": float(japan[-1]),
        },
        "square": _law_summary(fit(series, "square")),
        "generalized": _law_summary(fit(series, "generalized")),
    }
