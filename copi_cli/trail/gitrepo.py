"""The git adapter: every git operation copi performs, and git's failures as CopiErrors.

Everything goes through the git command line, one process per question: git itself finds the
repository, says who is acting, where HEAD is and which tags exist, and tidies up after its
commits, so copi never second-guesses it (nor reads refs, whichever way git stores them).
`git log --format=%(trailers)` reads a thousand commits' trailers at once.

Committing a change is copi_cli.trail.commits.
"""

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from copi_cli.errors import EnvironmentProblem, GitError
from copi_cli.messages import Said


def pathspec(path: str | Path, cwd: Path) -> str:
    """A path for git, relative to cwd, taken as written: a directory named `p*` or `:x` is
    that directory, not a pattern matching its neighbours."""
    return ":(literal)" + os.path.relpath(path, cwd)


def _git_missing() -> GitError:
    return GitError(Said("git.missing"), hint=Said("git.missing-hint"))


def run(cwd: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run git; a failure becomes a GitError that says what git said."""
    return Pending(cwd, *args, env=env, stdin=stdin).result(check)


def _text(output: bytes) -> str:
    """git's output as text: file names that are not UTF-8 keep their bytes as surrogates (as
    os.fsdecode does), and no line break is translated (a name may hold a carriage return)."""
    return output.decode("utf-8", "surrogateescape")


class Pending:
    """A command started now and read later, so it runs while copi does something else."""

    def __init__(self, cwd: Path, *args: str, env: dict[str, str] | None = None,
                 stdin: str | None = None) -> None:
        self.args = args  # git's arguments, for messages
        self._input = None if stdin is None else stdin.encode("utf-8")
        try:
            self.process = subprocess.Popen(
                ["git", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE)
        except FileNotFoundError as exc:
            raise _git_missing() from exc

    def result(self, check: bool = True) -> subprocess.CompletedProcess[str]:
        if not hasattr(self, "_done"):
            process = self.process
            try:
                out, err = process.communicate(self._input)
            except BaseException:
                self.stop()
                raise
            self._done = subprocess.CompletedProcess(process.args, process.returncode,
                                                     _text(out or b""), _text(err or b""))
        return _checked(self._done, self.args, check)

    def close(self) -> None:
        """Wait for the command even if nobody needs its answer any more."""
        self.result(check=False)

    def stop(self) -> None:
        """Stop the command, when copi is interrupted or gives up.

        git is asked to stop (SIGTERM), so it cleans up its own lock files; killing it outright
        would leave .git/index.lock behind. copi waits for git itself, not for its pipes: a hook
        it started may hold them.
        """
        process = self.process
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream:
                stream.close()


def _checked(done: subprocess.CompletedProcess[str], args: tuple[str, ...],
             check: bool) -> subprocess.CompletedProcess[str]:
    if check and done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(Said("git.failed", command=_command(args), said=" ".join(said[-3:])
                            if said else Said("git.failed-silently", code=done.returncode)),
                       hint=Said("git.failed-hint"))
    return done


def _command(args: Sequence[str]) -> str:
    """The git command in args, for messages: `git --no-optional-locks status …` is a status,
    `git -c key=value rev-parse …` a rev-parse."""
    words = iter(args)
    for word in words:
        if word == "-c":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


# --- repositories ---------------------------------------------------------------------------

class Repo(NamedTuple):
    root: Path  # the work tree
    git_dir: Path  # where HEAD, the index and copi's lock live (a worktree's own)


# git's messages for "there is no repository here to commit from" (under LC_ALL=C): none up to
# the root, a ceiling or a mount point, and a bare repository, which has no work tree.
_NO_REPOSITORY = ("fatal: not a git repository (or any", "fatal: this operation must be run "
                  "in a work tree")


def find_repo(path: Path) -> Repo | None:
    """The repository whose work tree holds path, or None (also where git refuses the
    repository, or is missing: what only reads may go on without one)."""
    try:
        return discover_repo(path)
    except EnvironmentProblem:
        return None


def discover_repo(path: Path) -> Repo | None:
    """The repository whose work tree holds path, as git finds it; None where there is none,
    and git's refusal where it refuses the one it found (a `.git` file that links nowhere):
    copi must not commit to a repository further up instead."""
    probe = path.resolve()
    while not probe.is_dir():
        probe = probe.parent
    # A process directory from a pull request may itself be laid out as a bare repository
    # whose config (hooks, fsmonitor, user.name) is the author's: git must not take it.
    done = run(probe, "-c", "safe.bareRepository=explicit", "rev-parse", "--show-toplevel",
               "--absolute-git-dir", check=False,
               env={**os.environ, "LC_ALL": "C"})  # git's own words, to tell the cases apart
    if done.returncode == 0:
        top, git_dir = done.stdout.splitlines()[:2]
        if "GIT_DIR" in os.environ or os.path.lexists(os.path.join(top, ".git")):
            return Repo(Path(top), Path(git_dir))
        said: str = Said("git.no-dot-git", top=top)
    else:
        said = done.stderr.strip()
        if said.startswith(_NO_REPOSITORY):
            return None
        said = said.removeprefix("fatal: ") or f"exit {done.returncode}"
    raise EnvironmentProblem(Said("git.refuses", path=probe, said=said),
                             hint=Said("git.refuses-hint"))


def require_repo(path: Path) -> Repo:
    repo = discover_repo(path)
    if repo is None:
        raise EnvironmentProblem(Said("git.no-repository", path=path),
                                 hint=Said("git.no-repository-hint"))
    return repo


def ensure_ready(repo: Repo) -> None:
    """Refuse a repository in the middle of something, or with no branch checked out: copi's
    commit would mix into it, or belong to no branch."""
    refuse_unfinished(repo)
    refuse_detached(current_branch(repo))


def refuse_unfinished(repo: Repo) -> None:
    """Refuse a merge, rebase, cherry-pick or revert in progress, or another git at work: the
    state files git documents for them (gitrepository-layout) are in the git directory."""
    for marker, what in (("MERGE_HEAD", "merge"), ("REBASE_HEAD", "rebase"),
                         ("rebase-merge", "rebase"), ("rebase-apply", "rebase or am"),
                         ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert")):
        if (repo.git_dir / marker).exists():
            raise EnvironmentProblem(Said("git.in-progress", what=what, root=repo.root),
                                     hint=Said("git.in-progress-hint", what=what))
    if (repo.git_dir / "index.lock").exists():
        raise EnvironmentProblem(Said("git.index-lock"), hint=Said(
            "git.index-lock-hint", lock=repo.git_dir / "index.lock"))


def refuse_detached(branch: str | None) -> None:
    """Refuse to commit where HEAD is on no branch (branch None, as git answered)."""
    if branch is None:
        raise EnvironmentProblem(Said("git.detached"), hint=Said("git.detached-hint"))


class Head(NamedTuple):
    """Where HEAD is, as git says."""

    branch: str | None  # the branch's short name; None when HEAD is detached
    commit: str | None  # None before the branch's first commit


def _asking_branch(where: Path) -> Pending:
    return Pending(where, "symbolic-ref", "-q", "HEAD")


def _branch(asked: Pending) -> str | None:
    """The branch in git's answer to `git symbolic-ref -q HEAD`; None when detached (git's
    exit 1; anything worse is a GitError)."""
    done = asked.result(check=False)
    if done.returncode == 1 and not done.stdout:
        return None
    return _checked(done, asked.args, True).stdout.strip().removeprefix("refs/heads/")


def current_branch(repo: Repo) -> str | None:
    """The branch HEAD is on, also before its first commit; None when detached."""
    return _branch(_asking_branch(repo.root))


def tag_exists(repo: Repo, name: str) -> bool:
    """Whether the tag refs/tags/<name> exists."""
    return run(repo.root, "rev-parse", "-q", "--verify", f"refs/tags/{name}",
               check=False).returncode == 0


# --- who acts, and what changed --------------------------------------------------------------

def _asking_who(where: Path) -> Pending:
    return Pending(where, "var", "GIT_COMMITTER_IDENT")


def _name(asked: Pending) -> str:
    """The committer's name in git's answer to `git var GIT_COMMITTER_IDENT`, or a GitError
    saying how to set it where git cannot tell (a commit would fail the same way)."""
    done = asked.result(check=False)
    name = done.stdout.split("<", 1)[0].strip() if done.returncode == 0 else ""
    if not name:
        said = done.stderr.strip().splitlines()
        raise GitError(Said("git.who", said=f" ({said[-1]})" if said else ""),
                       hint=Said("git.who-hint"))
    return name


def actor(where: Path) -> str:
    """Who git will record as committer for a commit made at where (environment and
    configuration, as git reads them): the Copi-Actor of the change. Asked every time."""
    return _name(_asking_who(where))


def _asking_status(repo: Repo, paths: Sequence[Path]) -> Pending:
    # --no-optional-locks: a question asked in the background must not write the index (git
    # would refresh its stat data under index.lock while copi goes on); --branch: where HEAD
    # is comes with the answer, --no-ahead-behind without counting commits to the upstream
    return Pending(repo.root, "--no-optional-locks", "status", "--porcelain=v2", "--branch",
                   "--no-ahead-behind", "-z", "--untracked-files=all", "--no-renames", "--",
                   *(pathspec(p, repo.root) for p in paths))


class Status(NamedTuple):
    """git's answer to `git status` on some paths."""

    head: Head
    files: list[str]  # what differs from HEAD, relative to the repository root
    untracked: bool  # whether any of the files is new to git


def _status(asked: Pending) -> Status:
    """Read `git status --porcelain=v2 --branch -z`: headers, then one entry per file whose
    path is its last field (a rename's original path follows it, a field of its own)."""
    branch: str | None = None
    commit: str | None = None
    files: list[str] = []
    untracked = False
    entries = iter(asked.result().stdout.split("\0"))
    for entry in entries:
        if entry.startswith("# branch.oid "):
            commit = entry.removeprefix("# branch.oid ")
        elif entry.startswith("# branch.head "):
            branch = entry.removeprefix("# branch.head ")
        elif entry.startswith("? "):
            files.append(entry[2:])
            untracked = True
        elif entry[:2] in ("1 ", "2 ", "u "):
            files.append(entry.split(" ", {"1": 8, "2": 9, "u": 10}[entry[0]])[-1])
            if entry[0] == "2":
                next(entries, None)
    return Status(Head(None if branch == "(detached)" else branch,
                       None if commit == "(initial)" else commit), sorted(files), untracked)


def changes(repo: Repo, paths: Sequence[Path]) -> Status:
    """What git status says of paths now (Questions asks it while validation runs)."""
    return _status(_asking_status(repo, paths))


class Questions:
    """Who is acting and whether HEAD is on a branch and, for a transition, which files differ
    from HEAD: asked of git at once, so that git answers while copi validates."""

    def __init__(self, repo: Repo, changes_under: Sequence[Path] | None = None,
                 branch: bool = False) -> None:
        self._who = _asking_who(repo.root)
        self._what: Pending | None = None
        self._branch: Pending | None = None
        try:
            if changes_under is not None:  # the status says where HEAD is too
                self._what = _asking_status(repo, changes_under)
            elif branch:
                self._branch = _asking_branch(repo.root)
        except BaseException:
            self._who.stop()
            raise

    def actor(self) -> str:
        return _name(self._who)

    def branch(self) -> str | None:
        """The branch HEAD is on; None when detached."""
        if self._what:
            return self.changes().head.branch
        assert self._branch is not None, "asked without branch"
        return _branch(self._branch)

    def changes(self) -> Status:
        assert self._what is not None, "asked without paths"
        return _status(self._what)

    def close(self) -> None:
        """Wait for git even if nobody needs its answers any more."""
        for pending in (self._who, self._what, self._branch):
            if pending:
                pending.close()


def init_repo(path: Path) -> None:
    run(path, "init", "-q", "--initial-branch=main")
