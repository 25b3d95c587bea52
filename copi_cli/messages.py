"""The words copi says, in Danish and English: one catalogue (data/messages.json), keyed by id.

Code names a message by its id (`advance.committed`) and gives the values of its placeholders;
the text lives in the catalogue, so a translation is an edit of data, not of code. A message
that depends on a number has a form for one and for other, chosen by the value `n`. A missing or
unexpected value raises at once: a message must never print with a hole in it.
"""

from __future__ import annotations

from collections.abc import Callable

from copi_cli.resources import load_data


def catalogue() -> dict[str, dict]:
    """Every message by id, as data/messages.json holds it."""
    return load_data("messages.json")


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
    filling = _Filling(key, values)
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
