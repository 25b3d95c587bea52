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
    over."""
    path = git_dir / f"copi-{process_id}.lock"
    for _attempt in range(2):
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                holder = int(path.read_text().strip() or "0")
            except (OSError, ValueError):
                holder = 0
            if holder and _alive(holder):
                raise EnvironmentProblem(
                    f"another copi (process {holder}) is changing this process right now",
                    hint=f"wait for it to finish; if none is running, remove {path}",
                ) from None
            path.unlink(missing_ok=True)  # left behind by a copi that died
            continue
        with os.fdopen(handle, "w") as file:
            file.write(f"{os.getpid()}\n")
        break
    else:
        raise EnvironmentProblem(f"cannot take the lock {path}", hint=f"remove {path}")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
