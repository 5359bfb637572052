"""Fixtures of the engine's tests; the battle builders live in ``engine_battles``."""

from __future__ import annotations

import pytest
from engine_battles import battle

from kriegsspiel.engine.arrays import BattleArrays


@pytest.fixture
def duel() -> BattleArrays:
    """Two infantry units 300 m apart, both attacking (full intensity), for 4 hours."""
    return battle([(-150.0, 0.0), (150.0, 0.0)], [0, 1], [400.0, 300.0], [400.0, 300.0])
