"""What every recording command shares, end to end against real git repositories: hand-written
lines kept, only the recorded files committed, and a refusal or a failure leaving files and
history as they were. Each kind of record has its own file (test_owner.py, test_contact.py,
test_market_dialogue.py, test_exploration.py, test_potential.py, test_declaration.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import git, head, unchanged

TODAY = dt.date.today().isoformat()


# --- hand-written files ----------------------------------------------------------------------

def test_hand_comments_and_layout_survive_every_edit(copi, process: Path) -> None:
    path = process / "organisationer/aarhus-kommune.yaml"
    hand = (
        "# Aarhus — vedligeholdes af Louise (ring før du retter)\n"
        "id: aarhus-kommune\n"
        "name: 'Aarhus Kommune'     # officielt navn\n"
        "type: municipality\n"
        "role: need-owner\n"
        "municipality_code: \"751\"\n"
        "region_code: \"1082\"\n"
        f"joined: \"{TODAY}\"\n"
        "citizens: 367000   # 2025-tal\n"
        "note: >-\n"
        "  Deltager med to\n"
        "  plejedistrikter.\n")
    path.write_text(hand, encoding="utf-8")
    git(process, "commit", "-qam", "håndrettet")
    assert copi("owner", "backing", "aarhus", "--level", "political", "--by", "Byrådet",
                "--date", TODAY, "--dir", str(process)).code == 0
    assert copi("contact", "add", "aarhus", "--name", "Louise Bach", "--email",
                "loba@aarhus.example", "--retention-until", "2028-12-31",
                "--dir", str(process)).code == 0
    assert copi("owner", "withdraw", "aarhus", "--reason", "Andre prioriteter: budget",
                "--dir", str(process)).code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(hand)  # every hand-written line as it was; copi only added lines
    diff = git(process, "diff", "HEAD~3", "--", str(path))
    assert all(not line.startswith("-") or line.startswith("---")
               for line in diff.splitlines())


def test_windows_line_ends_and_a_byte_order_mark_are_kept(copi, process: Path) -> None:
    path = process / "organisationer/aarhus-kommune.yaml"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    git(process, "commit", "-qam", "gemt i Windows")
    assert copi("owner", "withdraw", "aarhus", "--dir", str(process)).code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    lines = raw[3:].decode("utf-8").split("\r\n")
    added = [line for line in lines if line.startswith("withdrawn:")]
    assert added == [f'withdrawn: "{TODAY}"']
    assert [line for line in lines if line not in added] == text.split("\r\n")


# --- all or nothing --------------------------------------------------------------------------

def test_no_commit_writes_without_committing(copi, process: Path) -> None:
    before = head(process)
    run = copi("owner", "add", "Horsens", "--no-commit", "--dir", str(process))
    assert run.code == 0 and "--no-commit" in run.out
    assert head(process) == before
    assert "?? organisationer/horsens-kommune.yaml" in git(process, "status", "--porcelain",
                                                          "-uall")


def test_only_the_recorded_files_are_committed(copi, process: Path) -> None:
    draft = process / "tekster/problembeskrivelse.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nUfærdig tanke.\n",
                     encoding="utf-8")
    assert copi("owner", "add", "Horsens", "--dir", str(process)).code == 0
    assert git(process, "status", "--porcelain") == " M tekster/problembeskrivelse.md\n"


def test_a_refusing_hook_leaves_everything_as_it_was(copi, process: Path,
                                                     tmp_path: Path) -> None:
    hook = process / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'stop' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = head(process)
    original = (process / "organisationer/aarhus-kommune.yaml").read_bytes()
    evidence = tmp_path / "notat.pdf"
    evidence.write_bytes(b"pdf")
    run = copi("owner", "backing", "aarhus", "--level", "political", "--by", "Byrådet",
               "--evidence", str(evidence), "--dir", str(process))
    assert run.code == 3 and "pre-commit" not in run.out
    assert (process / "organisationer/aarhus-kommune.yaml").read_bytes() == original
    assert not (process / "materialer/notat.pdf").exists()
    assert unchanged(process, before)


def test_a_merge_in_progress_is_refused(copi, process: Path) -> None:
    (process / ".git/MERGE_HEAD").write_text(head(process) + "\n")
    run = copi("owner", "add", "Horsens", "--dir", str(process))
    assert run.code == 3 and "merge" in run.err
    assert not (process / "organisationer/horsens-kommune.yaml").exists()


@pytest.mark.usefixtures("danish_cli")
def test_the_command_line_as_a_user_runs_it(copi_process, process: Path) -> None:
    run = copi_process("owner", "add", "Silkeborg", cwd=process)
    assert run.code == 0, run.err
    assert "Organisation tilføjet: Silkeborg Kommune" in run.out
    assert git(process, "log", "-1", "--format=%s").strip() == \
        "Organisation tilføjet: Silkeborg Kommune"


# --- found by a new user's review ------------------------------------------------------------


def test_review_refusals(copi, process: Path, tmp_path: Path) -> None:
    root = str(process)
    lyngby = copi("owner", "add", "Lyngby", "--dir", root)
    assert lyngby.code == 2 and "Lyngby-Taarbæk Kommune" in lyngby.err
    slides = tmp_path / "slides.pdf"
    slides.write_bytes(b"x")
    assert copi("event", "add", "--kind", "workshop", "--date", "2026-04-22", "--title",
                "Workshop", "--dir", root).code == 0
    again = copi("event", "add", "--kind", "workshop", "--date", "2026-04-22", "--title",
                 "workshop", "--dir", root)
    assert again.code == 1 and "already recorded" in again.err
    assert copi("event", "publish", "workshop", "--material", str(slides), "--date",
                "2026-04-23", "--dir", root).code == 0
    republished = copi("event", "publish", "workshop", "--material", "materialer/slides.pdf",
                       "--dir", root)
    assert republished.code == 1 and "2026-04-23 already" in republished.err
    folder = copi("event", "publish", "workshop", "--material", str(tmp_path), "--dir", root)
    assert folder.code == 2 and "a directory" in folder.err
    assert copi("owner", "withdraw", "aarhus", "--dir", root).code == 0
    gone = copi("potential", "purchase", "aarhus", "--year", "2030", "--units", "5",
                "--dir", root)
    assert gone.code == 1 and "withdrew" in gone.err
