"""The tactical engine: a parameter library, compiled battle arrays, a time-stepped simulation.

Data flow: scenario -> :func:`compile_scenario` -> :class:`BattleArrays` -> :func:`simulate`
(a block of replications as arrays shaped ``(reps, units)``) -> :class:`Trace`.
"""

from kriegsspiel.engine.arrays import BattleArrays
from kriegsspiel.engine.core import simulate
from kriegsspiel.engine.library import Library, Param, Weapon, load_library
from kriegsspiel.engine.params import EngineParams
from kriegsspiel.engine.trace import Trace

__all__ = [
    "BattleArrays",
    "EngineParams",
    "Library",
    "Param",
    "Trace",
    "Weapon",
    "load_library",
    "simulate",
]
