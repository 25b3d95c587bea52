"""Rendering documents: workspace → context → Jinja2 → Markdown → pandoc (→ typst) → files.

1. prepare (one thread): for each document, the audience's view of the records
   (copi_cli.rendering.context), the template's Markdown (copi_cli.rendering.templating), a draft or
   internal notice; once every document is made — every text read, so everything cut known —
   the leak check of each public one: nothing that was cut from the sources may appear in it.
2. convert (in parallel: pandoc runs as its own process, so threads keep both cores busy): each
   document and format in a private temporary directory (copi_cli.rendering.conversion), kept
   in memory, with what it reads as (copi_cli.rendering.confidentiality.reading; a PDF by
   the typst source it is set from). A document starts converting as soon as it is made,
   while the next are prepared (`Conversions`); nothing reaches the output folder before
   preparation — leak check included — has finished without an error, and the leak check has
   read every public output as its reader will.
3. publish: every output is first written next to its target under a temporary name; only
   when all of them are done are they moved into place. An error or Ctrl-C half-way leaves the
   output folder as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from copi_cli.cpr import MASK, cpr_like
from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said, Worded, grouped, message, os_reason
from copi_cli.model.documents import Document
from copi_cli.model.workspace import FileKind, Workspace, load_layout
from copi_cli.rendering import formatting
from copi_cli.rendering.confidentiality import Guard, Needle, Refused, reading
from copi_cli.rendering.context import BUSINESS_CASE, Sources, sources_for, text_file
from copi_cli.rendering.conversion import Page, check_images, convert, inside
from copi_cli.rendering.templating import (
    MAX_MARKDOWN,
    environment,
    render_template,
    render_traced,
    uses_names,
)
from copi_cli.validation.pipeline import Report

if TYPE_CHECKING:  # read only when a document is refused
    from copi_cli.rendering.charts import Chart
    from copi_cli.rendering.provenance import Printed


class Prepared(NamedTuple):
    document: Document
    audience: str
    markdown: str
    page: Page
    source: str  # the text file the document is written from, for pictures ("" if none)
    # a public document's leak check, to ask once every document is prepared
    guard: Callable[[], Guard] | None = None
    root: Path | None = None  # the process it was made from, if not the one rendered into
    draft: tuple[str, ...] = ()  # why it is a draft (in English, for messages); () if final
    # where a needle came from and where the document got it, for the refusal's message
    explain: Callable[[Needle, Guard], tuple[str, Printed]] | None = None
    # the charts the document places, by the name its Markdown refers to each with
    charts: Mapping[str, Chart] = {}


class Rendered(NamedTuple):
    document: Document
    format: str
    path: Path


class Refusal(NamedTuple):
    """A document left out of a rendering of several, and why."""

    document: Document
    error: UserError


def _has_records(report: Report, kind: str) -> bool:
    ws = report.workspace
    assert ws is not None
    records = ws.all(kind)
    if not records:
        return False
    if load_layout().kind(kind).id_is_file_name or kind == "process":
        return True
    return any(isinstance(value, list) and value for value in records[0].data.values())


def _label(kind: FileKind) -> Worded:
    """A kind of record as a message names it: its label, in lower case."""
    return Worded({lang: label.lower() for lang, label in kind.label.items()})


def _notices(prepared_doc: dict, source: Document, audience: str, lang: str) -> str:
    parts = []
    document = prepared_doc["document"]
    if document["draft"]:
        why = []
        if "phase" in document["draft_reasons"]:
            why.append(message("render.draft-phase", lang, phase=document["phase"]["name"]))
        if "text" in document["draft_reasons"]:
            text = prepared_doc["text"]
            why.append(message("render.draft-text", lang, path=text["path"],
                               status=text["status"]))
        if "no-text" in document["draft_reasons"]:
            why.append(message("render.draft-no-text", lang, path=text_file(source)))
        note = message("render.draft-note", lang, why=" ".join(why))
        parts.append(f'::: {{.draft custom-style="Draft"}}\n{note}\n:::\n\n')
    if audience == "internal":
        parts.append(f'::: {{.internal custom-style="Internal"}}\n'
                     f'{message("render.internal-note", lang)}\n:::\n\n')
    return "".join(parts)


def _draft(context: dict, document: Document) -> tuple[str, ...]:
    """Why a document is a draft, in the words of an error message."""
    why: list[str] = []
    for reason in context["document"]["draft_reasons"]:
        if reason == "phase":
            why.append(Said("render.why-phase", phase=document.phase))
        elif reason == "text":
            why.append(Said("render.why-status", path=context["text"]["path"],
                            status=context["text"]["status"]))
        elif reason == "no-text":
            why.append(Said("render.why-no-text", path=text_file(document)))
    return tuple(why)


def joined(parts: Iterable[str]) -> str:
    """Parts said one after the other, each in the language of the whole: a; b; c."""
    whole: str = ""
    for part in parts:
        whole = Said("render.then", first=whole, then=part) if whole else part
    return whole


def brand_page(ws: Workspace) -> dict:
    """The fields of a Page that brand.yaml sets, for documents and worksheets alike; files
    only from inside the process. The author (PDF and Word metadata) is the organisation that
    sends the document: the brand's, else the facilitator's."""
    brand = ws.single_data("brand")
    root = ws.root
    facilitator = ws.process.get("facilitator")
    sender = facilitator.get("organisation") if isinstance(facilitator, dict) else None
    return {
        "organisation": brand.get("organisation"),
        "author": brand.get("organisation") or (sender if isinstance(sender, str) else None),
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
        raise UsageError(Said("render.internal-only", document=document.typed),
                         hint=Said("render.internal-only-hint"))
    return wanted


def prepare(report: Report, documents: Iterable[Document], audience: str | None,
            lang: str, today: dt.date,
            notes: list[tuple[str, str]] | None = None, skip: bool = False,
            published: bool = False) -> list[Prepared]:
    """Every document's Markdown, checked; nothing is written yet."""
    return list(prepare_each(report, documents, audience, lang, today, notes, skip,
                             published))


def prepare_each(report: Report, documents: Iterable[Document], audience: str | None,
                 lang: str, today: dt.date, notes: list[tuple[str, str]] | None = None,
                 skip: bool = False, published: bool = False,
                 refusals: list[Refusal] | None = None) -> Iterator[Prepared]:
    """Each document's Markdown as soon as it is made; nothing is written.

    today is the day the process is seen as of; with published, the day the documents were
    published, which then is their date (unless a text's front matter gives one).

    The leak check of the public documents comes last, once every text has been read: a
    document yielded is not cleared until the iterator is exhausted without an error, and
    nothing may be published before then.

    With skip (copi render all), a document whose records are not there yet, or whose text is
    confidential in a public render, is left out with a note instead of refused. notes also
    receives what the user should know (a Danish text in an English document). With refusals
    (several documents), a public document refused for what it would show is left out and
    recorded there; the others go on."""
    notes = notes if notes is not None else []
    skipped = notes if skip else None
    ws = report.workspace
    assert ws is not None
    root = ws.root
    env = environment(root, lang)
    brand = brand_page(ws)
    sources: dict[str, Sources] = {}
    made: list[tuple[Prepared, Sources]] = []
    guards: dict[int, Guard] = {}  # one per audience: everything cut, once all texts are read

    def guard_of(source: Sources) -> Callable[[], Guard]:
        def guard() -> Guard:
            if id(source) not in guards:
                guards[id(source)] = source.guard()
            return guards[id(source)]
        return guard
    for document in documents:
        chosen = audience_of(document, audience)
        missing = [kind for kind in document.requires if not _has_records(report, kind)]
        if missing and skipped is not None:
            kind = load_layout().kind(missing[0])
            skipped.append((document.id, Said("render.no-records", kinds=_label(kind),
                                              pattern=kind.pattern)))
            continue
        if missing:
            kind = load_layout().kind(missing[0])
            raise UserError(Said("render.no-records-for", document=document.typed,
                                 kinds=_label(kind), pattern=kind.pattern),
                            hint=Said("render.no-records-hint", name=document.name[lang]))
        if chosen not in sources:
            sources[chosen] = sources_for(report, chosen, lang, today, published)
        source = sources[chosen]
        if source.impossible is not None and uses_names(env, document.template, BUSINESS_CASE):
            _refuse(refusals, document, _impossible(document, source.impossible, lang))
            continue
        try:
            context = source.for_document(document)
        except Refused as refusal:  # a marking in its text that was not read as one
            _refuse(refusals, document, refusal)
            continue
        text = context.get("text")
        if text and text["confidential"] and chosen == "public" and skip:
            notes.append((document.id, Said("render.text-confidential", path=text["path"])))
            continue
        if text and text["confidential"] and chosen == "public":
            _refuse(refusals, document, Refused(
                Said("render.text-confidential-public", path=text["path"],
                     document=document.typed),
                hint=Said("render.text-confidential-hint")))
            continue
        if text and lang != ws.language:
            notes.append((document.id, Said("render.text-language", path=text["path"],
                                            process=ws.language, document=lang)))
        markdown = _notices(context, document, chosen, lang) + render_template(
            env, document.template, context)
        if len(markdown) > MAX_MARKDOWN:  # the template alone is stopped at the bound
            raise UserError(Said("render.too-long", document=document.typed,
                                 size=grouped(len(markdown)), most=grouped(MAX_MARKDOWN)),
                            hint=Said("render.too-long-hint",
                                      what=text["path"] if text else Said("render.its-records"),
                                      template=document.template))
        placed = {name: chart for name, chart in source.charts.items() if name in markdown}
        check_images(markdown, root, text["path"] if text else "", placed)
        if chosen == "public":
            try:
                _refuse_restricted_pictures(markdown, source, document,
                                            (root / text["path"]).parent if text else root)
            except Refused as refusal:
                _refuse(refusals, document, refusal)
                continue
        process = context["process"]
        title = (text or {}).get("title") or document.name[lang]
        issued = context["document"]["date"]  # the one date of the document, ISO
        page = Page(
            title=title,
            subtitle=process["title"] if process["title"] and process["title"] not in title
            else None,
            date=formatting.date(issued, lang),
            lang=lang,
            footer=f"{process['title']} · {document.name[lang]}",
            draft_label=message("render.draft", lang) if context["document"]["draft"] else None,
            internal_label=message("render.internal", lang) if chosen == "internal" else None,
            **brand,
            reference_docx=_reference_docx(root, lang),
            audience=chosen,
            date_iso=issued,
        )
        held = _starter_guidance(report, document, markdown, page) if chosen == "public" \
            else None
        if held is not None and skipped is not None:
            notes.append((document.id, Said("render.guidance-held", where=held[0])))
            continue
        if held is not None:
            where, shown, path, places = held
            _refuse(refusals, document, Refused(
                Said("render.guidance", document=document.typed, where=where, shown=shown),
                hint=Said("render.guidance-hint", path=path, places=places,
                          then=_not_written(refusals is None))))
            continue
        made.append((Prepared(document, chosen, markdown, page, text["path"] if text else "",
                              guard_of(source) if chosen == "public" else None, root,
                              _draft(context, document),
                              _explainer(env, source, document, context, text), placed),
                     source))
        yield made[-1][0]
    for prepared, _ in made:
        if prepared.guard is not None:
            try:
                _refuse_leaks(prepared, prepared.guard(), alone=refusals is None)
            except Refused as refusal:
                _refuse(refusals, prepared.document, refusal)


def _impossible(document: Document, finding: Diagnostic, lang: str) -> Refused:
    """A document that shows the potential calculation, refused at the finding (R036) that
    makes the calculation impossible."""
    return Refused(Said("render.impossible", document=document.typed, name=document.name[lang],
                        where=f"{finding.path}:{finding.line}:{finding.col}",
                        finding=finding.message), hint=finding.hint)


def _refuse(refusals: list[Refusal] | None, document: Document, refusal: Refused) -> None:
    """A document refused: alone, the command fails; with others, it is left out."""
    if refusals is None:
        raise refusal
    refusals.append(Refusal(document, refusal))


def _explainer(env: Any, source: Sources, document: Document, context: dict,
               text: dict | None) -> Callable[[Needle, Guard], tuple[str, Printed]]:
    """Where a needle in this document was cut from, and where the document got it."""
    def explain(needle: Needle, guard: Guard) -> tuple[str, Printed]:
        from copi_cli.rendering.provenance import origin_shown, printed_at

        root = source.ws.root
        return (origin_shown(root, needle, guard),
                printed_at(needle, guard, root, source.ws, text["path"] if text else "",
                           lambda: render_traced(env, document.template, context)))
    return explain


def _starter_guidance(report: Report, document: Document, markdown: str,
                      page: Page) -> tuple[str, str, str, str] | None:
    """The first piece of copi's starter guidance a public document would print, as (where,
    the text found, the file to edit, where to find every place): placed in the process by
    its R026 finding, or in the template when a process's own template wrote it.

    Where to find every place says what copi validate does: it lists a text's prompts only
    from the phase of its document on (the declaration's from phase 6), so before then the
    refusal names the lines itself rather than send the user to a list without them."""
    from copi_cli.model import guidance
    from copi_cli.validation.rules.guidance import document_phase, due, located_guidance

    printed = {found.guidance.id for found in guidance.find(
        "\n\n".join([markdown, page.title, page.subtitle or ""]))}
    if not printed:
        return None
    ws = report.workspace
    assert ws is not None
    found = [located for located in located_guidance(ws)
             if located.found.guidance.id in printed]
    if not found:
        entry = guidance.guidance(sorted(printed)[0])
        return (document.template, guidance.excerpt(entry, page.lang), document.template,
                Said("render.guidance-in-template"))
    where = found[0].finding
    text = next((record for record in ws.all("text") if record.path == where.path), None)
    if text is None or due(ws, text):
        places = Said("render.guidance-everywhere")
    else:
        lines = sorted({located.finding.line for located in found
                        if located.finding.path == where.path})
        shown: str = str(lines[-1])
        if len(lines) > 1:
            shown = Said("render.and", items=", ".join(map(str, lines[:-1])), last=shown)
        places = Said("render.guidance-lines" if len(lines) > 1 else "render.guidance-line",
                      lines=shown, phase=document_phase(text))
    return f"{where.path}:{where.line}", found[0].shown, where.path, places


def _refuse_restricted_pictures(markdown: str, source: Sources, document: Document,
                                base: Path) -> None:
    """A picture that is material not published to all (a supplier's own slides) stays out
    of a public document, wherever a text refers to it and however the path is written."""
    for wanted in source.view.withheld_pictures(markdown, source.ws.root, base,
                                                source.public_texts())[:1]:
        raise Refused(Said("render.picture-restricted", document=document.typed, picture=wanted),
                      hint=Said("render.picture-restricted-hint"))


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
            raise UserError(Said("render.reference-docx", path=candidate),
                            hint=Said("render.reference-docx-hint"))
        return found
    return None


# What a needle is, in the message that refuses it, by why it was cut.
_CUT_AS = {"personal": "render.cut-personal", "secret": "render.cut-secret",
           "confidential": "render.cut-confidential", "internal": "render.cut-internal",
           "withheld": "render.cut-withheld"}


def _refuse_leaks(prepared: Prepared, guard: Guard, output: tuple[str, str] | None = None,
                  alone: bool = True) -> None:
    """Refuse a public document holding what was cut: its Markdown with the page around it,
    or one output (format, what it reads as). The message shows the first needle as its
    source writes it and where it is recorded; the hint, where the document got it."""
    page = prepared.page
    read = output[1] if output else "\n".join(
        [prepared.markdown, page.title, page.subtitle or "", page.footer or ""])
    _refuse_cpr(prepared, read, output, alone)
    leaks = guard.findings(read, besides=prepared.source)
    if not leaks:
        return
    needle = leaks[0]
    written = needle.written()
    shown = written if len(written) <= 60 else written[:57] + "…"
    from copi_cli.rendering.provenance import Printed

    origin, printed = (prepared.explain(needle, guard) if prepared.explain
                       else ("", Printed()))
    cut_as = _CUT_AS.get(needle.origin.reason, "") if needle.origin else ""
    where = f"{prepared.document.id} ({output[0]})" if output else prepared.document.id
    raise Refused(Said("render.leak", where=where, shown=shown,
                       why=Said("render.leak-why", cut_as=Said(cut_as), origin=origin)
                       if origin and cut_as else "", more=_more(len(leaks) - 1)),
                  hint=Said("render.then", first=printed.hint(prepared.source),
                            then=_not_written(alone)))


def _more(more: int) -> str:
    """ (and 2 more), after the first of several; nothing after the only one."""
    return Said("render.and-more", n=more) if more > 0 else ""


def _not_written(alone: bool) -> Said:
    """What a refusal left unwritten: everything, when the document was rendered alone."""
    return Said("render.nothing-written" if alone else "render.document-not-written")


def _refuse_cpr(prepared: Prepared, read: str, output: tuple[str, str] | None,
                alone: bool) -> None:
    """Refuse a public document holding a CPR-like number (R032), however it got there: a
    citizen's number has no place in what is published. The message places it in the document
    and never repeats it."""
    found = cpr_like(read)
    if not found:
        return
    line = read.count("\n", 0, found[0].start()) + 1
    where = f"{prepared.document.id} ({output[0]})" if output else prepared.document.id
    raise Refused(Said("render.cpr", where=where, line=line, mask=MASK,
                       more=_more(len(found) - 1)),
                  hint=Said("render.cpr-hint", then=_not_written(alone)))


def output_dir(root: Path, out: Path | None) -> Path:
    return out if out is not None else root / "build"


def check_output_dir(root: Path, out: Path) -> None:
    """Inside the process, copi writes only under build/: --out tekster would overwrite the
    texts the documents are made from."""
    top = root.resolve()
    target = Path(os.path.realpath(out))
    if target.is_relative_to(top) and not target.is_relative_to(top / "build"):
        raise UsageError(Said("render.out-inside", out=out), hint=Said("render.out-inside-hint"))


def open_output_dir(root: Path, out: Path) -> int:
    """The output folder, made if missing, as an open descriptor that every write goes
    through.

    The path is walked a folder at a time from /. Outside the process a link is followed —
    the user named the place, their /tmp may be a link — but inside it a link is refused:
    a `build` link committed to the process must not send copi's writes (and the internal
    status report) wherever it points."""
    check_output_dir(root, out)
    top = root.resolve()
    parts = Path(os.path.abspath(out)).parts
    current = Path(parts[0])
    folder = os.open(current, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[1:]:
            inside = current.is_relative_to(top)
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=folder)
            found = os.stat(part, dir_fd=folder, follow_symlinks=False)
            shown = _shown(current / part, top)
            if stat.S_ISLNK(found.st_mode) and inside:
                raise UserError(Said("render.out-link", path=shown),
                                hint=Said("render.out-link-hint"))
            inner = os.open(part, os.O_RDONLY | _DIRECTORY
                            | (0 if stat.S_ISLNK(found.st_mode) else _NOFOLLOW), dir_fd=folder)
            os.close(folder)
            folder = inner
            current = (Path(os.path.realpath(current / part)) if stat.S_ISLNK(found.st_mode)
                       else current / part)
    except OSError as error:
        os.close(folder)
        raise UserError(Said("render.out-unmade", out=out, reason=os_reason(error)),
                        hint=Said("render.out-unmade-hint")) from None
    except BaseException:
        os.close(folder)
        raise
    if current.is_relative_to(top) and not current.is_relative_to(top / "build"):
        os.close(folder)  # reached through links outside the process, back into it
        raise UsageError(Said("render.out-inside", out=out), hint=Said("render.out-inside-hint"))
    _clean_stale(folder)
    return folder


_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# The temporary names copi writes outputs under (.<name>.copi-<pid>-<n>.tmp) and sets earlier
# outputs aside as (.<name>.copi-<pid>.old), until they are moved into place.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.copi-(?P<pid>\d+)(?:-\d+)?\.(?P<kind>tmp|old)$")


def _shown(path: Path, top: Path) -> str:
    return path.relative_to(top).as_posix() if path.is_relative_to(top) else str(path)


def _clean_stale(folder: int) -> None:
    """Temporary files of a copi that was killed while publishing: gone, and an earlier output
    it had set aside put back if nothing has taken its place."""
    for name in os.listdir(folder):
        match = _TEMPORARY.match(name)
        if match is None or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            if match["kind"] == "old" and not _exists(match["name"], folder):
                os.replace(name, match["name"], src_dir_fd=folder, dst_dir_fd=folder)
            else:
                os.unlink(name, dir_fd=folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def _exists(name: str, folder: int) -> bool:
    try:
        os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def write_output(folder: int, name: str, content: bytes) -> None:
    """One file into the output folder: whole, never through a link."""
    temporary = write_temporary(folder, name, content, 0)
    try:
        move_into_place(folder, [(temporary, name)])
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)


def render(prepared: Iterable[Prepared], formats: list[str], root: Path, out: Path,
           jobs: int | None = None,
           on_done: Callable[[Rendered], None] | None = None) -> list[Rendered]:
    """Convert every prepared document to every format, in parallel, and publish all outputs
    at once. prepared may be prepare_each(…): conversion starts while it is read."""
    with Conversions(formats, root, jobs) as conversions:
        for document in prepared:
            conversions.start(document)
        return conversions.publish(out, on_done)


class Conversions:
    """Documents converted in the background while the next are prepared; the outputs stay in
    memory until publish(). Leaving the block without publishing — an error in a later
    document, its leak check, Ctrl-C — cancels what has not started, waits for the rest and
    drops them: nothing has been written but the conversions' own temporary directories,
    which are gone too."""

    def __init__(self, formats: list[str], root: Path, jobs: int | None = None,
                 refusals: list[Refusal] | None = None) -> None:
        self.formats = formats
        self.root = root
        # with several documents: those refused, left out (prepare_each records its own)
        self.refusals = refusals
        self.pool = ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1))
        self.tasks: list[tuple[Prepared, str, Future[tuple[bytes, str]]]] = []

    def __enter__(self) -> Conversions:
        return self

    def __exit__(self, *exc: object) -> None:
        for _, _, future in self.tasks:
            future.cancel()
        self.pool.shutdown(wait=True)

    @property
    def count(self) -> int:
        return len(self.tasks)

    def start(self, prepared: Prepared) -> None:
        for fmt in self.formats:
            self.tasks.append((prepared, fmt,
                               self.pool.submit(_convert_one, prepared, fmt, self.root)))

    def collect(self) -> list[tuple[Prepared, str, bytes]]:
        """Every output in memory, in the order started, each through the leak check of a
        public document; nothing is written."""
        outputs = []
        for prepared, fmt, future in self.tasks:
            content, read = future.result()
            if prepared.guard is not None:
                _refuse_leaks(prepared, prepared.guard(), (fmt, read))
            outputs.append((prepared, fmt, content))
        return outputs

    def publish(self, out: Path, on_done: Callable[[Rendered], None] | None = None
                ) -> list[Rendered]:
        """Wait for every conversion; write each output next to its target under a temporary
        name, then move them all into place at once — those of a refused document left out
        when there are several (self.refusals)."""
        folder = open_output_dir(self.root, out)
        index = {future: (p, fmt) for p, fmt, future in self.tasks}
        written: list[tuple[str, Rendered]] = []
        refused = {r.document.id for r in self.refusals or ()}
        try:
            for future in as_completed(index):
                p, fmt = index[future]
                if p.document.id in refused:
                    continue
                name = p.document.file_name(p.page.lang, p.audience, fmt)
                rendered = Rendered(p.document, fmt, out / name)
                content, read = future.result()
                if p.guard is not None:
                    try:
                        _refuse_leaks(p, p.guard(), (fmt, read), self.refusals is None)
                    except Refused as refusal:
                        _refuse(self.refusals, p.document, refusal)
                        refused.add(p.document.id)
                        continue
                written.append((write_temporary(folder, name, content, id(p)), rendered))
                if on_done:
                    on_done(rendered)
            move_into_place(folder, [(temporary, rendered.path.name)
                                     for temporary, rendered in written
                                     if rendered.document.id not in refused])
        finally:
            for temporary, _ in written:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=folder)
            os.close(folder)
        order = {(p.document.id, fmt): n for n, (p, fmt, _) in enumerate(self.tasks)}
        return sorted((r for _, r in written if r.document.id not in refused),
                      key=lambda r: order[(r.document.id, r.format)])


def move_into_place(folder: int, moves: list[tuple[str, str]]) -> None:
    """Move every finished file into place in the output folder, or none: an earlier output is
    set aside first and put back if any move fails (a folder where a file should go, a file
    open in Word, a link in the way)."""
    done: list[tuple[str, str | None]] = []  # (target, the earlier file set aside)
    try:
        for temporary, target in moves:
            aside = None
            try:
                found = os.stat(target, dir_fd=folder, follow_symlinks=False)
            except FileNotFoundError:
                found = None
            if found is not None:
                if stat.S_ISDIR(found.st_mode):
                    raise UserError(Said("render.folder-in-way", target=target),
                                    hint=Said("render.folder-in-way-hint"))
                if stat.S_ISLNK(found.st_mode):
                    raise UserError(Said("render.link-in-way", target=target),
                                    hint=Said("render.link-in-way-hint"))
                aside = f".{target}.copi-{os.getpid()}.old"
                os.replace(target, aside, src_dir_fd=folder, dst_dir_fd=folder)
            done.append((target, aside))
            os.replace(temporary, target, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException as error:
        for target, aside in reversed(done):
            if aside is not None:
                os.replace(aside, target, src_dir_fd=folder, dst_dir_fd=folder)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target, dir_fd=folder)
        if isinstance(error, OSError):
            raise UserError(Said("render.unwritable", target=error.filename
                                 or Said("render.an-output"), reason=os_reason(error)),
                            hint=Said("render.unwritable-hint")) from None
        raise
    for _, aside in done:
        if aside is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(aside, dir_fd=folder)


def refuse_obstacles(folder: int, names: list[str]) -> None:
    """Refuse, before anything is done, a folder or a symbolic link where an output goes
    (move_into_place would refuse it too, but only once the outputs are made)."""
    for name in names:
        try:
            found = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(found.st_mode) or stat.S_ISLNK(found.st_mode):
            what = "render.a-folder" if stat.S_ISDIR(found.st_mode) else "render.a-link"
            raise UserError(Said("render.in-the-way", target=name, what=Said(what)),
                            hint=Said("render.in-the-way-hint"))


def _convert_one(prepared: Prepared, fmt: str, root: Path) -> tuple[bytes, str]:
    """One output, and for a public document what it reads as (for the leak check)."""
    root = prepared.root or root
    base = (root / prepared.source).parent if prepared.source else root
    source: list[str] = []
    with tempfile.TemporaryDirectory(prefix="copi-render-") as workdir:
        content = convert(prepared.markdown, fmt, prepared.page, root, base, Path(workdir),
                          source, where=prepared.source or prepared.document.id,
                          charts=prepared.charts)
    if prepared.guard is None:
        return content, ""
    # a chart is a picture the leak check cannot read: the words it shows are read instead
    shown = [text for chart in prepared.charts.values() for text in chart.texts]
    return content, "\n".join([reading(fmt, source[0].encode("utf-8") if source else content),
                               *shown])


def write_temporary(folder: int, target: str, content: bytes, number: int) -> str:
    """content under a temporary name beside target, made new (never through a link)."""
    temporary = f".{target}.copi-{os.getpid()}-{number}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW,
                             0o666, dir_fd=folder)
        with open(descriptor, "wb") as handle:
            handle.write(content)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise UserError(Said("render.unwritable", target=target, reason=os_reason(error)),
                        hint=Said("render.check-out-hint")) from None
    return temporary
