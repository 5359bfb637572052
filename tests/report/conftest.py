"""Browser fixtures: Debian's Chromium driven by Python Playwright (never `playwright install`).

And the replay of a real khasan-1938 run that several browser tests share.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.report.replay_adapter import replay_from_results_dir
from kriegsspiel.report.replay_data import ReplayData
from kriegsspiel.report.replay_page import write_replay

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("Debian's chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        yield browser
        browser.close()


@dataclass
class Opened:
    """A page with everything it logged, requested and tried to pop up."""

    page: Any
    errors: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def opener(path: Path, width: int = 1280, height: int = 800) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        out = Opened(page)

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("file:", "data:")):
                r.continue_()
            else:
                out.network.append(url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: out.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: out.errors.append(str(e)))
        page.on("requestfailed", lambda r: out.errors.append(f"failed: {r.url}"))

        def dialog(d: Any) -> None:
            out.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        return out

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def khasan(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReplayData, Path]:
    """One traced replication of the flagship scenario and its replay page."""
    out = tmp_path_factory.mktemp("khasan") / "run"
    args = ["run", "khasan-1938", "--reps", "1", "--seed", "1", "--out", str(out), "--quiet",
            "--workers", "1"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = replay_from_results_dir(out, 0)
    return data, write_replay(data, out)
