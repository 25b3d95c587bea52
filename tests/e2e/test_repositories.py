"""Processes in repositories of every shape git makes: a submodule copied alone, linked
worktrees, no commits yet, a detached HEAD, the reftable format; and a process directory laid
out as a repository of its own, which copi refuses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import git


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
