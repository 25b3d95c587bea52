"""The declaration's figures: only its parties, no citizen counted twice, partial sums say so."""

from __future__ import annotations

from datetime import date

from copi_cli.model import figures

NOW = date(2026, 12, 1)


def owner(id: str, type: str = "municipality", citizens: int | None = None,
          **codes: str) -> dict:
    found = {"id": id, "name": id.replace("-", " ").title(), "type": type, **codes}
    if citizens is not None:
        found["citizens"] = citizens
    return found


AARHUS = owner("aarhus-kommune", citizens=367_095, municipality_code="751")
# Horsens's record gives no region: the reference list knows it lies in Region Midtjylland
HORSENS = owner("horsens-kommune", citizens=97_512, municipality_code="615")
ODENSE = owner("odense-kommune", citizens=205_000, municipality_code="461")
MIDT = owner("region-midtjylland", "region", 1_340_000, region_code="1082")
HOVEDSTADEN = owner("region-hovedstaden", "region", 1_870_000, region_code="1084")
HAVN = owner("aarhus-havn", "port")


def signature(organisation: str, decision: str = "signed", kind: str = "buyer") -> dict:
    return {"organisation": organisation, "decision": decision, "kind": kind}


def test_only_buyers_that_signed_are_parties_once_anyone_has_signed() -> None:
    owners = [AARHUS, HORSENS, ODENSE, MIDT]
    signed = [signature("aarhus-kommune"), signature("region-midtjylland"),
              signature("welfare-tech", kind="support")]
    chosen, basis, pending = figures.parties(owners, signed, {"odense-kommune"})
    # Horsens has neither signed nor declined: expected later, not counted until it signs
    assert [p["id"] for p in chosen] == ["aarhus-kommune", "region-midtjylland"]
    assert (basis, pending) == ("signed", 1)


def test_before_the_signing_the_figures_cover_the_owners_expected_to_sign() -> None:
    chosen, basis, pending = figures.parties([AARHUS, HORSENS, ODENSE], [], {"odense-kommune"})
    assert [p["id"] for p in chosen] == ["aarhus-kommune", "horsens-kommune"]
    assert (basis, pending) == ("expected", 0)


def test_a_region_beside_its_own_municipalities_is_stated_apart() -> None:
    found = figures.citizens([AARHUS, HORSENS, MIDT])
    assert found["citizens"] == 367_095 + 97_512  # the region's 1,340,000 are not added on top
    assert (found["parties"], found["recorded"], found["municipalities"]) == (2, 2, 2)
    assert found["regions"] == [{"name": "Region Midtjylland", "citizens": 1_340_000,
                                 "municipalities": 2,
                                 "names": ["Aarhus Kommune", "Horsens Kommune"]}]


def test_a_region_without_its_municipalities_is_summed_with_the_rest() -> None:
    found = figures.citizens([ODENSE, HOVEDSTADEN, MIDT, HAVN])
    # no municipality of either region signs: nobody is counted twice by adding them up
    assert found["regions"] == []
    assert found["citizens"] == 205_000 + 1_870_000 + 1_340_000
    # the port has no citizens of its own: no party of the count, and no missing figure
    assert (found["parties"], found["recorded"], found["municipalities"]) == (3, 3, 1)
    assert found["without"] == 1


KOEBENHAVN = owner("koebenhavns-kommune", citizens=660_000, municipality_code="101")
FREDERIKSBERG = owner("frederiksberg-kommune", citizens=105_000, municipality_code="147")
AALBORG = owner("aalborg-kommune", citizens=222_000, municipality_code="851")
HOVEDSTADEN_2 = owner("region-hovedstaden", "region", 1_900_000)  # no code: found by name
METRO = owner("metroselskabet", "state-company")


def test_a_state_company_is_no_missing_figure() -> None:
    found = figures.citizens([KOEBENHAVN, FREDERIKSBERG, METRO, AALBORG, HOVEDSTADEN_2])
    # 660,000 + 105,000 + 222,000, over the 3 municipalities: whole, not "3 of 4"
    assert (found["citizens"], found["parties"], found["recorded"]) == (987_000, 3, 3)
    assert (found["municipalities"], found["without"]) == (3, 1)
    # a figure recorded for a kind without citizens of its own is in no count either
    assert figures.citizens([{**METRO, "citizens": 1_000_000}, AALBORG])["citizens"] == 222_000


def calculation() -> dict:
    def spend(low: int, expected: int, high: int) -> dict:
        return {"low": low, "expected": expected, "high": high}
    return {"status": "started", "base_year": 2026, "owners": [
        {"owner": "aarhus-kommune",
         "purchases": [{"year": 2028, "units": 1500, "spend_dkk": spend(1, 3_000_000, 4)}],
         "effects": [{"year": 2026, "kind": "benefit", "amount_dkk": {"expected": 100}}]},
        {"owner": "horsens-kommune",
         "effects": [{"year": 2026, "kind": "cost", "amount_dkk": {"expected": 40}}]},
        {"owner": "region-midtjylland",
         "purchases": [{"year": 2029, "spend_dkk": spend(2, 1_200_000, 3)}]},
        {"owner": "odense-kommune",  # declined: its purchase is in no figure
         "purchases": [{"year": 2030, "units": 9, "spend_dkk": spend(5, 5_000_000, 6)}],
         "effects": [{"year": 2026, "kind": "benefit", "amount_dkk": {"expected": 1000}}]},
    ]}


def test_purchases_count_the_parties_that_plan_them_and_what_they_state() -> None:
    shown = figures.declaration([AARHUS, HORSENS, MIDT], "signed", 0, calculation(), NOW,
                                net_present_value=True)
    purchases = shown["purchases"]
    assert (purchases["owners"], purchases["parties"]) == (2, 3)  # Horsens plans none
    assert purchases["spend_dkk"] == {"low": "3", "expected": "4200000", "high": "7"}
    assert (purchases["spend_owners"], purchases["units"], purchases["units_owners"]) == (
        2, "1500", 1)
    assert (purchases["first_year"], purchases["last_year"]) == (2028, 2029)
    # the region has no business case: no joint net present value, even when asked for
    assert shown["npv"] is None and shown["business_cases"] == 2


def test_the_net_present_value_needs_every_party_and_the_setting() -> None:
    parties = [AARHUS, HORSENS]
    asked = figures.declaration(parties, "signed", 0, calculation(), NOW, True)
    # 100 - 40 in the base year, less Aarhus's planned purchase, a cost of its business case:
    # 3,000,000 in 2028 = 3,000,000 / 1.035^2 = 3,000,000 / 1.071225 = 2,800,532.10
    # 60 - 2,800,532.10 = -2,800,472.10
    assert asked["npv"]["npv_dkk"]["expected"] == "-2800472"
    assert (asked["npv"]["base_year"], asked["npv"]["price_year"]) == (2026, 2026)
    assert figures.declaration(parties, "signed", 0, calculation(), NOW, False)["npv"] is None


def test_a_withdrawn_owners_entries_are_not_counted() -> None:
    """Its purchases and business case stay in potentiale.yaml, but no figure counts them."""
    calculation = {"base_year": 2026, "owners": [
        {"owner": "aarhus-kommune", "purchases": [{"year": 2028, "units": 10}]},
        {"owner": "horsens-kommune", "purchases": [{"year": 2028, "units": 5}]}]}
    gone = {**HORSENS, "withdrawn": "2026-11-15"}
    counted = figures.counted(calculation, [AARHUS, gone])
    assert [e["owner"] for e in counted["owners"]] == ["aarhus-kommune"]
    assert counted["base_year"] == 2026 and len(calculation["owners"]) == 2  # a copy


def test_a_sum_over_some_names_those_left_out() -> None:
    found = figures.citizens([AARHUS, owner("viborg-kommune", municipality_code="791"), HORSENS])
    assert (found["citizens"], found["parties"], found["recorded"]) == (367_095 + 97_512, 3, 2)
    assert found["recorded_names"] == ["Aarhus Kommune", "Horsens Kommune"]
    assert found["missing_names"] == ["Viborg Kommune"]
