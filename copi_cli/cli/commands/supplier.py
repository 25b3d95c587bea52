"""copi supplier: suppliers in the market dialogue, and the prior-involvement register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import AS_JSON, DIR, NO_COMMIT_RECORD, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today, workspace_of

app = group()


@app.command("add")
def add(
    name: Annotated[str, typer.Argument()],
    products: Annotated[list[str], typer.Option(
        "--product",
        default_factory=list, show_default=False)],
    cvr: Annotated[str | None, typer.Option("--cvr")] = None,
    website: Annotated[str | None, typer.Option("--website")] = None,
    record_id: Annotated[str | None, typer.Option("--id")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add a supplier: leverandoerer/<id>.yaml."""
    from copi_cli.recording.market import add_supplier

    with change_of(directory, no_commit) as change:
        add_supplier(change, name, cvr, website, record_id, products)
        finish(change, "supplier-add", "supplier.added", name=name)


@app.command("involve")
def involve(
    supplier: Annotated[str, typer.Argument()],
    description: Annotated[str, typer.Option("--description")],
    date: Annotated[str | None, date_option()] = None,
    shared: Annotated[bool, typer.Option("--shared")] = False,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Register a supplier's prior involvement in preparing a later procurement."""
    from copi_cli.recording.market import involve as register

    with change_of(directory, no_commit) as change:
        record = register(change, supplier, date or today(), description, shared)
        name = record.data["name"]
        finish(change, "supplier-involve", "supplier.involved", name=name)


@app.command("list")
def list_(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """List the suppliers: name, CVR, prior involvement."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import record_rows

    ws = workspace_of(directory)
    reporter_for("json" if as_json else "text").records(
        "supplier", record_rows(ws, "supplier"))
