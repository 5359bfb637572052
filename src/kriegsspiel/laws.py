"""Attrition laws: one small contract and a registry by name.

Every law here is a member of the Bracken/Helmbold family. For two sides X and Y with
strengths ``x`` and ``y`` (vectors over weapon systems for heterogeneous forces) the loss
rates are::

    loss_x[i] = x[i]**qx * sum_j A[i, j] * y[j]**px
    loss_y[j] = y[j]**qy * sum_i B[j, i] * x[i]**py

``A[i, j]`` is the rate at which one unit of Y's system ``j`` kills X's system ``i`` (the
homogeneous case is ``A = [[a]]``). A law only fixes the exponents ``(px, qx, py, qy)``:

========== ============================== ==================================================
name       exponents                      meaning
========== ============================== ==================================================
square     px=py=1, qx=qy=0               aimed fire: losses grow with the enemy's numbers
linear     px=py=1, qx=qy=1               area fire: losses grow with both sides' numbers
logarithm. px=py=0, qx=qy=1               losses proportional to own numbers (Peterson)
mixed      px=1, qx=0; py=1, qy=1         X under aimed fire, Y under area fire (Deitchman)
generalized px=py=p, qx=qy=q (free)       dX/dt = -a Y^p X^q, dY/dt = -b X^p Y^q
========== ============================== ==================================================

Laws are pure: :meth:`Law.rates` takes arrays and returns arrays, with any leading batch shape,
so the ODE engine, the stochastic batch and the tactical engine share them. A system with zero
strength neither fires nor takes losses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.errors import InputError

__all__ = ["LAWS", "Exponents", "Law", "get_law", "helmbold_rates", "law_names", "register"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Exponents:
    """The four exponents of the Helmbold form (see the module docstring)."""

    px: float
    qx: float
    py: float
    qy: float


@dataclass(frozen=True)
class Law:
    """An attrition law: a name, its shape parameters and how they set the exponents.

    Attributes:
        name: registry key.
        summary: one line for ``--help`` and reports.
        shape_params: names of the law's own parameters besides the kill rates ``a``, ``b``
            (``("p", "q")`` for the generalized law, empty otherwise).
        exponents_of: maps the shape parameters to the exponents.
    """

    name: str
    summary: str
    shape_params: tuple[str, ...]
    exponents_of: Callable[[Mapping[str, float]], Exponents]

    def exponents(self, shape: Mapping[str, float] | None = None) -> Exponents:
        """Return the exponents for ``shape`` after checking it names exactly this law's params."""
        shape = dict(shape or {})
        missing = [k for k in self.shape_params if k not in shape]
        extra = [k for k in shape if k not in self.shape_params]
        if missing:
            raise InputError(f"law {self.name}", f"needs parameter(s) {', '.join(missing)}")
        if extra:
            raise InputError(f"law {self.name}", f"takes no parameter {', '.join(extra)}")
        for key, value in shape.items():
            if not np.isfinite(value) or value < 0:
                raise InputError(key, "a finite number >= 0", value)
        return self.exponents_of(shape)

    def rates(
        self,
        x: FloatArray,
        y: FloatArray,
        a: FloatArray,
        b: FloatArray,
        shape: Mapping[str, float] | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Loss rates of X and Y.

        Args:
            x: X's strengths, shape ``(..., m)``.
            y: Y's strengths, shape ``(..., n)``.
            a: kill rates of Y's systems against X's, shape ``(m, n)``.
            b: kill rates of X's systems against Y's, shape ``(n, m)``.
            shape: the law's shape parameters.

        Returns:
            ``(loss_x, loss_y)`` with the shapes of ``x`` and ``y``; never negative.
        """
        e = self.exponents(shape)
        return helmbold_rates(x, y, a, b, e)


def _power(v: FloatArray, exponent: float, alive: NDArray[np.bool_] | None) -> FloatArray:
    """``max(v, 0)**exponent`` for live systems and 0 for dead ones (``0**0`` revives nobody).

    A system is alive where ``alive`` says so, or where ``v > 0`` when no mask is given.
    """
    live = v > 0 if alive is None else alive
    return np.where(live, np.power(np.where(live, np.maximum(v, 0.0), 1.0), exponent), 0.0)


def helmbold_rates(
    x: FloatArray,
    y: FloatArray,
    a: FloatArray,
    b: FloatArray,
    e: Exponents,
    alive: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Loss rates of the Helmbold form for given exponents (the kernel behind every law).

    ``alive`` (masks for X and Y) overrides "alive means strength > 0"; the ODE engine uses it
    so that a system's strength crosses zero smoothly and the crossing can be detected.
    """
    ax, ay = (None, None) if alive is None else alive
    loss_x = _power(x, e.qx, ax) * (_power(y, e.px, ay) @ a.T)
    loss_y = _power(y, e.qy, ay) * (_power(x, e.py, ax) @ b.T)
    return loss_x, loss_y


LAWS: dict[str, Law] = {}


def register(law: Law) -> Law:
    """Add ``law`` to the registry (a name may be registered once)."""
    if law.name in LAWS:
        raise ValueError(f"law {law.name!r} is already registered")
    LAWS[law.name] = law
    return law


def law_names() -> list[str]:
    """Registered law names, sorted."""
    return sorted(LAWS)


def get_law(name: str) -> Law:
    """Look a law up by name; an unknown name is a user error that lists the known ones."""
    try:
        return LAWS[name]
    except KeyError:
        raise InputError("law", f"one of {', '.join(law_names())}", name) from None


register(Law("square", "aimed fire: dX/dt = -a Y", (), lambda s: Exponents(1.0, 0.0, 1.0, 0.0)))
register(Law("linear", "area fire: dX/dt = -a X Y", (), lambda s: Exponents(1.0, 1.0, 1.0, 1.0)))
register(
    Law("logarithmic", "own-strength losses: dX/dt = -a X", (), lambda s: Exponents(0, 1, 0, 1))
)
register(
    Law(
        "mixed",
        "X under aimed fire, Y under area fire: dX/dt = -a Y, dY/dt = -b X Y",
        (),
        lambda s: Exponents(1.0, 0.0, 1.0, 1.0),
    )
)
register(
    Law(
        "generalized",
        "Bracken/Helmbold: dX/dt = -a Y^p X^q, dY/dt = -b X^p Y^q",
        ("p", "q"),
        lambda s: Exponents(s["p"], s["q"], s["p"], s["q"]),
    )
)
