"""The report's fog-of-war section: estimates against the truth, and conditional orders."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import numpy as np
import pytest
from meeting_run import positions_known_run
from report_synthetic import XSS, report_data
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.errors import InputError
from kriegsspiel.experiment import Results
from kriegsspiel.report.adapters import from_results_dir
from kriegsspiel.report.data import BeliefSeries, ConditionalOrder, ReportData, Side
from kriegsspiel.report.plots import plot_fog
from kriegsspiel.report.report_page import fmt, report_html

REPS = 40
# (the backslash joins two lines: a TOML inline table must stay on one line)
ORDER = """
[[events]]
kind = "order"
id = "red-second-push"
time = 2000-06-01T08:00:00
units = ["red-1"]
action = "assault"
objective = "hill"
condition = { kind = "believed_force_ratio", objective = "hill", \
  threshold = { value = 1.0, source = "FM" } }
source = "FM"
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The meeting with Red knowing Blue's positions and a second, conditional push at 08:00."""
    return positions_known_run(tmp_path_factory.mktemp("fog"), reps=REPS, seed=2, extra=ORDER)


def test_conditional_orders_are_counted_from_the_stored_table(run: Path) -> None:
    table = Results.open(run).frame("conditions")
    (order,) = from_results_dir(run).orders
    assert (order.order, order.side, order.objective) == ("red-second-push", "red", "hill")
    assert order.time == "2000-06-01T08:00" and order.threshold == 1.0
    assert order.runs == REPS and order.fired == int(table["fired"].sum())
    assert 0 < order.fired < REPS  # the believed ratio straddles the threshold
    np.testing.assert_allclose(
        order.believed, np.quantile(table["believed_enemy"], [0.05, 0.5, 0.95])
    )
    np.testing.assert_allclose(order.true, np.quantile(table["true_enemy"], [0.05, 0.5, 0.95]))
    ratio = table["own_men"] / np.maximum(table["believed_enemy"], 1.0)
    np.testing.assert_allclose(order.ratio, np.quantile(ratio, [0.05, 0.5, 0.95]))


def test_belief_bands_are_the_quantiles_of_the_stored_table(run: Path) -> None:
    intel = Results.open(run).frame("intel")
    data = from_results_dir(run)
    assert [b.side for b in data.beliefs] == [s.id for s in data.scenario.sides]
    for series in data.beliefs:
        mine = intel[intel["side"] == series.side]
        by_hour = mine.groupby("hour")
        assert len(series.times) == by_hour.ngroups
        assert series.times[1] == "2000-06-01T07:00"  # hour 1 after the 06:00 start
        for column, bands in (("believed_enemy", series.believed), ("true_enemy", series.true)):
            q = by_hour[column].quantile([0.05, 0.5, 0.95]).unstack().to_numpy()
            np.testing.assert_allclose(bands, q, rtol=1e-6)
        share = (mine["enemy_seen"] / mine["enemy_units"]).groupby(mine["hour"]).mean()
        np.testing.assert_allclose(series.detected[:, 0], share.to_numpy())


def test_the_page_shows_the_section_with_these_numbers(run: Path) -> None:
    data = from_results_dir(run)
    html = report_html(data)
    section = html[
        html.index('<section id="fog">') : html.index("</section>", html.index('id="fog"'))
    ]
    (order,) = data.orders
    assert f"{order.fired} of {REPS}" in section
    assert "red-second-push" in section and "believed ratio ≥ 1 on Hill 120" in unescape(section)
    assert fmt(order.believed[1]) in section
    blue = data.beliefs[0]
    assert fmt(float(blue.believed[0, 1])) in section
    embedded = re.search(r'id="report-data">(.*?)</script>', html, re.S)
    assert embedded is not None
    fog = json.loads(embedded.group(1))["fog"]
    assert fog["orders"][0]["fired"] == order.fired
    assert {b["side"] for b in fog["beliefs"]} == {"blue", "red"}


def test_write_report_adds_the_fog_figure(run: Path) -> None:
    done = CliRunner().invoke(app, ["report", str(run), "--json"])
    assert done.exit_code == 0, done.output
    assert (run / "figures" / "fog.svg").is_file() and (run / "figures" / "fog.png").is_file()


def _fog_data() -> ReportData:
    data = report_data()
    times = data.control[0].times
    n = len(times)
    band = np.tile([10.0, 20.0, 30.0], (n, 1))
    seen = np.tile([0.25, 0.0, 0.5], (n, 1))
    sides = (Side("east", XSS, "#c0392b"), data.scenario.sides[1])
    return replace(
        data,
        scenario=replace(data.scenario, sides=sides),
        beliefs=tuple(BeliefSeries(s.id, times, band, band * 2, seen) for s in sides),
        orders=(
            ConditionalOrder(
                XSS, times[2], "east", "hill-b", 2.0, 3, 8, (1, 2, 3), (4, 5, 6), (0.5, 1.0, 1.5)
            ),
        ),
    )


def test_the_section_escapes_names_and_order_ids() -> None:
    html = report_html(_fog_data())
    assert XSS not in html and "<img src=x" not in html
    section = html[html.index('<section id="fog">') :]
    assert section.count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # side, order, objective
    assert "3 of 8" in section and fmt(3 / 8) in section
    assert len(plot_fog(_fog_data()).axes) == 4


def test_no_intel_tables_no_section() -> None:
    html = report_html(report_data())
    assert 'id="fog"' not in html and "Fog of war" not in html


def test_malformed_fog_inputs_name_the_field() -> None:
    data = _fog_data()
    with pytest.raises(InputError, match="beliefs"):
        BeliefSeries("east", ("a", "b"), np.zeros((3, 3)), np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(InputError, match="fog of war"):
        replace(data, orders=(replace(data.orders[0], side="nobody"),))
    with pytest.raises(InputError, match="fired"):
        replace(data.orders[0], fired=9)
