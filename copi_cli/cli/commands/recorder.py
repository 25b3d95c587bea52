"""What every recording command does around its core call: open the change, apply it, report.

The commit subject is in the process's language (git keeps it for everyone who works on the
process); the line printed is in the language of this run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from copi_cli.cli.commands.options import process_root

if TYPE_CHECKING:
    from copi_cli.model.workspace import Workspace
    from copi_cli.trail.change import Change


@contextmanager
def change_of(directory: Path | None, no_commit: bool,
              after_close: bool = False, lock: bool = True) -> Iterator[Change]:
    """The change a recording command makes. A closed process (copi close) is refused, unless
    after_close: a person's GDPR rights of access and erasure outlive the process. lock:
    False for a command that asks a person before it writes (the lock is taken when the
    change is applied, and every file it read is checked again then)."""
    from copi_cli.errors import UserError
    from copi_cli.messages import Said
    from copi_cli.model.processfile import refuse_closed
    from copi_cli.model.workspace import PROCESS_FILE
    from copi_cli.trail.change import Change

    change = Change(process_root(directory), dt.date.today(), commit=not no_commit, lock=lock)
    try:
        if not lock:  # a close made before it is written counts
            change.watch(PROCESS_FILE)
        # read under the lock: a close made while this copi waited counts
        if not after_close:
            refuse_closed(change.ws.process, Said("cli.closed.nothing-recorded"))
        yield change
    except UserError as error:  # a record already there may be one a stopped copi wrote
        change.explain(error)
        raise
    finally:
        change.close()


def finish(change: Change, action: str, key: str, /, **values: object) -> None:
    """Apply the change; the message `key` of the catalogue, filled in with values, is the
    commit subject (in the process's language) and the line shown (in the language of this
    run). A value given as {"da": …, "en": …} is taken in the language of the text."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.messages import message

    def said(lang: str) -> str:
        filled = {name: value[lang] if isinstance(value, dict) else value
                  for name, value in values.items()}
        return " ".join(message(key, lang, **filled).split())

    text = said(change.language)
    subject = text if len(text) <= 72 else text[:71].rstrip() + "…"  # git's subject line
    reporter = reporter_for()
    reporter.recorded(change.apply(subject, action), said(reporter.lang))


def today() -> str:
    return dt.date.today().isoformat()


def workspace_of(directory: Path | None) -> Workspace:
    """The process as it is, for commands that only read it (errors elsewhere do not stop
    a listing)."""
    from copi_cli.validation.pipeline import validate

    report = validate(process_root(directory), want_workspace=True)
    assert report.workspace is not None
    return report.workspace
