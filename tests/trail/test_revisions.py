"""The process as it was at a revision: revisions resolved by git, files read out of git
with the work tree's guards, the work tree and index never touched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from copi_cli.errors import UsageError, UserError
from copi_cli.model.yamlsource import LIMITS
from copi_cli.trail import revisions
from copi_cli.validation.pipeline import validate

from conftest import EXAMPLE, git, write


def _commit(root: Path, message: str, day: str) -> str:
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00",
                        "GIT_COMMITTER_DATE": f"{day}T12:00:00"})
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def history(repo) -> dict:  # noqa: ANN001 - a gitrepo.Repo
    """A process in a subfolder of the repository, committed on three days."""
    process = repo.root / "processer" / "fald"
    write(process, "copi.yaml", "id: fald\n")
    write(process, "tekster/pressemeddelelse.md", "første\n")
    first = _commit(repo.root, "første", "2026-03-01")
    git(repo.root, "tag", "v1")
    write(process, "tekster/pressemeddelelse.md", "anden\n")
    second = _commit(repo.root, "anden", "2026-03-05")
    write(process, "tekster/pressemeddelelse.md", "tredje\n")
    third = _commit(repo.root, "tredje", "2026-03-09")
    return {"repo": repo, "process": process, "commits": [first, second, third]}


def test_a_tag_a_commit_and_a_day_name_commits(history: dict) -> None:
    repo, (first, second, third) = history["repo"], history["commits"]
    assert revisions.resolve(repo, "v1") == first
    assert revisions.resolve(repo, second[:8]) == second
    assert revisions.resolve(repo, "HEAD~1") == second
    assert revisions.resolve(repo, "2026-03-05") == second  # made that day
    assert revisions.resolve(repo, "2026-03-08") == second  # the last on or before it
    assert revisions.resolve(repo, "2026-04-01") == third


@pytest.mark.parametrize(("rev", "said"), [
    ("nope", "--at nope: no such revision"),
    ("2026-02-28", "--at 2026-02-28: no commit on or before that day (the first is of "
                   "2026-03-01)"),
    ("2026-02-30", "--at 2026-02-30 is not a real date"),
    ("--output=/tmp/x", "names no revision"),
])
def test_what_names_no_commit_is_a_usage_error_with_a_hint(history: dict, rev: str,
                                                           said: str) -> None:
    with pytest.raises(UsageError) as refused:
        revisions.resolve(history["repo"], rev)
    assert said in refused.value.message and refused.value.hint


def test_the_files_come_from_git_not_from_the_work_tree(history: dict) -> None:
    repo, process, (first, _, third) = history["repo"], history["process"], history["commits"]
    write(process, "tekster/pressemeddelelse.md", "ikke committet\n")
    write(process, "tekster/ny.md", "ny\n")
    index = (repo.git_dir / "index").read_bytes()
    with revisions.checked_out(repo, process, first) as revision:
        assert revision.commit == first and str(revision.date) == "2026-03-01"
        assert (revision.root / "tekster" / "pressemeddelelse.md").read_text() == "første\n"
        assert not (revision.root / "tekster" / "ny.md").exists()
        assert not revision.root.is_relative_to(repo.root)
        kept = revision.root
    assert not kept.exists()  # the private folder is gone afterwards
    assert (process / "tekster" / "pressemeddelelse.md").read_text() == "ikke committet\n"
    assert (repo.git_dir / "index").read_bytes() == index
    with revisions.checked_out(repo, process, third) as revision:
        assert (revision.root / "tekster" / "pressemeddelelse.md").read_text() == "tredje\n"


def test_a_revision_without_the_process_is_refused(history: dict) -> None:
    repo = history["repo"]
    elsewhere = repo.root / "processer" / "ny"
    write(elsewhere, "copi.yaml", "id: ny\n")
    with pytest.raises(UsageError) as refused, revisions.checked_out(
            repo, elsewhere, history["commits"][0], "--at v1"):
        pass
    assert "--at v1: the process processer/ny did not exist at that revision" in \
        refused.value.message


def test_the_work_trees_guards_hold_for_a_revision(tmp_path: Path) -> None:
    """A link is not followed (validation reports it as in the work tree), a record is cut
    after the bytes copi would read of it, outputs are not read out at all."""
    root = tmp_path / "faerre-fald"
    import shutil

    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    git(root, "init", "-q")
    secret = tmp_path / "hemmelig.md"
    secret.write_text("---\ndocument: press-release\ntitle: Hemmelig\nstatus: final\n---\nx\n")
    (root / "tekster" / "pressemeddelelse.md").unlink()
    (root / "tekster" / "pressemeddelelse.md").symlink_to(secret)
    (root / "ordliste.yaml").write_bytes(b"terms: []\n" + b"#" * (3 * LIMITS.size))
    write(root, "build/gammel.pdf", "output\n")
    git(root, "add", "-A", "-f")
    git(root, "commit", "-q", "-m", "farlig")
    repo = revisions.gitrepo.find_repo(root)
    assert repo is not None
    with revisions.checked_out(repo, root, revisions.resolve(repo, "HEAD")) as revision:
        link = revision.root / "tekster" / "pressemeddelelse.md"
        assert link.is_symlink() and not link.exists()  # it leads nowhere
        assert (revision.root / "ordliste.yaml").stat().st_size == LIMITS.size + 1
        assert not (revision.root / "build").exists()
        found = {(d.path, d.code) for d in validate(revision.root, use_cache=False).errors}
        in_work_tree = {(d.path, d.code) for d in validate(root, use_cache=False).errors}
    assert found == in_work_tree
    assert ("tekster/pressemeddelelse.md", "Y005") in found
    assert ("ordliste.yaml", "Y007") in found


def test_a_name_that_would_leave_the_folder_is_refused(tmp_path: Path) -> None:
    """A tree git's own tools would never write: crafted with git mktree."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input="id: x\n",
                          text=True, capture_output=True, check=True).stdout.strip()
    tree = subprocess.run(["git", "mktree"], cwd=root, text=True, capture_output=True,
                          input=f"100644 blob {blob}\tcopi.yaml\n"
                                f"100644 blob {blob}\t..\n", check=True).stdout.strip()
    commit = subprocess.run(["git", "commit-tree", tree, "-m", "x"], cwd=root, text=True,
                            capture_output=True, check=True).stdout.strip()
    repo = revisions.gitrepo.find_repo(root)
    assert repo is not None
    with pytest.raises(UserError) as refused, revisions.checked_out(repo, root, commit):
        pass
    assert "would leave the process directory" in refused.value.message


def _many_files(root: Path) -> str:
    """A tree of more than MAX_TREE_ENTRIES empty files, 100 to a folder, made in two git
    calls: one folder of 100 files named again and again."""
    empty = git(root, "hash-object", "-w", "--stdin").strip()
    folder = subprocess.run(["git", "mktree"], cwd=root, text=True, capture_output=True,
                            input="".join(f"100644 blob {empty}\t{n}.png\n" for n in range(100)),
                            check=True).stdout.strip()
    width = revisions.MAX_TREE_ENTRIES // 100 + 1
    return subprocess.run(["git", "mktree"], cwd=root, text=True, capture_output=True,
                          input="".join(f"040000 tree {folder}\t{n}\n" for n in range(width)),
                          check=True).stdout.strip()


def test_a_revision_past_the_file_limit_is_refused_before_a_file_is_written(
        copi, example_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Materials count: a commit with 10,100 empty pictures under materialer/ is refused,
    naming the revision and the limit, and nothing is read out into the temporary folder."""
    git(example_repo, "read-tree", "--prefix=materialer/mange/", _many_files(example_repo))
    git(example_repo, "commit", "-q", "-m", "mange filer")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temporary))
    done = copi("render", "press-release", "--at", "HEAD", "--format", "md",
                cwd=example_repo)
    assert done.code == 2, done.err
    assert "--at HEAD" in done.err and "10,000 files" in done.err
    assert list(temporary.iterdir()) == []
    assert revisions.BUDGET.held_entries == 0 and revisions.BUDGET.held_size == 0


def test_one_budget_holds_for_every_revision_read_out_at_once(history: dict) -> None:
    """Each revision of the fixture holds two files: two at once do not fit in three, one
    after the other do, and a revision's files are given back when its folder goes."""
    repo, process, (first, second, _) = history["repo"], history["process"], history["commits"]
    budget = revisions.Budget(entries=3)
    with revisions.checked_out(repo, process, first, "--at v1", budget):
        assert budget.held_entries == 2
        with pytest.raises(UsageError) as refused, revisions.checked_out(
                repo, process, second, "--at HEAD~1", budget):
            pass
    assert "--at HEAD~1" in refused.value.message and "3 files" in refused.value.message
    assert budget.held_entries == 0
    with revisions.checked_out(repo, process, second, "--at HEAD~1", budget) as revision:
        assert (revision.root / "tekster" / "pressemeddelelse.md").read_text() == "anden\n"
    small = revisions.Budget(size=len("id: fald\n") + len("første\n".encode()) - 1)
    with pytest.raises(UsageError) as refused, revisions.checked_out(
            repo, process, first, "--at v1", small):
        pass
    assert "MB" in refused.value.message and small.held_size == 0
