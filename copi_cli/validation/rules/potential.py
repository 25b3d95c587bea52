"""The business case's own checks: a horizon stated and kept, and a business case per signatory.

The method calls the potential calculation "eventuel" (optional; phases 3 and 5), so these are
warnings, and a process without potentiale.yaml is not asked for one — except R036: a figure
that cannot be discounted at all makes every document that shows the calculation impossible.
"""

from __future__ import annotations

from collections.abc import Iterator

from copi_cli.diagnostics import Diagnostic, named
from copi_cli.messages import Said
from copi_cli.validation.rules.base import Context, rule


@rule
def business_case_horizon(ctx: Context) -> Iterator[Diagnostic]:
    """A business case states the years it covers (R030), and its figures lie in them (R034):
    a finance officer reads a net present value together with its horizon."""
    record = ctx.ws.single("potential")
    if record is None:
        return
    data = record.data
    owners = data.get("owners") or []
    base_year, years = data.get("base_year"), data.get("horizon_years")
    if not any(entry.get("effects") for entry in owners):
        return
    if base_year is None:  # no horizon, and no year to discount to: R036 says it
        return
    if years is None:
        yield ctx.diag(record, ("base_year",), "R030",
                       Said("finding.r030.no-horizon"), Said("finding.r030.hint"))
        return
    last = base_year + years - 1
    for index, entry, key, number, item in _figures(owners):
        if base_year <= item["year"] <= last:
            continue
        if item["year"] < base_year and (key == "effects" or item.get("spend_dkk")):
            continue  # before the base year and discounted: R036, an error
        yield ctx.diag(record, ("owners", index, key, number, "year"), "R034",
                       Said("finding.r034.outside", name=_name(ctx, entry), what=_what(key, item),
                            year=item["year"], base=base_year, last=last),
                       Said("finding.r034.hint"))


@rule
def business_case_can_be_discounted(ctx: Context) -> Iterator[Diagnostic]:
    """Every figure of a business case is discounted to the base year (R036, an error): with no
    base_year, or a figure before it, there is no net present value at all, and a document that
    shows it could not be made. Said here, at its line, so that validate and the gate say it
    rather than a render."""
    record = ctx.ws.single("potential")
    if record is None:
        return
    owners = record.data.get("owners") or []
    base_year = record.data.get("base_year")
    figures = list(_discounted(owners))
    if not figures:
        return
    if base_year is None:
        yield ctx.diag(record, (), "R036",
                       Said("finding.r036.no-base-year"), Said("finding.r036.no-base-year-hint"))
        return
    for index, entry, key, number, item in figures:
        if item["year"] < base_year:
            yield ctx.diag(record, ("owners", index, key, number, "year"), "R036",
                           Said("finding.r036.before", name=_name(ctx, entry),
                                what=_what(key, item), year=item["year"], base=base_year),
                           Said("finding.r036.before-hint", base=base_year, year=item["year"]))


@rule
def price_year_is_base_year(ctx: Context) -> Iterator[Diagnostic]:
    """Fixed prices and present values in one price level (R037): a finance officer expects
    the amounts in prices of the base year (or states which earlier year's prices they are in);
    copi does not index amounts from one price year to another, so a difference is flagged."""
    record = ctx.ws.single("potential")
    if record is None:
        return
    base_year, price_year = record.data.get("base_year"), record.data.get("price_year")
    if base_year is None or price_year is None or base_year == price_year:
        return
    if price_year > base_year:
        yield ctx.diag(record, ("price_year",), "R037",
                       Said("finding.r037.after", price=price_year, base=base_year),
                       Said("finding.r037.after-hint", base=base_year))
        return
    yield ctx.diag(record, ("price_year",), "R037",
                   Said("finding.r037.before", price=price_year, base=base_year),
                   Said("finding.r037.before-hint", base=base_year, price=price_year))


def _figures(owners: list) -> Iterator[tuple[int, dict, str, int, dict]]:
    """Every cost, benefit and planned purchase of the need owners with a business case."""
    for index, entry in enumerate(owners):
        if not entry.get("effects"):  # purchases only: the demand signal, no business case
            continue
        for key in ("effects", "purchases"):
            for number, item in enumerate(entry.get(key) or []):
                yield index, entry, key, number, item


def _discounted(owners: list) -> Iterator[tuple[int, dict, str, int, dict]]:
    """The figures the net present value discounts, as copi_cli.model.potential does: every
    cost and benefit of a need owner with a business case, and each of its planned purchases
    that states a spend. A need owner with purchases only is in the demand signal, never
    discounted."""
    for index, entry in enumerate(owners):
        if not entry.get("effects"):
            continue
        for number, item in enumerate(entry["effects"]):
            yield index, entry, "effects", number, item
        for number, item in enumerate(entry.get("purchases") or []):
            if item.get("spend_dkk") is not None:
                yield index, entry, "purchases", number, item


def _name(ctx: Context, entry: dict) -> str:
    org = ctx.ws.by_id("organisation").get(entry["owner"])
    return named(org.data, entry["owner"]) if org is not None else entry["owner"]


def _what(key: str, item: dict) -> str:
    if key == "purchases":
        return Said("finding.potential.purchase")
    return Said(KINDS[item["kind"]]) if item["kind"] in KINDS else f"a {item['kind']}"


KINDS = {"cost": "finding.potential.cost", "benefit": "finding.potential.benefit"}


@rule
def signatories_have_a_business_case(ctx: Context) -> Iterator[Diagnostic]:
    """A need owner that signs the declaration as a buyer and has no costs or benefits in
    potentiale.yaml leaves the joint net present value without it (R035)."""
    signatures, calculation = ctx.ws.single("signatures"), ctx.ws.single("potential")
    if signatures is None or calculation is None:
        return
    cases = {entry.get("owner") for entry in calculation.data.get("owners") or []
             if entry.get("effects")}
    organisations = ctx.ws.by_id("organisation")
    for index, entry in enumerate(signatures.data.get("signatures", [])):
        if entry.get("decision") != "signed" or entry.get("kind", "buyer") != "buyer" \
                or entry.get("organisation") in cases:
            continue
        org = organisations.get(entry.get("organisation"))
        if org is None or org.data.get("role") != "need-owner":  # R002 and R008 say it
            continue
        name = named(org.data, org.id or str(entry.get("organisation")))
        yield ctx.diag(signatures, ("signatures", index, "organisation"), "R035",
                       Said("finding.r035.no-case", name=name), Said("finding.r035.hint"))


@rule
def withdrawn_owners_are_not_counted(ctx: Context) -> Iterator[Diagnostic]:
    """A need owner that withdrew carries no demand (model.figures.counted): its planned
    purchases stay recorded in potentiale.yaml, but no figure counts them (R038), so the
    facilitator is told rather than left to wonder why the totals fell."""
    calculation = ctx.ws.single("potential")
    if calculation is None:
        return
    organisations = ctx.ws.by_id("organisation")
    for index, entry in enumerate(calculation.data.get("owners") or []):
        org = organisations.get(entry.get("owner"))
        if org is None or "withdrawn" not in org.data or not entry.get("purchases"):
            continue
        name = named(org.data, org.id or entry["owner"])
        yield ctx.diag(calculation, ("owners", index, "owner"), "R038",
                       Said("finding.r038.withdrawn", name=name, date=str(org.data["withdrawn"])),
                       Said("finding.r038.hint", path=org.path))
