"""One copi change at a time per repository: a lock file in the git directory, never in the work
tree. Per repository, not per process: copi's commits of two processes in one repository would
meet in git's index, and the one that failed would put back an index the other had changed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from copi_cli.errors import EnvironmentProblem

if TYPE_CHECKING:
    from copi_cli.trail.gitrepo import Repo


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


LOCK_FILE = "copi.lock"


@contextmanager
def workspace_lock(repo: Repo | None, root: Path) -> Iterator[None]:
    """Hold the lock of the repository (or, outside one, of the process directory root) while
    changing a process there; a lock left by a dead copi is taken over.

    The lock file appears with its holder's pid already in it (written to a private file, then
    hard-linked into place, which fails if the lock exists), so no one ever reads a half-made
    lock and mistakes it for a dead one.
    """
    lock_dir, where = (repo.git_dir, "this repository") if repo else (root, str(root))
    path = lock_dir / LOCK_FILE
    mine = lock_dir / f"{LOCK_FILE}.{os.getpid()}"
    mine.write_text(f"{os.getpid()}\n")
    try:
        for _attempt in range(2):
            try:
                os.link(mine, path)
                break
            except FileExistsError:
                try:
                    holder = int(path.read_text().strip())
                except (OSError, ValueError):
                    holder = -1  # unreadable: assume someone holds it
                if holder == -1 or _alive(holder):
                    raise EnvironmentProblem(
                        "another copi " + (f"(pid {holder}) " if holder > 0 else "")
                        + f"is making a change in {where} right now",
                        hint=f"wait for it to finish; if none is running, remove {path}",
                    ) from None
                path.unlink(missing_ok=True)  # left behind by a copi that died
        else:
            raise EnvironmentProblem(f"cannot take the lock {path}", hint=f"remove {path}")
    finally:
        mine.unlink(missing_ok=True)
    try:
        yield
    finally:
        try:  # only our own: a copi that wrongly took it over meanwhile keeps its lock
            if path.read_text().strip() == str(os.getpid()):
                path.unlink()
        except OSError:
            pass
