"""copi schema export: copi's JSON schemas, for editors and other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import group

app = group()


@app.command("export")
def export(
    target: Annotated[Path | None, typer.Argument(metavar="[DIR]", file_okay=False)] = None,
    directory: Annotated[Path | None, typer.Option("--dir", "-d", file_okay=False)] = None,
) -> None:
    """The schemas beside the process, so editors explain its fields offline."""
    from copi_cli.cli.commands.options import process_root
    from copi_cli.validation.editor import SCHEMA_DIR, schema_files
    from copi_cli.validation.editor import export as write_schemas

    root = None  # a folder the user names is theirs; inside the process no link is followed
    folder = target
    if folder is None:
        root = process_root(directory)
        folder = root / SCHEMA_DIR
    from copi_cli.cli.reporters import reporter_for

    reporter_for().schemas_written(write_schemas(folder, root), len(schema_files()), folder)
