"""kriegsspiel against Mesa agents on the 6 August slice of khasan-1938 (a timing script).

Both start from the same state: one kriegsspiel replication run to 1938-08-06T12:00, copied.
The slice is the 24 hours of the general offensive (288 steps of 5 minutes) on the same
terrain raster. The Mesa model implements the engine's per-step rules for the slice, with the
engine's code (``kriegsspiel.engine``: ``core``, ``fire``, ``doctrine``, ``movement``) as the
specification and the compiled arrays' parameters:

* the timeline: the slice's orders (all unconditional) and fire programmes;
* detection: the nearest live enemy and the nearest one that is not armour, if within the
  detection range of the hour and in sight (the same sampled line of sight over the same
  elevation raster) or within the contact distance; what a side sees is *observed*;
* direct fire: anti-armour weapons at armour, the rest at the nearest soft enemy; OLI in the
  range band, strength (men and vehicles), suppression, morale, night, the QJM terrain, posture
  and weather factors, at the pair's intensity (main effort, moving, holding);
* indirect fire: guns in a programme shell the enemy nearest its aim point, the others the
  nearest observed enemy in range, with ammunition spent and resupplied; air strikes;
* losses: the engagement-level Helmbold law (CDB90 constants) over the engaged force of each
  unit's battle area (recomputed hourly), with the posture, terrain and weather vulnerability;
  tank losses by the QJM tank-loss ratio, burned, repaired and crew casualties; Poisson draws;
* suppression and morale: suppression from losses (decaying); units break at the attacker's or
  defender's breakpoint, withdraw home along their navigation field and rally after the rally
  time; the 40 % rule;
* doctrine: arrival, assault posture, digging in, counter-attacks on a lost or contested crest;
* hourly control of the objectives and assaults on contested ones: combat power (QJM P = S x V
  x CEV with the objective's ground, the front share and the observed guns' support), the
  chance per hour from the QJM advance rate for the power ratio and defence;
* movement: along the engine's navigation fields (the terrain's ``step_toward`` on the
  compiled arrays' fields, called per agent), straight at the end (sub-steps of two cells,
  never into forbidden cells), with the night, fog, suppression and assault-pace factors.

Still not in the Mesa model (the engine does them): the killed/wounded/missing split,
aircraft losses, intelligence beliefs and conditional orders (no conditional order, intel event,
arrival or ceasefire falls in the slice), the CEV loss factor (both sides' CEV is 1 here, so
it is 1), the trace; and the engine's longer steps in calm spells and its loops compiled by
numba are speed devices, not rules. Mesa runs one ``Model`` per replication with one ``Agent`` per
unit (the idiomatic way), with per-unit constants and parameter tables as Python floats and
lists and the rasters as Python lists; the men lost over the slice are printed for both as a
sanity check (about 505 and 470 per replication in session 4). Reported: unit-steps per second
of each (live units x steps x replications / wall time) and their ratio. Goal: kriegsspiel >=
50x Mesa.

Defaults: ``--reps 250`` because ``kriegsspiel run`` simulates a 1,000-replication experiment
as blocks of 250 (one block per worker at a time); ``--reps 1000`` (one block of 1,000) gives
about the same rate, since the engine's cost is per (replication, unit) element. Measured on 2
cores of a shared machine (load average about 0.9), three runs: kriegsspiel 2.64-2.71 million
unit-steps/s at 250 against Mesa's 47 thousand, a ratio of 57-58x (median 57x); at 1,000 2.70
million, 56x. The goal is met. Before the engine's hot loops were compiled with numba (nearest
enemy, line of sight, detection, movement, distance tests, doctrine; results bit-identical) it
was 30-31x in the same conditions (kriegsspiel 1.44-1.50 million unit-steps/s), and before the
Mesa model had indirect fire, morale, assaults and navigation fields 10-11x. ``--mesa-reps 10``:
Mesa's time is
short, and fewer replications make its rate noisy. Needs the optional extra:
``pip install 'kriegsspiel[bench]'``.

    python benchmarks/peers/bench_mesa.py [--reps 250] [--mesa-reps 10]
"""

from __future__ import annotations

import argparse
import bisect
import math
import time
from dataclasses import fields, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import mesa
import numpy as np

from kriegsspiel.engine.arrays import (
    A_ADVANCE,
    A_ASSAULT,
    A_COUNTER,
    A_DIG_IN,
    A_HOLD,
    A_WITHDRAW,
    AIR,
    ARRIVE_RADIUS_SHARE,
    FOOT,
    MOVING_ACTIONS,
    P_ATTACKING,
    P_DEFENDING,
    P_DUG_IN,
    P_MOVING,
    P_RESERVE,
    P_WITHDRAWING,
    TANK,
    BattleArrays,
)
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.movement import FINAL_APPROACH_M
from kriegsspiel.engine.runner import compiled
from kriegsspiel.engine.state import State
from kriegsspiel.scenario import load
from kriegsspiel.terrain.movement import step_toward

SLICE_START = datetime(1938, 8, 6, 12, 0)
SLICE_HOURS = 24
ARRIVE_M = 25.0  # the engine's arrival distance (doctrine)
MAX_SUBSTEPS = 64  # the engine's straight-line sub-steps (movement)
BOTH = (
    "orders and fire programmes, detection with line of sight, direct fire with the anti-armour"
    " split, indirect fire with ammunition, air strikes, Helmbold losses over battle areas,"
    " vehicle losses and repair, suppression, breakpoints, withdrawal and rally, doctrine"
    " (arrival, postures, digging in, counter-attacks), hourly control and assaults (combat"
    " power, QJM advance rate), movement on navigation fields"
)
ENGINE_ONLY = (
    "killed/wounded/missing split, aircraft losses, intelligence, the CEV loss factor (1 here),"
    " the trace"
)


def tiled(st: State, reps: int) -> State:
    """The state of replication 0 copied ``reps`` times."""
    return State(**{f.name: np.repeat(getattr(st, f.name)[:1], reps, axis=0) for f in fields(st)})


def _interp(x: float, xs: list[float], ys: list[float]) -> float:
    """Linear interpolation in a table (held at the ends), as ``numpy.interp``."""
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, x)
    t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
    return ys[i - 1] + t * (ys[i] - ys[i - 1])


def _plain(value: object) -> object:
    return value.tolist() if isinstance(value, np.ndarray) else value


def _intensity(p: Any, action: int) -> float:
    if action in (A_ASSAULT, A_COUNTER):
        return float(p.main_effort)
    return 1.0 if action in MOVING_ACTIONS else float(p.holding)


class Unit(mesa.Agent):  # type: ignore[misc]
    """One unit: its state, and the arrays' per-unit constants as Python numbers."""

    def __init__(self, model: Battle, u: int, st: State) -> None:
        super().__init__(model)
        arr = model.arr
        self.u, self.side = u, int(arr.side[u])
        self.x, self.y = float(st.x[0, u]), float(st.y[0, u])
        self.men, self.veh = float(st.men[0, u]), float(st.veh_op[0, u])
        self.repair = float(st.veh_repair[0, u])
        self.tank = bool(arr.utype[u] == TANK)
        self.foot = bool(arr.mobility[u] == FOOT)
        self.tx, self.ty = float(st.tx[0, u]), float(st.ty[0, u])
        self.posture, self.action = int(st.posture[0, u]), int(st.action[0, u])
        self.field, self.objective = int(st.field[0, u]), int(st.objective[0, u])
        self.hold_since, self.rally_step = int(st.hold_since[0, u]), int(st.rally_step[0, u])
        self.supp, self.broken = float(st.supp[0, u]), bool(st.broken[0, u])
        self.ref, self.ammo = float(st.ref[0, u]), float(st.ammo[0, u])
        self.fp, self.fp_at = arr.fp[u].tolist(), arr.fp_at[u].tolist()
        self.crew = max(float(arr.crew[u]), 1.0)
        self.men0 = max(float(arr.men0[u]), 1e-9)
        self.veh0 = float(arr.vehicles0[u])
        self.share = float(arr.vehicle_fp_share[u])
        self.initial = self.veh0 if self.tank else float(arr.men0[u])
        self.mobility = min(int(arr.mobility[u]), 2)
        self.ind_fp, self.ind_range = float(arr.ind_fp[u]), float(arr.ind_range[u])
        self.rounds_per_hour, self.ammo0 = float(arr.rounds_per_hour[u]), float(arr.ammo0[u])
        self.resupply = float(arr.resupply_per_hour[u])
        self.home = (float(arr.home[u, 0]), float(arr.home[u, 1]))
        self.home_field = int(arr.home_field[u])
        self.cev = float(arr.cev[self.side])
        self.target: Unit | None = None
        self.soft: Unit | None = None
        self.dist = self.soft_dist = math.inf
        self.observed = self.fighting = False
        self.near: list[Unit] = []
        self.z = self.i = self.mean = 0.0
        self.moving = False
        self.factor, self.cap = 1.0, math.inf
        self.mx, self.my, self.mfield = self.tx, self.ty, self.field

    def alive(self) -> bool:
        return (self.veh if self.tank else self.men) > 0

    def strength(self) -> float:
        """Fighting strength (vehicles for tanks): what breakpoints are measured on."""
        return self.veh if self.tank else self.men

    def force(self) -> float:
        """Men in the force (a tank counts with its crew)."""
        return self.veh * self.crew if self.tank else self.men

    def firer_factor(self) -> float:
        """Strength, suppression, morale and light (the engine's ``firer_factor``)."""
        m = self.model
        veh = self.veh / max(self.veh0, 1e-9) if self.veh0 > 0 else 0.0
        f = (1.0 - self.share) * self.men / self.men0 + self.share * veh
        f *= 1.0 - min(self.supp, 1.0)
        if self.broken:
            f *= m.p.morale_floor
        if m.night:
            f *= m.p.night_fire
        return f if m.fire_ok[self.side] else 0.0

    def detect(self) -> None:
        """The nearest live enemy, and the nearest one that is not armour, if seen."""
        self.target = self.soft = None
        self.dist = self.soft_dist = math.inf
        if not self.alive():
            return
        m = self.model
        nearest = soft = None
        best = best_soft = math.inf
        for other in m.live:
            if other.side != self.side:
                d = math.hypot(other.x - self.x, other.y - self.y)
                if d < best:
                    nearest, best = other, d
                if not other.tank and d < best_soft:
                    soft, best_soft = other, d
        if nearest is not None and m.visible(self, nearest, best):
            self.target, self.dist = nearest, best
            nearest.observed = True
        if soft is not None and m.visible(self, soft, best_soft):
            self.soft, self.soft_dist = soft, best_soft
            soft.observed = True

    def behave(self) -> None:
        """Rally, the 40 % rule, arrival, counter-attack, postures, digging in, withdrawal."""
        m, p, k = self.model, self.model.p, self.model.k
        self.moving = False
        if not self.alive():
            return
        if self.broken and self.rally_step <= k:
            self.broken, self.ref = False, self.strength()
            self.posture, self.hold_since = P_DEFENDING, k
        spent = self.strength() <= (1.0 - p.ineffective) * self.initial
        if self.action in (A_ADVANCE, A_ASSAULT, A_COUNTER) and spent and not self.broken:
            self.action, self.tx, self.ty = A_HOLD, self.x, self.y
            self.posture, self.hold_since = P_DEFENDING, k
        to_go = math.hypot(self.tx - self.x, self.ty - self.y)
        going = self.action in MOVING_ACTIONS and not self.broken
        o = self.objective
        contested = ours = inside = near_centre = False
        holder = -1
        if o >= 0:
            (cx, cy), radius = m.obj_center[o], m.obj_radius[o]
            contested, holder = m.contested[o], m.control[o]
            ours = m.last_holder[o] == self.side
            d_obj = math.hypot(self.x - cx, self.y - cy)
            inside = d_obj <= radius
            near_centre = d_obj <= max(radius * ARRIVE_RADIUS_SHARE, ARRIVE_M)
        at_target = near_centre if o >= 0 else to_go <= ARRIVE_M
        withdrawn = going and to_go <= ARRIVE_M and self.action == A_WITHDRAW
        attacking = going and self.action != A_WITHDRAW
        settled = attacking and (
            (at_target and not contested and self.target is None) or (inside and ours)
        )
        if settled or withdrawn:
            self.action, self.posture, self.hold_since = A_HOLD, P_DEFENDING, k
            going = False
        lost = o >= 0 and holder >= 0 and holder != self.side
        ready = not self.broken and not spent and self.action == A_HOLD
        if ready and (lost or (contested and not ours)):
            self.action = A_COUNTER
            self.tx, self.ty = m.obj_center[o]
            self.field, self.ref = -1, self.strength()
            going = True
        if going and self.action != A_WITHDRAW:
            close = self.target is not None and self.dist <= p.assault_range
            assault = close or self.action == A_ASSAULT
            self.posture = P_ATTACKING if assault else P_MOVING
        dig_steps = p.dig_hours * 60 / m.arr.step_minutes
        if (
            self.action == A_HOLD
            and self.posture == P_DEFENDING
            and k - self.hold_since >= dig_steps
        ):
            self.posture = P_DUG_IN
        if self.action == A_DIG_IN:
            self.posture = P_DUG_IN
        tx, ty, field = self.tx, self.ty, self.field
        if self.broken:
            self.posture = P_WITHDRAWING
            (tx, ty), field = self.home, self.home_field
        home = math.hypot(self.x - tx, self.y - ty) <= ARRIVE_M
        moving = going or (self.broken and not home)
        if moving and field >= 0 and math.isinf(m.fields[field].time_at(self.x, self.y)):
            if going:  # no path to the target: hold here
                self.action = A_HOLD
            moving = False
        self.moving, self.mx, self.my, self.mfield = moving, tx, ty, field
        self.factor = 1.0 - 0.5 * min(self.supp, 1.0)
        if m.night:
            self.factor *= p.move_night
        if m.weather == 3:
            self.factor *= p.move_fog
        self.cap = p.foot_assault if self.posture == P_ATTACKING and self.foot else math.inf

    def move(self) -> None:
        """Along the navigation field (the terrain's ``step_toward``), straight at the end."""
        if not self.moving:
            return
        m = self.model
        row, col = m.cell(self.x, self.y)
        here = m.speed[self.mobility][row][col]
        slow = min(1.0, self.cap / max(here, 1e-9)) if here > 0 else 1.0
        budget_h = m.dt_h * self.factor * slow
        field = self.mfield
        if math.hypot(self.mx - self.x, self.my - self.y) <= FINAL_APPROACH_M:
            field = -1
        if field >= 0:
            nx, ny, _ = step_toward(self.x, self.y, m.fields[field], budget_h * 3600.0)
            self.x, self.y = float(nx), float(ny)
        else:
            self.straight(budget_h)

    def straight(self, time_left: float) -> None:
        """Straight-line sub-steps of at most two cells, stopping before forbidden cells."""
        m = self.model
        max_sub = 2.0 * m.cell_m
        for _ in range(MAX_SUBSTEPS):
            row, col = m.cell(self.x, self.y)
            speed = m.speed[self.mobility][row][col] * 1000.0
            gx, gy = self.mx - self.x, self.my - self.y
            to_go = math.hypot(gx, gy)
            step = min(speed * time_left, max_sub, to_go)
            scale = step / max(to_go, 1e-9) if to_go > 0 else 0.0
            px, py = self.x + gx * scale, self.y + gy * scale
            r2, c2 = m.cell(px, py)
            ok = m.passable[self.side][r2][c2] and m.speed[self.mobility][r2][c2] > 0
            ok = ok and m.inside(px, py) and step > 0
            if not ok:
                return
            self.x, self.y = px, py
            time_left = max(time_left - step / max(speed, 1e-9), 0.0)
            if step >= to_go - 1e-6 or time_left <= 1e-9:
                return

    def fire(self) -> None:
        """Direct fire at the nearest enemy (anti-armour weapons at armour, the rest soft)."""
        if self.target is None:
            return
        if self.target.tank:
            self.shoot(self.target, self.dist, self.fp_at, None)
            if self.soft is not None:
                self.shoot(self.soft, self.soft_dist, self.fp, self.fp_at)
        else:
            self.shoot(self.target, self.dist, self.fp, None)

    def shoot(self, target: Unit, dist: float, fp: list[float], less: list[float] | None) -> None:
        m, p = self.model, self.model.p
        band = bisect.bisect_left(m.edges, dist)
        if band >= len(fp):
            return
        power = fp[band] if less is None else max(fp[band] - less[band], 0.0)
        if power <= 0:
            return
        here = m.factors[m.cover_at(self.x, self.y)]
        if self.posture in (P_DEFENDING, P_DUG_IN, P_RESERVE):
            stance = p.posture_strength[self.posture] * here[1]
        else:
            stance = p.weather_attack[m.weather]
        ground = here[5] * p.weather_tanks[m.weather] if self.tank else here[2]
        there = m.factors[m.cover_at(target.x, target.y)][2]
        y = power * self.firer_factor() * ground * stance * there
        intensity = max(_intensity(p, self.action), _intensity(p, target.action))
        target.take(y, intensity)
        self.fighting = True

    def take(self, y: float, intensity: float) -> None:
        self.z += y
        if y > 0:
            self.i = max(self.i, intensity)

    def shell(self) -> None:
        """Indirect fire: at the programme's aim point, or the nearest observed enemy."""
        m, p = self.model, self.model.p
        if self.ind_fp <= 0 or not m.fire_ok[self.side] or not self.alive():
            return
        programme = m.programme.get(self.u)
        px, py = programme[1] if programme else (self.x, self.y)
        target, best = None, math.inf
        for other in m.live:
            if other.side != self.side and (programme or other.observed):
                d = math.hypot(other.x - px, other.y - py)
                if d < best:
                    target, best = other, d
        can = self.ammo > 0
        if programme:
            intensity = programme[0]
            hit = target is not None and best <= p.area_radius
        else:
            intensity = max(p.holding, _intensity(p, target.action)) if target else 0.0
            hit = target is not None
        if target is not None and hit:
            hit = math.hypot(target.x - self.x, target.y - self.y) <= self.ind_range
        hit = hit and can
        if hit or (can and programme):
            self.ammo = max(self.ammo - self.rounds_per_hour * intensity * m.dt_h, 0.0)
        if hit and target is not None:
            y = self.ind_fp * self.firer_factor() * p.weather_artillery[m.weather]
            y *= (1.0 if target.observed else p.unobserved) * m.factors[
                m.cover_at(target.x, target.y)
            ][3]
            target.take(y, intensity)

    def resolve(self) -> None:
        """Expected losses: the Helmbold law over the engaged force of the battle area."""
        m, p = self.model, self.model.p
        self.mean = 0.0
        if not self.engaged or not self.alive():
            return
        xs = zs = fiercest = 0.0
        for other in self.near:
            if other.engaged:
                xs, zs = xs + other.force(), zs + other.z
                fiercest = max(fiercest, other.i)
        xs, zs, fiercest = max(xs, self.force()), max(zs, self.z), max(fiercest, self.i)
        if zs <= 0:
            return
        attacking = self.posture in (P_MOVING, P_ATTACKING)
        law, k = (p.attacker_law, p.attacker_k) if attacking else (p.defender_law, p.defender_k)
        rate = k / 24.0 * (zs / p.reference_fire) ** law.px * (xs / p.reference_men) ** law.qx
        reference = p.reference_vulnerability[0 if attacking else 1]
        vulnerability = (
            p.posture_vulnerability[self.posture]
            / reference
            * m.factors[m.cover_at(self.x, self.y)][0]
            / p.reference_casualty_terrain
            * p.weather_casualty[m.weather]
        )
        self.mean = rate * self.force() / xs * fiercest * vulnerability * m.dt_h
        if self.tank:
            ratio = p.tank_loss_attacker if attacking else p.tank_loss_defender
            self.mean *= ratio / self.crew

    def suffer(self) -> None:
        """Draw the losses; vehicles disabled, burned, repaired; suppression and breaks."""
        m, p = self.model, self.model.p
        before = self.strength()
        rng = m.rng
        if self.mean > 0:
            if self.tank:
                hit = min(float(rng.poisson(self.mean)), self.veh)
                burned = float(rng.binomial(int(hit), p.burned_fraction))
                self.repair += float(rng.binomial(int(hit - burned), p.repaired_fraction))
                self.veh -= hit
                lost = min(float(rng.poisson(hit * p.crew_casualties_per_tank)), self.men)
            else:
                lost = min(float(rng.poisson(self.mean)), self.men)
            self.men -= lost
            m.casualties += lost
        if self.repair > 0:
            back = float(rng.binomial(int(self.repair), m.repair_p))
            self.repair -= back
            self.veh += back
        now = self.strength()
        frac = (before - now) / max(before, 1e-9) if before > 0 else 0.0
        self.supp = min(self.supp * m.recover + frac / p.neutralized_loss, 1.0)
        attacking = self.action in MOVING_ACTIONS and self.action != A_WITHDRAW
        bp = p.breakpoint_attacker if attacking else p.breakpoint_defender
        if not self.broken and self.ref > 0 and 1.0 - now / max(self.ref, 1e-9) >= bp:
            self.breaks()

    def breaks(self) -> None:
        m = self.model
        self.broken, self.posture = True, P_WITHDRAWING
        self.rally_step = m.k + round(m.p.rally_hours * 60 / m.arr.step_minutes)

    def power(self) -> float:
        """Close-range combat power (QJM P = S x V x CEV), the engine's ``combat_power``."""
        m, p = self.model, self.model.p
        veh = self.veh / max(self.veh0, 1e-9) if self.veh0 > 0 else 0.0
        frac = (1.0 - self.share) * self.men / self.men0 + self.share * veh
        here = m.factors[m.cover_at(self.x, self.y)]
        fire = here[5] * p.weather_tanks[m.weather] if self.tank else here[2]
        if self.posture in (P_DEFENDING, P_DUG_IN, P_RESERVE):
            stance = p.posture_strength[self.posture] * here[1]
        else:
            stance = p.weather_attack[m.weather]
        morale = (p.morale_floor if self.broken else 1.0) * (1.0 - min(self.supp, 1.0))
        return float(self.fp[0] * frac * fire * stance * morale * self.cev)

    @property
    def engaged(self) -> bool:
        return self.fighting or any(o.fighting for o in self.near)


class Battle(mesa.Model):  # type: ignore[misc]
    """One replication of the slice as Mesa agents."""

    def __init__(self, arr: BattleArrays, st: State, k0: int, seed: int) -> None:
        super().__init__(seed=seed)
        self.arr, self.k = arr, k0
        # the parameters with their tables as Python lists (numpy scalar reads are slow)
        self.p: Any = SimpleNamespace(
            **{f.name: _plain(getattr(arr.params, f.name)) for f in fields(arr.params)}
        )
        self.dt_h = arr.dt_h
        self.rng = np.random.default_rng(seed)
        self.casualties = 0.0
        # the rasters and tables as Python lists: scalar reads from lists are the quick way
        ter = arr.terrain
        self.elev, self.cover = ter.elevation.tolist(), ter.cover.tolist()
        self.speed, self.passable = ter.speed.tolist(), ter.passable.tolist()
        self.factors, self.edges = ter.factors.tolist(), arr.band_edges.tolist()
        self.shape, self.x0, self.y0, self.cell_m = ter.shape, ter.x0, ter.y0, ter.cell_m
        self.fields = ter.fields
        self.obj_center = [(float(x), float(y)) for x, y in arr.obj_center]
        self.obj_radius = arr.obj_radius.tolist()
        self.obj_min_men = [max(v, 1e-9) for v in arr.obj_min_men.tolist()]
        self.frontage = arr.obj_frontage.tolist()
        self.control = st.control[0].tolist()
        self.contested = st.contested[0].tolist()
        self.last_holder = st.last_holder[0].tolist()
        self.fire_ok = (arr.events.ceasefire_step > k0).tolist()
        self.advance, self.ratios = arr.params.advance.tolist(), arr.params.advance_ratios.tolist()
        self.recover = math.exp(-self.p.suppression_recovery * self.dt_h)
        self.repair_p = 1.0 - math.exp(-self.dt_h / self.p.repair_hours)
        ev = arr.events
        self.orders: dict[int, list[int]] = {}
        for row in range(ev.order_step.size):
            self.orders.setdefault(int(ev.order_step[row]), []).append(row)
        self.programme: dict[int, tuple[float, tuple[float, float]]] = {}
        self.per_hour = max(1, round(60 / arr.step_minutes))
        for u in range(arr.n_units):
            if st.arrived[0, u] and arr.utype[u] != AIR:
                Unit(self, u, st)
        self.units: dict[int, Unit] = {a.u: a for a in self.agents}

    def cell(self, x: float, y: float) -> tuple[int, int]:
        ny, nx = self.shape
        col = min(max(int((x - self.x0) / self.cell_m), 0), nx - 1)
        row = min(max(int((y - self.y0) / self.cell_m), 0), ny - 1)
        return row, col

    def inside(self, x: float, y: float) -> bool:
        ny, nx = self.shape
        return (
            self.x0 <= x < self.x0 + nx * self.cell_m and self.y0 <= y < self.y0 + ny * self.cell_m
        )

    def cover_at(self, x: float, y: float) -> int:
        row, col = self.cell(x, y)
        return int(self.cover[row][col])

    def visible(self, a: Unit, b: Unit, d: float) -> bool:
        """Within the detection range, and within contact distance or in sight."""
        if d > self.detect:
            return False
        if d <= self.p.contact:
            return True
        elev = self.elev
        r1, c1 = self.cell(a.x, a.y)
        r2, c2 = self.cell(b.x, b.y)
        z1, z2 = elev[r1][c1] + 2.0, elev[r2][c2] + 2.0
        for i in range(1, 9):
            t = i / 9.0
            row, col = self.cell(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
            if elev[row][col] > z1 + (z2 - z1) * t + 0.5:
                return False
        return True

    def events(self) -> None:
        """The timeline's orders and fire programmes of the step."""
        arr, ev, k = self.arr, self.arr.events, self.k
        for row in self.orders.get(k, []):
            a = self.units.get(int(ev.order_unit[row]))
            if a is None:
                continue
            action = int(ev.order_action[row])
            target = ev.order_target[row]
            if np.isnan(target).any():
                a.tx, a.ty = a.home if action == A_WITHDRAW else (a.x, a.y)
                a.field = a.home_field if action == A_WITHDRAW else int(ev.order_field[row])
            else:
                a.tx, a.ty, a.field = float(target[0]), float(target[1]), int(ev.order_field[row])
            a.action, a.objective = action, int(ev.order_objective[row])
            a.ref, a.hold_since = a.strength(), k
            postures = {A_HOLD: P_DEFENDING, A_DIG_IN: P_DUG_IN, A_WITHDRAW: P_WITHDRAWING}
            a.posture = postures.get(action, P_MOVING)
        self.programme = {}
        for row in np.flatnonzero((ev.prog_start <= k) & (k < ev.prog_end)).tolist():
            g = int(ev.prog_unit[row])
            hours = (ev.prog_end[row] - ev.prog_start[row]) * arr.dt_h
            budget = ev.prog_rounds[row] / max(arr.rounds_per_hour[g] * hours, 1e-9)
            level = min(1.0, float(budget)) if math.isfinite(budget) else 1.0
            self.programme[g] = (
                level,
                (float(ev.prog_target[row][0]), float(ev.prog_target[row][1])),
            )

    def air_strikes(self) -> None:
        """Bombing at the enemy nearest each strike's aim point (linear law)."""
        arr, ev, k, p = self.arr, self.arr.events, self.k, self.p
        if p.weather_air[self.weather] <= 0:
            return
        for row in np.flatnonzero((ev.air_start <= k) & (k < ev.air_end)):
            u = int(ev.air_unit[row])
            if not self.fire_ok[int(arr.side[u])]:
                continue
            span = max(int(ev.air_end[row] - ev.air_start[row]), 1)
            sorties = float(ev.air_sorties[row]) / span
            kg = float(ev.air_bomb_kg[row])
            oli = kg * arr.params.bomb_oli_per_kg(kg / 4.0)
            px, py = float(ev.air_target[row][0]), float(ev.air_target[row][1])
            target, best = None, math.inf
            for other in self.live:
                if other.side != arr.side[u]:
                    d = math.hypot(other.x - px, other.y - py)
                    if d < best:
                        target, best = other, d
            if target is not None and best <= p.area_radius:
                there = self.factors[self.cover_at(target.x, target.y)][4]
                target.take(sorties * oli * p.weather_air[self.weather] * there / self.dt_h, 1.0)

    def battle_areas(self) -> None:
        """Each unit's live units of its side within the battle area (hourly)."""
        area = self.p.battle_area
        for a in self.live:
            a.near = [
                o
                for o in self.live
                if o.side == a.side and math.hypot(o.x - a.x, o.y - a.y) <= area
            ]

    def control_objectives(self) -> None:
        """A side holds an objective when it alone has men enough inside it."""
        for o, ((cx, cy), radius) in enumerate(zip(self.obj_center, self.obj_radius, strict=True)):
            men = [0.0, 0.0]
            for a in self.live:
                if math.hypot(a.x - cx, a.y - cy) <= radius:
                    men[a.side] += a.men
            present = [s for s in (0, 1) if men[s] >= self.obj_min_men[o]]
            self.control[o] = present[0] if len(present) == 1 else -1
            self.contested[o] = len(present) >= 2
            if self.control[o] >= 0:
                self.last_holder[o] = self.control[o]

    def assaults(self) -> None:
        """Attackers on a contested objective push its holders off at the QJM advance rate."""
        p, o_n = self.p, len(self.obj_center)
        if not any(self.contested):
            return
        adjust = not (self.night or self.weather == 3)
        # who counts for each objective: defenders near it, committed attackers near it
        masks: list[tuple[list[Unit], list[Unit], list[Unit]]] = []
        fights: dict[int, int] = {}
        for o in range(o_n):
            (cx, cy), radius = self.obj_center[o], self.obj_radius[o]
            holder = self.last_holder[o]
            defend, attack, inside = [], [], []
            for a in self.live:
                d = math.hypot(a.x - cx, a.y - cy)
                if d <= radius:
                    inside.append(a)
                if d > radius + p.assault_range:
                    continue
                if holder >= 0 and a.side == holder:
                    defend.append(a)
                elif a.posture in (P_MOVING, P_ATTACKING):
                    attack.append(a)
                else:
                    continue
                if self.contested[o]:
                    fights[a.u] = fights.get(a.u, 0) + 1
            masks.append((defend, attack, inside))
        # the guns: each side's indirect fire that observers can bring on each objective
        support = [[0.0] * o_n for _ in (0, 1)]
        seen = [[False] * o_n for _ in (0, 1)]
        for o in range(o_n):
            (cx, cy), radius = self.obj_center[o], self.obj_radius[o]
            for a in self.live:
                if a.observed and math.hypot(a.x - cx, a.y - cy) <= radius + p.assault_range:
                    seen[1 - a.side][o] = adjust
        for g in self.live:
            if g.ind_fp <= 0 or g.ammo <= 0:
                continue
            reach = [
                seen[g.side][o] and math.hypot(g.x - cx, g.y - cy) <= g.ind_range
                for o, (cx, cy) in enumerate(self.obj_center)
            ]
            split = max(sum(r and c for r, c in zip(reach, self.contested, strict=True)), 1)
            y = g.ind_fp * g.firer_factor() * p.weather_artillery[self.weather] / split
            for o in range(o_n):
                if reach[o]:
                    support[g.side][o] += y * g.cev
        for o in range(o_n):
            holder = self.last_holder[o]
            if not self.contested[o] or holder < 0:
                continue
            defend, attack, inside = masks[o]
            cover = self.factors[self.cover_at(*self.obj_center[o])]
            p_def = sum(a.power() * self.ground(a, cover) / fights.get(a.u, 1) for a in defend)
            demand = [0.0, 0.0]
            for a in attack:
                demand[a.side] += a.force() / fights.get(a.u, 1)
            room = [
                min(1.0, p.front_density * self.frontage[s][o] / max(demand[s], 1e-9))
                for s in (0, 1)
            ]
            p_att = sum(
                a.power() * self.ground(a, cover) / fights.get(a.u, 1) * room[a.side]
                for a in attack
            )
            dug = any(a.side == holder and a.posture == P_DUG_IN for a in inside)
            stance = p.posture_strength[P_DUG_IN if dug else P_DEFENDING]
            p_def += support[holder][o] * cover[3] * stance * cover[1]
            p_att += support[1 - holder][o] * cover[3] * p.weather_attack[self.weather]
            ratio = p_att / max(p_def, 1e-9)
            radius_km = self.obj_radius[o] / 1000.0
            push = self.advance_kmh(ratio, 1 if dug else 0) * cover[6]
            repel = self.advance_kmh(1.0 / max(ratio, 1e-9), 0) * cover[6]
            draw = self.rng.random()
            forced = draw < 1.0 - math.exp(-push / radius_km)
            repelled = not forced and draw < 1.0 - math.exp(-repel / radius_km)
            for a in inside:
                if not a.broken and (
                    (forced and a.side == holder) or (repelled and a.side != holder)
                ):
                    a.breaks()

    def ground(self, a: Unit, cover: list[float]) -> float:
        """The lower of the objective's and the unit's own terrain factor for its weapons."""
        col = 5 if a.tank else 2
        own = self.factors[self.cover_at(a.x, a.y)][col]
        return min(cover[col] / max(float(own), 1e-9), 1.0)

    def advance_kmh(self, ratio: float, defence: int) -> float:
        if ratio < 1.0:
            return 0.0
        return _interp(ratio, self.ratios, self.advance[defence]) / 24.0

    def step(self) -> None:
        arr, k, p = self.arr, self.k, self.p
        self.night = bool(arr.night[k])
        fog = bool(arr.fog[k])
        self.weather = 3 if fog else 2 if arr.rain[k] else 1 if arr.cloud[k] else 0
        self.detect = p.detect_fog if fog else (p.detect_night if self.night else p.detect_day)
        self.events()
        self.live = [a for a in self.agents if a.alive()]
        for a in self.agents:
            a.z = a.i = 0.0
            a.observed = a.fighting = False
        self.agents.do("detect")
        if k % self.per_hour == 0:
            self.battle_areas()
            self.assaults()
            self.control_objectives()
        self.agents.do("behave")
        self.agents.do("move")
        if any(a.target is not None for a in self.live):  # the engine's quiet steps skip fire
            self.agents.do("fire")
            self.agents.do("shell")
        for a in self.agents:
            if a.ind_fp > 0:
                a.ammo = min(a.ammo + a.resupply * self.dt_h, a.ammo0)
        self.air_strikes()
        for a in self.live:
            a.fighting = a.fighting or a.z > 0 or a.target is not None or a.soft is not None
        self.agents.do("resolve")
        self.agents.do("suffer")
        self.k += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=250, help="kriegsspiel replications")
    parser.add_argument("--mesa-reps", type=int, default=10, help="Mesa replications")
    args = parser.parse_args()
    arr = compiled(load("khasan-1938"))
    k0 = arr.step_of(SLICE_START)
    steps = SLICE_HOURS * 60 // arr.step_minutes
    st0, _ = simulate(replace(arr, n_steps=k0), 1, np.random.default_rng(1))
    men0 = float(st0.men[0].sum())
    live = int((st0.arrived[0] & (st0.strength(arr)[0] > 0) & (arr.utype != AIR)).sum())
    window = replace(arr, n_steps=k0 + steps)

    t0 = time.perf_counter()
    end, _ = simulate(
        window, args.reps, np.random.default_rng(2), resume=(tiled(st0, args.reps), k0)
    )
    ks = time.perf_counter() - t0
    ks_lost = men0 - float(end.men.sum(axis=1).mean())
    ks_rate = live * steps * args.reps / ks

    t0 = time.perf_counter()
    lost = []
    for r in range(args.mesa_reps):
        model = Battle(arr, st0, k0, seed=r)
        for _ in range(steps):
            model.step()
        lost.append(model.casualties)
    ms = time.perf_counter() - t0
    ms_lost = sum(lost) / len(lost)
    ms_rate = live * steps * args.mesa_reps / ms

    print(f"6 August slice: {live} live units, {steps} steps of {arr.step_minutes} min")
    print(f"both: {BOTH}")
    print(f"kriegsspiel only: {ENGINE_ONLY}")
    print(f"kriegsspiel: {args.reps} reps in {ks:.1f} s = {ks_rate:,.0f} unit-steps/s")
    mesa_line = f"Mesa {mesa.__version__}: {args.mesa_reps} reps in {ms:.1f} s"
    print(f"{mesa_line} = {ms_rate:,.0f} unit-steps/s")
    print(
        "men lost over the slice (mean per replication): "
        f"kriegsspiel {ks_lost:,.0f}, Mesa {ms_lost:,.0f}"
    )
    ratio = ks_rate / ms_rate
    print(f"ratio: {ratio:.0f}x (goal >= 50x: {'met' if ratio >= 50 else 'NOT met'})")


if __name__ == "__main__":
    main()
