"""One copi change at a time per repository: a lock file in the git directory, never in the work
tree. Per repository, not per process: copi's commits of two processes in one repository would
meet in git's index, and the one that failed would put back an index the other had changed.

Design:
1. open `copi.lock` without following a link (O_NOFOLLOW, made if missing) and refuse anything
   but a regular file of one name: a link to /dev/zero or to someone's file is never read or
   written through.
2. take the operating system's lock on it (flock). The kernel gives it up when its holder ends,
   however it ends (kill -9 included), so a lock left by a copi that died is free again, and two
   copis finding it so cannot both take it: there is nothing to take over by hand.
3. held: check that the file is still the one at the path (a holder that finished removes it,
   and a waiter may have opened the old one), then write the holder's pid into it, for the
   message another copi shows. A pid found there already is a copi that died holding the lock.
4. held by a live copi: wait for it (COPI_LOCK_WAIT seconds, 60 by default; 0 refuses at
   once), then refuse. Released: the file is removed, then closed. After a second of waiting
   the command layer's notice (set_waiting_notice) is told once, with the holder's pid: this
   module knows nothing of the terminal.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from copi_cli.errors import EnvironmentProblem
from copi_cli.messages import Said, os_reason

if TYPE_CHECKING:
    from copi_cli.trail.gitrepo import Repo

LOCK_FILE = "copi.lock"
WAIT_VARIABLE = "COPI_LOCK_WAIT"
DEFAULT_WAIT = 60.0  # seconds: longer than any change copi makes, short of a hook that hangs
_POLL = 0.05
NOTICE_AFTER = 1.0  # seconds of waiting before the waiting copi says so

_notice: list[Callable[[int | None, str], None]] = []  # what the command layer shows


def set_waiting_notice(notice: Callable[[int | None, str], None] | None) -> None:
    """Who is told, once, that this copi waits for another: notice(holder's pid or None,
    the name of the variable that bounds the wait). None: nobody."""
    _notice[:] = [notice] if notice else []


class Held(NamedTuple):
    """A lock copi holds: the file, the open descriptor that holds it, and the pid of a copi
    that died holding it before (None when the last holder gave it back)."""

    path: Path
    descriptor: int
    died: int | None
    waited: bool  # another copi held it when this one asked


def _flock(descriptor: int) -> bool:
    """Take the operating system's lock on the file, without waiting; False if it is held."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: a byte-range lock of the first byte
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _pid_in(descriptor: int) -> int | None:
    """The pid written in a lock file: a few bytes at most are read."""
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _wait() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_VARIABLE, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _open(path: Path) -> int:
    """The lock file, opened without following a link and without blocking (a FIFO put in its
    place); anything but a regular file of one name is refused."""
    flags = (os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0))
    unusable = EnvironmentProblem(Said("lock.unusable", path=path),
                                  hint=Said("lock.unusable-hint", path=path))
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EMLINK):
            raise unusable from None
        raise EnvironmentProblem(Said("lock.unmade", path=path, reason=os_reason(exc)),
                                 hint=Said("lock.unmade-hint")) from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode) or status.st_nlink != 1:
        os.close(descriptor)
        raise unusable
    return descriptor


def take(repo: Repo | None, root: Path, wait: float | None = None) -> Held:
    """Take the lock of the repository (or, outside one, of the process directory root),
    waiting up to `wait` seconds (COPI_LOCK_WAIT) while another copi holds it."""
    lock_dir, where = (repo.git_dir, Said("lock.this-repository")) if repo else (root, str(root))
    path = lock_dir / LOCK_FILE
    started = time.monotonic()
    deadline = started + (_wait() if wait is None else wait)
    waited = told = False
    while True:
        descriptor = _open(path)
        try:
            if not _flock(descriptor):
                holder = _pid_in(descriptor)
                if time.monotonic() >= deadline:
                    raise EnvironmentProblem(
                        Said("lock.held-by", pid=holder, where=where) if holder
                        else Said("lock.held", where=where),
                        hint=Said("lock.held-hint", variable=WAIT_VARIABLE,
                                  seconds=f"{DEFAULT_WAIT:.0f}"))
                waited = True
                if not told and _notice and time.monotonic() - started >= NOTICE_AFTER:
                    told = True
                    _notice[0](holder, WAIT_VARIABLE)
                os.close(descriptor)
                time.sleep(_POLL)
                continue
            mine = os.fstat(descriptor)
            try:
                there = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                there = None
            if there is None or (there.st_dev, there.st_ino) != (mine.st_dev, mine.st_ino):
                os.close(descriptor)  # its holder finished and removed it: open the new one
                continue
            died = _pid_in(descriptor)
            try:  # the pid is for others' messages only: a full disk does not stop the lock
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
            except OSError:
                pass
            return Held(path, descriptor, died if died != os.getpid() else None, waited)
        except BaseException:
            with suppress(OSError):
                os.close(descriptor)
            raise


def release(held: Held) -> None:
    """Give the lock back: the file is removed while still held, then closed, so a copi that
    opened it meanwhile sees it is gone and opens a new one. A file someone else put at the
    path meanwhile is theirs and stays."""
    try:
        mine = os.fstat(held.descriptor)
        there = os.stat(held.path, follow_symlinks=False)
        if (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino):
            os.unlink(held.path)
    except OSError:
        pass
    finally:
        os.close(held.descriptor)


@contextmanager
def workspace_lock(repo: Repo | None, root: Path, wait: float | None = None) -> Iterator[Held]:
    """Hold the lock of the repository (or, outside one, of the process directory root) while
    changing a process there."""
    held = take(repo, root, wait)
    try:
        yield held
    finally:
        release(held)
