"""copi render: the process's documents as PDF, Word, HTML and Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, valid_report


def render(
    documents: Annotated[list[str] | None, typer.Argument(
        metavar="DOC...", help="Documents to render, by id or file name, or 'all' (copi render "
        "--list shows them).")] = None,
    formats: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMATS", help="Comma-separated: pdf, docx, html, md.")] = "pdf",
    audience: Annotated[str | None, typer.Option(
        "--audience", metavar="public|internal", help="public leaves out everything confidential "
        "and all personal data; internal keeps it, marked. Default: each document's own "
        "audience.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", file_okay=False, help="Output folder (default: build/ in the "
        "process).")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="da|en", help="Language of the documents (default: the "
        "process's).")] = None,
    listing: Annotated[bool, typer.Option("--list", help="List the documents and exit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --list: print JSON.")] = False,
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """Render documents from the process: Jinja2 templates → Markdown → pandoc (and typst for PDF).

    Documents of phases the process has not reached, and texts that are not final, render as
    clearly marked drafts. Outputs are written to build/ all at once, or not at all. Exit 1 when
    the process has validation errors or a public document would contain confidential material.
    """
    import datetime as dt

    from copi_cli.errors import UsageError
    from copi_cli.model.documents import document_ids, find_document, load_documents, parse_formats

    if listing and documents:
        raise UsageError("--list takes no documents", hint="copi render --list")
    if listing:
        from copi_cli.cli.reporters import reporter_for
        from copi_cli.cli.results import document_rows

        reporter_for("json" if as_json else "text").documents(document_rows(load_documents()))
        return
    if not documents:
        raise UsageError("name the documents to render, or all",
                         hint="e.g. copi render declaration --format pdf,docx; the documents: "
                              + ", ".join(document_ids()))
    every = [d.lower() for d in documents] == ["all"]
    chosen = ([d for d in load_documents() if audience != "public" or d.audience == "public"]
              if every else [find_document(d) for d in dict.fromkeys(documents)])
    wanted_formats = parse_formats(formats)
    audience = audience.strip().lower() if audience is not None else None
    lang = lang.strip().lower() if lang is not None else None
    if audience is not None and audience not in ("public", "internal"):
        raise UsageError(f"unknown audience '{audience}'", hint="use public or internal")
    if lang is not None and lang not in ("da", "en"):
        raise UsageError(f"unknown language '{lang}'", hint="use da or en")

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.rendering.pipeline import Conversions, output_dir, prepare_each

    today = dt.date.today()
    report = valid_report(directory)
    assert report.workspace is not None
    root = report.workspace.root
    language = lang or report.workspace.language
    notes: list[tuple[str, str]] = [
        (d.id, "an internal document, not rendered for the public")
        for d in load_documents() if every and audience == "public" and d.audience != "public"]
    # Each document converts as soon as it is prepared; none is published unless all passed.
    with Conversions(wanted_formats, root) as conversions:
        for prepared in prepare_each(report, chosen, audience, language, today, notes,
                                     skip=every):
            conversions.start(prepared)
        reporter = reporter_for()
        reporter.render_notes(notes)
        with reporter.progress(conversions.count) as advance:
            rendered = conversions.publish(output_dir(root, out), on_done=advance)
    reporter.rendered([r.path for r in rendered])
