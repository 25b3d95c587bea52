"""copi validate: check every file of a process against its schema and the domain rules."""

from __future__ import annotations

from pathlib import Path

import typer

from copi_cli.commands.options import DIR, process_root


def validate(
    files: list[Path] = typer.Argument(
        None, metavar="[FILES]...", help="Validate the processes these files belong to (as a "
        "pre-commit hook passes them); files outside any process are skipped."),
    directory: Path = DIR,
    output: str = typer.Option("text", "--format", "-f",
                               help="text (path:line:col: CODE message), json, github "
                                    "(annotations on a pull request), junit (XML) or sarif "
                                    "(code scanning)."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Read every file again instead of trusting the cache."),
    as_json: bool = typer.Option(False, "--json", help="The same as --format json."),
) -> None:
    """Validate the process: YAML, schemas and domain rules; every finding at once.

    Exit 0 when there are no errors (warnings allowed), 1 when there are.
    """
    from copi_cli.errors import UsageError
    from copi_cli.formats import FORMATS
    from copi_cli.reporting import print_diagnostics
    from copi_cli.validation import validate as run_validation

    if as_json:
        output = "json"
    if output not in FORMATS:
        raise UsageError(f"unknown format '{output}'", hint="use one of: " + ", ".join(FORMATS))
    roots = _roots_of(files) if files else [process_root(directory)]
    failed = False
    for root in roots:
        report = run_validation(root, use_cache=not no_cache)
        print_diagnostics(report, output)
        failed = failed or bool(report.errors)
    raise typer.Exit(1 if failed else 0)


def _roots_of(files: list[Path]) -> list[Path]:
    """Each process the files lie in, once, in order."""
    from copi_cli.errors import NotAProcessError
    from copi_cli.workspace import find_root

    roots: list[Path] = []
    for file in files:
        try:
            root = find_root(file.parent if file.suffix else file)
        except NotAProcessError:
            continue
        if root not in roots:
            roots.append(root)
    return roots
