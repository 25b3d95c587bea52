"""Look-up by what people type: one rule for every command that names a record.

A facilitator types "volta", "koebenhavns" or "Københavns", not the file's id. A reference
resolves, in this order, to the one record whose id or name is it exactly, starts with it, or
contains it - compared case-insensitively and with Danish letters or their ASCII forms
(ø = oe = o, æ = ae, å = aa = a). More than one at a step is ambiguous and names the candidates,
so a typed prefix never silently picks the wrong organisation or event.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from copi_cli.errors import UsageError
from copi_cli.messages import Said

T = TypeVar("T")

_WIDE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_NARROW = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def _plain(text: str) -> str:
    """Other accents dropped (é -> e), separators made one: ids use '-', names use ' '."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("-", " ").replace("_", " ").split())


def forms(text: str) -> set[str]:
    """The ways a key may be typed: as written, with æøå as ae/oe/aa, or as ae/o/a."""
    folded = text.strip().casefold()
    return {_plain(folded), _plain(folded.translate(_WIDE)), _plain(folded.translate(_NARROW))}


def resolve(items: Sequence[T], keys: Callable[[T], Sequence[str]], label: Callable[[T], str],
            reference: str, what: Said, listing: Said,
            ident: Callable[[T], str] | None = None) -> T:
    """The one item the reference means; a UsageError naming candidates (label) or the id of a
    close match (ident, default label) - what to type next. `what` names the kind of record
    (lookup.what.*: singular in English, plural in Danish, as the sentences need it); `listing`
    says which command lists them."""
    typed = forms(reference) - {""}
    keyed = [(item, set().union(*(forms(k) for k in keys(item) if k))) for item in items]
    steps: list[Callable[[str, str], bool]] = [
        lambda key, t: key == t, lambda key, t: key.startswith(t), lambda key, t: t in key]
    for matches in steps:
        found = [item for item, known in keyed
                 if any(matches(key, t) for key in known for t in typed)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(Said("lookup.ambiguous", reference=reference, what=what),
                             hint=Said("lookup.ambiguous-hint", candidates=", ".join(
                                 label(item) for item in found)))
    names = {k: item for item in items for k in keys(item) if k}
    close = difflib.get_close_matches(reference, list(names), n=1, cutoff=0.6)
    raise UsageError(Said("lookup.unknown", reference=reference, what=what),
                     hint=Said("lookup.did-you-mean", close=(ident or label)(names[close[0]]),
                               listing=listing) if close else listing)
