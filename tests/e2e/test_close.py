"""copi close and copi reopen: the end state after phase 6, recorded, committed and tagged like
a transition, and what a closed process still allows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import git, head, load, state, state_and_work_tree

TODAY = dt.date.today().isoformat()


def to_phase_6(copi, root: Path) -> None:
    for _ in range(5):
        run = copi("advance", "--force", "--reason", "Aftalt i styregruppen", cwd=root)
        assert run.code == 0, run.err


@pytest.fixture
def in_phase_6(copi, process: Path) -> Path:
    to_phase_6(copi, process)
    return process


def test_close_and_reopen_round_trip_with_tags_and_a_clean_audit(copi, in_phase_6: Path,
                                                                 ) -> None:
    root = in_phase_6
    before = state(root)
    run = copi("close", "--reason", "Erklæringen er lanceret", cwd=root)
    assert run.code == 1 and "gate of phase 6 does not hold" in run.err  # judged like advance
    assert state(root) == before
    assert copi("close", "--force", cwd=root).code == 2  # a close says why

    run = copi("close", "--force", "--reason", "Erklæringen er lanceret", cwd=root)
    assert run.code == 0, run.err
    assert "Processen er afsluttet (tvunget)" in run.out and "copi/proces/07-closed" in run.out
    process = load(root, "copi.yaml")
    assert process["phase"] == "declaration"
    assert process["history"][-1] == {
        "date": TODAY, "from": "declaration", "to": "declaration", "action": "close",
        "actor": "Test Facilitator", "reason": "Erklæringen er lanceret", "forced": True}
    message = git(root, "log", "-1", "--format=%B")
    for trailer in ("Copi-Action: close", "Copi-Phase-From: declaration",
                    "Copi-Phase-To: declaration", "Copi-Forced: yes", f"Copi-Date: {TODAY}",
                    "Copi-Reason: Erklæringen er lanceret"):
        assert trailer in message
    assert git(root, "rev-parse", "copi/proces/07-closed^{commit}") == git(
        root, "rev-parse", "HEAD")
    audited = copi("audit", "--json", cwd=root)
    assert audited.code == 0, audited.out
    assert {d["code"] for d in json.loads(audited.out)["diagnostics"]} == {"A007"}

    again = copi("close", "--force", "--reason", "igen", cwd=root)
    assert again.code == 1 and f"closed on {TODAY}" in again.err
    advanced = copi("advance", "--force", "--reason", "x", cwd=root)
    assert advanced.code == 1 and "copi reopen" in advanced.err
    revisited = copi("revisit", "3", "--reason", "x", cwd=root)
    assert revisited.code == 1 and "copi reopen" in revisited.err

    assert copi("reopen", cwd=root).code == 2  # a reopening says why too
    run = copi("reopen", "--reason", "Vejle Kommune vil tiltræde", cwd=root)
    assert run.code == 0, run.err
    assert "Processen er genoptaget i fase 6" in run.out
    assert "copi/proces/08-declaration" in git(root, "tag")
    assert load(root, "copi.yaml")["history"][-1]["action"] == "reopen"
    assert "Copi-Action: reopen" in git(root, "log", "-1", "--format=%B")
    status = json.loads(copi("status", "--json", cwd=root).out)
    assert status["closed"] is None and status["phase"]["state"] == "current"
    assert copi("audit", cwd=root).code == 0
    assert copi("reopen", "--reason", "x", cwd=root).code == 1  # not closed now


def test_close_only_from_the_last_phase(copi, process: Path) -> None:
    before = state(process)
    run = copi("close", "--force", "--reason", "Stoppet", cwd=process)
    assert run.code == 1 and "only a process in phase 6" in run.err
    run = copi("reopen", "--reason", "x", cwd=process)
    assert run.code == 1 and "not closed" in run.err
    assert state(process) == before


def test_status_says_the_process_is_completed_in_danish_and_english(
        copi, in_phase_6: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPI_LANG")  # the process's language decides
    assert copi("close", "--force", "--reason", "Lanceret", cwd=in_phase_6).code == 0
    text = copi("status", cwd=in_phase_6).out
    assert f"Fase: 6. Den fælles hensigtserklæring (afsluttet {TODAY})" in text
    assert f"■ 6. Den fælles hensigtserklæring — afsluttet ({TODAY} – {TODAY})" in text
    assert "(nu)" not in text and "— nu" not in text
    status = json.loads(copi("status", "--json", cwd=in_phase_6).out)
    assert status["closed"] == TODAY and status["phase"]["state"] == "closed"
    assert status["next_steps"] == {}  # a completed process has no next steps

    assert copi("init", "english", "--owner", "Aarhus Kommune", "--lang", "en",
                cwd=tmp_path).code == 0
    english = tmp_path / "english"
    to_phase_6(copi, english)
    assert copi("close", "--force", "--reason", "Launched", cwd=english).code == 0
    text = copi("status", cwd=english).out
    assert f"Phase: 6. The joint declaration of intent (completed {TODAY})" in text
    assert "current" not in text


def test_a_closed_process_refuses_recording_and_still_renders(copi, in_phase_6: Path) -> None:
    root = in_phase_6
    assert copi("close", "--force", "--reason", "Lanceret", cwd=root).code == 0
    before = state_and_work_tree(root)
    for command in (("owner", "add", "Vejle Kommune"),
                    ("event", "add", "--kind", "launch", "--title", "Lancering"),
                    ("question", "add", "Hvornår?"),
                    ("sign", "aarhus-kommune", "--signer", "Anna", "--title", "Borgmester"),
                    ("term", "add", "Fald", "--definition", "Et fald")):
        run = copi(*command, cwd=root)
        assert run.code == 1, (command, run.err)
        assert f"closed on {TODAY}" in run.err and "copi reopen" in run.err
    assert state_and_work_tree(root) == before

    # reading, validating and rendering go on: the final documents can still be made
    assert copi("validate", cwd=root).code == 0
    run = copi("render", "status-report", "--format", "md", cwd=root)
    assert run.code == 0, run.err
    report = (root / "build" / "statusrapport.md").read_text(encoding="utf-8")
    day = dt.date.today()
    months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
              "september", "oktober", "november", "december"]
    assert (f"Processen blev afsluttet den {day.day}. {months[day.month - 1]} {day.year} i "
            "fase 6: **Den fælles hensigtserklæring**.") in report
    rows = [" ".join(line.split()) for line in report.splitlines()]  # pandoc pads cells
    assert any(row.startswith("| 6 | Den fælles hensigtserklæring | afsluttet |")
               for row in rows)
    assert any(row.split(" | ")[1:2] == ["Afsluttet"] for row in rows)  # the activity table
    assert "## Næste skridt" not in report
    assert state_and_work_tree(root)[:4] == before[:4]


def test_a_refusing_hook_undoes_a_close(copi, in_phase_6: Path) -> None:
    hook = in_phase_6 / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook siger nej' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state_and_work_tree(in_phase_6)
    run = copi("close", "--force", "--reason", "Lanceret", cwd=in_phase_6)
    assert run.code == 3 and "hook siger nej" in run.err
    assert state_and_work_tree(in_phase_6) == before


def test_a_close_committed_without_its_tag_gets_it_from_the_next_copi(copi,
                                                                      in_phase_6: Path) -> None:
    """A copi killed between the close's commit and its tag: the reopen makes the tag."""
    assert copi("close", "--force", "--reason", "Lanceret", cwd=in_phase_6).code == 0
    closing = head(in_phase_6)
    git(in_phase_6, "tag", "-d", "copi/proces/07-closed")
    run = copi("reopen", "--reason", "Vejle vil med", cwd=in_phase_6)
    assert run.code == 0, run.err
    assert "A004" in run.out + run.err and "copi/proces/07-closed" in run.out + run.err
    assert git(in_phase_6, "rev-parse", "copi/proces/07-closed^{commit}").strip() == closing
    assert copi("audit", cwd=in_phase_6).code == 0


def test_close_dry_run_changes_nothing(copi, in_phase_6: Path) -> None:
    before = state_and_work_tree(in_phase_6)
    run = copi("close", "--dry-run", "--force", "--reason", "Lanceret", cwd=in_phase_6)
    assert run.code == 0 and "copi/proces/07-closed" in run.out
    assert state_and_work_tree(in_phase_6) == before


def test_a_persons_rights_outlive_the_process(copi, in_phase_6: Path) -> None:
    """Access and erasure (GDPR) go on after the close; adding a contact does not."""
    root = in_phase_6
    assert copi("contact", "add", "aarhus", "--name", "Ole Hansen", "--email",
                "ole@aarhus.example", cwd=root).code == 0
    assert copi("close", "--force", "--reason", "Lanceret", cwd=root).code == 0
    run = copi("contact", "add", "aarhus", "--name", "Eva", cwd=root)
    assert run.code == 1 and "copi reopen" in run.err
    exported = copi("contact", "export", "ole@aarhus.example", cwd=root)
    assert exported.code == 0 and "Ole Hansen" in exported.out
    erased = copi("contact", "erase", "ole@aarhus.example", cwd=root)
    assert erased.code == 0, erased.err
    assert "Ole Hansen" not in (root / "organisationer/aarhus-kommune.yaml").read_text(
        encoding="utf-8")
