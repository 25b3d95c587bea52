"""How every recording command changes a process: in memory, validated, written, committed.

Design:
1. open a Change: the repository is checked (no merge in progress, a branch checked out), git is
   asked who acts, and the process is loaded as it is now.
2. the command creates files (one per organisation, event, supplier, meeting) or edits them
   surgically (copi_cli.model.yamledit), all in memory, and may bring in files from outside the
   process (evidence, materials) into materialer/.
3. apply(): the process is validated as it would be. Any error in a file the change touches, or
   any new error elsewhere (a duplicate id, a dangling reference), refuses the change with that
   finding; errors that were there before and lie elsewhere do not block recording.
4. Under the process's lock the files are written whole, and committed alone (`git commit --
   <those files>`, the user's other edits stay uncommitted) with copi's trailers. A failure at
   any step puts every file back as it was and leaves git as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import UsageError, UserError
from copi_cli.model.workspace import Workspace
from copi_cli.model.yamledit import YamlEditor, dump
from copi_cli.storage import read_kept, write_atomically, written_as
from copi_cli.trail import gitrepo
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
    files: list[str]  # relative to the process directory
    commit: str | None  # None with --no-commit
    warnings: list[Diagnostic]  # new warnings in the files written


class Change:
    """One recording command's change to a process."""

    def __init__(self, root: Path, today: dt.date, commit: bool = True) -> None:
        self.root = root
        self.today = today
        self.repo = gitrepo.require_repo(root) if commit else None
        if self.repo:
            gitrepo.ensure_ready(self.repo)
        self._asking = gitrepo.Questions(self.repo) if self.repo else None
        try:
            self.before: Report = validate(root, today=today, want_workspace=True)
        except BaseException:
            if self._asking:
                self._asking.close()
            raise
        assert self.before.workspace is not None
        self.ws: Workspace = self.before.workspace
        self.texts: dict[str, str] = {}
        self.copies: dict[str, Path] = {}
        self._styles: dict[str, tuple[bool, bool]] = {}  # path -> (byte-order mark, CRLF)

    @property
    def language(self) -> str:
        return self.ws.language

    @property
    def process_id(self) -> str:
        return str(self.ws.process.get("id", self.root.name))

    def actor(self) -> str:
        if self.repo:
            assert self._asking is not None
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
        try:
            text, self._styles[rel] = read_kept((self.root / rel).read_bytes())
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

        self.texts[rel] = with_modeline(rel, dump(data, comment))

    def put(self, rel: str, text: str) -> None:
        """A whole file's text as given (an imported answer file), new or replacing one; it is
        validated with the rest of the change like any other."""
        self.texts[rel] = text if text.endswith("\n") else text + "\n"

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
            self.copies[rel] = path
        return rel

    # --- applying ----------------------------------------------------------------------------

    def check(self) -> list[Diagnostic]:
        """Refuse the change if it brings an error; the new warnings of the files it writes."""
        after = validate(self.root, today=self.today, changes=self.texts)
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

    def apply(self, subject: str, action: str) -> Recorded:
        """Validate, write and commit the change: all of it or nothing."""
        if not self.texts and not self.copies:
            raise UserError("nothing to change", hint="the record already says this")
        warnings = self.check()
        trailers = {TRAILER_ACTION: action, TRAILER_PROCESS: self.process_id,
                    TRAILER_ACTOR: self.actor()}
        # with --no-commit too, the repository's lock: another copi may be committing there
        found = self.repo or gitrepo.find_repo(self.root)
        files = sorted({*self.texts, *self.copies})
        originals: dict[str, bytes | None] = {}
        with workspace_lock(found, self.root):
            try:
                for rel in files:
                    target = self.root / rel
                    originals[rel] = target.read_bytes() if target.exists() else None
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if rel in self.copies:
                        shutil.copyfile(self.copies[rel], target)
                    else:
                        write_atomically(target, self._encoded(rel))
                commit = None
                if self.repo:
                    commit = gitrepo.commit_transition(
                        self.repo, [self.root / rel for rel in files], subject, trailers,
                        None).commit
            except BaseException:
                for rel, original in originals.items():
                    target = self.root / rel
                    if original is None:
                        target.unlink(missing_ok=True)
                    else:
                        write_atomically(target, original)
                raise
        return Recorded(files, commit, warnings)

    def close(self) -> None:
        if self._asking:
            self._asking.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
