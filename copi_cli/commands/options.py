"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

from pathlib import Path

import typer

DIR = typer.Option(
    None, "--dir", "-d", help="The process directory (default: the nearest one at or above "
    "the current directory).", file_okay=False,
)


NO_COMMIT = typer.Option(
    False, "--no-commit", help="Write the change but make no git commit (commit it yourself; "
    "copi audit reports it until then).",
)


def process_root(directory: Path | None) -> Path:
    from copi_cli.workspace import find_root

    return find_root(directory if directory is not None else Path.cwd())
