"""The input contracts refuse malformed data with a message naming the field."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_synthetic import replay_data, report_data

from kriegsspiel.errors import InputError
from kriegsspiel.report.data import ControlSeries, LossMetric, ReportData, Side
from kriegsspiel.report.html import esc, script_json
from kriegsspiel.report.replay_data import EventLog, MapImage
from kriegsspiel.report.report_page import wilson


@given(st.text())
def test_script_json_round_trips_and_cannot_close_a_script(text: str) -> None:
    embedded = script_json({"name": text, "list": [text]})
    assert json.loads(embedded) == {"name": text, "list": [text]}
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in embedded


@given(st.text())
def test_esc_leaves_no_markup(text: str) -> None:
    out = esc(text)
    assert "<" not in out and ">" not in out and '"' not in out


@pytest.mark.parametrize("p", [0.0, 0.03, 0.5, 0.97, 1.0])
@pytest.mark.parametrize("n", [1, 10, 1000])
def test_wilson_interval_contains_p_and_narrows(p: float, n: int) -> None:
    lo, hi = wilson(p, n)
    wider = wilson(p, max(1, n // 10))
    assert 0 <= lo <= p <= hi <= 1
    assert hi - lo <= wider[1] - wider[0] + 1e-12


def test_wilson_matches_closed_form_at_one_half() -> None:
    # p = 1/2: centre 1/2, half-width z sqrt(1/(4n) + z^2/(4n^2)) / (1 + z^2/n).
    n, z = 100, 1.96
    half = z * np.sqrt(0.25 / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson(0.5, n) == pytest.approx((0.5 - half, 0.5 + half))


def test_control_rejects_shares_over_one() -> None:
    with pytest.raises(InputError, match=r"control\[hill\]"):
        ControlSeries("hill", "Hill", ("1938-08-01T00:00",), np.array([[0.7, 0.6]]))
    with pytest.raises(InputError, match="increasing"):
        ControlSeries("hill", "Hill", ("b", "a"), np.zeros((2, 2)))


def test_side_colour_must_be_hex() -> None:
    with pytest.raises(InputError, match="color"):
        Side("x", "X", "red;background:url(http://evil)")


def test_loss_needs_values_or_quantiles() -> None:
    with pytest.raises(InputError, match="values or quantiles"):
        LossMetric("east", "killed")


def test_report_checks_columns_against_sides() -> None:
    good = report_data()
    bad = ControlSeries("hill", "Hill", ("t",), np.array([[0.1, 0.2, 0.3]]))
    with pytest.raises(InputError, match="3"):
        ReportData(good.scenario, good.manifest, (bad,))


def test_control_at_takes_last_time_at_or_before() -> None:
    data = report_data()
    series = data.control[0]
    assert data.control_at("hill-a", series.times[2], "east") == series.fractions[2, 0]
    assert data.control_at("hill-a", series.times[2] + ":30", "west") == series.fractions[2, 1]
    assert data.control_at("hill-a", "1900-01-01T00:00", "east") is None
    assert data.control_at("nowhere", series.times[0], "east") is None


def test_replay_rejects_misshapen_frames() -> None:
    good = replay_data()
    with pytest.raises(InputError, match=r"frames\.x"):
        type(good)(**{**good.__dict__, "x": good.x[:, :2]})
    with pytest.raises(InputError, match=r"frames\.order"):
        type(good)(**{**good.__dict__, "order": good.order + 10})
    with pytest.raises(InputError, match=r"units\[u0\]\.side"):
        bad_unit = type(good.units[0])("u0", "n", "nobody", "infantry")
        type(good)(**{**good.__dict__, "units": (bad_unit, *good.units[1:])})


def test_map_and_events_validate() -> None:
    with pytest.raises(InputError, match=r"map\.rgb"):
        MapImage(np.zeros((4, 4), np.uint8), (0, 1, 0, 1))
    with pytest.raises(InputError, match=r"map\.extent"):
        MapImage(np.zeros((4, 4, 3), np.uint8), (1, 0, 0, 1))
    one = np.ones(1)
    with pytest.raises(InputError, match=r"events\.kind"):
        EventLog(one, np.array([7]), -one.astype(int), -one.astype(int), one, one, one)
