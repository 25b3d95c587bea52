"""From a document's Markdown to PDF, DOCX, HTML or Markdown: pandoc, and typst for PDF.

- pandoc is the binary bundled in the pypandoc-binary wheel, started directly (pypandoc's own
  convert functions start two more pandoc processes per call to list formats), always with
  `--sandbox`: a document cannot make pandoc read a file (`![x](/etc/passwd)` would otherwise
  embed it in a DOCX). The Markdown reader has raw HTML, raw TeX and raw blocks switched off, so
  text from a process repo stays text in every format.
- copi's Lua filter (templates/pandoc/safe.lua) drops every attribute but custom-style, every
  link that is not http(s) or mailto and every picture copi did not place: pandoc's {…}
  attribute syntax would otherwise carry onclick or javascript: into HTML and Word.
- The sandbox also refuses legitimate images, so copi hands them over itself: an image in a
  text must lie inside the process directory; it is embedded as data for HTML and DOCX and copied
  next to the typst source for PDF.
- PDF: pandoc writes typst (A4, copi's page in templates/pandoc/copi.typst), and the typst
  package compiles it in-process with its root in a private temporary folder, so typst can read
  nothing else. Only typst's bundled fonts and the process's own font files are used: the same
  PDF on every machine.
"""

from __future__ import annotations

import base64
import importlib.util
import mimetypes
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import NamedTuple

from copi_cli.errors import EnvironmentProblem, UserError
from copi_cli.resources import shipped_dir

READER = "markdown-raw_html-raw_tex-raw_attribute"
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


class ConversionError(UserError):
    """pandoc or typst refused the document."""


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
    raise EnvironmentProblem("pandoc is not installed with copi",
                             hint="reinstall copi: pip install --force-reinstall copi")


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


def check_images(markdown: str, root: Path, source: str) -> None:
    """Refuse an image a document cannot carry: outside the process, missing, or remote."""
    base = (root / source).parent if source else root
    for match in _IMAGE.finditer(markdown):
        path = match.group("path")
        if path.startswith("data:"):
            continue
        found = inside(root, path, base)
        if found is None and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^[/\\]", path) and all(
                (start / path).resolve().is_relative_to(root.resolve())
                for start in (base, root)):
            raise UserError(f"{source or 'template'}: no picture {path} in the process",
                            hint="add the file, or correct the path (relative to the process "
                                 "directory, e.g. materialer/graf.png)")
        if found is None or found.suffix.lower() not in IMAGE_TYPES:
            raise UserError(f"{source or 'template'}: image {path} is not a picture file "
                            "inside the process directory",
                            hint="copy the picture into materialer/ and refer to it as "
                                 "materialer/NAME.png (documents never load files from "
                                 "elsewhere or from the web)")


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _images(markdown: str, root: Path, base: Path, fmt: str, workdir: Path) -> str:
    """Images as the sandbox allows: data for HTML/DOCX, copies in typst's root for PDF."""
    copies: dict[Path, str] = {}

    def replace(match: re.Match[str]) -> str:
        path = match.group("path")
        if path.startswith("data:"):
            return match.group(0)
        found = inside(root, path, base)
        if found is None:  # refused earlier by check_images; never reached
            raise UserError(f"image {path} is not inside the process directory")
        if fmt == "pdf":
            if found not in copies:
                copies[found] = f"image-{len(copies) + 1}{found.suffix.lower()}"
                shutil.copyfile(found, workdir / copies[found])
            target = copies[found]
        else:
            target = _data_uri(found)
        return f"![{match.group('alt')}]({target}{match.group('title') or ''})"

    return _IMAGE.sub(replace, markdown)


_CUT = "\x1ecopi-cut\x1f"  # how safe.lua reports a passage it cut, on standard error


def _run_pandoc(args: list[str], markdown: str, cwd: Path | None, failed: str
                ) -> tuple[str, list[str], list[str]]:
    """pandoc, as copi always runs it: sandboxed, raw markup off, copi's Lua filter. Its
    output, the passages the filter cut, and its other messages."""
    # --columns: a long table row must not turn the dashes of its separator line into column
    # widths (narrow number columns); typst, Word and browsers size the columns themselves.
    command = [pandoc_path(), "--sandbox", "--columns=10000", "-f", READER,
               "--lua-filter", str(shipped_dir("templates") / "pandoc" / "safe.lua"), *args]
    try:
        done = subprocess.run(command, input=markdown, capture_output=True, text=True,
                              encoding="utf-8", cwd=cwd, timeout=300)
    except OSError as error:
        raise EnvironmentProblem(f"pandoc could not be started: {error}",
                                 hint="reinstall copi (pip install --force-reinstall copi)"
                                 ) from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise ConversionError(f"{failed}: {first}",
                              hint="check the document's Markdown (copi render --format md "
                                   "writes it as pandoc reads it)")
    lines = done.stderr.split("\n")  # not splitlines(): \x1e, the mark of a cut, splits a line
    cut = [line.removeprefix(_CUT) for line in lines if line.startswith(_CUT)]
    return done.stdout, cut, [line for line in lines if not line.startswith(_CUT)]


def _pandoc(args: list[str], markdown: str, cwd: Path) -> str:
    output, _, messages = _run_pandoc(args, markdown, cwd, "pandoc failed")
    refused = [line for line in messages if "fetch" in line.lower()]
    if refused:
        raise ConversionError(f"pandoc could not read a resource: {refused[0].strip()}",
                              hint="pictures must lie inside the process directory")
    return output


def cut_passages(markdown: str, audience: str, marker: str) -> tuple[str, list[str]]:
    """A text's Markdown with its confidential passages (divs and spans of the class
    fortroligt or confidential) cut for the public, or marked for internal use — decided by
    pandoc itself, so the passage ends where pandoc says it does. Also the texts that were cut.
    """
    args = ["-t", "markdown", "-M", f"copi-audience={audience}"]
    if audience != "public":
        args += ["-M", f"copi-marker={marker}"]
    output, cut, _ = _run_pandoc(args, markdown, None, "pandoc could not read a text")
    return output, cut


def _page_args(page: Page, fmt: str) -> list[str]:
    title = page.title
    if fmt == "docx":  # Word has no page header of copi's: the title says it
        title = " · ".join([label for label in (page.draft_label, page.internal_label)
                            if label] + [title])
    args = ["-M", f"title={title}", "-M", f"pagetitle={page.title}",
            "-M", f"copi-audience={page.audience}", "-V", f"lang={page.lang}"]
    for key, value in (("subtitle", page.subtitle), ("date", page.date),
                       ("footer", page.footer), ("draft-label", page.draft_label),
                       ("internal-label", page.internal_label),
                       ("brand-organisation", page.organisation)):
        if value:
            args += ["-M", f"{key}={value}"]
    for key, value in (("primary", page.primary), ("accent", page.accent),
                       ("mainfont", page.font)):
        if value:
            args += ["-V", f"{key}={value}"]
    if fmt == "pdf":
        args += ["-V", "papersize=a4", "-V", "region=" + ("DK" if page.lang == "da" else "GB")]
    return args


def convert(markdown: str, fmt: str, page: Page, root: Path, source_base: Path,
            workdir: Path, typst_source: list[str] | None = None) -> bytes:
    """The document in one format. workdir is a private, empty temporary directory. For a
    PDF, typst_source receives the source typst sets it from (the leak check reads it)."""
    templates = shipped_dir("templates") / "pandoc"
    if fmt == "md":
        return _markdown_file(markdown, page).encode("utf-8")
    body = _images(markdown, root, source_base, fmt, workdir)
    if fmt == "html":
        args = ["-t", "html5", "-s", "--template", str(templates / "copi.html"),
                *_page_args(page, fmt)]
        if page.logo:
            header = workdir / "brand.html"
            header.write_text(f'<img src="{_data_uri(page.logo)}" alt="">\n', encoding="utf-8")
            args += ["--include-before-body", str(header)]
        return _pandoc(args, body, workdir).encode("utf-8")
    if fmt == "docx":
        target = workdir / "document.docx"
        args = ["-t", "docx", "-o", str(target), *_page_args(page, fmt)]
        if page.reference_docx:
            args += ["--reference-doc", str(page.reference_docx)]
        _pandoc(args, body, workdir)
        return target.read_bytes()
    if fmt == "pdf":
        source = _typst_source(body, page, workdir)
        if typst_source is not None:
            typst_source.append(source)
        return _typst(source, workdir, page.font_files)
    raise ValueError(fmt)


def convert_to_typst(markdown: str, page: Page, root: Path, source_base: Path,
                     workdir: Path) -> str:
    """The typst source of a PDF, with its pictures and logo in workdir (typst's root)."""
    return _typst_source(_images(markdown, root, source_base, "pdf", workdir), page, workdir)


def _typst_source(body: str, page: Page, workdir: Path) -> str:
    templates = shipped_dir("templates") / "pandoc"
    args = ["-t", "typst", "-s", "--template", str(templates / "copi.typst"),
            *_page_args(page, "pdf")]
    if page.logo:
        name = "logo" + page.logo.suffix.lower()
        shutil.copyfile(page.logo, workdir / name)
        args += ["-V", f"logo={name}"]
    return _pandoc(args, body, workdir)


def _typst(source: str, workdir: Path, font_files: tuple[Path, ...]) -> bytes:
    import typst

    try:
        # typst's stub binds source, root and font paths to one type: here bytes and str
        return typst.compile(source.encode("utf-8"), root=str(workdir),  # type: ignore[misc]
                             font_paths=[str(p) for p in font_files],
                             ignore_system_fonts=True, timestamp=_timestamp())
    except typst.TypstError as error:
        raise ConversionError(f"typst could not set the PDF: {error.message}",
                              hint="a picture typst cannot read, or a font that is missing "
                                   "(brand.yaml font_files)") from None


def _timestamp() -> int:
    """The PDF's creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else the
    start of today, so a document rendered twice on one day is the same file."""
    import datetime as dt

    fixed = os.environ.get("SOURCE_DATE_EPOCH", "")
    if fixed.isdigit():
        return int(fixed)
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(today.timestamp())


def _markdown_file(markdown: str, page: Page) -> str:
    """The Markdown with a YAML metadata block, as pandoc and editors read it."""
    import json

    meta = {"title": page.title, "subtitle": page.subtitle, "date": page.date,
            "lang": page.lang}
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}"
                       for key, value in meta.items() if value] + ["---", ""]
    return "\n".join(lines) + markdown
