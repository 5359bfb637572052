"""What a block of replications records: hourly series and a compact event log.

Series are sampled at every whole hour from the start (and at the end) into preallocated arrays
``(H, B, ...)``. The event log is per replication, fixed capacity: parallel arrays of
``(step, kind, unit, value)``; entries beyond the capacity are counted in ``log_dropped`` but not
stored, so memory stays bounded whatever happens. :class:`Frames` keeps, for the first few
replications of a block only, every unit's position, strength, state and order every 15 minutes
and the fire between units (what the replay draws).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.arrays import POSTURES, TYPES, BattleArrays
from kriegsspiel.engine.fire import Contacts, Fire, Losses
from kriegsspiel.engine.state import State

__all__ = [
    "EVENT_KINDS",
    "FIRE_KINDS",
    "FRAME_MINUTES",
    "STATES",
    "Decision",
    "Frames",
    "Trace",
]

EVENT_KINDS = (
    "arrive",
    "move",
    "fire",
    "strike",
    "capture",
    "break",
    "rally",
    "order",
    "aborted",
    "ceasefire",
)
"""Event kinds; ``unit`` is an objective index for ``capture`` (value = new holder side, -1
none), a unit index otherwise; ``value`` is metres moved, casualties caused, sorties, etc."""

LOG_CAPACITY = 4096


@dataclass(frozen=True)
class Decision:
    """One conditional order weighed at ``step`` in every replication of the block.

    ``group`` is the order's event (its index in the scenario's timeline), ``side`` the ordering
    side, ``objective`` the objective of the condition (-1: all of them); per replication
    ``own`` men of the ordered units, the ``believed`` enemy men the ratio is taken against, the
    enemy men ``true``-ly there (on the same objective or objectives), and whether the order
    went in (``met``: ``own >= threshold * max(believed, 1)``).
    """

    step: int
    group: int
    side: int
    objective: int
    threshold: float
    own: NDArray[np.float64]
    believed: NDArray[np.float64]
    true: NDArray[np.float64]
    met: NDArray[np.bool_]


@dataclass
class Trace:
    """Hourly series and the event log of one block.

    The intelligence series ``(H, B, S)`` are, for each side: ``believed`` enemy men on the
    objectives (its estimate, summed over them), ``enemy_true`` the enemy men actually there,
    ``enemy_units`` the enemy ground units on the map with strength left and ``enemy_seen``
    how many of them its detection observes at that moment. For the traced replications only
    (those with :class:`Frames`), ``objective_believed`` and ``objective_true`` ``(H, T, S, O)``
    keep the same two figures per objective, unsummed. ``decisions`` lists the conditional
    orders weighed, in order.
    """

    hour_steps: NDArray[np.int64]  # (H,)
    men: NDArray[np.float32]  # (H, B, S, types)
    vehicles: NDArray[np.float32]  # (H, B, S) operational
    killed: NDArray[np.float32]  # (H, B, S) cumulative
    wounded: NDArray[np.float32]
    missing: NDArray[np.float32]
    veh_disabled: NDArray[np.float32]
    veh_destroyed: NDArray[np.float32]
    air_lost: NDArray[np.float32]
    control: NDArray[np.int8]  # (H, B, O) holder side, -1 none
    log_step: NDArray[np.int32]  # (B, capacity)
    log_kind: NDArray[np.int8]
    log_unit: NDArray[np.int16]
    log_value: NDArray[np.float32]
    log_count: NDArray[np.int64]  # (B,)
    log_dropped: NDArray[np.int64]  # (B,)
    frames: Frames  # per-unit frames of the first replications (for the replay)
    believed: NDArray[np.float32]  # (H, B, S) believed enemy men on the objectives
    enemy_true: NDArray[np.float32]  # (H, B, S) enemy men actually on the objectives
    enemy_units: NDArray[np.int16]  # (H, B, S) enemy ground units on the map
    enemy_seen: NDArray[np.int16]  # (H, B, S) of them, observed by the side
    objective_believed: NDArray[np.float32]  # (H, T, S, O) traced replications only
    objective_true: NDArray[np.float32]  # (H, T, S, O)
    decisions: list[Decision] = field(default_factory=list)

    @classmethod
    def allocate(
        cls, arr: BattleArrays, reps: int, capacity: int = LOG_CAPACITY, traced: int = 0
    ) -> Trace:
        """Empty series for every whole hour plus the end; frames for ``traced`` replications."""
        per_hour = max(1, round(60 / arr.step_minutes))
        steps = np.arange(0, arr.n_steps + 1, per_hour, dtype=np.int64)
        if steps[-1] != arr.n_steps:
            steps = np.append(steps, arr.n_steps)
        h, s, o = steps.size, arr.n_sides, arr.obj_center.shape[0]
        t = min(max(traced, 0), reps)

        def z(*shape: int) -> NDArray[np.float32]:
            return np.zeros(shape, dtype=np.float32)

        return cls(
            hour_steps=steps,
            men=z(h, reps, s, len(TYPES)),
            vehicles=z(h, reps, s),
            killed=z(h, reps, s),
            wounded=z(h, reps, s),
            missing=z(h, reps, s),
            veh_disabled=z(h, reps, s),
            veh_destroyed=z(h, reps, s),
            air_lost=z(h, reps, s),
            control=np.full((h, reps, o), -1, dtype=np.int8),
            log_step=np.zeros((reps, capacity), dtype=np.int32),
            log_kind=np.zeros((reps, capacity), dtype=np.int8),
            log_unit=np.zeros((reps, capacity), dtype=np.int16),
            log_value=np.zeros((reps, capacity), dtype=np.float32),
            log_count=np.zeros(reps, dtype=np.int64),
            log_dropped=np.zeros(reps, dtype=np.int64),
            frames=Frames.allocate(arr, t),
            believed=z(h, reps, s),
            enemy_true=z(h, reps, s),
            enemy_units=np.zeros((h, reps, s), dtype=np.int16),
            enemy_seen=np.zeros((h, reps, s), dtype=np.int16),
            objective_believed=z(h, t, s, o),
            objective_true=z(h, t, s, o),
        )

    def sample(self, h: int, arr: BattleArrays, st: State) -> None:
        """Record the state as the ``h``-th hourly sample."""
        alive = st.arrived
        men = np.where(alive, st.men, 0.0)
        onehot = np.zeros((arr.n_units, arr.n_sides * len(TYPES)))
        onehot[np.arange(arr.n_units), arr.side * len(TYPES) + arr.utype] = 1.0
        self.men[h] = (men @ onehot).reshape(st.reps, arr.n_sides, len(TYPES))
        side_onehot = np.zeros((arr.n_units, arr.n_sides))
        side_onehot[np.arange(arr.n_units), arr.side] = 1.0
        self.vehicles[h] = np.where(alive, st.veh_op, 0.0) @ side_onehot
        self.killed[h] = st.killed
        self.wounded[h] = st.wounded
        self.missing[h] = st.missing
        self.veh_disabled[h] = st.veh_disabled
        self.veh_destroyed[h] = st.veh_destroyed
        self.air_lost[h] = st.air_lost
        self.control[h] = st.control

    def sample_intel(
        self,
        h: int,
        believed: NDArray[np.float64],
        enemy_true: NDArray[np.float64],
        enemy_units: NDArray[np.int64],
        enemy_seen: NDArray[np.int64],
    ) -> None:
        """Record each side's picture of the enemy as the ``h``-th hourly sample.

        ``believed`` and ``enemy_true`` are per objective ``(B, S, O)``; the counts ``(B, S)``.
        """
        self.believed[h] = believed.sum(axis=2)
        self.enemy_true[h] = enemy_true.sum(axis=2)
        t = self.objective_believed.shape[1]
        self.objective_believed[h] = believed[:t]
        self.objective_true[h] = enemy_true[:t]
        self.enemy_units[h] = enemy_units
        self.enemy_seen[h] = enemy_seen

    def log(
        self,
        step: int,
        kind: str,
        mask: NDArray[np.bool_],
        value: NDArray[np.float64],
        unit: NDArray[np.int64] | None = None,
    ) -> None:
        """Append one event per True cell of ``mask`` (B, n); ``unit`` maps columns to ids."""
        if not mask.any():
            return
        code = EVENT_KINDS.index(kind)
        rank = np.cumsum(mask, axis=1) - 1
        slot = self.log_count[:, None] + rank
        cap = self.log_step.shape[1]
        b, i = np.nonzero(mask & (slot < cap))
        s = slot[b, i]
        self.log_step[b, s] = step
        self.log_kind[b, s] = code
        self.log_unit[b, s] = i if unit is None else unit[i]
        self.log_value[b, s] = value[b, i]
        n = mask.sum(axis=1)
        self.log_dropped += np.maximum(self.log_count + n - cap, 0) - np.maximum(
            self.log_count - cap, 0
        )
        self.log_count += n


FRAME_MINUTES = 15
"""Simulated minutes between two frames of the per-unit trace (the replay's frames)."""

FIRE_KINDS = ("fire", "artillery", "air")
"""Kinds of fire in the trace: direct fire, indirect fire (guns, mortars), air strikes."""

STATES = (*POSTURES, "broken", "destroyed", "not arrived")
"""Unit states in the trace: the posture, unless broken, destroyed or not yet on the map."""


@dataclass
class Frames:
    """The per-unit trace of the first ``traced`` replications of a block, for the replay.

    Every :data:`FRAME_MINUTES` of simulated time (and at the end) each ground unit's position,
    strength (tanks for tank units, men otherwise), state code (:data:`STATES`) and order code
    (``action * (O + 1) + objective + 1``) is recorded, for those replications only. A frame the
    engine jumps over in one long step gets the positions interpolated linearly between the
    states before and after the step (and the other values from before it). ``seen[f, t, s, g]``
    is whether side ``s`` knows where ground unit ``g`` is: always for its own units, and for an
    enemy when the engine's detection of that step marks it observed (``Contacts.observed``, the
    evidence the side's intelligence estimate is updated from). Fire is summed per
    frame interval and (replication, firer, target, kind): the expected losses it caused and
    where the target stood. Nothing here draws random numbers or changes the state.
    """

    steps: NDArray[np.int64]  # (F,) frame steps
    units: NDArray[np.int64]  # (G,) ground unit columns
    x: NDArray[np.float32]  # (F, T, G) NaN: not on the map
    y: NDArray[np.float32]
    strength: NDArray[np.float32]
    state: NDArray[np.int8]
    order: NDArray[np.int16]
    seen: NDArray[np.bool_]  # (F, T, S, G) side s knows where unit g is
    side: NDArray[np.int64]  # (G,) side of each ground unit
    recorded: NDArray[np.bool_]  # (F,)
    per_frame: int
    shot_size: NDArray[np.float64]  # (T, U, U, kinds) expected losses caused this interval
    shot_x: NDArray[np.float64]  # where the target stood
    shot_y: NDArray[np.float64]
    shot_rows: list[NDArray[np.float64]]
    shot_frame: int = -1
    done: int = 0
    before: tuple[int, tuple[NDArray[Any], ...]] | None = None
    contacts: Contacts | None = None

    @classmethod
    def allocate(cls, arr: BattleArrays, traced: int) -> Frames:
        """Empty frames for ``traced`` replications over the whole scenario."""
        per_frame = max(1, round(FRAME_MINUTES / arr.step_minutes))
        steps = np.arange(0, arr.n_steps + 1, per_frame, dtype=np.int64)
        if steps[-1] != arr.n_steps:
            steps = np.append(steps, arr.n_steps)
        units = np.flatnonzero(arr.utype != TYPES.index("air"))
        shape = (steps.size, traced, units.size)
        shots = (traced, arr.n_units, arr.n_units, len(FIRE_KINDS))
        return cls(
            steps=steps,
            units=units,
            x=np.full(shape, np.nan, dtype=np.float32),
            y=np.full(shape, np.nan, dtype=np.float32),
            strength=np.zeros(shape, dtype=np.float32),
            state=np.zeros(shape, dtype=np.int8),
            order=np.zeros(shape, dtype=np.int16),
            seen=np.zeros((steps.size, traced, arr.n_sides, units.size), dtype=bool),
            side=np.asarray(arr.side[units], dtype=np.int64),
            recorded=np.zeros(steps.size, dtype=bool),
            per_frame=per_frame,
            shot_size=np.zeros(shots),
            shot_x=np.zeros(shots),
            shot_y=np.zeros(shots),
            shot_rows=[],
        )

    @property
    def traced(self) -> int:
        """Replications recorded."""
        return int(self.x.shape[1])

    def _values(self, arr: BattleArrays, st: State) -> tuple[NDArray[Any], ...]:
        t, g = self.traced, self.units
        on = st.arrived[:t, g]
        strength = st.strength(arr)[:t, g]
        state = np.where(st.broken[:t, g], STATES.index("broken"), st.posture[:t, g])
        state = np.where(strength <= 0, STATES.index("destroyed"), state)
        state = np.where(on, state, STATES.index("not arrived"))
        n_obj = arr.obj_center.shape[0]
        order = st.action[:t, g] * (n_obj + 1) + st.objective[:t, g] + 1
        x = np.where(on, st.x[:t, g], np.nan)
        y = np.where(on, st.y[:t, g], np.nan)
        sides = np.arange(self.seen.shape[2])
        own = self.side[None, None, :] == sides[None, :, None]  # (1, S, G)
        observed = np.zeros((t, g.size), dtype=bool)
        if self.contacts is not None:
            observed = self.contacts.observed[:t, g]
        seen = own | observed[:, None, :]
        return x, y, np.where(on, strength, 0.0), state, order, seen

    def record(self, k: int, arr: BattleArrays, st: State, con: Contacts | None = None) -> None:
        """Record every frame due at or before step ``k`` (the state is that of step ``k``).

        ``con`` is the detection of step ``k``; without it (the end of the battle) the last
        detection given stands.
        """
        if con is not None:
            self.contacts = con
        if self.traced == 0 or self.done >= self.steps.size or self.steps[self.done] > k:
            return
        now = self._values(arr, st)
        while self.done < self.steps.size and self.steps[self.done] <= k:
            f, at = self.done, int(self.steps[self.done])
            if at == k:
                values = now
            elif self.before is not None and self.before[0] < at:
                k0, old = self.before
                w = (at - k0) / (k - k0)
                values = (
                    old[0] + (now[0] - old[0]) * w,
                    old[1] + (now[1] - old[1]) * w,
                    *old[2:],
                )
            else:  # a resumed run: frames before its first step are not known
                self.done += 1
                continue
            names = ("x", "y", "strength", "state", "order", "seen")
            for name, v in zip(names, values, strict=True):
                getattr(self, name)[f] = v
            self.recorded[f] = True
            self.done += 1
        self.before = None

    def jump(self, k: int, steps: int, arr: BattleArrays, st: State) -> None:
        """Keep the state of step ``k`` if the coming step of ``steps`` passes over a frame."""
        if self.traced and self.done < self.steps.size and self.steps[self.done] < k + steps:
            self.before = (k, self._values(arr, st))

    def shots(
        self, k: int, arr: BattleArrays, st: State, fire: Fire, loss: Losses, n_direct: int
    ) -> None:
        """Add this step's fire of the traced replications (pairs before ``n_direct``: direct)."""
        if self.traced == 0:
            return
        frame = k // self.per_frame
        if frame != self.shot_frame:
            self._flush()
            self.shot_frame = frame
        caused = loss.men + loss.veh
        for i, (b, u, j, y) in enumerate(fire.pairs):
            keep = b < self.traced
            b, u, j, y = b[keep], u[keep], j[keep], y[keep]
            if b.size == 0:
                continue
            air = arr.utype[u] == TYPES.index("air")
            kind = np.where(air, 2, 0 if i < n_direct else 1)
            share = y / np.maximum(fire.z[b, j], 1e-12) * caused[b, j]
            np.add.at(self.shot_size, (b, u, j, kind), np.maximum(share, 1e-9))
            self.shot_x[b, u, j, kind] = st.x[b, j]
            self.shot_y[b, u, j, kind] = st.y[b, j]

    def _flush(self) -> None:
        if self.shot_frame < 0:
            return
        b, u, j, kind = np.nonzero(self.shot_size)
        if b.size:
            size = self.shot_size[b, u, j, kind]
            x = self.shot_x[b, u, j, kind]
            y = self.shot_y[b, u, j, kind]
            frame = np.full(b.size, self.shot_frame)
            self.shot_rows.append(np.stack([frame, b, u, j, kind, x, y, size]).astype(np.float64))
            self.shot_size[b, u, j, kind] = 0.0

    def fire_rows(self) -> NDArray[np.float64]:
        """All fire so far as rows ``(frame, b, firer, target, kind, tx, ty, size)``."""
        self._flush()
        self.shot_frame = -1
        rows = self.shot_rows
        return np.concatenate(rows, axis=1).T if rows else np.zeros((0, 8))
