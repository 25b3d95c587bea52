"""The one unit of work every change to a process goes through (copi_cli.trail.change), against
real git repositories: transitions and recordings alike are validated in memory, written under
the lock unless another hand changed a file meanwhile, committed, and undone on failure."""

from __future__ import annotations

import datetime as dt
import getpass
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import git

TODAY = dt.date.today()


@pytest.fixture
def process(copi, tmp_path: Path) -> Path:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    return tmp_path / "proces"


def state(root: Path) -> tuple[str, str, str, str, bytes]:
    """HEAD, tags, index, work tree and copi.yaml: what a refused change leaves as it was."""
    return (git(root, "rev-parse", "HEAD"), git(root, "tag"), git(root, "ls-files", "-s"),
            git(root, "status", "--porcelain", "-uall"), (root / "copi.yaml").read_bytes())


def test_a_transition_is_validated_as_it_would_be(copi, process: Path) -> None:
    """Like a recording, a transition that would leave the process invalid writes nothing:
    here a history entry dated tomorrow (a clock ahead elsewhere) would come before today's."""
    config = process / "copi.yaml"
    text = config.read_text(encoding="utf-8")
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    config.write_text(text.replace(TODAY.isoformat(), tomorrow), encoding="utf-8")
    git(process, "commit", "-q", "-am", "uret går for stærkt")
    before = state(process)
    run = copi("advance", "--force", "--reason", "Aftalt", cwd=process)
    assert run.code == 1, run.err
    assert "copi.yaml" in run.err and "R004" in run.err and "nothing was written" in run.err
    assert state(process) == before


def test_a_transition_shows_the_warnings_it_brings(copi, process: Path) -> None:
    """Past matchmaking the process asks for two need owners (R011, a warning): a forced
    transition with one is made, and says so."""
    assert copi("advance", "--force", "--reason", "Aftalt", cwd=process).code == 0
    run = copi("advance", "--force", "--reason", "Aftalt", cwd=process)
    assert run.code == 0, run.err
    assert "copi.yaml" in run.err and "R011 warning: 1 need owner(s) in phase 3" in run.err
    assert "copi/proces/03-needs-exploration" in git(process, "tag")


def test_a_refusing_hook_undoes_a_revisit_like_an_advance(copi, process: Path) -> None:
    assert copi("advance", "--force", "--reason", "Aftalt", cwd=process).code == 0
    hook = process / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook siger nej' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state(process)
    run = copi("revisit", "1", "--reason", "Vejle vil med", cwd=process)
    assert run.code == 3 and "hook siger nej" in run.err
    assert state(process) == before


def test_a_transition_another_copi_made_first_is_refused(copi, process: Path) -> None:
    """Two transitions planned on the same phase: the one that comes second writes nothing."""
    from copi_cli.errors import EnvironmentProblem
    from copi_cli.trail import lifecycle

    change = lifecycle.prepare(process, TODAY, commit=True)
    try:
        plan = lifecycle.plan_advance(change.before, TODAY, change.actor(), True, "Først")
        assert copi("advance", "--force", "--reason", "Anden", cwd=process).code == 0
        before = state(process)
        with pytest.raises(EnvironmentProblem, match="moved the process to matchmaking"):
            lifecycle.apply(change, plan)
    finally:
        change.close()
    assert state(process) == before


def test_a_file_changed_meanwhile_is_not_overwritten(process: Path) -> None:
    """Between reading a file and taking the lock, another hand may write it: that edit stays,
    and the change is refused rather than written over it."""
    from copi_cli.errors import EnvironmentProblem
    from copi_cli.recording.exploration import GLOSSARY, add_term
    from copi_cli.trail.change import Change

    glossary = process / GLOSSARY
    with Change(process, TODAY) as change:
        add_term(change, "Fald", "Et uventet fald")
        glossary.write_text(glossary.read_text(encoding="utf-8") + "# en hånd\n",
                            encoding="utf-8")
        before = state(process)
        with pytest.raises(EnvironmentProblem, match=f"{GLOSSARY} was changed while"):
            change.apply("Begreb: Fald", "term-add")
    assert state(process) == before
    assert glossary.read_text(encoding="utf-8").endswith("# en hånd\n")


def test_a_file_created_in_a_change_of_the_whole_process_is_committed(process: Path) -> None:
    """With the process directory as evidence, git is asked what changed before copi writes;
    a file the change creates is new to that answer and must go into the commit all the same."""
    from copi_cli.trail.change import Change

    draft = process / "tekster" / "problembeskrivelse.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nEt udkast.\n", encoding="utf-8")
    with Change(process, TODAY, evidence=True) as change:
        change.create("leverandoerer/firma.yaml", {"id": "firma", "name": "Firma ApS"})
        done = change.apply("Leverandør og udkast", "supplier-add")
    assert done.files == ["leverandoerer/firma.yaml", "tekster/problembeskrivelse.md"]
    assert git(process, "status", "--porcelain", "-uall") == ""
    assert git(process, "show", "--name-only", "--format=", "HEAD").split() == done.files
    assert git(process, "rev-parse", "HEAD").strip() == done.commit


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
