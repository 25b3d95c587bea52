"""The repository lock (copi_cli.trail.locking): one holder at a time, given up by the kernel
when its holder dies, never read or written through a link, given back by its holder only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from copi_cli.errors import EnvironmentProblem
from copi_cli.trail.locking import LOCK_FILE, release, take, workspace_lock


def test_a_lock_is_released_only_by_its_holder(tmp_path: Path) -> None:
    with workspace_lock(None, tmp_path):
        (tmp_path / LOCK_FILE).unlink()
        (tmp_path / LOCK_FILE).write_text("999999999\n")  # put in its place meanwhile
    assert (tmp_path / LOCK_FILE).read_text() == "999999999\n"
    (tmp_path / LOCK_FILE).unlink()
    with workspace_lock(None, tmp_path):
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_held_lock_refuses_after_the_wait_and_names_its_holder(tmp_path: Path) -> None:
    with workspace_lock(None, tmp_path), pytest.raises(EnvironmentProblem,
                                                       match=f"pid {os.getpid()}"):
        take(None, tmp_path, wait=0)


def test_the_lock_of_a_killed_copi_is_free_and_its_pid_known(tmp_path: Path) -> None:
    """kill -9 leaves the file with the dead holder's pid; the kernel has let go of it, so the
    next copi takes it at once (never two: the kernel decides) and learns who died."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from pathlib import Path\nfrom copi_cli.trail.locking import take\n"
         "take(None, Path(sys.argv[1]))\nprint('held', flush=True)\ntime.sleep(600)\n",
         str(tmp_path)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    with pytest.raises(EnvironmentProblem, match=f"pid {holder.pid}"):
        take(None, tmp_path, wait=0)
    holder.kill()
    holder.communicate()
    assert (tmp_path / LOCK_FILE).read_text() == f"{holder.pid}\n"
    held = take(None, tmp_path, wait=0)
    assert held.died == holder.pid
    release(held)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("put", ["symlink", "fifo", "hardlink"])
def test_nothing_but_copis_own_file_is_taken_for_the_lock(tmp_path: Path, put: str) -> None:
    """A link to /dev/zero is not read (it never ends), a FIFO does not hang, a hard link to
    someone's file is not truncated: each is refused with what to do."""
    lock = tmp_path / LOCK_FILE
    other = tmp_path / "someone.txt"
    other.write_text("keep me\n")
    if put == "symlink":
        lock.symlink_to("/dev/zero")
    elif put == "fifo":
        os.mkfifo(lock)
    else:
        os.link(other, lock)
    with pytest.raises(EnvironmentProblem, match="not copi's lock file"):
        take(None, tmp_path, wait=0)
    assert other.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([LOCK_FILE, "someone.txt"])
