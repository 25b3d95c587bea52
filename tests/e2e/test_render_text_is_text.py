"""copi render with hostile texts and pictures (issue 19): what a text holds is printed, never
run; a draft stays a draft; pictures are files and drawings; nothing hangs. The real pandoc and
typst; every output read back."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

LOOP = '*x*.at({let s=0; for i in range(30000000){s+=i}; "body"})'
WHITE_PAGE = ('**x**.at("nope", default: place(top + left, dx: -3cm, dy: -3cm, '
              "rect(fill: white, width: 30cm, height: 40cm)))")
SCRIPTED_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                '<rect width="40" height="20" fill="red"/>{inside}</svg>')


def _readable(path: Path) -> str:
    """The text a reader of the DOCX or HTML file sees."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
        return "".join(node.text or "" for node in root.iter(f"{_WORD}t"))
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _append(process: Path, addition: str, status: str | None = None) -> Path:
    text = process / "tekster" / "problembeskrivelse.md"
    content = text.read_text(encoding="utf-8")
    if status:
        content = content.replace("status: final", f"status: {status}")
    text.write_text(content + "\n" + addition + "\n", encoding="utf-8")
    return text


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\-‐−]", "", text.translate(str.maketrans("“”", "\"\"")))


def test_typst_code_in_a_text_is_printed_and_the_draft_stays_a_draft(copi_process,
                                                                      example: Path) -> None:
    """Run as a user does, with a hang guard: the loop would take 11 s and 1 GB if it ran."""
    _append(example, f"{LOOP}\n\n{WHITE_PAGE}\n\nSlut.", status="draft")
    result = copi_process("render", "problem-description", "-f", "pdf,docx,html", cwd=example)
    assert result.code == 0, result.err
    build = example / "build"
    pdf = PdfReader(build / "problembeskrivelse.pdf")
    text = _squeezed("\n".join(page.extract_text() for page in pdf.pages))
    assert _squeezed('.at({let s=0; for i in range(30000000){s+=i}; "body"})') in text
    assert _squeezed('.at("nope", default: place(top + left') in text
    drawn: list[str] = []
    pdf.pages[0].extract_text(visitor_text=lambda part, *_: drawn.append(part))
    assert [part.strip() for part in drawn if part.strip()][-1] == "UDKAST"
    for output in ("problembeskrivelse.docx", "problembeskrivelse.html"):
        assert "range(30000000){s+=i}" in _readable(build / output)


def test_a_picture_written_as_data_is_refused_at_its_line(copi, example: Path) -> None:
    text = _append(example, "![Graf](data:image/png;base64,iVBORw0KGgo=)")
    result = copi("render", "problem-description", "-f", "pdf", cwd=example)
    assert result.code == 1
    line = _line_of(text, "data:image/png")
    assert f"tekster/problembeskrivelse.md:{line}: " in result.err and "data:" in result.err
    assert "typst" not in result.err
    assert not (example / "build").exists()


def test_a_run_of_brackets_does_not_stall_the_reader(copi_process, example: Path) -> None:
    """25 [ took pandoc over 100 s with citations on; the subprocess time-out is a hang guard."""
    _append(example, "[" * 25 + " og [@" * 25 + " og " + "![" * 25)
    result = copi_process("render", "problem-description", "-f", "pdf,docx,html,md",
                          cwd=example)
    assert result.code == 0, result.err
    assert "[" * 25 in _readable(example / "build" / "problembeskrivelse.html")


def test_a_title_longer_than_a_command_line_renders(copi, example: Path) -> None:
    text = example / "tekster" / "problembeskrivelse.md"
    long_title = "Sammen om færre fald " * 7000  # 147 KB; one argument may hold 128 KB
    text.write_text(text.read_text(encoding="utf-8").replace(
        "title: Sammen om færre fald i eget hjem — kort problembeskrivelse",
        f"title: {long_title.strip()}"), encoding="utf-8")
    result = copi("render", "problem-description", "-f", "docx,html", cwd=example)
    assert result.code == 0, result.err
    html = _readable(example / "build" / "problembeskrivelse.html")
    assert html.count("Sammen om færre fald") >= 7000


@pytest.mark.parametrize(("inside", "named"), [
    ("<script>alert(document.domain)</script>", "<script>"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "href=javascript:"),
    ('<image href="https://example.org/spy.png" width="1" height="1"/>', "href=https://"),
])
def test_an_svg_with_a_script_never_reaches_a_document(copi, example: Path, inside: str,
                                                       named: str) -> None:
    (example / "materialer" / "graf.svg").write_text(SCRIPTED_SVG.format(inside=inside),
                                                     encoding="utf-8")
    text = _append(example, "![Graf](materialer/graf.svg)")
    result = copi("render", "problem-description", "-f", "docx,html", cwd=example)
    assert result.code == 1
    line = _line_of(text, "graf.svg")
    assert f"tekster/problembeskrivelse.md:{line}: " in result.err and named in result.err
    assert not (example / "build").exists()


def test_a_plain_svg_is_embedded_in_every_format(copi, example: Path) -> None:
    (example / "materialer" / "graf.svg").write_text(SCRIPTED_SVG.format(inside=""),
                                                     encoding="utf-8")
    _append(example, "![Graf](materialer/graf.svg)")
    result = copi("render", "problem-description", "-f", "pdf,docx,html", cwd=example)
    assert result.code == 0, result.err
    build = example / "build"
    with zipfile.ZipFile(build / "problembeskrivelse.docx") as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert any(archive.read(name).startswith(b"<svg") for name in media)
    assert "data:image/svg+xml;base64," in (build / "problembeskrivelse.html").read_text(
        encoding="utf-8")
    assert PdfReader(build / "problembeskrivelse.pdf").pages[0].extract_text()


def test_a_conversion_over_its_time_is_stopped_and_located(
        copi, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from copi_cli.rendering import conversion

    monkeypatch.setattr(conversion, "SECONDS", 2)
    _append(example, "[a](" * 2000)  # pandoc's link parsing is polynomial in this
    result = copi("render", "problem-description", "-f", "html", cwd=example)
    assert result.code == 3
    assert "tekster/problembeskrivelse.md: pandoc was stopped" in result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert not list((example / "build").glob("*"))  # nothing written
