"""The potential calculation: the demand signal for the market and the business case for buyers.

Why: a scaling process has to show suppliers how much the need owners together plan to buy, and
show each need owner (and the group) whether the solution pays (the method's "potentialeberegning,
der vurderer eventuelle gevinster og udbytte ved fremtidige mulige løsninger", phases 3 and 5).
The second is the net present value of benefits minus costs, planned purchases included (practice
notes, "Potential calculation"), at the Ministry of Finance's social discount rate
(Finansministeriets samfundsøkonomiske diskonteringsrente), in fixed prices of one price year
over a stated horizon, with investment kept apart from operating costs. Low / expected / high
are the need owners' own three-point estimates, combined at their corners; copi does not turn
them into an expected value with a risk pool, and does not claim to. Money is exact decimal
arithmetic throughout: a potential calculation is read by finance people, and 0.1 + 0.2 must be
0.3.

Design:
1. The rate profile in force on the calculation date is picked from data/discount_rates.yaml (data
   with dates, not constants: when the Ministry changes the rate, a new profile is added and older
   calculations still give the figures they gave).
2. Demand signal: per year, the planned purchases of all need owners summed (units, sites,
   spend), with the number of need owners buying that year and, for each figure, how many of
   them state it: a sum over 5 of 6 buyers is partial and must say so. Not discounted: it is
   the volume and timing the market sees.
3. Business case per need owner that states costs or benefits (its `effects`): each cost and
   benefit, and the spend of each of its planned purchases, is discounted to the base year,
   D(t) = D(t-1) / (1 + r(t)) with t = year - base_year, D(0) = 1 and r(t) the rate of the band
   holding year t (the last band is open: after year 70). A need owner with planned purchases
   but no costs or benefits has no business case: its purchases are in the demand signal only,
   never in a net present value of costs alone. Net present value per scenario, at the corners:
     low (pessimistic)  = PV(benefits low)      - PV(costs high)
     expected           = PV(benefits expected) - PV(costs expected)
     high (optimistic)  = PV(benefits high)     - PV(costs low)
   with costs = investment + operating + purchases.
4. The total is the same summed over the need owners.
Non-economic benefits are text, beside the figures and never in them.

Rounding: everything is computed at 34 significant digits in a local decimal context (the
caller's context is never changed); only present values shown as money are rounded, to whole
kroner, half away from zero (kroner()). The demand signal is a sum of the figures as entered and
is exact already. Calculation keeps the unrounded values; as_json rounds unless asked not to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any, NamedTuple

from copi_cli.errors import UserError
from copi_cli.messages import Said
from copi_cli.resources import load_data

# Fixed rather than copied from the caller: a global context changed elsewhere (precision,
# rounding, traps) must not change a business case.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN,
                   traps=[InvalidOperation, DivisionByZero, Overflow])
ZERO = Decimal(0)
ONE = Decimal(1)


class RateProfile(NamedTuple):
    """The discount rate in force from valid_from; rates are (from_year, to_year, rate) bands of
    year indices, rate as a fraction (Decimal("0.035") for 3.5 %); the last band's to_year is
    None: it holds for every later year."""

    valid_from: date
    source: str
    rates: tuple[tuple[int, int | None, Decimal], ...]


class ThreePoint(NamedTuple):
    """Low / expected / high: a three-point estimate as the need owner states it."""

    low: Decimal
    expected: Decimal
    high: Decimal

    def plus(self, other: ThreePoint) -> ThreePoint:
        with localcontext(_CONTEXT):
            return ThreePoint(self.low + other.low, self.expected + other.expected,
                              self.high + other.high)

    def times(self, factor: Decimal) -> ThreePoint:
        with localcontext(_CONTEXT):
            return ThreePoint(self.low * factor, self.expected * factor, self.high * factor)

    def rounded(self) -> ThreePoint:
        """Whole kroner, for showing as money."""
        return ThreePoint(kroner(self.low), kroner(self.expected), kroner(self.high))


NOTHING = ThreePoint(ZERO, ZERO, ZERO)


class DemandYear(NamedTuple):
    """One year of the demand signal. units, sites or spend is None when no planned purchase
    that year states it (unknown is not zero). *_owners counts the need owners buying that
    year whose every purchase of the year states the figure: fewer than owners means the sum
    is partial."""

    year: int
    owners: int
    units: Decimal | None
    sites: Decimal | None
    spend: ThreePoint | None
    units_owners: int = 0
    sites_owners: int = 0
    spend_owners: int = 0


class Demand(NamedTuple):
    """The aggregated demand signal: per year (sorted), and totals over all years; owners counts
    the need owners with at least one planned purchase, *_owners those of them whose every
    purchase states the figure."""

    years: tuple[DemandYear, ...]
    owners: int
    units: Decimal | None
    sites: Decimal | None
    spend: ThreePoint | None
    units_owners: int = 0
    sites_owners: int = 0
    spend_owners: int = 0


class PresentValues(NamedTuple):
    """The business case of one need owner (owner None: the total), in present values at the
    base year, unrounded. costs = investment + operating + purchases; npv takes the scenario
    corners (see the module docstring). effects counts the costs and benefits given, so that a
    need owner without a business case is told apart from one whose figures cancel out;
    unpriced counts its planned purchases without a spend, which are not in the costs."""

    owner: str | None
    effects: int
    benefits: ThreePoint
    investment: ThreePoint
    operating: ThreePoint
    purchases: ThreePoint
    costs: ThreePoint
    npv: ThreePoint
    unpriced: int = 0


class Horizon(NamedTuple):
    """The years the business cases cover: first (the base year) to last, both included."""

    first: int
    last: int

    @property
    def years(self) -> int:
        return self.last - self.first + 1


class Calculation(NamedTuple):
    """The potential calculation of a process; base_year is None when no figures need it.
    price_year is the price level of every amount (fixed prices; the base year unless stated),
    horizon None when not stated; out_of_case counts the planned purchases of need owners
    without a business case, in the demand signal and in no net present value."""

    base_year: int | None
    profile: RateProfile
    demand: Demand
    owners: tuple[PresentValues, ...]
    total: PresentValues
    price_year: int | None = None
    horizon: Horizon | None = None
    out_of_case: int = 0


def kroner(amount: Decimal) -> Decimal:
    """Whole kroner, half away from zero (decimal's ROUND_HALF_UP): 2.5 -> 3, -2.5 -> -3."""
    with localcontext(_CONTEXT):
        rounded = amount.quantize(ONE, rounding=ROUND_HALF_UP)
    return ZERO if rounded.is_zero() else rounded  # never "-0"


def rate_profile(as_of: date) -> RateProfile:
    """The newest profile of data/discount_rates.yaml in force on as_of."""
    profiles = sorted(_profiles(), key=lambda profile: profile.valid_from)
    in_force = [profile for profile in profiles if profile.valid_from <= as_of]
    if not in_force:
        raise UserError(
            Said("potential.rate-unknown", date=as_of.isoformat()),
            hint=Said("potential.rate-unknown-hint", date=profiles[0].valid_from.isoformat()))
    return in_force[-1]


def _profiles() -> list[RateProfile]:
    profiles = []
    with localcontext(_CONTEXT):
        for entry in load_data("discount_rates.yaml")["profiles"]:
            bands = tuple((int(band["from_year"]),
                           None if band.get("to_year") is None else int(band["to_year"]),
                           Decimal(str(band["rate"])) / 100) for band in entry["rates"])
            # The bands must cover every year from 0 without gaps, the last one open-ended, or
            # some year would have no rate.
            starts = [0] + [(to_year or 0) + 1 for _, to_year, _ in bands[:-1]]
            if [from_year for from_year, _, _ in bands] != starts or bands[-1][1] is not None \
                    or any(to_year is None for _, to_year, _ in bands[:-1]):
                raise ValueError(f"discount_rates.yaml: the bands of {entry['valid_from']} "
                                 "must run from year 0 without gaps, the last one open")
            profiles.append(RateProfile(date.fromisoformat(entry["valid_from"]),
                                        " ".join(entry["source"].split()), bands))
    return profiles


def discount_factor(profile: RateProfile, t: int) -> Decimal:
    """D(t) for year index t = year - base_year: D(0) = 1, D(t) = D(t-1) / (1 + r(t))."""
    if t < 0:
        raise UserError(Said("potential.before-base-index", t=t),
                        hint=Said("potential.before-base-index-hint"))
    factor = ONE
    with localcontext(_CONTEXT):
        for from_year, to_year, rate in profile.rates:
            last = t if to_year is None else min(to_year, t)
            for _ in range(max(from_year, 1), last + 1):
                factor = factor / (ONE + rate)
    return factor


def calculate(data: Mapping[str, Any], as_of: date) -> Calculation:
    """The demand signal and business case of potentiale.yaml (already schema-valid), with the
    discount rate in force on as_of."""
    profile = rate_profile(as_of)
    owners = data.get("owners") or []
    base_year = data.get("base_year")
    price_year = data.get("price_year", base_year)
    years = data.get("horizon_years")
    horizon = Horizon(base_year, base_year + years - 1) if base_year and years else None
    with localcontext(_CONTEXT):
        demand = _demand(owners)
        factors: dict[int, Decimal] = {}
        values = tuple(_owner_values(entry, base_year, profile, factors) for entry in owners)
        total = _sum_values(None, values)
    out_of_case = sum(len(entry.get("purchases") or []) for entry in owners
                      if not entry.get("effects"))
    return Calculation(base_year, profile, demand, values, total, price_year, horizon,
                       out_of_case)


def _number(value: Any) -> Decimal:
    """A YAML number as an exact Decimal (through str: 0.1 stays 0.1, not its binary float)."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise UserError(Said("potential.not-an-amount", value=value),
                        hint=Said("potential.not-an-amount-hint"))
    return number


def three_point(figures: Mapping[str, Any]) -> ThreePoint:
    """An estimate from YAML; a missing low or high is taken as the expected value."""
    expected = _number(figures["expected"])
    low, high = figures.get("low"), figures.get("high")
    return ThreePoint(expected if low is None else _number(low), expected,
                      expected if high is None else _number(high))


def _demand(owners: Iterable[Mapping[str, Any]]) -> Demand:
    by_year: dict[int, list[tuple[str, Mapping[str, Any]]]] = {}
    for entry in owners:
        for purchase in entry.get("purchases") or []:
            by_year.setdefault(purchase["year"], []).append((entry["owner"], purchase))
    years = tuple(_demand_year(year, by_year[year]) for year in sorted(by_year))
    every = [purchase for purchases in by_year.values() for purchase in purchases]
    buying = {owner for owner, _ in every}
    return Demand(years, len(buying),
                  _sum_known(year.units for year in years),
                  _sum_known(year.sites for year in years),
                  _sum_estimates(year.spend for year in years),
                  *(_stating(every, key) for key in ("units", "sites", "spend_dkk")))


def _demand_year(year: int, purchases: list[tuple[str, Mapping[str, Any]]]) -> DemandYear:
    def stated(key: str) -> Iterable[Any]:
        return (purchase.get(key) for _, purchase in purchases)

    return DemandYear(
        year, len({owner for owner, _ in purchases}),
        _sum_known(None if v is None else _number(v) for v in stated("units")),
        _sum_known(None if v is None else _number(v) for v in stated("sites")),
        _sum_estimates(None if v is None else three_point(v) for v in stated("spend_dkk")),
        *(_stating(purchases, key) for key in ("units", "sites", "spend_dkk")))


def _stating(purchases: list[tuple[str, Mapping[str, Any]]], key: str) -> int:
    """How many owners state the figure in every one of their purchases: an owner who gives
    the spend of one purchase and not of another is not counted as known."""
    owners = {owner for owner, _ in purchases}
    missing = {owner for owner, purchase in purchases if purchase.get(key) is None}
    return len(owners - missing)


def _sum_known(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return sum(known, ZERO) if known else None


def _sum_estimates(values: Iterable[ThreePoint | None]) -> ThreePoint | None:
    known = [value for value in values if value is not None]
    if not known:
        return None
    total = NOTHING
    for value in known:
        total = total.plus(value)
    return total


def _owner_values(entry: Mapping[str, Any], base_year: int | None, profile: RateProfile,
                  factors: dict[int, Decimal]) -> PresentValues:
    owner = entry["owner"]
    benefits = investment = operating = purchases = NOTHING
    effects = entry.get("effects") or []

    def present(what: str, year: int, figures: Mapping[str, Any]) -> ThreePoint:
        if base_year is None:
            raise UserError(Said("potential.no-base-year", owner=owner, what=what, year=year),
                            hint=Said("potential.no-base-year-hint"))
        t = year - base_year
        if t < 0:
            raise UserError(
                Said("potential.before-base-year", owner=owner, what=what, year=year,
                     base_year=base_year),
                hint=Said("potential.before-base-year-hint", base_year=base_year))
        if t not in factors:
            factors[t] = discount_factor(profile, t)
        return three_point(figures).times(factors[t])

    unpriced = 0
    for effect in effects:
        value = present(effect["kind"], effect["year"], effect["amount_dkk"])
        if effect["kind"] == "benefit":
            benefits = benefits.plus(value)
        elif effect.get("investment"):
            investment = investment.plus(value)
        else:
            operating = operating.plus(value)
    if effects:  # planned purchases are costs of a business case, not a case of their own
        for purchase in entry.get("purchases") or []:
            if purchase.get("spend_dkk") is None:
                unpriced += 1
                continue
            purchases = purchases.plus(present("purchase", purchase["year"],
                                               purchase["spend_dkk"]))
    costs = investment.plus(operating).plus(purchases)
    npv = ThreePoint(benefits.low - costs.high, benefits.expected - costs.expected,
                     benefits.high - costs.low)
    return PresentValues(owner, len(effects), benefits, investment, operating, purchases, costs,
                         npv, unpriced)


def _sum_values(owner: str | None, values: Iterable[PresentValues]) -> PresentValues:
    total = PresentValues(owner, 0, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING, 0)
    for value in values:
        total = PresentValues(
            owner, total.effects + value.effects, total.benefits.plus(value.benefits),
            total.investment.plus(value.investment), total.operating.plus(value.operating),
            total.purchases.plus(value.purchases), total.costs.plus(value.costs),
            total.npv.plus(value.npv), total.unpriced + value.unpriced)
    return total


def as_json(calc: Calculation, *, rounded: bool = True) -> dict[str, Any]:
    """The calculation as JSON-ready values, every Decimal as an exact string. Present values are
    whole kroner unless rounded=False; the demand signal is exact as entered either way."""

    def text(number: Decimal | None) -> str | None:
        return None if number is None else format(number, "f")

    def estimate(figures: ThreePoint | None, money: bool) -> dict[str, str | None] | None:
        if figures is None:
            return None
        if money and rounded:
            figures = figures.rounded()
        return {key: text(value) for key, value in figures._asdict().items()}

    def demand(row: DemandYear | Demand) -> dict[str, Any]:
        return {"owners": row.owners, "units": text(row.units), "sites": text(row.sites),
                "spend_dkk": estimate(row.spend, money=False),
                "units_owners": row.units_owners, "sites_owners": row.sites_owners,
                "spend_owners": row.spend_owners}

    def present(values: PresentValues) -> dict[str, Any]:
        return {"owner": values.owner, "effects": values.effects,
                **{f"{name}_dkk": estimate(getattr(values, name), money=True)
                   for name in ("benefits", "investment", "operating", "purchases", "costs",
                                "npv")},
                "unpriced_purchases": values.unpriced}

    profile = calc.profile
    horizon = calc.horizon
    return {
        "base_year": calc.base_year,
        "price_year": calc.price_year,
        "horizon": None if horizon is None else {"first": horizon.first, "last": horizon.last,
                                                 "years": horizon.years},
        "purchases_outside_npv": calc.out_of_case,
        "rounding": "whole kroner, half away from zero" if rounded else "none",
        "discount_rate": {
            "valid_from": profile.valid_from.isoformat(),
            "source": profile.source,
            "rates": [{"from_year": from_year, "to_year": to_year, "rate": text(rate)}
                      for from_year, to_year, rate in profile.rates],
        },
        "demand": {"years": [{"year": row.year, **demand(row)} for row in calc.demand.years],
                   "total": demand(calc.demand)},
        "owners": [present(values) for values in calc.owners],
        "total": present(calc.total),
    }
