"""Progress on long work (issue 22, point 5): shown on standard error at a terminal, in the
language copi speaks (copi_cli.cli.language), never when standard error is not a terminal or
under --quiet; standard output the same either way."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE, copi_executable


def _run(args: list[str], terminal: bool, extra: dict[str, str] | None = None
         ) -> tuple[int, str, str]:
    """copi with standard error on a pseudo-terminal (or a pipe); standard output piped. The
    locale says nothing of Danish: copi speaks the process's language, or COPI_LANG's."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("NO_COLOR", "LC_ALL", "LC_MESSAGES", "COPI_LANG")}
    env.update({"TERM": "xterm-256color", "COLUMNS": "100", "LANG": "C.UTF-8", **(extra or {})})
    if not terminal:
        done = subprocess.run([*copi_executable(), *args], capture_output=True, text=True,
                              env=env, timeout=300)
        return done.returncode, done.stdout, done.stderr
    main, secondary = pty.openpty()
    process = subprocess.Popen([*copi_executable(), *args], stdout=subprocess.PIPE,
                               stderr=secondary, stdin=subprocess.DEVNULL, env=env)
    os.close(secondary)
    err = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other end closed: copi is done
            break
        if not chunk:
            break
        err += chunk
    assert process.stdout is not None
    with process.stdout:
        out = process.stdout.read().decode("utf-8")
    process.wait(timeout=300)
    os.close(main)
    return process.returncode, out, err.decode("utf-8", "replace")


@pytest.fixture
def large(tmp_path: Path) -> Path:
    """The example with 300 more meetings: a validation that reads files for a while."""
    root = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    meeting = (root / "moeder" / "2026-09-24-sensa-care.yaml").read_text(encoding="utf-8")
    for number in range(300):
        (root / "moeder" / f"2026-09-24-sensa-care-{number}.yaml").write_text(
            meeting.replace("id: 2026-09-24-sensa-care", f"id: 2026-09-24-sensa-care-{number}"),
            encoding="utf-8")
    return root


def _cold(tmp_path: Path, name: str) -> dict[str, str]:
    return {"COPI_CACHE_DIR": str(tmp_path / name)}


def test_a_cold_validation_shows_its_progress_at_a_terminal_only(
        large: Path, tmp_path: Path) -> None:
    args = ["validate", "--dir", str(large)]
    code, out, err = _run(args, terminal=True, extra=_cold(tmp_path, "a"))
    assert code == 0
    assert "Læser processens filer" in err  # the process's language: Danish
    assert "Tjekker processen mod metodens regler" in err
    assert err.rstrip().endswith("342 filer er gyldige")  # the display gone, then the result
    piped = _run(args, terminal=False, extra=_cold(tmp_path, "b"))
    # no terminal: nothing but the result on standard error, the same standard output
    assert piped == (0, out, "342 filer er gyldige\n")
    quiet = _run(["--quiet", *args], terminal=True, extra=_cold(tmp_path, "c"))
    assert "Læser" not in quiet[2]
    assert "Læser" not in _run(args, terminal=True, extra={**_cold(tmp_path, "d"),
                                                             "COPI_QUIET": "1"})[2]
    english = _run(args, terminal=True, extra={**_cold(tmp_path, "e"), "COPI_LANG": "en"})
    assert "Reading the process's files" in english[2] and "Læser" not in english[2]


def test_render_shows_its_preparation_in_the_language_copi_speaks(
        large: Path, tmp_path: Path) -> None:
    config = large / "copi.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: da",
                                                                 "language: en"),
                      encoding="utf-8")
    args = ["render", "problem-description", "-f", "md", "--lang", "da", "--dir", str(large),
            "-o"]
    code, out, err = _run([*args, str(tmp_path / "one")], terminal=True,
                          extra=_cold(tmp_path, "a"))
    assert code == 0, err
    # the language copi speaks (the process's, English), whatever the documents' (--lang)
    assert "Reading the process's files" in err
    assert "Preparing the documents" in err
    piped = _run([*args, str(tmp_path / "two")], terminal=False, extra=_cold(tmp_path, "b"))
    assert piped[0] == 0 and "Preparing" not in piped[2] and "Reading" not in piped[2]
    assert "\x1b" not in piped[2]
    assert piped[1] == out.replace(str(tmp_path / "one"), str(tmp_path / "two"))
    assert (tmp_path / "two" / "problembeskrivelse.md").read_bytes() == \
        (tmp_path / "one" / "problembeskrivelse.md").read_bytes()


def test_work_progress_draws_nothing_but_on_a_terminal(tmp_path: Path) -> None:
    """The hook copi preview starts with: None (no work for the core) when not at a terminal."""
    from copi_cli.cli.reporters.progress import work_progress

    with (tmp_path / "err").open("w") as stream, work_progress("da", stream) as progress:
        assert progress is None
    assert (tmp_path / "err").read_text() == ""


def test_status_shows_a_first_look_and_nothing_when_the_cache_answers(
        large: Path, tmp_path: Path) -> None:
    args = ["status", "--dir", str(large)]
    code, out, err = _run(args, terminal=True, extra=_cold(tmp_path, "a"))
    assert code == 0 and "Læser processens filer" in err
    again = _run(args, terminal=True, extra=_cold(tmp_path, "a"))  # the cache answers
    assert again[0] == 0 and "Læser" not in again[2] and "\x1b" not in again[2]
    assert again[1] == out
