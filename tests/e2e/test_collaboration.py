"""Two clones of one process and a shared remote: parallel transitions, tags that did not travel,
rebased transitions — and validate, audit and README saying the same about each."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from conftest import fulfil_phase_1, git

TODAY = dt.date.today().isoformat()
TAG = "copi/proces/02-matchmaking"
FETCH_TAGS = ("fetch", "--force", "origin", "refs/tags/copi/proces/*:refs/tags/copi/proces/*")


@pytest.fixture
def clones(copi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A process pushed to a bare remote, cloned twice; phase 1's results in both clones.

    Committed at noon, so the advances below (9 and 10 o'clock) come from clocks behind their
    parents': the trail must follow the graph, not the commit dates.
    """
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{TODAY}T12:00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{TODAY}T12:00:00")
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(tmp_path / "proces", "push", "-q", "--follow-tags", "../remote.git", "main")
    for name in ("a", "b"):
        git(tmp_path, "clone", "-q", "remote.git", name)
        fulfil_phase_1(tmp_path / name)
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return tmp_path / "a", tmp_path / "b"


def _advance(copi, monkeypatch: pytest.MonkeyPatch, clone: Path, hour: int,
             actor: str = "Test Facilitator") -> None:
    """copi advance in a clone, at its own hour of today (so two clones make two commits)."""
    with monkeypatch.context() as patch:
        patch.setenv("GIT_AUTHOR_DATE", f"{TODAY}T{hour:02d}:00:00")
        patch.setenv("GIT_COMMITTER_DATE", f"{TODAY}T{hour:02d}:00:00")
        patch.setenv("GIT_COMMITTER_NAME", actor)
        run = copi("advance", cwd=clone)
    assert run.code == 0, run.err


def _findings(copi, command: str, clone: Path) -> tuple[int, list[dict]]:
    run = copi(command, "--format", "json", cwd=clone)
    return run.code, json.loads(run.out)["diagnostics"]


def _remote_tag(clone: Path, name: str) -> str | None:
    listed = git(clone, "ls-remote", "--tags", "origin", f"{name}^{{}}").split()
    return listed[0] if listed else None


def test_the_same_move_in_two_clones_audits_the_same_in_both(copi, clones, monkeypatch) -> None:
    a, b = clones
    _advance(copi, monkeypatch, a, 9)
    git(a, "push", "-q", "--follow-tags", "origin", "main")
    _advance(copi, monkeypatch, b, 10)
    git(b, "pull", "-q", "--no-rebase", "origin", "main")  # identical entries: no conflict
    git(b, "push", "-q", "--follow-tags", "origin", "main")
    assert _remote_tag(b, TAG) == git(a, "rev-parse", f"{TAG}^{{commit}}").strip()
    git(a, "pull", "-q", "origin", "main")
    audits = [copi("audit", cwd=clone) for clone in (a, b)]
    assert audits[0].out == audits[1].out and audits[0].code == audits[1].code == 0
    found = _findings(copi, "audit", a)[1]
    assert [d["code"] for d in found] == ["A009"] and found[0]["severity"] == "warning"
    assert "git fetch --force origin" in found[0]["hint"] and "git tag" not in found[0]["hint"]
    # README's step: the remote's tags in every clone; the audit stays as it was
    git(b, *FETCH_TAGS)
    assert git(b, "rev-parse", f"{TAG}^{{commit}}") == git(a, "rev-parse", f"{TAG}^{{commit}}")
    assert copi("audit", cwd=b).out == audits[0].out


def test_conflicting_moves_get_one_advice_and_readme_resolves_them(copi, clones,
                                                                   monkeypatch) -> None:
    a, b = clones
    _advance(copi, monkeypatch, a, 9)
    git(a, "push", "-q", "--follow-tags", "origin", "main")
    _advance(copi, monkeypatch, b, 10, actor="Bo Berg")
    merged = subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=b,
                            capture_output=True, text=True)
    assert merged.returncode != 0 and "copi.yaml" in merged.stdout + merged.stderr
    # kept both entries, as a hurried resolution does
    config = b / "copi.yaml"
    text = config.read_text(encoding="utf-8")
    ours = text.split("<<<<<<< HEAD\n", 1)[1].split("=======\n", 1)[0]
    theirs = text.split("=======\n", 1)[1].split(">>>>>>> ", 1)[0]
    before, after = text.split("<<<<<<< HEAD\n", 1)[0], text.split(">>>>>>> ", 1)[1]
    after = after.split("\n", 1)[1]
    entry_start = before.rindex("  - date:")
    entry_head = before[entry_start:]
    config.write_text(before + theirs + entry_head + ours + after, encoding="utf-8")
    git(b, "commit", "-q", "-am", "Flet")
    validated = _findings(copi, "validate", b)
    audited = _findings(copi, "audit", b)
    assert validated[0] == audited[0] == 1
    r010 = [d for d in validated[1] if d["code"] == "R010"]
    a010 = [d for d in audited[1] if d["code"] == "A010"]
    assert len(r010) == len(a010) == 1 and r010[0]["hint"] == a010[0]["hint"]
    assert (r010[0]["line"], r010[0]["message"]) == (a010[0]["line"], a010[0]["message"])
    assert "README: Conflicting transitions" in a010[0]["hint"]
    assert not any("git tag" in (d["hint"] or "") for d in audited[1]), audited[1]
    # README: keep the transition whose tag is on the remote (a's), take the remote's tags
    assert _remote_tag(b, TAG) == git(a, "rev-parse", "HEAD").strip()
    git(b, "checkout", "MERGE_HEAD" if (b / ".git/MERGE_HEAD").exists() else "HEAD^2",
        "--", "copi.yaml")
    code, found = _findings(copi, "audit", b)  # b's tag is on the commit not kept
    assert code == 1 and [d["code"] for d in found] == ["A009", "A005"]
    assert found[1]["hint"] == a010[0]["hint"]
    git(b, *FETCH_TAGS)
    git(b, "commit", "-q", "-am", "Behold a's faseskift")
    assert copi("validate", cwd=b).code == 0
    code, found = _findings(copi, "audit", b)
    assert code == 0 and [d["code"] for d in found] == ["A009"]
    git(b, "push", "-q", "--follow-tags", "origin", "main")
    git(a, "pull", "-q", "origin", "main")
    assert copi("audit", cwd=a).out == copi("audit", cwd=b).out


def test_a_rebased_transition_gets_its_tag_moved_and_pushed(copi, clones, monkeypatch) -> None:
    a, b = clones
    (a / "materialer" / "noter.txt").write_text("noter\n", encoding="utf-8")
    git(a, "add", "materialer/noter.txt")
    git(a, "commit", "-q", "-m", "Noter")
    git(a, "push", "-q", "origin", "main")
    _advance(copi, monkeypatch, b, 10)
    made = git(b, "rev-parse", "HEAD").strip()
    git(b, "pull", "-q", "--rebase", "origin", "main")
    git(b, "push", "-q", "--follow-tags", "origin", "main")
    assert _remote_tag(b, TAG) is None  # the tag names the commit the rebase replaced
    fresh = b.parent / "ci"  # what CI sees: the remote's commits and tags
    git(b.parent, "clone", "-q", "remote.git", "ci")
    code, found = _findings(copi, "audit", fresh)
    assert code == 1 and [d["code"] for d in found] == ["A004"]
    code, found = _findings(copi, "audit", b)
    assert code == 1 and [d["code"] for d in found] == ["A005"]
    assert made[:10] in found[0]["message"] and "not in this branch" in found[0]["message"]
    hint = found[0]["hint"]
    assert hint.startswith("move the tag to it and push it: git tag -f -a ")
    subprocess.run(hint.split(": ", 1)[1], shell=True, cwd=b, check=True, capture_output=True)
    assert _remote_tag(b, TAG) == git(b, "rev-parse", "HEAD").strip()
    assert copi("audit", cwd=b).code == 0
    git(fresh, "pull", "-q", "--tags", "origin", "main")
    assert copi("audit", cwd=fresh).code == 0


def test_copi_ci_makes_a_plain_push_carry_the_transition_tags(copi, clones,
                                                              monkeypatch) -> None:
    a, _ = clones
    wrote = copi("ci", "github", "--install", "git+https://example.org/copi.git@v1", cwd=a)
    assert wrote.code == 0, wrote.err
    assert git(a, "config", "--local", "push.followTags").strip() == "true"
    _advance(copi, monkeypatch, a, 9)
    git(a, "push", "-q", "origin", "main")  # no --follow-tags
    assert _remote_tag(a, TAG) == git(a, "rev-parse", "HEAD").strip()
    assert copi("ci", "gitlab", "--install", "x", "--print", cwd=a).code == 0
