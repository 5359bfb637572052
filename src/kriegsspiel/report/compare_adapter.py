"""Fill ``ReportData.compare`` from two results folders with ``experiment.compare_results``.

Run B is the report's own run; run A is drawn beside it. Differences are B - A: of means and
of medians with percentile-bootstrap intervals (paired when both runs share seed, block size
and version, i.e. common random numbers), and P(B beats A) (higher is "beats"; ties count one
half) with its interval.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from kriegsspiel.experiment import Results
from kriegsspiel.experiment.compare import compare_results
from kriegsspiel.report.adapters import from_results_dir
from kriegsspiel.report.data import Compare, CompareRow, ReportData


def run_label(root: Path, overrides: Any) -> str:
    """A run as the report names it: its folder, and its overrides if it has any."""
    pairs = overrides.items() if isinstance(overrides, dict) else []
    sets = ", ".join(f"{k}={v}" for k, v in sorted(pairs))
    return f"{root.name} ({sets})" if sets else root.name


def _row(name: str, m: dict[str, Any]) -> CompareRow:
    mean, median, p = m["diff_mean"], m["diff_median"], m["p_b_beats_a"]
    return CompareRow(
        metric=name,
        a=float(m["mean_a"]),
        b=float(m["mean_b"]),
        diff=float(mean["estimate"]),
        low=float(mean["low"]),
        high=float(mean["high"]),
        p_b_greater=float(p["estimate"]),
        median_a=m["median_a"],
        median_b=m["median_b"],
        median_diff=float(median["estimate"]),
        median_low=float(median["low"]),
        median_high=float(median["high"]),
        p_low=float(p["low"]),
        p_high=float(p["high"]),
    )


def compare_dirs(dir_a: str | Path, dir_b: str | Path, resamples: int = 2000) -> Compare:
    """The comparison of run B (``dir_b``) with run A (``dir_a``), with A's own figures."""
    root_a, root_b = Path(dir_a), Path(dir_b)
    result = compare_results(Results.open(root_a), Results.open(root_b), resamples=resamples)
    rows: list[CompareRow] = []
    omitted: list[str] = []
    for name, m in result["metrics"].items():
        if m["mean_a"] == m["mean_b"] and m["diff_mean"]["low"] == m["diff_mean"]["high"]:
            omitted.append(str(name))
        else:
            rows.append(_row(str(name), m))
    data_a = from_results_dir(root_a)
    return Compare(
        label_a="A: " + run_label(root_a, result["a"]["overrides"]),
        label_b="B: " + run_label(root_b, result["b"]["overrides"]),
        rows=tuple(rows),
        control_a=data_a.control,
        losses_a=data_a.losses,
        paired=bool(result["paired"]),
        level=float(result["level"]),
        omitted=tuple(omitted),
    )


def with_compare(data: ReportData, dir_a: str | Path, dir_b: str | Path) -> ReportData:
    """``data`` (run B's report) with its comparison against run A filled in."""
    return replace(data, compare=compare_dirs(dir_a, dir_b))
