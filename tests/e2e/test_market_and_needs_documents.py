"""The market dialogue report and the needs communication say what the method says they are,
rendered by the installed copi with the real pandoc and typst and read back (PDF text, Word
XML, HTML parsed, the Markdown), in Danish and English.

The report: only activities with the market (not the matchmaking between public buyers, not a
workshop of the need owners or one closed to suppliers); the dialogue is no tender and taking
part gives no advantage in later tenders, with udbudsloven § 39 and § 40, the directive's
art. 40–41 and
the competition authority's guidance; each material with where to get it. The needs
communication: the market insights it builds on, labelled success criteria, choices and
deselections, common concepts and standards, and the descriptions, products or tools it
consists of.
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
OPEN_WORKSHOP = "Åben workshop om dataudveksling"
CLOSED_WORKSHOP = "Lukket workshop med udvalgte leverandører"
CLOSED_MEETING = "Informationsmøde for inviterede"


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _process(root: Path) -> Path:
    """The example with three more events — a workshop announced open to all suppliers, a
    workshop and an information meeting closed to them — and, in the records, the parts the
    method names for a needs communication: choices and deselections (one confidential),
    standards, and a tool and a product it consists of (one only as a file)."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    _write(root, "arrangementer/2026-10-20-workshop-data.yaml",
           f'id: 2026-10-20-workshop-data\nkind: workshop\ntitle: {OPEN_WORKSHOP}\n'
           'date: "2026-10-20"\nannounced: {date: "2026-10-01", channel: udbud.dk, open: true}\n'
           'materials:\n  - {title: Opsamling fra workshoppen, '
           'file: materialer/leverandoerkonference-slides.pdf, published: "2026-10-22"}\n')
    _write(root, "arrangementer/2026-10-21-workshop-lukket.yaml",
           f'id: 2026-10-21-workshop-lukket\nkind: workshop\ntitle: {CLOSED_WORKSHOP}\n'
           'date: "2026-10-21"\nannounced: {date: "2026-10-01", channel: e-mail, open: false}\n')
    _write(root, "arrangementer/2026-10-23-informationsmoede.yaml",
           f'id: 2026-10-23-informationsmoede\nkind: information-meeting\n'
           f'title: {CLOSED_MEETING}\ndate: "2026-10-23"\n'
           'announced: {date: "2026-10-02", channel: e-mail, open: false}\n')
    needs = root / "udforskning/behov.yaml"
    needs.write_text(needs.read_text(encoding="utf-8").replace("\nformats:\n", (
        "\n  - id: ingen-abonnement\n    kind: deselection\n"
        "    text: Behovsejerne efterspørger ikke løsninger med abonnement pr. borger.\n"
        "    confidential: true\nformats:\n"), 1), encoding="utf-8")
    _append(root, "ordliste.yaml", (
        "  - name: ISO 8601\n    use: Datoer for fald angives ens i alle systemer.\n"))
    _append(root, "udforskning/behov.yaml", (
        "  - title: Faldkort over kommunen\n    kind: description\n"
        "    file: materialer/leverandoerkonference-slides.pdf\n"))
    return root


def _copi(root: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "COPI_CACHE_DIR": str(home / "cache"),
           "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
           "COLUMNS": "80", "NO_COLOR": "1"}
    return subprocess.run([*copi_executable(), *args], cwd=root, capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("documents")
    home = base / "home"
    home.mkdir()
    root = _process(base / "faerre-fald")
    done = _copi(root, home, "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    for lang in ("da", "en"):
        done = _copi(root, home, "render", "market-dialogue-report", "needs-communication",
                     "--format", ",".join(FORMATS), "--lang", lang, "--out", str(base / lang))
        assert done.returncode == 0, done.stderr
    return base


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _read(path: Path) -> str:
    """What a reader reads, whitespace and line-end hyphenation undone."""
    if path.suffix == ".pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        text = text.replace("/\n", "/")  # typst breaks a line after a slash: 2014/24/ EU
    elif path.suffix == ".docx":
        namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        with zipfile.ZipFile(path) as archive:
            document = ElementTree.fromstring(archive.read("word/document.xml"))
        text = "\n".join("".join(node.text or "" for node in paragraph.iter(f"{namespace}t"))
                         for paragraph in document.iter(f"{namespace}p"))
    elif path.suffix == ".html":
        page = _Text()
        page.feed(path.read_text(encoding="utf-8"))
        text = "".join(page.parts)
    else:
        text = re.sub(r"[*`<>]", "", path.read_text(encoding="utf-8"))
        text = re.sub(r"(?m)^- ", "", re.sub(r"\\(.)", r"\1", text))  # list items
    return _plain(text)


def _plain(text: str) -> str:
    """Text as compared: a PDF's hyphens (typst's, read back as soft hyphens) cannot be told
    from hyphenation at a line's end, so every hyphen is left out, on both sides."""
    text = re.sub(r"[\xad-]\n", "", text.replace("•", ""))
    text = text.replace("\xad", "").replace("-", "").replace("’", "'")
    return " ".join(text.split())


def _missing(wordings: tuple[str, ...], text: str) -> list[str]:
    return [wording for wording in wordings if _plain(wording) not in text]


def _document(made: Path, lang: str, name: dict[str, str], fmt: str) -> str:
    return _read(made / lang / f"{name[lang]}.{fmt}")


REPORT = {"da": "markedsdialog", "en": "market-dialogue-report"}
NEEDS = {"da": "behovsformidling", "en": "needs-communication"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_report_states_the_legal_frame_with_its_sources(made: Path, fmt: str) -> None:
    danish = _document(made, "da", REPORT, fmt)
    for wording in ("Markedsdialogen er ikke et udbud.",
                    "Deltagelse giver ingen fortrinsstilling i senere udbud, og viden, der gives "
                    "til én, deles med alle.",
                    "udbudslovens § 39 om markedsundersøgelser og § 40 om forudgående "
                    "inddragelse af ansøgere eller tilbudsgivere.",
                    "Bestemmelserne gennemfører artikel 40 og 41 i direktiv 2014/24/EU "
                    "(udbudsdirektivet).",
                    "Konkurrence- og Forbrugerstyrelsens vejledning",
                    "Dialog før og under udbudsprocessen"):
        assert not _missing((wording,), danish), wording
    # too absolute: prior involvement can lead to measures under § 40
    assert "har ingen betydning for senere udbud" not in " ".join(danish.split())
    english = _document(made, "en", REPORT, fmt)
    for wording in ("The market dialogue is not a tender.",
                    "Taking part gives no advantage in later tenders, and information given to "
                    "one is shared with all.",
                    "§ 39 of the Danish Public Procurement Act (udbudsloven) on market "
                    "consultations and § 40 on the prior involvement of candidates or tenderers.",
                    "articles 40 and 41 of directive 2014/24/EU (the procurement directive)",
                    "Danish Competition and Consumer Authority's guidance",
                    "Dialog før og under udbudsprocessen"):
        assert not _missing((wording,), english), wording


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_report_lists_only_activities_with_the_market(made: Path, fmt: str) -> None:
    for lang in ("da", "en"):
        text = _document(made, lang, REPORT, fmt)
        assert not _missing(("Leverandørkonference: færre fald i eget hjem", OPEN_WORKSHOP,
                             CLOSED_MEETING), text)
        # the matchmaking between public buyers and the need owners' own workshops are no
        # market dialogue; nor is a workshop closed to suppliers
        for absent in ("Matchmaking: færre fald i eget hjem", "Workshop med borgere",
                       "Workshop om kriterier", CLOSED_WORKSHOP):
            assert _plain(absent) not in text, (lang, absent)
        # a closed information meeting is contact with the market: listed, and said so
        assert ("kun for inviterede" if lang == "da" else "by invitation only") in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_report_says_where_to_get_each_material(made: Path, fmt: str) -> None:
    danish = _document(made, "da", REPORT, fmt)
    assert not _missing(("Opsamling fra workshoppen (offentliggjort 22. oktober 2026): kan "
                         "rekvireres hos CO-PI (kontakt@co-pi.example, tlf. 70 20 30 40)",),
                        danish)
    english = _document(made, "en", REPORT, fmt)
    assert not _missing(("Opsamling fra workshoppen (published 22 October 2026): available "
                         "from CO-PI (kontakt@co-pi.example, tlf. 70 20 30 40)",), english)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_needs_communication_is_what_the_method_says(made: Path, fmt: str) -> None:
    danish = _document(made, "da", NEEDS, fmt)
    for wording in (
            "Behovsformidlingen er grundlaget for behovsejernes fælles hensigtserklæring",
            "Indsigter fra markedsdialogen",
            "Flere leverandører har sensorløsninger, men ingen deler data på tværs af sektorer.",
            "Succeskriterier: Tid fra fald til hjælp",
            "Valg og fravalg", "Behovsejerne vælger: Fald skal opdages uden kameraer",
            "Gælder behovet: Fald skal opdages hurtigt, også om natten.",
            "Behovsejerne vælger fra: Plejeboliger er ikke omfattet",
            "Fælles begreber og standarder", "Behovsejerne bruger de samme standarder",
            "HL7 FHIR", "ISO 8601: Datoer for fald angives ens i alle systemer.",
            "Behovsformidlingens dele", "Tjekliste til kravspecifikationen (værktøj)",
            "En nat i eget hjem (produkt)",
            "Faldkort over kommunen (beskrivelse) Kan rekvireres hos CO-PI"):
        assert not _missing((wording,), danish), wording
    # a confidential deselection stays with the partnership
    assert "abonnement" not in danish
    english = _document(made, "en", NEEDS, fmt)
    for wording in ("is the basis of the need owners' joint declaration of intent",
                    "Insights from the market dialogue", "Success criteria: Tid fra fald",
                    "Choices and deselections", "The need owners choose:",
                    "The need owners leave out:", "Shared terms and standards",
                    "The need owners use the same standards", "What the needs communication "
                    "consists of", "(tool)", "(product)",
                    "Faldkort over kommunen (description) Available from CO-PI"):
        assert not _missing((wording,), english), wording
