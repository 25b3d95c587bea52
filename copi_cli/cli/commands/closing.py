"""copi close and copi reopen: the end of a process after its last phase, and its undoing,
each one git commit and tag like an advance."""

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.advance import through_gate
from copi_cli.cli.commands.options import DIR, NO_COMMIT, process_root, stated, transition_date


def close(
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    directory: Annotated[Path | None, DIR] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    no_commit: Annotated[bool, NO_COMMIT] = False,
    date: Annotated[str | None, transition_date()] = None,
) -> None:
    """End the process in phase 6, when the declaration's results hold."""
    import datetime as dt

    from copi_cli.trail.lifecycle import plan_close, prepare

    root = process_root(directory)
    today = dt.date.today()
    change = prepare(root, today, commit=not (no_commit or dry_run), lock=not dry_run)
    try:
        plan = plan_close(change.before, today, change.actor(), reason, force, stated(date))
        through_gate(change, plan, root, date, force, dry_run, override="--force")
    finally:
        change.close()


def reopen(
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT] = False,
    date: Annotated[str | None, transition_date()] = None,
) -> None:
    """copi close undone, as a transition of its own, so the trail keeps both."""
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.trail.lifecycle import apply, plan_reopen, prepare

    root = process_root(directory)
    today = dt.date.today()
    change = prepare(root, today, commit=not no_commit)
    try:
        plan = plan_reopen(change.before, today, change.actor(), reason, stated(date))
        reporter_for().applied(apply(change, plan))
    finally:
        change.close()
