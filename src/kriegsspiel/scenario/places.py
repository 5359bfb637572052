"""Places on the map: a named terrain point, a point offset from one, or a latitude/longitude."""

from __future__ import annotations

from typing import Any

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from kriegsspiel.scenario.quantity import Frozen, Id, SourceKey, Text


class Place(Frozen):
    """A position on the map.

    In a file: ``"B_SUMMIT"`` (a terrain point id), or
    ``{ point = "B_SUMMIT", east_m = 300, north_m = 150, assumption = true, note = "..." }``,
    or ``{ lat = 42.45, lon = 130.59, source = "KEY" }``.

    Offsets and coordinates need a source or ``assumption = true``; a bare named point takes
    its provenance from the terrain feature.
    """

    point: Id | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    east_m: float = Field(default=0.0, ge=-100_000, le=100_000)
    north_m: float = Field(default=0.0, ge=-100_000, le=100_000)
    source: SourceKey | None = None
    assumption: bool = False
    note: Text | None = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """A place may also be written as a bare terrain point id (a string)."""
        table = handler(core_schema)
        return {"anyOf": [{"type": "string", "description": "a terrain point id"}, table]}

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"point": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_way(self) -> Place:
        has_ll = self.lat is not None or self.lon is not None
        if self.point is not None and has_ll:
            raise ValueError("give either `point` or `lat`/`lon`, not both")
        if self.point is None and (self.lat is None or self.lon is None):
            raise ValueError('needs a terrain point id ("B_SUMMIT") or both `lat` and `lon`')
        moved = has_ll or self.east_m != 0.0 or self.north_m != 0.0
        if moved and self.source is None and not self.assumption:
            raise ValueError('coordinates and offsets need `source = "KEY"` or `assumption = true`')
        return self
