"""The process directory: where it is, which files it holds, and reading each file into a record.

Design:
1. find_root walks up from a directory to the nearest copi.yaml.
2. discover walks the tree once (never following links) and sorts each file into the kind the
   layout (data/layout.json) gives its place; YAML files in no known place are reported, and so
   are links where a file or folder of records belongs and files that are not regular files
   (a FIFO would block the reader for ever).
3. read_regular reads one of them without following a link or blocking, and never more than a
   record may hold (yamlsource.LIMITS): what it opened must be a regular file.
4. a FileResult is one file read and checked (copi_cli.validation.reading makes it): data,
   Markdown body, and the diagnostics. It needs nothing but the file, so files are read in
   parallel and cached.
5. Workspace is the loaded process: records by kind, with lookups the rules and status share.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import NotAProcessError
from copi_cli.resources import load_data

PROCESS_FILE = "copi.yaml"


class FileKind(NamedTuple):
    kind: str
    pattern: str
    schema: str
    label: dict[str, str]
    id_is_file_name: bool = False
    front_matter: bool = False

    @property
    def directory(self) -> str:
        return str(PurePosixPath(self.pattern).parent)


class Layout(NamedTuple):
    kinds: tuple[FileKind, ...]
    ignored_dirs: frozenset[str]
    texts: dict[str, dict]

    def kind(self, name: str) -> FileKind:
        return next(k for k in self.kinds if k.kind == name)


@cache
def load_layout() -> Layout:
    raw = load_data("layout.json")
    return Layout(
        kinds=tuple(FileKind(**entry) for entry in raw["kinds"]),
        ignored_dirs=frozenset(raw["ignored_dirs"]),
        texts=raw["texts"],
    )


def find_root(start: Path) -> Path:
    """The nearest directory at or above start that holds copi.yaml."""
    start = start.resolve()
    if not start.is_dir():
        raise NotAProcessError(str(start))
    for candidate in (start, *start.parents):
        if (candidate / PROCESS_FILE).is_file():
            return candidate
    raise NotAProcessError(str(start))


Fingerprint = tuple[int, int, int, int]  # (mtime_ns, size, inode, ctime_ns)


class Discovered(NamedTuple):
    files: list[tuple[str, FileKind]]  # (relative posix path, kind), sorted
    fingerprints: dict[str, Fingerprint]
    unknown: list[str]  # YAML or Markdown files copi does not know where to put
    links: list[str]  # symbolic links where records belong (a folder's ends in /): not followed
    undecodable: list[str] = []  # names that are not UTF-8, shown with U+FFFD: never read
    special: list[str] = []  # FIFOs, sockets, devices where records belong: never opened


class NotRegular(OSError):
    """What was opened is a FIFO, socket, device or folder, not a file."""


def read_regular(path: Path, limit: int, follow_links: bool = False) -> bytes:
    """The bytes of a regular file, at most limit + 1 of them (more means too big).

    Opened without blocking (a FIFO put in a file's place opens at once and is refused, where
    a plain open waits for a writer for ever) and, unless asked, without following a link
    (ELOOP); the check is on what was opened, so a file swapped after discovery is caught too.
    Raises OSError; NotRegular for anything but a regular file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file (a FIFO, socket, device or "
                                           "folder)")
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def inside(root: Path, relative: str) -> Path | None:
    """The path a record names, or None when it would lead outside the process directory
    (links followed: a link inside that leads out leads out)."""
    if relative.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", relative):
        return None
    target = (root / relative).resolve()
    return target if target.is_relative_to(root.resolve()) else None


def reference_state(root: Path, value: str) -> str:
    """Where a path a record names leads: 'url', 'outside', 'file' (a regular file inside the
    process) or 'missing' (nothing there, not a file, or not a path at all: a name too long,
    a NUL byte). The rule on referenced files and the cached summary judge by this one
    function, so a cached result never passes what a fresh run would refuse."""
    if re.match(r"^[a-z]+://", value):
        return "url"
    try:
        target = inside(root, value)
        if target is None:
            return "outside"
        return "file" if stat.S_ISREG(os.stat(target).st_mode) else "missing"
    except (OSError, ValueError):
        return "missing"


@cache
def record_folders() -> frozenset[str]:
    """Every folder the layout puts records in, and the folders above them."""
    folders = set()
    for known in load_layout().kinds:
        parent = PurePosixPath(known.pattern).parent
        while str(parent) != ".":
            folders.add(str(parent))
            parent = parent.parent
    return frozenset(folders)


def discover(root: Path) -> Discovered:
    """Walk the process directory once, with os.scandir so each file costs one stat.

    This runs on every command, over thousands of files in a large process: the per-entry work
    is kept to dictionary look-ups.
    """
    layout = load_layout()
    exact: dict[str, dict[str, FileKind]] = {}  # directory -> file name -> kind
    by_suffix: dict[str, dict[str, FileKind]] = {}  # directory -> suffix -> kind
    for known in layout.kinds:
        pure = PurePosixPath(known.pattern)
        if "*" in pure.name:
            by_suffix.setdefault(str(pure.parent), {})[pure.suffix] = known
        else:
            exact.setdefault(str(pure.parent), {})[pure.name] = known
    ignored = layout.ignored_dirs
    folders = record_folders()
    files: list[tuple[str, FileKind]] = []
    fingerprints: dict[str, Fingerprint] = {}
    unknown: list[str] = []
    links: list[str] = []
    undecodable: list[str] = []
    special: list[str] = []
    pending = [(str(root), ".")]
    while pending:
        directory, rel_dir = pending.pop()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        here_exact = exact.get(rel_dir, {})
        here_suffix = by_suffix.get(rel_dir, {})
        texts_here = ".md" in here_suffix
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:  # a name that is not UTF-8: reported, never read
                shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                if shown.endswith((".yaml", ".yml", ".md")) or entry.is_dir():
                    undecodable.append(prefix + shown)
                continue
            if entry.is_dir(follow_symlinks=False):
                if name not in ignored and name[0] != ".":
                    pending.append((entry.path, prefix + name))
                continue
            if name[0] == ".":  # .gitlab-ci.yml, .pre-commit-config.yaml: tools' own files
                continue
            rel = prefix + name
            if entry.is_symlink() and name not in ignored and (
                    rel in folders or (rel.split("/", 1)[0] in folders and _is_folder(entry))):
                # records would be read from wherever it leads; a linked folder of the user's
                # own outside the layout (an output folder, say) is never read, so it is left be
                links.append(rel + "/")
                continue
            dot = name.rfind(".")
            suffix = name[dot:] if dot > 0 else ""
            kind = here_suffix.get(suffix) or here_exact.get(name)
            if kind is None:
                if suffix in (".yaml", ".yml") or (suffix == ".md" and texts_here):
                    unknown.append(rel)
            elif entry.is_symlink():
                links.append(rel)
            elif not entry.is_file(follow_symlinks=False):
                special.append(rel)
            else:
                files.append((rel, kind))
                status = entry.stat(follow_symlinks=False)
                fingerprints[rel] = (status.st_mtime_ns, status.st_size, status.st_ino,
                                     status.st_ctime_ns)
    files.sort(key=lambda item: item[0])
    return Discovered(files, fingerprints, sorted(unknown), sorted(links), sorted(undecodable),
                      sorted(special))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # through the link
    except OSError:
        return False


class FileResult(NamedTuple):
    """One file read and checked: the cacheable unit of validation."""

    path: str
    kind: str
    data: Any
    body: str | None
    diagnostics: list[Diagnostic]

    @property
    def valid(self) -> bool:
        """Its values have the types the schema gives them, so rules can rely on them.

        An unknown key (S001) or a domain finding does not change that: the rest of the record
        still takes part in the rules, and every mistake is reported in one run.
        """
        return isinstance(self.data, dict) and not any(
            d.level == "error" and d.code[0] in "YS" and d.code != "S001"
            for d in self.diagnostics
        )


def kind_of(rel: str) -> FileKind | None:
    """The kind of record a file at this relative path would be, if any."""
    pure = PurePosixPath(rel)
    for kind in load_layout().kinds:
        pattern = PurePosixPath(kind.pattern)
        if pattern.name.startswith("*"):
            if pure.parent == pattern.parent and pure.suffix == pattern.suffix:
                return kind
        elif pure == pattern:
            return kind
    return None


class Record(NamedTuple):
    """One readable record. A NamedTuple: a large process makes thousands per run."""

    kind: str
    path: str
    data: dict
    body: str | None
    valid: bool

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass
class Workspace:
    """A loaded process: every record that could be read, valid or not, by kind."""

    root: Path
    records: dict[str, list[Record]]
    paths: dict[str, list[str]]  # every file of each kind, readable or not
    _ids: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_results(cls, root: Path, results: list[FileResult]) -> Workspace:
        records: dict[str, list[Record]] = {}
        paths: dict[str, list[str]] = {}
        for result in results:
            paths.setdefault(result.kind, []).append(result.path)
            if isinstance(result.data, dict):
                records.setdefault(result.kind, []).append(
                    Record(result.kind, result.path, result.data, result.body, result.valid)
                )
        return cls(root, records, paths)

    def all(self, kind: str, valid_only: bool = True) -> list[Record]:
        return [r for r in self.records.get(kind, []) if r.valid or not valid_only]

    def single(self, kind: str) -> Record | None:
        """The record of a one-file kind (copi.yaml, ordliste.yaml …), if readable and valid."""
        found = self.all(kind)
        return found[0] if found else None

    def single_data(self, kind: str) -> dict:
        record = self.single(kind)
        return record.data if record else {}

    def ids(self, kind: str) -> set[str]:
        """Ids of all records of a kind, valid or not, and the file names of one-file records
        that could not be read: a reference to a broken file is not also reported as
        dangling."""
        if kind not in self._ids:
            ids = {r.id for r in self.all(kind, valid_only=False) if r.id}
            if load_layout().kind(kind).id_is_file_name:
                ids.update(path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                           for path in self.paths.get(kind, []))
            self._ids[kind] = ids
        return self._ids[kind]

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r.id: r for r in self.all(kind) if r.id}

    def need_owners(self) -> list[Record]:
        """Organisations that carry demand now: role need-owner, not withdrawn."""
        return [r for r in self.all("organisation")
                if r.data["role"] == "need-owner" and "withdrawn" not in r.data]

    @property
    def process(self) -> dict:
        return self.single_data("process")

    @property
    def language(self) -> str:
        lang = self.process.get("language")
        return lang if lang in ("da", "en") else "da"

    def text(self, document: str) -> Record | None:
        file = load_layout().texts[document]["file"]
        return next((r for r in self.all("text") if r.path == file), None)
