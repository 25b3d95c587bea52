"""copi portfolio: one view over many processes, found under folders or listed in a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def portfolio(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="[PATH]...")] = None,
    from_file: Annotated[Path | None, typer.Option("--from", metavar="FILE",
                                                   dir_okay=False)] = None,
    phase: Annotated[str | None, typer.Option("--phase")] = None,
    owner: Annotated[str | None, typer.Option("--owner")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    site: Annotated[Path | None, typer.Option("--site", metavar="DIR", file_okay=False)] = None,
) -> None:
    """Each process on its line, then the totals; exit 1 when any process has errors or could
    not be read (help: data/messages/portfolio.json, help.portfolio)."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.portfolio.filters import find_phase, gather
    from copi_cli.portfolio.sources import Source, locate, read_portfolio
    from copi_cli.portfolio.summary import places, survey

    wanted = find_phase(phase) if phase is not None else None
    if site is not None:
        from copi_cli.portfolio.website import refuse_out

        refuse_out(site)
    sources = [Source(label=str(path), path=path)
               for path in paths or ([] if from_file else [Path(".")])]
    if from_file is not None:
        sources += read_portfolio(from_file)
    result = gather(survey(places(locate(sources))), wanted, owner)
    reporter = reporter_for("json" if as_json else "text")
    reporter.portfolio(result)
    if site is not None:
        from copi_cli.cli import language
        from copi_cli.messages import message
        from copi_cli.portfolio.website import build_portfolio_site

        built = build_portfolio_site(result.processes, site, language.current())
        for path, why in built.refusals:
            typer.echo(message("portfolio.site.no-site", language.current(), path=path, why=why),
                       err=True)
        typer.echo(message("portfolio.site.written", language.current(), n=built.built,
                           out=built.out), err=True)
    raise typer.Exit(0 if result.fine else 1)
