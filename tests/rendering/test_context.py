"""What a document template sees: every dialogue activity listed for the public (a confidential
1:1 meeting with its minutes withheld), the facilitator never a partner, the status report's
warnings and market-dialogue overview."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from copi_cli.model.documents import load_documents
from copi_cli.rendering.confidentiality import Restricted
from copi_cli.rendering.context import Sources
from copi_cli.trail.lifecycle import load_valid

from conftest import EXAMPLE

TODAY = dt.date(2026, 12, 7)
WITHHELD = "(navn ikke offentligt)"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The example with CO-PI recorded as an organisation, as a scaling partner by mistake;
    a confidential supplier met 1:1; an answer not yet published."""
    root = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    (root / "organisationer" / "co-pi.yaml").write_text(
        'id: co-pi\nname: CO-PI\ntype: other\nrole: scaling-partner\njoined: "2025-09-01"\n',
        encoding="utf-8")
    (root / "leverandoerer" / "skjult-sensor.yaml").write_text(
        "id: skjult-sensor\nname: Skjult Sensor ApS\nconfidential: true\n", encoding="utf-8")
    (root / "moeder" / "2026-10-12-skjult-sensor.yaml").write_text(
        'id: 2026-10-12-skjult-sensor\nkind: one-to-one\nsupplier: skjult-sensor\n'
        'owners: [randers-kommune]\ndate: "2026-10-12"\n'
        'event: 2026-09-10-leverandoerkonference\ntopics: [Sensorer i badeværelset]\n'
        'notes: Leverandøren viste en prototype, der endnu ikke er på markedet.\n',
        encoding="utf-8")
    _edit(root, "spoergsmaal-og-svar.yaml", "    asked_by: nordic-balance-tech\n",
          "    asked_by: nordic-balance-tech\n    answer: Med de gængse omsorgssystemer.\n"
          '    answered: "2026-10-09"\n')
    return root


def _sources(root: Path, audience: str) -> Sources:
    return Sources(load_valid(root, TODAY), audience, "da", TODAY)


def test_every_meeting_is_listed_for_the_public_its_minutes_withheld(root: Path) -> None:
    sources = _sources(root, "public")
    meetings = {m["date"]: m for m in sources.context["meetings"]}
    assert sorted(meetings) == ["2026-09-24", "2026-09-29", "2026-10-02", "2026-10-08",
                                "2026-10-12"]  # every one of them `confidential: true`
    sensa = meetings["2026-09-24"]
    assert sensa["supplier_name"] == "Sensa Care ApS"
    assert sensa["owner_names"] == ["Aarhus Kommune", "Region Midtjylland"]
    assert sensa["topics"] == ["Faldsensorer", "Dataudveksling med omsorgssystemer"]
    assert "notes" not in sensa and sensa["minutes_withheld"]
    assert not meetings["2026-10-02"]["minutes_withheld"]  # none were taken
    # the supplier itself is confidential: the meeting is listed, the supplier withheld, and
    # nothing that holds its id or name is left for a template
    hidden = meetings["2026-10-12"]
    assert hidden["supplier_name"] == WITHHELD and hidden["topics"] == ["Sensorer i badeværelset"]
    assert "id" not in hidden and "supplier" not in hidden
    assert not any("skjult" in text.casefold() for text in sources.public_texts())
    guard = sources.view.guard()
    guard.allow(sources.public_texts(), sources.public_people())
    assert guard.leaks("Skjult Sensor viste en prototype, der endnu ikke er på markedet.")


def test_a_meeting_keeps_what_it_marks_confidential_itself(root: Path) -> None:
    _edit(root, "moeder/2026-09-29-trygstep.yaml", "confidential: true",
          "confidential: [topics]")
    trygstep = next(m for m in _sources(root, "public").context["meetings"]
                    if m["date"] == "2026-09-29")
    assert trygstep["topics"] == [] and trygstep["topics_withheld"]
    assert trygstep["supplier_name"] == "TrygStep A/S"


def test_internal_meetings_mark_only_the_minutes(root: Path) -> None:
    meetings = {m["date"]: m for m in _sources(root, "internal").context["meetings"]}
    sensa = meetings["2026-09-24"]
    assert isinstance(sensa["notes"], Restricted) and sensa["notes"].reason == "confidential"
    assert not any(isinstance(topic, Restricted) for topic in sensa["topics"])
    assert not isinstance(sensa["date"], Restricted)
    assert meetings["2026-10-12"]["supplier_name"] == "Skjult Sensor ApS"


def test_the_asker_of_a_question_stays_marked_internal(root: Path) -> None:
    questions = _sources(root, "internal").context["questions"]
    asker = questions[0]["asked_by_name"]
    assert asker == "Sensa Care ApS" and isinstance(asker, Restricted)
    assert asker.reason == "internal"


def test_the_facilitator_is_shown_as_facilitator_never_as_partner(root: Path) -> None:
    context = _sources(root, "public").context
    assert [p["name"] for p in context["partners"]] == ["VIA University College",
                                                        "Welfare Tech"]
    co_pi = next(o for o in context["organisations"] if o["name"] == "CO-PI")
    assert co_pi["is_facilitator"] and co_pi["role_label"] == "facilitator"
    assert not co_pi["is_need_owner"]


def _status_report(root: Path, audience: str) -> dict:
    document = next(d for d in load_documents() if d.id == "status-report")
    return _sources(root, audience).for_document(document)


def test_the_status_report_has_the_open_warnings_with_their_place(root: Path) -> None:
    warnings = _status_report(root, "internal")["warnings"]
    unpublished = next(w for w in warnings if w["code"] == "R018")
    lines = (root / "spoergsmaal-og-svar.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("    answer: Med de gængse omsorgssystemer.") + 1
    assert unpublished["where"] == f"spoergsmaal-og-svar.yaml:{line}"
    assert "q-003" in unpublished["message"] and "--published" in unpublished["hint"]
    # a finding may quote what the public may not see: never in a public render
    assert _status_report(root, "public")["warnings"] == []


def test_the_status_report_has_the_market_dialogue_at_a_glance(root: Path) -> None:
    overview = _status_report(root, "internal")["market_dialogue"]
    assert overview["shown"]
    assert [(a["title"], a["held"], a["published_materials"]) for a in overview["activities"]] \
        == [("Leverandørkonference: færre fald i eget hjem", True, 2)]
    assert overview["meetings"] == {"held": 5, "planned": 0, "suppliers": 5, "group": 0}
    assert overview["questions"] == {"asked": 3, "answered": 3, "published": 2}
    assert [(e["supplier"], e["date"], e["shared"]) for e in overview["prior_involvement"]] == [
        ("Hjemmets Lys ApS", "2026-05-12", True), ("TrygStep A/S", "2026-10-20", True)]


_NEEDLES = ("ids", "personal", "initials", "needles", "names", "emails", "phones",
            "personal_phones")


@pytest.mark.parametrize("kept_in", ["made", "memory", "cache"])
def test_the_kept_leak_check_is_the_one_made_anew(example: Path, kept_in: str) -> None:
    """The records' guard kept with the view, and what the texts cut added to it, hold the same
    needles as a guard made from everything at once (the example's texts cut a passage)."""
    from copi_cli.rendering import context

    report = load_valid(example, dt.date.today())
    context._MEMO.clear()
    source = context.sources_for(report, "public", "da", dt.date.today())
    if kept_in != "made":
        if kept_in == "cache":
            context._MEMO.clear()
        source = context.sources_for(report, "public", "da", dt.date.today())
    for document in load_documents():
        if document.audience == "public" and document.text:
            source.for_document(document)
    assert set(source.view.cut) - set(source.kept().cut), "no text cut a passage"
    kept = source.guard()
    anew = source.view.guard()
    anew.allow(source.public_texts(), source.public_people(), source.public_places())
    for name in _NEEDLES:
        assert getattr(kept, name) == getattr(anew, name), name
    assert kept.needles and kept.personal
