"""Which processes of a portfolio to show: --phase and --owner, read as copi reads them.

A phase is named by its number, its id or its Danish or English name, and a need owner by its
id or name, with Danish letters or their ASCII forms, exactly, as a prefix or a part
(`model.lookup`'s rule). A process that could not be read has no phase or need owners to
judge: it is always shown, since it is what needs attention.
"""

from __future__ import annotations

from collections.abc import Iterable

from copi_cli.messages import Said
from copi_cli.model.catalogue import Phase, load_catalogue
from copi_cli.model.lookup import forms, resolve
from copi_cli.portfolio.summary import Portfolio, ProcessSummary, Tally


def find_phase(reference: str) -> Phase:
    """The phase a --phase value names; a UsageError listing the phases when none or several."""
    phases = load_catalogue().phases
    return resolve(phases, lambda p: (p.id, str(p.number), p.name["da"], p.name["en"]),
                   lambda p: f"{p.number} ({p.id})", reference,
                   Said("portfolio.what.phase"), Said("portfolio.list.phases"),
                   lambda p: p.id)


def owner_matches(summary: ProcessSummary, reference: str) -> bool:
    """Whether a need owner of the process is the one reference names, as a look-up in the
    process would find it: its id or name equal to it, starting with it or holding it."""
    typed = forms(reference) - {""}
    for owner in summary.need_owners:
        known = forms(owner.id) | forms(owner.name)
        if any(key == t or key.startswith(t) or t in key for key in known for t in typed):
            return True
    return False


def kept(summary: ProcessSummary, phase: Phase | None, owner: str | None) -> bool:
    if summary.phase is None:
        return True  # unreadable: nothing to filter on, and it needs looking at
    if phase is not None and summary.phase != phase.id:
        return False
    return owner is None or owner_matches(summary, owner)


def gather(summaries: Iterable[ProcessSummary], phase: Phase | None = None,
           owner: str | None = None) -> Portfolio:
    """The processes the filters keep, and their totals, taken one summary at a time."""
    tally = Tally()
    shown = []
    for summary in summaries:
        if kept(summary, phase, owner):
            tally.add(summary)
            shown.append(summary)
    return Portfolio(tuple(shown), tally.totals())
