"""From a document's Markdown to PDF, DOCX, HTML or Markdown: pandoc, and typst for PDF.

- pandoc is the binary bundled in the pypandoc-binary wheel, started directly (pypandoc's own
  convert functions start two more pandoc processes per call to list formats), always with
  `--sandbox`: a document cannot make pandoc read a file (`![x](/etc/passwd)` would otherwise
  embed it in a DOCX). The Markdown reader has raw HTML, raw TeX and raw blocks switched off, so
  text from a process repo stays text in every format; metadata blocks too (a text's own
  `title:` or `primary:` would reach the page template), and citations, which make the reader
  exponential on a run of `[` (copi's documents cite nothing).
- copi's Lua filter (templates/pandoc/safe.lua) drops every attribute but custom-style, every
  link that is not http(s) or mailto and every picture copi did not place: pandoc's {…}
  attribute syntax would otherwise carry onclick or javascript: into HTML and Word. For typst it
  ends every call pandoc writes (#emph[x]) with an empty comment, so the text after it stays
  text. The page's free text (title, footer, …) reaches pandoc in a file, never on its command
  line.
- The sandbox also refuses legitimate images, so copi hands them over itself: an image in a
  text must be a picture file inside the process directory (no data: URIs); it is embedded as
  data for HTML and DOCX and copied next to the typst source for PDF. An SVG must be a plain
  drawing: no scripts, event handlers, foreign HTML, animation, entities or links to other files.
- PDF: pandoc writes typst (A4, copi's page in templates/pandoc/copi.typst), and the typst
  package compiles it in a child Python (kept for the next PDF) with its root in a private
  temporary folder, so typst can read nothing else. Only typst's bundled fonts and the process's
  own font files are used: the same PDF on every machine. Its metadata carries the title, the
  author (Page.author) and the language; the catalog loses a default poppler misreads.
- DOCX: pandoc's, with the author as creator, every table row kept whole on its page, and
  dated by the document's date (the parts pandoc compressed copied as they are).
- Every date inside the files is the document's date (Page.date_iso): the PDF's creation
  time, the DOCX's core properties and part times. The same revision renders to the same bytes
  on any day.
- Markdown: GitHub-flavoured (CommonMark and tables), written by pandoc after the filter, with
  only the escapes it needs, to paste into a CMS or an e-mail.
- Every pandoc run and every PDF is bounded: SECONDS of wall clock (pandoc's CPU too), MEMORY
  bytes of data (pandoc's own heap limit as well). A child over its bound is stopped and the
  user told which document it was (exit 3), never left hanging.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import importlib.util
import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Collection, Mapping
from functools import cache
from pathlib import Path
from typing import IO, NamedTuple, Protocol

from copi_cli.errors import EnvironmentProblem, UserError
from copi_cli.messages import Said, os_reason
from copi_cli.resources import shipped_dir

READER = ("markdown-raw_html-raw_tex-raw_attribute-citations-yaml_metadata_block"
          "-pandoc_title_block")
SECONDS = 60  # wall clock and CPU time of one pandoc or typst run
MEMORY = 2 * 1024 ** 3  # bytes of data one pandoc or typst run may use
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".svg", ".gif"}


class Page(NamedTuple):
    """What surrounds the body: metadata pandoc escapes, and variables copi has checked."""

    title: str
    subtitle: str | None
    date: str | None
    lang: str
    footer: str | None
    draft_label: str | None
    internal_label: str | None
    organisation: str | None = None
    primary: str | None = None  # #rrggbb, checked by the brand schema
    accent: str | None = None
    font: str | None = None  # a font family name, checked by the brand schema
    logo: Path | None = None  # inside the process directory
    font_files: tuple[Path, ...] = ()
    reference_docx: Path | None = None
    audience: str = "public"
    author: str | None = None  # the organisation that sends it: the PDF's and DOCX's author
    date_iso: str | None = None  # the document's date (YYYY-MM-DD): every date in the files


class Chart(Protocol):
    """A picture copi draws itself (rendering.charts.Chart): SVG and PNG on demand."""

    @property
    def name(self) -> str: ...

    def svg(self) -> str: ...

    def png(self) -> bytes: ...


class ConversionError(UserError):
    """pandoc or typst refused the document."""


class ConversionStopped(EnvironmentProblem):
    """pandoc or typst went over its bounds of time or memory and was stopped."""


@cache
def pandoc_path() -> str:
    """The pandoc binary of the pypandoc-binary wheel, found without importing pypandoc."""
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
            if candidate.is_file():
                return str(candidate)
    found = shutil.which("pandoc")
    if found:
        return found
    raise EnvironmentProblem(Said("convert.missing", tool="pandoc"),
                             hint=Said("convert.missing-hint"))


def inside(root: Path, relative: str, base: Path | None = None) -> Path | None:
    """The file a document names, if it lies inside the process directory."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", relative) or relative.startswith(("/", "\\")):
        return None
    top = root.resolve()
    for start in ([base] if base else []) + [root]:
        candidate = (start / relative).resolve()
        if candidate.is_relative_to(top) and candidate.is_file():
            return candidate
    return None


def check_images(markdown: str, root: Path, source: str,
                 charts: Collection[str] = ()) -> None:
    """Refuse an image a document cannot carry: outside the process, missing, remote, data
    written into the text, or an SVG that is more than a drawing. charts are the names of the
    document's charts, which copi makes itself."""
    base = (root / source).parent if source else root
    for match in _IMAGE.finditer(markdown):
        path = match.group("path")
        if path in charts:
            continue
        if path[:5].lower() == "data:":
            raise UserError(Said("convert.data-uri", where=_located(root, source, match.group(0))),
                            hint=Said("convert.data-uri-hint"))
        found = inside(root, path, base)
        if found is None and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^[/\\]", path) and all(
                (start / path).resolve().is_relative_to(root.resolve())
                for start in (base, root)):
            raise UserError(Said("convert.no-picture", source=source
                                 or Said("convert.template"), path=path),
                            hint=Said("convert.no-picture-hint"))
        if found is None or found.suffix.lower() not in IMAGE_TYPES:
            raise UserError(Said("convert.not-a-picture", source=source
                                 or Said("convert.template"), path=path),
                            hint=Said("convert.not-a-picture-hint"))
        check_picture(found, _located(root, source, match.group(0)), path)


def check_picture(found: Path, where: str, shown: str) -> None:
    """Refuse an SVG that is more than a drawing (see unsafe_svg)."""
    if found.suffix.lower() != ".svg":
        return
    reason = unsafe_svg(found.read_bytes())
    if reason:
        raise UserError(Said("convert.svg-unsafe", where=where, path=shown,
                                reason=reason),
                        hint=Said("convert.svg-hint"))


def _located(root: Path, source: str, needle: str) -> str:
    """source:line of the first line of the text that holds needle; the source alone if no
    line does (the template wrote it), 'template' when there is no text."""
    if not source:
        return Said("convert.template")
    try:
        text = (root / source).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return source
    probe = needle[:60]
    for number, line in enumerate(text.splitlines(), start=1):
        if probe in line:
            return f"{source}:{number}"
    return source


# An SVG is a drawing: these elements and nothing else of SVG's namespace; the metadata drawing
# programs keep (Inkscape, Sodipodi, RDF, Dublin Core, Creative Commons) is inert and kept.
_SVG = "http://www.w3.org/2000/svg"
_SVG_ELEMENTS = frozenset((
    "svg", "g", "defs", "desc", "title", "metadata", "symbol", "use", "switch", "a", "image",
    "style", "text", "tspan", "textPath", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "marker", "pattern", "clipPath", "mask", "view", "linearGradient",
    "radialGradient", "stop", "filter", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence"))
_INERT_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#", "http://web.resource.org/cc/",
    "http://purl.org/dc/terms/", "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/SaveForWeb/1.0/", "http://ns.adobe.com/Extensibility/1.0/",
})
_XLINK = "{http://www.w3.org/1999/xlink}href"
_PICTURE_DATA = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)[;,]", re.IGNORECASE)
_CSS_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:",
                      re.IGNORECASE)


def unsafe_svg(data: bytes) -> str | None:
    """What makes an SVG more than a drawing, or None: a script, an event handler, foreign
    (HTML) content, animation, an entity or document type, a link to another file or a web
    address (a picture may embed PNG, JPEG, GIF or WebP data, and a link may go to the web).
    A reader of a DOCX or an HTML file opens the SVG as it is, so copi carries only drawings;
    it does not rewrite a picture behind its author's back."""
    import xml.etree.ElementTree as ET

    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return "<!DOCTYPE>/<!ENTITY>"
    try:
        tree = ET.fromstring(data)
    except ET.ParseError as error:
        return Said("convert.svg-not-xml", error=str(error))
    for element in tree.iter():
        tag = str(element.tag)  # comments and processing instructions are not kept
        namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if namespace == _SVG or namespace == "":
            if name not in _SVG_ELEMENTS:
                return f"<{name}>"
        elif namespace not in _INERT_NAMESPACES:
            return f"<{name}> ({namespace})"
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on"):
                return f"{local}="
            if local == "href" or attribute == _XLINK:
                target = value.strip()
                if target.startswith("#") or _PICTURE_DATA.match(target):
                    continue
                if name == "a" and re.match(r"(?i)(https?|mailto):", target):
                    continue
                return f"href={target[:40]}"
            if local == "style" and _CSS_URL.search(value):
                return "style=url(…)"
        if name == "style" and _CSS_URL.search("".join(element.itertext())):
            return "<style> url(…)"
    return None


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _images(markdown: str, root: Path, base: Path, fmt: str, workdir: Path,
            charts: Mapping[str, Chart] | None = None) -> str:
    """Images as the sandbox allows: data for HTML/DOCX, copies in typst's root for PDF; the
    document's charts (by the names the Markdown refers to them with) as SVG data in HTML, a
    PNG in Word and an SVG beside the typst source."""
    copies: dict[Path, str] = {}
    charts = charts or {}

    def replace(match: re.Match[str]) -> str:
        path = match.group("path")
        if path in charts:
            return match.group(0)
        found = inside(root, path, base)
        if found is None:  # refused earlier by check_images; never reached
            raise UserError(Said("convert.image-outside", path=path))
        if fmt == "pdf":
            if found not in copies:
                copies[found] = f"image-{len(copies) + 1}{found.suffix.lower()}"
                shutil.copyfile(found, workdir / copies[found])
            target = copies[found]
        else:
            target = _data_uri(found)
        return f"![{match.group('alt')}]({target}{match.group('title') or ''})"

    markdown = _IMAGE.sub(replace, markdown)
    for name, chart in charts.items():
        if name not in markdown:
            continue
        if fmt == "pdf":
            target = f"chart-{chart.name}.svg"
            (workdir / target).write_text(chart.svg(), encoding="utf-8")
        elif fmt == "docx":
            target = "data:image/png;base64," + base64.b64encode(chart.png()).decode("ascii")
        else:
            target = "data:image/svg+xml;base64," + base64.b64encode(
                chart.svg().encode("utf-8")).decode("ascii")
        markdown = markdown.replace(f"]({name})", f"]({target})")
    return markdown


def _charts_as_text(markdown: str, charts: Mapping[str, Chart]) -> str:
    """Markdown to paste elsewhere has no picture beside it: each chart is its alternative
    text, a paragraph that states its figures."""
    for name in charts:
        markdown = re.sub(r"!\[((?:\\.|[^\]\\])*)\]\(" + re.escape(name) + r"\)",
                          lambda match: match.group(1), markdown)
    return markdown


_CUT = "\x1ecopi-cut\x1f"  # how safe.lua reports a passage it cut, on standard error


def _limit_child(pid: int) -> None:
    """SECONDS of CPU and MEMORY bytes of data for a child that is waiting for its input
    (Linux; elsewhere the wall clock and pandoc's heap limit remain)."""
    import resource

    prlimit = getattr(resource, "prlimit", None)
    if prlimit is None:
        return
    for kind, value in ((resource.RLIMIT_CPU, (SECONDS, SECONDS + 1)),
                        (resource.RLIMIT_DATA, (MEMORY, MEMORY))):
        with contextlib.suppress(OSError, ValueError):  # the child has gone; it said why
            prlimit(pid, kind, value)


def _bounded(tool: str, command: list[str], data: bytes, cwd: Path | None,
             where: str) -> subprocess.CompletedProcess[bytes]:
    """command run with data on its standard input, within SECONDS and MEMORY; stopped and
    reported (ConversionStopped, exit 3) when it goes over."""
    try:
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, cwd=cwd)
    except OSError as error:
        missing = isinstance(error, (FileNotFoundError, PermissionError))
        raise EnvironmentProblem(
            Said("convert.not-started", tool=tool,
                    reason=os_reason(error)),
            hint=Said("convert.reinstall-hint" if missing else "convert.not-started-hint")
        ) from None
    _limit_child(child.pid)
    try:
        out, err = child.communicate(data, timeout=SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise ConversionStopped(Said("convert.stopped", where=where, tool=tool,
                                        seconds=SECONDS, memory=MEMORY >> 20),
                                hint=Said("convert.stopped-hint")) from None
    except BaseException:
        child.kill()
        child.wait()
        raise
    over_memory = b"Heap exhausted" in err or b"memory allocation of" in err or \
        b"MemoryError" in err
    if child.returncode < 0 or over_memory:  # killed: the CPU limit, or out of memory
        raise ConversionStopped(Said("convert.stopped", where=where, tool=tool,
                                        seconds=SECONDS, memory=MEMORY >> 20),
                                hint=Said("convert.stopped-hint"))
    return subprocess.CompletedProcess(command, child.returncode, out, err)


def _run_pandoc(args: list[str], markdown: str, cwd: Path | None, failed: str,
                where: str = "") -> tuple[str, list[str], list[str]]:
    """pandoc, as copi always runs it: sandboxed, raw markup off, copi's Lua filter, bounded.
    Its output, the passages the filter cut, and its other messages."""
    # --columns: a long table row must not turn the dashes of its separator line into column
    # widths (narrow number columns); typst, Word and browsers size the columns themselves.
    command = [pandoc_path(), "+RTS", f"-M{MEMORY >> 20}m", "-RTS", "--sandbox",
               "--columns=10000", "-f", READER,
               "--lua-filter", str(shipped_dir("templates") / "pandoc" / "safe.lua"), *args]
    done = _bounded("pandoc", command, markdown.encode("utf-8"), cwd, where or "pandoc")
    stderr = done.stderr.decode("utf-8", errors="replace")
    if done.returncode != 0:
        first = (stderr.strip().splitlines() or ["no message"])[0]
        raise ConversionError(Said("convert.failed", failed=failed, said=first),
                              hint=Said("convert.failed-hint"))
    lines = stderr.split("\n")  # not splitlines(): \x1e, the mark of a cut, splits a line
    cut = [line.removeprefix(_CUT) for line in lines if line.startswith(_CUT)]
    return (done.stdout.decode("utf-8"), cut,
            [line for line in lines if not line.startswith(_CUT)])


def _pandoc(args: list[str], markdown: str, cwd: Path, where: str) -> str:
    output, _, messages = _run_pandoc(args, markdown, cwd, Said("convert.pandoc-failed"),
                                      where)
    refused = [line for line in messages if "fetch" in line.lower()]
    if refused:
        raise ConversionError(Said("convert.resource", said=refused[0].strip()),
                              hint=Said("convert.resource-hint"))
    return output


def cut_passages(markdown: str, audience: str, marker: str,
                 where: str = "") -> tuple[str, list[str]]:
    """A text's Markdown with its confidential passages (divs and spans of the class
    fortroligt or confidential) cut for the public, or marked for internal use — decided by
    pandoc itself, so the passage ends where pandoc says it does. Also the texts that were cut.
    """
    args = ["-t", "markdown", "-M", f"copi-audience={audience}"]
    if audience != "public":
        args += ["-M", f"copi-marker={marker}"]
    output, cut, _ = _run_pandoc(args, markdown, None, Said("convert.pandoc-text"), where)
    return output, cut


def _page_args(page: Page, fmt: str, workdir: Path) -> list[str]:
    """pandoc's arguments for the page: the free text in a file safe.lua reads (never on the
    command line: it is as long as a title may be, and the filter sets it as plain text), the
    values copi has checked as variables."""
    title = page.title
    if fmt == "docx":  # Word has no page header of copi's: the title says it
        title = " · ".join([label for label in (page.draft_label, page.internal_label)
                            if label] + [title])
    fields = {"title": title, "pagetitle": page.title}
    for key, value in (("subtitle", page.subtitle), ("date", page.date),
                       ("footer", page.footer), ("draft-label", page.draft_label),
                       ("internal-label", page.internal_label),
                       ("brand-organisation", page.organisation), ("author", page.author)):
        if value:
            fields[key] = value
    (workdir / "copi-page.json").write_text(json.dumps(fields, ensure_ascii=False),
                                            encoding="utf-8")
    args = ["-M", "copi-page=copi-page.json", "-M", f"copi-audience={page.audience}",
            "-V", f"lang={page.lang}"]
    for key, value in (("primary", page.primary), ("accent", page.accent),
                       ("mainfont", page.font)):
        if value:
            args += ["-V", f"{key}={value}"]
    if fmt == "pdf":
        args += ["-V", "papersize=a4", "-V", "region=" + ("DK" if page.lang == "da" else "GB")]
    return args


def convert(markdown: str, fmt: str, page: Page, root: Path, source_base: Path,
            workdir: Path, typst_source: list[str] | None = None, where: str = "",
            charts: Mapping[str, Chart] | None = None) -> bytes:
    """The document in one format. workdir is a private, empty temporary directory. For a
    PDF, typst_source receives the source typst sets it from (the leak check reads it); where
    names the document in a message (its text, or its id); charts are the document's charts
    by the names its Markdown refers to them with."""
    templates = shipped_dir("templates") / "pandoc"
    where = where or page.title[:60]
    if fmt == "md":
        return _markdown_file(_charts_as_text(markdown, charts or {}), page, workdir,
                              where).encode("utf-8")
    if page.logo:
        check_picture(page.logo, "brand.yaml", page.logo.name)
    body = _images(markdown, root, source_base, fmt, workdir, charts)
    if fmt == "html":
        args = ["-t", "html5", "-s", "--template", str(templates / "copi.html"),
                *_page_args(page, fmt, workdir)]
        if page.logo:
            header = workdir / "brand.html"
            header.write_text(f'<img src="{_data_uri(page.logo)}" alt="">\n', encoding="utf-8")
            args += ["--include-before-body", str(header)]
        return _pandoc(args, body, workdir, where).encode("utf-8")
    if fmt == "docx":
        target = workdir / "document.docx"
        args = ["-t", "docx", "-o", str(target), *_page_args(page, fmt, workdir)]
        if page.reference_docx:
            args += ["--reference-doc", str(page.reference_docx)]
        _pandoc(args, body, workdir, where)
        return _finished_docx(target.read_bytes(), page.date_iso)
    if fmt == "pdf":
        child = _take_child()  # it starts while pandoc writes the source
        try:
            source = _typst_source(body, page, workdir, where)
        except BaseException:
            _give_back(child)
            raise
        if typst_source is not None:
            typst_source.append(source)
        return _typst(source, workdir, page.font_files, where, child, page.date_iso)
    raise ValueError(fmt)


def convert_to_typst(markdown: str, page: Page, root: Path, source_base: Path,
                     workdir: Path) -> str:
    """The typst source of a PDF, with its pictures and logo in workdir (typst's root)."""
    return _typst_source(_images(markdown, root, source_base, "pdf", workdir), page, workdir,
                         page.title[:60])


def _typst_source(body: str, page: Page, workdir: Path, where: str) -> str:
    templates = shipped_dir("templates") / "pandoc"
    args = ["-t", "typst", "-s", "--template", str(templates / "copi.typst"),
            *_page_args(page, "pdf", workdir)]
    if page.logo:
        name = "logo" + page.logo.suffix.lower()
        shutil.copyfile(page.logo, workdir / name)
        args += ["-V", f"logo={name}"]
    return _pandoc(args, body, workdir, where)


# typst in child Pythons, so its time and memory can be bounded like pandoc's. Starting one
# (Python, typst's library, its fonts) costs several times a compile, so a child sets PDF after
# PDF: it limits its memory, then reads each job (lengths, settings, source) from its standard
# input and answers with a status, a length and the PDF or typst's message. A job over its time
# has its child killed; a child that dies (out of memory) is not used again.
_TYPST_CHILD = """
import json, struct, sys
settings = json.loads(sys.argv[1])
try:
    import resource
    resource.setrlimit(resource.RLIMIT_DATA, (settings["memory"], settings["memory"]))
except (ImportError, AttributeError, OSError, ValueError):
    pass
sys.path.insert(0, settings["path"])
import typst
try:  # typst reads its fonts on the first compile: now, while pandoc writes the source
    typst.compile(b"", ignore_system_fonts=True)
except Exception:
    pass
read, write = sys.stdin.buffer.read, sys.stdout.buffer.write
while True:
    head = read(8)
    if len(head) < 8:
        break
    sizes = struct.unpack(">II", head)
    job, source = json.loads(read(sizes[0])), read(sizes[1])
    try:
        status, answer = 0, typst.compile(source, root=job["root"], font_paths=job["fonts"],
                                          ignore_system_fonts=True, timestamp=job["timestamp"])
    except typst.TypstError as error:
        status, answer = 1, str(error.message).encode("utf-8")
    write(struct.pack(">BI", status, len(answer)) + answer)
    sys.stdout.buffer.flush()
"""


class _TypstChild:
    """One child Python setting PDFs, one job at a time."""

    def __init__(self) -> None:
        import tempfile

        self.memory = MEMORY
        settings = {"path": _typst_location(), "memory": MEMORY}
        # -I -S: nothing from the environment, the working folder or site's .pth files; the
        # child is told where typst is
        command = [sys.executable, "-I", "-S", "-c", _TYPST_CHILD, json.dumps(settings)]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            cwd=tempfile.gettempdir())
        except OSError as error:
            raise EnvironmentProblem(
                Said("convert.not-started", tool="typst",
                        reason=os_reason(error)),
                hint=Said("convert.not-started-hint")) from None

    def run(self, job: dict, source: bytes) -> tuple[int, bytes]:
        """typst's status (0: a PDF, 1: a message) and answer; TimeoutError past SECONDS,
        EOFError if the child died."""
        import struct
        import time

        request = json.dumps(job).encode("utf-8")
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(struct.pack(">II", len(request), len(source)) + request
                                     + source)
            self.process.stdin.flush()
        except OSError:
            raise EOFError from None
        deadline = time.monotonic() + SECONDS
        status, size = struct.unpack(">BI", _read_exactly(self.process.stdout, 5, deadline))
        return status, _read_exactly(self.process.stdout, size, deadline)

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                assert self.process.stdin is not None
                self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def _read_exactly(stream: IO[bytes], size: int, deadline: float) -> bytes:
    import select
    import time

    chunks: list[bytes] = []
    while size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(stream.fileno(), min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


_idle: list[_TypstChild] = []  # children waiting for their next PDF
_idle_lock = threading.Lock()


def _take_child() -> _TypstChild:
    with _idle_lock:
        while _idle:
            child = _idle.pop()
            if child.memory == MEMORY and child.process.poll() is None:
                return child
            child.close()
    return _TypstChild()


def _give_back(child: _TypstChild) -> None:
    with _idle_lock:
        _idle.append(child)


@atexit.register
def _close_children() -> None:
    """The children waiting for work hold nothing: stopped at once, not waited out."""
    with _idle_lock:
        for child in _idle:
            child.process.kill()
        while _idle:
            _idle.pop().close()


@cache
def _typst_location() -> str:
    """The folder the typst package is imported from, for the child Python."""
    spec = importlib.util.find_spec("typst")
    if spec is None or not spec.submodule_search_locations:
        raise EnvironmentProblem(Said("convert.missing", tool="typst"),
                                 hint=Said("convert.missing-hint"))
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


def _typst(source: str, workdir: Path, font_files: tuple[Path, ...], where: str = "typst",
           child: _TypstChild | None = None, date_iso: str | None = None) -> bytes:
    job = {"root": str(workdir), "fonts": [str(p) for p in font_files],
           "timestamp": _timestamp(date_iso)}
    child = child or _take_child()
    try:
        status, answer = child.run(job, source.encode("utf-8"))
    except (TimeoutError, EOFError):
        child.process.kill()
        child.close()
        raise ConversionStopped(Said("convert.stopped", where=where, tool="typst",
                                        seconds=SECONDS, memory=MEMORY >> 20),
                                hint=Said("convert.stopped-hint")) from None
    except BaseException:  # Ctrl-C, SIGTERM: the PDF is not wanted any more
        child.process.kill()
        child.close()
        raise
    _give_back(child)
    if status == 0:
        return _without_default_suspects(answer)
    raise ConversionError(Said("convert.typst-failed", where=where,
                               said=answer.decode("utf-8", errors="replace")),
                          hint=Said("convert.typst-failed-hint"))


def _timestamp(date_iso: str | None = None) -> int:
    """The PDF's creation time: the start (UTC) of the document's date, so the same revision
    renders to the same file on any day and machine; without one, the start of today."""
    import datetime as dt

    day = dt.date.fromisoformat(date_iso) if date_iso else dt.datetime.now(dt.UTC).date()
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _markdown_file(markdown: str, page: Page, workdir: Path, where: str) -> str:
    """The document as GitHub-flavoured Markdown (CommonMark with tables), with a YAML
    metadata block: what pastes into a CMS or an e-mail. pandoc writes it, after copi's filter,
    escaping only what would otherwise be markup (a text's *x* stays \\*x\\*; a table cell
    is not a line, safe.lua sees to that), and without raw HTML (a div or span is its
    content)."""
    meta = {"title": page.title, "subtitle": page.subtitle, "date": page.date,
            "author": page.author, "lang": page.lang}
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}"
                       for key, value in meta.items() if value] + ["---", ""]
    args = ["-t", "gfm-raw_html", "--wrap=preserve", "--columns=72",
            "-M", f"copi-audience={page.audience}"]
    body = _pandoc(args, markdown, workdir, where)
    return "\n".join(lines) + body


_SUSPECTS = b"/MarkInfo<</Marked true/Suspects false>>"
_MARKED = b"/MarkInfo<</Marked true>>"


def _without_default_suspects(pdf: bytes) -> bytes:
    """The PDF without the /Suspects false typst's tagging writes in its catalog's MarkInfo:
    false is the key's default, and poppler before 25.12 reports that legal value as "Suspects
    object is wrong type" on every PDF (pdfinfo, and every tool built on poppler). The key is
    blanked with spaces of the same length, so every offset in the file stays right; the
    document stays tagged (accessible)."""
    root = re.compile(rb"trailer\s*<<[^>]*?/Root (\d+) 0 R").search(pdf, pdf.rfind(b"trailer"))
    if root is None:  # no classic trailer (a cross-reference stream): left as it is
        return pdf
    start = pdf.find(b"\n" + root.group(1) + b" 0 obj")
    end = pdf.find(b"endobj", start)
    at = pdf.find(_SUSPECTS, start, end)
    if start < 0 or at < 0:
        return pdf
    blanked = _MARKED.ljust(len(_SUSPECTS))
    return pdf[:at] + blanked + pdf[at + len(_SUSPECTS):]


def _finished_docx(content: bytes, date_iso: str | None) -> bytes:
    """pandoc's Word document finished: every table row kept on one page (w:cantSplit: a
    signature block, or a row of figures, is never cut in two by a page break), and dated by
    the document's date — its core properties' created and modified (pandoc's sandbox says
    1 January 1970, whatever SOURCE_DATE_EPOCH says) and the time of every part.

    The archive is written again part by part, with the same names and order. The parts copi
    does not change are copied as pandoc compressed them, and the two it changes are stored
    uncompressed: compressing again would tie the bytes to the machine's zlib (zlib-ng writes
    other bytes), and a publication must render to the same file wherever it is audited."""
    import datetime as dt
    import struct
    import zlib

    end = content.rfind(b"PK\x05\x06")  # the end of the central directory
    if end < 0:
        return content
    day = dt.date.fromisoformat(date_iso) if date_iso else None
    dos_date = (((max(day.year, 1980) - 1980) << 9) | (day.month << 5) | day.day) if day else None
    count, _, at = struct.unpack_from("<HII", content, end + 10)
    out, central = bytearray(), bytearray()
    for _ in range(count):
        (needed, flags, method, time, date, crc, packed, unpacked, name_len, extra_len,
         comment_len) = struct.unpack_from("<HHHHHIIIHHH", content, at + 6)
        offset, = struct.unpack_from("<I", content, at + 42)
        entry = bytearray(content[at:at + 46 + name_len + extra_len + comment_len])
        at += len(entry)
        local_lengths = struct.unpack_from("<HH", content, offset + 26)
        rest = content[offset + 30:offset + 30 + sum(local_lengths)]  # its name and extra
        data = content[offset + 30 + len(rest):offset + 30 + len(rest) + packed]
        name = bytes(entry[46:46 + name_len])
        if name in (b"word/document.xml", b"docProps/core.xml"):
            xml = zlib.decompress(data, -15) if method == 8 else data
            if name == b"word/document.xml":
                xml = _cant_split(xml.decode("utf-8")).encode("utf-8")
            elif day is not None:
                xml = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*",
                             rb"\g<1>" + f"{day.isoformat()}T00:00:00Z".encode("ascii"), xml)
            data, method, crc = xml, 0, zlib.crc32(xml)
            packed = unpacked = len(xml)
        if dos_date is not None:
            time, date = 0, dos_date
        flags &= ~0x08  # sizes in the header, no data descriptor after the data
        struct.pack_into("<HHHHIII", entry, 8, flags, method, time, date, crc, packed,
                         unpacked)
        struct.pack_into("<I", entry, 42, len(out))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, needed, flags, method, time, date, crc,
                           packed, unpacked, *local_lengths) + rest + data
        central += entry
    tail = bytearray(content[end:end + 22])
    struct.pack_into("<II", tail, 12, len(central), len(out))
    return bytes(out + central + tail[:20] + b"\x00\x00")


def _cant_split(document: str) -> str:
    """w:cantSplit in every table row's properties (pandoc writes a row's w:trPr only for a
    header row)."""
    document = re.sub(r"<w:tr>(?!<w:trPr)", "<w:tr><w:trPr><w:cantSplit /></w:trPr>", document)
    return re.sub(r"(<w:tr>)<w:trPr>(?!<w:cantSplit)", r"\1<w:trPr><w:cantSplit />", document)
