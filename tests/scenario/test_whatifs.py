"""Named what-ifs: loading, the shipped what-ifs of khasan-1938 and what they change, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kriegsspiel.errors import InputError
from kriegsspiel.scenario import Scenario, load, load_text, variant, whatif
from kriegsspiel.scenario.events import AirStrike, Order
from kriegsspiel.scenario.geometry import grid, resolve
from kriegsspiel.scenario.overrides import apply_overrides, split_override
from kriegsspiel.scenario.problems import ScenarioError
from kriegsspiel.terrain import build_terrain
from kriegsspiel.terrain.features import LandCover, Mobility

SHIPPED = {
    "no-air",
    "no-fog",
    "firm-ground",
    "cross-border",
    "no-defector",
    "no-surprise",
    "guards-on-crest",
    "article",
}


@pytest.fixture(scope="module")
def record() -> Scenario:
    return load("khasan-1938")


def _changed_sections(a: Scenario, b: Scenario) -> set[str]:
    da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
    return {key for key in da if key != "whatifs" and da[key] != db[key]}


def test_record_ships_the_issue_what_ifs_with_cited_history(record: Scenario) -> None:
    assert set(record.whatifs) == SHIPPED
    for name, w in record.whatifs.items():
        assert w.sources, name
        for key in w.sources:
            assert key in record.sources and f"[{key}]" in w.history, (name, key)


@pytest.mark.parametrize(
    ("name", "sections"),
    [
        ("no-air", {"events", "units"}),
        ("no-fog", {"weather"}),
        ("firm-ground", {"terrain"}),
        ("cross-border", {"sides"}),
        ("no-defector", {"sides"}),
        ("no-surprise", {"events"}),
        ("guards-on-crest", {"units"}),
    ],
)
def test_each_override_what_if_changes_only_its_sections(
    record: Scenario, name: str, sections: set[str]
) -> None:
    changed = variant(record, name)
    assert changed.meta.name == record.meta.name and not changed.whatifs
    assert _changed_sections(record, changed) == sections


def test_no_air_grounds_every_aircraft(record: Scenario) -> None:
    strikes = [e for e in record.events if isinstance(e, AirStrike)]
    assert strikes and sum(e.sorties.value for e in strikes) > 0
    new = variant(record, "no-air")
    new_strikes = [e for e in new.events if isinstance(e, AirStrike)]
    assert len(new_strikes) == len(strikes)
    assert all(e.sorties.value == 0 for e in new_strikes)
    air = [u for u in new.units if u.type == "air"]
    assert air and all(u.sorties is not None and u.sorties.value == 0 for u in air)
    others = [e for e in record.events if not isinstance(e, AirStrike)]
    assert others == [e for e in new.events if not isinstance(e, AirStrike)]


def test_no_fog_clears_fog_but_keeps_rain_and_cloud(record: Scenario) -> None:
    assert any(p.fog for p in record.weather.periods)
    new = variant(record, "no-fog")
    assert not any(p.fog for p in new.weather.periods)
    assert [(p.rain, p.low_cloud) for p in new.weather.periods] == [
        (p.rain, p.low_cloud) for p in record.weather.periods
    ]


def test_firm_ground_gives_tracked_vehicles_meadow_speed_in_the_marsh(record: Scenario) -> None:
    tracked = Mobility.TRACKED.code

    def speeds(sc: Scenario) -> tuple[set[float], set[float]]:
        ter = build_terrain(sc.terrain)
        plain = (ter.road == 0) & ~ter.ford & (ter.slope_deg < 1e-6)  # no overlay, level
        marsh = plain & (ter.cover_class == LandCover.MARSH.code)
        meadow = plain & (ter.cover_class == LandCover.MEADOW.code)
        assert marsh.any() and meadow.any()
        return set(np.unique(ter.speed_kmh[tracked][marsh]).tolist()), set(
            np.unique(ter.speed_kmh[tracked][meadow]).tolist()
        )

    marsh, meadow = speeds(record)
    assert marsh != meadow  # the record's marsh slows tanks
    marsh, meadow = speeds(variant(record, "firm-ground"))
    assert marsh == meadow and len(meadow) == 1
    foot = Mobility.FOOT.code  # infantry still wades
    ter = build_terrain(variant(record, "firm-ground").terrain)
    is_marsh = ter.cover_class == LandCover.MARSH.code
    assert np.array_equal(
        ter.speed_kmh[foot][is_marsh], build_terrain(record.terrain).speed_kmh[foot][is_marsh]
    )


def test_cross_border_lifts_only_the_soviet_border_rule(record: Scenario) -> None:
    assert record.sides["soviet"].bound_by_border is not None
    new = variant(record, "cross-border")
    assert new.sides["soviet"].bound_by_border is None
    assert new.sides["japanese"] == record.sides["japanese"]


def test_no_defector_raises_the_japanese_prior_to_the_top_of_its_range(record: Scenario) -> None:
    before = record.sides["japanese"].intel.enemy_men
    after = variant(record, "no-defector").sides["japanese"].intel.enemy_men
    assert before is not None and after is not None
    assert after.value == before.bounds[1] > before.value
    assert after.assumption


def test_article_what_if_runs_the_article_scenario(record: Scenario) -> None:
    assert whatif(record, "article").overrides is None
    assert variant(record, "article").meta.name == "khasan-1938-article"


def test_unknown_what_if_is_one_line_naming_every_what_if(record: Scenario) -> None:
    with pytest.raises(InputError) as err:
        variant(record, "no-tanks")
    message = str(err.value)
    assert "\n" not in message and "no-tanks" in message
    assert all(name in message for name in SHIPPED)


def test_field_selectors_and_equals_inside_brackets(record: Scenario) -> None:
    assert split_override("events[kind=air_strike].sorties=0") == (
        "events[kind=air_strike].sorties",
        "0",
    )
    new = apply_overrides(record, ["units[type=tank].posture=reserve"])
    assert all(u.posture == "reserve" for u in new.units if u.type == "tank")
    assert any(u.posture != "reserve" for u in new.units if u.type != "tank")
    with pytest.raises(InputError, match="kind = 'air_raid'"):
        apply_overrides(record, ["events[kind=air_raid].sorties=0"])


_WHATIF = """
[whatifs.{name}]
title = "A variant"
history = "Something happened [FM]."
sources = ["FM"]
{body}
"""


@pytest.mark.parametrize(
    ("body", "path", "needle", "message"),
    [
        ('overrides = ["units[red-1].men=0"]', "whatifs.bad.overrides", "overrides =", "> 0"),
        ('overrides = ["units[nobody].men=5"]', "whatifs.bad.overrides[0]", "overrides", "nobody"),
        ('overrides = ["units[red-1].men"]', "whatifs.bad.overrides[0]", "overrides", "key.path="),
        (
            'overrides = ["units[red-1].men=5", "units[red-1].men=6"]',
            "whatifs.bad.overrides[1]", "overrides =", "twice",
        ),
        ('scenario = "no-such-scenario"', "whatifs.bad.scenario", "scenario =", "shipped"),
        ('scenario = "example-meeting"', "whatifs.bad.scenario", "scenario =", "another"),
        (
            'scenario = "khasan-1938"\noverrides = ["units[red-1].men=5"]',
            "whatifs.bad", "[whatifs.bad]", "exactly one",
        ),
    ],
)  # fmt: skip
def test_bad_what_ifs_name_key_path_and_line(
    example_text: str,
    line_of: Callable[[str, str], int],
    body: str,
    path: str,
    needle: str,
    message: str,
) -> None:
    text = example_text + _WHATIF.format(name="bad", body=body)
    with pytest.raises(ScenarioError) as err:
        load_text(text, "w.toml")
    first = str(err.value.problems[0])
    assert first.startswith(f"{path}:") and message in first
    assert err.value.problems[0].line == line_of(text, needle)


def test_undefined_source_key_is_reported(example_text: str) -> None:
    text = example_text + _WHATIF.format(name="bad", body='overrides = ["units[red-1].men=5"]')
    text = text.replace('sources = ["FM"]', 'sources = ["FM", "NOPE"]')
    with pytest.raises(ScenarioError, match=r"whatifs\.bad\.sources\[1\]: source key 'NOPE'"):
        load_text(text, "w.toml")


def test_a_good_user_what_if_loads_and_applies(example_text: str, tmp_path: Path) -> None:
    text = example_text + _WHATIF.format(
        name="clear", body='overrides = ["weather.periods[*].fog=false"]'
    )
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    sc = load(path)
    assert list(sc.whatifs) == ["clear"]
    assert not any(p.fog for p in variant(sc, "clear").weather.periods)


def test_a_broken_scenario_is_reported_once_not_again_per_what_if(example_text: str) -> None:
    text = example_text + _WHATIF.format(name="bad", body='overrides = ["units[red-1].men=5"]')
    text = text.replace('sources = ["FM"]', 'sources = ["FM", "NOPE"]')
    broken = text.replace(
        'east_m = -100, assumption = true, note = "just inside the map"',
        "east_m = 100000, assumption = true",
        1,
    )
    assert broken != text
    with pytest.raises(ScenarioError) as err:
        load_text(broken, "w.toml")
    problems = [str(p) for p in err.value.problems]
    assert not any("overrides give an invalid scenario" in p for p in problems), problems
    assert any("source key 'NOPE'" in p for p in problems), problems


def test_no_surprise_takes_every_surprise_away(record: Scenario) -> None:
    def levels(sc: Scenario) -> list[float]:
        return [e.surprise.value for e in sc.events if isinstance(e, Order) and e.surprise]

    assert levels(record) and min(levels(record)) > 0
    assert levels(variant(record, "no-surprise")) == [0.0] * len(levels(record))


def _metres_to_crests(sc: Scenario, unit: str) -> dict[str, float]:
    g = grid(sc.terrain)
    x, y = g.to_xy(*resolve(sc.terrain, sc.unit(unit).position))
    out = {}
    for o in sc.objectives:
        ox, oy = g.to_xy(*resolve(sc.terrain, o.center))
        out[o.id] = float(np.hypot(x - ox, y - oy)) - o.radius_m.value
    return out


def test_guards_on_crest_moves_the_zaozernaya_guards_inside_the_southern_crest(
    record: Scenario,
) -> None:
    # the record's assumed spot lies outside both crest circles (the crests are empty at
    # midnight on 30/31 July); the what-if puts the guards inside the southern one
    before = _metres_to_crests(record, "bg-zaozernaya")
    assert before["zaozernaya-south"] > 0 and before["zaozernaya-north"] > 0
    after = _metres_to_crests(variant(record, "guards-on-crest"), "bg-zaozernaya")
    assert after["zaozernaya-south"] < 0
