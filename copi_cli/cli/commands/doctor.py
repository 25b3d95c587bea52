"""copi doctor: check what copi needs, and the process's set-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import AS_JSON, DIR


def doctor(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """What copi needs (git, pandoc, typst) and the process's set-up, each with its fix."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.setup.doctor import examine

    if directory is not None and not directory.is_dir():
        raise UsageError(Said("cli.doctor.no-directory", directory=str(directory)),
                         hint=Said("cli.doctor.no-directory-hint"))
    findings = examine(directory or Path.cwd())
    reporter_for("json" if as_json else "text").doctor(findings)
    raise typer.Exit(1 if any(not f.ok and f.needed for f in findings) else 0)
