"""The charts in the rendered documents, read back from every format as their readers get them:
the HTML's <img> with its alternative text and the SVG inside it, the PDF page's picture with
its text extractable, the Word document's PNG with its description, the Markdown's paragraph
in the picture's place — from the same figures as the tables, in Danish and English, cut to the
audience, a hostile name kept as text, and the same bytes when rendered again (issue 22)."""

from __future__ import annotations

import base64
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import EXAMPLE, commit_all, git, publish

FORMATS = "pdf,docx,html,md"
SVG = "{http://www.w3.org/2000/svg}"
DEMAND_DA = ("Forventet udgift: 2028: 3.800.000 kr. (lav 3.050.000 kr., høj 4.950.000 kr.); "
             "2029: 2.510.000 kr. (lav 1.980.000 kr., høj 3.290.000 kr.).")
OWNERS = ("Aarhus Kommune", "Horsens Kommune", "Randers Kommune", "Silkeborg Kommune",
          "Viborg Kommune")


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def charts_in_html(path: Path) -> list[tuple[str, str]]:
    """(alternative text, the SVG's drawn texts joined) of every chart in an HTML document."""
    parser = _Images()
    parser.feed(path.read_text(encoding="utf-8"))
    found = []
    for image in parser.images:
        source = image.get("src") or ""
        if source.startswith("data:image/svg+xml;base64,"):
            svg = base64.b64decode(source.split(",", 1)[1]).decode("utf-8")
            drawn = ["".join(n.itertext()) for n in ElementTree.fromstring(svg).iter(f"{SVG}text")]
            found.append((image.get("alt") or "", "\n".join(drawn)))
    return found


def pdf_page_with(path: Path, words: str):  # noqa: ANN201 - a pypdf page
    for page in PdfReader(path).pages:
        if words in page.extract_text():
            return page
    raise AssertionError(f"no page of {path.name} has {words!r}")


def docx_pictures(path: Path) -> tuple[list[bytes], list[str]]:
    """The PNG files in word/media and the descriptions (alternative texts) of the pictures."""
    with zipfile.ZipFile(path) as archive:
        media = [archive.read(name) for name in archive.namelist()
                 if name.startswith("word/media/") and name.endswith(".png")]
        document = ElementTree.fromstring(archive.read("word/document.xml"))
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    described = [node.get("descr") or "" for node in document.iter(f"{wp}docPr")]
    return media, described


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's potential calculation and status report in every format."""
    from copi_cli.cli.app import main

    root = tmp_path_factory.mktemp("charts") / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    with pytest.raises(SystemExit) as done:
        main(["render", "potential", "status-report", "--format", FORMATS, "--dir", str(root)])
    assert done.value.code == 0
    return root / "build"


def test_the_demand_signal_in_html_is_an_svg_with_its_figures_as_alternative_text(
        example_build: Path) -> None:
    [(alt, drawn)] = charts_in_html(example_build / "potentialeberegning.html")
    assert DEMAND_DA in alt and "Enheder: 2028: 1.900; 2029: 1.250." in alt
    for text in ("2028", "2029", "1.000.000", "Forventet udgift (kr.)", *OWNERS):
        assert text in drawn, text
    html = (example_build / "potentialeberegning.html").read_text(encoding="utf-8")
    assert html.index("<figure>") < html.index("<table>")  # the chart beside its table
    assert "copi-chart-" not in html


def test_the_pdf_page_has_the_chart_as_a_picture_with_its_text(example_build: Path) -> None:
    path = example_build / "potentialeberegning.pdf"
    page = pdf_page_with(path, "Efterspørgselssignalet")
    # typst draws the SVG as vector paths on the page: filled bars in the brand's colours
    operations = ContentStream(page.get_contents(), PdfReader(path)).operations
    assert sum(1 for _, op in operations if op == b"f") >= 7  # 7 bars in two panels
    fills = {tuple(round(float(v) * 255) for v in operands)
             for operands, op in operations if op == b"scn" and len(operands) == 3}
    assert (0x1f, 0x4e, 0x79) in fills and (0xc0, 0x50, 0x4d) in fills  # brand.yaml
    text = page.extract_text()
    for shown in ("2028", "2029", "5.000.000", "Forventet udgift (kr.)", *OWNERS):
        assert shown in text, shown
    assert "Figur" in text  # the alternative text is the caption


def test_word_carries_a_png_described_by_the_alternative_text(example_build: Path) -> None:
    media, described = docx_pictures(example_build / "potentialeberegning.docx")
    assert len(media) == 1 and media[0].startswith(b"\x89PNG\r\n\x1a\n")
    assert any(DEMAND_DA in text for text in described)


def test_markdown_states_the_figures_in_the_pictures_place(example_build: Path) -> None:
    markdown = (example_build / "potentialeberegning.md").read_text(encoding="utf-8")
    assert "Diagram over efterspørgselssignalet pr. år" in markdown and "![" not in markdown
    assert "3.800.000 kr. (lav 3.050.000 kr., høj 4.950.000 kr.)" in markdown
    assert "copi-chart-" not in markdown


def test_the_status_report_shows_the_timeline_and_the_consortium(example_build: Path) -> None:
    (timeline_alt, timeline), (consortium_alt, consortium) = charts_in_html(
        example_build / "statusrapport.html")
    assert ("4. Markedsdialog fra 17. august 2026" in timeline_alt
            and "Lanceringen 10. juni 2027." in timeline_alt)
    for text in ("1. Innovationsbehov hos offentlig indkøber", "4. Markedsdialog",
                 "Arrangementer", "Lancering"):
        assert text in timeline, text
    assert "7 behovsejere med" in consortium_alt and "0 har underskrevet" in consortium_alt
    assert "Behovsejere i processen" in consortium and "Har underskrevet" in consortium
    media, described = docx_pictures(example_build / "statusrapport.docx")
    assert len(media) == 2
    assert described[0].startswith("Tidslinje over processens faser: 1. Innovationsbehov")
    assert described[1].startswith("Diagram over konsortiet over tid, 7. december 2026")
    page = pdf_page_with(example_build / "statusrapport.pdf", "Innovationsbehov")
    assert "Arrangementer" in page.extract_text()


def test_an_english_document_has_english_charts(copi, example: Path) -> None:
    run = copi("render", "potential", "--format", "html,docx", "--lang", "en", cwd=example)
    assert run.code == 0, run.err
    [(alt, drawn)] = charts_in_html(example / "build" / "potential-calculation.html")
    assert ("Expected spend: 2028: DKK 3,800,000 (low DKK 3,050,000, high DKK 4,950,000)"
            in alt)
    assert "1,000,000" in drawn and "Expected spend (DKK)" in drawn and "Need owner" in drawn


def test_a_public_chart_shows_only_what_the_public_table_shows(copi, example: Path) -> None:
    """A need owner whose record is confidential is in neither the table nor the chart, its
    purchases in neither sum; one whose name is withheld is in both as withheld."""
    path = example / "organisationer" / "horsens-kommune.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "confidential: true\n", encoding="utf-8")
    path = example / "organisationer" / "randers-kommune.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "confidential: [name]\n",
                    encoding="utf-8")
    run = copi("render", "potential", "--format", FORMATS, cwd=example)
    assert run.code == 0, run.err
    build = example / "build"
    [(alt, drawn)] = charts_in_html(build / "potentialeberegning.html")
    assert "2028: 3.000.000 kr. (lav 2.400.000 kr., høj 3.900.000 kr.)" in alt
    for hidden in ("Horsens", "Randers"):
        assert hidden not in alt and hidden not in drawn
        assert hidden not in pdf_page_with(build / "potentialeberegning.pdf",
                                           "Efterspørgselssignalet").extract_text()
        assert not any(hidden in text for text in docx_pictures(
            build / "potentialeberegning.docx")[1])
    assert "(navn ikke offentligt)" in drawn.splitlines()


def test_a_hostile_name_is_printed_as_it_is_written(copi, example: Path) -> None:
    name = "<script>x()</script> #set *f* [l](javascript:z) $m$"
    path = example / "organisationer" / "horsens-kommune.yaml"
    text = path.read_text(encoding="utf-8").replace("name: Horsens Kommune",
                                                    f"name: '{name}'")
    text = text.replace("type: municipality", "type: utility")
    path.write_text(re.sub(r"municipality_code: .*\n", "", text), encoding="utf-8")
    run = copi("render", "potential", "--format", FORMATS, cwd=example)
    assert run.code == 0, run.err
    build = example / "build"
    [(alt, drawn)] = charts_in_html(build / "potentialeberegning.html")
    assert name in drawn.splitlines() and name in alt
    html = (build / "potentialeberegning.html").read_text(encoding="utf-8")
    assert "<script" not in html
    page = pdf_page_with(build / "potentialeberegning.pdf", "Efterspørgselssignalet")
    assert name in page.extract_text().splitlines()
    assert any(name in text for text in docx_pictures(build / "potentialeberegning.docx")[1])


def test_a_published_document_with_a_chart_renders_to_the_same_bytes(
        copi, example: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """copi audit renders every publication again and compares its hashes: a chart drawn anew
    (an empty cache) gives the same files."""
    git(example, "init", "-q", "-b", "main")
    commit_all(example, "eksempel")
    publish(example, "potential")
    monkeypatch.setenv("COPI_CACHE_DIR", str(tmp_path / "fresh-cache"))
    from copi_cli.rendering import charts

    charts._memory.clear()
    run = copi("audit", cwd=example)
    assert "A011" not in run.out + run.err
    first = (example / "build" / "potentialeberegning.md").read_bytes()
    assert b"Diagram over eftersp" in first
    for fmt in ("pdf", "docx", "html"):
        rendered = []
        for attempt in range(2):
            monkeypatch.setenv("COPI_CACHE_DIR", str(tmp_path / f"cache-{fmt}-{attempt}"))
            charts._memory.clear()
            out = tmp_path / f"out-{fmt}-{attempt}"
            assert copi("render", "potential", "--format", fmt, "--out", str(out),
                        cwd=example).code == 0
            rendered.append(next(out.iterdir()).read_bytes())
        assert rendered[0] == rendered[1], fmt
