"""Dates, numbers and amounts as a Danish or English reader expects them.

Danish documents say 23. november 2023 and 1.234.567 kr.; English ones 23 November 2023 and
DKK 1,234,567. Babel holds the CLDR locale data for both, so copi does not keep its own month
names and separators (Babel is imported only when a document is rendered).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

LOCALES = {"da": "da_DK", "en": "en_GB"}


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None


def _locale(lang: str) -> str:
    return LOCALES[lang]


def date(value: Any, lang: str) -> str:
    """'2023-11-23' or a date → 23. november 2023 / 23 November 2023; other text unchanged."""
    from babel.dates import format_date

    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    pattern = "d. MMMM y" if lang == "da" else "d MMMM y"
    return format_date(value, pattern, locale=_locale(lang))


def number(value: Any, lang: str, decimals: int | None = None) -> str:
    """1234567 → 1.234.567 / 1,234,567; None → an en dash."""
    from babel.numbers import format_decimal

    if value is None or value == "":
        return "–"
    amount = _decimal(value)
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(amount, pattern, locale=_locale(lang))
    return format_decimal(amount, locale=_locale(lang))


def money(value: Any, lang: str) -> str:
    """Whole kroner: 1.234.567 kr. / DKK 1,234,567."""
    if value is None or value == "":
        return "–"
    text = number(_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP), lang, 0)
    return f"{text} kr." if lang == "da" else f"DKK {text}"


def percent(value: Any, lang: str) -> str:
    """'3.5' (percent) → 3,5 % / 3.5%."""
    text = number(value, lang)
    return f"{text} %" if lang == "da" else f"{text}%"
