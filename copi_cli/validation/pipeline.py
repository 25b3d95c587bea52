"""Validating a process: the pipeline, made fast by a cache and two processes.

Design:
1. discover the files (one stat each) and compare their fingerprints with the cache.
2. Nothing changed (same files, same copi version, schemas and day): return the stored findings.
3. Otherwise read and schema-check only the files that changed (in worker processes when there
   are many), take the others' data from the cache, and run the domain rules over the whole
   workspace (they need every record: references cross files).
4. Store the result. The cache lives outside the process directory (a process repo is shared and
   its contents are not trusted) and holds plain JSON; any problem with it means a full run.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from copi_cli import __version__
from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said
from copi_cli.model.workspace import (
    Discovered,
    FileKind,
    FileResult,
    Workspace,
    discover,
    kind_of,
    reference_state,
)
from copi_cli.resources import code_fingerprint
from copi_cli.storage import cache_dir, load_cached, store_cached

# Told how far long work has come: (what is being done, how much of it is done, of how much, or
# None when that is not known). A person at a terminal sees it; the core never knows.
Progress = Callable[[str, int, "int | None"], None]
PARALLEL_FROM = 400  # files; below this, starting workers costs more than it saves
CACHE_FORMAT = 6  # 6: a catalogue message is kept as its id and values (Diagnostic.as_data)


class Report(NamedTuple):
    root: Path
    diagnostics: list[Diagnostic]
    files: int
    workspace: Workspace | None  # None unless asked for

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]


def cache_key(today: dt.date) -> str:
    """What a cached result was made under: copi's code, data and schemas, and the day."""
    return f"{CACHE_FORMAT}|{__version__}|{code_fingerprint()}|{today.isoformat()}"


def state_digest(workspace: Workspace) -> str:
    """The records of a process as read (every file's data, and whether it is valid), as a
    digest: what is made from the records alone — the audience's view of them — is kept under
    it, and any change to any record makes another. The texts' bodies are not in it."""
    import json

    records = [[kind, record.path, record.valid, record.data]
               for kind in sorted(workspace.records) for record in workspace.records[kind]]
    text = json.dumps(records, ensure_ascii=False, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_path(root: Path, part: str) -> Path:
    """The file in copi's cache where part of what is kept for the process at root lives."""
    return cache_dir() / f"{hashlib.sha256(str(root).encode()).hexdigest()[:20]}.{part}.json"


def _referenced_files(workspace: Workspace) -> dict[str, str]:
    """Files the records point at, and where each leads (referenced_state): the rules
    depend on them too, so a cached result holds only while each leads where it did."""
    from copi_cli.validation.rules import FILE_REFERENCES, walk

    found = {}
    for kind, pattern in FILE_REFERENCES:
        for record in workspace.all(kind):
            for _, value in walk(record.data, pattern):
                if isinstance(value, str) and value not in found:
                    found[value] = reference_state(workspace.root, value)
    return found




def _read_chunk(root: str, items: list[tuple[str, FileKind]], today: dt.date,
                ) -> list[FileResult]:
    # Reading loads YAML, the schemas and the file rules: imported only when a file is read,
    # so a validation or status that finds nothing changed does without them.
    from copi_cli.validation.reading import read_file

    return [read_file(Path(root), rel, kind, today) for rel, kind in items]


def _read_text(root: Path, rel: str, kind: FileKind, text: str, today: dt.date) -> FileResult:
    """A file as it would be with this text, read without writing it."""
    from copi_cli.validation.reading import read_file  # see _read_chunk

    return read_file(root, rel, kind, today, text=text)


def _read_all(root: Path, items: list[tuple[str, FileKind]], jobs: int,
              today: dt.date, progress: Progress | None = None) -> list[FileResult]:
    if not items:
        return []
    if progress is not None:
        progress("reading", 0, len(items))
    if jobs <= 1 or len(items) < PARALLEL_FROM:
        if progress is None:
            return _read_chunk(str(root), items, today)
        read: list[FileResult] = []
        for start in range(0, len(items), 50):
            read += _read_chunk(str(root), items[start:start + 50], today)
            progress("reading", len(read), len(items))
        return read
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(items) // (jobs * 4))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        results = pool.map(_read_chunk, [str(root)] * len(chunks), chunks,
                           [today] * len(chunks))
        read = []
        for chunk in results:
            read += chunk
            if progress is not None:
                progress("reading", len(read), len(items))
        return read


def _workspace_findings(found: Discovered) -> list[Diagnostic]:
    findings = []
    for rel in found.unknown:
        hint = Said("finding.w001.yml" if rel.endswith(".yml") else "finding.w001.hint")
        findings.append(Diagnostic(rel, 1, 1, "W001", Said("finding.w001.unknown"), hint))
    for rel in found.undecodable:
        findings.append(Diagnostic(rel, 1, 1, "Y005", Said("finding.y005.name-not-utf8"),
                                   hint=Said("finding.y005.name-not-utf8-hint")))
    for rel in found.links:
        if rel.endswith("/"):
            findings.append(Diagnostic(
                rel[:-1], 1, 1, "Y005", Said("finding.y005.folder-link"),
                hint=Said("finding.y005.replace-folder-link")))
        else:
            findings.append(Diagnostic(
                rel, 1, 1, "Y005", Said("finding.y005.link"),
                hint=Said("finding.y005.replace-link")))
    for rel in found.special:
        findings.append(Diagnostic(
            rel, 1, 1, "Y005", Said("finding.y005.not-regular"),
            hint=Said("finding.y005.replace-by-file")))
    return findings


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Loading thousands of records creates containers by the hundred thousand, and the cyclic
    garbage collector would walk them over and over (a third of the load time); none of them
    form cycles that need it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate(root: Path, *, today: dt.date | None = None, want_workspace: bool = False,
             use_cache: bool = True, jobs: int | None = None,
             changes: dict[str, str] | None = None,
             progress: Progress | None = None) -> Report:
    """Validate the process at root: every finding, sorted by place.

    changes (relative path -> text) validates the process as it would be with those files
    written, without writing them: recording commands check what they write before writing.
    progress is told as files are read and the rules run (a cold run of a large process
    takes seconds).
    """
    with _without_cyclic_gc():
        return _validate(root, today or dt.date.today(), want_workspace, use_cache, jobs,
                         changes or {}, progress)


def _with_changes(found: Discovered, changes: dict[str, str]) -> Discovered:
    files = dict(found.files)
    for rel in changes:
        kind = kind_of(rel)
        assert kind is not None, f"{rel} is no place for a record"
        files[rel] = kind
    fingerprints = {rel: fp for rel, fp in found.fingerprints.items() if rel not in changes}
    return Discovered(sorted(files.items()), fingerprints, found.unknown, found.links,
                      found.undecodable, [rel for rel in found.special if rel not in changes])


def _validate(root: Path, today: dt.date, want_workspace: bool, use_cache: bool,
              jobs: int | None, changes: dict[str, str],
              progress: Progress | None = None) -> Report:
    found = discover(root)
    if changes:
        found = _with_changes(found, changes)
    current = {rel: list(fp) for rel, fp in found.fingerprints.items()}
    for rel in changes:
        current[rel] = [-1, -1, -1, -1]  # never a cache hit, and never stored
    cache = _Cache(root, cache_key(today)) if use_cache else None
    summary = cache.summary() if cache else None
    unchanged = bool(
        summary and summary.get("fingerprints") == current
        and summary.get("unknown") == found.unknown and summary.get("links") == found.links
        and summary.get("undecodable", []) == found.undecodable
        and summary.get("special", []) == found.special
        and isinstance(summary.get("referenced"), dict)
        and all(reference_state(root, rel) == state
                for rel, state in summary["referenced"].items()))
    if unchanged and summary and not want_workspace:
        diagnostics = [Diagnostic.from_dict(d) for d in summary["diagnostics"]]
        return Report(root, diagnostics, len(found.files), None)

    cached_files = cache.files() if cache and summary else {}
    results: dict[str, FileResult] = {}
    stale: list[tuple[str, FileKind]] = []
    for rel, kind in found.files:
        entry = cached_files.get(rel)
        if (isinstance(entry, dict) and entry.get("fingerprint") == current[rel]
                and entry.get("kind") == kind.kind
                and isinstance(entry.get("diagnostics"), list)):
            results[rel] = FileResult(rel, kind.kind, entry.get("data"), entry.get("body"),
                                      [Diagnostic.from_dict(d) for d in entry["diagnostics"]])
        else:
            stale.append((rel, kind))
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    for result in _read_all(root, [item for item in stale if item[0] not in changes], jobs,
                            today, progress):
        results[result.path] = result
    kinds = dict(found.files)  # the changes' kinds too: _with_changes put them there
    for rel, text in changes.items():
        results[rel] = _read_text(root, rel, kinds[rel], text, today)
    ordered = [results[rel] for rel, _ in found.files]
    workspace = Workspace.from_results(root, ordered)
    if unchanged and not stale:
        # Nothing changed since the stored findings: the workspace is all that is new here.
        assert summary is not None
        diagnostics = [Diagnostic.from_dict(d) for d in summary["diagnostics"]]
        return Report(root, diagnostics, len(found.files), workspace)

    from copi_cli.validation.rules import check_rules

    if progress is not None:
        progress("checking", 0, None)
    diagnostics = [d for result in ordered for d in result.diagnostics]
    diagnostics += _workspace_findings(found)
    diagnostics += check_rules(workspace, today, changes)
    diagnostics.sort(key=Diagnostic.sort_key)

    if cache and not changes:
        changed = {rel for rel, _ in stale} | (set(cached_files) - set(current))
        cache.store(ordered, current, changed, rewrite_all=not cached_files)
        cache.store_summary({"fingerprints": current, "unknown": found.unknown,
                             "links": found.links, "undecodable": found.undecodable,
                             "special": found.special,
                             "referenced": _referenced_files(workspace),
                             "diagnostics": [d.as_data() for d in diagnostics]})
    return Report(root, diagnostics, len(found.files), workspace if want_workspace else None)


class _Cache:
    """The cache of one process: a summary and the files' data in shards.

    Sharding by path means one edited file rewrites a sixteenth of the data, not all of it.
    """

    SHARDS = 16

    def __init__(self, root: Path, key: str) -> None:
        self.key = key
        name = hashlib.sha256(str(root).encode()).hexdigest()[:20]
        self.directory = cache_dir()
        self.prefix = name

    def _path(self, part: str) -> Path:
        return self.directory / f"{self.prefix}.{part}.json"

    @classmethod
    def shard(cls, rel: str) -> int:
        return zlib.crc32(rel.encode()) % cls.SHARDS

    def summary(self) -> dict | None:
        summary = load_cached(self._path("summary"))
        return summary if summary and summary.get("key") == self.key else None

    def files(self) -> dict[str, dict]:
        """Every cached file entry; empty when any shard is missing or stale (a full run)."""
        files: dict[str, dict] = {}
        for index in range(self.SHARDS):
            shard = load_cached(self._path(f"data-{index:02d}"))
            if not shard or shard.get("key") != self.key or not isinstance(
                    shard.get("files"), dict):
                return {}
            files.update(shard["files"])
        return files

    def store(self, results: list[FileResult], fingerprints: dict[str, list[int]],
              changed: set[str], rewrite_all: bool) -> None:
        dirty = set(range(self.SHARDS)) if rewrite_all else {self.shard(p) for p in changed}
        shards: dict[int, dict[str, dict]] = {index: {} for index in dirty}
        for r in results:
            shard = shards.get(self.shard(r.path))
            if shard is not None:
                shard[r.path] = {"fingerprint": fingerprints[r.path], "kind": r.kind,
                                 "data": r.data, "body": r.body,
                                 "diagnostics": [d.as_data() for d in r.diagnostics]}
        for index, files in sorted(shards.items()):
            store_cached(self._path(f"data-{index:02d}"), {"key": self.key, "files": files})

    def store_summary(self, summary: dict) -> None:
        store_cached(self._path("summary"), {"key": self.key, **summary})
