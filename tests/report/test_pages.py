"""The static content of the pages and the figures (no browser needed)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from report_synthetic import XSS, replay_data, report_data

from kriegsspiel.report import khasan_record
from kriegsspiel.report.data import ReportData
from kriegsspiel.report.plots import plot_control, plot_losses
from kriegsspiel.report.replay_page import replay_html, write_replay
from kriegsspiel.report.report_page import report_html, write_report


def _no_raw(html: str) -> None:
    assert XSS not in html
    assert "<img src=x" not in html


def test_report_escapes_every_scenario_string_and_needs_no_network() -> None:
    html = report_html(report_data())
    _no_raw(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "default-src 'none'" in unescape(html)
    assert "PARTIAL" not in html


def test_partial_report_is_labelled() -> None:
    html = report_html(report_data(partial=True, reps=400))
    assert "<strong>PARTIAL</strong>" in html and "400 of 1000" in html


def test_claims_only_for_khasan_and_checked_against_control() -> None:
    plain = report_data()
    assert "The article, the record and the simulation" not in report_html(plain)
    data = report_data(name="khasan-1938")
    khasan = ReportData(
        data.scenario, data.manifest, data.control, data.checkpoints, data.losses,
        claims=khasan_record.CLAIMS, claim_sources=khasan_record.SOURCES,
    )  # fmt: skip
    html = report_html(khasan)
    assert html.count("<tr><td>") >= len(khasan_record.CLAIMS)
    assert "outside the simulated battle" in html
    for claim in khasan_record.CLAIMS:
        for key in claim.sources:
            assert key in khasan_record.SOURCES


def test_checkpoint_row_reports_the_simulated_share() -> None:
    data = report_data()
    cp = data.checkpoints[0]
    p = data.control_at(cp.objective, cp.time, "west")
    assert p is not None
    assert f"{p:.2g}" in report_html(data)


def test_write_report_writes_png_and_svg(tmp_path: Path) -> None:
    path = write_report(report_data(), tmp_path)
    assert path == tmp_path / "report.html"
    for name in ("control", "losses", "compare"):
        assert (tmp_path / "figures" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        svg = (tmp_path / "figures" / f"{name}.svg").read_text()
        assert "<svg" in svg and "<text" not in svg  # text as paths: no fonts needed


def test_plots_one_panel_per_objective_and_per_side_metric() -> None:
    data = report_data()
    assert len(plot_control(data).axes) == len(data.control)
    metrics = {x.metric for x in data.losses}
    sides = {x.side for x in data.losses}
    assert len(plot_losses(data).axes) == len(metrics) * len(sides)
    assert len(plot_control(data, objectives=["hill-b"]).axes) == 1


def test_replay_page_escapes_and_embeds_arrays(tmp_path: Path) -> None:
    data = replay_data()
    html = replay_html(data)
    _no_raw(html)
    assert "default-src 'none'" in unescape(html) and "script-src 'sha256-" in unescape(html)
    assert write_replay(data, tmp_path) == tmp_path / "replay-3.html"
