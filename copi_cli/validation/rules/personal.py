"""Personal data (practice.md, "Personal data"): every contact with a retention date and a legal
basis (R031), and no CPR number in the free text of a process (R032) — fall data is health data.

The CPR warning never repeats the number: the finding itself lands in terminals, CI logs and
SARIF files that outlive the process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from copi_cli.cpr import MASK, cpr_like
from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said
from copi_cli.model.workspace import Record
from copi_cli.resources import load_data
from copi_cli.validation.rules.base import Context, Path_, file_rule

# A file with many numbers is a file to clean, not a list to read: after this many, the rest are
# counted in one finding (and the rule's work stays linear in the file's size).
MAX_PER_FILE = 20
HINT = "finding.r032.hint"
# what a contact lacks, as R031 says it
LACKING = {"retention_until": "finding.r031.retention", "legal_basis": "finding.r031.basis"}


def _values(data: Any, where: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every text and whole number of a record, as written: YAML reads 1503801234 as a number."""
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, int) and not isinstance(data, bool):
        yield where, str(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _values(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _values(value, (*where, index))


class _Source:
    """A file's lines, split once, with a cursor per value: each number is placed after the one
    before it, so a block of many numbers is placed in one pass and a repeated number at each
    of its own lines."""

    def __init__(self, text: str, offset: int) -> None:
        self.lines = text.splitlines()
        self.offset = offset

    def place(self, line: int, col: int, found: list[str]) -> Iterator[tuple[int, int]]:
        """The line and column of each of found (in order) from the value's place on; the
        value's own place for one the file writes otherwise (an escape, a folded line)."""
        row, at = max(line - self.offset - 1, 0), max(col - 1, 0)
        for text in found:
            spot = None
            scan_row, scan_at = row, at
            while scan_row < len(self.lines):
                hit = self.lines[scan_row].find(text, scan_at)
                if hit >= 0:
                    spot = (scan_row, hit)
                    break
                scan_row, scan_at = scan_row + 1, 0
            if spot is None:
                yield line, col
                continue
            row, at = spot[0], spot[1] + len(text)
            yield spot[0] + 1 + self.offset, spot[1] + 1


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
        said = [Said(LACKING[k]) if k in LACKING else k for k in missing]
        what = said[0]
        for more in said[1:]:
            what = Said("finding.and", first=what, second=more)
        add = ", ".join({"retention_until": "retention_until: YYYY-MM-DD",
                         "legal_basis": "legal_basis: public-task"}.get(k, k) for k in missing)
        yield ctx.diag(record, ("contacts", index), "R031",
                       Said("finding.r031.missing", n=index + 1, what=what),
                       Said("finding.r031.hint", add=add))


@file_rule()
def no_cpr_numbers(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """A CPR number has no place in a process repository, whatever the field, and not in a
    comment either."""
    found: list[tuple[int, int, Said]] = []
    text, offset = ctx.at.source(record)
    source: _Source | None = None
    for where, value in _values(record.data):
        matches = [match.group(0) for match in cpr_like(value)]
        if not matches:
            continue
        source = source or _Source(text, offset)
        value_line, value_col = ctx.at(record, where)
        field = ".".join(str(step) for step in where)
        for line, col in source.place(value_line, value_col,
                                      matches[:MAX_PER_FILE + 1 - len(found)]):
            found.append((line, col, Said("finding.r032.in-field", field=field)))
        if len(found) > MAX_PER_FILE:
            break
    if len(found) <= MAX_PER_FILE:
        # YAML comments (of a file, or of a text's front matter): no value holds them
        placed = {(line, col) for line, col, _ in found}
        for number, row in enumerate(text.splitlines() if "#" in text else []):
            hash_at = row.find("#")
            if hash_at < 0:
                continue
            for match in cpr_like(row[hash_at:]):
                spot = (number + 1 + offset, hash_at + match.start() + 1)
                if spot not in placed:
                    found.append((*spot, Said("finding.r032.in-comment")))
    body = record.body or ""
    if len(found) <= MAX_PER_FILE and body:
        first = ctx.at.body_line(record)
        line, line_start = first, 0
        for match in cpr_like(body):
            line += body.count("\n", line_start, match.start())
            line_start = body.rfind("\n", 0, match.start()) + 1
            found.append((line, match.start() - line_start + 1, Said("finding.r032.in-text")))
            if len(found) > MAX_PER_FILE:
                break
    for line, col, field in found[:MAX_PER_FILE]:
        yield Diagnostic(record.path, line, col, "R032",
                         Said("finding.r032.number", mask=MASK, where=field), Said(HINT))
    if len(found) > MAX_PER_FILE:
        line, col, _ = found[MAX_PER_FILE]
        yield Diagnostic(record.path, line, col, "R032",
                         Said("finding.r032.more", mask=MASK, limit=MAX_PER_FILE), Said(HINT))
