"""copi validate: check every file of a process against its schema and the domain rules."""

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

if TYPE_CHECKING:  # for annotations only: start-up does not load validation
    from collections.abc import Callable

    from copi_cli.validation.pipeline import Progress, Report


def validate(
    files: Annotated[list[Path] | None, typer.Argument(metavar="[FILES]...")] = None,
    directory: Annotated[Path | None, DIR] = None,
    output: Annotated[str, FINDINGS_FORMAT] = "text",
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
    as_json: Annotated[bool, FINDINGS_JSON] = False,
) -> None:
    """Validate the process: YAML, schemas and domain rules; every finding at once."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.validation.pipeline import validate as run_validation

    reporter = reporter_for(findings_format(output, as_json))
    if files and directory is not None:
        raise UsageError(Said("cli.validate.dir-or-files"), hint=Said("cli.validate.quote"))
    roots = _roots_of(files) if files else [process_root(directory)]
    if not roots:
        reporter.note(reporter.say("cli.validate.no-process"))
    from copi_cli.cli import language as cli_language
    from copi_cli.cli.reporters.progress import work_progress

    reports = []
    for root in roots:  # a cold run of a large process takes seconds: shown at a terminal
        with work_progress(cli_language.current()) as progress:
            reports.append(_with_trail(root, run_validation, not no_cache, progress))
    reporter.diagnostics(_one_report(reports))
    raise typer.Exit(1 if any(r.errors for r in reports) else 0)


def _with_trail(root: Path, run: "Callable[..., Report]", use_cache: bool,
                progress: "Progress | None" = None) -> "Report":
    """The process's findings, and a transition in copi.yaml that was never committed (a
    copi stopped before its commit, or --no-commit): a warning, asked of git meanwhile."""
    from copi_cli.trail.uncommitted import CommittedProcess

    committed = CommittedProcess(root)
    try:
        report = run(root, use_cache=use_cache, progress=progress)
        uncommitted = committed.finding()
    finally:
        committed.close()
    if uncommitted is None:
        return report
    return report._replace(diagnostics=[*report.diagnostics, uncommitted])


def _roots_of(files: list[Path]) -> list[Path]:
    """Each process the files lie in, once, in order. A file that does not exist is a
    mistake (a hook passes only files that do); one outside any process is skipped."""
    from copi_cli.errors import NotAProcessError, UsageError
    from copi_cli.messages import Said
    from copi_cli.model.workspace import find_root

    roots: list[Path] = []
    for file in files:
        if not file.exists():
            raise UsageError(Said("cli.validate.no-file", file=str(file)),
                             hint=Said("cli.validate.no-file-hint"))
        try:
            root = find_root(file if file.is_dir() else file.parent)
        except NotAProcessError:
            continue
        if root not in roots:
            roots.append(root)
    return roots


def _one_report(reports: list["Report"]) -> "Report":
    """Several processes' findings as one report (one SARIF log, one JUnit document), paths
    relative to the folder that holds them all."""
    import os

    from copi_cli.validation.pipeline import Report

    if len(reports) == 1:
        return reports[0]
    if not reports:
        return Report(Path.cwd(), [], 0, None)
    base = Path(os.path.commonpath([str(r.root) for r in reports]))
    findings = []
    for report in reports:
        prefix = os.path.relpath(report.root, base).replace(os.sep, "/")
        findings += [d._replace(path=f"{prefix}/{d.path}") for d in report.diagnostics]
    return Report(base, findings, sum(r.files for r in reports), None)
