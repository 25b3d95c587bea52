"""copi render: the process's documents as PDF, Word, HTML and Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import (
    DIR,
    DOC_FORMATS,
    LANG,
    OUT,
    revision_findings,
    work_report,
)


def render(
    documents: Annotated[list[str] | None, typer.Argument(metavar="DOC...")] = None,
    formats: Annotated[str, DOC_FORMATS] = "pdf",
    audience: Annotated[str | None, typer.Option("--audience", metavar="public|internal")] = None,
    out: Annotated[Path | None, OUT] = None,
    lang: Annotated[str | None, LANG] = None,
    at: Annotated[str | None, typer.Option("--at", metavar="REV")] = None,
    listing: Annotated[bool, typer.Option("--list")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """Documents from the process, all written or none."""
    import datetime as dt

    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.model.documents import (
        document_names,
        find_document,
        load_documents,
        parse_formats,
    )

    if listing and (documents or at is not None):
        raise UsageError(Said("cli.render.list-alone-at" if at else "cli.render.list-alone"),
                         hint=Said("cli.render.list-alone-hint"))
    if listing:
        from copi_cli.cli.reporters import reporter_for
        from copi_cli.cli.results import document_rows

        reporter_for("json" if as_json else "text").documents(document_rows(load_documents()))
        return
    if not documents:
        raise UsageError(Said("cli.render.which"),
                         hint=Said("cli.render.which-hint", documents=document_names()))
    every = [d.lower() for d in documents] == ["all"]
    chosen = ([d for d in load_documents() if audience != "public" or d.audience == "public"]
              if every else [find_document(d) for d in dict.fromkeys(documents)])
    wanted_formats = parse_formats(formats)
    audience = audience.strip().lower() if audience is not None else None
    lang = lang.strip().lower() if lang is not None else None
    if audience is not None and audience not in ("public", "internal"):
        raise UsageError(Said("cli.render.audience", audience=audience),
                         hint=Said("cli.render.audience-hint"))
    if lang is not None and lang not in ("da", "en"):
        raise UsageError(Said("cli.doc-lang-unknown", lang=lang), hint=Said("cli.doc-lang-hint"))

    from copi_cli.cli import language as cli_language
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.reporters.progress import work_progress
    from copi_cli.rendering import asof
    from copi_cli.rendering.pipeline import Conversions, Refusal, output_dir
    from copi_cli.trail import gitrepo

    today = dt.date.today()
    # progress in the language copi speaks (copi_cli.cli.language), not the documents'
    with work_progress(cli_language.current()) as progress:
        report = work_report(directory, at is not None, progress)
    assert report.workspace is not None
    root = report.workspace.root
    # git is asked only where a document may render from a commit: --at, or a publication
    repo = (gitrepo.require_repo(root) if at is not None else
            gitrepo.find_repo(root) if report.workspace.single("publications") else None)
    language = lang or report.workspace.language
    notes: list[tuple[str, str]] = [
        (d.id, Said("cli.render.internal-left-out"))
        for d in load_documents() if every and audience == "public" and d.audience != "public"]
    origins = asof.plan(report, chosen, language, today, at, repo, notes)
    # Each document converts as soon as it is prepared; none is published unless all passed —
    # of several, those that passed, a refused one left out.
    refusals: list[Refusal] | None = [] if len(chosen) > 1 else None
    with revision_findings(), asof.opened(report, origins, repo, at) as states, \
            Conversions(wanted_formats, root, refusals=refusals) as conversions:
        # preparing: the view of the records, each document's Markdown, the leak check; then
        # the bar of the files converted
        with work_progress(cli_language.current()) as progress:
            if progress is not None:
                progress("preparing", 0, len(chosen))
            for number, prepared in enumerate(asof.prepare_all(
                    states, audience, language, notes, skip=every, refusals=refusals), 1):
                conversions.start(prepared)
                if progress is not None:
                    progress("preparing", number, len(chosen))
        reporter = reporter_for("json" if as_json else "text")
        reporter.render_notes(notes)
        with reporter.progress(conversions.count) as advance:
            rendered = conversions.publish(output_dir(root, out), on_done=advance)
    reporter.rendered([r.path for r in rendered],
                      [(r.document.id, r.error.message, r.error.hint) for r in refusals or ()])
    if refusals:
        raise typer.Exit(1)
