"""Every command that names a record finds it by what people type, and lists what there is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import git, head, load, unchanged


def test_owner_references_take_danish_letters_ascii_and_prefixes(copi, example_repo: Path
                                                                  ) -> None:
    root = str(example_repo)
    assert copi("owner", "add", "København", "--dir", root).code == 0
    for typed in ("koebenhavns", "Københavns", "kobenhavn"):
        shown = copi("owner", "show", typed, "--dir", root)
        assert shown.code == 0, shown.err
        assert "Københavns Kommune" in shown.out
    run = copi("owner", "backing", "koebenhavns", "--level", "political", "--by",
               "Borgmester", "--date", "2026-01-05", "--dir", root)
    assert run.code == 0, run.err
    assert load(example_repo, "organisationer/koebenhavns-kommune.yaml")["backing"][
        "political"]["by"] == "Borgmester"


def test_an_ambiguous_owner_lists_the_candidates_and_changes_nothing(copi, example_repo: Path
                                                                     ) -> None:
    before = head(example_repo)
    run = copi("owner", "withdraw", "kommune", "--dir", str(example_repo))
    assert run.code == 2 and "Traceback" not in run.err
    assert "horsens-kommune (Horsens Kommune)" in run.err and "aarhus-kommune" in run.err
    assert unchanged(example_repo, before)


def test_supplier_and_event_by_prefix_in_a_meeting(copi, example_repo: Path) -> None:
    root = str(example_repo)
    assert copi("supplier", "add", "Volta Maskiner ApS", "--dir", root).code == 0
    run = copi("meeting", "add", "--supplier", "volta", "--owners", "aarhus,horsens",
               "--event", "leverandoerkonf", "--date", "2026-10-01", "--dir", root)
    assert run.code == 0, run.err
    meeting = load(example_repo, "moeder/2026-10-01-volta-maskiner.yaml")
    assert meeting["supplier"] == "volta-maskiner"
    assert meeting["owners"] == ["aarhus-kommune", "horsens-kommune"]
    assert meeting["event"] == "2026-09-10-leverandoerkonference"
    involved = copi("supplier", "involve", "VOLTA", "--description", "Råd", "--dir", root)
    assert involved.code == 0, involved.err


def test_event_publish_finds_the_event_its_title_contains(copi, example_repo: Path) -> None:
    run = copi("event", "publish", "matchmaking", "--material", "https://example.dk/a.pdf",
               "--dir", str(example_repo))
    assert run.code == 0, run.err
    event = load(example_repo, "arrangementer/2025-11-20-matchmaking.yaml")
    assert "https://example.dk/a.pdf" in [m.get("url") for m in event["materials"]]
    ambiguous = copi("event", "publish", "workshop", "--material", "https://example.dk/b",
                     "--dir", str(example_repo))
    assert ambiguous.code == 2
    assert "2026-04-22-workshop" in ambiguous.err and "2026-12-08-workshop-kriterier" in \
        ambiguous.err


def test_an_unknown_supplier_keeps_the_did_you_mean(copi, example_repo: Path) -> None:
    run = copi("supplier", "involve", "trygstap", "--description", "x", "--dir",
               str(example_repo))
    assert run.code == 2 and "did you mean 'trygstep" in run.err
    assert "copi supplier list" in run.err


def test_a_question_by_number_or_the_start_of_its_text(copi, example_repo: Path) -> None:
    root = str(example_repo)
    run = copi("question", "answer", "Hvilke omsorgssystemer", "--answer", "Cura og Nexus",
               "--date", "2026-10-05", "--dir", root)
    assert run.code == 0, run.err
    assert "q-003" in run.out
    questions = load(example_repo, "spoergsmaal-og-svar.yaml")["questions"]
    assert questions[2]["answer"] == "Cura og Nexus"
    published = copi("question", "answer", "3", "--published", "2026-10-06", "--dir", root)
    assert published.code == 0, published.err
    assert load(example_repo, "spoergsmaal-og-svar.yaml")["questions"][2][
        "published"] == "2026-10-06"
    assert "Copi-Action: question-answer" in git(example_repo, "log", "-1")


@pytest.mark.usefixtures("danish_cli")
def test_list_commands_in_danish_and_json(copi, example_repo: Path) -> None:
    root = str(example_repo)
    events = copi("event", "list", "--dir", root)
    assert events.code == 0, events.err
    assert "2026-09-10-leverandoerkonference" in events.out and "leverandørkonference" in \
        events.out
    suppliers = copi("supplier", "list", "--dir", root)
    assert "TrygStep A/S" in suppliers.out and "forudgående inddragelse" in suppliers.out
    meetings = copi("meeting", "list", "--dir", root)
    assert "2026-09-24-sensa-care" in meetings.out
    questions = copi("question", "list", "--dir", root)
    assert "q-003" in questions.out and "ubesvaret" in questions.out
    assert "offentliggjort" in questions.out
    rows = json.loads(copi("supplier", "list", "--json", "--dir", root).out)
    assert {r["id"] for r in rows} == {"hjemmets-lys", "nordic-balance-tech", "sensa-care",
                                       "trygstep"}
    assert rows[0]["file"].startswith("leverandoerer/")
    assert [q["id"] for q in json.loads(copi("question", "list", "--json", "--dir", root).out)
            ] == ["q-001", "q-002", "q-003"]


def test_lists_say_what_people_read_not_keys(copi, example_repo: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """event list says whether an event was announced and open (README), meeting list names
    the supplier and need owners, owner show labels its figures, in Danish and English: in the
    process's language when nothing else asks for one."""
    monkeypatch.delenv("COPI_LANG")
    root = str(example_repo)
    events = copi("event", "list", "--dir", root).out
    conference = next(line for line in events.splitlines()
                      if line.startswith("2026-09-10-leverandoerkonference"))
    assert "annonceret 2026-08-18, åben for alle" in conference
    workshop = next(line for line in events.splitlines()
                    if line.startswith("2026-04-22-workshop"))
    assert "ikke annonceret" in workshop
    meetings = copi("meeting", "list", "--dir", root).out
    assert "2026-09-24 Sensa Care ApS — Aarhus Kommune, Region Midtjylland" in meetings
    assert "sensa-care —" not in meetings and "aarhus-kommune," not in meetings
    rows = json.loads(copi("meeting", "list", "--json", "--dir", root).out)
    assert rows[0]["supplier"] == "sensa-care" and rows[0]["supplier_name"] == "Sensa Care ApS"
    shown = copi("owner", "show", "aarhus", "--dir", root).out
    for line in ("  CVR-nummer: 55133018", "  kommunekode: 751", "  regionskode: 1082",
                 "  indbyggere: 367.000"):
        assert line in shown.splitlines(), line
    assert "municipality_code" not in shown and "citizens" not in shown

    config = example_repo / "copi.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: da",
                                                                 "language: en"),
                      encoding="utf-8")
    assert "announced 2026-08-18, open to all" in copi("event", "list", "--dir", root).out
    shown = copi("owner", "show", "aarhus", "--dir", root).out
    for line in ("  CVR number: 55133018", "  municipality code: 751", "  citizens: 367,000"):
        assert line in shown.splitlines(), line


@pytest.mark.usefixtures("danish_cli")
def test_empty_lists_say_so(copi, process: Path) -> None:
    for kind, text in (("event", "ingen arrangementer endnu"),
                       ("supplier", "ingen leverandører endnu"),
                       ("meeting", "ingen møder endnu"), ("question", "ingen spørgsmål endnu")):
        run = copi(kind, "list", "--dir", str(process))
        assert run.code == 0 and text in run.out, (kind, run.err)
