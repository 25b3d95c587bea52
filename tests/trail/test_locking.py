"""The repository lock (copi_cli.trail.locking): taken and given back by its holder only."""

from __future__ import annotations

import os
from pathlib import Path


def test_a_lock_is_released_only_by_its_holder(tmp_path: Path) -> None:
    from copi_cli.trail.locking import LOCK_FILE, workspace_lock

    with workspace_lock(None, tmp_path):
        (tmp_path / LOCK_FILE).write_text("999999999\n")  # taken over by another meanwhile
    assert (tmp_path / LOCK_FILE).read_text() == "999999999\n"
    (tmp_path / LOCK_FILE).unlink()
    with workspace_lock(None, tmp_path):
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    assert list(tmp_path.iterdir()) == []
