"""The potential calculation as a finance officer reads it: the rendered PDF, Word and HTML say
the price year, the horizon, the discount rate by its name, what is in and out of the net
present value, and the non-economic benefits, in Danish and in English (issue 21, point 2)."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

FORMATS = ("pdf", "docx", "html")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def readable(path: Path) -> str:
    """The text a reader sees: PDF text, the Word document's runs, the HTML's text."""
    if path.suffix == ".pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        text = " ".join(node.text or "" for node in root.iter(f"{w}t"))
    else:
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        text = " ".join(parser.parts)
    text = re.sub(r"-\s*\n\s*", "", text).replace("\u2019", "'")
    return " ".join(text.split())


SAYS = {
    "da": ("potentialeberegning", [
        "faste priser, 2026-niveau",
        "Finansministeriets samfundsøkonomiske diskonteringsrente, gældende fra 7. januar 2021",
        "1,5 % for årene efter år 70",
        "Beregningsperioden er 2026–2035 (10 år)",
        "Omkostningerne er investeringer, driftsomkostninger og planlagte indkøb",
        "Indgår: gevinster, investeringer og driftsomkostninger",
        "udgiften til de planlagte indkøb hos behovsejere med en business case",
        "Indgår ikke: ikke-økonomiske gevinster (se nedenfor); fire planlagte indkøb hos "
        "behovsejere uden business case, som kun indgår i efterspørgselssignalet",
        "ikke en sandsynlighedsvægtet risikovurdering",
        "Ikke-økonomiske gevinster",
        "Pårørende får større tryghed, når den ældre bor alene.",
        "Aarhus Kommune: Hjemmeplejens medarbejdere bruger mindre tid",
    ]),
    "en": ("potential-calculation", [
        "fixed 2026 prices",
        "the Ministry of Finance's social discount rate, in force from 7 January 2021",
        "1.5% for the years after year 70",
        "The horizon is 2026–2035 (10 years)",
        "The costs are investments, operating costs and planned purchases",
        "Included: benefits, investments and operating costs",
        "the spend on the planned purchases of need owners with a business case",
        "Not included: non-economic benefits (below); four planned purchases of need owners "
        "without a business case, which are in the demand signal only",
        # two parts: a PDF may break the line at the hyphen, which readable() joins away
        "not a probability", "weighted risk assessment",
        "Non-economic benefits",
        "Pårørende får større tryghed, når den ældre bor alene.",
    ]),
}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_business_case_says_what_it_holds(copi, example: Path, lang: str) -> None:
    out = example.parent / "out"
    run = copi("render", "potential", "--format", ",".join(FORMATS), "--lang", lang,
               "--out", str(out), cwd=example)
    assert run.code == 0, run.err
    name, phrases = SAYS[lang]
    for fmt in FORMATS:
        text = readable(out / f"{name}.{fmt}")
        for phrase in phrases:
            assert phrase in text, (fmt, phrase, text)
        # the honest name only: copi does not compute the state model's risk pool
        assert "statens model" not in text and "state model" not in text
