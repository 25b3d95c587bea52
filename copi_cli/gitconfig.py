"""git's configuration, read from its files as git reads them, for the few settings a change
needs: who is acting and how git tidies up after a commit.

Why not ask `git config`: that costs a shell and a git process on every advance, ~2 ms of CPU,
which on a busy machine is much of what an advance may spend beyond `copi status` (README,
Speed). The files are small and their syntax is git's own (config.c, git_parse_source): read
here in a few hundredths of a millisecond.

Where copi cannot be sure to read what git reads, it says so (None) and git is asked, as
before: an include, settings passed in the environment (`git -c`, GIT_CONFIG_COUNT), another
git directory named in the environment, a repository git may refuse (another user's, a format
or extension it may not know), per-worktree configuration, a relative path or one git would
tidy first, a file it cannot read, a line git would refuse, or a system file whose place git
has not yet told.
"""

import os
from collections.abc import Callable, Sequence
from pathlib import Path

_SPACE = frozenset(b" \t\n\r")  # git's own isspace (git-compat-util.h), not the C locale's
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_KEY = _ALPHA | frozenset(b"0123456789-")
_ESCAPES = {ord("n"): ord("\n"), ord("t"): ord("\t"), ord("b"): ord("\b"),
            ord("\\"): ord("\\"), ord('"'): ord('"')}
_BOM = b"\xef\xbb\xbf"
# Settings copi cannot follow by reading files; where one is set, git is asked.
_ENVIRONMENT = ("GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_DIR", "GIT_COMMON_DIR")
# GIT_CONFIG_NOSYSTEM as git reads a boolean; numbers but 0 and 1 are left to git (octal,
# units, ranges).
_BOOLEANS = {"": False, "false": False, "no": False, "off": False, "0": False,
             "true": True, "yes": True, "on": True, "1": True}
_FORMATS = (b"0", b"1")  # core.repositoryformatversion


class Unsure(Exception):
    """copi cannot be sure it reads what git reads."""


def settings(common_dir: Path, system_file: str | None, wanted: Callable[[str], bool],
             owned: Sequence[Path] = ()) -> dict[str, str | None] | None:
    """The last value of each wanted key (None for a key written without a value), read from
    the system, global and repository files in git's order; None where git must be asked.

    system_file is where this git keeps its system configuration, as git told it (copi's
    cache keeps it per git executable), or None when it has not been told. owned are the
    repository's directories and files that git requires to belong to the user running it
    (safe.directory decides otherwise): where one does not, git is asked.
    """
    if any(name in os.environ for name in _ENVIRONMENT) or not _owned(owned):
        return None
    found: dict[str, str | None] = {}
    try:
        for path in _files(common_dir, system_file):
            data = _read(path)
            if data is not None:
                _parse(data, wanted, found)
    except (Unsure, IndexError):  # IndexError: a line that ends where git would refuse it
        return None
    return found


def _owned(paths: Sequence[Path]) -> bool:
    """Whether each path that exists belongs to the user running copi, as git checks it."""
    user = os.geteuid() if hasattr(os, "geteuid") else None
    for path in paths:
        try:
            if os.lstat(path).st_uid != user:
                return False
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True


def _files(common_dir: Path, system_file: str | None) -> list[str]:
    """The files git reads, in its order (config.c, do_git_config_sequence)."""
    files = []
    no_system = os.environ.get("GIT_CONFIG_NOSYSTEM")
    if no_system is None or not _boolean(no_system):
        system = os.environ.get("GIT_CONFIG_SYSTEM", system_file)
        if system is None or ".." in system.split("/"):  # git tidies `a/../b` before opening
            raise Unsure
        files.append(system)
    home = os.environ.get("HOME")
    if "GIT_CONFIG_GLOBAL" in os.environ:
        files.append(os.environ["GIT_CONFIG_GLOBAL"])
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        if xdg:
            files.append(f"{xdg}/git/config")
        elif home is not None:
            files.append(f"{home}/.config/git/config")
        if home is not None:
            files.append(f"{home}/.gitconfig")
    files.append(str(common_dir / "config"))
    for path in files:
        if path and not os.path.isabs(path):  # relative to where git runs: not guessed at
            raise Unsure
    return files


def _boolean(value: str) -> bool:
    """GIT_CONFIG_NOSYSTEM as git reads it."""
    word = value.lower()
    if word not in _BOOLEANS:
        raise Unsure  # git reads other numbers (octal, units) or refuses: it may say
    return _BOOLEANS[word]


def _read(path: str) -> bytes | None:
    """The file's bytes; None where git skips it (no file there, or an empty path)."""
    if not path:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:  # unreadable, or a directory: git warns, skips or refuses
        raise Unsure from None


def _parse(data: bytes, wanted: Callable[[str], bool], found: dict[str, str | None]) -> None:
    """Add the wanted keys of one file to found, reading as config.c reads: sections `[name]`,
    `[name "subsection"]` and `[name.subsection]`, keys with or without `= value`, values with
    quotes, escapes, comments and continued lines. Raises Unsure on what git would refuse, on
    includes and per-worktree configuration, which bring in files of their own, and on a
    repository format or extension git may not know (it then ignores the file or refuses)."""
    if b"\0" in data:
        raise Unsure
    if data.startswith(_BOM):
        data = data[3:]
    elif data[:1] == _BOM[:1]:
        raise Unsure  # git refuses a partial byte order mark
    # git reads \r\n as \n, and its end as \n (again after a continued line)
    text = data.replace(b"\r\n", b"\n") + b"\n\n"
    end = len(text)
    section = b""
    at = 0
    while at < end:
        char = text[at]
        at += 1
        if char in _SPACE:
            continue
        if char in b"#;":
            at = text.index(b"\n", at) + 1
            continue
        if char == ord("["):
            section, at = _section(text, at)
            continue
        if char not in _ALPHA or not section:
            raise Unsure
        start = at - 1
        while text[at] in _KEY:
            at += 1
        key = (section + b"." + text[start:at].lower()).decode("utf-8", "surrogateescape")
        while text[at] in b" \t":
            at += 1
        value: bytes | None = None
        if text[at] == ord("\n"):
            at += 1
        elif text[at] == ord("="):
            value, at = _value(text, at + 1)
        else:
            raise Unsure
        if (key.startswith(("include.", "includeif.", "extensions."))
                or (key == "core.repositoryformatversion" and value not in _FORMATS)):
            raise Unsure
        if wanted(key):
            found[key] = None if value is None else value.decode("utf-8", "surrogateescape")


def _section(text: bytes, at: int) -> tuple[bytes, int]:
    """A section header after its `[`: the name (lowercased, with `."subsection"` kept as
    written) and where reading goes on."""
    name = bytearray()
    while True:
        char = text[at]
        at += 1
        if char == ord("]"):
            if not name:
                raise Unsure
            return bytes(name), at
        if char in _SPACE:
            break
        if char not in _KEY and char != ord("."):
            raise Unsure
        name.append(char | 0x20 if char in _ALPHA else char)
    while char in _SPACE:  # [name "subsection"]
        if char == ord("\n"):
            raise Unsure
        char = text[at]
        at += 1
    if char != ord('"') or not name:
        raise Unsure
    name.append(ord("."))
    while True:
        char = text[at]
        at += 1
        if char == ord("\n"):
            raise Unsure
        if char == ord('"'):
            break
        if char == ord("\\"):
            char = text[at]
            at += 1
            if char == ord("\n"):
                raise Unsure
        name.append(char)
    if text[at] != ord("]"):
        raise Unsure
    return bytes(name), at + 1


def _value(text: bytes, at: int) -> tuple[bytes, int]:
    """A value after its `=`, as config.c's parse_value reads it, and where reading goes on."""
    value = bytearray()
    quoted = comment = False
    spaces = 0
    while True:
        char = text[at]
        at += 1
        if char == ord("\n"):
            if quoted:
                raise Unsure
            return bytes(value), at
        if comment:
            continue
        if char in _SPACE and not quoted:
            if value:
                spaces += 1
            continue
        if not quoted and char in b"#;":
            comment = True
            continue
        value += b" " * spaces
        spaces = 0
        if char == ord("\\"):
            char = text[at]
            at += 1
            if char == ord("\n"):
                continue
            if char not in _ESCAPES:
                raise Unsure
            value.append(_ESCAPES[char])
        elif char == ord('"'):
            quoted = not quoted
        else:
            value.append(char)
