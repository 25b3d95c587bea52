"""Every title and description of the schemas has its Danish in data/messages/schemas.json,
under an id made from the schema and the place in it, with the schema's English to the letter:
a finding's hint reads them in the reader's language (validation/schemas.py)."""

from __future__ import annotations

import json
import re

from copi_cli.messages import catalogue

from conftest import REPO


def _words(node: object, path: list[str]) -> list[tuple[list[str], str]]:
    if isinstance(node, dict):
        return [found for key, value in node.items()
                for found in ([([*path, key], value)]
                              if key in ("title", "description") and isinstance(value, str)
                              else _words(value, [*path, key]))]
    if isinstance(node, list):
        return [found for i, value in enumerate(node) for found in _words(value, [*path, str(i)])]
    return []


def _expected() -> dict[str, str]:
    expected = {}
    for file in sorted((REPO / "schemas").glob("*.schema.json")):
        stem = file.name.removesuffix(".schema.json")
        for path, text in _words(json.loads(file.read_text(encoding="utf-8")), [stem]):
            key = re.sub(r"[^a-z0-9.-]", "-", "schema." + ".".join(path).replace("_", "-").lower())
            assert key not in expected, f"two places give the id {key}"
            expected[key] = text
    return expected


def test_every_schema_text_has_its_danish_and_no_entry_is_left_over() -> None:
    expected = _expected()
    entries = {key: entry for key, entry in catalogue().items() if key.startswith("schema.")}
    assert sorted(expected.keys() - entries.keys()) == [], "missing in data/messages/schemas.json"
    assert sorted(entries.keys() - expected.keys()) == [], "in no schema any more"
    wrong = [key for key, text in expected.items() if entries[key]["en"] != text]
    assert wrong == [], "English differs from the schema's"


def test_one_english_text_has_one_danish() -> None:
    """The hint finds the Danish by the English, so one English text is said one way."""
    said: dict[str, set[str]] = {}
    for key, entry in catalogue().items():
        if key.startswith("schema."):
            said.setdefault(entry["en"], set()).add(entry["da"])
    assert {en: da for en, da in said.items() if len(da) > 1} == {}
