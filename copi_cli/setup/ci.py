"""Workflows that run copi in a process repo's CI (GitHub Actions, GitLab CI).

The workflow installs copi, validates the process with annotations on the pull request, audits
the trail with the whole git history, shows whether the gate holds and renders the documents as
artifacts. It lives where the CI system looks — at the root of the git repository — and names
the process's directory, so several processes in one repository each get their own.

The audit in CI sees only the tags that reached the remote, and `git push` alone pushes none, so
`copi ci` also sets push.followTags in the clone it runs in: every push carries the transition
tags of the commits it pushes.

With `--site` the process's public website (`copi site`) is published through the forge's pages
from the default branch alone, with the least privileges that do it: on GitHub a workflow of its
own (`copi-pages.yml`: a repository has one Pages site), whose build job may only read and whose
deploy job alone may write Pages; on GitLab a `pages` job in the same file, after the checks.

copi is not on PyPI, so a workflow installs copi from where `--install SPEC` says. Run again
without it, `copi ci` reads the spec back from its own workflow already there — only when that
file is exactly what copi writes with it, so an edited file teaches nothing.

Writing is idempotent and never clobbers a hand-edited workflow: a file that already holds what
copi would write is left alone, one that holds copi's own earlier, unedited workflow (the GitLab
file without the pages job) is replaced, and any other is refused unless --force — but for the
GitHub checks' workflow under `--site`, a file the Pages workflow only joins, which is left as
it is.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
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


def remembered_install(system: str, repo_root: Path, process_root: Path, process_id: str,
                       branch: str = "main") -> str | None:
    """The install spec of copi's own workflow for the process, read from its install line;
    None unless the file is, byte for byte, what copi writes with that spec (with or without
    the pages job)."""
    import json
    import re
    import shlex

    if system not in SYSTEMS:
        return None
    path = _path(system, system, repo_root, process_id)
    try:
        text = path.read_text(encoding="utf-8") if not path.is_symlink() else ""
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r'^\s*(?:- |run: )("pip install [^\n]*")$', text, re.MULTILINE)
    if found is None:
        return None
    try:
        words = shlex.split(json.loads(found.group(1)))
    except ValueError:
        return None
    if len(words) != 3 or any(c in words[2] for c in "\n\r"):
        return None
    for site in (False, True):
        if workflow(system, repo_root, process_root, process_id, words[2], branch,
                    site).text == text:
            return words[2]
    return None


def workflow(system: str, repo_root: Path, process_root: Path, process_id: str,
             install: str | None = None, branch: str = "main", site: bool = False) -> Workflow:
    """The checks' workflow; on GitLab with `site`, the same file with the pages job too."""
    return _made(system, system, repo_root, process_root, process_id, install, branch, site)


def workflows(system: str, repo_root: Path, process_root: Path, process_id: str,
              install: str | None = None, branch: str = "main",
              site: bool = False) -> list[Workflow]:
    """Every file `copi ci SYSTEM [--site]` writes: the checks, and on GitHub with `site` the
    Pages workflow beside them."""
    made = [workflow(system, repo_root, process_root, process_id, install, branch, site)]
    if site and system == "github":
        made.append(_made(system, "github-pages", repo_root, process_root, process_id, install,
                          branch, site))
    return made


def kept(system: str, repo_root: Path, process_id: str, site: bool) -> set[Path]:
    """Paths whose different text is left as it is rather than refused: with `--site` on GitHub
    the checks' workflow, a file of its own that the Pages workflow only joins."""
    if not (site and system == "github"):
        return set()
    return {repo_root / ".github" / "workflows" / f"copi-{process_id}.yml"}


def earlier(system: str, repo_root: Path, process_root: Path, process_id: str,
            install: str | None = None, branch: str = "main",
            site: bool = False) -> dict[Path, set[str]]:
    """What copi itself wrote before at the paths `workflows` writes, that it may replace
    without --force: the GitLab file without the pages job, when the pages job is added."""
    if not (site and system == "gitlab"):
        return {}
    plain = workflow(system, repo_root, process_root, process_id, install, branch, False)
    return {plain.path: {plain.text}}


def _made(system: str, template: str, repo_root: Path, process_root: Path, process_id: str,
          install: str | None, branch: str, site: bool) -> Workflow:
    import json
    import shlex

    if system not in SYSTEMS:
        raise UsageError(Said("ci.system-unknown", system=system),
                         hint=Said("ci.system-unknown-hint"))
    install = install or default_install()
    if not install:
        raise UsageError(Said("ci.install-missing"), hint=Said("ci.install-missing-hint"))
    relative = os.path.relpath(process_root.resolve(), repo_root.resolve()).replace(os.sep, "/")
    if "$" in relative:  # `${{ … }}` is an expression to GitHub, `$NAME` a variable to GitLab
        raise UserError(Said("ci.directory-dollar", directory=relative),
                        hint=Said("ci.directory-dollar-hint"))
    directory = "." if relative == "." else relative
    build = "build/" if relative == "." else f"{relative}/build/"
    source = (shipped_dir("templates") / "ci" / f"{template}.yml.j2").read_text(encoding="utf-8")
    env = SandboxedEnvironment(keep_trailing_newline=True)
    # JSON strings are YAML scalars that hold anything; shlex keeps paths one word in the shell
    env.globals.update(json=lambda text: json.dumps(text, ensure_ascii=False),
                       shell=shlex.quote)
    text = env.from_string(source).render(
        process_id=process_id, directory=directory, build=build, install=install,
        branch=branch, report=f"copi-{process_id}.xml", site=site)
    return Workflow(_path(system, template, repo_root, process_id), text)


def _path(system: str, template: str, repo_root: Path, process_id: str) -> Path:
    workflows = repo_root / ".github" / "workflows"
    return (workflows / "copi-pages.yml" if template == "github-pages"
            else workflows / f"copi-{process_id}.yml" if system == "github"
            else repo_root / ".gitlab-ci.yml")


class Plan(NamedTuple):
    """What writing the workflows does to the files already there."""

    write: tuple[Workflow, ...]  # new, or replacing copi's own earlier workflow (or --force)
    left: tuple[Path, ...]  # already what copi would write, or kept as it is
    edited: tuple[Path, ...]  # another text there: refused without --force


def plan(made: Sequence[Workflow], replaceable: Mapping[Path, Collection[str]] | None = None,
         keep: Collection[Path] = (), *, force: bool = False) -> Plan:
    """Sort the workflows by what is at their paths (see the module's docstring); a path in
    `keep` that holds another text is left as it is, unless --force."""
    write: list[Workflow] = []
    left: list[Path] = []
    edited: list[Path] = []
    for item in made:
        if not (item.path.exists() or item.path.is_symlink()):
            write.append(item)
            continue
        try:
            there: str | None = item.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            there = None  # a folder, or not text: not copi's, and not for --force to remove
        if there == item.text and not force:
            left.append(item.path)
        elif there is not None and (force or there in (replaceable or {}).get(item.path, ())):
            write.append(item)
        elif item.path in keep:
            left.append(item.path)
        else:
            edited.append(item.path)
    return Plan(tuple(write), tuple(left), tuple(edited))


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
