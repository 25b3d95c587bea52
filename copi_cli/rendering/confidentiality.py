"""What an audience may see: confidential material and personal data out of public documents.

A process repo holds business secrets, 1:1 notes, the askers of questions and contact persons
next to what is meant for the market. Rendering never trusts a template to leave them out: the
records are cut down *before* a template sees them (`view`), by the rules in
data/confidentiality.yaml and the records' own `confidential` markings. An internal render keeps
everything and wraps each restricted text in `Restricted`, which the renderer prints marked.

As a second line of defence, every restricted text that was cut is remembered, and the finished
public Markdown is searched for it (`Guard`): a person may have pasted an e-mail address or a
passage of minutes into a text by hand.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from copi_cli.messages import message
from copi_cli.resources import load_data

REASONS = ("confidential", "personal", "secret", "internal")
# A text shorter than this is too common to prove a leak ("Aarhus", "ja"); e-mail addresses
# and phone numbers are checked whatever their length.
GUARDED_LENGTH = 20
SENSITIVE_LENGTH = 6
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: digits and spaces, at least eight digits ("+45 87 13 00 00"); a date
# (2026-09-24) or an amount (1.234.567) is not one.
_PHONE = re.compile(r"^\+?\d[\d ]{6,}\d$")
_CONFIDENTIAL_CLASSES = {"confidential", "fortroligt"}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A text that may hold a marked passage (pandoc looks closer; most texts have none).
_MARKING = re.compile(r"fortroligt|confidential", re.IGNORECASE)


class Restricted(str):
    """A text an internal render shows marked, and a public render never shows."""

    reason: str

    def __new__(cls, value: str, reason: str) -> Restricted:
        made = super().__new__(cls, value)
        made.reason = reason
        return made


@cache
def _rules() -> dict:
    return load_data("confidentiality.yaml")


def _fields(kind: str, group: str) -> list[str]:
    rules = _rules()[group]
    return [*rules.get("*", []), *rules.get(kind, [])]


def _locate(data: Any, path: list[str]) -> Iterator[tuple[dict, str]]:
    """(parent, key) for every place a dotted path with `*` reaches in data."""
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in data if isinstance(data, list) else []:
            yield from _locate(item, rest)
        return
    if not isinstance(data, dict) or head not in data:
        return
    if rest:
        yield from _locate(data[head], rest)
    else:
        yield data, head


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _wrapped(value: Any, reason: str) -> Any:
    if isinstance(value, Restricted):
        return value
    if isinstance(value, str):
        return Restricted(value, reason)
    if isinstance(value, dict):
        return {key: _wrapped(item, reason) for key, item in value.items()}
    if isinstance(value, list):
        return [_wrapped(item, reason) for item in value]
    return value


class View:
    """Cuts records down to what one audience may see, remembering what it cut."""

    def __init__(self, audience: str, lang: str = "da") -> None:
        self.public = audience == "public"
        self.lang = lang
        self.cut: set[str] = set()
        self.sensitive: set[str] = set()  # personal data and business secrets

    def _restrict(self, parent: dict, key: str, reason: str) -> None:
        if self.public:
            removed = list(_strings(parent.pop(key)))
            self.cut.update(removed)
            if reason in ("personal", "secret"):
                self.sensitive.update(removed)
        else:
            parent[key] = _wrapped(parent[key], reason)

    def _apply_marking(self, data: dict) -> dict | None:
        """A record's or list item's own `confidential`: true, or a list of its fields."""
        marking = data.get("confidential")
        if marking is True:
            if self.public:
                self.cut.update(_strings(data))
                return None
            return _wrapped(data, "confidential")
        if isinstance(marking, list):
            for field in marking:
                if field in data and field != "confidential":
                    self._restrict(data, field, "confidential")
        return data

    def record(self, kind: str, data: dict) -> dict | None:
        """The record as the audience may see it; None when a public render must leave it out."""
        marked = self._apply_marking(copy.deepcopy(data))
        if marked is None:
            return None
        data = marked
        self._notes(data)
        for group in ("personal", "secret", "internal"):
            for path in _fields(kind, group):
                for parent, key in list(_locate(data, path.split("."))):
                    self._restrict(parent, key, group)
        if data.get("confidential") is not False:
            for path in _fields(kind, "confidential_by_default"):
                for parent, key in list(_locate(data, path.split("."))):
                    self._restrict(parent, key, "confidential")
        for key in _rules()["items"].get(kind, []):
            if isinstance(data.get(key), list):
                kept = [self._apply_marking(item) if isinstance(item, dict) else item
                        for item in data[key]]
                data[key] = [item for item in kept if item is not None]
        materials = _rules()["materials"].get(kind)
        if materials and isinstance(data.get(materials["path"]), list):
            data[materials["path"]] = [
                item for item in data[materials["path"]]
                if self._material_shown(item, materials["public_when_unmarked"])]
        return data

    def _notes(self, data: object) -> None:
        """The facilitator's `note`, at any depth (a confirmation's, a decision's): internal."""
        if isinstance(data, dict):
            if "note" in data and isinstance(data["note"], str):
                self._restrict(data, "note", "internal")
            for value in list(data.values()):
                self._notes(value)
        elif isinstance(data, list):
            for item in data:
                self._notes(item)

    def _material_shown(self, material: dict, public_when_unmarked: bool) -> bool:
        visibility = material.get("visibility")
        public = visibility == "all-market" or (visibility is None and public_when_unmarked)
        if public or not self.public:
            return True
        self.cut.update(_strings(material))
        return False

    def text(self, markdown: str) -> str:
        """A text's Markdown as the audience may read it.

        HTML comments (`<!-- … -->`, the author's notes and copi's guidance in starter texts)
        are never part of a document; an unclosed one hides the rest, as it would in HTML. A
        confidential passage — a fenced div `::: fortroligt` or `{.confidential}` in any
        spelling, or a span `[…]{.fortroligt}` — is cut for the public, or kept and marked for
        internal use. pandoc decides where a passage ends
        (copi_cli.rendering.conversion.cut_passages), so a `:::` in a code block or an indented
        line cannot end it early.
        """
        markdown = _COMMENT.sub("", markdown)
        if "<!--" in markdown:
            markdown = markdown[:markdown.index("<!--")]
        if not _MARKING.search(markdown):
            return markdown
        from copi_cli.rendering.conversion import cut_passages

        text, cut = cut_passages(markdown, "public" if self.public else "internal",
                                 message("marker.confidential", self.lang))
        self.cut.update(cut)
        return text

    def guard(self) -> Guard:
        return Guard(self.cut, self.sensitive)


def _normal(text: str) -> str:
    """Text as it reads: HTML entities decoded, Markdown backslash escapes dropped, whitespace
    (and line wrapping) collapsed, case folded."""
    text = html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))
    return " ".join(text.split()).casefold()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class Guard:
    """Searches a finished public document for anything that was cut from its sources.

    Needles: every e-mail address; every phone number, by its last eight digits whatever the
    spacing; personal data and business secrets from SENSITIVE_LENGTH characters (a contact's
    name); any other text that was cut, and each of its sentences, from GUARDED_LENGTH.
    """

    def __init__(self, cut: set[str], sensitive: Iterable[str] = ()) -> None:
        self.needles: set[str] = set()  # texts that were cut
        self.personal: set[str] = set()  # personal data, secrets, hidden names: never excused
        self.phones: set[str] = set()
        for text in cut | set(sensitive):
            plain = text.strip()
            emails = {m.casefold() for m in _EMAIL.findall(plain)}
            (self.personal if text in sensitive else self.needles).update(emails)
            if _PHONE.fullmatch(plain) and len(_digits(plain)) >= 8:
                self.phones.add(_digits(plain)[-8:])
                continue
            if text in sensitive and len(plain) >= SENSITIVE_LENGTH:
                self.personal.add(_normal(plain))
            pieces = [plain, *re.split(r"(?<=[.!?;])\s+|\n+", plain)]
            self.needles.update(_normal(p) for p in pieces if len(p.strip()) >= GUARDED_LENGTH)

    def allow(self, public_texts: Iterable[str], people: Iterable[str] = ()) -> None:
        """What the public may see anyway is no leak: a 1:1 meeting's topic that is also in
        a published record, a phone number given as the public contact. Personal data is
        excused only where it is public by nature (a signatory, the facilitator's name)."""
        texts = list(public_texts)
        public = "\n".join(_normal(text) for text in texts)
        self.needles = {needle for needle in self.needles if needle not in public}
        numbers = {_digits(m)[-8:] for text in texts
                   for m in re.findall(r"\+?\d[\d \-]{6,}\d", text)}
        self.phones -= numbers
        named = "\n".join(_normal(text) for text in people)
        self.personal = {needle for needle in self.personal if needle not in named}

    def leaks(self, markdown: str) -> list[str]:
        found = _normal(markdown)
        leaks = [needle for needle in self.needles | self.personal if needle and needle in found]
        numbers = {_digits(m)[-8:] for m in re.findall(r"\+?\d[\d \-]{6,}\d", found)}
        leaks += [phone for phone in self.phones if phone in numbers]
        return sorted(leaks)
