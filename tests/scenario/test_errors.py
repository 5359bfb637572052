"""Every bad-input case gives one clear problem naming the key path and the right line."""

from __future__ import annotations

import pytest

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.scenario.loader import MAX_FILE_BYTES, load, load_text
from kriegsspiel.scenario.problems import ScenarioError


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_text(text, "bad.toml")
    return [str(p) for p in info.value.problems]


def _one(text: str, old: str, new: str) -> tuple[str, str]:
    assert text.count(old) >= 1, old
    bad = text.replace(old, new, 1)
    probs = _problems(bad)
    assert probs, "expected a problem"
    return probs[0], bad


def test_men_zero_names_path_and_line(example_text: str, line_of) -> None:
    old = 'men = { value = 12, source = "FM" }'
    msg, bad = _one(example_text, old, 'men = { value = 0, source = "FM" }')
    assert msg == f"units[2].men: must be > 0 (line {line_of(bad, 'men = { value = 0')})"


def test_unit_in_the_lake(example_text: str, line_of) -> None:
    msg, bad = _one(
        example_text,
        'position = "WEST_EDGE"',
        "position = { lat = 50.0075, lon = 10.0, assumption = true }",
    )
    assert msg.startswith("units[0].position: (50.00750, 10.00000) is in the water (POND)")
    assert msg.endswith(f"(line {line_of(bad, 'position = { lat = 50.0075')})")


def test_unit_outside_the_map(example_text: str) -> None:
    msg, _ = _one(
        example_text,
        'position = "WEST_EDGE"',
        'position = { point = "HILL", north_m = 1600, assumption = true }',
    )
    assert "units[0].position:" in msg and "is outside the map" in msg


def test_order_for_a_missing_unit(example_text: str, line_of) -> None:
    msg, bad = _one(example_text, 'units = ["red-1"]', 'units = ["red-9"]')
    line = line_of(bad, 'units = ["red-9"]')
    assert msg == f"events[1].units[0]: no unit with id 'red-9' (line {line})"


def test_event_before_the_start(example_text: str) -> None:
    msg, _ = _one(example_text, "time = 2000-06-01T08:00:00", "time = 2000-05-31T08:00:00")
    assert msg.startswith("events[2].time: 2000-05-31T08:00:00 is before the scenario starts")


def test_event_after_the_end(example_text: str) -> None:
    msg, _ = _one(example_text, "end = 2000-06-01T08:30:00", "end = 2000-06-02T08:30:00")
    assert msg.startswith("events[2].end: 2000-06-02T08:30:00 is after the scenario ends")


def test_intel_may_precede_the_start(example_text: str) -> None:
    intel = (
        '\n[[events]]\nkind = "intel"\ntime = 1999-01-01T00:00:00\nside = "red"\n'
        'summary = "a defector"\nsource = "FM"\n'
    )
    text = example_text.replace("\n[[objectives]]", intel + "\n[[objectives]]", 1)
    assert load_text(text).events[-1].kind == "intel"


def test_undefined_source_key(example_text: str, line_of) -> None:
    old = 'note = "a basic load" }\nsource = "FM"'
    msg, bad = _one(example_text, old, old.replace('source = "FM"', 'source = "NOPE"'))
    line = line_of(bad, 'source = "NOPE"')
    assert msg == f"events[2].source: source key 'NOPE' is not defined in [sources] (line {line})"


def test_objective_without_area(example_text: str, line_of) -> None:
    msg, bad = _one(example_text, 'center = "HILL"\n', "")
    assert msg.startswith("objectives[0]: has no area")
    assert msg.endswith(f"(line {line_of(bad, '[[objectives]]')})")


def test_duplicate_unit_id(example_text: str) -> None:
    msg, _ = _one(example_text, 'id = "red-mortars"', 'id = "red-1"')
    assert msg.startswith("units[2].id: duplicate id 'red-1'")


def test_unknown_key_and_bare_number(example_text: str, line_of) -> None:
    msg, bad = _one(example_text, 'echelon = "section"', 'echelon = "section"\nmorale = 3')
    assert msg.startswith("units[2].morale: unknown key")
    assert msg.endswith(f"(line {line_of(bad, 'morale = 3')})")
    msg, _ = _one(example_text, 'men = { value = 120, source = "FM" }', "men = 120")
    assert msg.startswith("units[0].men: a bare number (120) has no provenance")


def test_assumption_out_of_its_range(example_text: str) -> None:
    msg, _ = _one(example_text, "low = 90, high = 130", "low = 111, high = 130")
    assert msg.startswith("units[1].men: needs low <= value <= high")


def test_unknown_event_kind_points_at_kind(example_text: str, line_of) -> None:
    msg, bad = _one(example_text, 'kind = "artillery"', 'kind = "artilery"')
    assert msg.startswith("events[2].kind: unknown kind 'artilery'")
    line = line_of(bad, 'kind = "artilery"')
    assert msg.endswith(f"(line {line})")


def test_toml_syntax_error(example_text: str) -> None:
    msg, _ = _one(example_text, "[meta]", "[meta")
    assert msg.startswith("TOML syntax error")


def test_all_problems_are_reported(example_text: str) -> None:
    bad = example_text.replace('units = ["red-1"]', 'units = ["x"]').replace(
        'units = ["blue-1"]', 'units = ["y"]'
    )
    assert len(_problems(bad)) == 2


def test_error_is_one_line_naming_the_file(example_text: str, write) -> None:
    path = write(example_text.replace('units = ["red-1"]', 'units = ["x"]'))
    with pytest.raises(KriegsspielError) as info:
        load(path)
    text = str(info.value)
    assert "\n" not in text and text.startswith(str(path)) and "events[1].units[0]" in text


def test_sizes_are_bounded(example_text: str, write) -> None:
    big = write(example_text + "#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ScenarioError, match="limit"):
        load(big)
    unit = example_text[
        example_text.index("[[units]]") : example_text.index(
            "[[units]]", example_text.index("[[units]]") + 1
        )
    ]
    many = example_text.replace(unit, unit * 2001, 1)
    assert any("at most 2000" in p for p in _problems(many))
    long_name = example_text.replace('name = "1st Company, Blue"', f'name = "{"x" * 201}"')
    assert any(p.startswith("units[0].name:") for p in _problems(long_name))


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ScenarioError):
        load_text("a = " + "[" * 100_000)


def test_not_utf8(tmp_path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"name = '\xe9'\n")
    with pytest.raises(ScenarioError, match="UTF-8"):
        load(path)


def test_unknown_file_or_name() -> None:
    with pytest.raises(ScenarioError, match="no such file, nor a shipped scenario"):
        load("no-such-scenario")


def test_html_in_a_name_is_plain_data(example_text: str) -> None:
    evil = "<img src=x onerror=alert(1)>"
    sc = load_text(example_text.replace('name = "1st Company, Blue"', f'name = "{evil}"'))
    assert sc.units[0].name == evil
