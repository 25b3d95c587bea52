"""copi init: create a new scaling process as a git repository with a first commit."""

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import date_option


def init(
    name: Annotated[str, typer.Argument()],
    owner: Annotated[str, typer.Option("--owner")],
    title: Annotated[str | None, typer.Option("--title")] = None,
    lang: Annotated[str, typer.Option("--lang")] = "da",
    owner_type: Annotated[str | None, typer.Option("--owner-type")] = None,
    facilitator: Annotated[str, typer.Option("--facilitator")] = "CO-PI",
    parent: Annotated[Path, typer.Option("--dir", "-d", file_okay=False)] = Path("."),
    ci: Annotated[str, typer.Option("--ci", metavar="github|gitlab|none")] = "none",
    ci_install: Annotated[str | None, typer.Option("--ci-install", metavar="SPEC")] = None,
    site: Annotated[bool, typer.Option("--site")] = False,
    no_commit: Annotated[bool, typer.Option("--no-commit")] = False,
    date: Annotated[str | None, date_option()] = None,
) -> None:
    """Create a new scaling process: a directory of starter files in a git repository."""
    import datetime as dt

    from copi_cli.setup.scaffold import NewProcess, create_process
    from copi_cli.trail import gitrepo

    parent = parent.resolve()
    actor = "copi" if no_commit else gitrepo.actor(parent if parent.is_dir() else Path.cwd())
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said

    began = dt.date.fromisoformat(date) if date else dt.date.today()
    if began > dt.date.today():
        raise UsageError(Said("cli.init.future", date=str(date)), hint=Said("cli.init.future-hint"))
    ci = ci.strip().lower()
    if ci not in ("github", "gitlab", "none"):
        raise UsageError(Said("cli.init.ci-unknown", ci=ci), hint=Said("cli.init.ci-unknown-hint"))
    if site and ci == "none":
        raise UsageError(Said("cli.init.site-needs-ci"), hint=Said("cli.init.site-needs-ci-hint"))
    if ci != "none" and no_commit:
        raise UsageError(Said("cli.init.ci-needs-git"), hint=Said("cli.init.ci-needs-git-hint"))
    if ci != "none":
        from copi_cli.setup.ci import default_install

        ci_install = ci_install or default_install()
        if not ci_install:
            raise UsageError(Said("cli.init.ci-install"), hint=Said("cli.init.ci-install-hint"))
    new = NewProcess(
        id=name, title=title or name.replace("-", " ").capitalize(), lang=lang,
        owner_name=owner, owner_type=owner_type, facilitator=facilitator, actor=actor,
        today=began, ci=None if ci == "none" else ci, ci_install=ci_install, site=site,
    )
    target = create_process(parent, new, commit=not no_commit)
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.model.organisations import identify

    unknown = owner_type is None and identify(owner, None, "--owner-type").type == "other"
    reporter_for().created(target, owner if unknown else None)
