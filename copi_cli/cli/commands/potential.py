"""copi potential: the potential calculation — show it, record planned purchases and effects."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, group
from copi_cli.cli.commands.recorder import change_of, finish

app = group(invoke_without_command=True, no_args_is_help=False)


def amount(value: str | None) -> Decimal | None:
    """An amount as typed: 2400000, 2.400.000 or 2,400,000 (thousands), 1234,50 (øre)."""
    from copi_cli.messages import Said

    if value is None:
        return None
    text = value.replace(" ", "").replace("_", "")
    if "," in text and "." in text:  # 1.234.567,50 or 1,234,567.50
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") \
            else text.replace(",", "")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    elif text.count(",") > 1 or (text.count(",") == 1 and len(text.split(",")[1]) == 3):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(Said("usage.not-an-amount", value=value)) from None
    if not number.is_finite():
        raise typer.BadParameter(Said("usage.not-an-amount", value=value))
    return number


def _amount_option(*names: str, metavar: str = "DKK") -> typer.models.OptionInfo:
    return typer.Option(*names, parser=amount, metavar=metavar)


@app.callback()
def show(
    ctx: typer.Context,
    directory: Annotated[Path | None, DIR] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show the aggregated demand signal and the net present value (low/expected/high)."""
    if ctx.invoked_subcommand is not None:
        return
    import datetime as dt

    from copi_cli.cli.commands.options import real_date, valid_report
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.model import figures
    from copi_cli.model.potential import calculate

    day = dt.date.fromisoformat(real_date(as_of)) if as_of else dt.date.today()
    report = valid_report(directory)  # an impossible calculation (R036): its finding, located
    assert report.workspace is not None
    ws = report.workspace
    names = {r.id: r.data["name"] for r in ws.all("organisation")}
    need_owners = len([r for r in ws.all("organisation") if r.data.get("role") == "need-owner"
                       and "withdrawn" not in r.data])  # as the documents count them
    counted = figures.counted(ws.single_data("potential"),  # without withdrawn owners
                              (r.data for r in ws.all("organisation")))
    reporter_for("json" if as_json else "text").potential(
        calculate(counted, day), names, need_owners)


@app.command("purchase")
def purchase(
    owner: Annotated[str, typer.Argument()],
    year: Annotated[int, typer.Option("--year", min=2000, max=2200)],
    spend: Annotated[Decimal | None, _amount_option("--spend")] = None,
    low: Annotated[Decimal | None, _amount_option("--low")] = None,
    high: Annotated[Decimal | None, _amount_option("--high")] = None,
    units: Annotated[Decimal | None, _amount_option("--units", metavar="N")] = None,
    sites: Annotated[int | None, typer.Option("--sites", min=0)] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record a need owner's planned purchase (volume and timing) in potentiale.yaml."""
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.recording.potential import estimate, record, yaml_number

    if spend is None and units is None and sites is None:
        raise UsageError(Said("cli.potential.purchase-empty"))
    entry: dict = {"year": year}
    if description:
        entry["description"] = description
    if units is not None:
        entry["units"] = yaml_number(units, "--units")
    if sites is not None:
        entry["sites"] = sites
    if spend is not None:
        entry["spend_dkk"] = estimate(spend, low, high, "--spend")
    with change_of(directory, no_commit) as change:
        name = record(change, owner, "purchases", entry)
        finish(change, "potential-purchase", "potential.purchase", year=year, name=name)


@app.command("effect")
def effect(
    owner: Annotated[str, typer.Argument()],
    year: Annotated[int, typer.Option("--year", min=2000, max=2200)],
    kind: Annotated[str, typer.Option("--kind")],
    amount_: Annotated[Decimal | None, _amount_option("--amount")] = None,
    low: Annotated[Decimal | None, _amount_option("--low")] = None,
    high: Annotated[Decimal | None, _amount_option("--high")] = None,
    investment: Annotated[bool, typer.Option("--investment")] = False,
    description: Annotated[str | None, typer.Option("--description")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Record a cost or a benefit of a need owner's business case in potentiale.yaml."""
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.recording.potential import estimate, record

    if kind not in ("cost", "benefit"):
        raise UsageError(Said("cli.potential.kind", kind=kind))
    if amount_ is None:
        raise UsageError(Said("cli.potential.no-amount"))
    if investment and kind != "cost":
        raise UsageError(Said("cli.potential.investment"))
    entry: dict = {"year": year, "kind": kind}
    if investment:
        entry["investment"] = True
    if description:
        entry["description"] = description
    entry["amount_dkk"] = estimate(amount_, low, high, "--amount")
    with change_of(directory, no_commit) as change:
        name = record(change, owner, "effects", entry)
        finish(change, "potential-effect", "potential.cost" if kind == "cost"
               else "potential.benefit", year=year, name=name)
