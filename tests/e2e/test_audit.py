"""copi audit and copi log: the trail read back from git, and every way a hand edit, a
moved tag or rewritten history shows in it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import yaml

from conftest import fulfil_phase_1, fulfil_phase_2, git, state

TODAY = dt.date.today().isoformat()


def test_no_commit_is_reported_by_audit(copi, process: Path) -> None:
    fulfil_phase_1(process)
    head = git(process, "rev-parse", "HEAD")
    run = copi("advance", "--no-commit", cwd=process)
    assert run.code == 0 and "--no-commit" in run.out
    assert git(process, "rev-parse", "HEAD") == head
    audited = copi("audit", cwd=process)
    assert audited.code == 1 and "A001" in audited.out


def test_audit_catches_tampering(copi, process: Path) -> None:
    fulfil_phase_1(process)
    assert copi("advance", cwd=process).code == 0
    fulfil_phase_2(process)
    assert copi("advance", cwd=process).code == 0
    assert copi("audit", cwd=process).code == 0
    config = process / "copi.yaml"
    original = config.read_text(encoding="utf-8")

    # history edited by hand: a date changed
    config.write_text(original.replace(f'date: "{TODAY}"\n    from: innovation-need',
                                       'date: "2025-01-01"\n    from: innovation-need'),
                      encoding="utf-8")
    run = copi("audit", cwd=process)
    assert run.code == 1 and "A003" in run.out and "date" in run.out
    # an entry removed (and the phase set back to match, as a careless hand edit would)
    last_entry = original.rindex("  - date:")
    config.write_text((original[:last_entry] + original[original.index("settings:"):])
                      .replace("phase: needs-exploration", "phase: matchmaking"),
                      encoding="utf-8")
    run = copi("audit", cwd=process)
    assert run.code == 1 and "A002" in run.out
    config.write_text(original, encoding="utf-8")

    # a tag moved, a tag deleted
    git(process, "tag", "-f", "-a", "copi/proces/02-matchmaking", "-m", "flyttet",
        "HEAD")
    git(process, "tag", "-d", "copi/proces/01-innovation-need")
    run = copi("audit", "--format", "json", cwd=process)
    codes = sorted(d["code"] for d in json.loads(run.out)["diagnostics"])
    assert run.code == 1 and codes == ["A004", "A005"]


def test_signed_commits_required(copi, process: Path) -> None:
    config = process / "copi.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "  require_signed_commits: true\n",
                      encoding="utf-8")
    run = copi("audit", cwd=process)
    assert run.code == 1 and "A006" in run.out


def test_processes_in_one_repository_keep_separate_trails(copi, tmp_path: Path) -> None:
    repo = tmp_path / "processer"
    repo.mkdir()
    git(repo, "init", "-q")
    for name in ("madservice", "faldulykker"):
        assert copi("init", name, "--owner", "Aarhus Kommune", cwd=repo).code == 0
    fulfil_phase_1(repo / "madservice")
    (repo / "noter.txt").write_text("staged")
    git(repo, "add", "noter.txt")
    assert copi("advance", cwd=repo / "madservice").code == 0
    assert git(repo, "diff", "--cached", "--name-only").split() == ["noter.txt"]
    trail = json.loads(copi("log", "--json", cwd=repo / "faldulykker").out)
    assert [e["action"] for e in trail] == ["init"]
    assert all(not f.startswith("..") for e in trail for f in e["files"])
    assert copi("audit", cwd=repo / "madservice").code == 0
    assert copi("audit", cwd=repo / "faldulykker").code == 0


def test_rewritten_history_leaves_tags_that_audit_reports(copi, process: Path) -> None:
    fulfil_phase_1(process)
    assert copi("advance", cwd=process).code == 0
    fulfil_phase_2(process)
    assert copi("advance", cwd=process).code == 0
    git(process, "reset", "-q", "--hard", "HEAD~2")  # both transitions gone, their tags stay
    run = copi("audit", cwd=process)
    assert run.code == 1 and run.out.count("A008") == 2
    # the next transition would reuse a tag number: refused clearly, nothing changed
    fulfil_phase_1(process)
    before = state(process)
    run = copi("advance", cwd=process)
    assert run.code == 1 and "already exists" in run.err and state(process) == before


def test_audit_aligns_entries_and_checks_actor(copi, process: Path) -> None:
    fulfil_phase_1(process)
    assert copi("advance", cwd=process).code == 0
    fulfil_phase_2(process)
    assert copi("advance", cwd=process).code == 0
    config = process / "copi.yaml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("actor: Test Facilitator", "actor: Mallory", 1)
                      .replace('actor: "Test Facilitator"', 'actor: "Mallory"', 1),
                      encoding="utf-8")
    run = copi("audit", cwd=process)
    assert run.code == 1 and "actor Mallory ≠ Test Facilitator" in run.out
    # remove the middle entry: reported as that entry's commit having no entry, nothing else
    history = yaml.safe_load(original)["history"]
    assert [h["to"] for h in history] == ["innovation-need", "matchmaking", "needs-exploration"]
    start = original.index("  - date:", original.index("to: innovation-need"))
    end = original.index("  - date:", start + 1)
    config.write_text(original[:start] + original[end:], encoding="utf-8")
    found = json.loads(copi("audit", "--format", "json", cwd=process).out)["diagnostics"]
    assert [d["code"] for d in found] == ["A002"]
    assert "Fase 1 → 2" in found[0]["message"]


def test_no_commit_then_commit_by_hand_satisfies_audit(copi, process: Path) -> None:
    fulfil_phase_1(process)
    run = copi("advance", "--no-commit", cwd=process)
    assert run.code == 0
    message = run.out.split("looks for it):\n\n", 1)[1].split("\n\n  and tag it:", 1)[0]
    assert "Copi-Action: advance" in message
    git(process, "add", "-A")
    subprocess.run(["git", "commit", "-q", "-F", "-"], input=message + "\n", text=True,
                   cwd=process, check=True)
    subject = message.splitlines()[0]
    git(process, "tag", "-a", "copi/proces/02-matchmaking", "-m", subject)
    audited = copi("audit", cwd=process)
    assert audited.code == 0, audited.out


def test_a_subject_with_git_log_separators_is_read_whole(copi, process: Path) -> None:
    """\\x1e and \\x1f are ordinary characters of a commit message: the trail is read with NUL
    separators, which no message or file name can hold."""
    (process / "materialer" / "noter.txt").write_text("noter\n", encoding="utf-8")
    git(process, "add", "-A")
    subject = "Noter\x1ef\x1fra mødet\x1f"
    subprocess.run(["git", "commit", "-q", "-F", "-"], input=subject + "\n\nCopi-Note: \x1e\n",
                   text=True, cwd=process, check=True)
    trail = copi("log", "--json", cwd=process)
    assert trail.code == 0, trail.err
    last = json.loads(trail.out)[-1]
    assert last["subject"] == subject and last["files"] == ["materialer/noter.txt"]
    assert last["action"] == "edit"
    assert copi("log", cwd=process).code == 0
    audited = copi("audit", cwd=process)
    assert audited.code == 0, audited.out + audited.err


def test_file_names_reach_the_trail_as_they_are(copi_process, process: Path) -> None:
    """Names git would quote ("materialer/\\303\\246.txt") and names that are not UTF-8 (with
    core.quotePath=false) are read as names: JSON stays UTF-8 and a stray byte shows as \\xNN."""
    materials = process / "materialer"
    (materials / "bilag æøå.txt").write_text("x\n", encoding="utf-8")
    (materials / "tab\tnavn.txt").write_text("x\n", encoding="utf-8")
    raw = os.fsencode(materials) + b"/latin\xe6.txt"
    with open(raw, "wb") as handle:
        handle.write(b"x\n")
    git(process, "add", "-A")
    git(process, "commit", "-q", "-m", "Bilag")
    for quoting in ("true", "false"):
        git(process, "config", "core.quotePath", quoting)
        trail = copi_process("log", "--json", cwd=process)
        assert trail.code == 0, trail.err
        files = json.loads(trail.out)[-1]["files"]
        assert sorted(files) == ["materialer/bilag æøå.txt", "materialer/latin\\xe6.txt",
                                 "materialer/tab\tnavn.txt"], quoting
        text = copi_process("log", cwd=process)
        assert text.code == 0 and "Bilag" in text.out, text.err


def test_audit_tells_the_stated_date_from_the_commit_date(copi, tmp_path: Path,
                                                         monkeypatch) -> None:
    """A transition recorded afterwards (--date) is shown (A016); one dated after the day it
    was committed (A015), or before the transition before it (A017), is a finding."""
    assert copi("init", "proces", "--owner", "Aarhus Kommune", "--date", "2025-01-01",
                cwd=tmp_path).code == 0
    process = tmp_path / "proces"
    run = copi("advance", "--force", "--reason", "x", "--date", "2025-06-02", cwd=process)
    assert run.code == 0, run.err
    audited = copi("audit", "--json", cwd=process)
    found = [d for d in json.loads(audited.out)["diagnostics"] if d["code"] != "A007"]
    assert audited.code == 0 and [d["code"] for d in found] == ["A016", "A016"]
    assert found[1]["message"] == (f"history entry 2 is dated 2025-06-02; its commit "
                                   f"{git(process, 'rev-parse', 'HEAD')[:10]} was made on "
                                   f"{TODAY} (recorded afterwards with --date)")

    # a commit whose own date is before the day it states: the stated day had not come
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2025-01-01T12:00:00+01:00")
    assert copi("advance", "--force", "--reason", "x", cwd=process).code == 0
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    audited = copi("audit", "--json", cwd=process)
    found = json.loads(audited.out)["diagnostics"]
    assert audited.code == 1
    late = next(d for d in found if d["code"] == "A015")
    assert late["message"].startswith(f"history entry 3 is dated {TODAY}, after its commit")
    assert "made on 2025-01-01" in late["message"]

    # an entry committed by hand with a date before the one before it
    run = copi("advance", "--force", "--reason", "x", "--no-commit", cwd=process)
    assert run.code == 0, run.err
    config = process / "copi.yaml"
    text = config.read_text(encoding="utf-8")
    at = text.rindex(f'date: "{TODAY}"')
    config.write_text(text[:at] + 'date: "2025-03-01"' + text[at + len(f'date: "{TODAY}"'):],
                      encoding="utf-8")
    message = run.out.split("copi audit looks for it):\n\n", 1)[1].split("\n\n  and tag", 1)[0]
    git(process, "commit", "-q", "-a", "-m",
        message.replace(f"Copi-Date: {TODAY}", "Copi-Date: 2025-03-01"))
    tag = run.out.split("git tag -a ", 1)[1].split(" ", 1)[0]
    git(process, "tag", "-a", tag, "-m", "x")
    found = json.loads(copi("audit", "--json", cwd=process).out)["diagnostics"]
    early = next(d for d in found if d["code"] == "A017")
    assert early["message"] == ("history entry 4 is dated 2025-03-01, before the transition "
                                f"before it ({TODAY})")
    assert "A003" not in {d["code"] for d in found}  # the entry and its commit agree
