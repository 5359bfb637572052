"""Scenario problems: a key path, a message, and (once the file is known) a line number."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kriegsspiel.errors import KriegsspielError

Loc = tuple[str | int, ...]


def format_path(loc: Loc) -> str:
    """Write a key path the way a user reads it: ``units[14].men``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(file)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario."""

    loc: Loc
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line is not None else ""
        path = f"{format_path(self.loc)}: " if self.loc else ""
        return f"{path}{self.message}{where}"


class ScenarioError(KriegsspielError):
    """A scenario file (or override) that does not validate; lists every problem found."""

    def __init__(self, problems: Sequence[Problem], file: str | None = None) -> None:
        self.problems = tuple(problems)
        self.file = file
        super().__init__(self._summary())

    def _summary(self) -> str:
        head = f"{self.file}: " if self.file else ""
        if not self.problems:
            return f"{head}invalid scenario"
        first = str(self.problems[0])
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' * (more > 1)}; see `kriegsspiel check`)"
        return head + first + (tail if more else "")

    def lines(self) -> list[str]:
        """Every problem as its own line, prefixed with the file name when known."""
        head = f"{self.file}: " if self.file else ""
        return [head + str(p) for p in self.problems]

    def with_context(self, file: str | None, lines: dict[Loc, int] | None = None) -> ScenarioError:
        """The same problems, attributed to ``file`` with line numbers from ``lines``."""
        from kriegsspiel.scenario.lines import line_for

        probs = [
            Problem(p.loc, p.message, p.line if lines is None else line_for(lines, p.loc))
            for p in self.problems
        ]
        return ScenarioError(probs, file)


def problems_error(items: Iterable[tuple[Loc, str]]) -> ScenarioError:
    """Build a ScenarioError from (loc, message) pairs."""
    return ScenarioError([Problem(loc, msg) for loc, msg in items])
