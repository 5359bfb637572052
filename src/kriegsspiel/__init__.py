"""kriegsspiel: a simulator of historical battles.

Attrition laws of the Lanchester family, aggregate engines (deterministic and stochastic),
fits to real battles, and the Lake Khasan 1938 campaign on terrain.
"""

from kriegsspiel.aggregate import Engagement, Side, solve
from kriegsspiel.errors import InputError, KriegsspielError
from kriegsspiel.laws import LAWS, Law, get_law

__version__ = "0.1.0"

__all__ = [
    "LAWS",
    "Engagement",
    "InputError",
    "KriegsspielError",
    "Law",
    "Side",
    "__version__",
    "get_law",
    "solve",
]
