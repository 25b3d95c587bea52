"""copi sign / copi decline: decisions on the joint declaration of intent."""

from __future__ import annotations

from pathlib import Path

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, date_option
from copi_cli.cli.commands.recorder import change_of, finish, today


def sign(
    owner: str = typer.Argument(..., help="The organisation: id, name or municipality code."),
    signer: str = typer.Option(..., "--signer", help="Name of the office holder who signed."),
    title: str = typer.Option(..., "--title", help='Their title, e.g. "Borgmester".'),
    date: str = date_option("Date of signing (default: today)."),
    event: str = typer.Option(None, "--event", help="The event where it was signed (e.g. the "
                              "launch)."),
    place: str = typer.Option(None, "--place", help="Where it was signed."),
    kind: str = typer.Option(None, "--kind", help="buyer (a need owner, the default for need "
                             "owners) or support (a partner's support declaration)."),
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Record an organisation's signature on the declaration (after the launch: an accession)."""
    from copi_cli.errors import UsageError
    from copi_cli.recording.declaration import decide

    if kind not in (None, "buyer", "support"):
        raise UsageError(f"--kind: '{kind}' is not one of buyer, support")
    with change_of(directory, no_commit) as change:
        decision = decide(change, owner, "signed", date or today(), signer, title, event,
                          place, kind)
        what = {"da": "tiltrådt (efter lanceringen)", "en": "acceded (after the launch)"} \
            if decision.accession else {"da": "underskrevet", "en": "signed"}
        finish(change, "sign", {"da": f"Hensigtserklæringen {what['da']}: "
                                      f"{decision.organisation}",
                                "en": f"Declaration {what['en']}: {decision.organisation}"})


def decline(
    owner: str = typer.Argument(..., help="The organisation: id, name or municipality code."),
    date: str = date_option("Date of the decision (default: today)."),
    reason: str = typer.Option(None, "--reason", help="Why, if it was given."),
    directory: Path = DIR,
    no_commit: bool = NO_COMMIT_RECORD,
) -> None:
    """Record that an organisation declined to sign the declaration."""
    from copi_cli.recording.declaration import decide

    with change_of(directory, no_commit) as change:
        decision = decide(change, owner, "declined", date or today(), note=reason)
        finish(change, "decline", {"da": f"Hensigtserklæringen afslået: {decision.organisation}",
                                   "en": f"Declaration declined: {decision.organisation}"})
