"""The rule machinery: registering rules, locating findings, walking records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from copi_cli.diagnostics import Diagnostic
from copi_cli.model.workspace import Record, Workspace, read_regular
from copi_cli.model.yamlsource import LIMITS, locate, split_front_matter

Path_ = tuple[str | int, ...]


class Locator:
    """Line and column of a node in a record's file; reads each file at most once."""

    def __init__(self, root: Path, texts: dict[str, tuple[str, int]] | None = None) -> None:
        self.root = root
        self._texts = dict(texts or {})

    def __call__(self, record: Record, where: Path_, key: bool = False) -> tuple[int, int]:
        if record.path not in self._texts:
            try:
                raw = read_regular(self.root / record.path, LIMITS.size)
                text = raw.decode("utf-8-sig") if len(raw) <= LIMITS.size else ""
            except (OSError, UnicodeDecodeError):  # changed since it was read: no place known
                text = ""
            offset = 0
            if record.path.endswith(".md"):
                split = split_front_matter(text)
                text, offset = (split[0], 1) if split else (text, 0)
            self._texts[record.path] = (text, offset)
        text, offset = self._texts[record.path]
        line, col, _ = locate(text, where, key=key, line_offset=offset)
        return line, col

    def source(self, record: Record) -> tuple[str, int]:
        """The text the record's places are found in, and the lines before it (a text's
        front matter starts after its first '---')."""
        self(record, ())  # read and remembered
        return self._texts[record.path]

    def body_line(self, record: Record) -> int:
        """The line a text's Markdown body starts on: after its front matter and both of its
        '---' lines."""
        self(record, ())  # read and remembered
        text, offset = self._texts[record.path]
        return text.count("\n") + 2 + offset if offset else 1


class Context:
    def __init__(self, ws: Workspace | None, today: dt.date, locator: Locator) -> None:
        self._ws = ws
        self.today = today
        self.at = locator

    @property
    def ws(self) -> Workspace:
        assert self._ws is not None, "a file rule must not look at the workspace"
        return self._ws

    def diag(self, record: Record, where: Path_, code: str, message: str,
             hint: str | None = None, key: bool = False) -> Diagnostic:
        line, col = self.at(record, where, key=key)
        return Diagnostic(record.path, line, col, code, message, hint)


FileRule = Callable[[Context, Record], Iterator[Diagnostic]]


WorkspaceRule = Callable[[Context], Iterator[Diagnostic]]


FILE_RULES: list[tuple[frozenset[str] | None, FileRule]] = []


RULES: list[WorkspaceRule] = []


def file_rule(*kinds: str) -> Callable[[FileRule], FileRule]:
    """Register a rule over one record of these kinds (all kinds when none are named)."""
    def register(function: FileRule) -> FileRule:
        FILE_RULES.append((frozenset(kinds) or None, function))
        return function
    return register


def rule(function: WorkspaceRule) -> WorkspaceRule:
    RULES.append(function)
    return function


def check_file(root: Path, record: Record, text: str, offset: int,
               today: dt.date) -> list[Diagnostic]:
    """The file rules for one record, located in its already-read text.

    A record that failed its schema is checked too, so that a user sees every mistake at once;
    a rule that trips over the record's wrong types is skipped for it (the schema findings
    already say what is wrong there).
    """
    context = Context(None, today, Locator(root, {record.path: (text, offset)}))
    found: list[Diagnostic] = []
    for kinds, function in FILE_RULES:
        if kinds is not None and record.kind not in kinds:
            continue
        if record.valid:
            found.extend(function(context, record))
            continue
        try:
            found.extend(list(function(context, record)))
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            continue
    return found


def check_rules(ws: Workspace, today: dt.date,
                texts: dict[str, str] | None = None) -> list[Diagnostic]:
    """The workspace rules; texts are files changed in memory and not yet written."""
    context = Context(ws, today, Locator(ws.root, {rel: (text, 0) for rel, text in
                                                   (texts or {}).items()}))
    return [d for function in RULES for d in function(context)]


def walk(data: Any, pattern: Path_) -> list[tuple[Path_, Any]]:
    """(path, value) at a path pattern where '*' stands for every list item.

    Breadth-first over lists rather than recursive generators: rules call this for every
    record of a large process.
    """
    found: list[tuple[Path_, Any]] = [((), data)]
    for step in pattern:
        following: list[tuple[Path_, Any]] = []
        if step == "*":
            for where, value in found:
                if isinstance(value, list):
                    following.extend(((*where, i), item) for i, item in enumerate(value))
        else:
            for where, value in found:
                if isinstance(value, dict) and step in value:
                    following.append(((*where, step), value[step]))
        found = following
    return found


_MISSING = object()


def values(data: Any, pattern: Path_) -> list[Any]:
    """The values walk() would give, without their paths: the cheap test on every record."""
    current = [data]
    for step in pattern:
        following: list[Any] = []
        if step == "*":
            for value in current:
                if isinstance(value, list):
                    following.extend(value)
        else:
            for value in current:
                if isinstance(value, dict):
                    found = value.get(step, _MISSING)
                    if found is not _MISSING:
                        following.append(found)
        current = following
    return current


def to_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
