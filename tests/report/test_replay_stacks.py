"""Units on one spot in a khasan-1938 replay: fanned apart, each tied to its true position.

``kriegsspielReplay.units()`` reads back every unit symbol (and ghost) of the last redraw: its
box as drawn, the centre it is drawn at and its true position, in page pixels.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from replay_view import at_time, overlap, zoom

from kriegsspiel.report.replay_data import ReplayData

pytestmark = pytest.mark.browser

MAX_ZOOM_NOTCHES = 5  # the page stops at 6 times the fitted scale (4 notches make 6.05)


def _stack(data: ReplayData) -> tuple[float, list[int]]:
    """The frame time at which most units stand on exactly one point, and those units."""
    best: tuple[int, float, list[int]] = (0, 0.0, [])
    for f in range(data.times.size):
        on = np.flatnonzero(~np.isnan(data.x[f]))
        spots = np.stack([data.x[f, on], data.y[f, on]], axis=1)
        _, where, counts = np.unique(spots, axis=0, return_inverse=True, return_counts=True)
        if counts.max() > best[0]:
            units = [int(u) for u in on[where.ravel() == counts.argmax()]]
            best = (int(counts.max()), float(data.times[f]), units)
    return best[1], best[2]


def _units(page: Any) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = page.evaluate("kriegsspielReplay.units()")
    return units


def _at_true(u: dict[str, Any]) -> dict[str, float]:
    """The unit's drawn box moved to its true position."""
    box = u["box"]
    dx, dy = u["true"]["x"] - u["drawn"]["x"], u["true"]["y"] - u["drawn"]["y"]
    return {"x": box["x"] + dx, "y": box["y"] + dy, "w": box["w"], "h": box["h"]}


def _grown(box: dict[str, float]) -> dict[str, float]:
    """The box 1 px wider on every side: boxes closer than 1 px touch."""
    return {"x": box["x"] - 1, "y": box["y"] - 1, "w": box["w"] + 2, "h": box["h"] + 2}


def _overlapping(boxes: list[dict[str, float]]) -> int:
    return sum(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def _alone(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The units whose symbol at its true position touches no other symbol, drawn or true."""
    out = []
    for i, u in enumerate(units):
        here = _grown(_at_true(u))
        others = [b for j, v in enumerate(units) if j != i for b in (v["box"], _at_true(v))]
        if not any(overlap(here, b) for b in others):
            out.append(u)
    return out


def _offset(u: dict[str, Any]) -> float:
    return math.hypot(u["drawn"]["x"] - u["true"]["x"], u["drawn"]["y"] - u["true"]["y"])


def _opened_at_stack(open_page: Any, khasan: tuple[ReplayData, Path]) -> tuple[Any, list[int]]:
    """The replay opened at the frame where most units stand on one point, and those units."""
    data, path = khasan
    t, stacked = _stack(data)
    opened = open_page(path)
    at_time(opened.page, t)
    return opened, stacked


def test_units_on_one_spot_are_drawn_apart_near_their_true_position(
    open_page: Any, khasan: tuple[ReplayData, Path]
) -> None:
    data, _ = khasan
    opened, stacked = _opened_at_stack(open_page, khasan)
    assert len(stacked) >= 4  # several units on one point: what the fan-out is for
    page = opened.page
    for view in ["-1", *(str(i) for i in range(len(data.sides)))]:
        page.select_option("#view", view)
        units = _units(page)
        boxes = [u["box"] for u in units]
        assert _overlapping(boxes) == 0, view
        # within three of the largest symbol's diagonals of where the unit truly is
        reach = 3 * max(math.hypot(b["w"], b["h"]) for b in boxes)
        assert max(_offset(u) for u in units) <= reach, view
        # none moved that had room where it is
        assert [u["id"] for u in _alone(units) if _offset(u) > 1e-6] == [], view
        if view == "-1":
            assert _overlapping([_at_true(u) for u in units]) > 0  # at their true positions
            drawn = {u["unit"]: u for u in units}
            spot = [drawn[s] for s in stacked]
            assert len({(round(u["drawn"]["x"]), round(u["drawn"]["y"])) for u in spot}) == len(
                stacked
            )
            assert all(u["fanned"] for u in spot)
            truth = np.array([[u["true"]["x"], u["true"]["y"]] for u in spot])
            assert np.ptp(truth, axis=0).max() < 1e-3  # their dots: one point
    assert opened.errors == [] and opened.dialogs == []


def test_clicking_a_fanned_symbol_selects_that_unit(
    open_page: Any, khasan: tuple[ReplayData, Path]
) -> None:
    data, _ = khasan
    opened, stacked = _opened_at_stack(open_page, khasan)
    page = opened.page
    drawn = {u["unit"]: u for u in _units(page)}
    for u in stacked:
        page.mouse.click(drawn[u]["drawn"]["x"], drawn[u]["drawn"]["y"])
        assert page.locator("#d-name").inner_text() == data.units[u].name
        assert page.locator("#pick").input_value() == str(u)
    assert opened.errors == [] and opened.dialogs == []


def test_zoomed_far_in_a_unit_with_room_stands_at_its_true_position(
    open_page: Any, khasan: tuple[ReplayData, Path]
) -> None:
    opened, stacked = _opened_at_stack(open_page, khasan)
    page = opened.page
    fitted = {u["unit"]: u for u in _units(page)}
    spot = fitted[stacked[0]]["true"]
    zoom(page, spot["x"], spot["y"], MAX_ZOOM_NOTCHES)
    units = _units(page)
    assert _overlapping([u["box"] for u in units]) == 0
    alone = _alone(units)
    # every unit whose symbol at its true position touches no other symbol is drawn there
    assert [u["id"] for u in alone if _offset(u) > 1e-6] == []
    assert all(not u["fanned"] for u in alone)
    # among them some that were fanned out at the fitted view
    assert [u for u in alone if fitted[u["unit"]]["fanned"]] != []
    # units on one point can never have room: they stay fanned
    assert all(u["fanned"] for u in units if u["unit"] in stacked)
