"""BattleArrays: everything the tactical engine needs, as numpy arrays (compiled once per run).

Indices: ``U`` units (scenario order), ``S`` sides, ``O`` objectives, ``T`` time steps, ``K``
range bands, ``F`` navigation fields. Codes for types, mobility, postures and actions are the
positions in the tuples below. Time step ``k`` covers ``[start + k dt, start + (k + 1) dt)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.jit import njit
from kriegsspiel.engine.params import EngineParams
from kriegsspiel.terrain.movement import MoveField

__all__ = [
    "ACTIONS",
    "ARRIVE_RADIUS_SHARE",
    "MOBILITIES",
    "POSTURES",
    "TYPES",
    "BattleArrays",
    "EventTables",
    "TerrainArrays",
    "cell_index",
    "code_table",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

TYPES = ("infantry", "cavalry", "engineer", "tank", "artillery", "anti_tank", "air")
MOBILITIES = ("foot", "tracked", "wheeled", "air")
POSTURES = ("moving", "attacking", "defending", "dug_in", "reserve", "withdrawing")
ACTIONS = ("hold", "advance", "assault", "dig_in", "withdraw", "counterattack", "move")

TANK = TYPES.index("tank")
AIR = TYPES.index("air")
ARTILLERY = TYPES.index("artillery")
FOOT, TRACKED, WHEELED = 0, 1, 2
P_MOVING, P_ATTACKING, P_DEFENDING, P_DUG_IN, P_RESERVE, P_WITHDRAWING = range(6)
A_HOLD, A_ADVANCE, A_ASSAULT, A_DIG_IN, A_WITHDRAW, A_COUNTER, A_MOVE = range(7)
MOVING_ACTIONS = (A_ADVANCE, A_ASSAULT, A_WITHDRAW, A_COUNTER, A_MOVE)


def code_table(codes: tuple[int, ...], size: int) -> BoolArray:
    """A read-only lookup table of ``size`` codes, True at ``codes``.

    ``table.take(a)`` is ``np.isin(a, codes)`` for codes in range, several times cheaper.
    """
    table = np.zeros(size, dtype=bool)
    table[list(codes)] = True
    table.flags.writeable = False
    return table


IS_MOVING_ACTION = code_table(MOVING_ACTIONS, len(ACTIONS))
IS_OFFENSIVE_ACTION = code_table((A_ADVANCE, A_ASSAULT, A_COUNTER), len(ACTIONS))
IS_ATTACKING_POSTURE = code_table((P_MOVING, P_ATTACKING), len(POSTURES))
IS_DEFENDING_POSTURE = code_table((P_DEFENDING, P_DUG_IN, P_RESERVE), len(POSTURES))

ARRIVE_RADIUS_SHARE = 0.3
"""A unit sent to an objective has arrived within this share of its radius from the centre."""

COVER_FACTORS = (
    "casualty",
    "defence",
    "infantry",
    "artillery",
    "air",
    "tanks",
    "advance",
    "mobility",
)
"""Columns of :attr:`TerrainArrays.factors` (QJM terrain factors, see the library)."""


@dataclass(frozen=True)
class TerrainArrays:
    """The raster the engine reads (row 0 = south edge, column 0 = west edge).

    Attributes:
        x0, y0: south-west corner of the grid in local metres.
        cell_m: cell edge.
        cover: land-cover class per cell, an index into ``cover_names``.
        cover_names: class names (rows of the library's terrain factors, plus ``water``).
        factors: ``(classes, 8)`` terrain factors in the order of :data:`COVER_FACTORS`.
        speed: ``(3, ny, nx)`` speed in km/h for foot, tracked, wheeled (0 = impassable).
        passable: ``(S, ny, nx)`` cells each side may enter (not water, not beyond its border).
        elevation: ground height in metres.
        fields: cost-to-go fields (the terrain's :class:`MoveField`), indexed by the field
            numbers of orders and rally points.
    """

    x0: float
    y0: float
    cell_m: float
    cover: NDArray[np.int8]
    cover_names: tuple[str, ...]
    factors: FloatArray
    speed: NDArray[np.float32]
    passable: BoolArray
    elevation: NDArray[np.float32]
    fields: tuple[MoveField, ...]

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``."""
        ny, nx = self.cover.shape
        return int(ny), int(nx)

    def cell(self, x: FloatArray, y: FloatArray) -> tuple[IntArray, IntArray]:
        """Row and column of points (clipped to the grid)."""
        ny, nx = self.shape
        col = np.clip(((x - self.x0) / self.cell_m).astype(np.int64), 0, nx - 1)
        row = np.clip(((y - self.y0) / self.cell_m).astype(np.int64), 0, ny - 1)
        return row, col

    def inside(self, x: FloatArray, y: FloatArray) -> BoolArray:
        """Whether points lie on the map."""
        ny, nx = self.shape
        return (
            (x >= self.x0)
            & (x < self.x0 + nx * self.cell_m)
            & (y >= self.y0)
            & (y < self.y0 + ny * self.cell_m)
        )


def _cell_of(v: float, v0: float, cell_m: float, n: int) -> int:
    """Row (or column) of one coordinate on ``n`` cells from ``v0``, as :meth:`TerrainArrays.cell`.

    For the loops compiled by numba, which look up one point at a time.
    """
    return min(max(int((v - v0) / cell_m), 0), n - 1)


cell_index = njit(_cell_of)


@dataclass(frozen=True)
class EventTables:
    """The timeline as arrays sorted by step.

    Orders: ``order_*`` (one row per ordered unit). Artillery programmes: ``prog_*`` (one row
    per firing unit). Air strikes: ``air_*`` (one row per air unit). Intel: ``intel_*``.
    """

    order_step: IntArray
    order_unit: IntArray
    order_action: IntArray
    order_target: FloatArray  # (E, 2) metres; nan when the order has no place
    order_objective: IntArray  # -1 none
    order_field: IntArray  # navigation field for this unit to this target, -1 straight line
    order_until: IntArray  # step at which the order lapses to hold (n_steps: never)
    order_threshold: FloatArray  # believed force ratio needed; nan unconditional
    order_cond_objective: IntArray  # -1: all objectives
    order_group: IntArray  # orders given together (one event) share a group id
    order_surprise: FloatArray  # QJM surprise level the ordered unit achieves (0 none, 3 complete)
    prog_start: IntArray
    prog_end: IntArray
    prog_unit: IntArray
    prog_target: FloatArray  # (P, 2)
    prog_rounds: FloatArray  # rounds allotted to this unit for the programme (inf: any)
    air_start: IntArray
    air_end: IntArray
    air_unit: IntArray
    air_target: FloatArray  # (A, 2)
    air_sorties: FloatArray
    air_bomb_kg: FloatArray  # per sortie
    intel_step: IntArray
    intel_side: IntArray
    intel_enemy_men: FloatArray  # nan: unchanged
    intel_positions: IntArray  # -1 unchanged, 0 unknown, 1 known
    ceasefire_step: IntArray  # (S,) fire stops for side s from this step (n_steps: never)


@dataclass(frozen=True)
class BattleArrays:
    """A compiled battle: units, terrain, weather, timeline and objectives as arrays."""

    name: str
    start: datetime
    step_minutes: int
    n_steps: int
    side_ids: tuple[str, ...]
    unit_ids: tuple[str, ...]
    objective_ids: tuple[str, ...]
    side: IntArray
    utype: IntArray
    mobility: IntArray
    men0: FloatArray
    vehicles0: FloatArray  # armoured vehicles that can be disabled
    armour_mm: FloatArray
    crew: FloatArray  # men per vehicle
    band_edges: FloatArray  # (K,) upper edges of the range bands, metres
    fp: FloatArray  # (U, K) anti-personnel direct-fire firepower at full strength
    fp_at: FloatArray  # (U, K) direct fire able to disable the enemy's armour
    vehicle_fp_share: FloatArray  # share of fp carried by vehicles (scales with vehicles)
    ind_fp: FloatArray  # indirect-fire firepower at full strength
    ind_range: FloatArray
    rounds_per_hour: FloatArray  # indirect rounds fired per hour at full intensity
    ammo0: FloatArray  # indirect rounds on hand at most (basic load)
    resupply_per_hour: FloatArray  # rounds brought up per hour, up to the basic load
    bomb_kg: FloatArray  # per sortie (air units)
    pos0: FloatArray  # (U, 2)
    home: FloatArray  # (U, 2) rally point
    home_field: IntArray  # navigation field back home, -1 straight line
    posture0: IntArray
    arrive_step: IntArray  # 0 = on the map at start; > n_steps: never
    terrain: TerrainArrays
    fog: BoolArray  # (T,)
    rain: BoolArray
    cloud: BoolArray
    night: BoolArray
    obj_center: FloatArray  # (O, 2)
    obj_radius: FloatArray
    obj_min_men: FloatArray
    obj_frontage: FloatArray  # (S, O) metres of front open to each side around each objective
    events: EventTables
    casualty_split: FloatArray  # (S, 3) killed, wounded, missing (sums to 1)
    intel_enemy_men: FloatArray  # (S,) prior estimate of the enemy's total men
    intel_positions: BoolArray  # (S,) enemy positions known at start
    cev: FloatArray  # (S,) combat effectiveness value (QJM/TNDM CEV; 1.0 by default)
    params: EngineParams
    content_hash: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def n_units(self) -> int:
        """Number of units."""
        return int(self.side.size)

    @property
    def n_sides(self) -> int:
        """Number of sides."""
        return len(self.side_ids)

    @property
    def dt_h(self) -> float:
        """Step length in hours."""
        return self.step_minutes / 60.0

    def time_of(self, step: int) -> datetime:
        """Local wall-clock time at the start of ``step``."""
        return self.start + timedelta(minutes=self.step_minutes * step)

    def step_of(self, when: datetime) -> int:
        """The step during which ``when`` falls (may be < 0 or > n_steps)."""
        minutes = (when - self.start).total_seconds() / 60.0
        return int(np.floor(minutes / self.step_minutes + 1e-9))
