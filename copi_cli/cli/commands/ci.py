"""copi ci: write a CI workflow that checks the process on every change (and with --site,
publishes its website through the forge's pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, process_root


def ci(
    system: Annotated[str, typer.Argument(metavar="github|gitlab")],
    install: Annotated[str | None, typer.Option("--install", metavar="SPEC")] = None,
    site: Annotated[bool, typer.Option("--site")] = False,
    show: Annotated[bool, typer.Option("--print")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """The process's checks in its CI, so every pull request is validated and audited."""
    import datetime as dt

    from copi_cli.errors import UsageError, UserError
    from copi_cli.messages import Said, message
    from copi_cli.setup.ci import (
        earlier,
        kept,
        plan,
        push_tags,
        refuse_links,
        remembered_install,
        workflows,
    )
    from copi_cli.trail import gitrepo
    from copi_cli.trail.audit import read_process
    from copi_cli.trail.change import Change

    system = system.strip().lower()
    if install is not None and (not install.strip() or any(c in install for c in "\n\r")):
        raise UsageError(Said("cli.ci.install", install=repr(install)),
                         hint=Said("cli.ci.install-hint"))
    root = process_root(directory)
    repo = gitrepo.require_repo(root)
    process = read_process(root)
    if process is None:
        raise UserError(Said("cli.ci.invalid"), hint=Said("cli.ci.invalid-hint"))
    branch = gitrepo.current_branch(repo) or "main"
    # without --install: where copi's own workflow there installs it from
    install = install or remembered_install(system, repo.root, root, process["id"], branch)
    made = workflows(system, repo.root, root, process["id"], install, branch, site)
    if show:
        for item in made:
            if len(made) > 1:  # which file each is, as a YAML comment
                typer.echo(f"# {item.path.relative_to(repo.root).as_posix()}")
            typer.echo(item.text, nl=False)
        return
    for item in made:
        refuse_links(repo.root, item.path)
    planned = plan(made, earlier(system, repo.root, root, process["id"], install, branch, site),
                   kept(system, repo.root, process["id"], site), force=force)
    for path in planned.edited:
        shown = path.relative_to(repo.root).as_posix()
        if path.name == "copi-pages.yml":
            raise UserError(Said("ci.pages-exists", path=shown), hint=Said("ci.pages-exists-hint"))
        raise UserError(Said("cli.ci.exists", path=str(path)), hint=Said("cli.ci.exists-hint"))
    from copi_cli.cli.reporters import reporter_for

    commit = None
    if planned.write:
        subject = "ci.site-subject" if site else "ci.subject"
        with Change(root, dt.date.today(), commit=not no_commit) as change:
            for item in planned.write:
                change.put_beside(item.path, item.text)
            commit = change.apply(message(subject, change.language, system=system), "ci").commit
    push_tags(repo.root)
    reporter_for().workflow_written([w.path for w in planned.write], commit, planned.left)
