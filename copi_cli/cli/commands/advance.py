"""copi advance: pass the current phase's gate and move to the next phase, as one git commit."""

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


def advance(
    directory: Annotated[Path | None, DIR] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check the gate and show the commit and tag it would make; change "
        "nothing.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Advance although the gate does not hold (needs --reason; recorded as "
        "forced).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why: recorded in copi.yaml and in the commit.")] = None,
    no_commit: Annotated[bool, NO_COMMIT] = False,
    from_phase: Annotated[str | None, FROM_PHASE] = None,
    date: Annotated[str | None, transition_date()] = None,
) -> None:
    """Check the current phase's gate and, if it holds, move to the next phase.

    Writes the transition into copi.yaml and makes one git commit of the process directory
    (your uncommitted edits included: they are the evidence), tagged copi/<process>/<nn>-<phase>.
    Exit 1 with nothing changed when the gate does not hold.
    """
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.errors import UserError
    from copi_cli.trail.lifecycle import apply, plan_advance, prepare

    reporter = reporter_for()
    root = process_root(directory)
    today = dt.date.today()
    change = prepare(root, today, commit=not (no_commit or dry_run), lock=not dry_run,
                     expected=from_phase)
    try:
        plan = plan_advance(change.before, today, change.actor(), force, reason,
                            stated(date))
        assert plan.gate is not None
        if not (reporter.quiet and (plan.gate.holds or force)):
            reporter.gate(plan.gate, root, plan.language)
        if not plan.gate.holds and not force:
            raise UserError(f"the gate of phase {plan.gate.phase.number} does not hold"
                            + (f" as of --date {date} (what is dated after it does not count)"
                               if date else "") + "; nothing was changed",
                            hint="complete the results marked [ ] above, or override with "
                                 "--force --reason TEXT")
        if dry_run:
            reporter.planned(plan)
            raise typer.Exit(0)
        reporter.applied(apply(change, plan))
    finally:
        change.close()
