"""The git adapter: every git operation copi performs, and git's failures as CopiErrors.

Two ways in, chosen by cost:
- GitPython for setting a repository up and reading its configuration (copi init): clear and
  safe, and its import (~120 ms) is paid only there.
- The git command line for what runs often — commits, tags, the audit trail: one process per
  operation, no import cost, and `git log --format=%(trailers)` reads a thousand commits at once
  (GitPython starts a git process per commit to parse trailers).

Commits carry copi's trailers (Copi-Action, Copi-Process, Copi-Actor, …) so the audit trail can be
read back with one `git log`. A transition is written through a private index, so a failing hook
or an interrupt leaves the user's index, work tree and history as they were.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from copi_cli.errors import EnvironmentProblem, GitError


def _gitpython() -> Any:
    try:
        import git
    except ImportError as exc:  # GitPython raises ImportError when no git executable is found
        raise GitError("git is not installed or not on PATH",
                       hint="install git (e.g. apt-get install git) and try again") from exc
    return git


def run(cwd: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run git; a failure becomes a GitError that says what git said."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              env=env, input=stdin)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH",
                       hint="install git (e.g. apt-get install git) and try again") from exc
    if check and done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(f"git {args[0]} failed: {' '.join(said[-3:]) if said else 'no message'}",
                       hint="fix what git reports and run the command again; nothing was "
                            "changed")
    return done


# --- repositories ---------------------------------------------------------------------------

class Repo(NamedTuple):
    root: Path  # the work tree
    git_dir: Path


def find_repo(path: Path) -> Repo | None:
    """The repository whose work tree holds path, or None."""
    probe = path
    while not probe.exists():
        probe = probe.parent
    done = run(probe, "rev-parse", "--show-toplevel", "--absolute-git-dir", check=False)
    if done.returncode != 0:
        return None
    top, git_dir = done.stdout.splitlines()[:2]
    return Repo(Path(top), Path(git_dir))


def require_repo(path: Path) -> Repo:
    repo = find_repo(path)
    if repo is None:
        raise EnvironmentProblem(f"{path} is not in a git repository",
                                 hint="copi keeps the audit trail in git: run 'git init' and "
                                      "commit the process, or create it with 'copi init'")
    return repo


def ensure_ready(repo: Repo) -> None:
    """Refuse a repository in the middle of something: copi's commit would mix into it."""
    for marker, what in (("MERGE_HEAD", "merge"), ("REBASE_HEAD", "rebase"),
                         ("rebase-merge", "rebase"), ("rebase-apply", "rebase or am"),
                         ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert")):
        if (repo.git_dir / marker).exists():
            raise EnvironmentProblem(f"a git {what} is in progress in {repo.root}",
                                     hint=f"finish or abort the {what}, then run copi again")
    if (repo.git_dir / "index.lock").exists():
        raise EnvironmentProblem("another git process is running in this repository "
                                 "(.git/index.lock exists)",
                                 hint="wait for it to finish; if none is running, remove "
                                      f"{repo.git_dir / 'index.lock'}")
    has_head = run(repo.root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    if has_head.returncode == 0 and run(repo.root, "symbolic-ref", "-q", "HEAD",
                                        check=False).returncode != 0:
        raise EnvironmentProblem("HEAD is detached: a commit here would belong to no branch",
                                 hint="check out a branch (git switch main) and run copi again")


def head(repo: Repo) -> str | None:
    done = run(repo.root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def identity(path: Path) -> tuple[str, str]:
    """The committer's name and e-mail as git would use them, or a GitError saying how to set
    them."""
    git = _gitpython()
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


def actor(repo: Repo) -> str:
    """Who is making a change: git's user.name, as the commit will say."""
    done = run(repo.root, "config", "user.name", check=False)
    name = done.stdout.strip() or os.environ.get("GIT_AUTHOR_NAME", "")
    email = run(repo.root, "config", "user.email", check=False).stdout.strip() or \
        os.environ.get("GIT_AUTHOR_EMAIL", "")
    if not name or not email:
        identity(repo.root)  # raises with the hint how to set them
    return name


def init_repo(path: Path) -> None:
    git = _gitpython()
    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as exc:
        raise GitError(f"git init failed: {exc.stderr.strip()}") from exc


# --- commits ---------------------------------------------------------------------------------

def format_message(subject: str, trailers: dict[str, str], body: str = "") -> str:
    lines = [subject, ""]
    if body:
        lines += [body, ""]
    lines += [f"{key}: {value}" for key, value in trailers.items()]
    return "\n".join(lines) + "\n"


class Committed(NamedTuple):
    commit: str
    tag: str | None
    files: list[str]  # paths relative to the repository root


def changed_files(repo: Repo, paths: Sequence[Path]) -> list[str]:
    """Files under paths that differ from HEAD, untracked ones included (ignored ones not)."""
    relative = [os.path.relpath(p, repo.root) for p in paths]
    done = run(repo.root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
               *relative)
    files = []
    entries = done.stdout.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":  # a rename carries the old path as the next entry
            index += 1
        files.append(path)
    return sorted(files)


def commit_transition(repo: Repo, paths: Sequence[Path], subject: str,
                      trailers: dict[str, str], tag: str | None) -> Committed:
    """Commit everything under paths (one commit, these trailers) and tag it.

    The commit is built in a private index made from HEAD: it holds exactly HEAD plus the work
    tree under paths, and if a hook refuses it or the user interrupts, the real index and HEAD
    are untouched. Only after the commit and the tag exist is
    the real index brought up to date for these paths.
    """
    relative = [os.path.relpath(p, repo.root) for p in paths]
    before = head(repo)
    files = changed_files(repo, paths)
    scratch = Path(tempfile.mkdtemp(prefix="copi-index-"))
    env = {**os.environ, "GIT_INDEX_FILE": str(scratch / "index")}
    try:
        # The private index starts from HEAD, so nothing the user staged elsewhere slips in.
        if before is not None:
            run(repo.root, "read-tree", before, env=env)
        run(repo.root, "add", "-A", "--", *relative, env=env)
        run(repo.root, "commit", "-q", "--allow-empty", "-F", "-", env=env,
            stdin=format_message(subject, trailers))
        commit = head(repo)
        assert commit is not None
        if tag:
            run(repo.root, "tag", "-a", tag, "-m", subject, commit)
        # The real index learns about the commit for these paths only; anything else the user
        # staged stays staged.
        run(repo.root, "reset", "-q", "--", *relative)
    except BaseException:
        if tag and head(repo) != before:
            run(repo.root, "tag", "-d", tag, check=False)
        now = head(repo)
        if now is not None and now != before:
            _move_branch_back(repo, before, now)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Committed(commit, tag, files)


def _move_branch_back(repo: Repo, before: str | None, after: str | None) -> None:
    """Undo a commit copi just made (the work tree is restored by the caller)."""
    if before is None:
        branch = run(repo.root, "symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
        if branch:
            run(repo.root, "update-ref", "-d", branch, check=False)
    elif after is not None:
        run(repo.root, "update-ref", "-m", "copi: undo an unfinished transition", "HEAD",
            before, after, check=False)
