"""The one way copi changes a process: in memory, validated, written and committed as one.

Every command that changes a process goes through a Change: the recording commands (a record
added, a backing noted, answers imported), the phase transitions (copi_cli.trail.lifecycle) and
the CI workflow (copi ci). `copi init` does not: it creates the process, and its repository.

Design:
1. open a Change: the repository's lock is taken first (copi_cli.trail.locking; waiting while
   another copi holds it), so everything the change reads — the process, the next free id, the
   phase a gate is judged in — is read by the one copi that will write it. Then the repository
   is checked (no merge in progress, no git lock file) and git is asked who acts and whether a
   branch is checked out (and, when the whole process directory is the commit's evidence, what
   changed) while the process is loaded as it is now.
2. the caller creates files (one per organisation, event, supplier, meeting) or edits them
   surgically (copi_cli.model.yamledit), all in memory, may bring in files from outside the
   process (evidence, materials) into materialer/, and may put a file beside the records (a CI
   workflow), which is written and committed with them but not validated.
3. apply(): the process is validated as it would be. Any error in a file the change touches, or
   any new error elsewhere (a duplicate id, a dangling reference), refuses the change with that
   finding; errors that were there before and lie elsewhere do not block it.
4. the files are written whole, unless a person changed one of them since the change read it,
   each original first kept aside by a hard link (so putting it back takes a rename, never new
   space: a full disk cannot stop the undo), and committed with copi's trailers (and tagged,
   for a transition): the files written alone (`git commit -- <those files>`, the user's other
   edits stay uncommitted), or the whole process directory when it is the evidence. A failure
   at any step puts every file back as it was and leaves git as it was, with Ctrl-C and SIGTERM
   held off until it has (a second Ctrl-C cannot cut the undo short).
5. close(): the lock is given back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from copi_cli.cpr import MASK, cpr_like
from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import CopiError, EnvironmentProblem, UsageError, UserError
from copi_cli.messages import Said, os_reason
from copi_cli.model.workspace import PROCESS_FILE, Workspace
from copi_cli.model.yamledit import YamlEditor, dump
from copi_cli.storage import read_kept, write_atomically, written_as
from copi_cli.trail import commits, gitrepo, locking
from copi_cli.trail.locking import Held
from copi_cli.validation.pipeline import Report, validate

MATERIALS = "materialer"

# Every commit copi makes says what it did, to which process and who acted; transitions say more
# (copi_cli.trail.lifecycle), and the audit trail reads them back (copi_cli.trail.audit).
TRAILER_ACTION = "Copi-Action"
TRAILER_PROCESS = "Copi-Process"
TRAILER_ACTOR = "Copi-Actor"


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


class RefusedChange(UserError):
    """The change would leave the process with an error; nothing was written."""

    def __init__(self, findings: list[Diagnostic]) -> None:
        first = findings[0]
        more = Said("trail.and-more", n=len(findings) - 1) if len(findings) > 1 else ""
        super().__init__(
            Said("trail.refused-change", where=f"{first.path}:{first.line}:{first.col}",
                 code=first.code, finding=first.message, more=more),
            hint=first.hint or Said("trail.refused-change-hint"))
        self.findings = findings


class Recorded(NamedTuple):
    """What a change wrote, and the commit that holds it."""

    files: list[str]  # relative to the process directory
    commit: str | None  # None with --no-commit
    warnings: list[Diagnostic]  # new warnings in the files written


class Change:
    """One change to a process, from opening it to its commit."""

    def __init__(self, root: Path, today: dt.date, commit: bool = True,
                 evidence: bool = False, lock: bool = True) -> None:
        """commit: False for --no-commit (and --dry-run). evidence: the commit takes the whole
        process directory, the user's uncommitted edits included, for they are the evidence a
        transition's gate was judged on; otherwise it takes the files the change writes.
        lock: False only for what writes nothing (--dry-run)."""
        self.root = root
        self.today = today
        self.evidence = evidence
        self.repo = gitrepo.require_repo(root) if commit else None  # None: no commit
        # with --no-commit too, the repository's lock: another copi may be committing there;
        # and git names who acts (a transition records it in copi.yaml)
        self.enclosing = self.repo or gitrepo.find_repo(root)
        self.held: Held | None = None
        self._asking: gitrepo.Questions | None = None
        # the process file as the command found it, before it waited for the lock: a
        # transition judged after another copi moved the process would move it twice
        self.found = _read(root / PROCESS_FILE) if evidence else None
        try:
            if lock:
                self.held = locking.take(self.enclosing, root)
                if self.enclosing:
                    commits.sweep_undo(self.enclosing.git_dir)
            if self.repo:
                self._refuse_git_at_work(self.repo)
            if self.enclosing and (self.repo or evidence):  # --no-commit asks who only for
                self._asking = gitrepo.Questions(  # a transition, which records it
                    self.enclosing, [root] if self.repo and evidence else None,
                    branch=self.repo is not None)
            self.before: Report = validate(root, today=today, want_workspace=True)
            if self.repo and self._asking:
                gitrepo.refuse_detached(self._asking.branch())
        except BaseException:
            self.close()
            raise
        assert self.before.workspace is not None
        self.ws: Workspace = self.before.workspace
        self.texts: dict[str, str] = {}
        self.copies: dict[str, Path] = {}
        self._styles: dict[str, tuple[bool, bool]] = {}  # path -> (byte-order mark, CRLF)
        self._seen: dict[str, bytes | None] = {}  # each file as the change first saw it
        self._beside: set[str] = set()  # files that are no records of the process (put_beside)
        self._watched: set[str] = set()  # files read but not written that the change rests on
        self.asked = False  # a person was asked, the lock not held: a move meanwhile is told so
        self.repaired: list[Diagnostic] = []  # what the opening put right (a missing tag)

    def changed(self) -> list[str]:
        """What git said differs from HEAD under the process directory when the change was
        opened (a change whose evidence is the whole directory), relative to the repository."""
        assert self._asking is not None and self.evidence
        return self._asking.changes().files

    def _refuse_git_at_work(self, repo: gitrepo.Repo) -> None:
        """A merge in progress, or git's index.lock: after a copi that died holding the lock
        (kill -9), the index.lock is most likely its git's, and the user is told so."""
        died = self.held.died if self.held else None
        if died:
            for lock in _git_locks_left(repo.git_dir):
                raise EnvironmentProblem(Said("trail.git-lock-left", lock=lock, pid=died),
                                         hint=Said("trail.git-lock-left-hint", lock=lock))
        gitrepo.refuse_unfinished(repo)

    def __enter__(self) -> Change:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def language(self) -> str:
        return self.ws.language

    @property
    def process_id(self) -> str:
        return str(self.ws.process.get("id", self.root.name))

    def actor(self) -> str:
        """Who git will record as committer; outside a repository, the login name."""
        if self._asking:
            return self._asking.actor()
        if self.enclosing:
            return gitrepo.actor(self.enclosing.root)
        import getpass

        return getpass.getuser()

    # --- files -------------------------------------------------------------------------------

    def exists(self, rel: str) -> bool:
        return rel in self.texts or rel in self.copies or (self.root / rel).exists()

    def read(self, rel: str) -> str:
        """A file's text with \\n line ends; how it was written (a byte-order mark, \\r\\n)
        is remembered and given back when the file is written."""
        if rel in self.texts:
            return self.texts[rel]
        raw = (self.root / rel).read_bytes()
        self._seen.setdefault(rel, raw)
        try:
            text, self._styles[rel] = read_kept(raw)
        except UnicodeDecodeError:
            raise UserError(Said("trail.not-utf8", path=rel),
                            hint=Said("trail.not-utf8-hint")) from None
        return text

    def _encoded(self, rel: str) -> bytes:
        return written_as(self.texts[rel], self._styles.get(rel, (False, False)))

    def create(self, rel: str, data: dict, comment: str | None = None) -> None:
        """A new file; never one that exists (records are not overwritten)."""
        if self.exists(rel):
            raise UserError(Said("trail.exists", path=rel), hint=Said("trail.exists-hint"))
        from copi_cli.validation.editor import with_modeline

        self._seen.setdefault(rel, None)
        self.texts[rel] = with_modeline(rel, dump(data, comment))

    def put(self, rel: str, text: str) -> None:
        """A whole file's text as given (an imported answer file), new or replacing one; it is
        validated with the rest of the change like any other."""
        target = self.root / rel
        self._seen.setdefault(rel, target.read_bytes() if target.exists() else None)
        self.texts[rel] = text if text.endswith("\n") else text + "\n"

    def put_beside(self, path: Path, text: str) -> None:
        """A file that is no record of the process (a CI workflow at the repository's root),
        written, committed and put back with the change like its records, never validated."""
        rel = os.path.relpath(path, self.root)
        self._beside.add(rel)
        self.put(rel, text)

    @contextmanager
    def edit(self, rel: str) -> Iterator[YamlEditor]:
        """Edit an existing file; the edits take effect when the block ends without error."""
        editor = YamlEditor(self.read(rel), rel)
        yield editor
        self.texts[rel] = editor.result()

    def append(self, rel: str, key: str, item: Any, comment: str | None = None) -> None:
        """Append an item to a top-level list, creating the file when it does not exist."""
        if not self.exists(rel):
            self.create(rel, {key: [item]}, comment)
            return
        with self.edit(rel) as editor:
            editor.append((key,), item)

    def append_all(self, rel: str, key: str, items: list[Any]) -> None:
        """Append items to a top-level list in one edit (the file parsed once, whatever the
        number of items), creating the file when it does not exist."""
        if not items:
            return
        if not self.exists(rel):
            self.create(rel, {key: list(items)})
            return
        with self.edit(rel) as editor:
            editor.extend((key,), items)

    def bring_in(self, source: Path) -> str:
        """The process-relative path of a file a record points at.

        A file inside the process is referenced where it is; one from outside (a PDF in
        Downloads) is copied into materialer/, so the process holds its own evidence.
        """
        path = source.expanduser()
        if not path.is_absolute() and not path.exists() and (self.root / path).exists():
            path = self.root / path  # a path inside the process, written from its root
        path = path.resolve()
        if not path.is_file():
            raise UsageError(Said("trail.evidence-folder" if path.is_dir()
                                  else "trail.evidence-missing", source=source),
                             hint=Said("trail.evidence-hint"))
        root = self.root.resolve()
        if path.is_relative_to(root):
            return PurePosixPath(*path.relative_to(root).parts).as_posix()
        rel = f"{MATERIALS}/{path.name}"
        target = self.root / rel
        if rel in self.copies and self.copies[rel] != path:
            raise UserError(Said("trail.same-name", name=path.name, folder=MATERIALS),
                            hint=Said("trail.same-name-hint"))
        if target.exists() and _digest(target) != _digest(path):
            raise UserError(Said("trail.exists-other", path=rel),
                            hint=Said("trail.exists-other-hint", name=path.name, path=rel))
        if not target.exists():
            self._seen.setdefault(rel, None)
            self.copies[rel] = path
        return rel

    # --- applying ----------------------------------------------------------------------------

    def check(self) -> list[Diagnostic]:
        """Refuse the change if it brings an error; the new warnings of the files it writes."""
        self._refuse_cpr_numbers()
        after = validate(self.root, today=self.today, changes={
            rel: text for rel, text in self.texts.items() if rel not in self._beside})
        seen = {(d.path, d.code, d.message) for d in self.before.diagnostics}
        touched = set(self.texts)
        new = [d for d in after.diagnostics
               if (d.path in touched or (d.path, d.code, d.message) not in seen)
               and not (d.code == "R015" and any(f in d.message
                                                 for f in (*self.copies, *self.texts)))]
        errors = [d for d in new if d.level == "error"]
        if errors:
            raise RefusedChange(errors)
        return [d for d in new if (d.path, d.code, d.message) not in seen]

    def _refuse_cpr_numbers(self) -> None:
        """A CPR-like number the change would bring into a file (practice.md, "Personal
        data"): a warning in a file written by hand (R032), refused before copi commits one,
        since the commit would keep it in the history. One the file already held is left to
        R032: refusing it would block every other change to that file."""
        for rel, text in sorted(self.texts.items()):
            found = cpr_like(text)
            if not found:
                continue
            held: set[str] = set()
            with suppress(OSError, UnicodeDecodeError):
                before = self._seen.get(rel) or (self.root / rel).read_bytes()
                held = {_digits(m.group(0)) for m in cpr_like(read_kept(before)[0])}
            new = [m for m in found if _digits(m.group(0)) not in held]
            if new:
                at = new[0].start()
                line = text.count("\n", 0, at) + 1
                col = at - (text.rfind("\n", 0, at) + 1) + 1
                raise RefusedChange([Diagnostic(
                    rel, line, col, "R032",
                    Said("trail.cpr", mask=MASK), Said("trail.cpr-hint"))])

    def apply(self, subject: str, action: str, tag: str | None = None,
              trailers: dict[str, str] | None = None) -> Recorded:
        """Validate, write and commit the change, and tag the commit: all of it or nothing.

        The commit carries copi's trailers: the action, the process and who acts, or trailers
        that say more (a transition's phases, its reason).
        """
        if not self.texts and not self.copies:
            raise UserError(Said("trail.nothing"), hint=Said("trail.nothing-hint"))
        warnings = self.check()
        files = sorted({*self.texts, *self.copies})
        if self.held is None:  # opened without it (a dry run, or a person asked first):
            self.held = locking.take(self.enclosing, self.root)  # never written without it
            if self.enclosing:
                commits.sweep_undo(self.enclosing.git_dir)
        self._refuse_changed_meanwhile(files)
        undo = commits.undo_dir(self.enclosing.git_dir) if self.enclosing else None
        kept: dict[str, Path | None] = {}  # each file's original, kept aside; None: it is new
        made: list[Path] = []  # folders made for new files
        writing = ""
        committed = None
        with commits.armed():
            try:
                for rel in files:
                    writing = rel
                    target = self.root / rel
                    _sweep_temporaries(target.parent)
                    kept[rel] = (commits.keep_aside(target, undo)
                                 if target.exists() else None)
                    made += _make_parents(target.parent)
                    if rel in self.copies:
                        shutil.copyfile(self.copies[rel], target)
                    else:
                        write_atomically(target, self._encoded(rel))
                writing = ""
                if self.repo:
                    committed = self._commit(
                        files, subject, trailers or {TRAILER_ACTION: action,
                                                     TRAILER_PROCESS: self.process_id,
                                                     TRAILER_ACTOR: self.actor()},
                        tag, created=None in kept.values())
            except BaseException as error:
                with commits.undoing():
                    left = _put_back(self.root, kept, made)
                    if undo:
                        shutil.rmtree(undo, ignore_errors=True)
                if left:
                    raise EnvironmentProblem(
                        Said("trail.not-put-back", files=", ".join(left), error=str(error)),
                        hint=Said("trail.not-put-back-hint")) from error
                if writing and isinstance(error, OSError):
                    raise EnvironmentProblem(
                        Said("trail.unwritable", path=writing, reason=os_reason(error)),
                        hint=Said("trail.unwritable-hint")) from error
                raise
        for aside in kept.values():
            if aside is not None:
                aside.unlink(missing_ok=True)
        if undo:
            commits.drop_undo_dir(undo.parent)
        if committed is None:
            return Recorded(files, None, warnings)
        return Recorded(sorted({*files, *committed.files}), committed.commit, warnings)

    def watch(self, rel: str) -> None:
        """A file the change rests on without writing it (the answers a tool apply feeds, the
        process file): changed by the time the change is written, the change is refused."""
        target = self.root / rel
        self._seen.setdefault(rel, target.read_bytes() if target.is_file() else None)
        self._watched.add(rel)

    def _refuse_changed_meanwhile(self, files: list[str]) -> None:
        """Under the lock, before writing: a file another copi (or a person) changed since
        this change read it would lose that edit, or make what was shown no longer true."""
        for rel in sorted({*files, *self._watched}):
            target = self.root / rel
            now = target.read_bytes() if target.exists() else None
            if rel in self._seen and now != self._seen[rel]:
                if self.asked:
                    raise EnvironmentProblem(Said("trail.changed-while-asking", path=rel),
                                             hint=Said("trail.changed-while-asking-hint"))
                raise EnvironmentProblem(Said("trail.changed-meanwhile", path=rel),
                                         hint=Said("trail.run-again"))

    def _commit(self, files: list[str], subject: str, trailers: dict[str, str],
                tag: str | None, created: bool) -> commits.Committed:
        """Commit the files written (or the whole process directory: the evidence); the files
        committed come back relative to the process directory."""
        assert self.repo is not None
        paths = [self.root] if self.evidence else [self.root / rel for rel in files]
        # git was asked what changed under the process directory when the change was opened;
        # a file the change created was not there yet, so git is asked again; so too when a
        # temporary file a killed copi left among the changes is removed first
        asked = self._asking if self.evidence and not created else None
        if asked and _swept(self.repo.root, asked.changes().files):
            asked = None
        committed = commits.commit_transition(self.repo, paths, subject, trailers, tag, asked)
        prefix = os.path.relpath(self.root, self.repo.root)
        return committed._replace(files=[
            name if prefix == "." else os.path.relpath(name, prefix)
            for name in committed.files])

    def close(self) -> None:
        """Wait for git's answers even if nobody needed them, and give the lock back."""
        try:
            if self._asking:
                self._asking.close()
        finally:
            held, self.held = self.held, None
            if held:
                locking.release(held)

    def explain(self, error: UserError) -> UserError:
        """A refusal (a record already there) about a file that is not committed: after a
        copi was stopped before its commit, the record is in the work tree only, and the user
        is told so, with what to do. Asks git only on this path."""
        if not self.enclosing or isinstance(error, RefusedChange):
            return error
        named = {rel for rel in _PATHS.findall(f"{error.message} {error.hint or ''}")
                 if not rel.startswith(("/", ".")) and (self.root / rel).is_file()}
        named |= {rel for rel in self._seen if (self.root / rel).is_file()}
        if not named:
            return error
        try:
            status = gitrepo.changes(self.enclosing,
                                     [self.root / rel for rel in sorted(named)])
        except CopiError:  # the refusal stands as it is
            return error
        if not status.files:
            return error
        prefix = os.path.relpath(self.root, self.enclosing.root)
        shown = sorted(name if prefix == "." else os.path.relpath(name, prefix)
                       for name in status.files)
        error.message = Said("trail.not-committed" if len(shown) > 1
                             else "trail.not-committed-one", refusal=error.message,
                             files=", ".join(shown))
        error.hint = Said("trail.not-committed-hint")
        return error


_PATHS = re.compile(r"[\w./-]+\.(?:yaml|md)\b")


def _git_locks_left(git_dir: Path) -> list[Path]:
    """The index's lock files a git killed with its copi leaves: index.lock, and a partial
    commit's next-index-<pid>.lock (`git commit -- paths`)."""
    found = [git_dir / "index.lock"] if (git_dir / "index.lock").exists() else []
    with suppress(OSError):
        found += sorted(git_dir / name for name in os.listdir(git_dir)
                        if name.startswith("next-index-") and name.endswith(".lock"))
    return found


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _make_parents(folder: Path) -> list[Path]:
    """Make a new file's folders; those made, deepest first, for the undo to remove."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir()
    return missing


def _put_back(root: Path, kept: dict[str, Path | None], made: list[Path]) -> list[str]:
    """Every file as it was: an original by rename (no new space), a new file removed, a
    folder made for it too. What could not be put back is named."""
    left = []
    for rel, aside in kept.items():
        target = root / rel
        try:
            if aside is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(aside, target)
        except OSError:
            left.append(rel)
    for folder in made:
        with suppress(OSError):
            folder.rmdir()
    return left


_TEMPORARY = re.compile(r"\..+\.copi-(\d+)\.(?:tmp|keep)")


def _sweep_temporaries(folder: Path) -> None:
    """Temporary files copis that were killed left while writing here (storage's
    `.<name>.copi-<pid>.tmp`, an original kept aside outside a repository): the lock holder is
    the only copi writing records, so one of another pid that is not running is a leftover."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        found = _TEMPORARY.fullmatch(name)
        if found and int(found.group(1)) != os.getpid() and not _alive(int(found.group(1))):
            (folder / name).unlink(missing_ok=True)


def _swept(top: Path, names: list[str]) -> bool:
    """Remove the leftover temporary files among the changes a transition would commit."""
    swept = False
    for name in names:
        found = _TEMPORARY.fullmatch(os.path.basename(name))
        if found and int(found.group(1)) != os.getpid() and not _alive(int(found.group(1))):
            (top / name).unlink(missing_ok=True)
            swept = True
    return swept


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
