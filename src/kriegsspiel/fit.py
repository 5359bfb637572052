"""Fitting attrition laws to daily engagement series by least squares.

The model of a series is the project's deterministic engine (:func:`kriegsspiel.aggregate.solve`)
run with the series' initial strengths and its reinforcements: those of day ``d`` land at time
``d - 1`` (the start of day ``d``) and the strength of day ``d`` is the end-of-day state, the left
limit at time ``d`` (before day ``d + 1``'s arrivals). The method, the formulas and the Iwo Jima
results are in ``docs/fitting.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from kriegsspiel.aggregate import Engagement, Side, solve
from kriegsspiel.errors import InputError
from kriegsspiel.laws import Law, get_law, law_names
from kriegsspiel.series import EngagementSeries, SideSeries

__all__ = [
    "AUTO_ORIGINS",
    "FitResult",
    "Goodness",
    "Selection",
    "Target",
    "fit",
    "goodness",
    "persistence_forecast",
    "simulate",
]

FloatArray = NDArray[np.float64]
Target = Literal["strength", "losses"]

AUTO_ORIGINS = 3
"""Number of rolling forecast origins inside the training window for ``law="auto"``."""

_SHAPE_MAX = 3.0  # upper bound of the generalized law's exponents p, q
_LOG_RATE_BOUNDS = (-40.0, 40.0)  # bounds of the log loss rates at the reference strengths
_UNOBSERVED_GUESSES = (0.3, 1.0, 3.0)  # start multipliers for an unobserved side's loss rate
_SHAPE_STARTS = ((1.0, 0.0), (1.0, 1.0), (0.5, 0.5))  # (p, q) starts of shape-free laws
_RUNS = 2  # solver runs from the best starts
_MAX_NFEV = 200  # evaluations per solver run (a weakly identified law stops there)
_FIT_RTOL = 1e-8  # the engine's relative tolerance while fitting
_DIFF_STEP = 1e-5  # relative finite-difference step (well above _FIT_RTOL)


@dataclass(frozen=True)
class Goodness:
    """Goodness of fit over a set of points: R², RMSE (in the data's units), MAPE (percent)."""

    r2: float
    rmse: float
    mape: float
    n: int

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-ready dict (undefined values become ``None``)."""
        return {"r2": _num(self.r2), "rmse": _num(self.rmse), "mape": _num(self.mape), "n": self.n}


@dataclass(frozen=True)
class Selection:
    """How ``law="auto"`` chose: rolling-origin scores of every law inside the training window."""

    winner: str
    origins: tuple[int, ...]
    horizon: int
    scores: Mapping[str, Goodness]
    persistence: Goodness

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "winner": self.winner,
            "criterion": "mean out-of-sample MAPE over rolling origins (ties: fewer parameters)",
            "origins": list(self.origins),
            "horizon": self.horizon,
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
            "persistence": self.persistence.to_dict(),
        }


@dataclass(frozen=True)
class FitResult:
    """A fitted law with its goodness of fit (and forecast errors when trained on a prefix)."""

    law: str
    on: Target
    params: Mapping[str, float]
    stderr: Mapping[str, float]
    fit: Goodness
    train_until: int
    forecast: Goodness | None = None
    persistence: Goodness | None = None
    selection: Selection | None = None
    fitted: Mapping[str, FloatArray] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: law, params, stderr, r2, rmse, mape, forecast, persistence, auto."""
        out: dict[str, Any] = {
            "law": self.law,
            "on": self.on,
            "params": dict(self.params),
            "stderr": {k: _num(v) for k, v in self.stderr.items()},
            **self.fit.to_dict(),
            "train_until": self.train_until,
        }
        if self.forecast is not None:
            out["forecast"] = self.forecast.to_dict()
        if self.persistence is not None:
            out["persistence"] = self.persistence.to_dict()
        if self.selection is not None:
            out["auto"] = self.selection.to_dict()
        return out


def _num(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None


def goodness(observed: Sequence[FloatArray], predicted: Sequence[FloatArray]) -> Goodness:
    """R², RMSE and MAPE over groups of points (one group per side).

    ``R² = 1 - SS_res / SS_tot`` with ``SS_tot`` taken around each group's own mean (so that two
    sides of different sizes do not inflate R²); ``RMSE = sqrt(SS_res / n)``;
    ``MAPE = 100 * mean(|pred - obs| / |obs|)`` over the points with ``obs != 0``.
    """
    obs = [np.asarray(o, dtype=np.float64) for o in observed]
    pred = [np.asarray(p, dtype=np.float64) for p in predicted]
    res = np.concatenate([p - o for o, p in zip(obs, pred, strict=True)])
    all_obs = np.concatenate(obs)
    n = res.size
    if n == 0:
        return Goodness(math.nan, math.nan, math.nan, 0)
    ss_res = float(np.sum(res**2))
    ss_tot = float(sum(np.sum((o - o.mean()) ** 2) for o in obs if o.size))
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else math.nan
    nz = all_obs != 0
    mape = float(100.0 * np.mean(np.abs(res[nz] / all_obs[nz]))) if nz.any() else math.nan
    return Goodness(r2, math.sqrt(ss_res / n), mape, n)


def simulate(
    series: EngagementSeries,
    law: str | Law,
    params: Mapping[str, float],
    n_days: int | None = None,
    rtol: float = 1e-10,
) -> tuple[FloatArray, FloatArray]:
    """End-of-day strengths of X and Y on days ``1..n_days`` under ``law`` with ``params``.

    ``params`` holds ``a``, ``b`` and the law's shape parameters; ``rtol`` is the engine's
    relative tolerance.
    """
    law_obj = get_law(law) if isinstance(law, str) else law
    n = series.days.size if n_days is None else n_days
    shape = {k: params[k] for k in law_obj.shape_params}

    def side(name: str, s: SideSeries) -> Side:
        arrivals = [(d - 1.0, r) for d, r in enumerate(s.reinforcements[:n], 1) if r != 0]
        return Side.build(name, s.initial, reinforcements=arrivals)

    eng = Engagement.build(
        law_obj, side("x", series.x), side("y", series.y), params["a"], params["b"], shape, n
    )
    days = np.arange(1, n + 1, dtype=np.float64)
    return solve(eng, rtol=rtol).totals(np.nextafter(days, -np.inf))


def _observed(s: SideSeries, on: Target) -> FloatArray | None:
    return s.strength if on == "strength" else s.cumulative_losses


def _observed_days(series: EngagementSeries, on: Target, start: int, stop: int) -> list[FloatArray]:
    """Observed target values on days ``start..stop`` for each side that has them."""
    return [obs[start - 1 : stop] for s in series.sides if (obs := _observed(s, on)) is not None]


def _model_quantity(s: SideSeries, strength: FloatArray, on: Target) -> FloatArray:
    if on == "strength":
        return strength
    n = strength.size
    return np.asarray(s.initial + np.cumsum(s.reinforcements[:n]) - strength, dtype=np.float64)


class _Problem:
    """Residuals of one law on days ``1..n`` of a series, in the transformed parameters.

    The parameter vector is ``θ = (log r_x, log r_y, *shape)`` where ``r_x = a·Y₀^px·X₀^qx`` and
    ``r_y = b·X₀^py·Y₀^qy`` are the loss rates at the reference strengths ``X₀, Y₀`` (each side's
    strength once its day-1 arrivals are in). The rates are positive and span orders of
    magnitude (hence logs), and unlike ``a`` they barely move when the exponents change, which
    keeps the generalized law's valley well conditioned. Shape parameters are bounded to
    ``[0, 3]``.
    """

    def __init__(self, series: EngagementSeries, law: Law, on: Target, n: int) -> None:
        self.series, self.law, self.on, self.n = series, law, on, n
        self.names = ("a", "b", *law.shape_params)
        self.sides = [s for s in series.sides if _observed(s, on) is not None]
        self.log_ref = np.log([_reference_strength(s) for s in series.sides])
        self.rtol = _FIT_RTOL

    def params(self, theta: FloatArray) -> dict[str, float]:
        shape = dict(zip(self.law.shape_params, map(float, theta[2:]), strict=True))
        e = self.law.exponents(shape)
        lx, ly = self.log_ref
        a = math.exp(theta[0] - e.px * ly - e.qx * lx)
        b = math.exp(theta[1] - e.py * lx - e.qy * ly)
        return {"a": a, "b": b, **shape}

    def predict(self, params: Mapping[str, float], n: int) -> list[FloatArray]:
        """Model values of the target quantity on days ``1..n`` for each observed side."""
        x, y = simulate(self.series, self.law, params, n, self.rtol)
        by_side = {id(self.series.x): x, id(self.series.y): y}
        return [_model_quantity(s, by_side[id(s)], self.on) for s in self.sides]

    def observed(self, start: int, stop: int) -> list[FloatArray]:
        """Observed target values on days ``start..stop`` for each observed side."""
        return _observed_days(self.series, self.on, start, stop)

    def residuals(self, theta: FloatArray) -> FloatArray:
        try:
            pred = self.predict(self.params(theta), self.n)
        except (RuntimeError, FloatingPointError, OverflowError, InputError):
            pred = [np.zeros(self.n) for _ in self.sides]  # a failed run: no fit at all
        obs = self.observed(1, self.n)
        return np.concatenate([p - o for p, o in zip(pred, obs, strict=True)])

    def starts(self) -> list[FloatArray]:
        """Start vectors: loss rates from the data's mean daily losses; a few shapes.

        An unobserved side's rate is guessed as the observed side's, scaled by the ratio of
        the reference strengths, times each of :data:`_UNOBSERVED_GUESSES`.
        """
        ref = np.exp(self.log_ref)
        rates = [_mean_loss_rate(s, self.on, self.n) for s in self.series.sides]
        known = [r for r in rates if r is not None]
        multipliers = _UNOBSERVED_GUESSES if len(known) < 2 else (1.0,)
        shapes = _SHAPE_STARTS if self.law.shape_params else ((),)
        out = []
        for m in multipliers:
            rx, ry = (
                r if r is not None else m * known[0] * ref[k] / ref[1 - k]
                for k, r in enumerate(rates)
            )
            for shape in shapes:
                out.append(np.array([math.log(rx), math.log(ry), *shape], dtype=np.float64))
        return out

    def bounds(self) -> tuple[list[float], list[float]]:
        k = len(self.law.shape_params)
        lo, hi = _LOG_RATE_BOUNDS
        return [lo, lo] + [0.0] * k, [hi, hi] + [_SHAPE_MAX] * k

    def params_jacobian(self, theta: FloatArray) -> FloatArray:
        """``d(a, b, *shape) / dθ`` by forward differences (no simulation involved)."""
        k = theta.size
        out = np.empty((k, k))
        base = self.params(theta)
        for j in range(k):
            step = np.zeros(k)
            step[j] = 1e-7
            up = self.params(theta + step)
            out[:, j] = [(up[name] - base[name]) / 1e-7 for name in self.names]
        return out


def _reference_strength(s: SideSeries) -> float:
    """Strength at the start of the fighting (initial plus day-1 arrivals), at least 1."""
    return max(s.initial + float(s.reinforcements[0]), 1.0)


def _mean_loss_rate(s: SideSeries, on: Target, n: int) -> float | None:
    """Observed losses per day over days ``1..n`` (floored at a tiny positive rate)."""
    obs = _observed(s, on)
    if obs is None:
        return None
    lost = (
        float(obs[n - 1]) if on == "losses" else s.initial + s.reinforcements[:n].sum() - obs[n - 1]
    )
    return max(lost / n, 1e-6 * _reference_strength(s))


def _least_squares(problem: _Problem) -> tuple[FloatArray, FloatArray, float]:
    """Best of the multi-start fits: ``(theta, jacobian, sum of squares)``.

    Every start is scored by its sum of squares; the solver runs from the best
    :data:`_RUNS` of them.
    """
    lo, hi = problem.bounds()
    starts = [np.clip(t, lo, hi) for t in problem.starts()]
    starts.sort(key=lambda t: float(np.sum(problem.residuals(t) ** 2)))
    best = None
    for theta0 in starts[:_RUNS]:
        sol = least_squares(
            problem.residuals,
            theta0,
            bounds=(lo, hi),
            x_scale="jac",
            diff_step=_DIFF_STEP,
            max_nfev=_MAX_NFEV,
        )
        cost = float(np.sum(sol.fun**2))
        if best is None or cost < best[2]:
            best = (sol.x, sol.jac, cost)
    assert best is not None
    return best


def _stderr(problem: _Problem, theta: FloatArray, jac: FloatArray, ss: float) -> dict[str, float]:
    """Standard errors from ``cov_θ = s² (JᵀJ)⁻¹`` with ``s² = SS_res / (n - k)``.

    They are carried to the reported parameters by the delta method: ``cov = G cov_θ Gᵀ`` with
    ``G = d params / dθ``. A shape parameter at a bound of its range, or a parameter the
    residuals do not depend on (Y's rate in the logarithmic law when only X is observed),
    gets none (NaN), and the other errors are conditional on it.
    """
    m, k = jac.shape
    if m <= k:
        return dict.fromkeys(problem.names, math.nan)
    norms = np.linalg.norm(jac, axis=0)
    free = norms > 1e-10 * max(float(norms.max()), 1e-300)  # the data move these parameters
    cov_theta = np.zeros((k, k))
    cov_theta[np.ix_(free, free)] = ss / (m - k) * np.linalg.pinv(jac[:, free].T @ jac[:, free])
    g = problem.params_jacobian(theta)
    se = np.sqrt(np.maximum(np.diag(g @ cov_theta @ g.T), 0.0))
    se[~free] = math.nan  # the others' errors are conditional on these staying where they are
    lo, hi = problem.bounds()
    shape, lo_shape, hi_shape = theta[2:], np.array(lo[2:]), np.array(hi[2:])
    at_bound = np.isclose(shape, lo_shape, atol=1e-8) | np.isclose(shape, hi_shape, atol=1e-8)
    se[2:][at_bound] = math.nan
    return {name: float(v) for name, v in zip(problem.names, se, strict=True)}


def _check(series: EngagementSeries, on: str, train_until: int | None) -> int:
    if on not in ("strength", "losses"):
        raise InputError("on", "strength or losses", on)
    if not any(_observed(s, on) is not None for s in series.sides):  # type: ignore[arg-type]
        raise InputError("on", f"a series with observed {on} for at least one side", on)
    n_days = int(series.days.size)
    if train_until is None:
        return n_days
    if not 1 <= train_until <= n_days:
        raise InputError("train_until", f"a day in 1..{n_days}", train_until)
    return train_until


def _fit_law(
    series: EngagementSeries, law: Law, on: Target, n: int
) -> tuple[_Problem, FloatArray, FloatArray, float]:
    """Fit ``law`` on days ``1..n``: ``(problem, theta, jacobian, sum of squares)``."""
    problem = _Problem(series, law, on, n)
    points = n * len(problem.sides)
    if points <= len(problem.names):
        raise InputError("train_until", f"more than {len(problem.names)} observed points", points)
    return (problem, *_least_squares(problem))


def persistence_forecast(
    series: EngagementSeries, on: Target, train_until: int
) -> list[FloatArray]:
    """The persistence baseline on days after ``train_until``, per observed side.

    The last training day's loss is carried forward: strength ``S(d) = S(T) + R(T..d] - (d-T)·l``
    with ``l = S(T-1) + r(T) - S(T)`` (``S(0)`` the initial strength), or cumulative losses
    ``L(d) = L(T) + (d-T)·losses(T)``.
    """
    out = []
    for s in series.sides:
        obs = _observed(s, on)
        if obs is None:
            continue
        t = train_until
        ahead = np.arange(1, series.days.size - t + 1, dtype=np.float64)
        if on == "losses":
            assert s.losses is not None
            out.append(obs[t - 1] + ahead * s.losses[t - 1])
            continue
        before = s.initial if t == 1 else obs[t - 2]
        loss = before + s.reinforcements[t - 1] - obs[t - 1]
        arrivals = np.cumsum(s.reinforcements[t:])
        out.append(obs[t - 1] + arrivals - ahead * loss)
    return out


def fit(
    series: EngagementSeries,
    law: str = "square",
    *,
    on: Target = "strength",
    train_until: int | None = None,
) -> FitResult:
    """Fit ``law`` (or choose one with ``"auto"``) to ``series`` by least squares.

    Args:
        series: the engagement series.
        law: a registered law name, or ``"auto"`` (rolling-origin selection inside the
            training window; see ``docs/fitting.md``).
        on: fit end-of-day strengths or cumulative losses.
        train_until: fit on days ``<= train_until`` and report forecast errors on the later days
            (default: all days).

    Returns:
        The fitted law with parameters, standard errors and goodness of fit.
    """
    n = _check(series, on, train_until)
    selection = _select(series, on, n) if law == "auto" else None
    law_obj = get_law(selection.winner if selection else law)
    problem, theta, jac, ss = _fit_law(series, law_obj, on, n)
    params = problem.params(theta)
    n_days = int(series.days.size)
    pred = problem.predict(params, n_days)
    obs_all = problem.observed(1, n_days)
    fitted = {s.name: p for s, p in zip(problem.sides, pred, strict=True)}
    in_sample = goodness([o[:n] for o in obs_all], [p[:n] for p in pred])
    forecast = persistence = None
    if n < n_days:
        later = [o[n:] for o in obs_all]
        forecast = goodness(later, [p[n:] for p in pred])
        persistence = goodness(later, persistence_forecast(series, on, n))
    return FitResult(
        law=law_obj.name,
        on=on,
        params=params,
        stderr=_stderr(problem, theta, jac, ss),
        fit=in_sample,
        train_until=n,
        forecast=forecast,
        persistence=persistence,
        selection=selection,
        fitted=fitted,
    )


def _select(series: EngagementSeries, on: Target, n: int) -> Selection:
    """Rolling-origin selection inside days ``1..n``.

    Horizon ``h = max(1, n // 5)``; origins ``n - h·k`` for ``k = AUTO_ORIGINS..1`` (those that
    leave at least ``max(n // 3, 4)`` training days). Each law is fitted on days ``<= origin`` and
    scored on the next ``h`` days; the score is the mean MAPE over origins.
    """
    h = max(1, n // 5)
    min_train = max(n // 3, 4)
    origins = tuple(n - h * k for k in range(AUTO_ORIGINS, 0, -1) if n - h * k >= min_train)
    if not origins:
        raise InputError("train_until", "at least 5 training days for law auto", n)
    scores: dict[str, Goodness] = {}
    for name in law_names():
        law = get_law(name)
        folds = []
        for o in origins:
            problem, theta, _, _ = _fit_law(series, law, on, o)
            pred = problem.predict(problem.params(theta), o + h)
            folds.append(goodness(problem.observed(o + 1, o + h), [p[o:] for p in pred]))
        scores[name] = _mean(folds)
    base = [
        goodness(
            _observed_days(series, on, o + 1, o + h),
            [p[:h] for p in persistence_forecast(series, on, o)],
        )
        for o in origins
    ]
    winner = min(scores, key=lambda k: (scores[k].mape, len(get_law(k).shape_params)))
    return Selection(winner, origins, h, scores, _mean(base))


def _mean(folds: list[Goodness]) -> Goodness:
    return Goodness(
        float(np.mean([f.r2 for f in folds])),
        float(np.mean([f.rmse for f in folds])),
        float(np.mean([f.mape for f in folds])),
        sum(f.n for f in folds),
    )
