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
    assert calc.base_year == 2026 and calc.profile.valid_from == date(2021, 1, 1)
    out = as_json(calc)
    json.dumps(out)
    assert out["total"]["npv_dkk"]["expected"] == "242507"
    assert out["owners"][0]["investment_dkk"] == {"low": "1000000", "expected": "1000000",
                                                  "high": "1000000"}


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


def test_profile_is_chosen_by_date() -> None:
    assert rate_profile(date(2020, 6, 1)).rates[0][2] == Decimal("0.04")
    assert rate_profile(date(2026, 6, 1)).rates[0][2] == Decimal("0.035")
    assert rate_profile(date(2021, 1, 1)).valid_from == date(2021, 1, 1)
    with pytest.raises(UserError) as caught:
        rate_profile(date(2000, 1, 1))
    assert caught.value.hint and "2013-01-01" in caught.value.hint


def test_discount_factor_crosses_the_bands() -> None:
    with localcontext(prec=34):
        old = rate_profile(date(2020, 1, 1))
        assert discount_factor(old, 0) == 1
        expected = 1 / (Decimal("1.04") ** 35 * Decimal("1.03"))
        assert abs(discount_factor(old, 36) - expected) < Decimal("1e-30")
        current = rate_profile(NOW)
        expected = 1 / (Decimal("1.035") ** 35 * Decimal("1.025") ** 35)
        assert abs(discount_factor(current, 70) - expected) < Decimal("1e-30")
    for t in (-1, 71):
        with pytest.raises(UserError, match=f"year index {t}"):
            discount_factor(current, t)


@pytest.mark.parametrize("year", [2025, 2097])
def test_figures_outside_the_discounting_period_are_refused(year: int) -> None:
    data = {"status": "started", "base_year": 2026,
            "owners": [{"owner": "a", "effects": [effect(year, "benefit", 1)]}]}
    with pytest.raises(UserError, match=f"in {year}, outside .* 2026–2096"):
        calculate(data, NOW)
    data["owners"][0]["effects"][0]["year"] = 2096  # year 70: the last one with a rate
    calculate(data, NOW)


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
