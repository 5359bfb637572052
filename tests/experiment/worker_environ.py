"""A block function reporting the malloc setting of the process that ran it (test scaffolding)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from kriegsspiel.experiment import Block


def malloc_block(params: Mapping[str, Any], seed: int, block: Block) -> pd.DataFrame:
    """One row per replication: MALLOC_TRIM_THRESHOLD_ in this process ("" if unset)."""
    value = os.environ.get("MALLOC_TRIM_THRESHOLD_", "")
    return pd.DataFrame({"malloc_trim": [value] * block.size})
