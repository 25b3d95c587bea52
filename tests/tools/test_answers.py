"""copi tool import of hostile files (issue 19): refused at a line, in bounded time, nothing
written. The time-outs are hang guards, not timings."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import copi_executable, head, unchanged

GUARD = 120


def _import(process: Path, source: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*copi_executable(), "tool", "import", str(source)], cwd=process,
                          capture_output=True, text=True, timeout=GUARD, env=os.environ.copy())


def test_an_alias_bomb_is_refused_while_parsing(process: Path, tmp_path: Path) -> None:
    source = tmp_path / "svar.yaml"
    source.write_text("tool: market-dialogue\nanswers:\n  purpose: &a " + "x" * 300_000
                      + "\n  questions: [" + ", ".join(["*a"] * 10) + "]\n", encoding="utf-8")
    before = head(process)
    done = _import(process, source)
    assert done.returncode == 1 and f"{source}:4:" in done.stderr and "Y003" in done.stderr
    assert unchanged(process, before)


def test_3000_unknown_questions_are_refused_with_every_place(process: Path,
                                                              tmp_path: Path) -> None:
    source = tmp_path / "svar.yaml"
    source.write_text("tool: market-dialogue\nanswers:\n"
                      + "".join(f"  q{i}: x\n" for i in range(3_000)), encoding="utf-8")
    before = head(process)
    done = _import(process, source)
    assert done.returncode == 1, done.stderr
    assert f"{source}:3:3: R023" in done.stderr and "(and 2999 more)" in done.stderr
    assert unchanged(process, before)


def test_20000_items_of_the_wrong_type_are_refused(process: Path, tmp_path: Path) -> None:
    source = tmp_path / "svar.yaml"
    source.write_text("tool: market-dialogue\nanswers:\n  nope: ["
                      + ", ".join(["1"] * 20_000) + "]\n", encoding="utf-8")
    assert source.stat().st_size < 70_000
    before = head(process)
    done = _import(process, source)
    assert done.returncode == 1, done.stderr
    assert f"{source}:3:" in done.stderr and "nothing was written" in done.stderr
    assert unchanged(process, before)


def test_a_fifo_or_a_tagged_file_is_refused(copi, process: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "svar.yaml"
    os.mkfifo(fifo)
    before = head(process)
    done = _import(process, fifo)
    assert done.returncode == 1 and "not a regular file" in done.stderr
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("tool: market-dialogue\ndate: !!timestamp 2026-01-01\nanswers: {}\n",
                      encoding="utf-8")
    result = copi("tool", "import", str(tagged), cwd=process)
    assert result.code == 1 and f"{tagged}:2:7: Y008" in result.err
    assert unchanged(process, before)
