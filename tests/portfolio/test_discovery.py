"""Finding processes under a folder: bounded, in path order, never led out by a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from copi_cli.portfolio.discovery import find_processes


def _process(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "copi.yaml").write_text("id: x\n", encoding="utf-8")
    return path


def test_processes_are_found_in_path_order_and_not_entered(tmp_path: Path) -> None:
    top = tmp_path / "top"
    b = _process(top / "b")
    a2 = _process(top / "a" / "2")
    a1 = _process(top / "a" / "1")
    _process(b / "inside")  # processes do not nest: never looked for
    for skipped in ("node_modules/x", ".hidden/x", "build/x", "venv/x"):
        _process(top / skipped)
    (top / "link").symlink_to(_process(tmp_path / "elsewhere"))
    (top / "c").mkdir()
    (top / "c" / "copi.yaml").symlink_to(tmp_path / "elsewhere" / "copi.yaml")
    assert [found.path for found in find_processes(top)] == [a1, a2, b]


def test_the_folder_given_may_be_a_process(tmp_path: Path) -> None:
    process = _process(tmp_path / "p")
    assert [found.path for found in find_processes(process)] == [process]


def test_the_depth_is_bounded(tmp_path: Path) -> None:
    shallow = _process(tmp_path / "1" / "2" / "p")
    _process(tmp_path / "1" / "2" / "3" / "4" / "q")
    assert [found.path for found in find_processes(tmp_path, max_depth=3)] == [shallow]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_a_folder_that_cannot_be_read_is_told_back(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    _process(locked / "p")
    locked.chmod(0)
    try:
        found = list(find_processes(tmp_path))
    finally:
        locked.chmod(0o755)
    assert [(f.path, type(f.problem)) for f in found] == [(locked, PermissionError)]
