"""copi advance against real git repositories: the gate, dry runs, the commit and tag of a
transition, what goes into it, and refusals that leave everything as it was."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import (
    fulfil_phase_1,
    fulfil_phase_2,
    fulfil_phase_3,
    fulfil_phase_4,
    git,
    state,
    state_and_work_tree,
    write,
)

TODAY = dt.date.today()


@pytest.mark.usefixtures("danish_cli")
def test_from_phase_1_to_6_with_revisit_and_force(copi, process: Path) -> None:
    def advance(*extra: str) -> None:
        run = copi("advance", *extra, cwd=process)
        assert run.code == 0, run.out + run.err

    refused = copi("advance", cwd=process)
    assert refused.code == 1 and "ikke opfyldt" in refused.out
    fulfil_phase_1(process)
    advance()
    fulfil_phase_2(process)
    advance()
    fulfil_phase_3(process)
    advance()
    run = copi("revisit", "matchmaking", "--reason", "Vejle vil med", cwd=process)
    assert run.code == 0 and "Fase 4 → 2" in run.out and "genåbnet" in run.out
    assert json.loads(copi("status", "--json", cwd=process).out)["phase"]["state"] == "reopened"
    advance()
    advance()
    fulfil_phase_4(process)
    advance()
    # needs communication is not final: only a forced advance passes, and it needs a reason
    assert copi("advance", "--force", cwd=process).code == 2
    advance("--force", "--reason", "Styregruppen har godkendt udkastet")
    last = copi("advance", "--force", "--reason", "x", cwd=process)
    assert last.code == 1 and "er den sidste fase" in last.err

    config = yaml.safe_load((process / "copi.yaml").read_text(encoding="utf-8"))
    assert config["phase"] == "declaration"
    assert [(h["action"], h["to"]) for h in config["history"]] == [
        ("init", "innovation-need"), ("advance", "matchmaking"),
        ("advance", "needs-exploration"), ("advance", "market-dialogue"),
        ("revisit", "matchmaking"), ("advance", "needs-exploration"),
        ("advance", "market-dialogue"), ("advance", "needs-communication"),
        ("advance", "declaration")]
    assert config["history"][4]["reason"] == "Vejle vil med"
    assert config["history"][-1]["forced"] is True

    tags = git(process, "tag").split()
    assert len(tags) == 9 and len(set(tags)) == 9
    assert "copi/proces/03-needs-exploration" in tags and "copi/proces/06-needs-exploration" \
        in tags
    # the 9 transitions, and twice the texts of a phase committed and published
    assert git(process, "rev-list", "--count", "HEAD").strip() == "13"
    assert git(process, "status", "--porcelain") == ""
    message = git(process, "log", "-1", "--format=%B")
    assert message.startswith("Fase 5 → 6: Den fælles hensigtserklæring (tvunget)")
    for trailer in ("Copi-Action: advance", "Copi-Phase-From: needs-communication",
                    "Copi-Phase-To: declaration", "Copi-Actor: Test Facilitator",
                    "Copi-Forced: yes", "Copi-Reason: Styregruppen har godkendt udkastet",
                    "Copi-Process: proces"):
        assert trailer in message

    trail = json.loads(copi("log", "--json", cwd=process).out)
    assert [e["action"] for e in trail] == ["init", "edit", "publish", "advance", "advance",
                                           "advance", "revisit", "advance", "advance", "edit",
                                           "publish", "advance", "advance"]
    assert trail[3]["author"] == "Test Facilitator"
    assert "bekraeftelser.yaml" in trail[3]["files"]
    assert trail[2]["files"] == ["publikationer.yaml"]
    assert trail[-1]["forced"] and trail[-1]["reason"] == "Styregruppen har godkendt udkastet"
    text_log = copi("log", cwd=process).out
    assert "  genåbnet  fase 4 → 2  " in text_log
    assert "GENNEMTVUNGET" in text_log and "revisit" not in text_log

    audited = copi("audit", cwd=process)
    assert audited.code == 0, audited.out
    assert audited.out.count("A007") == 1


@pytest.mark.usefixtures("danish_cli")
def test_dry_run_and_failing_gate_change_nothing(copi, process: Path) -> None:
    before = state(process)
    run = copi("advance", "--dry-run", cwd=process)
    assert run.code == 1 and state(process) == before
    fulfil_phase_1(process)
    git(process, "add", "-A")
    git(process, "commit", "-q", "-m", "Fase 1 udfyldt")
    before = state(process)
    run = copi("advance", "--dry-run", cwd=process)
    assert run.code == 0 and "opfyldt" in run.out and state(process) == before


@pytest.mark.usefixtures("danish_cli")
def test_gate_and_status_agree(copi, process: Path) -> None:
    fulfil_phase_1(process)
    (process / "bekraeftelser.yaml").write_text("confirmations: []\n", encoding="utf-8")
    status = json.loads(copi("status", "--json", cwd=process).out)
    gate = copi("advance", "--dry-run", cwd=process)
    assert gate.code == 1
    for result in status["results"]:
        mark = "x" if result["holds"] else " "
        assert f"[{mark}] {result['text']} — {result['why']}" in gate.out


def test_uncommitted_edits_go_into_the_transition(copi, process: Path) -> None:
    fulfil_phase_1(process)  # not committed: the evidence goes in with the transition
    run = copi("advance", cwd=process)
    assert run.code == 0
    assert "organisationer/aarhus-kommune.yaml" in run.out and "copi.yaml" in run.out
    assert git(process, "status", "--porcelain") == ""
    files = git(process, "show", "--name-only", "--format=", "HEAD").split()
    assert "interessenter.yaml" in files and "bekraeftelser.yaml" in files
    assert "Copi-Actor: Test Facilitator" in git(process, "log", "-1", "--format=%B")


def test_a_failing_tag_undoes_the_commit(copi, process: Path) -> None:
    fulfil_phase_1(process)
    locked = process / ".git" / "refs" / "tags" / "copi" / "proces" / "02-matchmaking.lock"
    locked.write_text("")  # another git is writing this tag
    before = state(process)
    run = copi("advance", cwd=process)
    assert run.code == 3 and "git tag failed" in run.err
    assert state(process) == before


def test_invalid_workspace_cannot_advance(copi, process: Path) -> None:
    fulfil_phase_1(process)
    write(process, "leverandoerer/x.yaml", "id: x\n")
    before = state(process)
    run = copi("advance", "--force", "--reason", "prøv", cwd=process)
    assert run.code == 1 and "validation error" in run.err
    assert state(process) == before


def test_refusing_hook_restores_everything(copi, process: Path) -> None:
    fulfil_phase_1(process)
    (process / "udenfor.txt").write_text("staged by the user")
    git(process, "add", "udenfor.txt")
    hook = process / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook siger nej' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state(process)
    status_before = git(process, "status", "--porcelain")
    run = copi("advance", cwd=process)
    assert run.code == 3 and "git commit failed" in run.err and "hook siger nej" in run.err
    assert state(process) == before
    assert git(process, "status", "--porcelain") == status_before


def _git_started(trace: Path) -> list[str]:
    """The git commands a GIT_TRACE2 file shows started, in order."""
    return [line.split(" start ", 1)[1] for line in trace.read_text().splitlines()
            if " start " in line]


def test_the_actor_is_the_committer_git_names(
        copi, process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked of git (`git var GIT_COMMITTER_IDENT`) at every change, so the environment counts
    as it does for the commit itself."""
    fulfil_phase_1(process)
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Eva Miljø")
    trace = tmp_path / "trace2.txt"
    monkeypatch.setenv("GIT_TRACE2", str(trace))
    assert copi("advance", cwd=process).code == 0
    assert any(" var GIT_COMMITTER_IDENT" in argv for argv in _git_started(trace))
    assert "Copi-Actor: Eva Miljø" in git(process, "log", "-1", "--format=%B")
    assert git(process, "log", "-1", "--format=%cn").strip() == "Eva Miljø"
    history = yaml.safe_load((process / "copi.yaml").read_text(encoding="utf-8"))["history"]
    assert history[-1]["actor"] == "Eva Miljø"


def test_maintenance_auto_that_is_not_a_boolean_fails_as_in_git(copi, process: Path) -> None:
    fulfil_phase_1(process)
    git(process, "config", "maintenance.auto", "maybe")
    before = state(process)
    run = copi("advance", cwd=process)
    assert run.code == 3 and "bad boolean config value" in run.err
    assert state(process) == before


def test_refusals_with_exit_3(copi, process: Path, tmp_path: Path) -> None:
    fulfil_phase_1(process)
    loose = tmp_path / "uden-git"
    shutil.copytree(process, loose, ignore=shutil.ignore_patterns(".git"))
    run = copi("advance", cwd=loose)
    assert run.code == 3 and "not in a git repository" in run.err
    (process / ".git" / "MERGE_HEAD").write_text(git(process, "rev-parse", "HEAD"))
    run = copi("advance", cwd=process)
    assert run.code == 3 and "merge" in run.err
    (process / ".git" / "MERGE_HEAD").unlink()
    git(process, "checkout", "-q", "--detach")
    run = copi("advance", cwd=process)
    assert run.code == 3 and "detached" in run.err


def test_advance_without_git_identity_or_git_changes_nothing(
        copi, process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Who acts and what changed are asked of git while copi validates: git failing
    to say who acts, or git missing, is a refusal with the fix, and nothing is written."""
    fulfil_phase_1(process)
    git(process, "add", "-A")
    git(process, "commit", "-q", "-m", "fase 1")
    before = state(process)
    anonymous = tmp_path / "anonymous.gitconfig"
    anonymous.write_text("[user]\n\tuseConfigOnly = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(anonymous))
    run = copi("advance", cwd=process)
    assert run.code == 3 and "git config --global user.name" in run.err, run.err
    monkeypatch.undo()  # the suite's surroundings too: English is asked for again
    monkeypatch.setenv("COPI_LANG", "en")
    assert state(process) == before
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    run = copi("advance", cwd=process)
    monkeypatch.undo()
    assert run.code == 3 and "git is not installed or not on PATH" in run.err, run.err
    assert state(process) == before


def test_a_process_directory_named_like_a_pattern_commits_only_itself(
        copi, tmp_path: Path) -> None:
    """Paths go to git as written: a directory named `mad*` is not a pattern that also takes
    in its neighbour madservice's uncommitted edits."""
    repo = tmp_path / "processer"
    repo.mkdir()
    git(repo, "init", "-q")
    for name in ("mad", "madservice"):
        assert copi("init", name, "--owner", "Aarhus Kommune", cwd=repo).code == 0
    git(repo, "mv", "mad", "mad*")
    git(repo, "commit", "-q", "-m", "omdøbt")
    fulfil_phase_1(repo / "mad*")
    neighbour = repo / "madservice" / "noter.md"
    neighbour.write_text("ikke færdig\n", encoding="utf-8")
    run = copi("advance", cwd=repo / "mad*")
    assert run.code == 0, run.err
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert committed and all(name.startswith("mad*/") for name in committed)
    assert git(repo, "status", "--porcelain").split() == ["??", "madservice/noter.md"]
    trail = json.loads(copi("log", "--json", cwd=repo / "madservice").out)
    assert [e["action"] for e in trail] == ["init"]


def test_a_material_whose_name_is_not_utf8_goes_into_the_transition(
        copi, process: Path) -> None:
    """git's answers are read as bytes: a file name that is not UTF-8 (or holds a carriage
    return) is committed and shown, not a crash."""
    fulfil_phase_1(process)
    (process / "materialer").mkdir(exist_ok=True)
    for name in (b"\xffnotat.txt", b"linje\rskift.txt"):
        with open(os.fsencode(process / "materialer") + b"/" + name, "wb") as handle:
            handle.write(b"bilag\n")
    run = copi("advance", cwd=process)
    assert run.code == 0, run.err
    assert "materialer/\ufffdnotat.txt" in run.out or "materialer/?notat.txt" in run.out
    assert "materialer/linje\\x0dskift.txt" in run.out
    assert git(process, "status", "--porcelain") == ""


def test_comments_in_copi_yaml_survive(copi, process: Path) -> None:
    config = process / "copi.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "title:", "# vores egen kommentar\ntitle:")
    text = text.replace("phase: innovation-need", "phase: innovation-need   # se referatet")
    config.write_text(text, encoding="utf-8")
    fulfil_phase_1(process)
    assert copi("advance", cwd=process).code == 0
    text = config.read_text(encoding="utf-8")
    assert "# vores egen kommentar" in text
    assert "phase: matchmaking   # se referatet" in text
    assert "# Hvor mange behovsejere" in text


def test_a_copi_yaml_saved_on_windows_stays_as_it_was_saved(copi, process: Path) -> None:
    """A byte-order mark and \\r\\n line ends stay, on the new lines too."""
    config = process / "copi.yaml"
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes().replace(b"\n", b"\r\n"))
    git(process, "commit", "-qam", "gemt i Windows")
    fulfil_phase_1(process)
    assert copi("advance", cwd=process).code == 0
    raw = config.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"to: matchmaking\r\n" in raw
    assert raw.count(b"\n") == raw.count(b"\r\n")


def test_dry_run_shows_commit_and_tag(copi, process: Path) -> None:
    run = copi("advance", "--dry-run", "--force", "--reason", "prøve", cwd=process)
    assert run.code == 0
    assert "Fase 1 → 2: Matchmaking offentlige indkøbere (tvunget)" in run.out
    assert "copi/proces/02-matchmaking" in run.out and "forced" in run.out
    refused = copi("advance", cwd=process)
    assert refused.code == 1 and "does not hold" in refused.err


def test_a_transition_is_validated_as_it_would_be(copi, process: Path) -> None:
    """Like a recording, a transition that would leave the process invalid writes nothing:
    here a history entry dated tomorrow (a clock ahead elsewhere) would come before today's."""
    config = process / "copi.yaml"
    text = config.read_text(encoding="utf-8")
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    config.write_text(text.replace(TODAY.isoformat(), tomorrow), encoding="utf-8")
    git(process, "commit", "-q", "-am", "uret går for stærkt")
    before = state_and_work_tree(process)
    run = copi("advance", "--force", "--reason", "Aftalt", cwd=process)
    assert run.code == 1, run.err
    assert "copi.yaml" in run.err and "R004" in run.err and "nothing was written" in run.err
    assert state_and_work_tree(process) == before


def test_a_transition_shows_the_warnings_it_brings(copi, process: Path) -> None:
    """Past matchmaking the process asks for two need owners (R011, a warning): a forced
    transition with one is made, and says so."""
    assert copi("advance", "--force", "--reason", "Aftalt", cwd=process).code == 0
    run = copi("advance", "--force", "--reason", "Aftalt", cwd=process)
    assert run.code == 0, run.err
    assert "copi.yaml" in run.err and "R011 warning: 1 need owner(s) in phase 3" in run.err
    assert "copi/proces/03-needs-exploration" in git(process, "tag")


def test_advance_without_a_repository_and_without_a_commit(copi, process: Path,
                                                           tmp_path: Path) -> None:
    """Outside git, --no-commit still writes the transition: the actor is the login name and
    the lock is taken in the process directory, and given back."""
    loose = tmp_path / "uden-git"
    shutil.copytree(process, loose, ignore=shutil.ignore_patterns(".git"))
    run = copi("advance", "--force", "--reason", "Aftalt", "--no-commit", cwd=loose)
    assert run.code == 0, run.err
    history = yaml.safe_load((loose / "copi.yaml").read_text(encoding="utf-8"))["history"]
    assert history[-1]["to"] == "matchmaking" and history[-1]["actor"] == getpass.getuser()
    assert "Copi-Actor: " + getpass.getuser() in run.out
    assert sorted(p.name for p in loose.iterdir() if p.name.startswith("copi.")) == [
        "copi.yaml"]
