"""copi's starter guidance, end to end on a process fresh from `copi init`: validate warns at
every place, status lists it as work to do, and nothing of it reaches a public document —
read back from PDF, Word and HTML."""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from copi_cli.model import guidance

from conftest import fulfil_phase_1


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
        text = path.read_text(encoding="utf-8")
    return " ".join(re.sub(r"-\s*\n\s*", "", text).split())


def test_validate_warns_at_every_place_with_the_file_to_edit(copi, process: Path) -> None:
    run = copi("validate", "--format", "json", cwd=process)
    assert run.code == 0  # warnings: the new process is valid
    found = [(d["path"], d["line"]) for d in json.loads(run.out)["diagnostics"]
             if d["code"] == "R026"]
    # description: >- … the placeholder; the prompts of the two texts of phase 1 (those of
    # the needs communication and the declaration are work for phases 5 and 6)
    assert found == [("copi.yaml", 8), ("tekster/pressemeddelelse.md", 11),
                     ("tekster/problembeskrivelse.md", 10),
                     ("tekster/problembeskrivelse.md", 14)]
    text = copi("validate", cwd=process).out
    assert ("copi.yaml:8:14: R026 warning: copi's starter guidance is still here: "
            "\"Beskriv i ét afsnit den fælles udfordring: hvad…\"") in text
    assert "write the process's own words in copi.yaml (description) in its place" in text


@pytest.mark.usefixtures("danish_cli")
def test_status_shows_the_guidance_as_work_to_do(copi, process: Path) -> None:
    text = copi("status", cwd=process).out
    assert "Vejledning fra copi, der skal erstattes af jeres egen tekst" in text
    assert "copi.yaml:8 — Beskriv i ét afsnit den fælles udfordring" in text
    assert "tekster/hensigtserklaering.md" not in text  # the declaration's time is phase 6
    assert "tekster/pressemeddelelse-lancering.md" not in text  # and so is the launch's
    status = json.loads(copi("status", "--json", cwd=process).out)
    assert {"path": "tekster/problembeskrivelse.md", "line": 10,
            "guidance": guidance.excerpt(guidance.guidance("problem-description.problem"),
                                         "da")} in status["guidance"]
    # a text marked written that still holds the prompts does not meet its result
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8").replace("status: starter", "status: final"),
                    encoding="utf-8")
    results = {r["id"]: r for r in json.loads(copi("status", "--json", cwd=process).out)[
        "results"]}
    assert not results["problem-scoped"]["holds"]
    assert results["problem-scoped"]["why"] == ("Kort problembeskrivelse rummer stadig copis "
                                                "vejledning (linje 10); skriv jeres egen tekst "
                                                "i stedet")
    assert results["problem-scoped"]["where"] == "tekster/problembeskrivelse.md"


@pytest.mark.parametrize("document, where", [
    ("problem-description", "tekster/problembeskrivelse.md:10"),
    ("launch-press-release", "tekster/pressemeddelelse-lancering.md:9"),
    ("invitation", "copi.yaml:8"),  # the description's placeholder, printed by the template
])
def test_a_public_render_refuses_the_guidance_and_writes_nothing(copi, process: Path,
                                                                 document: str,
                                                                 where: str) -> None:
    run = copi("render", document, "--audience", "public", "--format", "pdf,md", cwd=process)
    assert run.code == 1
    assert f"copi: error: {document}: {where}: the public document would print copi's " \
           "starter guidance" in run.err
    assert "write your own text in" in run.err and "Traceback" not in run.err
    assert not (process / "build").exists()
    internal = copi("render", document, "--audience", "internal", "--format", "md",
                    cwd=process)
    assert internal.code == 0, internal.err  # the partnership may see its draft as it is


def test_nothing_of_the_guidance_reaches_any_public_output(copi, process: Path) -> None:
    run = copi("render", "all", "--audience", "public", "--format", "pdf,docx,html,md",
               cwd=process)
    assert run.code == 0, run.err
    assert ("note: problem-description: tekster/problembeskrivelse.md:10 still holds copi's "
            "starter guidance; not rendered for the public") in run.err
    assert "note: declaration: copi.yaml:8 still holds copi's starter guidance" in run.err
    outputs = sorted((process / "build").iterdir())
    assert {p.stem for p in outputs} == {"underskriftsark"}  # the one without guidance
    for path in outputs:
        assert guidance.find(readable(path)) == [], path
    # written in the process's own words, the documents render, and hold those words
    fulfil_phase_1(process)
    config = process / "copi.yaml"
    config.write_text(re.sub(r"description: >-\n(  .*\n)+", "description: Ældre falder i "
                             "eget hjem, og ingen kan løse det alene.\n",
                             config.read_text(encoding="utf-8")), encoding="utf-8")
    run = copi("render", "problem-description", "press-release", "invitation", "--format",
               "pdf,docx,html", cwd=process)
    assert run.code == 0, run.err
    for path in (process / "build").glob("invitation.*"):
        assert "Ældre falder i eget hjem" in readable(path), path
        assert guidance.find(readable(path)) == [], path


def test_the_writers_own_words_on_a_prompts_topic_go_public(copi, example: Path) -> None:
    """"Tabellen nedenfor viser, hvem der køber, hvor meget og hvornår." is the facilitator's
    own sentence on what the prompt asks about, not the prompt: no warning, and the public
    needs communication prints it."""
    text = example / "tekster" / "behovsformidling.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "## Hvor meget og hvornår\n\n", "## Hvor meget og hvornår\n\nTabellen nedenfor viser, "
        "hvem der køber, hvor meget og hvornår. "), encoding="utf-8")
    run = copi("validate", "--format", "json", cwd=example)
    assert [d for d in json.loads(run.out)["diagnostics"] if d["code"] == "R026"] == []
    run = copi("render", "needs-communication", "--format", "md", cwd=example)
    assert run.code == 0, run.err
    shown = readable(example / "build" / "behovsformidling.md")
    assert "Tabellen nedenfor viser, hvem der køber, hvor meget og hvornår." in shown


def test_the_refusals_hint_says_what_validate_lists(copi, process: Path) -> None:
    """In phase 1 copi validate does not list the declaration's prompts (they are work for
    phase 6): a refusal of the declaration names their lines itself, and says when validate
    will; the problem description's, which validate lists now, it sends to validate."""
    fulfil_phase_1(process)  # the description and the texts of phase 1 in the process's words
    run = copi("render", "declaration", "--audience", "public", "--format", "md", cwd=process)
    assert run.code == 1
    assert ("copi: error: declaration: tekster/hensigtserklaering.md:10: the public document "
            "would print copi's starter guidance: \"Den fælles udfordring og det beregnede "
            "potentiale.\"") in run.err, run.err
    assert ("hint: write your own text in tekster/hensigtserklaering.md in its place (lines 10, "
            "14 and 18; copi validate lists a text's guidance from the phase of its document "
            "on, here phase 6)") in run.err, run.err
    listed = json.loads(copi("validate", "--format", "json", cwd=process).out)["diagnostics"]
    assert not [d for d in listed if d["path"] == "tekster/hensigtserklaering.md"]

    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nHvorfor angår problemet også andre "
                    "offentlige aktører og markedet?\n", encoding="utf-8")
    run = copi("render", "problem-description", "--audience", "public", "--format", "md",
               cwd=process)
    assert run.code == 1 and "(copi validate lists every place: R026)" in run.err, run.err
    listed = json.loads(copi("validate", "--format", "json", cwd=process).out)["diagnostics"]
    assert [d for d in listed if d["path"] == "tekster/problembeskrivelse.md"
            and d["code"] == "R026"]
