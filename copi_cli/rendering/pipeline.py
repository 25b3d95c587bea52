"""Rendering documents: workspace → context → Jinja2 → Markdown → pandoc (→ typst) → files.

1. prepare (one thread, cheap): for each document, the audience's view of the records
   (copi_cli.rendering.context), the template's Markdown (copi_cli.rendering.templating), a draft or
   internal notice, and — for a public document — the leak check: nothing that was cut from
   the sources may appear in the Markdown.
2. convert (in parallel: pandoc runs as its own process, so threads keep both cores busy): each
   document and format in a private temporary directory (copi_cli.rendering.conversion).
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

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import message
from copi_cli.model.documents import Document
from copi_cli.model.workspace import Workspace, load_layout
from copi_cli.rendering import formatting
from copi_cli.rendering.confidentiality import Guard
from copi_cli.rendering.context import Sources
from copi_cli.rendering.conversion import Page, check_images, convert, inside
from copi_cli.rendering.templating import environment, render_template
from copi_cli.validation.pipeline import Report


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
    if load_layout().kind(kind).id_is_file_name or kind == "process":
        return True
    return any(isinstance(value, list) and value for value in records[0].data.values())


def _notices(prepared_doc: dict, audience: str, lang: str) -> str:
    parts = []
    document = prepared_doc["document"]
    if document["draft"]:
        why = []
        if "phase" in document["draft_reasons"]:
            why.append(message("render.draft-phase", lang, phase=document["phase"]["name"]))
        if "text" in document["draft_reasons"]:
            path = prepared_doc["text"]["path"] if prepared_doc.get("text") else "tekster/"
            why.append(message("render.draft-text", lang, path=path))
        note = message("render.draft-note", lang, why=" ".join(why))
        parts.append(f'::: {{.draft custom-style="Draft"}}\n{note}\n:::\n\n')
    if audience == "internal":
        parts.append(f'::: {{.internal custom-style="Internal"}}\n'
                     f'{message("render.internal-note", lang)}\n:::\n\n')
    return "".join(parts)


def brand_page(ws: Workspace) -> dict:
    """The fields of a Page that brand.yaml sets, for documents and worksheets alike; files
    only from inside the process."""
    brand = ws.single_data("brand")
    root = ws.root
    return {
        "organisation": brand.get("organisation"),
        "primary": brand.get("colours", {}).get("primary"),
        "accent": brand.get("colours", {}).get("accent"),
        "font": brand.get("font"),
        "logo": inside(root, brand["logo"]) if brand.get("logo") else None,
        "font_files": tuple(p for p in (inside(root, f) for f in brand.get("font_files", []))
                            if p),
    }


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
            notes: list[tuple[str, str]] | None = None, skip: bool = False) -> list[Prepared]:
    """Every document's Markdown, checked; nothing is written yet.

    With skip (copi render all), a document whose records are not there yet, or whose text is
    confidential in a public render, is left out with a note instead of refused. notes also
    receives what the user should know (a Danish text in an English document)."""
    notes = notes if notes is not None else []
    skipped = notes if skip else None
    ws = report.workspace
    assert ws is not None
    root = ws.root
    env = environment(root, lang)
    brand = brand_page(ws)
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
        if text and text["confidential"] and chosen == "public" and skip:
            notes.append((document.id, f"{text['path']} is marked confidential"))
            continue
        if text and text["confidential"] and chosen == "public":
            raise UserError(f"{text['path']} is marked confidential: it cannot become the "
                            f"public {document.id}",
                            hint="render it with --audience internal, or remove "
                                 "'confidential: true' from the text when it may be published")
        if text and lang != ws.language:
            notes.append((document.id, f"{text['path']} is written in the process's language "
                                       f"({ws.language}); the {lang} document uses it as it is"))
        markdown = _notices(context, chosen, lang) + render_template(
            env, document.template, context)
        check_images(markdown, root, text["path"] if text else "")
        if chosen == "public":
            _refuse_restricted_pictures(markdown, source, document)
        process = context["process"]
        title = (text or {}).get("title") or document.name[lang]
        page = Page(
            title=title,
            subtitle=process["title"] if process["title"] and process["title"] not in title
            else None,
            date=formatting.date(today, lang),
            lang=lang,
            footer=f"{process['title']} · {document.name[lang]}",
            draft_label=message("render.draft", lang) if context["document"]["draft"] else None,
            internal_label=message("render.internal", lang) if chosen == "internal" else None,
            **brand,
            reference_docx=_reference_docx(root, lang),
            audience=chosen,
        )
        made.append((Prepared(document, chosen, markdown, page,
                              text["path"] if text else ""), source))
    guards: dict[int, Guard] = {}  # one per audience: everything cut, once all texts are read
    for prepared, source in made:
        if prepared.audience == "public":
            if id(source) not in guards:
                guards[id(source)] = source.view.guard()
                guards[id(source)].allow(source.public_texts(), source.public_people())
            _refuse_leaks(prepared, guards[id(source)])
    return [prepared for prepared, _ in made]


def _refuse_restricted_pictures(markdown: str, source: Sources, document: Document) -> None:
    """A picture that is material not published to all (a supplier's own slides) stays out
    of a public document, wherever a text refers to it."""
    import re

    pictures = {path.removeprefix("./").removeprefix("../")
                for path in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", markdown)}
    if not pictures:
        return
    cut = {text.strip() for text in source.view.cut if text.strip().startswith("materialer/")}
    for wanted in sorted(pictures & cut):
        if wanted not in set(source.public_texts()):
            raise UserError(f"{document.id}: the picture {wanted} is material that is not "
                            "published to all", hint="leave it out of the public text, or "
                            "publish it (visibility: all-market) if it may be")


def _reference_docx(root: Path, lang: str) -> Path | None:
    """The process's Word styles, if it has them; a file that is not a Word document is
    refused here rather than by pandoc's backtrace."""
    import zipfile

    for candidate in (f"templates/{lang}/reference.docx", "templates/reference.docx"):
        if (root / candidate).is_symlink() or not (root / candidate).exists():
            continue
        found = inside(root, candidate)
        try:
            usable = found is not None and "word/styles.xml" in zipfile.ZipFile(found).namelist()
        except (OSError, zipfile.BadZipFile):
            usable = False
        if not usable:
            raise UserError(f"{candidate} is not a Word document copi can take styles from",
                            hint="save a .docx from Word there (start from: pandoc -o "
                                 "reference.docx --print-default-data-file reference.docx), or "
                                 "remove it")
        return found
    return None


def _refuse_leaks(prepared: Prepared, guard: Guard) -> None:
    page = prepared.page
    leaks = guard.leaks("\n".join([prepared.markdown, page.title, page.subtitle or "",
                                   page.footer or ""]))
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


def check_output_dir(root: Path, out: Path) -> None:
    """Inside the process, copi writes only under build/: --out tekster would overwrite the
    texts the documents are made from."""
    top = root.resolve()
    target = out.resolve()
    if target.is_relative_to(top) and not target.is_relative_to(top / "build"):
        raise UsageError(f"--out {out} lies inside the process directory",
                         hint="copi writes documents only to build/ inside the process, or to "
                              "a folder outside it")


def render(prepared: list[Prepared], formats: list[str], root: Path, out: Path,
           jobs: int | None = None,
           on_done: Callable[[Rendered], None] | None = None) -> list[Rendered]:
    """Convert every prepared document to every format, in parallel, and publish all outputs
    at once."""
    check_output_dir(root, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create the output folder {out}: {error.strerror}",
                        hint="choose another with --out DIR") from None
    tasks = [(p, fmt) for p in prepared for fmt in formats]
    written: list[tuple[Path, Rendered]] = []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    futures: dict = {}
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            try:
                for p, fmt in tasks:
                    futures[pool.submit(_convert_one, p, fmt, root, out)] = (p, fmt)
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
        _publish([(temporary, rendered.path) for temporary, rendered in written])
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
    order = {(p.document.id, fmt): index for index, (p, fmt) in enumerate(tasks)}
    return sorted((r for _, r in written), key=lambda r: order[(r.document.id, r.format)])


def _publish(moves: list[tuple[Path, Path]]) -> None:
    """Move every finished file into place, or none: an earlier output is set aside first and
    put back if any move fails (a folder where a file should go, a file open in Word)."""
    done: list[tuple[Path, Path | None]] = []  # (target, the earlier file set aside)
    try:
        for temporary, target in moves:
            aside = None
            if target.exists() or target.is_symlink():
                if target.is_dir() and not target.is_symlink():
                    raise UserError(f"cannot write {target}: a folder of that name is in the way",
                                    hint="move or remove the folder; nothing was written")
                aside = target.with_name(f".{target.name}.copi-{os.getpid()}.old")
                os.replace(target, aside)
            done.append((target, aside))
            os.replace(temporary, target)
    except BaseException as error:
        for target, aside in reversed(done):
            if aside is not None:
                os.replace(aside, target)
            else:
                target.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UserError(f"cannot write {error.filename or 'an output'}: {error.strerror}",
                            hint="check the output folder; nothing was written") from None
        raise
    for _, aside in done:
        if aside is not None:
            aside.unlink(missing_ok=True)


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
