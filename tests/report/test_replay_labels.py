"""The replay's map labels on a real khasan-1938 run: never on top of each other, objectives first.

The page places each label at the first free spot around its anchor and hides one that finds
none; ``kriegsspielReplay.labels()`` reads back every label of the last redraw with its box.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from replay_view import overlap, zoom

from kriegsspiel.report.replay_data import ReplayData

pytestmark = pytest.mark.browser


def _at(page: Any, fraction: float) -> None:
    page.locator("#slider").evaluate(
        f"s => {{ s.value = String(Number(s.min) + (Number(s.max) - Number(s.min)) * {fraction});"
        " s.dispatchEvent(new Event('input')); }"
    )


def _labels(page: Any) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = page.evaluate("kriegsspielReplay.labels()")
    return labels


def _clashes(page: Any, units: int) -> list[str]:
    """Pairs of shown labels that overlap, and shown labels over a unit's centre."""
    shown = [lab for lab in _labels(page) if lab["shown"]]
    out = [
        f"{a['text']!r} / {b['text']!r}"
        for i, a in enumerate(shown)
        for b in shown[i + 1 :]
        if overlap(a["box"], b["box"])
    ]
    for u in range(units):
        p = page.evaluate(f"kriegsspielReplay.unitScreen({u})")
        if p is not None:
            dot = {"x": p["x"], "y": p["y"], "w": 0.0, "h": 0.0}
            out += [f"{lab['text']!r} over unit {u}" for lab in shown if overlap(lab["box"], dot)]
    return out


def _crests(page: Any) -> dict[str, float]:
    """The page point between the two Zaozernaya crests."""
    anchors = [lab["anchor"] for lab in _labels(page) if lab["text"].startswith("Zaozernaya")]
    assert len(anchors) == 2
    return {k: (anchors[0][k] + anchors[1][k]) / 2 for k in ("x", "y")}


def test_no_labels_overlap_in_any_view_nor_zoomed_on_the_crests(
    open_page: Any, khasan: tuple[ReplayData, Path]
) -> None:
    data, path = khasan
    opened = open_page(path)
    page = opened.page
    n = len(data.units)
    views = ["-1", *(str(i) for i in range(len(data.sides)))]
    for fraction in (0.0, 0.15, 0.65):
        _at(page, fraction)
        for view in views:
            page.select_option("#view", view)
            assert _clashes(page, n if view == "-1" else 0) == [], (fraction, view)
    page.select_option("#view", "-1")
    crests = _crests(page)
    for _ in range(4):
        zoom(page, crests["x"], crests["y"], 1)
        assert _clashes(page, n) == []
    assert opened.errors == [] and opened.dialogs == []


def test_every_objective_label_is_shown_with_its_force_line(
    open_page: Any, khasan: tuple[ReplayData, Path]
) -> None:
    data, path = khasan
    page = open_page(path).page
    for fraction in (0.0, 0.65):
        _at(page, fraction)
        objectives = [lab for lab in _labels(page) if lab["kind"] == "objective"]
        assert [lab["shown"] for lab in objectives] == [True] * len(data.objectives)
        lines = [lab["text"].split("\n") for lab in objectives]
        assert [first for first, *_ in lines] == [o.name for o in data.objectives]
        # the second line is the force label of this hour, as drawn
        assert [rest[0] for _, *rest in lines] == page.evaluate(
            "kriegsspielReplay.objectiveLabels()"
        )


def test_a_label_hidden_for_want_of_room_comes_back_when_zoomed_in(
    open_page: Any, khasan: tuple[ReplayData, Path]
) -> None:
    _, path = khasan
    page = open_page(path, width=900, height=650).page
    _at(page, 0.65)
    hidden = [lab for lab in _labels(page) if not lab["shown"]]
    assert hidden, "a small window on the battle should leave some label without room"
    target = hidden[0]
    zoom(page, target["anchor"]["x"], target["anchor"]["y"], 3)
    again = [lab for lab in _labels(page) if lab["text"] == target["text"]]
    assert [lab["shown"] for lab in again] == [True]
