"""The phase lifecycle against real git repositories: gates, advance, revisit, log, audit."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from conftest import copi_executable, git

TODAY = dt.date.today().isoformat()


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def state(root: Path) -> tuple[str, str, str, bytes]:
    """HEAD, tags, index and copi.yaml: what a failed command must leave as it was."""
    return (git(root, "rev-parse", "HEAD"), git(root, "tag"),
            git(root, "ls-files", "-s"), (root / "copi.yaml").read_bytes())


@pytest.fixture
def process(copi, tmp_path: Path) -> Path:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    return tmp_path / "proces"


def fulfil_phase_1(root: Path) -> None:
    for rel, document in (("tekster/problembeskrivelse.md", "problem-description"),
                          ("tekster/pressemeddelelse.md", "press-release")):
        write(root, rel, f"---\ndocument: {document}\ntitle: Titel\nstatus: draft\n---\n"
                         "Rigtig tekst om problemet.\n")
    owner = root / "organisationer/aarhus-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + (
        "backing:\n  political:\n    by: Rådmanden\n    date: \"2025-05-01\"\n"
        "    evidence: https://aarhus.example/beslutning\n  administrative:\n"
        "    by: Direktionen\n    date: \"2025-04-01\"\n"
        "    evidence: https://aarhus.example/notat\n"), encoding="utf-8")
    write(root, "bekraeftelser.yaml", "confirmations:\n"
          "  - {result: expectations-aligned, by: Facilitator, date: \"2025-05-02\"}\n"
          "  - {result: fit-assessed, by: Facilitator, date: \"2025-05-03\"}\n")
    write(root, "interessenter.yaml", "stakeholders:\n  - {id: borgere, name: Borgere}\n"
          "value_chain:\n  - {id: indkoeb, step: Indkøb}\n")


def fulfil_phase_2(root: Path) -> None:
    write(root, "organisationer/odense-kommune.yaml",
          "id: odense-kommune\nname: Odense Kommune\ntype: municipality\nrole: need-owner\n"
          "municipality_code: \"461\"\njoined: \"2025-05-20\"\nbacking:\n  political:\n"
          "    by: Udvalget\n    date: \"2025-05-25\"\n    evidence: https://odense.example/u\n"
          "  administrative:\n    by: Direktionen\n    date: \"2025-05-21\"\n"
          "    evidence: https://odense.example/d\n")
    write(root, "arrangementer/matchmaking.yaml",
          "id: matchmaking\nkind: matchmaking\ntitle: Matchmaking\ndate: \"2025-05-20\"\n")


def fulfil_phase_3(root: Path) -> None:
    write(root, "udforskning/indsigter.yaml", "insights:\n"
          "  - {id: felt, source: fieldwork, title: Feltarbejde}\n"
          "  - {id: tal, source: data, title: Data}\n"
          "  - {id: lit, source: literature, title: Litteratur}\n")
    write(root, "udforskning/behov.yaml", "needs:\n  - {id: behov, title: Behov, owners: "
          "[aarhus-kommune, odense-kommune]}\nbarriers:\n"
          "  - {id: lov, kind: legislation, description: Lovgivning}\n")
    write(root, "potentiale.yaml", "status: started\n")


def fulfil_phase_4(root: Path) -> None:
    write(root, "arrangementer/konference.yaml",
          "id: konference\nkind: supplier-conference\ntitle: Leverandørkonference\n"
          "date: \"2025-06-10\"\nannounced: {date: \"2025-05-30\", channel: udbud.dk, open: true}\n"
          "materials:\n  - {title: Slides, url: https://x.example/s, published: \"2025-06-11\"}\n")
    write(root, "leverandoerer/firma.yaml", "id: firma\nname: Firma ApS\n")
    write(root, "vaerktoejer/markedsdialog.yaml",
          "tool: market-dialogue\nanswers:\n  purpose: Lære markedet at kende\n"
          "  conference_date: \"2025-06-10\"\n  announcement: [udbud.dk]\n"
          "  one_to_one: all\n  same_information: true\n")
    for day in ("12", "13"):
        write(root, f"moeder/m{day}.yaml", f"id: m{day}\nkind: one-to-one\nsupplier: firma\n"
              f"owners: [odense-kommune]\ndate: \"2025-06-{day}\"\nevent: konference\n")
    confirmations = root / "bekraeftelser.yaml"
    confirmations.write_text(confirmations.read_text(encoding="utf-8") +
                             "  - {result: criteria-discussed, by: F, date: \"2025-06-14\"}\n",
                             encoding="utf-8")
    insights = root / "udforskning/indsigter.yaml"
    insights.write_text(insights.read_text(encoding="utf-8") +
                        "  - {id: marked, source: market-dialogue, title: Markedet}\n",
                        encoding="utf-8")


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
    assert last.code == 1 and "last phase" in last.err

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
    assert git(process, "rev-list", "--count", "HEAD").strip() == "9"
    assert git(process, "status", "--porcelain") == ""
    message = git(process, "log", "-1", "--format=%B")
    assert message.startswith("Fase 5 → 6: Den fælles hensigtserklæring (tvunget)")
    for trailer in ("Copi-Action: advance", "Copi-Phase-From: needs-communication",
                    "Copi-Phase-To: declaration", "Copi-Actor: Test Facilitator",
                    "Copi-Forced: yes", "Copi-Reason: Styregruppen har godkendt udkastet",
                    "Copi-Process: proces"):
        assert trailer in message

    trail = json.loads(copi("log", "--json", cwd=process).out)
    assert [e["action"] for e in trail] == ["init", "advance", "advance", "advance", "revisit",
                                           "advance", "advance", "advance", "advance"]
    assert trail[1]["author"] == "Test Facilitator"
    assert "bekraeftelser.yaml" in trail[1]["files"]
    assert trail[-1]["forced"] and trail[-1]["reason"] == "Styregruppen har godkendt udkastet"
    text_log = copi("log", cwd=process).out
    assert "revisit" in text_log and "FORCED" in text_log

    audited = copi("audit", cwd=process)
    assert audited.code == 0, audited.out
    assert audited.out.count("A007") == 1


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


def test_a_tag_that_was_there_before_stays(process: Path) -> None:
    """The undo deletes a tag only if it names copi's own new commit."""
    from copi_cli.errors import GitError
    from copi_cli.trail import gitrepo

    repo = gitrepo.require_repo(process)
    git(process, "tag", "-a", "taget", "-m", "brugerens")
    before = state(process)
    (process / "ny.txt").write_text("x")
    with pytest.raises(GitError, match="already exists"):
        gitrepo.commit_transition(repo, [process], "emne", {"Copi-Action": "advance"}, "taget")
    assert state(process) == before
    assert git(process, "rev-parse", "taget^{commit}").strip() == before[0].strip()


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


def _stop_advance_in_its_hook(process: Path, signum: int) -> subprocess.Popen:
    """Start copi advance, wait until git runs the pre-commit hook, send the signal."""
    fulfil_phase_1(process)
    marker = process.parent / "hook-started"
    hook = process / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\nsleep 30\n")
    hook.chmod(0o755)
    child = subprocess.Popen([*copi_executable(), "advance"], cwd=process,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline and child.poll() is None
        time.sleep(0.05)
    child.send_signal(signum)
    return child


def test_interrupted_advance_restores_everything(process: Path) -> None:
    before = state(process)
    child = _stop_advance_in_its_hook(process, signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "interrupted" in err
    assert state(process) == before
    assert not list((process / ".git").glob("copi.lock*"))
    assert not (process / ".git" / "index.lock").exists()


def test_advance_stopped_after_git_made_the_tag_takes_the_tag_back(
        process: Path, tmp_path: Path) -> None:
    """Interrupted while `git tag` runs, copi cannot know whether the tag was made: it is
    deleted if it names copi's own commit."""
    fulfil_phase_1(process)
    before = state(process)
    marker, wrappers = tmp_path / "tagged", tmp_path / "bin"
    wrappers.mkdir()
    wrapper = wrappers / "git"
    wrapper.write_text(f'#!/bin/sh\nif [ "$1" = tag ] && [ "$2" = -a ]; then\n'
                       f'  {shutil.which("git")} "$@" && touch {marker} && exec sleep 30\n'
                       f'fi\nexec {shutil.which("git")} "$@"\n')
    wrapper.chmod(0o755)
    path = f"{wrappers}{os.pathsep}{os.environ['PATH']}"
    child = subprocess.Popen([*copi_executable(), "advance"], cwd=process, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PATH": path})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:  # a failed test leaves nothing running
            child.kill()
            child.communicate()
    assert child.returncode == 130, err
    assert state(process) == before
    assert not (process / ".git" / "index.lock").exists()


def test_two_advances_at_once(process: Path) -> None:
    fulfil_phase_1(process)
    git(process, "add", "-A")
    git(process, "commit", "-q", "-m", "Fase 1 udfyldt")
    hook = process / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 1\n")  # keeps the first one inside its lock a while
    hook.chmod(0o755)
    children = [subprocess.Popen([*copi_executable(), "advance"], cwd=process,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    results = []
    for child in children:
        _, err = child.communicate(timeout=120)
        results.append((child.returncode, err))
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0 and codes[1] != 0, results
    assert git(process, "rev-list", "--count", "HEAD").strip() == "3"
    history = yaml.safe_load((process / "copi.yaml").read_text())["history"]
    assert [h["to"] for h in history] == ["innovation-need", "matchmaking"]


def test_two_processes_in_one_repository_advanced_at_once(copi, tmp_path: Path) -> None:
    """Their commits would meet in git's index: one waits its turn or is refused, and the
    index stays true to the commits made (the one that failed put back an index the other
    had changed)."""
    repo = tmp_path / "processer"
    repo.mkdir()
    git(repo, "init", "-q")
    for name in ("madservice", "faldulykker"):
        assert copi("init", name, "--owner", "Aarhus Kommune", cwd=repo).code == 0
        fulfil_phase_1(repo / name)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 2\n")  # keeps the first one inside its lock a while
    hook.chmod(0o755)
    children = [subprocess.Popen([*copi_executable(), "advance"], cwd=repo / name,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for name in ("madservice", "faldulykker")]
    results = []
    for child in children:
        _, err = child.communicate(timeout=120)
        results.append((child.returncode, err))
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 3]), results
    # refused at copi's lock, or where git's own lock is seen first
    assert all(("another copi" in err or "another git process" in err)
               and "this repository" in err for code, err in results if code == 3), results
    assert git(repo, "rev-list", "--count", "HEAD").strip() == str(2 + codes.count(0))
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert staged == [], staged  # the index holds what was committed, nothing else


def test_lock_held_by_another_copi(copi, process: Path) -> None:
    fulfil_phase_1(process)
    (process / ".git" / "copi.lock").write_text(f"{os.getpid()}\n")
    run = copi("advance", cwd=process)
    assert run.code == 3 and "another copi" in run.err and "this repository" in run.err
    (process / ".git" / "copi.lock").write_text("999999999\n")  # a dead copi's lock
    assert copi("advance", cwd=process).code == 0


def test_every_command_that_changes_a_process_takes_the_repository_lock(
        copi, tmp_path: Path) -> None:
    """Every copi command that commits in the repository refuses while another holds its lock,
    and a recording with --no-commit takes the lock too (in the git directory, not in the work
    tree)."""
    repo = tmp_path / "processer"
    repo.mkdir()
    git(repo, "init", "-q")
    assert copi("init", "madservice", "--owner", "Aarhus Kommune", cwd=repo).code == 0
    process = repo / "madservice"
    lock = repo / ".git" / "copi.lock"
    lock.write_text(f"{os.getpid()}\n")  # a live copi holds it
    before = state(process)
    runs = [copi("ci", "github", "--install", "x", cwd=process),
            copi("init", "faldulykker", "--owner", "Odense Kommune", cwd=repo),
            copi("term", "add", "Fald", "--definition", "x", "--no-commit", cwd=process)]
    assert [run.code for run in runs] == [3, 3, 3], [run.err for run in runs]
    assert all("another copi" in run.err for run in runs)
    assert state(process) == before and not (repo / "faldulykker").exists()
    assert git(repo, "status", "--porcelain") == ""
    lock.unlink()
    assert copi("term", "add", "Fald", "--definition", "x", "--no-commit", cwd=process).code == 0
    assert not (process / "copi.lock").exists()


def test_a_lock_is_released_only_by_its_holder(tmp_path: Path) -> None:
    from copi_cli.trail.locking import LOCK_FILE, workspace_lock

    with workspace_lock(None, tmp_path):
        (tmp_path / LOCK_FILE).write_text("999999999\n")  # taken over by another meanwhile
    assert (tmp_path / LOCK_FILE).read_text() == "999999999\n"
    (tmp_path / LOCK_FILE).unlink()
    with workspace_lock(None, tmp_path):
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    assert list(tmp_path.iterdir()) == []


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
    monkeypatch.undo()
    assert state(process) == before
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    run = copi("advance", cwd=process)
    monkeypatch.undo()
    assert run.code == 3 and "git is not installed or not on PATH" in run.err, run.err
    assert state(process) == before


def test_revisit_rules(copi, process: Path) -> None:
    assert copi("revisit", "1", cwd=process).code == 2  # no reason
    run = copi("revisit", "innovation-need", "--reason", "x", cwd=process)
    assert run.code == 1 and "not before" in run.err
    run = copi("revisit", "fase-9", "--reason", "x", cwd=process)
    assert run.code == 2 and "matchmaking" in run.err


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


def test_dry_run_shows_commit_and_tag(copi, process: Path) -> None:
    run = copi("advance", "--dry-run", "--force", "--reason", "prøve", cwd=process)
    assert run.code == 0
    assert "Fase 1 → 2: Matchmaking offentlige indkøbere (tvunget)" in run.out
    assert "copi/proces/02-matchmaking" in run.out and "forced" in run.out
    refused = copi("advance", cwd=process)
    assert refused.code == 1 and "does not hold" in refused.err


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


def test_terminated_advance_restores_everything(process: Path) -> None:
    """SIGTERM (a CI timeout) is undone like Ctrl-C."""
    before = state(process)
    child = _stop_advance_in_its_hook(process, signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == 130
    assert state(process) == before
    assert not (process / ".git" / "index.lock").exists()
