"""The figures of the declaration and the potential calculation, read back from the rendered
PDF and HTML: only the signatories, no citizen counted twice, partial sums marked.

The process: the example, where Region Midtjylland and two of its municipalities (Aarhus,
Horsens) sign, Randers declines, and Silkeborg and Viborg have not signed yet. Every figure
below is worked out by hand from the records the test writes."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLE

POTENTIAL = """\
status: started
base_year: 2026
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
  - owner: horsens-kommune
    effects:
      - {year: 2027, kind: benefit, amount_dkk: {expected: 500000}}
  - owner: region-midtjylland
    purchases:
      - year: 2029
        spend_dkk: {low: 1000000, expected: 1200000, high: 1500000}
    effects:
      - year: 2029
        kind: benefit
        amount_dkk: {low: 2000000, expected: 3500000, high: 5200000}
  - owner: randers-kommune
    purchases:
      - year: 2029
        units: 420
        spend_dkk: {low: 680000, expected: 850000, high: 1100000}
    effects:
      - {year: 2028, kind: benefit, amount_dkk: {expected: 1000000}}
  - owner: silkeborg-kommune
    purchases:
      - {year: 2029, units: 450}
"""

SIGNATURES = """\
signatures:
  - organisation: aarhus-kommune
    decision: signed
    signer: Anders Hansen
    title: Borgmester
    date: "2026-11-23"
  - organisation: horsens-kommune
    decision: signed
    signer: Peter Sørensen
    title: Borgmester
    date: "2026-11-23"
  - organisation: region-midtjylland
    decision: signed
    signer: Anne Jensen
    title: Regionsrådsformand
    date: "2026-11-23"
  - organisation: randers-kommune
    decision: declined
    date: "2026-11-20"
"""


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def signed(tmp_path: Path) -> Path:
    root = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    _replace(root, "organisationer/aarhus-kommune.yaml", "citizens: 367000", "citizens: 367095")
    _replace(root, "organisationer/horsens-kommune.yaml", "citizens: 97000", "citizens: 97512")
    _replace(root, "organisationer/region-midtjylland.yaml", 'joined: "2026-01-15"',
             'joined: "2026-01-15"\ncitizens: 1340000')
    _replace(root, "copi.yaml", "  min_need_owners: 3",
             "  min_need_owners: 3\n  declaration_net_present_value: true")
    (root / "potentiale.yaml").write_text(POTENTIAL, encoding="utf-8")
    (root / "underskrifter.yaml").write_text(SIGNATURES, encoding="utf-8")
    return root


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def readable(path: Path) -> str:
    """What a reader reads: PDF text by pypdf, HTML parsed; spacing and hyphenation undone."""
    if path.suffix == ".pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        text = re.sub(r"-\s*\n\s*", "", text)
    else:
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        text = "".join(parser.parts)  # pandoc puts block elements on lines of their own
    return " ".join(text.split())


def _preamble(text: str) -> str:
    """The declaration's preamble: what lies between it and the text's own first heading."""
    return text.split("Den fælles udfordring", 1)[1].split("Baggrund", 1)[0]


def test_the_declaration_counts_its_signatories_once_each(copi, signed: Path) -> None:
    run = copi("render", "declaration", "--format", "pdf,html", cwd=signed)
    assert run.code == 0, run.err
    d1, d2, d3 = (Decimal(1) / Decimal("1.035") ** t for t in (1, 2, 3))
    # The net present value of the three signatories, discounted to 2026 (3.5 %), their
    # planned purchases counted as costs of their business cases:
    #   Aarhus   -800,000 - 3,050,000 (2028) + 2,600,000 (2029)   Horsens 500,000 (2027)
    #   Region   -1,200,000 + 3,500,000 (2029)                    Randers declined: not in it
    # expected: -3,850,000 * 0.933511 + 4,900,000 * 0.901943 + 500,000 * 0.966184
    #         = -3,594,017 + 4,419,521 + 483,092 = 1,308,596
    expected = -3_850_000 * d2 + (2_600_000 + 3_500_000 - 1_200_000) * d3 + 500_000 * d1
    # low: benefits low, costs high; high: benefits high, costs low
    low = -(1_100_000 + 3_900_000) * d2 + (1_500_000 + 2_000_000 - 1_500_000) * d3 \
        + 500_000 * d1
    high = -(600_000 + 2_400_000) * d2 + (3_800_000 + 5_200_000 - 1_000_000) * d3 \
        + 500_000 * d1
    assert round(expected, -5) == 1_300_000 and round(low, -5) == -2_400_000
    assert round(high, -5) == 4_900_000
    for fmt in ("pdf", "html"):
        text = _preamble(readable(signed / "build" / f"hensigtserklaering.{fmt}"))
        # Aarhus 367,095 + Horsens 97,512 = 464,607; the region's own figure beside them,
        # not added on top (not 1,804,607); Randers' 99,000 nowhere
        assert ("Der bor ca. 465.000 borgere i de to kommuner; Region Midtjylland dækker ca. "
                "1,3 mio. borgere, herunder borgerne i Aarhus og Horsens Kommune.") in text, text
        # Purchases of Aarhus and the region (Horsens plans none; Randers' 850,000 and
        # Silkeborg's units left out): 3,050,000 + 1,200,000 = 4,250,000; low 2,400,000 +
        # 1,000,000; high 3,900,000 + 1,500,000; units only Aarhus's 1,500
        # in fixed prices: the price year (the base year, none stated) beside the amount
        assert ("To af tre parter har planlagt indkøb for i alt ca. 4,3 mio. kr. i 2026-priser "
                "(skønnet mellem "
                "3,4 mio. kr. og 5,4 mio. kr.) til 1.500 enheder i årene 2028–2029; enhederne "
                "er opgjort for 1 af de to.") in text.replace("\u00ad", "-"), text
        assert ("For de tre parter samlet er nettonutidsværdien af gevinster og omkostninger "
                "(planlagte indkøb medregnet) i faste priser, 2026") in text, text
        # the low estimate a deficit, said in words rather than with a minus sign
        assert ("niveau, tilbagediskonteret til 2026, skønnet til ca. 1,3 mio. kr. (mellem et "
                "underskud på ca. 2,4 mio. kr. og et overskud på ca. 4,9 mio. kr.).") in text, text
        assert "Tallene omfatter de tre parter, der har underskrevet erklæringen." in text
        assert "Parterne forventer" not in text and "1.804.607" not in text


def test_the_net_present_value_stays_out_unless_every_signatory_has_a_business_case(
        copi, signed: Path) -> None:
    potential = signed / "potentiale.yaml"
    text = potential.read_text(encoding="utf-8")
    horsens = "  - owner: horsens-kommune\n    effects:\n" \
              "      - {year: 2027, kind: benefit, amount_dkk: {expected: 500000}}\n"
    potential.write_text(text.replace(horsens, ""), encoding="utf-8")
    assert copi("render", "declaration", "--format", "md", cwd=signed).code == 0
    shown = (signed / "build" / "hensigtserklaering.md").read_text(encoding="utf-8")
    # Aarhus's and the region's business cases are not "the parties'": Horsens has none
    assert "nettonutidsværdi" not in shown.casefold()


def test_a_negative_net_present_value_is_said_plainly(copi, signed: Path) -> None:
    potential = signed / "potentiale.yaml"
    potential.write_text(potential.read_text(encoding="utf-8").replace(
        "expected: 3500000", "expected: 350000").replace(
        "expected: 2600000", "expected: 260000").replace(
        "expected: 500000", "expected: 50000"), encoding="utf-8")
    assert copi("render", "declaration", "--format", "html", cwd=signed).code == 0
    text = readable(signed / "build" / "hensigtserklaering.html")
    # -800,000/1.035² + (260,000 + 350,000)/1.035³ + 50,000/1.035
    #   = -746,808.98 + 550,184.12 + 48,309.18 = -148,315.68, less the planned purchases:
    #   Aarhus 3,050,000/1.035² = 2,847,207.64, the region 1,200,000/1.035³ = 1,082,331.70
    #   -148,315.68 - 2,847,207.64 - 1,082,331.70 = -4,077,855.02
    d1, d2, d3 = (Decimal(1) / Decimal("1.035") ** t for t in (1, 2, 3))
    assert round(-3_850_000 * d2 + (610_000 - 1_200_000) * d3 + 50_000 * d1, -5) == -4_100_000
    assert ("tilbagediskonteret til 2026, negativ: omkostningerne overstiger gevinsterne med "
            "ca. 4,1 mio. kr.") in text, text


def test_the_english_declaration_says_the_same(copi, signed: Path) -> None:
    assert copi("render", "declaration", "--format", "html", "--lang", "en",
                cwd=signed).code == 0
    text = readable(signed / "build" / "declaration-of-intent.html")
    assert ("The two municipalities have about 465,000 citizens; Region Midtjylland covers about "
            "1.3 million citizens, including those of Aarhus Kommune and Horsens Kommune.") in text
    assert ("Two of three parties have planned purchases of about DKK 4.3 million in all "
            "at 2026 prices (estimated between DKK 3.4 million and DKK 5.4 million) covering "
            "1,500 units in 2028–2029; "
            "the units are counted for 1 of the two.") in text, text
    assert ("in fixed 2026 prices, discounted to 2026, is estimated at about DKK 1.3 million "
            "(between a deficit of about DKK 2.4 million and a surplus of about DKK 4.9 million)"
            ) in text, text


def test_the_potential_calculation_marks_its_partial_totals(copi, signed: Path) -> None:
    assert copi("render", "potential", "--format", "pdf,html", cwd=signed).code == 0
    for fmt in ("pdf", "html"):
        text = readable(signed / "build" / f"potentialeberegning.{fmt}")
        # 2029: the region (spend, no units), Randers (both), Silkeborg (units, no spend)
        assert "870¹" in text and "2.050.000 kr.¹" in text, text
        assert ("¹ 2029: udgiften er opgjort for 2 af 3 behovsejere, enhederne for 2 af 3."
                in text)
        # all years: Aarhus, the region, Randers, Silkeborg buy; spend from 3, units from 3
        assert "5.100.000 kr.²" in text
        assert "² I alt: udgiften er opgjort for 3 af 4 behovsejere, enhederne for 3 af 4." in text
        assert "4 af 7 behovsejere har planlagt indkøb; tallene omfatter kun dem." in text
        # four business cases of seven need owners (Silkeborg, Skanderborg and Viborg have
        # none): the next mark of the document, not a second ¹
        assert ("³ Summen er opgjort for de 4 af 7 behovsejere, der har en business case; de "
                "øvrige er ikke med i den.") in text
        assert "I alt³" in text and "¹ Summen" not in text
        # 2028 is whole: Aarhus alone buys, and states both
        assert "1.500¹" not in text and "3.050.000 kr.¹" not in text
    assert copi("render", "potential", "--format", "html", "--lang", "en", cwd=signed).code == 0
    english = readable(signed / "build" / "potential-calculation.html")
    assert "Total³" in english and "³ The total covers the 4 of 7 need owners" in english
