"""copi ci: write a CI workflow that checks the process on every change."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import DIR, NO_COMMIT_RECORD, process_root


def ci(
    system: Annotated[str, typer.Argument(metavar="github|gitlab")],
    install: Annotated[str | None, typer.Option("--install", metavar="SPEC")] = None,
    show: Annotated[bool, typer.Option("--print")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """The process's checks in its CI, so every pull request is validated and audited."""
    import datetime as dt

    from copi_cli.errors import UsageError, UserError
    from copi_cli.messages import Said, message
    from copi_cli.setup.ci import push_tags, refuse_links, workflow
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
    made = workflow(system, repo.root, root, process["id"], install,
                    gitrepo.current_branch(repo) or "main")
    if show:
        typer.echo(made.text, nl=False)
        return
    refuse_links(repo.root, made.path)
    if made.path.exists() and not force:
        raise UserError(Said("cli.ci.exists", path=str(made.path)), hint=Said("cli.ci.exists-hint"))
    with Change(root, dt.date.today(), commit=not no_commit) as change:
        change.put_beside(made.path, made.text)
        done = change.apply(message("ci.subject", change.language, system=system), "ci")
    push_tags(repo.root)
    from copi_cli.cli.reporters import reporter_for

    reporter_for().workflow_written(made.path, done.commit)
