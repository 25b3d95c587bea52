"""copi meeting: a market-dialogue meeting (1:1 by default), with what was shown."""

from __future__ import annotations

from pathlib import Path

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, OWNERS, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today

app = group("Market-dialogue meetings: add one.")


@app.command("add")
def add(
    supplier: str = typer.Option(..., "--supplier", help="The supplier: id or name."),
    owners: list[str] = OWNERS,
    date: str = date_option("Date of the meeting (default: today)."),
    event: str = typer.Option(None, "--event", help="The open, announced activity it belongs "
                              "to (e.g. the supplier conference)."),
    notes: Path = typer.Option(None, "--notes", help="A text file with the minutes.",
                               exists=True, dir_okay=False),
    topics: list[str] = typer.Option([], "--topic", help="A topic; repeat for several."),
    materials: list[str] = typer.Option([], "--material", help="Material shown to the "
                                        "supplier (file or web address); repeat."),
    confidential: bool = typer.Option(False, "--confidential", help="The minutes hold "
                                      "business secrets: never in a public document."),
    group: bool = typer.Option(False, "--group", help="A group meeting, not 1:1."),
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Record a meeting with a supplier: moeder/<date>-<supplier>.yaml."""
    from copi_cli.errors import UsageError
    from copi_cli.recording.market import add_meeting

    try:
        text = notes.read_text(encoding="utf-8-sig") if notes else None
    except UnicodeDecodeError:
        raise UsageError(f"--notes: {notes} is not UTF-8 text",
                         hint="save the minutes as UTF-8 text or Markdown") from None
    with change_of(directory, no_commit) as change:
        _, name = add_meeting(change, supplier, owners, date or today(), event, text,
                              confidential, topics, materials,
                              "group" if group else "one-to-one")
        finish(change, "meeting-add", {"da": f"Møde med {name} registreret",
                                       "en": f"Meeting with {name} recorded"})
