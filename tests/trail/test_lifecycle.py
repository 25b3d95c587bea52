"""Phase transitions (copi_cli.trail.lifecycle) judged on the process as the one copi that may
move it reads it: under the lock, never on a state another copi has moved on from."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from conftest import copi_executable, state_and_work_tree

TODAY = dt.date.today()


def test_a_transition_another_copi_made_while_this_one_waited_is_refused(
        process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two advances started together: the second finds the process moved on when its turn
    comes, and moves nothing (the gate of the next phase is never judged for it)."""
    from copi_cli.errors import EnvironmentProblem
    from copi_cli.trail import lifecycle, locking

    real_take = locking.take

    def take_after_another(*args: object, **kwargs: object) -> locking.Held:
        done = subprocess.run([*copi_executable(), "advance", "--force", "--reason", "Anden"],
                              cwd=process, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr  # the other copi, while this one waits
        return real_take(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(locking, "take", take_after_another)
    with pytest.raises(EnvironmentProblem, match="moved the process to matchmaking while"):
        lifecycle.prepare(process, TODAY, commit=True)
    monkeypatch.setattr(locking, "take", real_take)
    before = state_and_work_tree(process)
    assert not (process / ".git" / "copi.lock").exists()
    assert state_and_work_tree(process) == before
