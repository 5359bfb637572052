"""A progress bar on stderr: replications done, rate and time left, updated per block."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

__all__ = ["progress_bar"]


class _RateColumn(ProgressColumn):
    """Replications per second (estimated by rich over the recent blocks)."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("-- reps/s" if speed is None else f"{speed:,.1f} reps/s", style="cyan")


@contextmanager
def progress_bar(
    total: int, done: int, *, enabled: bool, label: str = "replications"
) -> Iterator[Callable[[int], None]]:
    """A callable that advances the bar by a number of replications (a no-op if not enabled)."""
    if not enabled:
        yield lambda _n: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(label, total=total, completed=done)
        yield lambda n: bar.advance(task, n)
