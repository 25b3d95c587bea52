"""copi owner: the organisations of a process — need owners and partners, their backing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import AS_JSON, DIR, NO_COMMIT_RECORD, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today, workspace_of

app = group()


@app.command("add")
def add(
    name: Annotated[str, typer.Argument()],
    org_type: Annotated[str | None, typer.Option("--type")] = None,
    role: Annotated[str, typer.Option("--role")] = "need-owner",
    cvr: Annotated[str | None, typer.Option("--cvr")] = None,
    municipality_code: Annotated[str | None, typer.Option("--municipality-code")] = None,
    joined: Annotated[str | None, date_option("--joined")] = None,
    citizens: Annotated[int | None, typer.Option("--citizens", min=0)] = None,
    record_id: Annotated[str | None, typer.Option("--id")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add an organisation to the process: organisationer/<id>.yaml, committed."""
    from copi_cli.recording.organisations import add as add_organisation

    with change_of(directory, no_commit) as change:
        _, shown = add_organisation(change, name, org_type, role, joined or today(), cvr,
                                    municipality_code, citizens, record_id)
        finish(change, "owner-add", "owner.added", name=shown)


@app.command("list")
def list_(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """List the organisations: role, type, joined, backing, withdrawn."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import organisation_rows

    ws = workspace_of(directory)
    reporter_for("json" if as_json else "text").organisations(organisation_rows(ws))


@app.command("show")
def show(
    owner: Annotated[str, typer.Argument()],
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """Show one organisation's record, with its signatures and meetings."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import organisation_detail
    from copi_cli.model.organisations import find

    ws = workspace_of(directory)
    reporter_for("json" if as_json else "text").organisation(
        organisation_detail(ws, find(ws, owner)))


@app.command("backing")
def backing(
    owner: Annotated[str, typer.Argument()],
    level: Annotated[str, typer.Option("--level")],
    by: Annotated[str, typer.Option("--by")],
    date: Annotated[str | None, date_option()] = None,
    evidence: Annotated[str | None, typer.Option("--evidence")] = None,
    replace: Annotated[bool, typer.Option("--replace")] = False,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record an organisation's political or administrative backing."""
    from copi_cli.model.vocabulary import checked, label
    from copi_cli.recording.organisations import record_backing

    level = checked("backing_level", level, "--level")
    with change_of(directory, no_commit) as change:
        record, _ = record_backing(change, owner, level, by, date or today(), evidence, replace)
        name = record.data["name"]
        finish(change, "owner-backing", "owner.backing", name=name,
               level={lang: label("backing_level", level, lang).capitalize()
                      for lang in ("da", "en")})


@app.command("withdraw")
def withdraw(
    owner: Annotated[str, typer.Argument()],
    date: Annotated[str | None, date_option()] = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record that an organisation left the process (its record stays, marked withdrawn)."""
    from copi_cli.recording.organisations import withdraw as withdraw_organisation

    with change_of(directory, no_commit) as change:
        record = withdraw_organisation(change, owner, date or today(), reason)
        name = record.data["name"]
        finish(change, "owner-withdraw", "owner.withdrawn", name=name)
