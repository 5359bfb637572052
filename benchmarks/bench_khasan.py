"""Time the whole khasan-1938 campaign (a timing script, not a test).

1. The engine alone: one block of N replications (29 July 00:00 - 11 August 12:00, 5-minute
   steps), for N = 250, 500 and 1,000, each in a fresh process so that its peak memory (max
   RSS) is its own; time and memory should grow linearly in N.
2. The whole command, ``kriegsspiel run khasan-1938 --reps 1000 --seed 1`` (compile, blocks of
   250 on one worker per core, Parquet parts, summary.json). Goal: <= 120 s on 2 cores.

    python benchmarks/bench_khasan.py [--sizes 250 500 1000] [--skip-cli]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 120.0

_CHILD = """
import json, resource, sys, time
import numpy as np
from kriegsspiel.engine.runner import compiled
from kriegsspiel.engine.core import simulate
from kriegsspiel.scenario import load
t0 = time.perf_counter()
arr = compiled(load("khasan-1938"))
t1 = time.perf_counter()
simulate(arr, int(sys.argv[1]), np.random.default_rng(1))
t2 = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(json.dumps({"compile_s": t1 - t0, "simulate_s": t2 - t1, "max_rss_mb": rss}))
"""


def engine_alone(sizes: list[int]) -> None:
    print("engine alone (one block, one process):")
    print(f"{'reps':>6} {'simulate s':>11} {'s per 1000':>11} {'max RSS MB':>11} {'compile s':>10}")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(n)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout)
        per = r["simulate_s"] / n * 1000
        print(
            f"{n:>6} {r['simulate_s']:>11.1f} {per:>11.1f} {r['max_rss_mb']:>11.0f} "
            f"{r['compile_s']:>10.1f}"
        )


def whole_command() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        cmd = [
            "kriegsspiel",
            "run",
            "khasan-1938",
            "--reps",
            "1000",
            "--seed",
            "1",
            "--out",
            str(out),
            "--quiet",
        ]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        wall = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    verdict = "met" if wall <= GOAL_S else "NOT met"
    print(
        f"\n`{' '.join(cmd[:7])}` on {os.cpu_count()} cores: {wall:.1f} s wall, "
        f"{size:.1f} MiB written (goal <= {GOAL_S:.0f} s: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    engine_alone(args.sizes)
    if not args.skip_cli:
        whole_command()


if __name__ == "__main__":
    main()
