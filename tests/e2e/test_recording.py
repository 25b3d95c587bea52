"""Recording commands end to end, against real git repositories: what they write, what they
commit, what they refuse, and that a refusal or a failure leaves files and history as they were."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import git, head

TODAY = dt.date.today().isoformat()


def load(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def trailers(root: Path) -> dict[str, str]:
    text = git(root, "log", "-1", "--format=%(trailers:only,unfold)")
    return dict(line.split(": ", 1) for line in text.splitlines() if line)


def unchanged(root: Path, before: str) -> bool:
    """HEAD where it was and nothing in the work tree changed or added."""
    return head(root) == before and git(root, "status", "--porcelain") == ""


# --- organisations ---------------------------------------------------------------------------

def test_owner_add_fills_a_municipality_from_the_reference_list(copi, process: Path) -> None:
    run = copi("owner", "add", "Horsens", "--citizens", "97000", "--dir", str(process))
    assert run.code == 0, run.err
    assert "Horsens Kommune" in run.out and "organisationer/horsens-kommune.yaml" in run.out
    assert load(process, "organisationer/horsens-kommune.yaml") == {
        "id": "horsens-kommune", "name": "Horsens Kommune", "type": "municipality",
        "role": "need-owner", "municipality_code": "615", "region_code": "1082",
        "joined": TODAY, "citizens": 97000}
    assert trailers(process) == {"Copi-Action": "owner-add", "Copi-Process": "proces",
                                 "Copi-Actor": "Test Facilitator"}
    assert git(process, "status", "--porcelain") == ""
    by_code = copi("owner", "add", "730", "--joined", "2026-01-05", "--dir", str(process))
    assert by_code.code == 0 and load(process, "organisationer/randers-kommune.yaml")[
        "joined"] == "2026-01-05"


def test_owner_add_partner_with_cvr_and_listing(copi, process: Path) -> None:
    run = copi("owner", "add", "Welfare Tech", "--type", "member-organisation", "--role",
               "scaling-partner", "--cvr", "13585628", "--dir", str(process))
    assert run.code == 0, run.err
    listed = json.loads(copi("owner", "list", "--json", "--dir", str(process)).out)
    assert [(o["id"], o["role_label"], o["type_label"]) for o in listed] == [
        ("aarhus-kommune", "behovsejer", "kommune"),
        ("welfare-tech", "skaleringspartner", "medlemsorganisation")]
    shown = copi("owner", "show", "welfare-tech", "--dir", str(process))
    assert shown.code == 0 and "cvr: 13585628" in shown.out


@pytest.mark.parametrize(("args", "code", "said"), [
    (["Århus Komune"], 2, "did you mean 'Aarhus Kommune'"),
    (["Statens It", "--type", "agency"], 2, "state-agency"),
    (["Odense", "--type", "port"], 1, "is a municipality, not a port"),
    (["Aarhus"], 1, "already in the process"),
    (["Energinet", "--type", "state-company", "--cvr", "13585627"], 2, "not a valid CVR"),
    (["Energinet", "--type", "state-company", "--joined", "2026-02-30"], 2, "not a real date"),
    (["Energinet", "--type", "state-company", "--role", "buyer"], 2, "need-owner"),
])
def test_owner_add_refuses_bad_input_and_writes_nothing(copi, process: Path, args: list[str],
                                                         code: int, said: str) -> None:
    before = head(process)
    run = copi("owner", "add", *args, "--dir", str(process))
    assert run.code == code and said in run.err
    assert run.err.count("copi: error:") == 1 and "Traceback" not in run.err
    assert unchanged(process, before)


def test_backing_evidence_from_outside_is_brought_in(copi, process: Path,
                                                     tmp_path: Path) -> None:
    evidence = tmp_path / "Direktionsnotat.pdf"
    evidence.write_bytes(b"%PDF-1.4 notat")
    run = copi("owner", "backing", "aarhus", "--level", "administrative", "--by",
               "Direktionen", "--date", "2026-03-02", "--evidence", str(evidence),
               "--dir", str(process))
    assert run.code == 0, run.err
    data = load(process, "organisationer/aarhus-kommune.yaml")
    assert data["backing"] == {"administrative": {
        "by": "Direktionen", "date": "2026-03-02",
        "evidence": "materialer/Direktionsnotat.pdf"}}
    assert (process / "materialer/Direktionsnotat.pdf").read_bytes() == b"%PDF-1.4 notat"
    committed = git(process, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == ["proces/materialer/Direktionsnotat.pdf",
                         "proces/organisationer/aarhus-kommune.yaml"] or committed == [
        "materialer/Direktionsnotat.pdf", "organisationer/aarhus-kommune.yaml"]
    political = copi("owner", "backing", "751", "--level", "political", "--by", "Byrådet",
                     "--date", "2026-03-20", "--evidence", "https://aarhus.example/b",
                     "--dir", str(process))
    assert political.code == 0
    backing = load(process, "organisationer/aarhus-kommune.yaml")["backing"]
    assert list(backing) == ["administrative", "political"]


def test_hand_comments_and_layout_survive_every_edit(copi, process: Path) -> None:
    path = process / "organisationer/aarhus-kommune.yaml"
    hand = (
        "# Aarhus — vedligeholdes af Louise (ring før du retter)\n"
        "id: aarhus-kommune\n"
        "name: 'Aarhus Kommune'     # officielt navn\n"
        "type: municipality\n"
        "role: need-owner\n"
        "municipality_code: \"751\"\n"
        "region_code: \"1082\"\n"
        f"joined: \"{TODAY}\"\n"
        "citizens: 367000   # 2025-tal\n"
        "note: >-\n"
        "  Deltager med to\n"
        "  plejedistrikter.\n")
    path.write_text(hand, encoding="utf-8")
    git(process, "commit", "-qam", "håndrettet")
    assert copi("owner", "backing", "aarhus", "--level", "political", "--by", "Byrådet",
                "--date", TODAY, "--dir", str(process)).code == 0
    assert copi("contact", "add", "aarhus", "--name", "Louise Bach", "--email",
                "loba@aarhus.example", "--retention-until", "2028-12-31",
                "--dir", str(process)).code == 0
    assert copi("owner", "withdraw", "aarhus", "--reason", "Andre prioriteter: budget",
                "--dir", str(process)).code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(hand)  # every hand-written line as it was; copi only added lines
    diff = git(process, "diff", "HEAD~3", "--", str(path))
    assert all(not line.startswith("-") or line.startswith("---")
               for line in diff.splitlines())


def test_windows_line_ends_and_a_byte_order_mark_are_kept(copi, process: Path) -> None:
    path = process / "organisationer/aarhus-kommune.yaml"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    git(process, "commit", "-qam", "gemt i Windows")
    assert copi("owner", "withdraw", "aarhus", "--dir", str(process)).code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    lines = raw[3:].decode("utf-8").split("\r\n")
    added = [line for line in lines if line.startswith("withdrawn:")]
    assert added == [f'withdrawn: "{TODAY}"']
    assert [line for line in lines if line not in added] == text.split("\r\n")


# --- contacts and GDPR -----------------------------------------------------------------------

def test_contact_export_and_erase(copi, process: Path) -> None:
    root = str(process)
    assert copi("supplier", "add", "Sensa Care ApS", "--cvr", "38990608", "--dir",
                root).code == 0
    for holder, name, email in (("aarhus", "Louise Bach", "loba@aarhus.example"),
                                ("sensa-care", "Louise Bach", "lb@sensa.example"),
                                ("sensa-care", "Jonas Holm", "jh@sensa.example")):
        assert copi("contact", "add", holder, "--name", name, "--email", email, "--title",
                    "Projektleder", "--dir", root).code == 0, holder
    (process / "moeder").mkdir(exist_ok=True)
    notes = process / "noter.md"
    notes.write_text("Louise Bach præsenterede.\n", encoding="utf-8")
    assert copi("event", "add", "--kind", "supplier-conference", "--date", "2026-09-10",
                "--title", "Konference", "--announced", "2026-08-01", "--channel", "udbud.dk",
                "--dir", root).code == 0
    assert copi("meeting", "add", "--supplier", "sensa-care", "--owners", "aarhus",
                "--date", "2026-09-24", "--event", "2026-09-10-konference", "--notes",
                str(notes), "--dir", root).code == 0
    notes.unlink()

    exported = copi("contact", "export", "Louise Bach", "--dir", root)
    assert exported.code == 0, exported.err
    data = json.loads(exported.out)
    assert [(e["holder"], e["email"]) for e in data["contact_entries"]] == [
        ("aarhus-kommune", "loba@aarhus.example"), ("sensa-care", "lb@sensa.example")]
    assert [m["path"] for m in data["other_mentions"]] == ["moeder/2026-09-24-sensa-care.yaml"]

    erased = copi("contact", "erase", "louise bach", "--dir", root)
    assert erased.code == 0, erased.err
    assert "moeder/2026-09-24-sensa-care.yaml:" in erased.err  # left for a person to judge
    assert "Louise" not in git(process, "log", "-1", "--format=%B")
    sensa = load(process, "leverandoerer/sensa-care.yaml")
    assert [c["name"] for c in sensa["contacts"]] == ["Jonas Holm"]
    assert sensa["cvr"] == "38990608"
    assert load(process, "organisationer/aarhus-kommune.yaml")["contacts"] == []
    assert copi("contact", "erase", "Louise Bach", "--dir", root).code == 2


def test_contact_past_retention_is_flagged(copi, process: Path) -> None:
    run = copi("contact", "add", "aarhus", "--name", "Ole", "--retention-until", "2020-01-01",
               "--dir", str(process))
    assert run.code == 0 and "R020" in run.err
    listed = copi("contact", "list", "--dir", str(process))
    assert "UDLØBET" in listed.out


# --- events and the market dialogue ----------------------------------------------------------

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


# --- exploration and glossary ----------------------------------------------------------------

def test_insight_need_barrier_term(copi, process: Path) -> None:
    root = str(process)
    template = (process / "udforskning/behov.yaml").read_text(encoding="utf-8")
    comments = [line for line in template.splitlines() if line.startswith("#")]
    assert copi("insight", "add", "Fald sker om natten", "--source", "fieldwork", "--owners",
                "aarhus", "--date", "2026-04-08", "--dir", root).code == 0
    unknown = copi("need", "add", "Fald opdages hurtigt", "--owners", "aarhus",
                   "--insights", "fald-om-natten", "--dir", root)
    assert unknown.code == 2 and "fald-sker-om-natten" in unknown.err
    need = copi("need", "add", "Fald opdages hurtigt", "--owners", "aarhus", "--insights",
                "fald-sker-om-natten", "--criterion", "Tid til hjælp", "--dir", root)
    assert need.code == 0, need.err
    assert copi("barrier", "add", "Data må ikke deles", "--kind", "lovgivning", "--owners",
                "aarhus", "--dir", root).code == 0
    needs = load(process, "udforskning/behov.yaml")
    assert needs["needs"] == [{"id": "fald-opdages-hurtigt", "title": "Fald opdages hurtigt",
                               "owners": ["aarhus-kommune"],
                               "insights": ["fald-sker-om-natten"],
                               "success_criteria": ["Tid til hjælp"]}]
    assert needs["barriers"][0]["kind"] == "legislation"  # the Danish label was understood
    text = (process / "udforskning/behov.yaml").read_text(encoding="utf-8")
    assert all(line in text.splitlines() for line in comments)
    assert copi("term", "add", "Eget hjem", "--definition", "Borgerens bolig", "--english",
                "Own home", "--dir", root).code == 0
    assert copi("term", "add", "eget hjem", "--definition", "igen", "--dir", root).code == 1


# --- potential -------------------------------------------------------------------------------

def test_potential_figures_and_calculation(copi, process: Path) -> None:
    root = str(process)
    year = dt.date.today().year
    assert copi("potential", "purchase", "aarhus", "--year", str(year + 2), "--units", "1500",
                "--spend", "3.000.000", "--low", "2400000", "--high", "3900000",
                "--dir", root).code == 0
    bad = copi("potential", "purchase", "aarhus", "--year", str(year + 2), "--spend", "100",
               "--low", "200", "--dir", root)
    assert bad.code == 2 and "low must not exceed expected" in bad.err
    outside = copi("potential", "effect", "aarhus", "--year", str(year + 71), "--kind",
                   "benefit", "--amount", "1", "--dir", root)
    assert outside.code == 2 and "outside the calculation" in outside.err
    # cost 1,000,000 (investment) in the base year, benefit 500,000 in each of the next two
    assert copi("potential", "effect", "aarhus", "--year", str(year), "--kind", "cost",
                "--amount", "1000000", "--investment", "--dir", root).code == 0
    for later in (year + 1, year + 2):
        assert copi("potential", "effect", "aarhus", "--year", str(later), "--kind",
                    "benefit", "--amount", "500000", "--dir", root).code == 0
    data = load(process, "potentiale.yaml")
    assert data["status"] == "started" and data["base_year"] == year
    shown = json.loads(copi("potential", "--json", "--dir", root).out)
    # -1,000,000 + 500,000/1.035 + 500,000/1.035^2 = -50,152.86 -> -50,153 kroner
    assert shown["total"]["npv_dkk"]["expected"] == "-50153"
    assert shown["demand"]["years"] == [{"year": year + 2, "owners": 1, "units": "1500",
                                         "sites": None, "spend_dkk": {
                                             "low": "2400000", "expected": "3000000",
                                             "high": "3900000"}}]
    text = copi("potential", "--dir", root).out
    assert "-50.153" in text and "3,5 %" in text


def test_potential_is_for_need_owners(copi, process: Path) -> None:
    root = str(process)
    assert copi("owner", "add", "VIA University College", "--type", "other", "--role",
                "knowledge-partner", "--dir", root).code == 0
    run = copi("potential", "purchase", "via-university-college", "--year", "2028",
               "--units", "1", "--dir", root)
    assert run.code == 1 and "need owners" in run.err


# --- the declaration -------------------------------------------------------------------------

def test_sign_decline_and_accession(copi, process: Path) -> None:
    root = str(process)
    assert copi("owner", "add", "Horsens", "--dir", root).code == 0
    assert copi("owner", "add", "Welfare Tech", "--type", "member-organisation", "--role",
                "scaling-partner", "--dir", root).code == 0
    before = head(process)
    early = copi("sign", "aarhus", "--signer", "A", "--title", "Borgmester", "--date",
                 "2020-01-01", "--dir", root)
    assert early.code == 1 and "R004" in early.err and "nothing was written" in early.err
    assert unchanged(process, before)
    assert copi("decline", "horsens", "--reason", "Budget", "--dir", root).code == 0
    launch = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert copi("event", "add", "--kind", "launch", "--date", launch, "--title", "Lancering",
                "--dir", root).code == 0
    signed = copi("sign", "aarhus", "--signer", "Anders", "--title", "Borgmester",
                  "--event", "lancering", "--dir", root)
    assert signed.code == 0, signed.err
    assert "tiltrådt (efter lanceringen)" in signed.out  # an accession, and it counts
    assert copi("sign", "aarhus", "--signer", "Anders", "--title", "Borgmester", "--dir",
                root).code == 1  # already signed
    support = copi("sign", "welfare-tech", "--signer", "Direktør", "--title", "Direktør",
                   "--dir", root)
    assert support.code == 0
    later = copi("sign", "horsens", "--signer", "Peter", "--title", "Borgmester", "--dir", root)
    assert later.code == 0
    signatures = load(process, "underskrifter.yaml")["signatures"]
    assert [(s["organisation"], s["decision"], s.get("kind")) for s in signatures] == [
        ("aarhus-kommune", "signed", "buyer"), ("welfare-tech", "signed", "support"),
        ("horsens-kommune", "signed", "buyer")]  # the decline was replaced
    assert signatures[0]["event"] == f"{launch}-lancering"
    scale = json.loads(copi("status", "--json", "--dir", root).out)["scale"]
    assert (scale["need_owners"], scale["partners"], scale["signed"], scale["supported"],
            scale["declined"]) == (2, 1, 2, 1, 0)


# --- all or nothing --------------------------------------------------------------------------

def test_no_commit_writes_without_committing(copi, process: Path) -> None:
    before = head(process)
    run = copi("owner", "add", "Horsens", "--no-commit", "--dir", str(process))
    assert run.code == 0 and "--no-commit" in run.out
    assert head(process) == before
    assert "?? organisationer/horsens-kommune.yaml" in git(process, "status", "--porcelain",
                                                          "-uall")


def test_only_the_recorded_files_are_committed(copi, process: Path) -> None:
    draft = process / "tekster/problembeskrivelse.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nUfærdig tanke.\n",
                     encoding="utf-8")
    assert copi("owner", "add", "Horsens", "--dir", str(process)).code == 0
    assert git(process, "status", "--porcelain") == " M tekster/problembeskrivelse.md\n"


def test_a_refusing_hook_leaves_everything_as_it_was(copi, process: Path,
                                                     tmp_path: Path) -> None:
    hook = process / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'stop' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = head(process)
    original = (process / "organisationer/aarhus-kommune.yaml").read_bytes()
    evidence = tmp_path / "notat.pdf"
    evidence.write_bytes(b"pdf")
    run = copi("owner", "backing", "aarhus", "--level", "political", "--by", "Byrådet",
               "--evidence", str(evidence), "--dir", str(process))
    assert run.code == 3 and "pre-commit" not in run.out
    assert (process / "organisationer/aarhus-kommune.yaml").read_bytes() == original
    assert not (process / "materialer/notat.pdf").exists()
    assert unchanged(process, before)


def test_a_merge_in_progress_is_refused(copi, process: Path) -> None:
    (process / ".git/MERGE_HEAD").write_text(head(process) + "\n")
    run = copi("owner", "add", "Horsens", "--dir", str(process))
    assert run.code == 3 and "merge" in run.err
    assert not (process / "organisationer/horsens-kommune.yaml").exists()


def test_the_command_line_as_a_user_runs_it(copi_process, process: Path) -> None:
    run = copi_process("owner", "add", "Silkeborg", cwd=process)
    assert run.code == 0, run.err
    assert "Tilføjet organisation: Silkeborg Kommune" in run.out
    assert git(process, "log", "-1", "--format=%s").strip() == \
        "Tilføjet organisation: Silkeborg Kommune"


# --- found by a new user's review ------------------------------------------------------------


def test_review_refusals(copi, process: Path, tmp_path: Path) -> None:
    root = str(process)
    lyngby = copi("owner", "add", "Lyngby", "--dir", root)
    assert lyngby.code == 2 and "Lyngby-Taarbæk Kommune" in lyngby.err
    slides = tmp_path / "slides.pdf"
    slides.write_bytes(b"x")
    assert copi("event", "add", "--kind", "workshop", "--date", "2026-04-22", "--title",
                "Workshop", "--dir", root).code == 0
    again = copi("event", "add", "--kind", "workshop", "--date", "2026-04-22", "--title",
                 "workshop", "--dir", root)
    assert again.code == 1 and "already recorded" in again.err
    assert copi("event", "publish", "workshop", "--material", str(slides), "--date",
                "2026-04-23", "--dir", root).code == 0
    republished = copi("event", "publish", "workshop", "--material", "materialer/slides.pdf",
                       "--dir", root)
    assert republished.code == 1 and "2026-04-23 already" in republished.err
    folder = copi("event", "publish", "workshop", "--material", str(tmp_path), "--dir", root)
    assert folder.code == 2 and "a directory" in folder.err
    assert copi("owner", "withdraw", "aarhus", "--dir", root).code == 0
    gone = copi("potential", "purchase", "aarhus", "--year", "2030", "--units", "5",
                "--dir", root)
    assert gone.code == 1 and "withdrew" in gone.err


def test_a_decision_dated_before_the_recorded_one_is_refused(copi, process: Path) -> None:
    root = str(process)
    assert copi("sign", "aarhus", "--signer", "A", "--title", "Borgmester", "--dir",
                root).code == 0
    earlier = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    run = copi("decline", "aarhus", "--date", earlier, "--dir", root)
    assert run.code == 1 and "after" in run.err
    assert load(process, "underskrifter.yaml")["signatures"][0]["decision"] == "signed"
