"""copi's starter guidance left in a process (R026): a warning at its line while it is there.

The same findings tell copi status what is left to write and a public render what to refuse
(copi_cli.model.guidance recognises the guidance; this module places it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said
from copi_cli.model.catalogue import load_catalogue
from copi_cli.model.documents import load_documents
from copi_cli.model.guidance import Found, find, may_hold
from copi_cli.model.workspace import Record, Workspace, load_layout
from copi_cli.validation.rules.base import Context, Locator, Path_, file_rule, rule

_SHOWN = 50  # characters of the text found, to recognise it by


class Located(NamedTuple):
    finding: Diagnostic  # R026, at the guidance's place
    found: Found
    shown: str  # the text found there, as the file has it (shortened)


def _strings(data: Any, where: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*where, index))


def _quoted(text: str, found: Found) -> str:
    """The words found, as the file has them, to the end of their sentence and at most _SHOWN
    characters: the writer's own words of one sentence, never running into the next."""
    shown = " ".join(text[found.start:found.end].split())
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN].rsplit(" ", 1)[0] + "…"


def _any_may_hold(data: Any) -> bool:
    """The quick look at every value of a record, before any is placed (most hold none)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if may_hold(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def in_values(ctx: Context, record: Record) -> Iterator[Located]:
    """Each piece of guidance in a record's values (a text's front matter too), located."""
    if not _any_may_hold(record.data):
        return
    for where, value in _strings(record.data):
        for found in find(value):
            field = ".".join(str(step) for step in where)
            shown = _quoted(value, found)
            yield Located(ctx.diag(
                record, where, "R026", Said("finding.r026.still-here", shown=shown),
                Said("finding.r026.value-hint", path=record.path, field=field)), found, shown)


def in_body(ctx: Context, record: Record) -> Iterator[Located]:
    """Each piece of guidance in a text's Markdown body, at its line and column."""
    text = record.body or ""
    first = None
    for found in find(text) if text.strip() else ():
        first = ctx.at.body_line(record) if first is None else first
        line = first + text.count("\n", 0, found.start)
        col = found.start - (text.rfind("\n", 0, found.start) + 1) + 1
        shown = _quoted(text, found)
        yield Located(Diagnostic(
            record.path, line, col, "R026", Said("finding.r026.still-here", shown=shown),
            Said("finding.r026.body-hint", path=record.path)), found, shown)


def document_phase(record: Record) -> int | None:
    """The number of the phase of the document a text is written for, if it is one's."""
    document = next((d for d in load_documents() if d.text
                     and load_layout().texts[d.text]["file"] == record.path), None)
    try:
        return load_catalogue().phase(document.phase).number if document else None
    except (KeyError, StopIteration):
        return None


def due(ws: Workspace, record: Record) -> bool:
    """Whether a text's prompts are work to do yet: from the phase of the document written
    from it on (the declaration's prompts are no task in phase 1, and no public render prints
    them either way), or once that phase was entered before a revisit."""
    document = next((d for d in load_documents() if d.text
                     and load_layout().texts[d.text]["file"] == record.path), None)
    try:
        catalogue = load_catalogue()
        current = catalogue.phase(ws.process["phase"])
        own = catalogue.phase(document.phase) if document else None
    except (KeyError, TypeError, StopIteration):
        return True
    entered = {entry.get("to") for entry in ws.process.get("history") or []
               if isinstance(entry, dict)}
    return own is None or own.number <= current.number or own.id in entered


@file_rule()
def guidance_in_values(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    for located in in_values(ctx, record):
        yield located.finding


@rule
def guidance_in_texts(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.ws.all("text"):
        if due(ctx.ws, record):
            for located in in_body(ctx, record):
                yield located.finding


def located_guidance(ws: Workspace, today: dt.date | None = None, due_only: bool = False
                     ) -> list[Located]:
    """Every piece of guidance left in the process, at its place, in file order: what a
    public render refuses to print, and (due_only: texts of phases reached) what copi status
    lists as work to do."""
    ctx = Context(ws, today or dt.date.today(), Locator(ws.root))
    found: list[Located] = []
    for kind in load_layout().kinds:
        for record in ws.all(kind.kind):
            found.extend(in_values(ctx, record))
            if kind.kind == "text" and not (due_only and not due(ws, record)):
                found.extend(in_body(ctx, record))
    return sorted(found, key=lambda located: located.finding.sort_key())
