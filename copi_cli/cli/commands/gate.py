"""copi gate: does the current phase's gate hold? For CI: exit 1 while it does not."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import (
    DIR,
    FINDINGS_FORMAT,
    FINDINGS_JSON,
    findings_format,
    process_root,
)


def gate(
    directory: Annotated[Path | None, DIR] = None,
    output: Annotated[str, FINDINGS_FORMAT] = "text",
    as_json: Annotated[bool, FINDINGS_JSON] = False,
) -> None:
    """Check the results of the current phase, as copi advance would; change nothing.

    Exit 0 when the gate holds, 1 when it does not (each open result a finding, G001, at the
    file to work on) or when the process has validation errors.
    """
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.trail.lifecycle import InvalidWorkspace, check_gate, load_valid

    reporter = reporter_for(findings_format(output, as_json))
    root = process_root(directory)
    today = dt.date.today()
    try:
        report = load_valid(root, today)
    except InvalidWorkspace as refusal:  # the findings, in the format asked for
        reporter.diagnostics(refusal.report, suite="gate")
        raise typer.Exit(1) from None
    assert report.workspace is not None
    held = check_gate(report, today)
    reporter.gate(held, root, report.workspace.language)
    raise typer.Exit(0 if held.holds else 1)
