"""Rendering documents: workspace → context → Jinja2 → Markdown → pandoc (→ typst) → files.

1. prepare (one thread, cheap): for each document, the audience's view of the records
   (copi_cli.render_context), the template's Markdown (copi_cli.templating), a draft or
   internal notice, and — for a public document — the leak check: nothing that was cut from
   the sources may appear in the Markdown.
2. convert (in parallel: pandoc runs as its own process, so threads keep both cores busy): each
   document and format in a private temporary directory (copi_cli.conversion).
3. publish: every output is first written next to its target under a temporary name; only
   when all of them are done are they moved into place. An error or Ctrl-C half-way leaves the
   output folder as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import NamedTuple

from copi_cli import formatting
from copi_cli.confidentiality import Guard
from copi_cli.conversion import Page, check_images, convert, inside
from copi_cli.documents import Document
from copi_cli.errors import UsageError, UserError
from copi_cli.render_context import Sources
from copi_cli.templating import environment, render_template
from copi_cli.validation import Report
from copi_cli.workspace import load_layout

WORDS = {
    "draft": {"da": "UDKAST", "en": "DRAFT"},
    "internal": {"da": "INTERNT", "en": "INTERNAL"},
    "draft_phase": {"da": "Processen er endnu ikke nået til fasen {phase}.",
                    "en": "The process has not yet reached the phase {phase}."},
    "draft_text": {"da": "Teksten ({path}) er ikke endelig.",
                   "en": "The text ({path}) is not final."},
    "draft_note": {"da": "**Udkast.** {why} Dokumentet kan ændre sig.",
                   "en": "**Draft.** {why} The document may change."},
    "internal_note": {"da": "**Internt dokument.** Det kan indeholde fortroligt materiale og "
                            "persondata, som er markeret. Må ikke offentliggøres.",
                      "en": "**Internal document.** It may contain confidential material and "
                            "personal data, which are marked. Not for publication."},
}


class Prepared(NamedTuple):
    document: Document
    audience: str
    markdown: str
    page: Page
    source: str  # the text file the document is written from, for pictures ("" if none)


class Rendered(NamedTuple):
    document: Document
    format: str
    path: Path


def _has_records(report: Report, kind: str) -> bool:
    ws = report.workspace
    assert ws is not None
    records = ws.all(kind)
    if not records:
        return False
    if load_layout().kind(kind).id_is_file_name or kind in ("process", "potential"):
        return True
    return any(isinstance(value, list) and value for value in records[0].data.values())


def _notices(prepared_doc: dict, audience: str, lang: str) -> str:
    parts = []
    document = prepared_doc["document"]
    if document["draft"]:
        why = []
        if "phase" in document["draft_reasons"]:
            why.append(WORDS["draft_phase"][lang].format(phase=document["phase"]["name"]))
        if "text" in document["draft_reasons"]:
            path = prepared_doc["text"]["path"] if prepared_doc.get("text") else "tekster/"
            why.append(WORDS["draft_text"][lang].format(path=path))
        note = WORDS["draft_note"][lang].format(why=" ".join(why))
        parts.append(f'::: {{.draft custom-style="Draft"}}\n{note}\n:::\n\n')
    if audience == "internal":
        parts.append(f'::: {{.internal custom-style="Internal"}}\n'
                     f'{WORDS["internal_note"][lang]}\n:::\n\n')
    return "".join(parts)


def _brand(report: Report) -> dict:
    ws = report.workspace
    assert ws is not None
    return ws.single_data("brand")


def audience_of(document: Document, wanted: str | None) -> str:
    """The audience a document is rendered for: as asked, or the document's own."""
    if wanted is None:
        return document.audience
    if wanted == "public" and document.audience == "internal":
        raise UsageError(f"{document.id} is an internal document and cannot be rendered for "
                         "the public", hint="leave out --audience, or use --audience internal")
    return wanted


def prepare(report: Report, documents: Iterable[Document], audience: str | None,
            lang: str, today: dt.date,
            skipped: list[tuple[str, str]] | None = None) -> list[Prepared]:
    """Every document's Markdown, checked; nothing is written yet.

    With a skipped list (copi render all), a document whose records are not there yet is
    noted in it and left out instead of refused."""
    ws = report.workspace
    assert ws is not None
    root = ws.root
    env = environment(root, lang)
    brand = _brand(report)
    sources: dict[str, Sources] = {}
    made: list[tuple[Prepared, Sources]] = []
    for document in documents:
        chosen = audience_of(document, audience)
        missing = [kind for kind in document.requires if not _has_records(report, kind)]
        if missing and skipped is not None:
            kind = load_layout().kind(missing[0])
            skipped.append((document.id, f"no {kind.label['en'].lower()} recorded yet "
                                         f"({kind.pattern})"))
            continue
        if missing:
            kind = load_layout().kind(missing[0])
            raise UserError(f"{document.id}: no {kind.label['en'].lower()} recorded yet "
                            f"({kind.pattern})",
                            hint=f"record them first; {document.name[lang]} is written from them")
        if chosen not in sources:
            sources[chosen] = Sources(report, chosen, lang, today)
        source = sources[chosen]
        context = source.for_document(document)
        text = context.get("text")
        if text and text["confidential"] and chosen == "public":
            raise UserError(f"{text['path']} is marked confidential: it cannot become the "
                            f"public {document.id}",
                            hint="render it with --audience internal, or remove "
                                 "'confidential: true' from the text when it may be published")
        markdown = _notices(context, chosen, lang) + render_template(
            env, document.template, context)
        check_images(markdown, root, text["path"] if text else "")
        process = context["process"]
        title = (text or {}).get("title") or document.name[lang]
        page = Page(
            title=title,
            subtitle=process["title"] if process["title"] and process["title"] not in title
            else None,
            date=formatting.date(today, lang),
            lang=lang,
            footer=f"{process['title']} · {document.name[lang]}",
            draft_label=WORDS["draft"][lang] if context["document"]["draft"] else None,
            internal_label=WORDS["internal"][lang] if chosen == "internal" else None,
            organisation=brand.get("organisation"),
            primary=brand.get("colours", {}).get("primary"),
            accent=brand.get("colours", {}).get("accent"),
            font=brand.get("font"),
            logo=inside(root, brand["logo"]) if brand.get("logo") else None,
            font_files=tuple(p for p in (inside(root, f) for f in brand.get("font_files", []))
                             if p),
            reference_docx=_reference_docx(root, lang),
        )
        made.append((Prepared(document, chosen, markdown, page,
                              text["path"] if text else ""), source))
    for prepared, source in made:
        if prepared.audience == "public":
            _refuse_leaks(prepared, source)
    return [prepared for prepared, _ in made]


def _reference_docx(root: Path, lang: str) -> Path | None:
    for candidate in (f"templates/{lang}/reference.docx", "templates/reference.docx"):
        found = inside(root, candidate)
        if found:
            return found
    return None


def _refuse_leaks(prepared: Prepared, source: Sources) -> None:
    guard: Guard = source.view.guard()
    guard.allow(source.public_texts())
    leaks = guard.leaks(prepared.markdown)
    if leaks:
        shown = leaks[0] if len(leaks[0]) <= 60 else leaks[0][:57] + "…"
        raise UserError(f"{prepared.document.id}: the public document would contain "
                        f"confidential material or personal data: \"{shown}\""
                        + (f" (and {len(leaks) - 1} more)" if len(leaks) > 1 else ""),
                        hint="remove it from "
                             + (prepared.source or "the template")
                             + ", or mark the passage ::: fortroligt … ::: ; nothing was "
                               "written")


def output_dir(root: Path, out: Path | None) -> Path:
    return out if out is not None else root / "build"


def render(prepared: list[Prepared], formats: list[str], root: Path, out: Path,
           jobs: int | None = None,
           on_done: Callable[[Rendered], None] | None = None) -> list[Rendered]:
    """Convert every prepared document to every format, in parallel, and publish all outputs
    at once."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create the output folder {out}: {error.strerror}",
                        hint="choose another with --out DIR") from None
    tasks = [(p, fmt) for p in prepared for fmt in formats]
    written: list[tuple[Path, Rendered]] = []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_convert_one, p, fmt, root, out): (p, fmt) for p, fmt in tasks}
            try:
                for future in as_completed(futures):
                    temporary, rendered = future.result()
                    written.append((temporary, rendered))
                    if on_done:
                        on_done(rendered)
            except BaseException:
                for future in futures:
                    future.cancel()
                pool.shutdown(wait=True)
                for future in futures:  # finished meanwhile: their files go too
                    if future.done() and not future.cancelled() and not future.exception():
                        future.result()[0].unlink(missing_ok=True)
                raise
        for temporary, rendered in written:
            os.replace(temporary, rendered.path)
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
    order = {(p.document.id, fmt): index for index, (p, fmt) in enumerate(tasks)}
    return sorted((r for _, r in written), key=lambda r: order[(r.document.id, r.format)])


def _convert_one(prepared: Prepared, fmt: str, root: Path, out: Path) -> tuple[Path, Rendered]:
    lang = prepared.page.lang
    target = out / prepared.document.file_name(lang, prepared.audience, fmt)
    base = (root / prepared.source).parent if prepared.source else root
    with tempfile.TemporaryDirectory(prefix="copi-render-") as workdir:
        content = convert(prepared.markdown, fmt, prepared.page, root, base, Path(workdir))
    temporary = target.with_name(f".{target.name}.copi-{os.getpid()}-{id(prepared)}.tmp")
    try:
        temporary.write_bytes(content)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"cannot write {target}: {error.strerror}",
                        hint="check the output folder (--out DIR)") from None
    return temporary, Rendered(prepared.document, fmt, target)
