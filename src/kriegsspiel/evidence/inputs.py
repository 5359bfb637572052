"""Pre-battle inputs of the evidence model: which columns, how they are checked, what they mean.

The model reads only what is known before a battle. :data:`INPUT_COLUMNS` lists every column
it reads; any other column of the table (outcome, casualties, final strengths, advance, the
after-the-fact advantage judgements ``cea``, ``surpa``, ``aeroa``, ...) is never looked at.
:func:`check_inputs` turns raw text cells into clean values and sets aside rows it cannot use,
with a message naming the row and the column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from kriegsspiel.datasets.cdb90 import load_codes
from kriegsspiel.errors import KriegsspielError

__all__ = [
    "ARMY_COLUMNS",
    "FORBIDDEN_COLUMNS",
    "INPUT_COLUMNS",
    "NUMERIC_COLUMNS",
    "Rejection",
    "check_inputs",
]

#: Numeric cells that must be present, with the smallest value allowed (exclusive).
_REQUIRED_POSITIVE = ("att_str", "def_str", "duration2_days")
_REQUIRED_FINITE = ("year",)
#: Numeric cells that may be empty (not reported), with their lower bound (inclusive 0).
_OPTIONAL_COUNTS = ("att_tank", "def_tank", "att_arty", "def_arty", "att_fly", "def_fly")
_OPTIONAL_POSITIVE = ("wofa_km", "wofd_km")
#: Code cells: column -> code list; ``may_be_empty`` says whether a blank cell is allowed.
_CODES: dict[str, tuple[str, bool]] = {
    "post1": ("post", True),
    "postype": ("postype", False),
    "terra1": ("terra1", True),
    "terra2": ("terra2", True),
    "wx1": ("wx1", False),
    "wx2": ("wx2", True),
    "wx3": ("wx3", False),
    "wx4": ("wx4", False),
    "wx5": ("wx5", False),
    "att_code": ("codead", True),
    "def_code": ("codead", True),
}

#: Optional text columns: who fights and in which war. A column may be absent (no effect).
ARMY_COLUMNS: tuple[str, ...] = ("att_army", "def_army", "war")
#: Longest army or war name accepted (characters).
MAX_NAME_LENGTH = 200

#: The numeric input columns (the others are codes and names).
NUMERIC_COLUMNS: tuple[str, ...] = (
    *_REQUIRED_POSITIVE,
    *_REQUIRED_FINITE,
    *_OPTIONAL_COUNTS,
    *_OPTIONAL_POSITIVE,
)

#: Every column the model reads.
INPUT_COLUMNS: tuple[str, ...] = (
    *_REQUIRED_POSITIVE,
    *_REQUIRED_FINITE,
    *_OPTIONAL_COUNTS,
    *_OPTIONAL_POSITIVE,
    *_CODES,
    *ARMY_COLUMNS,
)

#: Columns that describe the outcome or judge the battle afterwards: never model inputs.
FORBIDDEN_COLUMNS: tuple[str, ...] = (
    "att_cas", "def_cas", "att_finst", "def_finst", "att_ctank", "def_ctank",
    "att_carty", "def_carty", "wina_fixed", "wina", "kmda_fixed", "kmda", "crit",
    "cea", "surpa", "aeroa", "leada", "trnga", "morala", "logsa", "momnta", "intela",
    "techa", "inita", "duration1_days", "datetime_max",
)  # fmt: skip


@dataclass(frozen=True)
class Rejection:
    """A row the model cannot use: its 1-based data row, the column and what was wrong."""

    row: int
    isqno: str | None
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"row": self.row, "isqno": self.isqno, "column": self.column, "error": self.message}


class _CellError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _text(raw: object) -> str:
    """A cell as stripped text; missing cells (None, NaN, NA) are empty."""
    return (
        ""
        if raw is None or raw is pd.NA or (isinstance(raw, float) and math.isnan(raw))
        else str(raw).strip()
    )


def _number(column: str, raw: object, *, required: bool, positive: bool) -> float:
    text = _text(raw)
    if text == "":
        if required:
            raise _CellError(column, "a number is required (cell is empty)")
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise _CellError(column, f"a number (got {text!r})") from None
    if not math.isfinite(value):
        raise _CellError(column, f"a finite number (got {text!r})")
    if positive and value <= 0:
        raise _CellError(column, f"a number > 0 (got {text!r})")
    if value < 0:
        raise _CellError(column, f"a number >= 0 (got {text!r})")
    return value


def _code(column: str, raw: object) -> str | None:
    codes_name, may_be_empty = _CODES[column]
    text = _text(raw)
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        text = text[:-2]
    if text == "":
        if may_be_empty:
            return None
        raise _CellError(column, "a code is required (cell is empty)")
    known = load_codes(codes_name)
    if text not in known:
        raise _CellError(column, f"one of the codes {', '.join(sorted(known))} (got {text!r})")
    # in the terrain lists "0" means "other or not available": the reference level
    return None if text == "0" and column.startswith("terra") else text


def _name(column: str, raw: object) -> str | None:
    """An army or war name: upper case, runs of white space as one space; None when empty."""
    text = " ".join(_text(raw).upper().split())
    if len(text) > MAX_NAME_LENGTH:
        raise _CellError(column, f"a name of at most {MAX_NAME_LENGTH} characters")
    return text or None


def _clean_row(row: pd.Series) -> dict[str, object]:
    out: dict[str, object] = {}
    for col in _REQUIRED_POSITIVE:
        out[col] = _number(col, row[col], required=True, positive=True)
    for col in _REQUIRED_FINITE:
        value = _number(col, row[col], required=True, positive=False)
        if not 1000 <= value <= 2100:
            raise _CellError(col, f"a year between 1000 and 2100 (got {row[col]!r})")
        out[col] = value
    for col in _OPTIONAL_COUNTS:
        out[col] = _number(col, row[col], required=False, positive=False)
    for col in _OPTIONAL_POSITIVE:
        out[col] = _number(col, row[col], required=False, positive=True)
    for col in _CODES:
        out[col] = _code(col, row[col])
    for col in ARMY_COLUMNS:
        out[col] = _name(col, row.get(col))
    return out


def check_inputs(table: pd.DataFrame) -> tuple[pd.DataFrame, list[Rejection]]:
    """Clean the model inputs of ``table`` and list the rows that cannot be used.

    Args:
        table: one battle per row with (at least) the columns :data:`INPUT_COLUMNS`, as
            numbers or as raw text cells; the :data:`ARMY_COLUMNS` may be absent (no army
            effect). Other columns are ignored.

    Returns:
        ``(clean, rejected)``: ``clean`` holds the usable rows (index kept) with numeric
        columns as floats (NaN where an optional count or width is not reported), code
        columns as strings or None (not stated) and names upper case or None (not given);
        ``rejected`` names each other row's first bad cell.

    Raises:
        KriegsspielError: a required column is missing from the table.
    """
    missing = [c for c in INPUT_COLUMNS if c not in table.columns and c not in ARMY_COLUMNS]
    if missing:
        raise KriegsspielError(f"battle table: missing required column(s) {', '.join(missing)}")
    has_id = "isqno" in table.columns
    rows: dict[object, dict[str, object]] = {}
    rejected: list[Rejection] = []
    for position, (index, row) in enumerate(table.iterrows(), start=1):
        try:
            rows[index] = _clean_row(row)
        except _CellError as err:
            isqno = str(row["isqno"]).strip() if has_id else None
            rejected.append(Rejection(position, isqno, err.column, err.message))
    clean = pd.DataFrame.from_dict(rows, orient="index", columns=list(INPUT_COLUMNS))
    clean = clean.astype(dict.fromkeys(NUMERIC_COLUMNS, float))
    return clean, rejected
