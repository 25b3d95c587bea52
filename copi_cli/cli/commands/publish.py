"""copi publish: the public version of documents, recorded with its commit and hashes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import (
    DIR,
    DOC_FORMATS,
    LANG,
    OUT,
    date_option,
    process_root,
    revision_findings,
)


def publish(
    documents: Annotated[list[str], typer.Argument(metavar="DOC...")],
    formats: Annotated[str, DOC_FORMATS] = "pdf",
    date: Annotated[str | None, date_option(
        when="any")] = None,  # checked against the commit
    out: Annotated[Path | None, OUT] = None,
    lang: Annotated[str | None, LANG] = None,
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """A public document rendered from a commit and recorded with its hashes, so that
    copi audit can render it again and compare."""
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.model.documents import find_document, parse_formats
    from copi_cli.rendering.publishing import publish as publish_documents

    chosen = [find_document(d) for d in dict.fromkeys(documents)]
    wanted = parse_formats(formats)
    language = lang.strip().lower() if lang is not None else None
    if language is not None and language not in ("da", "en"):
        raise UsageError(Said("cli.doc-lang-unknown", lang=str(lang)),
                         hint=Said("cli.doc-lang-hint"))
    today = dt.date.today()
    with revision_findings():
        done = publish_documents(process_root(directory), chosen, wanted, language,
                                 dt.date.fromisoformat(date) if date else None, out, today)
    reporter_for().published(done)
