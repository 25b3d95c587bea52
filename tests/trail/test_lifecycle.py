"""Phase transitions (copi_cli.trail.lifecycle) planned on one state of the process and applied
on another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import state_and_work_tree

TODAY = dt.date.today()


def test_a_transition_another_copi_made_first_is_refused(copi, process: Path) -> None:
    """Two transitions planned on the same phase: the one that comes second writes nothing."""
    from copi_cli.errors import EnvironmentProblem
    from copi_cli.trail import lifecycle

    change = lifecycle.prepare(process, TODAY, commit=True)
    try:
        plan = lifecycle.plan_advance(change.before, TODAY, change.actor(), True, "Først")
        assert copi("advance", "--force", "--reason", "Anden", cwd=process).code == 0
        before = state_and_work_tree(process)
        with pytest.raises(EnvironmentProblem, match="moved the process to matchmaking"):
            lifecycle.apply(change, plan)
    finally:
        change.close()
    assert state_and_work_tree(process) == before
