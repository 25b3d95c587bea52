"""copi event: matchmaking, workshops, supplier conferences … and publishing their materials."""

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
    kind: Annotated[str, typer.Option("--kind")],
    date: Annotated[str | None, date_option("--date", when="any")] = None,
    title: Annotated[str, typer.Option("--title")],
    owners: Annotated[list[str], OWNERS],
    place: Annotated[str | None, typer.Option("--place")] = None,
    announced: Annotated[str | None, date_option("--announced")] = None,
    channel: Annotated[str | None, typer.Option("--channel")] = None,
    closed: Annotated[bool, typer.Option("--closed")] = False,
    description: Annotated[str | None, typer.Option("--description")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add an event: arrangementer/<date>-<title>.yaml."""
    from copi_cli.recording.market import add_event

    with change_of(directory, no_commit) as change:
        add_event(change, kind, date or today(), title, owners, place, announced, channel,
                  not closed, description)
        finish(change, "event-add", "event.added", title=title)


@app.command("publish")
def publish(
    event: Annotated[str, typer.Argument()],
    materials: Annotated[list[str], typer.Option("--material")],
    title: Annotated[str | None, typer.Option("--title")] = None,
    date: Annotated[str | None, date_option()] = None,
    visibility: Annotated[str, typer.Option("--visibility")] = "all-market",
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record materials of an event as made available, to all suppliers by default."""
    from copi_cli.recording.market import publish as publish_materials

    with change_of(directory, no_commit) as change:
        record = publish_materials(change, event, materials, title, date or today(),
                                   visibility)
        what = record.data["title"]
        finish(change, "event-publish", "event.published", title=what)


@app.command("list")
def list_(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """List the events: date, title, kind, whether open, materials."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import record_rows

    ws = workspace_of(directory)
    reporter_for("json" if as_json else "text").records(
        "event", record_rows(ws, "event"))
