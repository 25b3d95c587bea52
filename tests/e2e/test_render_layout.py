"""The layout people expect, read back from what copi render writes: signature blocks whole
on their page for twenty signatories, tables that fit A4, the metadata of PDF and Word, PDFs that
poppler reads without a warning, and Markdown that pastes into a CMS without stray escapes.

poppler-utils (pdfinfo, pdftotext) is a system package, as .ci/run installs it; without it the
tests that run it are skipped, unless COPI_REQUIRE_POPPLER is set (CI sets it), when they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from pypdf import PdfReader

from conftest import EXAMPLE, copi_executable

POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")
if not POPPLER and os.environ.get("COPI_REQUIRE_POPPLER"):
    raise RuntimeError("poppler-utils is required: apt-get install poppler-utils")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")

# Fourteen more municipalities of Region Midtjylland, as `copi owner add` would record them
JOINING = {"Favrskov": "710", "Hedensted": "766", "Herning": "657", "Holstebro": "661",
           "Ikast-Brande": "756", "Lemvig": "665", "Norddjurs": "707", "Odder": "727",
           "Ringkøbing-Skjern": "760", "Samsø": "741", "Skanderborg": "746", "Skive": "779",
           "Struer": "671", "Syddjurs": "706",
           # and two of Region Syddanmark
           "Kolding": "621", "Vejle": "630"}
# of the twenty-two need owners, the first twenty (by id) have signed; Vejle and Viborg have
# not decided and have blank blocks to sign on the signature sheet (a signed declaration lists
# those who signed)
SIGNED = 20


def _render(root: Path, *args: str) -> Path:
    done = subprocess.run([*copi_executable(), "render", *args], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return root / "build"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layout") / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    return _render(root, "all", "--format", "pdf,docx,md")


@pytest.fixture(scope="module")
def twenty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The example with twenty-two need owners, twenty of whom have signed: the declaration and
    the signature sheet as PDF. Also the need owners' names, in the order of their blocks."""
    root = tmp_path_factory.mktemp("twenty") / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    for name, code in JOINING.items():
        ident = name.lower().replace("ø", "oe").replace("å", "aa") + "-kommune"
        (root / "organisationer" / f"{ident}.yaml").write_text(yaml.safe_dump(
            {"id": ident, "name": f"{name} Kommune", "type": "municipality",
             "role": "need-owner", "municipality_code": code, "joined": "2026-05-04"},
            allow_unicode=True), encoding="utf-8")
    owners = sorted(path.stem for path in (root / "organisationer").glob("*.yaml")
                    if "need-owner" in path.read_text(encoding="utf-8"))
    assert len(owners) == 22
    potential = yaml.safe_load((root / "potentiale.yaml").read_text(encoding="utf-8"))
    potential["owners"] += [{"owner": ident, "effects": [  # business cases of millions
        {"year": 2029, "kind": "benefit", "description": "Færre indlæggelser",
         "amount_dkk": {"low": 120_000_000, "expected": 134_567_890, "high": 159_999_999}},
        {"year": 2028, "kind": "cost", "investment": True, "description": "Indkøb",
         "amount_dkk": {"low": 180_000_000, "expected": 194_567_890, "high": 259_999_999}}]}
        for ident in owners if ident not in {o["owner"] for o in potential["owners"]}]
    (root / "potentiale.yaml").write_text(yaml.safe_dump(potential, allow_unicode=True),
                                          encoding="utf-8")
    signatures = [{"organisation": ident, "decision": "signed", "signer": f"Underskriver {k}",
                   "title": f"Borgmester {k}", "date": "2026-11-20", "place": "Aarhus Rådhus"}
                  for k, ident in enumerate(owners[:SIGNED])]
    (root / "underskrifter.yaml").write_text(yaml.safe_dump({"signatures": signatures},
                                                            allow_unicode=True),
                                             encoding="utf-8")
    names = [yaml.safe_load((root / "organisationer" / f"{ident}.yaml").read_text(
        encoding="utf-8"))["name"] for ident in owners]
    return _render(root, "declaration", "signature-sheet", "potential", "--format",
                   "pdf,docx"), names


def test_the_net_present_value_tables_header_is_one_line(
        twenty: tuple[Path, list[str]]) -> None:
    """Six columns of amounts in the millions for fifteen need owners: the header row of the
    table of net present values is not wrapped."""
    build, _ = twenty
    for page in PdfReader(build / "potentialeberegning.pdf").pages:
        placed: list[tuple[float, str]] = []  # each text with its baseline
        page.extract_text(visitor_text=lambda text, cm, tm, *_, placed=placed: placed.append(
            (round(tm[5] * cm[3] + cm[5], 1), text)))
        lines: dict[float, str] = {}
        for baseline, text in placed:
            lines[baseline] = lines.get(baseline, "") + text
        # the header, not the paragraph below the table that names the costs too
        header = [" ".join(line.split()) for line in lines.values()
                  if "Omkostninger" in line and line.lstrip().startswith("Behovsejer")]
        if header:
            break
    assert header == ["Behovsejer Gevinster Omkostninger NNV, lav NNV, forventet NNV, høj"]


def _page_texts(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@pytest.mark.parametrize("name", ["hensigtserklaering", "underskriftsark"])
def test_twenty_signature_blocks_each_whole_on_its_page(twenty: tuple[Path, list[str]],
                                                        name: str) -> None:
    build, owners = twenty
    pages = _page_texts(build / f"{name}.pdf")
    if name == "hensigtserklaering":  # the parties are named before the blocks
        (start,) = [k for k, text in enumerate(pages) if "Underskrifter" in text]
        pages = pages[start:]
        pages[0] = pages[0].split("Underskrifter", 1)[1]
        owners = owners[:SIGNED]  # signed, it lists those who signed
    seen = []
    for text in pages:
        here = [owner for owner in owners if owner in text]
        seen += here
        signed = [owner for owner in here if owners.index(owner) < SIGNED]
        for owner in signed:  # the signatory's name, title and date are on the same page
            k = owners.index(owner)
            assert f"Navn: Underskriver {k} " in text and f"Titel: Borgmester {k} " in text
        blank = len(here) - len(signed)
        # each signed at Aarhus Rådhus: place and date on one line
        assert text.count("Sted og dato: Aarhus Rådhus, den 20. november 2026") == len(signed)
        assert text.count("Sted og dato:") - len(signed) == text.count("Underskrift:") == \
            blank + text.count("Organisation:")  # the sheet's blocks for those who accede later
        assert text.count("Navn:") == len(here) + text.count("Organisation:")
    assert sorted(seen) == sorted(owners)  # each once, all of them
    if name == "underskriftsark":
        assert sum(text.count("Organisation:") for text in pages) == 2


def test_twenty_signature_blocks_in_word_are_a_table_of_unsplit_rows(
        twenty: tuple[Path, list[str]]) -> None:
    build, owners = twenty
    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(build / "hensigtserklaering.docx") as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml"))
    (table,) = body.iter(f"{word}tbl")
    rows = list(table.iter(f"{word}tr"))
    assert len(rows) == 10 and all(row.find(f"{word}trPr/{word}cantSplit") is not None
                                   for row in rows)
    firsts = ["".join(t.text or "" for t in cell.find(f"{word}p").iter(f"{word}t"))
              for row in rows for cell in row.iter(f"{word}tc")]
    assert sorted(firsts) == sorted(owners[:SIGNED])  # those who signed


@needs_poppler
def test_poppler_reads_every_pdf_without_a_warning(public: Path) -> None:
    for path in sorted(public.glob("*.pdf")):
        for command in (["pdfinfo", path], ["pdftotext", path, os.devnull]):
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            assert done.stderr == "", (path.name, done.stderr)


@needs_poppler
def test_pdfinfo_shows_title_author_and_language(public: Path) -> None:
    path = public / "hensigtserklaering.pdf"
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Title"].strip() == "Fælles hensigtserklæring: Sammen om færre fald i eget hjem"
    assert fields["Author"].strip() == "CO-PI"  # brand.yaml's organisation
    meta = subprocess.run(["pdfinfo", "-meta", path], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"<dc:language>.*da-DK.*</dc:language>", meta)


def test_word_core_properties_carry_title_and_creator(public: Path) -> None:
    dc = "{http://purl.org/dc/elements/1.1/}"
    with zipfile.ZipFile(public / "pressemeddelelse.docx") as archive:
        core = ElementTree.fromstring(archive.read("docProps/core.xml"))
    title = "Aarhus Kommune vil sammen med andre forebygge fald i eget hjem"  # the text's
    assert core.findtext(f"{dc}title") == title
    assert core.findtext(f"{dc}creator") == "CO-PI"


def test_markdown_has_no_escapes_where_none_is_needed(public: Path) -> None:
    """No \\- or \\@ anywhere, and \\. only after a number that begins a line (it would begin
    a list): "CO-PI", "kontakt@co-pi.example" and "1. september" paste as they are."""
    for path in sorted(public.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "\\-" not in text and "\\@" not in text, path.name
        for line in text.splitlines():
            for match in re.finditer(r"\\\.", line):
                assert re.fullmatch(r"\s*(?:[-*+]\s+)?\d+", line[:match.start()]), (path.name,
                                                                                   line)
        assert ":::" not in text and "custom-style" not in text, path.name
    contact = (public / "pressemeddelelse.md").read_text(encoding="utf-8")
    assert "kontakt@co-pi.example" in contact
