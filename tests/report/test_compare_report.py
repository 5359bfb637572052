"""`kriegsspiel report B --compare A` on a real pair of engine runs, checked in the page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CLI = [sys.executable, "-c", "from kriegsspiel.cli import main; main()"]
REPS = "40"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*CLI, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Run A: the shipped meeting; run B: the same with Blue's company twice as strong."""
    root = tmp_path_factory.mktemp("pair")
    a, b = root / "baseline", root / "double-blue"
    common = ["--reps", REPS, "--seed", "3", "--quiet", "--workers", "1"]
    _cli("run", "example-meeting", "--out", str(a), *common)
    _cli("run", "example-meeting", "--out", str(b), *common, "--set", "units[blue-1].men=240")
    return a, b


@pytest.fixture(scope="module")
def page_file(pair: tuple[Path, Path]) -> Path:
    a, b = pair
    out = json.loads(_cli("report", str(b), "--compare", str(a), "--json").stdout)
    assert out["compared_with"] == str(a)
    assert any(f.endswith("compare.svg") for f in out["figures"])
    return Path(out["report"])


def _embedded(path: Path) -> dict[str, Any]:
    html = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_compare_block_has_the_expected_signs(page_file: Path) -> None:
    """Twice the men in Blue's company expose twice the men to Red's fire.

    Under the Helmbold law losses grow with the size of the force fired at, so Blue's wounded
    rise; the two runs share seed and block size, so the bootstrap is paired.
    """
    cmp = _embedded(page_file)["compare"]
    assert cmp["paired"] is True
    assert cmp["label_a"].startswith("A: baseline") and "units[blue-1].men=240" in cmp["label_b"]
    rows = {r["metric"]: r for r in cmp["rows"]}
    wounded = rows["blue.wounded"]
    assert wounded["b"] > wounded["a"]
    assert 0 < wounded["low"] <= wounded["diff"] <= wounded["high"]
    assert wounded["median_low"] <= wounded["median_diff"] <= wounded["median_high"]
    assert wounded["p_low"] <= wounded["p_b_greater"] <= wounded["p_high"]
    assert wounded["p_b_greater"] > 0.5
    # no tanks, no aircraft: equal in both runs, listed as omitted, not as rows
    assert "blue.tanks_disabled" in cmp["omitted"] and "blue.tanks_disabled" not in rows


@pytest.mark.browser
def test_compare_report_in_the_browser(open_page: Any, page_file: Path) -> None:
    opened = open_page(page_file)
    page = opened.page
    section = page.locator("section#compare")
    assert section.is_visible()
    assert section.locator(".pair figure img").count() == 4  # control and losses, A and B
    widths = section.locator("figure img").evaluate_all("i => i.map(x => x.naturalWidth)")
    assert min(widths) > 0
    assert "blue.wounded" in section.locator("table").inner_text()
    assert opened.errors == [] and opened.network == [] and opened.dialogs == []
