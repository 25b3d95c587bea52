"""copi log: the audit trail of the process, read back from git."""

from pathlib import Path

import typer

from copi_cli.cli.commands.options import DIR, process_root


def log(
    directory: Path = DIR,
    as_json: bool = typer.Option(False, "--json", help="Print the trail as JSON."),
) -> None:
    """Every change of the process: date, author, action, phases, reason, forced, files."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.trail import gitrepo
    from copi_cli.trail.audit import read_trail

    root = process_root(directory)
    reporter_for("json" if as_json else "text").trail(read_trail(gitrepo.require_repo(root), root))
