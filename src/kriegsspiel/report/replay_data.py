"""``ReplayData``: one replication as the browser replay draws it, in compact numeric arrays.

Frames sit at increasing times (minutes after the scenario's local start, usually every
15 minutes); per frame and unit there is a position in local metres (x east, y north; NaN = not on
the map), a strength, a state and an order (indices into short string tables). A 13-day campaign
at 15-minute frames with 60 units is about 1,250 x 60 numbers per array.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kriegsspiel.errors import InputError
from kriegsspiel.report.data import Side

#: Kinds of fire events the replay draws, by their index in ``EventLog.kind``.
EVENT_KINDS: tuple[str, ...] = ("fire", "artillery", "air")

#: Kinds of map features the replay styles (others are drawn as plain outlines).
FEATURE_KINDS: tuple[str, ...] = (
    "lake",
    "marsh",
    "forest",
    "village",
    "river",
    "road",
    "border",
    "hill",
    "point",
)


@dataclass(frozen=True)
class MapImage:
    """An RGB raster of the terrain (row 0 = north edge); ``extent`` is (x0, x1, y0, y1) m."""

    rgb: npt.NDArray[np.uint8]
    extent: tuple[float, float, float, float]

    def __post_init__(self) -> None:
        arr = np.asarray(self.rgb)
        if arr.ndim != 3 or arr.shape[2] != 3 or arr.dtype != np.uint8:
            raise InputError("map.rgb", "a uint8 array shaped (rows, cols, 3)", arr.shape)
        if arr.shape[0] > 4096 or arr.shape[1] > 4096:
            raise InputError("map.rgb", "at most 4096 x 4096 pixels", arr.shape[:2])
        x0, x1, y0, y1 = self.extent
        if not (x1 > x0 and y1 > y0):
            raise InputError("map.extent", "x0 < x1 and y0 < y1", self.extent)


@dataclass(frozen=True)
class MapFeature:
    """A named feature drawn over the map: a polygon, a line or (one vertex) a point."""

    kind: str
    name: str
    points: npt.NDArray[np.float64]
    closed: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        pts = np.asarray(self.points, dtype=np.float64).reshape(-1, 2)
        if pts.shape[0] == 0 or not np.all(np.isfinite(pts)):
            raise InputError(f"map.features[{self.name}]", "at least one finite (x, y) point")
        object.__setattr__(self, "points", pts)


@dataclass(frozen=True)
class ReplayUnit:
    """A unit as the replay lists it; ``strength0`` is its full strength (for losses so far)."""

    id: str
    name: str
    side: str
    type: str
    echelon: str = ""
    strength0: float = 1.0
    strength_unit: str = "men"


@dataclass(frozen=True)
class ReplayObjective:
    """An objective area: a circle around a point."""

    id: str
    name: str
    x: float
    y: float
    radius: float


@dataclass(frozen=True)
class EventLog:
    """Fire events: time (minutes), kind index (``EVENT_KINDS``), shooter and target.

    ``source``/``target`` are unit indices (-1: none, e.g. aircraft from off the map);
    ``tx``/``ty`` is the point hit (metres); ``size`` a weight such as rounds or sorties.
    """

    t: npt.NDArray[np.float64]
    kind: npt.NDArray[np.int64]
    source: npt.NDArray[np.int64]
    target: npt.NDArray[np.int64]
    tx: npt.NDArray[np.float64]
    ty: npt.NDArray[np.float64]
    size: npt.NDArray[np.float64]

    @classmethod
    def empty(cls) -> EventLog:
        """No events."""
        f, i = np.zeros(0, np.float64), np.zeros(0, np.int64)
        return cls(f, i, i, i, f, f, f)

    def __post_init__(self) -> None:
        cols = ("t", "kind", "source", "target", "tx", "ty", "size")
        n = np.asarray(self.t).shape[0]
        for name in cols:
            arr = np.asarray(getattr(self, name))
            if arr.ndim != 1 or arr.shape[0] != n:
                raise InputError(f"events.{name}", f"a 1-D array of length {n}", arr.shape)
        kind = np.asarray(self.kind)
        if n and (kind.min() < 0 or kind.max() >= len(EVENT_KINDS)):
            raise InputError("events.kind", f"indices into {EVENT_KINDS}")
        if n and np.any(np.diff(np.asarray(self.t)) < 0):
            raise InputError("events.t", "times in increasing order")


@dataclass(frozen=True)
class ObjectiveIntel:
    """Hourly samples of what each side believes is on each objective, and what is there.

    ``times`` (samples,) minutes after the start, increasing; ``believed[k, s, o]`` the enemy
    men side ``s`` believes are on objective ``o`` (the engine's estimate conditional orders
    are weighed against); ``present[k, s, o]`` the men of side ``s`` actually there.
    """

    times: npt.NDArray[np.float64]
    believed: npt.NDArray[np.float64]
    present: npt.NDArray[np.float64]

    def __post_init__(self) -> None:
        times = np.asarray(self.times, dtype=np.float64)
        if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) <= 0):
            raise InputError("intel.times", "at least one sample, times strictly increasing")
        shape = np.asarray(self.believed).shape
        if len(shape) != 3 or shape[0] != times.size:
            raise InputError(
                "intel.believed", f"an array shaped ({times.size}, sides, objectives)", shape
            )
        for name in ("believed", "present"):
            arr = np.asarray(getattr(self, name), dtype=np.float64)
            if arr.shape != shape:
                raise InputError(f"intel.{name}", f"an array shaped {shape}", arr.shape)
            if not np.all(np.isfinite(arr)) or np.any(arr < 0):
                raise InputError(f"intel.{name}", "finite numbers of men >= 0")


@dataclass(frozen=True)
class ReplayData:
    """One replication for ``build_replay``; arrays are shaped (frames, units) or (frames, objs)."""

    title: str
    scenario: str
    rep: int
    start: str
    sides: tuple[Side, ...]
    map: MapImage
    units: tuple[ReplayUnit, ...]
    times: npt.NDArray[np.float64]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    strength: npt.NDArray[np.float64]
    state: npt.NDArray[np.int64]
    order: npt.NDArray[np.int64]
    states: tuple[str, ...]
    orders: tuple[str, ...]
    objectives: tuple[ReplayObjective, ...] = ()
    holder: npt.NDArray[np.int64] | None = None
    events: EventLog = field(default_factory=EventLog.empty)
    features: tuple[MapFeature, ...] = ()
    air_units: tuple[ReplayUnit, ...] = ()
    partial: bool = False
    seen: npt.NDArray[np.bool_] | None = None
    """``seen[f, s, u]``: side ``s`` knows where unit ``u`` is at frame ``f`` (fog of war)."""
    intel: ObjectiveIntel | None = None
    """Each side's belief about the enemy on each objective, hourly (the fog view shows it)."""

    def __post_init__(self) -> None:
        times = np.asarray(self.times, dtype=np.float64)
        n_f, n_u = times.shape[0], len(self.units)
        if n_f == 0 or np.any(np.diff(times) <= 0):
            raise InputError("frames.times", "at least one frame, times strictly increasing")
        for name in ("x", "y", "strength", "state", "order"):
            arr = np.asarray(getattr(self, name))
            if arr.shape != (n_f, n_u):
                raise InputError(f"frames.{name}", f"an array shaped ({n_f}, {n_u})", arr.shape)
        for name, table in (("state", self.states), ("order", self.orders)):
            arr = np.asarray(getattr(self, name))
            if arr.size and (arr.min() < 0 or arr.max() >= len(table)):
                raise InputError(f"frames.{name}", f"indices into {name}s ({len(table)} entries)")
        side_ids = [s.id for s in self.sides]
        for unit in (*self.units, *self.air_units):
            if unit.side not in side_ids:
                raise InputError(f"units[{unit.id}].side", f"one of {side_ids}", unit.side)
        if self.objectives:
            hold = np.asarray(self.holder) if self.holder is not None else None
            if hold is None or hold.shape != (n_f, len(self.objectives)):
                raise InputError(
                    "frames.holder", f"an array shaped ({n_f}, {len(self.objectives)})"
                )
            if hold.min() < -1 or hold.max() >= len(self.sides):
                raise InputError("frames.holder", "-1 (nobody) or a side index")
        if self.seen is not None and np.asarray(self.seen).shape != (n_f, len(self.sides), n_u):
            raise InputError(
                "frames.seen", f"an array shaped ({n_f}, {len(self.sides)}, {n_u})",
                np.asarray(self.seen).shape,
            )  # fmt: skip
        if self.intel is not None:
            shape = np.asarray(self.intel.believed).shape
            if shape[1:] != (len(self.sides), len(self.objectives)):
                raise InputError(
                    "intel.believed", f"(samples, {len(self.sides)}, {len(self.objectives)})",
                    shape,
                )  # fmt: skip
        n_ev = np.asarray(self.events.t).shape[0]
        if n_ev:
            for name in ("source", "target"):
                idx = np.asarray(getattr(self.events, name))
                if idx.min() < -1 or idx.max() >= n_u:
                    raise InputError(f"events.{name}", "-1 or a unit index")
