"""The shipped scenarios load, and every number in them has a source or an assumption range."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from kriegsspiel.scenario.geometry import grid, resolve
from kriegsspiel.scenario.loader import content_hash, load
from kriegsspiel.scenario.quantity import Quantity
from kriegsspiel.scenario.registry import shipped
from kriegsspiel.scenario.walk import walk
from kriegsspiel.terrain.raster import SideBorder, build_terrain

NAMES = sorted(shipped())
CLAIMS = set("abcdefghijklmn")


def test_the_three_are_shipped() -> None:
    assert {"khasan-1938", "khasan-1938-article", "example-meeting"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_loads_and_hash_is_stable(name: str) -> None:
    a, b = load(name), load(shipped()[name])
    assert a == b and content_hash(a) == content_hash(b) and len(content_hash(a)) == 64
    assert a.meta.name == name


@pytest.mark.parametrize("name", NAMES)
def test_every_number_has_provenance(name: str) -> None:
    sc = load(name)
    quantities = [(loc, q) for loc, q in walk(sc) if isinstance(q, Quantity)]
    assert quantities
    for loc, q in quantities:
        if q.assumption:
            assert q.low is not None and q.high is not None and q.low <= q.value <= q.high, loc
        else:
            assert q.source in sc.sources, loc


@pytest.mark.parametrize("name", NAMES)
def test_bracketed_citations_are_defined(name: str) -> None:
    text = shipped()[name].read_text(encoding="utf-8")
    sources = load(name).sources
    cited = set(re.findall(r"\[([A-Z][A-Za-z0-9-]*\d[a-z]?|[A-Z]{2,}[A-Za-z0-9-]*)\]", text))
    assert cited or name == "example-meeting"
    assert sorted(c for c in cited if c not in sources) == []


@pytest.mark.parametrize("name", ["khasan-1938", "khasan-1938-article"])
def test_units_start_where_their_border_rule_allows(name: str) -> None:
    sc = load(name)
    rules = {}
    for side_name, side in sc.sides.items():
        assert side.bound_by_border is not None and isinstance(side.home, str)
        rules[side_name] = SideBorder(side.bound_by_border, side.home)
    terrain = build_terrain(sc.terrain, rules)
    g = grid(sc.terrain)
    for u in sc.units:
        if u.position is None:
            continue
        x, y = g.to_xy(*resolve(sc.terrain, u.position))
        row, col = g.to_cell(x, y)
        assert not terrain.no_go_for(rules[u.side])[int(row), int(col)], u.id
    # the rule is not vacuous: the far side of each line is forbidden somewhere
    for rule in rules.values():
        assert np.any(terrain.no_go_for(rule))


def test_record_khasan_facts() -> None:
    sc = load("khasan-1938")
    assert {o.id for o in sc.objectives} == {"zaozernaya-north", "zaozernaya-south", "bezymyannaya"}
    assert 10 <= len(sc.units) <= 100  # platoon to battalion: tens, not thousands
    assert sc.unit("bg-bezymyannaya").men.value == 11
    night = [e for e in sc.events if e.kind == "order" and e.id and e.id.startswith("jp-night")]
    assert len(night) == 3 and all(e.condition is not None for e in night)
    cease = [e for e in sc.events if e.kind == "ceasefire"]
    assert len(cease) == 1
    stops = cease[0].fire_stops
    assert stops["soviet"] < cease[0].time < stops["japanese"]
    tanks = {k for u in sc.units for k in u.vehicles}
    assert {"t26", "bt7"} <= tanks
    fog_days = {p.start.date().isoformat() for p in sc.weather.periods if p.fog}
    assert {"1938-07-29", "1938-07-31", "1938-08-02"} <= fog_days


def test_article_departs_only_where_it_says() -> None:
    record, article = load("khasan-1938"), load("khasan-1938-article")
    assert article.meta.based_on == record.meta.name
    assert article.terrain == record.terrain and article.weather == record.weather
    assert article.departures and all(set(d.claim) <= CLAIMS for d in article.departures)
    assert {"h", "i", "j", "k", "l"} <= {d.claim for d in article.departures}
    assert not any("t26" in u.vehicles for u in article.units)
    assert article.unit("rr119-2coy").echelon == "platoon"
    assert article.meta.end < record.meta.end


def test_docs_example_is_the_shipped_example() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
    text = docs.read_text(encoding="utf-8")
    block = text.split("## A complete example", 1)[1].split("```toml\n", 1)[1].rsplit("```", 1)[0]
    assert block == shipped()["example-meeting"].read_text(encoding="utf-8")
