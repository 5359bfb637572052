"""kriegsspiel against Mesa agents on the 6 August slice of khasan-1938 (a timing script).

Both start from the same state: one kriegsspiel replication run to 1938-08-06T12:00, copied.
The slice is the 24 hours of the general offensive (288 steps of 5 minutes) on the same
terrain raster, with the same rules at their core:

* detection: the nearest live enemy, if within the detection range of the hour and in sight
  (the same sampled line of sight over the same elevation raster) or within the contact
  distance;
* fire: the firer's OLI in the range band times strength, night, and the QJM terrain and
  posture factors (the firer's ground and stance, the weather's attack and tank factors, the
  target's ground), at the pair's intensity;
* losses: the engagement-level Helmbold law (CDB90 constants) over the engaged units of a side
  within the battle area, Poisson draws;
* movement: straight towards the target at the terrain speed of the cell, never into water.

Mesa runs one ``Model`` per replication with one ``Agent`` per unit (the idiomatic way), with
per-unit constants as Python floats and the rasters as Python lists (scalar reads from numpy
arrays in the inner loops would slow it down for no reason). The kriegsspiel engine runs the
same replications as one block and does more (indirect fire, air strikes, assaults, orders,
control, morale and suppression, the anti-armour target split, movement on navigation fields,
the trace), so the ratio is conservative. Reported: unit-steps per second of each (live units x
steps x replications / wall time) and their ratio. Goal: kriegsspiel >= 50x Mesa.

Defaults: ``--reps 250`` because ``kriegsspiel run`` simulates a 1,000-replication experiment
as blocks of 250 (one block per worker at a time), so 250 is the block size the issue's use case
runs at; ``--reps 1000`` (one block of 1,000) gives about the same rate, since the engine's cost
is per (replication, unit) element. Measured on 2 shared cores: 1.5 (250) and 1.7 (1,000)
million unit-steps/s against Mesa's 0.15-0.17 million, a ratio of 10x (250) and 10-11x
(1,000); the goal is not met. ``--mesa-reps 10``: Mesa's time is short, and fewer replications
make its rate noisy. Needs the optional extra: ``pip install 'kriegsspiel[bench]'``.

    python benchmarks/peers/bench_mesa.py [--reps 250] [--mesa-reps 10]
"""

from __future__ import annotations

import argparse
import bisect
import math
import time
from dataclasses import fields, replace
from datetime import datetime

import mesa
import numpy as np

from kriegsspiel.engine.arrays import (
    AIR,
    P_ATTACKING,
    P_DEFENDING,
    P_DUG_IN,
    P_MOVING,
    P_RESERVE,
    TANK,
    BattleArrays,
)
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.runner import compiled
from kriegsspiel.engine.state import State
from kriegsspiel.scenario import load

SLICE_START = datetime(1938, 8, 6, 12, 0)
SLICE_HOURS = 24


def tiled(st: State, reps: int) -> State:
    """The state of replication 0 copied ``reps`` times."""
    return State(**{f.name: np.repeat(getattr(st, f.name)[:1], reps, axis=0) for f in fields(st)})


class Unit(mesa.Agent):  # type: ignore[misc]
    """One unit: position, strength and the arrays' per-unit constants."""

    def __init__(self, model: Battle, u: int, st: State) -> None:
        super().__init__(model)
        arr = model.arr
        self.u, self.side = u, int(arr.side[u])
        self.x, self.y = float(st.x[0, u]), float(st.y[0, u])
        self.men, self.veh = float(st.men[0, u]), float(st.veh_op[0, u])
        self.tank = bool(arr.utype[u] == TANK)
        self.tx, self.ty = float(st.tx[0, u]), float(st.ty[0, u])
        self.posture = int(st.posture[0, u])
        self.attacking = self.posture in (P_MOVING, P_ATTACKING)
        self.defending = self.posture in (P_DEFENDING, P_DUG_IN, P_RESERVE)
        self.fp = arr.fp[u].tolist()
        self.crew = max(float(arr.crew[u]), 1.0)
        self.men0 = max(float(arr.men0[u]), 1e-9)
        self.mobility = min(int(arr.mobility[u]), 2)
        self.target: Unit | None = None
        self.engaged = False
        self.dist = math.inf
        self.z = self.w = 0.0

    def alive(self) -> bool:
        return (self.veh if self.tank else self.men) > 0

    def strength(self) -> float:
        return self.veh * self.crew if self.tank else self.men

    def detect(self) -> None:
        self.target, self.dist = None, math.inf
        if not self.alive():
            return
        m = self.model
        nearest, best = None, math.inf
        for other in m.live:
            if other.side != self.side:
                d = math.hypot(other.x - self.x, other.y - self.y)
                if d < best:
                    nearest, best = other, d
        # the nearest enemy, if within range and in sight (the engine's rule)
        seen = nearest is not None and best <= m.detect
        if seen and (best <= m.p.contact or m.sight(self, nearest)):
            self.target, self.dist = nearest, best
        if self.target is not None:
            self.target.engaged = True
            self.engaged = True

    def fire(self) -> None:
        if self.target is None:
            return
        m, p = self.model, self.model.p
        band = bisect.bisect_left(m.edges, self.dist)
        if band >= len(self.fp):
            return
        # the firer's ground and stance, the target's ground (QJM terrain and posture factors)
        here = m.factors[m.cover_at(self.x, self.y)]
        if self.defending:
            stance = p.posture_strength[self.posture] * here[1]
        else:
            stance = p.weather_attack[m.weather]
        ground = here[5] * p.weather_tanks[m.weather] if self.tank else here[2]
        there = m.factors[m.cover_at(self.target.x, self.target.y)][2]
        y = self.fp[band] * self.men / self.men0 * (p.night_fire if m.night else 1.0)
        y *= ground * stance * there
        intensity = m.p.main_effort if self.attacking else m.p.holding
        self.target.z += y
        self.target.w += y * intensity

    def resolve(self) -> None:
        m, p = self.model, self.model.p
        if not self.engaged or not self.alive():
            return
        xs = zs = ws = 0.0
        for other in m.live:
            near = math.hypot(other.x - self.x, other.y - self.y) <= p.battle_area
            if other.side == self.side and other.engaged and near:
                xs, zs, ws = xs + other.strength(), zs + other.z, ws + other.w
        if zs <= 0:
            return
        law, k = (
            (p.attacker_law, p.attacker_k) if self.attacking else (p.defender_law, p.defender_k)
        )
        rate = k / 24.0 * (zs / p.reference_fire) ** law.px * (xs / p.reference_men) ** law.qx
        mean = rate * self.strength() / xs * ws / zs * m.dt_h
        lost = min(float(m.rng.poisson(mean)), self.men)
        self.men -= lost

    def move(self) -> None:
        m = self.model
        if not self.attacking or not self.alive():
            return
        d = math.hypot(self.tx - self.x, self.ty - self.y)
        if d < 1.0:
            return
        row, col = m.cell(self.x, self.y)
        speed = m.speed[self.mobility][row][col] * 1000
        step = min(speed * m.dt_h, d)
        nx, ny = self.x + (self.tx - self.x) / d * step, self.y + (self.ty - self.y) / d * step
        r2, c2 = m.cell(nx, ny)
        if m.passable[self.side][r2][c2]:
            self.x, self.y = nx, ny


class Battle(mesa.Model):  # type: ignore[misc]
    """One replication of the slice as Mesa agents."""

    def __init__(self, arr: BattleArrays, st: State, k0: int, seed: int) -> None:
        super().__init__(seed=seed)
        self.arr, self.p, self.k = arr, arr.params, k0
        self.dt_h = arr.dt_h
        self.rng = np.random.default_rng(seed)
        # the rasters and tables as Python lists: scalar reads from lists are the quick way
        ter = arr.terrain
        self.elev, self.cover = ter.elevation.tolist(), ter.cover.tolist()
        self.speed, self.passable = ter.speed.tolist(), ter.passable.tolist()
        self.factors, self.edges = ter.factors.tolist(), arr.band_edges.tolist()
        self.shape, self.x0, self.y0, self.cell_m = ter.shape, ter.x0, ter.y0, ter.cell_m
        for u in range(arr.n_units):
            if st.arrived[0, u] and arr.utype[u] != AIR:
                Unit(self, u, st)

    def cell(self, x: float, y: float) -> tuple[int, int]:
        ny, nx = self.shape
        col = min(max(int((x - self.x0) / self.cell_m), 0), nx - 1)
        row = min(max(int((y - self.y0) / self.cell_m), 0), ny - 1)
        return row, col

    def cover_at(self, x: float, y: float) -> int:
        row, col = self.cell(x, y)
        return int(self.cover[row][col])

    def sight(self, a: Unit, b: Unit) -> bool:
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

    def step(self) -> None:
        arr, k = self.arr, self.k
        self.night = bool(arr.night[k])
        fog = bool(arr.fog[k])
        self.weather = 3 if fog else 2 if arr.rain[k] else 1 if arr.cloud[k] else 0
        self.detect = (
            self.p.detect_fog if fog else (self.p.detect_night if self.night else self.p.detect_day)
        )
        self.live = [a for a in self.agents if a.alive()]
        for a in self.agents:
            a.z = a.w = 0.0
            a.engaged = False
        self.agents.do("detect")
        self.agents.do("fire")
        self.agents.do("resolve")
        self.agents.do("move")
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
    live = int((st0.arrived[0] & (st0.strength(arr)[0] > 0) & (arr.utype != AIR)).sum())
    window = replace(arr, n_steps=k0 + steps)

    t0 = time.perf_counter()
    simulate(window, args.reps, np.random.default_rng(2), resume=(tiled(st0, args.reps), k0))
    ks = time.perf_counter() - t0
    ks_rate = live * steps * args.reps / ks

    t0 = time.perf_counter()
    for r in range(args.mesa_reps):
        model = Battle(arr, st0, k0, seed=r)
        for _ in range(steps):
            model.step()
    ms = time.perf_counter() - t0
    ms_rate = live * steps * args.mesa_reps / ms

    print(f"6 August slice: {live} live units, {steps} steps of {arr.step_minutes} min")
    print(f"kriegsspiel: {args.reps} reps in {ks:.1f} s = {ks_rate:,.0f} unit-steps/s")
    mesa_line = f"Mesa {mesa.__version__}: {args.mesa_reps} reps in {ms:.1f} s"
    print(f"{mesa_line} = {ms_rate:,.0f} unit-steps/s")
    ratio = ks_rate / ms_rate
    print(f"ratio: {ratio:.0f}x (goal >= 50x: {'met' if ratio >= 50 else 'NOT met'})")


if __name__ == "__main__":
    main()
