"""Hostile text in a process repository (names, file names, commit subjects and authors) never
controls the terminal or the CI log copi writes to: no escape sequence, no bidi override, no
forged workflow command, no rich markup reaches the output as such (issue 19)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.dom.minidom
from pathlib import Path

import pytest

from conftest import copi_executable, git, in_a_terminal

# Every trick at once: clear the screen, write the clipboard (OSC 52), a hidden link (OSC 8),
# the bell, a C1 CSI, a bidi override, rich markup, and a newline that forges a GitHub
# annotation, then Azure's log commands.
HOSTILE = ("\x1b[2J\x1b]52;c;aGFjaw==\x07\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
           "\n::error file=x::forged [red]markup[/red] \u202eevil\u202c \u2066iso\u2069 "
           "\x9b31m ##[error]azure ##vso[task.setvariable variable=x]1\r\n  ::add-mask::m")
TITLE = "::error file=t::title-forged \x1b[2J"  # at the start of a line, no newline needed
FILE_NAME = "\x1b[2J\n::error file=y::forged-file \u202e.yaml"
AUTHOR = "Eve \x1b]52;c;aGFjaw==\x07 \x1b[2J \u202eevE"
SUBJECT = "subj \x1b[2J ::error file=z::subject-forged ##vso[task.complete]"

# Anything but a newline below U+0020, DEL, C1, the bidi controls and line separators.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                         "\u2028\u2029\u2066-\u2069]")
# What a record can still hold: copi refuses C0 and C1 controls in YAML values (Y009), so
# records carry the rest (bidi, markup, forged commands after a newline); file names and
# git's text carry the escapes.
IN_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
HOSTILE_RECORD = IN_YAML.sub("", HOSTILE)
TITLE_RECORD = IN_YAML.sub("", TITLE)
OWN_ANNOTATION = re.compile(r"^::(error|warning) file=[^:]*,line=\d+,col=\d+,title=[A-Z]\d+::")


def inert(text: str, annotations: bool = False) -> None:
    """text could go to a terminal or a CI log without being obeyed."""
    found = RAW_CONTROL.search(text)
    assert found is None, f"raw {found.group(0)!r} in {text!r}"
    assert "##[" not in text and "##vso[" not in text.lower(), text
    for line in text.split("\n"):
        if line.lstrip().startswith("::"):
            assert annotations and OWN_ANNOTATION.match(line), f"forged command: {line!r}"


@pytest.fixture
def hostile(example_repo: Path) -> Path:
    """The example with hostile text everywhere a process or its history can carry it."""
    root = example_repo
    owner = root / "organisationer" / "aarhus-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace(
        "name: Aarhus Kommune", f"name: {json.dumps(HOSTILE_RECORD)}"), encoding="utf-8")
    process = root / "copi.yaml"
    process.write_text(re.sub(r"(?m)^title: .*$", lambda _: f"title: {json.dumps(TITLE_RECORD)}",
                              process.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    (root / "organisationer" / FILE_NAME).write_text("id: x\n", encoding="utf-8")
    git(root, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_NAME": AUTHOR}
    trailers = (f"Copi-Process: faerre-fald\nCopi-Action: advance\nCopi-From: market-dialogue\n"
                f"Copi-To: needs-communication\nCopi-Actor: {AUTHOR}\nCopi-Forced: yes\n"
                f"Copi-Reason: {HOSTILE.replace(chr(10), ' ').replace(chr(13), ' ')}")
    subprocess.run(["git", "commit", "-q", "-m", SUBJECT, "-m", trailers], cwd=root, env=env,
                   check=True, capture_output=True)
    return root


@pytest.mark.parametrize("args", [
    ("validate",), ("validate", "--format", "json"), ("validate", "--format", "junit"),
    ("validate", "--format", "sarif"), ("status",), ("status", "--json"), ("log",),
    ("log", "--json"), ("audit",), ("audit", "--format", "json"), ("audit", "--format", "junit"),
    ("render", "--list"), ("owner", "list"), ("owner", "show", "aarhus-kommune"),
    ("owner", "list", "--json"), ("contact", "list"), ("gate",), ("potential",),
], ids=" ".join)
def test_no_output_obeys_the_process(copi_process, hostile: Path, args: tuple[str, ...]) -> None:
    run = copi_process(*args, cwd=hostile)
    assert run.code in (0, 1), run.err
    inert(run.out)
    inert(run.err)
    if "json" in args or "--json" in args:
        json.loads(run.out)
    if "junit" in args:
        xml.dom.minidom.parseString(run.out)


def test_github_annotations_are_copis_own(copi_process, hostile: Path) -> None:
    for command in ("validate", "audit", "gate"):
        run = copi_process(command, "--format", "github", cwd=hostile)
        assert run.code == 1, run.err
        inert(run.out, annotations=True)
        inert(run.err)
        lines = run.out.splitlines()
        assert lines and all(OWN_ANNOTATION.match(line) for line in lines), run.out


def test_sarif_is_json_with_the_text_shown(copi_process, hostile: Path) -> None:
    run = copi_process("validate", "--format", "sarif", cwd=hostile)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(run.out)["runs"][0]["results"]]
    assert any("%5Cx1b" in uri for uri in uris)  # the name shown, not lost


def test_json_keeps_the_text_exactly(copi_process, hostile: Path) -> None:
    """JSON escapes what a terminal would obey, and a reader gets the text back unchanged."""
    owners = json.loads(copi_process("status", "--json", cwd=hostile).out)["owners"]
    assert HOSTILE_RECORD in [o["name"] for o in owners]
    trail = json.loads(copi_process("log", "--json", cwd=hostile).out)
    assert trail[-1]["author"] == AUTHOR and trail[-1]["subject"] == SUBJECT


def test_the_text_is_shown_not_lost(copi_process, hostile: Path) -> None:
    status = copi_process("status", cwd=hostile).out
    assert "\\u202eevil" in status and "\\u2066iso\\u2069" in status
    assert "\\x0a::error file=x::forged [red]markup[/red]" in status
    assert "\\x3a:error file=t::title-forged" in status  # the title, at the start of a line
    log = copi_process("log", cwd=hostile).out
    assert "Eve \\x1b]52;c;aGFjaw==\\x07" in log and "subj \\x1b[2J ::error" in log
    assert "\\x23#vso[task.complete]" in log


def test_rich_tables_in_a_terminal(hostile: Path) -> None:
    """rich draws the names as text: markup printed as written, escapes shown."""
    env = {**os.environ, "COLUMNS": "400"}
    # the cache answers: no progress display of a first look (rich's own cursor movements,
    # and no name from the process in it), only the tables
    assert subprocess.run([*copi_executable(), "status"], cwd=hostile, env=env,
                          capture_output=True).returncode == 0
    code, out = in_a_terminal([*copi_executable(), "status"], hostile, env)
    assert code == 0, out
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.decode("utf-8"))  # rich's own styles
    text = text.replace("\r\n", "\n")
    inert(text)
    assert "[red]markup[/red]" in text and "\\u202eevil" in text


def test_the_error_boundary(copi_process, hostile: Path, tmp_path: Path) -> None:
    """copi's one line of error quotes a path, an argument or a name as text."""
    missing = tmp_path / FILE_NAME  # a directory with no process in it
    missing.mkdir()
    for args in (("status", "--dir", str(missing)), ("validate", "--format", HOSTILE),
                 ("owner", "show", f"nobody {HOSTILE}"), (HOSTILE,)):
        run = copi_process(*args, cwd=hostile)
        assert run.code in (1, 2, 3), run
        inert(run.out)
        inert(run.err)
        assert run.err.startswith("copi: error: ") and "\\x1b[2J" in run.err, run.err
        assert len(run.err.splitlines()) == 2, run.err  # the error and its hint
