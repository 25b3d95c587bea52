"""Building the site: the public view of the process, checked page by page, written at once.

Design:
1. read the process as a public render does: validated (load_valid, tolerating what only the
   business case's documents depend on), as of its last commit (the "as of" moment: the day
   the pages call today, the calendar's DTSTAMP, the latest the news feed may say), so the
   same revision builds the same bytes whenever and wherever it is built.
2. for each language (the process's at the root, the other under its own folder): the public
   view of the records (copi_cli.rendering.context, through the confidentiality cut), and from
   it every page, the calendar and the news feed (copi_cli.site.feeds).
3. the leak check of every file made of the records, as a public document's (`Guard`): a page
   that would show what was cut is refused with the record and field it came from, and
   nothing is written. A CPR-like number is refused the same way.
4. the files the pages link to: the logo and the materials published to the whole market,
   each only from inside the process; each published document made again from its commit
   (as copi audit does) and offered only when its SHA-256 is what publikationer.yaml records.
5. written into a new folder beside --out and moved into place in one rename; an --out that
   is not a site copi built (no marker file) is refused rather than replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from copi_cli.cpr import MASK, cpr_like
from copi_cli.errors import UsageError, UserError
from copi_cli.messages import Said, in_language, message
from copi_cli.model.workspace import Workspace
from copi_cli.rendering.confidentiality import Guard, Refused, reading
from copi_cli.site import content, pages
from copi_cli.site.content import Material, PublishedDocument, PublishedFile

if TYPE_CHECKING:
    from copi_cli.site.feeds import NewsEntry, SiteEvent
    from copi_cli.trail.gitrepo import Repo
    from copi_cli.validation.pipeline import Report

# The file that marks a folder as a site copi built, which a new build may replace.
MARKER = ".copi-site"
LANGUAGES = ("da", "en")
# Pictures a page may show as the logo: no SVG, which may carry script when opened alone.
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
# Files a browser opens as a page of the site's own origin, running any script in them: never
# offered as a material (a forge's pages share one origin between a user's projects).
RUN_SUFFIXES = frozenset((".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".xml",
                          ".xsl", ".xslt", ".mht", ".mhtml"))


class _Publication(NamedTuple):
    """A publication as the site offers it, in every language."""

    document: str
    language: str
    date: dt.date
    files: tuple[PublishedFile, ...]


@dataclass(frozen=True)
class SiteBuilt:
    """What copi site wrote."""

    out: Path
    pages: tuple[Path, ...]  # every HTML page, the root language's first
    title: str
    languages: tuple[str, ...]
    files: int  # every file written, pages included
    # the need owners the front page names, each with whether it signed: for an index
    # (`copi portfolio --site`) that says no more than the process's own page
    need_owners: tuple[tuple[str, bool], ...] = ()


def build_site(root: Path, out: Path, *, base_url: str | None = None,
               lang: str | None = None) -> SiteBuilt:
    """The public process as a static website in out, all of it or nothing (see Design).
    lang: the language at the root (default: the process's); the other is under its own
    folder. base_url: where the site will be served, for canonical links and the feeds."""
    from copi_cli.rendering.context import IMPOSSIBLE
    from copi_cli.trail import gitrepo
    from copi_cli.trail.lifecycle import load_valid

    _refuse_out(out, root)
    base = _base_url(base_url)
    repo = gitrepo.find_repo(root)
    as_of = _as_of(repo)
    today = as_of.date()
    report = load_valid(root, today, IMPOSSIBLE)
    ws = report.workspace
    assert ws is not None
    first = lang or ws.language
    languages = (first, *[other for other in LANGUAGES if other != first])
    files: dict[str, bytes] = {}
    brand = ws.single_data("brand")
    colours = brand.get("colours")
    primary, accent = (colours.get("primary"), colours.get("accent")) \
        if isinstance(colours, dict) else (None, None)
    files[pages.STYLE] = pages.style(primary, accent).encode()
    logo = _logo(ws, files)
    published = _published(ws, repo, files)
    built_pages: list[str] = []
    title = str(ws.process.get("title") or ws.process.get("id") or "")
    shown: tuple[tuple[str, bool], ...] = ()
    for language in languages:
        made, owners = _language(report, ws, language, languages, as_of, base, logo,
                                 published, files)
        built_pages.extend(made)
        shown = shown or owners
    _write(out, files, root)
    return SiteBuilt(out, tuple(out / name for name in built_pages), title, languages,
                     len(files) + 1, shown)


def _language(report: Report, ws: Workspace, lang: str, languages: tuple[str, ...],
              as_of: dt.datetime, base: str | None, logo: str | None,
              published: list[_Publication], files: dict[str, bytes]
              ) -> tuple[list[str], tuple[tuple[str, bool], ...]]:
    """The pages, calendar and feed of one language into files; their names, and the need
    owners the front page names with whether each signed."""
    from copi_cli.rendering.context import sources_for
    from copi_cli.site import feeds

    today = as_of.date()
    sources = sources_for(report, "public", lang, today)
    context = {**sources.context, "site_source": ws.language}
    guard = sources.guard()
    say = in_language(lang)
    prefix = "" if lang == languages[0] else f"{lang}/"
    other = next((x for x in languages if x != lang), None)
    process = context["process"]
    facilitator = process.get("facilitator") or {}
    title = str(process.get("title") or process.get("id") or "")
    frame = pages.Frame(lang, other, prefix, title, logo,
                        _text(facilitator.get("public_contact")),
                        _text(facilitator.get("organisation")), base, ws.language,
                        today.isoformat())
    iso = today.isoformat()
    materials = _materials(ws, context, iso, files)
    documents = [PublishedDocument(p.document, _document_names(p.document).get(lang, p.document),
                                   p.date.isoformat(), p.language, p.files) for p in published]
    bodies = {
        "index.html": (title, content.front(context, iso, lang)),
        "events.html": (say("site.nav-events"), content.events(context, materials, iso, lang,
                                                               frame.up)),
        "market-dialogue.html": (say("site.nav-market-dialogue"), content.market_dialogue(
            context, materials, message("site.not-a-tender", lang), lang, frame.up)),
        "documents.html": (say("site.nav-documents"), content.documents(
            context, documents, lang, frame.up)),
    }
    names = []
    for name, (heading, body) in bodies.items():
        html = pages.page(frame, name, heading, body).encode("utf-8")
        _check(guard, ws.root, prefix + name, reading("html", html))
        _refuse_guidance(ws, today, prefix + name, reading("html", html))
        files[prefix + name] = html
        names.append(prefix + name)
    process_id = str(process.get("id") or ws.root.name)
    page_url = (base + prefix) if base else None
    events: list[SiteEvent] = []
    for event in content.event_rows(context):
        start = _date(event.get("date"))
        if start is None:
            continue
        anchor = quote(content.anchor(event))
        events.append(feeds.SiteEvent(
            uid=f"{event.get('id')}@{process_id}.copi", title=event["title"], start=start,
            end=None, location=_text(event.get("place")) or None,
            description=" ".join(_text(event.get("description")).split()) or None,
            url=f"{page_url}events.html#{anchor}" if page_url else None))
    calendar = feeds.calendar(events, name=title, lang=lang, stamp=as_of)
    _check(guard, ws.root, prefix + pages.CALENDAR, _unfolded(calendar))
    files[prefix + pages.CALENDAR] = calendar
    entries = _news(context, documents, events, process_id, page_url, lang, as_of)
    # the feed changed when its latest entry did; every entry is as of the build's moment
    updated = max((entry.updated for entry in entries), default=as_of)
    feed = feeds.atom(entries, title=title, feed_id=(f"{page_url}{pages.FEED}" if page_url
                                                      else f"tag:copi,2024:{quote(process_id)}"
                                                      f"/{lang}"),
                      lang=lang, self_url=f"{page_url}{pages.FEED}" if page_url else None,
                      updated=updated)
    _check(guard, ws.root, prefix + pages.FEED, reading("html", feed))
    files[prefix + pages.FEED] = feed
    signed = {s.get("organisation_name") for s in context["signed"]}
    return names, tuple((_text(o.get("name")), o.get("name") in signed)
                        for o in context["need_owners"])


def _news(context: dict, documents: list[PublishedDocument], events: list[SiteEvent],
          process_id: str, page_url: str | None, lang: str,
          as_of: dt.datetime) -> list[NewsEntry]:
    """The feed's entries: each publication and each public event, newest first. An entry is
    news from when it was published (an event: when it was announced, else the day it is
    held), and never later than as_of: a reader sorts by it, and a date ahead of the build
    would stay on top until that day."""
    from copi_cli.site import feeds

    def news_of(day: dt.date) -> dt.datetime:
        return min(dt.datetime.combine(day, dt.time(), dt.UTC), as_of)

    say = in_language(lang)
    tag = f"tag:copi,2024:{quote(process_id)}"
    entries: list[NewsEntry] = []
    for doc in documents:
        updated = news_of(dt.date.fromisoformat(doc.date))
        key = f"publication/{quote(doc.document)}/{doc.language}/{doc.date}"
        entries.append(feeds.NewsEntry(
            id=f"{tag}/{key}", title=say("site.news-published", name=doc.name),
            updated=updated, url=f"{page_url}documents.html" if page_url else None,
            summary=say("site.news-published-summary", date=doc.date,
                        language=doc.language)))
    by_uid = {str(e.get("id")): e for e in content.event_rows(context)}
    for event in events:
        record = by_uid.get(event.uid.split("@", 1)[0], {})
        notice = record.get("announced")
        start = event.start
        # news from the day it was announced, else of the day it is held
        day = (_date(notice.get("date")) if isinstance(notice, dict) else None) or (
            start.date() if isinstance(start, dt.datetime) else start)
        entries.append(feeds.NewsEntry(
            id=f"{tag}/event/{quote(event.uid)}", title=event.title,
            updated=news_of(day), url=event.url,
            summary=event.description))
    return sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)


def _document_names(document: str) -> dict[str, str]:
    from copi_cli.model.documents import load_documents

    for found in load_documents():
        if found.id == document:
            return dict(found.name)
    return {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _unfolded(calendar: bytes) -> str:
    """An iCalendar file as its reader sees the text: folded lines joined, escapes undone."""
    text = calendar.decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "")
    return text.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",") \
        .replace("\\;", ";").replace("\\\\", "\\")


def _check(guard: Guard, root: Path, where: str, text: str) -> None:
    """Refuse a file of the site that holds what the public view cut, or a CPR-like number:
    the message names the file, what it would show and the record and field it is from."""
    found = cpr_like(text)
    if found:
        line = text.count("\n", 0, found[0].start()) + 1
        raise Refused(Said("site.cpr", page=where, line=line, mask=MASK),
                      hint=Said("site.leak-hint"))
    leaks = guard.findings(text, besides="")
    if not leaks:
        return
    from copi_cli.rendering.provenance import origin_shown

    needle = leaks[0]
    written = needle.written()
    shown = written if len(written) <= 60 else written[:57] + "…"
    origin = origin_shown(root, needle, guard)
    if origin:
        raise Refused(Said("site.leak", page=where, shown=shown, origin=origin),
                      hint=Said("site.leak-hint"))
    raise Refused(Said("site.leak-unplaced", page=where, shown=shown),
                  hint=Said("site.leak-hint"))


def _refuse_guidance(ws: Workspace, today: dt.date, where: str, text: str) -> None:
    """Refuse a page that would show copi's starter guidance (a new process's placeholder
    description, say), as a public render refuses a document that would print it."""
    from copi_cli.model import guidance
    from copi_cli.validation.rules.guidance import located_guidance

    printed = {found.guidance.id for found in guidance.find(text)}
    if not printed:
        return
    placed = [located for located in located_guidance(ws, today)
              if located.found.guidance.id in printed]
    if placed:
        finding = placed[0].finding
        raise Refused(Said("site.guidance", page=where, shown=placed[0].shown,
                           origin=f"{finding.path}:{finding.line}"),
                      hint=Said("site.guidance-hint", path=finding.path))
    entry = guidance.guidance(sorted(printed)[0])
    raise Refused(Said("site.guidance", page=where, shown=guidance.excerpt(entry, ws.language),
                       origin=where),
                  hint=Said("site.guidance-hint", path=where))


def _as_of(repo: Repo | None) -> dt.datetime:
    """The moment the process is seen as of: its last commit's (in the committer's offset, so
    its day is the commit's day), so that a revision builds the same site on any day; without
    git or a commit, now."""
    from copi_cli.trail import revisions

    if repo is not None:
        with contextlib.suppress(UserError):  # no commit yet
            return revisions.commit_time(repo, "HEAD")
    return dt.datetime.now(dt.UTC).astimezone().replace(microsecond=0)


def _base_url(base_url: str | None) -> str | None:
    """The address the site is served from, ending in "/"; none for an empty one (a CI job
    whose forge gives no address)."""
    if base_url is None or not base_url.strip():
        return None
    found = pages.external(base_url)
    if found is None:
        raise UsageError(Said("site.base-url", url=base_url), hint=Said("site.base-url-hint"))
    return found if found.endswith("/") else found + "/"


def _logo(ws: Workspace, files: dict[str, bytes]) -> str | None:
    """The brand's logo into assets/, if it is a picture inside the process (resolved as a
    render resolves it: a link out of the process is no picture of the process)."""
    from copi_cli.rendering.conversion import inside

    wanted = ws.single_data("brand").get("logo")
    found = inside(ws.root, wanted) if isinstance(wanted, str) else None
    if found is None or found.suffix.lower() not in LOGO_SUFFIXES:
        return None
    name = f"assets/logo{found.suffix.lower()}"
    files[name] = found.read_bytes()
    return name


def _materials(ws: Workspace, context: dict, today: str,
               files: dict[str, bytes]) -> list[Material]:
    """The materials of the public events published to the whole market by today, each file
    copied in from inside the process (a link out of it is left out)."""
    from copi_cli.rendering.conversion import inside

    found = []
    top = ws.root.resolve()
    for event in context["events"]:
        for material in event.get("materials", []):
            published = str(material.get("published") or "")
            if not published or published > today or not isinstance(material.get("title"), str):
                continue
            if material.get("visibility", "all-market") != "all-market":
                continue
            path = None
            wanted = material.get("file")
            located = inside(ws.root, wanted) if isinstance(wanted, str) else None
            if located is not None:
                relative = located.relative_to(top).as_posix()
                _refuse_private(ws, event, relative)
                path = "files/" + relative
                files[path] = located.read_bytes()
            found.append(Material(str(event.get("id")), material["title"], published, path,
                                  pages.external(material.get("url"))))
    return sorted(found, key=lambda m: (m.published, m.event, m.title))


def _refuse_private(ws: Workspace, event: dict, relative: str) -> None:
    """A material is a file of its own: a record of the process (the minutes of a 1:1
    meeting, a supplier's confidential record) or a hidden file (.git/config, which may hold
    a token) named as one would be published whole, past the confidentiality cut; a page or
    drawing (RUN_SUFFIXES) would bring script into the site."""
    from copi_cli.model.workspace import kind_of

    if kind_of(relative) is not None or any(part.startswith(".")
                                            for part in relative.split("/")):
        key, hint = "site.material-private", "site.material-private-hint"
    elif PurePosixPath(relative).suffix.lower() in RUN_SUFFIXES:
        key, hint = "site.material-runs", "site.material-runs-hint"
    else:
        return
    found = ws.by_id("event").get(str(event.get("id")))
    raise Refused(Said(key, record=found.path if found else event.get("id"),
                       file=relative), hint=Said(hint))


def _published(ws: Workspace, repo: Repo | None,
               files: dict[str, bytes]) -> list[_Publication]:
    """Each publication, newest first, its files made again from the commit as copi audit
    makes them; a file is offered only when its SHA-256 is the one recorded, under the name
    copi gives it (documents/<first 12 of the hash>/<name>)."""
    from copi_cli.model.publications import publications

    found = []
    for publication in publications(ws):
        made: dict[str, bytes] = {}
        if repo is not None:
            from copi_cli.rendering.publishing import render_again

            with contextlib.suppress(UserError):
                made = render_again(repo, ws.root, publication)
        shown = []
        for file in publication.files:
            content_ = made.get(file.name)
            path = None
            if content_ is not None and hashlib.sha256(content_).hexdigest() == file.sha256 \
                    and _plain_name(file.name):
                path = f"documents/{file.sha256[:12]}/{file.name}"
                files[path] = content_
            shown.append(PublishedFile(file.name, file.format, file.sha256, path))
        found.append(_Publication(publication.document, publication.language, publication.date,
                                  tuple(shown)))
    return sorted(found, key=lambda p: (p.date, p.document, p.language), reverse=True)


def _plain_name(name: str) -> bool:
    """A file name with no folder in it (a record names it; the site writes it)."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def _refuse_out(out: Path, root: Path) -> None:
    """An --out that exists must be a site copi built: anything else is the user's. Never the
    process or a folder around it, whatever marker it holds: replacing it would remove the
    process (a marker is one file, which a process repo may carry)."""
    try:
        target = out.resolve()
    except (OSError, RuntimeError):  # a link loop: refused below as not a site
        target = None
    if target is not None and (target == root.resolve() or root.resolve().is_relative_to(target)):
        raise UsageError(Said("site.out-process", out=out), hint=Said("site.out-process-hint"))
    if not (out.exists() or out.is_symlink()):
        return
    if out.is_symlink() or not out.is_dir() or not (out / MARKER).is_file():
        raise UsageError(Said("site.out-not-site", out=out),
                         hint=Said("site.out-not-site-hint", out=out, marker=MARKER))


def _write(out: Path, files: dict[str, bytes], root: Path) -> None:
    """Every file into a new folder beside out, then moved into place: a failure half-way
    leaves out as it was."""
    _refuse_out(out, root)
    with replacing(out, Said("site.out-unmade-hint")) as fresh:
        for name in sorted(files):
            target = fresh / name
            if ".." in Path(name).parts or Path(name).is_absolute():  # never out of the site
                raise ValueError(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
        (fresh / MARKER).write_text("copi site\n", encoding="utf-8")


@contextlib.contextmanager
def replacing(out: Path, hint: Said) -> Iterator[Path]:
    """A new folder beside out to fill, which then replaces out whole (a site, or a portfolio
    of sites): a failure or Ctrl-C half-way leaves out as it was; an OS error is said with
    hint."""
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as error:
        raise UserError(Said("site.out-unmade", out=out, reason=error.strerror or str(error)),
                        hint=hint) from None
    old: Path | None = None
    try:
        yield fresh
        for folder in _folders(fresh):
            os.chmod(folder, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
            os.replace(out, old / "site")
        os.replace(fresh, out)
    except OSError as error:
        if old is not None and not out.exists():
            os.replace(old / "site", out)
        shutil.rmtree(fresh, ignore_errors=True)
        raise UserError(Said("site.out-unmade", out=out, reason=error.strerror or str(error)),
                        hint=hint) from None
    except BaseException:
        if old is not None and not out.exists():
            os.replace(old / "site", out)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _folders(top: Path) -> Iterator[Path]:
    yield top
    for path in sorted(top.rglob("*")):
        if path.is_dir():
            yield path
