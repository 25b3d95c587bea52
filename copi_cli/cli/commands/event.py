"""copi event: matchmaking, workshops, supplier conferences … and publishing their materials."""

from __future__ import annotations

from pathlib import Path

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, OWNERS, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today

app = group("Events: add one, publish its materials to all.")


@app.command("add")
def add(
    kind: str = typer.Option(..., "--kind", help="matchmaking, workshop, supplier-conference, "
                             "information-meeting or launch."),
    date: str = date_option("Date of the event.", "--date"),
    title: str = typer.Option(..., "--title", help="Title of the event."),
    owners: list[str] = OWNERS,
    place: str = typer.Option(None, "--place", help="Where."),
    announced: str = date_option("Date it was announced (market dialogue: open to all).",
                                 "--announced"),
    channel: str = typer.Option(None, "--channel", help='Where it was announced, e.g. '
                                '"udbud.dk (forhåndsmeddelelse)".'),
    closed: bool = typer.Option(False, "--closed", help="It was by invitation, not open to "
                                "all suppliers."),
    description: str = typer.Option(None, "--description", help="What happens there."),
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Add an event: arrangementer/<date>-<title>.yaml."""
    from copi_cli.recording.market import add_event

    with change_of(directory, no_commit) as change:
        add_event(change, kind, date or today(), title, owners, place, announced, channel,
                  not closed, description)
        finish(change, "event-add", {"da": f"Arrangement tilføjet: {title}",
                                     "en": f"Event added: {title}"})


@app.command("publish")
def publish(
    event: str = typer.Argument(..., help="The event: id or title."),
    materials: list[str] = typer.Option(..., "--material", help="A file (copied into "
                                        "materialer/ from outside the process) or a web "
                                        "address; repeat for several."),
    title: str = typer.Option(None, "--title", help="Title of the material (one material)."),
    date: str = date_option("Date it was made available (default: today)."),
    visibility: str = typer.Option("all-market", "--visibility", help="all-market (default), "
                                   "need-owners or internal."),
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Record materials of an event as made available, to all suppliers by default."""
    from copi_cli.recording.market import publish as publish_materials

    with change_of(directory, no_commit) as change:
        record = publish_materials(change, event, materials, title, date or today(),
                                   visibility)
        what = record.data["title"]
        finish(change, "event-publish", {"da": f"Materialer offentliggjort: {what}",
                                         "en": f"Materials published: {what}"})
