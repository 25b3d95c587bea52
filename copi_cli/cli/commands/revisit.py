"""copi revisit: reopen an earlier phase (the method is not linear), as one git commit."""

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import (
    DIR,
    FROM_PHASE,
    NO_COMMIT,
    process_root,
    stated,
    transition_date,
)


def revisit(
    phase: Annotated[str, typer.Argument()],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT] = False,
    from_phase: Annotated[str | None, FROM_PHASE] = None,
    date: Annotated[str | None, transition_date()] = None,
) -> None:
    """Reopen an earlier phase; recorded and committed like an advance."""
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.trail.lifecycle import apply, plan_revisit, prepare

    root = process_root(directory)
    today = dt.date.today()
    change = prepare(root, today, commit=not no_commit, expected=from_phase)
    try:
        plan = plan_revisit(change.before, today, change.actor(), phase, reason,
                            stated(date))
        reporter_for().applied(apply(change, plan))
    finally:
        change.close()
