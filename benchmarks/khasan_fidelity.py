"""The fidelity table of khasan-1938 (issue 3's goals) from a finished run folder.

    kriegsspiel run khasan-1938 --reps 1000 --seed 1 --out DIR --quiet
    python benchmarks/khasan_fidelity.py DIR

Prints a Markdown table: each goal, the figure reached and whether it is met. Crest control is
the share of replications in which the side alone holds the crest(s) at that time (contested
or empty counts for neither); "Zaozernaya" is both of its crests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

ZN, ZS, BZ = "zaozernaya-north", "zaozernaya-south", "bezymyannaya"
GOALS = (  # name, objectives, time, side, bound (a minimum, or minus a maximum)
    ("Japanese hold all three crests, 31 Jul 08:00", (ZN, ZS, BZ), "1938-07-31T08:00",
     "japanese", 0.7),
    ("Japanese still hold Zaozernaya (both crests), 3 Aug 00:00", (ZN, ZS), "1938-08-03T00:00",
     "japanese", 0.7),
    ("Soviets hold the southern crest, 11 Aug 12:00", (ZS,), "1938-08-11T12:00", "soviet", 0.6),
    ("All three crests Soviet, 6 Aug 12:00", (ZN, ZS, BZ), "1938-08-06T12:00", "soviet", -0.1),
)  # fmt: skip
LOSSES = (  # side, metric, name, record low, record high
    ("soviet", "killed_missing", "Soviet killed + missing", 792.0, 960.0),
    ("soviet", "wounded", "Soviet wounded", 2752.0, 2752.0),
    ("japanese", "killed", "Japanese killed", 526.0, 526.0),
    ("japanese", "wounded", "Japanese wounded", 914.0, 914.0),
    ("soviet", "tanks_disabled", "Soviet tanks disabled", 85.0, 85.0),
)


def held(df: pd.DataFrame, objectives: tuple[str, ...], when: str, side: str) -> pd.Series:
    """Per replication: does ``side`` alone hold every one of ``objectives`` at ``when``?"""
    cols = [f"control.{o}.{when}" for o in objectives]
    return (df[cols] == side).all(axis=1)


def meets(value: float, bound: float) -> bool:
    """Whether ``value`` meets a goal's bound (a minimum, or minus a maximum)."""
    return value >= bound if bound >= 0 else value <= -bound


def main(folder: Path) -> None:
    """Print the table for the run in ``folder``."""
    summary = json.loads((folder / "summary.json").read_text())
    df = pd.concat(pd.read_parquet(p) for p in sorted((folder / "parts").glob("*.parquet")))
    rows: list[tuple[str, str, float, float | None]] = []
    for name, objectives, when, side, bound in GOALS:
        target = f">= {100 * bound:.0f} %" if bound >= 0 else f"<= {-100 * bound:.0f} %"
        rows.append((name, target, float(held(df, objectives, when, side).mean()), bound))
    either = (df[[f"control.{o}.1938-08-03T00:00" for o in (ZN, ZS)]] == "japanese").any(axis=1)
    rows.insert(2, ("(same, at least one Zaozernaya crest)", "", float(either.mean()), None))
    print("| goal | target | reached | met |")
    print("|---|---|---|---|")
    for name, target, value, bound in rows:
        ok = bound is None or meets(value, bound)
        met = "" if bound is None else ("yes" if ok else "**no**")
        print(f"| {name} | {target} | {100 * value:.1f} % | {met} |")
    print()
    print("Other points of the record (not goals of the issue; [S28], [S60]):")
    print()
    print("| record | simulated share |")
    print("|---|---|")
    for name, objectives, when in (
        ("Japanese keep the northern crest, 7 Aug 06:00", (ZN,), "1938-08-07T06:00"),
        ("Japanese keep Bezymyannaya, 7 Aug 06:00", (BZ,), "1938-08-07T06:00"),
        ("Japanese keep the northern crest, 11 Aug 12:00", (ZN,), "1938-08-11T12:00"),
    ):
        print(f"| {name} | {100 * held(df, objectives, when, 'japanese').mean():.1f} % |")
    print()
    print("| loss | record | median (5-95 %) | median within 35 % | record in 5-95 % |")
    print("|---|---|---|---|---|")
    for side, metric, name, low, high in LOSSES:
        q = summary["losses"][side][metric]
        near = 0.65 * low <= q["q50"] <= 1.35 * high
        inside = q["q05"] <= high and low <= q["q95"]
        rec = f"{low:,.0f}" if low == high else f"{low:,.0f}-{high:,.0f}"
        print(
            f"| {name} | {rec} | {q['q50']:,.0f} ({q['q05']:,.0f}-{q['q95']:,.0f}) "
            f"| {'yes' if near else '**no**'} | {'yes' if inside else '**no**'} |"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
