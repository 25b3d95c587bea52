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

from copi_cli.diagnostics import Diagnostic
from copi_cli.model.identifiers import COMPANY_FORMS
from copi_cli.model.workspace import Record
from copi_cli.validation.rules.base import Context, Path_, rule, walk

NEED_TEXTS = ("problem-description", "needs-communication")
NEED_FIELDS: tuple[Path_, ...] = (("needs", "*", "title"), ("needs", "*", "description"),
                                  ("needs", "*", "success_criteria", "*"))
HINT = ("describe the need, not a supplier's solution: CO-PI does not market particular "
        "solutions, and a need text that names one narrows the market's room for new ones")


def _distinctive(word: str) -> bool:
    """Whether a name is told from ordinary words in any case: several words ("Sensa Care"), or
    capitals inside one ("TrygStep"). A plain word ("Tryg", "Lys") is the supplier's only as
    written, so a need for "en tryg hverdag" names no one."""
    return " " in word.strip() or any(c.isupper() for c in word[1:])


def _names(ctx: Context) -> list[tuple[re.Pattern[str], str, str]]:
    """(pattern, the word as recorded, the supplier's name) for every supplier and product."""
    found = []
    for supplier in ctx.ws.all("supplier"):
        name = supplier.data["name"]
        words = {name, COMPANY_FORMS.sub("", name).strip(), *supplier.data.get("products", [])}
        for word in sorted(w for w in words if len(w) > 2):
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)",
                                 re.IGNORECASE if _distinctive(word) else 0)
            found.append((pattern, word, name))
    return found


def _named(text: str, names: list[tuple[re.Pattern[str], str, str]]
           ) -> Iterator[tuple[re.Match[str], str, str]]:
    """Each supplier or product a text names, once per supplier and word."""
    seen: set[tuple[int, int]] = set()
    for pattern, word, supplier in names:
        for match in pattern.finditer(text):
            # "Sensa Care ApS" is found once, not again as "Sensa Care"
            if any(start <= match.start() < end for start, end in seen):
                continue
            seen.add((match.start(), match.end()))
            yield match, word, supplier


def _message(word: str, supplier: str, where: str) -> str:
    what = supplier if word.casefold() in (supplier.casefold(),
                                           COMPANY_FORMS.sub("", supplier).strip().casefold()) \
        else f"{word}, a product of {supplier}"
    return f"{where} names a supplier's solution: {what}"


def needs_id(needs: Record, where: Path_) -> str:
    """The need a field belongs to, by its id."""
    index = where[1]
    return str(needs.data["needs"][index]["id"]) if isinstance(index, int) else "?"


@rule
def needs_name_no_supplier(ctx: Context) -> Iterator[Diagnostic]:
    names = _names(ctx)
    if not names:
        return
    # longest first, so that the full name is found before its short form
    names.sort(key=lambda entry: -len(entry[1]))
    needs = ctx.ws.single("needs")
    if needs is not None:
        for pattern in NEED_FIELDS:
            for where, value in walk(needs.data, pattern):
                if not isinstance(value, str):
                    continue
                for _match, word, supplier in _named(value, names):
                    yield ctx.diag(needs, where, "R033",
                                   _message(word, supplier, f"need {needs_id(needs, where)}"),
                                   HINT)
    for document in NEED_TEXTS:
        text = ctx.ws.text(document)
        if text is None:
            continue
        yield from _in_text(ctx, text, names, document)


def _in_text(ctx: Context, record: Record, names: list[tuple[re.Pattern[str], str, str]],
             document: str) -> Iterator[Diagnostic]:
    title = record.data.get("title")
    if isinstance(title, str):
        for _match, word, supplier in _named(title, names):
            yield ctx.diag(record, ("title",), "R033",
                           _message(word, supplier, f"the title of {record.path}"), HINT)
    body = record.body or ""
    first = None
    for match, word, supplier in _named(body, names):
        first = ctx.at.body_line(record) if first is None else first
        line = first + body.count("\n", 0, match.start())
        col = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
        yield Diagnostic(record.path, line, col, "R033",
                         _message(word, supplier, f"the text of {document}"), HINT)
