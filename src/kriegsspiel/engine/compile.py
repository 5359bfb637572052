"""Compile a validated :class:`~kriegsspiel.scenario.schema.Scenario` into :class:`BattleArrays`.

Everything a run needs is resolved here, once, before any output is written: places to metres,
weapons to firepower by range band (unknown weapon ids are errors), the terrain raster and its
land cover mapped onto the QJM terrain rows, weather and light per step, the timeline as arrays
by step, objectives as centres and radii, and the cost-to-go field of every movement target.

Land cover to QJM terrain row: marsh -> swamp, mixed or open; forest -> rolling, heavily wooded;
village -> urban; scrub -> rolling, mixed; meadow and bare ground -> flat (mixed or bare) or,
where the ground within ~60 m slopes at :data:`RUGGED_SLOPE_DEG` or more, rugged, bare (the
crests and their slopes). Guns that fire indirect and can penetrate the enemy's thinnest armour
(infantry guns) also fire at tanks over open sights up to :data:`DIRECT_AT_RANGE_M`. A polygon
objective is replaced by the circle of the same area around
its vertex centroid.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime, time, timedelta

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from kriegsspiel.engine.arrays import (
    ACTIONS,
    AIR,
    ARRIVE_RADIUS_SHARE,
    COVER_FACTORS,
    FOOT,
    MOBILITIES,
    P_ATTACKING,
    P_DEFENDING,
    P_DUG_IN,
    P_MOVING,
    P_RESERVE,
    TANK,
    TYPES,
    BattleArrays,
    EventTables,
    TerrainArrays,
)
from kriegsspiel.engine.library import Library, Weapon, load_library
from kriegsspiel.engine.params import EngineParams
from kriegsspiel.errors import InputError
from kriegsspiel.scenario.events import AirStrike, Artillery, Ceasefire, Intel, Order, Reinforcement
from kriegsspiel.scenario.geometry import resolve
from kriegsspiel.scenario.loader import content_hash
from kriegsspiel.scenario.places import Place
from kriegsspiel.scenario.schema import Scenario, Unit
from kriegsspiel.terrain.features import LandCover, LatLon, Mobility
from kriegsspiel.terrain.movement import MoveField, cost_to_go
from kriegsspiel.terrain.raster import SideBorder, Terrain, build_terrain

__all__ = [
    "BAND_EDGES_M",
    "DIRECT_AT_RANGE_M",
    "RUGGED_SLOPE_DEG",
    "compile_scenario",
    "objective_frontage",
]

FloatArray = NDArray[np.float64]
I64 = np.int64

BAND_EDGES_M = np.array([100, 200, 300, 400, 500, 600, 800, 1000, 1500, 2000, 3000], dtype=float)
"""Upper edges of the direct-fire range bands (metres)."""

DIRECT_AT_RANGE_M = 1000.0
"""Range at which an indirect-fire gun able to penetrate the enemy's armour fires at tanks."""

FRONT_M = 600.0
"""A unit that starts this close to an objective rallies in its side's rear instead."""

RUGGED_SLOPE_DEG = 8.0
"""Ground this steep (maximum within ~60 m) counts as rugged (QJM terrain row)."""

_COVER_ROWS = (
    "flat_mixed",
    "flat_bare",
    "rugged_bare",
    "swamp_open",
    "rolling_wooded",
    "rolling_mixed",
    "urban",
)
_ROW_OF_COVER = {
    LandCover.MEADOW: "flat_mixed",
    LandCover.MARSH: "swamp_open",
    LandCover.FOREST: "rolling_wooded",
    LandCover.SCRUB: "rolling_mixed",
    LandCover.VILLAGE: "urban",
    LandCover.BARE: "flat_bare",
    LandCover.WATER: "swamp_open",
    LandCover.RIVER: "swamp_open",
}
_POSTURE = {
    "moving": P_MOVING,
    "attacking": P_ATTACKING,
    "defending": P_DEFENDING,
    "dug_in": P_DUG_IN,
    "reserve": P_RESERVE,
}
_TERRAINS: dict[str, Terrain] = {}
_TERRAIN_CACHE = 2


class _Fields:
    """Cost-to-go fields, one per (target cell, radius, mobility, side), numbered on demand."""

    def __init__(self, terrain: Terrain, bound: dict[str, bool]) -> None:
        self.terrain = terrain
        self.bound = bound
        self.fields: list[MoveField] = []
        self.index: dict[tuple[float, float, float, int, str], int] = {}

    def get(self, xy: tuple[float, float], radius: float, mobility: int, side: str) -> int:
        if mobility >= len(Mobility):  # air units do not move on the map
            return -1
        row, col = self.terrain.grid.to_cell(np.array([xy[0]]), np.array([xy[1]]))
        key = (float(row[0]), float(col[0]), radius, mobility, side)
        if key not in self.index:
            field = cost_to_go(
                self.terrain,
                xy,
                list(Mobility)[mobility],
                side if self.bound[side] else None,
                radius_m=radius,
            )
            self.index[key] = len(self.fields)
            self.fields.append(field)
        return self.index[key]


def _xy(sc: Scenario, terrain: Terrain, place: Place) -> tuple[float, float]:
    lat, lon = resolve(sc.terrain, place)
    x, y = terrain.grid.to_xy(np.array([lat]), np.array([lon]))
    return float(x[0]), float(y[0])


def _terrain(sc: Scenario, lib: Library) -> Terrain:
    """The scenario's terrain, built once per process for the same map and border rules.

    The terrain keeps the cost-to-go fields computed on it, so variants of a scenario on the
    same map (a sweep's design points) share them and compiling one again is cheap.
    """
    rules: dict[str, SideBorder] = {}
    for sid, side in sc.sides.items():
        if side.bound_by_border is None or side.home is None:
            continue
        if isinstance(side.home, str):  # a compass side of the line
            rules[sid] = SideBorder(side.bound_by_border, side.home)
        else:
            lat, lon = resolve(sc.terrain, side.home)
            rules[sid] = SideBorder(side.bound_by_border, LatLon(lat=lat, lon=lon))
    key = json.dumps(
        [
            sc.terrain.model_dump(mode="json"),
            sorted(map(repr, rules.items())),
            str(sc.terrain.base_dir),
        ]
    )
    if key not in _TERRAINS:
        if len(_TERRAINS) >= _TERRAIN_CACHE:
            _TERRAINS.pop(next(iter(_TERRAINS)))
        _TERRAINS[key] = build_terrain(sc.terrain, rules or None)
    return _TERRAINS[key]


def _terrain_arrays(
    sc: Scenario,
    terrain: Terrain,
    lib: Library,
    fields: list[MoveField],
) -> TerrainArrays:
    cls = np.zeros(terrain.shape, dtype=np.int8)
    for cover, row in _ROW_OF_COVER.items():
        cls[terrain.cover_class == cover.code] = _COVER_ROWS.index(row)
    width = max(1, round(60.0 / terrain.grid.cell_m))
    steep = ndimage.maximum_filter(terrain.slope_deg, size=2 * width + 1) >= RUGGED_SLOPE_DEG
    open_ground = np.isin(terrain.cover_class, [LandCover.MEADOW.code, LandCover.BARE.code])
    cls[steep & open_ground] = _COVER_ROWS.index("rugged_bare")
    factors = np.array(
        [[lib.value(f"terrain.{r}.{c}") for c in COVER_FACTORS] for r in _COVER_ROWS]
    )
    wet = np.isin(terrain.cover_class, [LandCover.WATER.code, LandCover.RIVER.code])
    passable = np.stack(
        [~wet & ~terrain.no_go.get(sid, np.zeros(terrain.shape, dtype=bool)) for sid in sc.sides]
    )
    grid = terrain.grid
    return TerrainArrays(
        x0=float(grid.x0),
        y0=float(grid.y0),
        cell_m=float(grid.cell_m),
        cover=cls,
        cover_names=_COVER_ROWS,
        factors=factors,
        speed=terrain.speed_kmh[:3].astype(np.float32),
        passable=passable,
        elevation=terrain.elevation.astype(np.float32),
        fields=tuple(fields),
    )


def objective_frontage(
    ter: TerrainArrays, centers: FloatArray, radii: FloatArray, assault_range: float
) -> FloatArray:
    """Metres of front each side can deploy on around each objective: (S, O).

    The length of the circle midway through the assault zone (radius plus half the assault
    range) that runs over ground the side may enter on foot and that lies on the map: a crest
    reached only by a narrow isthmus between a lake and a border offers little front.
    """
    out = np.zeros((ter.passable.shape[0], centers.shape[0]))
    angles = np.linspace(0.0, 2.0 * np.pi, 720, endpoint=False)
    for o in range(centers.shape[0]):
        ring = radii[o] + assault_range / 2.0
        x = centers[o, 0] + ring * np.cos(angles)
        y = centers[o, 1] + ring * np.sin(angles)
        r, c = ter.cell(x, y)
        open_ground = ter.inside(x, y) & (ter.speed[FOOT, r, c] > 0)
        share = (ter.passable[:, r, c] & open_ground[None, :]).mean(axis=1)
        out[:, o] = 2.0 * np.pi * ring * share
    return out


def _weapon(lib: Library, wid: str, where: str) -> Weapon:
    w = lib.weapon(wid)
    if w is None:
        known = ", ".join(sorted(lib.weapons))
        raise InputError(where, f"a weapon id of the parameter library ({known})", wid)
    return w


class _Firepower:
    """Per-unit firepower tables from weapon and vehicle counts."""

    def __init__(self, sc: Scenario, lib: Library) -> None:
        self.lib = lib
        n, k = len(sc.units), BAND_EDGES_M.size
        self.fp = np.zeros((n, k))
        self.fp_at = np.zeros((n, k))
        self.veh_fp = np.zeros(n)
        self.ind_fp = np.zeros(n)
        self.ind_range = np.zeros(n)
        self.guns = np.zeros(n)
        self.vehicles = np.zeros(n)
        self.armour = np.zeros(n)
        self.crew = np.zeros(n)
        self.bomb_kg = np.zeros(n)
        armour_of_side: dict[str, float] = {}
        for i, unit in enumerate(sc.units):
            for vid, q in unit.vehicles.items():
                if unit.type == "air":
                    continue
                w = _weapon(lib, vid, f"units[{i}].vehicles.{vid}")
                if w.armour_mm is not None and q.value > 0:
                    prev = armour_of_side.get(unit.side, math.inf)
                    armour_of_side[unit.side] = min(prev, w.armour_mm.value)
        for i, unit in enumerate(sc.units):
            enemy_armour = min(
                (a for s, a in armour_of_side.items() if s != unit.side), default=math.inf
            )
            self._unit(i, unit, enemy_armour)

    def _unit(self, i: int, unit: Unit, enemy_armour: float) -> None:
        lib = self.lib
        if unit.type == "air":
            total = 0.0
            for aid, q in unit.vehicles.items():
                if aid not in lib.aircraft:
                    known = ", ".join(lib.aircraft)
                    raise InputError(f"units[{i}].vehicles.{aid}", f"an aircraft id ({known})", aid)
                self.bomb_kg[i] += q.value * lib.aircraft[aid]["bomb_kg"].value
                total += q.value
            self.bomb_kg[i] /= max(total, 1.0)
            self.vehicles[i] = total
            return
        mids = np.concatenate([[0.0], BAND_EDGES_M[:-1]]) / 2 + BAND_EDGES_M / 2
        items = [(wid, q.value, False) for wid, q in unit.weapons.items()]
        items += [(vid, q.value, True) for vid, q in unit.vehicles.items()]
        for wid, count, vehicle in items:
            kind = "vehicles" if vehicle else "weapons"
            w = _weapon(lib, wid, f"units[{i}].{kind}.{wid}")
            oli = count * w.oli.value
            if w.is_vehicle:
                self.vehicles[i] += count
                if w.armour_mm is not None:
                    self.armour[i] = max(self.armour[i], w.armour_mm.value)
                if w.crew is not None:
                    self.crew[i] = max(self.crew[i], w.crew.value)
            pen = w.penetration_mm.value if w.penetration_mm is not None else 0.0
            can_at = pen >= enemy_armour * lib.value("tanks.armour_margin")
            if w.indirect:
                self.ind_fp[i] += oli
                self.ind_range[i] = max(self.ind_range[i], w.range_m.value)
                self.guns[i] += count
                if can_at:  # dual-purpose guns also fire over open sights at tanks
                    self.fp_at[i] += oli * (mids <= min(w.range_m.value, DIRECT_AT_RANGE_M))
                continue
            reach = mids <= w.range_m.value
            self.fp[i] += oli * reach
            if can_at:
                self.fp_at[i] += oli * reach
            if vehicle:
                self.veh_fp[i] += oli


def _rally_points(
    pos: FloatArray, side: NDArray[np.int64], centres: FloatArray, on_map: NDArray[np.bool_]
) -> FloatArray:
    """Where each unit withdraws to rally.

    Its start, unless that lies within :data:`FRONT_M` of an objective; then the mean start of
    its side's units in the rear.
    """
    if centres.shape[0] == 0:
        return pos.copy()
    d = np.hypot(pos[:, None, 0] - centres[None, :, 0], pos[:, None, 1] - centres[None, :, 1])
    front = d.min(axis=1) < FRONT_M
    home = pos.copy()
    for s in np.unique(side):
        rear = (side == s) & ~front & on_map
        if rear.any():
            home[(side == s) & front] = pos[rear].mean(axis=0)
    return home


def _weather(sc: Scenario, start: datetime, n: int, minutes: int) -> tuple[NDArray[np.bool_], ...]:
    mid = [start + timedelta(minutes=minutes * (k + 0.5)) for k in range(n)]
    fog = np.zeros(n, dtype=bool)
    rain = np.zeros(n, dtype=bool)
    cloud = np.zeros(n, dtype=bool)
    for period in sc.weather.periods:
        on = np.array([period.start <= t < period.end for t in mid], dtype=bool)
        fog |= on & period.fog
        rain |= on & period.rain
        cloud |= on & period.low_cloud
    rise, sset = sc.weather.sunrise, sc.weather.sunset
    night = np.array([not (rise <= time(t.hour, t.minute, t.second) < sset) for t in mid])
    return fog, rain, cloud, night


def _step(start: datetime, minutes: int, when: datetime) -> int:
    return math.floor((when - start).total_seconds() / 60.0 / minutes + 1e-9)


def compile_scenario(sc: Scenario, lib: Library | None = None) -> BattleArrays:
    """Compile ``sc`` with the shipped library (plus the scenario's named adjustments).

    Raises:
        InputError: a weapon, vehicle or aircraft id the library does not know, or an
            adjustment of a parameter the library does not have.
    """
    lib = lib or load_library()
    overrides: dict[str, float] = {}
    for k, adj in enumerate(sc.adjustments):
        if adj.applies_to:
            raise InputError(
                f"adjustments[{k}].applies_to", "empty (library-wide adjustments only)"
            )
        lib.param(adj.parameter)  # raises for an unknown key path
        overrides[adj.parameter] = adj.value.value
    if overrides:
        lib = lib.with_overrides(overrides)
    params = EngineParams.from_library(lib)
    start, minutes = sc.meta.start, sc.meta.time_step_minutes
    n_steps = max(1, math.ceil((sc.meta.end - start).total_seconds() / 60.0 / minutes))
    side_ids = tuple(sc.sides)
    side_of = {s: i for i, s in enumerate(side_ids)}
    unit_of = {u.id: i for i, u in enumerate(sc.units)}
    obj_of = {o.id: i for i, o in enumerate(sc.objectives)}
    terrain = _terrain(sc, lib)
    bound = {sid: sid in terrain.no_go for sid in side_ids}
    fields = _Fields(terrain, bound)
    fire = _Firepower(sc, lib)
    n = len(sc.units)

    # units
    utype = np.array([TYPES.index(u.type) for u in sc.units], dtype=I64)
    mobility = np.array([MOBILITIES.index(u.mobility) for u in sc.units], dtype=I64)
    side = np.array([side_of[u.side] for u in sc.units], dtype=I64)
    men0 = np.array([u.men.value for u in sc.units])
    arrive = np.array(
        [0 if u.arrives is None else max(0, _step(start, minutes, u.arrives)) for u in sc.units],
        dtype=I64,
    )
    pos = np.zeros((n, 2))
    for i, u in enumerate(sc.units):
        if u.position is not None:
            pos[i] = _xy(sc, terrain, u.position)
    for ev in sc.events:
        if isinstance(ev, Reinforcement):
            for uid in ev.units:
                pos[unit_of[uid]] = _xy(sc, terrain, ev.place)
                arrive[unit_of[uid]] = max(0, _step(start, minutes, ev.time))
    # objectives
    centers, radii, min_men = [], [], []
    for o in sc.objectives:
        if o.center is not None and o.radius_m is not None:
            centers.append(_xy(sc, terrain, o.center))
            radii.append(o.radius_m.value)
        else:
            assert o.polygon is not None
            lat = np.array([v[0] for v in o.polygon])
            lon = np.array([v[1] for v in o.polygon])
            x, y = terrain.grid.to_xy(lat, lon)
            area = 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
            centers.append((float(x.mean()), float(y.mean())))
            radii.append(math.sqrt(area / math.pi))
        min_men.append(o.min_men.value if o.min_men is not None else 0.0)
    obj_center = np.array(centers, dtype=float).reshape(-1, 2)
    obj_radius = np.array(radii, dtype=float)

    home = _rally_points(pos, side, obj_center, utype != AIR)
    home_field = np.array(
        [
            fields.get((home[i, 0], home[i, 1]), 0.0, int(mobility[i]), sc.units[i].side)
            for i in range(n)
        ],
        dtype=I64,
    )
    events = _events(
        sc,
        start,
        minutes,
        n_steps,
        side_ids,
        unit_of,
        obj_of,
        obj_center,
        obj_radius,
        terrain,
        fields,
        mobility,
        fire,
    )
    fog, rain, cloud, night = _weather(sc, start, n_steps, minutes)
    split = np.array(
        [
            [
                s.casualty_split.killed.value,
                s.casualty_split.wounded.value,
                s.casualty_split.missing.value,
            ]
            for s in sc.sides.values()
        ]
    )
    split /= split.sum(axis=1, keepdims=True)
    enemy_men = np.array(
        [
            s.intel.enemy_men.value
            if s.intel.enemy_men is not None
            else float(men0[side != side_of[sid]].sum())
            for sid, s in sc.sides.items()
        ]
    )
    rounds_h = fire.guns * lib.value("indirect.rounds_per_gun_hour")
    ammo0 = fire.guns * lib.value("indirect.basic_load_rounds_per_gun")
    posture0 = np.array([_POSTURE[u.posture] for u in sc.units], dtype=I64)
    ter = _terrain_arrays(sc, terrain, lib, fields.fields)
    veh_share = np.where(fire.fp[:, 0] > 0, fire.veh_fp / np.maximum(fire.fp[:, 0], 1e-9), 0.0)
    veh_share = np.where(utype == TANK, np.maximum(veh_share, 1.0 * (fire.veh_fp > 0)), veh_share)
    return BattleArrays(
        name=sc.meta.name,
        start=start,
        step_minutes=minutes,
        n_steps=n_steps,
        side_ids=side_ids,
        unit_ids=tuple(u.id for u in sc.units),
        objective_ids=tuple(o.id for o in sc.objectives),
        side=side,
        utype=utype,
        mobility=mobility,
        men0=men0,
        vehicles0=np.where(utype == TANK, fire.vehicles, 0.0),
        armour_mm=fire.armour,
        crew=fire.crew,
        band_edges=BAND_EDGES_M.copy(),
        fp=fire.fp,
        fp_at=fire.fp_at,
        vehicle_fp_share=np.clip(veh_share, 0.0, 1.0),
        ind_fp=fire.ind_fp,
        ind_range=fire.ind_range,
        rounds_per_hour=rounds_h,
        ammo0=ammo0,
        resupply_per_hour=fire.guns * lib.value("indirect.resupply_rounds_per_gun_day") / 24.0,
        bomb_kg=fire.bomb_kg,
        pos0=pos,
        home=home,
        home_field=home_field,
        posture0=posture0,
        arrive_step=arrive,
        terrain=ter,
        fog=fog,
        rain=rain,
        cloud=cloud,
        night=night,
        obj_center=obj_center,
        obj_radius=obj_radius,
        obj_min_men=np.array(min_men, dtype=float),
        obj_frontage=objective_frontage(ter, obj_center, obj_radius, params.assault_range),
        events=events,
        casualty_split=split,
        intel_enemy_men=enemy_men,
        intel_positions=np.array([s.intel.positions_known for s in sc.sides.values()]),
        cev=np.array([1.0 if s.cev is None else s.cev.value for s in sc.sides.values()]),
        params=params,
        content_hash=content_hash(sc),
    )


def _events(
    sc: Scenario,
    start: datetime,
    minutes: int,
    n_steps: int,
    side_ids: tuple[str, ...],
    unit_of: dict[str, int],
    obj_of: dict[str, int],
    obj_center: FloatArray,
    obj_radius: FloatArray,
    terrain: Terrain,
    fields: _Fields,
    mobility: NDArray[np.int64],
    fire: _Firepower,
) -> EventTables:
    orders: list[Row] = []
    progs: list[Row] = []
    airs: list[Row] = []
    intel: list[Row] = []
    cease = np.full(len(side_ids), n_steps, dtype=I64)

    def aim(objective: str | None, place: Place | None) -> tuple[float, float, float]:
        if place is not None:
            x, y = _xy(sc, terrain, place)
            return x, y, 0.0
        if objective is not None:
            o = obj_of[objective]
            return float(obj_center[o, 0]), float(obj_center[o, 1]), float(obj_radius[o])
        return math.nan, math.nan, 0.0

    for g, ev in enumerate(sc.events):
        k = _step(start, minutes, ev.time)
        if isinstance(ev, Order):
            x, y, radius = aim(ev.objective, ev.target)
            action = ACTIONS.index(ev.action)
            until = n_steps if ev.until is None else _step(start, minutes, ev.until)
            thr = math.nan if ev.condition is None else ev.condition.threshold.value
            cobj = -1
            if ev.condition is not None and ev.condition.objective is not None:
                cobj = obj_of[ev.condition.objective]
            obj = obj_of[ev.objective] if ev.objective is not None else -1
            surprise = 0.0 if ev.surprise is None else ev.surprise.value
            stays = ev.action in ("hold", "dig_in") and ev.target is None
            for uid in ev.units:
                u = unit_of[uid]
                fld = -1
                if not math.isnan(x) and not stays:
                    r = radius * ARRIVE_RADIUS_SHARE
                    fld = fields.get((x, y), r, int(mobility[u]), sc.units[u].side)
                tx, ty = (math.nan, math.nan) if stays else (x, y)
                orders.append((k, u, action, tx, ty, obj, fld, until, thr, cobj, g, surprise))
        elif isinstance(ev, Artillery):
            x, y, _ = aim(ev.objective, ev.target)
            end = _step(start, minutes, ev.end)
            total = ev.rounds.value if ev.rounds is not None else math.inf
            guns = sum(fire.guns[unit_of[uid]] for uid in ev.units)
            for uid in ev.units:
                u = unit_of[uid]
                share = fire.guns[u] / guns if guns > 0 else 1.0 / len(ev.units)
                progs.append((k, max(end, k + 1), u, x, y, total * share))
        elif isinstance(ev, AirStrike):
            x, y, _ = aim(ev.objective, ev.target)
            end = max(_step(start, minutes, ev.end), k + 1)
            planes = sum(fire.vehicles[unit_of[uid]] for uid in ev.units)
            for uid in ev.units:
                u = unit_of[uid]
                share = fire.vehicles[u] / planes if planes > 0 else 1.0 / len(ev.units)
                sorties = ev.sorties.value * share
                kg = fire.bomb_kg[u]
                if ev.bombs_t is not None and ev.sorties.value > 0:
                    kg = ev.bombs_t.value * 1000.0 / ev.sorties.value
                airs.append((k, end, u, x, y, sorties, kg))
        elif isinstance(ev, Intel):
            men = ev.enemy_men.value if ev.enemy_men is not None else math.nan
            pos = -1 if ev.positions_known is None else int(ev.positions_known)
            intel.append((max(k, 0), side_ids.index(ev.side), men, pos))
        elif isinstance(ev, Ceasefire):
            for s, sid in enumerate(side_ids):
                cease[s] = min(cease[s], _step(start, minutes, ev.fire_stops.get(sid, ev.time)))
    return _tables(orders, progs, airs, intel, cease)


Row = tuple[float, ...]


def _ints(rows: Sequence[Row], i: int) -> NDArray[np.int64]:
    return np.array([r[i] for r in rows], dtype=I64)


def _floats(rows: Sequence[Row], i: int) -> FloatArray:
    return np.array([r[i] for r in rows], dtype=float)


def _xy_cols(rows: Sequence[Row], i: int) -> FloatArray:
    return np.array([[r[i], r[i + 1]] for r in rows], dtype=float).reshape(-1, 2)


def _tables(
    orders: list[Row],
    progs: list[Row],
    airs: list[Row],
    intel: list[Row],
    cease: NDArray[np.int64],
) -> EventTables:
    o = sorted(orders, key=lambda r: (r[0], r[10]))
    p = sorted(progs, key=lambda r: r[0])
    a = sorted(airs, key=lambda r: r[0])
    t = sorted(intel, key=lambda r: r[0])
    return EventTables(
        order_step=_ints(o, 0),
        order_unit=_ints(o, 1),
        order_action=_ints(o, 2),
        order_target=_xy_cols(o, 3),
        order_objective=_ints(o, 5),
        order_field=_ints(o, 6),
        order_until=_ints(o, 7),
        order_threshold=_floats(o, 8),
        order_cond_objective=_ints(o, 9),
        order_group=_ints(o, 10),
        order_surprise=_floats(o, 11),
        prog_start=_ints(p, 0),
        prog_end=_ints(p, 1),
        prog_unit=_ints(p, 2),
        prog_target=_xy_cols(p, 3),
        prog_rounds=_floats(p, 5),
        air_start=_ints(a, 0),
        air_end=_ints(a, 1),
        air_unit=_ints(a, 2),
        air_target=_xy_cols(a, 3),
        air_sorties=_floats(a, 5),
        air_bomb_kg=_floats(a, 6),
        intel_step=_ints(t, 0),
        intel_side=_ints(t, 1),
        intel_enemy_men=_floats(t, 2),
        intel_positions=_ints(t, 3),
        ceasefire_step=cease,
    )
