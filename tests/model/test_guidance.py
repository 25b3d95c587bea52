"""copi's starter guidance is recognised by its words, however much of it was edited, and by
nothing else copi writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from copi_cli.model import guidance

from conftest import EXAMPLE, REPO

DESCRIPTION = guidance.guidance("process.description")


def ids(text: str) -> list[str]:
    return [found.guidance.id for found in guidance.find(text)]


@pytest.mark.parametrize("text", [
    DESCRIPTION.text["da"],
    DESCRIPTION.text["en"],
    # the first half rewritten, the second left
    "Fald rammer ældre. Hvorfor kan det ikke løses med det, markedet tilbyder i dag?",
    # the last half rewritten, the first left, the case and spacing changed
    "BESKRIV i   ét afsnit den fælles\nudfordring, og skriv så videre selv.",
    # punctuation, Markdown and escapes are no disguise
    "*Beskriv* i ét afsnit — den fælles udfordring\\: hvad er **problemet**",
])
def test_a_sentence_half_edited_is_still_guidance(text: str) -> None:
    assert ids(text) == ["process.description"]


@pytest.mark.parametrize("text", [
    "Fald i eget hjem er en af de hyppigste årsager til akutte indlæggelser.",
    "Vi beskriver den fælles udfordring i et afsnit for sig.",  # a few of its words only
    "<!-- Beskriv i ét afsnit den fælles udfordring: hvad er problemet -->",  # in no document
    "Borgmester Hans Navnesen",
    "Kontakt Navn Navnesen, hvis du er i tvivl",  # a placeholder counts only on its own
])
def test_ordinary_text_is_not_guidance(text: str) -> None:
    assert ids(text) == []


def test_a_prompts_topic_in_the_writers_own_words_is_no_guidance() -> None:
    """"køber, hvor meget og hvornår" are five words of a prompt, and the very subject of the
    section under "Hvor meget og hvornår": a facilitator's own sentence on it is no sign of
    the prompt."""
    assert ids("Tabellen nedenfor viser, hvem der køber, hvor meget og hvornår. Behovsejerne "
               "har selv skønnet tallene.") == []
    assert ids("The table below shows who buys, how much and when.") == []
    # while every prompt left as copi wrote it is found by the rest of its words
    for entry in guidance.all_guidance():
        for lang in ("da", "en"):
            assert ids(entry.text[lang]) == [entry.id], (entry.id, lang)
    assert ids("Hvor meget og hvornår (fra potentialeberegningen)?") == [
        "needs-communication.volume"]


def test_words_are_found_within_one_sentence() -> None:
    # "er problemet og hvem mærker": five words of the prompt, over two of the writer's
    # sentences
    assert ids("Vi ved, hvad er problemet. Og hvem mærker det? Borgerne.") == []
    assert ids("Vi ved, hvad er problemet, og hvem mærker det.") == [
        "problem-description.problem"]


def test_a_placeholder_is_guidance_on_its_own() -> None:
    assert ids("Borgmester Navn Navnesen") == ["signature.signer"]
    assert ids("  hvad   KØBES? ") == ["purchase.description"]


def test_each_found_once_in_order_with_its_place() -> None:
    text = ("Indledning.\n\nHvad vil behovsejerne efterspørge fremover?\n\n"
            "Beskriv i ét afsnit den fælles udfordring. Beskriv i ét afsnit den fælles.")
    found = guidance.find(text)
    assert [f.guidance.id for f in found] == ["declaration.ambition", "process.description"]
    assert text[found[0].start:].startswith("Hvad vil") and found[1].start == text.index(
        "Beskriv")
    # each with the end of the sentence it was found in
    assert text[found[0].start:found[0].end].strip() == "Hvad vil behovsejerne efterspørge " \
        "fremover?"
    assert text[found[1].start:found[1].end] == "Beskriv i ét afsnit den fælles udfordring."


def test_every_guidance_is_what_copi_init_writes_in_both_languages() -> None:
    """The starter files take their guidance from the data file, and every entry is used."""
    from copi_cli.setup.scaffold import NewProcess, render_files

    for lang in ("da", "en"):
        files = render_files(NewProcess("proces", "Proces", lang, "Aarhus Kommune", None,
                                        "CO-PI", "Test", dt.date(2026, 1, 1)))
        written = "\n".join(files.values())
        flat = " ".join(written.split())
        for entry in guidance.all_guidance():
            assert " ".join(entry.text[lang].split()) in flat, (lang, entry.id)
        # and the files read back hold it where the data file says
        for entry in guidance.all_guidance():
            file = entry.file.replace("<need owner>", "aarhus-kommune")
            assert " ".join(entry.text[lang].split()) in " ".join(files[file].split()), entry.id


def test_copis_own_words_are_never_taken_for_guidance() -> None:
    """A public document is refused when it prints guidance: nothing copi itself writes there —
    its document templates, the phase catalogue, labels, tools and messages — and nothing in
    the example may look like it."""
    own = [*(REPO / "templates" / "documents").rglob("*.j2"),
           *(REPO / "copi_cli" / "data" / name for name in (
               "phases.yaml", "labels.json", "messages.json", "tools.yaml", "documents.yaml")),
           *(p for p in EXAMPLE.rglob("*") if p.suffix in (".yaml", ".md"))]
    for path in own:
        assert ids(path.read_text(encoding="utf-8")) == [], path


def test_the_data_file_is_whole() -> None:
    seen = set()
    for entry in guidance.all_guidance():
        assert entry.id not in seen
        seen.add(entry.id)
        assert entry.text["da"].strip() and entry.text["en"].strip()
        assert not Path(entry.file).is_absolute()
