"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, overload

import typer

from copi_cli.messages import Said

if TYPE_CHECKING:  # for annotations only: start-up does not load validation
    import datetime as dt

    from copi_cli.validation.pipeline import Progress, Report

# Options shared by commands, for Annotated[...]; each command writes the default after `=`.
DIR = typer.Option("--dir", "-d", help="help.shared.dir", file_okay=False)


NO_COMMIT = typer.Option("--no-commit", help="help.shared.no-commit")


def process_root(directory: Path | None) -> Path:
    from copi_cli.model.workspace import find_root

    return find_root(directory if directory is not None else Path.cwd())


def valid_report(directory: Path | None, renders: bool = False,
                 progress: Progress | None = None) -> Report:
    """The process, valid, for a command that renders from it; otherwise its findings are
    printed and the command refuses (exit 1). With renders, a finding that only the documents
    showing the business case depend on (R036) lets the others render; those are refused.
    progress: told as the validation goes (copi_cli.cli.reporters.progress)."""
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.rendering.context import IMPOSSIBLE
    from copi_cli.trail.lifecycle import InvalidWorkspace, load_valid

    try:
        return load_valid(process_root(directory), dt.date.today(),
                          IMPOSSIBLE if renders else frozenset(), progress)
    except InvalidWorkspace as refusal:
        reporter_for().diagnostics(refusal.report)
        raise


def work_report(directory: Path | None, at_revision: bool,
                progress: Progress | None = None) -> Report:
    """The process in the work tree: valid, or only read when documents render from a revision
    (--at), where what counts is the revision's state (its publications are read from here)."""
    if not at_revision:
        return valid_report(directory, renders=True, progress=progress)
    from copi_cli.validation.pipeline import validate

    return validate(process_root(directory), want_workspace=True, progress=progress)


@contextmanager
def revision_findings() -> Iterator[None]:
    """A revision refused for its validation errors: its findings are printed first."""
    from copi_cli.rendering.asof import InvalidRevision

    try:
        yield
    except InvalidRevision as refusal:
        from copi_cli.cli.reporters import reporter_for

        reporter_for().diagnostics(refusal.report)
        raise


FROM_PHASE = typer.Option("--from", metavar="PHASE", help="help.shared.from")

NO_COMMIT_RECORD = typer.Option("--no-commit", help="help.shared.no-commit-record")


@overload
def real_date(value: str) -> str: ...
@overload
def real_date(value: None) -> None: ...
def real_date(value: str | None) -> str | None:
    """A --date value: YYYY-MM-DD and a day that exists (2026-02-30 does not)."""
    if value is None:
        return None
    import datetime as dt
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise typer.BadParameter(Said("usage.date-form", value=value))
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise typer.BadParameter(Said("usage.date-unreal", value=value)) from None


def _past(value: str | None) -> str | None:
    """A --date of something that has happened: never after today."""
    import datetime as dt

    value = real_date(value)
    if value is not None and dt.date.fromisoformat(value) > dt.date.today():
        raise typer.BadParameter(Said("usage.date-ahead", value=value, today=dt.date.today()))
    return value


def _coming(value: str | None) -> str | None:
    """A date something is to happen by (a retention date): never before today."""
    import datetime as dt

    value = real_date(value)
    if value is not None and dt.date.fromisoformat(value) < dt.date.today():
        raise typer.BadParameter(Said("usage.date-passed", value=value, today=dt.date.today()))
    return value


# When a date may lie: a decision, a signature, a meeting held, an insight found, a material
# published, an announcement made, an owner joining or leaving have happened ("past", the
# default); an event may be planned ("any"); a retention date is still to come ("future").
# Transitions, init and publish check their own dates against the trail ("any" here).
_WHEN: dict[str, Callable[[str | None], str | None]] = {
    "past": _past, "any": real_date, "future": _coming}


def date_option(*names: str, when: str = "past",
                help: str | None = None) -> typer.models.OptionInfo:
    """A --date option (or another name), checked when given; its help is its command's own
    (help.<command>.date), or the shared id `help` names."""
    return typer.Option(*(names or ("--date",)), callback=_WHEN[when], metavar="YYYY-MM-DD",
                        help=help)


def transition_date() -> typer.models.OptionInfo:
    """--date of a transition (advance, revisit, close, reopen; init's first entry)."""
    return date_option(when="any", help="help.shared.transition-date")


def stated(value: str | None) -> dt.date | None:
    """A --date value (already checked by real_date) as a date."""
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


AS_JSON = typer.Option("--json", help="help.shared.json")

OWNERS = typer.Option(
    "--owners", "--owner", help="help.shared.owners", default_factory=list, show_default=False,
)


def group(*, no_args_is_help: bool = True, invoke_without_command: bool = False) -> typer.Typer:
    """A command group (copi owner …) that behaves like the top level: plain help, no
    completion installer, help when run without a subcommand; its help is help.<name> in the
    catalogue."""
    return typer.Typer(rich_markup_mode=None, add_completion=False,
                       no_args_is_help=no_args_is_help,
                       invoke_without_command=invoke_without_command)


# The options of the commands that write documents (render, publish, tool worksheets).
DOC_FORMATS = typer.Option("--format", "-f", metavar="FORMATS", help="help.shared.doc-format")
OUT = typer.Option("--out", "-o", file_okay=False, help="help.shared.out")
LANG = typer.Option("--lang", metavar="da|en", help="help.shared.doc-lang")

FINDINGS_FORMAT = typer.Option("--format", "-f", help="help.shared.findings-format")
FINDINGS_JSON = typer.Option("--json", help="help.shared.findings-json")


def findings_format(output: str, as_json: bool) -> str:
    """The format of --format and --json together (copi_cli.cli.formats.FORMATS), or a usage
    error."""
    from copi_cli.cli.formats import FORMATS
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said

    if as_json and output not in ("text", "json"):
        raise UsageError(Said("cli.format.two", output=output), hint=Said("cli.format.two-hint"))
    chosen = "json" if as_json else output
    if chosen not in FORMATS:
        raise UsageError(Said("cli.format.unknown", chosen=chosen),
                         hint=Said("cli.format.unknown-hint", formats=", ".join(FORMATS)))
    return chosen
