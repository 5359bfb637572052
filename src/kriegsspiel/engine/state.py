"""The engine's state: a struct of arrays shaped ``(reps, units)`` (or ``(reps, sides)``).

One :class:`State` holds a block of replications that advance together; nothing in it is a
Python object per replication or per unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.arrays import A_HOLD, TANK, BattleArrays

__all__ = ["State", "initial_state"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass
class State:
    """Mutable state of a block of replications.

    Per unit ``(B, U)``: position ``x``, ``y``; ``men``; vehicles operational ``veh_op``,
    awaiting repair on site ``veh_repair``; ``supp`` suppression in [0, 1]; ``broken`` (morale
    broke: withdrawing to rally) and ``rally_step``; ``posture`` and the standing order
    (``action``, target ``tx``/``ty``, navigation ``field``, ``objective``); ``ref`` the strength
    when the unit last rallied or took an order (the breakpoint counts losses from it);
    ``ammo`` indirect rounds on hand; ``arrived``. Per side ``(B, S)``: cumulative ``killed``,
    ``wounded``, ``missing``, ``veh_disabled``, ``veh_destroyed``, ``air_lost``. Intelligence
    ``(B, S, O)``: ``believed`` enemy men on each objective, by each side. Objectives ``(B, O)``:
    ``control`` (holding side or -1), ``contested`` (more than one side present) and
    ``last_holder`` (the last side that held it alone). ``hold_since`` is the step a unit began
    to hold (it digs in after the digging time). ``near`` ``(B, U, U)`` marks, for each unit,
    the live units of its side in its battle area (the force its losses are reckoned with;
    updated hourly). ``surprise`` is the QJM surprise level of the unit's standing order (0
    none) and ``surprise_step`` the step that order was given.
    """

    x: FloatArray
    y: FloatArray
    men: FloatArray
    veh_op: FloatArray
    veh_repair: FloatArray
    supp: FloatArray
    broken: BoolArray
    rally_step: IntArray
    posture: IntArray
    action: IntArray
    tx: FloatArray
    ty: FloatArray
    field: IntArray
    objective: IntArray
    ref: FloatArray
    ammo: FloatArray
    arrived: BoolArray
    killed: FloatArray
    wounded: FloatArray
    missing: FloatArray
    veh_disabled: FloatArray
    veh_destroyed: FloatArray
    air_lost: FloatArray
    believed: FloatArray
    believed_total: FloatArray
    control: IntArray
    contested: BoolArray
    last_holder: IntArray
    hold_since: IntArray
    near: FloatArray
    surprise: FloatArray
    surprise_step: IntArray

    @property
    def reps(self) -> int:
        """Replications in the block."""
        return int(self.men.shape[0])

    def strength(self, arr: BattleArrays) -> FloatArray:
        """Fighting strength: vehicles for tank units, men for the others."""
        return np.where(arr.utype == TANK, self.veh_op, self.men)

    def personnel(self, arr: BattleArrays) -> FloatArray:
        """Men, a tank unit's counted as the crews of its operational vehicles."""
        crews: FloatArray = self.veh_op * np.maximum(arr.crew, 1.0)[None, :]
        return np.where(arr.utype == TANK, crews, self.men)

    def alive(self, arr: BattleArrays) -> BoolArray:
        """Units on the map with strength left."""
        return self.arrived & (self.strength(arr) > 0)


def initial_state(arr: BattleArrays, reps: int) -> State:
    """The state at the scenario's start (units arriving later are not yet on the map)."""
    u, s, o = arr.n_units, arr.n_sides, arr.obj_center.shape[0]

    def tile(v: NDArray[np.generic]) -> NDArray[np.generic]:
        return np.tile(v, (reps, 1))

    strength0 = np.where(arr.utype == TANK, arr.vehicles0, arr.men0)
    return State(
        x=tile(arr.pos0[:, 0]).astype(np.float64),
        y=tile(arr.pos0[:, 1]).astype(np.float64),
        men=tile(arr.men0).astype(np.float64),
        veh_op=tile(arr.vehicles0).astype(np.float64),
        veh_repair=np.zeros((reps, u)),
        supp=np.zeros((reps, u)),
        broken=np.zeros((reps, u), dtype=bool),
        rally_step=np.zeros((reps, u), dtype=np.int64),
        posture=tile(arr.posture0).astype(np.int64),
        action=np.full((reps, u), A_HOLD, dtype=np.int64),
        tx=tile(arr.pos0[:, 0]).astype(np.float64),
        ty=tile(arr.pos0[:, 1]).astype(np.float64),
        field=np.full((reps, u), -1, dtype=np.int64),
        objective=np.full((reps, u), -1, dtype=np.int64),
        ref=tile(strength0).astype(np.float64),
        ammo=tile(arr.ammo0).astype(np.float64),
        arrived=tile(arr.arrive_step <= 0).astype(bool),
        killed=np.zeros((reps, s)),
        wounded=np.zeros((reps, s)),
        missing=np.zeros((reps, s)),
        veh_disabled=np.zeros((reps, s)),
        veh_destroyed=np.zeros((reps, s)),
        air_lost=np.zeros((reps, s)),
        believed=np.zeros((reps, s, o)),
        believed_total=np.tile(arr.intel_enemy_men, (reps, 1)).astype(np.float64),
        control=np.full((reps, o), -1, dtype=np.int64),
        contested=np.zeros((reps, o), dtype=bool),
        last_holder=np.full((reps, o), -1, dtype=np.int64),
        hold_since=np.zeros((reps, u), dtype=np.int64),
        near=np.tile(np.eye(u), (reps, 1, 1)),
        surprise=np.zeros((reps, u)),
        surprise_step=np.zeros((reps, u), dtype=np.int64),
    )
