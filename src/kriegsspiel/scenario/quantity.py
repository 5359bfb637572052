"""Numbers with provenance: every figure names a source key or is an assumption with a range."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

MAX_TEXT = 2000
"""Longest free-text string (citations, notes) accepted from a file."""

MAX_NAME = 200
"""Longest display name accepted from a file."""

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
"""An identifier: letters, digits, ``_``, ``.``, ``-``; at most 64 characters."""

SourceKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]

FROZEN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class Frozen(BaseModel):
    """Base of every scenario model: immutable, unknown keys rejected."""

    model_config = FROZEN


class Provenance(Frozen):
    """Where a non-numeric fact (a time, a position, a weather period) comes from."""

    source: SourceKey | None = None
    assumption: bool = False
    note: Text | None = None

    @model_validator(mode="after")
    def _has_provenance(self) -> Provenance:
        if self.source is None and not self.assumption:
            raise ValueError('needs `source = "KEY"` or `assumption = true` with a `note`')
        return self


class Quantity(Frozen):
    """A number with its provenance.

    Either ``{ value = 11, source = "S14" }`` (a key of ``[sources]``) or
    ``{ value = 70, assumption = true, low = 50, high = 150, note = "..." }``.
    A sourced value may also carry the range the sources give (``low``/``high``).
    """

    value: float
    source: SourceKey | None = None
    assumption: bool = False
    low: float | None = None
    high: float | None = None
    note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_bare(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            raise ValueError(
                f"a bare number ({data}) has no provenance: write "
                f'{{ value = {data}, source = "KEY" }} or '
                f"{{ value = {data}, assumption = true, low = ..., high = ..., note = ... }}"
            )
        if not isinstance(data, dict | Quantity):
            raise ValueError(f'expected {{ value = <number>, source = "KEY" }}, got {data!r}')
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Quantity:
        for name in ("value", "low", "high"):
            v = getattr(self, name)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{name} must be a finite number")
        if self.assumption:
            if self.low is None or self.high is None:
                raise ValueError("an assumption needs `low` and `high`")
        elif self.source is None:
            raise ValueError('needs `source = "KEY"` or `assumption = true` with `low`/`high`')
        if (self.low is None) != (self.high is None):
            raise ValueError("give both `low` and `high`, or neither")
        if (
            self.low is not None
            and self.high is not None
            and not (self.low <= self.value <= self.high)
        ):
            got = f"{self.low}, {self.value}, {self.high}"
            raise ValueError(f"needs low <= value <= high (got {got})")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """The range ``(low, high)``; a point range at ``value`` when none is given."""
        lo = self.value if self.low is None else self.low
        hi = self.value if self.high is None else self.high
        return lo, hi


def _check_all(q: Quantity, ok: Callable[[float], bool], rule: str) -> Quantity:
    for name in ("value", "low", "high"):
        v = getattr(q, name)
        if v is not None and not ok(v):
            raise ValueError(rule if name == "value" else f"{name} {rule}")
    return q


def _positive(q: Quantity) -> Quantity:
    return _check_all(q, lambda v: v > 0, "must be > 0")


def _non_negative(q: Quantity) -> Quantity:
    return _check_all(q, lambda v: v >= 0, "must be >= 0")


def _fraction(q: Quantity) -> Quantity:
    return _check_all(q, lambda v: 0 <= v <= 1, "must be between 0 and 1")


PositiveQ = Annotated[Quantity, AfterValidator(_positive)]
"""A Quantity whose value (and range) is > 0."""
NonNegativeQ = Annotated[Quantity, AfterValidator(_non_negative)]
"""A Quantity whose value (and range) is >= 0."""
FractionQ = Annotated[Quantity, AfterValidator(_fraction)]
"""A Quantity between 0 and 1."""


def _surprise_level(q: Quantity) -> Quantity:
    return _check_all(q, lambda v: 0 <= v <= 3, "must be between 0 (no surprise) and 3 (complete)")


SurpriseQ = Annotated[Quantity, AfterValidator(_surprise_level)]
"""A QJM surprise level: 0 none, 1 minor, 2 substantial, 3 complete (in between interpolates)."""

Count = Annotated[dict[Id, NonNegativeQ], Field(max_length=64)]
"""Counts by id (weapons, vehicles, aircraft): at most 64 kinds."""
