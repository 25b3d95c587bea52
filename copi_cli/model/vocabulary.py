"""The words of the method: English ids in files and options, Danish and English labels in output.

The ids and their labels are data (data/labels.json); the schemas hold the same ids as
enumerations, and a test keeps the two in step.
"""

from __future__ import annotations

import difflib

from copi_cli.errors import UsageError
from copi_cli.resources import load_data


def choices(group: str) -> list[str]:
    return [key for key in load_data("labels.json")[group]]


def label(group: str, value: str, lang: str) -> str:
    return load_data("labels.json")[group].get(value, {}).get(lang, value)


def checked(group: str, value: str, option: str) -> str:
    """value if it is one of the group's ids; else a usage error that lists them."""
    known = choices(group)
    if value in known:
        return value
    by_label = {label(group, k, lang): k for k in known for lang in ("da", "en")}
    if value.casefold() in {k.casefold() for k in by_label}:
        return next(v for k, v in by_label.items() if k.casefold() == value.casefold())
    close = difflib.get_close_matches(value, known, n=1)
    raise UsageError(f"{option}: '{value}' is not one of {', '.join(known)}",
                     hint=f"did you mean '{close[0]}'?" if close else
                     f"use one of: {', '.join(known)}")


def help_list(group: str) -> str:
    return ", ".join(choices(group))
