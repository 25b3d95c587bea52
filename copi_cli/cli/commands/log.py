"""copi log: the audit trail of the process, read back from git."""

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, process_root


def log(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Every change of the process: date, author, action, phases, reason, forced, files."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.trail import gitrepo
    from copi_cli.trail.audit import read_trail

    root = process_root(directory)
    reporter_for("json" if as_json else "text").trail(read_trail(gitrepo.require_repo(root), root))
