"""Feeding tool answers into records (copi_cli.tools.feeding): the data that says where each
answer goes fits the records' schemas, and the rules for lines that are there, that clash and
that name a kind."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from copi_cli.model.tools import load_tools
from copi_cli.tools.feeding import feed, feeding_fields
from copi_cli.trail.change import Change

from conftest import REPO, head, unchanged

FEEDS = [(tool, field) for tool in load_tools() for field in feeding_fields(tool)]


def test_the_tools_that_feed_records_are_planning_and_needs_exploration() -> None:
    assert {tool.id for tool, _ in FEEDS} == {"planning", "needs-exploration"}
    assert {(f.feeds.file, f.feeds.list) for _, f in FEEDS if f.feeds} == {
        ("interessenter.yaml", "stakeholders"), ("interessenter.yaml", "value_chain"),
        ("udforskning/behov.yaml", "barriers"), ("udforskning/indsigter.yaml", "insights")}


@pytest.mark.parametrize("tool, field", FEEDS, ids=[f"{t.id}.{f.key}" for t, f in FEEDS])
def test_every_feed_names_a_list_its_schema_has(tool, field) -> None:
    """A feed is data: its file, list, text key and fixed values must be the records' own."""
    layout = json.loads((REPO / "copi_cli" / "data" / "layout.json").read_text())
    feed_ = field.feeds
    assert field.type == "list"
    kind = next(k for k in layout["kinds"] if k["pattern"] == feed_.file)
    schema = json.loads((REPO / "schemas" / f"{kind['schema']}.schema.json").read_text())
    item = schema["properties"][feed_.list]["items"]["properties"]
    assert feed_.text in item and "id" in item
    for key, value in feed_.set.items():
        assert value in item[key]["enum"]
    if feed_.kind:
        assert feed_.default in item["kind"]["enum"]
    if feed_.dated:
        assert "date" in item


def _answers(process: Path, answers: str) -> tuple[dict, str]:
    import yaml

    text = f"tool: needs-exploration\ndate: \"2026-05-27\"\nanswers:\n{answers}"
    return yaml.safe_load(text), text


def test_lines_the_records_hold_clash_or_name_a_kind(process: Path) -> None:
    tool = next(t for t in load_tools() if t.id == "needs-exploration")
    data, text = _answers(process, (
        "  barriers:\n"
        "    - \"Teknologi: Systemerne taler ikke sammen\"\n"
        "    - \"  teknologi:   systemerne TALER ikke sammen \"\n"  # the same, spacing aside
        "    - \"Systemerne taler ikke sammen!\"\n"  # the same, punctuation aside
        "    - \"Systémerne taler ikke sammen\"\n"  # another text, the same id
        "    - \"Sky: lovgivning er ikke en art her\"\n"  # no kind: the line is kept whole
        "    - \"???\"\n"))  # nothing to make an id from
    before = head(process)
    change = Change(process, dt.date(2026, 6, 1), commit=False)
    try:
        fed = feed(change, tool, data, "vaerktoejer/behovsudforskning.yaml", text)
    finally:
        change.close()
    assert [entry for _, entry in fed.added] == [
        {"id": "systemerne-taler-ikke-sammen", "kind": "technology",
         "description": "Systemerne taler ikke sammen"},
        {"id": "sky-lovgivning-er-ikke-en-art-her", "kind": "other",
         "description": "Sky: lovgivning er ikke en art her"}]
    assert fed.present == 2
    assert [(s.line, s.text) for s in fed.skipped] == [
        (8, "Systémerne taler ikke sammen"), (10, "???")]
    assert "another line of these answers" in fed.skipped[0].why
    assert fed.files == ["udforskning/behov.yaml"]
    assert unchanged(process, before)  # feeding is in memory until the change is applied


def _planning(process: Path, lines: list[str]) -> tuple[dict, str]:
    import yaml

    text = ("tool: planning\ndate: \"2026-05-27\"\nanswers:\n  stakeholders:\n"
            + "".join(f"    - {json.dumps(line, ensure_ascii=False)}\n" for line in lines))
    return yaml.safe_load(text), text


def test_a_stakeholder_there_with_other_punctuation_and_case_is_not_added_again(
        example: Path) -> None:
    """»ældre borgere i eget hjem!« is the stakeholder »Ældre borgere i eget hjem«."""
    tool = next(t for t in load_tools() if t.id == "planning")
    change = Change(example, dt.date(2026, 6, 1), commit=False)
    try:
        there = "Ældre borgere i eget hjem"
        assert f"name: {there}\n" in (example / "interessenter.yaml").read_text()
        data, text = _planning(example, [there.lower() + "!", f"  {there.upper()} ."])
        fed = feed(change, tool, data, "vaerktoejer/planlaegning.yaml", text)
    finally:
        change.close()
    assert fed.added == [] and fed.present == 2


def test_many_lines_are_appended_in_one_edit_of_the_file(process: Path, monkeypatch) -> None:
    """Each fed line used to be its own edit, the growing file parsed again each time
    (quadratic in the lines of an untrusted file): now the file is parsed once."""
    from copi_cli.model import yamledit

    tool = next(t for t in load_tools() if t.id == "planning")
    parsed: list[str] = []
    real = yamledit.YamlEditor.__init__

    def counting(self, text: str, path: str) -> None:
        parsed.append(path)
        real(self, text, path)

    monkeypatch.setattr(yamledit.YamlEditor, "__init__", counting)
    change = Change(process, dt.date(2026, 6, 1), commit=False)
    try:
        data, text = _planning(process, [f"Aktør nummer {n}" for n in range(60)])
        fed = feed(change, tool, data, "vaerktoejer/planlaegning.yaml", text)
    finally:
        change.close()
    assert len(fed.added) == 60
    assert parsed == ["interessenter.yaml"]


def test_more_lines_than_the_bound_are_refused_at_the_first_past_it(process: Path) -> None:
    from copi_cli.errors import UserError
    from copi_cli.tools.feeding import MAX_LINES

    tool = next(t for t in load_tools() if t.id == "planning")
    data, text = _planning(process, [f"Aktør {n}" for n in range(MAX_LINES + 1)])
    change = Change(process, dt.date(2026, 6, 1), commit=False)
    try:
        with pytest.raises(UserError) as refused:
            feed(change, tool, data, "vaerktoejer/planlaegning.yaml", text)
    finally:
        change.close()
    assert refused.value.message.startswith(
        f"vaerktoejer/planlaegning.yaml:{MAX_LINES + 5}: stakeholders: {MAX_LINES + 1} lines")
