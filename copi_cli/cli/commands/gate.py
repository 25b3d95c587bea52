"""copi gate: does the current phase's gate hold? For CI: exit 1 while it does not."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copi_cli.cli.commands.options import (
    DIR,
    FINDINGS_FORMAT,
    FINDINGS_JSON,
    findings_format,
    process_root,
)

if TYPE_CHECKING:  # for annotations only: start-up does not load the trail
    import datetime as dt

    from copi_cli.trail.lifecycle import Gate
    from copi_cli.validation.pipeline import Report


def gate(
    directory: Annotated[Path | None, DIR] = None,
    output: Annotated[str, FINDINGS_FORMAT] = "text",
    as_json: Annotated[bool, FINDINGS_JSON] = False,
) -> None:
    """Check the results of the current phase, as copi advance would; change nothing."""
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.trail.lifecycle import InvalidWorkspace, check_gate, load_valid

    output = findings_format(output, as_json)
    reporter = reporter_for(output)
    root = process_root(directory)
    today = dt.date.today()
    try:
        report = load_valid(root, today)
    except InvalidWorkspace as refusal:  # the findings, in the format asked for
        reporter.diagnostics(refusal.report, suite="gate")
        raise typer.Exit(1) from None
    assert report.workspace is not None
    held = check_gate(report, today)
    # the machine formats are the same in every language: the process's words; people
    # (text, annotations on a pull request) read the results in the language of this run
    if output in ("json", "junit", "sarif"):
        reporter.gate(held, root, report.workspace.language)
    else:
        reporter.gate(worded(held, report, today, reporter.lang), root, reporter.lang)
    raise typer.Exit(0 if held.holds else 1)


def worded(held: Gate, report: Report, day: dt.date, lang: str) -> Gate:
    """The gate with its outcomes (why, advice) worded in lang, judged as of the same day."""
    from copi_cli.trail.lifecycle import Gate
    from copi_cli.validation.checks import check_results

    assert report.workspace is not None
    if lang == report.workspace.language:
        return held
    return Gate(held.phase, check_results(report.workspace, held.phase, day, lang))
