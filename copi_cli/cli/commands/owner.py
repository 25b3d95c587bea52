"""copi owner: the organisations of a process — need owners and partners, their backing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import AS_JSON, DIR, NO_COMMIT_RECORD, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today, workspace_of

app = group("Need owners and partners: add, list, show, backing, withdraw.")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(
        help="The organisation's name; for a municipality or region its name or code (e.g. Aarhus, "
        "751, Region Midtjylland).")],
    org_type: Annotated[str | None, typer.Option(
        "--type", help="municipality, region, state-agency, state-company, utility, port, "
        "member-organisation, company or other (found from the reference list for municipalities "
        "and regions).")] = None,
    role: Annotated[str, typer.Option(
        "--role", help="need-owner, project-partner, scaling-partner, knowledge-partner, "
        "adviser or facilitator.")] = "need-owner",
    cvr: Annotated[str | None, typer.Option(
        "--cvr", help="CVR number (8 digits, modulus-11 checked).")] = None,
    municipality_code: Annotated[str | None, typer.Option(
        "--municipality-code", help="3-digit municipality code, e.g. 751.")] = None,
    joined: Annotated[str | None, date_option(
        "Date it joined the process (default: today).", "--joined")] = None,
    citizens: Annotated[int | None, typer.Option(
        "--citizens", min=0, help="Citizens it serves, for the scale of the process.")] = None,
    record_id: Annotated[str | None, typer.Option(
        "--id", help="Id and file name (default: from the name).")] = None,
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
    owner: Annotated[str, typer.Argument(help="Id, name or municipality code.")],
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
    owner: Annotated[str, typer.Argument(help="Id, name or municipality code.")],
    level: Annotated[str, typer.Option(
        "--level", help="political or administrative (or politisk, administrativ).")],
    by: Annotated[str, typer.Option(
        "--by", help='Who backed it, e.g. "Borgmester Anna Hansen" or "Sundheds- og '
        'Omsorgsudvalget".')],
    date: Annotated[str | None, date_option("Date of the decision (default: today).")] = None,
    evidence: Annotated[str | None, typer.Option(
        "--evidence", help="A file (copied into materialer/ when it lies outside the process) or a "
        "web address.")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace the decision already recorded at this level (refused "
        "without it; git keeps the one replaced).")] = False,
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
    owner: Annotated[str, typer.Argument(help="Id, name or municipality code.")],
    date: Annotated[str | None, date_option("Date it left the process (default: today).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it left.")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record that an organisation left the process (its record stays, marked withdrawn)."""
    from copi_cli.recording.organisations import withdraw as withdraw_organisation

    with change_of(directory, no_commit) as change:
        record = withdraw_organisation(change, owner, date or today(), reason)
        name = record.data["name"]
        finish(change, "owner-withdraw", "owner.withdrawn", name=name)
