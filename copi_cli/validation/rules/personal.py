"""Personal data (practice.md, "Personal data"): every contact with a retention date and a legal
basis (R031), and no CPR number in the free text of a process (R032) — fall data is health data.

The CPR warning never repeats the number: the finding itself lands in terminals, CI logs and
SARIF files that outlive the process.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from copi_cli.diagnostics import Diagnostic
from copi_cli.model.workspace import Record
from copi_cli.resources import load_data
from copi_cli.validation.rules.base import Context, Path_, file_rule

# ddmmyy-xxxx, with or without the dash; not part of a longer number (an EAN, an amount).
CPR = re.compile(r"(?<![\d.,/-])(\d{2})(\d{2})(\d{2})(-?)(\d{4})(?![\d]|[.,/-]\d)")
MASK = "xxxxxx-xxxx"


def _strings(data: Any, where: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*where, index))


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
    """The CPR-like numbers in a text: ddmmyy-xxxx or ddmmyyxxxx with a real date."""
    return [m for m in CPR.finditer(text) if _plausible(m.group(1), m.group(2), m.group(3))]


def _place(ctx: Context, record: Record, line: int, col: int, found: str) -> tuple[int, int]:
    """The exact line and column of a number inside a value that spans lines (a block scalar
    starts at its indicator); the value's own place when the file says otherwise."""
    text, offset = ctx.at.source(record)
    lines = text.splitlines()
    for number in range(max(line - offset - 1, 0), len(lines)):
        at = lines[number].find(found)
        if at >= 0:
            return number + 1 + offset, at + 1
    return line, col


@file_rule("organisation", "supplier")
def contacts_have_retention_and_basis(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """What copi contact add writes, asked of a contact written by hand too."""
    required = load_data("personal_data.yaml")["required"]
    contacts = record.data.get("contacts")
    for index, contact in enumerate(contacts if isinstance(contacts, list) else []):
        if not isinstance(contact, dict):
            continue
        missing = [key for key in required if not contact.get(key)]
        if not missing:
            continue
        what = " and ".join({"retention_until": "retention date",
                             "legal_basis": "legal basis"}.get(k, k) for k in missing)
        add = ", ".join({"retention_until": "retention_until: YYYY-MM-DD",
                         "legal_basis": "legal_basis: public-task"}.get(k, k) for k in missing)
        yield ctx.diag(record, ("contacts", index), "R031",
                       f"contact {contact.get('name', index + 1)} has no {what}",
                       f"add {add} to the contact (GDPR: how long the details are kept, and "
                       "why the process may hold them; copi contact add writes both)")


@file_rule()
def no_cpr_numbers(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """A CPR number has no place in a process repository, whatever the field."""
    hint = ("remove the number, or the whole passage if it is about a citizen: personal "
            "identification numbers and health data do not belong in the process; it stays in "
            "the git history until that is rewritten")
    for where, value in _strings(record.data):
        for match in cpr_like(value):
            line, col = ctx.at(record, where)
            line, col = _place(ctx, record, line, col, match.group(0))
            field = ".".join(str(step) for step in where)
            yield Diagnostic(record.path, line, col, "R032",
                             f"a number like a CPR number ({MASK}) in {field}", hint)
    body = record.body or ""
    matches = cpr_like(body)
    if matches:
        first = ctx.at.body_line(record)
        for match in matches:
            line = first + body.count("\n", 0, match.start())
            col = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
            yield Diagnostic(record.path, line, col, "R032",
                             f"a number like a CPR number ({MASK}) in the text", hint)
