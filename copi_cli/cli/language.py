"""The language copi speaks to the person at the terminal: messages, help, hints and headers.

Chosen once, before typer builds the help: `copi --lang da|en` or COPI_LANG first; else Danish
when the process is Danish or the locale (LC_ALL, LC_MESSAGES, LANG) is; else English. Codes,
exit codes, option names and JSON are the same in both, so a script never depends on it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

LANGUAGES = ("da", "en")
_LANGUAGE_KEY = re.compile(rb"^language:[ \t]*['\"]?(da|en)\b", re.MULTILINE)
_chosen: dict[str, str] = {}


def choose(argv: list[str], cwd: Path | None = None) -> str:
    """The language for this run of copi, from its arguments and surroundings; kept for
    current()."""
    try:
        process = _from_process(argv, cwd or Path.cwd())
    except (OSError, ValueError):  # a removed working directory, a --dir too long to name:
        process = None  # the command itself says what is wrong, in the locale's language
    lang = _explicit(argv) or ("da" if process == "da" else None) or _from_locale() or "en"
    _chosen["lang"] = lang
    return lang


def current() -> str:
    """The language chosen for this run (English before one is chosen, e.g. in a library)."""
    return _chosen.get("lang") or _explicit([]) or "en"


def _explicit(argv: list[str]) -> str | None:
    """`--lang X` before the command's name, then COPI_LANG."""
    for at, word in enumerate(argv):
        if not word.startswith("-"):
            break  # the command: a later --lang is the document's language (render, publish)
        if word == "--lang" and at + 1 < len(argv) and argv[at + 1] in LANGUAGES:
            return argv[at + 1]
        if word.startswith("--lang=") and word[7:] in LANGUAGES:
            return word[7:]
    lang = os.environ.get("COPI_LANG", "").strip().lower()
    return lang if lang in LANGUAGES else None


def _from_process(argv: list[str], cwd: Path) -> str | None:
    """"da" when the process this run works on (--dir/-d, or the working directory and its
    parents) says `language: da` in copi.yaml, or says no language (Danish is the default).
    Read as bytes from the file's start only: a glance, not a parse."""
    start = cwd
    for at, word in enumerate(argv):
        if word in ("--dir", "-d") and at + 1 < len(argv):
            start = cwd / argv[at + 1]
        elif word.startswith("--dir="):
            start = cwd / word[6:]
    for folder in (start, *start.parents):
        config = folder / "copi.yaml"
        try:
            if not config.is_file() or config.is_symlink():
                continue
            with open(config, "rb") as handle:
                head = handle.read(65536)
        except OSError:
            return None
        found = _LANGUAGE_KEY.search(head)
        return "en" if found and found.group(1) == b"en" else "da"
    return None


def _from_locale() -> str | None:
    """Danish when the locale asks for it; the first of LC_ALL, LC_MESSAGES, LANG that is set
    decides, as gettext reads them."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "da" if value.lower().startswith("da") else None
    return None


def say(key: str, /, **values: object) -> str:
    """The catalogue's message `key` in the language of this run."""
    from copi_cli.messages import message

    return message(key, current(), **values)


def spoken(text: str) -> str:
    """A text in the language of this run if it is a catalogue message (Said), as it is if
    not (a name, a path, git's words)."""
    from copi_cli.messages import text_in

    return text_in(text, current())
