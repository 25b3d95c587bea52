"""copi sign / copi decline: decisions on the joint declaration of intent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, date_option
from copi_cli.cli.commands.recorder import change_of, finish, today


def sign(
    owner: Annotated[str, typer.Argument()],
    signer: Annotated[str, typer.Option("--signer")],
    title: Annotated[str, typer.Option("--title")],
    date: Annotated[str | None, date_option()] = None,
    event: Annotated[str | None, typer.Option("--event")] = None,
    place: Annotated[str | None, typer.Option("--place")] = None,
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record an organisation's signature on the declaration (after the launch: an accession)."""
    from copi_cli.model.vocabulary import checked
    from copi_cli.recording.declaration import decide

    kind = checked("signature_kind", kind, "--kind") if kind is not None else None
    with change_of(directory, no_commit) as change:
        decision = decide(change, owner, "signed", date or today(), signer, title, event,
                          place, kind)
        finish(change, "sign", "declaration.acceded" if decision.accession
               else "declaration.signed", organisation=decision.organisation)
    if decision.text_status:
        from copi_cli.cli.reporters import reporter_for
        from copi_cli.recording.declaration import DECLARATION_TEXT

        reporter = reporter_for()
        reporter.note(f"copi: {reporter.say('cli.warning')}: "
                      + reporter.say("cli.sign.not-final", file=DECLARATION_TEXT,
                                     status=str(decision.text_status))
                      + f"\n  {reporter.say('cli.hint')}: "
                      + reporter.say("cli.sign.not-final-hint"))


def decline(
    owner: Annotated[str, typer.Argument()],
    date: Annotated[str | None, date_option()] = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record that an organisation declined to sign the declaration."""
    from copi_cli.recording.declaration import decide

    with change_of(directory, no_commit) as change:
        decision = decide(change, owner, "declined", date or today(), note=reason)
        finish(change, "decline", "declaration.declined", organisation=decision.organisation)
