"""Faults at every step of a change: git failing for want of space, git killed (SIGKILL, or
SIGXFSZ past `ulimit -f`), copi terminated while git runs, copi's own writes refused. Every time
the work tree, copi.yaml, index, HEAD, tags and locks are as before the command, and the error is
a located message (exit 3, or 130 when terminated). And what a kill -9 leaves behind is found
and named, or repaired, by the next command."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import copi_executable, fulfil_phase_1, git, state_and_work_tree

# A git first on PATH that does what the test says at one step (a subcommand and its n-th
# occurrence), and records every step. Real git does the work; only the fault is staged.
WRAPPER = """#!/bin/sh
real={git}
cmd=""
skip=""
for word in "$@"; do
  if [ -n "$skip" ]; then skip=""; continue; fi
  case "$word" in -c) skip=1 ;; -*) ;; *) cmd="$word"; break ;; esac
done
n=1
while ! mkdir "$FAULT_DIR/$cmd.$n" 2>/dev/null; do n=$((n+1)); done
echo "$cmd.$n" >> "$FAULT_DIR/steps"
if [ "$cmd.$n" = "$FAULT_STEP" ]; then
  case "$FAULT_MODE" in
    enospc) echo "fatal: unable to write new index file: No space left on device" >&2
            exit 128 ;;
    kill-before) kill -9 $$ ;;
    kill-after) "$real" "$@"; kill -9 $$ ;;
    efbig) ulimit -f 0; exec "$real" "$@" ;;
    sigterm) kill -TERM $PPID; exec "$real" "$@" ;;
  esac
fi
exec "$real" "$@"
"""


def _run(root: Path, args: list[str], tmp: Path, step: str = "", mode: str = "",
         limit: int | None = None) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    faults = tmp / "faults"
    shutil.rmtree(faults, ignore_errors=True)
    faults.mkdir(parents=True)
    bin_dir = tmp / "bin"
    if not (bin_dir / "git").exists():
        bin_dir.mkdir(exist_ok=True)
        (bin_dir / "git").write_text(WRAPPER.format(git=shutil.which("git")))
        (bin_dir / "git").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "FAULT_DIR": str(faults), "FAULT_STEP": step, "FAULT_MODE": mode,
           "COPI_LOCK_WAIT": "0"}

    def limited() -> None:  # copi's own writes past the limit fail with EFBIG
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([*copi_executable(), *args], cwd=root, env=env, text=True,
                          capture_output=True, timeout=120, preexec_fn=limited)
    steps = (faults / "steps").read_text().split() if (faults / "steps").exists() else []
    return done, steps


def _leftovers(root: Path) -> list[str]:
    """Lock files and copi's own aside or temporary files, anywhere they could be."""
    git_dir = root / ".git"
    found = [p.name for p in git_dir.iterdir()
             if p.name.endswith(".lock") or p.name.startswith("copi")]
    found += [str(p.relative_to(root)) for p in (git_dir / "refs").rglob("*.lock")]
    found += [str(p.relative_to(root)) for p in root.rglob(".*.copi-*")]
    return found


COMMANDS = {
    # a transition, with the evidence uncommitted (so `git add` runs too)
    "advance": ["advance"],
    # a recording that creates a file
    "owner-add": ["owner", "add", "Horsens"],
    # a recording that edits a file copi made
    "term-add": ["term", "add", "Fald", "--definition", "Et uventet fald"],
}
# the git steps that write (and so may be killed part-way, or hit the file size limit)
WRITING = ("add", "commit", "tag")


@pytest.fixture
def prepared(copi, tmp_path: Path) -> Path:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    root = tmp_path / "proces"
    fulfil_phase_1(root)
    return root


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_git_step_failing_in_every_way_leaves_everything_as_it_was(
        prepared: Path, tmp_path: Path, command: str) -> None:
    args = COMMANDS[command]
    if command != "advance":  # a recording commits its own file only: the rest committed
        git(prepared, "add", "-A")
        git(prepared, "commit", "-q", "-m", "Fase 1")
    probe = tmp_path / "probe"
    shutil.copytree(prepared, probe, symlinks=True)
    done, steps = _run(probe, args, tmp_path / "probe-faults")
    assert done.returncode == 0, done.stderr
    assert "commit.1" in steps
    cases = [(step, mode) for step in steps
             for mode in ("enospc", "kill-before", "sigterm",
                          *(("kill-after", "efbig") if step.split(".")[0] in WRITING
                            or step.startswith("rev-parse") and "commit.1" in
                            steps[:steps.index(step)] else ()))]

    def one(number: int) -> tuple[str, str, str]:
        step, mode = cases[number]
        root = tmp_path / f"case-{number}" / "proces"
        shutil.copytree(prepared, root, symlinks=True)
        before = state_and_work_tree(root)
        done, _ = _run(root, args, tmp_path / f"case-{number}", step, mode)
        problems = []
        if done.returncode == 0:  # a step whose answer is only advisory (is a tag free?)
            made = git(root, "rev-list", "--count", f"{before[0].strip()}..HEAD").strip()
            if made != "1" or _leftovers(root) or git(root, "status", "--porcelain"):
                problems.append("exit 0 without a whole change")
            return step, mode, "; ".join(problems)
        if done.returncode not in (3, 130):
            problems.append(f"exit {done.returncode}")
        if "internal error" in done.stderr or "copi: error:" not in done.stderr:
            problems.append("no located message")
        if state_and_work_tree(root) != before:
            problems.append("state changed")
        if left := _leftovers(root):
            problems.append(f"left {left}")
        return step, mode, "; ".join(problems) + (f" [{done.stderr.strip()}]"
                                                  if problems else "")

    with ThreadPoolExecutor(3) as pool:
        outcomes = list(pool.map(one, range(len(cases))))
    failures = [outcome for outcome in outcomes if outcome[2]]
    assert failures == [], (steps, failures)
    assert len(outcomes) >= 12


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_copis_own_writes_past_the_file_size_limit(prepared: Path, tmp_path: Path,
                                                   command: str) -> None:
    """`ulimit -f` on copi itself: its write of the record fails with EFBIG (and git, which
    inherits the limit, dies of SIGXFSZ if it gets that far): a located message, exit 3,
    nothing changed, no lock left."""
    if command != "advance":
        git(prepared, "add", "-A")
        git(prepared, "commit", "-q", "-m", "Fase 1")
    before = state_and_work_tree(prepared)
    done, _ = _run(prepared, COMMANDS[command], tmp_path, limit=64)
    assert done.returncode == 3, done.stderr
    assert "copi: error:" in done.stderr and "internal error" not in done.stderr
    assert state_and_work_tree(prepared) == before
    assert _leftovers(prepared) == []


# --- what a kill -9 leaves, found by the next command ----------------------------------------

def test_an_uncommitted_transition_is_refused_not_folded_in(copi, prepared: Path) -> None:
    """D2: a transition left in copi.yaml (by --no-commit, or a copi killed before its commit)
    is named, and the next advance moves nothing."""
    assert copi("advance", "--no-commit", cwd=prepared).code == 0
    before = state_and_work_tree(prepared)
    run = copi("advance", "--force", "--reason", "Igen", cwd=prepared)
    assert run.code == 3 and "never committed" in run.err and "git restore" in run.err
    assert state_and_work_tree(prepared) == before


def test_a_transition_commit_without_its_tag_gets_it(copi, prepared: Path) -> None:
    """D3: killed between `git commit` and `git tag`, the transition has no tag; the next
    transition makes it, and says so."""
    assert copi("advance", cwd=prepared).code == 0
    git(prepared, "tag", "-d", "copi/proces/02-matchmaking")
    run = copi("revisit", "1", "--reason", "Tilbage", cwd=prepared)
    assert run.code == 0, run.err
    assert "A004" in run.out + run.err and "copi/proces/02-matchmaking" in run.out + run.err
    assert git(prepared, "rev-parse", "copi/proces/02-matchmaking^{commit}") == git(
        prepared, "rev-parse", "HEAD~1")
    assert copi("audit", cwd=prepared).code == 0


def test_a_record_left_uncommitted_is_named_as_uncommitted(copi, prepared: Path) -> None:
    """D3: a recording killed before its commit leaves its file untracked; the re-run says the
    record is there but not committed, and what to do."""
    git(prepared, "add", "-A")
    git(prepared, "commit", "-q", "-m", "Fase 1")
    assert copi("owner", "add", "Horsens", "--no-commit", cwd=prepared).code == 0
    run = copi("owner", "add", "Horsens", cwd=prepared)
    assert run.code == 1
    assert "organisationer/horsens-kommune.yaml is not committed" in run.err, run.err
    assert "git status" in run.err


def test_gits_lock_left_by_a_killed_copi_is_named(copi, prepared: Path) -> None:
    """D3: a process-group kill leaves .git/index.lock and copi's lock with the dead pid; the
    next copi says whose it most likely was and what to do, and removes nothing of git's."""
    (prepared / ".git" / "copi.lock").write_text("999999999\n")
    (prepared / ".git" / "index.lock").write_text("")
    run = copi("term", "add", "Fald", "--definition", "x", cwd=prepared)
    assert run.code == 3 and "pid 999999999" in run.err and "index.lock" in run.err
    assert (prepared / ".git" / "index.lock").exists()
    assert not (prepared / ".git" / "copi.lock").exists()


def test_a_second_signal_during_the_undo_does_not_cut_it_short(prepared: Path,
                                                               tmp_path: Path) -> None:
    """F2: SIGTERM while git commits, and SIGTERM again while copi takes the commit back (its
    `git log`): the undo finishes all the same."""
    before = state_and_work_tree(prepared)
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    real = shutil.which("git")
    wrapper.write_text(f'#!/bin/sh\ncase "$1" in\n  commit) kill -TERM $PPID; exec {real} "$@";;\n'
                       f'  log) kill -TERM $PPID; exec {real} "$@";;\nesac\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    done = subprocess.run([*copi_executable(), "advance"], cwd=prepared, text=True,
                          capture_output=True, timeout=120,
                          env={**os.environ, "PATH": f"{wrapper.parent}:{os.environ['PATH']}"})
    assert done.returncode == 130, done.stderr
    assert state_and_work_tree(prepared) == before
    assert _leftovers(prepared) == []


def test_a_partial_commits_index_lock_left_by_a_killed_copi_is_named(copi, prepared: Path) -> None:
    """`git commit -- paths` locks a second index, next-index-<pid>.lock: left by a git killed
    with its copi, it is named like index.lock, with the dead copi's pid, and kept."""
    (prepared / ".git" / "copi.lock").write_text("999999999\n")
    left = prepared / ".git" / "next-index-4242.lock"
    left.write_text("")
    run = copi("term", "add", "Fald", "--definition", "x", cwd=prepared)
    assert run.code == 3 and "pid 999999999" in run.err and "next-index-4242.lock" in run.err
    assert left.exists()


def test_an_uncommitted_transition_is_reported_by_status_and_validate(copi,
                                                                     prepared: Path) -> None:
    """What a copi killed between writing copi.yaml and its commit leaves (as --no-commit
    does): status and validate show it as a warning at the entry, with advance's advice."""
    git(prepared, "add", "-A")
    git(prepared, "commit", "-q", "-m", "Fase 1")
    assert copi("advance", "--no-commit", cwd=prepared).code == 0
    refused = copi("advance", "--force", "--reason", "x", cwd=prepared)
    assert refused.code == 3 and "never committed" in refused.err
    status = copi("status", cwd=prepared)
    validated = copi("validate", cwd=prepared)
    assert status.code == 0 and validated.code == 0, (status.err, validated.err)
    for said in (status.out + status.err, validated.out + validated.err):
        assert "A001" in said and "never committed" in said and "git restore copi.yaml" in said
    lines = (prepared / "copi.yaml").read_text().splitlines()
    entry = max(n for n, text in enumerate(lines, 1) if text.lstrip().startswith("- date:"))
    assert f"copi.yaml:{entry}:" in validated.out + validated.err
    git(prepared, "restore", "copi.yaml")
    again = copi("status", cwd=prepared)
    assert "never committed" not in again.out + again.err
