"""Orders, behaviour, morale, control of objectives and intelligence.

* **Orders** come from the timeline. A conditional order goes in only in the replications where
  the ordering side's *believed* force ratio (own men of the ordered units over the believed
  enemy men on the objective, or on all objectives) meets the threshold.
* **Doctrine.** A unit advancing on a target takes the attacking posture within assault range
  of an enemy; on reaching its target it holds there (defending) unless an enemy is in contact.
  A unit holding (not dug in on) an objective that the enemy now holds, or that is contested,
  counter-attacks it. A unit whose losses since its last order or rally
  reach the breakpoint (attacker or defender) breaks: it withdraws to its rally point and rallies
  after the rally time, then resumes its standing order with its strength as the new reference.
* **Control.** A side holds an objective when it alone has at least the objective's minimum of
  men (default: any) inside the area; contested or empty counts for neither.
* **Intelligence.** Each side's belief about enemy men on each objective starts from its prior
  (spread over the objectives, or the truth with error if positions are known), is reset by
  intel events, and is updated hourly from what its units observe (with a lognormal error).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.arrays import (
    A_ASSAULT,
    A_COUNTER,
    A_DIG_IN,
    A_HOLD,
    A_WITHDRAW,
    AIR,
    FOOT,
    MOVING_ACTIONS,
    P_ATTACKING,
    P_DEFENDING,
    P_DUG_IN,
    P_MOVING,
    P_WITHDRAWING,
    BattleArrays,
)
from kriegsspiel.engine.fire import Contacts, Environment
from kriegsspiel.engine.state import State
from kriegsspiel.engine.trace import Trace

__all__ = [
    "Movement",
    "behave",
    "control_and_intel",
    "events",
    "fly",
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
    inside = (np.hypot(dx, dy) <= arr.obj_radius[None, None, :]) & alive[:, :, None]
    men = np.where(inside, st.men[:, :, None], 0.0)
    side_onehot = np.zeros((arr.n_units, arr.n_sides))
    side_onehot[np.arange(arr.n_units), arr.side] = 1.0
    out: FloatArray = np.einsum("buo,us->bso", men, side_onehot)
    return out


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
    trace.log(k, "capture", changed, holder.astype(np.float64))
    # intelligence from observation: what each side's units see on each objective
    if con is None:
        return
    for s in range(arr.n_sides):
        seen = con.observed & (arr.side != s)[None, :]
        seen_men = _men_on_objectives(arr, st, alive & seen)
        enemy = seen_men[:, [t for t in range(arr.n_sides) if t != s], :].sum(axis=1)
        update = enemy > 0
        est = enemy * _noise(rng, enemy.shape)
        st.believed[:, s, :] = np.where(update, est, st.believed[:, s, :])


def _set_order(arr: BattleArrays, st: State, row: int, mask: BoolArray) -> None:
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


def condition_met(arr: BattleArrays, st: State, row: int) -> BoolArray:
    """Per replication: does the believed force ratio of order ``row`` meet its threshold?"""
    ev = arr.events
    threshold = ev.order_threshold[row]
    if np.isnan(threshold):
        return np.ones(st.reps, dtype=bool)
    group = np.flatnonzero(ev.order_group == ev.order_group[row])
    units = np.unique(ev.order_unit[group])
    side = arr.side[units[0]]
    own = np.where(st.arrived[:, units], st.men[:, units], 0.0).sum(axis=1)
    o = ev.order_cond_objective[row]
    believed = st.believed[:, side, :].sum(axis=1) if o < 0 else st.believed[:, side, o]
    met: BoolArray = own >= threshold * np.maximum(believed, 1.0)
    return met


def events(arr: BattleArrays, st: State, rng: np.random.Generator, k: int, trace: Trace) -> None:
    """Apply the timeline's events of step ``k`` (arrivals, orders, intel, lapsing orders)."""
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
    rows = np.flatnonzero(ev.order_step == k)
    for row in rows:
        met = condition_met(arr, st, int(row))
        _set_order(arr, st, int(row), met)
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
            truth = _men_on_objectives(arr, st, st.alive(arr))
            enemy = truth[:, [t for t in range(arr.n_sides) if t != s], :].sum(axis=1)
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
        d = np.hypot(st.x[:, own, None] - st.x[:, None, en], st.y[:, own, None] - st.y[:, None, en])
        ok = alive[:, own, None] & alive[:, None, en]
        if ok.any():
            best = min(best, float(d[ok].min()))
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
    """Doctrine of the step; return who moves where, with what speed factor and cap."""
    p = arr.params
    # rally
    rally = st.broken & (st.rally_step <= k)
    if rally.any():
        st.broken &= ~rally
        st.ref = np.where(rally, st.strength(arr), st.ref)
        st.posture = np.where(rally, P_DEFENDING, st.posture)
        trace.log(k, "rally", rally, st.men)
    # arrival at target
    to_go = np.hypot(st.tx - st.x, st.ty - st.y)
    radius = np.zeros_like(to_go)
    contested = np.zeros(to_go.shape, dtype=bool)
    if arr.obj_center.shape[0]:
        obj = np.maximum(st.objective, 0)
        contested = np.take_along_axis(st.contested, obj, axis=1) & (st.objective >= 0)
        radius = np.where(st.objective >= 0, arr.obj_radius[obj] * 0.3, 0.0)
    # on a contested objective a unit presses on to the centre
    at_target = to_go <= np.where(contested, _ARRIVE_M, np.maximum(radius, _ARRIVE_M))
    going = np.isin(st.action, MOVING_ACTIONS) & ~st.broken
    withdrawn = going & at_target & (st.action == A_WITHDRAW)
    reached = (going & at_target & ~(con.target >= 0) & ~contested) | withdrawn
    st.action = np.where(reached, A_HOLD, st.action)
    st.posture = np.where(reached, P_DEFENDING, st.posture)
    going &= ~reached
    # assault posture within assault range of the enemy, attacking or moving otherwise
    close = (con.target >= 0) & (con.dist <= p.assault_range)
    attack = going & (st.action != A_WITHDRAW)
    st.posture = np.where(
        attack, np.where(close | (st.action == A_ASSAULT), P_ATTACKING, P_MOVING), st.posture
    )
    st.posture = np.where(st.broken, P_WITHDRAWING, st.posture)
    # counter-attack a lost objective that the unit was ordered to hold
    if arr.obj_center.shape[0]:
        obj = np.maximum(st.objective, 0)
        holder = np.take_along_axis(st.control, obj, axis=1)
        lost = (st.objective >= 0) & (holder >= 0) & (holder != arr.side[None, :])
        counter = (
            lost & alive & ~st.broken & (st.action == A_HOLD) & (st.strength(arr) >= 0.5 * st.ref)
        )
        contested = np.take_along_axis(st.contested, obj, axis=1) & (st.objective >= 0)
        clear = contested & alive & ~st.broken & (st.action == A_HOLD)
        counter |= clear
        if counter.any():
            st.action = np.where(counter, A_COUNTER, st.action)
            st.tx = np.where(counter, arr.obj_center[obj, 0], st.tx)
            st.ty = np.where(counter, arr.obj_center[obj, 1], st.ty)
            st.ref = np.where(counter, st.strength(arr), st.ref)
            st.posture = np.where(counter, P_MOVING, st.posture)
            going |= counter
    moving = alive & (going | st.broken)
    # broken units head home; their standing order is kept for when they rally
    tx = np.where(st.broken, arr.home[None, :, 0], st.tx)
    ty = np.where(st.broken, arr.home[None, :, 1], st.ty)
    field = np.where(st.broken, arr.home_field[None, :], st.field)
    factor = np.ones_like(st.x) * (1.0 - 0.5 * np.minimum(st.supp, 1.0))
    if env.night:
        factor = factor * p.move_night
    if env.weather == 3:
        factor = factor * p.move_fog
    assault = (st.posture == P_ATTACKING) & (arr.mobility == FOOT)[None, :]
    cap = np.where(assault, p.foot_assault, np.inf)
    return Movement(moving, factor, cap, tx, ty, field)


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
    attacking = np.isin(st.action, MOVING_ACTIONS) & (st.action != A_WITHDRAW)
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
