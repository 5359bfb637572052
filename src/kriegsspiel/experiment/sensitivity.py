"""Variance-based sensitivity (Sobol indices) of a metric to parameters over given ranges.

The points come from Saltelli's scheme on a scrambled Sobol' sequence (SALib), ``samples``
times ``(D + 2)`` points for ``D`` parameters; each point is a run of several replications (all
points share the seed: common random numbers), and the metric's mean over a point's
replications is the model output. First-order indices ``S1`` measure what a parameter explains
alone, total indices ``ST`` what it explains with all its interactions; both come with
bootstrap confidence intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from kriegsspiel.errors import InputError
from kriegsspiel.experiment.backends import Backend
from kriegsspiel.experiment.designs import Design, check_ranges, run_design
from kriegsspiel.experiment.runner import DEFAULT_BLOCK_SIZE
from kriegsspiel.experiment.task import BlockTask

__all__ = ["run_sensitivity", "sobol_design", "sobol_indices"]


def _problem(ranges: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    check_ranges(ranges, "--params")
    return {
        "num_vars": len(ranges),
        "names": list(ranges),
        "bounds": [[float(lo), float(hi)] for lo, hi in ranges.values()],
    }


def _check_samples(samples: int) -> None:
    if samples < 2 or samples & (samples - 1):
        raise InputError("--samples", "a power of two >= 2 (Sobol' sequence)", samples)


def sobol_design(ranges: Mapping[str, tuple[float, float]], samples: int, seed: int) -> Design:
    """Saltelli's points for first-order and total indices: ``samples * (D + 2)`` of them."""
    from SALib.sample import sobol

    _check_samples(samples)
    matrix = sobol.sample(_problem(ranges), samples, calc_second_order=False, seed=seed)
    keys = list(ranges)
    return Design(
        "sobol", tuple({k: float(v) for k, v in zip(keys, row, strict=True)} for row in matrix)
    )


def sobol_indices(
    ranges: Mapping[str, tuple[float, float]],
    outputs: ArrayLike,
    *,
    level: float = 0.95,
    resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of ``outputs`` (in :func:`sobol_design` order).

    Returns:
        One row per parameter: ``S1``, ``S1_low``, ``S1_high``, ``ST``, ``ST_low``, ``ST_high``.
    """
    from SALib.analyze import sobol

    problem = _problem(ranges)
    y = np.asarray(outputs, dtype=np.float64)
    d = problem["num_vars"]
    if y.ndim != 1 or y.size % (d + 2) or not np.all(np.isfinite(y)):
        raise InputError("outputs", f"finite values, a multiple of {d + 2} of them", y.shape)
    _check_samples(y.size // (d + 2))
    if np.ptp(y) == 0:
        zeros = np.zeros(d)
        cols = dict.fromkeys(("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"), zeros)
        return pd.DataFrame(cols, index=pd.Index(problem["names"], name="parameter"))
    res = sobol.analyze(
        problem, y, calc_second_order=False, num_resamples=resamples, conf_level=level, seed=seed
    )
    s1, s1c, st, stc = (np.asarray(res[k]) for k in ("S1", "S1_conf", "ST", "ST_conf"))
    return pd.DataFrame(
        {
            "S1": s1,
            "S1_low": s1 - s1c,
            "S1_high": s1 + s1c,
            "ST": st,
            "ST_low": st - stc,
            "ST_high": st + stc,
        },
        index=pd.Index(problem["names"], name="parameter"),
    )


def run_sensitivity(
    task_for: Callable[[Mapping[str, Any]], BlockTask],
    ranges: Mapping[str, tuple[float, float]],
    metric: str,
    out: str | Path,
    *,
    samples: int,
    replications: int,
    seed: int,
    block_size: int = DEFAULT_BLOCK_SIZE,
    backend: Backend | None = None,
    resume: bool = False,
    progress: bool = True,
) -> pd.DataFrame:
    """Run the Sobol design (one run per point, resumable) and return the indices of ``metric``."""
    design = sobol_design(ranges, samples, seed)
    results = run_design(
        task_for, design, out, replications=replications, seed=seed, block_size=block_size,
        backend=backend, resume=resume, progress=progress,
    )  # fmt: skip
    outputs = results.summary(metric)[metric].to_numpy()
    return sobol_indices(ranges, outputs, seed=seed)
