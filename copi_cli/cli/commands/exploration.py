"""copi insight / need / barrier / term: the needs exploration and the common language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, OWNERS, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today

insight_app = group()
need_app = group()
barrier_app = group()
term_app = group()
RECORD_ID = typer.Option("--id")


@insight_app.command("add")
def add_insight(
    *,
    title: Annotated[str, typer.Argument()],
    source: Annotated[str, typer.Option("--source")],
    summary: Annotated[str | None, typer.Option("--summary")] = None,
    owners: Annotated[list[str], OWNERS],
    date: Annotated[str | None, date_option()] = None,
    reference: Annotated[str | None, typer.Option("--reference")] = None,
    confidential: Annotated[bool, typer.Option("--confidential")] = False,
    record_id: Annotated[str | None, RECORD_ID] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add an insight to udforskning/indsigter.yaml."""
    from copi_cli.recording.exploration import add_insight as add

    with change_of(directory, no_commit) as change:
        new = add(change, source, title, summary, owners, date or today(), reference,
                  record_id, confidential)
        finish(change, "insight-add", "insight.added", id=new)


@need_app.command("add")
def add_need(
    *,
    title: Annotated[str, typer.Argument()],
    owners: Annotated[list[str], OWNERS],
    description: Annotated[str | None, typer.Option("--description")] = None,
    insights: Annotated[list[str], typer.Option(
        "--insights", default_factory=list,
        show_default=False)],
    criteria: Annotated[list[str], typer.Option(
        "--criterion", default_factory=list,
        show_default=False)],
    record_id: Annotated[str | None, RECORD_ID] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add a shared need, and the need owners who own it, to udforskning/behov.yaml."""
    from copi_cli.recording.exploration import add_need as add

    with change_of(directory, no_commit) as change:
        new = add(change, title, description, owners, insights, criteria, record_id)
        finish(change, "need-add", "need.added", id=new)


@barrier_app.command("add")
def add_barrier(
    description: Annotated[str, typer.Argument()],
    kind: Annotated[str, typer.Option("--kind")],
    owners: Annotated[list[str], OWNERS],
    record_id: Annotated[str | None, RECORD_ID] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add a shared barrier to udforskning/behov.yaml."""
    from copi_cli.recording.exploration import add_barrier as add

    with change_of(directory, no_commit) as change:
        new = add(change, kind, description, owners, record_id)
        finish(change, "barrier-add", "barrier.added", id=new)


@term_app.command("add")
def add_term(
    term: Annotated[str, typer.Argument()],
    definition: Annotated[str, typer.Option("--definition")],
    english: Annotated[str | None, typer.Option("--english")] = None,
    source: Annotated[str | None, typer.Option("--source")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add a term to the glossary (ordliste.yaml)."""
    from copi_cli.recording.exploration import add_term as add

    with change_of(directory, no_commit) as change:
        add(change, term, definition, english, source)
        finish(change, "term-add", "term.added", term=term)
