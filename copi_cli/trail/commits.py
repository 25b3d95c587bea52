"""Committing a change: one commit with copi's trailers and, for a transition, its tag.

Commits carry copi's trailers (Copi-Action, Copi-Process, Copi-Actor, …) so the audit trail can
be read back with one `git log`. A failing hook, a full disk, a git killed by a signal or an
interrupt leaves the user's index, work tree and history as they were (see commit_transition),
and the undo itself cannot be cut short by a second Ctrl-C or SIGTERM (undoing).
"""

import os
import shutil
import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

from copi_cli.errors import GitError
from copi_cli.messages import Said
from copi_cli.trail.gitrepo import (
    Pending,
    Questions,
    Repo,
    changes,
    pathspec,
    refuse_detached,
    run,
)

# --- the undo: space kept aside, signals held off -------------------------------------------

_UNDO_PREFIX = "copi-undo-"


def undo_dir(git_dir: Path) -> Path:
    """This copi's folder in the git directory for what it keeps aside during a change: hard
    links to the originals (no new space), so putting one back is a rename."""
    folder = git_dir / f"{_UNDO_PREFIX}{os.getpid()}"
    folder.mkdir(exist_ok=True)
    return folder


def drop_undo_dir(git_dir: Path) -> None:
    """This copi's folder, once nothing in it is needed (left while a caller still keeps
    files there)."""
    with suppress(OSError):
        os.rmdir(git_dir / f"{_UNDO_PREFIX}{os.getpid()}")


def sweep_undo(git_dir: Path) -> None:
    """Remove what copis that were killed kept aside; only the lock holder calls this, so no
    other copi is using any of them."""
    try:
        entries = list(os.scandir(git_dir))
    except OSError:
        return
    mine = f"{_UNDO_PREFIX}{os.getpid()}"
    for entry in entries:
        if entry.name.startswith(_UNDO_PREFIX) and entry.name != mine:
            shutil.rmtree(entry.path, ignore_errors=True)


def keep_aside(path: Path, folder: Path | None = None) -> Path:
    """A second name for path as it is now: in folder (the undo folder), or beside it as
    `.<name>.copi-<pid>.keep`; a hard link where the file system has them (no new space),
    else a copy."""
    aside = (folder / f"{len(os.listdir(folder))}-{path.name}" if folder is not None
             else path.with_name(f".{path.name}.copi-{os.getpid()}.keep"))
    try:
        os.link(path, aside)
    except OSError:
        shutil.copyfile(path, aside)
    return aside


_HELD = (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))


class _Undo:
    armed = 0  # units of work whose own undo follows a failed commit's (Change.apply)
    previous: set[int | signal.Signals] | None = None  # the signal mask before the undo began


def _can_hold() -> bool:
    import threading

    return (hasattr(signal, "pthread_sigmask")
            and threading.current_thread() is threading.main_thread())


@contextmanager
def undoing() -> Iterator[None]:
    """Hold off Ctrl-C and SIGTERM while an undo runs: a second one would leave a commit
    without its tag or copi.yaml not put back. They arrive when the undo is done (and inside
    an armed unit of work, when its own undo is done too). git processes started meanwhile
    inherit the held signals, so a Ctrl-C at the terminal does not stop them either."""
    first = _Undo.previous is None and _can_hold()
    if first:
        _Undo.previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        if first and not _Undo.armed:
            _release()


def _release() -> None:
    previous, _Undo.previous = _Undo.previous, None
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def armed() -> Iterator[None]:
    """A unit of work that undoes more after a failed commit has undone its part: signals held
    by the commit's undo stay held until this one's is done too."""
    _Undo.armed += 1
    try:
        yield
    finally:
        _Undo.armed -= 1
        if not _Undo.armed:
            _release()


# --- the commit -----------------------------------------------------------------------------

def format_message(subject: str, trailers: dict[str, str], body: str = "") -> str:
    """The commit message; a line break inside a value (a process directory named with one)
    would start a trailer of its own, such as a second Copi-Actor, so it becomes a space."""
    lines = [subject, ""]
    if body:
        lines += [body, ""]
    lines += [f"{key}: {' '.join(str(value).splitlines())}" for key, value in trailers.items()]
    return "\n".join(lines) + "\n"


class Committed(NamedTuple):
    commit: str  # the full object name
    tag: str | None
    files: list[str]  # paths relative to the repository root


class _Steps:
    """The git processes of one commit, run one by one; a git killed by a signal (SIGKILL, a
    file size limit's SIGXFSZ) cannot remove its own lock files, so they are noted with the
    time it started, for the undo to remove."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.killed_since: int | None = None  # when the first git that was killed started

    def run(self, *args: str, stdin: str | None = None) -> str:
        started = time.time_ns()
        pending = Pending(self.repo.root, *args, stdin=stdin)
        try:
            done = pending.result(check=False)
        except BaseException:
            if pending.process.returncode is None or pending.process.returncode < 0:
                self._killed(started)
            raise
        if done.returncode < 0:
            self._killed(started)
            name = _signal_name(-done.returncode)
            raise GitError(Said("git.stopped", command=args[0], signal=name,
                                why=Said("git.stopped-size") if name == "SIGXFSZ" else ""),
                           hint=Said("git.stopped-hint"))
        return pending.result().stdout

    def _killed(self, started: int) -> None:
        if self.killed_since is None:
            self.killed_since = started


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def commit_transition(repo: Repo, paths: Sequence[Path], subject: str,
                      trailers: dict[str, str], tag: str | None,
                      asked: Questions | None = None) -> Committed:
    """Commit everything under paths (one commit, these trailers) and tag it, or nothing.

    `git commit -- paths` commits exactly the work tree under paths on top of HEAD; anything
    the user staged elsewhere stays staged and out of the commit. Hooks run as usual, and so
    does git's own housekeeping after the commit. If a hook refuses, git fails, is killed or the
    user interrupts, the index is put back as it was (kept aside by a hard link, so no new space
    is needed), a commit already made is taken back, a tag already made deleted, and lock files
    a killed git left are removed. Four or five git processes: status, add (only when there are
    new files), commit, rev-parse (the new commit's name), tag. The status may have been asked
    earlier (Questions); the files copi itself writes afterwards are among the changes anyway.
    """
    status = asked.changes() if asked else changes(repo, paths)
    refuse_detached(status.head.branch)
    specs = [pathspec(p, repo.root) for p in paths]
    message = format_message(subject, trailers)
    index = repo.git_dir / "index"
    kept = keep_aside(index, undo_dir(repo.git_dir)) if index.exists() else None
    steps = _Steps(repo)
    commit = None
    try:
        if status.untracked:
            steps.run("add", "-A", "--", *specs)
        # -q: git's summary of the commit is a diff copi would not show
        steps.run("commit", "-q", "--allow-empty", "--no-edit", "-F", "-", "--", *specs,
                  stdin=message)
        commit = steps.run("rev-parse", "--verify", "HEAD^{commit}").strip()
        if tag:
            steps.run("tag", "-a", tag, "-m", subject, commit)
    except BaseException:
        with undoing():
            if steps.killed_since is not None:
                clear_git_locks(repo, steps.killed_since, status.head.branch, tag)
            if tag and commit:
                _drop_tag(repo, tag, commit)
            _take_back(repo, commit, message, status.head.commit)
            if kept is None:
                index.unlink(missing_ok=True)
            else:
                os.replace(kept, index)
            drop_undo_dir(repo.git_dir)
        raise
    if kept is not None:
        kept.unlink(missing_ok=True)
    drop_undo_dir(repo.git_dir)
    return Committed(commit, tag, status.files)


def clear_git_locks(repo: Repo, since: int, branch: str | None, tag: str | None) -> list[str]:
    """Remove the lock files a git copi started left when it was killed: those a commit or a
    tag takes (the index's, its partial commit's next-index-<pid>.lock, HEAD's, the branch's,
    the tag's, packed-refs'), and only when made after that git started. git never lets two
    hold one, so while copi's git was alive no other could have made it; what the user's own
    git holds now is older or is not among these."""
    names = ["index.lock", "HEAD.lock", "packed-refs.lock"]
    if branch:
        names.append(f"refs/heads/{branch}.lock")
    if tag:
        names.append(f"refs/tags/{tag}.lock")
    with suppress(OSError):
        names += [n for n in os.listdir(repo.git_dir)
                  if n.startswith("next-index-") and n.endswith(".lock")]
    removed = []
    for name in names:
        path = repo.git_dir / name
        try:
            if path.lstat().st_mtime_ns >= since - 2_000_000_000:  # file systems' coarse times
                path.unlink()
                removed.append(name)
        except OSError:
            continue
    return removed


def _drop_tag(repo: Repo, tag: str, commit: str) -> None:
    """Delete the tag if it names the commit being taken back: a tag that was there before
    names an older commit and stays."""
    named = run(repo.root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}^{{commit}}",
                check=False).stdout.strip()
    if named == commit:
        run(repo.root, "tag", "-d", tag, check=False)


def _take_back(repo: Repo, commit: str | None, message: str, before: str | None) -> None:
    """Undo the commit copi just made, if it was made (the caller restores the work tree).

    Interrupted inside `git commit`, copi cannot know whether git got as far as the commit:
    HEAD is then taken back only if it carries exactly copi's message.
    """
    shown = run(repo.root, "log", "-1", "--format=%H %P%n%B", check=False)
    if shown.returncode != 0:
        return
    first, _, body = shown.stdout.partition("\n")
    head, *parents = first.split()
    if commit is None and (body.rstrip("\n") != message.rstrip("\n") or head == before
                           or (before is not None and parents[:1] != [before])):
        # The commit never happened: HEAD is where it was, or is not a child of where it
        # was (an earlier copi's commit with the same message must never be taken back).
        return
    if commit is not None and not head.startswith(commit):
        return
    if parents:
        run(repo.root, "update-ref", "-m", "copi: undo an unfinished transition", "HEAD",
            parents[0], head, check=False)
    else:
        branch = run(repo.root, "symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
        if branch:
            run(repo.root, "update-ref", "-d", branch, head, check=False)
