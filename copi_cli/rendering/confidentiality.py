"""What an audience may see: confidential material and personal data out of public documents.

A process repo holds business secrets, 1:1 notes, the askers of questions and contact persons
next to what is meant for the market. Rendering never trusts a template to leave them out: the
records are cut down *before* a template sees them (`view`), by the rules in
data/confidentiality.yaml and the records' own `confidential` markings. An internal render keeps
everything and wraps each restricted text in `Restricted`, which the renderer prints marked.

As a second line of defence, every restricted text that was cut is remembered, and each
finished public document is searched for it (`Guard`) as a reader sees it — the Markdown, and
the text of every PDF (its typst source), Word document and web page made from it (`reading`):
a person may have pasted an e-mail address, a name or a passage of minutes into a text by
hand, in any spelling.

Design — a text is compared as its words (`words`):
1. HTML entities decoded, Markdown escapes dropped, Unicode folded (NFKC), invisible characters
   (soft hyphens, zero-width characters) removed, case folded;
2. formatting inside a word (`*Lou*ise`) dropped; everything but letters and digits is a break;
3. a needle is found when its words follow each other in the text; phone numbers are compared
   as digits, e-mail addresses also when written out ("at", "dot").
"""

from __future__ import annotations

import copy
import hashlib
import html
import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from copi_cli.errors import UserError
from copi_cli.messages import Said, message
from copi_cli.resources import load_data

REASONS = ("confidential", "personal", "secret", "internal")
# A text shorter than this is too common to prove a leak ("Aarhus", "ja"); e-mail addresses
# and phone numbers are checked whatever their length.
GUARDED_LENGTH = 20
SENSITIVE_LENGTH = 6
# The name of a withheld organisation, its id and short forms ("Viborg", "TrygStep").
NAME_LENGTH = 4
# A fragment of a cut text: this many words in a row, of at least SHINGLE_LENGTH characters
# (one word more, with a number among them, from SHINGLE_LENGTH - 8: a price).
SHINGLE = 4
SHINGLE_LENGTH = 24
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CONFIDENTIAL_CLASSES = ("fortroligt", "confidential")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A text that may hold a marked passage (pandoc looks closer; most texts have none); for the
# public, any fenced div or attribute, which may be a marking misspelt.
_MARKING = re.compile(r"fortroligt|confidential", re.IGNORECASE)
_MAYBE_MARKED = re.compile(r":::|\{")
# A line that opens or closes a fenced div, as a person may type it: spaces of any kind
# (a non-breaking one), invisible characters, full-width colons.
_FENCE_LINE = re.compile(r"^[^\S\n]*[:\uff1a\ufe55]{3}.*$", re.MULTILINE)
# What names a class after pandoc has read a text: a fence's word, or `.word` in {…}.
_PICTURE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<path>[^)\s>]+)")
# A text that may name a file of the process: one line, ending in a suffix or a slash.
_PATH_LIKE = re.compile(r"[^\n\x00]{1,1024}(?:\.\w{1,8}|/)")
_CLASS_WORDS = re.compile(r":{3,}\s*([\w-]+)|\{([^}\n]*)\}")


class Refused(UserError):
    """A public document that would show what its audience may not see. Rendered with
    others, it is left out alone: the others are written, and the command says why."""


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


def _locate(data: Any, path: list[str], at: tuple[str | int, ...] = ()
            ) -> Iterator[tuple[dict, str, tuple[str | int, ...]]]:
    """(parent, key, the parent's place in data) for every place a dotted path with `*`
    reaches in data."""
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for number, item in enumerate(data if isinstance(data, list) else []):
            yield from _locate(item, rest, (*at, number))
        return
    if not isinstance(data, dict) or head not in data:
        return
    if rest:
        yield from _locate(data[head], rest, (*at, head))
    else:
        yield data, head, at


def strings_at(value: Any, at: tuple[str | int, ...], holder: dict | None = None
                ) -> Iterator[tuple[str, tuple[str | int, ...], dict | None]]:
    """Every text in a value with the path of keys and list positions it is found at, and
    the mapping that holds it."""
    if isinstance(value, str):
        yield value, at, holder
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_at(item, (*at, key), value)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from strings_at(item, (*at, number), holder)


def _personal_role(field: str) -> str:
    """What a field of personal data holds (data/confidentiality.yaml, personal_fields): a
    person's name, an identity ("Name, Organisation"), a job title, or other data."""
    for role, fields in _rules()["personal_fields"].items():
        if field in fields:
            return role
    return "other"


# What separates the parts of an identity: "Mette Kjær, CO-PI", "Louise Bach (Aarhus Kommune)",
# "Jonas Holm - Sensa Care", "Åse Søndergård / Horsens".
_IDENTITY_PARTS = re.compile(r"\s*(?:[,;/|()\[\]]|\s[-\u2013\u2014]\s)\s*")


def identity_parts(identity: str) -> list[str]:
    """The parts of an identity as people write who answered: "Mette Kjær, CO-PI" → the
    person and the organisation, each judged on its own."""
    return [part for part in (p.strip() for p in _IDENTITY_PARTS.split(identity)) if part]


def _looks_like_name(part: str) -> bool:
    """A person's name as people write it: two to four words, each capitalised (Mette Kjær,
    Jens-Ole Hansen) — not an acronym (CO-PI), a single word (Rambøll), a title, or an
    organisation by the word for what it is (Aarhus Kommune, Sensa Care ApS)."""
    tokens = part.split()
    kinds = {word.casefold() for word in _rules()["short_names"]["drop"]}
    return 2 <= len(tokens) <= 4 and all(
        token[:1].isupper() and not token.isupper() and token.replace("-", "").isalpha()
        and token.casefold() not in kinds for token in tokens)


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


class Origin(NamedTuple):
    """Where a text that was cut is recorded and why it was cut: a file, and the field in it as
    keys and list positions (empty for a passage of a text)."""

    path: str
    field: tuple[str | int, ...]
    reason: str  # personal, secret, confidential, internal, withheld

    def dotted(self) -> str:
        """The field as people read it: contacts.email (the line says which contact)."""
        return ".".join(step for step in self.field if isinstance(step, str))


class View:
    """Cuts records down to what one audience may see, remembering what it cut and where it
    is recorded."""

    def __init__(self, audience: str, lang: str = "da") -> None:
        self.public = audience == "public"
        self.lang = lang
        self.cut: dict[str, Origin] = {}
        self.sensitive: dict[str, Origin] = {}  # personal data and business secrets
        self.short_names: dict[str, Origin] = {}  # short forms of withheld names
        self.withheld_ids: dict[str, Origin] = {}
        self.people: dict[str, Origin] = {}  # the names of persons among the personal data
        # contacts marked public (a spokesperson, an elected official): name and job title
        self.public_people: set[str] = set()

    def remember(self, text: str, origin: Origin) -> None:
        """A text the audience may not see, cut by the caller (an unpublished answer)."""
        self.cut.setdefault(text, origin)

    def _restrict(self, parent: dict, key: str, reason: str, where: str = "",
                  at: tuple[str | int, ...] = ()) -> None:
        if not self.public:
            parent[key] = _wrapped(parent[key], reason)
            return
        for text, path, holder in strings_at(parent.pop(key), (*at, key), parent):
            origin = Origin(where, path, reason)
            self.cut.setdefault(text, origin)
            if reason == "secret":
                self.sensitive.setdefault(text, origin)
            elif reason == "personal":
                self._personal(text, origin, holder)

    def _personal(self, text: str, origin: Origin, holder: dict | None) -> None:
        """Personal data as the leak check looks for it (data/confidentiality.yaml,
        personal_fields): a job title alone identifies no one, so it is a passage like any
        other text that was cut; a contact marked public may be named, with their title."""
        field = next((step for step in reversed(origin.field) if isinstance(step, str)), "")
        role = _personal_role(field)
        if holder is not None and holder.get("public") is True and role in ("name", "title"):
            self.public_people.add(text)
        if role == "title":
            return
        if role == "identity":  # the person; an organisation or title beside them is public
            names = [part for part in identity_parts(text) if _looks_like_name(part)]
            for part in names or [text]:
                self.sensitive.setdefault(part, origin)
                self.people.setdefault(part, origin)
            return
        self.sensitive.setdefault(text, origin)
        if role == "name":
            self.people.setdefault(text, origin)

    def _cut_all(self, value: Any, where: str, at: tuple[str | int, ...], reason: str) -> None:
        for text, path, _ in strings_at(value, at):
            self.cut.setdefault(text, Origin(where, path, reason))

    def _apply_marking(self, data: dict, where: str = "", at: tuple[str | int, ...] = (),
                       kind: str | None = None) -> dict | None:
        """A record's or list item's own `confidential`: true, or a list of its fields. A
        record of a kind that is always listed (a 1:1 meeting) keeps its listed fields."""
        marking = data.get("confidential")
        listed = _rules().get("listed", {}).get(kind) if kind else None
        if marking is True and listed is not None:
            for field in [field for field in data if field not in listed
                          and field != "confidential"]:
                self._restrict(data, field, "confidential", where, at)
            return data
        if marking is True:
            if self.public:
                self._cut_all(data, where, at, "confidential")
                return None
            return _wrapped(data, "confidential")
        if isinstance(marking, list):
            for field in marking:
                if field in data and field != "confidential":
                    self._restrict(data, field, "confidential", where, at)
        return data

    def record(self, kind: str, data: dict, where: str = "") -> dict | None:
        """The record as the audience may see it; None when a public render must leave it out.
        where is the record's file, named when something cut from it turns up."""
        marked = self._apply_marking(copy.deepcopy(data), where, (), kind)
        if marked is None:
            return None
        data = marked
        self._notes(data, where, ())
        for group in ("personal", "secret", "internal"):
            for path in _fields(kind, group):
                for parent, key, at in list(_locate(data, path.split("."))):
                    self._restrict(parent, key, group, where, at)
        if data.get("confidential") is not False:
            for path in _fields(kind, "confidential_by_default"):
                for parent, key, at in list(_locate(data, path.split("."))):
                    self._restrict(parent, key, "confidential", where, at)
        for key in _rules()["items"].get(kind, []):
            if isinstance(data.get(key), list):
                kept = [self._apply_marking(item, where, (key, number))
                        if isinstance(item, dict) else item
                        for number, item in enumerate(data[key])]
                data[key] = [item for item in kept if item is not None]
        if self.public:
            self._placeholders(kind, data)
        materials = _rules()["materials"].get(kind)
        if materials and isinstance(data.get(materials["path"]), list):
            data[materials["path"]] = [
                item for number, item in enumerate(data[materials["path"]])
                if self._material_shown(item, materials["public_when_unmarked"], where,
                                        (materials["path"], number))]
        return data

    def _placeholders(self, kind: str, data: dict) -> None:
        """A list item's printed field its own marking withheld reads as withheld
        (data/confidentiality.yaml, placeholders): a template never meets a missing field."""
        for key, fields in _rules()["placeholders"].get(kind, {}).items():
            for item in data.get(key) or []:
                marking = item.get("confidential") if isinstance(item, dict) else None
                if isinstance(marking, list):
                    for field in fields:
                        if field in marking and field not in item:
                            item[field] = message("render.withheld-field", self.lang)

    def withhold_name(self, name: object, record_id: str | None = None, where: str = "",
                      field: str = "name", products: object = ()) -> None:
        """A record the audience may not see, or whose name it may not see: its name, its id
        and the name's short forms must not appear either — nor, for a supplier, the names of
        its products, which name it as surely ("NatVagt fra …")."""
        origin = Origin(where, (field,), "withheld")
        if isinstance(name, str) and name.strip():
            forms = name_forms(name.strip())
            self.sensitive.setdefault(forms[0], origin)
            for form in forms[1:]:
                self.short_names.setdefault(form, origin)
        if record_id and len(record_id) >= NAME_LENGTH:
            self.withheld_ids.setdefault(record_id, Origin(where, ("id",), "withheld"))
        self.withhold_products(products, where)

    def withhold_products(self, products: object, where: str = "") -> None:
        """A withheld supplier's products: named like its name (`Guard`, names)."""
        for number, product in enumerate(products if isinstance(products, list) else []):
            if isinstance(product, str) and len(product.strip()) >= NAME_LENGTH:
                self.short_names.setdefault(product.strip(),
                                            Origin(where, ("products", number), "withheld"))

    def _notes(self, data: object, where: str, at: tuple[str | int, ...]) -> None:
        """The facilitator's `note`, at any depth (a confirmation's, a decision's): internal."""
        if isinstance(data, dict):
            if "note" in data and isinstance(data["note"], str):
                self._restrict(data, "note", "internal", where, at)
            for key, value in list(data.items()):
                self._notes(value, where, (*at, key))
        elif isinstance(data, list):
            for number, item in enumerate(data):
                self._notes(item, where, (*at, number))

    def _material_shown(self, material: dict, public_when_unmarked: bool, where: str = "",
                        at: tuple[str | int, ...] = ()) -> bool:
        visibility = material.get("visibility")
        public = visibility == "all-market" or (visibility is None and public_when_unmarked)
        if public or not self.public:
            return True
        self._cut_all(material, where, at, "confidential")
        return False

    def text(self, markdown: str, where: str = "", first_line: int = 1) -> str:
        """A text's Markdown as the audience may read it.

        HTML comments (`<!-- … -->`, the author's notes and copi's guidance in starter texts)
        are never part of a document; an unclosed one hides the rest, as it would in HTML. A
        confidential passage — a fenced div `::: fortroligt` or `{.confidential}` in any
        spelling, or a span `[…]{.fortroligt}` — is cut for the public, or kept and marked for
        internal use. pandoc decides where a passage ends
        (copi_cli.rendering.conversion.cut_passages), so a `:::` in a code block or an indented
        line cannot end it early. A fence typed with a non-breaking space or an invisible
        character is read as the fence it looks like; a marking pandoc does not take as one —
        a misspelt class (`::: fortrolig`), an indented fence — is refused for the public with
        its place (where, the text's path; first_line, the line its body starts on), never
        published.
        """
        markdown = _COMMENT.sub("", markdown)
        if "<!--" in markdown:
            markdown = markdown[:markdown.index("<!--")]
        markdown = _FENCE_LINE.sub(lambda line: _folded(line.group(0)), markdown)
        if not (_MAYBE_MARKED if self.public else _MARKING).search(markdown):
            return markdown
        from copi_cli.rendering.conversion import cut_passages

        text, cut = cut_passages(markdown, "public" if self.public else "internal",
                                 message("marker.confidential", self.lang), where)
        for passage in cut:
            self.cut.setdefault(passage, Origin(where, (), "confidential"))
        if self.public:
            self._refuse_unclear_markings(text, markdown, where, first_line)
        return text

    def _refuse_unclear_markings(self, text: str, markdown: str, where: str,
                                 first_line: int) -> None:
        """A marking left in a public text once pandoc has cut the passages it reads as
        confidential was not read as one: refused, at the line it is written on."""
        for match in _CLASS_WORDS.finditer(flat(text).replace("\\", "")):
            found = [match.group(1)] if match.group(1) else re.findall(r"\.([\w-]+)",
                                                                       match.group(2))
            for word in found:
                if not _looks_confidential(word):
                    continue
                lines = flat(markdown).splitlines()
                line = next((n for n, content in enumerate(lines) if word in content), 0)
                raise Refused(Said("render.unclear-marking",
                                   where=f"{where or 'text'}:{first_line + line}", mark=word),
                              hint=Said("render.unclear-marking-hint"))

    def guard(self) -> Guard:
        return Guard(self.cut, self.sensitive, self.short_names, self.withheld_ids,
                     self.people)

    def withheld_pictures(self, markdown: str, root: Path, base: Path,
                          public_texts: Iterable[str]) -> list[str]:
        """The pictures of a document that are material not published to all (a supplier's
        own slides), however the path is written: `./`, `//`, `..` and links are resolved
        before the files are compared, and a link to a withheld file is withheld; a copy or a
        hard link under another name is found by its content (SHA-256). A file also published
        to all under its own path is not withheld, nor its content."""
        from copi_cli.rendering.conversion import inside

        pictures = [match.group("path") for match in _PICTURE.finditer(markdown)]
        if not pictures:
            return []
        top = root.resolve()

        def files(paths: Iterable[str], through_links: bool) -> set[Path]:
            found = set()
            for path in (path.strip() for path in paths):
                if not _PATH_LIKE.fullmatch(path):
                    continue
                try:
                    target = inside(root, path)
                    if target is None and (top / path).resolve().is_dir():
                        target = (top / path).resolve()
                    direct = Path(os.path.normpath(top / path)) == target
                except (OSError, ValueError):
                    continue
                if target is not None and (through_links or direct):
                    found.add(target)
            return found

        public = files(public_texts, False)
        withheld = files(self.cut, True) - public
        targets: dict[str, Path] = {}
        for path in pictures:
            try:
                target = inside(root, path, base)
            except (OSError, ValueError):
                continue
            if target is not None:
                targets[path] = target
        # the same bytes under another name (a copy, a hard link) are the same picture
        sizes = {_size(target) for target in targets.values()}
        restricted = ({_sha256(file) for file in withheld if file.is_file()
                       and _size(file) in sizes}
                      - {_sha256(file) for file in public if file.is_file()
                         and _size(file) in sizes}) - {""}
        return [path for path, target in targets.items()
                if any(target == file or target.is_relative_to(file) for file in withheld)
                or (restricted and _sha256(target) in restricted)]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _sha256(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


def _looks_confidential(word: str) -> bool:
    """A class meant as fortroligt or confidential: the word, a misspelling of it (two
    letters off), or a form of it (fortrolig, konfidentiel)."""
    word = word.casefold().strip("-_")
    if word.startswith(("fortrol", "konfiden", "confiden", "fortorl")):
        return True
    return any(_distance(word, target) <= 2 for target in _CONFIDENTIAL_CLASSES)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, adjacent transpositions counted once."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


# -- what a reader sees -------------------------------------------------------------------------

# Characters a reader does not see: soft hyphens, zero-width spaces and joiners, direction and
# word-joiner marks, byte-order marks, variation selectors, the combining grapheme joiner and
# Hangul fillers, tag characters. Removed before anything is compared.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
                        "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
                        "\uffa0\ufff9-\ufffb\U000e0000-\U000e0fff]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a Markdown backslash escape
# Formatting inside a word (*Lou*ise, `Bach`, ~~x~~, Lou_ise): dropped, never a word break.
_MARKUP = re.compile(r"[*_`~^]")
_WORD = re.compile(r"\w+")
# A thousands separator (1.000, 1,000, 1 000 with a narrow space): 1000 reads the same.
_THOUSANDS = re.compile(r"(?<=\d)[.,'\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A run of digits as people write phone numbers: spaces, dots, commas, slashes, parentheses,
# dashes.
_PHONE_RUN = re.compile(r"\d(?:[\s.,/()\-\u2010-\u2015\u2212]*\d)+")
_ANY_DIGIT = re.compile(r"\d")
_PHONE_SEPARATORS = re.compile(r"[\s.,/()\-\u2010-\u2015\u2212]")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Words that stand for "@" or "." when an address is written out ("loba at aarhus dot dk").
_SPELT = {"at", "dot", "punktum", "prik", "snabel", "a"}
_PIECES = re.compile(r"(?<=[.!?;:])\s+|\n+")


def _folded(text: str) -> str:
    """Unicode compatibility forms folded (NFKC: a full-width ＠ is @, a non-breaking space a
    space, NFD letters composed), invisible characters removed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _unescaped(text: str) -> str:
    """HTML entities and percent-escapes (a link's `loba%40aarhus.example`) decoded, also when
    one hides the other (`&#37;40`); a run of escapes that is no UTF-8 is left as written."""
    def decoded(run: re.Match[str]) -> str:
        try:
            return bytes.fromhex(run.group(0).replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return run.group(0)
    for _ in range(4):
        before, text = text, _PERCENT.sub(decoded, html.unescape(text))
        if text == before:
            break
    return text


def flat(text: str) -> str:
    """Text as its characters read: entities and percent-escapes decoded, folded (`_folded`),
    case folded."""
    return _folded(_unescaped(text)).casefold()


def _normal(text: str) -> str:
    """Text as its words are read (`words`), before it is cut into words: escapes dropped,
    entities decoded, folded, formatting inside words dropped."""
    return _MARKUP.sub("", flat(_ESCAPE.sub(r"\1", text)))


def words(text: str) -> list[str]:
    """The words a reader reads, whatever the formatting, escapes, punctuation or spacing."""
    return _WORD.findall(_THOUSANDS.sub("", _normal(text)))


# Danish and German letters as people write them without the keys: æ as ae or a, ø as oe or o,
# å as aa or a. Folded the same way in a needle and a text (`_fold`): each becomes its vowel.
_SPELT_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "œ": "oe", "ä": "ae",
                                "ö": "oe", "ü": "ue"})
_DOUBLED = re.compile(r"ae|oe|aa|ue")
# The combining marks NFKD splits off Latin letters (é → e + U+0301): the diacritical blocks.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    """A case-folded text with æ, ø, å (and ä, ö, ü, accents) written any way people write them
    read alike: Søren, Soren and Soeren are soren; Kjærgaard and Kjaergaard are kjargard."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_SPELT_LETTERS)))
    return _DOUBLED.sub(lambda pair: pair.group(0)[0], text)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_phone(text: str) -> bool:
    digits = _digits(text)
    return (len(digits) >= 8 and not _DATE.fullmatch(text)
            and re.fullmatch(r"\+?[\d\s.,/()\-\u2010-\u2015\u2212]+", text) is not None)


def _numbers(text: str, normal: str | None = None) -> list[str]:
    """The digits of every number in text long enough to be a phone number (normal: the text
    already read as `_normal` reads it)."""
    if _ANY_DIGIT.search(text) is None:  # most texts: names, words (\d: any script's digits)
        return []
    runs = (_PHONE_SEPARATORS.sub("", run)
            for run in _PHONE_RUN.findall(normal if normal is not None else _normal(text)))
    return [run for run in runs if len(run) >= 8]


class _Reading:
    """A text as a line of words, each between single spaces, and the set of its words."""

    def __init__(self, texts: Iterable[str], folded: bool = False,
                 normal: Iterable[str] | None = None) -> None:
        # "|" is no word: a needle cannot be found across two texts
        read = ((_WORD.findall(_THOUSANDS.sub("", text)) for text in normal)
                if normal is not None else (words(text) for text in texts))
        self.line = " " + " | ".join(" ".join(found) for found in read) + " "
        if folded:  # personal data: æ, ø, å as people write them without the keys
            self.line = _fold(self.line)
        self.words = set(self.line.split())

    @classmethod
    def of_line(cls, line: str) -> _Reading:
        """A reading kept as its line (`as_data`): its words are the line's."""
        reading = cls(())
        reading.line = line
        reading.words = set(line.split())
        return reading

    def folded(self) -> _Reading:
        """The same words folded as personal data is (`_fold`), without reading them again."""
        reading = _Reading(())
        reading.line = _fold(self.line)
        reading.words = set(reading.line.split())
        return reading

    def has(self, key: str) -> bool:
        # most needles have a word the text lacks: a set look-up each, no search of the line
        return all(word in self.words for word in key.split(" ")) and f" {key} " in self.line


class _Needles:
    """Needles by their first word, each with the rest of its words: made once for all the
    documents of an audience, so a text is asked only about the needles it may hold."""

    def __init__(self, needles: Mapping[str, Any]) -> None:
        self.by_word: dict[str, list[tuple[list[str], str, Any]]] = {}
        for key, value in needles.items():
            first, *rest = key.split(" ")
            self.by_word.setdefault(first, []).append((rest, f" {key} ", value))

    def found(self, reading: _Reading) -> Iterator[Any]:
        for word in self.by_word.keys() & reading.words:
            for rest, spaced, value in self.by_word[word]:
                if all(other in reading.words for other in rest) and spaced in reading.line:
                    yield value


def name_forms(name: str) -> list[str]:
    """The short forms of an organisation's name: without the word for what it is (Kommune,
    Region, A/S — data/confidentiality.yaml, short_names), and in the genitive."""
    drop = {word.casefold() for word in _rules()["short_names"]["drop"]}
    parts = name.split()
    kept = [part for part in parts if re.sub(r"\W", "", flat(part)) not in drop]
    forms = [name]
    if kept and kept != parts:
        forms.append(" ".join(kept))
        if kept[-1].endswith("s") and len(kept) == 1:  # Københavns Kommune → København
            forms.append(kept[0][:-1])
    return [form for form in forms + [form + "s" for form in forms]
            if len(form) >= NAME_LENGTH]


class Needle(NamedTuple):
    """Something a public document must not contain, as its source has it."""

    shown: str  # as written where it was cut from
    origin: Origin | None
    key: str = ""  # as the leak check compares it
    # a passage of a text that was cut, not a person's data or a withheld name: no leak where
    # the public may read the same words anyway (the method's phrases, another public text)
    passage: bool = False
    source: str = ""  # the whole text a fragment was cut from

    def written(self) -> str:
        """The needle as its source writes it: a fragment by the sentence it is part of."""
        if not self.source:
            return self.shown
        for piece in _PIECES.split(self.source):
            if f" {self.key} " in f" {' '.join(words(piece))} ":
                return " ".join(piece.split())
        return " ".join(self.source.split())


def _needles(texts: Mapping[str, Origin | None] | Iterable[str]) -> dict[str, Origin | None]:
    if isinstance(texts, Mapping):
        return dict(texts)
    return dict.fromkeys(texts)


class Allowance(NamedTuple):
    """What the public may see anyway, read once as the leak check compares it (`Guard.allow`):
    the records' texts and the public identities as lines of words, the numbers in them.
    Plain data, kept with the guard of a state of the process."""

    public: _Reading  # the public texts and people
    identities: _Reading  # public people and places
    named: _Reading  # public people, folded
    numbers: list[str]  # in the public texts
    by_people: list[str]  # in the public people's identities
    whole: frozenset[str]  # a public person as named whole, folded

    @classmethod
    def of(cls, public_texts: Iterable[str], people: Iterable[str] = (),
           places: Iterable[str] = (), ids: Iterable[str] = ()) -> Allowance:
        people, withheld = list(people), set(ids)
        texts = [text for text in public_texts if text not in withheld]
        return cls(_Reading([*texts, *people]), _Reading([*people, *places]),
                   _Reading(people, folded=True),
                   [number for text in texts for number in _numbers(text)],
                   [number for person in people for number in _numbers(person)],
                   frozenset(_fold(" ".join(words(part))) for person in people
                             for part in (person, *identity_parts(person))))

    def as_data(self) -> dict:
        return {"public": self.public.line, "identities": self.identities.line,
                "named": self.named.line, "numbers": self.numbers,
                "by_people": self.by_people, "whole": sorted(self.whole)}

    @classmethod
    def from_data(cls, data: dict) -> Allowance:
        return cls(_Reading.of_line(_text(data["public"])),
                   _Reading.of_line(_text(data["identities"])),
                   _Reading.of_line(_text(data["named"])),
                   [_text(n) for n in data["numbers"]], [_text(n) for n in data["by_people"]],
                   frozenset(_text(w) for w in data["whole"]))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


def origin_data(origin: Origin | None) -> list | None:
    return None if origin is None else [origin.path, list(origin.field), origin.reason]


def origin_of(data: object) -> Origin | None:
    if data is None:
        return None
    if not isinstance(data, list) or len(data) != 3:
        raise TypeError("not an origin")
    path, field, reason = data
    if not all(isinstance(step, str | int) for step in field):
        raise TypeError("not a field")
    return Origin(_text(path), tuple(field), _text(reason))


def _needle_data(needle: Needle) -> list:
    return [needle.shown, origin_data(needle.origin), needle.key, needle.passage,
            needle.source]


def _needle_of(data: object) -> Needle:
    if not isinstance(data, list) or len(data) != 5:
        raise TypeError("not a needle")
    shown, origin, key, passage, source = data
    return Needle(_text(shown), origin_of(origin), _text(key), bool(passage), _text(source))


class Guard:
    """Searches what a public document reads as for anything that was cut from its sources.

    Texts are compared as words (`words`): formatting, escapes, entities, Unicode forms,
    invisible characters, punctuation and spacing make no difference. Needles: every e-mail
    address (also written out with "at" and "dot"); every phone number, by its last eight
    digits however they are separated; personal data and business secrets from
    SENSITIVE_LENGTH characters (a contact's name, also in another order, with æ, ø, å written
    ae/oe/aa or a/o/a, by first and last name alone, with a middle initial, or as initial and
    surname: "L. Bach"); the names of withheld records, their ids and short forms, a withheld
    supplier's products; any other text that was cut from GUARDED_LENGTH characters, each of
    its sentences, and each run of SHINGLE of its words (a fragment without its full stop).
    Each needle remembers where it was cut from (Origin).

    No leak: what is public by nature (`allow`: the records the audience sees, public people;
    a withheld record's short name or product only where a public identity or place shares its
    words), and a passage that the public may read anyway (`wording`: the method's phrases,
    the other public texts), asked only when one is found.
    """

    def __init__(self, cut: Mapping[str, Origin | None] | Iterable[str] = (),
                 sensitive: Mapping[str, Origin | None] | Iterable[str] = (),
                 names: Mapping[str, Origin | None] | Iterable[str] = (),
                 ids: Mapping[str, Origin | None] | Iterable[str] = (),
                 people: Mapping[str, Origin | None] | Iterable[str] = ()) -> None:
        self.ids: set[str] = set()  # the ids of withheld records: kept in the records, no excuse
        self.personal: dict[str, Needle] = {}  # folded (`_fold`); never excused but by people
        # a person's (first name, surname) → the name: "Louise M. Bach", "L. Bach"
        self.initials: dict[tuple[str, str], Needle] = {}
        self.needles: dict[str, Needle] = {}  # excused when the public records say it too
        # a withheld record's short names and products: excused only by a public identity
        self.names: dict[str, Needle] = {}
        self.emails: dict[str, tuple[Needle, bool]] = {}  # words → (address, personal)
        self.phones: dict[str, Needle] = {}  # the last eight digits → as written
        self.personal_phones: set[str] = set()  # of those, personal data: excused by people
        # what the public may read besides the records: (the method's phrases, the public
        # texts by path), asked for when a passage is found (copi_cli.rendering.context)
        self.wording: Callable[[], tuple[list[str], dict[str, str]]] | None = None
        self._wording: tuple[_Reading, dict[str, _Reading]] | None = None
        self._index: tuple[_Needles, _Needles, _Needles] | None = None  # made on first use
        self.extend(cut, sensitive, names, ids, people)

    def extend(self, cut: Mapping[str, Origin | None] | Iterable[str],
               sensitive: Mapping[str, Origin | None] | Iterable[str] = (),
               names: Mapping[str, Origin | None] | Iterable[str] = (),
               ids: Mapping[str, Origin | None] | Iterable[str] = (),
               people: Mapping[str, Origin | None] | Iterable[str] = ()) -> None:
        """More needles: what was cut after the guard was made (the passages of a document's
        text, cut once the records' guard was kept). Call allow again after."""
        cut, sensitive, people = _needles(cut), _needles(sensitive), _needles(people)
        sensitive = {**people, **sensitive}
        found_ids = _needles(ids)
        self.ids |= set(found_ids)
        for text in {**cut, **sensitive}:
            self._add(text, text in sensitive, sensitive.get(text) or cut.get(text))
        for person, origin in people.items():
            self._add_person(person, origin)
        for name, origin in found_ids.items():
            key = " ".join(words(name))
            if key and len(name) >= NAME_LENGTH:
                self.needles.setdefault(key, Needle(name, origin, key))
        for name, origin in _needles(names).items():
            key = " ".join(words(name))
            if key and len(name) >= NAME_LENGTH:
                self.needles.pop(key, None)
                self.names.setdefault(key, Needle(name, origin, key))
        self._index = None

    def copy(self) -> Guard:
        """A guard of the same needles that extend and allow change without changing this
        one (a kept guard is shared)."""
        made = Guard()
        made.ids, made.personal_phones = set(self.ids), set(self.personal_phones)
        made.personal, made.initials = dict(self.personal), dict(self.initials)
        made.needles, made.names = dict(self.needles), dict(self.names)
        made.emails, made.phones = dict(self.emails), dict(self.phones)
        return made

    def as_data(self) -> dict:
        """The needles as plain JSON data, to keep in copi's cache (never code)."""
        return {"ids": sorted(self.ids), "personal_phones": sorted(self.personal_phones),
                "personal": {k: _needle_data(n) for k, n in self.personal.items()},
                "initials": [[a, b, _needle_data(n)] for (a, b), n in self.initials.items()],
                "needles": {k: _needle_data(n) for k, n in self.needles.items()},
                "names": {k: _needle_data(n) for k, n in self.names.items()},
                "emails": {k: [_needle_data(n), p] for k, (n, p) in self.emails.items()},
                "phones": {k: _needle_data(n) for k, n in self.phones.items()}}

    @classmethod
    def from_data(cls, data: dict) -> Guard:
        """A guard from as_data; raises (KeyError, TypeError, ValueError) on anything else."""
        made = cls()
        made.ids = {_text(i) for i in data["ids"]}
        made.personal_phones = {_text(p) for p in data["personal_phones"]}
        made.personal = {_text(k): _needle_of(n) for k, n in data["personal"].items()}
        made.initials = {(_text(a), _text(b)): _needle_of(n) for a, b, n in data["initials"]}
        made.needles = {_text(k): _needle_of(n) for k, n in data["needles"].items()}
        made.names = {_text(k): _needle_of(n) for k, n in data["names"].items()}
        made.emails = {_text(k): (_needle_of(n), bool(p)) for k, (n, p)
                       in data["emails"].items()}
        made.phones = {_text(k): _needle_of(n) for k, n in data["phones"].items()}
        return made

    def _add(self, text: str, personal: bool, origin: Origin | None) -> None:
        plain = " ".join(text.split())
        if not plain or _DATE.fullmatch(plain):
            return
        for address in _EMAIL.findall(flat(plain)):
            key = " ".join(words(address))
            if key not in self.emails or (personal and not self.emails[key][1]):
                self.emails[key] = (Needle(_as_written(address, plain), origin, key), personal)
        if _is_phone(flat(plain)):
            phone = _digits(flat(plain))[-8:]
            self.phones[phone] = Needle(plain, origin)
            if personal:
                self.personal_phones.add(phone)
            return
        tokens = words(plain)
        if not tokens:
            return
        key = " ".join(tokens)
        if personal and len(plain) >= SENSITIVE_LENGTH:
            needle = Needle(plain, origin, key)
            self.personal[_fold(key)] = needle
            if 2 <= len(tokens) <= 3 and all(token.isalpha() for token in tokens):
                self._orders(tokens, needle)
        elif len(plain) >= GUARDED_LENGTH:
            self.needles[key] = Needle(plain, origin, key, not personal)
        for piece in _PIECES.split(plain):
            if len(piece.strip()) >= GUARDED_LENGTH and words(piece):
                found = " ".join(words(piece))
                self.needles.setdefault(found, Needle(piece.strip(), origin, found, not personal))
        for start in range(len(tokens) - SHINGLE + 1):
            shingle = " ".join(tokens[start:start + SHINGLE])
            longer = " ".join(tokens[start:start + SHINGLE + 1])
            if len(shingle) >= SHINGLE_LENGTH:
                self.needles.setdefault(shingle, Needle(shingle, origin, shingle, not personal,
                                                        plain))
            elif longer != shingle and re.search(r"\d", longer) \
                    and len(longer) >= SHINGLE_LENGTH - 8:  # 39 kr pr borger pr
                self.needles.setdefault(longer, Needle(longer, origin, longer, not personal,
                                                       plain))

    def _orders(self, tokens: list[str], needle: Needle) -> None:
        for order in itertools.permutations(tokens):  # Bach, Louise; Louise Bachs
            self.personal.setdefault(_fold(" ".join(order)), needle)
            self.personal.setdefault(_fold(" ".join(order)) + "s", needle)

    def _add_person(self, name: str, origin: Origin | None) -> None:
        """A person's name as people shorten it: first and last name of a longer name (Søren
        Østergaard), with a middle initial (Louise M. Bach), initial and surname (L. Bach)."""
        plain = " ".join(name.split())
        tokens = [_fold(token) for token in words(plain)]
        if not 2 <= len(tokens) <= 4 or not all(token.isalpha() for token in tokens) \
                or min(len(tokens[0]), len(tokens[-1])) < 2:
            return
        needle = Needle(plain, origin, " ".join(words(plain)))
        self._orders([tokens[0], tokens[-1]], needle)
        self.initials[tokens[0], tokens[-1]] = needle

    def allow(self, public_texts: Iterable[str], people: Iterable[str] = (),
              places: Iterable[str] = ()) -> None:
        """What the public may see anyway is no leak: a 1:1 meeting's topic that is also in
        a published record, a phone number given as the public contact. Personal data is
        excused only where it is public by nature (a signatory, the facilitator's name and
        public contact, an organisation's name, a contact marked public), never by a record's
        text: a contact's phone number written into a meeting's topic stays personal data.
        A withheld record's short name or product is excused only by a public identity that
        shares its words: a public person's or record's name, or a place (places: where an
        event is held, where a declaration is signed) — "Silkeborg" the town, never a need's
        text that repeats "NatVagt fra Hemmelig Sensorfabrik"."""
        self.allow_by(Allowance.of(public_texts, people, places, self.ids))

    def allow_by(self, allowance: Allowance) -> None:
        """allow, with what the public may see read once (Allowance): kept for every
        document, and every render, of the same state of the process."""
        public, identities, named = allowance.public, allowance.identities, allowance.named
        self.needles = {key: needle for key, needle in self.needles.items()
                        if not public.has(key)}
        # A withheld record's short name is excused only where a public identity shares its
        # words (withheld "Viborg Kommune", public "Viborg Erhvervsråd", the town where a
        # workshop is held): a record's text that repeats it only repeats the leak.
        self.names = {key: needle for key, needle in self.names.items()
                      if not identities.has(key)}
        self.emails = {key: (needle, personal) for key, (needle, personal)
                       in self.emails.items() if personal or not public.has(key)}
        numbers, by_people = allowance.numbers, allowance.by_people
        self.phones = {phone: needle for phone, needle in self.phones.items()
                       if not any(phone in number for number in by_people) and not (
                           phone not in self.personal_phones
                           and any(phone in number for number in numbers))}
        # a person is public only as a public identity names them, whole: an organisation
        # whose name holds a contact's ("Louise Bach Consult") names no one
        whole = allowance.whole
        public_people = {needle.shown for key, needle in self.personal.items()
                         if _fold(key) in whole}
        self.personal = {key: needle for key, needle in self.personal.items()
                         if needle.shown not in public_people}
        self.initials = {names: needle for names, needle in self.initials.items()
                         if needle.shown not in public_people}
        self.emails = {key: (needle, personal) for key, (needle, personal)
                       in self.emails.items() if not (personal and named.has(key))}
        self._index = None

    def leaks(self, text: str) -> list[str]:
        """What of the needles text holds, as the sources wrote it."""
        return sorted({needle.shown for needle in self.findings(text)})

    def findings(self, text: str, besides: str | None = None) -> list[Needle]:
        """The needles text holds. With besides (the path of the document's own text, "" for
        none), a passage the public may read anyway — in the method's phrases, or in a public
        text other than the document's own — is no leak: the minutes of a meeting may repeat
        a public text. A text never excuses itself: which copied which cannot be told."""
        if self._index is None:
            self._index = (_Needles({**self.needles, **self.names}), _Needles(self.personal),
                           _Needles({key: needle for key, (needle, _) in self.emails.items()}))
        needles, personal, emails = self._index
        normal = _normal(text)
        reading = _Reading((), normal=[normal])
        found = set(needles.found(reading))
        if self.personal:
            folded = reading.folded()
            found.update(personal.found(folded))
            found.update(self._initials(normal, folded.line))
        found.update(emails.found(reading))
        if self.emails and reading.words & _SPELT:  # an address written out: at, dot
            spelt = " " + " ".join(word for word in reading.line.split()
                                   if word not in _SPELT) + " "
            found.update(needle for key, (needle, _) in self.emails.items()
                         if f" {key} " in spelt)
        if self.phones:
            numbers = _numbers(text, normal)
            found.update(needle for phone, needle in self.phones.items()
                         if any(phone in number for number in numbers))
        if besides is not None and self.wording is not None \
                and any(needle.passage for needle in found):
            found = {needle for needle in found
                     if not (needle.passage and self._public_wording(needle.key, besides))}
        # a short name inside a name found whole ("Horsens" in "Horsens Kommune") is the
        # same mention: the name is reported
        keys = [f" {needle.key} " for needle in found if needle.key]
        found = {needle for needle in found if not (
            needle.key in self.names and self.names[needle.key] is needle
            and any(f" {needle.key} " in key and key != f" {needle.key} " for key in keys))}
        return sorted(found, key=lambda needle: (needle.shown, needle.key))

    def _public_wording(self, key: str, besides: str) -> bool:
        if self._wording is None:
            assert self.wording is not None
            phrases, texts = self.wording()
            self._wording = (_Reading(phrases),
                             {path: _Reading([body]) for path, body in texts.items()})
        phrases_read, texts_read = self._wording
        return phrases_read.has(key) or any(
            read.has(key) for path, read in texts_read.items() if path != besides)

    def _initials(self, normal: str, line: str) -> Iterator[Needle]:
        """A person named with a middle initial (Louise M. Bach, M. or not), or by the initial
        of the first name and the surname — with its full stop, so "i Lund" is no I. Lund."""
        named = [(names, needle) for names, needle in self.initials.items()
                 if f" {names[1]} " in line or f" {names[1]}s " in line]  # the surname is there
        if not named:
            return
        dotted = _fold(normal)
        for (first, last), needle in named:
            initial = re.escape(first[0])
            if re.search(rf" {re.escape(first)} \w {re.escape(last)}s? ", line) or re.search(
                    rf"(?<!\w){initial}\.\s*{re.escape(last)}s?(?!\w)"
                    rf"|(?<!\w){re.escape(last)},?\s*{initial}\.(?!\w)", dotted):
                yield needle


def _as_written(address: str, plain: str) -> str:
    """An e-mail address as its source writes it (Loba@Aarhus.example), not as compared."""
    for match in _EMAIL.finditer(plain):
        if flat(match.group(0)) == address:
            return match.group(0)
    return address


def reading(fmt: str, content: bytes) -> str:
    """What an output reads as: the text of a Word document's parts and links, of an HTML page
    with its link targets and alternative texts, the Markdown — and for a PDF, the text of the
    typst source typst sets it from (content is then that source)."""
    if fmt == "pdf":
        return _typst_text(content.decode("utf-8", "replace"))
    if fmt == "docx":
        return _docx_text(content)
    if fmt == "html":
        return _html_text(content.decode("utf-8", "replace"))
    return content.decode("utf-8", "replace")


# typst's inline formatting (pandoc writes `*Lou*ise` as `#emph[Lou]ise`): joins its words;
# any other call (#footnote[…], #table(…)) stands between words. `~` is typst's non-breaking
# space and `-?` its soft hyphen.
_TYPST_INLINE = re.compile(r"#(?:emph|strong|strike|underline|overline|super|sub|smallcaps|"
                           r"highlight|text|link|box)\b")
_TYPST_CALL = re.compile(r"#[A-Za-z_][\w.-]*")


def _typst_text(source: str) -> str:
    # /**/ is the empty comment safe.lua ends every call with; pandoc writes a text's own as /\*\*/
    source = source.replace("/**/", "")
    text = source.replace("\\~", "\x00").replace("~", " ").replace("\x00", "~")
    text = _TYPST_CALL.sub(" ", _TYPST_INLINE.sub("", text.replace("-?", "")))
    return re.sub(r"(?<!\\)[\[\]]", "", text)


# The parts of a Word document with no text a reader sees, read by nothing below: styles,
# numbering, settings, fonts and theme (from the reference document), the content types.
_DOCX_UNSEEN = re.compile(r"\[Content_Types\]\.xml|word/theme/.+|word/(?:styles|"
                          r"stylesWithEffects|numbering|settings|webSettings|fontTable)\.xml")


def _docx_text(content: bytes) -> str:
    import io
    import zipfile
    from xml.etree import ElementTree

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    breaks = {f"{namespace}{tag}" for tag in ("t", "br", "cr", "tab")}
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")) or _DOCX_UNSEEN.fullmatch(name):
                continue
            root = ElementTree.fromstring(archive.read(name))
            if name.startswith("word/") and name.endswith(".xml"):
                for paragraph in root.iter(f"{namespace}p"):  # runs join without a space
                    parts.append("".join(
                        (node.text or "") if node.tag == f"{namespace}t" else " "
                        for node in paragraph.iter() if node.tag in breaks))
            elif name.endswith(".rels"):
                parts.extend(node.get("Target", "") for node in root.iter()
                             if node.get("TargetMode") == "External")
            elif name.startswith("docProps/"):
                parts.extend(node.text or "" for node in root.iter())
    return "\n".join(parts)


_BLOCK_TAGS = {"p", "div", "li", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
               "table", "section", "header", "footer", "blockquote", "pre", "title", "dt", "dd",
               "figcaption", "hr", "ul", "ol", "nav"}


def _html_text(page: str) -> str:
    from html.parser import HTMLParser

    parts: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            for key, value in attrs:
                if key in ("href", "alt", "title", "content") and value \
                        and not value.startswith("data:"):
                    parts.append(f"\n{value}\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _BLOCK_TAGS:
                parts.append("\n")

        def handle_data(self, data: str) -> None:  # inline tags join without a space
            parts.append(data)

    parser = Parser()
    parser.feed(page)
    parser.close()
    return "".join(parts)
