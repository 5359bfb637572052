"""Timeline events: a discriminated union on ``kind``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from kriegsspiel.scenario.places import Place
from kriegsspiel.scenario.quantity import (
    Frozen,
    Id,
    NonNegativeQ,
    PositiveQ,
    Provenance,
    SurpriseQ,
    Text,
)

UnitIds = Annotated[list[Id], Field(min_length=1, max_length=500)]
Action = Literal["advance", "assault", "hold", "dig_in", "withdraw", "counterattack", "move"]


class Condition(Frozen):
    """An order's trigger: the side's *believed* force ratio (own / enemy) on an objective.

    ``kind = "believed_force_ratio"``: the order goes in only if own strength divided by the
    side's current estimate of the enemy's strength on ``objective`` (all objectives when
    absent) is at least ``threshold``.
    """

    kind: Literal["believed_force_ratio"] = "believed_force_ratio"
    objective: Id | None = None
    threshold: PositiveQ


class EventBase(Provenance):
    """Common fields: an optional id, the local time, provenance of the time/fact."""

    id: Id | None = None
    time: datetime


class Order(EventBase):
    """Tell units to do something, optionally towards an objective or a place, maybe conditionally.

    The order stands until ``until`` (absent: until superseded by the unit's next order).
    ``surprise`` is the QJM surprise level the ordered units achieve (0 none, 1 minor,
    2 substantial, 3 complete); its effect wears off over the following days.
    """

    kind: Literal["order"]
    units: UnitIds
    action: Action
    objective: Id | None = None
    target: Place | None = None
    route: list[Place] = Field(default_factory=list, max_length=50)
    until: datetime | None = None
    condition: Condition | None = None
    surprise: SurpriseQ | None = None


class Artillery(EventBase):
    """A fire programme: firing units shell an objective or a place from ``time`` to ``end``."""

    kind: Literal["artillery"]
    units: UnitIds
    objective: Id | None = None
    target: Place | None = None
    end: datetime
    rounds: NonNegativeQ | None = None

    @model_validator(mode="after")
    def _aimed(self) -> Artillery:
        if self.objective is None and self.target is None:
            raise ValueError("needs an `objective` or a `target`")
        return self


class AirStrike(EventBase):
    """Air units fly ``sorties`` against a target between ``time`` and ``end``; fog grounds them."""

    kind: Literal["air_strike"]
    units: UnitIds
    objective: Id | None = None
    target: Place | None = None
    end: datetime
    sorties: NonNegativeQ
    bombs_t: NonNegativeQ | None = None

    @model_validator(mode="after")
    def _aimed(self) -> AirStrike:
        if self.objective is None and self.target is None:
            raise ValueError("needs an `objective` or a `target`")
        return self


class Intel(EventBase):
    """A side learns something: a new estimate of enemy strength, or of positions.

    Intel events may lie before the scenario's start: they are applied, in time order, to the
    side's initial estimate (e.g. a defector weeks before the fighting).
    """

    kind: Literal["intel"]
    side: Id
    summary: Text
    enemy_men: PositiveQ | None = None
    positions_known: bool | None = None


class Ceasefire(EventBase):
    """The ceasefire at ``time``; ``fire_stops`` gives each side's own time if it differs."""

    kind: Literal["ceasefire"]
    fire_stops: dict[Id, datetime] = Field(default_factory=dict, max_length=16)


class Reinforcement(EventBase):
    """Units (with no ``arrives``) enter the map at ``time`` at ``place``."""

    kind: Literal["reinforcement"]
    units: UnitIds
    place: Place


Event = Annotated[
    Order | Artillery | AirStrike | Intel | Ceasefire | Reinforcement,
    Field(discriminator="kind"),
]
"""Any timeline event, chosen by its ``kind``."""
