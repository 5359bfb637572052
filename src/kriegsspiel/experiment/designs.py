"""Designs of experiments: grids and Latin hypercubes of parameter values, one run per point.

A design folder holds ``design.json`` (the points, seed, replications, block size) and one
ordinary run folder per point (``point-00000/`` ...). Every point runs with the same seed, so
points share their random numbers (common random numbers) and differences between points are
the parameters' doing, not the dice's. A design resumes like a single run.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kriegsspiel.errors import InputError, KriegsspielError
from kriegsspiel.experiment.backends import Backend
from kriegsspiel.experiment.results import Results
from kriegsspiel.experiment.runner import DEFAULT_BLOCK_SIZE, run_many
from kriegsspiel.experiment.store import json_bytes, write_atomic
from kriegsspiel.experiment.task import BlockTask

__all__ = ["Design", "DesignResults", "check_ranges", "grid_design", "lhs_design", "run_design"]

DESIGN_FORMAT = "kriegsspiel-design/1"
_MAX_POINTS = 100_000


@dataclass(frozen=True)
class Design:
    """Named points in parameter space (each a mapping of key path to value)."""

    kind: str
    points: tuple[dict[str, Any], ...]

    def frame(self) -> pd.DataFrame:
        """The points as a table, one row per point."""
        return pd.DataFrame(list(self.points))


def grid_design(values: Mapping[str, Sequence[Any]]) -> Design:
    """Every combination of the listed values (the first key varies slowest)."""
    if not values:
        raise InputError("--grid", "at least one key=v1,v2,...")
    for key, vals in values.items():
        if len(vals) == 0:
            raise InputError(f"--grid {key}", "at least one value")
    count = int(np.prod([len(v) for v in values.values()]))
    if count > _MAX_POINTS:
        raise InputError("--grid", f"at most {_MAX_POINTS} points", count)
    keys = list(values)
    return Design(
        "grid",
        tuple(dict(zip(keys, combo, strict=True)) for combo in itertools.product(*values.values())),
    )


def check_ranges(ranges: Mapping[str, tuple[float, float]], flag: str) -> None:
    """Every range finite with low < high (``flag`` names the option in errors)."""
    if not ranges:
        raise InputError(flag, "at least one key=low:high")
    for key, (low, high) in ranges.items():
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise InputError(f"{flag} {key}", "finite low < high", f"{low}:{high}")


def lhs_design(ranges: Mapping[str, tuple[float, float]], samples: int, seed: int) -> Design:
    """A Latin hypercube: each range cut into ``samples`` strata, each stratum used once."""
    check_ranges(ranges, "--lhs")
    if not 1 <= samples <= _MAX_POINTS:
        raise InputError("--samples", f"a whole number in 1..{_MAX_POINTS}", samples)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    points: list[dict[str, Any]] = [{} for _ in range(samples)]
    for key, (low, high) in ranges.items():
        u = (rng.permutation(samples) + rng.random(samples)) / samples
        for point, value in zip(points, low + u * (high - low), strict=True):
            point[key] = float(value)
    return Design("lhs", tuple(points))


@dataclass(frozen=True)
class DesignResults:
    """The runs of a design, one per point, in point order."""

    root: Path
    design: Design
    runs: tuple[Results, ...]

    def summary(self, metric: str, statistic: str = "mean") -> pd.DataFrame:
        """The design table with ``metric`` summarised over each point's replications."""
        values = []
        for run in self.runs:
            frame = run.frame()
            if metric not in frame.columns:
                known = ", ".join(map(str, frame.columns))
                raise KriegsspielError(
                    f"--metric {metric}: not a column of {run.root} (has {known})"
                )
            column = frame[metric].astype(np.float64)
            values.append(float(column.mean() if statistic == "mean" else column.agg(statistic)))
        table = self.design.frame()
        table[metric] = values
        return table


def point_folder(root: Path, index: int) -> Path:
    """The run folder of design point ``index``."""
    return root / f"point-{index:05d}"


def _claim(root: Path, record: dict[str, Any], resume: bool) -> None:
    path = root / "design.json"
    if path.exists():
        try:
            old = json.loads(path.read_bytes())
        except (OSError, ValueError):
            raise KriegsspielError(f"{path}: not a readable design") from None
        if old != record:
            raise KriegsspielError(f"{root} holds a different design; choose another output folder")
        if not resume:
            raise KriegsspielError(f"{root} already holds this design; add --resume to finish it")
        return
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise KriegsspielError(f"{root} is not empty and holds no kriegsspiel design")
    try:
        write_atomic(path, json_bytes(record))
    except OSError as exc:
        raise KriegsspielError(f"cannot write {path}: {exc.strerror}") from None


def run_design(
    task_for: Callable[[Mapping[str, Any]], BlockTask],
    design: Design,
    out: str | Path,
    *,
    replications: int,
    seed: int,
    block_size: int = DEFAULT_BLOCK_SIZE,
    backend: Backend | None = None,
    resume: bool = False,
    progress: bool = True,
) -> DesignResults:
    """Run every point of ``design`` (``task_for(point)`` builds its task) into ``out``."""
    root = Path(out)
    tasks = [task_for(point) for point in design.points]  # validates every point before work
    record = {
        "format": DESIGN_FORMAT,
        "kind": design.kind,
        "points": json.loads(json.dumps(list(design.points))),
        "scenario": tasks[0].scenario if tasks else None,
        "seed": seed,
        "replications": replications,
        "block_size": block_size,
    }
    _claim(root, record, resume)
    runs = run_many(
        [(point_folder(root, i), task) for i, task in enumerate(tasks)],
        replications=replications,
        seed=seed,
        block_size=block_size,
        backend=backend,
        resume=resume,
        progress=progress,
    )
    return DesignResults(root, design, tuple(runs))
