"""Recording the figures of the potential calculation: planned purchases and effects.

Figures are written as the need owners give them (copi_cli.model.potential calculates from
them): amounts as YAML numbers that read back exactly, a three-point estimate as low ≤
expected ≤ high, each year from the base year on (the discount rate has a band for every later
year).
"""

from __future__ import annotations

from decimal import Decimal

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said
from copi_cli.model import organisations
from copi_cli.trail.change import Change

POTENTIAL_FILE = "potentiale.yaml"


def yaml_number(value: Decimal, option: str) -> int | float:
    """A figure as YAML writes it: whole numbers as integers, others as decimals that read back
    exactly."""
    if value < 0:
        raise UsageError(Said("potential.negative", option=option, value=value),
                        hint=Said("potential.negative-hint"))
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        raise UserError(Said("potential.too-precise", option=option, value=value),
                        hint=Said("potential.too-precise-hint"))
    return as_float


def estimate(expected: Decimal, low: Decimal | None, high: Decimal | None,
             option: str) -> dict[str, int | float]:
    """low/expected/high as recorded; low ≤ expected ≤ high."""
    if (low is not None and low > expected) or (high is not None and high < expected):
        raise UsageError(Said("potential.order", option=option), hint=Said("potential.order-hint"))
    figures: dict[str, int | float] = {}
    if low is not None:
        figures["low"] = yaml_number(low, f"{option} low")
    figures["expected"] = yaml_number(expected, option)
    if high is not None:
        figures["high"] = yaml_number(high, f"{option} high")
    return figures


def record(change: Change, owner: str, key: str, entry: dict) -> str:
    """Append a purchase (key 'purchases') or an effect ('effects') to a need owner's figures in
    potentiale.yaml; the calculation is marked started and given a base year."""
    organisation = organisations.find(change.ws, owner)
    if organisation.data.get("role") != "need-owner":
        raise UserError(Said("potential.not-need-owner", name=organisation.data["name"],
                             role=organisation.data.get("role")),
                        hint=Said("potential.owners-hint"))
    existing = change.ws.single("potential")
    data = existing.data if existing else {}
    if not existing and change.exists(POTENTIAL_FILE):
        raise UserError(Said("potential.unreadable", file=POTENTIAL_FILE),
                        hint=Said("process.run-validate"))
    if not change.exists(POTENTIAL_FILE):
        change.create(POTENTIAL_FILE, {"status": "started", "base_year": change.today.year,
                                       "owners": []})
        data = {"status": "started", "owners": []}
    if organisation.data.get("withdrawn"):
        raise UserError(Said("potential.withdrawn", name=organisation.data["name"],
                             date=organisation.data["withdrawn"]),
                        hint=Said("potential.owners-hint"))
    base_year = int(data.get("base_year") or change.today.year)
    if int(entry["year"]) < base_year:
        raise UsageError(Said("potential.year-before-base", year=entry["year"],
                              base_year=base_year),
                         hint=Said("potential.year-before-base-hint", file=POTENTIAL_FILE))
    owners = list(data.get("owners", []))
    index = next((i for i, o in enumerate(owners) if o.get("owner") == organisation.id), None)
    with change.edit(POTENTIAL_FILE) as editor:
        if data.get("status", "not-started") == "not-started":
            editor.set(("status",), "started")
        if "base_year" not in data and existing:
            editor.set(("base_year",), change.today.year)
        if index is None:
            editor.append(("owners",), {"owner": organisation.id, key: [entry]})
        else:
            editor.append(("owners", index, key), entry)
    return str(organisation.data["name"])
