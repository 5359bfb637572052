"""What an aggregate battle is: two sides, a law, kill rates, reinforcements and breakpoints.

An :class:`Engagement` is validated once when built, so the engines can trust it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kriegsspiel.errors import InputError
from kriegsspiel.laws import Exponents, Law, get_law

__all__ = ["Engagement", "Reinforcement", "Side"]

FloatArray = NDArray[np.float64]


def _vector(value: ArrayLike, field_name: str) -> FloatArray:
    arr = np.atleast_1d(np.asarray(value, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(field_name, "a number or a non-empty list of numbers")
    if not np.all(np.isfinite(arr)):
        raise InputError(field_name, "finite numbers", value)
    return arr


@dataclass(frozen=True)
class Reinforcement:
    """``amount`` (per weapon system; negative for a withdrawal) joins a side at ``time``."""

    time: float
    amount: FloatArray


@dataclass(frozen=True)
class Side:
    """One side of an engagement.

    Attributes:
        strength: initial strength per weapon system.
        systems: names of the weapon systems (same length as ``strength``).
        breakpoint: the side stops fighting when its total strength falls to this fraction of
            its committed strength (initial plus reinforcements so far); 0 means to the last man.
        quit_time: the side stops fighting at this time (``None``: never).
        reinforcements: arrivals and withdrawals, sorted by time.
    """

    strength: FloatArray
    systems: tuple[str, ...]
    breakpoint: float = 0.0
    quit_time: float | None = None
    reinforcements: tuple[Reinforcement, ...] = field(default=())

    @classmethod
    def build(
        cls,
        name: str,
        strength: ArrayLike,
        systems: Sequence[str] | None = None,
        breakpoint: float = 0.0,
        quit_time: float | None = None,
        reinforcements: Sequence[tuple[float, ArrayLike]] = (),
    ) -> Side:
        """Validate and build a side; ``name`` prefixes the field names in error messages."""
        s = _vector(strength, f"{name}.strength")
        if np.any(s < 0):
            raise InputError(f"{name}.strength", "numbers >= 0", strength)
        names = tuple(systems) if systems is not None else tuple(f"s{i}" for i in range(s.size))
        if len(names) != s.size:
            raise InputError(f"{name}.systems", f"{s.size} names, one per strength", len(names))
        if not (np.isfinite(breakpoint) and 0.0 <= breakpoint < 1.0):
            raise InputError(f"{name}.breakpoint", "a fraction in [0, 1)", breakpoint)
        if quit_time is not None and not (np.isfinite(quit_time) and quit_time > 0):
            raise InputError(f"{name}.quit_time", "a finite time > 0", quit_time)
        arrivals = []
        for k, (time, amount) in enumerate(reinforcements):
            where = f"{name}.reinforcements[{k}]"
            if not (np.isfinite(time) and time >= 0):
                raise InputError(f"{where}.time", "a finite time >= 0", time)
            amt = _vector(amount, f"{where}.amount")
            if amt.size != s.size:
                raise InputError(f"{where}.amount", f"{s.size} values, one per system", amt.size)
            arrivals.append(Reinforcement(float(time), amt))
        arrivals.sort(key=lambda r: r.time)
        return cls(s, names, float(breakpoint), quit_time, tuple(arrivals))

    @property
    def total(self) -> float:
        """Initial total strength."""
        return float(self.strength.sum())


@dataclass(frozen=True)
class Engagement:
    """A two-sided aggregate battle.

    Attributes:
        law: the attrition law.
        x, y: the sides.
        a: kill rates of Y's systems against X's systems, shape ``(m, n)``.
        b: kill rates of X's systems against Y's systems, shape ``(n, m)``.
        shape: the law's shape parameters (``p``, ``q`` for the generalized law).
        t_max: the battle ends at this time if nothing else ends it.
    """

    law: Law
    x: Side
    y: Side
    a: FloatArray
    b: FloatArray
    shape: Mapping[str, float]
    t_max: float

    @classmethod
    def build(
        cls,
        law: str | Law,
        x: Side,
        y: Side,
        a: ArrayLike,
        b: ArrayLike,
        shape: Mapping[str, float] | None = None,
        t_max: float = np.inf,
    ) -> Engagement:
        """Validate and build; ``a`` and ``b`` may be scalars for one-system sides."""
        law_obj = get_law(law) if isinstance(law, str) else law
        m, n = x.strength.size, y.strength.size
        a_mat = _matrix(a, (m, n), "a")
        b_mat = _matrix(b, (n, m), "b")
        law_obj.exponents(shape)  # validates the shape parameters
        if np.isnan(t_max) or t_max <= 0:
            raise InputError("t_max", "a time > 0", t_max)
        return cls(law_obj, x, y, a_mat, b_mat, dict(shape or {}), float(t_max))

    @classmethod
    def homogeneous(
        cls,
        law: str | Law,
        x0: float,
        y0: float,
        a: float,
        b: float,
        *,
        shape: Mapping[str, float] | None = None,
        t_max: float = np.inf,
        x_breakpoint: float = 0.0,
        y_breakpoint: float = 0.0,
    ) -> Engagement:
        """A battle of two single-system sides: the textbook case."""
        return cls.build(
            law,
            Side.build("x", x0, breakpoint=x_breakpoint),
            Side.build("y", y0, breakpoint=y_breakpoint),
            a,
            b,
            shape,
            t_max,
        )

    @property
    def exponents(self) -> Exponents:
        """The law's exponents for this engagement's shape parameters."""
        return self.law.exponents(self.shape)

    @property
    def end_time(self) -> float:
        """The time limit: ``t_max`` or the earlier quit time of a side."""
        times = [self.t_max] + [s.quit_time for s in (self.x, self.y) if s.quit_time is not None]
        return float(min(times))


def _matrix(value: ArrayLike, shape: tuple[int, int], name: str) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        if shape != (1, 1):
            raise InputError(name, f"a {shape[0]}x{shape[1]} kill-rate matrix", float(arr))
        arr = arr.reshape(1, 1)
    if arr.shape != shape:
        raise InputError(name, f"a {shape[0]}x{shape[1]} kill-rate matrix", arr.shape)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise InputError(name, "finite kill rates >= 0", value)
    return arr
