"""Two copis at once, and a copi stopped midway: the repository lock, Ctrl-C and SIGTERM, and
everything restored as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import yaml

from conftest import copi_executable, fulfil_phase_1, fulfil_phase_2, git, state


def _stop_advance_in_its_hook(process: Path, signum: int) -> subprocess.Popen:
    """Start copi advance, wait until git runs the pre-commit hook, send the signal."""
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
    fulfil_phase_1(process)
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


def test_terminated_advance_restores_everything(process: Path) -> None:
    """SIGTERM (a CI timeout) is undone like Ctrl-C."""
    fulfil_phase_1(process)
    before = state(process)
    child = _stop_advance_in_its_hook(process, signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == 130
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
    # init, phase 1's texts and their publication, the rest of phase 1, one advance
    assert git(process, "rev-list", "--count", "HEAD").strip() == "5"
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
    # per process: init, phase 1's texts and their publication; then the advances made
    assert git(repo, "rev-list", "--count", "HEAD").strip() == str(6 + codes.count(0))
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert staged == [], staged  # the index holds what was committed, nothing else


def test_lock_held_by_another_copi(copi, process: Path, monkeypatch) -> None:
    from copi_cli.trail import gitrepo, locking

    fulfil_phase_1(process)
    monkeypatch.setenv("COPI_LOCK_WAIT", "0")
    held = locking.take(gitrepo.require_repo(process), process)  # as another copi holds it
    try:
        run = copi("advance", cwd=process)
    finally:
        locking.release(held)
    assert run.code == 3 and "another copi" in run.err and "this repository" in run.err
    assert f"pid {os.getpid()}" in run.err
    (process / ".git" / "copi.lock").write_text("999999999\n")  # a dead copi's lock
    assert copi("advance", cwd=process).code == 0
    assert not (process / ".git" / "copi.lock").exists()


def test_every_command_that_changes_a_process_takes_the_repository_lock(
        copi, tmp_path: Path, monkeypatch) -> None:
    """Every copi command that commits in the repository refuses while another holds its lock,
    and a recording with --no-commit takes the lock too (in the git directory, not in the work
    tree)."""
    repo = tmp_path / "processer"
    repo.mkdir()
    git(repo, "init", "-q")
    assert copi("init", "madservice", "--owner", "Aarhus Kommune", cwd=repo).code == 0
    process = repo / "madservice"
    from copi_cli.trail import gitrepo, locking

    monkeypatch.setenv("COPI_LOCK_WAIT", "0")
    held = locking.take(gitrepo.require_repo(repo), repo)  # a live copi holds it
    before = state(process)
    try:
        runs = [copi("ci", "github", "--install", "x", cwd=process),
                copi("init", "faldulykker", "--owner", "Odense Kommune", cwd=repo),
                copi("term", "add", "Fald", "--definition", "x", "--no-commit", cwd=process)]
    finally:
        locking.release(held)
    assert [run.code for run in runs] == [3, 3, 3], [run.err for run in runs]
    assert all("another copi" in run.err for run in runs)
    assert state(process) == before and not (repo / "faldulykker").exists()
    assert git(repo, "status", "--porcelain") == ""
    assert copi("term", "add", "Fald", "--definition", "x", "--no-commit", cwd=process).code == 0
    assert not (process / "copi.lock").exists()


# --- one writer at a time: no record lost, no phase moved twice -----------------------------

def _questions(process: Path) -> list[dict]:
    return yaml.safe_load((process / "spoergsmaal-og-svar.yaml").read_text())["questions"]


def test_ten_recordings_at_once_lose_no_record(process: Path) -> None:
    """Each waits its turn for the lock and allocates its id under it: ten questions, ten
    commits, ten different ids."""
    commits_before = int(git(process, "rev-list", "--count", "HEAD"))
    children = [subprocess.Popen([*copi_executable(), "question", "add", f"Spørgsmål {n}?"],
                                 cwd=process, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for n in range(10)]
    results = [(child.wait(timeout=300), child.communicate()[1]) for child in children]
    assert [code for code, _ in results] == [0] * 10, results
    questions = _questions(process)
    assert sorted(q["question"] for q in questions) == sorted(f"Spørgsmål {n}?"
                                                              for n in range(10))
    assert sorted(q["id"] for q in questions) == [f"q-{n:03d}" for n in range(1, 11)]
    assert int(git(process, "rev-list", "--count", "HEAD")) == commits_before + 10
    assert git(process, "status", "--porcelain") == ""
    assert not (process / ".git" / "copi.lock").exists()


def test_a_recording_stopped_midway_and_another_run_meanwhile_lose_nothing(
        process: Path) -> None:
    """The issue's interleaving: one `question add` stopped (SIGSTOP) inside its change, the
    other run meanwhile, then the first continued: both records are there, q-001 and q-002."""
    lock = process / ".git" / "copi.lock"
    first = subprocess.Popen([*copi_executable(), "question", "add", "Først?"], cwd=process,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.01)
        first.send_signal(signal.SIGSTOP)  # holding the lock, before or while it reads
        second = subprocess.Popen([*copi_executable(), "question", "add", "Anden?"],
                                  cwd=process, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        assert second.stderr is not None  # the second says that it waits for the lock
        assert f"waiting for another copi (pid {first.pid})" in second.stderr.readline()
    finally:
        first.send_signal(signal.SIGCONT)
    results = [(child.wait(timeout=120), child.communicate()[1]) for child in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    assert sorted((q["id"], q["question"]) for q in _questions(process)) == [
        ("q-001", "Først?"), ("q-002", "Anden?")]
    assert git(process, "status", "--porcelain") == ""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _copy(template: Path, target: Path) -> None:
    """A copy of a repository: `cp -a` where there is one (the pool's threads copy at once,
    and shutil holds Python's lock while it copies)."""
    if shutil.which("cp") and os.name == "posix":
        subprocess.run(["cp", "-a", str(template), str(target)], check=True)
    else:
        shutil.copytree(template, target, symlinks=True)


def test_fifty_pairs_of_simultaneous_transitions_move_the_process_once_each(
        copi, tmp_path: Path) -> None:
    """The issue's 50 pairs, each started together in a repository of its own (copied from
    one template), pairs run six at a time: two advances (30), two advances over a dead
    copi's lock (10), an advance and a revisit (10). Each says the phase it means to move from
    (--from), so however the two are timed (a copi that starts after the other ended reads the
    moved process) one moves the process and the other moves nothing."""
    from concurrent.futures import ThreadPoolExecutor

    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    phase_1 = tmp_path / "proces"
    fulfil_phase_1(phase_1)
    git(phase_1, "add", "-A")
    git(phase_1, "commit", "-q", "-m", "Fase 1 udfyldt")
    template = tmp_path / "fase-2"
    shutil.copytree(phase_1, template, symlinks=True)
    assert copi("advance", cwd=template).code == 0
    fulfil_phase_2(template)  # the next gate holds too: a second advance would move it again
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "Fase 2 udfyldt")
    advance = ["advance", "--from", "matchmaking"]
    revisit = ["revisit", "1", "--reason", "Flere behovsejere", "--from", "2"]
    pairs = [((advance, advance), False)] * 30 + [((advance, advance), True)] * 10 + [
        ((advance, revisit), False)] * 10

    def run(number: int) -> tuple[int, list[tuple[int, str]], int, list[str], str]:
        commands, stale = pairs[number]
        root = tmp_path / f"par-{number}"
        _copy(template, root)
        if stale:
            (root / ".git" / "copi.lock").write_text("999999999\n")
        children = [subprocess.Popen([*copi_executable(), *args], cwd=root, text=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                    for args in commands]
        results = [(child.wait(timeout=300), child.communicate()[1]) for child in children]
        history = yaml.load((root / "copi.yaml").read_text(), Loader=_LOADER)["history"]
        tags = sorted(p.name for p in (root / ".git" / "refs" / "tags" / "copi" / "proces")
                      .iterdir())
        leftovers = git(root, "status", "--porcelain") + " ".join(
            p.name for p in (root / ".git").iterdir()
            if p.name.startswith(("copi", "index.", "next-index")))
        return number, results, len(history), tags, leftovers

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(run, range(len(pairs))))
    moved_twice = [n for n, _, entries, _, _ in outcomes if entries != 3]
    assert moved_twice == [], [outcomes[n] for n in moved_twice]
    for number, results, _, tags, leftovers in outcomes:
        codes = sorted(code for code, _ in results)
        assert codes == [0, 3], (number, results)
        refused = next(err for code, err in results if code == 3)
        assert "as --from says" in refused or "another copi moved" in refused, (number, refused)
        assert "internal error" not in "".join(err for _, err in results)
        assert len(tags) == 3 and leftovers == "", (number, tags, leftovers)
