"""The invitation to new need owners asks what the method asks of a new need owner (issue 21,
point 1): rendered in Danish and English from the example, read back from Markdown and DOCX."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

# What the method asks of a new need owner in phase 2, as the reader of the invitation reads it.
ASKS = {
    "da": ["fx ved at efterspørge nye løsninger i jeres fremtidige indkøb",
           "Opbakning i hele jeres ledelseskæde",
           "centrale stabe, fagområder tæt på problemet og indkøbsafdelingen",
           "Tid til, at relevante medarbejdere kan deltage i arbejdet",
           "Vilje til at prioritere budget til senere indkøb"],
    "en": ["by asking for new solutions in your future purchases",
           "Backing through your whole management chain",
           "central staff, professional areas close to the problem and the procurement department",
           "Time for relevant staff to take part in the work",
           "Readiness to prioritise budget for later purchase"],
}
# The catalogue lines written for other readers that the invitation used to copy.
OLD = ["påtager sig de samme forpligtelser", "accepterer, at det tager tid",
       "take on the same commitments", "accept that bringing in new ones takes time",
       "det tager tid at få nye behovsejere med", "bringing new need owners in takes time"]


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return " ".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)).split())


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_invitation_asks_what_the_method_asks_of_a_new_need_owner(copi, example: Path,
                                                                      lang: str) -> None:
    run = copi("render", "invitation", "-f", "md,docx", "--lang", lang, cwd=example)
    assert run.code == 0, run.err
    markdown = (example / "build" / "invitation.md").read_text(encoding="utf-8")
    heading = {"da": "## Hvad vi beder om", "en": "## What we ask of you"}[lang]
    asked = markdown.split(heading, 1)[1].split("\n## ", 1)[0]
    items = [" ".join(item.split()) for item in re.split(r"\n- ", asked)[1:]]
    assert len(items) == 6  # the five duties of a new need owner; time and budget apart
    for ask in ASKS[lang]:
        assert sum(ask in item for item in items) == 1, ask
    docx = docx_text(example / "build" / "invitation.docx")
    for ask in ASKS[lang]:
        assert ask in docx, ask
    for text in (" ".join(markdown.split()), docx):
        assert not any(old in text for old in OLD)
