"""The command line's manners: --json on every read command, --quiet, NO_COLOR, completion and
copi doctor."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import copi_executable, git, in_a_terminal


@pytest.fixture
def process(example_repo: Path) -> Path:
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


def test_doctor_says_how_to_fix_what_is_missing(copi, process: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    healthy = copi("doctor", cwd=process)
    assert healthy.code == 0, healthy.out
    for name in ("git", "git identity", "pandoc", "typst", "process", "repository"):
        assert re.search(rf"^ok\s+{name}\s", healthy.out, re.M), name
    shutil.rmtree(process / ".copi")
    (process / "vaerktoejer" / "planlaegning.yaml").write_text("tool: [\n", encoding="utf-8")
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("EMAIL", "")
    sick = copi("doctor", cwd=process)
    assert sick.code == 1
    assert re.search(r"^fix\s+process\s.*1 error", sick.out, re.M)
    assert "→ copi schema export" in sick.out
    assert re.search(r"^note\s+editor schemas", sick.out, re.M)
    findings = {f["name"]: f for f in json.loads(copi("doctor", "--json", cwd=process).out)}
    assert findings["process"]["ok"] is False and findings["pandoc"]["ok"] is True
