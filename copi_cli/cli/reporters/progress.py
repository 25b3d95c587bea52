"""A progress bar on standard error while documents render, for a person at a terminal.

Rendering takes seconds, so a person should see it move; rich is imported only when the bar is
drawn. Which reporter prints the result does not matter: the bar lives on standard error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from copi_cli.cli.formats import printable

if TYPE_CHECKING:
    from copi_cli.rendering.pipeline import Rendered


@contextmanager
def progress_bar(total: int, stream: TextIO) -> Iterator[Callable[[Rendered], None]]:
    """A bar that counts the files rendered and names the last one (shown, never obeyed, as
    any name from the process is); gone when done."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}", markup=False), transient=True,
                  console=Console(file=stream)) as progress:
        task = progress.add_task("", total=total)

        def advance(rendered: Rendered) -> None:
            progress.update(task, advance=1, description=printable(rendered.path.name))

        yield advance
