"""copi revisit: going back to an earlier phase, with a reason, as a change like any other."""

from __future__ import annotations

from pathlib import Path

from conftest import state_and_work_tree


def test_revisit_rules(copi, process: Path) -> None:
    assert copi("revisit", "1", cwd=process).code == 2  # no reason
    run = copi("revisit", "innovation-need", "--reason", "x", cwd=process)
    assert run.code == 1 and "not before" in run.err
    run = copi("revisit", "fase-9", "--reason", "x", cwd=process)
    assert run.code == 2 and "matchmaking" in run.err


def test_a_refusing_hook_undoes_a_revisit_like_an_advance(copi, process: Path) -> None:
    assert copi("advance", "--force", "--reason", "Aftalt", cwd=process).code == 0
    hook = process / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook siger nej' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state_and_work_tree(process)
    run = copi("revisit", "1", "--reason", "Vejle vil med", cwd=process)
    assert run.code == 3 and "hook siger nej" in run.err
    assert state_and_work_tree(process) == before
