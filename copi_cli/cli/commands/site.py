"""copi site: the public process as a static website, with its calendar and news feed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR


def site(
    out: Annotated[Path, typer.Option("--out", "-o", file_okay=False)] = Path("_site"),
    base_url: Annotated[str | None, typer.Option("--base-url", metavar="URL")] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="da|en")] = None,
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """One call to the core; the site is written whole or not at all (help: help.site)."""
    from copi_cli.cli import language
    from copi_cli.cli.commands.options import process_root
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said, message
    from copi_cli.site.building import build_site

    chosen = lang.strip().lower() if lang is not None else None
    if chosen is not None and chosen not in ("da", "en"):
        raise UsageError(Said("cli.doc-lang-unknown", lang=chosen),
                         hint=Said("cli.doc-lang-hint"))
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.trail.lifecycle import InvalidWorkspace

    try:
        built = build_site(process_root(directory), out, base_url=base_url, lang=chosen)
    except InvalidWorkspace as refusal:  # the findings first, as copi render shows them
        reporter_for().diagnostics(refusal.report)
        raise
    typer.echo(message("site.written", language.current(), n=len(built.pages), out=built.out))
