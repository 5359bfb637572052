"""kriegsspiel: a simulator of historical battles.

Attrition laws of the Lanchester family, aggregate engines (deterministic and stochastic),
fits to real battles, and the Lake Khasan 1938 campaign on terrain.
"""

from typing import TYPE_CHECKING, Any

from kriegsspiel.aggregate import Engagement, Side, solve
from kriegsspiel.errors import InputError, KriegsspielError
from kriegsspiel.laws import LAWS, Law, get_law

if TYPE_CHECKING:
    from kriegsspiel.experiment.results import Results

__version__ = "0.1.0"

__all__ = [
    "LAWS",
    "Engagement",
    "InputError",
    "KriegsspielError",
    "Law",
    "Results",
    "Side",
    "__version__",
    "get_law",
    "solve",
]


def __getattr__(name: str) -> Any:
    """``Results`` (experiment results) is imported on first use: it needs pandas and pyarrow."""
    if name == "Results":
        from kriegsspiel.experiment.results import Results

        return Results
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
