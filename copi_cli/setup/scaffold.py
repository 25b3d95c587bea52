"""Creating a new scaling process: files from templates/workspace/<lang>, a git repo, one commit.

Design:
1. Render every template (sandboxed Jinja2, strict about missing values) into memory.
2. Write them into a temporary directory beside the target and validate it: copi never creates a
   process that its own validate would reject.
3. Move the directory into place in one rename, then commit. If git fails, the directory is
   removed again: init either creates a committed process or leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said, message
from copi_cli.model.guidance import guidance
from copi_cli.model.organisations import identify, slugify
from copi_cli.model.workspace import load_layout
from copi_cli.resources import shipped_dir
from copi_cli.trail import commits, gitrepo

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class NewProcess(NamedTuple):
    id: str
    title: str
    lang: str
    owner_name: str
    owner_type: str | None
    facilitator: str
    actor: str  # who git names as committer (gitrepo.actor), asked by the caller
    today: dt.date
    ci: str | None = None  # github or gitlab: a workflow in the same commit
    ci_install: str | None = None  # what the workflow installs copi from
    site: bool = False  # the workflow also publishes the process's website (copi ci --site)


def _context(new: NewProcess) -> dict:
    owner = identify(new.owner_name, new.owner_type, "--owner-type")
    return {
        "id": new.id, "title": new.title, "facilitator": new.facilitator, "actor": new.actor,
        "reason": message("init.created", new.lang),  # the first history entry
        "today": new.today.isoformat(), "owner_name": owner.name,
        "owner_id": slugify(owner.name), "owner_type": owner.type,
        "municipality_code": owner.municipality_code, "region_code": owner.region_code,
    }


def render_files(new: NewProcess) -> dict[str, str]:
    """Relative path -> content of every file of the new process."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from copi_cli.validation.editor import SCHEMA_DIR, schema_files, with_modeline

    source = shipped_dir("templates") / "workspace" / new.lang
    env = SandboxedEnvironment(loader=FileSystemLoader(source), undefined=StrictUndefined,
                               keep_trailing_newline=True, autoescape=False)
    # JSON strings are valid YAML double-quoted scalars: safe for any title or name.
    env.filters["yq"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    # the prompts and placeholders, from the data file copi recognises them by (R026)
    env.globals["guide"] = lambda id: guidance(id).text[new.lang]
    context = _context(new)
    files = {}
    for template in sorted(env.list_templates(extensions=["j2"])):
        target = template.removesuffix(".j2")
        if target == "gitignore":
            target = ".gitignore"
        elif target == "organisationer/owner.yaml":
            target = f"organisationer/{context['owner_id']}.yaml"
        files[target] = with_modeline(target, env.get_template(template).render(context))
    # the schemas, for editors offline (copi_cli.validation.editor)
    for name, content in schema_files().items():
        files[f"{SCHEMA_DIR}/{name}"] = content.decode("utf-8")
    for kind in load_layout().kinds:
        directory = kind.directory
        if kind.id_is_file_name and not any(f.startswith(directory + "/") for f in files):
            files[f"{directory}/.gitkeep"] = ""
    files["materialer/.gitkeep"] = ""
    return files


def create_process(parent: Path, new: NewProcess, commit: bool = True) -> Path:
    """Create the process directory parent/<id>, validated and committed, or nothing at all."""
    if not SLUG.match(new.id):
        raise UsageError(Said("init.bad-name", name=new.id),
                         hint=Said("init.bad-name-hint", example=slugify(new.id) or "min-proces"))
    if new.lang not in ("da", "en"):
        raise UsageError(Said("init.lang-unknown", lang=new.lang),
                         hint=Said("init.lang-unknown-hint"))
    target = parent / new.id
    inside = _enclosing_process(parent)
    if inside is not None:
        raise UserError(Said("init.inside", parent=str(parent), inside=str(inside)),
                        hint=Said("init.inside-hint", dir=str(inside.parent)))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(Said("init.exists", target=str(target)), hint=Said("init.exists-hint"))
    if not parent.is_dir():
        raise UserError(Said("init.not-a-directory", parent=str(parent)))
    enclosing = gitrepo.find_repo(parent) if commit else None
    if enclosing:
        gitrepo.ensure_ready(enclosing)
    files = render_files(new)
    staging = Path(tempfile.mkdtemp(prefix=f".{new.id}-", dir=parent))
    try:
        for rel, content in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        _refuse_invalid(staging, new.today)
        if target.exists():
            target.rmdir()
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a process is shared work
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not commit:
        return target
    from copi_cli.model.processfile import Transition
    from copi_cli.trail.lifecycle import tag_name, trailers
    from copi_cli.trail.locking import workspace_lock

    first = Transition(new.today.isoformat(), None, "innovation-need", "init", new.actor,
                       message("init.created", new.lang), False)
    written: list[Path] = []
    try:
        repo = enclosing
        if repo is None:
            gitrepo.init_repo(target)
            repo = gitrepo.require_repo(target)
        paths = [target]
        if new.ci:
            from copi_cli.setup.ci import refuse_links, workflows

            made = workflows(new.ci, repo.root, target, new.id, new.ci_install,
                             gitrepo.current_branch(repo) or "main", new.site)
            for item in made:
                refuse_links(repo.root, item.path)
                if item.path.exists():
                    raise UserError(Said("init.ci-exists", path=item.path),
                                    hint=Said("init.ci-exists-hint", system=new.ci))
            for item in made:
                item.path.parent.mkdir(parents=True, exist_ok=True)
                item.path.write_text(item.text, encoding="utf-8")
                written.append(item.path)
                paths.append(item.path)
        subject = message("init.subject", new.lang, title=new.title)
        with workspace_lock(repo, target):
            commits.commit_transition(repo, paths, subject, trailers(new.id, first),
                                      tag_name(new.id, 1, first.to_phase))
    except BaseException:
        for path in written:
            if not path.is_relative_to(target):
                path.unlink(missing_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _enclosing_process(directory: Path) -> Path | None:
    from copi_cli.errors import NotAProcessError
    from copi_cli.model.workspace import find_root

    try:
        return find_root(directory)
    except NotAProcessError:
        return None


def _refuse_invalid(directory: Path, today: dt.date) -> None:
    from copi_cli.validation.pipeline import validate

    report = validate(directory, today=today, use_cache=False)
    if report.errors:
        first = report.errors[0]
        raise UserError(Said("init.invalid", path=first.path, message=first.message),
                        hint=Said("init.invalid-hint"))
