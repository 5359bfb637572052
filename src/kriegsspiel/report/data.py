"""``ReportData``: everything the HTML report and the static plots read, in one typed value.

The report never reads a results folder itself: an adapter (``report.adapters``) turns a folder
into a ``ReportData``, so any source of runs (the engine, a test, a notebook) can feed the report.
Times are local wall-clock ISO strings (``1938-07-31T08:00``), as the scenario gives them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kriegsspiel.errors import InputError

FloatArray = npt.NDArray[np.float64]

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

#: Loss metrics the report knows how to label, in display order; others are shown after them.
LOSS_LABELS: dict[str, str] = {
    "killed": "killed",
    "killed_missing": "killed and missing",
    "wounded": "wounded",
    "missing": "missing",
    "tanks_disabled": "tanks disabled",
    "tanks_destroyed": "tanks destroyed",
    "aircraft_lost": "aircraft lost",
}


@dataclass(frozen=True)
class Side:
    """A side as the report names and colours it."""

    id: str
    name: str
    color: str = "#555555"

    def __post_init__(self) -> None:
        if not _HEX_COLOR.fullmatch(self.color):
            raise InputError(f"sides.{self.id}.color", "a colour like #c0392b", self.color)


@dataclass(frozen=True)
class Assumption:
    """A scenario number marked ``assumption = true``, with the range sensitivity analysis uses."""

    path: str
    value: float
    low: float
    high: float
    note: str = ""


@dataclass(frozen=True)
class Departure:
    """A point where a scenario departs from the historical record, and why."""

    topic: str
    scenario: str
    record: str
    source: str = ""


@dataclass(frozen=True)
class ScenarioMeta:
    """The scenario as the report cites it: names, sides, sources, assumptions, departures."""

    name: str
    title: str
    sides: tuple[Side, ...]
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: tuple[Assumption, ...] = ()
    departures: tuple[Departure, ...] = ()
    start: str = ""
    end: str = ""

    def __post_init__(self) -> None:
        if not self.sides:
            raise InputError("scenario.sides", "at least one side")
        ids = [s.id for s in self.sides]
        if len(set(ids)) != len(ids):
            raise InputError("scenario.sides", "distinct side ids", ids)

    def side_name(self, side_id: str) -> str:
        """The display name of ``side_id`` (the id itself if the side is unknown)."""
        return next((s.name for s in self.sides if s.id == side_id), side_id)


@dataclass(frozen=True)
class Manifest:
    """How the results were made: enough for a reader to re-run and check them."""

    seed: int
    version: str
    scenario_hash: str
    replications: int
    partial: bool = False
    replications_planned: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Checkpoint:
    """A historical fact about control to mark on the control chart.

    ``holder`` is a side id, or ``None`` for "contested / held by neither".
    """

    time: str
    objective: str
    holder: str | None
    label: str
    source: str = ""


@dataclass(frozen=True)
class ControlSeries:
    """Share of replications in which each side holds one objective, over time.

    ``fractions[i, j]`` is the fraction of replications in which ``sides[j]`` (the scenario's
    side order) alone holds the objective at ``times[i]``; the rest is contested or empty.
    """

    objective: str
    name: str
    times: tuple[str, ...]
    fractions: FloatArray

    def __post_init__(self) -> None:
        arr = np.asarray(self.fractions, dtype=np.float64)
        object.__setattr__(self, "fractions", arr)
        where = f"control[{self.objective}]"
        if arr.ndim != 2 or arr.shape[0] != len(self.times):
            raise InputError(where, "an array shaped (times, sides)", arr.shape)
        if not np.all(np.isfinite(arr)) or arr.min(initial=0.0) < 0 or arr.max(initial=0.0) > 1:
            raise InputError(where, "fractions in [0, 1]")
        if np.any(arr.sum(axis=1) > 1 + 1e-9):
            raise InputError(where, "fractions whose sum over sides is at most 1")
        if list(self.times) != sorted(self.times):
            raise InputError(where + ".times", "times in increasing order")


@dataclass(frozen=True)
class LossMetric:
    """One loss figure for one side: per-replication values or their quantiles, and the record.

    ``values`` holds one number per replication when the results have them; a summary that only
    gives quantiles (``{0.05: .., 0.5: .., 0.95: ..}``) fills ``quantiles`` instead.
    ``recorded`` is the figure of the record and ``recorded_low``/``recorded_high`` the range the
    sources span (``source`` names them).
    """

    side: str
    metric: str
    values: FloatArray | None = None
    quantiles: dict[float, float] = field(default_factory=dict)
    recorded: float | None = None
    recorded_low: float | None = None
    recorded_high: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        where = f"losses[{self.side}].{self.metric}"
        if self.values is not None:
            arr = np.asarray(self.values, dtype=np.float64).ravel()
            if arr.size == 0 or not np.all(np.isfinite(arr)):
                raise InputError(where, "a non-empty array of finite values")
            object.__setattr__(self, "values", arr)
        elif not self.quantiles:
            raise InputError(where, "values or quantiles")
        for q, v in self.quantiles.items():
            if not (0.0 <= q <= 1.0) or not math.isfinite(v):
                raise InputError(where + ".quantiles", "finite values at levels in [0, 1]", q)
        lo, hi = self.recorded_low, self.recorded_high
        if lo is not None and hi is not None and lo > hi:
            raise InputError(where + ".recorded_low", "at most recorded_high", lo)

    @property
    def label(self) -> str:
        """Human label of the metric."""
        return LOSS_LABELS.get(self.metric, self.metric.replace("_", " "))

    def quantile(self, q: float) -> float | None:
        """The ``q`` quantile from the values, else from the given quantiles (exact level only)."""
        if self.values is not None:
            return float(np.quantile(self.values, q))
        return self.quantiles.get(q)


@dataclass(frozen=True)
class CompareRow:
    """One metric of a comparison of run A with run B (difference = B - A).

    ``a``/``b``/``diff``/``low``/``high`` are of the ``Compare.statistic`` (the mean); the
    ``median_*`` fields, when given, the same for the median; ``p_b_greater`` is P(B beats A)
    with its interval ``p_low``/``p_high``.
    """

    metric: str
    a: float
    b: float
    diff: float
    low: float
    high: float
    p_b_greater: float | None = None
    median_a: float | None = None
    median_b: float | None = None
    median_diff: float | None = None
    median_low: float | None = None
    median_high: float | None = None
    p_low: float | None = None
    p_high: float | None = None


@dataclass(frozen=True)
class Compare:
    """Two runs side by side: labels, one row per metric, and run A's own figures.

    The report is run B's, so B's control and losses are the report's own; ``control_a`` and
    ``losses_a`` are run A's, drawn next to them. ``paired`` says the intervals come from a
    paired bootstrap (common random numbers); ``omitted`` names metrics left out of ``rows``
    because they are the same constant in both runs.
    """

    label_a: str
    label_b: str
    rows: tuple[CompareRow, ...]
    statistic: str = "mean"
    control_a: tuple[ControlSeries, ...] = ()
    losses_a: tuple[LossMetric, ...] = ()
    paired: bool | None = None
    level: float = 0.95
    omitted: tuple[str, ...] = ()


@dataclass(frozen=True)
class ControlCheck:
    """A claim checked against control: P(``side`` holds every objective at ``time``)."""

    objectives: tuple[str, ...]
    time: str
    side: str


@dataclass(frozen=True)
class LossCheck:
    """A claim checked against a loss figure: the simulated median and 5-95% band."""

    side: str
    metric: str


@dataclass(frozen=True)
class Claim:
    """A claim of a popular account checked against the record and the simulation."""

    key: str
    claim: str
    verdict: str
    record: str
    sources: tuple[str, ...]
    check: ControlCheck | LossCheck | None = None


def _bands(where: str, value: object, rows: int) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != (rows, 3):
        raise InputError(where, f"an array shaped ({rows}, 3)", arr.shape)
    return arr


@dataclass(frozen=True)
class BeliefSeries:
    """One side's picture of the enemy over time, across replications.

    ``believed`` and ``true`` are shaped (times, 3): the 5%, 50% and 95% quantiles over runs of
    the enemy men on the objectives as the side believes them and as they are. ``detected`` is
    shaped (times, 3) too: the mean over runs, the 5% and the 95% quantile of the share of the
    enemy's ground units on the map that the side observes (NaN: no enemy on the map).
    """

    side: str
    times: tuple[str, ...]
    believed: FloatArray
    true: FloatArray
    detected: FloatArray

    def __post_init__(self) -> None:
        where = f"beliefs[{self.side}]"
        n = len(self.times)
        for name in ("believed", "true", "detected"):
            object.__setattr__(self, name, _bands(f"{where}.{name}", getattr(self, name), n))
        if list(self.times) != sorted(self.times):
            raise InputError(where + ".times", "times in increasing order")


@dataclass(frozen=True)
class ConditionalOrder:
    """How often a conditional order went in, and what it was weighed against.

    ``objective`` is the condition's objective ("" all objectives); ``fired`` of ``runs``
    replications met ``threshold``. ``believed``, ``true`` and ``ratio`` are the 5%, 50% and
    95% quantiles over runs of the believed enemy men, the enemy men actually there, and the
    believed force ratio (own men over the believed enemy, at least 1 man).
    """

    order: str
    time: str
    side: str
    objective: str
    threshold: float
    fired: int
    runs: int
    believed: tuple[float, float, float]
    true: tuple[float, float, float]
    ratio: tuple[float, float, float]

    def __post_init__(self) -> None:
        if self.runs < 1 or not 0 <= self.fired <= self.runs:
            raise InputError(
                f"orders[{self.order}].fired", f"between 0 and {self.runs}", self.fired
            )

    @property
    def share(self) -> float:
        """Share of runs in which the order went in."""
        return self.fired / self.runs  # __post_init__ ensures runs >= 1


@dataclass(frozen=True)
class ReportData:
    """Everything ``build_report`` shows. Only ``scenario`` and ``manifest`` are required."""

    scenario: ScenarioMeta
    manifest: Manifest
    control: tuple[ControlSeries, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    losses: tuple[LossMetric, ...] = ()
    compare: Compare | None = None
    claims: tuple[Claim, ...] = ()
    claim_sources: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    beliefs: tuple[BeliefSeries, ...] = ()
    orders: tuple[ConditionalOrder, ...] = ()

    def __post_init__(self) -> None:
        n_sides = len(self.scenario.sides)
        side_ids = {s.id for s in self.scenario.sides}
        if len({b.times for b in self.beliefs}) > 1:
            raise InputError("beliefs", "the same times for every side")
        for fog_side in [b.side for b in self.beliefs] + [o.side for o in self.orders]:
            if fog_side not in side_ids:
                raise InputError(f"fog of war [{fog_side}]", f"a side in {sorted(side_ids)}")
        for series in self.control:
            if series.fractions.shape[1] != n_sides:
                raise InputError(
                    f"control[{series.objective}]",
                    f"{n_sides} columns (one per side)",
                    series.fractions.shape[1],
                )
        for loss in self.losses:
            if loss.side not in side_ids:
                raise InputError(f"losses[{loss.side}]", f"a side in {sorted(side_ids)}")

    def control_at(self, objective: str, time: str, side: str) -> float | None:
        """P(``side`` holds ``objective``) at the last control time at or before ``time``."""
        series = next((c for c in self.control if c.objective == objective), None)
        if series is None or side not in [s.id for s in self.scenario.sides]:
            return None
        idx = int(np.searchsorted(np.asarray(series.times), time, side="right")) - 1
        if idx < 0:
            return None
        col = [s.id for s in self.scenario.sides].index(side)
        return float(series.fractions[idx, col])

    def loss(self, side: str, metric: str) -> LossMetric | None:
        """The loss figure of ``side`` for ``metric``, if the results have it."""
        return next((x for x in self.losses if x.side == side and x.metric == metric), None)
