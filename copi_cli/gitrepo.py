"""The git adapter: every git operation copi performs, and git's failures as CopiErrors.

GitPython is imported here only, inside the functions, so commands that never touch git do not pay
for its import. Commits carry copi's trailers (Copi-Action, Copi-Actor, …) so the audit trail can
be read back with one `git log`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from copi_cli.errors import GitError, UserError


def _git() -> Any:
    try:
        import git
    except ImportError as exc:  # GitPython raises ImportError when no git executable is found
        raise GitError("git is not installed or not on PATH",
                       hint="install git (e.g. apt-get install git) and try again") from exc
    return git


def enclosing_repo(path: Path) -> Path | None:
    """The work tree that contains path, or None when path is in no git repository."""
    git = _git()
    probe = path
    while not probe.exists():
        probe = probe.parent
    try:
        repo = git.Repo(probe, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    return Path(repo.working_tree_dir) if repo.working_tree_dir else None


def identity(path: Path) -> tuple[str, str]:
    """The committer's name and e-mail as git would use them, or a GitError saying how to set
    them."""
    git = _git()
    try:
        name = git.Git(str(path)).config("user.name")
        email = git.Git(str(path)).config("user.email")
    except git.GitCommandError:
        name = os.environ.get("GIT_AUTHOR_NAME", "")
        email = os.environ.get("GIT_AUTHOR_EMAIL", "")
    if not name or not email:
        raise GitError(
            "git does not know who you are, so copi cannot record who made the change",
            hint='run: git config --global user.name "Your Name" && '
                 'git config --global user.email "you@example.dk"',
        )
    return name, email


def ensure_no_merge_in_progress(repo_root: Path) -> None:
    git = _git()
    repo = git.Repo(repo_root)
    for marker in ("MERGE_HEAD", "REBASE_HEAD", "CHERRY_PICK_HEAD", "rebase-merge", "rebase-apply"):
        if (Path(repo.git_dir) / marker).exists():
            raise UserError(f"{repo_root}: a git merge or rebase is in progress",
                            hint="finish it (git merge --continue / git rebase --continue) or "
                                 "abort it, then run copi again")


def format_message(subject: str, trailers: dict[str, str], body: str = "") -> str:
    lines = [subject, ""]
    if body:
        lines += [body, ""]
    lines += [f"{key}: {value}" for key, value in trailers.items()]
    return "\n".join(lines) + "\n"


def init_repo(path: Path) -> None:
    git = _git()
    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as exc:
        raise GitError(f"git init failed: {exc.stderr.strip()}") from exc


def commit(repo_root: Path, paths: list[Path], subject: str, trailers: dict[str, str]) -> str:
    """Stage exactly these paths and commit only them; returns the commit id."""
    git = _git()
    repo = git.Repo(repo_root)
    relative = [os.path.relpath(p, repo_root) for p in paths]
    try:
        repo.git.add("--", *relative)
        repo.git.commit("--quiet", "--no-verify", "-m", format_message(subject, trailers),
                        "--", *relative)
    except git.GitCommandError as exc:
        raise GitError(f"git commit failed: {(exc.stderr or str(exc)).strip()}",
                       hint="fix the problem git reports and run the command again") from exc
    return repo.head.commit.hexsha


def unstage(repo_root: Path, paths: list[Path]) -> None:
    """Undo `git add` of these paths (used when a command rolls back)."""
    git = _git()
    repo = git.Repo(repo_root)
    relative = [os.path.relpath(p, repo_root) for p in paths]
    try:
        if repo.head.is_valid():
            repo.git.reset("-q", "--", *relative)
        else:
            repo.git.rm("-r", "-q", "--cached", "--ignore-unmatch", "--", *relative)
    except git.GitCommandError:
        pass
