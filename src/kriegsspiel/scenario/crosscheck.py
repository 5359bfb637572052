"""Checks across sections: references, times, places and source keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from kriegsspiel.scenario.events import AirStrike, Artillery, Ceasefire, Intel, Order, Reinforcement
from kriegsspiel.scenario.geometry import in_frame, resolve, water_at
from kriegsspiel.scenario.places import Place
from kriegsspiel.scenario.problems import Loc
from kriegsspiel.scenario.walk import walk

if TYPE_CHECKING:
    from kriegsspiel.scenario.schema import Scenario

Found = list[tuple[Loc, str]]


def _duplicates(out: Found, section: Loc, ids: Iterable[str | None]) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident is None:
            continue
        if ident in seen:
            out.append(((*section, i, "id"), f"duplicate id {ident!r}"))
        seen.add(ident)


def _sources(sc: Scenario, out: Found) -> None:
    for loc, node in walk(sc):
        key = getattr(node, "source", None)
        if isinstance(key, str) and key not in sc.sources and loc[:1] != ("sources",):
            out.append(((*loc, "source"), f"source key {key!r} is not defined in [sources]"))


def _place(sc: Scenario, out: Found, loc: Loc, place: Place, *, on_land: bool) -> None:
    points = {p.id for p in sc.terrain.points}
    if place.point is not None and place.point not in points:
        out.append((loc, f"unknown terrain point {place.point!r}"))
        return
    lat, lon = resolve(sc.terrain, place)
    if not in_frame(sc.terrain, lat, lon):
        out.append((loc, f"({lat:.5f}, {lon:.5f}) is outside the map"))
    elif on_land and (water := water_at(sc.terrain, lat, lon)) is not None:
        out.append((loc, f"({lat:.5f}, {lon:.5f}) is in the water ({water})"))


def _window(sc: Scenario, out: Found, loc: Loc, t: datetime, *, early_ok: bool = False) -> None:
    start, end = sc.meta.start, sc.meta.end
    if t.tzinfo is not None:
        out.append((loc, "times are local wall-clock times: leave out the UTC offset"))
    elif t < start and not early_ok:
        out.append((loc, f"{t.isoformat()} is before the scenario starts ({start.isoformat()})"))
    elif t > end:
        out.append((loc, f"{t.isoformat()} is after the scenario ends ({end.isoformat()})"))


def _events(sc: Scenario, out: Found) -> None:
    units = {u.id: u for u in sc.units}
    objectives = {o.id for o in sc.objectives}
    for i, ev in enumerate(sc.events):
        loc: Loc = ("events", i)
        _window(sc, out, (*loc, "time"), ev.time, early_ok=isinstance(ev, Intel))
        for j, uid in enumerate(getattr(ev, "units", ())):
            if uid not in units:
                out.append(((*loc, "units", j), f"no unit with id {uid!r}"))
            elif isinstance(ev, AirStrike) and units[uid].type != "air":
                out.append(((*loc, "units", j), f"unit {uid!r} is not an air unit"))
            elif isinstance(ev, Order) and units[uid].type == "air":
                out.append(((*loc, "units", j), f"air unit {uid!r} takes air_strike events"))
        obj = getattr(ev, "objective", None)
        if obj is not None and obj not in objectives:
            out.append(((*loc, "objective"), f"no objective with id {obj!r}"))
        if isinstance(ev, Order):
            if ev.condition is not None and ev.condition.objective not in (None, *objectives):
                out.append(((*loc, "condition", "objective"), "no such objective"))
            if ev.until is not None:
                _window(sc, out, (*loc, "until"), ev.until)
                if ev.until <= ev.time:
                    out.append(((*loc, "until"), "must be after `time`"))
            for k, p in enumerate(ev.route):
                _place(sc, out, (*loc, "route", k), p, on_land=False)
        if isinstance(ev, Artillery | AirStrike):
            _window(sc, out, (*loc, "end"), ev.end)
            if ev.end <= ev.time:
                out.append(((*loc, "end"), "must be after `time`"))
        target = getattr(ev, "target", None)
        if target is not None:
            _place(sc, out, (*loc, "target"), target, on_land=False)
        if isinstance(ev, Reinforcement):
            _place(sc, out, (*loc, "place"), ev.place, on_land=True)
        if isinstance(ev, Intel) and ev.side not in sc.sides:
            out.append(((*loc, "side"), f"no side {ev.side!r}"))
        if isinstance(ev, Ceasefire):
            for side, t in ev.fire_stops.items():
                if side not in sc.sides:
                    out.append(((*loc, "fire_stops", side), f"no side {side!r}"))
                _window(sc, out, (*loc, "fire_stops", side), t)


def _units(sc: Scenario, out: Found) -> None:
    placed = {u for ev in sc.events if isinstance(ev, Reinforcement) for u in ev.units}
    for i, u in enumerate(sc.units):
        loc: Loc = ("units", i)
        if u.side not in sc.sides:
            out.append(((*loc, "side"), f"no side {u.side!r} in [sides]"))
        if u.arrives is not None:
            _window(sc, out, (*loc, "arrives"), u.arrives)
        if u.position is not None:
            _place(sc, out, (*loc, "position"), u.position, on_land=True)
            if u.id in placed:
                out.append(((*loc, "position"), "unit also enters by a reinforcement event"))
        elif u.type != "air" and u.id not in placed:
            out.append(((*loc, "position"), "needs a position (or a reinforcement event)"))


def _sides(sc: Scenario, out: Found) -> None:
    borders = {ln.id for ln in sc.terrain.lines}
    for name, side in sc.sides.items():
        loc: Loc = ("sides", name)
        if side.bound_by_border is not None and side.bound_by_border not in borders:
            out.append(((*loc, "bound_by_border"), f"no terrain line {side.bound_by_border!r}"))
        if isinstance(side.home, Place):
            _place(sc, out, (*loc, "home"), side.home, on_land=False)


def _departures(sc: Scenario, out: Found) -> None:
    if not sc.departures:
        return
    from kriegsspiel.scenario.overrides import path_exists

    data = sc.model_dump(mode="json")
    for i, dep in enumerate(sc.departures):
        for j, key in enumerate(dep.keys):
            if not path_exists(data, key):
                out.append(
                    (("departures", i, "keys", j), f"{key!r} names nothing in this scenario")
                )


def cross_check(sc: Scenario) -> Found:
    """Every cross-section problem as ``(key path, message)``; empty when consistent."""
    out: Found = []
    _duplicates(out, ("units",), (u.id for u in sc.units))
    _duplicates(out, ("events",), (e.id for e in sc.events))
    _duplicates(out, ("objectives",), (o.id for o in sc.objectives))
    t = sc.terrain
    _duplicates(out, ("terrain", "points"), (p.id for p in t.points))
    _duplicates(out, ("terrain", "polygons"), (p.id for p in t.polygons))
    _duplicates(out, ("terrain", "lines"), (p.id for p in t.lines))
    _sources(sc, out)
    _sides(sc, out)
    _units(sc, out)
    _events(sc, out)
    for i, obj in enumerate(sc.objectives):
        if obj.center is not None:
            _place(sc, out, ("objectives", i, "center"), obj.center, on_land=False)
    _departures(sc, out)
    for i, p in enumerate(sc.weather.periods):
        if p.end < sc.meta.start or p.start > sc.meta.end:
            out.append((("weather", "periods", i), "lies wholly outside the scenario's time"))
    if sc.whatifs:
        from kriegsspiel.scenario.whatifs import check_whatifs

        # the variants of a scenario with problems would only repeat them
        out.extend(check_whatifs(sc, apply=not out))
    return out
