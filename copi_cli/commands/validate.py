"""copi validate: check every file of a process against its schema and the domain rules."""

from __future__ import annotations

from pathlib import Path

import typer

from copi_cli.commands.options import DIR, process_root


def validate(
    directory: Path = DIR,
    output: str = typer.Option("text", "--format", "-f",
                               help="text (path:line:col: CODE message) or json."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Read every file again instead of trusting the cache."),
) -> None:
    """Validate the process: YAML, schemas and domain rules; every finding at once.

    Exit 0 when there are no errors (warnings allowed), 1 when there are.
    """
    from copi_cli.errors import UsageError
    from copi_cli.reporting import print_diagnostics
    from copi_cli.validation import validate as run_validation

    if output not in ("text", "json"):
        raise UsageError(f"unknown format '{output}'", hint="use --format text or --format json")
    root = process_root(directory)
    report = run_validation(root, use_cache=not no_cache)
    print_diagnostics(report, output)
    raise typer.Exit(1 if report.errors else 0)
