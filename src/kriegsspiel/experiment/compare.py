"""Comparing two runs metric by metric: differences with bootstrap intervals, P(B beats A).

Every numeric (or boolean) per-replication column found in both runs is a metric. When both
runs share their seed and block size they used common random numbers, so replication ``r`` of
A and replication ``r`` of B are a pair, and the bootstrap resamples pairs (tighter intervals
for the same replications). Otherwise the two samples are resampled independently.

"B beats A" means B's value is higher (or, for a metric named in ``lower_is_better``, lower);
a tie counts one half, so P = 0.5 means no difference in either direction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from kriegsspiel.errors import InputError, KriegsspielError
from kriegsspiel.experiment.results import Results
from kriegsspiel.experiment.task import REPLICATION

__all__ = [
    "Interval",
    "bootstrap_difference",
    "compare_frames",
    "compare_results",
    "metric_columns",
    "metric_table",
    "probability_b_beats_a",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Statistic = Literal["mean", "median"]

DEFAULT_RESAMPLES = 2000


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided bootstrap interval."""

    estimate: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        """A JSON-ready dictionary."""
        return {"estimate": self.estimate, "low": self.low, "high": self.high}


def _array(values: Any, name: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
        raise InputError(name, "a non-empty list of finite numbers")
    return arr


def _indices(rng: np.random.Generator, n: int, resamples: int) -> IntArray:
    return rng.integers(0, n, size=(resamples, n))


def _interval(estimate: float, draws: FloatArray, level: float) -> Interval:
    if not 0.0 < level < 1.0:
        raise InputError("level", "a fraction in (0, 1)", level)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(draws, [tail, 1.0 - tail])
    return Interval(float(estimate), float(low), float(high))


def _stat(values: FloatArray, statistic: Statistic) -> FloatArray:
    return values.mean(axis=-1) if statistic == "mean" else np.median(values, axis=-1)


def _resampled(
    a: FloatArray, b: FloatArray, paired: bool, resamples: int, seed: int
) -> tuple[FloatArray, FloatArray]:
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    if paired:
        if a.size != b.size:
            raise InputError("paired", "samples of equal length", (a.size, b.size))
        idx = _indices(rng, a.size, resamples)
        return a[idx], b[idx]
    return a[_indices(rng, a.size, resamples)], b[_indices(rng, b.size, resamples)]


def bootstrap_difference(
    a: Any,
    b: Any,
    *,
    statistic: Statistic = "mean",
    paired: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """``statistic(b) - statistic(a)`` with a percentile bootstrap interval.

    With ``paired`` the samples are pairs (common random numbers) and are resampled together.
    """
    x, y = _array(a, "a"), _array(b, "b")
    ra, rb = _resampled(x, y, paired, resamples, seed)
    estimate = float(_stat(y, statistic) - _stat(x, statistic))
    return _interval(estimate, _stat(rb, statistic) - _stat(ra, statistic), level)


def _superiority(a: FloatArray, b: FloatArray, paired: bool) -> FloatArray:
    """P(B > A) + P(B = A) / 2 along the last axis (pairs, or all cross pairs)."""
    if paired:
        return np.asarray(np.mean((b > a) + 0.5 * (b == a), axis=-1), dtype=np.float64)
    from scipy.stats import rankdata

    n, m = a.shape[-1], b.shape[-1]
    ranks = rankdata(np.concatenate([a, b], axis=-1), axis=-1)
    u_b = ranks[..., n:].sum(axis=-1) - m * (m + 1) / 2.0
    return np.asarray(u_b / (n * m), dtype=np.float64)


def probability_b_beats_a(
    a: Any,
    b: Any,
    *,
    paired: bool = False,
    lower_is_better: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
    seed: int = 0,
) -> Interval:
    """P(B's outcome beats A's), ties counting one half, with a bootstrap interval.

    Unpaired, this is the probability that a random B replication beats a random A one (the
    Mann-Whitney statistic over all cross pairs); paired, the share of pairs B wins.
    """
    x, y = _array(a, "a"), _array(b, "b")
    if lower_is_better:
        x, y = -x, -y
    ra, rb = _resampled(x, y, paired, resamples, seed)
    return _interval(float(_superiority(x, y, paired)), _superiority(ra, rb, paired), level)


def metric_columns(frame: pd.DataFrame) -> list[str]:
    """The numeric and boolean columns of a per-replication table (its metrics)."""
    return [
        str(c)
        for c, dtype in frame.dtypes.items()
        if c != REPLICATION
        and (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
    ]


MAX_CATEGORIES = 12
"""A text column with at most this many distinct values becomes one 0/1 metric per value."""


def metric_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The metrics of a per-replication table as floats.

    Numeric and boolean columns are metrics as they are; a text column with few distinct
    values (say who holds an objective) becomes one indicator per value, named
    ``column=value`` (``column=none`` for an empty value).
    """
    out: dict[str, pd.Series] = {m: frame[m].astype(np.float64) for m in metric_columns(frame)}
    for col, dtype in frame.dtypes.items():
        if col == REPLICATION or str(col) in out:
            continue
        if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            continue
        values = frame[col]
        levels = values.dropna().unique()
        if 0 < len(levels) <= MAX_CATEGORIES and all(isinstance(v, str) for v in levels):
            for level in sorted(levels):
                flag = (values == level).astype(np.float64).where(values.notna())
                out[f"{col}={level or 'none'}"] = flag
    return pd.DataFrame(out, index=frame.index)


def _zero_levels(table: pd.DataFrame, names: list[str]) -> None:
    """Add indicators of text values another run saw and this one never did (all 0)."""
    for name in names:
        base, eq, _ = name.partition("=")
        sibling = next((c for c in table.columns if eq and c.startswith(f"{base}=")), None)
        if sibling is not None:
            table[name] = table[sibling].where(table[sibling].isna(), 0.0)


def _clean(values: Any) -> float | None:
    number = float(values)
    return number if np.isfinite(number) else None


def compare_frames(
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    paired: bool,
    lower_is_better: Collection[str] = (),
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, dict[str, Any]]:
    """Compare every metric (see :func:`metric_table`) the two tables share.

    Paired tables are aligned by index. Rows where a metric is missing (NaN) are left out of
    that metric (paired: the pair). A value seen in only one run counts as 0 in the other.
    """
    if paired:
        common = a.index.intersection(b.index)
        a, b = a.loc[common], b.loc[common]
    a, b = metric_table(a), metric_table(b)
    _zero_levels(a, [c for c in b.columns if c not in a.columns])
    _zero_levels(b, [c for c in a.columns if c not in b.columns])
    shared = [m for m in a.columns if m in set(b.columns)]
    out: dict[str, dict[str, Any]] = {}
    for metric in shared:
        x = a[metric].to_numpy(dtype=np.float64, na_value=np.nan)
        y = b[metric].to_numpy(dtype=np.float64, na_value=np.nan)
        if paired:
            keep = np.isfinite(x) & np.isfinite(y)
            x, y = x[keep], y[keep]
        else:
            x, y = x[np.isfinite(x)], y[np.isfinite(y)]
        if x.size == 0 or y.size == 0:
            continue
        opts: dict[str, Any] = {
            "paired": paired,
            "resamples": resamples,
            "level": level,
            "seed": seed,
        }
        lower = metric in lower_is_better
        out[metric] = {
            "n_a": int(x.size),
            "n_b": int(y.size),
            "mean_a": _clean(x.mean()),
            "mean_b": _clean(y.mean()),
            "diff_mean": bootstrap_difference(x, y, statistic="mean", **opts).as_dict(),
            "median_a": _clean(np.median(x)),
            "median_b": _clean(np.median(y)),
            "diff_median": bootstrap_difference(x, y, statistic="median", **opts).as_dict(),
            "better": "lower" if lower else "higher",
            "p_b_beats_a": probability_b_beats_a(x, y, lower_is_better=lower, **opts).as_dict(),
        }
    return out


def _common_random_numbers(ma: Mapping[str, Any], mb: Mapping[str, Any]) -> bool:
    return all(ma.get(k) == mb.get(k) for k in ("seed", "block_size", "package_version"))


def compare_results(
    a: Results,
    b: Results,
    *,
    lower_is_better: Collection[str] = (),
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, Any]:
    """Compare two runs' per-replication metrics (JSON-ready).

    Raises:
        KriegsspielError: the runs share no metric.
    """
    paired = _common_random_numbers(a.manifest, b.manifest)
    metrics = compare_frames(
        a.frame(), b.frame(), paired=paired, lower_is_better=lower_is_better,
        resamples=resamples, level=level, seed=seed,
    )  # fmt: skip
    if not metrics:
        raise KriegsspielError(f"{a.root} and {b.root} share no numeric per-replication metric")
    return {
        "a": {
            "dir": str(a.root),
            "scenario": a.manifest.get("scenario"),
            "overrides": a.manifest.get("overrides"),
        },
        "b": {
            "dir": str(b.root),
            "scenario": b.manifest.get("scenario"),
            "overrides": b.manifest.get("overrides"),
        },
        "paired": paired,
        "level": level,
        "resamples": resamples,
        "metrics": metrics,
    }
