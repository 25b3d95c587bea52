"""The git adapter: every git operation copi performs, and git's failures as CopiErrors.

Two ways in, chosen by cost:
- GitPython for setting a repository up and reading its configuration (copi init): clear and
  safe, and its import (~120 ms) is paid only there.
- The git command line for what runs often — commits, tags, the audit trail: one process per
  operation, no import cost, and `git log --format=%(trailers)` reads a thousand commits at once
  (GitPython starts a git process per commit to parse trailers).

Commits carry copi's trailers (Copi-Action, Copi-Process, Copi-Actor, …) so the audit trail can be
read back with one `git log`. A failing hook or an interrupt during a transition leaves the
user's index, work tree and history as they were (see commit_transition).
"""

# The records here are plain classes, not NamedTuples: each advance imports this module, and
# building a NamedTuple class costs ~70 µs at import (README, Speed).
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copi_cli import gitconfig
from copi_cli.errors import EnvironmentProblem, GitError


def pathspec(path: str | Path, cwd: Path) -> str:
    """A path for git, relative to cwd, taken as written: a directory named `p*` or `:x` is
    that directory, not a pattern matching its neighbours."""
    return ":(literal)" + os.path.relpath(path, cwd)


def _git_missing() -> GitError:
    return GitError("git is not installed or not on PATH",
                    hint="install git (e.g. apt-get install git) and try again")


def _gitpython() -> Any:
    try:
        import git
    except ImportError as exc:  # GitPython raises ImportError when no git executable is found
        raise _git_missing() from exc
    return git


def run(cwd: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run git; a failure becomes a GitError that says what git said."""
    return Pending(cwd, *args, env=env, stdin=stdin).result(check)


def _text(output: bytes) -> str:
    """git's output as text: file names that are not UTF-8 keep their bytes as surrogates (as
    os.fsdecode does), and no line break is translated (a name may hold a carriage return)."""
    return output.decode("utf-8", "surrogateescape")


class Pending:
    """A command started now and read later, so it runs while copi does something else."""

    def __init__(self, cwd: Path, *args: str, argv: Sequence[str] | None = None,
                 env: dict[str, str] | None = None, stdin: str | None = None,
                 output: bool = True) -> None:
        self.args = args  # git's arguments, for messages
        self._input = None if stdin is None else stdin.encode("utf-8")
        # output=False: nothing to read, and no pipe that a process git leaves running holds
        out = subprocess.PIPE if output else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                argv or ["git", *args], cwd=cwd, env=env, stdout=out, stderr=out,
                stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE)
        except FileNotFoundError as exc:
            raise _git_missing() from exc

    def result(self, check: bool = True) -> subprocess.CompletedProcess[str]:
        if not hasattr(self, "_done"):
            process = self.process
            try:
                out, err = process.communicate(self._input)
            except BaseException:
                self.stop()
                raise
            self._done = subprocess.CompletedProcess(process.args, process.returncode,
                                                     _text(out or b""), _text(err or b""))
        return _checked(self._done, self.args, check)

    def close(self) -> None:
        """Wait for the command even if nobody needs its answer any more."""
        self.result(check=False)

    def stop(self) -> None:
        """Stop the command, when copi is interrupted or gives up.

        git is asked to stop (SIGTERM), so it cleans up its own lock files; killing it outright
        would leave .git/index.lock behind. copi waits for git itself, not for its pipes: a hook
        it started may hold them.
        """
        process = self.process
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream:
                stream.close()


def _checked(done: subprocess.CompletedProcess[str], args: tuple[str, ...],
             check: bool) -> subprocess.CompletedProcess[str]:
    if check and done.returncode == _SHELL_NOT_FOUND and done.args[0] == _SHELL:
        raise _git_missing()
    if check and done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(f"git {_command(args)} failed: "
                       + (" ".join(said[-3:]) if said else
                          f"exit {done.returncode} without a message (a hook that refused?)"),
                       hint="fix what git reports and run the command again; nothing was "
                            "changed")
    return done


def _command(args: Sequence[str]) -> str:
    """The git command in args, for messages: `git -c key=value commit …` is a commit."""
    words = iter(args)
    for word in words:
        if word == "-c":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


# --- repositories ---------------------------------------------------------------------------

class Repo:
    __slots__ = ("root", "git_dir")

    def __init__(self, root: Path, git_dir: Path) -> None:
        self.root = root  # the work tree
        self.git_dir = git_dir  # where HEAD, the index and copi's lock live (a worktree's own)

    def __repr__(self) -> str:
        return f"Repo({self.root}, {self.git_dir})"


# Settings that change where git looks for the repository: with one set, git itself is asked.
_DISCOVERY = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES",
              "GIT_DISCOVERY_ACROSS_FILESYSTEM")


def find_repo(path: Path) -> Repo | None:
    """The repository whose work tree holds path, or None (also where git would refuse the
    repository: what only reads may go on without one)."""
    try:
        return discover_repo(path)
    except EnvironmentProblem:
        return None


def discover_repo(path: Path) -> Repo | None:
    """The repository whose work tree holds path, None where there is none, or a refusal.

    Found as git finds it (setup.c, setup_git_directory_gently_1), without starting git: every
    command that changes a process asks this first. Upwards from path, a `.git` file must link
    to a git directory (git refuses to go on otherwise, and so does copi), a `.git` directory
    counts only if git takes it for one, a bare repository has no work tree, and the search
    stops where another file system begins. With a setting that changes the search
    (_DISCOVERY), git itself is asked.
    """
    probe = path.resolve()
    while not probe.exists():
        probe = probe.parent
    if any(os.environ.get(name) for name in _DISCOVERY):
        done = run(probe, "rev-parse", "--show-toplevel", "--absolute-git-dir", check=False)
        if done.returncode != 0:
            return None
        top, git_dir = done.stdout.splitlines()[:2]
        return Repo(Path(top), Path(git_dir))
    device = os.stat(probe).st_dev
    for candidate in (probe, *probe.parents):
        if candidate != probe and os.stat(candidate).st_dev != device:
            return None  # a mount point: git stops here
        dot_git = candidate / ".git"
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            return Repo(candidate, _linked_git_dir(dot_git))
        if dot_git.is_dir() and _git_directory(dot_git):
            return Repo(candidate, dot_git)
        if _git_directory(candidate):
            return None  # a bare repository: nothing to commit from
    return None


def _linked_git_dir(dot_git: Path) -> Path:
    """The git directory a `.git` file links to (setup.c, read_gitfile_gently), or a refusal
    where git would refuse: copi must not commit to a repository further up instead."""
    try:
        text = dot_git.read_bytes().decode("utf-8", "surrogateescape").rstrip("\r\n")
    except OSError as exc:
        raise EnvironmentProblem(f"{dot_git} cannot be read: {exc.strerror}",
                                 hint="git cannot use this repository either; repair it") from None
    if not text.startswith("gitdir: ") or len(text) == 8:
        raise EnvironmentProblem(f"{dot_git} is not a link to a git directory (it should "
                                 "say 'gitdir: <path>')",
                                 hint="git refuses it too: repair or remove the file")
    target = dot_git.parent / text[8:]
    if not _git_directory(target):
        raise EnvironmentProblem(f"{dot_git} links to {text[8:]}, which is not a git "
                                 "directory", hint="git refuses it too: a worktree whose "
                                 "repository moved is repaired with 'git worktree repair', a "
                                 "submodule copied without its superproject needs that")
    return target.resolve()


def _git_directory(path: Path) -> bool:
    """Whether git takes path for a git directory (setup.c, is_git_directory): a HEAD, and
    objects and refs where its common directory is. git passes over a `.git` that is not one
    and looks further up, so copi does too."""
    head = path / "HEAD"
    try:
        if head.is_symlink():
            valid = os.readlink(head).startswith("refs/")
        else:
            with open(head, "rb") as handle:
                start = handle.read(255)
            if start.startswith(b"ref:"):
                valid = start[4:].lstrip(b" \t\n\r").startswith(b"refs/")
            else:  # a detached HEAD: an object name
                valid = len(start) >= 40 and all(c in _HEX_BYTES for c in start[:40])
        common = _common_dir(Repo(path.parent, path))
        objects = os.environ.get("GIT_OBJECT_DIRECTORY") or common / "objects"
        return valid and (common / "refs").is_dir() and os.path.isdir(objects)
    except (OSError, ValueError, RuntimeError):  # unreadable, undecodable, a loop of links
        return False


def require_repo(path: Path) -> Repo:
    repo = discover_repo(path)
    if repo is None:
        raise EnvironmentProblem(f"{path} is not in a git repository",
                                 hint="copi keeps the audit trail in git: run 'git init' and "
                                      "commit the process, or create it with 'copi init'")
    return repo


def ensure_ready(repo: Repo) -> None:
    """Refuse a repository in the middle of something: copi's commit would mix into it.

    Read from the git directory's files, not by running git: this runs before every change.
    """
    for marker, what in (("MERGE_HEAD", "merge"), ("REBASE_HEAD", "rebase"),
                         ("rebase-merge", "rebase"), ("rebase-apply", "rebase or am"),
                         ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert")):
        if (repo.git_dir / marker).exists():
            raise EnvironmentProblem(f"a git {what} is in progress in {repo.root}",
                                     hint=f"finish or abort the {what}, then run copi again")
    if (repo.git_dir / "index.lock").exists():
        raise EnvironmentProblem("another git process is running in this repository "
                                 "(.git/index.lock exists)",
                                 hint="wait for it to finish; if none is running, remove "
                                      f"{repo.git_dir / 'index.lock'}")
    head = _head(repo)
    if head is not None and not head.startswith("ref:"):
        raise EnvironmentProblem("HEAD is detached: a commit here would belong to no branch",
                                 hint="check out a branch (git switch main) and run copi again")


_SHELL = "/bin/sh"
_SHELL_NOT_FOUND = 127
# What copi asks git before a change. First the configuration that says who is acting and
# whether git tidies up after a commit, in one process (each process started costs time on a
# busy machine): NUL-ended records, `?` when git config fails (1 is "none set"), and an empty
# record to end them. GIT_CONFIG is unset: only `git config` reads it, not git var, commit or
# status ...
_SETTINGS = ("unset GIT_CONFIG; git config -z --get-regexp "
             "'^(user|committer)[.](name|email)$|^maintenance[.]|^gc[.]auto(packlimit)?$' "
             "2>/dev/null || [ $? -eq 1 ] || printf '?\\0'")
_IDENTITY_KEYS = frozenset({"user.name", "user.email", "committer.name", "committer.email"})
_GC_KEYS = frozenset({"gc.auto", "gc.autopacklimit"})
_NOT_TUNING = frozenset({"maintenance.auto", "maintenance.repo"})
# Where git is told in the environment where its objects are, copi leaves the counting to it.
_OBJECTS_ELSEWHERE = ("GIT_DIR", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")
# ... then, once per git executable (copi's cache keeps the answers): git's version, and where
# this git keeps its system configuration, each followed by a NUL. Where the system file lies
# is said by `git var` from git 2.42; before, by the origin git gives its first setting (the
# name as git opens it, through any link), and only for a file without settings by the name
# git gives an editor that only prints it (with links resolved). The status of the paths given
# comes last; its exit code is the script's. With the answers kept, copi reads the
# configuration itself (gitconfig) and asks git only for the status.
_VERSION = "git version"
_SYSTEM_FILE = ("(unset GIT_CONFIG_SYSTEM GIT_CONFIG_NOSYSTEM; git var GIT_CONFIG_SYSTEM "
                "|| git config --system --show-origin --name-only --list | sed -n 1p | grep . "
                "|| GIT_EDITOR='echo edit:' git config --system --edit) 2>/dev/null")
# git's housekeeping as `git commit -q` starts it after committing, in the git versions where
# it is exactly this (2.29, where `git maintenance` came, to 2.46; from 2.47 git adds
# --detach or --no-detach from configuration, so there the commit is left to do its own) ...
_HOUSEKEEPING = ("maintenance", "run", "--auto", "--quiet")
_HOUSEKEEPING_GIT = ((2, 29), (2, 47))
# ... and how a commit is told to leave it out (git passes this on to hooks: git commands a
# hook runs skip their housekeeping too).
_NO_HOUSEKEEPING = ("-c", "maintenance.auto=false")
# With git's own settings that housekeeping has one task, gc, and gc finds work only past
# these counts (builtin/gc.c, need_to_gc: more than gc.auto 6700 loose objects, judged by
# objects/17 holding more than 6700 / 256 of them, or more than gc.autoPackLimit 50 packs).
_LOOSE_IN_17 = -(-6700 // 256)
_PACKS = 50
_HEX = "0123456789abcdef"
_HEX_BYTES = frozenset(b"0123456789abcdefABCDEF")
# The bytes git drops from the ends of a name in an identity (ident.c, crud()), and from within.
_CRUD = frozenset(b".,:;<>\"\\'") | frozenset(range(33))
_DELIMITERS = b"\n<>"


def _script(questions: Sequence[str]) -> str:
    return "".join(f'{question}; printf "\\0"; ' for question in questions) + 'exec git "$@"'


def _wanted(key: str) -> bool:
    """The settings copi asks for (_SETTINGS' pattern)."""
    return key in _IDENTITY_KEYS or key in _GC_KEYS or key.startswith("maintenance.")


def _settings(records: str) -> dict[str, str | None] | None:
    """The last value of each key in `git config -z --get-regexp`'s records (None for a key
    without a value); None when git config failed."""
    found: dict[str, str | None] = {}
    for record in records.split("\0")[:-1]:
        key, newline, value = record.partition("\n")
        if not _wanted(key):
            return None
        found[key] = value if newline else None
    return found


def _committer_name(settings: dict[str, str | None]) -> str | None:
    """The name git puts in a commit, when environment and configuration settle it as git
    reads them (ident.c: GIT_COMMITTER_NAME, committer.name, user.name; the e-mail likewise);
    None when git would have to guess or refuse, which only git itself can say."""
    if None in (settings.get(key, "") for key in _IDENTITY_KEYS):
        return None  # a key without a value: git refuses it
    name = os.environ.get("GIT_COMMITTER_NAME")
    if name is None:
        name = settings.get("committer.name") or settings.get("user.name")
    email = os.environ.get("GIT_COMMITTER_EMAIL")
    if email is None:
        email = settings.get("committer.email") or settings.get("user.email")
    if not name or email is None:
        return None
    raw = name.encode("utf-8", "surrogateescape")  # git trims bytes, not characters
    start, end = 0, len(raw)
    while start < end and raw[start] in _CRUD:
        start += 1
    while end > start and raw[end - 1] in _CRUD:
        end -= 1
    kept = raw[start:end].translate(None, _DELIMITERS)
    return kept.decode("utf-8", "surrogateescape").strip() or None


def _housekeeps(settings: dict[str, str | None]) -> bool:
    """Whether `git commit` would start its housekeeping, by maintenance.auto (true unless
    set). Only the plain spellings of true count: for any other value the commit is left to
    read it itself, and to refuse it as git does."""
    if "maintenance.auto" not in settings:
        return True
    value = settings["maintenance.auto"]
    return value is None or value.lower() in ("true", "yes", "on", "1")


def _tuned(settings: dict[str, str | None]) -> bool:
    """Whether the housekeeping has settings of its own (a gc threshold, any maintenance
    setting): then only git can say what it will do. maintenance.auto is read already, and
    maintenance.repo only lists repositories for scheduled maintenance (`git maintenance
    register` adds it to the global configuration)."""
    return any(key in _GC_KEYS or (key.startswith("maintenance.") and key not in _NOT_TUNING)
               for key in settings)


def _gc_due(objects: Path) -> bool:
    """Whether gc could find work in this object directory at git's own thresholds. Counted
    generously, so that where git might find work, copi says so: every name of hex digits in
    objects/17 is counted, and every pack, even one kept (.keep), which git passes over."""
    try:
        loose = sum(not name.strip(_HEX) for name in os.listdir(objects / "17"))
    except FileNotFoundError:
        loose = 0
    except OSError:
        return True
    try:
        packs = sum(name.endswith(".pack") for name in os.listdir(objects / "pack"))
    except FileNotFoundError:
        packs = 0
    except OSError:
        return True
    return loose > _LOOSE_IN_17 or packs > _PACKS


def _version(answer: str) -> tuple[int, ...]:
    """(2, 39) from `git version 2.39.5` (or `2.39.3 (Apple Git-145)`); () if unreadable."""
    words = answer.split()
    numbers = words[2].split(".")[:2] if len(words) > 2 else []
    return tuple(int(n) for n in numbers) if all(n.isdigit() for n in numbers) else ()


def _answers_file() -> Path | None:
    """Where copi keeps what the git that PATH names said once (_VERSION, _SYSTEM_FILE), keyed
    by the executable's path, size, time and inode, so that an upgraded git is asked again;
    None without git, and for a script (a shim that may start another git each time, as
    version managers do), which is asked each time."""
    import hashlib
    import shutil

    from copi_cli.storage import cache_dir

    found = shutil.which("git")
    try:
        with open(found or "", "rb") as executable:
            stat = os.fstat(executable.fileno())
            script = executable.read(2) == b"#!"
        cache = cache_dir()
    except (OSError, RuntimeError):  # RuntimeError: no home directory to keep a cache in
        return None
    if script:
        return None
    key = f"{os.path.realpath(found or '')}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}"
    return cache / f"git-{hashlib.sha256(key.encode()).hexdigest()[:20]}.answers"


def _kept_answers(path: Path | None) -> tuple[str, str] | None:
    """git's answers kept at path: to `git version`, and the system configuration's name ("" if
    git could not tell); None when none are kept, they are unreadable, or someone else could
    have written them (a shared cache: the name decides which file says who is acting)."""
    from copi_cli.storage import read_cached

    data = read_cached(path) if path else None
    if data is None:
        return None
    version, _, system = data.decode("utf-8", "surrogateescape").partition("\0")
    return (version, _system_file(system)) if _version(version) else None


def _system_file(answer: str) -> str:
    """The system file's name in git's answer to _SYSTEM_FILE, if it is one absolute name copi
    can open as git does; "" if not. `git var` names it, and so does the origin of its first
    setting (`file:<name>`, a tab, the key). The editor's name has links resolved, so it is
    taken only where git's own build puts the file (…/etc/gitconfig): a name elsewhere is where
    a link pointed, and the link could later point elsewhere unseen."""
    line = answer.removesuffix("\n")
    if line.startswith("file:"):
        line = line[5:].split("\t", 1)[0]  # a name git had to quote starts with '"'
    elif line.startswith("edit: "):
        line = line[6:]
        if not line.endswith("/etc/gitconfig"):
            return ""
    usable = os.path.isabs(line) and "\n" not in line and "\0" not in line
    return line if usable else ""


class Questions:
    """What copi asks git before a change: who is acting and, for a transition, which files
    differ from HEAD. Asked at once, so git answers while copi validates.

    Who is acting, and how git tidies up after a commit, copi reads from git's configuration
    files itself (gitconfig) once git has told it, a first time, its version and where it
    keeps its system configuration; then only the status is a git process. Otherwise, where
    there is a POSIX shell, the git commands run one after the other in it: each process copi
    starts holds copi up while git loads (~1 ms), and a second start while the first git runs
    costs ~2 ms more on two cores. Knowing how git tidies up (`housekeeping`), commit_transition
    runs the housekeeping beside the tag rather than inside the commit, which waits for it
    before the tag can start (~2 ms), and not at all where it would find nothing to do
    (`housekeeping_due`).
    """

    def __init__(self, repo: Repo, changes_under: Sequence[Path] | None = None,
                 who: bool = True, housekeeping: bool = False) -> None:
        self.root = repo.root
        status = None if changes_under is None else (
            # --no-optional-locks: a question asked in the background must not write the
            # index (git would refresh its stat data under index.lock while copi goes on)
            "--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all",
            "--no-renames", "--", *(pathspec(p, repo.root) for p in changes_under))
        self._both = self._ident = self._status = None
        self._questions: tuple[str, ...] = ()
        self._housekeeping = housekeeping
        self._answers_file: Path | None = None
        self._version: str | None = None  # git's answer to `git version`, when known
        self._found: dict[str, str | None] | None = None  # the settings, once read
        self._asked = False  # whether the shell's answers were read
        if who:
            self._answers_file = _answers_file()
            kept = _kept_answers(self._answers_file)
            if kept:
                self._version = kept[0]
                self._found = gitconfig.settings(
                    _common_dir(repo), kept[1] or None, _wanted,
                    owned=(repo.root, repo.root / ".git", repo.git_dir))
            if self._found is None and status and os.name == "posix" and os.path.exists(_SHELL):
                self._questions = (_SETTINGS,) + (() if kept else (_VERSION, _SYSTEM_FILE))
                self._both = Pending(repo.root, *status, argv=[
                    _SHELL, "-c", _script(self._questions), "copi-asks", *status])
                return
            if self._found is None:
                self._ident = Pending(repo.root, "var", "GIT_COMMITTER_IDENT")
        if status:
            self._status = Pending(repo.root, *status)

    def _answers(self, output: str) -> list[str]:
        """The shell's answers: the settings' records (with their NULs; "?" if the script
        broke off before their end), each other answer, the status last (with its NULs)."""
        if output.startswith("\0"):  # no records
            end = 0
        else:
            end = output.find("\0\0") + 1
            if end == 0:  # no end to them: the script broke off
                return ["?\0"] + [""] * len(self._questions)
        count = len(self._questions)
        answers = [output[:end], *output[end + 1:].split("\0", count - 1)]
        return answers + [""] * (count + 1 - len(answers))

    def _settings_asked(self) -> dict[str, str | None] | None:
        """The settings, read from the files or as the shell's git config reported them, once;
        None if neither could say. git's other answers are kept for the next time."""
        if self._found is None and self._both is not None and not self._asked:
            self._asked = True
            answers = dict(zip(self._questions,
                               self._answers(self._both.result(check=False).stdout),
                               strict=False))
            self._found = _settings(answers[_SETTINGS])
            # kept only where git could read its configuration: otherwise its answers may be
            # those of a configuration the user is about to mend
            if _version(answers.get(_VERSION, "")):
                self._version = answers[_VERSION]
                if self._found is not None:
                    self._keep(answers[_VERSION], _system_file(answers[_SYSTEM_FILE]))
        return self._found

    def _keep(self, version: str, system_file: str) -> None:
        """Keep git's answers for the next time; a cache that cannot be written is asked
        again. A system file git could not name ("") leaves copi asking git config."""
        if self._answers_file is None:
            return
        try:
            from copi_cli.storage import write_cached

            write_cached(self._answers_file,
                         f"{version}\0{system_file}".encode("utf-8", "surrogateescape"))
        except OSError:
            pass

    def actor(self) -> str:
        """The committer's name as git will record it, or a GitError saying how to set it."""
        if self._both and self._both.result(check=False).returncode == _SHELL_NOT_FOUND:
            raise _git_missing()
        settings = self._settings_asked()
        name = _committer_name(settings) if settings is not None else None
        if name:
            return name
        if self._ident is None:  # git would guess or refuse: it says which itself
            self._ident = Pending(self.root, "var", "GIT_COMMITTER_IDENT")
        done = self._ident.result(check=False)
        name = (done.stdout if done.returncode == 0 else "").split("<", 1)[0].strip()
        # git could not say: its configuration tells, or the hint how to set name and e-mail
        return name or identity(self.root)[0]

    def changes(self) -> tuple[list[str], bool]:
        """Files that differ from HEAD (relative to the repository root), and whether any of
        them is untracked."""
        pending = self._both or self._status
        assert pending is not None, "asked without paths"
        output = pending.result().stdout
        if self._both:
            output = self._answers(output)[-1]
        files, untracked = [], False
        for entry in output.split("\0"):
            if entry:
                files.append(entry[3:])
                untracked = untracked or entry.startswith("??")
        return sorted(files), untracked

    def housekeeping(self) -> bool:
        """Whether copi is to run git's housekeeping after the commit: it was asked, git would,
        and this git's housekeeping is what copi runs. Otherwise the commit does its own, as
        git does (and a maintenance.auto that is not a boolean makes git fail as it would)."""
        if not self._housekeeping:
            return False
        settings = self._settings_asked()
        oldest, too_new = _HOUSEKEEPING_GIT
        return (settings is not None and oldest <= _version(self._version or "") < too_new
                and _housekeeps(settings))

    def housekeeping_due(self, repo: Repo) -> bool:
        """After the commit, where copi has taken the housekeeping over: whether it may find
        work. With git's own settings and nothing to do it would only start and stop (~1.5 ms
        on two cores, more on a busy machine), so copi counts for it; with settings of its own,
        or with git's directories named in the environment, git decides, as before."""
        settings = self._settings_asked()
        if (settings is None or _tuned(settings)
                or any(name in os.environ for name in _OBJECTS_ELSEWHERE)):
            return True
        return _gc_due(_common_dir(repo) / "objects")

    def close(self) -> None:
        """Wait for git even if nobody needs its answers any more."""
        for pending in (self._both, self._ident, self._status):
            if pending:
                pending.close()


def actor(repo: Repo) -> str:
    questions = Questions(repo)
    try:
        return questions.actor()
    finally:
        questions.close()


def identity(path: Path) -> tuple[str, str]:
    """The committer's name and e-mail as git would use them, or a GitError saying how to set
    them."""
    git = _gitpython()
    try:
        name = git.Git(str(path)).config("user.name")
        email = git.Git(str(path)).config("user.email")
    except git.GitCommandNotFound as exc:
        raise _git_missing() from exc
    except git.GitCommandError:
        name = os.environ.get("GIT_AUTHOR_NAME", "")
        email = os.environ.get("GIT_AUTHOR_EMAIL", "")
    if not name or not email:
        raise GitError(
            "git does not know who you are, so copi cannot record who made the change",
            hint='run: git config --global user.name "Your Name" && '
                 'git config --global user.email "you@example.dk"',
        )
    return name, email


def init_repo(path: Path) -> None:
    git = _gitpython()
    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as exc:
        raise GitError(f"git init failed: {exc.stderr.strip()}") from exc


# --- commits ---------------------------------------------------------------------------------

def _common_dir(repo: Repo) -> Path:
    """Where refs live: a worktree's git directory points at the main one (commondir)."""
    pointer = repo.git_dir / "commondir"
    if pointer.is_file():
        named = pointer.read_bytes().decode("utf-8", "surrogateescape").rstrip("\r\n")
        return (repo.git_dir / named).resolve()
    return repo.git_dir


def tag_exists(repo: Repo, name: str) -> bool:
    """Whether refs/tags/<name> exists, read from the ref files (no git process)."""
    common = _common_dir(repo)
    if (common / "refs" / "tags" / name).is_file():
        return True
    packed = common / "packed-refs"
    if packed.is_file():
        wanted = f" refs/tags/{name}"
        with open(packed, encoding="utf-8") as handle:
            return any(line.rstrip("\n").endswith(wanted) for line in handle)
    return False


def format_message(subject: str, trailers: dict[str, str], body: str = "") -> str:
    lines = [subject, ""]
    if body:
        lines += [body, ""]
    lines += [f"{key}: {value}" for key, value in trailers.items()]
    return "\n".join(lines) + "\n"


class Committed:
    __slots__ = ("commit", "tag", "files")

    def __init__(self, commit: str, tag: str | None, files: list[str]) -> None:
        self.commit = commit  # the full object name
        self.tag = tag
        self.files = files  # paths relative to the repository root


def commit_transition(repo: Repo, paths: Sequence[Path], subject: str,
                      trailers: dict[str, str], tag: str | None,
                      asked: Questions | None = None) -> Committed:
    """Commit everything under paths (one commit, these trailers) and tag it, or nothing.

    `git commit -- paths` commits exactly the work tree under paths on top of HEAD; anything
    the user staged elsewhere stays staged and out of the commit. Hooks run as usual. If a hook
    refuses, git fails or the user interrupts, the index is put back byte for byte, a commit
    already made is taken back and a tag already made deleted. Three or four git processes:
    status, add (only when there are new files), commit, tag. The status may have been asked
    earlier (Questions); the files copi itself writes afterwards are among the changes anyway.
    When it was asked there, git's housekeeping runs beside the tag instead of in the commit,
    and only if it may find work.
    """
    specs = [pathspec(p, repo.root) for p in paths]
    message = format_message(subject, trailers)
    index = repo.git_dir / "index"
    snapshot = index.read_bytes() if index.exists() else None
    before = head_commit(repo)
    commit = None
    try:
        files, untracked = (asked or Questions(repo, paths, who=False)).changes()
        tidy = asked is not None and asked.housekeeping()
        if untracked:
            run(repo.root, "add", "-A", "--", *specs)
        # -q: git's summary of the commit is a diff copi would not show
        run(repo.root, *(_NO_HOUSEKEEPING if tidy else ()), "commit", "-q", "--allow-empty",
            "--no-edit", "-F", "-", "--", *specs, stdin=message)
        commit = head_commit(repo) or run(repo.root, "rev-parse", "HEAD").stdout.strip()
        tagging = Pending(repo.root, "tag", "-a", tag, "-m", subject, commit) if tag else None
        tidying = (Pending(repo.root, *_HOUSEKEEPING, output=False)
                   if tidy and asked and asked.housekeeping_due(repo) else None)
        try:
            if tagging:
                tagging.result()
        except BaseException:
            if tidying:  # the transition is taken back: no waiting for housekeeping
                tidying.stop()
            raise
        if tidying:  # its outcome is git's business, as after git's own commits
            tidying.close()
    except BaseException:
        if tag and commit:
            _drop_tag(repo, tag, commit)
        _take_back(repo, commit, message, before)
        if snapshot is None:
            index.unlink(missing_ok=True)
        else:
            temporary = index.with_name("index.copi-restore")
            temporary.write_bytes(snapshot)
            os.replace(temporary, index)
        raise
    return Committed(commit, tag, files)


def _drop_tag(repo: Repo, tag: str, commit: str) -> None:
    """Delete the tag if it names the commit being taken back: a tag that was there before
    names an older commit and stays."""
    named = run(repo.root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}^{{commit}}",
                check=False).stdout.strip()
    if named == commit:
        run(repo.root, "tag", "-d", tag, check=False)


def _head(repo: Repo) -> str | None:
    """.git/HEAD's text (`ref: refs/heads/main` or an object name); a HEAD that is a link to
    its ref (core.preferSymlinkRefs) reads as the former. None when it cannot be read."""
    path = repo.git_dir / "HEAD"
    try:
        if path.is_symlink():
            return f"ref: {os.readlink(path)}"
        return path.read_bytes().decode("utf-8", "surrogateescape").strip()
    except OSError:
        return None


def current_branch(repo: Repo) -> str | None:
    """The branch HEAD is on, read from .git/HEAD; None when detached."""
    head = _head(repo) or ""
    return head.removeprefix("ref: refs/heads/") if head.startswith("ref: refs/heads/") else None


def head_commit(repo: Repo) -> str | None:
    """The commit HEAD points at, read from the ref files (no git process); None when it
    cannot be told that way (a new branch, a ref store copi does not read)."""
    head = _head(repo)
    if head is None:
        return None
    if not head.startswith("ref:"):
        return head or None
    ref = head[4:].strip()
    common = _common_dir(repo)
    for base in (repo.git_dir, common):
        try:
            return (base / ref).read_text(encoding="utf-8").strip() or None
        except OSError:
            continue
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8").splitlines():
            if line.endswith(f" {ref}"):
                return line.split(" ", 1)[0]
    return None


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
