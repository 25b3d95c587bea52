"""The figures of the documents as a Danish facilitator read them in review (issue 21's
documents): a withdrawn need owner's purchases counted nowhere, a citizens total that says
which municipalities it leaves out, the declaration's counts, deficits and signature blocks
in plain words, and one minus sign in every format.

Each test builds its process from the bundled example in a git repository of its own, runs
copi as a facilitator does, renders with the real pandoc and typst and reads the documents
back (PDF text, Word XML, HTML parsed, the Markdown). Every figure is worked out by hand from
the example's records and the records the test writes."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from conftest import commit_all

FORMATS = ("pdf", "docx", "html", "md")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def readable(path: Path) -> str:
    """What a reader reads, spacing and line-end hyphenation undone."""
    if path.suffix == ".pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        text = re.sub(r"(?<=[a-zæøå])-\s*\n\s*", "", text)
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
        namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        text = "".join(node.text or "" for node in root.iter(f"{namespace}t"))
        text = text.replace("\u00a0", " ")
    elif path.suffix == ".html":
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        text = "".join(parser.parts)
    else:
        text = path.read_text(encoding="utf-8").replace("**", "")
    return " ".join(text.replace("\u00a0", " ").split())


def _render(copi, root: Path, document: str, *extra: str) -> None:
    run = copi("render", document, "--format", ",".join(FORMATS), *extra, cwd=root)
    assert run.code == 0, run.err


# --- 1. a withdrawn need owner carries no demand --------------------------------------------

@pytest.mark.usefixtures("danish_cli")
def test_a_withdrawn_owners_purchases_are_in_no_figure(copi, example_repo: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's planned purchases (potentiale.yaml): Aarhus 3,000,000 (1,500 units),
    Horsens 800,000 (400), Silkeborg 900,000 (450), Randers 850,000 (420), Viborg 760,000
    (380): 5 owners, 3,150 units, 6,310,000 kr. Randers withdraws: 4 owners, 2,730 units,
    5,460,000 kr. (low 4,350,000, high 7,140,000), of the six need owners still in."""
    run = copi("owner", "withdraw", "randers", "--date", "2026-11-15", cwd=example_repo)
    assert run.code == 0, run.err

    _render(copi, example_repo, "needs-communication")
    for fmt in FORMATS:
        text = readable(example_repo / "build" / f"behovsformidling.{fmt}")
        assert "4 af 6 behovsejere har planlagt indkøb; tallene omfatter kun dem." in text, fmt
        assert "5.460.000 kr." in text and "2.730" in text, fmt
        assert "6.310.000" not in text and "3.150" not in text, fmt
        assert "5 af 6" not in text, fmt

    # the potential calculation: Randers' purchase is not among the planned purchases either
    _render(copi, example_repo, "potential")
    text = readable(example_repo / "build" / "potentialeberegning.md")
    assert "4 af 6 behovsejere har planlagt indkøb" in text
    assert "Randers" not in text and "850.000" not in text

    shown = copi("potential", "--json", cwd=example_repo)
    assert shown.code == 0, shown.err
    total = json.loads(shown.out)["demand"]["total"]
    assert (total["owners"], total["units"]) == (4, "2730")
    assert total["spend_dkk"] == {"low": "4350000", "expected": "5460000", "high": "7140000"}
    assert "5.460.000" in copi("potential", cwd=example_repo).out

    status = copi("status", cwd=example_repo).out
    assert "5.460.000 kr., 2.730 enheder" in status and "6.310.000" not in status, status

    # the declaration before anyone signs and the launch press release: the owners expected
    # to sign, Randers not among them
    _render(copi, example_repo, "declaration")
    text = readable(example_repo / "build" / "hensigtserklaering.md")
    assert "Fire af seks behovsejere har planlagt indkøb for i alt ca. 5,5 mio. kr." not in text
    assert "850.000" not in text and "6,3 mio." not in text
    assert "for i alt ca. 5,5 mio. kr." in text, text

    # validate says where the purchases stay recorded, and that they are not counted
    monkeypatch.setenv("COPI_LANG", "en")
    found = copi("validate", cwd=example_repo)
    assert re.search(r"potentiale\.yaml:\d+:\d+: R038 warning: Randers Kommune withdrew on "
                     r"2026-11-15; its planned purchases stay recorded but are not counted",
                     found.out + found.err), found.out + found.err


# --- 2. a citizens total over some of them ----------------------------------------------------

def _without_viborgs_citizens(root: Path) -> None:
    path = root / "organisationer/viborg-kommune.yaml"
    path.write_text(re.sub(r"(?m)^citizens:.*\n", "", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    commit_all(root, "Viborg uden borgertal")


@pytest.mark.usefixtures("danish_cli")
def test_a_citizens_total_says_which_municipality_it_leaves_out(copi,
                                                                 example_repo: Path) -> None:
    """The example's municipalities: Aarhus 367,000, Horsens 97,000, Silkeborg 98,000,
    Randers 99,000, Skanderborg 66,000 and Viborg: 727,000 without Viborg, in five of six."""
    _without_viborgs_citizens(example_repo)
    status = copi("status", cwd=example_repo)
    assert status.code == 0, status.err
    assert ("Borgere: 727.000 i 5 af 6 kommuner; ikke opgjort for Viborg Kommune; "
            "Region Midtjylland: ikke opgjort") in status.out, status.out

    _render(copi, example_repo, "needs-communication")
    _render(copi, example_repo, "status-report")
    for fmt in FORMATS:
        for name in ("behovsformidling", "statusrapport"):
            text = readable(example_repo / "build" / f"{name}.{fmt}")
            assert ("Der bor 727.000 borgere i fem af de seks kommuner; for Viborg Kommune "
                    "er tallet ikke opgjort.") in text, (name, fmt, text)
            assert "de seks kommuner, som alle" not in text and "opgjort for 5" not in text

    _render(copi, example_repo, "needs-communication", "--lang", "en")
    text = readable(example_repo / "build" / "needs-communication.html")
    assert ("Five of the six municipalities have 727,000 citizens; for Viborg Kommune the "
            "figure is not recorded.") in text, text


# --- 3. the declaration's counts, deficits and signature blocks --------------------------------

POTENTIAL = """\
status: started
base_year: 2026
horizon_years: 10
owners:
  - owner: aarhus-kommune
    purchases:
      - year: 2028
        units: 1500
        spend_dkk: {low: 2400000, expected: 3050000, high: 3900000}
    effects:
      - year: 2028
        kind: cost
        investment: true
        amount_dkk: {low: 600000, expected: 800000, high: 1100000}
      - year: 2029
        kind: benefit
        amount_dkk: {low: 1500000, expected: 2600000, high: 3800000}
  - owner: region-midtjylland
    purchases:
      - year: 2029
        spend_dkk: {low: 1000000, expected: 1200000, high: 1500000}
    effects:
      - year: 2029
        kind: benefit
        amount_dkk: {low: 2000000, expected: 3500000, high: 5200000}
"""

SIGNATURES = """\
signatures:
  - organisation: aarhus-kommune
    decision: signed
    signer: Anders Hansen
    title: Borgmester
    date: "2026-12-01"
    place: Aarhus
  - organisation: region-midtjylland
    decision: signed
    signer: Anne Jensen
    title: Regionsrådsformand
    date: "2026-12-01"
"""


def _two_signatories(root: Path) -> None:
    config = root / "copi.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  min_need_owners: 3" in text
    config.write_text(text.replace("  min_need_owners: 3", "  min_need_owners: 3\n"
                                   "  declaration_net_present_value: true"), encoding="utf-8")
    (root / "potentiale.yaml").write_text(POTENTIAL, encoding="utf-8")
    (root / "underskrifter.yaml").write_text(SIGNATURES, encoding="utf-8")
    commit_all(root, "To parter underskriver")


def test_the_declaration_says_both_deficit_and_surplus_and_place_and_date(
        copi, example_repo: Path) -> None:
    _two_signatories(example_repo)
    d2, d3 = (Decimal(1) / Decimal("1.035") ** t for t in (2, 3))
    # Aarhus and the region, their planned purchases costs of their business cases:
    #   expected -(800,000 + 3,050,000)/1.035² + (2,600,000 + 3,500,000 - 1,200,000)/1.035³
    #   low (benefits low, costs high) -(1,100,000 + 3,900,000)/1.035² + (1,500,000 +
    #       2,000,000 - 1,500,000)/1.035³; high the reverse
    expected = -3_850_000 * d2 + 4_900_000 * d3
    low = -5_000_000 * d2 + 2_000_000 * d3
    high = -3_000_000 * d2 + 8_000_000 * d3
    assert (round(expected, -3), round(low, -5), round(high, -5)) == (826_000, -2_900_000,
                                                                      4_400_000)
    _render(copi, example_repo, "declaration")
    for fmt in FORMATS:
        text = readable(example_repo / "build" / f"hensigtserklaering.{fmt}")
        # purchases 3,050,000 + 1,200,000; low 2,400,000 + 1,000,000; high 3,900,000 +
        # 1,500,000; units only Aarhus's
        assert ("Begge parter har planlagt indkøb for i alt ca. 4,3 mio. kr. i 2026-priser "
                "(skønnet mellem 3,4 mio. kr. og 5,4 mio. kr.) til 1.500 enheder i årene "
                "2028–2029; enhederne er opgjort for 1 af dem.") in text, (fmt, text)
        assert "Alle to" not in text and "Alle 2" not in text
        assert ("skønnet til ca. 826.000 kr. (mellem et underskud på ca. 2,9 mio. kr. og et "
                "overskud på ca. 4,4 mio. kr.)") in text, (fmt, text)
        assert "Sted og dato: Aarhus, den 1. december 2026" in text, (fmt, text)
        assert "Dato: 1. december 2026 · Aarhus" not in text
        # the region gave no place: its date alone
        assert "Dato: 1. december 2026" in text

    _render(copi, example_repo, "declaration", "--lang", "en")
    for fmt in ("pdf", "docx"):
        text = readable(example_repo / "build" / f"declaration-of-intent.{fmt}")
        assert "Both parties have planned purchases of about DKK 4.3 million in all" in text
        assert ("estimated at about DKK 826,000 (between a deficit of about DKK 2.9 million "
                "and a surplus of about DKK 4.4 million)") in text, (fmt, text)
        assert "Place and date: Aarhus, 1 December 2026" in text, (fmt, text)


def test_one_of_two_and_a_deficit_throughout_are_said_in_words(copi,
                                                              example_repo: Path) -> None:
    _two_signatories(example_repo)
    # the region plans no purchase, and both gain a tenth: only Aarhus plans, and every
    # estimate of the joint net present value is a deficit
    text = POTENTIAL.replace("""    purchases:
      - year: 2029
        spend_dkk: {low: 1000000, expected: 1200000, high: 1500000}
""", "").replace("{low: 2000000, expected: 3500000, high: 5200000}",
                 "{low: 200000, expected: 350000, high: 520000}").replace(
        "{low: 1500000, expected: 2600000, high: 3800000}",
        "{low: 150000, expected: 260000, high: 380000}")
    (example_repo / "potentiale.yaml").write_text(text, encoding="utf-8")
    commit_all(example_repo, "Regionen uden indkøb")
    d2, d3 = (Decimal(1) / Decimal("1.035") ** t for t in (2, 3))
    # costs in 2028 (Aarhus's investment and purchase), benefits in 2029 (Aarhus, region)
    expected = -(800_000 + 3_050_000) * d2 + (260_000 + 350_000) * d3
    low = -(1_100_000 + 3_900_000) * d2 + (150_000 + 200_000) * d3
    high = -(600_000 + 2_400_000) * d2 + (380_000 + 520_000) * d3
    assert (round(expected, -5), round(low, -5), round(high, -5)) == (
        -3_000_000, -4_400_000, -2_000_000)
    _render(copi, example_repo, "declaration")
    for fmt in ("pdf", "md"):
        shown = readable(example_repo / "build" / f"hensigtserklaering.{fmt}")
        assert "Den ene af de to parter har planlagt indkøb" in shown, (fmt, shown)
        assert ("negativ: omkostningerne overstiger gevinsterne med ca. 3 mio. kr. "
                "(nettonutidsværdien er skønnet til et underskud på mellem ca. 2 mio. kr. og "
                "ca. 4,4 mio. kr.)") in shown, (fmt, shown)


# --- 4. one minus sign ------------------------------------------------------------------------

def test_a_negative_amount_has_the_minus_sign_in_every_format(copi,
                                                             example_repo: Path) -> None:
    """The example's business cases: Aarhus's low net present value -2,007,476 kr., the
    total's -203,591 kr. (copi potential prints them: tests/e2e/test_potential.py)."""
    _render(copi, example_repo, "potential")
    for fmt in FORMATS:
        text = readable(example_repo / "build" / f"potentialeberegning.{fmt}")
        # a row and the bold total row alike
        assert "\u22122.007.476 kr." in text and "\u2212203.591 kr." in text, (fmt, text)
        assert "-2.007.476" not in text and "-203.591" not in text, fmt
