"""copi insight / need / barrier / term: the needs exploration and the common language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, OWNERS, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today

insight_app = group("Insights from fieldwork, data, literature, value chain …")
need_app = group("Shared needs (needs, not solutions).")
barrier_app = group("Shared barriers: legislation, financing …")
term_app = group("The glossary: the need owners' common language.")
RECORD_ID = typer.Option("--id", help="Id (default: from the title).")


@insight_app.command("add")
def add_insight(
    *,
    title: Annotated[str, typer.Argument(help="The insight in one line.")],
    source: Annotated[str, typer.Option(
        "--source", help="fieldwork, data, literature, value-chain, workshop or market-dialogue.")],
    summary: Annotated[str | None, typer.Option(
        "--summary", help="What was found, and how.")] = None,
    owners: Annotated[list[str], OWNERS],
    date: Annotated[str | None, date_option("When it was found (default: today).")] = None,
    reference: Annotated[str | None, typer.Option(
        "--reference", help="Where it comes from (report, data source).")] = None,
    confidential: Annotated[bool, typer.Option(
        "--confidential", help="Keep it out of public documents.")] = False,
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
    title: Annotated[str, typer.Argument(help="The need in one line (a need, not a solution).")],
    owners: Annotated[list[str], OWNERS],
    description: Annotated[str | None, typer.Option(
        "--description", help="The need, without naming a solution.")] = None,
    insights: Annotated[list[str], typer.Option(
        "--insights", help="Ids of the insights behind it.", default_factory=list,
        show_default=False)],
    criteria: Annotated[list[str], typer.Option(
        "--criterion", help="A success criterion; repeat.", default_factory=list,
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
    description: Annotated[str, typer.Argument(help="What stands in the way.")],
    kind: Annotated[str, typer.Option(
        "--kind", help="legislation, financing, organisation, technology, data, competence, market "
        "or other.")],
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
    term: Annotated[str, typer.Argument(help="The term, e.g. 'Eget hjem'.")],
    definition: Annotated[str, typer.Option(
        "--definition", help="What the need owners agree it means.")],
    english: Annotated[str | None, typer.Option("--english", help="The English term.")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="Where the definition comes from.")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add a term to the glossary (ordliste.yaml)."""
    from copi_cli.recording.exploration import add_term as add

    with change_of(directory, no_commit) as change:
        add(change, term, definition, english, source)
        finish(change, "term-add", "term.added", term=term)
