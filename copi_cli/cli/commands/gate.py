"""copi gate: does the current phase's gate hold? For CI: exit 1 while it does not."""

from __future__ import annotations

from pathlib import Path

import typer

from copi_cli.cli.commands.options import (
    DIR,
    FINDINGS_FORMAT,
    FINDINGS_JSON,
    findings_format,
    process_root,
)


def gate(
    directory: Path = DIR,
    output: str = FINDINGS_FORMAT,
    as_json: bool = FINDINGS_JSON,
) -> None:
    """Check the results of the current phase, as copi advance would; change nothing.

    Exit 0 when the gate holds, 1 when it does not (each open result a finding, G001, at the
    file to work on) or when the process has validation errors.
    """
    import datetime as dt

    from copi_cli.cli.reporting import print_diagnostics, print_gate
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.trail.lifecycle import InvalidWorkspace, check_gate, load_valid
    from copi_cli.validation.pipeline import Report

    output = findings_format(output, as_json)
    root = process_root(directory)
    today = dt.date.today()
    try:
        report = load_valid(root, today)
    except InvalidWorkspace as refusal:  # the findings, in the format asked for
        print_diagnostics(refusal.report, output, suite="gate")
        raise typer.Exit(1) from None
    assert report.workspace is not None
    held = check_gate(report, today)
    if output == "text":
        print_gate(held, report.workspace.language)
    else:
        findings = [Diagnostic(o.where or "copi.yaml", 1, 1, "G001",
                               f"{o.result.text[report.workspace.language]}: {o.why}",
                               "copi status shows the phase and what each role does next")
                    for o in held.outcomes if not o.holds]
        print_diagnostics(Report(root, findings, len(held.outcomes), None), output,
                          scope=f"in the gate of phase {held.phase.number}", suite="gate")
    raise typer.Exit(0 if held.holds else 1)
