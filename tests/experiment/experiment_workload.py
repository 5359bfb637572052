"""A small numpy block function for the experiment tests (test scaffolding, not product code)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from kriegsspiel.experiment import Block, block_seed_sequence


def normal_block(params: Mapping[str, Any], seed: int, block: Block) -> dict[str, pd.DataFrame]:
    """Per replication a normal draw (mean, scale) and a coin; plus a three-row series each."""
    rng = np.random.default_rng(block_seed_sequence(seed, block.index))
    noise = rng.standard_normal(block.size)
    main = pd.DataFrame(
        {
            "value": params.get("mean", 0.0) + params.get("scale", 1.0) * noise,
            "heads": rng.random(block.size) < 0.5,
        }
    )
    reps = np.repeat(np.arange(block.start, block.start + block.size), 3)
    series = pd.DataFrame(
        {
            "replication": reps,
            "hour": np.tile([0, 1, 2], block.size),
            "level": rng.random(reps.size),
        }
    )
    return {"replications": main, "series": series}
