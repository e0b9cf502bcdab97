"""A rich progress bar on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class Bar:
    """Moves the bar to a count (``to``) or by an increment (``advance``)."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress, self._task = progress, task
        self.count = 0

    def to(self, count: int) -> None:
        self.count = count
        self._progress.update(self._task, completed=count)

    def advance(self, increment: int) -> None:
        self.to(self.count + increment)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Bar]:
    """A bar for ``total`` steps; silent when stderr is redirected (tests, pipes, cron)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        f"[bold]{label}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    ) as progress:
        yield Bar(progress, progress.add_task(label, total=total))
