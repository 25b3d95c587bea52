"""The market-dialogue report, the status report and the fact boxes as their readers get them,
rendered by the installed copi with the real pandoc and typst and read back: PDF text, Word
XML, HTML parsed, the Markdown.

A confidential 1:1 meeting is listed for the public with its date, supplier and subject, its
minutes nowhere; the facilitator is never a partner; internal versions mark a record once, the
unpublished answer as such; the status report has the open warnings and the market dialogue.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from conftest import EXAMPLE, copi_executable

FORMATS = ("pdf", "docx", "html", "md")
MINUTES = "Leverandøren præsenterede en radarbaseret sensor"
HIDDEN_MINUTES = "prototype, der endnu ikke er på markedet"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _process(root: Path) -> Path:
    """The example (every 1:1 meeting `confidential: true`) with CO-PI recorded as an
    organisation, a supplier that is itself confidential met 1:1, and an answer given but not
    yet published (R018)."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    (root / "organisationer" / "co-pi.yaml").write_text(
        'id: co-pi\nname: CO-PI\ntype: other\nrole: facilitator\njoined: "2025-09-01"\n',
        encoding="utf-8")
    (root / "leverandoerer" / "skjult-sensor.yaml").write_text(
        "id: skjult-sensor\nname: Skjult Sensor ApS\nconfidential: true\n", encoding="utf-8")
    (root / "moeder" / "2026-10-12-skjult-sensor.yaml").write_text(
        'id: 2026-10-12-skjult-sensor\nkind: one-to-one\nsupplier: skjult-sensor\n'
        'owners: [randers-kommune]\ndate: "2026-10-12"\n'
        'event: 2026-09-10-leverandoerkonference\ntopics: [Sensorer i badeværelset]\n'
        f'notes: Leverandøren viste en {HIDDEN_MINUTES}.\nconfidential: true\n',
        encoding="utf-8")
    _edit(root, "spoergsmaal-og-svar.yaml", "    asked_by: nordic-balance-tech\n",
          "    asked_by: nordic-balance-tech\n    answer: Med de gængse omsorgssystemer.\n"
          '    answered: "2026-10-09"\n')
    return root


def _copi(root: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed copi in a subprocess, with a home, git configuration and cache of its
    own (a module's fixture runs before the per-test isolation)."""
    env = {**os.environ, "HOME": str(home), "COPI_CACHE_DIR": str(home / "cache"),
           "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
           "COLUMNS": "80", "NO_COLOR": "1"}
    return subprocess.run([*copi_executable(), *args], cwd=root, capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("reports")
    home = base / "home"
    home.mkdir()
    root = _process(base / "faerre-fald")
    for args in (("--out", str(base / "public")),
                 ("--audience", "internal", "--out", str(base / "internal"))):
        done = _copi(root, home, "render", "market-dialogue-report", "press-release",
                     "--format", ",".join(FORMATS), *args)
        assert done.returncode == 0, done.stderr
    done = _copi(root, home, "render", "status-report", "--format", "md,docx",
                 "--out", str(base / "internal"))
    assert done.returncode == 0, done.stderr
    return base


# --- reading the outputs back ------------------------------------------------------------------

class _Html(HTMLParser):
    """The text of a page and the cells of its table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _html(path: Path) -> _Html:
    page = _Html()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _docx(path: Path) -> list[str]:
    """A Word document's paragraphs (table cells included), each as one line."""
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    return ["".join(node.text or "" for node in paragraph.iter(f"{namespace}t"))
            for paragraph in root.iter(f"{namespace}p")]


def _read(path: Path) -> str:
    """What a reader reads, whitespace and line-end hyphenation undone."""
    if path.suffix == ".pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    elif path.suffix == ".docx":
        text = "\n".join(_docx(path))
    elif path.suffix == ".html":
        text = " ".join(_html(path).text)
    else:
        text = re.sub(r"[*`]", "", path.read_text(encoding="utf-8"))
        text = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\|", " ", text))  # table cells
    return " ".join(re.sub(r"-\s*\n\s*", "", text).split())


# --- point 7: every dialogue activity listed; the facilitator is no partner -------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_a_confidential_meeting_is_listed_for_the_public_its_minutes_withheld(
        made: Path, fmt: str) -> None:
    text = _read(made / "public" / f"markedsdialog.{fmt}")
    for shown in ("24. september 2026", "Sensa Care ApS", "Faldsensorer",
                  "Sensa Care ApS, 24. september 2026: Referatet er fortroligt.",
                  # a supplier that is itself confidential: withheld, the meeting listed
                  "12. oktober 2026", "(navn ikke offentligt)", "Sensorer i badeværelset"):
        assert shown in text, (fmt, shown)
    assert "Skjult Sensor" not in text and HIDDEN_MINUTES not in text
    for path in (made / "public").iterdir():  # nor anywhere else public
        read = _read(path)
        assert MINUTES not in read and "radarbaseret" not in read, path.name
        assert HIDDEN_MINUTES not in read and "Skjult" not in read, path.name


def test_the_meetings_table_of_the_public_page_has_a_row_per_meeting(made: Path) -> None:
    rows = _html(made / "public" / "markedsdialog.html").rows
    assert rows[0] == ["Dato", "Leverandør", "Behovsejere", "Emner"]
    assert ["24. september 2026", "Sensa Care ApS", "Aarhus Kommune, Region Midtjylland",
            "Faldsensorer · Dataudveksling med omsorgssystemer"] in rows
    assert ["12. oktober 2026", "(navn ikke offentligt)", "Randers Kommune",
            "Sensorer i badeværelset"] in rows
    assert len([row for row in rows if row[0].endswith("2026") and len(row) == 4]) >= 5


def test_an_internal_meeting_marks_its_minutes_not_its_subject(made: Path) -> None:
    text = _read(made / "internal" / "markedsdialog-intern.md")
    assert f"Sensa Care ApS, 24. september 2026: [FORTROLIGT] {MINUTES}" in text
    assert ("24. september 2026 Sensa Care ApS Aarhus Kommune, Region Midtjylland "
            "Faldsensorer · Dataudveksling med omsorgssystemer") in text
    assert "12. oktober 2026 [FORTROLIGT] Skjult Sensor ApS Randers Kommune" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_facilitator_is_never_listed_as_a_partner(made: Path, fmt: str) -> None:
    press = _read(made / "public" / f"pressemeddelelse.{fmt}")
    assert "Faciliteret af: CO-PI" in press
    assert re.search(r"Partnere: VIA University College, Welfare Tech\W+Faciliteret", press)


def test_the_status_report_shows_the_facilitator_as_no_partner(made: Path) -> None:
    report = _read(made / "internal" / "statusrapport.md")
    assert "CO-PI facilitator 1. september 2025 – –" in report and "Partnere: 2" in report


# --- point 10: readable internal versions ------------------------------------------------------

def test_the_internal_report_marks_the_unpublished_answer(made: Path) -> None:
    for fmt in ("md", "docx"):
        text = _read(made / "internal" / f"markedsdialog-intern.{fmt}")
        assert ("3. Hvilke omsorgssystemer skal en løsning kunne udveksle data med? (spurgt af "
                "[INTERN] Nordic Balance Tech ApS) Med de gængse omsorgssystemer. "
                "Svaret er ikke offentliggjort.") in text, fmt
        assert text.count("Offentliggjort 21. september 2026.") == 2, fmt
    public = _read(made / "public" / "markedsdialog.md")
    assert "gængse omsorgssystemer" not in public and "offentliggjort." not in public


def test_an_internal_record_with_several_personal_values_is_marked_once(made: Path) -> None:
    lines = _docx(made / "internal" / "markedsdialog-intern.docx")
    sensa = next(line for line in lines if line.startswith("Sensa Care ApS —"))
    assert sensa.count("[PERSONDATA]") == 1 and sensa.count("[FORRETNINGSHEMMELIGHED]") == 1
    assert sensa.index("[PERSONDATA]") < sensa.index("Jonas Holm") < sensa.index(
        "jh@sensa-care.example")
    contacts = [line for line in _docx(made / "internal" / "statusrapport.docx")
                if line.startswith("Aarhus Kommune: ")]
    assert contacts == ["Aarhus Kommune: [PERSONDATA] Louise Bach, Projektleder, "
                        "velfærdsteknologi, loba@aarhus.example"]


def test_the_status_report_lists_open_warnings_and_the_market_dialogue(made: Path) -> None:
    lines = (made / "faerre-fald" / "spoergsmaal-og-svar.yaml").read_text(
        encoding="utf-8").splitlines()
    line = lines.index("    answer: Med de gængse omsorgssystemer.") + 1
    for fmt in ("md", "docx"):
        text = _read(made / "internal" / f"statusrapport.{fmt}")
        assert "Åbne advarsler copi validate har 1 advarsel, der bør løses." in text, fmt
        assert (f"spoergsmaal-og-svar.yaml:{line}: R018 question q-003 is answered but not "
                "published to all") in text, fmt
        assert "Markedsdialogen" in text
        assert ("10. september 2026 Leverandørkonference: færre fald i eget hjem "
                "leverandørkonference 18. august 2026, åbent for alle 2") in text, fmt
        assert "1:1-møder: 5 afholdt med 5 leverandører" in text, fmt
        assert ("Spørgsmål fra leverandører: 3 stillet, 3 besvaret, 2 offentliggjort for "
                "alle") in text, fmt
        assert ("TrygStep A/S, 20. oktober 2026: Kommenterede udkastet til behovsformidlingens "
                "afsnit om installation i ældreboliger. (delt med alle)") in text, fmt
