"""The potential calculation: figures checked against arithmetic written out by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, localcontext

import pytest
import yaml

from copi_cli.errors import UserError
from copi_cli.model.potential import (
    ThreePoint,
    as_json,
    calculate,
    discount_factor,
    kroner,
    rate_profile,
)

from conftest import EXAMPLE

NOW = date(2026, 1, 1)


def effect(year: int, kind: str, expected: object, low: object = None, high: object = None,
           investment: bool = False) -> dict:
    amount = {"expected": expected}
    if low is not None:
        amount["low"] = low
    if high is not None:
        amount["high"] = high
    return {"year": year, "kind": kind, "investment": investment, "amount_dkk": amount}


def hand_case() -> dict:
    """Owner A pays 1,000,000 in the base year and gains 500,000 in each of the next two years;
    owner B gains 1,000,000 in year 36, the first year of the second rate band."""
    return {"status": "started", "base_year": 2026, "owners": [
        {"owner": "a", "effects": [effect(2026, "cost", 1_000_000, investment=True),
                                   effect(2027, "benefit", 500_000),
                                   effect(2028, "benefit", 500_000)]},
        {"owner": "b", "effects": [effect(2062, "benefit", 1_000_000)]},
    ]}


def test_hand_computed_net_present_value() -> None:
    calc = calculate(hand_case(), NOW)
    a, b = calc.owners
    with localcontext(prec=34):
        # Owner A: -1,000,000 (t=0, not discounted) + 500,000/1.035 + 500,000/1.035^2
        #   = -1,000,000 + 483,091.79 + 466,755.35 = -50,152.86
        npv_a = (-Decimal(1_000_000) + Decimal(500_000) / Decimal("1.035")
                 + Decimal(500_000) / (Decimal("1.035") * Decimal("1.035")))
        # Owner B: 2062 - 2026 = 36: years 1-35 at 3.5 %, year 36 at 2.5 %
        #   1,000,000 / (1.035^35 * 1.025) = 1,000,000 / (3.33359 * 1.025) = 292,660.35
        npv_b = Decimal(1_000_000) / (Decimal("1.035") ** 35 * Decimal("1.025"))
    tolerance = Decimal("1e-20")
    assert abs(a.npv.expected - npv_a) < tolerance
    assert abs(b.npv.expected - npv_b) < tolerance
    assert abs(calc.total.npv.expected - (npv_a + npv_b)) < tolerance
    # Rounded to whole kroner (computed once with Python's decimal at 34 digits):
    assert kroner(a.npv.expected) == Decimal("-50153")
    assert kroner(b.npv.expected) == Decimal("292660")
    assert kroner(calc.total.npv.expected) == Decimal("242507")
    # The investment stays visible: all of A's cost is investment, in the base year.
    assert a.investment.expected == Decimal(1_000_000) and a.operating.expected == 0
    assert a.costs == ThreePoint(Decimal(1_000_000), Decimal(1_000_000), Decimal(1_000_000))
    assert calc.base_year == 2026 and calc.profile.valid_from == date(2021, 1, 7)
    out = as_json(calc)
    json.dumps(out)
    assert out["total"]["npv_dkk"]["expected"] == "242507"
    assert out["owners"][0]["investment_dkk"] == {"low": "1000000", "expected": "1000000",
                                                  "high": "1000000"}


def purchases_past_70_case() -> dict:
    """Owner A invests 200,000 in the base year 2026, plans to buy for 1,000,000 (low 800,000,
    high 1,300,000) in 2027 and something unpriced in 2028, and gains 10,000,000 (low 6,000,000,
    high 12,000,000) in 2098, year 72; owner B only plans a purchase: no business case."""
    return {"status": "started", "base_year": 2026, "price_year": 2026, "horizon_years": 73,
            "owners": [
                {"owner": "a",
                 "purchases": [{"year": 2027, "spend_dkk": {"low": 800_000, "expected": 1_000_000,
                                                            "high": 1_300_000}},
                               {"year": 2028, "units": 10}],
                 "effects": [effect(2026, "cost", 200_000, investment=True),
                             effect(2098, "benefit", 10_000_000, low=6_000_000,
                                    high=12_000_000)]},
                {"owner": "b", "purchases": [{"year": 2027, "spend_dkk": {"expected": 500_000}}]},
            ]}


@pytest.mark.parametrize(("as_of", "npv"), [
    # Rate of 7 January 2021: 3.5 % (years 1-35), 2.5 % (36-70), 1.5 % (71 on).
    #   D(1)  = 1 / 1.035 = 0.966183575
    #   D(72) = 1 / (1.035^35 * 1.025^35 * 1.015^2) = 1 / (3.333590 * 2.373205 * 1.030225)
    #         = 1 / 8.150454 = 0.122693169
    #   low  = 6,000,000 * D(72) - 200,000 - 1,300,000 * D(1)
    #        =   736,159.01      - 200,000 - 1,256,038.65       = -719,879.63
    #   exp  = 10,000,000 * D(72) - 200,000 - 1,000,000 * D(1)
    #        = 1,226,931.69       - 200,000 -   966,183.57      =   60,748.12
    #   high = 12,000,000 * D(72) - 200,000 -   800,000 * D(1)
    #        = 1,472,318.03       - 200,000 -   772,946.86      =  499,371.17
    (date(2026, 1, 1), ("-719880", "60748", "499371")),
    # Rate of 31 May 2013: 4 % (years 1-35), 3 % (36-70), 2 % (71 on).
    #   D(1)  = 1 / 1.04 = 0.961538462
    #   D(72) = 1 / (1.04^35 * 1.03^35 * 1.02^2) = 1 / (3.946089 * 2.813862 * 1.0404)
    #         = 1 / 11.552385 = 0.086562525
    #   low  =   519,375.15 - 200,000 - 1,250,000.00 = -930,624.85
    #   exp  =   865,625.25 - 200,000 -   961,538.46 = -295,913.21
    #   high = 1,038,750.30 - 200,000 -   769,230.77 =   69,519.53
    (date(2020, 6, 1), ("-930625", "-295913", "69520")),
])
def test_hand_computed_business_case_with_purchases_and_a_year_past_70(
        as_of: date, npv: tuple[str, str, str]) -> None:
    calc = calculate(purchases_past_70_case(), as_of)
    out = as_json(calc)
    a, b = out["owners"]
    assert (a["npv_dkk"]["low"], a["npv_dkk"]["expected"], a["npv_dkk"]["high"]) == npv
    # the purchase is a cost of A's business case; the unpriced one and B's are not in it
    assert a["unpriced_purchases"] == 1 and out["purchases_outside_npv"] == 1
    assert b["effects"] == 0 and b["npv_dkk"] == {"low": "0", "expected": "0", "high": "0"}
    assert out["total"]["npv_dkk"]["expected"] == npv[1]
    assert (out["price_year"], out["horizon"]) == (2026, {"first": 2026, "last": 2098,
                                                          "years": 73})
    # the demand signal is undiscounted and has both buyers' purchases: 1,000,000 + 500,000
    assert out["demand"]["years"][0]["spend_dkk"]["expected"] == "1500000"


def test_price_year_defaults_to_the_base_year_and_the_horizon_to_none() -> None:
    calc = calculate({"status": "started", "base_year": 2027}, NOW)
    assert (calc.price_year, calc.horizon) == (2027, None)


def test_scenarios_take_the_opposite_corners() -> None:
    data = {"status": "started", "base_year": 2026, "owners": [{"owner": "a", "effects": [
        effect(2026, "cost", 100, low=80, high=150, investment=True),
        effect(2026, "cost", 10, low=5, high=20),
        effect(2026, "benefit", 300, low=200, high=450),
    ]}]}
    (a,) = calculate(data, NOW).owners
    assert a.investment == ThreePoint(Decimal(80), Decimal(100), Decimal(150))
    assert a.operating == ThreePoint(Decimal(5), Decimal(10), Decimal(20))
    assert a.costs == ThreePoint(Decimal(85), Decimal(110), Decimal(170))
    # low: benefits low - costs high = 200 - 170; high: benefits high - costs low = 450 - 85
    assert a.npv == ThreePoint(Decimal(30), Decimal(190), Decimal(365))


def test_missing_low_and_high_default_to_expected() -> None:
    data = {"status": "started", "base_year": 2026,
            "owners": [{"owner": "a", "effects": [effect(2026, "benefit", 7, high=9)]}]}
    (a,) = calculate(data, NOW).owners
    assert a.benefits == ThreePoint(Decimal(7), Decimal(7), Decimal(9))


def test_demand_signal_of_the_example() -> None:
    data = yaml.safe_load((EXAMPLE / "potentiale.yaml").read_text(encoding="utf-8"))
    demand = calculate(data, NOW).demand
    y2028, y2029 = demand.years
    # 2028: Aarhus 1500 units, 2,400,000 / 3,000,000 / 3,900,000
    #       Horsens 400 units,   650,000 /   800,000 / 1,050,000
    assert (y2028.year, y2028.owners, y2028.units) == (2028, 2, Decimal(1900))
    assert y2028.spend == ThreePoint(Decimal(3_050_000), Decimal(3_800_000), Decimal(4_950_000))
    # 2029: Silkeborg 450, Randers 420, Viborg 380 units
    #       low 700,000 + 680,000 + 600,000; expected 900,000 + 850,000 + 760,000;
    #       high 1,200,000 + 1,100,000 + 990,000
    assert (y2029.year, y2029.owners, y2029.units) == (2029, 3, Decimal(1250))
    assert y2029.spend == ThreePoint(Decimal(1_980_000), Decimal(2_510_000), Decimal(3_290_000))
    # Nobody states sites: unknown, not zero.
    assert y2028.sites is None and y2029.sites is None and demand.sites is None
    assert (demand.owners, demand.units) == (5, Decimal(3150))
    assert demand.spend == ThreePoint(Decimal(5_030_000), Decimal(6_310_000), Decimal(8_240_000))


def test_a_sum_says_over_how_many_of_its_buyers_it_runs() -> None:
    """Spend known for 1 of 2 buyers in 2029 is a partial sum: the counts say so, per year and
    over all years (an owner missing one figure in any year is not counted as known)."""
    data = {"status": "started", "owners": [
        {"owner": "a", "purchases": [{"year": 2028, "units": 10, "spend_dkk": {"expected": 5}},
                                     {"year": 2029, "units": 20}]},
        {"owner": "b", "purchases": [{"year": 2029, "spend_dkk": {"expected": 7}}]},
    ]}
    demand = calculate(data, NOW).demand
    y2028, y2029 = demand.years
    assert (y2028.owners, y2028.units_owners, y2028.spend_owners) == (1, 1, 1)
    assert (y2029.owners, y2029.units_owners, y2029.spend_owners) == (2, 1, 1)
    # a gave the spend of 2028 only, b of 2029: of the two buyers, b alone is known throughout
    assert (demand.owners, demand.units_owners, demand.spend_owners, demand.sites_owners) == (
        2, 1, 1, 0)
    total = as_json(calculate(data, NOW))["demand"]["total"]
    assert (total["units_owners"], total["spend_owners"], total["spend_dkk"]["expected"]) == (
        1, 1, "12")


def test_profile_is_chosen_by_its_published_date() -> None:
    """The 2013 rate was announced on 31 May 2013 and the 2021 rate on 7 January 2021
    (practice notes): the day before each, the older rate holds."""
    assert rate_profile(date(2013, 5, 31)).rates[0][2] == Decimal("0.04")
    assert rate_profile(date(2021, 1, 6)).rates[0][2] == Decimal("0.04")
    assert rate_profile(date(2021, 1, 7)).rates[0][2] == Decimal("0.035")
    assert [(start, end, rate) for start, end, rate in rate_profile(date(2020, 6, 1)).rates] == [
        (0, 35, Decimal("0.04")), (36, 70, Decimal("0.03")), (71, None, Decimal("0.02"))]
    assert [(start, end, rate) for start, end, rate in rate_profile(date(2026, 6, 1)).rates] == [
        (0, 35, Decimal("0.035")), (36, 70, Decimal("0.025")), (71, None, Decimal("0.015"))]
    with pytest.raises(UserError) as caught:
        rate_profile(date(2013, 5, 30))
    assert caught.value.hint and "2013-05-31" in caught.value.hint and "5 %" in caught.value.hint


def test_discount_factor_crosses_the_bands() -> None:
    with localcontext(prec=34):
        old = rate_profile(date(2020, 1, 1))
        assert discount_factor(old, 0) == 1
        expected = 1 / (Decimal("1.04") ** 35 * Decimal("1.03"))
        assert abs(discount_factor(old, 36) - expected) < Decimal("1e-30")
        current = rate_profile(NOW)
        expected = 1 / (Decimal("1.035") ** 35 * Decimal("1.025") ** 35)
        assert abs(discount_factor(current, 70) - expected) < Decimal("1e-30")
        # after year 70 the third band: 1.5 % (2021), 2 % (2013)
        expected = 1 / (Decimal("1.035") ** 35 * Decimal("1.025") ** 35 * Decimal("1.015"))
        assert abs(discount_factor(current, 71) - expected) < Decimal("1e-30")
        expected = 1 / (Decimal("1.04") ** 35 * Decimal("1.03") ** 35 * Decimal("1.02") ** 30)
        assert abs(discount_factor(old, 100) - expected) < Decimal("1e-30")
    with pytest.raises(UserError, match="year index -1"):
        discount_factor(current, -1)


def test_figures_before_the_base_year_are_refused_and_late_ones_computed() -> None:
    data = {"status": "started", "base_year": 2026,
            "owners": [{"owner": "a", "effects": [effect(2025, "benefit", 1)]}]}
    with pytest.raises(UserError, match="in 2025, before the base year 2026"):
        calculate(data, NOW)
    data["owners"][0]["effects"][0]["year"] = 2170  # year 144: in the band after year 70
    assert calculate(data, NOW).owners[0].benefits.expected > 0


def test_effects_need_a_base_year() -> None:
    data = {"status": "started", "owners": [{"owner": "a", "effects": [effect(2026, "cost", 1)]}]}
    with pytest.raises(UserError, match="no base_year"):
        calculate(data, NOW)


def test_yaml_floats_stay_exact() -> None:
    assert 0.1 + 0.2 != 0.3  # the binary float sum this module must not make
    data = {"status": "started", "base_year": 2026, "owners": [{
        "owner": "a",
        "purchases": [{"year": 2027, "units": 0.1, "spend_dkk": {"expected": 0.1}},
                      {"year": 2027, "units": 0.2, "spend_dkk": {"expected": 0.2}}],
        "effects": [effect(2026, "benefit", 0.1), effect(2026, "benefit", 0.2)]}]}
    calc = calculate(data, NOW)
    (year,) = calc.demand.years
    assert year.units == Decimal("0.3") and year.spend.expected == Decimal("0.3")
    assert year.owners == 1
    assert calc.owners[0].benefits.expected == Decimal("0.3")
    assert as_json(calc, rounded=False)["total"]["benefits_dkk"]["expected"] == "0.3"


def test_rounding_is_half_away_from_zero_and_ignores_the_callers_context() -> None:
    assert kroner(Decimal("2.5")) == 3 and kroner(Decimal("-2.5")) == -3
    assert str(kroner(Decimal("-0.4"))) == "0"
    with localcontext(prec=3):
        calc = calculate(hand_case(), NOW)
    assert kroner(calc.total.npv.expected) == Decimal("242507")


def test_empty_calculation() -> None:
    calc = calculate({"status": "not-started"}, NOW)
    assert calc.demand.years == () and calc.demand.spend is None and calc.owners == ()
    assert calc.total.npv == ThreePoint(Decimal(0), Decimal(0), Decimal(0))
    json.dumps(as_json(calc))
