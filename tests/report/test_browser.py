"""The report and the replay in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.image import imread
from replay_view import at_time
from report_synthetic import XSS, replay_data, report_data

from kriegsspiel.report.replay_page import write_replay
from kriegsspiel.report.report_page import write_report

pytestmark = pytest.mark.browser


def _pixels(page: Any) -> np.ndarray:
    return np.asarray(imread(io.BytesIO(page.screenshot()), format="png"))


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(report_data(partial=True), tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def replay_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_replay(replay_data(days=13), tmp_path_factory.mktemp("replay"))


def test_report_loads_offline_with_escaped_names(open_page: Any, report_file: Path) -> None:
    opened = open_page(report_file)
    page = opened.page
    assert page.locator("h1").inner_text() == f"Demo battle {XSS}"
    assert page.locator("img[src='x']").count() == 0
    assert "PARTIAL" in page.locator(".partial").inner_text()
    assert page.get_by_text(XSS, exact=False).count() >= 2  # title, source, a control series
    figures = page.locator("figure img")
    assert figures.count() >= 3
    widths = figures.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert min(widths) > 0  # every inline figure decoded
    assert np.std(_pixels(page)) > 0.02
    assert opened.errors == [] and opened.network == [] and opened.dialogs == []


def test_replay_loads_offline_with_escaped_names(open_page: Any, replay_file: Path) -> None:
    opened = open_page(replay_file)
    page = opened.page
    assert page.locator("h1").inner_text() == f"Demo {XSS}"
    assert page.locator("img").count() == 0
    options = page.locator("#pick option").all_inner_texts()
    assert any(XSS in o for o in options)
    page.select_option("#pick", "0")
    assert page.locator("#d-name").inner_text() == XSS
    page.wait_for_timeout(100)
    assert np.std(_pixels(page)) > 0.02
    assert opened.errors == [] and opened.network == [] and opened.dialogs == []


def test_slider_moves_clock_and_units(open_page: Any, replay_file: Path) -> None:
    page = open_page(replay_file).page
    before_clock = page.locator("#clock").inner_text()
    before = page.evaluate("kriegsspielReplay.unitScreen(0)")
    shot_before = _pixels(page)
    page.locator("#slider").evaluate(
        "s => { s.value = String(Number(s.max) / 2); s.dispatchEvent(new Event('input')); }"
    )
    after_clock = page.locator("#clock").inner_text()
    after = page.evaluate("kriegsspielReplay.unitScreen(0)")
    assert before_clock.startswith("Mon 1 Aug 1938 00:00")
    assert after_clock != before_clock and "Aug 1938" in after_clock
    assert abs(after["x"] - before["x"]) > 20  # unit 0 marches west across the map
    assert np.abs(_pixels(page) - shot_before).mean() > 0


def test_play_advances_time(open_page: Any, replay_file: Path) -> None:
    page = open_page(replay_file).page
    page.select_option("#speed", "720")
    start = page.evaluate("kriegsspielReplay.time()")
    page.click("#play")
    for _ in range(100):  # the page's CSP forbids eval, so poll instead of wait_for_function
        page.wait_for_timeout(100)
        if page.evaluate("kriegsspielReplay.time()") > start + 30:
            break
    assert page.evaluate("kriegsspielReplay.time()") > start + 30
    page.click("#play")  # pause
    paused = page.evaluate("kriegsspielReplay.time()")
    page.wait_for_timeout(300)
    assert page.evaluate("kriegsspielReplay.time()") == paused
    assert page.locator("#clock").inner_text() != "Mon 1 Aug 1938 00:00"


def test_clicking_a_unit_shows_its_details(open_page: Any, replay_file: Path) -> None:
    opened = open_page(replay_file)
    page = opened.page
    page.locator("#slider").evaluate(
        "s => { s.value = String(Number(s.max) * 0.75); s.dispatchEvent(new Event('input')); }"
    )
    where = page.evaluate("kriegsspielReplay.unitScreen(2)")
    page.mouse.click(where["x"], where["y"])
    assert page.locator("#details").is_visible()
    assert page.locator("#d-name").inner_text() == "West rifles"
    assert page.locator("#d-side").inner_text() == "Western army"
    strength = page.locator("#d-strength").inner_text()
    losses = page.locator("#d-losses").inner_text()
    # 150 men losing 60% linearly: three quarters through, 82.5 men left and 67.5 lost.
    left, lost = float(strength.split()[0]), float(losses.split()[0])
    assert "of 150 men" in strength
    assert abs(left - 82.5) <= 0.5 and abs(lost - 67.5) <= 0.5
    assert page.locator("#d-order").inner_text() == "hold"
    assert opened.errors == [] and opened.dialogs == []


def test_replay_of_a_results_folder_on_real_terrain(open_page: Any, tmp_path: Path) -> None:
    from test_adapters import _results, _trace

    from kriegsspiel.report.replay_adapter import replay_from_results_dir

    root = _results(tmp_path / "run", extra=_trace(0))
    opened = open_page(write_replay(replay_from_results_dir(root, 0), root))
    page = opened.page
    assert page.locator("#objectives li").count() == 1
    assert "Red" in page.locator("#objectives").inner_text()
    shot = _pixels(page)
    assert np.std(shot) > 0.02
    assert opened.errors == [] and opened.network == [] and opened.dialogs == []


@pytest.fixture(scope="module")
def engine_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real run of the shipped example scenario by the tactical engine."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("engine") / "run"
    cli = [sys.executable, "-c", "from kriegsspiel.cli import main; main()"]
    args = ["run", "example-meeting", "--reps", "3", "--seed", "2", "--out", str(root)]
    done = subprocess.run([*cli, *args, "--quiet", "--workers", "1"], capture_output=True)
    assert done.returncode == 0, done.stderr
    return root


def test_replay_of_a_real_engine_run(open_page: Any, engine_run: Path) -> None:
    from kriegsspiel.report.replay_adapter import replay_from_results_dir

    data = replay_from_results_dir(engine_run, 0)
    assert data.events.t.size > 0  # the run's fire is drawn
    opened = open_page(write_replay(data, engine_run))
    page = opened.page
    start = [page.evaluate(f"kriegsspielReplay.unitScreen({i})") for i in range(len(data.units))]
    clock = page.locator("#clock").inner_text()
    page.locator("#slider").evaluate(
        "s => { s.value = String(Number(s.max) / 2); s.dispatchEvent(new Event('input')); }"
    )
    later = [page.evaluate(f"kriegsspielReplay.unitScreen({i})") for i in range(len(data.units))]
    moved = [np.hypot(a["x"] - b["x"], a["y"] - b["y"]) for a, b in zip(start, later, strict=True)]
    assert page.locator("#clock").inner_text() != clock
    assert max(moved) > 5  # the companies advanced on the hill
    assert np.std(_pixels(page)) > 0.02
    assert opened.errors == [] and opened.network == [] and opened.dialogs == []


def test_fog_of_war_view_hides_enemies_the_side_does_not_see(
    open_page: Any, engine_run: Path
) -> None:
    from kriegsspiel.report.replay_adapter import replay_from_results_dir

    data = replay_from_results_dir(engine_run, 0)
    assert data.seen is not None
    sides = [s.id for s in data.sides]
    enemy = np.array([u.side != sides[0] for u in data.units])
    on_map = ~np.isnan(data.x)
    seen = data.seen[:, 0, :] & on_map
    # a frame where side 0 sees some enemy on the map, but not every one
    partial = np.flatnonzero(
        (seen[:, enemy].sum(axis=1) > 0)
        & (seen[:, enemy].sum(axis=1) < on_map[:, enemy].sum(axis=1))
    )
    assert partial.size > 0
    f = int(partial[0])
    opened = open_page(write_replay(data, engine_run))
    page = opened.page
    assert page.locator("#viewbox").is_visible()
    labels = page.locator("#view option").all_inner_texts()
    assert labels[1:] == [f"as {s.name} saw it" for s in data.sides]
    at_time(page, float(data.times[f]))
    everyone = page.evaluate("kriegsspielReplay.drawnBySide()")
    page.select_option("#view", "0")
    fogged = page.evaluate("kriegsspielReplay.drawnBySide()")
    assert everyone[1] == int(on_map[f, enemy].sum())
    assert fogged[1] == int(seen[f, enemy].sum()) < everyone[1]
    assert fogged[0] == everyone[0]  # a side always knows where its own units are
    page.select_option("#view", "-1")
    assert page.evaluate("kriegsspielReplay.drawnBySide()") == everyone
    assert opened.errors == [] and opened.network == [] and opened.dialogs == []
