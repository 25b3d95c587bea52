"""The words copi says, in Danish and English: one catalogue (data/messages.json), keyed by id.

Code names a message by its id (`advance.committed`) and gives the values of its placeholders;
the text lives in the catalogue, so a translation is an edit of data, not of code. A message
that depends on a number has a form for one and for other, chosen by the value `n`. A missing or
unexpected value raises at once: a message must never print with a hole in it.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from functools import cache

from copi_cli.resources import data_path, load_data


@cache
def catalogue() -> dict[str, dict]:
    """Every message by id: data/messages.json (what copi says about a process) and the files
    of data/messages/, one per part of copi (help, errors, findings), so that work on one part
    does not touch the others'. An id in two files is an error."""
    merged = dict(load_data("messages.json"))
    for part in sorted(data_path("messages").glob("*.json")):
        for key, entry in load_data(f"messages/{part.name}").items():
            if key in merged:
                raise LookupError(f"message {key!r} is in data/messages/{part.name} and "
                                  "another catalogue file")
            merged[key] = entry
    return merged


def message(key: str, lang: str, /, **values: object) -> str:
    """The message `key` in `lang`, its placeholders filled in from values."""
    try:
        text = catalogue()[key][lang]
    except KeyError:
        raise LookupError(f"no message {key!r} in {lang!r} in data/messages.json") from None
    if isinstance(text, dict):  # a form for one and for other
        if "n" not in values:
            raise LookupError(f"message {key!r} is counted: give n")
        text = text["one"] if values["n"] == 1 else text["other"]
    filling = _Filling(key, _in(lang, values))  # a value that is a message: in lang too
    filled = text.format_map(filling)
    if filling.used != values.keys():
        raise LookupError(f"message {key!r} has no place for "
                          f"{sorted(values.keys() - filling.used)}")
    return filled


def in_language(lang: str) -> Callable[..., str]:
    """message() with the language fixed, for code that says many things in one language."""
    def say(key: str, /, **values: object) -> str:
        return message(key, lang, **values)
    return say


class _Filling(dict):
    """The values of one message, noting which placeholders asked for them."""

    def __init__(self, key: str, values: dict[str, object]) -> None:
        super().__init__(values)
        self.key = key
        self.used: set[str] = set()

    def __getitem__(self, name: str) -> object:
        self.used.add(name)
        return super().__getitem__(name)

    def __missing__(self, name: str) -> object:
        raise LookupError(f"message {self.key!r} wants a value for {name!r}")


class Said(str):
    """A message from the catalogue that reads as its English text wherever a plain string is
    expected — JSON, SARIF, logs, the cache — and in another language where a person reads it
    (`in_language`). The core says what happened without knowing who reads it; the boundary
    and the reporters choose the language."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, /, **values: object) -> Said:
        said = super().__new__(cls, message(key, "en", **_in("en", values)))
        said.key, said.values = key, values
        return said

    def in_language(self, lang: str) -> str:
        return message(self.key, lang, **_in(lang, self.values))

    def __reduce__(self) -> tuple:  # pickled by the validation workers: rebuild from the id
        return (_said, (self.key, self.values))


def _said(key: str, values: dict[str, object]) -> Said:
    return Said(key, **values)


class Worded(str):
    """A value that copi's data gives in both languages (a kind of record's label, a phase's
    name): it reads as its English, and in a message said in Danish as its Danish."""

    words: dict[str, str]

    def __new__(cls, words: dict[str, str]) -> Worded:
        worded = super().__new__(cls, words["en"])
        worded.words = dict(words)
        return worded

    def in_language(self, lang: str) -> str:
        return self.words.get(lang, self.words["en"])

    def __reduce__(self) -> tuple:
        return (Worded, (self.words,))


def grouped(n: int) -> Worded:
    """A whole number with its thousands grouped as each language writes them: 12,000 in
    English, 12.000 in Danish."""
    return Worded({"en": f"{n:,}", "da": f"{n:,}".replace(",", ".")})


def _in(lang: str, values: dict[str, object]) -> dict[str, object]:
    """Values that are messages themselves, in the same language as the one holding them."""
    return {name: value.in_language(lang) if isinstance(value, (Said, Worded)) else value
            for name, value in values.items()}


# The errors of the file system people meet, said by the catalogue in Danish: Python gives the
# OS's words in the C locale's English whatever the user's locale.
_ERRNOS = {errno.ENOENT: "os-error.enoent", errno.EACCES: "os-error.eacces",
           errno.EPERM: "os-error.eperm", errno.ENOSPC: "os-error.enospc",
           errno.EROFS: "os-error.erofs", errno.EISDIR: "os-error.eisdir",
           errno.ENOTDIR: "os-error.enotdir", errno.EEXIST: "os-error.eexist",
           errno.ENAMETOOLONG: "os-error.enametoolong", errno.ELOOP: "os-error.eloop",
           errno.EMFILE: "os-error.emfile", errno.EDQUOT: "os-error.edquot",
           errno.EIO: "os-error.eio"}


def os_reason(error: OSError) -> str:
    """What the OS said went wrong: its own words in English, the catalogue's in Danish for
    the common errors (the OS's words for the rest)."""
    said = error.strerror or str(error)
    key = _ERRNOS.get(error.errno or 0)
    return Worded({"en": said, "da": message(key, "da")}) if key else said


def text_in(text: str, lang: str) -> str:
    """A message in `lang` if it came from the catalogue or copi's data; any other text as it
    is."""
    return text.in_language(lang) if isinstance(text, Said | Worded) else text
