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
from collections.abc import Iterator
from functools import cache
from typing import Any

from copi_cli.errors import UserError
from copi_cli.resources import load_data

REASONS = ("confidential", "personal", "secret", "internal")
# A text shorter than this is too common to prove a leak ("Aarhus", "ja"); e-mail addresses
# and phone numbers are checked whatever their length.
GUARDED_LENGTH = 20
SENSITIVE_LENGTH = 6
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"^\+?[\d\s-]{8,}$")
_CONFIDENTIAL_CLASSES = {"confidential", "fortroligt"}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SECRET_SPAN = re.compile(r"\[([^\]]*)\]\{[^}]*\.(?:fortroligt|confidential)\b[^}]*\}",
                          re.IGNORECASE)
# What is left of a marking after the cut: a public render stops rather than publish it.
_UNCUT = re.compile(r"(:::|\{)[^\n]*\b(fortroligt|confidential)\b", re.IGNORECASE)
_MARKER = {"da": "Fortroligt", "en": "Confidential"}


class UnsafeMarking(UserError):
    """A confidential marking in a text that copi cannot cut safely."""

    def __init__(self, line: str, number: int) -> None:
        super().__init__(f"a confidential passage copi cannot cut safely (line {number} of "
                         f"the text body: {line[:60]})",
                         hint="start the passage with ::: fortroligt at the beginning of a line "
                              "(or in a block quote) and end it with ::: ; nothing was written")


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
        data = self._apply_marking(copy.deepcopy(data))
        if data is None:
            return None
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
        are never part of a document. A confidential passage — a fenced div `::: fortroligt`
        or `{.confidential}`, also inside a block quote, or a span `[…]{.fortroligt}` — is cut
        for the public and kept, marked, for internal use. A marking copi cannot cut safely
        (`::: fortroligt` inside a list, say) stops a public render rather than risk it.
        """
        markdown = _COMMENT.sub("", markdown)
        markdown = _SECRET_SPAN.sub(self._span, markdown)
        out: list[str] = []
        depth_of_secret: int | None = None  # the div depth where a confidential div opened
        depth = 0
        fence: str | None = None
        for line in markdown.splitlines(keepends=True):
            quote = re.match(r"^(\s{0,3}>)*\s*", line)
            stripped = line[quote.end() if quote else 0:].strip()
            code = re.match(r"^(`{3,}|~{3,})", stripped)
            if fence is None and code:
                fence = code.group(1)[0] * 3
            elif fence is not None and stripped.startswith(fence):
                fence = None
            elif fence is None and re.fullmatch(r":{3,}", stripped):
                depth -= 1
                if depth_of_secret is not None and depth < depth_of_secret:
                    depth_of_secret = None
                    if self.public:
                        continue
            elif fence is None and (opening := re.match(r"^:{3,}\s*(.+?)\s*:*$", stripped)):
                depth += 1
                classes = {c.casefold() for c in
                           re.findall(r"[\w-]+", opening.group(1).replace(".", " "))}
                if depth_of_secret is None and classes & _CONFIDENTIAL_CLASSES:
                    depth_of_secret = depth
                    if not self.public:
                        out.append(line)
                        prefix = (quote.group(0) if quote else "").rstrip()
                        out.append(f"{prefix} **\\[{_MARKER[self.lang]}\\]**\n{prefix}\n"
                                   if prefix else f"**\\[{_MARKER[self.lang]}\\]**\n\n")
                    continue
            if depth_of_secret is not None and self.public:
                if stripped:
                    self.cut.add(stripped)
                continue
            out.append(line)
        text = "".join(out)
        if self.public:
            for number, line in enumerate(text.splitlines(), start=1):
                if _UNCUT.search(line):
                    raise UnsafeMarking(line.strip(), number)
        return text

    def _span(self, match: re.Match[str]) -> str:
        if self.public:
            self.cut.add(match.group(1))
            return ""
        return f"**\\[{_MARKER[self.lang]}\\]** {match.group(0)}"

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

    def __init__(self, cut: set[str], sensitive: set[str] = frozenset()) -> None:
        self.needles: set[str] = set()
        self.phones: set[str] = set()
        for text in cut | set(sensitive):
            plain = text.strip()
            self.needles.update(m.casefold() for m in _EMAIL.findall(plain))
            if _PHONE.fullmatch(plain):
                self.phones.add(_digits(plain)[-8:])
                continue
            shortest = SENSITIVE_LENGTH if text in sensitive else GUARDED_LENGTH
            pieces = [plain, *re.split(r"(?<=[.!?;:])\s+|\n+", plain)]
            self.needles.update(_normal(p) for p in pieces if len(p.strip()) >= shortest)

    def allow(self, public_texts: Iterator[str]) -> None:
        """What the public may see anyway is no leak: a 1:1 meeting's topic that is also in
        a published record, a signatory who is also a contact person."""
        public = "\n".join(_normal(text) for text in public_texts)
        self.needles = {needle for needle in self.needles if needle not in public}

    def leaks(self, markdown: str) -> list[str]:
        found = _normal(markdown)
        leaks = [needle for needle in self.needles if needle and needle in found]
        numbers = {_digits(m)[-8:] for m in re.findall(r"\+?\d[\d \-]{6,}\d", found)}
        leaks += [phone for phone in self.phones if phone in numbers]
        return sorted(leaks)
