"""Where a leak came from, for the message that refuses a public document: the record and field
the text was cut from (`organisationer/aarhus-kommune.yaml:23 contacts.email`), and where the
document got it — a line of its own text, or the template line that printed it with the
record and field it printed (`bekraeftelser.yaml:7 by`).

Asked only when a document is refused, so it may read files again and render the template once
more, part by part (copi_cli.rendering.templating.render_traced).

Design — the place of a needle in the document:
1. its text: the first line of the text's file (front matter included, HTML comments and
   confidential passages blanked) by which the needle has been read;
2. else its template: the first part of the output by which it has been read, back to the
   part where it starts; the template lines of those parts, and the records whose field holds
   a value printed there — or, for a value the template made of several (a list joined),
   the fields that hold the needle;
3. else the records whose field holds it (a page title, a footer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from copi_cli.messages import Said
from copi_cli.model.workspace import Record, Workspace, read_regular
from copi_cli.model.yamlsource import LIMITS
from copi_cli.rendering.confidentiality import Guard, Needle, strings_at, words
from copi_cli.resources import shipped_dir
from copi_cli.validation.rules.base import Locator

# A part of a template's output: its text, whether it printed a value ({{ … }}) rather than
# the template's own words, and the template line that wrote it.
Part = tuple[str, bool, "str | None"]

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE = re.compile(r"^[ \t>]*:{3,}.*$")
_SECRET_FENCE = re.compile(r"^[ \t>]*:{3,}\s*\{?\s*\.?(?:fortroligt|confidential)\b",
                           re.IGNORECASE)
_ESCAPED = re.compile(r"\\(.)")
# How many record fields a hint names at most.
SHOWN_FIELDS = 2


def origin_shown(root: Path, needle: Needle, guard: Guard) -> str:
    """Where the needle is recorded: organisationer/aarhus-kommune.yaml:23 contacts.email; a
    passage of a text by the line it is read by."""
    origin = needle.origin
    if origin is None or not origin.path:
        return ""
    if not origin.field:
        found = _first(_lines(root / origin.path), _holds(needle, guard))
        return origin.path if found is None else f"{origin.path}:{found + 1}"
    line, _ = Locator(root)(_record(origin.path), origin.field)
    return f"{origin.path}:{line} {origin.dotted()}".rstrip()


class Printed(NamedTuple):
    """Where a document got a needle: a line of its text, or a template line and the record
    fields it printed, or only the record fields that hold it; empty when none says."""

    text: str = ""  # tekster/pressemeddelelse.md:12
    template: str = ""  # copi's template da/press-release.md.j2:16
    fields: tuple[str, ...] = ()  # copi.yaml:14 facilitator.name

    def hint(self, source: str) -> Said:
        """What to do about it, for the refusal's hint."""
        fields = ", ".join(self.fields)
        if self.text:
            return Said("render.leak-in-text", text=self.text)
        if self.template:
            if fields:
                return Said("render.leak-by-template-from", template=self.template,
                            fields=fields)
            return Said("render.leak-by-template", template=self.template)
        if fields:
            return Said("render.leak-from-fields", fields=fields)
        return Said("render.leak-remove", source=source or Said("render.the-template"))


def page_fields(ws: Workspace) -> list[tuple[str, Record, tuple[str | int, ...]]]:
    """What the page around a document prints besides its text and template, with the record
    field it comes from: the sender (brand.yaml organisation, else the facilitator's), the
    process's title (subtitle and footer)."""
    found: list[tuple[str, Record, tuple[str | int, ...]]] = []
    fields: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("brand", ("organisation",)), ("process", ("facilitator", "organisation")),
        ("process", ("title",)))
    for kind, field in fields:
        record = ws.single(kind)
        value: Any = record.data if record is not None else None
        for key in field:
            value = value.get(key) if isinstance(value, dict) else None
        if record is not None and isinstance(value, str):
            found.append((value, record, field))
    return found


def printed_at(needle: Needle, guard: Guard, root: Path, ws: Workspace, text: str,
               trace: Callable[[], list[Part]]) -> Printed:
    """Where the document got the needle: its text's file and line, or the template line and
    the record field it printed, or the page's field that printed it (the sender, from
    brand.yaml), or the fields that hold it."""
    if text:
        line = _text_line(needle, guard, root / text)
        if line is not None:
            return Printed(text=f"{text}:{line}")
    try:
        parts = trace()
    except Exception:  # noqa: BLE001 - a hint must never hide the refusal it explains
        parts = []
    span = _span(needle, guard, [part for part, _, _ in parts])
    if span is not None:
        printed = parts[span[0]:span[1] + 1]
        lines = [where for _, value, where in printed if value and where] or \
            [where for _, _, where in printed if where]
        fields = _fields_of(ws, root, [part for part, value, _ in printed if value], needle,
                            guard)
        return Printed(template=_template_shown(lines[0], root) if lines else "",
                       fields=tuple(fields))
    holds = _holds(needle, guard)
    page = _places(root, ((record, at) for value, record, at in page_fields(ws)
                          if holds(value)))
    return Printed(fields=tuple(page or _holding(ws, root, needle, guard)))


def _record(path: str) -> Record:
    return Record("", path, {}, None, True)


def _holds(needle: Needle, guard: Guard) -> Callable[[str], bool]:
    return lambda text: needle in guard.findings(text)


def _first(parts: list[str], holds: Callable[[str], bool]) -> int | None:
    """The first n by which parts[:n + 1] hold the needle; None when all of them do not."""
    if not parts or not holds("".join(parts)):
        return None
    low, high = 0, len(parts) - 1
    while low < high:
        middle = (low + high) // 2
        if holds("".join(parts[:middle + 1])):
            high = middle
        else:
            low = middle + 1
    return low


def _text_line(needle: Needle, guard: Guard, path: Path) -> int | None:
    found = _first(_blanked("".join(_lines(path))).splitlines(keepends=True),
                   _holds(needle, guard))
    return None if found is None else found + 1


def _lines(path: Path) -> list[str]:
    try:
        return read_regular(path, LIMITS.size).decode("utf-8", "replace").splitlines(
            keepends=True)
    except OSError:
        return []


def _blanked(text: str) -> str:
    """The text with what no document shows blanked, line for line: HTML comments and
    confidential passages (a marked passage may hold the same words as the leak)."""
    text = _COMMENT.sub(lambda comment: re.sub(r"[^\n]", " ", comment.group(0)), text)
    lines, inside = [], False
    for line in text.splitlines(keepends=True):
        if not inside and _SECRET_FENCE.match(line):
            inside = True
        elif inside and _FENCE.match(line) and not line.strip(" \t>:\n"):
            inside = False
            lines.append("\n")
            continue
        lines.append("\n" if inside else line)
    return "".join(lines)


def _span(needle: Needle, guard: Guard, parts: list[str]) -> tuple[int, int] | None:
    """The parts of a template's output the needle is read in: where it ends, back to where
    it starts."""
    end = _first(parts, _holds(needle, guard))
    if end is None:
        return None
    holds = _holds(needle, guard)
    start = end
    while start > 0 and not holds("".join(parts[start:end + 1])):
        start -= 1
    return start, end


def _template_shown(where: str, root: Path) -> str:
    """copi's own template by its place among copi's templates; a process's by its path."""
    file, _, line = where.rpartition(":")
    path = Path(file)
    shipped = (shipped_dir("templates") / "documents").resolve()
    for base, copis in ((shipped, True), (root.resolve(), False)):
        try:
            shown = f"{path.resolve().relative_to(base).as_posix()}:{line}"
        except (OSError, ValueError):
            continue
        return Said("render.copis-template", template=shown) if copis else shown
    return where


def _fields_of(ws: Workspace, root: Path, values: list[str], needle: Needle,
               guard: Guard) -> list[str]:
    """The record fields the printed values come from: each value by the field that holds
    it as it is; failing that, the fields that hold the needle."""
    wanted = {" ".join(_ESCAPED.sub(r"\1", value).split()) for value in values}
    found = _places(root, (place for place, text in _fields(ws)
                           if " ".join(text.split()) in wanted))
    return found or _holding(ws, root, needle, guard)


def _holding(ws: Workspace, root: Path, needle: Needle, guard: Guard) -> list[str]:
    """The record fields whose text holds the needle."""
    holds = _holds(needle, guard)
    needed = set(words(needle.key or needle.shown))
    return _places(root, (place for place, text in _fields(ws)
                          if needed & set(words(text)) and holds(text)))


def _fields(ws: Workspace) -> Iterator[tuple[tuple[Record, tuple[str | int, ...]], str]]:
    """Every text of every record, with its place (the record, the keys to it)."""
    for records in ws.records.values():
        for record in records:
            for text, at, _ in strings_at(record.data, ()):
                if at:
                    yield (record, at), text


def _places(root: Path, places: Iterator[tuple[Record, tuple[str | int, ...]]]) -> list[str]:
    """The first few places as people read them: `bekraeftelser.yaml:7 by`."""
    locate = Locator(root)
    shown: list[str] = []
    for record, at in places:
        line, _ = locate(record, at)
        place = f"{record.path}:{line} {'.'.join(s for s in at if isinstance(s, str))}"
        if place not in shown:
            shown.append(place)
        if len(shown) == SHOWN_FIELDS:
            break
    return shown

