"""Committing a change: one commit with copi's trailers and, for a transition, its tag.

Commits carry copi's trailers (Copi-Action, Copi-Process, Copi-Actor, …) so the audit trail can
be read back with one `git log`. A failing hook or an interrupt leaves the user's index, work
tree and history as they were (see commit_transition).
"""

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from copi_cli.trail.gitrepo import Questions, Repo, changes, pathspec, refuse_detached, run


def format_message(subject: str, trailers: dict[str, str], body: str = "") -> str:
    """The commit message; a line break inside a value (a process directory named with one)
    would start a trailer of its own, such as a second Copi-Actor, so it becomes a space."""
    lines = [subject, ""]
    if body:
        lines += [body, ""]
    lines += [f"{key}: {' '.join(str(value).splitlines())}" for key, value in trailers.items()]
    return "\n".join(lines) + "\n"


class Committed(NamedTuple):
    commit: str  # the full object name
    tag: str | None
    files: list[str]  # paths relative to the repository root


def commit_transition(repo: Repo, paths: Sequence[Path], subject: str,
                      trailers: dict[str, str], tag: str | None,
                      asked: Questions | None = None) -> Committed:
    """Commit everything under paths (one commit, these trailers) and tag it, or nothing.

    `git commit -- paths` commits exactly the work tree under paths on top of HEAD; anything
    the user staged elsewhere stays staged and out of the commit. Hooks run as usual, and so
    does git's own housekeeping after the commit. If a hook refuses, git fails or the user
    interrupts, the index is put back byte for byte, a commit already made is taken back and a
    tag already made deleted. Four or five git processes: status, add (only when there are new
    files), commit, rev-parse (the new commit's name), tag. The status may have been asked
    earlier (Questions); the files copi itself writes afterwards are among the changes anyway.
    """
    status = asked.changes() if asked else changes(repo, paths)
    refuse_detached(status.head.branch)
    specs = [pathspec(p, repo.root) for p in paths]
    message = format_message(subject, trailers)
    index = repo.git_dir / "index"
    snapshot = index.read_bytes() if index.exists() else None
    commit = None
    try:
        if status.untracked:
            run(repo.root, "add", "-A", "--", *specs)
        # -q: git's summary of the commit is a diff copi would not show
        run(repo.root, "commit", "-q", "--allow-empty", "--no-edit", "-F", "-", "--", *specs,
            stdin=message)
        commit = run(repo.root, "rev-parse", "--verify", "HEAD^{commit}").stdout.strip()
        if tag:
            run(repo.root, "tag", "-a", tag, "-m", subject, commit)
    except BaseException:
        if tag and commit:
            _drop_tag(repo, tag, commit)
        _take_back(repo, commit, message, status.head.commit)
        if snapshot is None:
            index.unlink(missing_ok=True)
        else:
            temporary = index.with_name("index.copi-restore")
            temporary.write_bytes(snapshot)
            os.replace(temporary, index)
        raise
    return Committed(commit, tag, status.files)


def _drop_tag(repo: Repo, tag: str, commit: str) -> None:
    """Delete the tag if it names the commit being taken back: a tag that was there before
    names an older commit and stays."""
    named = run(repo.root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}^{{commit}}",
                check=False).stdout.strip()
    if named == commit:
        run(repo.root, "tag", "-d", tag, check=False)


def _take_back(repo: Repo, commit: str | None, message: str, before: str | None) -> None:
    """Undo the commit copi just made, if it was made (the caller restores the work tree).

    Interrupted inside `git commit`, copi cannot know whether git got as far as the commit:
    HEAD is then taken back only if it carries exactly copi's message.
    """
    shown = run(repo.root, "log", "-1", "--format=%H %P%n%B", check=False)
    if shown.returncode != 0:
        return
    first, _, body = shown.stdout.partition("\n")
    head, *parents = first.split()
    if commit is None and (body.rstrip("\n") != message.rstrip("\n") or head == before
                           or (before is not None and parents[:1] != [before])):
        # The commit never happened: HEAD is where it was, or is not a child of where it
        # was (an earlier copi's commit with the same message must never be taken back).
        return
    if commit is not None and not head.startswith(commit):
        return
    if parents:
        run(repo.root, "update-ref", "-m", "copi: undo an unfinished transition", "HEAD",
            parents[0], head, check=False)
    else:
        branch = run(repo.root, "symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
        if branch:
            run(repo.root, "update-ref", "-d", branch, head, check=False)
