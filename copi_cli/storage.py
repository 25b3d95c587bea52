"""Files copi writes itself: written whole or not at all, and copi's cache directory.

The cache lives outside every process directory (a process repo is shared and its contents are
not trusted) and holds JSON results, each carrying the key it was made for (copi's code and
the inputs, checked by the caller): never code. A file there that is missing, torn or stale only
means work done again. Its `git/` folder holds the clones of a portfolio's remotes
(copi_cli.portfolio.sources): process files read as the untrusted text they are, with git's
hooks switched off in each clone's config.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path


def write_atomically(path: Path, content: bytes, alone: bool = False) -> None:
    """Replace path in one step: readers see the old file or the new one, never half of one.

    The temporary file is made new (O_EXCL, O_NOFOLLOW), never opened through a link or over a
    file someone put there. alone: for the user alone (0600), whatever the umask.
    """
    temporary = path.with_name(f".{path.name}.copi-{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    mode = 0o600 if alone else 0o666
    try:
        try:
            descriptor = os.open(temporary, flags, mode)
        except FileExistsError:  # left by a copi that was stopped, or put there
            os.unlink(temporary)
            descriptor = os.open(temporary, flags, mode)
        with open(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def link_on_the_way(top: Path, path: Path) -> Path | None:
    """The first symbolic link on the way from top down to path (path itself included), or
    None: copi writes into a process only through its real folders, so a committed link
    (`.copi -> /elsewhere`) cannot send a write outside it. Parts that do not exist yet are
    no link."""
    current = top
    for part in path.relative_to(top).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def read_kept(raw: bytes) -> tuple[str, tuple[bool, bool]]:
    """A file's UTF-8 text with \\n line ends, and how it was written (a byte-order mark,
    \\r\\n) so that written_as gives it back: an edit must not change every line of a file
    saved on Windows. Raises UnicodeDecodeError for text that is not UTF-8."""
    text = raw.decode("utf-8")
    style = (text.startswith("\ufeff"), "\r\n" in text)
    return text.removeprefix("\ufeff").replace("\r\n", "\n"), style


def written_as(text: str, style: tuple[bool, bool]) -> bytes:
    """Text with \\n line ends as bytes written the way read_kept found the file."""
    bom, crlf = style
    return (("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
            ).encode("utf-8")


def cache_dir() -> Path:
    configured = os.environ.get("COPI_CACHE_DIR")
    if configured:
        return Path(configured).absolute()
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG spec says to ignore it
        base = os.path.join(Path.home(), ".cache")
    return Path(base) / "copi"


def load_cached(path: Path) -> dict | None:
    """A JSON object from the cache, or None when it is missing or not one; the caller checks
    the key inside.

    Only a file of the user's own that no one else may write counts: a cached result decides
    whether a process passes its checks, so one planted in a shared cache directory must not.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with open(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
                return None
            value = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def store_cached(path: Path, value: object) -> None:
    """Keep a JSON value in the cache, for the user alone (the directory 0700 where copi makes
    it, the file 0600); a cache that cannot be written is simply not kept."""
    # json.dumps (the C encoder) and one write: json.dump streams through the slow
    # pure-Python encoder.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(path, text.encode("utf-8"), alone=True)
