"""formats: text from a process made printable, and the CI formats that carry it (issue 19)."""

from __future__ import annotations

import json

import pytest

from copi_cli.cli.formats import github, json_document, printable, safe_line
from copi_cli.diagnostics import Diagnostic


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b[2J", "\\x1b[2J"),                                  # clear the screen
    ("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07"),           # write the clipboard
    ("\x1b]8;;https://x\x1b\\a", "\\x1b]8;;https://x\\x1b\\a"),  # a hidden link
    ("a\nb\rc\td", "a\\x0ab\\x0dc\\x09d"),                    # one line, always
    ("\x9b31m\x85", "\\x9b31m\\x85"),                          # C1: a CSI, a next line
    ("\u202eevil\u202c \u2066x\u2069", "\\u202eevil\\u202c \\u2066x\\u2069"),  # bidi
    ("a\u2028b", "a\\u2028b"),
    ("x\udcff", "x\ufffd"),                                   # a name that is not UTF-8
    ("##[error]x ##VSO[task.complete]", "\\x23#[error]x \\x23#VSO[task.complete]"),
    ("Aarhus Kommune, æøå # 1 ::", "Aarhus Kommune, æøå # 1 ::"),
])
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(shown) == shown  # made printable once is printable


@pytest.mark.parametrize(("line", "shown"), [
    ("::error file=x::forged", "\\x3a:error file=x::forged"),
    ("  ::add-mask::secret", "  \\x3a:add-mask::secret"),
    ("\u3000::stop-commands::x", "\u3000\\x3a:stop-commands::x"),
    ("name: ::x", "name: ::x"),
    ("x\n::error::y", "x\\x0a::error::y"),
])
def test_a_line_never_starts_a_workflow_command(line: str, shown: str) -> None:
    assert safe_line(line) == shown


def test_json_keeps_the_text_and_escapes_what_would_be_obeyed() -> None:
    value = {"name": "\x1b[2J\x9b\u202e ##[error] ##vso[x] \udcff æøå\n::error::x"}
    document = json_document(value)
    assert json.loads(document) == value
    assert document.isascii() is False and "æøå" in document  # UTF-8 as written
    for obeyed in ("\x1b", "\x9b", "\u202e", "##[", "##vso[", "\n::"):
        assert obeyed not in document


def test_github_annotations_carry_the_text_on_one_line() -> None:
    found = Diagnostic("organisationer/\x1b[2J\n::error file=y::x.yaml", 3, 1, "S001",
                       "name '\n::error file=z::forged 100%' ##[error]", "a hint\r\nmore")
    lines = github([found]).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=organisationer/\\x1b[2J\\x0a%3A%3Aerror file=y%3A%3A"
                               "x.yaml,line=3,col=1,title=S001::")
    assert lines[0].endswith("name '\\x0a::error file=z::forged 100%25' \\x23#[error]%0A"
                             "hint: a hint\\x0d\\x0amore")
