"""The git adapter asks git: which repository holds a process, and who is acting."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from copi_cli.errors import EnvironmentProblem
from copi_cli.trail import gitrepo

from conftest import git


def _gits_name(root: Path) -> str | None:
    """The name in `git var GIT_COMMITTER_IDENT`, as git records it; None if git refuses."""
    done = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=root, capture_output=True)
    ident = done.stdout.decode("utf-8", "surrogateescape")
    return ident.split("<", 1)[0].strip() if done.returncode == 0 else None


def _asked(repo: gitrepo.Repo) -> str:
    questions = gitrepo.Questions(repo, [repo.root])
    try:
        return questions.actor()
    finally:
        questions.close()


IDENTITIES: dict[str, tuple[dict[str, str], str, str]] = {
    # name: (environment, repository configuration, the name git records)
    "user.name": ({}, "", "Test Facilitator"),
    "committer.name before user.name": ({}, "[committer]\n\tname = Kim Kontor\n",
                                        "Kim Kontor"),
    "the environment first": ({"GIT_COMMITTER_NAME": "Eva Env"},
                              "[committer]\n\tname = Kim Kontor\n", "Eva Env"),
    "-c in the environment": ({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "committer.name",
                               "GIT_CONFIG_VALUE_0": "Cecilie Kommando"}, "",
                              "Cecilie Kommando"),
    "included configuration": ({}, "[include]\n\tpath = ../../included.gitconfig\n",
                               "Inge Inkluderet"),
}


@pytest.mark.parametrize("case", IDENTITIES)
def test_the_acting_name_is_the_one_git_records(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    environment, config, expected = IDENTITIES[case]
    (tmp_path / "included.gitconfig").write_text("[user]\n\tname = Inge Inkluderet\n")
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write(config)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    assert _asked(repo) == _gits_name(repo.root) == expected


UNSETTLED = {
    # name: (environment, global configuration); git refuses or has to guess
    "an empty name": ({}, "[user]\n\temail = e@example.dk\n\tname =\n"),
    "a name without a value": ({}, "[user]\n\temail = e@example.dk\n\tname\n"),
    "an empty name in the environment": ({"GIT_COMMITTER_NAME": ""}, ""),
    "no e-mail: git takes EMAIL": ({"EMAIL": "uden@example.dk"}, "[user]\n\tname = Uden Mail\n"),
    "only configured identities": ({}, "[user]\n\tuseConfigOnly = true\n"),
}


@pytest.mark.parametrize("case", UNSETTLED)
def test_where_git_refuses_copi_refuses_with_the_fix(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """What git makes of these is git's to say: copi records what git would, or refuses."""
    environment, config = UNSETTLED[case]
    global_config = tmp_path / "global.gitconfig"
    global_config.write_text(config)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    try:
        name = _asked(repo)
    except gitrepo.GitError as refused:
        assert "git config --global user.name" in (refused.hint or "")
        name = None
    assert name == _gits_name(repo.root)


def test_a_repository_git_made_is_found_on_its_branch(repo: gitrepo.Repo) -> None:
    git(repo.root, "init", "-q", "child")
    found = gitrepo.find_repo(repo.root / "child")
    assert found is not None and found.root == repo.root / "child"
    gitrepo.ensure_ready(found)
    assert gitrepo.current_branch(found) == "main"


@pytest.mark.parametrize("link", ["", "junk\n", "GITDIR: ../x\n", "gitdir:../x\n",
                                  "gitdir: nowhere\n", "gitdir: \n"])
def test_a_dot_git_file_git_refuses_is_refused(repo: gitrepo.Repo, link: str) -> None:
    """git stops at a `.git` file that does not link to a git directory: copi refuses too,
    rather than commit to the repository further up; what only reads goes on without one."""
    (repo.root / "child").mkdir()
    (repo.root / "child" / ".git").write_text(link)
    assert subprocess.run(["git", "status"], cwd=repo.root / "child",
                          capture_output=True).returncode == 128
    with pytest.raises(EnvironmentProblem):
        gitrepo.require_repo(repo.root / "child")
    assert gitrepo.find_repo(repo.root / "child") is None


def test_a_bare_repository_has_no_work_tree_to_commit_from(repo: gitrepo.Repo) -> None:
    """Not even the work tree of a repository around it, which git does not look for."""
    git(repo.root, "init", "-q", "--bare", "bare.git")
    (repo.root / "bare.git" / "proces").mkdir()
    assert gitrepo.find_repo(repo.root / "bare.git" / "proces") is None


def test_where_the_search_is_limited_git_is_asked(
        repo: gitrepo.Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo.root / "a" / "b").mkdir(parents=True)
    assert gitrepo.find_repo(repo.root / "a" / "b") is not None
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.root / "a"))
    assert gitrepo.find_repo(repo.root / "a" / "b") is None
