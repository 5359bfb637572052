"""The evidence model: who wins and what each side loses, from pre-battle information only.

Winner (a logistic link on the combat-power ratio, in the spirit of Dupuy's P/P)::

    logit P(attacker wins) = b0 + b_s log10(A / D) + sum_j g_j z_j     (j in WINNER_TERMS)

Casualties of each side (a Helmbold-form daily attrition, :func:`kriegsspiel.laws.helmbold_rates`,
integrated over the battle, bent by second-order size and duration terms and scaled by
TNDM-style multipliers)::

    C_att = k_att * D**p_att * A**q_att * T**r_att * 10**(sum_i c_att_i s_i + sum_j m_att_j z_j)
    C_def = k_def * A**p_def * D**q_def * T**r_def * 10**(sum_i c_def_i s_i + sum_j m_def_j z_j)

``A``, ``D`` are the strengths, ``T`` the combat days (``duration2_days``), ``s_i`` the
second-order terms and ``z_j`` the conditions of :mod:`kriegsspiel.evidence.features`.
The winner model is a ridge-penalized logistic regression; each casualty model is least
squares in ``log10`` with the 5 % and 95 % quantiles of its residuals as the interval.
A prediction never exceeds the side's strength.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import minimize

from kriegsspiel.datasets import cdb90
from kriegsspiel.evidence.features import (
    CONDITIONS,
    SECOND_ORDER,
    conditions,
    force_terms,
    second_order,
)
from kriegsspiel.evidence.inputs import check_inputs
from kriegsspiel.laws import Exponents, helmbold_rates

__all__ = [
    "WINNER_TERMS",
    "CasualtyModel",
    "EvidenceModel",
    "WinnerModel",
    "default_model",
    "fit",
    "fit_clean",
    "fit_logistic",
    "outcomes",
]

FloatArray = NDArray[np.float64]

#: Ridge penalty on the winner model's slopes (intercept unpenalized), in log-likelihood units.
WINNER_RIDGE = 1.0
_CONDITION_KEYS = tuple(t.key for t in CONDITIONS)
_SECOND_ORDER_KEYS = tuple(t.key for t in SECOND_ORDER)
#: Conditions the winner model uses. Terrain, weather and season are left out: with them the
#: cross-validated accuracy and Brier score got worse (docs/evidence-model.md).
WINNER_TERMS = (
    "tank_ratio",
    "arty_ratio",
    "air_ratio",
    "post_prepared",
    "post_fortified",
    "post_delay",
    "era",
    "front_ratio",
    "att_engaged",
    "def_engaged",
)


def fit_logistic(x: FloatArray, y: FloatArray, ridge: float) -> tuple[FloatArray, FloatArray]:
    """Ridge-penalized logistic regression with an unpenalized intercept in column 0.

    Args:
        x: design matrix whose first column is ones.
        y: 0/1 outcomes.
        ridge: penalty ``ridge * sum(w[1:]**2)`` subtracted from the log-likelihood.

    Returns:
        ``(w, cov)``: the coefficients and their covariance (inverse penalized Hessian).
    """
    pen = np.full(x.shape[1], 2.0 * ridge)
    pen[0] = 0.0

    def objective(w: FloatArray) -> tuple[float, FloatArray]:
        z = x @ w
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(pen * w**2))
        grad = x.T @ (_sigmoid(z) - y) + pen * w
        return nll, grad

    res = minimize(objective, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
    w = np.asarray(res.x, dtype=float)
    p = _sigmoid(x @ w)
    hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pen)
    return w, np.asarray(np.linalg.pinv(hessian), dtype=float)


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(np.exp(-np.logaddexp(0.0, -z)), dtype=float)


@dataclass(frozen=True)
class WinnerModel:
    """Logistic link on the combat-power ratio; ``names[i]`` goes with ``coef[i]``."""

    names: tuple[str, ...]
    coef: FloatArray
    cov: FloatArray
    n: int

    @staticmethod
    def design(forces: pd.DataFrame, conds: pd.DataFrame) -> FloatArray:
        """Columns: 1, log10(A/D), the conditions named in :data:`WINNER_TERMS`."""
        return np.column_stack(
            [
                np.ones(len(forces)),
                forces["log_att"] - forces["log_def"],
                conds[list(WINNER_TERMS)].to_numpy(dtype=float),
            ]
        )

    def probability(self, forces: pd.DataFrame, conds: pd.DataFrame) -> FloatArray:
        """P(attacker wins) for each row."""
        return _sigmoid(self.design(forces, conds) @ self.coef)


@dataclass(frozen=True)
class CasualtyModel:
    """Helmbold-form casualties of one side; ``names[i]`` goes with ``coef[i]``."""

    side: str
    names: tuple[str, ...]
    coef: FloatArray
    cov: FloatArray
    residual_q05: float
    residual_q95: float
    residual_sd: float
    n: int

    @staticmethod
    def design(side: str, forces: pd.DataFrame, conds: pd.DataFrame) -> FloatArray:
        """Columns: 1, log10(enemy), log10(own), log10(T), second-order terms, conditions."""
        own, enemy = ("log_att", "log_def") if side == "att" else ("log_def", "log_att")
        return np.column_stack(
            [
                np.ones(len(forces)),
                forces[enemy],
                forces[own],
                forces["log_days"],
                second_order(forces, side).to_numpy(dtype=float),
                conds.to_numpy(dtype=float),
            ]
        )

    @property
    def exponents(self) -> tuple[float, float, float]:
        """``(p, q, r)``: exponents of enemy strength, own strength and duration.

        They are the exact exponents at 10,000 against 10,000 for one day, where the
        second-order terms vanish; elsewhere the second-order terms bend them.
        """
        return float(self.coef[1]), float(self.coef[2]), float(self.coef[3])

    @property
    def rate(self) -> float:
        """``k``: the daily rate constant of the Helmbold form."""
        return float(10.0 ** self.coef[0])

    def log10_median(self, forces: pd.DataFrame, conds: pd.DataFrame) -> FloatArray:
        """``log10`` of the median predicted casualties (before capping at strength)."""
        return self.design(self.side, forces, conds) @ self.coef


def _fit_casualties(
    side: str, forces: pd.DataFrame, conds: pd.DataFrame, cas: FloatArray
) -> CasualtyModel:
    x = CasualtyModel.design(side, forces, conds)
    y = np.log10(cas)
    coef = np.asarray(np.linalg.lstsq(x, y, rcond=None)[0], dtype=float)
    resid = y - x @ coef
    dof = max(len(y) - x.shape[1], 1)
    s2 = float(resid @ resid) / dof
    cov = np.asarray(s2 * np.linalg.pinv(x.T @ x), dtype=float)
    q05, q95 = np.quantile(resid, [0.05, 0.95])
    names = (
        "log10 k",
        "p (enemy strength)",
        "q (own strength)",
        "r (duration)",
        *_SECOND_ORDER_KEYS,
        *_CONDITION_KEYS,
    )
    return CasualtyModel(side, names, coef, cov, float(q05), float(q95), float(np.sqrt(s2)), len(y))


@dataclass(frozen=True)
class EvidenceModel:
    """The fitted winner model and the two casualty models."""

    winner: WinnerModel
    attacker: CasualtyModel
    defender: CasualtyModel

    def predict(self, table: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, object]]]:
        """Predict every usable row of ``table`` (columns as in the shipped battle summary).

        Returns:
            ``(predictions, rejected)``: one row per usable battle (index kept) with
            ``p_attacker_wins`` and ``att_cas_median``, ``att_cas_q05``, ``att_cas_q95`` and
            the same for ``def_cas``; ``rejected`` lists the others (see
            :class:`kriegsspiel.evidence.inputs.Rejection`).
        """
        clean, rejected = check_inputs(table)
        return self.predict_clean(clean), [r.as_dict() for r in rejected]

    def predict_clean(self, clean: pd.DataFrame) -> pd.DataFrame:
        """Predictions for rows already cleaned by :func:`check_inputs`."""
        forces, conds = force_terms(clean), conditions(clean)
        out = pd.DataFrame(index=clean.index)
        out["p_attacker_wins"] = self.winner.probability(forces, conds)
        att = clean["att_str"].to_numpy(dtype=float)
        dfn = clean["def_str"].to_numpy(dtype=float)
        base_att, base_def = self._helmbold(att, dfn)
        for side, model, base, strength in (
            ("att", self.attacker, base_att, att),
            ("def", self.defender, base_def, dfn),
        ):
            z = np.column_stack(
                [
                    forces["log_days"],
                    second_order(forces, side).to_numpy(dtype=float),
                    conds.to_numpy(dtype=float),
                ]
            )
            log_med = np.log10(base) + z @ model.coef[3:]
            for name, shift in (
                ("median", 0.0),
                ("q05", model.residual_q05),
                ("q95", model.residual_q95),
            ):
                out[f"{side}_cas_{name}"] = np.minimum(10.0 ** (log_med + shift), strength)
        return out

    def _helmbold(self, att: FloatArray, dfn: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Daily losses ``k * enemy**p * own**q`` of both sides from :mod:`kriegsspiel.laws`."""
        p_a, q_a, _ = self.attacker.exponents
        p_d, q_d, _ = self.defender.exponents
        e = Exponents(px=p_a, qx=q_a, py=p_d, qy=q_d)
        loss_att, loss_def = helmbold_rates(
            att[:, None],
            dfn[:, None],
            np.array([[self.attacker.rate]]),
            np.array([[self.defender.rate]]),
            e,
        )
        return loss_att[:, 0], loss_def[:, 0]


def fit(table: pd.DataFrame) -> EvidenceModel:
    """Fit the evidence model on battles with known outcomes.

    Args:
        table: rows like :func:`kriegsspiel.datasets.cdb90.load` (inputs plus ``wina_fixed``,
            ``att_cas`` and ``def_cas``). Rows whose inputs fail :func:`check_inputs` are left
            out.
    """
    clean, _ = check_inputs(table)
    return fit_clean(clean, outcomes(table.loc[clean.index]))


def outcomes(table: pd.DataFrame) -> pd.DataFrame:
    """The training targets ``wina_fixed``, ``att_cas``, ``def_cas`` of ``table`` as floats."""
    cols = ("wina_fixed", "att_cas", "def_cas")
    return pd.DataFrame({c: pd.to_numeric(table[c]).astype(float) for c in cols}, index=table.index)


def fit_clean(clean: pd.DataFrame, targets: pd.DataFrame) -> EvidenceModel:
    """Fit on rows cleaned by :func:`check_inputs` with their :func:`outcomes`.

    The winner model uses decisive battles (``wina_fixed`` = +-1), each casualty model the
    rows with casualties > 0.
    """
    forces, conds = force_terms(clean), conditions(clean)
    wina = targets.loc[clean.index, "wina_fixed"].to_numpy(dtype=float)
    decisive = np.isin(wina, (1.0, -1.0))
    x = WinnerModel.design(forces[decisive], conds[decisive])
    w, cov = fit_logistic(x, (wina[decisive] == 1.0).astype(float), WINNER_RIDGE)
    names = ("intercept", "b_s (log10 force ratio)", *WINNER_TERMS)
    winner = WinnerModel(names, w, cov, int(decisive.sum()))
    sides = []
    for side in ("att", "def"):
        cas = targets.loc[clean.index, f"{side}_cas"].to_numpy(dtype=float)
        ok = np.isfinite(cas) & (cas > 0)
        sides.append(_fit_casualties(side, forces[ok], conds[ok], cas[ok]))
    return EvidenceModel(winner, sides[0], sides[1])


@cache
def default_model() -> EvidenceModel:
    """The model fitted on all CDB90 battles shipped with the package (fitted once)."""
    return fit(cdb90.load())
