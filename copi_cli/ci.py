"""Workflows that run copi in a process repo's CI (GitHub Actions, GitLab CI).

The workflow installs copi, validates the process with annotations on the pull request, audits
the trail with the whole git history, shows whether the gate holds and renders the documents as
artifacts. It lives where the CI system looks — at the root of the git repository — and names
the process's directory, so several processes in one repository each get their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from jinja2.sandbox import SandboxedEnvironment

from copi_cli import __version__
from copi_cli.errors import UsageError
from copi_cli.resources import shipped_dir

SYSTEMS = ("github", "gitlab")


class Workflow(NamedTuple):
    path: Path  # absolute
    text: str


def default_install() -> str:
    return f"copi=={__version__}"


def workflow(system: str, repo_root: Path, process_root: Path, process_id: str,
             install: str | None = None) -> Workflow:
    if system not in SYSTEMS:
        raise UsageError(f"unknown CI system '{system}'", hint="use github or gitlab")
    relative = os.path.relpath(process_root.resolve(), repo_root.resolve()).replace(os.sep, "/")
    directory = "." if relative == "." else relative
    build = "build/" if relative == "." else f"{relative}/build/"
    source = (shipped_dir("templates") / "ci" / f"{system}.yml.j2").read_text(encoding="utf-8")
    text = SandboxedEnvironment(keep_trailing_newline=True).from_string(source).render(
        process_id=process_id, directory=directory, build=build,
        install=install or default_install())
    path = (repo_root / ".github" / "workflows" / f"copi-{process_id}.yml" if system == "github"
            else repo_root / ".gitlab-ci.yml")
    return Workflow(path, text)
