"""The process as it was at a revision: a tag, commit or day resolved by git, and the process
directory's files read out of git into a private folder, never through the work tree or index.

Design:
1. resolve: a day YYYY-MM-DD is the last commit on the current branch made on or before that
   day (`git rev-list -1 --first-parent --before`), anything else what `git rev-parse --verify
   REV^{commit}` names. An unknown revision, a day before the first commit, or a commit where
   the process did not exist is a UsageError that says which and what to give instead.
2. extract: `git ls-tree -r -z -l` lists the process directory's files at the commit with
   their mode and size; `git cat-file --batch` streams their contents, as stored (no
   .gitattributes filter, no export-subst, which `git archive` would apply), into a new
   private folder. What the work tree's guards refuse stays refused: only regular files are
   written; a symbolic link becomes a link to nowhere, so validation reports it as it would
   in the work tree and nothing can follow it; a submodule is left out; a name that would
   leave the folder is refused. A record is cut after the bytes copi would read of it
   (yamlsource.LIMITS: one more shows it is too large).
3. bound: every file git lists counts against MAX_TREE_ENTRIES, and every file written (its
   size in git, which cat-file streams in full) against MAX_TREE_BYTES; materials count as
   records do. ls-tree is read as it streams and stopped at the limit, so a crafted tree of
   a million empty files costs no more than the limit. One Budget holds for every revision
   read out at once in a command (a revision's files are given back when its folder is
   removed), so opening many revisions cannot multiply the limits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

from copi_cli.errors import EnvironmentProblem, UsageError, UserError
from copi_cli.messages import Said, grouped, os_reason
from copi_cli.model.workspace import PROCESS_FILE, kind_of
from copi_cli.model.yamlsource import LIMITS
from copi_cli.trail import gitrepo

# Folders no document is made from (outputs, git's and tools' own): not read out of git.
SKIPPED = frozenset({".git", ".github", ".gitlab", ".copi", "build", "node_modules", ".venv"})
MAX_TREE_BYTES = 1 << 30  # the most copi holds read out of git at once
# The most files copi lists or holds read out of git at once: the benchmark's large process
# (200 organisations, 2,000 suppliers, 5,000 meetings: 7,202 files) with room for its texts
# and materials.
MAX_TREE_ENTRIES = 10_000
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Revision(NamedTuple):
    """A commit of the process, and where its files were read out to."""

    commit: str  # the full name
    date: dt.date  # the day it was committed (the committer's own date)
    root: Path  # the process directory as it was, in a private folder


def _git(repo: gitrepo.Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return gitrepo.run(repo.root, *args, check=False, env={**os.environ, "LC_ALL": "C"})


def resolve(repo: gitrepo.Repo, rev: str) -> str:
    """The full name of the commit rev names: a tag, a commit (or any name git knows for one),
    or a day (the last commit on the current branch made on or before it)."""
    wanted = rev.strip()
    if not wanted or wanted.startswith("-") or "\0" in wanted:
        raise UsageError(Said("revision.none", rev=rev), hint=Said("revision.hint"))
    if _DAY.fullmatch(wanted):
        try:
            day = dt.date.fromisoformat(wanted)
        except ValueError:
            raise UsageError(Said("revision.not-a-date", rev=wanted),
                             hint=Said("revision.not-a-date-hint")) from None
        done = _git(repo, "rev-list", "-1", "--first-parent",
                    f"--before={day.isoformat()} 23:59:59", "HEAD", "--")
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
        first = _git(repo, "log", "--first-parent", "--reverse", "--format=%cs", "HEAD", "--")
        since = first.stdout.split()[:1] if first.returncode == 0 else []
        raise UsageError(Said("revision.too-early", rev=wanted,
                              first=Said("revision.first-of", day=since[0]) if since
                              else Said("revision.no-commits")),
                         hint=Said("revision.too-early-hint"))
    done = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
                f"{wanted}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise UsageError(Said("revision.unknown", rev=wanted, root=repo.root),
                         hint=Said("revision.hint"))
    return done.stdout.strip()


def commit_day(repo: gitrepo.Repo, commit: str) -> dt.date:
    """The day a commit was made (its committer's date)."""
    return dt.date.fromisoformat(gitrepo.run(repo.root, "show", "-s", "--format=%cs", commit,
                                             "--").stdout.strip())


def commit_time(repo: gitrepo.Repo, commit: str) -> dt.datetime:
    """The moment a commit was made (its committer's time, with the committer's offset)."""
    return dt.datetime.fromisoformat(gitrepo.run(repo.root, "show", "-s", "--format=%cI",
                                                 commit, "--").stdout.strip())


def exists(repo: gitrepo.Repo, commit: str) -> bool:
    """Whether the repository has the commit at all."""
    return _git(repo, "cat-file", "-e", f"{commit}^{{commit}}").returncode == 0


def in_history(repo: gitrepo.Repo, commit: str) -> bool:
    """Whether the commit is in the history of HEAD (the current branch)."""
    return _git(repo, "merge-base", "--is-ancestor", commit, "HEAD").returncode == 0


def prefix_of(repo: gitrepo.Repo, root: Path) -> str:
    """The process directory relative to the repository's root, as git names paths ('' for
    the root itself)."""
    relative = os.path.relpath(root.resolve(), repo.root.resolve())
    return "" if relative == "." else Path(relative).as_posix()


class Budget:
    """What may be held read out of git at once, in files and bytes, across every revision a
    command opens: taken when a revision is read out, given back when its folder goes."""

    def __init__(self, entries: int = MAX_TREE_ENTRIES, size: int = MAX_TREE_BYTES) -> None:
        self.entries = entries
        self.size = size
        self.held_entries = 0
        self.held_size = 0

    def take(self, entries: int, size: int, shown: str) -> None:
        others = Said("revision.with-others") if self.held_entries else ""
        if self.held_entries + entries > self.entries:
            raise UsageError(Said("revision.too-many-files", at=shown,
                                  most=grouped(self.entries), others=others),
                             hint=Said("revision.too-many-files-hint"))
        if self.held_size + size > self.size:
            raise UsageError(Said("revision.too-large", at=shown,
                                  most=grouped(self.size >> 20), others=others),
                             hint=Said("revision.too-large-hint"))
        self.held_entries += entries
        self.held_size += size

    def give_back(self, entries: int, size: int) -> None:
        self.held_entries -= entries
        self.held_size -= size


# One per process: copi runs one command per process, so this is the command's budget.
BUDGET = Budget()


class _Entry(NamedTuple):
    mode: str
    kind: str  # blob, tree, commit (a submodule)
    oid: str
    size: int
    path: str  # relative to the process directory


def _listing(repo: gitrepo.Repo, commit: str, prefix: str, budget: Budget,
             shown: str) -> list[_Entry]:
    """The files under prefix at commit, read as git streams them and stopped where they
    would not fit the budget."""
    args = ["ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--"]
    if prefix:
        args.append(f":(literal){prefix}/")
    process = subprocess.Popen(["git", *args], cwd=repo.root, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ, "LC_ALL": "C"})
    assert process.stdout is not None and process.stderr is not None
    entries: list[_Entry] = []
    rest = b""
    try:
        while chunk := process.stdout.read(1 << 16):
            *raws, rest = (rest + chunk).split(b"\0")
            for raw in raws:
                entries.append(_parse(raw, prefix))
            if len(entries) > budget.entries - budget.held_entries:
                budget.take(len(entries), 0, shown)  # refused: says what the limit is
        said = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
        process.wait()
        process.stderr.close()
    if process.returncode != 0:
        raise EnvironmentProblem(Said("revision.ls-tree", said=" ".join(said[-2:])
                                      or Said("revision.no-message")),
                                 hint=Said("revision.fsck-hint"))
    return entries


def _parse(raw: bytes, prefix: str) -> _Entry:
    head, _, name = raw.partition(b"\t")
    mode, kind, oid, size = head.decode("ascii").split(maxsplit=3)
    path = os.fsdecode(name)
    if prefix:
        path = path[len(prefix) + 1:]
    return _Entry(mode, kind, oid, int(size) if size.isdigit() else 0, path)


def _parts(path: str) -> list[str] | None:
    """The folders and name of a path from git, or None for one that could leave the folder it
    is written into (git's own checks refuse such names; a crafted tree need not have had them)."""
    parts = path.split("/")
    if any(part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    return parts


@contextlib.contextmanager
def checked_out(repo: gitrepo.Repo, root: Path, commit: str, shown: str | None = None,
                budget: Budget | None = None) -> Iterator[Revision]:
    """The process directory as it was at commit, read out of git into a private temporary
    folder that is removed afterwards. shown names the revision in messages (--at REV);
    budget bounds what is held at once (the command's, BUDGET, unless given)."""
    budget = budget or BUDGET
    shown = shown or Said("revision.commit", commit=commit[:12])
    prefix = prefix_of(repo, root)
    entries = _listing(repo, commit, prefix, budget, shown)
    if not any(e.path == PROCESS_FILE and e.mode in ("100644", "100755") for e in entries):
        raise UsageError(Said("revision.no-process", at=shown, process=prefix or root.name,
                              file=PROCESS_FILE, commit=commit[:12]),
                         hint=Said("revision.no-process-hint"))
    day = commit_day(repo, commit)
    wanted = _wanted(entries)
    held = (len(wanted), sum(entry.size for entry, _ in wanted))  # what git streams
    budget.take(*held, shown)
    try:
        with tempfile.TemporaryDirectory(prefix="copi-at-") as private:
            top = Path(private)
            target = top / "process"
            target.mkdir(mode=0o700)
            _write_tree(repo, wanted, target, top / "not-followed")
            yield Revision(commit, day, target)
    finally:
        budget.give_back(*held)


def _wanted(entries: list[_Entry]) -> list[tuple[_Entry, list[str]]]:
    """The entries to write with their folders and name: outputs, tools' folders and
    submodules left out, a name that could leave the folder refused."""
    wanted: list[tuple[_Entry, list[str]]] = []
    for entry in entries:
        parts = _parts(entry.path)
        if parts is None:
            raise UserError(Said("revision.escaping-name", name=repr(entry.path)),
                            hint=Said("revision.crafted-hint"))
        if any(part in SKIPPED for part in parts[:-1]) or entry.kind != "blob":
            continue  # an output folder, git's or a tool's own, or a submodule
        wanted.append((entry, parts))
    return wanted


def _write_tree(repo: gitrepo.Repo, wanted: list[tuple[_Entry, list[str]]], target: Path,
                nowhere: Path) -> None:
    """Write the files of wanted under target: regular files with their contents, links as
    links to nowhere (nothing from git is ever written at nowhere)."""
    blobs: list[tuple[_Entry, list[str]]] = []
    for entry, parts in wanted:
        folder = target.joinpath(*parts[:-1])
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if entry.mode == "120000":  # a symbolic link: never followed, so it leads nowhere
                os.symlink(nowhere, folder / parts[-1])
                continue
        except OSError as error:  # a name twice, as a file and a folder: a crafted tree
            raise UserError(Said("revision.unreadable", path=entry.path,
                                 reason=os_reason(error)),
                            hint=Said("revision.crafted-hint")) from None
        blobs.append((entry, parts))
    if blobs:
        _stream(repo, blobs, target)


def _stream(repo: gitrepo.Repo, wanted: list[tuple[_Entry, list[str]]], target: Path) -> None:
    """Each blob's contents from one `git cat-file --batch`, written as a new file (never
    through a link); the requests are written by a thread, so neither side waits on a full
    pipe."""
    process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo.root,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    requests = b"".join(entry.oid.encode("ascii") + b"\n" for entry, _ in wanted)

    def ask() -> None:
        with contextlib.suppress(OSError):
            assert process.stdin is not None
            process.stdin.write(requests)
            process.stdin.close()

    writer = threading.Thread(target=ask, daemon=True)
    writer.start()
    try:
        for entry, parts in wanted:
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise EnvironmentProblem(Said("revision.cat-file", path=entry.path),
                                         hint=Said("revision.fsck-hint"))
            size = int(header[2])
            keep = LIMITS.size + 1 if kind_of(entry.path) else size
            try:
                _write_file(process.stdout, target.joinpath(*parts), size, keep)
            except OSError as error:  # a name twice in a crafted tree; a full disk
                raise UserError(Said("revision.unreadable", path=entry.path,
                                     reason=os_reason(error)),
                                hint=Said("revision.space-hint")) from None
            process.stdout.read(1)  # the line break after the contents
    except BaseException:
        process.kill()
        raise
    finally:
        writer.join()
        process.stdout.close()
        process.wait()


def _write_file(stream: IO[bytes], path: Path, size: int, keep: int) -> None:
    """size bytes from stream, the first keep of them into a new file at path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(path, flags, 0o600), "wb") as out:
        left = size
        while left:
            chunk = stream.read(min(left, 1 << 20))
            if not chunk:
                raise EnvironmentProblem(Said("revision.cat-file-stopped", name=path.name),
                                         hint=Said("revision.fsck-hint"))
            if keep > 0:
                out.write(chunk[:keep])
                keep -= len(chunk)
            left -= len(chunk)
