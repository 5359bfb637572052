"""The evidence model: who wins and what each side loses, from pre-battle information only.

Winner (a logistic link on the combat-power ratio, in the spirit of Dupuy's P/P, plus a
fitted combat effectiveness of each army, TNDM's CEV)::

    logit P(attacker wins) = b0 + b_s log10(A / D) + sum_j g_j z_j     (j in WINNER_TERMS)
                             + sum_k u_k (attacker's keys) - sum_k u_k (defender's keys)

Casualties of each side (a Helmbold-form daily attrition, :func:`kriegsspiel.laws.helmbold_rates`,
integrated over the battle, bent by second-order size and duration terms and scaled by
TNDM-style multipliers)::

    C_att = k_att * D**p_att * A**q_att * T**r_att * 10**(sum_i c_att_i s_i + sum_j m_att_j z_j)
    C_def = k_def * A**p_def * D**q_def * T**r_def * 10**(sum_i c_def_i s_i + sum_j m_def_j z_j)

``A``, ``D`` are the strengths, ``T`` the combat days (``duration2_days``), ``s_i`` the
second-order terms and ``z_j`` the conditions of :mod:`kriegsspiel.evidence.features`; the
army keys ``k`` (nation, nation in the war) are those of :mod:`kriegsspiel.evidence.armies`.
The winner model is a ridge-penalized logistic regression whose army effects have their own
penalty, chosen by a cross-validation inside the training battles (a random-effect-like
shrinkage: unseen armies get 0); each casualty model is least squares in ``log10`` with the
5 % and 95 % quantiles of its residuals as the interval.
A prediction never exceeds the side's strength.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from kriegsspiel.datasets import cdb90
from kriegsspiel.evidence.armies import Keys, effect_keys, effect_levels, effect_matrix
from kriegsspiel.evidence.features import (
    CONDITIONS,
    SECOND_ORDER,
    conditions,
    force_terms,
    second_order,
)
from kriegsspiel.evidence.folds import assign_folds, battle_groups
from kriegsspiel.evidence.inputs import check_inputs
from kriegsspiel.laws import Exponents, helmbold_rates

__all__ = [
    "EFFECT_PENALTIES",
    "WINNER_TERMS",
    "CasualtyModel",
    "EvidenceModel",
    "WinnerModel",
    "choose_effect_penalty",
    "default_model",
    "fit",
    "fit_clean",
    "fit_logistic",
    "outcomes",
]

FloatArray = NDArray[np.float64]

#: Ridge penalty on the winner model's slopes (intercept unpenalized), in log-likelihood units.
WINNER_RIDGE = 1.0
#: Candidate penalties on the army effects; the fit picks one by an inner cross-validation.
EFFECT_PENALTIES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
#: Folds and seed of that inner cross-validation (by battle, inside the training rows only).
EFFECT_CV_FOLDS = 5
EFFECT_CV_SEED = 1990
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


def fit_logistic(
    x: FloatArray, y: FloatArray, ridge: float | FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Ridge-penalized logistic regression with an unpenalized intercept in column 0.

    Newton's method with step halving (the penalized log-likelihood is concave). The
    Hessian must be invertible: give every slope a penalty > 0 or a full-rank ``x``.

    Args:
        x: design matrix whose first column is ones.
        y: 0/1 outcomes.
        ridge: penalty ``sum(ridge * w[1:]**2)`` subtracted from the log-likelihood: one
            number for every slope, or one per column (the intercept's entry is ignored).

    Returns:
        ``(w, cov)``: the coefficients and their covariance (inverse penalized Hessian).
    """
    pen = 2.0 * np.broadcast_to(np.asarray(ridge, dtype=float), (x.shape[1],)).copy()
    pen[0] = 0.0
    # the matrices are small: one BLAS thread is fastest, and much faster on a busy machine
    with threadpool_limits(limits=1, user_api="blas"):
        return _newton(x, y, pen)


def _newton(x: FloatArray, y: FloatArray, pen: FloatArray) -> tuple[FloatArray, FloatArray]:
    def objective(w: FloatArray) -> float:
        return float(_log_loss(x @ w, y) + 0.5 * np.sum(pen * w**2))

    def hessian(w: FloatArray) -> FloatArray:
        p = _sigmoid(x @ w)
        root = x * np.sqrt(p * (1 - p))[:, None]
        return np.asarray(root.T @ root, dtype=float) + np.diag(pen)

    w = np.zeros(x.shape[1])
    value = objective(w)
    for _ in range(100):
        grad = x.T @ (_sigmoid(x @ w) - y) + pen * w
        step = np.linalg.solve(hessian(w), grad)
        t = 1.0
        while objective(w - t * step) > value and t > 1e-8:
            t /= 2.0
        w = w - t * step
        value = objective(w)
        if np.max(np.abs(t * step)) < 1e-10:
            break
    return w, np.asarray(np.linalg.inv(hessian(w)), dtype=float)


def _log_loss(z: FloatArray, y: FloatArray) -> float:
    """Negative log-likelihood of the 0/1 outcomes ``y`` at log-odds ``z``."""
    return float(np.sum(np.logaddexp(0.0, z) - y * z))


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(np.exp(-np.logaddexp(0.0, -z)), dtype=float)


@dataclass(frozen=True)
class WinnerModel:
    """Logistic link on the combat-power ratio plus army effects.

    ``names[i]`` goes with ``coef[i]`` for the fixed terms; ``effects[j]`` (an army key) with
    ``coef[len(names) + j]`` and ``effect_battles[j]`` (the decisive training battles in which
    it counts; a key on both sides cancels).
    ``cov`` covers all of ``coef``.
    """

    names: tuple[str, ...]
    coef: FloatArray
    cov: FloatArray
    n: int
    effects: tuple[str, ...]
    effect_battles: tuple[int, ...]
    effect_penalty: float

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

    def effect(self, key: str) -> float:
        """The fitted effect of an army key (0 for a key not seen in training)."""
        if key not in self.effects:
            return 0.0
        return float(self.coef[len(self.names) + self.effects.index(key)])

    def probability(
        self, forces: pd.DataFrame, conds: pd.DataFrame, armies: tuple[Keys, Keys]
    ) -> FloatArray:
        """P(attacker wins) for each row; ``armies`` are the sides' keys (``effect_keys``)."""
        x = np.column_stack(
            [self.design(forces, conds), effect_matrix(*armies, levels=self.effects)]
        )
        return _sigmoid(x @ self.coef)


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
        out["p_attacker_wins"] = self.winner.probability(forces, conds, effect_keys(clean))
        att = clean["att_str"].to_numpy(dtype=float)
        dfn = clean["def_str"].to_numpy(dtype=float)
        base_att, base_def = self._helmbold(att, dfn)
        for side, model, base, strength in (
            ("att", self.attacker, base_att, att),
            ("def", self.defender, base_def, dfn),
        ):
            # the daily Helmbold rate carries columns 0-2 of the design; duration and the rest
            z = model.design(side, forces, conds)[:, 3:]
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
            out. With ``isqno`` and ``parent`` columns, the inner cross-validation keeps each
            battle's rows together; otherwise each row is its own battle.
    """
    clean, _ = check_inputs(table)
    rows = table.loc[clean.index]
    groups = battle_groups(rows) if {"isqno", "parent"} <= set(table.columns) else None
    return fit_clean(clean, outcomes(rows), groups)


def outcomes(table: pd.DataFrame) -> pd.DataFrame:
    """The training targets ``wina_fixed``, ``att_cas``, ``def_cas`` of ``table`` as floats."""
    cols = ("wina_fixed", "att_cas", "def_cas")
    return pd.DataFrame({c: pd.to_numeric(table[c]).astype(float) for c in cols}, index=table.index)


def _penalties(n_fixed: int, n_effects: int, effect_penalty: float) -> FloatArray:
    ridge = np.r_[0.0, np.full(n_fixed - 1, WINNER_RIDGE), np.full(n_effects, effect_penalty)]
    return np.asarray(ridge, dtype=float)


def choose_effect_penalty(
    x: FloatArray, n_fixed: int, won: FloatArray, groups: NDArray[np.int64]
) -> float:
    """The penalty of :data:`EFFECT_PENALTIES` with the least out-of-fold log-loss.

    A cross-validation by battle inside the rows given (the training rows of the caller):
    an army key absent from an inner training fold has an all-zero column there, so its
    effect is 0 in that fold's predictions, as for an unseen army.

    Args:
        x: winner design, the ``n_fixed`` fixed columns then the army-effect columns.
        n_fixed: number of fixed columns (intercept, force ratio, conditions).
        won: 0/1 outcomes.
        groups: the battle of each row (rows of one battle share an inner fold).
    """
    folds = assign_folds(groups, EFFECT_CV_FOLDS, EFFECT_CV_SEED)
    losses: dict[float, float] = {}
    for penalty in EFFECT_PENALTIES:
        pen = _penalties(n_fixed, x.shape[1] - n_fixed, penalty)
        loss = 0.0
        for f in np.unique(folds):
            tr, te = folds != f, folds == f
            w, _ = fit_logistic(x[tr], won[tr], pen)
            loss += _log_loss(x[te] @ w, won[te])
        losses[penalty] = loss
    return min(losses, key=losses.__getitem__)


def fit_clean(
    clean: pd.DataFrame, targets: pd.DataFrame, groups: NDArray[np.int64] | None = None
) -> EvidenceModel:
    """Fit on rows cleaned by :func:`check_inputs` with their :func:`outcomes`.

    The winner model uses decisive battles (``wina_fixed`` = +-1), each casualty model the
    rows with casualties > 0. The army effects are estimated for the keys of these rows only;
    their penalty is chosen by :func:`choose_effect_penalty` on these rows, with ``groups``
    (the battle of each row; default: each row its own battle) keeping battles together.
    """
    forces, conds = force_terms(clean), conditions(clean)
    wina = targets.loc[clean.index, "wina_fixed"].to_numpy(dtype=float)
    decisive = np.isin(wina, (1.0, -1.0))
    att_keys, def_keys = effect_keys(clean[decisive])
    levels = effect_levels(att_keys, def_keys)
    fixed = WinnerModel.design(forces[decisive], conds[decisive])
    x = np.column_stack([fixed, effect_matrix(att_keys, def_keys, levels)])
    won = (wina[decisive] == 1.0).astype(float)
    g = np.arange(len(clean), dtype=np.int64) if groups is None else np.asarray(groups)
    penalty = choose_effect_penalty(x, fixed.shape[1], won, g[decisive]) if levels else 0.0
    w, cov = fit_logistic(x, won, _penalties(fixed.shape[1], len(levels), penalty))
    names = ("intercept", "b_s (log10 force ratio)", *WINNER_TERMS)
    battles = tuple(int(n) for n in np.count_nonzero(x[:, fixed.shape[1] :], axis=0))
    winner = WinnerModel(names, w, cov, int(decisive.sum()), levels, battles, penalty)
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
