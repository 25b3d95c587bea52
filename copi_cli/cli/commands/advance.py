"""copi advance: pass the current phase's gate and move to the next phase, as one git commit."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copi_cli.cli.commands.options import (
    DIR,
    FROM_PHASE,
    NO_COMMIT,
    process_root,
    stated,
    transition_date,
)

if TYPE_CHECKING:  # imported on use: start-up stays light
    from copi_cli.trail.change import Change
    from copi_cli.trail.lifecycle import Plan


def advance(
    directory: Annotated[Path | None, DIR] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    no_commit: Annotated[bool, NO_COMMIT] = False,
    from_phase: Annotated[str | None, FROM_PHASE] = None,
    date: Annotated[str | None, transition_date()] = None,
) -> None:
    """Check the current phase's gate and, if it holds, move to the next phase."""
    import datetime as dt

    from copi_cli.messages import Said
    from copi_cli.trail.lifecycle import plan_advance, prepare

    root = process_root(directory)
    today = dt.date.today()
    change = prepare(root, today, commit=not (no_commit or dry_run), lock=not dry_run,
                     expected=from_phase)
    try:
        plan = plan_advance(change.before, today, change.actor(), force, reason,
                            stated(date))
        through_gate(change, plan, root, date, force, dry_run,
                     override=Said("cli.gate.override"))
    finally:
        change.close()


def through_gate(change: "Change", plan: "Plan", root: Path, date: str | None, force: bool,
                 dry_run: bool, override: str) -> None:
    """Show the gate, refuse when it does not hold (unless forced), then show or make the
    transition: the one path advance and close share."""
    import datetime as dt

    from copi_cli.cli.commands.gate import worded
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.errors import UserError
    from copi_cli.messages import Said
    from copi_cli.trail.lifecycle import apply

    reporter = reporter_for()
    assert plan.gate is not None
    if not (reporter.quiet and (plan.gate.holds or force)):
        day = dt.date.fromisoformat(plan.transition.date)  # the day it was judged as of
        reporter.gate(worded(plan.gate, change.before, day, reporter.lang), root, reporter.lang)
    if not plan.gate.holds and not force:
        number = plan.gate.phase.number
        raise UserError(Said("cli.gate.refused-as-of", number=number, date=date) if date
                        else Said("cli.gate.refused", number=number),
                        hint=Said("cli.gate.refused-hint", override=override))
    if dry_run:
        reporter.planned(plan)
        raise typer.Exit(0)
    reporter.applied(apply(change, plan))
