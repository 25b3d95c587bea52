"""copi meeting: a market-dialogue meeting (1:1 by default), with what was shown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import AS_JSON, DIR, NO_COMMIT_RECORD, OWNERS, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today, workspace_of

app = group()


@app.command("add")
def add(
    *,
    supplier: Annotated[str, typer.Option("--supplier")],
    owners: Annotated[list[str], OWNERS],
    date: Annotated[str | None, date_option()] = None,
    event: Annotated[str | None, typer.Option("--event")] = None,
    notes: Annotated[Path | None, typer.Option("--notes", exists=True, dir_okay=False)] = None,
    topics: Annotated[list[str], typer.Option("--topic", default_factory=list, show_default=False)],
    materials: Annotated[list[str], typer.Option(
        "--material",
        default_factory=list, show_default=False)],
    confidential: Annotated[bool, typer.Option("--confidential")] = False,
    group: Annotated[bool, typer.Option("--group")] = False,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record a meeting with a supplier: moeder/<date>-<supplier>.yaml."""
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.recording.market import add_meeting

    try:
        text = notes.read_text(encoding="utf-8-sig") if notes else None
    except UnicodeDecodeError:
        raise UsageError(Said("cli.meeting.notes-not-utf8", notes=str(notes)),
                         hint=Said("cli.meeting.notes-not-utf8-hint")) from None
    with change_of(directory, no_commit) as change:
        _, name = add_meeting(change, supplier, owners, date or today(), event, text,
                              confidential, topics, materials,
                              "group" if group else "one-to-one")
        finish(change, "meeting-add", "meeting.added", name=name)


@app.command("list")
def list_(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """List the market-dialogue meetings: date, supplier, need owners."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import record_rows

    ws = workspace_of(directory)
    reporter_for("json" if as_json else "text").records(
        "meeting", record_rows(ws, "meeting"))
