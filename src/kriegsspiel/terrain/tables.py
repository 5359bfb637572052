"""Default speeds, cover and concealment by land cover (all assumptions except where sourced).

Speeds are km/h on level ground. A scenario overrides any entry with ``[terrain.speeds_kmh]``
(e.g. ``tracked.marsh = { value = 3.5, source = "S20", low = 3, high = 4 }``). Roads and tracks
replace the land-cover speed of the cells they cross (a causeway through a marsh is a road);
fords replace the river's zero. See ``docs/terrain.md`` for the reasoning behind each value.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from kriegsspiel.terrain.features import LandCover, Mobility

__all__ = [
    "CONCEALMENT",
    "COVER",
    "DEFAULT_SPEEDS_KMH",
    "MAX_SLOPE_DEG",
    "OVERLAYS",
    "SLOPE_COVER_BONUS",
]

OVERLAYS: Final = ("road", "track", "ford")
"""Keys of the speed table besides the land-cover names."""

_L = LandCover
DEFAULT_SPEEDS_KMH: Final = MappingProxyType(
    {
        Mobility.FOOT: MappingProxyType(
            {
                _L.MEADOW: 4.0,
                _L.MARSH: 2.0,
                _L.FOREST: 3.0,
                _L.SCRUB: 3.0,
                _L.VILLAGE: 4.0,
                _L.BARE: 4.5,
                _L.WATER: 0.0,
                _L.RIVER: 0.0,
                "road": 5.0,
                "track": 4.5,
                "ford": 1.5,
            }
        ),
        Mobility.TRACKED: MappingProxyType(
            # marsh: 3.5 km/h (range 3-4), fact sheet [S20] (T-26s in the Khasan marsh).
            {
                _L.MEADOW: 15.0,
                _L.MARSH: 3.5,
                _L.FOREST: 6.0,
                _L.SCRUB: 10.0,
                _L.VILLAGE: 10.0,
                _L.BARE: 18.0,
                _L.WATER: 0.0,
                _L.RIVER: 0.0,
                "road": 25.0,
                "track": 20.0,
                "ford": 3.0,
            }
        ),
        Mobility.WHEELED: MappingProxyType(
            {
                _L.MEADOW: 10.0,
                _L.MARSH: 0.0,
                _L.FOREST: 3.0,
                _L.SCRUB: 6.0,
                _L.VILLAGE: 12.0,
                _L.BARE: 20.0,
                _L.WATER: 0.0,
                _L.RIVER: 0.0,
                "road": 35.0,
                "track": 20.0,
                "ford": 0.0,
            }
        ),
    }
)
"""Level-ground speed (km/h) by mobility and land cover or overlay; 0 means impassable."""

MAX_SLOPE_DEG: Final = MappingProxyType(
    {Mobility.FOOT: 60.0, Mobility.TRACKED: 35.0, Mobility.WHEELED: 20.0}
)
"""Steepest slope each mobility type can climb; vehicle speed falls linearly to 0 there."""

COVER: Final = MappingProxyType(
    {
        _L.MEADOW: 0.1,
        _L.MARSH: 0.1,
        _L.FOREST: 0.5,
        _L.SCRUB: 0.3,
        _L.VILLAGE: 0.6,
        _L.BARE: 0.0,
        _L.WATER: 0.0,
        _L.RIVER: 0.0,
    }
)
"""Protection from direct fire, 0 (none) to 1 (total), by land cover."""

SLOPE_COVER_BONUS: Final = 0.2
"""Extra cover from broken ground, reached at 30 degrees of slope (linear below)."""

CONCEALMENT: Final = MappingProxyType(
    {
        _L.MEADOW: 0.2,
        _L.MARSH: 0.4,
        _L.FOREST: 0.7,
        _L.SCRUB: 0.5,
        _L.VILLAGE: 0.6,
        _L.BARE: 0.0,
        _L.WATER: 0.0,
        _L.RIVER: 0.0,
    }
)
"""Reduction of the chance of being detected, 0 (none) to 1 (invisible), by land cover."""
