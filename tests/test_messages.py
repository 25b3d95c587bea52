"""The catalogue of messages is whole: every id in both languages with the same placeholders,
every id used by the code, and every id the code names in the catalogue."""

from __future__ import annotations

import ast
import json
import re
import string

import pytest

from copi_cli.messages import Said, catalogue, in_language, message, text_in

from conftest import REPO

PACKAGE = REPO / "copi_cli"
ID = re.compile(r"[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+")
# Functions that take a message id: the id is the argument at this position.
TAKES_AN_ID = {"message": 0, "say": 0, "finish": 2, "Said": 0}
USED_BY_THE_COMMAND_TREE = ("help.", "click.", "metavar.")
# a schema's titles and descriptions are found by their English text, not their id:
# tests/validation/test_schema_words.py checks that each belongs to a schema
USED_BY_THE_SCHEMAS = ("schema.",)


def _texts(entry: dict, lang: str) -> list[str]:
    text = entry[lang]
    return [text["one"], text["other"]] if isinstance(text, dict) else [text]


def _names(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _source() -> dict[str, ast.Module]:
    return {str(path.relative_to(REPO)): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _strings(trees: dict[str, ast.Module]) -> set[str]:
    return {node.value for tree in trees.values() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _table_values(trees: dict[str, ast.Module]) -> set[str]:
    """The strings a dict literal holds as values."""
    return {value.value for tree in trees.values() for node in ast.walk(tree)
            if isinstance(node, ast.Dict) for value in node.values
            if isinstance(value, ast.Constant) and isinstance(value.value, str)}


def _named_ids(trees: dict[str, ast.Module]) -> list[tuple[str, str]]:
    """(file, id) for every literal id handed to message(), say() or finish()."""
    found = []
    for file, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = TAKES_AN_ID.get(name or "")
            if position is not None and len(node.args) > position:
                argument = node.args[position]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.append((file, argument.value))
    return found


@pytest.mark.parametrize("file", ["messages.json", *sorted(
    f"messages/{part.name}" for part in (PACKAGE / "data" / "messages").glob("*.json"))])
def test_the_catalogue_is_json_in_id_order(file: str) -> None:
    text = (PACKAGE / "data" / file).read_text(encoding="utf-8")
    ids = list(json.loads(text))
    assert ids == sorted(ids), f"keep data/{file} in id order"
    assert all(ID.fullmatch(key) for key in ids), [k for k in ids if not ID.fullmatch(k)]


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_every_message_has_both_languages_and_the_same_placeholders(key: str) -> None:
    entry = catalogue()[key]
    assert set(entry) == {"da", "en"}
    for lang in ("da", "en"):
        text = entry[lang]
        assert isinstance(text, str) or set(text) == {"one", "other"}, f"{key}: {lang}"
        assert all(t.strip() for t in _texts(entry, lang)), f"{key}: {lang} is empty"
    named = {lang: [sorted(set(_names(t))) for t in _texts(entry, lang)]
             for lang in ("da", "en")}
    forms = [names for lang in ("da", "en") for names in named[lang]]
    assert all(names == forms[0] for names in forms), f"{key}: {named}"
    assert all(name.isidentifier() for name in forms[0]), f"{key}: name every placeholder"
    if isinstance(entry["da"], dict) or isinstance(entry["en"], dict):
        assert isinstance(entry["da"], dict) and isinstance(entry["en"], dict), key
        assert "n" in forms[0], f"{key}: a counted message shows its count n"


def test_every_message_is_used_and_every_id_used_exists() -> None:
    trees = _source()
    known = set(catalogue())
    strings = _strings(trees)
    # help texts belong to a command or parameter by their ids, and typer's and click's words
    # to what the library says: tests/cli/test_help.py checks that each is used
    unused = {key for key in known - strings
              if not key.startswith(USED_BY_THE_COMMAND_TREE + USED_BY_THE_SCHEMAS)}
    assert not unused, f"unused: {sorted(unused)}"
    unknown = [f"{file}: {key}" for file, key in _named_ids(trees) if key not in known]
    assert not unknown, "not in data/messages.json: " + ", ".join(unknown)
    # an id kept in a table ({"fieldwork": "check.source.fieldwork", …}) is checked as well
    spaces = {key.split(".")[0] for key in known}
    tabled = {value for value in _table_values(trees)
              if ID.fullmatch(value) and value.split(".")[0] in spaces}
    assert not tabled - known, f"not in data/messages.json: {sorted(tabled - known)}"


def test_the_scan_sees_ids_in_calls() -> None:
    """The test above is only as good as its reading of calls."""
    tree = ast.parse('message("a.b", lang)\nctx.say("c.d", n=1)\n'
                     'finish(change, "owner-add", "e.f", name=x)\nsay(key)\n')
    assert _named_ids({"x.py": tree}) == [("x.py", "a.b"), ("x.py", "c.d"), ("x.py", "e.f")]
    table = ast.parse('WORDS = {"yes": "tool.yes", "file": "form.js"}\nopen("g.h")\n')
    assert _table_values({"x.py": table}) == {"tool.yes", "form.js"}


def test_a_message_is_filled_in() -> None:
    assert message("check.confirmed", "da", by="Anna", date="2026-01-05") == \
        "bekræftet af Anna 2026-01-05"
    assert in_language("en")("check.text-missing", name="X") == "X is missing"


def test_a_counted_message_takes_its_form_from_n() -> None:
    assert message("check.materials", "da", n=1) == "1 arrangement med offentligt materiale"
    assert message("check.materials", "en", n=2) == "2 events with published material"
    with pytest.raises(LookupError, match="give n"):
        message("check.materials", "en")


def test_a_missing_or_unknown_value_fails_loudly() -> None:
    with pytest.raises(LookupError, match="'check.confirmed' wants a value for 'date'"):
        message("check.confirmed", "en", by="Anna")
    with pytest.raises(LookupError, match=r"'check.text-written' has no place for \['name'\]"):
        message("check.text-written", "en", name="typo")
    with pytest.raises(LookupError, match=r"has no place for \['dato'\]"):
        message("check.confirmed", "da", by="Anna", date="2026-01-05", dato="typo")
    with pytest.raises(LookupError, match="no message 'check.nothing'"):
        message("check.nothing", "da")
    with pytest.raises(LookupError, match="in 'de'"):
        message("check.text-written", "de")


def test_a_said_message_reads_as_english_and_speaks_danish_when_asked() -> None:
    import pickle

    said = Said("cli.lang-unknown", lang="de")
    assert said == "copi does not speak de" and text_in(said, "da") == "sproget de kender copi ikke"
    assert text_in("plain text", "da") == "plain text"
    again = pickle.loads(pickle.dumps(said))  # the validation workers send findings back
    assert again.in_language("da") == said.in_language("da")
    nested = Said("cli.lang-unknown", lang=Said("cli.error"))
    assert nested.in_language("da") == "sproget fejl kender copi ikke"


def test_values_are_not_read_as_placeholders() -> None:
    """A name with braces in it is text: it goes in as written."""
    assert message("check.text-missing", "en", name="{owner}") == "{owner} is missing"
