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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from copi_cli.cpr import MASK, cpr_like
from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import UsageError, UserError
from copi_cli.messages import message
from copi_cli.model.documents import Document
from copi_cli.model.workspace import Workspace, load_layout
from copi_cli.rendering import formatting
from copi_cli.rendering.confidentiality import Guard, Needle, Refused, reading
from copi_cli.rendering.context import BUSINESS_CASE, Sources, text_file
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
    why = []
    for reason in context["document"]["draft_reasons"]:
        if reason == "phase":
            why.append(f"the process has never reached its phase ({document.phase})")
        elif reason == "text":
            why.append(f"{context['text']['path']} has status: {context['text']['status']}")
        elif reason == "no-text":
            why.append(f"{text_file(document)} is not written yet")
    return tuple(why)


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
        raise UsageError(f"{document.id} is an internal document and cannot be rendered for "
                         "the public", hint="leave out --audience, or use --audience internal")
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
                guards[id(source)] = source.view.guard()
                guards[id(source)].allow(source.public_texts(), source.public_people(),
                                        source.public_places())
                guards[id(source)].wording = source.public_wording
            return guards[id(source)]
        return guard
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
            sources[chosen] = Sources(report, chosen, lang, today, published)
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
            notes.append((document.id, f"{text['path']} is marked confidential"))
            continue
        if text and text["confidential"] and chosen == "public":
            _refuse(refusals, document, Refused(
                f"{text['path']} is marked confidential: it cannot become the public "
                f"{document.id}", hint="render it with --audience internal, or remove "
                "'confidential: true' from the text when it may be published"))
            continue
        if text and lang != ws.language:
            notes.append((document.id, f"{text['path']} is written in the process's language "
                                       f"({ws.language}); the {lang} document uses it as it is"))
        markdown = _notices(context, document, chosen, lang) + render_template(
            env, document.template, context)
        if len(markdown) > MAX_MARKDOWN:  # the template alone is stopped at the bound
            raise UserError(f"{document.id}: the document would hold {len(markdown):,} "
                            f"characters of Markdown; copi renders at most {MAX_MARKDOWN:,}",
                            hint=f"shorten {text['path'] if text else 'its records'}, or the "
                                 f"template {document.template}; nothing was written")
        check_images(markdown, root, text["path"] if text else "")
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
            notes.append((document.id, f"{held[0]} still holds copi's starter guidance; not "
                                       "rendered for the public"))
            continue
        if held is not None:
            where, shown, path, places = held
            _refuse(refusals, document, Refused(
                f"{document.id}: {where}: the public document would print copi's starter "
                f"guidance: \"{shown}\"", hint=f"write your own text in {path} in its place "
                f"({places}); --audience internal renders it as it is; "
                + ("nothing was written" if refusals is None else "the document was not written")))
            continue
        made.append((Prepared(document, chosen, markdown, page, text["path"] if text else "",
                              guard_of(source) if chosen == "public" else None, root,
                              _draft(context, document),
                              _explainer(env, source, document, context, text)),
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
    return Refused(f"{document.id}: {document.name[lang]} shows the potential calculation, which "
                   f"cannot be made: {finding.path}:{finding.line}:{finding.col}: "
                   f"{finding.message}", hint=finding.hint)


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
                "copi validate does not read templates")
    where = found[0].finding
    text = next((record for record in ws.all("text") if record.path == where.path), None)
    if text is None or due(ws, text):
        places = "copi validate lists every place: R026"
    else:
        lines = sorted({located.finding.line for located in found
                        if located.finding.path == where.path})
        shown = ", ".join(map(str, lines[:-1])) + (" and " if len(lines) > 1 else "") + \
            str(lines[-1])
        places = (f"line{'s' if len(lines) > 1 else ''} {shown}; copi validate lists a text's "
                  f"guidance from the phase of its document on, here phase "
                  f"{document_phase(text)}")
    return f"{where.path}:{where.line}", found[0].shown, where.path, places


def _refuse_restricted_pictures(markdown: str, source: Sources, document: Document,
                                base: Path) -> None:
    """A picture that is material not published to all (a supplier's own slides) stays out
    of a public document, wherever a text refers to it and however the path is written."""
    for wanted in source.view.withheld_pictures(markdown, source.ws.root, base,
                                                source.public_texts())[:1]:
        raise Refused(f"{document.id}: the picture {wanted} is material that is not "
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


# What a needle is, in the message that refuses it, by why it was cut.
_CUT_AS = {"personal": "personal data", "secret": "a business secret",
           "confidential": "confidential", "internal": "an internal note",
           "withheld": "the name of a record not shown"}


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
    raise Refused(f"{where}: the public document would contain "
                  f"confidential material or personal data: \"{shown}\""
                  + (f" ({cut_as}, {origin})" if origin and cut_as else "")
                  + (f" (and {len(leaks) - 1} more)" if len(leaks) > 1 else ""),
                  hint=printed.hint(prepared.source) + "; "
                  + ("nothing was written" if alone else "the document was not written"))


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
    raise Refused(f"{where}: line {line} of the public document would contain a number like "
                  f"a CPR number ({MASK})"
                  + (f" (and {len(found) - 1} more)" if len(found) > 1 else ""),
                  hint="remove it from the text or record it comes from (copi validate shows "
                  "each as R032 at its line); "
                  + ("nothing was written" if alone else "the document was not written"))


def output_dir(root: Path, out: Path | None) -> Path:
    return out if out is not None else root / "build"


def check_output_dir(root: Path, out: Path) -> None:
    """Inside the process, copi writes only under build/: --out tekster would overwrite the
    texts the documents are made from."""
    top = root.resolve()
    target = Path(os.path.realpath(out))
    if target.is_relative_to(top) and not target.is_relative_to(top / "build"):
        raise UsageError(f"--out {out} lies inside the process directory",
                         hint="copi writes documents only to build/ inside the process, or to "
                              "a folder outside it")


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
                raise UserError(f"{shown} is a symbolic link inside the process: copi writes "
                                "documents only into real folders there",
                                hint="remove the link (build/ is copi's own folder and need not "
                                     "be committed), or choose a folder outside the process "
                                     "with --out DIR; nothing was written")
            inner = os.open(part, os.O_RDONLY | _DIRECTORY
                            | (0 if stat.S_ISLNK(found.st_mode) else _NOFOLLOW), dir_fd=folder)
            os.close(folder)
            folder = inner
            current = (Path(os.path.realpath(current / part)) if stat.S_ISLNK(found.st_mode)
                       else current / part)
    except OSError as error:
        os.close(folder)
        raise UserError(f"cannot create the output folder {out}: {error.strerror}",
                        hint="choose another with --out DIR") from None
    except BaseException:
        os.close(folder)
        raise
    if current.is_relative_to(top) and not current.is_relative_to(top / "build"):
        os.close(folder)  # reached through links outside the process, back into it
        raise UsageError(f"--out {out} lies inside the process directory",
                         hint="copi writes documents only to build/ inside the process, or to "
                              "a folder outside it")
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
                    raise UserError(f"cannot write {target}: a folder of that name is in the way",
                                    hint="move or remove the folder; nothing was written")
                if stat.S_ISLNK(found.st_mode):
                    raise UserError(f"cannot write {target}: a symbolic link of that name is in "
                                    "the way, and copi does not write through links",
                                    hint="remove the link; nothing was written")
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
            raise UserError(f"cannot write {error.filename or 'an output'}: {error.strerror}",
                            hint="check the output folder; nothing was written") from None
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
            what = "folder" if stat.S_ISDIR(found.st_mode) else "symbolic link"
            raise UserError(f"cannot write {name}: a {what} of that name is in the way",
                            hint="move or remove it; nothing was written")


def _convert_one(prepared: Prepared, fmt: str, root: Path) -> tuple[bytes, str]:
    """One output, and for a public document what it reads as (for the leak check)."""
    root = prepared.root or root
    base = (root / prepared.source).parent if prepared.source else root
    source: list[str] = []
    with tempfile.TemporaryDirectory(prefix="copi-render-") as workdir:
        content = convert(prepared.markdown, fmt, prepared.page, root, base, Path(workdir),
                          source, where=prepared.source or prepared.document.id)
    if prepared.guard is None:
        return content, ""
    return content, reading(fmt, source[0].encode("utf-8") if source else content)


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
        raise UserError(f"cannot write {target}: {error.strerror}",
                        hint="check the output folder (--out DIR)") from None
    return temporary
