"""Progress on standard error while long work runs, for a person at a terminal.

Rendering, a cold validation of a large process and the start of a preview take seconds, so a
person should see them move; rich is imported only when a display is drawn, and nothing is
drawn under --quiet (COPI_QUIET=1) or when standard error is not a terminal. Which reporter
prints the result does not matter: the display lives on standard error, and goes when done.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from copi_cli.cli.formats import printable
from copi_cli.cli.language import say
from copi_cli.cli.reporters.base import quiet
from copi_cli.messages import message

if TYPE_CHECKING:
    from copi_cli.rendering.pipeline import Rendered
    from copi_cli.validation.pipeline import Progress


# The stages of long work a display knows, each with its label in data/messages.json: the
# validation's, render's preparation, copi preview's start-up.
STAGES = {"reading": "progress.reading", "checking": "progress.checking",
          "preparing": "progress.preparing", "starting": "progress.starting"}


@contextmanager
def work_progress(lang: str, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """A display of long work, for the core's progress callback: called with (stage, done,
    total), it shows the stage's label (STAGES, from data/messages.json, in lang) with a
    bar when total is known, a spinner when it is not. None when nothing is to be drawn (not a
    terminal, --quiet), so the core does no work for it. Nothing is drawn, and rich is not
    imported, until the work first reports: a validation the cache answers shows nothing.
    Also the hook for copi preview's start-up:

        with work_progress(lang) as progress:
            ... progress("starting", 0, None) ...
    """
    stream = stream if stream is not None else sys.stderr
    if quiet() or not stream.isatty():
        yield None
        return
    shown: Any = None
    tasks: dict[str, Any] = {}

    def step(stage: str, done: int, total: int | None) -> None:
        nonlocal shown
        if shown is None:
            shown = _display(stream)
            shown.start()
        if stage not in tasks:
            for other in tasks.values():  # one stage at a time: the last is the one
                shown.update(other, visible=False)
            tasks[stage] = shown.add_task(message(STAGES[stage], lang), total=total)
        shown.update(tasks[stage], completed=done, total=total)
        shown.refresh()

    try:
        yield step
    finally:
        if shown is not None:
            shown.stop()


def _display(stream: TextIO) -> Any:
    """rich's display of work, gone when stopped (transient)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
    )

    return Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                    BarColumn(), MofNCompleteColumn(), transient=True,
                    console=Console(file=stream))


@contextmanager
def progress_bar(total: int, stream: TextIO) -> Iterator[Callable[[Rendered], None]]:
    """A bar that counts the files rendered and names the last one (shown, never obeyed, as
    any name from the process is); gone when done."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(say("cli.progress.rendering")), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}", markup=False), transient=True,
                  console=Console(file=stream)) as progress:
        task = progress.add_task("", total=total)

        def advance(rendered: Rendered) -> None:
            progress.update(task, advance=1, description=printable(rendered.path.name))

        yield advance
