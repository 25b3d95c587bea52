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
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from copi_cli import __version__
from copi_cli.diagnostics import Diagnostic
from copi_cli.workspace import (
    Discovered,
    FileKind,
    FileResult,
    Workspace,
    discover,
    read_file,
)

PARALLEL_FROM = 400  # files; below this, starting workers costs more than it saves
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Report:
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


def cache_dir() -> Path:
    configured = os.environ.get("COPI_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "copi"


def _cache_paths(root: Path) -> tuple[Path, Path]:
    name = hashlib.sha256(str(root).encode()).hexdigest()[:20]
    directory = cache_dir()
    return directory / f"{name}.summary.json", directory / f"{name}.data.json"


def _code_fingerprint() -> int:
    """Newest change to copi's own code or data: an edited checkout must not trust old results."""
    package = Path(__file__).parent
    newest = 0
    for folder in (package, package / "commands", package / "data"):
        for entry in os.scandir(folder):
            newest = max(newest, entry.stat().st_mtime_ns)
    return newest


def _cache_key(today: dt.date) -> str:
    from copi_cli.schemas import schemas_fingerprint

    return (f"{CACHE_FORMAT}|{__version__}|{_code_fingerprint()}|{schemas_fingerprint()}|"
            f"{today.isoformat()}")


def _referenced_files(workspace: Workspace) -> dict[str, bool]:
    """Files the records point at, and whether each exists: rules depend on them too."""
    from copi_cli.rules import FILE_REFERENCES, inside, walk

    found = {}
    for kind, pattern in FILE_REFERENCES:
        for record in workspace.all(kind):
            for _, value in walk(record.data, pattern):
                if isinstance(value, str) and "://" not in value:
                    target = inside(workspace.root, value)
                    if target is not None:
                        found[value] = target.is_file()
    return found


def _load_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
        return value if isinstance(value, dict) else None
    except (OSError, ValueError):
        return None


def _write_json(path: Path, value: dict) -> None:
    """Write atomically; a cache that cannot be written is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        pass


def _read_chunk(root: str, items: list[tuple[str, FileKind]]) -> list[FileResult]:
    return [read_file(Path(root), rel, kind) for rel, kind in items]


def _read_all(root: Path, items: list[tuple[str, FileKind]], jobs: int) -> list[FileResult]:
    if jobs <= 1 or len(items) < PARALLEL_FROM:
        return _read_chunk(str(root), items)
    import multiprocessing

    size = -(-len(items) // (jobs * 4))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        results = pool.map(_read_chunk, [str(root)] * len(chunks), chunks)
        return [result for chunk in results for result in chunk]


def _workspace_findings(found: Discovered) -> list[Diagnostic]:
    findings = []
    for rel in found.unknown:
        hint = ("copi reads .yaml, not .yml: rename the file" if rel.endswith(".yml")
                else "move it where its kind belongs (see README: the workspace layout), "
                "or into materialer/ if it is material")
        findings.append(Diagnostic(rel, 1, 1, "W001", "copi does not know this file", hint))
    for rel in found.links:
        findings.append(Diagnostic(
            rel, 1, 1, "Y005", "is a symbolic link; copi reads only files inside the process",
            hint="replace the link by the file itself"))
    return findings


def validate(root: Path, *, today: dt.date | None = None, want_workspace: bool = False,
             use_cache: bool = True, jobs: int | None = None) -> Report:
    """Validate the process at root: every finding, sorted by place."""
    today = today or dt.date.today()
    found = discover(root)
    key = _cache_key(today)
    summary_path, data_path = _cache_paths(root)
    summary = _load_json(summary_path) if use_cache else None
    if summary and summary.get("key") != key:
        summary = None
    current = {rel: list(fp) for rel, fp in found.fingerprints.items()}
    if (summary and summary.get("fingerprints") == current and not want_workspace
            and all((root / rel).is_file() == exists
                    for rel, exists in summary.get("referenced", {}).items())):
        diagnostics = [Diagnostic.from_dict(d) for d in summary["diagnostics"]]
        return Report(root, diagnostics, len(found.files), None)

    cached_files = {}
    if summary:
        data = _load_json(data_path)
        if data and data.get("key") == key:
            cached_files = data.get("files", {})
    results: dict[str, FileResult] = {}
    stale: list[tuple[str, FileKind]] = []
    for rel, kind in found.files:
        entry = cached_files.get(rel)
        if entry and entry.get("fp") == current[rel] and entry.get("kind") == kind.kind:
            results[rel] = FileResult(
                rel, kind.kind, entry["data"], entry["body"],
                [Diagnostic.from_dict(d) for d in entry["diagnostics"]])
        else:
            stale.append((rel, kind))
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    for result in _read_all(root, stale, jobs):
        results[result.path] = result
    ordered = [results[rel] for rel, _ in found.files]

    from copi_cli.rules import check_rules

    workspace = Workspace.from_results(root, ordered)
    diagnostics = [d for result in ordered for d in result.diagnostics]
    diagnostics += _workspace_findings(found)
    diagnostics += check_rules(workspace, today)
    diagnostics.sort(key=Diagnostic.sort_key)

    if use_cache:
        _write_json(data_path, {"key": key, "files": {
            r.path: {"fp": current[r.path], "kind": r.kind, "data": r.data, "body": r.body,
                     "diagnostics": [d.as_dict() for d in r.diagnostics]}
            for r in ordered
        }})
        _write_json(summary_path, {"key": key, "fingerprints": current,
                                   "referenced": _referenced_files(workspace),
                                   "diagnostics": [d.as_dict() for d in diagnostics]})
    return Report(root, diagnostics, len(found.files), workspace if want_workspace else None)
