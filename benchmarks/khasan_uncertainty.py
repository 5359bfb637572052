"""Khasan's outcome with every scenario assumption drawn across its range (an analysis script).

    python benchmarks/khasan_uncertainty.py [--points 200] [--reps 10] [--seed 1] [--out DIR]

The fidelity table (``khasan_fidelity.py``) shows the spread of chance alone: one value per
assumption. Here a Latin hypercube draws every assumption of ``khasan-1938`` that has a range
(its ``low``-``high``) at once, ``--points`` times, and runs ``--reps`` replications at each
point (``kriegsspiel sweep --lhs`` over all of them, on a pool of one process per core).
Printed per loss: the record, the 5-95 % band over all replications pooled (chance and
assumptions together), and the lowest and highest median of a point; per crest goal the pooled
share and the lowest and highest share of a point.
The engine's parameter library is held fixed. Resumable: run it again with the same ``--out``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import pandas as pd
from khasan_fidelity import GOALS, LOSSES, held, meets  # the record and goals of issue 3
from scipy.stats import norm, spearmanr

from kriegsspiel.experiment.backends import Backend
from kriegsspiel.experiment.designs import lhs_design, run_design
from kriegsspiel.experiment.engine_adapter import scenario_assumptions, scenario_task

SCENARIO = "khasan-1938"


def _drivers(points: pd.DataFrame, values: list[float], top: int = 3) -> str:
    """The assumptions whose drawn values rank-correlate most with ``values``, one per point."""
    rho = {}
    for key in points.columns:
        if np.ptp(values) > 0:
            rho[key] = float(spearmanr(points[key], values).statistic)
    best = sorted(rho, key=lambda k: -abs(rho[k]))[:top]
    return ", ".join(f"`{k}` {rho[k]:+.2f}" for k in best) or "none (no variation)"


def main() -> None:
    """Run the design (or finish it) and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200, help="Latin hypercube points")
    parser.add_argument("--reps", type=int, default=10, help="replications per point")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("runs/khasan-uncertainty"))
    args = parser.parse_args()
    ranges = scenario_assumptions(SCENARIO)
    design = lhs_design(ranges, args.points, args.seed)
    resume = args.out.exists() and any(args.out.iterdir())
    results = run_design(
        lambda point: scenario_task(SCENARIO, point), design, args.out,
        replications=args.reps, seed=args.seed, block_size=args.reps,
        backend=Backend.choose(workers=os.cpu_count() or 1, processes=True), resume=resume,
    )  # fmt: skip
    frames = [run.frame() for run in results.runs]
    points = pd.DataFrame(list(design.points))
    drivers: list[tuple[str, list[float]]] = []
    pooled = pd.concat(frames, ignore_index=True)
    print(f"{SCENARIO}: {len(ranges)} assumptions drawn at once, {args.points} points x "
          f"{args.reps} replications (seed {args.seed})\n")  # fmt: skip
    header = "| loss | record | pooled median (5-95 %) | point medians, lowest-highest |"
    print(header + " record in band |")
    print("|---|---|---|---|---|")
    for side, metric, name, low, high in LOSSES:
        column = f"{side}.{metric}"
        q05, q50, q95 = np.quantile(pooled[column], [0.05, 0.5, 0.95])
        medians = [float(f[column].median()) for f in frames]
        drivers.append((f"{name} (median)", medians))
        rec = f"{low:,.0f}" if low == high else f"{low:,.0f}-{high:,.0f}"
        inside = "yes" if q05 <= high and low <= q95 else "**no**"
        print(f"| {name} | {rec} | {q50:,.0f} ({q05:,.0f}-{q95:,.0f}) "
              f"| {min(medians):,.0f}-{max(medians):,.0f} | {inside} |")  # fmt: skip
    print("\n| goal | pooled share | point shares, lowest-highest | points meeting it |")
    print("|---|---|---|---|")
    for name, objectives, when, side, bound in GOALS:
        shares = [float(held(f, objectives, when, side).mean()) for f in frames]
        share = float(held(pooled, objectives, when, side).mean())
        met = sum(meets(s, bound) for s in shares)
        drivers.append((name, shares))
        print(f"| {name} | {100 * share:.1f} % | {100 * min(shares):.0f}-{100 * max(shares):.0f} % "
              f"| {met} of {len(shares)} |")  # fmt: skip
    # the largest |rho| that chance alone reaches among this many assumptions (Bonferroni, 5 %)
    noise = float(norm.ppf(1 - 0.025 / len(ranges))) / np.sqrt(max(len(frames) - 1, 1))
    print(
        "\nStrongest rank correlations (Spearman) of the drawn assumptions with each outcome over "
        f"the points (|rho| below {noise:.2f} can be chance among {len(ranges)} assumptions "
        f"at {len(frames)} points):\n"
    )
    print("| outcome | assumptions |")
    print("|---|---|")
    for name, values in drivers:
        print(f"| {name} | {_drivers(points, values)} |")  # fmt: skip


if __name__ == "__main__":
    main()
