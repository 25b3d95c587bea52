"""Files copi writes itself: written whole or not at all, and copi's cache directory.

The cache lives outside every process directory (a process repo is shared and its contents are
not trusted) and holds plain JSON; anything wrong with it only means work done again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_atomically(path: Path, content: bytes) -> None:
    """Replace path in one step: readers see the old file or the new one, never half of one."""
    temporary = path.with_name(f".{path.name}.copi-{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def cache_dir() -> Path:
    configured = os.environ.get("COPI_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "copi"


def load_cached(path: Path) -> dict | None:
    """A JSON object from the cache, or None when it is missing or not what copi wrote."""
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
        return value if isinstance(value, dict) else None
    except (OSError, ValueError):
        return None


def store_cached(path: Path, value: object) -> None:
    """Keep a JSON value in the cache; a cache that cannot be written is simply not kept."""
    # json.dumps (the C encoder) and one write: json.dump streams through the slow
    # pure-Python encoder.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"))
    except OSError:
        pass
