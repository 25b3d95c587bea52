"""copi doctor: what is missing on this machine or in the process, and how to fix it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest


@pytest.fixture
def process(example_repo: Path) -> Path:
    """Here: the bundled example, committed in a repository of its own."""
    return example_repo


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
