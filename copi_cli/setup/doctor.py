"""copi doctor: is everything copi needs here, and is this process set up as copi expects?

Each check says what it found and, when something is missing, the one thing to do about it. The
checks run the real tools (git, the bundled pandoc, typst) rather than trusting that they are
installed: a broken wheel shows up here, not in the middle of a render.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from copi_cli.messages import Said


class Finding(NamedTuple):
    name: str
    ok: bool
    detail: str
    fix: str | None = None
    needed: bool = True  # False: good to have, not a failure


def _python() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    return Finding("python", sys.version_info >= (3, 11), version,
                   None if sys.version_info >= (3, 11) else Said("doctor.python-fix"))


def _git(where: Path) -> list[Finding]:
    if shutil.which("git") is None:
        return [Finding("git", False, Said("doctor.not-found"), Said("doctor.git-fix"))]
    version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout
    found = [Finding("git", True, version.strip().removeprefix("git version "))]
    ident = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=where,
                           capture_output=True, text=True)
    who = ident.stdout.rsplit(">", 1)[0] + ">" if ident.returncode == 0 else ""
    found.append(Finding("git identity", bool(who), who or Said("doctor.not-set"),
                         None if who else Said("doctor.identity-fix")))
    return found


def _pandoc() -> Finding:
    from copi_cli.errors import CopiError
    from copi_cli.rendering.conversion import pandoc_path

    try:
        path = pandoc_path()
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    except (CopiError, OSError) as error:
        return Finding("pandoc", False, str(error), Said("doctor.pandoc-fix"))
    if done.returncode != 0 or not done.stdout:
        return Finding("pandoc", False, Said("doctor.pandoc-broken", path=path),
                       Said("doctor.pandoc3-fix"))
    first = done.stdout.splitlines()[0]
    ok = first.startswith("pandoc 3")
    return Finding("pandoc", ok, f"{first} ({path})", None if ok else
                   Said("doctor.pandoc3-fix"))


def _typst() -> Finding:
    try:
        import typst

        # object, not the stub's bytes: a broken wheel may return anything
        pdf: object = typst.compile("= copi doctor\nÆøå".encode(), ignore_system_fonts=True)
    except Exception as error:  # a broken wheel: whatever it raises, say so
        return Finding("typst", False, f"{type(error).__name__}: {error}",
                       Said("doctor.typst-fix"))
    ok = isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    version = f"typst {getattr(typst, '__version__', '')}".strip()
    return Finding("typst", ok, Said("doctor.typst-sets", version=version) if ok else
                   Said("doctor.typst-no-pdf", version=version),
                   None if ok else Said("doctor.typst-fix"))


def _process(root: Path) -> list[Finding]:
    import datetime as dt

    from copi_cli.errors import CopiError
    from copi_cli.trail import gitrepo
    from copi_cli.validation.editor import SCHEMA_DIR, stale
    from copi_cli.validation.pipeline import validate

    found = []
    report = validate(root, today=dt.date.today())
    errors, warnings = len(report.errors), len(report.warnings)
    found.append(Finding("process", not errors,
                         Said("doctor.process", root=str(root), files=report.files,
                              errors=errors, warnings=warnings),
                         Said("doctor.process-fix") if errors else None))
    refused: CopiError | None = None
    try:
        repo = gitrepo.discover_repo(root)
    except CopiError as problem:  # a .git that links nowhere: git refuses it too
        repo, refused = None, problem
    if refused:
        found.append(Finding("repository", False, refused.message, refused.hint))
    elif repo is None:
        found.append(Finding("repository", False, Said("doctor.no-repository"),
                             Said("doctor.no-repository-fix", root=shlex.quote(str(root)))))
    else:
        try:
            gitrepo.ensure_ready(repo)
            found.append(Finding("repository", True, str(repo.root)))
        except CopiError as problem:
            detached = "detached" in problem.message  # how CI checks out: fine for reading
            found.append(Finding("repository", False, problem.message, problem.hint,
                                 needed=not detached))
    old = stale(root)
    found.append(Finding("editor schemas", not old,
                         Said("doctor.schemas-old", dir=SCHEMA_DIR, n=len(old)) if old else
                         Said("doctor.schemas-current", dir=SCHEMA_DIR),
                         Said("doctor.schemas-fix") if old else None, needed=False))
    ignore = (repo.root if repo else root) / ".gitignore"
    local = root / ".gitignore"
    ignored = any(p.is_file() and any(line.strip().strip("/") == "build" for line in
                                      p.read_text(encoding="utf-8", errors="replace")
                                      .splitlines())
                  for p in (ignore, local))
    found.append(Finding("build/ ignored", ignored, Said("doctor.build-ignored") if
                         ignored else Said("doctor.build-not-ignored"),
                         None if ignored else f"echo build/ >> {shlex.quote(str(local))}",
                         needed=False))
    from copi_cli.trail.audit import read_process

    process_id = (read_process(root) or {}).get("id", "")
    top = repo.root if repo else root
    workflows = [p for p in [top / ".github" / "workflows" / f"copi-{process_id}.yml",
                             top / ".gitlab-ci.yml"]
                 if p.is_file() and f"copi-{process_id}" in p.name + p.read_text(
                     encoding="utf-8", errors="replace")]
    found.append(Finding("CI", bool(workflows), ", ".join(p.name for p in workflows) or
                         Said("doctor.no-workflow"), None if workflows else
                         Said("doctor.ci-fix"), needed=False))
    return found


def examine(start: Path) -> list[Finding]:
    from copi_cli.errors import NotAProcessError
    from copi_cli.model.workspace import find_root

    findings = [_python(), *_git(start), _pandoc(), _typst()]
    try:
        root = find_root(start)
    except NotAProcessError:
        return findings
    return findings + _process(root)
