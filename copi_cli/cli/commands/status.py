"""copi status: where the process stands and what each role should do next."""

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, process_root


def status(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show the phases, the current phase's results, the need owners and the scale."""
    from copi_cli.cli.language import current, say, spoken
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.reporters.progress import work_progress
    from copi_cli.trail.uncommitted import CommittedProcess
    from copi_cli.validation.pipeline import validate
    from copi_cli.validation.status import build_status

    root = process_root(directory)
    committed = CommittedProcess(root)  # git answers while the process is validated
    try:  # a first look at a large process takes seconds: shown at a terminal
        with work_progress(current()) as progress:
            report = validate(root, want_workspace=True, progress=progress)
        uncommitted = committed.finding()
    finally:
        committed.close()
    if uncommitted:  # a killed copi's transition, or --no-commit: the phase shown is not so
        report = report._replace(diagnostics=[*report.diagnostics, uncommitted])  # in git
    reporter = reporter_for("json" if as_json else "text")
    # JSON is the same whatever language copi speaks (the process's words); the text is in
    # the language of this run, phases, results and next steps included
    reporter.status(build_status(report) if as_json else build_status(report, lang=current()))
    if uncommitted:
        reporter.note(f"{say('cli.warning')}: {uncommitted.path}:{uncommitted.line}: "
                      f"{uncommitted.code} {spoken(uncommitted.message)}"
                      + (f"\n  {say('cli.hint')}: {spoken(uncommitted.hint)}"
                         if uncommitted.hint else ""))
