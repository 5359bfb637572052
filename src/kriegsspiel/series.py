"""Daily engagement series: the project's generic CSV format and its strict loader.

The format is documented in ``docs/series-format.md``. In short: one row per day and side with
the columns ``day``, ``side``, ``strength``, ``losses``, ``reinforcements`` (and optionally
``strength:<system>``, ``losses:<system>``, ``reinforcements:<system>`` for weapon systems).
Day 0 gives each side's initial strength; reinforcements of day ``d`` land at the start of day
``d``; the strength of day ``d`` is counted at the end of day ``d``. The first side named in the
file is side X, the other side Y. A side is observed (strengths and/or losses on every day) or
unobserved (only its day-0 row, or later rows with those cells empty).

Every mistake raises :class:`~kriegsspiel.errors.InputError` naming the file, row and column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.errors import InputError

__all__ = [
    "QUANTITIES",
    "SHIPPED",
    "EngagementSeries",
    "SideSeries",
    "load_series",
    "load_shipped",
    "parse_series",
]

FloatArray = NDArray[np.float64]

QUANTITIES = ("strength", "losses", "reinforcements")
"""The per-side quantities; each may also be given per weapon system as ``<quantity>:<system>``."""

SHIPPED: Mapping[str, str] = {"iwojima": "iwojima/iwojima.csv"}
"""Series shipped with the package, by name, relative to ``kriegsspiel/datasets``."""

MAX_BYTES = 10_000_000
MAX_ROWS = 100_000
MAX_DAYS = 10_000
_REQUIRED = ("day", "side", *QUANTITIES)


@dataclass(frozen=True)
class SideSeries:
    """One side's series over days ``1..N`` (index ``d - 1`` holds day ``d``).

    Attributes:
        name: the side's label in the file.
        initial: strength at the start (day 0).
        strength: end-of-day strengths, or ``None`` if the side's strengths are not observed.
        losses: losses during each day (negative values are published corrections), or ``None``.
        reinforcements: arrivals (negative: withdrawals) at the start of each day; 0 when empty.
        systems: per weapon system (``<quantity>:<system>`` columns), each quantity's values
            indexed by day ``0..N`` (day 0: the initial strength; 0 for the other quantities).
    """

    name: str
    initial: float
    strength: FloatArray | None
    losses: FloatArray | None
    reinforcements: FloatArray
    systems: Mapping[str, Mapping[str, FloatArray]]

    @property
    def observed(self) -> bool:
        """Whether the side has an observed daily series (strengths or losses)."""
        return self.strength is not None or self.losses is not None

    @property
    def cumulative_losses(self) -> FloatArray | None:
        """Losses summed from day 1 to each day, or ``None`` if losses are not observed."""
        return None if self.losses is None else np.cumsum(self.losses)


@dataclass(frozen=True)
class EngagementSeries:
    """A two-sided daily series: side X (first in the file) and side Y, days ``1..N``."""

    x: SideSeries
    y: SideSeries
    source: str

    @property
    def days(self) -> NDArray[np.int64]:
        """The days ``1..N``."""
        return np.arange(1, self.x.reinforcements.size + 1, dtype=np.int64)

    @property
    def sides(self) -> tuple[SideSeries, SideSeries]:
        """``(x, y)``."""
        return self.x, self.y


def load_series(path: str | Path) -> EngagementSeries:
    """Read and validate a series file (at most 10 MB)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(p), f"a series file of at most {MAX_BYTES} bytes", size)
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(p), "a readable UTF-8 CSV file", type(exc).__name__) from None
    return parse_series(text, source=str(p))


def load_shipped(name: str) -> EngagementSeries:
    """Load a series shipped with the package (see :data:`SHIPPED`)."""
    if name not in SHIPPED:
        raise InputError("series", f"one of {', '.join(sorted(SHIPPED))}", name)
    ref = resources.files("kriegsspiel").joinpath("datasets", *SHIPPED[name].split("/"))
    return parse_series(ref.read_text(encoding="utf-8"), source=f"shipped:{name}")


@dataclass
class _Row:
    line: int
    day: int
    cells: dict[str, float | None]


def parse_series(text: str, source: str = "<series>") -> EngagementSeries:
    """Parse and validate the CSV ``text`` of a series (``source`` names it in errors)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise InputError(source, "a CSV file with a header row", "empty file")
    cols = [h.strip() for h in header]
    for col in _REQUIRED:
        if col not in cols:
            raise InputError(f"{source} row 1", f"a column {col!r}", ", ".join(cols))
    seen: set[str] = set()
    for col in cols:
        if col in seen:
            raise InputError(f"{source} row 1, column {col}", "each column once", "duplicate")
        seen.add(col)
        if col not in _REQUIRED and col.partition(":")[0] not in QUANTITIES:
            raise InputError(
                f"{source} row 1, column {col}",
                "day, side, strength, losses, reinforcements or <quantity>:<system>",
                col,
            )
        if ":" in col and not col.partition(":")[2].strip():
            raise InputError(f"{source} row 1, column {col}", "a system name after ':'", col)
    numeric = [c for c in cols if c not in ("day", "side")]
    by_side: dict[str, dict[int, _Row]] = {}
    for line, record in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise InputError(source, f"at most {MAX_ROWS} rows", line - 1)
        if not any(v.strip() for v in record):
            continue  # blank line
        if len(record) != len(cols):
            raise InputError(f"{source} row {line}", f"{len(cols)} cells", len(record))
        cell = dict(zip(cols, (v.strip() for v in record), strict=True))
        where = f"{source} row {line}"
        side = cell["side"]
        if not side:
            raise InputError(f"{where}, column side", "a side name", "empty")
        day = _day(cell["day"], f"{where}, column day")
        values = {c: _number(cell[c], f"{where}, column {c}") for c in numeric}
        rows = by_side.setdefault(side, {})
        if day in rows:
            first = rows[day].line
            raise InputError(
                f"{where}, column day", f"one row per day for {side} (row {first})", day
            )
        rows[day] = _Row(line, day, values)
    if not by_side:
        raise InputError(source, "at least one data row", "no rows")
    if len(by_side) != 2:
        raise InputError(f"{source}, column side", "exactly two sides", ", ".join(by_side))
    n_days = max(max(rows) for rows in by_side.values())
    if n_days < 1:
        raise InputError(f"{source}, column day", "rows for day 1 and later", "only day 0")
    names = list(by_side)
    built = [_side(name, by_side[name], n_days, numeric, source) for name in names]
    if not any(s.observed for s in built):
        raise InputError(source, "strengths or losses observed for at least one side", "none")
    return EngagementSeries(built[0], built[1], source)


def _day(text: str, where: str) -> int:
    try:
        day = int(text)
    except ValueError:
        raise InputError(where, "an integer day >= 0", text) from None
    if not 0 <= day <= MAX_DAYS:
        raise InputError(where, f"an integer day in 0..{MAX_DAYS}", day)
    return day


def _number(text: str, where: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(where, "a number", text) from None
    if not math.isfinite(value):
        raise InputError(where, "a finite number", text)
    return value


def _side(
    name: str, rows: dict[int, _Row], n_days: int, numeric: list[str], source: str
) -> SideSeries:
    """Check one side's rows and turn them into arrays."""
    if 0 not in rows:
        first = rows[min(rows)]
        raise InputError(f"{source} row {first.line}, column day", f"a day-0 row for {name}", None)
    start = rows[0]
    if start.cells["strength"] is None:
        raise InputError(f"{source} row {start.line}, column strength", "the initial strength")
    for col in numeric:
        value = start.cells[col]
        if not col.startswith("strength") and value not in (None, 0.0):
            raise InputError(f"{source} row {start.line}, column {col}", "empty or 0 on day 0")
    later = sorted(d for d in rows if d > 0)
    if later and later != list(range(1, n_days + 1)):
        missing = sorted(set(range(1, n_days + 1)) - set(later))[0]
        raise InputError(f"{source}, column day", f"a row for {name} on day {missing}", None)
    ordered = [rows[d] for d in range(n_days + 1)] if later else [start]
    columns = {c: _column(ordered, c, source) for c in numeric}
    for col, values in columns.items():
        if col.startswith("strength") and values is not None:
            negative = np.flatnonzero(values < 0)
            if negative.size:
                row = ordered[int(negative[0])].line
                raise InputError(f"{source} row {row}, column {col}", "a strength >= 0", None)
    systems: dict[str, dict[str, FloatArray]] = {}
    for quantity in QUANTITIES:
        parts = {
            c.partition(":")[2]: v
            for c, v in columns.items()
            if c.partition(":")[0] == quantity and ":" in c and v is not None
        }
        if parts:
            _check_sum(ordered, quantity, parts, columns[quantity], source)
        for system, values in parts.items():
            systems.setdefault(system, {})[quantity] = values
    strength, losses, reinf = columns["strength"], columns["losses"], columns["reinforcements"]
    zeros = np.zeros(n_days)
    return SideSeries(
        name=name,
        initial=float(start.cells["strength"]),
        strength=None if strength is None else strength[1:],
        losses=None if losses is None else losses[1:],
        reinforcements=zeros if reinf is None else np.nan_to_num(reinf[1:]),
        systems=systems,
    )


def _column(rows: list[_Row], col: str, source: str) -> FloatArray | None:
    """Values of ``col`` over days 0..N (day 0 as given), or ``None`` if never given after day 0.

    Strengths and losses must be given on every day or on none (days 1..N); reinforcements may
    be left empty on any day (empty means none).
    """
    values = np.array([np.nan if r.cells[col] is None else r.cells[col] for r in rows])
    if len(rows) == 1 or np.all(np.isnan(values[1:])):
        return None
    if not col.startswith("reinforcements"):
        gaps = np.flatnonzero(np.isnan(values[1:]))
        if gaps.size:
            row = rows[int(gaps[0]) + 1].line
            raise InputError(
                f"{source} row {row}, column {col}", "a value (this side gives it on other days)"
            )
        if np.isnan(values[0]):
            values[0] = 0.0
    return np.nan_to_num(values) if col.startswith("reinforcements") else values


def _check_sum(
    rows: list[_Row],
    quantity: str,
    parts: Mapping[str, FloatArray],
    total: FloatArray | None,
    source: str,
) -> None:
    """The per-system values a side gives for ``quantity`` must add up to its total each day."""
    where = f"{source} row {rows[-1].line}, column {quantity}"
    if total is None:
        raise InputError(where, f"totals besides {quantity}:{', '.join(parts)}")
    summed = np.sum(list(parts.values()), axis=0)
    bad = np.flatnonzero(np.abs(summed - total) > 0.5 + 1e-9 * np.abs(total))
    if bad.size:
        row = rows[int(bad[0])].line
        raise InputError(
            f"{source} row {row}, column {quantity}",
            f"the sum of the {quantity}:<system> columns",
            float(total[bad[0]]),
        )
