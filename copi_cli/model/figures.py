"""The figures a declaration of intent states about its parties, each saying what it covers.

Why: a declaration is read by mayors, suppliers and the press, and its figures must hold up
there. They count the parties that signed and no one else (an owner who declined, or has not
signed yet, is not in them), count no citizen twice (a region's citizens include those of its
own municipalities), and a total over some of the parties says over how many.

Design:
1. The parties: the need owners that signed as buyers (accessions included: they are
   signatures too). Before anyone has signed (a draft of the declaration), the need owners
   expected to sign: every need owner that has not declined.
2. Citizens: only municipalities and regions have citizens of their own (a state company
   is no missing figure). A region that signs beside municipalities lying in it — by the
   reference list (data/dk_public_bodies.csv), whatever a record's own region_code says — is
   stated on its own, with the municipalities of it that sign; the other municipalities' and
   regions' citizens are summed, saying for how many of them the figure is recorded. copi
   status and every document that prints citizens take them from here.
3. Planned purchases: only need owners that have not withdrawn carry demand (`counted`): a
   withdrawn owner's purchases and business case stay recorded in potentiale.yaml, and
   validate says so (R036), but no figure — document, status, copi potential — counts them.
   Then the demand signal (copi_cli.model.potential) of the parties alone, with
   how many of them plan purchases and how many of those state the spend and the units.
4. The net present value: the parties' business cases summed, and only when every party has
   one (practice notes: a joint figure only when every owner it speaks for has a business
   case) and the process chose to show it (settings.declaration_net_present_value).
Figures are JSON-ready: counts as int, amounts as exact strings, as potential.as_json gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from copi_cli.model import potential
from copi_cli.model.identifiers import find_public_body, public_bodies


def counted(calculation: Mapping[str, Any],
            organisations: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """potentiale.yaml's data without the entries of need owners that withdrew (see the
    module's design): what every demand figure and net present value is computed from.
    organisations are organisation records' data, with id."""
    gone = {str(o.get("id")) for o in organisations if "withdrawn" in o}
    return {**calculation, "owners": [entry for entry in calculation.get("owners") or []
                                      if str(entry.get("owner")) not in gone]}


def parties(need_owners: Iterable[Mapping[str, Any]], signed: Iterable[Mapping[str, Any]],
            declined: Iterable[str]) -> tuple[list[Mapping[str, Any]], str, int]:
    """(the parties the figures count, "signed" or "expected", need owners still expected to
    sign once some have signed). need_owners are organisation records (with id); signed are
    signature entries (organisation, kind)."""
    owners = {str(o.get("id")): o for o in need_owners}
    signing = [str(s.get("organisation")) for s in signed
               if s.get("kind", "buyer") == "buyer" and s.get("organisation") in owners]
    refused = set(declined)
    if signing:
        chosen = list(dict.fromkeys(signing))
        pending = [i for i in owners if i not in chosen and i not in refused]
        return [owners[i] for i in chosen], "signed", len(pending)
    return [o for i, o in owners.items() if i not in refused], "expected", 0


def _region_of(party: Mapping[str, Any]) -> str | None:
    """The region code a municipality lies in, or a region's own code."""
    bodies = public_bodies()
    if party.get("type") == "municipality":
        body = bodies.get(str(party.get("municipality_code")))
        if body is not None and body.type == "municipality":
            return body.region_code
        return str(party["region_code"]) if party.get("region_code") else None
    if party.get("type") == "region":
        if party.get("region_code"):
            return str(party["region_code"])
        found = find_public_body(str(party.get("name", "")))
        return found.code if found is not None and found.type == "region" else None
    return None


def _citizens(party: Mapping[str, Any]) -> int | None:
    value = party.get("citizens")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# The kinds of organisation that have citizens of their own: the people living there. A
# utility, a port or a state company serves citizens who already live in a municipality, so
# a figure recorded for one is in no count (it would count them twice), and a party of such
# a kind is no missing figure either.
HAVE_CITIZENS = ("municipality", "region")


def citizens(chosen: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The citizens these organisations cover, none counted twice (see the module's design):
    the municipalities and regions counted together (`citizens`, over `parties`, recorded for
    `recorded`, named in `recorded_names` and, those without a figure, `missing_names`;
    `municipalities` of them are municipalities, `name` when there is one), the
    regions beside their own municipalities each on its own (`regions`: `name`, `citizens`,
    `municipalities`, `names`), and how many parties are of a kind without citizens
    (`without`). The one place status, the declaration and every document get them from."""
    chosen = list(chosen)
    counted = [party for party in chosen if party.get("type") in HAVE_CITIZENS]
    municipalities_in: dict[str, list[Any]] = {}
    for party in counted:
        region = _region_of(party)
        if party.get("type") == "municipality" and region:
            municipalities_in.setdefault(region, []).append(party.get("name"))
    regions, together = [], []
    for party in counted:
        code = _region_of(party) if party.get("type") == "region" else None
        if code and municipalities_in.get(code):
            regions.append({"name": party.get("name"), "citizens": _citizens(party),
                            "municipalities": len(municipalities_in[code]),
                            "names": municipalities_in[code]})
        else:
            together.append(party)
    known = [n for n in (_citizens(p) for p in together) if n is not None]
    return {
        "citizens": sum(known) if known else None,
        "parties": len(together),
        "recorded": len(known),
        # by name, so a sum over some of them says which it leaves out, not just how many
        "recorded_names": [p.get("name") for p in together if _citizens(p) is not None],
        "missing_names": [p.get("name") for p in together if _citizens(p) is None],
        "municipalities": len([p for p in together if p.get("type") == "municipality"]),
        "name": together[0].get("name") if len(together) == 1 else None,
        "regions": regions,
        "without": len(chosen) - len(counted),
    }


def declaration(chosen: list[Mapping[str, Any]], basis: str, pending: int,
                calculation: Mapping[str, Any] | None, as_of: date,
                net_present_value: bool) -> dict[str, Any]:
    """Every figure of the declaration's preamble for these parties (see the module's
    design). calculation is potentiale.yaml's data as the audience may see it, or None."""
    ids = {str(p.get("id")) for p in chosen}
    figures: dict[str, Any] = {"basis": basis, "parties": len(chosen), "pending": pending,
                               "names": [p.get("name") for p in chosen],
                               "citizens": citizens(chosen), "purchases": None, "npv": None,
                               "business_cases": 0}
    if calculation is None:
        return figures
    entries = [e for e in calculation.get("owners") or [] if e.get("owner") in ids]
    calc = potential.calculate({**calculation, "owners": entries}, as_of)
    shown = potential.as_json(calc)
    demand = shown["demand"]["total"]
    if demand["owners"]:
        years = [row["year"] for row in shown["demand"]["years"]]
        figures["purchases"] = {**demand, "parties": len(chosen),
                                "first_year": years[0], "last_year": years[-1],
                                "price_year": calc.price_year}
    cases = {values.owner for values in calc.owners if values.effects}
    figures["business_cases"] = len(cases & ids)
    if net_present_value and chosen and ids <= cases:
        figures["npv"] = {**shown["total"], "base_year": calc.base_year,
                          "price_year": calc.price_year}
    return figures
