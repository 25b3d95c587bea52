"""Tool answers feeding the records they describe (copi tool apply, copi tool import --apply).

The planning tool names stakeholders and links of the value chain, the needs exploration tool
barriers and insights; without this they would be typed twice, once in the tool and once in
interessenter.yaml or udforskning/. Which answers feed which records is data (data/tools.yaml,
a question's `feeds`).

Design:
1. the answers are those recorded in the process (vaerktoejer/…, read by the workspace like
   every record: regular files inside the process, bounded, checked against the tool's
   questions) or those an import has just put in the change; answers with an error are refused
   with their own located findings, and nothing is fed;
2. each line of a list answer whose question feeds records becomes one entry of that file's
   list. A line already there — the same text, case, spacing and punctuation aside — is left
   as it is; a line whose id is taken by an entry with another text is a conflict, reported
   and left out, never overwritten; the same line twice is one entry. So feeding the same
   answers again adds nothing;
3. the entries of each file are appended in memory with yamledit in one edit (the file parsed
   once, whatever the number of lines; at most MAX_LINES lines of an answer), the change is
   checked as it would be written (an error refuses it, nothing written), and the diff of each
   file is what the command shows before it asks to apply it in one commit.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

from copi_cli.diagnostics import Diagnostic, named
from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said
from copi_cli.model.organisations import slugify
from copi_cli.model.tools import Feed, Field, Tool
from copi_cli.model.vocabulary import choices, label
from copi_cli.model.yamlsource import locate
from copi_cli.trail.change import Change

MAX_LINE = 300  # characters: a name, a step, a barrier or an insight in one line
# lines of one answer that are fed: a process names tens of stakeholders or barriers, never
# thousands; more is refused at the first line past the bound, so an untrusted file cannot
# make an apply run for minutes
MAX_LINES = 500
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PUNCTUATION = re.compile(r"[^\w]+|_")  # all but letters and digits


class Skipped(NamedTuple):
    """A line that was not fed, and why: where it is in the answers, and the entry it meets."""

    path: str
    line: int
    text: str
    why: str


class Feeding(NamedTuple):
    """What feeding a tool's answers would add, before it is applied."""

    tool: Tool
    source: str  # the answers, relative to the process
    added: list[tuple[str, dict]]  # (file, entry) in the order appended
    present: int  # lines the records already hold
    skipped: list[Skipped]  # conflicts, and lines with no letters to make an id from
    diffs: list[tuple[str, str]]  # (file, unified diff) of every file that would change

    @property
    def files(self) -> list[str]:
        return [file for file, _ in self.diffs]


class AnswersRefused(UserError):
    """The recorded answers hold an error; nothing was fed. findings point into them."""

    def __init__(self, findings: list[Diagnostic]) -> None:
        first = findings[0]
        more = Said("refused.more", n=len(findings) - 1) if len(findings) > 1 else ""
        super().__init__(Said("refused.finding", path=first.path, line=first.line,
                              col=first.col, code=first.code, message=first.message, more=more),
                         hint=first.hint or Said("feed.refused-hint", path=first.path))
        self.findings = findings


def _or(names: list[str]) -> str:
    """'a or b', said in the reader's language."""
    if len(names) < 2:
        return ", ".join(names)
    return Said("feed.or", names=", ".join(names[:-1]), last=names[-1])


def feeding_fields(tool: Tool) -> list[Field]:
    """The questions whose answers become records."""
    return [f for f in tool.fields if f.feeds is not None]


def feed_recorded(change: Change, tool: Tool) -> Feeding:
    """The answers recorded in the process for tool, fed into its records (in the change)."""
    if not feeding_fields(tool):
        fed = sorted(t.danish_id for t in _feeding_tools())
        raise UsageError(Said("feed.none", tool=tool.danish_id),
                         hint=Said("feed.none-hint", tools=_or(fed)))
    rel = tool.path(None)
    errors = [d for d in change.before.diagnostics if d.path == rel and d.level == "error"]
    if errors:
        raise AnswersRefused(errors)
    record = _record_at(change, rel)
    if record is None:
        raise UserError(Said("feed.no-answers", tool=tool.danish_id, path=rel),
                        hint=Said("feed.no-answers-hint", tool=tool.danish_id))
    return feed(change, tool, record, rel, change.read(rel))


def feed(change: Change, tool: Tool, data: dict, rel: str, text: str) -> Feeding:
    """Append every line of tool's feeding answers that its records lack; check the change."""
    found = data.get("answers")
    answers: dict = found if isinstance(found, dict) else {}
    date = data.get("date") if isinstance(data.get("date"), str) else None
    before: dict[str, str] = {}
    added: list[tuple[str, dict]] = []
    skipped: list[Skipped] = []
    present = 0
    pending: dict[tuple[str, str], list[dict]] = {}  # appended at the end, one edit a file
    for field in feeding_fields(tool):
        feed_ = field.feeds
        assert feed_ is not None
        lines = answers.get(field.key)
        if not isinstance(lines, list):
            continue
        existing = _entries(change, feed_.file, feed_.list)
        texts = {_same(str(e.get(feed_.text, ""))): e for e in existing}
        ids = {str(e.get("id")): (i, e) for i, e in enumerate(existing)}
        if len(lines) > MAX_LINES:
            where = locate(text, ("answers", field.key, MAX_LINES))[0]
            raise UserError(Said("feed.too-many-lines", path=rel, line=where, key=field.key,
                                 n=len(lines), most=MAX_LINES),
                            hint=Said("feed.too-many-lines-hint"))
        for number, raw in enumerate(lines):
            where = locate(text, ("answers", field.key, number))[0]
            if not isinstance(raw, str) or not raw.strip():
                continue
            kind, said = _kind(feed_, " ".join(raw.split()))
            if len(said) > MAX_LINE:
                raise UserError(Said("feed.line-too-long", path=rel, line=where, key=field.key,
                                     n=len(said), field=feed_.text),
                                hint=Said("feed.line-too-long-hint", most=MAX_LINE))
            if _same(said) in texts:
                present += 1
                continue
            record_id = slugify(said)[:60].rstrip("-")
            if not record_id:
                skipped.append(Skipped(rel, where, said, Said("feed.skip.no-id")))
                continue
            if record_id in ids:
                index, other = ids[record_id]
                there = (f"{feed_.file}:{locate(change.read(feed_.file), (feed_.list, index))[0]}"
                         if index >= 0 else Said("feed.skip.another-line"))
                # a confidential entry is named by its place only: the message reaches logs
                taken = named(other, "", feed_.text)
                skipped.append(Skipped(rel, where, said, Said(
                    "feed.skip.taken-by", id=record_id, taken=taken, there=there) if taken
                    else Said("feed.skip.taken", id=record_id, there=there)))
                continue
            entry: dict = {"id": record_id}
            if kind:
                entry["kind"] = kind
            entry.update(feed_.set)
            entry[feed_.text] = said
            if feed_.dated and date and _DATE.fullmatch(date):
                entry["date"] = date
            if feed_.file not in before:
                before[feed_.file] = change.read(feed_.file) if change.exists(feed_.file) else ""
            pending.setdefault((feed_.file, feed_.list), []).append(entry)
            added.append((feed_.file, entry))
            texts[_same(said)] = entry
            ids[record_id] = (-1, entry)
    for (file, key), entries in pending.items():
        change.append_all(file, key, entries)
    if added:
        change.check()  # an error refuses it here, before anything is shown as to be done
    diffs = [(file, "".join(difflib.unified_diff(
        old.splitlines(keepends=True), change.texts[file].splitlines(keepends=True),
        fromfile=f"a/{file}" if old else "/dev/null", tofile=f"b/{file}")))
        for file, old in before.items()]
    return Feeding(tool, rel, added, present, skipped, diffs)


def _feeding_tools() -> list[Tool]:
    from copi_cli.model.tools import load_tools

    return [t for t in load_tools() if feeding_fields(t)]


def _record_at(change: Change, rel: str) -> dict | None:
    for records in change.ws.records.values():
        for record in records:
            if record.path == rel:
                return record.data
    return None


def _entries(change: Change, file: str, key: str) -> list[dict]:
    """The entries of file's list as the process has them; a file that exists but cannot be
    read is refused (appending to it could not be checked)."""
    data = _record_at(change, file)
    if data is None:
        if change.exists(file):
            raise UserError(Said("feed.unreadable", path=file), hint=Said("feed.unreadable-hint"))
        return []
    found = data.get(key)
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _same(text: str) -> str:
    """Texts that are the same line, case, spacing and punctuation aside: »ældre borgere i
    eget hjem!« is the stakeholder »Ældre borgere i eget hjem« already there, not a second."""
    return " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())


def _kind(feed_: Feed, line: str) -> tuple[str | None, str]:
    """A line's kind from a label that opens it (»Lovgivning: …«), else the default."""
    if not feed_.kind:
        return None, line
    head, colon, rest = line.partition(":")
    if colon and rest.strip():
        wanted = head.strip().casefold()
        for value in choices(feed_.kind):
            if wanted in {value, label(feed_.kind, value, "da").casefold(),
                          label(feed_.kind, value, "en").casefold()}:
                return value, rest.strip()
    return feed_.default, line
