"""The words of the method: English ids in files and options, Danish and English labels in output.

The ids and their labels are data (data/labels.json); the schemas hold the same ids as
enumerations, and a test keeps the two in step.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from copi_cli.errors import UsageError
from copi_cli.messages import Said, Worded
from copi_cli.resources import load_data


def choices(group: str) -> list[str]:
    return [key for key in load_data("labels.json")[group]]


def label(group: str, value: str, lang: str) -> str:
    return load_data("labels.json")[group].get(value, {}).get(lang, value)


def as_typed(group: str, values: list[str], quoted: bool = False) -> Worded:
    """Values as the user must type them, said in Danish with their Danish labels beside
    ("need-owner (behovsejer)"): the sentence around them is Danish, the value stays the id.
    `quoted`: each Danish value in »…«, for a message that quotes one value in English."""
    def danish(value: str) -> str:
        shown = f"»{value}«" if quoted else value
        said = re.sub(r"\s*\(.*\)\s*$", "", label(group, value, "da"))  # no legal reference
        return shown if said == value else f"{shown} ({said})"
    return Worded({"en": ", ".join(values), "da": ", ".join(map(danish, values))})


def _typed_forms(text: str) -> set[str]:
    """What a label may be typed as: in any case, with Danish letters or their ASCII forms, and
    without its legal reference in brackets ("samtykke" for "samtykke (art. 6, stk. 1, litra
    a)")."""
    from copi_cli.model.lookup import forms

    short = re.sub(r"\s*\(.*\)\s*$", "", text)
    return (forms(text) | forms(short)) - {""}


def checked(group: str, value: str, option: str) -> str:
    """The id a typed value means: the id or its Danish or English label, compared the way
    look-up compares names (lookup.forms), or the unambiguous start of one; else a usage error
    that lists the ids. One rule for every option that takes one of the method's words (README:
    options accept the label)."""
    known = choices(group)
    if value in known:
        return value
    typed = _typed_forms(value)
    words = {k: set().union(_typed_forms(k), *(_typed_forms(label(group, k, lang))
                                               for lang in ("da", "en"))) for k in known}
    steps: tuple[Callable[[str, str], bool], ...] = (
        lambda w, t: w == t, lambda w, t: w.startswith(t))  # as lookup.resolve
    for fits in steps:
        found = [k for k in known if any(fits(w, t) for w in words[k] for t in typed)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(Said("choice.ambiguous", option=option, value=value,
                                  known=as_typed(group, known)),
                             hint=Said("choice.ambiguous-hint",
                                       candidates=as_typed(group, found)))
    close = difflib.get_close_matches(value, known, n=1)
    raise UsageError(Said("choice.unknown", option=option, value=value,
                          known=as_typed(group, known)),
                     hint=Said("choice.did-you-mean", close=as_typed(group, close, quoted=True))
                     if close else Said("choice.unknown-hint", known=as_typed(group, known)))


def help_list(group: str) -> str:
    return ", ".join(choices(group))
