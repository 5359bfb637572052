"""Aggregate battles as experiment tasks: the stochastic aggregate engine, block by block.

A two-sided battle of the textbook kind (one system per side) becomes a :class:`BlockTask`
whose parameters are plain numbers, so replications of it run, store, resume and compare like
any scenario's. Block ``k`` is :func:`kriegsspiel.aggregate.stochastic.simulate_block` with the
block's own size as the seeding block size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from kriegsspiel.aggregate import Engagement
from kriegsspiel.aggregate.stochastic import X_WINS, Y_WINS, resolve_method, simulate_block
from kriegsspiel.experiment.task import Block, BlockTask

__all__ = ["aggregate_block", "aggregate_task"]


def _engagement(params: Mapping[str, Any]) -> Engagement:
    t_max = params.get("t_max")
    return Engagement.homogeneous(
        params["law"],
        params["x0"],
        params["y0"],
        params["a"],
        params["b"],
        shape=params.get("shape") or None,
        t_max=math.inf if t_max is None else t_max,
        x_breakpoint=params.get("x_breakpoint", 0.0),
        y_breakpoint=params.get("y_breakpoint", 0.0),
    )


def aggregate_block(params: Mapping[str, Any], seed: int, block: Block) -> pd.DataFrame:
    """One block of an aggregate battle: who won, survivors, duration, events per replication."""
    eng = _engagement(params)
    out = simulate_block(
        eng, seed, block.index, method=params.get("method", "auto"), block_size=block.size
    )
    return pd.DataFrame(
        {
            "x_wins": out.winner == X_WINS,
            "y_wins": out.winner == Y_WINS,
            "x_final": out.x_final.sum(axis=1),
            "y_final": out.y_final.sum(axis=1),
            "duration": out.end_time,
            "steps": out.steps,
        }
    )


def aggregate_task(
    law: str,
    x0: float,
    y0: float,
    a: float,
    b: float,
    *,
    shape: Mapping[str, float] | None = None,
    t_max: float | None = None,
    x_breakpoint: float = 0.0,
    y_breakpoint: float = 0.0,
    method: str = "auto",
) -> BlockTask:
    """The task of an aggregate battle (checked now, so mistakes surface before any work)."""
    params: dict[str, Any] = {
        "law": law,
        "x0": x0,
        "y0": y0,
        "a": a,
        "b": b,
        "shape": dict(shape or {}),
        "t_max": t_max,
        "x_breakpoint": x_breakpoint,
        "y_breakpoint": y_breakpoint,
        "method": method,
    }
    resolve_method(_engagement(params), method)
    name = f"aggregate-{law}"
    return BlockTask.create(
        "kriegsspiel.experiment.aggregate_task:aggregate_block", params, scenario=name
    )
