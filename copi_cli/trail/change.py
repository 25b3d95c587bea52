"""The one way copi changes a process: in memory, validated, written and committed as one.

Every command that changes a process goes through a Change: the recording commands (a record
added, a backing noted, answers imported), the phase transitions (copi_cli.trail.lifecycle) and
the CI workflow (copi ci). `copi init` does not: it creates the process, and its repository.

Design:
1. open a Change: the repository is checked (no merge in progress), git is asked who acts and
   whether a branch is checked out (and, when the whole process directory is the commit's
   evidence, what changed) while the process is loaded as it is now.
2. the caller creates files (one per organisation, event, supplier, meeting) or edits them
   surgically (copi_cli.model.yamledit), all in memory, may bring in files from outside the
   process (evidence, materials) into materialer/, and may put a file beside the records (a CI
   workflow), which is written and committed with them but not validated.
3. apply(): the process is validated as it would be. Any error in a file the change touches, or
   any new error elsewhere (a duplicate id, a dangling reference), refuses the change with that
   finding; errors that were there before and lie elsewhere do not block it.
4. Under the repository's lock the files are written whole, unless another hand changed one of
   them since the change read it, and committed with copi's trailers (and tagged, for a
   transition): the files written alone (`git commit -- <those files>`, the user's other edits
   stay uncommitted), or the whole process directory when it is the evidence. A failure at any
   step puts every file back as it was and leaves git as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import EnvironmentProblem, UsageError, UserError
from copi_cli.model.workspace import Workspace
from copi_cli.model.yamledit import YamlEditor, dump
from copi_cli.storage import read_kept, write_atomically, written_as
from copi_cli.trail import commits, gitrepo
from copi_cli.trail.locking import workspace_lock
from copi_cli.validation.pipeline import Report, validate

MATERIALS = "materialer"

# Every commit copi makes says what it did, to which process and who acted; transitions say more
# (copi_cli.trail.lifecycle), and the audit trail reads them back (copi_cli.trail.audit).
TRAILER_ACTION = "Copi-Action"
TRAILER_PROCESS = "Copi-Process"
TRAILER_ACTOR = "Copi-Actor"


class RefusedChange(UserError):
    """The change would leave the process with an error; nothing was written."""

    def __init__(self, findings: list[Diagnostic]) -> None:
        first = findings[0]
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(
            f"the change would make {first.path}:{first.line}:{first.col}: {first.code} "
            f"{first.message}{more}; nothing was written",
            hint=first.hint or "check the values given; copi validate shows the process as "
                               "it is")
        self.findings = findings


class Recorded(NamedTuple):
    """What a change wrote, and the commit that holds it."""

    files: list[str]  # relative to the process directory
    commit: str | None  # None with --no-commit
    warnings: list[Diagnostic]  # new warnings in the files written


class Change:
    """One change to a process, from opening it to its commit."""

    def __init__(self, root: Path, today: dt.date, commit: bool = True,
                 evidence: bool = False) -> None:
        """commit: False for --no-commit (and --dry-run). evidence: the commit takes the whole
        process directory, the user's uncommitted edits included, for they are the evidence a
        transition's gate was judged on; otherwise it takes the files the change writes."""
        self.root = root
        self.today = today
        self.evidence = evidence
        self.repo = gitrepo.require_repo(root) if commit else None  # None: no commit
        # with --no-commit too, the repository's lock: another copi may be committing there;
        # and git names who acts (a transition records it in copi.yaml)
        self.enclosing = self.repo or gitrepo.find_repo(root)
        if self.repo:
            gitrepo.refuse_unfinished(self.repo)
        self._asking: gitrepo.Questions | None = None
        if self.enclosing:
            self._asking = gitrepo.Questions(self.enclosing,
                                             [root] if self.repo and evidence else None,
                                             branch=self.repo is not None)
        try:
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
            raise UserError(f"{rel} is not UTF-8 text, so copi will not change it",
                            hint="save it as UTF-8 (copi validate shows where)") from None
        return text

    def _encoded(self, rel: str) -> bytes:
        return written_as(self.texts[rel], self._styles.get(rel, (False, False)))

    def create(self, rel: str, data: dict, comment: str | None = None) -> None:
        """A new file; never one that exists (records are not overwritten)."""
        if self.exists(rel):
            raise UserError(f"{rel} already exists",
                            hint="choose another --id, or edit the existing record")
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
            raise UsageError(f"{source}: " + ("a directory, not a file" if path.is_dir()
                                              else "no such file"),
                             hint="give the path of a file, or a web address (https://…)")
        root = self.root.resolve()
        if path.is_relative_to(root):
            return PurePosixPath(*path.relative_to(root).parts).as_posix()
        rel = f"{MATERIALS}/{path.name}"
        target = self.root / rel
        if rel in self.copies and self.copies[rel] != path:
            raise UserError(f"two files named {path.name} would both go to {MATERIALS}/",
                            hint="rename one of them")
        if target.exists() and _digest(target) != _digest(path):
            raise UserError(f"{rel} already exists with other content",
                            hint=f"rename {path.name} before bringing it in, or point at "
                                 f"{rel} if it is the same material")
        if not target.exists():
            self._seen.setdefault(rel, None)
            self.copies[rel] = path
        return rel

    # --- applying ----------------------------------------------------------------------------

    def check(self) -> list[Diagnostic]:
        """Refuse the change if it brings an error; the new warnings of the files it writes."""
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

    def apply(self, subject: str, action: str, tag: str | None = None,
              trailers: dict[str, str] | None = None) -> Recorded:
        """Validate, write and commit the change, and tag the commit: all of it or nothing.

        The commit carries copi's trailers: the action, the process and who acts, or trailers
        that say more (a transition's phases, its reason).
        """
        if not self.texts and not self.copies:
            raise UserError("nothing to change", hint="the record already says this")
        warnings = self.check()
        files = sorted({*self.texts, *self.copies})
        originals: dict[str, bytes | None] = {}  # None: the file is new
        with workspace_lock(self.enclosing, self.root):
            self._refuse_changed_meanwhile(files)
            try:
                for rel in files:
                    target = self.root / rel
                    originals[rel] = target.read_bytes() if target.exists() else None
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if rel in self.copies:
                        shutil.copyfile(self.copies[rel], target)
                    else:
                        write_atomically(target, self._encoded(rel))
                committed = None
                if self.repo:
                    committed = self._commit(
                        files, subject, trailers or {TRAILER_ACTION: action,
                                                     TRAILER_PROCESS: self.process_id,
                                                     TRAILER_ACTOR: self.actor()},
                        tag, created=None in originals.values())
            except BaseException:
                for rel, original in originals.items():
                    target = self.root / rel
                    if original is None:
                        target.unlink(missing_ok=True)
                    else:
                        write_atomically(target, original)
                raise
        if committed is None:
            return Recorded(files, None, warnings)
        return Recorded(sorted({*files, *committed.files}), committed.commit, warnings)

    def _refuse_changed_meanwhile(self, files: list[str]) -> None:
        """Under the lock, before writing: a file another copi (or a person) changed since
        this change read it would lose that edit."""
        for rel in files:
            target = self.root / rel
            now = target.read_bytes() if target.exists() else None
            if rel in self._seen and now != self._seen[rel]:
                raise EnvironmentProblem(
                    f"{rel} was changed while copi was changing it (another copi?); nothing "
                    "was written", hint="run the command again")

    def _commit(self, files: list[str], subject: str, trailers: dict[str, str],
                tag: str | None, created: bool) -> commits.Committed:
        """Commit the files written (or the whole process directory: the evidence); the files
        committed come back relative to the process directory."""
        assert self.repo is not None
        paths = [self.root] if self.evidence else [self.root / rel for rel in files]
        # git was asked what changed under the process directory when the change was opened;
        # a file the change created was not there yet, so git is asked again
        asked = self._asking if self.evidence and not created else None
        committed = commits.commit_transition(self.repo, paths, subject, trailers, tag, asked)
        prefix = os.path.relpath(self.root, self.repo.root)
        return committed._replace(files=[
            name if prefix == "." else os.path.relpath(name, prefix)
            for name in committed.files])

    def close(self) -> None:
        """Wait for git's answers even if nobody needed them."""
        if self._asking:
            self._asking.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
