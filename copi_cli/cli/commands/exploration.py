"""copi insight / need / barrier / term: the needs exploration and the common language."""

from __future__ import annotations

from pathlib import Path

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, OWNERS, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today

insight_app = group("Insights from fieldwork, data, literature, value chain …")
need_app = group("Shared needs (needs, not solutions).")
barrier_app = group("Shared barriers: legislation, financing …")
term_app = group("The glossary: the need owners' common language.")
RECORD_ID = typer.Option(None, "--id", help="Id (default: from the title).")


@insight_app.command("add")
def add_insight(
    title: str = typer.Argument(..., help="The insight in one line."),
    source: str = typer.Option(..., "--source", help="fieldwork, data, literature, "
                               "value-chain, workshop or market-dialogue."),
    summary: str = typer.Option(None, "--summary", help="What was found, and how."),
    owners: list[str] = OWNERS,
    date: str = date_option("When it was found (default: today)."),
    reference: str = typer.Option(None, "--reference", help="Where it comes from (report, "
                                  "data source)."),
    confidential: bool = typer.Option(False, "--confidential", help="Keep it out of public "
                                      "documents."),
    record_id: str = RECORD_ID,
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Add an insight to udforskning/indsigter.yaml."""
    from copi_cli.recording.exploration import add_insight as add

    with change_of(directory, no_commit) as change:
        new = add(change, source, title, summary, owners, date or today(), reference,
                  record_id, confidential)
        finish(change, "insight-add", {"da": f"Indsigt tilføjet: {new}",
                                       "en": f"Insight added: {new}"})


@need_app.command("add")
def add_need(
    title: str = typer.Argument(..., help="The need in one line (a need, not a solution)."),
    owners: list[str] = OWNERS,
    description: str = typer.Option(None, "--description", help="The need, without naming a "
                                    "solution."),
    insights: list[str] = typer.Option([], "--insights", help="Ids of the insights behind it."),
    criteria: list[str] = typer.Option([], "--criterion", help="A success criterion; repeat."),
    record_id: str = RECORD_ID,
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Add a shared need, and the need owners who own it, to udforskning/behov.yaml."""
    from copi_cli.recording.exploration import add_need as add

    with change_of(directory, no_commit) as change:
        new = add(change, title, description, owners, insights, criteria, record_id)
        finish(change, "need-add", {"da": f"Fælles behov tilføjet: {new}",
                                    "en": f"Shared need added: {new}"})


@barrier_app.command("add")
def add_barrier(
    description: str = typer.Argument(..., help="What stands in the way."),
    kind: str = typer.Option(..., "--kind", help="legislation, financing, organisation, "
                             "technology, data, competence, market or other."),
    owners: list[str] = OWNERS,
    record_id: str = RECORD_ID,
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Add a shared barrier to udforskning/behov.yaml."""
    from copi_cli.recording.exploration import add_barrier as add

    with change_of(directory, no_commit) as change:
        new = add(change, kind, description, owners, record_id)
        finish(change, "barrier-add", {"da": f"Barriere tilføjet: {new}",
                                       "en": f"Barrier added: {new}"})


@term_app.command("add")
def add_term(
    term: str = typer.Argument(..., help="The term, e.g. 'Eget hjem'."),
    definition: str = typer.Option(..., "--definition", help="What the need owners agree it "
                                   "means."),
    english: str = typer.Option(None, "--english", help="The English term."),
    source: str = typer.Option(None, "--source", help="Where the definition comes from."),
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Add a term to the glossary (ordliste.yaml)."""
    from copi_cli.recording.exploration import add_term as add

    with change_of(directory, no_commit) as change:
        add(change, term, definition, english, source)
        finish(change, "term-add", {"da": f"Begreb tilføjet: {term}",
                                    "en": f"Term added: {term}"})
