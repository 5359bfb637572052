"""Reading a user's battle table (CSV with the columns of the shipped CDB90 summary)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kriegsspiel.errors import KriegsspielError

__all__ = ["MAX_BYTES", "read_battles"]

#: Largest battle file accepted (bytes).
MAX_BYTES = 20_000_000


def read_battles(path: Path) -> pd.DataFrame:
    """Read ``path`` as text cells (no type guessing); checking is left to the model inputs.

    Raises:
        KriegsspielError: the file is missing, too large, not CSV or has no data rows.
    """
    if not path.is_file():
        raise KriegsspielError(f"{path}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise KriegsspielError(f"{path}: larger than {MAX_BYTES} bytes")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KriegsspielError(f"{path}: not a readable CSV file ({first})") from None
    if table.empty:
        raise KriegsspielError(f"{path}: no battle rows")
    table.columns = [str(c).strip() for c in table.columns]
    return table
