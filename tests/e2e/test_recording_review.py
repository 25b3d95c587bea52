"""A facilitator's review of recording (issue 21): a documented backing decision is not
silently replaced, decisions and signatures are never dated ahead, a contact is never added
already past its retention date, the declaration is signed in phase 6 on a final text, and
every option that takes one of the method's words takes its Danish label. Each refusal
writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import commit_all, load, state_and_work_tree, to_phase_6, write

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()

BACKED = ("backing:\n  political:\n    by: Sundheds- og Omsorgsudvalget\n"
          "    date: \"2026-01-13\"\n    evidence: https://horsens.example/udvalg-2026-01-13\n")


def _horsens(copi, process: Path) -> Path:
    assert copi("owner", "add", "Horsens", "--joined", "2025-11-20", cwd=process).code == 0
    owner = process / "organisationer" / "horsens-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + BACKED, encoding="utf-8")
    assert copi("validate", cwd=process).code == 0
    commit_all(process, "Horsens' politiske opbakning")
    return owner


def test_recorded_backing_is_replaced_only_with_replace(copi, process: Path) -> None:
    owner = _horsens(copi, process)
    before = state_and_work_tree(process)
    run = copi("owner", "backing", "horsens", "--level", "politisk", "--by", "x", cwd=process)
    assert run.code == 1
    line = owner.read_text(encoding="utf-8").splitlines().index("  political:") + 1
    assert (f"organisationer/horsens-kommune.yaml:{line + 1}:5: Horsens Kommune already has "
            "political backing (by Sundheds- og Omsorgsudvalget, on 2026-01-13, evidence "
            "https://horsens.example/udvalg-2026-01-13)") in run.err
    assert "--replace" in run.err
    assert state_and_work_tree(process) == before

    run = copi("owner", "backing", "horsens", "--level", "politisk", "--by", "Byrådet",
               "--date", YESTERDAY, "--evidence", "https://horsens.example/byraad",
               "--replace", cwd=process)
    assert run.code == 0, run.err
    assert load(process, "organisationer/horsens-kommune.yaml")["backing"]["political"] == {
        "by": "Byrådet", "date": YESTERDAY, "evidence": "https://horsens.example/byraad"}
    # a level not yet recorded needs no --replace
    run = copi("owner", "backing", "horsens", "--level", "administrativ", "--by", "Direktionen",
               cwd=process)
    assert run.code == 0, run.err


@pytest.mark.parametrize("args", [
    ("owner", "backing", "aarhus", "--level", "political", "--by", "Byrådet"),
    ("owner", "add", "Horsens", "--joined"),
    ("owner", "withdraw", "aarhus"),
    ("decline", "aarhus"),
    ("insight", "add", "Fald om natten", "--source", "feltarbejde"),
    ("event", "add", "--kind", "supplier-conference", "--title", "Konference", "--date",
     YESTERDAY, "--announced"),
])
def test_what_has_happened_is_never_dated_ahead(copi, process: Path,
                                                args: tuple[str, ...]) -> None:
    before = state_and_work_tree(process)
    dated = (*args, TOMORROW) if args[-1].startswith("--") else (*args, "--date", TOMORROW)
    run = copi(*dated, cwd=process)
    assert run.code == 2, run.err
    assert f"{TOMORROW} is in the future" in run.err
    assert state_and_work_tree(process) == before


def test_a_signature_in_the_future_is_refused_and_an_event_may_be_planned(
        copi, process: Path) -> None:
    to_phase_6(copi, process)
    before = state_and_work_tree(process)
    run = copi("sign", "aarhus", "--signer", "Anna", "--title", "Borgmester", "--date",
               "2030-01-01", cwd=process)
    assert run.code == 2 and "2030-01-01 is in the future" in run.err
    assert state_and_work_tree(process) == before
    run = copi("event", "add", "--kind", "launch", "--title", "Lancering", "--date", TOMORROW,
               cwd=process)
    assert run.code == 0, run.err  # an event is planned ahead


def test_a_contact_already_past_its_retention_date_is_refused(copi, process: Path) -> None:
    before = state_and_work_tree(process)
    run = copi("contact", "add", "aarhus", "--name", "Ole", "--retention-until", "2021-01-01",
               cwd=process)
    assert run.code == 2 and "2021-01-01 has passed" in run.err
    assert state_and_work_tree(process) == before
    run = copi("contact", "add", "aarhus", "--name", "Ole", "--retention-until", TOMORROW,
               cwd=process)
    assert run.code == 0, run.err


def test_the_declaration_is_signed_in_phase_6_and_a_draft_text_is_warned_about(
        copi, process: Path) -> None:
    before = state_and_work_tree(process)
    run = copi("sign", "aarhus", "--signer", "Anna", "--title", "Borgmester", cwd=process)
    assert run.code == 1
    assert ("Aarhus Kommune cannot sign in phase 1: the declaration is signed at its launch "
            "in phase 6") in run.err
    assert state_and_work_tree(process) == before
    assert copi("decline", "aarhus", "--reason", "Budget", cwd=process).code == 0  # any time

    to_phase_6(copi, process)
    text = process / "tekster" / "hensigtserklaering.md"
    text.write_text(text.read_text(encoding="utf-8").replace("status: starter", "status: draft"),
                    encoding="utf-8")
    run = copi("sign", "aarhus", "--signer", "Anna", "--title", "Borgmester", cwd=process)
    assert run.code == 0, run.err
    assert ("warning: tekster/hensigtserklaering.md has status draft: the text signed is not "
            "final") in run.err
    assert load(process, "underskrifter.yaml")["signatures"][0]["decision"] == "signed"

    write(process, "tekster/hensigtserklaering.md", text.read_text(encoding="utf-8").replace(
        "status: draft", "status: final"))
    assert copi("owner", "add", "Horsens", cwd=process).code == 0
    run = copi("sign", "horsens", "--signer", "Peter", "--title", "Borgmester", cwd=process)
    assert run.code == 0 and "hensigtserklaering.md has status" not in run.err


@pytest.mark.parametrize("typed, stored", [
    ("samtykke", "consent"), ("Samtykke (art. 6, stk. 1, litra a)", "consent"),
    ("consent", "consent"), ("retlig forpligtelse", "legal-obligation"),
    ("opgave i samfundets interesse", "public-task"), ("public task", "public-task"),
])
def test_the_legal_basis_takes_its_danish_and_english_labels(copi, process: Path, typed: str,
                                                             stored: str) -> None:
    run = copi("contact", "add", "aarhus", "--name", "Peter Ravn", "--legal-basis", typed,
               cwd=process)
    assert run.code == 0, run.err
    contact = load(process, "organisationer/aarhus-kommune.yaml")["contacts"][0]
    assert contact["legal_basis"] == stored


def test_every_enumerated_option_takes_labels_through_one_rule(copi, process: Path) -> None:
    from copi_cli.model.vocabulary import checked

    assert checked("meeting_kind", "gruppemøde", "--kind") == "group"
    assert checked("meeting_kind", "gruppemode", "--kind") == "group"
    assert checked("signature_kind", "støtteerklæring", "--kind") == "support"
    assert checked("signature_kind", "stoetteerklaering", "--kind") == "support"
    assert checked("event_kind", "leverandoerkonference", "--kind") == "supplier-conference"
    assert checked("backing_level", "Politisk", "--level") == "political"
    run = copi("contact", "add", "aarhus", "--name", "Ole", "--legal-basis", "l", cwd=process)
    assert run.code == 2 and "could be more than one" in run.err  # legal-…, legitimate-…
    to_phase_6(copi, process)
    assert copi("owner", "add", "Welfare Tech", "--type", "medlemsorganisation", "--role",
                "skaleringspartner", cwd=process).code == 0
    run = copi("sign", "welfare-tech", "--signer", "Mia", "--title", "Direktør", "--kind",
               "støtteerklæring", cwd=process)
    assert run.code == 0, run.err
    assert load(process, "underskrifter.yaml")["signatures"][0]["kind"] == "support"
