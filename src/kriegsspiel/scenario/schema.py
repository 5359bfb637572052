"""The scenario file's models, one per section.

Sections: ``[meta]``, ``[sources]``, ``[terrain]``, ``[weather]``, ``[sides.*]``, ``[[units]]``,
``[[events]]``, ``[[objectives]]``, ``[[departures]]``, ``[[adjustments]]``, ``[whatifs.*]``.

All models are frozen and reject unknown keys. A :class:`Scenario` that validates has also
passed the cross-checks of :mod:`kriegsspiel.scenario.crosscheck` (references, times, places);
a failed cross-check raises :class:`~kriegsspiel.scenario.problems.ScenarioError` with key paths.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from kriegsspiel.scenario.events import Event
from kriegsspiel.scenario.places import Place
from kriegsspiel.scenario.quantity import (
    Count,
    Frozen,
    Id,
    Name,
    NonNegativeQ,
    PositiveQ,
    Provenance,
    Quantity,
    SourceKey,
    Text,
)
from kriegsspiel.terrain.features import TerrainSpec, Vertex

MAX_UNITS = 2000
MAX_EVENTS = 5000
MAX_OBJECTIVES = 100
MAX_SOURCES = 500
MAX_SIDES = 8
MAX_WHATIFS = 100
MAX_WHATIF_OVERRIDES = 200

UnitType = Literal["infantry", "cavalry", "engineer", "tank", "artillery", "anti_tank", "air"]
Echelon = Literal[
    "squad", "section", "platoon", "company", "battalion", "regiment", "brigade", "division",
    "squadron", "group",
]  # fmt: skip
Mobility = Literal["foot", "tracked", "wheeled", "air"]
Posture = Literal["dug_in", "defending", "moving", "attacking", "reserve"]
Compass = Literal["east", "west", "north", "south"]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


class Meta(Frozen):
    """What the scenario is and when it runs (local wall-clock times)."""

    name: Id
    title: Name
    description: Text | None = None
    schema_version: Literal[1] = 1
    based_on: Id | None = None
    start: datetime
    end: datetime
    utc_offset_hours: float = Field(ge=-12, le=14)
    time_note: Text | None = None
    time_step_minutes: int = Field(default=5, ge=1, le=60)

    @model_validator(mode="after")
    def _ordered(self) -> Meta:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("start and end are local wall-clock times: leave out the UTC offset")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class WeatherPeriod(Provenance):
    """Weather in a time window; outside every period the day is clear."""

    start: datetime
    end: datetime
    fog: bool = False
    rain: bool = False
    low_cloud: bool = False
    visibility_m: PositiveQ | None = None

    @model_validator(mode="after")
    def _ordered(self) -> WeatherPeriod:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Weather(Provenance):
    """Light (sunrise and sunset, local) and the weather periods; night lies outside the light."""

    sunrise: time
    sunset: time
    periods: list[WeatherPeriod] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def _day(self) -> Weather:
        if self.sunset <= self.sunrise:
            raise ValueError("sunset must be after sunrise")
        return self


class CasualtySplit(Frozen):
    """Relative weights of killed, wounded and missing among a side's casualties (normalised)."""

    killed: NonNegativeQ
    wounded: NonNegativeQ
    missing: NonNegativeQ

    @model_validator(mode="after")
    def _some(self) -> CasualtySplit:
        if self.killed.value + self.wounded.value + self.missing.value <= 0:
            raise ValueError("killed + wounded + missing must be > 0")
        return self


class SideIntel(Frozen):
    """A side's initial estimate of the enemy (before intel events and detection update it)."""

    enemy_men: PositiveQ | None = None
    positions_known: bool = False
    note: Text | None = None


class RecordedLosses(Frozen):
    """The historical record of a side's losses, for comparison in reports; never an input."""

    killed: NonNegativeQ | None = None
    wounded: NonNegativeQ | None = None
    missing: NonNegativeQ | None = None
    killed_missing: NonNegativeQ | None = None
    tanks_disabled: NonNegativeQ | None = None
    tanks_destroyed: NonNegativeQ | None = None
    aircraft_lost: NonNegativeQ | None = None


class Side(Frozen):
    """A belligerent: display, the border rule it obeys, casualty split, intelligence, CEV.

    The border rule: with ``bound_by_border`` (a terrain line id) the side never enters ground on
    the far side of that line from ``home`` (a compass side of the line, or a place on the
    side's own side); it may stand on the line itself (crest lines).
    """

    name: Name
    color: Color
    bound_by_border: Id | None = None
    home: Compass | Place | None = None
    border_note: Text | None = None
    casualty_split: CasualtySplit
    intel: SideIntel = SideIntel()
    record: RecordedLosses = RecordedLosses()
    cev: PositiveQ | None = None
    """Combat effectiveness value (QJM/TNDM CEV; absent: 1.0). It multiplies the side's
    combat power in assaults, and relative to its own the opponent's CEV (capped at 1.5)
    multiplies the side's losses."""

    @model_validator(mode="after")
    def _home(self) -> Side:
        if self.bound_by_border is not None and self.home is None:
            raise ValueError("`bound_by_border` needs `home`: a place on the side's own side")
        return self


class Unit(Frozen):
    """A manoeuvre unit (platoon to regiment) or an off-map air unit."""

    id: Id
    name: Name
    side: Id
    type: UnitType
    echelon: Echelon
    parent: Name | None = None
    men: PositiveQ
    weapons: Count = Field(default_factory=dict)
    vehicles: Count = Field(default_factory=dict)
    sorties: NonNegativeQ | None = None
    mobility: Mobility
    position: Place | None = None
    posture: Posture = "defending"
    arrives: datetime | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _air(self) -> Unit:
        is_air = self.type == "air"
        if is_air != (self.mobility == "air"):
            raise ValueError('air units (and only they) have mobility = "air"')
        if is_air and self.position is not None:
            raise ValueError("air units are off the map: leave out `position`")
        if self.sorties is not None and not is_air:
            raise ValueError("only air units have `sorties`")
        return self


class Objective(Frozen):
    """A crest or area to hold: a circle (``center`` + ``radius_m``) or a ``polygon``.

    Holding (``holding = "sole_presence"``): a side holds it when it alone has at least
    ``min_men`` (default: any) troops inside; contested or empty counts for neither side.
    """

    id: Id
    name: Name
    center: Place | None = None
    radius_m: PositiveQ | None = None
    polygon: list[Vertex] | None = Field(default=None, min_length=3, max_length=500)
    source: SourceKey | None = None
    assumption: bool = False
    holding: Literal["sole_presence"] = "sole_presence"
    min_men: PositiveQ | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _area(self) -> Objective:
        if self.center is None and self.polygon is None:
            raise ValueError("has no area: give `center` and `radius_m`, or a `polygon`")
        if self.center is not None and self.polygon is not None:
            raise ValueError("give `center` + `radius_m` or a `polygon`, not both")
        if self.center is not None and self.radius_m is None:
            raise ValueError("`center` needs `radius_m`")
        if self.polygon is not None and self.source is None and not self.assumption:
            raise ValueError('a polygon needs `source = "KEY"` or `assumption = true`')
        return self


class Departure(Frozen):
    """Where this scenario departs from the historical record, and why (cites a claim)."""

    claim: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    keys: list[Annotated[str, StringConstraints(max_length=200)]] = Field(max_length=50)
    record: Text
    scenario: Text
    source: SourceKey | None = None


class Adjustment(Frozen):
    """A named, scenario-specific change to a library parameter, with its reason."""

    parameter: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,100}$")]
    applies_to: list[Id] = Field(default_factory=list, max_length=500)
    value: Quantity
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


Override = Annotated[str, StringConstraints(min_length=3, max_length=2000)]


class WhatIf(Frozen):
    """A named variant: ``overrides`` (``"key.path=value"``, as for ``--set``) or a ``scenario``.

    ``history`` is the sentence of history behind it, citing ``sources`` (keys of [sources]).
    Every override must apply cleanly (checked at load); ``scenario`` names a shipped scenario
    to run instead of this one (e.g. another account of the same battle).
    """

    title: Name
    history: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    sources: list[SourceKey] = Field(default_factory=list, max_length=50)
    overrides: list[Override] | None = Field(
        default=None, min_length=1, max_length=MAX_WHATIF_OVERRIDES
    )
    scenario: Id | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> WhatIf:
        if (self.overrides is None) == (self.scenario is None):
            raise ValueError('give exactly one of `overrides = [...]` and `scenario = "NAME"`')
        return self


class Scenario(Frozen):
    """A whole scenario file, validated and cross-checked."""

    meta: Meta
    sources: dict[SourceKey, Text] = Field(max_length=MAX_SOURCES)
    terrain: TerrainSpec
    weather: Weather
    sides: dict[Id, Side] = Field(min_length=2, max_length=MAX_SIDES)
    units: list[Unit] = Field(min_length=1, max_length=MAX_UNITS)
    events: list[Event] = Field(default_factory=list, max_length=MAX_EVENTS)
    objectives: list[Objective] = Field(default_factory=list, max_length=MAX_OBJECTIVES)
    departures: list[Departure] = Field(default_factory=list, max_length=200)
    adjustments: list[Adjustment] = Field(default_factory=list, max_length=200)
    whatifs: dict[Id, WhatIf] = Field(default_factory=dict, max_length=MAX_WHATIFS)

    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        from kriegsspiel.scenario.crosscheck import cross_check

        problems = cross_check(self)
        if problems:
            from kriegsspiel.scenario.problems import problems_error

            raise problems_error(problems)
        return self

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id (KeyError if none)."""
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)
