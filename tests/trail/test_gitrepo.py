"""The git adapter asks git: which repository holds a process, and who is acting."""

from __future__ import annotations

import json
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


def test_a_dot_git_file_that_links_nowhere_is_reported_not_fatal_where_copi_only_reads(
        copi, example: Path) -> None:
    """A submodule copied without its superproject: validate (CI formats) and doctor report,
    advance refuses with git's reason."""
    (example / ".git").write_text("gitdir: ../.git/modules/faerre-fald\n")
    assert copi("validate", "--format", "github", cwd=example).code == 0
    run = copi("doctor", "--json", cwd=example)
    found = {finding["name"]: finding for finding in json.loads(run.out)}
    assert run.code == 1 and "git refuses" in found["repository"]["detail"]
    assert "modules/faerre-fald" in found["repository"]["detail"]
    run = copi("advance", cwd=example)
    assert run.code == 3 and "git refuses the repository" in run.err


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


# --- where HEAD is and which tags exist: git's answers, whichever way it stores refs ----------

def _advance(copi, where: Path) -> int:  # noqa: ANN001 - the copi fixture
    return copi("advance", "--force", "--reason", "prøve", cwd=where).code


def test_a_linked_worktree_commits_on_its_own_branch_with_the_shared_tags(
        copi, tmp_path: Path) -> None:
    """A worktree has its own HEAD and shares tags (packed here) with the main one."""
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    main = tmp_path / "proces"
    git(main, "worktree", "add", "-q", "-b", "arbejde", str(tmp_path / "arbejde"))
    git(main, "pack-refs", "--all")
    worktree = tmp_path / "arbejde"
    on_main = git(main, "rev-parse", "main")
    assert _advance(copi, worktree) == 0
    assert git(main, "rev-parse", "main") == on_main
    assert git(worktree, "rev-parse", "arbejde") == git(
        main, "rev-parse", "copi/proces/02-matchmaking^{commit}")
    # the tag is seen from the other worktree: the same transition there is refused
    run = copi("advance", "--force", "--reason", "prøve", cwd=main)
    assert run.code == 1 and "already exists" in run.err
    git(worktree, "checkout", "-q", "--detach")
    run = copi("advance", "--force", "--reason", "prøve", cwd=worktree)
    assert run.code == 3 and "detached" in run.err


def test_a_repository_without_commits_gets_its_first_from_copi(copi, tmp_path: Path) -> None:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", "--no-commit",
                cwd=tmp_path).code == 0
    process = tmp_path / "proces"
    git(process, "init", "-q")
    assert _advance(copi, process) == 0
    assert git(process, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(process, "status", "--porcelain") == ""
    assert git(process, "tag").split() == ["copi/proces/02-matchmaking"]


def test_a_recording_on_a_detached_head_is_refused(copi, tmp_path: Path) -> None:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    process = tmp_path / "proces"
    git(process, "checkout", "-q", "--detach")
    run = copi("term", "add", "Fald", "--definition", "x", cwd=process)
    assert run.code == 3 and "detached" in run.err
    assert git(process, "status", "--porcelain") == ""
    assert copi("term", "add", "Fald", "--definition", "x", "--no-commit", cwd=process).code == 0


def test_a_reftable_repository_works_like_any_other(copi, tmp_path: Path) -> None:
    made = subprocess.run(["git", "init", "-q", "--ref-format=reftable", str(tmp_path / "r")],
                          capture_output=True, text=True)
    if made.returncode != 0:
        version = git(tmp_path, "--version").strip()
        pytest.skip(f"{version} cannot make a reftable repository (git 2.45 and later can)")
    repo = tmp_path / "r"
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=repo).code == 0
    assert _advance(copi, repo / "proces") == 0
    assert git(repo, "tag").split() == ["copi/proces/01-innovation-need",
                                        "copi/proces/02-matchmaking"]
    assert git(repo, "rev-list", "--count", "main").strip() == "2"
    git(repo, "reset", "-q", "--hard", "HEAD~1")  # the transition's tag stays
    assert _advance(copi, repo / "proces") == 1
    git(repo, "checkout", "-q", "--detach")
    run = copi("advance", "--force", "--reason", "prøve", cwd=repo / "proces")
    assert run.code == 3 and "detached" in run.err


def test_a_process_laid_out_as_a_repository_of_its_own_is_refused(
        copi, example: Path, tmp_path: Path) -> None:
    """A pull request can lay a process directory out as a bare repository whose config
    names the directory its work tree: git would take it, run its hooks and fsmonitor and
    record its user.name as the actor. copi refuses it, and nothing of it runs."""
    outer = tmp_path / "outer"
    process = outer / "proces"
    outer.mkdir()
    example.rename(process)
    git(outer, "init", "-q", "-b", "main")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "eksempel")
    marker = tmp_path / "ran"
    (process / "HEAD").write_text("ref: refs/heads/main\n")
    for folder in ("objects/info", "refs/heads", "hooks"):
        (process / folder).mkdir(parents=True)
    (process / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n"
        "\thooksPath = hooks\n"
        f'\tfsmonitor = "echo fsmonitor >> {marker}; false"\n[user]\n\tname = Mallory\n')
    hook = process / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\necho hook >> {marker}\n")
    hook.chmod(0o755)
    before = git(outer, "log", "-1", "--format=%H")

    run = copi("owner", "add", "Vejle Kommune", "--role", "need-owner", cwd=process)
    assert run.code == 3 and "git refuses" in run.err, run.err
    assert not marker.exists() and not (process / "organisationer" / "vejle-kommune.yaml").exists()
    assert git(outer, "log", "-1", "--format=%H") == before
    assert copi("log", cwd=process).code == 3 and not marker.exists()
    assert copi("validate", cwd=process).code in (0, 1) and not marker.exists()
