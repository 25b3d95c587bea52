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
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from copi_cli.errors import UserError
from copi_cli.messages import message
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


def _person_names(key: str, value: Any) -> Iterator[str]:
    """The names of persons in personal data: a contact's `name`, who answered a tool."""
    if isinstance(value, str) and key == "answered_by":
        yield value
    elif isinstance(value, dict):
        if isinstance(value.get("name"), str):
            yield value["name"]
    elif isinstance(value, list):
        for item in value:
            yield from _person_names(key, item)


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
        self.short_names: set[str] = set()  # short forms of withheld names
        self.withheld_ids: set[str] = set()
        self.people: set[str] = set()  # the names of persons among the personal data

    def _restrict(self, parent: dict, key: str, reason: str) -> None:
        if self.public:
            value = parent.pop(key)
            removed = list(_strings(value))
            self.cut.update(removed)
            if reason in ("personal", "secret"):
                self.sensitive.update(removed)
            if reason == "personal":
                self.people.update(_person_names(key, value))
        else:
            parent[key] = _wrapped(parent[key], reason)

    def _apply_marking(self, data: dict, kind: str | None = None) -> dict | None:
        """A record's or list item's own `confidential`: true, or a list of its fields. A
        record of a kind that is always listed (a 1:1 meeting) keeps its listed fields."""
        marking = data.get("confidential")
        listed = _rules().get("listed", {}).get(kind) if kind else None
        if marking is True and listed is not None:
            for field in [field for field in data if field not in listed
                          and field != "confidential"]:
                self._restrict(data, field, "confidential")
            return data
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
        marked = self._apply_marking(copy.deepcopy(data), kind)
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

    def withhold_name(self, name: object, record_id: str | None = None) -> None:
        """A record the audience may not see, or whose name it may not see: its name, its id
        and the name's short forms must not appear either."""
        if isinstance(name, str) and name.strip():
            forms = name_forms(name.strip())
            self.sensitive.update(forms[:1])
            self.short_names.update(forms[1:])
        if record_id and len(record_id) >= NAME_LENGTH:
            self.withheld_ids.add(record_id)

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
        self.cut.update(cut)
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
                raise UserError(message("render.unclear-marking", self.lang,
                                        where=f"{where or 'text'}:{first_line + line}",
                                        mark=word),
                                hint=message("render.unclear-marking-hint", self.lang))

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


def words(text: str) -> list[str]:
    """The words a reader reads, whatever the formatting, escapes, punctuation or spacing."""
    return _WORD.findall(_THOUSANDS.sub("", _MARKUP.sub("", flat(_ESCAPE.sub(r"\1", text)))))


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


def _numbers(text: str) -> list[str]:
    """The digits of every number in text long enough to be a phone number."""
    if _ANY_DIGIT.search(text) is None:  # most texts: names, words (\d: any script's digits)
        return []
    text = _MARKUP.sub("", flat(_ESCAPE.sub(r"\1", text)))
    runs = (_PHONE_SEPARATORS.sub("", run) for run in _PHONE_RUN.findall(text))
    return [run for run in runs if len(run) >= 8]


class _Reading:
    """A text as a line of words, each between single spaces, and the set of its words."""

    def __init__(self, texts: Iterable[str], folded: bool = False) -> None:
        # "|" is no word: a needle cannot be found across two texts
        self.line = " " + " | ".join(" ".join(words(text)) for text in texts) + " "
        if folded:  # personal data: æ, ø, å as people write them without the keys
            self.line = _fold(self.line)
        self.words = set(self.line.split())

    def folded(self) -> _Reading:
        """The same words folded as personal data is (`_fold`), without reading them again."""
        reading = _Reading(())
        reading.line = _fold(self.line)
        reading.words = set(reading.line.split())
        return reading

    def has(self, key: str) -> bool:
        # most needles have a word the text lacks: a set look-up each, no search of the line
        return all(word in self.words for word in key.split(" ")) and f" {key} " in self.line


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


class Guard:
    """Searches what a public document reads as for anything that was cut from its sources.

    Texts are compared as words (`words`): formatting, escapes, entities, Unicode forms,
    invisible characters, punctuation and spacing make no difference. Needles: every e-mail
    address (also written out with "at" and "dot"); every phone number, by its last eight
    digits however they are separated; personal data and business secrets from
    SENSITIVE_LENGTH characters (a contact's name, also in another order, with æ, ø, å written
    ae/oe/aa or a/o/a, by first and last name alone, with a middle initial, or as initial and
    surname: "L. Bach"); the names of
    withheld records, their ids and short forms; any other text that was cut from
    GUARDED_LENGTH characters, each of its sentences, and each run of SHINGLE of its words
    (a fragment without its full stop).
    """

    def __init__(self, cut: set[str], sensitive: Iterable[str] = (),
                 names: Iterable[str] = (), ids: Iterable[str] = (),
                 people: Iterable[str] = ()) -> None:
        sensitive = set(sensitive) | set(people)
        self.ids = set(ids)  # the ids of withheld records: kept in the records, no excuse
        names = [*names, *self.ids]
        self.personal: dict[str, str] = {}  # folded (`_fold`); never excused but by public people
        # a person's (first name, surname) → the name: "Louise M. Bach", "L. Bach"
        self.initials: dict[tuple[str, str], str] = {}
        self.needles: dict[str, str] = {}  # excused when the public records say it too
        self.emails: dict[str, tuple[str, bool]] = {}  # words → (address, personal)
        self.phones: dict[str, str] = {}  # the last eight digits → as written
        for text in cut | sensitive:
            self._add(text, text in sensitive)
        for person in people:
            self._add_person(person)
        for name in names:
            key = " ".join(words(name))
            if key and len(name) >= NAME_LENGTH:
                self.needles.setdefault(key, name)

    def _add(self, text: str, personal: bool) -> None:
        plain = " ".join(text.split())
        if not plain or _DATE.fullmatch(plain):
            return
        for address in _EMAIL.findall(flat(plain)):
            self.emails[" ".join(words(address))] = (address, personal)
        if _is_phone(flat(plain)):
            self.phones[_digits(flat(plain))[-8:]] = plain
            return
        tokens = words(plain)
        if not tokens:
            return
        key = " ".join(tokens)
        if personal and len(plain) >= SENSITIVE_LENGTH:
            self.personal[_fold(key)] = plain
            if 2 <= len(tokens) <= 3 and all(token.isalpha() for token in tokens):
                self._orders(tokens, plain)
        elif len(plain) >= GUARDED_LENGTH:
            self.needles[key] = plain
        for piece in _PIECES.split(plain):
            if len(piece.strip()) >= GUARDED_LENGTH and words(piece):
                self.needles.setdefault(" ".join(words(piece)), piece.strip())
        for start in range(len(tokens) - SHINGLE + 1):
            shingle = " ".join(tokens[start:start + SHINGLE])
            longer = " ".join(tokens[start:start + SHINGLE + 1])
            if len(shingle) >= SHINGLE_LENGTH:
                self.needles.setdefault(shingle, shingle)
            elif longer != shingle and re.search(r"\d", longer) \
                    and len(longer) >= SHINGLE_LENGTH - 8:  # 39 kr pr borger pr
                self.needles.setdefault(longer, longer)

    def _orders(self, tokens: list[str], shown: str) -> None:
        for order in itertools.permutations(tokens):  # Bach, Louise; Louise Bachs
            self.personal.setdefault(_fold(" ".join(order)), shown)
            self.personal.setdefault(_fold(" ".join(order)) + "s", shown)

    def _add_person(self, name: str) -> None:
        """A person's name as people shorten it: first and last name of a longer name (Søren
        Østergaard), with a middle initial (Louise M. Bach), initial and surname (L. Bach)."""
        plain = " ".join(name.split())
        tokens = [_fold(token) for token in words(plain)]
        if not 2 <= len(tokens) <= 4 or not all(token.isalpha() for token in tokens) \
                or min(len(tokens[0]), len(tokens[-1])) < 2:
            return
        self._orders([tokens[0], tokens[-1]], plain)
        self.initials[tokens[0], tokens[-1]] = plain

    def allow(self, public_texts: Iterable[str], people: Iterable[str] = ()) -> None:
        """What the public may see anyway is no leak: a 1:1 meeting's topic that is also in
        a published record, a phone number given as the public contact. Personal data is
        excused only where it is public by nature (a signatory, the facilitator's name)."""
        texts = [text for text in public_texts if text not in self.ids]
        public = _Reading(texts)
        self.needles = {key: shown for key, shown in self.needles.items()
                        if not public.has(key)}
        self.emails = {key: (address, personal) for key, (address, personal)
                       in self.emails.items() if personal or not public.has(key)}
        numbers = [number for text in texts for number in _numbers(text)]
        self.phones = {phone: shown for phone, shown in self.phones.items()
                       if not any(phone in number for number in numbers)}
        named = _Reading(list(people), folded=True)
        public_people = {shown for key, shown in self.personal.items() if named.has(key)}
        self.personal = {key: shown for key, shown in self.personal.items()
                         if shown not in public_people}
        self.initials = {names: shown for names, shown in self.initials.items()
                         if shown not in public_people}
        self.emails = {key: (address, personal) for key, (address, personal)
                       in self.emails.items() if not (personal and named.has(key))}

    def leaks(self, text: str) -> list[str]:
        """What of the needles text holds, as the sources wrote it."""
        reading = _Reading([text])
        found = {shown for key, shown in self.needles.items() if reading.has(key)}
        if self.personal:
            folded = reading.folded()
            found.update(shown for key, shown in self.personal.items() if folded.has(key))
            found.update(self._initials(text, folded.line))
        spelt = " " + " ".join(word for word in reading.line.split() if word not in _SPELT) + " "
        found.update(address for key, (address, _) in self.emails.items()
                     if reading.has(key) or f" {key} " in spelt)
        numbers = _numbers(text)
        found.update(shown for phone, shown in self.phones.items()
                     if any(phone in number for number in numbers))
        return sorted(found)


    def _initials(self, text: str, line: str) -> Iterator[str]:
        """A person named with a middle initial (Louise M. Bach, M. or not), or by the initial
        of the first name and the surname — with its full stop, so "i Lund" is no I. Lund."""
        named = [(names, shown) for names, shown in self.initials.items()
                 if f" {names[1]} " in line or f" {names[1]}s " in line]  # the surname is there
        if not named:
            return
        dotted = _fold(_MARKUP.sub("", flat(_ESCAPE.sub(r"\1", text))))
        for (first, last), shown in named:
            initial = re.escape(first[0])
            if re.search(rf" {re.escape(first)} \w {re.escape(last)}s? ", line) or re.search(
                    rf"(?<!\w){initial}\.\s*{re.escape(last)}s?(?!\w)"
                    rf"|(?<!\w){re.escape(last)},?\s*{initial}\.(?!\w)", dotted):
                yield shown


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


def _docx_text(content: bytes) -> str:
    import io
    import zipfile
    from xml.etree import ElementTree

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    breaks = {f"{namespace}{tag}" for tag in ("t", "br", "cr", "tab")}
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
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
