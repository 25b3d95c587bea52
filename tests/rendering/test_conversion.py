"""copi_cli.rendering.conversion called directly: text stays text in typst, pictures are
drawings, every pandoc and typst child is bounded, and the page is laid out as people expect.
The real pandoc and typst; PDFs are read back with pypdf (and poppler's pdfinfo and pdftotext,
which CI installs), Word documents unzipped."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from copi_cli.errors import EXIT_ENVIRONMENT, EXIT_FINDINGS, CopiError, EnvironmentProblem
from copi_cli.rendering import conversion
from copi_cli.rendering.conversion import (
    ConversionStopped,
    Page,
    check_images,
    convert,
    convert_to_typst,
    unsafe_svg,
)

DRAFT = Page(title="Problembeskrivelse", subtitle=None, date="1. maj 2026", lang="da",
             footer="Proces · Problembeskrivelse", draft_label="UDKAST", internal_label=None)
LOOP = '*x*.at({let s=0; for i in range(30000000){s+=i}; "body"})'
WHITE_PAGE = ('**x**.at("nope", default: place(top + left, dx: -3cm, dy: -3cm, '
              "rect(fill: white, width: 30cm, height: 40cm)))")
# Text after each kind of call pandoc's typst writer makes (#emph, #strong, #strike, #super,
# #sub, #smallcaps, #link, #footnote, #box(image), #raw with a language, a heading's and a
# table's emphasis), and the metadata blocks a text could otherwise carry to the page.
HOSTILE = [
    LOOP,
    '*x*.at({for i in range(100000) { for j in range(100000) { } }; "body"})',
    WHITE_PAGE,
    "~~x~~.at(0) and x^2^.at(0) and H~2~.at(0) and [x]{.smallcaps}.at(0)",
    "[link](https://example.org).at(0) and <https://example.org>.at(0)",
    "note[^1].at(0)\n\n[^1]: a footnote",
    "`code`{.python}.at(0) and `plain`.at(0)",
    "## Heading *x*.at(0)\n\n| a | b |\n|---|---|\n| *x*.at(0) | y |",
    "*x*/**/.at(0) and *x*;.at(0) and *x*// comment",
    "---\nsubtitle: '*x*.at(0)'\nprimary: 'red\"), #place(rect()) //'\n---\n\nbody",
    "% *x*.at(0)\n% author\n\nbody",
]


def _squeezed(text: str) -> str:
    """Text without the white space and hyphens a PDF's line breaks add, quotes made plain."""
    text = text.translate(str.maketrans("“”‘’", "\"\"''"))
    return re.sub(r"[\s\-‐−]", "", text)  # typst sets -3 as a minus sign


def _pdf(markdown: str, tmp_path: Path, page: Page = DRAFT) -> PdfReader:
    workdir = tmp_path / "work"
    workdir.mkdir()
    return PdfReader(io.BytesIO(convert(markdown, "pdf", page, tmp_path, tmp_path, workdir,
                                        where="tekster/t.md")))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_text_after_a_typst_call_stays_text(tmp_path: Path, hostile: str) -> None:
    reader = _pdf(f"Før.\n\n{hostile}\n\nEfter.", tmp_path)
    text = _squeezed("\n".join(page.extract_text() for page in reader.pages))
    assert "Efter." in text and "UDKAST" in text
    for fragment in re.findall(r"\.at\([^)]*\)?", hostile):
        assert _squeezed(fragment) in text  # the characters, not what they would compute
    assert len(reader.pages) == 1


def test_the_loop_is_printed_not_run(tmp_path: Path) -> None:
    reader = _pdf(LOOP, tmp_path)
    assert _squeezed('.at({let s=0; for i in range(30000000){s+=i}; "body"})') in _squeezed(
        reader.pages[0].extract_text())


def test_every_call_in_the_typst_source_is_closed(tmp_path: Path) -> None:
    source = convert_to_typst("\n\n".join(HOSTILE), DRAFT, tmp_path, tmp_path, tmp_path)
    body = source.split("[Problembeskrivelse]", 2)[-1]
    assert not re.search(r"#(emph|strong|strike|super|sub|smallcaps)\[[^\]]*\]\.", body)
    assert not re.search(r"#(link|footnote|raw)\([^\n]*?\)(\[[^\]]*\])?\.", body)


def test_a_drafts_mark_is_drawn_over_everything_on_the_page(tmp_path: Path) -> None:
    """The watermark is the page's foreground, the last thing drawn: a text that could place a
    white rectangle over the page still would not cover it."""
    reader = _pdf(f"Før.\n\n{WHITE_PAGE}\n\nEfter.", tmp_path)
    drawn: list[str] = []
    reader.pages[0].extract_text(visitor_text=lambda text, *_: drawn.append(text))
    shown = [part.strip() for part in drawn if part.strip()]
    assert shown[-1] == "UDKAST" and shown.count("UDKAST") == 2  # the mark and the header


def test_the_leak_check_reads_a_name_with_emphasis_inside_whole(tmp_path: Path) -> None:
    """The comment that ends a call is nothing to a reader of the PDF, nor to the leak check."""
    from copi_cli.rendering.confidentiality import reading

    source = convert_to_typst("Kontakt: *Lou*ise Bach, **Hans** Hansen.", DRAFT, tmp_path,
                              tmp_path, tmp_path)
    assert "/**/" in source
    text = " ".join(reading("pdf", source.encode("utf-8")).split())
    assert "Louise Bach" in text and "Hans Hansen" in text


def test_the_page_text_reaches_pandoc_in_a_file_as_plain_text(tmp_path: Path) -> None:
    """A title of 200 KB is more than one argument of a command line may hold (128 KB)."""
    title = "*Titel*.at(0) " * 15000
    page = DRAFT._replace(title=title, subtitle="*sub*.at(0)", footer="#fod")
    workdir = tmp_path / "work"
    workdir.mkdir()
    html = convert("Tekst.", "html", page, tmp_path, tmp_path, workdir).decode("utf-8")
    assert html.count("*Titel*.at(0)") >= 15000 and "<em>" not in html
    source = convert_to_typst("Tekst.", page._replace(title="*Titel*.at(0)"), tmp_path,
                              tmp_path, tmp_path)
    assert "\\*Titel\\*.at(0)" in source and "\\*sub\\*.at(0)" in source
    assert "\\#fod" in source


def test_a_child_that_cannot_start_says_why(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem) as too_long:
        conversion._bounded("pandoc", [conversion.pandoc_path(), "x" * 300_000], b"",
                            tmp_path, "tekster/t.md")
    assert "Argument list too long" in too_long.value.message
    assert "reinstall" not in (too_long.value.hint or "")
    with pytest.raises(EnvironmentProblem) as missing:
        conversion._bounded("pandoc", [str(tmp_path / "no-pandoc")], b"", tmp_path, "t")
    assert "reinstall" in (missing.value.hint or "")


# --- bounds ----------------------------------------------------------------------------------

def test_typst_over_its_time_is_stopped_with_a_located_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conversion, "SECONDS", 3)
    with pytest.raises(ConversionStopped) as stopped:
        conversion._typst("#for i in range(100000) { for j in range(100000) { } }", tmp_path,
                          (), "tekster/t.md")
    assert stopped.value.exit_code == EXIT_ENVIRONMENT
    assert stopped.value.message.startswith("tekster/t.md: typst")


def test_typst_over_its_memory_is_stopped(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conversion, "MEMORY", 300 * 1024 ** 2)
    with pytest.raises(ConversionStopped) as stopped:
        conversion._typst("#let a = range(200000000).map(i => str(i))\n#a.len()", tmp_path,
                          (), "tekster/t.md")
    assert "300 MB" in stopped.value.message


def test_pandoc_over_its_time_is_stopped(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conversion, "SECONDS", 2)
    with pytest.raises(ConversionStopped) as stopped:  # link parsing is polynomial in [a](
        conversion._run_pandoc(["-t", "html"], "[a](" * 2000, tmp_path, "failed",
                               "tekster/t.md")
    assert stopped.value.message.startswith("tekster/t.md: pandoc was stopped")


def test_the_reader_is_not_exponential_on_brackets(tmp_path: Path) -> None:
    """Citations made 25 [ take over 100 s; the hang guard is the test's own."""
    assert "-citations" in conversion.READER
    command = [conversion.pandoc_path(), "-f", conversion.READER, "-t", "typst"]
    for run in ("[" * 40, "[@" * 40, "![" * 40):
        done = subprocess.run(command, input=run, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0


# --- pictures --------------------------------------------------------------------------------

PLAIN_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" '
             'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
             'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">'
             '<style>.a { fill: url(#g); }</style><defs><linearGradient id="g">'
             '<stop offset="0" stop-color="red"/></linearGradient></defs>'
             '<inkscape:perspective id="p"/><rect class="a" width="40" height="20"/>'
             '<use xlink:href="#g"/><a href="https://example.org"><text>x</text></a></svg>')


@pytest.mark.parametrize(("inside", "shown"), [
    ("<script>alert(1)</script>", "<script>"),
    ('<rect width="1" height="1" onclick="alert(1)"/>', "onclick="),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
     "<foreignObject>"),
    ('<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>', "<script>"),
    ('<image href="https://example.org/x.png"/>', "href=https://example.org/x.png"),
    ('<image xlink:href="file:///etc/passwd"/>', "href=file:///etc/passwd"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "href=javascript:alert(1)"),
    ('<image href="data:image/svg+xml;base64,PHN2Zz4="/>', "href=data:image/svg+xml"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', "<set>"),
    ("<style>@import url(https://example.org/x.css);</style>", "<style> url(…)"),
    ('<rect style="fill: url(https://example.org/x)"/>', "style=url(…)"),
])
def test_an_svg_that_is_more_than_a_drawing_is_named(inside: str, shown: str) -> None:
    svg = PLAIN_SVG.replace("</svg>", inside + "</svg>")
    assert unsafe_svg(svg.encode()) is not None
    assert (unsafe_svg(svg.encode()) or "").startswith(shown)


def test_a_plain_drawing_passes() -> None:
    assert unsafe_svg(PLAIN_SVG.encode()) is None


def test_entities_are_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>')
    assert unsafe_svg(bomb.encode()) == "<!DOCTYPE>/<!ENTITY>"


def test_a_picture_with_a_script_is_refused_where_the_text_names_it(tmp_path: Path) -> None:
    (tmp_path / "materialer").mkdir()
    (tmp_path / "materialer" / "graf.svg").write_text(
        PLAIN_SVG.replace("</svg>", "<script>alert(1)</script></svg>"), encoding="utf-8")
    (tmp_path / "tekster").mkdir()
    (tmp_path / "tekster" / "t.md").write_text("---\ntitle: T\n---\nTekst.\n\n"
                                               "![Graf](../materialer/graf.svg)\n",
                                               encoding="utf-8")
    with pytest.raises(CopiError) as refused:
        check_images("Tekst.\n\n![Graf](../materialer/graf.svg)\n", tmp_path, "tekster/t.md")
    assert refused.value.exit_code == EXIT_FINDINGS
    assert refused.value.message.startswith("tekster/t.md:6: the picture ../materialer/graf.svg")
    assert "<script>" in refused.value.message


def test_a_picture_written_into_the_text_as_data_is_refused(tmp_path: Path) -> None:
    (tmp_path / "tekster").mkdir()
    (tmp_path / "tekster" / "t.md").write_text("Tekst.\n\n![x](data:image/png;base64,iVBO)\n",
                                               encoding="utf-8")
    with pytest.raises(CopiError) as refused:
        check_images("Tekst.\n\n![x](data:image/png;base64,iVBO)\n", tmp_path, "tekster/t.md")
    assert refused.value.message.startswith("tekster/t.md:3: ")
    assert "data:" in refused.value.message and "materialer/" in (refused.value.hint or "")


# --- layout and metadata ---------------------------------------------------------------------

POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    not POPPLER and not os.environ.get("COPI_REQUIRE_POPPLER"),
    reason="poppler-utils (pdfinfo, pdftotext) is not installed")
SENT = DRAFT._replace(author="CO-PI")


def _pdf_file(markdown: str, tmp_path: Path, page: Page = SENT) -> Path:
    workdir = tmp_path / "work"
    workdir.mkdir(exist_ok=True)
    path = tmp_path / "document.pdf"
    path.write_bytes(convert(markdown, "pdf", page, tmp_path, tmp_path, workdir,
                             where="tekster/t.md"))
    return path


def _pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@needs_poppler
def test_poppler_reads_the_pdf_without_a_warning_and_shows_its_metadata(tmp_path: Path) -> None:
    """typst's tagging writes /Suspects false, which poppler before 25.12 reports on stderr
    for every PDF; the PDF says who sends it and in which language."""
    path = _pdf_file("Tekst.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", tmp_path)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True)
    assert info.stderr == "" and text.stderr == ""
    assert "Title:           Problembeskrivelse" in info.stdout
    assert "Author:          CO-PI" in info.stdout
    assert "Tagged:          yes" in info.stdout  # still accessible
    meta = subprocess.run(["pdfinfo", "-meta", path], capture_output=True, text=True,
                          check=True).stdout
    assert "<dc:language><rdf:Bag><rdf:li>da-DK</rdf:li>" in meta


def test_the_author_is_text_in_the_pdfs_metadata(tmp_path: Path) -> None:
    author = 'Kommune "A" \\ B"), #place(rect()) //'
    reader = PdfReader(_pdf_file("Tekst.", tmp_path, SENT._replace(author=author)))
    assert reader.metadata is not None and reader.metadata.author == author
    assert "Tekst." in reader.pages[0].extract_text()


def test_a_line_that_begins_like_a_list_stays_text(tmp_path: Path) -> None:
    """typst reads "- x", "+ x" or "7. x" at the start of a table cell, a list item or a field
    of the page as a list; pandoc escapes it only at the start of a paragraph."""
    markdown = ("| Dato | Note |\n|:--|:--|\n| 20. november 2026 | - ét |\n| + to | = tre |\n"
                "\n- \\+ fire\n- \\- fem\n")
    page = SENT._replace(title="+ Nyhed", subtitle="- Proces", date="- 7. december 2026")
    text = _pages(_pdf_file(markdown, tmp_path, page))[0]
    for shown in ("+ Nyhed", "- Proces", "- 7. december 2026", "- ét", "+ to", "= tre",
                  "+ fire", "- fem"):
        assert shown in text.replace("−", "-"), shown
    assert "•" not in text.replace("• + fire", "").replace("• - fem", "")
    source = convert_to_typst(markdown, page, tmp_path, tmp_path, tmp_path)
    assert "[#[]/**/20. november 2026]" in source


def test_a_heading_stays_with_its_table(tmp_path: Path) -> None:
    """Headings at several heights of the page, each over a table longer than a page: the
    table starts on its heading's page and goes on over the next, its header row repeated,
    instead of leaving the heading alone."""
    rows = "".join(f"| Kommune {k} | {k}.000 kr. |\n" for k in range(1, 51))
    sections = "\n\n".join(
        "Tekst " * (90 * k) + f"\n\n## Afsnit {k}\n\n| Behovsejer | Udgift |\n|:--|--:|\n"
        + rows.replace("Kommune", f"Kommune {k}.") for k in range(1, 6))
    pages = _pages(_pdf_file(sections, tmp_path))
    for k in range(1, 6):
        (page,) = [number for number, text in enumerate(pages) if f"Afsnit {k} " in text]
        assert f"Kommune {k}. 1 1.000 kr." in pages[page], k
        rest = " ".join(pages[page + 1:])
        assert f"Kommune {k}. 50 50.000 kr." in rest and "Behovsejer Udgift" in pages[page + 1]


SIGNATURES = (":::: signatures\n::: signature\n**Aarhus Kommune**\n\nNavn: []{.blank}\n\n"
              "Underskrift: []{.signing-line}\n:::\n::: signature\n**Horsens Kommune**\n\n"
              "*x*.at(0)\\], ) #place(rect()) // ]\n:::\n::::\n")


def test_signature_blocks_are_a_grid_in_every_format_and_their_text_stays_text(
        tmp_path: Path) -> None:
    from xml.etree import ElementTree

    text = _pages(_pdf_file(SIGNATURES, tmp_path))[0]
    assert "x.at(0)], ) #place(rect()) // ]" in text  # *x* is emphasis, the rest text
    source = convert_to_typst(SIGNATURES, SENT, tmp_path, tmp_path, tmp_path)
    assert source.count("#copi-signatures(") == 1 and "#copi-signing-line" in source
    docx = _docx(SIGNATURES, tmp_path)
    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = ElementTree.fromstring(docx["word/document.xml"])
    (table,) = body.iter(f"{word}tbl")
    (row,) = table.iter(f"{word}tr")
    cells = ["".join(t.text or "" for t in cell.iter(f"{word}t"))
             for cell in row.iter(f"{word}tc")]
    assert cells[0].startswith("Aarhus Kommune") and "Underskrift: ____" in cells[0]
    assert cells[1].startswith("Horsens Kommune")
    html = convert(SIGNATURES, "html", SENT, tmp_path, tmp_path, tmp_path).decode()
    assert '<div class="signatures">' in html and '<span class="signing-line"></span>' in html
    markdown = convert(SIGNATURES, "md", SENT, tmp_path, tmp_path, tmp_path).decode()
    assert ":::" not in markdown and "Underskrift: ......" in markdown


def _docx(markdown: str, tmp_path: Path, page: Page = SENT) -> dict[str, bytes]:
    import zipfile

    workdir = tmp_path / "docx"
    workdir.mkdir(exist_ok=True)
    data = convert(markdown, "docx", page, tmp_path, tmp_path, workdir)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_word_has_the_title_and_author_and_keeps_table_rows_whole(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    parts = _docx("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n", tmp_path,
                  SENT._replace(draft_label=None))
    core = ElementTree.fromstring(parts["docProps/core.xml"])
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.findtext(f"{dc}title") == "Problembeskrivelse"
    assert core.findtext(f"{dc}creator") == "CO-PI"
    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    rows = list(ElementTree.fromstring(parts["word/document.xml"]).iter(f"{word}tr"))
    assert len(rows) == 3
    assert all(row.find(f"{word}trPr/{word}cantSplit") is not None for row in rows)


def test_markdown_is_gfm_with_only_the_escapes_it_needs(tmp_path: Path) -> None:
    """Written from copi's Markdown, where every value is escaped as text."""
    markdown = ("Faciliteret af CO\\-PI, kontakt\\@co\\-pi\\.example\\.\n\n"
                "1\\. september begynder vi \\*ikke\\* med *kursiv*.\n\n"
                "| Dato | Af |\n|:--|:--|\n| 1\\. september 2025 | CO\\-PI |\n\n"
                "```\n| 1\\. x |\n```\n")
    out = convert(markdown, "md", SENT, tmp_path, tmp_path, tmp_path).decode("utf-8")
    assert out.startswith('---\ntitle: "Problembeskrivelse"\n')
    assert "Faciliteret af CO-PI, kontakt@co-pi.example." in out
    assert "1\\. september begynder vi \\*ikke\\* med *kursiv*." in out  # a list, or emphasis
    assert "| 1. september 2025 | CO-PI |" in out  # a cell holds no list
    assert "\n    | 1\\. x |\n" in out  # code is shown as it is
