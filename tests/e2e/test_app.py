"""The copi command itself: version, help, usage and internal errors, `python -m copi_cli`; and
its manners: --json on every read command, --quiet, NO_COLOR, shell completion."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copi_executable, git, in_a_terminal


def test_version(copi) -> None:
    from copi_cli import __version__
    run = copi("--version")
    assert run.code == 0 and run.out.strip() == f"copi {__version__}"


def test_help_lists_the_commands(copi) -> None:
    run = copi("--help")
    assert run.code == 0
    for command in ("init", "validate", "status"):
        assert command in run.out


def test_unknown_command_is_a_usage_error(copi) -> None:
    run = copi("advanse")
    assert run.code == 2 and "No such command" in run.err


def test_internal_errors_end_in_one_line(copi, monkeypatch, example) -> None:
    import copi_cli.validation.pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(copi_cli.validation.pipeline, "validate", broken)
    run = copi("validate", cwd=example)
    assert run.code == 3
    assert "internal error: ZeroDivisionError: boom" in run.err and "--debug" in run.err
    assert "Traceback" not in run.err


def test_python_dash_m(example) -> None:
    done = subprocess.run([sys.executable, "-m", "copi_cli", "validate", "--dir", str(example)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_recording_command_answers_help(copi) -> None:
    from copi_cli.cli.app import ON_FIRST_USE

    for name in ON_FIRST_USE:
        run = copi(name, "--help")
        assert run.code == 0 and f"copi {name}" in run.out, name


# --- manners ---------------------------------------------------------------------------------

@pytest.fixture
def process(example_repo: Path) -> Path:
    """Here: the bundled example, committed in a repository of its own."""
    return example_repo


READ_COMMANDS = [
    ("status", "--json"), ("validate", "--json"), ("audit", "--json"), ("gate", "--json"),
    ("log", "--json"), ("owner", "list", "--json"), ("owner", "show", "aarhus", "--json"),
    ("contact", "list", "--json"), ("potential", "--json"), ("tool", "list", "--json"),
    ("render", "--list", "--json"), ("doctor", "--json"),
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_every_read_command_speaks_json(copi, process: Path, args: tuple) -> None:
    result = copi(*args, cwd=process)
    assert result.code in (0, 1), result.err
    json.loads(result.out)


def test_quiet_says_only_what_matters(copi, process: Path) -> None:
    assert copi("--quiet", "validate", cwd=process).out == ""
    assert copi("-q", "validate", cwd=process).err == ""
    rendered = copi("-q", "render", "declaration", "-f", "md", cwd=process)
    assert rendered.code == 0 and rendered.out == rendered.err == ""
    assert (process / "build" / "hensigtserklaering.md").exists()
    added = copi("-q", "supplier", "add", "Lys og Luft ApS", cwd=process)
    assert added.code == 0 and added.out == ""
    assert "Copi-Action: supplier-add" in git(process, "log", "-1", "--format=%B")
    owner = process / "organisationer" / "horsens-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("joined:", "jioned:", 1),
                     encoding="utf-8")
    refused = copi("-q", "validate", cwd=process)
    assert refused.code == 1 and "S001" in refused.out  # findings are what was asked for


@pytest.mark.usefixtures("danish_cli")
def test_no_color_is_respected_in_a_terminal(process: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    command = [*copi_executable(), "status"]
    coloured = in_a_terminal(command, process, env)[1]
    assert re.search(rb"\x1b\[(3\d|9\d)m", coloured)  # the test can fail: colours are there
    plain = in_a_terminal(command, process, {**env, "NO_COLOR": "1"})[1]
    assert b"Markedsdialog" in plain
    assert not re.search(rb"\x1b\[[0-9;]*(3[0-8]|9[0-7])[0-9;]*m", plain)


def test_shell_completion(process: Path) -> None:
    env = {**os.environ, "COMP_WORDS": "copi ren", "COMP_CWORD": "1",
           "_COPI_COMPLETE": "complete_bash"}
    done = subprocess.run(copi_executable(), env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["render"]
    env.update(COMP_WORDS="copi tool pr", COMP_CWORD="2")  # a command loaded on first use
    done = subprocess.run(copi_executable(), env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["print"]
    help_text = subprocess.run([*copi_executable(), "--help"], capture_output=True,
                               text=True).stdout
    assert "--install-completion" in help_text
