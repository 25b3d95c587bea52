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
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from copi_cli.resources import load_data

REASONS = ("confidential", "personal", "secret", "internal")
# A text shorter than this is too common to prove a leak ("Aarhus", "ja"); e-mail addresses
# and phone numbers are checked whatever their length.
GUARDED_LENGTH = 20
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"^\+?[\d\s-]{8,}$")
_CONFIDENTIAL_CLASSES = {"confidential", "fortroligt"}


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

    def __init__(self, audience: str) -> None:
        self.public = audience == "public"
        self.cut: set[str] = set()

    def _restrict(self, parent: dict, key: str, reason: str) -> None:
        if self.public:
            self.cut.update(_strings(parent.pop(key)))
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
        """A text's Markdown with its confidential passages (a fenced div with the class
        confidential or fortroligt) cut for the public, or kept and marked for internal use."""
        out: list[str] = []
        depth_of_secret: int | None = None  # the div depth where a confidential div opened
        depth = 0
        fence: str | None = None
        marker = "**[Fortroligt / confidential]**"
        for line in markdown.splitlines(keepends=True):
            stripped = line.strip()
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
                classes = set(re.findall(r"[\w-]+", opening.group(1).replace(".", " ")))
                if depth_of_secret is None and classes & _CONFIDENTIAL_CLASSES:
                    depth_of_secret = depth
                    if not self.public:
                        out.append(line)
                        out.append(f"{marker}\n\n")
                    continue
            if depth_of_secret is not None and self.public:
                if stripped:
                    self.cut.add(stripped)
                continue
            out.append(line)
        return "".join(out)

    def guard(self) -> Guard:
        return Guard(self.cut)


def _normal(text: str) -> str:
    """Text as it reads: Markdown backslash escapes dropped, whitespace (and line wrapping)
    collapsed, case folded."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return " ".join(text.split()).casefold()


class Guard:
    """Searches a finished public document for anything that was cut from its sources."""

    def __init__(self, cut: set[str]) -> None:
        self.needles: set[str] = set()
        for text in cut:
            if _EMAIL.fullmatch(text.strip()) or _PHONE.fullmatch(text.strip()) or len(
                    text.strip()) >= GUARDED_LENGTH:
                self.needles.add(_normal(text))
            self.needles.update(m.casefold() for m in _EMAIL.findall(text))

    def allow(self, public_texts: Iterator[str]) -> None:
        """What the public may see anyway is no leak: a 1:1 meeting's topic that is also in
        a published record, a signatory who is also a contact person."""
        public = "\n".join(_normal(text) for text in public_texts)
        self.needles = {needle for needle in self.needles if needle not in public}

    def leaks(self, markdown: str) -> list[str]:
        found = _normal(markdown)
        return sorted(needle for needle in self.needles if needle and needle in found)
