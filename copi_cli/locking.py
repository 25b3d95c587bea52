"""One copi at a time per process: a lock file in the git directory, never in the work tree."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from copi_cli.errors import EnvironmentProblem


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def workspace_lock(git_dir: Path, process_id: str) -> Iterator[None]:
    """Hold the lock of one process while changing it; a lock left by a dead copi is taken
    over.

    The lock file appears with its holder's pid already in it (written to a private file, then
    hard-linked into place, which fails if the lock exists), so no one ever reads a half-made
    lock and mistakes it for a dead one.
    """
    path = git_dir / f"copi-{process_id}.lock"
    mine = git_dir / f"copi-{process_id}.lock.{os.getpid()}"
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
                        "another copi " + (f"(process {holder}) " if holder > 0 else "")
                        + "is changing this process right now",
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
        path.unlink(missing_ok=True)
