"""The fuzzer of fuzzing.py for a fixed budget, and a handful of its inputs through the real CLI.

CI runs two seeds of COPI_FUZZ_EXAMPLES examples each (1,000 unless set), one per worker; a
longer run is `COPI_FUZZ_EXAMPLES=100000 COPI_FUZZ_SEED=$RANDOM .venv/bin/pytest
tests/validation/test_fuzz.py` (README: Development). Each run of the fuzzer is a process of
its own, so its peak memory is its own to judge.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, copi_executable, git

FUZZER = Path(__file__).with_name("fuzzing.py")
EXAMPLES = int(os.environ.get("COPI_FUZZ_EXAMPLES", "1000"))
FIRST_SEED = int(os.environ.get("COPI_FUZZ_SEED", "19"))
MEMORY = 500 * 2**20


def _fuzzer():  # noqa: ANN202 - the fuzzing module, loaded by its path
    spec = importlib.util.spec_from_file_location("copi_fuzzing", FUZZER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("offset", [0, 1])
def test_the_fuzzer_finds_nothing(offset: int, tmp_path: Path) -> None:
    """No traceback, no hang over 10 s, no invalid input passed, no cached answer that differs
    from a fresh one, and under 500 MB, over the budget."""
    environment = {**os.environ, "COPI_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, str(FUZZER), "--examples", str(EXAMPLES),
         "--seed", str(FIRST_SEED + offset)],
        capture_output=True, text=True, env=environment,
        timeout=max(900, EXAMPLES))  # a hang guard: each example has its own 10 s alarm
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-8000:]
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["examples"] == EXAMPLES
    assert summary["peak_bytes"] < MEMORY, f"{summary['peak_bytes'] / 2**20:.0f} MB"


HANDFUL = [  # (file, mutation, value): one of each sort, through the real command line
    ("ordliste.yaml", "scalar", (3, "!!timestamp 2026-01-01")),
    ("potentiale.yaml", "scalar", (1, "9" * 5_000)),
    ("organisationer/aarhus-kommune.yaml", "aliases", (100_000, 4_000, True)),
    ("tekster/pressemeddelelse.md", "bytes", (20, b"\xff\xfe")),
    ("moeder/2026-09-24-sensa-care.yaml", "fifo", 0),
    ("leverandoerer/trygstep.yaml", "link-folder", 0),
    ("vaerktoejer/markedsdialog.yaml", "nesting", 500),
]


@pytest.mark.parametrize(("rel", "how", "value"), HANDFUL, ids=lambda v: str(v)[:30])
def test_a_handful_through_the_real_commands(tmp_path: Path, rel: str, how: str,
                                             value: object) -> None:
    fuzzing = _fuzzer()
    root, outside = tmp_path / "p", tmp_path / "outside"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    outside.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "eksempel")
    answers = outside / "svar.yaml"
    answers.write_bytes((root / "vaerktoejer" / "markedsdialog.yaml").read_bytes())
    fuzzing.apply(root, outside, rel, how, value)
    if how not in ("fifo", "link-folder"):
        fuzzing.apply(outside.parent, outside, "outside/svar.yaml", how, value)
    for command, codes in ((["validate"], {1}), (["status"], {0}),
                           (["tool", "import", str(answers)], {1, 2})):
        done = subprocess.run([*copi_executable(), *command], cwd=root, capture_output=True,
                              text=True, timeout=120, env=os.environ.copy())
        assert done.returncode in codes, (command, done.stdout[-2000:], done.stderr[-2000:])
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
