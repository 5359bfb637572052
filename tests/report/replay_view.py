"""Driving the replay page in the browser: its clock, the wheel over the map, drawn boxes."""

from __future__ import annotations

from typing import Any

ZOOM_IN = -300  # one wheel notch towards the map: the view grows by exp(0.45)


def at_time(page: Any, t: float) -> None:
    """Move the slider to ``t`` minutes, as a user dragging it would."""
    page.locator("#slider").evaluate(
        f"s => {{ s.value = String({t!r}); s.dispatchEvent(new Event('input')); }}"
    )


def zoom(page: Any, x: float, y: float, notches: int) -> None:
    """Wheel over the page point (x, y), dispatched synchronously on the canvas."""
    page.evaluate(
        """([x, y, n, dy]) => { const c = document.getElementById('map');
        for (let i = 0; i < n; i++) c.dispatchEvent(new WheelEvent('wheel',
          { deltaY: dy, clientX: x, clientY: y, cancelable: true })); }""",
        [x, y, notches, ZOOM_IN],
    )


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes ``{x, y, w, h}`` share some area."""
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )
