"""Dates, numbers and amounts as a Danish or English reader expects them.

Danish documents say 23. november 2023 and 1.234.567 kr.; English ones 23 November 2023 and
DKK 1,234,567. The separators, minus sign and month names are the Unicode CLDR's, copied from
Babel into data/locale_forms.json: importing Babel and its locale data would cost about 55 ms
on every render, for two languages whose forms fit in a few lines. The tests compare every form
with Babel's own output.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from copi_cli.resources import load_data


def _forms(lang: str) -> dict:
    return load_data("locale_forms.json")[lang]


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return amount


def date(value: Any, lang: str) -> str:
    """'2023-11-23' or a date → 23. november 2023 / 23 November 2023; other text unchanged."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    forms = _forms(lang)
    return forms["date"].format(day=value.day, month=forms["months"][value.month - 1],
                                year=value.year)


def number(value: Any, lang: str, decimals: int | None = None) -> str:
    """1234567 → 1.234.567 / 1,234,567; None → an en dash. Without decimals given, up to three
    are shown and trailing zeros dropped (as CLDR's #,##0.###)."""
    if value is None or value == "":
        return "–"
    amount = _decimal(value)
    places = 3 if decimals is None else decimals
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{abs(amount):,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    forms = _forms(lang)
    whole, _, fraction = text.partition(".")
    text = whole.replace(",", forms["group"]) + (forms["decimal"] + fraction if fraction else "")
    return (forms["minus"] if amount < 0 else "") + text


def count(value: Any, lang: str) -> str:
    """A count in running text as a letter writes it: two to twelve in words (seks
    behovsejere), other counts as figures (one's Danish word depends on the noun)."""
    if isinstance(value, int) and not isinstance(value, bool) and 2 <= value <= 12:
        return str(_forms(lang)["counts"][value - 2])
    return number(value, lang)


def money(value: Any, lang: str) -> str:
    """Whole kroner, half away from zero: 1.234.567 kr. / DKK 1,234,567; −1.234 kr. with a
    minus sign."""
    if value is None or value == "":
        return "–"
    amount = _decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    shown = number(amount, lang, 0)
    # A minus sign, not a hyphen: typst set some negative amounts as one and some (in bold) as
    # the other, so a net present value's total and its rows differed.
    shown = "\u2212" + shown[1:] if shown.startswith("-") else shown
    return _forms(lang)["money"].format(number=shown)


def about(value: Any, lang: str, as_money: bool = False) -> str:
    """A figure rounded as people write it in a letter to a mayor: ca. 4,8 mio. kr., ca.
    412.000 borgere / about DKK 4.8 million. Millions and billions with one decimal (CLDR's
    compact forms), ten thousands and more to the thousand, thousands to the hundred; "ca."
    only when rounding changed the figure. None → an en dash."""
    if value is None or value == "":
        return "–"
    amount = _decimal(value)
    forms = _forms(lang)

    def to(step: Decimal) -> Decimal:
        return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step

    size = abs(amount)
    step = Decimal(1000) if size >= 10_000 else Decimal(100) if size >= 1000 \
        else Decimal(10) if size >= 100 else Decimal(1)
    rounded = to(step)
    shown = number(rounded, lang, 0)
    for scale, pattern in ((Decimal(10) ** 6, "millions"), (Decimal(10) ** 9, "billions")):
        if abs(rounded) < scale:  # 999.600 is ca. 1 mio., 950.000 stays itself
            break
        rounded = to(scale / 10)
        figure = number(rounded / scale, lang, 1).removesuffix(forms["decimal"] + "0")
        shown = forms[pattern].format(number=figure)
    if as_money:
        shown = forms["money"].format(number=shown)
    return forms["about"].format(value=shown) if rounded != amount else shown


def names(values: Any, lang: str) -> str:
    """Names as a list in a sentence: A, B og C / A, B and C. In Danish, official names that
    all end in the same word say it once: Københavns og Frederiksberg Kommune."""
    items = [str(value) for value in values or []]
    forms = _forms(lang)
    shared = forms["shared"]
    if shared and len(items) > 1 and all(item.endswith(" " + shared) for item in items):
        items = [item.removesuffix(" " + shared) for item in items]
        items[-1] = f"{items[-1]} {shared}"
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {forms['and']} {items[-1]}"


def percent(value: Any, lang: str) -> str:
    """'3.5' (percent) → 3,5 % / 3.5%."""
    return _forms(lang)["percent"].format(number=number(value, lang))
