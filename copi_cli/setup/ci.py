"""Workflows that run copi in a process repo's CI (GitHub Actions, GitLab CI).

The workflow installs copi, validates the process with annotations on the pull request, audits
the trail with the whole git history, shows whether the gate holds and renders the documents as
artifacts. It lives where the CI system looks — at the root of the git repository — and names
the process's directory, so several processes in one repository each get their own.

The audit in CI sees only the tags that reached the remote, and `git push` alone pushes none, so
`copi ci` also sets push.followTags in the clone it runs in: every push carries the transition
tags of the commits it pushes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from jinja2.sandbox import SandboxedEnvironment

from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said
from copi_cli.resources import shipped_dir
from copi_cli.trail import gitrepo

SYSTEMS = ("github", "gitlab")


class Workflow(NamedTuple):
    path: Path  # absolute
    text: str


def default_install() -> str | None:
    """Where this copi was installed from, if a CI runner can install it from there too: the
    version-control URL pip recorded (PEP 610). None otherwise — copi is not on PyPI (a
    different project holds the name there), so the user must say."""
    import importlib.metadata
    import json

    try:
        recorded = importlib.metadata.distribution("copi").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return None
    info = json.loads(recorded or "{}")
    vcs = info.get("vcs_info")
    if not vcs or vcs.get("vcs") != "git" or not str(info.get("url", "")).startswith("https://"):
        return None
    return f"git+{info['url']}@{vcs.get('commit_id') or vcs.get('requested_revision')}"


def workflow(system: str, repo_root: Path, process_root: Path, process_id: str,
             install: str | None = None, branch: str = "main") -> Workflow:
    import json
    import shlex

    if system not in SYSTEMS:
        raise UsageError(Said("ci.system-unknown", system=system),
                         hint=Said("ci.system-unknown-hint"))
    install = install or default_install()
    if not install:
        raise UsageError(Said("ci.install-missing"), hint=Said("ci.install-missing-hint"))
    relative = os.path.relpath(process_root.resolve(), repo_root.resolve()).replace(os.sep, "/")
    directory = "." if relative == "." else relative
    build = "build/" if relative == "." else f"{relative}/build/"
    source = (shipped_dir("templates") / "ci" / f"{system}.yml.j2").read_text(encoding="utf-8")
    env = SandboxedEnvironment(keep_trailing_newline=True)
    # JSON strings are YAML scalars that hold anything; shlex keeps paths one word in the shell
    env.globals.update(json=lambda text: json.dumps(text, ensure_ascii=False),
                       shell=shlex.quote)
    text = env.from_string(source).render(
        process_id=process_id, directory=directory, build=build, install=install,
        branch=branch, report=f"copi-{process_id}.xml")
    path = (repo_root / ".github" / "workflows" / f"copi-{process_id}.yml" if system == "github"
            else repo_root / ".gitlab-ci.yml")
    return Workflow(path, text)


def push_tags(repo_root: Path) -> None:
    """Make `git push` in this clone carry the annotated tags of the commits it pushes (the
    transition tags), as `git push --follow-tags` does."""
    gitrepo.run(repo_root, "config", "--local", "push.followTags", "true")


def refuse_links(repo_root: Path, path: Path) -> None:
    """A workflow is written only into real folders of the repository: a committed link
    `.github/workflows → ~/.config/…` must not send it elsewhere, nor may the file itself be
    a link."""
    current = repo_root
    for part in path.relative_to(repo_root).parts:
        current = current / part
        if current.is_symlink():
            shown = current.relative_to(repo_root).as_posix()
            raise UserError(Said("ci.symlink", path=shown),
                            hint=Said("ci.symlink-hint", path=shown))
