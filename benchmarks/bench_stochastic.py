"""Batch stochastic engine vs one replication at a time (a timing script, not a test).

The battle: square law, 1,000 v 800, exact method (continuous-time Markov chain). The batch run
is 100,000 replications in blocks of 1,024. Two one-at-a-time baselines run a subset of
replications in a Python loop:

* ``engine, 1 rep per call``: the same engine called once per replication (a block of one row);
* ``scalar Python``: a hand-written scalar Gillespie loop (Python floats, one generator call per
  random number), the fastest plain loop we could write.

Prints events ("replication-steps") per second, seconds per replication and the per-replication
speed-up of the batch; medians of ``--repeats`` runs.

    python benchmarks/bench_stochastic.py [--reps 100000] [--loop-reps 200] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from kriegsspiel.aggregate import Engagement, simulate
from kriegsspiel.aggregate.stochastic import block_rng

X0, Y0, A, B = 1000, 800, 1e-3, 1e-3


def scalar_gillespie(rng: np.random.Generator) -> tuple[int, int, float, int]:
    """One replication of the square-law chain in plain Python: (x, y, end time, events)."""
    x, y, t, events = X0, Y0, 0.0, 0
    while x > 0 and y > 0:
        rx, ry = A * y, B * x
        total = rx + ry
        t += rng.standard_exponential() / total
        if rng.random() * total < rx:
            x -= 1
        else:
            y -= 1
        events += 1
    return x, y, t, events


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100_000)
    parser.add_argument("--loop-reps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    eng = Engagement.homogeneous("square", X0, Y0, A, B)

    batch, engine_one, scalar = [], [], []
    events_per_rep = 0.0
    for r in range(args.repeats):
        secs, res = timed(lambda r=r: simulate(eng, args.reps, seed=r, method="exact"))
        events_per_rep = float(res.steps.mean())
        batch.append((secs, int(res.steps.sum())))

        def one_at_a_time(r: int = r) -> int:
            return sum(
                int(simulate(eng, 1, seed=r, method="exact", block_size=1).steps[0])
                for _ in range(args.loop_reps)
            )

        engine_one.append(timed(one_at_a_time))

        def scalar_loop(r: int = r) -> int:
            return sum(scalar_gillespie(block_rng(r, k))[3] for k in range(args.loop_reps))

        scalar.append(timed(scalar_loop))

    def report(name: str, runs: list[tuple[float, int]], reps: int) -> float:
        secs = statistics.median(s for s, _ in runs)
        rate = statistics.median(ev / s for s, ev in runs)
        per_rep = secs / reps
        print(f"{name:<26} {reps:>8} reps  {secs:8.3f} s  {rate:12.4g} events/s  "
              f"{per_rep * 1e6:10.1f} us/rep")  # fmt: skip
        return per_rep

    print(f"square law {X0} v {Y0}, exact method, {events_per_rep:.0f} events per replication, "
          f"median of {args.repeats} repeats")  # fmt: skip
    b = report("batch (blocks of 1024)", batch, args.reps)
    e = report("engine, 1 rep per call", engine_one, args.loop_reps)
    s = report("scalar Python loop", scalar, args.loop_reps)
    print(f"speed-up per replication: {e / b:.0f}x vs engine one at a time, "
          f"{s / b:.0f}x vs scalar Python loop (goal >= 100x)")  # fmt: skip


if __name__ == "__main__":
    main()
