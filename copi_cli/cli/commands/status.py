"""copi status: where the process stands and what each role should do next."""

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, process_root


def status(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Show the phases, the current phase's results, the need owners and the scale."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.validation.pipeline import validate
    from copi_cli.validation.status import build_status

    report = validate(process_root(directory), want_workspace=True)
    reporter_for("json" if as_json else "text").status(build_status(report))
