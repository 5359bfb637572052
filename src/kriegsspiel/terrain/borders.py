"""The border rule: cells a side may enter, given a border line and which side of it is home.

The border polyline is traced as an 8-connected chain of barrier cells (prolonged to the map edge
at both ends when the line asks for it). The map minus the barrier is split into 4-connected
regions (``scipy.ndimage.label``); a side may enter its home region and the barrier cells
themselves (the line runs along crests that the side may hold), and nothing else. Water is not
part of the barrier: it is impassable for movement anyway, and the home region reaches round it.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from kriegsspiel.errors import InputError

__all__ = ["Compass", "allowed_region"]

BoolArray = NDArray[np.bool_]
Compass = Literal["east", "west", "north", "south"]


def allowed_region(barrier: BoolArray, home: Compass | tuple[int, int], what: str) -> BoolArray:
    """Cells reachable from ``home`` without crossing ``barrier``, plus the barrier itself.

    Args:
        barrier: cells of the border line.
        home: a compass side of the line, or the ``(row, col)`` of a home reference cell.
        what: field name for error messages.

    Raises:
        InputError: the home cell is on the line, or the line never crosses the map.
    """
    labels, _ = ndimage.label(~barrier)
    if isinstance(home, tuple):
        label = int(labels[home])
        if label == 0:
            raise InputError(what, "a home reference point that is not on the border line")
    else:
        label = _label_beside(barrier, labels, home, what)
    allowed: BoolArray = (labels == label) | barrier
    return allowed


def _label_beside(barrier: BoolArray, labels: NDArray[np.int32], home: Compass, what: str) -> int:
    """The region lying on the ``home`` side of the line, by majority over rows or columns."""
    grid = barrier if home in ("east", "west") else barrier.T
    lab = labels if home in ("east", "west") else labels.T
    lines = np.flatnonzero(grid.any(axis=1))
    n = grid.shape[1]
    if home in ("east", "north"):
        idx = n - 1 - np.argmax(grid[lines, ::-1], axis=1) + 1
        ok = idx < n
    else:
        idx = np.argmax(grid[lines], axis=1) - 1
        ok = idx >= 0
    found = lab[lines[ok], idx[ok]]
    found = found[found > 0]
    if found.size == 0:
        raise InputError(what, f"a border line with map cells on its {home} side")
    return int(np.bincount(found).argmax())
