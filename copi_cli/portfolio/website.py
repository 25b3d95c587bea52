"""`copi portfolio --site DIR`: each process's site, and an index page linking them.

Design:
1. every process that could be read gets its public site from `site.building.build_site`
   (the public audience, the confidentiality cut and the leak check) in a folder of its own,
   named by its id. One whose site is refused (invalid, a page that would leak) or that could
   not be read at all is left off the index entirely: that it exists, that it has errors or is
   mid-merge is the facilitator's business, not the public's. Why is told to the terminal.
2. the index lists only the processes with a site, and says only what their own public pages
   say: each title as its site shows it, the phase and since when, how many need owners its
   front page names and how many of those signed (a confidential need owner is on neither),
   and, in the totals, the public bodies engaged — a name only where that process's front
   page names it, whole, counted by its identity. The demand signal is left out: no process
   page publishes it, so the portfolio page does not either.
3. the index in both languages (the run's at the root, the other under its own folder), in
   the site's look: its style sheet, skip link, landmarks, relative links, no script.
4. everything is made in a new folder beside DIR and moved into place in one rename; a DIR
   that is not a site copi built is refused rather than replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from copi_cli.errors import CopiError, UsageError
from copi_cli.messages import Said, in_language, text_in
from copi_cli.model.catalogue import load_catalogue
from copi_cli.model.organisations import slugify
from copi_cli.portfolio.summary import ProcessSummary
from copi_cli.site import pages
from copi_cli.site.building import MARKER, replacing

LANGUAGES = ("da", "en")


def e(value: object) -> str:
    """A value on a page: escaped, quotes too (as the site's pages do)."""
    return escape(str(value), quote=True)

# why a process that could not be read has no site, for the facilitator's terminal
STATE_WORDS = {"stale": "portfolio.state.stale", "invalid": "portfolio.state.invalid",
               "mid-merge": "portfolio.state.mid-merge", "broken": "portfolio.state.broken",
               "unreadable": "portfolio.state.unreadable",
               "unavailable": "portfolio.state.unavailable"}


@dataclass(frozen=True)
class Entry:
    """A process on the index: one whose site was built, in its folder."""

    summary: ProcessSummary
    folder: str
    title: str
    owners: tuple[tuple[str, str], ...]  # (identity, name) of those its front page names
    shown: tuple[tuple[str, bool], ...]  # each need owner its front page names, signed or not


@dataclass(frozen=True)
class PortfolioSite:
    out: Path
    built: int  # processes with a site, on the index
    refused: int  # processes without one, left off it
    # (the process's path, why it has no site, in full) for the facilitator's terminal only
    refusals: tuple[tuple[str, str], ...] = ()


def refuse_out(out: Path) -> None:
    """A UsageError when out is there and is not a site copi built: asked before any process
    is read, so a mistyped --site costs nothing."""
    if not (out.exists() or out.is_symlink()):
        return
    if out.is_symlink() or not out.is_dir() or not (out / MARKER).is_file():
        raise UsageError(Said("site.out-not-site", out=out),
                         hint=Said("portfolio.site.out-not-site-hint", out=out, marker=MARKER))


def build_portfolio_site(summaries: Sequence[ProcessSummary], out: Path,
                         lang: str) -> PortfolioSite:
    """Each process's site in out/<id>/ and the index in out/ (see Design); lang: the index's
    language at the root."""
    refuse_out(out)
    refusals: list[tuple[str, str]] = []
    with replacing(out, Said("portfolio.site.out-unmade-hint")) as fresh:
        entries = _entries(summaries, fresh, lang, refusals)
        other = next(code for code in LANGUAGES if code != lang)
        (fresh / pages.STYLE).write_text(pages.style(None, None), encoding="utf-8")
        (fresh / "index.html").write_text(index_page(entries, lang, other, ""),
                                          encoding="utf-8")
        (fresh / other).mkdir()
        (fresh / other / "index.html").write_text(index_page(entries, other, lang, "../"),
                                                  encoding="utf-8")
        (fresh / MARKER).write_text("copi portfolio --site\n", encoding="utf-8")
    return PortfolioSite(out, len(entries), len(refusals), tuple(refusals))


def _entries(summaries: Sequence[ProcessSummary], fresh: Path, lang: str,
             refusals: list[tuple[str, str]]) -> list[Entry]:
    """The processes whose site was built, each into its folder under fresh; why each other
    has none into refusals (path, why), for the terminal."""
    from copi_cli.site.building import build_site

    entries = []
    taken: set[str] = {MARKER, pages.STYLE, "index.html", *LANGUAGES}
    for summary in summaries:
        title = summary.title or summary.id or Path(summary.path).name or summary.label
        if summary.phase is None or summary.root is None:
            refusals.append((summary.path, in_language(lang)(STATE_WORDS[summary.state])))
            continue
        slug = base = slugify(summary.id or title) or "proces"
        number = 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        try:
            built = build_site(Path(summary.root), fresh / slug)
        except CopiError as refused:  # invalid, or a page that would leak: said why
            refusals.append((summary.path, text_in(refused.message, lang)))
            continue
        taken.add(slug)
        shown = {name for name, _ in built.need_owners}
        owners = tuple((owner.identity, owner.name) for owner in summary.need_owners
                       if owner.name in shown)
        entries.append(Entry(summary, slug, built.title, owners, built.need_owners))
    return entries


def index_page(entries: Sequence[Entry], lang: str, other: str, up: str) -> str:
    """The portfolio's page in lang; up leads from it to the folder of the sites."""
    say = in_language(lang)
    catalogue = load_catalogue()
    rows = []
    for entry in entries:
        summary = entry.summary
        named = pages.written_in(summary.language or lang, lang)(entry.title)
        phase = catalogue.phase(str(summary.phase))
        owners = len(entry.shown)
        signed = sum(signed for _, signed in entry.shown)
        since = pages.day(summary.since, lang) if summary.since else ""
        rows.append(
            f'<tr><th scope="row"><a href="{pages.href(up + entry.folder + "/index.html")}">'
            f"{named}</a></th><td>{e(phase.title(lang))}"
            + (f"<br>{e(say('portfolio.site.since'))} {since}" if since else "")
            + f"</td><td>{owners}</td>"
            f"<td>{e(say('portfolio.site.signed', signed=signed, n=owners))}</td>"
            "</tr>\n")
    head = "".join(f'<th scope="col">{e(say(key))}</th>' for key in (
        "portfolio.column.process", "portfolio.column.phase", "portfolio.column.owners",
        "portfolio.column.signed"))
    table = (f'<div class="table"><table>\n<caption>{e(say("portfolio.site.caption"))}'
             f"</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{''.join(rows)}"
             "</tbody>\n</table></div>\n") if rows else f"<p>{e(say('portfolio.nothing'))}</p>\n"
    body = pages.section(say("portfolio.site.processes"), table, "processes")
    body += pages.section(say("portfolio.site.totals"), _totals(entries, lang), "totals")
    there = f"{up}{other}/index.html" if not up else "../index.html"
    switch = (f'<p class="language"><a href="{pages.href(there)}" hreflang="{e(other)}" '
              f'lang="{e(other)}">{e(pages.LANGUAGE_NAMES[other])}</a></p>')
    heading = say("portfolio.title")
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(heading)}</title>\n"
        f'<link rel="stylesheet" href="{pages.href(up + pages.STYLE)}">\n'
        '<link rel="icon" href="data:,">\n'
        f'<link rel="alternate" hreflang="{e(other)}" href="{pages.href(there)}">\n'
        "</head>\n<body>\n"
        f'<a class="skip" href="#main">{e(say("site.skip"))}</a>\n'
        f'<header>\n<div class="bar"><p class="site-title"><a href="index.html">'
        f"<span>{e(heading)}</span></a></p>{switch}</div>\n</header>\n"
        f'<main id="main" tabindex="-1">\n<h1>{e(heading)}</h1>\n{body}</main>\n'
        f'<footer>\n<p>{e(say("portfolio.site.made"))}</p>\n</footer>\n</body>\n</html>\n')


def _totals(entries: Sequence[Entry], lang: str) -> str:
    say = in_language(lang)
    shown = entries
    phases: dict[str, int] = {}
    names: dict[str, str] = {}  # identity -> the name the first process gives it
    counts: dict[str, int] = {}
    for entry in shown:
        phases[str(entry.summary.phase)] = phases.get(str(entry.summary.phase), 0) + 1
        for identity, name in dict(reversed(entry.owners)).items():
            names.setdefault(identity, name)
            counts[identity] = counts.get(identity, 0) + 1
    catalogue = load_catalogue()
    per_phase = [f"{e(phase.title(lang))}: {phases[phase.id]}"
                 for phase in catalogue.phases if phase.id in phases]
    named = sorted((names[identity], counts[identity]) for identity in names)
    return (f"<p>{e(say('portfolio.site.count', n=len(shown)))}</p>\n"
            f"<h3>{e(say('portfolio.per-phase'))}</h3>\n"
            + pages.listing(per_phase, say("portfolio.nothing"))
            + f"<h3>{e(say('portfolio.bodies', n=len(named)))}</h3>\n"
            + pages.listing([f"{e(name)} ({n})" for name, n in named],
                            say("portfolio.nothing")))
