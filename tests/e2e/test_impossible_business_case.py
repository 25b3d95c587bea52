"""A business case that cannot be calculated (issue 21, point 2): a figure before the base year,
or no base year, is a validation error at its line (R036), and only the documents and commands
that show the calculation depend on it — the others render and publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import commit_all

BEFORE = ("      - year: 2028\n        description: Faldalarmer",
          "      - year: 2025\n        description: Faldalarmer")
WHERE = "potentiale.yaml:16:15"


def _impossible(root: Path, how: str) -> None:
    path = root / "potentiale.yaml"
    text = path.read_text(encoding="utf-8")
    if how == "before":
        changed = text.replace(*BEFORE, 1)
    else:
        changed = text.replace("base_year: 2026\n", "", 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    commit_all(root, how)


@pytest.mark.parametrize("how", ["before", "no-base-year"])
def test_validate_and_the_gate_say_it_at_its_line(copi, example_repo: Path, how: str) -> None:
    _impossible(example_repo, how)
    where = WHERE if how == "before" else "potentiale.yaml:3:1"
    checked = copi("validate", "--dir", str(example_repo))
    assert checked.code == 1
    assert f"{where}: R036" in checked.out + checked.err
    gate = copi("gate", "--dir", str(example_repo))
    assert gate.code != 0 and "R036" in gate.out + gate.err


@pytest.mark.parametrize("how", ["before", "no-base-year"])
def test_documents_without_the_calculation_render_and_publish(copi, example_repo: Path,
                                                               how: str) -> None:
    _impossible(example_repo, how)
    rendered = copi("render", "problem-description", "--format", "md",
                    "--dir", str(example_repo))
    assert rendered.code == 0, rendered.err
    assert (example_repo / "build" / "problembeskrivelse.md").is_file()
    published = copi("publish", "press-release", "--format", "md", "--dir", str(example_repo))
    assert published.code == 0, published.err
    assert "press-release" in (example_repo / "publikationer.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("document", ["potential", "declaration", "launch-press-release"])
def test_a_document_that_shows_it_is_refused_at_the_finding(copi, example_repo: Path,
                                                             document: str) -> None:
    _impossible(example_repo, "before")
    refused = copi("render", document, "--format", "md", "--dir", str(example_repo))
    assert refused.code == 1
    assert f"{WHERE}: Aarhus Kommune has a planned purchase in 2025, before the base year " \
           "2026" in refused.err
    assert "Traceback" not in refused.err
    assert not any((example_repo / "build").glob("*"))


def test_render_all_writes_the_others_and_lists_the_refused(copi, example_repo: Path) -> None:
    _impossible(example_repo, "before")
    done = copi("render", "all", "--format", "md", "--dir", str(example_repo))
    assert done.code == 1
    written = {p.name for p in (example_repo / "build").glob("*.md")}
    assert "problembeskrivelse.md" in written and "pressemeddelelse.md" in written
    assert "potentialeberegning.md" not in written and "hensigtserklaering.md" not in written
    assert WHERE in done.err


def test_copi_potential_says_where(copi, example_repo: Path) -> None:
    _impossible(example_repo, "before")
    shown = copi("potential", "--dir", str(example_repo))
    assert shown.code == 1
    assert f"{WHERE}: R036" in shown.out + shown.err


READS = {
    "da": ("potentialeberegning", [
        "Gevinster Omkostninger NNV, lav",
        "Gevinster og omkostninger er det forventede skøn.",
        "I alt¹ 7.767.600 kr. 3.547.341 kr. −203.591 kr. 4.220.260 kr. 8.628.433 kr.",
        "Aarhus Kommune 4.610.801 kr. 3.547.341 kr. −2.007.476 kr.",
        "de planlagte indkøb udgør 2.800.532 kr. i nutidsværdi (forventet skøn)",
        "Udgifterne i efterspørgselssignalet er i faste priser, 2026-niveau, og er ikke "
        "tilbagediskonteret",
    ]),
    "en": ("potential-calculation", [
        "Benefits Costs NPV, low",
        "Benefits and costs are the expected estimate.",
        "Total¹ DKK 7,767,600 DKK 3,547,341 DKK −203,591 DKK 4,220,260 DKK 8,628,433",
        "the planned purchases come to DKK 2,800,532 in present value (expected estimate)",
        "The spend in the demand signal is in fixed prices, 2026 level, and not discounted",
    ]),
}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_potential_pdf_reads_as_a_finance_officer_expects(copi, example: Path,
                                                              lang: str) -> None:
    """The totals carry the same minus sign as the rows, the expected-only columns say so,
    the purchases' present value is not read as the costs' total, and the demand signal says
    it is not discounted. The figures are the hand computation at 3.5 % (2026 base year)."""
    from pypdf import PdfReader

    done = copi("render", "potential", "--format", "pdf", "--lang", lang, "--dir", str(example))
    assert done.code == 0, done.err
    name, says = READS[lang]
    pdf = PdfReader(example / "build" / f"{name}.pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    text = text.replace("- ", "").replace("\u2019", "'")
    for phrase in says:
        assert phrase in text, phrase
