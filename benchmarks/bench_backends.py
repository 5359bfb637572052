"""Replications per second of an experiment on 1 and 2 local workers (a timing script, not a test).

The workload is the heaviest real block function available today: the stochastic aggregate
engine's exact chain (Gillespie), square law, 1,000 v 900, about 1,900 casualty events per
replication, run as an experiment (blocks of ``--block``, Parquet parts, manifest) with each
backend: serial, a local process pool of 1 and 2 processes, a local Dask cluster of 1 and 2
worker processes. The wall time includes starting the pool or cluster and writing the results;
every run's per-replication table is checked bit-identical to the serial run's. Goal: 2 workers
>= 1.8x the replications per second of 1 worker.

    python benchmarks/bench_backends.py [--reps 12000] [--block 200]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kriegsspiel.experiment import Backend, run_experiment
from kriegsspiel.experiment.aggregate_task import aggregate_task

SEED = 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=12000)
    parser.add_argument("--block", type=int, default=200)
    args = parser.parse_args()
    task = aggregate_task("square", 1000, 900, 0.02, 0.025, method="exact")
    configs = [
        ("serial", Backend()),
        ("processes x1", Backend("processes", 1)),
        ("processes x2", Backend("processes", 2)),
        ("dask x1", Backend("dask", 1)),
        ("dask x2", Backend("dask", 2)),
    ]
    rates: dict[str, float] = {}
    reference = None
    with tempfile.TemporaryDirectory() as tmp:
        for name, backend in configs:
            start = time.perf_counter()
            res = run_experiment(
                task, Path(tmp) / name.replace(" ", "-"), replications=args.reps, seed=SEED,
                block_size=args.block, backend=backend, progress=False,
            )  # fmt: skip
            wall = time.perf_counter() - start
            table = res.arrow()
            reference = table if reference is None else reference
            rates[name] = args.reps / wall
            same = "identical to serial" if table.equals(reference) else "DIFFERENT FROM SERIAL"
            print(f"{name:<13} {wall:7.2f} s  {rates[name]:8.1f} reps/s  ({same})")
    for kind in ("processes", "dask"):
        speedup = rates[f"{kind} x2"] / rates[f"{kind} x1"]
        verdict = "met" if speedup >= 1.8 else "NOT met"
        print(f"{kind}: 2 workers / 1 worker = {speedup:.2f}x (goal >= 1.8x: {verdict})")


if __name__ == "__main__":
    main()
