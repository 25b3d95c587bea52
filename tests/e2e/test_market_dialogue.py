"""The market dialogue, end to end: events and their published materials, one-to-one meetings,
questions published without the asker, and suppliers' prior involvement."""

from __future__ import annotations

from pathlib import Path

from conftest import head, load, unchanged


def market(copi, root: str) -> None:
    assert copi("owner", "add", "Horsens", "--dir", root).code == 0
    assert copi("supplier", "add", "TrygStep A/S", "--dir", root).code == 0
    run = copi("event", "add", "--kind", "supplier-conference", "--date", "2026-09-10",
               "--title", "Leverandørkonference", "--owners", "aarhus,horsens", "--announced",
               "2026-08-18", "--channel", "udbud.dk", "--place", "Dokk1", "--dir", root)
    assert run.code == 0, run.err


def test_event_publish_and_one_information_level(copi, process: Path,
                                                 tmp_path: Path) -> None:
    root = str(process)
    market(copi, root)
    event = load(process, "arrangementer/2026-09-10-leverandoerkonference.yaml")
    assert event["owners"] == ["aarhus-kommune", "horsens-kommune"]
    assert event["announced"] == {"date": "2026-08-18", "channel": "udbud.dk", "open": True}
    slides = tmp_path / "slides.pdf"
    slides.write_bytes(b"slides")
    shown = copi("meeting", "add", "--supplier", "trygstep", "--owners", "horsens",
                 "--date", "2026-09-29", "--event", "Leverandørkonference", "--material",
                 str(slides), "--dir", root)
    assert shown.code == 0 and "R017" in shown.err  # shown to one, not yet to all
    published = copi("event", "publish", "2026-09-10-leverandoerkonference", "--material",
                     "materialer/slides.pdf", "--title", "Slides", "--date", "2026-09-30",
                     "--dir", root)
    assert published.code == 0, published.err
    assert load(process, "arrangementer/2026-09-10-leverandoerkonference.yaml")[
        "materials"] == [{"title": "Slides", "file": "materialer/slides.pdf",
                          "published": "2026-09-30", "visibility": "all-market"}]
    assert "R017" not in copi("validate", "--dir", root).err


def test_meeting_refusals(copi, process: Path) -> None:
    root = str(process)
    market(copi, root)
    before = head(process)
    unknown = copi("meeting", "add", "--supplier", "trygstpe", "--owners", "aarhus",
                   "--dir", root)
    assert unknown.code == 2 and "did you mean 'trygstep'" in unknown.err
    no_owner = copi("meeting", "add", "--supplier", "trygstep", "--owners", "vejle-havn",
                    "--dir", root)
    assert no_owner.code == 2 and "no organisation 'vejle-havn'" in no_owner.err
    assert unchanged(process, before)
    lone = copi("meeting", "add", "--supplier", "trygstep", "--owners", "aarhus", "--dir",
                root)
    assert lone.code == 0 and "R013" in lone.err  # no open, announced activity


def test_questions_are_published_without_the_asker(copi, process: Path) -> None:
    root = str(process)
    market(copi, root)
    asked = copi("question", "add", "Må løsningen bruge radar frem for kamera?",
                 "--asked-by", "trygstep", "--event", "2026-09-10-leverandoerkonference",
                 "--date", "2026-09-10", "--dir", root)
    assert asked.code == 0 and "q-001" in asked.out
    early = copi("question", "answer", "q-001", "--answer", "Ja.", "--date", "2026-09-14",
                 "--published", "2026-09-12", "--dir", root)
    assert early.code == 2 and "before the answer" in early.err
    answered = copi("question", "answer", "q-001", "--answer", "Ja, teknologineutralt.",
                    "--date", "2026-09-14", "--dir", root)
    assert answered.code == 0 and "R018" in answered.err  # answered, not yet published
    published = copi("question", "answer", "q-001", "--published", "2026-09-21",
                     "--dir", root)
    assert published.code == 0 and "R018" not in published.err
    revealing = copi("question", "add", "Kan TrygSteps sensor bruges?", "--asked-by",
                     "trygstep", "--date", "2026-09-11", "--dir", root)
    assert revealing.code == 0 and "R019" in revealing.err
    log = load(process, "spoergsmaal-og-svar.yaml")["questions"]
    assert [q["id"] for q in log] == ["q-001", "q-002"]
    assert log[0] == {"id": "q-001", "date": "2026-09-10",
                      "event": "2026-09-10-leverandoerkonference", "asked_by": "trygstep",
                      "question": "Må løsningen bruge radar frem for kamera?",
                      "answer": "Ja, teknologineutralt.", "answered": "2026-09-14",
                      "published": "2026-09-21"}


def test_supplier_prior_involvement_register(copi, process: Path) -> None:
    root = str(process)
    assert copi("supplier", "add", "Sensa Care ApS", "--cvr", "38990607", "--dir",
                root).code == 2
    assert copi("supplier", "add", "Sensa Care ApS", "--dir", root).code == 0
    assert copi("supplier", "add", "Sensa Care", "--dir", root).code == 1  # same id
    run = copi("supplier", "involve", "sensa-care", "--description", "Rådgav om datakrav",
               "--date", "2026-10-20", "--dir", root)
    assert run.code == 0 and "R021" in run.err
    shared = copi("supplier", "involve", "Sensa Care ApS", "--description", "Pilot",
                  "--shared", "--date", "2026-10-21", "--dir", root)
    assert shared.code == 0
    assert load(process, "leverandoerer/sensa-care.yaml")["prior_involvement"][1] == {
        "date": "2026-10-21", "description": "Pilot", "shared": True}
