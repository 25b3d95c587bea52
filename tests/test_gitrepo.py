"""What copi reads of git's configuration itself, checked against git's own answers."""

from __future__ import annotations

import subprocess
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
    done = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=root, capture_output=True,
                          text=True)
    return done.stdout.split("<", 1)[0].strip() if done.returncode == 0 else None


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


IDENTITIES = {
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
}


@pytest.mark.parametrize("case", IDENTITIES)
def test_the_acting_name_is_the_one_git_records(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """copi reads the name from the configuration it asks for anyway (one git process fewer
    than `git var`), in git's order: the answer must be git's own."""
    environment, config = IDENTITIES[case]
    (tmp_path / "included.gitconfig").write_text("[user]\n\tname = Inge Inkluderet\n")
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write(config)
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


@pytest.mark.parametrize("value", ["true", "TRUE", "yes", "On", "1", None, "false", "no",
                                   "off", "0", "", "2", "1k", "maybe"])
def test_copi_runs_gits_housekeeping_only_where_git_would(
        repo: gitrepo.Repo, value: str | None) -> None:
    """copi takes the housekeeping over only for the plain spellings of true (and when
    maintenance.auto is not set); for any other value the commit reads it itself."""
    line = "\tauto\n" if value is None else f"\tauto = {value}\n"
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write(f"[maintenance]\n{line}")
    done = subprocess.run(["git", "config", "--type=bool", "maintenance.auto"], cwd=repo.root,
                          capture_output=True, text=True)
    gits = done.stdout.strip() if done.returncode == 0 else "refused"
    listed = subprocess.run(["git", "config", "--get-regexp", "^maintenance[.]auto$"],
                            cwd=repo.root, capture_output=True, text=True).stdout
    settings = gitrepo._settings(listed)
    assert settings is not None
    ours = gitrepo._housekeeps(settings)
    assert ours == (value is None or value.lower() in ("true", "yes", "on", "1"))
    assert not ours or gits == "true"
    assert gitrepo._housekeeps({})  # not set: git's default
