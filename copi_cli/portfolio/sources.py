"""Where a portfolio's processes are: a portfolio file's lines, and git remotes made local.

A portfolio file (YAML, schemas/portfolio.schema.json) lists the repositories of a portfolio,
one entry each: `path:` a local folder (relative to the file's folder), or `url:` a git remote
with an optional `ref:` (branch or tag; the remote's default branch when left out), `dir:` (the
process folder inside the repository) and `name:` (what the report line calls it).

Design:
1. read_portfolio reads the file with copi's safe YAML reader (limits, duplicate keys) and its
   schema; any mistake refuses the whole file at its line: a portfolio file is the user's own.
2. locate makes each Source local, in parallel, and never raises: what the line asks for that
   copi refuses (a password in the URL, a protocol other than https, ssh, git and file, a URL or
   ref read as an option, a `dir:` leading out) or that fails (clone, fetch, a missing ref)
   becomes the Located's problem, reported on that line.
3. A remote is asked of git, never re-implemented: a blob-less bare clone per URL and ref in
   copi's cache (a folder named by a hash of both), fetched again when asked, and each commit
   checked out once into a detached worktree of its own (trees/<commit>) that is never changed
   afterwards, so a copi reading one while another fetches reads one commit whole.
4. Two copis on one cache entry take turns (the lock of copi_cli.trail.locking in the entry's
   folder); a clone or worktree is made under a temporary name and renamed when complete, so
   one left by a copi that was stopped is never taken for a whole one.
5. A fetch that fails leaves the last copy in use, with the problem saying how old it is.

The clone is untrusted input: git runs without a terminal (GIT_TERMINAL_PROMPT=0, a session of
its own), within a timeout, with only the allowed protocols (GIT_ALLOW_PROTOCOL), without hooks
or an fsmonitor (core.hooksPath=/dev/null, also written into the clone's config so that git
commands run later in the worktree start none either), without submodules, and with `--`
before every URL. The user's own git configuration stays in force: url.<base>.insteadOf,
credential helpers and ssh settings are how people reach their forges, and credentials stay
with git and the CI: copi stores none and shows no URL with its user part.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import UserError
from copi_cli.messages import Said

ALLOWED_PROTOCOLS = ("https", "ssh", "git", "file")
TIMEOUT = 300.0  # seconds for one git command: a large clone over a slow line, not a hang
LOCK_WAIT = 900.0  # seconds another copi may hold a cache entry: a clone and a checkout
KEEP_OLD_TREES = 3600.0  # seconds an older checkout stays for a copi that may still read it
WORKERS = 8  # remotes fetched at once
MAX_FILE = 1_000_000  # bytes of a portfolio file

# Variables that would point git at another repository or carry configuration in from a
# git that started copi (a hook): the cache's commands answer for the cache only.
_GIT_VARIABLES = re.compile(
    r"GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR"
    r"|NAMESPACE|PREFIX|QUARANTINE_PATH|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+"
    r"|CONFIG_VALUE_\d+|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM)")
_SAFETY = ("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
           "-c", "submodule.recurse=false", "-c", "protocol.allow=never",
           *(item for protocol in ALLOWED_PROTOCOLS
             for item in ("-c", f"protocol.{protocol}.allow=always")))


@dataclass(frozen=True)
class Source:
    """One line of a portfolio file, or one PATH argument."""

    label: str  # what the user wrote (path or URL, never a URL's user part), or its name:
    path: Path | None = None  # local path
    url: str | None = None  # git remote URL (a password in it is kept only as ***)
    ref: str | None = None  # branch or tag, default: the remote's default branch
    subdir: str | None = None  # the process directory inside the repository, if not the root
    line: int | None = None  # where it stands in the portfolio file


@dataclass(frozen=True)
class Located:
    """A Source made local: path without problem, problem without path, or both when a
    fetch failed and the last copy fetched is used (the problem says how old it is)."""

    source: Source
    path: Path | None  # a local directory to look for processes in, or None
    problem: Said | None  # why not (clone failed, ref missing, …): reported on its line


class PortfolioRefused(UserError):
    """The portfolio file has mistakes; findings point into it, the message at the first."""

    def __init__(self, file: Path, findings: list[Diagnostic]) -> None:
        first = findings[0]
        more = Said("refused.more", n=len(findings) - 1) if len(findings) > 1 else ""
        super().__init__(Said("sources.file-finding", path=str(file), line=first.line,
                              col=first.col, code=first.code, message=first.message,
                              more=more),
                         hint=first.hint or Said("sources.file-hint"))
        self.findings = findings


# --- the portfolio file ---------------------------------------------------------------------

def read_portfolio(file: Path) -> list[Source]:
    """The sources a portfolio file lists, in its order; PortfolioRefused (file:line) for any
    mistake in it, UserError for a file that cannot be read at all."""
    from copi_cli.model.workspace import NotRegular, read_regular
    from copi_cli.model.yamlsource import parse_yaml
    from copi_cli.validation.reading import said_in_danish_too
    from copi_cli.validation.schemas import is_valid, schema_diagnostics

    shown = str(file)
    try:
        raw = read_regular(file, MAX_FILE, follow_links=True)
    except (OSError, NotRegular) as error:
        raise UserError(Said("sources.file-unreadable", path=shown,
                             reason=str(error.strerror or error)),
                        hint=Said("sources.file-unreadable-hint")) from None
    if len(raw) > MAX_FILE:
        raise UserError(Said("sources.file-too-large", path=shown, most=MAX_FILE),
                        hint=Said("sources.file-hint"))
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise UserError(Said("sources.file-not-utf8", path=shown, reason=error.reason),
                        hint=Said("sources.file-hint")) from None
    parsed = parse_yaml(text, shown)
    findings = [said_in_danish_too(d) for d in parsed.diagnostics if d.level == "error"]
    data = parsed.data
    if not findings and not isinstance(data, list):
        findings = [Diagnostic(shown, 1, 1, "Y004", Said("sources.not-a-list"),
                               hint=Said("sources.not-a-list-hint"))]
    if not findings and not is_valid("portfolio", data):
        findings = schema_diagnostics("portfolio", data, shown, text)
    if not findings:
        findings = _entry_findings(data, shown, text)
    if findings:
        raise PortfolioRefused(file, sorted(findings, key=Diagnostic.sort_key))
    folder = file.absolute().parent
    return [_source(entry, folder, _line(text, index)) for index, entry in enumerate(data)]


def _line(text: str, index: int) -> int:
    from copi_cli.model.yamlsource import locate as located_at

    return located_at(text, (index,))[0]


def _entry_findings(data: list[dict], shown: str, text: str) -> list[Diagnostic]:
    """What the schema leaves to copi: exactly one of path and url, ref only with url."""
    from copi_cli.model.yamlsource import locate as located_at

    found = []
    for index, entry in enumerate(data):
        line, col, _ = located_at(text, (index,))
        if "path" not in entry and "url" not in entry:
            found.append(Diagnostic(shown, line, col, "S002", Said("sources.path-or-url"),
                                    hint=Said("sources.path-or-url-hint")))
        elif "path" in entry and "url" in entry:
            line, col, _ = located_at(text, (index, "url"), key=True)
            found.append(Diagnostic(shown, line, col, "S004", Said("sources.path-and-url"),
                                    hint=Said("sources.path-or-url-hint")))
        elif "ref" in entry and "path" in entry:
            line, col, _ = located_at(text, (index, "ref"), key=True)
            found.append(Diagnostic(shown, line, col, "S004", Said("sources.ref-with-path"),
                                    hint=Said("sources.ref-with-path-hint")))
    return found


def _source(entry: dict[str, Any], folder: Path, line: int) -> Source:
    name = entry.get("name")
    if "path" in entry:
        written = str(entry["path"])
        return Source(label=name or written, path=folder / os.path.expanduser(written),
                      subdir=entry.get("dir"), line=line)
    written = str(entry["url"])
    url = _kept(written)
    if _kind(url) == "path":  # a repository on this machine, relative to the file's folder
        url = str(folder / os.path.expanduser(url))
    shown = shown_url(written)
    if _kind(written) == "scp":  # git@host:path: the user part goes too
        shown = shown.partition(":")[0].rpartition("@")[2] + ":" + shown.partition(":")[2]
    return Source(label=name or shown, url=url, ref=entry.get("ref"),
                  subdir=entry.get("dir"), line=line)


# --- URLs -----------------------------------------------------------------------------------

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_TRANSPORT = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)::")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]*@")


def _authority(url: str) -> str:
    """The host part of a scheme URL, with its user part if any ('' for other forms)."""
    match = _SCHEME.match(url)
    rest = url[match.end():] if match else ""
    return re.split(r"[/?#]", rest, maxsplit=1)[0]


def _kept(url: str) -> str:
    """The URL as copi keeps it: a secret in it replaced by *** at once, so that no value copi
    holds (a Source printed, logged or in JSON) carries it; locate refuses it. Over ssh the
    user name is the account git logs in as and stays; over https it may be a token."""
    authority = _authority(url)
    user, at, host = authority.rpartition("@")
    if not at:
        return url
    if _protocol(url) == "ssh":
        if ":" not in user:
            return url
        user = user.split(":", 1)[0] + ":***"
    else:
        user = "***"
    start = url.index(authority)
    return url[:start] + user + "@" + host + url[start + len(authority):]


def _protocol(url: str) -> str | None:
    match = _SCHEME.match(url)
    if not match:
        return None
    protocol = match[1].lower()
    return {"git+ssh": "ssh", "ssh+git": "ssh"}.get(protocol, protocol)


def shown_url(url: str) -> str:
    """A URL as copi shows it: without its user part (`https://token@host/…` carries a token
    as its user name), in any text, such as what git says."""
    return _USERINFO.sub(r"\1", url)


def _kind(url: str) -> str:
    """How git reads the URL: 'scheme://…', a transport helper (`x::…`), scp-like
    `host:path` (ssh), or a path on this machine."""
    if _SCHEME.match(url):
        return "scheme"
    if re.match(r"^[A-Za-z]:[\\/]", url):  # C:\… on Windows, as git reads it
        return "path"
    if _TRANSPORT.match(url):
        return "transport"
    before, colon, _ = url.partition(":")
    if colon and "/" not in before and before:
        return "scp"
    return "path"


def _refusal(source: Source) -> Said | None:
    """Why copi will not hand this URL, ref or folder to git; None when it will."""
    url = source.url or ""
    if url.startswith("-"):
        return Said("sources.url-option")
    kind = _kind(url)
    if kind == "transport":
        return Said("sources.url-transport", transport=_TRANSPORT.match(url)[1],  # type: ignore[index]
                    allowed=", ".join(ALLOWED_PROTOCOLS))
    if kind == "scheme":
        protocol = _protocol(url) or ""
        if protocol not in ALLOWED_PROTOCOLS:
            return Said("sources.url-protocol", protocol=protocol,
                        allowed=", ".join(ALLOWED_PROTOCOLS))
        user, at, _ = _authority(url).rpartition("@")
        if at and (protocol != "ssh" or ":" in user):
            return Said("sources.url-password")
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        return Said("sources.url-control")
    ref = source.ref
    if ref is not None and (ref.startswith("-") or not ref.strip()
                            or any(ord(c) <= 32 or ord(c) == 127 for c in ref)):
        return Said("sources.ref-form", ref=repr(ref))
    return None


def _subdir_refusal(subdir: str | None) -> Said | None:
    if subdir is None:
        return None
    if (subdir.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", subdir)
            or ".." in re.split(r"[/\\]", subdir) or any(ord(c) < 32 for c in subdir)):
        return Said("sources.dir-outside", dir=subdir)
    return None


# --- making sources local -------------------------------------------------------------------

def locate(sources: Sequence[Source], *, cache: Path | None = None,
           fetch: bool = True) -> list[Located]:
    """Each source made local, in the order given; a failing one carries its problem.

    cache: the folder the clones are kept in (default: `git/` in copi's cache directory).
    fetch: fetch a remote cloned before (False: use the copy there as it is).
    """
    if cache is None:
        from copi_cli.storage import cache_dir

        cache = cache_dir() / "git"
    remote = [s for s in sources if s.path is None]
    if len(remote) <= 1:
        return [_locate_one(source, cache, fetch) for source in sources]
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(remote))) as pool:
        futures = [pool.submit(_locate_one, source, cache, fetch) if source.path is None
                   else None for source in sources]
        return [future.result() if future is not None else _locate_one(source, cache, fetch)
                for source, future in zip(sources, futures, strict=True)]


def _locate_one(source: Source, cache: Path, fetch: bool) -> Located:
    try:
        if source.path is not None:
            return _local(source)
        if source.url is None:
            return Located(source, None, Said("sources.path-or-url"))
        return _remote(source, cache, fetch)
    except _Failed as failed:
        return Located(source, None, failed.problem)
    except OSError as error:  # the cache cannot be made or written: on this line only
        return Located(source, None, Said("sources.cache-unusable", path=str(cache),
                                          reason=str(error.strerror or error)))


class _Failed(Exception):
    """A source that cannot be made local: its problem, and git's own words if git said it."""

    def __init__(self, problem: Said, said: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.said = said or problem


def _local(source: Source) -> Located:
    assert source.path is not None
    refused = _subdir_refusal(source.subdir)
    if refused:
        return Located(source, None, refused)
    folder = source.path / source.subdir if source.subdir else source.path
    if not folder.is_dir():
        return Located(source, None, Said("sources.no-folder", path=str(folder)))
    return Located(source, folder, None)


def _remote(source: Source, cache: Path, fetch: bool) -> Located:
    from copi_cli.errors import EnvironmentProblem
    from copi_cli.trail.locking import release, take

    assert source.url is not None
    refused = _refusal(source) or _subdir_refusal(source.subdir)
    if refused:
        return Located(source, None, refused)
    entry = cache / _key(source.url, source.ref)
    entry.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not _own(entry):
        return Located(source, None, Said("sources.cache-not-own", path=str(entry)))
    try:
        held = take(None, entry, wait=LOCK_WAIT)
    except EnvironmentProblem:
        return Located(source, None, Said("sources.busy", seconds=f"{LOCK_WAIT:.0f}"))
    try:
        return _made_local(source, entry, fetch)
    finally:
        release(held)


def _own(entry: Path) -> bool:
    """The entry is the user's alone: a clone someone else could write would run their
    settings (an ssh command, a credential helper) in the user's name. git checks the
    repository's owner as well (safe.directory)."""
    status = entry.stat(follow_symlinks=False)
    if not stat.S_ISDIR(status.st_mode):
        return False
    return not hasattr(os, "getuid") or (status.st_uid == os.getuid()
                                         and not status.st_mode & 0o022)


def _key(url: str, ref: str | None) -> str:
    """The cache entry of a URL and ref: a hash, so that no URL becomes a path."""
    return hashlib.sha256(f"{url}\0{ref or ''}".encode()).hexdigest()[:32]


def _made_local(source: Source, entry: Path, fetch: bool) -> Located:
    """Clone or fetch, find the commit, check it out once: under the entry's lock."""
    repository = entry / "repository.git"
    stamp = entry / "fetched"
    stale: Said | None = None
    _tidy(entry)
    if not (repository / "HEAD").is_file():
        _clone(source.url or "", repository)
        stamp.touch()
    elif fetch:
        try:
            _git(repository, "fetch", "--prune", "--force", "--no-recurse-submodules",
                 "--", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
            if source.ref is None:
                _follow_head(repository)
            stamp.touch()
        except _Failed as failed:
            when = datetime.fromtimestamp(stamp.stat().st_mtime if stamp.exists() else 0, UTC)
            stale = Said("sources.stale", when=when.strftime("%Y-%m-%d %H:%M UTC"),
                         said=failed.said)
    commit = _commit(repository, source.ref)
    tree = _checked_out(repository, entry / "trees", commit)
    folder = tree
    if source.subdir:
        from copi_cli.model.workspace import inside

        inner = inside(tree, source.subdir)
        if inner is None:
            return Located(source, None, Said("sources.dir-outside", dir=source.subdir))
        if not inner.is_dir():
            return Located(source, None, Said("sources.dir-missing", dir=source.subdir,
                                              commit=commit[:10]))
        folder = inner
    return Located(source, folder, stale)


def _clone(url: str, repository: Path) -> None:
    """A blob-less bare clone under a temporary name, renamed when whole."""
    temporary = repository.with_name(f".clone-{os.getpid()}-{time.monotonic_ns()}")
    try:
        _git(repository.parent, "clone", "--bare", "--filter=blob:none", "--no-local",
             "--config", "core.hooksPath=/dev/null", "--config", "core.fsmonitor=false",
             "--", url, str(temporary), failure="sources.clone-failed")
        os.rename(temporary, repository)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def _follow_head(repository: Path) -> None:
    """Point the clone's HEAD where the remote's points now: a fetch moves branches, not HEAD,
    and a remote whose default branch was renamed (master to main) would otherwise leave the
    clone's HEAD on a branch the fetch pruned, with no default branch ever after."""
    done = _git(repository, "ls-remote", "--symref", "--", "origin", "HEAD", check=False)
    for line in done.stdout.splitlines():
        target, tab, name = line.removeprefix("ref: ").partition("\t")
        if line.startswith("ref: ") and tab and name == "HEAD" \
                and re.fullmatch(r"refs/heads/[^\s\x00-\x1f\x7f]+", target):
            _git(repository, "symbolic-ref", "HEAD", target, check=False)
            return


def _commit(repository: Path, ref: str | None) -> str:
    name = ref if ref is not None else "HEAD"
    done = _git(repository, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}",
                check=False)
    commit = done.stdout.strip()
    if done.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise _Failed(Said("sources.ref-missing", ref=ref) if ref is not None
                      else Said("sources.head-missing"))
    return commit


def _checked_out(repository: Path, trees: Path, commit: str) -> Path:
    """The commit's worktree, made once under a temporary name and moved into place whole."""
    tree = trees / commit
    if not tree.is_dir():
        trees.mkdir(exist_ok=True, mode=0o700)
        temporary = trees / f".checkout-{os.getpid()}-{time.monotonic_ns()}"
        _git(repository, "worktree", "add", "--detach", "--force", "--", str(temporary),
             commit, failure="sources.checkout-failed")
        _git(repository, "worktree", "move", "--", str(temporary), str(tree),
             failure="sources.checkout-failed")
    os.utime(tree)  # in use now: kept for KEEP_OLD_TREES after a newer commit arrives
    _prune(repository, trees, keep=tree)
    return tree


def _prune(repository: Path, trees: Path, keep: Path) -> None:
    """Remove checkouts of older commits nobody has used for KEEP_OLD_TREES seconds."""
    now = time.time()
    for tree in trees.iterdir():
        if tree == keep or tree.name.startswith("."):
            continue
        try:
            old = now - tree.stat().st_mtime > KEEP_OLD_TREES
        except OSError:
            continue
        if old:
            _git(repository, "worktree", "remove", "--force", "--", str(tree), check=False)


def _tidy(entry: Path) -> None:
    """Remove what a copi stopped mid-way left under a temporary name (the lock is held, so
    no living copi is still making it)."""
    for left in entry.glob(".clone-*"):
        shutil.rmtree(left, ignore_errors=True)
    trees = entry / "trees"
    if trees.is_dir():
        for left in trees.glob(".checkout-*"):
            shutil.rmtree(left, ignore_errors=True)
        if (entry / "repository.git").is_dir():
            _git(entry / "repository.git", "worktree", "prune", check=False)


# --- asking git -----------------------------------------------------------------------------

def _environment() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not _GIT_VARIABLES.fullmatch(name)}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_ALLOW_PROTOCOL"] = ":".join(ALLOWED_PROTOCOLS)
    return env


def _git(cwd: Path, *args: str, check: bool = True,
         failure: str = "sources.git-failed") -> subprocess.CompletedProcess[str]:
    """Run git on the cache: a session of its own (no terminal to ask at), within TIMEOUT;
    a failure is a _Failed saying what git said, without any URL's user part."""
    command = ["git", *_SAFETY, *args]
    try:
        process = subprocess.Popen(command, cwd=cwd, env=_environment(),
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError:
        raise _Failed(Said("git.missing")) from None
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise _Failed(Said("sources.timeout", command=args[0],
                           seconds=f"{TIMEOUT:.0f}")) from None
    except BaseException:
        _stop(process)
        raise
    done = subprocess.CompletedProcess(command, process.returncode,
                                       out.decode("utf-8", "replace"),
                                       err.decode("utf-8", "replace"))
    if check and done.returncode != 0:
        said = _said(done.stderr or done.stdout, done.returncode)
        raise _Failed(Said(failure, said=said), said)
    return done


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop git and whatever it started (ssh, a credential helper): its whole session."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        process.kill()
    process.communicate()


def _said(output: str, code: int) -> str:
    """git's last words, one line, printable, without any URL's user part."""
    lines = [shown_url(line.strip()) for line in output.splitlines() if line.strip()]
    lines = [line for line in lines if line.lower().startswith(("fatal:", "error:"))] or lines
    text = " ".join(lines[-3:]) if lines else f"exit {code}"
    return "".join(c if c.isprintable() else "?" for c in text)[:500]
