"""What a block of replications records: hourly series and a compact event log.

Series are sampled at every whole hour from the start (and at the end) into preallocated arrays
``(H, B, ...)``. The event log is per replication, fixed capacity: parallel arrays of
``(step, kind, unit, value)``; entries beyond the capacity are counted in ``log_dropped`` but not
stored, so memory stays bounded whatever happens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.arrays import TYPES, BattleArrays
from kriegsspiel.engine.state import State

__all__ = ["EVENT_KINDS", "Trace"]

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


@dataclass
class Trace:
    """Hourly series and the event log of one block."""

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

    @classmethod
    def allocate(cls, arr: BattleArrays, reps: int, capacity: int = LOG_CAPACITY) -> Trace:
        """Empty series for every whole hour of the scenario plus the final state."""
        per_hour = max(1, round(60 / arr.step_minutes))
        steps = np.arange(0, arr.n_steps + 1, per_hour, dtype=np.int64)
        if steps[-1] != arr.n_steps:
            steps = np.append(steps, arr.n_steps)
        h, s, o = steps.size, arr.n_sides, arr.obj_center.shape[0]

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
