"""Orders, behaviour, morale, control of objectives and intelligence.

* **Orders** come from the timeline. A conditional order goes in only in the replications where
  the ordering side's *believed* force ratio (own men of the ordered units over the believed
  enemy men on the objective, or on all objectives) meets the threshold.
* **Doctrine.** A unit advancing on a target takes the attacking posture within assault range
  of an enemy; on reaching its target it holds there (defending) unless an enemy is in contact;
  inside an objective its own side held last it stops and defends it. Holding units dig in
  after the digging time (hasty -> prepared defence). A holding unit whose objective the enemy
  holds, or that is contested and was not its side's, counter-attacks it. A unit whose losses
  since its last order or rally reach the breakpoint (attacker or defender) breaks: it
  withdraws to its rally point and rallies after the rally time, then resumes its standing
  order with its strength as the new reference. A unit that has lost 40 % of its initial
  strength attacks no more (it holds where it is).
* **Assaults.** On a contested objective the side that held it last defends; attackers whose
  combat power there reaches the defenders' push them off at the QJM advance rate for that
  power ratio and defence (see :func:`assaults`).
* **Control.** A side holds an objective when it alone has at least the objective's minimum of
  men (default: any) inside the area; contested or empty counts for neither.
* **Intelligence.** Each side's belief about enemy men on each objective starts from its prior
  (spread over the objectives, or the truth with error if positions are known), is reset by
  intel events, and is updated hourly from what its units observe (with a lognormal error).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine import surprise
from kriegsspiel.engine.arrays import (
    A_ASSAULT,
    A_COUNTER,
    A_DIG_IN,
    A_HOLD,
    A_WITHDRAW,
    AIR,
    ARRIVE_RADIUS_SHARE,
    FOOT,
    IS_ATTACKING_POSTURE,
    IS_DEFENDING_POSTURE,
    IS_MOVING_ACTION,
    IS_OFFENSIVE_ACTION,
    P_ATTACKING,
    P_DEFENDING,
    P_DUG_IN,
    P_MOVING,
    P_WITHDRAWING,
    TANK,
    BattleArrays,
)
from kriegsspiel.engine.distances import nearest, within, within_one
from kriegsspiel.engine.fire import Contacts, Environment, firer_factor, strength_fraction
from kriegsspiel.engine.jit import njit
from kriegsspiel.engine.state import State
from kriegsspiel.engine.trace import Decision, Trace

__all__ = [
    "Movement",
    "behave",
    "control_and_intel",
    "events",
    "fly",
    "intel_picture",
    "min_hostile_gap",
    "morale",
    "start",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

INTEL_ERROR_SIGMA = 0.25
"""Lognormal error (sigma) of a side's estimate of enemy men it observes."""

_ARRIVE_M = 25.0


@dataclass(frozen=True)
class Movement:
    """Who moves this step (B, U), towards what, how fast (speed factor and cap in km/h)."""

    moving: BoolArray
    factor: FloatArray
    cap: FloatArray
    tx: FloatArray
    ty: FloatArray
    field: IntArray


def start(arr: BattleArrays, st: State, rng: np.random.Generator) -> None:
    """Initial beliefs: truth with error where positions are known, else the prior spread."""
    o = arr.obj_center.shape[0]
    if o == 0:
        return
    truth = _men_on_objectives(arr, st, st.alive(arr))
    for s in range(arr.n_sides):
        enemy = truth[:, [t for t in range(arr.n_sides) if t != s], :].sum(axis=1)
        if arr.intel_positions[s]:
            st.believed[:, s, :] = enemy * _noise(rng, enemy.shape)
        else:
            st.believed[:, s, :] = arr.intel_enemy_men[s] / o


def _noise(rng: np.random.Generator, shape: tuple[int, ...]) -> FloatArray:
    out: FloatArray = rng.lognormal(0.0, INTEL_ERROR_SIGMA, size=shape)
    return out


def _men_on_objectives(arr: BattleArrays, st: State, alive: BoolArray) -> FloatArray:
    """Men (crews included) of each side inside each objective: (B, S, O)."""
    dx = st.x[:, :, None] - arr.obj_center[None, None, :, 0]
    dy = st.y[:, :, None] - arr.obj_center[None, None, :, 1]
    inside = within(dx, dy, arr.obj_radius[None, None, :]) & alive[:, :, None]
    men = np.where(inside, st.men[:, :, None], 0.0)
    side_onehot = np.zeros((arr.n_units, arr.n_sides))
    side_onehot[np.arange(arr.n_units), arr.side] = 1.0
    out: FloatArray = np.einsum("buo,us->bso", men, side_onehot)
    return out


def _enemy_of(men: FloatArray, s: int) -> FloatArray:
    """Of men per side on each objective ``(B, S, O)``, those of side ``s``'s enemies: (B, O)."""
    enemy: FloatArray = men[:, [t for t in range(men.shape[1]) if t != s], :].sum(axis=1)
    return enemy


def _enemy_on_objectives(arr: BattleArrays, st: State, alive: BoolArray) -> FloatArray:
    """Enemy men inside each objective as each side would count them: (B, S, O)."""
    men = _men_on_objectives(arr, st, alive)
    out = np.zeros_like(men)
    for s in range(arr.n_sides):
        out[:, s, :] = _enemy_of(men, s)
    return out


def battle_areas(arr: BattleArrays, st: State, alive: BoolArray) -> None:
    """Update ``st.near``: for each unit, the live units of its side within the battle area.

    They form the force whose strength, and the fire aimed at which, set the unit's losses.
    """
    on_map = (arr.utype != AIR) & alive.any(axis=0)
    st.near = np.zeros_like(st.near)
    for s in range(arr.n_sides):
        cols = np.flatnonzero(on_map & (arr.side == s))
        x, y = st.x[:, cols], st.y[:, cols]
        close = within(
            x[:, :, None] - x[:, None, :], y[:, :, None] - y[:, None, :], arr.params.battle_area
        )
        close &= alive[:, None, cols]
        if cols.size and cols[-1] - cols[0] + 1 == cols.size:  # a run of columns: a plain slice
            st.near[:, cols[0] : cols[-1] + 1, cols[0] : cols[-1] + 1] = close
        else:
            st.near[:, cols[:, None], cols[None, :]] = close


def combat_power(arr: BattleArrays, st: State, weather: int) -> FloatArray:
    """Close-range combat power of each unit (B, U), as QJM P = S x V x CEV.

    Firepower in the nearest band, scaled by strength, suppression and morale, with the
    terrain's fire factor where the unit stands (and the weather's tank factor for tanks), and,
    for a defending unit, its posture strength and the terrain's defence factor, for an
    attacking one the weather's attack factor; times its side's combat effectiveness value.
    """
    p, ter = arr.params, arr.terrain
    frac = strength_fraction(arr, st)
    r, c = ter.cell(st.x, st.y)
    cls = ter.cover[r, c]
    fire = np.where((arr.utype == TANK)[None, :], ter.factors[cls, 5], ter.factors[cls, 2])
    defending = IS_DEFENDING_POSTURE.take(st.posture)
    stance = np.where(
        defending, p.posture_strength[st.posture] * ter.factors[cls, 1], p.weather_attack[weather]
    )
    fire = fire * np.where((arr.utype == TANK)[None, :], p.weather_tanks[weather], 1.0)
    morale = np.where(st.broken, p.morale_floor, 1.0) * (1.0 - np.minimum(st.supp, 1.0))
    power: FloatArray = arr.fp[None, :, 0] * frac * fire * stance * morale
    power = power * arr.cev[arr.side][None, :]
    return power


def _ground(arr: BattleArrays, st: State, objective_cover: NDArray[np.int8]) -> FloatArray:
    """Weapon-class terrain factor of each objective's ground relative to the unit's own: (B, U, O).

    QJM applies the terrain factors of the ground where the engagement is fought, per weapon
    class (B5: on rugged ground the tank factor is 0.5 against the infantry weapons' 0.8). A
    unit's power in :func:`combat_power` carries its own cell's factor; a close fight for an
    objective is fought on the objective's ground too, so each unit counts at the lower of the
    two (a tank in the marsh below a crest is hampered by the marsh, one on the flat by the
    slope it must climb).
    """
    ter = arr.terrain
    col = np.where(arr.utype == TANK, 5, 2)  # tank weapons r_wt, infantry weapons r_n
    r, c = ter.cell(st.x, st.y)
    own = ter.factors[ter.cover[r, c][:, :, None], col[None, :, None]]
    there = ter.factors[objective_cover[None, None, :], col[None, :, None]]
    out: FloatArray = np.minimum(there / np.maximum(own, 1e-9), 1.0)
    return out


def support_power(
    arr: BattleArrays, st: State, alive: BoolArray, con: Contacts, env: Environment
) -> FloatArray:
    """Indirect fire each side's guns can bring on each objective: (B, S, O).

    QJM force strength counts the artillery with the rest of the force [D6]: every live gun
    unit with rounds on hand and the objective within its range adds its indirect OLI, with
    the firer's strength, suppression, morale and light factors, the weather's artillery
    factor and the terrain's artillery factor on the objective, provided some unit of its side
    sees an enemy on or near the objective in daylight without fog (a forward observer who
    sees the fall of shot). Otherwise it adds nothing: unobserved fire cannot be brought close
    to one's own troops in a close fight, so it stays harassing fire (its casualties still
    count in :func:`kriegsspiel.engine.fire.indirect_fire`). Each side's support is multiplied
    by its combat effectiveness value (QJM P = S x V x CEV).
    """
    p, ter = arr.params, arr.terrain
    reps, o_n = st.reps, arr.obj_center.shape[0]
    out = np.zeros((reps, arr.n_sides, o_n))
    guns = np.flatnonzero((arr.ind_fp > 0) & (arr.utype != AIR))
    if guns.size == 0 or o_n == 0:
        return out
    d = np.hypot(
        st.x[:, :, None] - arr.obj_center[None, None, :, 0],
        st.y[:, :, None] - arr.obj_center[None, None, :, 1],
    )
    close = alive[:, :, None] & (d <= arr.obj_radius[None, None, :] + p.assault_range)
    seen = close & con.observed[:, :, None]
    b = np.arange(reps)[:, None]
    y = arr.ind_fp[guns][None, :] * firer_factor(arr, st, b, guns[None, :], env)
    y = y * (alive[:, guns] & (st.ammo[:, guns] > 0)) * p.weather_artillery[env.weather]
    r, c = ter.cell(arr.obj_center[:, 0], arr.obj_center[:, 1])
    reach = d[:, guns, :] <= arr.ind_range[guns][None, :, None]
    adjust = not (env.night or env.weather == 3)  # observers must see the fall of shot
    observed = np.stack(
        [seen[:, arr.side != s, :].any(axis=1) & adjust for s in range(arr.n_sides)], axis=1
    )  # (B, S, O)
    support = reach & observed[:, arr.side[guns], :]  # (B, G, O)
    # a gun fires at one place at a time: split over the contested objectives it supports
    fights = (support & st.contested[:, None, :]).sum(axis=2)
    y = y / np.maximum(fights, 1)
    for s in range(arr.n_sides):
        own = arr.side[guns] == s
        if own.any():
            out[:, s, :] = np.einsum("bg,bgo->bo", y[:, own], support[:, own, :]) * arr.cev[s]
    out *= ter.factors[ter.cover[r, c], 3][None, None, :]
    return out


def _front_share(arr: BattleArrays, st: State, mask: BoolArray, fights: IntArray) -> FloatArray:
    """Share of each side's power that finds room on the front open to it: (B, U, O).

    A side brings at most ``front_density`` men per metre of the front it can deploy on
    (:attr:`BattleArrays.obj_frontage`) into a close fight for an objective; the rest queue
    behind and add nothing, so each of its units there counts at capacity / men (at most 1).
    A tank counts with its crew.
    """
    share = mask * (st.personnel(arr)[:, :, None] / np.maximum(fights, 1))
    out = np.ones_like(share)
    for s in range(arr.n_sides):
        own = arr.side == s
        demand = share[:, own, :].sum(axis=1)  # (B, O)
        room = arr.params.front_density * arr.obj_frontage[s][None, :]
        out[:, own, :] = np.minimum(1.0, room / np.maximum(demand, 1e-9))[:, None, :]
    return out


def assaults(
    arr: BattleArrays,
    st: State,
    alive: BoolArray,
    con: Contacts,
    env: Environment,
    rng: np.random.Generator,
    k: int,
    trace: Trace,
) -> None:
    """Crests change hands: attackers on a contested objective push its holders off.

    The side that held the objective last defends it; if the combat power of the other sides'
    units committed to the attack (moving or attacking, inside its area or within assault
    range of it) and of their guns (:func:`support_power`) reaches the power of every defender
    there and of the defenders' guns (with the posture and the ground's defence factor), the
    defenders are
    forced off at the QJM advance rate for that ratio and defence (hasty; prepared once dug
    in), times the terrain's advance factor: the chance per hour is the rate over the area's
    radius. If the defenders are the stronger, the attackers inside are thrown back in the same
    way (at the inverse ratio, as from a hasty position). Forced units break and withdraw.
    Each unit's power counts at the lower of its own ground's and the objective's terrain
    factor for its weapon class (:func:`_ground`), and a unit or gun that counts for several
    contested objectives at once has its power split evenly between them (a weapon fires at
    one place at a time). An attacker whose order achieved surprise counts with its QJM
    mobility factor (:func:`kriegsspiel.engine.surprise.assault_mobility`).
    """
    o_n = arr.obj_center.shape[0]
    if o_n == 0 or not st.contested.any():
        return
    p, ter = arr.params, arr.terrain
    hours, weather = 1.0, env.weather
    d = np.hypot(
        st.x[:, :, None] - arr.obj_center[None, None, :, 0],
        st.y[:, :, None] - arr.obj_center[None, None, :, 1],
    )
    on = (alive & (arr.utype != AIR)[None, :])[:, :, None]
    inside = on & (d <= arr.obj_radius[None, None, :])
    near = on & (d <= arr.obj_radius[None, None, :] + p.assault_range)
    holder = st.last_holder  # (B, O)
    defends = (arr.side[None, :, None] == holder[:, None, :]) & (holder[:, None, :] >= 0)
    # only units committed to the attack count for the attackers: a unit of theirs holding
    # nearby (on another crest, or dug in short of this one) adds no assault power
    committed = IS_ATTACKING_POSTURE.take(st.posture)[:, :, None]
    d_mask, a_mask = near & defends, near & ~defends & committed
    r, c = ter.cell(arr.obj_center[:, 0], arr.obj_center[:, 1])
    power = combat_power(arr, st, weather)[:, :, None] * _ground(arr, st, ter.cover[r, c])
    # a unit fights in one place at a time: its power is split over the contested objectives
    # it counts for
    fights = ((d_mask | a_mask) & st.contested[:, None, :]).sum(axis=2, keepdims=True)
    power = power / np.maximum(fights, 1)
    p_def = np.einsum("buo,buo->bo", d_mask, power)
    attack = power * _front_share(arr, st, a_mask, fights)
    surprised = surprise.factors(arr, st, k)
    if surprised is not None:  # QJM: P includes the surpriser's mobility factor
        mobility = surprise.assault_mobility(arr, surprised[..., 0], ter.cover[r, c], weather)
        attack = attack * mobility
    p_att = np.einsum("buo,buo->bo", a_mask, attack)
    dug = np.einsum("buo,bu->bo", inside & defends, (st.posture == P_DUG_IN).astype(float)) > 0
    # the guns: the holder's count with its posture and the ground's defence factor (QJM
    # applies them to the defender's whole P), the others' with the weather's attack factor
    guns = support_power(arr, st, alive, con, env)
    own = np.take_along_axis(guns, np.maximum(holder, 0)[:, None, :], axis=1)[:, 0, :]
    stance = np.where(dug, p.posture_strength[P_DUG_IN], p.posture_strength[P_DEFENDING])
    p_def = p_def + own * stance * ter.factors[ter.cover[r, c], 1][None, :]
    p_att = p_att + (guns.sum(axis=1) - own) * p.weather_attack[weather]
    ratio = p_att / np.maximum(p_def, 1e-9)
    terrain = ter.factors[ter.cover[r, c], 6][None, :]
    radius_km = arr.obj_radius[None, :] / 1000.0
    # attackers at least as strong push the defenders off (prepared defence once dug in) ...
    push = p.advance_kmh(ratio, dug.astype(float)) * terrain
    # ... weaker ones are thrown back by the defenders as from a hasty position in the open
    repel = p.advance_kmh(1.0 / np.maximum(ratio, 1e-9), np.zeros_like(ratio)) * terrain
    draw = rng.random(ratio.shape)
    contest = st.contested & (holder >= 0)
    forced = contest & (draw < 1.0 - np.exp(-push / radius_km * hours))
    repelled = contest & ~forced & (draw < 1.0 - np.exp(-repel / radius_km * hours))
    if not (forced.any() or repelled.any()):
        return
    out = np.einsum("buo,bo->bu", inside & defends, forced.astype(float)) > 0
    out |= np.einsum("buo,bo->bu", inside & ~defends, repelled.astype(float)) > 0
    out &= ~st.broken
    st.broken |= out
    st.rally_step = np.where(out, k + round(p.rally_hours * 60 / arr.step_minutes), st.rally_step)
    st.posture = np.where(out, P_WITHDRAWING, st.posture)
    trace.log(k, "break", out, np.ones_like(st.men))


def control_and_intel(
    arr: BattleArrays,
    st: State,
    alive: BoolArray,
    con: Contacts | None,
    rng: np.random.Generator,
    k: int,
    trace: Trace,
) -> None:
    """Update who holds each objective (logging captures) and each side's beliefs."""
    if arr.obj_center.shape[0] == 0:
        return
    men = _men_on_objectives(arr, st, alive)
    present = men >= np.maximum(arr.obj_min_men, 1e-9)[None, None, :]
    count = present.sum(axis=1)
    holder = np.where(count == 1, np.argmax(present, axis=1), -1)
    changed = holder != st.control
    st.control = holder
    st.contested = count >= 2
    st.last_holder = np.where(holder >= 0, holder, st.last_holder)
    trace.log(k, "capture", changed, holder.astype(np.float64))
    # intelligence from observation: what each side's units see on each objective
    if con is None:
        return
    for s in range(arr.n_sides):
        seen = con.observed & (arr.side != s)[None, :]
        enemy = _enemy_of(_men_on_objectives(arr, st, alive & seen), s)
        update = enemy > 0
        est = enemy * _noise(rng, enemy.shape)
        st.believed[:, s, :] = np.where(update, est, st.believed[:, s, :])


def _set_order(arr: BattleArrays, st: State, row: int, mask: BoolArray, k: int) -> None:
    ev = arr.events
    u = int(ev.order_unit[row])
    action = int(ev.order_action[row])
    target = ev.order_target[row]
    if np.isnan(target).any():
        tx, ty = st.x[:, u], st.y[:, u]
        if action == A_WITHDRAW:
            tx, ty = np.full(st.reps, arr.home[u, 0]), np.full(st.reps, arr.home[u, 1])
    else:
        tx, ty = np.full(st.reps, target[0]), np.full(st.reps, target[1])
    st.action[:, u] = np.where(mask, action, st.action[:, u])
    st.tx[:, u] = np.where(mask, tx, st.tx[:, u])
    st.ty[:, u] = np.where(mask, ty, st.ty[:, u])
    fld = (
        ev.order_field[row]
        if action != A_WITHDRAW or not np.isnan(target).any()
        else arr.home_field[u]
    )
    st.field[:, u] = np.where(mask, fld, st.field[:, u])
    st.objective[:, u] = np.where(mask, ev.order_objective[row], st.objective[:, u])
    strength = st.strength(arr)[:, u]
    st.ref[:, u] = np.where(mask, strength, st.ref[:, u])
    posture = {A_HOLD: P_DEFENDING, A_DIG_IN: P_DUG_IN, A_WITHDRAW: P_WITHDRAWING}.get(
        action, P_MOVING
    )
    st.posture[:, u] = np.where(mask, posture, st.posture[:, u])
    st.hold_since[:, u] = np.where(mask, k, st.hold_since[:, u])
    st.surprise[:, u] = np.where(mask, ev.order_surprise[row], st.surprise[:, u])
    st.surprise_step[:, u] = np.where(mask, k, st.surprise_step[:, u])


def believed_forces(arr: BattleArrays, st: State, row: int) -> tuple[FloatArray, FloatArray]:
    """Per replication: own men of order ``row``'s units and the enemy men its side believes.

    The enemy is the side's estimate on the condition's objective, or on all objectives.
    """
    ev = arr.events
    group = np.flatnonzero(ev.order_group == ev.order_group[row])
    units = np.unique(ev.order_unit[group])
    side = arr.side[units[0]]
    own: FloatArray = np.where(st.arrived[:, units], st.men[:, units], 0.0).sum(axis=1)
    o = ev.order_cond_objective[row]
    believed: FloatArray = (
        st.believed[:, side, :].sum(axis=1) if o < 0 else st.believed[:, side, o].copy()
    )  # a copy: a view would follow later updates into the recorded Decision
    return own, believed


def condition_met(arr: BattleArrays, st: State, row: int) -> BoolArray:
    """Per replication: does the believed force ratio of order ``row`` meet its threshold?"""
    threshold = arr.events.order_threshold[row]
    if np.isnan(threshold):
        return np.ones(st.reps, dtype=bool)
    own, believed = believed_forces(arr, st, row)
    met: BoolArray = own >= threshold * np.maximum(believed, 1.0)
    return met


def intel_picture(
    arr: BattleArrays, st: State, con: Contacts | None
) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
    """Each side's picture of the enemy now, per replication.

    Believed enemy men on each objective ``(B, S, O)`` (the estimate conditional orders are
    weighed against), the enemy men actually on each ``(B, S, O)``, the enemy ground units on
    the map with strength left ``(B, S)``, and how many of them ``con`` (the detection of the
    step) observes ``(B, S)``; without ``con`` none.
    """
    alive = st.alive(arr)
    enemy_true = _enemy_on_objectives(arr, st, alive)
    ground = alive & (arr.utype != AIR)[None, :]
    seen = ground & con.observed if con is not None else np.zeros_like(ground)
    units = np.zeros((st.reps, arr.n_sides), dtype=np.int64)
    observed = np.zeros((st.reps, arr.n_sides), dtype=np.int64)
    for s in range(arr.n_sides):
        enemy = arr.side != s
        units[:, s] = ground[:, enemy].sum(axis=1)
        observed[:, s] = seen[:, enemy].sum(axis=1)
    believed: FloatArray = st.believed.copy()
    return believed, enemy_true, units, observed


def _decision(arr: BattleArrays, st: State, row: int, met: BoolArray, k: int) -> Decision:
    """The record of conditional order ``row`` weighed at step ``k`` (``met`` per replication)."""
    ev = arr.events
    own, believed = believed_forces(arr, st, row)
    side = int(arr.side[ev.order_unit[row]])
    cobj, threshold = int(ev.order_cond_objective[row]), float(ev.order_threshold[row])
    there = _enemy_on_objectives(arr, st, st.alive(arr))[:, side, :]
    truth = there.sum(axis=1) if cobj < 0 else there[:, cobj]
    group = int(ev.order_group[row])
    return Decision(k, group, side, cobj, threshold, own, believed, truth, met.copy())


def events(arr: BattleArrays, st: State, rng: np.random.Generator, k: int, trace: Trace) -> None:
    """Apply the timeline's events of step ``k`` (arrivals, orders, intel, lapsing orders).

    A unit that has broken loses the surprise of its order for good.
    """
    ev = arr.events
    arriving = arr.arrive_step == k
    if arriving.any() and k > 0:
        st.arrived[:, arriving] = True
        mask = np.zeros(st.men.shape, dtype=bool)
        mask[:, arriving] = True
        trace.log(k, "arrive", mask, st.men)
    for row in np.flatnonzero(ev.order_until == k):
        u = ev.order_unit[row]
        lapse = st.action[:, u] == ev.order_action[row]
        st.action[:, u] = np.where(lapse, A_HOLD, st.action[:, u])
        st.tx[:, u] = np.where(lapse, st.x[:, u], st.tx[:, u])
        st.ty[:, u] = np.where(lapse, st.y[:, u], st.ty[:, u])
    if ev.order_surprise.any():  # a unit that broke has lost its surprise for good
        st.surprise = np.where(st.broken, 0.0, st.surprise)
    rows = np.flatnonzero(ev.order_step == k)
    weighed: set[int] = set()
    for row in rows:
        met = condition_met(arr, st, int(row))
        group = int(ev.order_group[row])
        if not np.isnan(ev.order_threshold[row]) and group not in weighed:
            weighed.add(group)
            trace.decisions.append(_decision(arr, st, int(row), met, k))
        _set_order(arr, st, int(row), met, k)
        mask = np.zeros(st.men.shape, dtype=bool)
        mask[:, ev.order_unit[row]] = met
        trace.log(k, "order", mask, np.full(st.men.shape, float(ev.order_action[row])))
    for row in np.flatnonzero(ev.intel_step == k):
        s = int(ev.intel_side[row])
        if not np.isnan(ev.intel_enemy_men[row]):
            st.believed_total[:, s] = ev.intel_enemy_men[row]
            o = max(arr.obj_center.shape[0], 1)
            st.believed[:, s, :] = ev.intel_enemy_men[row] / o
        if ev.intel_positions[row] == 1:
            enemy = _enemy_of(_men_on_objectives(arr, st, st.alive(arr)), s)
            st.believed[:, s, :] = enemy * _noise(rng, enemy.shape)
    stops = ev.ceasefire_step == k
    if stops.any():
        mask = np.zeros(st.men.shape, dtype=bool)
        mask[:, np.isin(arr.side, np.flatnonzero(stops))] = True
        trace.log(k, "ceasefire", mask, np.zeros(st.men.shape))


def min_hostile_gap(arr: BattleArrays, st: State, alive: BoolArray) -> float:
    """Smallest distance between live hostile units on the map, over the whole block."""
    best = np.inf
    on_map = arr.utype != AIR
    for s in range(arr.n_sides):
        own = np.flatnonzero((arr.side == s) & on_map)
        en = np.flatnonzero((arr.side > s) & on_map)
        if own.size == 0 or en.size == 0:
            continue
        _, d = nearest(st.x[:, own], st.y[:, own], st.x[:, en], st.y[:, en], alive[:, en])
        d = d[alive[:, own]]
        if d.size:
            best = min(best, float(d.min()))
    return best


def behave(
    arr: BattleArrays,
    st: State,
    alive: BoolArray,
    con: Contacts,
    env: Environment,
    k: int,
    trace: Trace,
) -> Movement:
    """Doctrine of the step; return who moves where, with what speed factor and cap.

    In order, per unit: rally; the 40 % rule; arrival at the target (or inside an objective
    its side held last); counter-attacks on a lost or contested objective; postures (attacking
    within assault range, digging in after the digging time, withdrawing when broken); broken
    units head home; a unit with no path to its target holds. The per-unit rules run as one
    loop compiled by numba (:func:`_doctrine_rows`).
    """
    p = arr.params
    n_obj = arr.obj_center.shape[0]
    initial = np.where(arr.utype == TANK, arr.vehicles0, arr.men0)
    shape = st.x.shape
    rally, going, moving = (np.empty(shape, dtype=bool) for _ in range(3))
    factor, cap, tx, ty = (np.empty(shape) for _ in range(4))
    field = np.empty(shape, dtype=np.int64)
    if n_obj:
        contested, control, last = st.contested, st.control, st.last_holder
    else:  # no objective: one column no unit refers to, held by no one
        contested = np.zeros((st.reps, 1), dtype=bool)
        control = last = np.full((st.reps, 1), -1, dtype=np.int64)
    _doctrine_loop(
        k, alive, con.target, con.dist, st.strength(arr), st.supp, st.rally_step, st.objective,
        contested, control, last, st.x, st.y, arr.side, (1.0 - p.ineffective) * initial,
        arr.obj_center, arr.obj_radius, arr.home, arr.home_field, arr.mobility == FOOT,
        IS_MOVING_ACTION, IS_OFFENSIVE_ACTION,
        float(p.assault_range), float(p.dig_hours * 60 / arr.step_minutes),
        float(p.move_night) if env.night else 1.0, float(p.move_fog) if env.weather == 3 else 1.0,
        float(p.foot_assault),
        st.broken, st.ref, st.posture, st.hold_since, st.action, st.tx, st.ty, st.field,
        rally, going, moving, factor, cap, tx, ty, field,
    )  # fmt: skip
    if rally.any():
        trace.log(k, "rally", rally, st.men)
    stuck = moving & ~_reachable(arr, st, field, moving)
    if stuck.any():  # no path to the target (beyond the border, across water): hold here
        st.action = np.where(stuck & going, A_HOLD, st.action)
        moving &= ~stuck
    return Movement(moving, factor, cap, tx, ty, field)


def _doctrine_rows(
    k: int,
    alive: BoolArray,
    target: IntArray,
    dist: FloatArray,
    strength: FloatArray,
    supp: FloatArray,
    rally_step: IntArray,
    objective: IntArray,
    contested: BoolArray,
    control: IntArray,
    last_holder: IntArray,
    x: FloatArray,
    y: FloatArray,
    side: IntArray,
    spent_at: FloatArray,
    obj_center: FloatArray,
    obj_radius: FloatArray,
    home: FloatArray,
    home_field: IntArray,
    foot: BoolArray,
    moving_action: BoolArray,
    offensive_action: BoolArray,
    assault_range: float,
    dig_steps: float,
    night_factor: float,
    fog_factor: float,
    foot_assault: float,
    broken: BoolArray,
    ref: FloatArray,
    posture: IntArray,
    hold_since: IntArray,
    action: IntArray,
    tx: FloatArray,
    ty: FloatArray,
    field: IntArray,
    rally: BoolArray,
    going_out: BoolArray,
    moving: BoolArray,
    factor: FloatArray,
    cap: FloatArray,
    move_x: FloatArray,
    move_y: FloatArray,
    move_field: IntArray,
) -> None:
    """The per-unit rules of :func:`behave` (state updated in place, the plan written out).

    ``spent_at``: the strength at which the 40 % rule stops attacks;
    ``moving_action``/``offensive_action``: lookup tables of the action codes.
    """
    reps, n = x.shape
    for b in range(reps):
        for u in range(n):
            # rally after the rally time
            due = broken[b, u] and rally_step[b, u] <= k
            rally[b, u] = due
            if due:
                broken[b, u] = False
                ref[b, u] = strength[b, u]
                posture[b, u] = P_DEFENDING
                hold_since[b, u] = k
            # the 40 % rule: a unit that has lost that share of its strength attacks no more
            spent = strength[b, u] <= spent_at[u]
            act = action[b, u]
            near_target = within_one(tx[b, u] - x[b, u], ty[b, u] - y[b, u], _ARRIVE_M)
            if spent and not broken[b, u] and offensive_action[act]:
                act = A_HOLD
                tx[b, u], ty[b, u] = x[b, u], y[b, u]
                posture[b, u] = P_DEFENDING
                hold_since[b, u] = k
                near_target = True  # its target is where it stands
            going = moving_action[act] and not broken[b, u]
            o = objective[b, u]
            has_obj = o >= 0
            oo = max(o, 0)
            contest = has_obj and contested[b, oo]
            holder = control[b, oo]
            ours = has_obj and last_holder[b, oo] == side[u]
            # arrival: at the target (near an objective's centre), or inside an objective one's
            # own side held last (its defenders stand and fight there rather than push on)
            at_target, in_area = near_target, False
            if has_obj:
                ox, oy = x[b, u] - obj_center[o, 0], y[b, u] - obj_center[o, 1]
                in_area = within_one(ox, oy, obj_radius[o])
                at_target = within_one(ox, oy, max(obj_radius[o] * ARRIVE_RADIUS_SHARE, _ARRIVE_M))
            withdrawn = going and near_target and act == A_WITHDRAW
            attacking = going and act != A_WITHDRAW
            settled = attacking and (
                (at_target and not contest and not target[b, u] >= 0) or (in_area and ours)
            )
            if settled or withdrawn:
                act = A_HOLD
                posture[b, u] = P_DEFENDING
                hold_since[b, u] = k
                going = False
            # counter-attack an objective the enemy holds, or clear a contested one the side
            # did not hold
            ready = alive[b, u] and not broken[b, u] and not spent and act == A_HOLD
            lost = has_obj and holder >= 0 and holder != side[u]
            if ready and (lost or (contest and not ours)):
                act = A_COUNTER
                tx[b, u], ty[b, u] = obj_center[oo, 0], obj_center[oo, 1]
                field[b, u] = -1
                ref[b, u] = strength[b, u]
                going = True
            # postures: attacking within assault range (or when assaulting), moving otherwise;
            # holders dig in after the digging time; broken units withdraw
            pos = posture[b, u]
            if going and act != A_WITHDRAW:
                close = target[b, u] >= 0 and dist[b, u] <= assault_range
                pos = P_ATTACKING if close or act == A_ASSAULT else P_MOVING
            dig = act == A_HOLD and pos == P_DEFENDING and k - hold_since[b, u] >= dig_steps
            if dig or act == A_DIG_IN:
                pos = P_DUG_IN
            if broken[b, u]:
                pos = P_WITHDRAWING
            posture[b, u], action[b, u] = pos, act
            # broken units head home; their standing order is kept for when they rally
            if broken[b, u]:
                move_x[b, u], move_y[b, u], move_field[b, u] = home[u, 0], home[u, 1], home_field[u]
            else:
                move_x[b, u], move_y[b, u], move_field[b, u] = tx[b, u], ty[b, u], field[b, u]
            going_out[b, u] = going
            at_home = within_one(x[b, u] - home[u, 0], y[b, u] - home[u, 1], _ARRIVE_M)
            moving[b, u] = alive[b, u] and (going or (broken[b, u] and not at_home))
            factor[b, u] = (1.0 - 0.5 * min(supp[b, u], 1.0)) * night_factor * fog_factor
            cap[b, u] = foot_assault if pos == P_ATTACKING and foot[u] else math.inf


_doctrine_loop = njit(_doctrine_rows)


def _reachable(arr: BattleArrays, st: State, field: IntArray, moving: BoolArray) -> BoolArray:
    """Whether each moving unit's cell has a finite time to go on its navigation field."""
    ok = np.ones(moving.shape, dtype=bool)
    b, u = np.nonzero(moving & (field >= 0))
    if b.size == 0:
        return ok
    fields = arr.terrain.fields
    grid = fields[0].grid  # every field is on the terrain's grid
    row, col = grid.to_cell(st.x[b, u], st.y[b, u])
    cell = row * grid.nx + col
    f_of = field[b, u]
    for f in np.unique(f_of):
        sel = np.flatnonzero(f_of == f)
        ok[b[sel], u[sel]] = np.isfinite(fields[f].time_s.take(cell[sel]))
    return ok


def fly(
    arr: BattleArrays,
    st: State,
    rng: np.random.Generator,
    env: Environment,
    sorties: FloatArray,
    trace: Trace,
    k: int,
) -> None:
    """Aircraft losses of the sorties flown (or their abortion in fog)."""
    p = arr.params
    flying = np.flatnonzero(sorties > 0)
    mask = np.zeros(st.men.shape, dtype=bool)
    mask[:, flying] = True
    value = np.tile(sorties, (st.reps, 1))
    if p.weather_air[env.weather] <= 0:
        trace.log(k, "aborted", mask, value)
        return
    trace.log(k, "strike", mask, value)
    n = np.rint(value[:, flying]).astype(np.int64)
    lost = rng.binomial(n, p.aircraft_loss_per_sortie).astype(float)
    for i, u in enumerate(flying):
        st.air_lost[:, arr.side[u]] += lost[:, i]


def morale(
    arr: BattleArrays, st: State, before: FloatArray, env: Environment, k: int, trace: Trace
) -> None:
    """Suppression from this step's losses (decaying), and breaks at the breakpoint."""
    p = arr.params
    now = st.strength(arr)
    frac = np.where(before > 0, (before - now) / np.maximum(before, 1e-9), 0.0)
    st.supp = st.supp * np.exp(-p.suppression_recovery * env.hours) + frac / p.neutralized_loss
    st.supp = np.minimum(st.supp, 1.0)
    attacking = IS_MOVING_ACTION.take(st.action) & (st.action != A_WITHDRAW)
    bp = np.where(attacking, p.breakpoint_attacker, p.breakpoint_defender)
    lost = 1.0 - now / np.maximum(st.ref, 1e-9)
    breaks = st.arrived & ~st.broken & (lost >= bp) & (st.ref > 0)
    if breaks.any():
        st.broken |= breaks
        st.rally_step = np.where(
            breaks, k + round(p.rally_hours * 60 / arr.step_minutes), st.rally_step
        )
        st.posture = np.where(breaks, P_WITHDRAWING, st.posture)
        trace.log(k, "break", breaks, lost)
