"""Overrides by key path, and the list of assumptions that sensitivity analysis walks."""

from __future__ import annotations

import pytest

from kriegsspiel.errors import InputError
from kriegsspiel.scenario.loader import content_hash, load
from kriegsspiel.scenario.overrides import apply_overrides, assumptions, parse_path
from kriegsspiel.scenario.problems import ScenarioError


@pytest.fixture(scope="module")
def record():
    return load("khasan-1938")


def test_parse_path() -> None:
    assert parse_path("units[air-tb3].sorties") == ["units", ("air-tb3",), "sorties"]
    assert parse_path("weather.periods[*].fog") == ["weather", "periods", ("*",), "fog"]
    with pytest.raises(InputError):
        parse_path("[3].men")


def test_set_by_id_index_and_wildcard(record) -> None:
    new = apply_overrides(
        record,
        ["units[air-tb3].sorties=0", "units[3].men=20", "weather.periods[*].fog=false",
         "sides.soviet.bound_by_border=BORDER_1938_JAPAN_A"],
    )  # fmt: skip
    assert new.unit("air-tb3").sorties is not None and new.unit("air-tb3").sorties.value == 0
    assert new.units[3].men.value == 20
    assert not any(p.fog for p in new.weather.periods)
    assert new.sides["soviet"].bound_by_border == "BORDER_1938_JAPAN_A"
    assert record.units[3].men.value != 20  # the original is untouched (frozen)
    assert content_hash(new) != content_hash(record)


def test_number_on_a_sourced_quantity_becomes_an_assumption(record) -> None:
    new = apply_overrides(record, {"units[bg-bezymyannaya].men": 30})
    q = new.unit("bg-bezymyannaya").men
    assert q.assumption and q.source == "S14" and (q.low, q.value, q.high) == (11, 30, 30)


def test_mapping_and_string_forms_agree(record) -> None:
    a = apply_overrides(record, {"units[jp-kanda].men": 90})
    b = apply_overrides(record, ["units[jp-kanda].men=90"])
    assert a == b


def test_unknown_id_and_key(record) -> None:
    with pytest.raises(InputError, match="none has id 'nope'"):
        apply_overrides(record, ["units[nope].men=3"])
    with pytest.raises(ScenarioError, match=r"units\[0\].mne: unknown key"):
        apply_overrides(record, ["units[0].mne=3"])
    with pytest.raises(InputError, match="not set"):
        apply_overrides(record, ["meta.nothing.deeper=1"])
    with pytest.raises(InputError, match=r"key\.path=value"):
        apply_overrides(record, ["units[0].men"])


def test_wrong_type_and_broken_reference(record) -> None:
    with pytest.raises(ScenarioError, match=r"units\[0\].men: expected"):
        apply_overrides(record, ['units[0].men="many"'])
    with pytest.raises(ScenarioError, match=r"sides.soviet.bound_by_border: no terrain line"):
        apply_overrides(record, ["sides.soviet.bound_by_border=NO_SUCH_LINE"])


def test_assumptions_are_listed_with_settable_paths(record) -> None:
    found = assumptions(record)
    assert len(found) > 50
    assert all(a.low <= a.value <= a.high for a in found)
    paths = {a.path for a in found}
    assert "units[jp-kanda].men" in paths
    # a sample of them can be set to their bounds by the very path reported
    for a in found[:: max(1, len(found) // 12)]:
        low = apply_overrides(record, {a.path: a.low})
        again = {b.path: b for b in assumptions(low)}
        assert again[a.path].value == a.low


def test_jp_kanda_range_from_fact_sheet(record) -> None:
    kanda = {a.path: a for a in assumptions(record)}["units[jp-kanda].men"]
    assert (kanda.low, kanda.value, kanda.high) == (50, 70, 150)
