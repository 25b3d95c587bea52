"""Danish and English forms of money, dates, numbers and percentages in documents: the
Unicode CLDR's, as Babel gives them."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("function, value, lang, expected", [
    ("money", 1234567, "da", "1.234.567 kr."),
    ("money", "2.5", "da", "3 kr."),
    ("money", -1234567.5, "en", "DKK \u22121,234,568"),
    ("money", -203591, "da", "\u2212203.591 kr."),
    ("date", "2023-11-23", "da", "23. november 2023"),
    ("date", "2023-11-23", "en", "23 November 2023"),
    ("number", 761000, "da", "761.000"),
    ("number", None, "da", "–"),
    ("percent", "3.5", "da", "3,5 %"),
    ("count", 6, "da", "seks"),  # a small count in prose is a word
    ("count", 12, "en", "twelve"),
    ("count", 1, "da", "1"),  # én or ét: the word depends on the noun
    ("count", 13, "da", "13"),
    ("count", 1234, "da", "1.234"),
])
def test_danish_and_english_forms(function: str, value: object, lang: str,
                                  expected: str) -> None:
    from copi_cli.rendering import formatting
    assert getattr(formatting, function)(value, lang) == expected


@pytest.mark.parametrize("lang, locale", [("da", "da_DK"), ("en", "en_GB")])
def test_the_forms_are_the_cldr_forms_babel_gives(lang: str, locale: str) -> None:
    import datetime as dt
    from decimal import Decimal

    from babel.dates import format_date
    from babel.lists import format_list
    from babel.numbers import format_decimal

    from copi_cli.rendering import formatting
    def cldr(text: str) -> str:  # copi's one difference: the minus sign U+2212 (see the data)
        return text.replace("-", "\u2212")

    for value in (0, 7, 999, 1000, 1234567, -1234567, 761000, Decimal("3.5"), Decimal("0.035"),
                  Decimal("-50153.25"), Decimal("1234.5678"), 2.5):
        assert formatting.number(value, lang) == cldr(format_decimal(value, locale=locale)), value
        assert formatting.number(value, lang, 0) == cldr(format_decimal(
            Decimal(str(value)).quantize(Decimal(1), rounding="ROUND_HALF_UP"), "#,##0",
            locale=locale)), value
    for items in (["A", "B"], ["A", "B", "C"]):
        assert formatting.names(items, lang) == format_list(items, locale=locale)
    pattern = "d. MMMM y" if lang == "da" else "d MMMM y"
    for month in range(1, 13):
        day = dt.date(2026, month, 9 + month)
        assert formatting.date(day, lang) == format_date(day, pattern, locale=locale)


@pytest.mark.parametrize("values, lang, expected", [
    (["Københavns Kommune", "Frederiksberg Kommune"], "da",
     "Københavns og Frederiksberg Kommune"),
    (["Aarhus Kommune", "Horsens Kommune", "Viborg Kommune"], "da",
     "Aarhus, Horsens og Viborg Kommune"),
    (["Bornholms Regionskommune", "Københavns Kommune"], "da",  # nothing shared
     "Bornholms Regionskommune og Københavns Kommune"),
    (["Aarhus Kommune"], "da", "Aarhus Kommune"),
    (["Københavns Kommune", "Frederiksberg Kommune"], "en",
     "Københavns Kommune and Frederiksberg Kommune"),
])
def test_official_names_listed_as_a_dane_writes_them(values: list[str], lang: str,
                                                       expected: str) -> None:
    from copi_cli.rendering import formatting
    assert formatting.names(values, lang) == expected


@pytest.mark.parametrize("value, lang, money, expected", [
    (4_812_345, "da", True, "ca. 4,8\u00a0mio. kr."),
    (4_812_345, "en", True, "about DKK 4.8 million"),
    (5_000_000, "da", True, "5\u00a0mio. kr."),  # nothing rounded away: no "ca."
    (-1_234_567, "da", True, "ca. \u22121,2\u00a0mio. kr."),
    (1_340_000, "da", False, "ca. 1,3\u00a0mio."),
    (1_234_567_890, "en", False, "about 1.2 billion"),
    (999_600, "da", False, "ca. 1\u00a0mio."),
    (950_000, "da", False, "950.000"),
    (464_607, "da", False, "ca. 465.000"),
    (5_432, "en", False, "about 5,400"),
    (None, "da", False, "–"),
])
def test_figures_are_rounded_as_people_write_them(value: object, lang: str, money: bool,
                                                  expected: str) -> None:
    from copi_cli.rendering import formatting
    assert formatting.about(value, lang, money) == expected


@pytest.mark.parametrize("lang, locale, kind", [("da", "da_DK", "short"),
                                                ("en", "en_GB", "long")])
def test_millions_and_billions_are_the_cldr_compact_forms(lang: str, locale: str,
                                                          kind: str) -> None:
    from babel.numbers import format_compact_decimal

    from copi_cli.rendering import formatting
    for value in (1_000_000, 4_800_000, 12_300_000, -1_200_000, 2_000_000_000, 1_500_000_000):
        assert formatting.about(value, lang) == format_compact_decimal(
            value, format_type=kind, locale=locale, fraction_digits=1).replace(
            "-", "\u2212"), value  # copi's minus sign (data/locale_forms.json)
