"""copi init: create a new scaling process as a git repository with a first commit."""

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import date_option


def init(
    name: Annotated[str, typer.Argument(
        help="Short name of the process, also its directory, e.g. fremtidens-madservice.")],
    owner: Annotated[str, typer.Option(
        "--owner", help="The first need owner, e.g. 'Aarhus Kommune'. Municipalities and regions "
        "are looked up in the reference list.")],
    title: Annotated[str | None, typer.Option(
        "--title", help="The process's title (default: from NAME).")] = None,
    lang: Annotated[str, typer.Option(
        "--lang", help="Language of texts and documents: da or en.")] = "da",
    owner_type: Annotated[str | None, typer.Option(
        "--owner-type", help="Type of the first need owner when it is not a municipality or "
        "region: state-agency, state-company, utility, port, member-organisation, company, "
        "other.")] = None,
    facilitator: Annotated[str, typer.Option(
        "--facilitator", help="The facilitating organisation.")] = "CO-PI",
    parent: Annotated[Path, typer.Option(
        "--dir", "-d", file_okay=False, help="Where to create the process directory.")] = Path("."),
    ci: Annotated[str, typer.Option(
        "--ci", metavar="github|gitlab|none", help="Also write a CI workflow that checks the "
        "process (see copi ci).")] = "none",
    ci_install: Annotated[str | None, typer.Option(
        "--ci-install", metavar="SPEC", help="What that workflow installs copi from, e.g. "
        "git+https://…/copi.git@v0.1.0.")] = None,
    no_commit: Annotated[bool, typer.Option(
        "--no-commit", help="Write the files but do not make a git commit.")] = False,
    date: Annotated[str | None, date_option(
        "The day the process began, for one brought in that began earlier: the first history "
        "entry and the first need owner's joined date (default: today; never in the "
        "future).")] = None,
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
        today=began, ci=None if ci == "none" else ci, ci_install=ci_install,
    )
    target = create_process(parent, new, commit=not no_commit)
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.model.organisations import identify

    unknown = owner_type is None and identify(owner, None, "--owner-type").type == "other"
    reporter_for().created(target, owner if unknown else None)
