"""The one unit of work every change to a process goes through (copi_cli.trail.change), against
real git repositories: written under the lock unless another hand changed a file meanwhile, and
committed with every file it made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import git, state_and_work_tree

TODAY = dt.date.today()


def test_a_file_changed_meanwhile_is_not_overwritten(process: Path) -> None:
    """Between reading a file and taking the lock, another hand may write it: that edit stays,
    and the change is refused rather than written over it."""
    from copi_cli.errors import EnvironmentProblem
    from copi_cli.recording.exploration import GLOSSARY, add_term
    from copi_cli.trail.change import Change

    glossary = process / GLOSSARY
    with Change(process, TODAY) as change:
        add_term(change, "Fald", "Et uventet fald")
        glossary.write_text(glossary.read_text(encoding="utf-8") + "# en hånd\n",
                            encoding="utf-8")
        before = state_and_work_tree(process)
        with pytest.raises(EnvironmentProblem, match=f"{GLOSSARY} was changed while"):
            change.apply("Begreb: Fald", "term-add")
    assert state_and_work_tree(process) == before
    assert glossary.read_text(encoding="utf-8").endswith("# en hånd\n")


def test_a_file_created_in_a_change_of_the_whole_process_is_committed(process: Path) -> None:
    """With the process directory as evidence, git is asked what changed before copi writes;
    a file the change creates is new to that answer and must go into the commit all the same."""
    from copi_cli.trail.change import Change

    draft = process / "tekster" / "problembeskrivelse.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nEt udkast.\n", encoding="utf-8")
    with Change(process, TODAY, evidence=True) as change:
        change.create("leverandoerer/firma.yaml", {"id": "firma", "name": "Firma ApS"})
        done = change.apply("Leverandør og udkast", "supplier-add")
    assert done.files == ["leverandoerer/firma.yaml", "tekster/problembeskrivelse.md"]
    assert git(process, "status", "--porcelain", "-uall") == ""
    assert git(process, "show", "--name-only", "--format=", "HEAD").split() == done.files
    assert git(process, "rev-parse", "HEAD").strip() == done.commit
