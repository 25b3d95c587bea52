"""The business case's own checks: a horizon stated and kept, and a business case per signatory.

The method calls the potential calculation "eventuel" (optional; phases 3 and 5), so these are
warnings, and a process without potentiale.yaml is not asked for one.
"""

from __future__ import annotations

from collections.abc import Iterator

from copi_cli.diagnostics import Diagnostic
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
    if base_year is None:  # the horizon starts at base_year: without it, there is none
        yield ctx.diag(record, (), "R030",
                       "the business case states no base year, so it has no horizon",
                       "add base_year (the year the present values are given in) and "
                       "horizon_years (how many years the costs and benefits cover, e.g. 10)")
        return
    if years is None:
        yield ctx.diag(record, ("base_year",), "R030",
                       "the business case states no horizon",
                       "add horizon_years: how many years the costs and benefits cover, "
                       "from base_year (e.g. 10)")
        return
    last = base_year + years - 1
    organisations = ctx.ws.by_id("organisation")
    for index, entry in enumerate(owners):
        if not entry.get("effects"):  # purchases only: the demand signal, no business case
            continue
        for key in ("effects", "purchases"):
            for number, item in enumerate(entry.get(key) or []):
                if not base_year <= item["year"] <= last:
                    org = organisations.get(entry["owner"])
                    name = org.data["name"] if org is not None else entry["owner"]
                    what = "a planned purchase" if key == "purchases" else \
                        f"a {item['kind']}"
                    yield ctx.diag(record, ("owners", index, key, number, "year"), "R034",
                                   f"{name} has {what} in {item['year']}, outside the "
                                   f"horizon {base_year}–{last}",
                                   "move the figure into the horizon or change horizon_years")


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
        name = org.data["name"]
        yield ctx.diag(signatures, ("signatures", index, "organisation"), "R035",
                       f"{name} signed the declaration but has no business case in "
                       "potentiale.yaml",
                       "record its costs and benefits with copi potential effect; until then "
                       "the joint net present value leaves it out")
