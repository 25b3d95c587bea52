"""CPR-like numbers (practice.md, "Personal data"): found in free text, and masked wherever copi
prints a message — a finding lands in terminals, CI logs and SARIF files that outlive the process.

A CPR number is ddmmyy-xxxx with a real date. People write the dash as a dash, an en dash, a
non-breaking hyphen, a space or not at all; the six and the four digits stand alone, so a phone
number in pairs ("70 20 30 40"), a CVR number (8 digits), an EAN (13) or an amount is not one,
nor ten digits inside a word — a SHA-256 digest in publikationer.yaml has such runs by chance.
"""

from __future__ import annotations

import datetime as dt
import re

# the separators seen between the date and the serial: none, hyphen, en/figure dash, minus,
# non-breaking hyphen, a space or a non-breaking one
_SEP = "[-\u2010\u2011\u2012\u2013\u2212 \u00a0\u202f]?"
CPR = re.compile(rf"(?<![\w.,/\-\u2010-\u2013\u2212])(?<!\d[ \u00a0\u202f])"
                 rf"(\d{{2}})(\d{{2}})(\d{{2}})({_SEP})(\d{{4}})"
                 rf"(?!\w|[.,/\-\u2010-\u2013\u2212 \u00a0\u202f]\d)")
MASK = "xxxxxx-xxxx"
_SIX = re.compile(r"\d{6}")


def _plausible(day: str, month: str, year: str) -> bool:
    """A real date in one of the centuries a CPR number's year can stand for."""
    for century in (1900, 2000):
        try:
            dt.date(century + int(year), int(month), int(day))
            return True
        except ValueError:
            continue
    return False


def cpr_like(text: str) -> list[re.Match[str]]:
    """The CPR-like numbers in a text, each with a real date."""
    if not _SIX.search(text):
        return []
    return [m for m in CPR.finditer(text) if _plausible(m.group(1), m.group(2), m.group(3))]


def mask(text: str) -> str:
    """The text with every CPR-like number replaced by xxxxxx-xxxx."""
    if not _SIX.search(text):
        return text
    return CPR.sub(lambda m: MASK if _plausible(m.group(1), m.group(2), m.group(3))
                   else m.group(0), text)
