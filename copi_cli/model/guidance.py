"""copi's guidance in a new process (data/guidance.yaml), and finding it wherever it remains.

Why: `copi init` writes prompts and placeholders ("Beskriv i ét afsnit den fælles udfordring…")
so a facilitator knows what to write; left in place, they would print in a letter to a mayor.

Design: guidance is recognised by its words, not by a marker a user might delete with the
prompt still there. Text is read as its words (case-folded, NFKC, punctuation and spacing
ignored; HTML comments, which no document prints, left out). A guidance of RUN words or more is
found by any RUN consecutive words of it, so a sentence half rewritten is still found by the
half that was not; a shorter one (a placeholder name) only when it is the whole text, since a
few common words alone prove nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import NamedTuple

from copi_cli.resources import load_data

RUN = 5
_WORD = re.compile(r"\w+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


class Guidance(NamedTuple):
    id: str
    file: str
    text: dict[str, str]  # language -> the guidance


class Found(NamedTuple):
    guidance: Guidance
    start: int  # where in the text the first word found begins


class _Index(NamedTuple):
    runs: dict[tuple[str, ...], Guidance]  # every RUN-word run of the longer guidance
    whole: dict[tuple[str, ...], Guidance]  # the shorter guidance, as whole texts
    words: frozenset[str]  # every word of any guidance


def _words(text: str) -> list[tuple[int, str]]:
    return [(match.start(), unicodedata.normalize("NFKC", match.group(0)).casefold())
            for match in _WORD.finditer(text)]


@cache
def all_guidance() -> tuple[Guidance, ...]:
    return tuple(Guidance(entry["id"], entry["file"], {"da": entry["da"], "en": entry["en"]})
                 for entry in load_data("guidance.yaml")["guidance"])


def guidance(id: str) -> Guidance:
    return next(entry for entry in all_guidance() if entry.id == id)


@cache
def _index() -> _Index:
    runs: dict[tuple[str, ...], Guidance] = {}
    whole: dict[tuple[str, ...], Guidance] = {}
    vocabulary: set[str] = set()
    for entry in all_guidance():
        for text in entry.text.values():  # both languages: a text may be copied across
            words = tuple(word for _, word in _words(text))
            vocabulary.update(words)
            if len(words) < RUN:
                whole[words] = entry
            for at in range(len(words) - RUN + 1):
                runs.setdefault(words[at:at + RUN], entry)
    return _Index(runs, whole, frozenset(vocabulary))


def _may_hold(text: str, index: _Index) -> bool:
    """The quick look validation takes at every value of every record: RUN guidance words in a
    row, or a whole short guidance, or certainly none. Most values are ids, dates and names."""
    if len(text) < 8 or not (" " in text or "\n" in text or "@" in text or "\t" in text):
        return False  # no guidance is shorter, and every guidance has two words or more
    folded = text.casefold() if text.isascii() else unicodedata.normalize(
        "NFKC", text).casefold()
    words = _WORD.findall(folded)
    if len(words) < RUN:
        return tuple(words) in index.whole
    run = 0
    for word in words:
        run = run + 1 if word in index.words else 0
        if run >= RUN:
            return True
    return False


def _uncommented(text: str) -> str:
    """HTML comments blanked out, their line breaks kept so that places stay where they were."""
    if "<!--" not in text:
        return text
    return _COMMENT.sub(lambda c: re.sub(r"[^\n]", " ", c.group(0)), text)


def may_hold(text: str) -> bool:
    """Whether text may hold guidance: False is certain, True asks find()."""
    return _may_hold(_uncommented(text), _index())


def find(text: str) -> list[Found]:
    """The guidance in a text, each once, in the order it first appears."""
    text = _uncommented(text)
    index = _index()
    if not _may_hold(text, index):
        return []
    words = _words(text)
    found: dict[str, Found] = {}
    whole = index.whole.get(tuple(word for _, word in words))
    if whole is not None:
        found[whole.id] = Found(whole, words[0][0])
    for at in range(len(words) - RUN + 1):
        entry = index.runs.get(tuple(word for _, word in words[at:at + RUN]))
        if entry is not None and entry.id not in found:
            found[entry.id] = Found(entry, words[at][0])
    return sorted(found.values(), key=lambda f: f.start)


def excerpt(entry: Guidance, lang: str, length: int = 60) -> str:
    """The guidance's first words, to name it in a message."""
    text = " ".join(entry.text[lang].split())
    return text if len(text) <= length else text[:length - 1].rsplit(" ", 1)[0] + "…"
