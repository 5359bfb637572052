"""Replications per second of an experiment on 1 and 2 local workers (a timing script, not a test).

Two workloads, each run as an experiment (blocks of ``--block``, Parquet parts, manifest) with
each backend: serial, a local process pool of 1 and 2 processes, a local Dask cluster of 1 and 2
worker processes; every run's per-replication table is checked bit-identical to the serial run's.

* ``aggregate``: the stochastic aggregate engine's exact chain (Gillespie), square law, 1,000 v
  900, about 1,900 casualty events per replication (some 0.1 ms each, batched by block).
* ``khasan``: the tactical engine on ``khasan-1938`` (about 0.15 s per replication; each worker
  compiles the scenario, nav fields included, once). The task is built, and so the scenario
  compiled, in this process before the clock starts, as the command line does.

For each run the script prints:

* ``run rate``: replications / wall time of the whole run, which includes starting the pool or
  cluster, importing and compiling in the workers, the last block finishing alone and writing
  the results. **The goal (2 workers >= 1.8x the rate of 1 worker) is judged on this figure.**
* ``steady rate``: from the times the blocks were stored (their markers' modification times),
  ``(n - w) * block / (t_n - t_w)`` with ``w`` the number of workers and ``t_i`` the time the
  ``i``-th block was stored: the throughput once every worker is busy.
* ``start-up``: the run's wall time less what its replications take at the steady rate (pool
  or cluster start, imports, compiling, the first wave, the tail).
* CPU seconds of this process and of the workers (child processes, start-up included): more
  worker CPU for the same replications on 2 workers than on 1 means the workers slow each other
  down (shared cache and memory, or other jobs on the machine) or each pays a start-up; their
  sum over the wall time is the number of cores the run kept busy (about 2 for a 2-worker run on
  two idle cores; near 1 when another job holds the other core).

The ratios of a repeat are measured within that repeat; with ``--repeats`` the script prints
their medians. The 1-minute load average before each run is printed: on a machine where other
jobs run the ratios understate what two idle cores give.

    python benchmarks/bench_backends.py [--workload aggregate] [--reps 480000] [--block 5000]
    python benchmarks/bench_backends.py --workload khasan [--reps 200] [--block 25]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kriegsspiel.experiment import Backend, BlockTask, Results, run_experiment
from kriegsspiel.experiment.aggregate_task import aggregate_task
from kriegsspiel.experiment.engine_adapter import scenario_task

SEED = 1
GOAL = 1.8
DEFAULTS = {"aggregate": (480_000, 5000), "khasan": (200, 25)}
CONFIGS = {
    "serial": Backend(),
    "processes x1": Backend("processes", 1),
    "processes x2": Backend("processes", 2),
    "dask x1": Backend("dask", 1),
    "dask x2": Backend("dask", 2),
}


@dataclass(frozen=True)
class Measured:
    """One run: wall time, steady rate, CPU seconds of this process and of the workers."""

    wall: float
    steady: float
    main_cpu: float
    worker_cpu: float


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _steady_rate(root: Path, block: int, workers: int) -> float:
    """Replications per second once every worker is busy, from the blocks' storage times."""
    stored = sorted(p.stat().st_mtime for p in (root / "blocks").glob("block-*.json"))
    if len(stored) <= workers:
        return float("nan")
    span = stored[-1] - stored[workers - 1]
    return (len(stored) - workers) * block / span if span > 0 else float("nan")


def _run(
    task: BlockTask, root: Path, reps: int, block: int, backend: Backend
) -> tuple[Measured, Results]:
    main0, kids0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    results = run_experiment(
        task, root, replications=reps, seed=SEED, block_size=block, backend=backend, progress=False
    )
    wall = time.perf_counter() - start
    steady = _steady_rate(root, block, max(1, backend.workers))
    main = _cpu(resource.RUSAGE_SELF) - main0
    kids = _cpu(resource.RUSAGE_CHILDREN) - kids0
    return Measured(wall, steady, main, kids), results


def _task(workload: str) -> BlockTask:
    if workload == "khasan":
        return scenario_task("khasan-1938")
    return aggregate_task("square", 1000, 900, 0.02, 0.025, method="exact")


def _repeat(task: BlockTask, names: list[str], reps: int, block: int) -> dict[str, Measured]:
    out: dict[str, Measured] = {}
    reference = None
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            load = os.getloadavg()[0]
            root = Path(tmp) / name.replace(" ", "-")
            m, results = _run(task, root, reps, block, CONFIGS[name])
            out[name] = m
            table = results.arrow()
            reference = table if reference is None else reference
            same = "identical to" if table.equals(reference) else "DIFFERENT FROM"
            print(
                f"  {name:<13} load {load:4.1f}  wall {m.wall:7.2f} s"
                f"  run rate {reps / m.wall:8.1f}  steady rate {m.steady:8.1f} reps/s"
                f"  start-up {m.wall - reps / m.steady:6.2f} s"
                f"  cpu: this process {m.main_cpu:7.2f} s, workers {m.worker_cpu:7.2f} s"
                f" ({(m.main_cpu + m.worker_cpu) / m.wall:4.2f} cores busy)"
                f"  ({same} {names[0]})",
                flush=True,
            )
    return out


def _ratios(run: dict[str, Measured]) -> dict[str, tuple[float, float, float]]:
    """Per backend kind: run-rate ratio, steady-rate ratio, worker CPU ratio (2 over 1)."""
    out = {}
    for kind in ("processes", "dask"):
        one, two = run.get(f"{kind} x1"), run.get(f"{kind} x2")
        if one is not None and two is not None:
            cpu = (two.worker_cpu + two.main_cpu) / (one.worker_cpu + one.main_cpu)
            out[kind] = (one.wall / two.wall, two.steady / one.steady, cpu)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=sorted(DEFAULTS), default="aggregate")
    parser.add_argument("--reps", type=int, help="replications per run (default by workload)")
    parser.add_argument("--block", type=int, help="block size (default by workload)")
    parser.add_argument("--repeats", type=int, default=1, help="repeats; ratios are medians")
    parser.add_argument(
        "--backends",
        default=",".join(CONFIGS),
        help=f"comma-separated subset of: {', '.join(CONFIGS)}",
    )
    args = parser.parse_args()
    reps = args.reps or DEFAULTS[args.workload][0]
    block = args.block or DEFAULTS[args.workload][1]
    names = [n.strip() for n in args.backends.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        parser.error(f"unknown backends {unknown}; choose from {list(CONFIGS)}")
    task = _task(args.workload)
    print(f"{args.workload}: {reps} replications, blocks of {block}, {os.cpu_count()} cores")
    ratios: dict[str, list[tuple[float, float, float]]] = {}
    for r in range(args.repeats):
        print(f"repeat {r + 1} of {args.repeats}")
        for kind, pair in _ratios(_repeat(task, names, reps, block)).items():
            ratios.setdefault(kind, []).append(pair)
            print(
                f"  {kind}: 2 workers / 1 worker: run {pair[0]:.2f}x, steady {pair[1]:.2f}x,"
                f" CPU for the same replications {pair[2]:.2f}x"
            )
    for kind, pairs in ratios.items():
        run, steady, cpu = (statistics.median(p[i] for p in pairs) for i in range(3))
        verdict = "met" if run >= GOAL else "NOT met"
        print(
            f"{kind}: 2 workers / 1 worker, median of {len(pairs)}: run rate {run:.2f}x "
            f"(goal >= {GOAL}x: {verdict}); steady rate {steady:.2f}x (not the goal's figure);"
            f" CPU {cpu:.2f}x (1.00x: the workers do not slow each other down)"
        )


if __name__ == "__main__":
    main()
