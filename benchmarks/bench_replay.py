"""How smooth is the replay of a whole 13-day campaign? (prints figures; not a test)

Builds a replay of 13.5 days at 15-minute frames with 60 units and 5,000 fire events, opens it
in Debian's Chromium (headless) and measures the time to redraw at 400 slider positions spread
over the campaign, and the frame rate while playing at one day per second; once without and
once with hourly beliefs on the objectives (what the fog view labels).
Goal: every redraw well under the 16.7 ms of a 60 Hz frame.

Run: python benchmarks/bench_replay.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from kriegsspiel.report.data import Side
from kriegsspiel.report.map_image import draw_contours
from kriegsspiel.report.replay_data import (
    EventLog,
    MapImage,
    ObjectiveIntel,
    ReplayData,
    ReplayObjective,
    ReplayUnit,
)
from kriegsspiel.report.replay_page import write_replay
from kriegsspiel.terrain.render import hillshade

UNITS, EVENTS, DAYS, STEP = 60, 5000, 13.5, 15.0


def campaign() -> ReplayData:
    rng = np.random.default_rng(0)
    size, cell = 8000.0, 20.0
    g = np.arange(0, size, cell)
    xx, yy = np.meshgrid(g, g)
    elev = 10 + 140 * np.exp(-((xx - 4000) ** 2 + (yy - 4500) ** 2) / 8e5)
    times = np.arange(0.0, DAYS * 1440, STEP)
    n = times.size
    start = rng.uniform(500, 7500, (UNITS, 2))
    end = rng.normal(4000, 400, (UNITS, 2))
    s = np.clip((times[:, None] / 1440 - rng.uniform(0, 10, UNITS)) / 2, 0, 1)
    x = start[:, 0] + (end[:, 0] - start[:, 0]) * s
    y = start[:, 1] + (end[:, 1] - start[:, 1]) * s
    s0 = rng.uniform(50, 800, UNITS)
    sides = (Side("a", "A", "#c0392b"), Side("b", "B", "#2c5f8a"))
    types = ("infantry", "tank", "artillery")
    units = tuple(
        ReplayUnit(f"u{i}", f"Unit {i}", sides[i % 2].id, types[i % 3], "battalion", s0[i])
        for i in range(UNITS)
    )
    t_ev = np.sort(rng.uniform(0, times[-1], EVENTS))
    kind = rng.integers(0, 3, EVENTS)
    events = EventLog(
        t_ev, kind, np.where(kind == 2, -1, rng.integers(0, UNITS, EVENTS)),
        np.full(EVENTS, -1), rng.normal(4000, 300, EVENTS), rng.normal(4500, 300, EVENTS),
        rng.uniform(1, 20, EVENTS),
    )  # fmt: skip
    meadow = np.array([214.0, 226.0, 196.0]) * (0.55 + 0.6 * hillshade(elev, cell))[..., None]
    rgb = np.clip(draw_contours(meadow, elev, 10.0)[::-1], 0, 255).astype(np.uint8)
    hours = np.arange(0.0, times[-1] + 1, 60.0)
    believed = rng.uniform(0, 900, (hours.size, 2, 1))
    intel = ObjectiveIntel(hours, believed, rng.uniform(0, 900, believed.shape))
    return ReplayData(
        title="Benchmark campaign", scenario="bench", rep=0, start="1938-07-29T00:00",
        sides=sides, map=MapImage(rgb, (0, size, 0, size)), units=units,
        times=times, x=x, y=y, strength=s0 * (1 - 0.5 * s), state=np.zeros((n, UNITS), int),
        order=np.zeros((n, UNITS), int), states=("moving",), orders=("advance",),
        objectives=(ReplayObjective("hill", "Hill", 4000, 4500, 200),),
        holder=np.where(s[:, :1] > 0.5, 0, 1), events=events, intel=intel,
    )  # fmt: skip


def main() -> None:
    data = campaign()
    measure(replace(data, intel=None), "without beliefs")
    measure(data, "with hourly beliefs on the objective")


def measure(data: ReplayData, label: str) -> None:
    """Build, load, redraw and play ``data``; print the figures under ``label``."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = write_replay(data, Path(tmp))
        build = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium"), headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--no-first-run"],
            )  # fmt: skip
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            load = time.perf_counter() - t0
            redraw = page.evaluate(
                """() => { const s = document.getElementById('slider'); const out = [];
                for (let i = 0; i < 400; i++) { const t0 = performance.now();
                  s.value = String(Number(s.max) * i / 399); s.dispatchEvent(new Event('input'));
                  out.push(performance.now() - t0); }
                out.sort((a, b) => a - b);
                const mean = out.reduce((a, b) => a + b) / out.length;
                return [mean, out[Math.floor(0.95 * out.length)], out[out.length - 1]]; }"""
            )
            page.select_option("#speed", "1440")
            page.locator("#slider").evaluate(
                "s => { s.value = '0'; s.dispatchEvent(new Event('input')); }"
            )
            page.evaluate(
                """() => { window.__frames = 0; const f = () => { window.__frames++;
                requestAnimationFrame(f); }; requestAnimationFrame(f); }"""
            )
            page.click("#play")
            page.wait_for_timeout(3000)
            fps = page.evaluate("window.__frames") / 3.0
            advanced = page.evaluate("kriegsspielReplay.time()") / 1440
            browser.close()
    print(f"{label}: frames {data.times.size}, units {UNITS}, events {EVENTS}")
    print(f"build {build:.2f} s, file {size_mb:.2f} MB, page load {load:.2f} s")
    print(f"redraw ms: mean {redraw[0]:.2f}, p95 {redraw[1]:.2f}, max {redraw[2]:.2f}")
    print(f"playing at 1 day/s: {fps:.0f} animation frames/s, {advanced:.2f} days in 3 s")


if __name__ == "__main__":
    main()
