"""A commit copi makes carries exactly its trailers, and a failure takes back only what copi
itself made."""

from __future__ import annotations

from pathlib import Path

import pytest

from copi_cli.errors import GitError
from copi_cli.trail import commits, gitrepo

from conftest import git, head, state


def test_a_line_break_in_a_trailer_value_cannot_add_a_trailer() -> None:
    """A process directory named "p\nCopi-Actor: Mallory" must not forge the actor."""
    message = commits.format_message("Emne", {"Copi-Process": "p\nCopi-Actor: Mallory",
                                              "Copi-Actor": "Victim"})
    assert message == "Emne\n\nCopi-Process: p Copi-Actor: Mallory\nCopi-Actor: Victim\n"


def test_a_tag_that_was_there_before_stays(process: Path) -> None:
    """The undo deletes a tag only if it names copi's own new commit."""
    repo = gitrepo.require_repo(process)
    git(process, "tag", "-a", "taget", "-m", "brugerens")
    before = state(process)
    (process / "ny.txt").write_text("x")
    with pytest.raises(GitError, match="already exists"):
        commits.commit_transition(repo, [process], "emne", {"Copi-Action": "advance"}, "taget")
    assert state(process) == before
    assert git(process, "rev-parse", "taget^{commit}").strip() == before[0].strip()


def test_a_failed_commit_never_takes_back_an_earlier_one_with_the_same_message(
        copi, process: Path) -> None:
    """Two recordings can have the same subject; the take-back of an interrupted one must
    look at where HEAD was, not only at the message."""
    assert copi("term", "add", "Fald", "--definition", "x", "--dir", str(process)).code == 0
    done = head(process)
    message = git(process, "log", "-1", "--format=%B")
    repo = gitrepo.require_repo(process)
    commits._take_back(repo, None, message, before=done)
    assert head(process) == done
