"""A block function reporting the malloc and profiler settings of the process that ran it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dask.config
import pandas as pd

from kriegsspiel.experiment import Block


def malloc_block(params: Mapping[str, Any], seed: int, block: Block) -> pd.DataFrame:
    """One row per replication: MALLOC_TRIM_THRESHOLD_ ("" if unset) and Dask's profiler switch."""
    value = os.environ.get("MALLOC_TRIM_THRESHOLD_", "")
    profiler = bool(dask.config.get("distributed.worker.profile.enabled"))
    return pd.DataFrame({"malloc_trim": [value] * block.size, "profiler": [profiler] * block.size})
