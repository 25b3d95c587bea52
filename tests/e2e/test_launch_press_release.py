"""The launch press release (issue 21, point 4): a text and document of its own beside the
phase-1 press release, naming the launch and the signatories, read back from PDF, Word and
HTML in Danish and English; published, it meets phase 6's result *the launch is
communicated*."""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import commit_all, load, to_phase_6

LAUNCH = "2026-11-30"
FORMATS = ("pdf", "docx", "html", "md")


def readable(path: Path) -> str:
    """What a reader reads, as words: PDF text by pypdf, Word's XML text, HTML parsed."""
    if path.suffix == ".pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    elif path.suffix == ".html":
        parts: list[str] = []
        parser = HTMLParser()
        parser.handle_data = parts.append  # type: ignore[method-assign]
        parser.feed(path.read_text(encoding="utf-8"))
        text = " ".join(parts)
    else:
        text = path.read_text(encoding="utf-8").replace("\\", "")
    return " ".join(re.sub(r"-\s*\n\s*", "", text).split())


def _launched(copi, root: Path) -> None:
    """The example launched on LAUNCH: Aarhus signs there, Horsens accedes three days later,
    Welfare Tech supports; the other need owners have not signed."""
    (root / "arrangementer" / "2027-06-10-lancering.yaml").unlink()
    commit_all(root, "Lanceringen er rykket frem")
    to_phase_6(copi, root)  # the declaration is signed at its launch, in phase 6
    added = copi("event", "add", "--kind", "launch", "--date", LAUNCH, "--title",
                 "Lancering af hensigtserklæringen", "--place", "Aarhus Rådhus", cwd=root)
    assert added.code == 0, added.err
    for args in (("aarhus", "--signer", "Jens Hansen", "--title", "Borgmester", "--date",
                  LAUNCH, "--event", "lancering"),
                 ("horsens", "--signer", "Peter Sørensen", "--title", "Borgmester", "--date",
                  "2026-12-03"),
                 ("welfare tech", "--signer", "Mia Holm", "--title", "Direktør", "--date",
                  LAUNCH, "--kind", "support")):
        run = copi("sign", *args, cwd=root)
        assert run.code == 0, run.err


@pytest.mark.parametrize("lang, file, said", [
    ("da", "pressemeddelelse-lancering", [
        "Arrangement: Lancering af hensigtserklæringen", "Dato: 30. november 2026",
        "Sted: Aarhus Rådhus", "Aarhus Kommune: Jens Hansen, Borgmester",
        "Horsens Kommune: Peter Sørensen, Borgmester (underskrevet 3. december 2026)",
        "Erklæringen støttes af Welfare Tech.",
        "Tallene omfatter de to parter, der har underskrevet erklæringen."]),
    ("en", "launch-press-release", [
        "Event: Lancering af hensigtserklæringen", "Date: 30 November 2026",
        "Place: Aarhus Rådhus", "Aarhus Kommune: Jens Hansen, Borgmester",
        "Horsens Kommune: Peter Sørensen, Borgmester (signed 3 December 2026)",
        "The declaration is supported by Welfare Tech.",
        "The figures cover the two parties that have signed the declaration."]),
])
def test_it_names_the_launch_and_the_signatories_in_every_format(
        copi, example_repo: Path, lang: str, file: str, said: list[str]) -> None:
    _launched(copi, example_repo)
    run = copi("render", "launch-press-release", "--lang", lang, "--format",
               ",".join(FORMATS), cwd=example_repo)
    assert run.code == 0, run.err
    for fmt in FORMATS:
        text = readable(example_repo / "build" / f"{file}.{fmt}")
        for words in said:
            assert words in text, (fmt, words, text)
        # its own text, and only those who signed: a need owner still to sign is not named
        assert "I dag underskriver kommunerne og Region Midtjylland" in text, fmt
        assert "Randers Kommune" not in text and "Mette Kjær" in text, fmt


def test_before_anyone_signs_it_names_those_expected_to_sign(copi, example: Path) -> None:
    run = copi("render", "launch-press-release", "--format", "md,pdf", cwd=example)
    assert run.code == 0, run.err
    for fmt in ("md", "pdf"):
        text = readable(example / "build" / f"pressemeddelelse-lancering.{fmt}")
        assert ("Hensigtserklæringen forventes underskrevet af Aarhus Kommune, Horsens Kommune, "
                "Randers Kommune, Region Midtjylland, Silkeborg Kommune, Skanderborg Kommune og "
                "Viborg Kommune.") in text, text
        assert "Dato: 10. juni 2027" in text
        assert "udkast" in text.casefold()  # phase 6 is not reached


def test_both_press_releases_live_side_by_side(copi, example: Path) -> None:
    assert copi("validate", cwd=example).code == 0
    run = copi("render", "press-release", "launch-press-release", "--format", "md,docx",
               cwd=example)
    assert run.code == 0, run.err
    first = readable(example / "build" / "pressemeddelelse.docx")
    launch = readable(example / "build" / "pressemeddelelse-lancering.docx")
    assert "Første skridt er et matchmaking-arrangement" in first
    assert "I dag underskriver" not in first and "Lanceringen" not in first
    assert "I dag underskriver kommunerne" in launch
    assert "Første skridt er et matchmaking-arrangement" not in launch
    listed = copi("render", "--list", cwd=example).out
    assert "press-release" in listed and "launch-press-release" in listed


def test_publishing_it_meets_the_result_of_phase_6(copi, example_repo: Path) -> None:
    _launched(copi, example_repo)  # in phase 6, where the declaration is signed
    results = {r["id"]: r for r in json.loads(copi("status", "--json",
                                                   cwd=example_repo).out)["results"]}
    assert not results["launch-communicated"]["holds"]
    assert "copi publish pressemeddelelse-lancering" in results["launch-communicated"]["why"]
    assert results["launch-communicated"]["where"] == "tekster/pressemeddelelse-lancering.md"
    # the results only a person can judge wait for a confirmation
    assert results["declaration-anchored"]["where"] == "bekraeftelser.yaml"
    assert not results["declaration-in-practice"]["holds"]
    text = example_repo / "tekster" / "pressemeddelelse-lancering.md"
    text.write_text(text.read_text(encoding="utf-8").replace("status: draft", "status: final"),
                    encoding="utf-8")
    commit_all(example_repo, "Pressemeddelelsen om lanceringen er færdig")
    run = copi("publish", "launch-press-release", "--format", "md", cwd=example_repo)
    assert run.code == 0, run.err
    entries = load(example_repo, "publikationer.yaml")["publications"]
    assert [e["document"] for e in entries][-1] == "launch-press-release"
    results = {r["id"]: r for r in json.loads(copi("status", "--json",
                                                   cwd=example_repo).out)["results"]}
    assert results["launch-communicated"]["holds"], results["launch-communicated"]
    assert "Pressemeddelelse om lanceringen" in results["launch-communicated"]["why"]


def test_personal_data_in_it_stops_a_public_render(copi, example: Path) -> None:
    text = example / "tekster" / "pressemeddelelse-lancering.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nSkriv til loba@aarhus.example.\n",
                    encoding="utf-8")
    run = copi("render", "launch-press-release", "--format", "md", cwd=example)
    assert run.code == 1
    assert "launch-press-release: the public document would contain" in run.err
    assert "tekster/pressemeddelelse-lancering.md" in run.err
    assert not (example / "build").exists()


def test_init_writes_its_starter_in_the_process_language(copi, tmp_path: Path) -> None:
    assert copi("init", "ny", "--owner", "Aarhus Kommune", "--lang", "en",
                cwd=tmp_path).code == 0
    starter = (tmp_path / "ny" / "tekster" / "pressemeddelelse-lancering.md").read_text(
        encoding="utf-8")
    assert "document: launch-press-release" in starter and "status: starter" in starter
    assert "Write here the news of the declaration" in starter
