"""The time-stepped engine: phases of one step, and the loop over a block of replications.

Phases of step ``k`` (all vectorised over ``(replications, units)``):

1. weather and light (scalars of the step: fog, rain, cloud, night -> detection range, factors);
2. events: arrivals, orders (conditional ones per replication, on the side's believed force
   ratio), intelligence, ceasefire;
3. behaviour (:mod:`kriegsspiel.engine.doctrine`): arrival at objectives, assault posture,
   morale breaks (withdraw and rally), counter-attacks on a lost crest;
4. movement on the cost surface (:mod:`kriegsspiel.engine.movement`);
5. detection and targets; direct fire, indirect fire, air strikes (:mod:`kriegsspiel.engine.fire`);
6. losses drawn (Poisson), split into killed/wounded/missing, vehicles disabled/burned/repaired;
   suppression and morale;
7. control of objectives and intelligence (hourly), trace.

Quiet and calm periods: when no fire programme or air strike is on and no objective is
contested in any replication, the engine may advance several steps at once (never past the next
event or whole hour). If no unit moves anywhere, the front is static and the step grows to
:data:`CALM_MINUTES` (to the next event or hour if no unit even sees an enemy): loss rates are
constant over it, so the Poisson draws simply cover the longer time. If units move but no unit
sees an enemy, the step grows as long as no unit can close to within detection range of an
enemy during it. The step-size choice is made from the whole block, so a replication's path
depends (statistically weakly) on the block it runs in; for a given block size, results do not
depend on how blocks are spread across calls or processes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine import doctrine
from kriegsspiel.engine.arrays import BattleArrays
from kriegsspiel.engine.fire import (
    Environment,
    Fire,
    Losses,
    acquire,
    air_strikes,
    direct_fire,
    indirect_fire,
    resolve,
)
from kriegsspiel.engine.movement import move
from kriegsspiel.engine.state import State, initial_state
from kriegsspiel.engine.trace import LOG_CAPACITY, Trace

__all__ = ["CALM_MINUTES", "simulate"]

CALM_MINUTES = 15
"""Longest step while the front is static (no unit moves, no programme, strike or contest)."""

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _weather_class(arr: BattleArrays, k: int) -> int:
    if arr.fog[k]:
        return 3
    if arr.rain[k]:
        return 2
    return 1 if arr.cloud[k] else 0


def _environment(arr: BattleArrays, k: int, hours: float) -> Environment:
    p = arr.params
    wx = _weather_class(arr, k)
    night = bool(arr.night[k])
    detect = p.detect_fog if wx == 3 else (p.detect_night if night else p.detect_day)
    fire_ok = arr.events.ceasefire_step > k
    return Environment(k, hours, night, wx, detect, fire_ok)


def _split(
    rng: np.random.Generator,
    total: FloatArray,
    split: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Split casualty counts (B, S) into killed, wounded, missing by the sides' fractions."""
    n = total.astype(np.int64)
    pk = split[:, 0][None, :]
    killed = rng.binomial(n, np.broadcast_to(pk, n.shape))
    rest = n - killed
    pm = np.where(pk < 1, split[:, 2][None, :] / np.maximum(1 - pk, 1e-12), 0.0)
    missing = rng.binomial(rest, np.broadcast_to(np.minimum(pm, 1.0), n.shape))
    return killed.astype(float), (rest - missing).astype(float), missing.astype(float)


def _draw_losses(
    arr: BattleArrays,
    st: State,
    rng: np.random.Generator,
    loss: Losses,
    hours: float,
    trace: Trace,
    k: int,
) -> FloatArray:
    """Draw this step's losses from their means and apply them; return men lost per unit."""
    p = arr.params
    reps, n = st.men.shape
    men_lost = np.zeros((reps, n))
    b, u = np.nonzero(loss.men > 0)
    if b.size:
        men_lost[b, u] = np.minimum(rng.poisson(loss.men[b, u]), st.men[b, u])
    b, u = np.nonzero(loss.veh > 0)
    side_onehot = np.zeros((n, arr.n_sides))
    side_onehot[np.arange(n), arr.side] = 1.0
    if b.size:
        hit = np.minimum(rng.poisson(loss.veh[b, u]), st.veh_op[b, u])
        burned = rng.binomial(hit.astype(np.int64), p.burned_fraction).astype(float)
        repair = rng.binomial((hit - burned).astype(np.int64), p.repaired_fraction).astype(float)
        st.veh_op[b, u] -= hit
        st.veh_repair[b, u] += repair
        crew = np.minimum(rng.poisson(hit * p.crew_casualties_per_tank), st.men[b, u])
        men_lost[b, u] += crew
        dis = np.zeros((reps, n))
        des = np.zeros((reps, n))
        dis[b, u], des[b, u] = hit, burned
        st.veh_disabled += dis @ side_onehot
        st.veh_destroyed += des @ side_onehot
    b, u = np.nonzero(st.veh_repair)
    if b.size:  # a binomial of 0 trials draws nothing: the other cells need no call
        back = rng.binomial(
            st.veh_repair[b, u].astype(np.int64), 1.0 - np.exp(-hours / p.repair_hours)
        ).astype(float)
        st.veh_repair[b, u] -= back
        st.veh_op[b, u] += back
    if men_lost.any():
        st.men -= men_lost
        killed, wounded, missing = _split(rng, men_lost @ side_onehot, arr.casualty_split)
        st.killed += killed
        st.wounded += wounded
        st.missing += missing
    return men_lost


def _programmes(arr: BattleArrays, k: int) -> tuple[FloatArray, FloatArray]:
    ev = arr.events
    n = arr.n_units
    intensity = np.zeros(n)
    xy = np.zeros((n, 2))
    on = (ev.prog_start <= k) & (k < ev.prog_end)
    for row in np.flatnonzero(on):
        u = ev.prog_unit[row]
        hours = (ev.prog_end[row] - ev.prog_start[row]) * arr.dt_h
        budget = ev.prog_rounds[row] / max(arr.rounds_per_hour[u] * hours, 1e-9)
        intensity[u] = min(1.0, budget) if np.isfinite(budget) else 1.0
        xy[u] = ev.prog_target[row]
    return intensity, xy


def _air(arr: BattleArrays, k: int, steps: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    ev = arr.events
    n = arr.n_units
    sorties, xy, oli = np.zeros(n), np.zeros((n, 2)), np.zeros(n)
    on = (ev.air_start <= k) & (k < ev.air_end)
    for row in np.flatnonzero(on):
        u = ev.air_unit[row]
        span = max(int(ev.air_end[row] - ev.air_start[row]), 1)
        sorties[u] += ev.air_sorties[row] * min(steps, span) / span
        xy[u] = ev.air_target[row]
        oli[u] = ev.air_bomb_kg[row] * arr.params.bomb_oli_per_kg(ev.air_bomb_kg[row] / 4.0)
    return sorties, xy, oli


def _next_event_step(arr: BattleArrays, k: int) -> int:
    ev = arr.events
    candidates = [arr.n_steps]
    for steps in (
        ev.order_step,
        ev.order_until,
        ev.prog_start,
        ev.air_start,
        ev.intel_step,
        ev.ceasefire_step,
        arr.arrive_step,
    ):
        later = steps[steps > k]
        if later.size:
            candidates.append(int(later.min()))
    return min(candidates)


def simulate(
    arr: BattleArrays,
    reps: int,
    rng: np.random.Generator,
    capacity: int | None = None,
    resume: tuple[State, int] | None = None,
    traced: int = 0,
) -> tuple[State, Trace]:
    """Run ``reps`` replications of the whole battle together; return final state and trace.

    ``resume`` = ``(state, step)`` continues from a state of ``reps`` replications at a step
    (the trace then starts at that step's hour). The first ``traced`` replications also get
    per-unit frames (:class:`~kriegsspiel.engine.trace.Frames`); recording draws no random
    numbers and changes nothing.
    """
    trace = Trace.allocate(arr, reps, LOG_CAPACITY if capacity is None else capacity, traced)
    per_hour = max(1, round(60 / arr.step_minutes))
    if resume is None:
        st, k = initial_state(arr, reps), 0
        doctrine.start(arr, st, rng)
    else:
        st, k = resume
    h = int(np.searchsorted(trace.hour_steps, k))
    moved = np.zeros(st.men.shape)
    fired = np.zeros(st.men.shape)
    vmax = float(arr.terrain.speed.max())
    calm = max(1, round(CALM_MINUTES / arr.step_minutes))
    while k < arr.n_steps:
        doctrine.events(arr, st, rng, k, trace)
        alive = st.alive(arr)
        env1 = _environment(arr, k, arr.dt_h)
        con = acquire(arr, st, alive, env1)
        if k % per_hour == 0:
            doctrine.battle_areas(arr, st, alive)
            doctrine.assaults(arr, st, alive, con, env1, rng, k, trace)
            doctrine.control_and_intel(arr, st, alive, con, rng, k, trace)
            trace.log(k, "move", moved > 100.0, moved)
            trace.log(k, "fire", fired >= 1.0, fired)
            moved[:], fired[:] = 0.0, 0.0
        while h < trace.hour_steps.size and trace.hour_steps[h] <= k:
            trace.sample(h, arr, st)
            trace.sample_intel(h, *doctrine.intel_picture(arr, st, con))
            h += 1
        trace.frames.record(k, arr, st, con)
        programme, prog_xy = _programmes(arr, k)
        quiet = not (con.target >= 0).any()
        plan = doctrine.behave(arr, st, alive, con, env1, k, trace)
        steps = 1
        if not (programme.any() or _air(arr, k, 1)[0].any() or st.contested.any()):
            limit = min(_next_event_step(arr, k), (k // per_hour + 1) * per_hour, arr.n_steps)
            if not plan.moving.any():  # a static front: the same rates hold for longer
                steps = limit - k if quiet else min(calm, limit - k)
            elif quiet:  # marching out of contact: jump while no one can come into view
                gap = doctrine.min_hostile_gap(arr, st, alive) - env1.detect_range
                reach = vmax * 1000.0 * arr.dt_h * 2.0
                steps = int(max(1, min(limit - k, gap // reach))) if gap > 0 else 1
        hours = steps * arr.dt_h
        env = _environment(arr, k, hours)
        trace.frames.jump(k, steps, arr, st)
        moved += move(arr, st, plan, hours)
        fire = Fire.empty(st.men.shape)
        n_direct = 0
        if not quiet:
            direct_fire(arr, st, con, env, fire)
            n_direct = len(fire.pairs)
        if not quiet or programme.any():  # a programme fires at its aim point, seen or not
            rounds = indirect_fire(arr, st, alive, con, env, programme, prog_xy, fire)
            st.ammo = np.maximum(st.ammo - rounds, 0.0)
        st.ammo = np.minimum(st.ammo + arr.resupply_per_hour * hours, arr.ammo0)
        sorties, air_xy, air_oli = _air(arr, k, steps)
        if sorties.any():
            doctrine.fly(arr, st, rng, env, sorties, trace, k)
            air_strikes(arr, st, alive, env, sorties, air_xy, air_oli, fire)
        loss = resolve(arr, st, fire, con, env)
        trace.frames.shots(k, arr, st, fire, loss, n_direct)
        strength_before = st.strength(arr).copy()
        _draw_losses(arr, st, rng, loss, hours, trace, k)
        fired += loss.inflicted
        doctrine.morale(arr, st, strength_before, env, k, trace)
        k += steps
    alive = st.alive(arr)
    doctrine.control_and_intel(arr, st, alive, None, rng, arr.n_steps, trace)
    while h < trace.hour_steps.size:  # the last detection stands for the end
        trace.sample(h, arr, st)
        trace.sample_intel(h, *doctrine.intel_picture(arr, st, trace.frames.contacts))
        h += 1
    trace.frames.record(arr.n_steps, arr, st)
    return st, trace
