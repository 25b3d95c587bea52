"""mypy passes on copi_cli, with the settings in pyproject.toml: CI type-checks through the
suite that README's test command runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_mypy_passes_on_copi_cli(tmp_path: Path) -> None:
    # One test, so one mypy run however many xdist workers there are; a cache of its own in
    # tmp_path, so a stale cache can neither hide an error nor litter the repository.
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "mypy-cache"), "--no-color-output", "--no-pretty"],
        capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
