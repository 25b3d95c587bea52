"""Reading YAML: copi's scalar rules, duplicate keys, alias bombs, locations."""

from __future__ import annotations

import pytest

from copi_cli.model.yamlsource import locate, parse_yaml, split_front_matter


def test_yaml_11_surprises_are_read_as_meant() -> None:
    parsed = parse_yaml(
        "date: 2026-03-01\nanswer: NO\nshort: no\ntime: 12:30\ncode: 0751\nflag: true\n"
        "count: 12\nshare: 2.5\nempty:\n", "x.yaml")
    assert parsed.diagnostics == []
    assert parsed.data == {
        "date": "2026-03-01", "answer": "NO", "short": "no", "time": "12:30", "code": "0751",
        "flag": True, "count": 12, "share": 2.5, "empty": None,
    }


def test_every_duplicate_key_is_reported_with_its_place() -> None:
    parsed = parse_yaml("name: A\nrole: x\nname: B\nnested:\n  k: 1\n  k: 2\n", "o.yaml")
    found = [(d.line, d.col, d.code, d.message) for d in parsed.diagnostics]
    assert found == [(3, 1, "Y002", "duplicate key 'name'"), (6, 3, "Y002", "duplicate key 'k'")]


def test_syntax_error_has_line_column_and_hint() -> None:
    parsed = parse_yaml("name: A\n  role: x\n", "o.yaml")
    assert parsed.data is None
    (diagnostic,) = parsed.diagnostics
    assert (diagnostic.line, diagnostic.code) == (2, "Y001")
    assert diagnostic.hint


def test_line_offset_applies_to_front_matter() -> None:
    parsed = parse_yaml("a: 1\na: 2\n", "t.md", line_offset=1)
    assert parsed.diagnostics[0].line == 3


def test_billion_laughs_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefg":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]")
    parsed = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert parsed.data is None
    assert [d.code for d in parsed.diagnostics] == ["Y003"]


def test_small_aliases_are_fine() -> None:
    parsed = parse_yaml("a: &x [1, 2]\nb: *x\n", "ok.yaml")
    assert parsed.diagnostics == [] and parsed.data == {"a": [1, 2], "b": [1, 2]}


def test_python_tags_are_not_executed() -> None:
    parsed = parse_yaml("a: !!python/object/apply:os.system ['echo hacked']\n", "evil.yaml")
    assert parsed.data is None and parsed.diagnostics[0].code == "Y008"


@pytest.mark.parametrize("figure", [".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1.0e400",
                                    "-1.5e999", "!!float .nan", "!!float 1.0e400"])
def test_a_number_that_is_not_finite_is_a_finding_at_its_place(figure: str) -> None:
    """potentiale.yaml's `expected: .nan` passed validation and then broke the sums: JSON has
    no such number, so the reader refuses it where it stands."""
    parsed = parse_yaml(f"owners:\n  - expected: {figure}\n", "potentiale.yaml")
    assert parsed.data is None
    (diagnostic,) = parsed.diagnostics
    assert (diagnostic.line, diagnostic.col, diagnostic.code) == (2, 15, "Y008")
    assert "finite" in diagnostic.message and diagnostic.hint


def test_large_finite_numbers_are_still_numbers() -> None:
    parsed = parse_yaml("a: 1.0e300\nb: -2.5e10\nc: 0.0\n", "x.yaml")
    assert parsed.diagnostics == [] and parsed.data == {"a": 1e300, "b": -2.5e10, "c": 0.0}


def test_locate_finds_values_keys_and_list_items() -> None:
    text = "a:\n  b: [1, 2]\n  c: x\nitems:\n  - id: one\n  - id: two\n"
    assert locate(text, ("a", "b", 1))[:2] == (2, 10)
    assert locate(text, ("a", "c"), key=True)[:2] == (3, 3)
    assert locate(text, ("items", 1, "id"))[:2] == (6, 9)
    # a path that does not exist falls back to the deepest node that does
    assert locate(text, ("a", "missing"))[:2] == (2, 3)


def test_front_matter_split() -> None:
    assert split_front_matter("---\na: 1\n---\nbody\n") == ("a: 1\n", "body\n")
    assert split_front_matter("no front matter\n") is None
