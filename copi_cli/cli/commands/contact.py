"""copi contact: contact persons (personal data) — add, list, and the GDPR rights: export, erase."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import AS_JSON, DIR, NO_COMMIT_RECORD, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today, workspace_of

app = group()


@app.command("add")
def add(
    holder: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option("--name")],
    title: Annotated[str | None, typer.Option("--title")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    retention_until: Annotated[str | None, date_option("--retention-until", when="future")] = None,
    legal_basis: Annotated[str | None, typer.Option("--legal-basis")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add a contact person to an organisation or a supplier (work details only)."""
    from copi_cli.recording.contacts import add as add_contact

    with change_of(directory, no_commit) as change:
        record = add_contact(change, holder, name, title, email, phone, retention_until,
                             legal_basis)
        holder_name = record.data.get("name")
        finish(change, "contact-add", "contact.added", name=holder_name)


@app.command("list")
def list_(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """List every contact person with holder and retention date; expired ones are marked."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import contact_rows
    from copi_cli.recording.contacts import all_entries

    ws = workspace_of(directory)
    rows = contact_rows(all_entries(ws), today())
    reporter_for("json" if as_json else "text").contacts(rows)


@app.command("export")
def export(
    person: Annotated[str, typer.Argument()],
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """Everything the process holds about a person, as JSON (GDPR right of access)."""
    from copi_cli.cli.reporters.json_reporter import JsonReporter
    from copi_cli.recording.contacts import export as export_person

    with change_of(directory, no_commit=True, after_close=True) as change:
        JsonReporter().dump(export_person(change, person))


@app.command("erase")
def erase(
    person: Annotated[str, typer.Argument()],
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Erase a person's contact details (GDPR right to erasure); the records stay."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.recording.contacts import erase as erase_person

    with change_of(directory, no_commit, after_close=True) as change:
        found, others = erase_person(change, person)
        # The commit message names no one: it would outlive the erasure.
        finish(change, "contact-erase", "contact.erased", n=len(found))
        reporter_for().erased(others)
