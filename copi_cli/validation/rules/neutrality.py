"""Needs, not solutions (R033): a need text that names a registered supplier or one of its
products is a warning at its line.

The method: "CO-PI bistår ikke med markedsføringen af bestemte løsninger, fx ved at finde kunderne
til konkrete virksomheders produkter", and phase 3 gathers the exploration "i fælles behov frem for
løsninger". The need texts are the shared needs (udforskning/behov.yaml) and the texts the
market reads the needs in (NEED_TEXTS).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said
from copi_cli.model.identifiers import COMPANY_FORMS
from copi_cli.model.workspace import Record
from copi_cli.validation.rules.base import Context, Path_, rule, walk

NEED_TEXTS = ("problem-description", "needs-communication")
NEED_FIELDS: tuple[Path_, ...] = (("needs", "*", "title"), ("needs", "*", "description"),
                                  ("needs", "*", "success_criteria", "*"))
# what the needs communication also says (issue 21, point 5): the choices and deselections, the
# descriptions, products and tools it consists of, and the market insights it builds on
COMMUNICATION_FIELDS: tuple[tuple[Path_, str], ...] = (
    (("choices", "*", "text"), "finding.r033.choice"),
    (("choices", "*", "reason"), "finding.r033.choice"),
    (("formats", "*", "title"), "finding.r033.part"),
    (("formats", "*", "description"), "finding.r033.part"))
INSIGHT_FIELDS: tuple[Path_, ...] = (("insights", "*", "title"), ("insights", "*", "summary"))
HINT = "finding.r033.hint"


def _distinctive(word: str) -> bool:
    """Whether a name is told from ordinary words in any case: several words ("Sensa Care"), or
    capitals inside one ("TrygStep"). A plain word ("Tryg", "Lys") is the supplier's only as
    written, so a need for "en tryg hverdag" names no one."""
    return " " in word.strip() or any(c.isupper() for c in word[1:])


class _Name(NamedTuple):
    """A supplier's name or product as recorded, and how a finding may call it."""

    word: str
    supplier: str  # the name, or the supplier's file when the supplier is confidential
    product: bool
    shown: bool  # False: a confidential product, not repeated in the finding


class Names:
    """Every supplier and product, found in one pass over a text: one alternation, longest
    first, so "Sensa Care ApS" is found once and not again as "Sensa Care", and the work stays
    linear however often a name repeats. A name's words may be wrapped over lines, set apart
    by a non-breaking space or emphasised ("*Sensa* Natteradar")."""

    def __init__(self, entries: list[_Name]) -> None:
        entries = sorted(entries, key=lambda entry: (-len(entry.word), entry.word))
        self.exact = {entry.word: entry for entry in entries if not _distinctive(entry.word)}
        self.folded = {_fold(entry.word): entry for entry in entries
                       if _distinctive(entry.word)}
        parts = []
        for entry in entries:
            body = _GAP.join(re.escape(part) for part in entry.word.split())
            parts.append(f"(?i:{body})" if _distinctive(entry.word) else body)
        self.pattern = re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)") if parts else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def named(self, text: str) -> Iterator[tuple[re.Match[str], _Name]]:
        """Each name the text holds, in order."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            written = " ".join(match.group(0).replace("*", " ").replace("_", " ").split())
            entry = self.exact.get(written) or self.folded.get(written.casefold())
            if entry is not None:
                yield match, entry


# between the words of a name: a space, a line break, a non-breaking space, emphasis marks
_GAP = r"[\s*_]+"
# a text that names suppliers this often is to be rewritten, not read finding by finding
MAX_PER_TEXT = 10


def _fold(text: str) -> str:
    return " ".join(text.replace("*", " ").replace("_", " ").split()).casefold()


def _confidential(data: dict[str, Any], field: str) -> bool:
    marking = data.get("confidential")
    return marking is True or (isinstance(marking, list) and field in marking)


def _names(ctx: Context) -> Names:
    """Every supplier and product. A confidential supplier is called by its file in the
    finding: the finding lands in CI logs that the supplier's secret must not."""
    found = []
    for supplier in ctx.ws.all("supplier"):
        name = supplier.data["name"]
        hidden = _confidential(supplier.data, "name")
        called = supplier.path if hidden else name
        short = COMPANY_FORMS.sub("", name).strip()
        products = [p for p in supplier.data.get("products", []) if isinstance(p, str)]
        products_hidden = hidden or _confidential(supplier.data, "products")
        for word in sorted({name, short} - set(products)):
            if len(word.strip()) > 2:
                found.append(_Name(word, called, False, not hidden))
        for word in sorted(set(products)):
            if len(word.strip()) > 2:
                found.append(_Name(word, called, True, not products_hidden))
    return Names(found)


def _message(entry: _Name, where: str) -> Said:
    if not entry.product:
        what = entry.supplier if entry.shown else Said("finding.r033.supplier-in",
                                                       path=entry.supplier)
    else:
        what = (Said("finding.r033.product-of", product=entry.word, supplier=entry.supplier)
                if entry.shown else Said("finding.r033.a-product-of", supplier=entry.supplier))
    return Said("finding.r033.names", where=where, what=what)


def _capped(ctx: Context, record: Record, where: Path_, text: str, names: Names,
            label: str) -> Iterator[Diagnostic]:
    """The findings of one value of a record, at most MAX_PER_TEXT and then a count."""
    count = 0
    for _match, entry in names.named(text):
        count += 1
        if count <= MAX_PER_TEXT:
            yield ctx.diag(record, where, "R033", _message(entry, label), Said(HINT))
    if count > MAX_PER_TEXT:
        yield ctx.diag(record, where, "R033",
                       Said("finding.r033.more", where=label, n=count - MAX_PER_TEXT),
                       Said(HINT))


def needs_id(needs: Record, where: Path_) -> str:
    """The need a field belongs to, by its id."""
    index = where[1]
    return str(needs.data["needs"][index]["id"]) if isinstance(index, int) else "?"


@rule
def needs_name_no_supplier(ctx: Context) -> Iterator[Diagnostic]:
    names = _names(ctx)
    if not names:
        return
    needs = ctx.ws.single("needs")
    if needs is not None:
        for pattern in NEED_FIELDS:
            for where, value in walk(needs.data, pattern):
                if isinstance(value, str):
                    yield from _capped(ctx, needs, where, value, names,
                                       Said("finding.r033.need", id=needs_id(needs, where)))
        for pattern, label in COMMUNICATION_FIELDS:
            for where, value in walk(needs.data, pattern):
                if isinstance(value, str):
                    yield from _capped(ctx, needs, where, value, names,
                                       Said(label, id=_item(needs.data, where)))
    insights = ctx.ws.single("insights")
    if insights is not None:
        for pattern in INSIGHT_FIELDS:
            for where, value in walk(insights.data, pattern):
                item = insights.data["insights"][where[1]] if isinstance(where[1], int) else {}
                if isinstance(value, str) and isinstance(item, dict) \
                        and item.get("source") == "market-dialogue":
                    yield from _capped(ctx, insights, where, value, names,
                                       Said("finding.r033.insight",
                                            id=_item(insights.data, where)))
    for document in NEED_TEXTS:
        text = ctx.ws.text(document)
        if text is None:
            continue
        yield from _in_text(ctx, text, names, document)


def _item(data: dict[str, Any], where: Path_) -> str:
    """The item of a list a field belongs to: its id, else its title, else its number."""
    items = data.get(str(where[0]))
    index = where[1] if len(where) > 1 else None
    if isinstance(items, list) and isinstance(index, int) and index < len(items) \
            and isinstance(items[index], dict):
        item = items[index]
        return str(item.get("id") or item.get("title") or index + 1)
    return "?"


def _in_text(ctx: Context, record: Record, names: Names, document: str) -> Iterator[Diagnostic]:
    title = record.data.get("title")
    if isinstance(title, str):
        yield from _capped(ctx, record, ("title",), title, names,
                           Said("finding.r033.title-of", path=record.path))
    body = record.body or ""
    first = None
    line, line_start, count = 0, 0, 0
    spot = (1, 1)
    label = Said("finding.r033.text-of", document=document)
    for match, entry in names.named(body):
        count += 1
        if count > MAX_PER_TEXT + 1:
            continue
        if first is None:
            first = ctx.at.body_line(record)
            line = first
        line += body.count("\n", line_start, match.start())
        line_start = body.rfind("\n", 0, match.start()) + 1
        col = match.start() - line_start + 1
        if count <= MAX_PER_TEXT:
            yield Diagnostic(record.path, line, col, "R033", _message(entry, label),
                             Said(HINT))
        else:
            spot = (line, col)
    if count > MAX_PER_TEXT:
        yield Diagnostic(record.path, *spot, "R033",
                         Said("finding.r033.more-from-here", where=label,
                              n=count - MAX_PER_TEXT), Said(HINT))
