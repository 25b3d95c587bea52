"""Finding the processes under a folder: every directory holding copi.yaml, found lazily.

Design: a depth-first walk with os.scandir, one folder at a time, sorted by name so the
order is the paths' own on every machine. A process directory is not entered (processes do not
nest: `copi init` refuses one inside another). A link is never followed, to a folder or to a
copi.yaml, so a folder cannot lead the walk out of the place it was given; hidden folders
(`.git`, `.venv`), the layout's ignored folders and the usual vendored trees are passed by;
the depth is bounded, so a deep tree costs what its first levels do. Folders that cannot be
read are told back rather than passed over in silence.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from copi_cli.model.workspace import PROCESS_FILE, load_layout

MAX_DEPTH = 6  # folders below the one given: a portfolio is a few levels of folders at most
# trees that hold other people's files, never a process of the user's
VENDORED = frozenset({"node_modules", "venv", "__pycache__", "site-packages", "vendor",
                      "_site", "dist", "target"})


class Found(NamedTuple):
    """A process directory (problem None), or a folder under which the walk could not look."""

    path: Path
    problem: OSError | None = None


def is_process(path: Path) -> bool:
    """Whether path is a process directory: copi.yaml in it, as a file and not a link."""
    try:
        return (path / PROCESS_FILE).is_file() and not (path / PROCESS_FILE).is_symlink()
    except OSError:
        return False


def find_processes(top: Path, max_depth: int = MAX_DEPTH) -> Iterator[Found]:
    """The process directories at or under top, in name order, one at a time."""
    if is_process(top):
        yield Found(top)
        return
    skipped = load_layout().ignored_dirs | VENDORED
    pending = [(top, 0)]  # a stack: depth first, so the order is the paths' own
    while pending:
        folder, depth = pending.pop()
        if depth < 0:
            yield Found(folder)
            continue
        try:
            with os.scandir(folder) as entries:
                names = sorted((entry.name for entry in entries
                                if entry.is_dir(follow_symlinks=False)
                                and not entry.name.startswith(".")
                                and entry.name not in skipped), reverse=True)
        except OSError as problem:
            yield Found(folder, problem)
            continue
        for name in names:
            path = folder / name
            if is_process(path):
                pending.append((path, -1))  # yielded in its turn, never entered
            elif depth + 1 < max_depth:
                pending.append((path, depth + 1))
