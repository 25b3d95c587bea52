"""Files copi writes itself: written whole or not at all, and copi's cache directory.

The cache lives outside every process directory (a process repo is shared and its contents are
not trusted) and holds plain JSON, plus compiled code (schema validators, templates) that copi
runs only from a directory no one else can write; anything wrong with it only means work done
again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from functools import cache
from pathlib import Path


def write_atomically(path: Path, content: bytes, alone: bool = False,
                     directory: int | None = None) -> None:
    """Replace path in one step: readers see the old file or the new one, never half of one.

    The temporary file is made new, never opened through a link or over a file someone put
    there. alone: for the user alone (0600), as read_cached wants what it trusts, whatever the
    umask (with 002, usual where each user has a group of their own, files are made writable
    by the group). directory: an open directory that path's name is taken in, so that the
    temporary file and path are in the one directory that was checked.
    """
    temporary = path.with_name(f".{path.name}.copi-{os.getpid()}.tmp")
    if directory is not None:
        path, temporary = Path(path.name), Path(temporary.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    mode = 0o600 if alone else 0o666
    try:
        try:
            descriptor = os.open(temporary, flags, mode, dir_fd=directory)
        except FileExistsError:  # left by a copi that was stopped, or put there
            os.unlink(temporary, dir_fd=directory)
            descriptor = os.open(temporary, flags, mode, dir_fd=directory)
        with open(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path, src_dir_fd=directory, dst_dir_fd=directory)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary, dir_fd=directory)


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


_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def _cache_directory(path: Path, alone: bool) -> int | None:
    """The directory holding path in copi's cache, opened from the cache directory down one
    step at a time without following a link, each step the user's own and, with alone,
    writable by no one else; None otherwise (not in the cache, or not so). The caller closes
    it. Judged on what is opened, not by name: someone who may write a directory above could
    otherwise put a directory of theirs, or a link to another of the user's, in its place."""
    root = cache_dir()
    try:
        steps = path.parent.relative_to(root).parts
        if not _kept_safe(str(root)):
            return None
        descriptor = os.open(root, _DIRECTORY)
    except (ValueError, OSError):
        return None
    try:
        for step in (None, *steps):
            if step is not None:
                inner = os.open(step, _DIRECTORY, dir_fd=descriptor)
                os.close(descriptor)
                descriptor = inner
            status = os.fstat(descriptor)
            if status.st_uid != os.getuid() or (alone and _open_to_others(status)):
                break
        else:
            return descriptor
    except OSError:
        pass
    os.close(descriptor)
    return None


def _open_to_others(status: os.stat_result) -> bool:
    """Whether someone other than the user may write it: a group or anyone. Even the user's
    own primary group may have other members, so group-write counts as open, as OpenSSH
    counts it."""
    return bool(status.st_mode & 0o022)


_SAFE: set[str] = set()  # cache directories found safe in this run


def _kept_safe(root: str) -> bool:
    """Whether no one but the user and root can change what root names: each directory on the
    way to it, as named and as links resolve it, belongs to root or the user and no one else
    may write it unless it is sticky (then no one may move another's entries), and each link
    on the way belongs to root or the user (as OpenSSH checks its keys' paths). Otherwise
    someone could point the way at a directory of the user's own filled by others, such as a
    process checkout. Directories not there yet are judged by the way to them, so that copi
    makes none through a link someone else put on the way. Once found safe with every
    directory there, not asked again in the run: what only root and the user can change
    stays put."""
    if root in _SAFE:
        return True
    user = os.getuid()
    complete = True
    for named in (Path(root).absolute(), Path(os.path.realpath(root))):
        for step in reversed(named.parents):
            try:
                status = os.lstat(step)
            except FileNotFoundError:  # not made yet: what lies on the way to it decides
                complete = False
                break
            except OSError:  # not to be looked at
                return False
            if status.st_uid not in (0, user) or (
                    stat.S_ISDIR(status.st_mode) and _open_to_others(status)
                    and not status.st_mode & stat.S_ISVTX):
                return False
    if complete:
        _SAFE.add(root)
    return True


def write_cached(path: Path, content: bytes) -> None:
    """Keep content at path in copi's cache, for the user alone (the file 0600, the cache
    directory and the one holding path 0700 where copi makes them), as read_cached wants it
    whatever the umask, and only in a directory that is the user's, reached by a way no one
    else can change (nothing is made on another way); OSError otherwise."""
    root = cache_dir()
    if hasattr(os, "getuid") and not _kept_safe(str(root)):
        raise OSError(f"the way to {root} could be changed by someone else")
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not hasattr(os, "getuid"):  # Windows: the cache is in the user's own profile
        write_atomically(path, content, alone=True)
        return
    directory = _cache_directory(path, alone=False)
    if directory is None:
        raise OSError(f"{path.parent} is not a directory of the user's own in copi's cache")
    try:
        write_atomically(path, content, alone=True, directory=directory)
    finally:
        os.close(directory)


def read_cached(path: Path, private: bool = True) -> bytes | None:
    """path's bytes from copi's cache if the file is the user's alone (owned, written by no
    one else, not a link) and the directories down to it from the cache directory are the
    user's own and, if private, writable by no one else; None otherwise, or if it cannot be
    read. What copi runs (compiled code) or believes (git's answers) is read private: in a
    directory no one else may write no file of the user's can be swapped for another. A
    result that copi checks against the key inside needs only to be the user's own file.
    """
    if not hasattr(os, "getuid"):  # Windows: the cache is in the user's own profile
        try:
            return path.read_bytes()
        except OSError:
            return None
    directory = _cache_directory(path, alone=private)
    if directory is None:
        return None
    try:
        with open(os.open(path.name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0),
                          dir_fd=directory), "rb") as handle:
            status = os.fstat(handle.fileno())
            if stat.S_ISREG(status.st_mode) and status.st_uid == os.getuid() and \
                    not _open_to_others(status):
                return handle.read()
            return None
    except OSError:
        return None
    finally:
        os.close(directory)


@cache
def code_fingerprint() -> str:
    """Changes with copi's code, data and schemas: an edited checkout must not trust old
    results. Modification times and sizes, not contents: this runs on every validation."""
    from copi_cli.resources import shipped_dir

    package = Path(__file__).parent
    digest = hashlib.sha256()
    for folder in (package, package / "commands", package / "data", shipped_dir("schemas")):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_dir():
                continue  # __pycache__ changes when bytecode is written, not when copi does
            status = entry.stat()
            digest.update(f"{entry.name}:{status.st_mtime_ns}:{status.st_size};".encode())
    return digest.hexdigest()[:16]


def load_cached(path: Path) -> dict | None:
    """A JSON object from the cache, or None when it is missing, not the user's own or not
    what copi wrote (its key, inside, is checked by the caller)."""
    data = read_cached(path, private=False)
    try:
        value = json.loads(data) if data is not None else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def store_cached(path: Path, value: object) -> None:
    """Keep a JSON value in the cache; a cache that cannot be written is simply not kept."""
    # json.dumps (the C encoder) and one write: json.dump streams through the slow
    # pure-Python encoder.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    with contextlib.suppress(OSError):
        write_cached(path, text.encode("utf-8"))
