"""What copi reads of git's configuration itself, checked against git's own answers."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from copi_cli import gitrepo

from conftest import git


@pytest.fixture
def repo(tmp_path: Path) -> gitrepo.Repo:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    found = gitrepo.find_repo(root)
    assert found is not None
    return found


def _gits_name(root: Path) -> str | None:
    """The name in `git var GIT_COMMITTER_IDENT`, as git records it; None if git refuses."""
    done = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=root, capture_output=True)
    ident = done.stdout.decode("utf-8", "surrogateescape")
    return ident.split("<", 1)[0].strip() if done.returncode == 0 else None


def _asked(repo: gitrepo.Repo, trace: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    """copi's answer, and whether it had to ask `git var`."""
    monkeypatch.setenv("GIT_TRACE2", str(trace))
    questions = gitrepo.Questions(repo, [repo.root])
    try:
        name = questions.actor()
    finally:
        questions.close()
        monkeypatch.delenv("GIT_TRACE2")
    return name, " var GIT_COMMITTER_IDENT" in trace.read_text()


IDENTITIES: dict[str, tuple[dict[str, str], str | bytes]] = {
    # name: (environment, repository configuration)
    "user.name": ({}, ""),
    "committer.name before user.name": ({}, "[committer]\n\tname = Kim Kontor\n"),
    "an empty committer.name is passed over": ({}, "[committer]\n\tname =\n"),
    "the last of several values": ({}, "[user]\n\tname = Først\n\tname = Sidst\n"),
    "the environment first": ({"GIT_COMMITTER_NAME": "Eva Env"},
                              "[committer]\n\tname = Kim Kontor\n"),
    "crud at the ends": ({"GIT_COMMITTER_NAME": " ..'Anne B. Ørsted.', "}, ""),
    "delimiters inside": ({"GIT_COMMITTER_NAME": "Anne <a>\nBirk"}, ""),
    "non-breaking spaces": ({"GIT_COMMITTER_NAME": "\u00a0Anne\u00a0"}, ""),
    "included configuration": ({}, "[include]\n\tpath = ../../included.gitconfig\n"),
    "committer.email only": ({}, "[committer]\n\temail = kim@example.dk\n"),
    "author.name does not count": ({}, "[author]\n\tname = Ada Author\n"),
    "line breaks in values": ({}, '[user]\n\temail = "a@x\\nuser.name Fake"\n'
                                  '[committer]\n\tname = "K\\nuser.name Fake"\n'),
    "bytes that are not UTF-8": ({}, b"[user]\n\tname = X\xc3<\xa9Y \xff\n"),
    "-c in the environment": ({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "committer.name",
                               "GIT_CONFIG_VALUE_0": "Cecilie Kommando"}, ""),
    "GIT_CONFIG is for git config alone": ({"GIT_CONFIG": "../../included.gitconfig"}, ""),
}


@pytest.mark.parametrize("case", IDENTITIES)
def test_the_acting_name_is_the_one_git_records(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """copi reads the name from the configuration it asks for anyway (one git process fewer
    than `git var`), in git's order: the answer must be git's own."""
    environment, config = IDENTITIES[case]
    (tmp_path / "included.gitconfig").write_text("[user]\n\tname = Inge Inkluderet\n")
    with open(repo.git_dir / "config", "ab") as handle:
        handle.write(config if isinstance(config, bytes) else config.encode("utf-8"))
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    name, asked_git = _asked(repo, tmp_path / "trace2.txt", monkeypatch)
    assert name == _gits_name(repo.root)
    assert not asked_git


UNSETTLED = {
    # name: (environment, global configuration); git refuses or has to guess
    "an empty name": ({}, "[user]\n\temail = e@example.dk\n\tname =\n"),
    "a name without a value": ({}, "[user]\n\temail = e@example.dk\n\tname\n"),
    "a name of crud only": ({}, "[user]\n\temail = e@example.dk\n\tname = ...\n"),
    "an empty name in the environment": ({"GIT_COMMITTER_NAME": ""}, ""),
    "no e-mail: git takes EMAIL": ({"EMAIL": "uden@example.dk"}, "[user]\n\tname = Uden Mail\n"),
    "no name: git takes the login's": ({}, "[user]\n\temail = e@example.dk\n"),
}


@pytest.mark.parametrize("case", UNSETTLED)
def test_where_git_would_refuse_or_guess_git_is_asked(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """Only git knows what it makes of these: copi asks `git var`, as it always did."""
    environment, config = UNSETTLED[case]
    global_config = tmp_path / "global.gitconfig"
    global_config.write_text(config)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    trace = tmp_path / "trace2.txt"
    try:
        name, _ = _asked(repo, trace, monkeypatch)
    except gitrepo.GitError as refused:
        assert "git config --global user.name" in (refused.hint or "")
        name = None
    assert " var GIT_COMMITTER_IDENT" in trace.read_text()
    if _gits_name(repo.root) is not None:
        assert name == _gits_name(repo.root)


def _housekeeping_by_git(root: Path, trace: Path) -> bool:
    """Whether `git commit` starts its housekeeping here (a real commit, traced)."""
    (root / "file.txt").write_text(str(time.time_ns()))
    done = subprocess.run(["git", "add", "file.txt"], cwd=root)
    assert done.returncode == 0
    done = subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=root, capture_output=True,
                          env={**os.environ, "GIT_TRACE2": str(trace)})
    started = trace.read_text() if trace.exists() else ""
    trace.unlink(missing_ok=True)
    return done.returncode == 0 and "maintenance run --auto" in started


def _takes_housekeeping_over(repo: gitrepo.Repo) -> bool:
    questions = gitrepo.Questions(repo, [repo.root], housekeeping=True)
    try:
        return questions.housekeeping()
    finally:
        questions.close()


def _git_copi_knows() -> bool:
    """Whether this git's housekeeping is the one copi can run in its place."""
    answer = subprocess.run(["git", "version"], capture_output=True, text=True).stdout
    oldest, too_new = gitrepo._HOUSEKEEPING_GIT
    return oldest <= gitrepo._version(answer) < too_new


@pytest.mark.parametrize("value", ["true", "TRUE", "yes", "On", "1", None, "false", "no",
                                   "off", "0", "", "2", "1k", "maybe"])
def test_copi_runs_gits_housekeeping_only_where_git_would(
        repo: gitrepo.Repo, tmp_path: Path, value: str | None) -> None:
    """copi takes the housekeeping over only where `git commit` would run it: for the plain
    spellings of true, and when maintenance.auto is not set. For any other value the commit
    reads it itself (and refuses it as git does)."""
    line = "\tauto\n" if value is None else f"\tauto = {value}\n"
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write(f"[maintenance]\n{line}")
    ours = _takes_housekeeping_over(repo)
    plain_true = value is None or value.lower() in ("true", "yes", "on", "1")
    assert ours == (plain_true and _git_copi_knows())
    assert not ours or _housekeeping_by_git(repo.root, tmp_path / "trace2.txt")


def test_a_line_break_in_a_value_is_not_taken_for_a_setting(repo: gitrepo.Repo) -> None:
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write('[maintenance]\n\tauto = false\n'
                     '[user]\n\tname = "N\\nmaintenance.auto true"\n')
    assert not _takes_housekeeping_over(repo)


def test_unset_maintenance_auto_is_true_as_in_git(repo: gitrepo.Repo, tmp_path: Path) -> None:
    assert _housekeeping_by_git(repo.root, tmp_path / "trace2.txt")
    assert _takes_housekeeping_over(repo) == _git_copi_knows()


def test_when_git_config_fails_copi_asks_git_var_and_leaves_the_housekeeping_to_git(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wrappers = tmp_path / "bin"
    wrappers.mkdir()
    (wrappers / "git").write_text(f'#!/bin/sh\nif [ "$1" = config ]; then exit 128; fi\n'
                                  f'exec {shutil.which("git")} "$@"\n')
    (wrappers / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrappers}{os.pathsep}{os.environ['PATH']}")
    assert not _takes_housekeeping_over(repo)
    name, asked_git = _asked(repo, tmp_path / "trace2.txt", monkeypatch)
    assert asked_git and name == _gits_name(repo.root) == "Test Facilitator"
