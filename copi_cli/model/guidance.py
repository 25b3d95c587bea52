"""copi's guidance in a new process (data/guidance.yaml), and finding it wherever it remains.

Why: `copi init` writes prompts and placeholders ("Beskriv i ét afsnit den fælles udfordring…")
so a facilitator knows what to write; left in place, they would print in a letter to a mayor.

Design: guidance is recognised by its words, not by a marker a user might delete with the
prompt still there. Text is read as its words (case-folded, NFKC, punctuation and spacing
ignored; HTML comments, which no document prints, left out), sentence by sentence: a run of
words never reaches over a sentence's end (., ! or ? before a space, a blank line, a heading,
a list item or a table cell), in the guidance or in the text. A guidance of RUN words or more
is found by any RUN consecutive words of one of its sentences, so a sentence half rewritten is
still found by the half that was not; a shorter one (a placeholder name) only when it is the
whole text, since a few common words alone prove nothing. Nor does a run prove anything that
lies within a prompt's topic (guidance.yaml: the subject it asks about, "hvem køber, hvor
meget og hvornår"), which a process's own text may well put in its own words.
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
# Where a sentence ends: after ., ! or ? (and a closing bracket or quote) before a space, at a
# blank line, before a line that starts a Markdown block (a heading, a list item, a quote, a
# table row), after a heading's line, at a table cell's edge.
_BREAK = re.compile(r"[.!?…]+[)\]\"'»”’*_]*(?=\s|\Z)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+>|#]|\d+[.)]))"
                    r"|^[ \t]*#[^\n]*|\|", re.MULTILINE)


class Guidance(NamedTuple):
    id: str
    file: str
    text: dict[str, str]  # language -> the guidance
    topic: dict[str, str]  # language -> what it asks about, in words a process may use


class Found(NamedTuple):
    guidance: Guidance
    start: int  # where in the text the first word found begins
    end: int  # where the sentence it was found in ends


class _Index(NamedTuple):
    runs: dict[tuple[str, ...], Guidance]  # every RUN-word run of the longer guidance
    whole: dict[tuple[str, ...], Guidance]  # the shorter guidance, as whole texts
    words: frozenset[str]  # every word of any guidance


def _words(text: str) -> list[tuple[int, str]]:
    return [(match.start(), unicodedata.normalize("NFKC", match.group(0)).casefold())
            for match in _WORD.finditer(text)]


def _sentences(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    """The text's sentences, each as (where it ends, its words)."""
    ends = [match.end() for match in _BREAK.finditer(text)] + [len(text)]
    sentences: list[tuple[int, list[tuple[int, str]]]] = []
    at = 0
    for start, word in _words(text):
        while ends[at] <= start:
            at += 1
        if not sentences or sentences[-1][0] != ends[at]:
            sentences.append((ends[at], []))
        sentences[-1][1].append((start, word))
    return sentences


def _within(run: tuple[str, ...], topic: tuple[str, ...]) -> bool:
    return any(topic[at:at + len(run)] == run for at in range(len(topic) - len(run) + 1))


@cache
def all_guidance() -> tuple[Guidance, ...]:
    return tuple(Guidance(entry["id"], entry["file"], {"da": entry["da"], "en": entry["en"]},
                          entry.get("topic", {}))
                 for entry in load_data("guidance.yaml")["guidance"])


def guidance(id: str) -> Guidance:
    return next(entry for entry in all_guidance() if entry.id == id)


@cache
def _index() -> _Index:
    runs: dict[tuple[str, ...], Guidance] = {}
    whole: dict[tuple[str, ...], Guidance] = {}
    vocabulary: set[str] = set()
    for entry in all_guidance():
        topics = [tuple(word for _, word in _words(topic)) for topic in entry.topic.values()]
        for text in entry.text.values():  # both languages: a text may be copied across
            words = tuple(word for _, word in _words(text))
            vocabulary.update(words)
            if len(words) < RUN:
                whole[words] = entry
                continue
            for _, sentence in _sentences(text):
                said = tuple(word for _, word in sentence)
                for at in range(len(said) - RUN + 1):
                    run = said[at:at + RUN]
                    if not any(_within(run, topic) for topic in topics):
                        runs.setdefault(run, entry)
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
    sentences = _sentences(text)
    found: dict[str, Found] = {}
    whole = index.whole.get(tuple(word for _, sentence in sentences for _, word in sentence))
    if whole is not None:
        found[whole.id] = Found(whole, sentences[0][1][0][0], len(text.rstrip()))
    for end, words in sentences:
        for at in range(len(words) - RUN + 1):
            entry = index.runs.get(tuple(word for _, word in words[at:at + RUN]))
            if entry is not None and entry.id not in found:
                found[entry.id] = Found(entry, words[at][0], end)
    return sorted(found.values(), key=lambda f: f.start)


def excerpt(entry: Guidance, lang: str, length: int = 60) -> str:
    """The guidance's first words, to name it in a message."""
    text = " ".join(entry.text[lang].split())
    return text if len(text) <= length else text[:length - 1].rsplit(" ", 1)[0] + "…"
