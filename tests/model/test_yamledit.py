"""Surgical YAML edits: a hand-written file keeps its comments, order and quoting; only the lines
an edit is about change, and the result reads back as the intended data."""

from __future__ import annotations

import pytest
import yaml

from copi_cli.model.yamledit import EditError, YamlEditor, dump, inline
from copi_cli.model.yamlsource import CopiLoader

HAND_WRITTEN = """\
# Horsens' oplysninger — vedligeholdes af Mette
id: horsens-kommune
name: 'Horsens Kommune'   # officielt navn
type: municipality
role: need-owner
joined: "2025-11-10"
backing:
  # politisk opbakning kommer i december
  administrative:
    by: Kommunaldirektøren
    date: "2025-11-20"
note: >-
  Horsens deltager med
  to plejedistrikter.
contacts:
  - name: Anna Berg   # projektleder
    email: anb@horsens.example

  - name: Bo Lind
    email: bol@horsens.example
tags: [fald, nat]
"""


def read(text: str) -> dict:
    return yaml.load(text, Loader=CopiLoader)


def test_set_existing_scalar_keeps_the_rest_of_the_line() -> None:
    editor = YamlEditor(HAND_WRITTEN, "x.yaml")
    editor.set(("name",), "Horsens Kommune (Østjylland)")
    edited = editor.result()
    assert 'name: "Horsens Kommune (Østjylland)"   # officielt navn\n' not in edited
    assert "name: Horsens Kommune (Østjylland)   # officielt navn\n" in edited
    assert edited.replace("Horsens Kommune (Østjylland)", "'Horsens Kommune'") == HAND_WRITTEN


def test_new_nested_key_goes_to_the_end_of_its_mapping() -> None:
    editor = YamlEditor(HAND_WRITTEN, "x.yaml")
    editor.set(("backing", "political"), {"by": "Byrådet", "date": "2025-12-15",
                                          "evidence": "materialer/referat.pdf"})
    edited = editor.result()
    expected = HAND_WRITTEN.replace(
        '    date: "2025-11-20"\n',
        '    date: "2025-11-20"\n  political:\n    by: Byrådet\n    date: "2025-12-15"\n'
        "    evidence: materialer/referat.pdf\n")
    assert edited == expected


def test_append_to_a_block_list_after_its_last_item() -> None:
    editor = YamlEditor(HAND_WRITTEN, "x.yaml")
    editor.append(("contacts",), {"name": "Cecilie Dam", "title": "Indkøber, jura",
                                  "retention_until": "2028-12-31"})
    edited = editor.result()
    assert edited == HAND_WRITTEN.replace(
        "    email: bol@horsens.example\n",
        "    email: bol@horsens.example\n  - name: Cecilie Dam\n    title: \"Indkøber, jura\"\n"
        '    retention_until: "2028-12-31"\n')


def test_append_to_a_flow_list_stays_on_its_line() -> None:
    editor = YamlEditor(HAND_WRITTEN, "x.yaml")
    editor.append(("tags",), "dag")
    assert editor.result() == HAND_WRITTEN.replace("[fald, nat]", "[fald, nat, dag]")


def test_remove_a_list_item_and_a_key_leaves_the_neighbours() -> None:
    editor = YamlEditor(HAND_WRITTEN, "x.yaml")
    editor.remove(("contacts", 0))
    editor.remove(("note",))
    edited = editor.result()
    assert "Anna Berg" not in edited and "to plejedistrikter" not in edited
    assert edited.count("\n") == HAND_WRITTEN.count("\n") - 5
    assert read(edited)["contacts"] == [{"name": "Bo Lind", "email": "bol@horsens.example"}]
    assert edited.startswith("# Horsens' oplysninger — vedligeholdes af Mette\n")
    assert "  # politisk opbakning kommer i december\n" in edited


def test_removing_the_last_item_leaves_an_empty_list_not_null() -> None:
    editor = YamlEditor("id: x\ncontacts:\n  - name: A\n", "x.yaml")
    editor.remove(("contacts", 0))
    assert editor.result() == "id: x\ncontacts: []\n"


def test_an_empty_flow_list_becomes_a_block_list() -> None:
    editor = YamlEditor("# Underskrifter\nsignatures: []  # endnu ingen\n", "x.yaml")
    editor.append(("signatures",), {"organisation": "aarhus-kommune", "decision": "signed"})
    edited = editor.result()
    assert edited == ("# Underskrifter\nsignatures:\n  - organisation: aarhus-kommune\n"
                      "    decision: signed\n")


def test_missing_key_file_without_final_newline() -> None:
    editor = YamlEditor("id: x", "x.yaml")
    editor.set(("withdrawn",), "2026-01-05")
    assert editor.result() == 'id: x\nwithdrawn: "2026-01-05"\n'


def test_text_with_line_breaks_is_a_literal_block() -> None:
    editor = YamlEditor("id: m\n", "x.yaml")
    notes = "Referat\n\n- punkt ét\n- punkt to: vigtigt\n"
    editor.set(("notes",), notes)
    edited = editor.result()
    assert edited.startswith("id: m\nnotes: |\n  Referat\n\n  - punkt ét\n")
    assert read(edited)["notes"] == notes


def test_a_layout_copi_cannot_edit_safely_is_refused() -> None:
    text = "id: x\nowners: [a,\n  b]\n"
    editor = YamlEditor(text, "x.yaml")
    with pytest.raises(EditError, match="on one line"):
        editor.remove(("owners", 0))


def test_an_unreadable_file_is_not_edited() -> None:
    with pytest.raises(EditError, match="cannot be read"):
        YamlEditor("id: x\nid: y\n", "x.yaml")


@pytest.mark.parametrize("value", [
    "2026-03-01", "0751", "751", "no", "yes", "12:30", "a: b", "x #y", "-x", "[a]", "1.5",
    "null", "~", "Y", "On", "NULL", "off", "Borgmester, Aarhus", "Ærø Kommune", "Fase 4",
    'citat "her"', True, False, 7, 2.5, None, "2026-13-01", "2026-02-30 12:00", "4 uger",
    "٣", "½ år",
])
def test_inline_values_read_back_the_same_in_copi_and_in_plain_yaml(value: object) -> None:
    written = inline(value)
    assert read(f"v: {written}\n") == {"v": value}
    assert yaml.safe_load(f"v: {written}\n") == {"v": value}


def test_dump_writes_copi_style() -> None:
    text = dump({"id": "sensa-care", "name": "Sensa Care ApS", "cvr": "38990608",
                 "owners": ["aarhus-kommune", "region-midtjylland"],
                 "contacts": [{"name": "Jonas Holm", "email": "jh@sensa.example"}]},
                comment="Tilføjet med copi supplier add")
    assert text == ("# Tilføjet med copi supplier add\nid: sensa-care\nname: Sensa Care ApS\n"
                    'cvr: "38990608"\nowners: [aarhus-kommune, region-midtjylland]\n'
                    "contacts:\n  - name: Jonas Holm\n    email: jh@sensa.example\n")


def test_a_plain_value_is_replaced_where_it_stands_keeping_its_comment_and_dash() -> None:
    """libyaml reports a plain scalar's style as "" (PyYAML: None): both are replaced in
    place, so the comment after `phase:` and the dash of a list item stay."""
    editor = YamlEditor("phase: a   # styregruppen\ncontacts:\n  - name: Anna   # pl\n"
                        "    email: x\n", "x.yaml")
    editor.set(("phase",), "b")
    editor.set(("contacts", 0, "name"), "Bo")
    assert editor.result() == ("phase: b   # styregruppen\ncontacts:\n  - name: Bo   # pl\n"
                               "    email: x\n")


@pytest.mark.parametrize(("text", "path", "value", "expected"), [
    ("items:\n  - k: 1\n    j: 2\n", ("items", 0, "k"), {"a": 1},
     "items:\n  - k:\n      a: 1\n    j: 2\n"),
    ("id: x\nwithdrawn:\nz: 1\n", ("withdrawn",), "2026-01-01",
     'id: x\nwithdrawn: "2026-01-01"\nz: 1\n'),
    ("a:   # udfyldes senere\nb: 2\n", ("a",), "x", "a: x   # udfyldes senere\nb: 2\n"),
], ids=["mapping-on-the-first-key-of-a-list-item-keeps-the-dash",
        "empty-value-filled-on-its-line", "empty-value-keeps-its-comment"])
def test_set_keeps_what_is_around_the_value(text: str, path: tuple, value: object,
                                            expected: str) -> None:
    editor = YamlEditor(text, "x.yaml")
    editor.set(path, value)
    assert editor.result() == expected


def test_removing_the_first_key_of_an_item_keeps_the_comment_before_the_next() -> None:
    editor = YamlEditor("items:\n- a: 1\n  # om b\n  b: 2\n", "x.yaml")
    editor.remove(("items", 0, "a"))
    assert editor.result() == "items:\n- # om b\n  b: 2\n"


@pytest.mark.parametrize("path", [("nope", "x"), ("items", 5, "a"), ("items", "x", "y")])
def test_a_path_that_is_not_there_is_an_edit_error(path: tuple) -> None:
    editor = YamlEditor("items:\n- a: 1\n", "x.yaml")
    with pytest.raises(EditError):
        editor.set(path, 1)


def test_removing_an_item_appended_in_the_same_editor() -> None:
    editor = YamlEditor("items:\n  - a\n", "x.yaml")
    editor.append(("items",), "b")
    editor.remove(("items", 1))
    assert editor.result() == "items:\n  - a\n"


def test_several_edits_in_a_row_keep_their_order() -> None:
    editor = YamlEditor("id: x\nitems:\n  - a\nlast: 1\n", "x.yaml")
    editor.append(("items",), "b")
    editor.append(("items",), "c")
    editor.set(("id",), "y")
    editor.remove(("items", 0))
    editor.append(("items",), "d")
    editor.set(("last",), 2)
    assert editor.result() == "id: y\nitems:\n  - b\n  - c\n  - d\nlast: 2\n"


def test_anchors_and_aliases_are_not_edited() -> None:
    with pytest.raises(EditError, match="anchors and aliases"):
        YamlEditor("base: &b {x: 1}\nother: *b\n", "x.yaml")


def test_a_one_line_flow_list_of_mappings_stays_on_its_line_with_its_comment() -> None:
    text = 'id: x\ncontacts: [{name: Ole, email: o@x.dk}]  # kontakt\n'
    editor = YamlEditor(text, "x.yaml")
    editor.append(("contacts",), {"name": "Kim"})
    assert editor.result() == ('id: x\ncontacts: [{name: Ole, email: o@x.dk}, {name: Kim}]'
                               '  # kontakt\n')


@pytest.mark.parametrize("items", [["Hvornår falder borgerne?"], ["a?", "b: c", "x, y"],
                                   ["?", "-", "[x]", "{y}", "a # b"]])
def test_flow_lists_read_back_the_same(items: list[str]) -> None:
    written = inline(items)
    assert read(f"v: {written}\n") == {"v": items}
    assert yaml.safe_load(f"v: {written}\n") == {"v": items}


def _any_value(rng, depth: int = 0) -> object:
    roll = rng.random()
    if depth < 2 and roll < 0.25:
        return {f"k{i}": _any_value(rng, depth + 1) for i in range(rng.randint(1, 3))}
    if depth < 2 and roll < 0.45:
        return [_any_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return rng.choice(["a", "b c", "x-y", 1, True, None, "2026-01-01", "Hvornår?"])


@pytest.mark.parametrize("seed", range(3))
def test_any_sequence_of_edits_reads_back_as_intended(seed: int) -> None:
    """Edits in a row reuse the parsed positions where they still hold: random files (with
    and without a final line break, some lines with a comment after them) and random
    sequences of set, append and remove — at the top level, one level down and in the
    mappings of a list — must all succeed and read back as the intended data. (Multi-line
    text is left out: its edits are tested on their own above.)"""
    import random

    rng = random.Random(seed)
    for _ in range(400):
        data = {f"k{i}": _any_value(rng) for i in range(rng.randint(1, 4))}
        text = "".join(line[:-1] + "  # note\n" if rng.random() < 0.3 else line
                       for line in dump(data).splitlines(keepends=True))
        editor = YamlEditor(text if rng.random() < 0.7 else text.rstrip("\n"), "f.yaml")
        for _ in range(rng.randint(1, 4)):
            key = rng.choice([*editor.expected, "ny"])
            parent = editor.expected
            path: tuple[str | int, ...] = (key,)
            current = parent.get(key)
            if isinstance(current, list) and current and isinstance(current[0], dict) \
                    and current[0] and rng.random() < 0.5:
                parent = current[0]
                path = (key, 0, rng.choice(list(parent)))
            elif isinstance(current, dict) and current and rng.random() < 0.5:
                parent = current
                path = (key, rng.choice(list(parent)))
            current = parent.get(path[-1])
            roll = rng.random()
            if roll < 0.4 or (roll < 0.8 and current is not None
                              and not isinstance(current, list)):
                editor.set(path, _any_value(rng, 1))
            elif roll < 0.8:
                editor.append(path, _any_value(rng, 1))
            elif path[-1] in parent and len(parent) > 1:
                editor.remove(path)
        assert read(editor.result()) == editor.expected
