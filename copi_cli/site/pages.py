"""The site's pages as HTML: the front page, events, the market dialogue, the documents.

Text is text: every value from the process passes `_e` (HTML-escaped, quotes too) on its way
into a page, and no value is ever read as markup, template or URL of our own making: a link
the process gives is shown as a link only when it is http(s), else as text. Every internal
link is relative (`up` leads from a page to the site's root), so the site works served from
any sub-path; only `canonical` is absolute, and only with a base URL. No script, no external
request: one style sheet of the site's own, the logo copied in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlsplit

from copi_cli.messages import in_language
from copi_cli.rendering import formatting

# The pages of one language, in the order of the navigation: (file, title's message id).
PAGES = (("index.html", "site.nav-home"), ("events.html", "site.nav-events"),
         ("market-dialogue.html", "site.nav-market-dialogue"),
         ("documents.html", "site.nav-documents"))
CALENDAR = "events.ics"
FEED = "feed.atom"
STYLE = "style.css"
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def href(path: str) -> str:
    """A relative link to a file of the site, each part quoted, as an attribute's value."""
    return _e("/".join(quote(part) for part in path.split("/")))


def external(url: object) -> str | None:
    """A link the process gives, if it is one a reader may follow: http or https only."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


@dataclass(frozen=True)
class Frame:
    """What every page of one language shares: where it stands and what surrounds it."""

    lang: str
    other: str | None  # the other language, if the site has it
    prefix: str  # the language's folder from the root: "" or "en/"
    title: str  # the process's
    logo: str | None  # the logo's path from the root
    contact: str | None  # the facilitator's public contact
    organisation: str | None  # the facilitator's organisation
    base_url: str | None  # for canonical links, ending in "/"
    source: str = ""  # the language the process is written in ("": the page's)
    updated: str = ""  # the day the site sees the process as of (ISO), said in the footer

    @property
    def up(self) -> str:
        """From a page of this language to the root of the site."""
        return "../" if self.prefix else ""

    def other_prefix(self) -> str:
        return "" if self.prefix else f"{self.other}/"


def page(frame: Frame, name: str, heading: str, body: str) -> str:
    """The whole page: skip link, header with the navigation and language switch, the body in
    <main>, the contact in the footer."""
    say = in_language(frame.lang)
    up = frame.up
    nav = "".join(
        f'<li><a href="{href(file)}"'
        + (' aria-current="page"' if file == name else "")
        + f">{_e(say(key))}</a></li>" for file, key in PAGES)
    # an icon of its own, so that no browser asks the host's root for /favicon.ico
    icon = href(up + frame.logo) if frame.logo else "data:,"
    head = [f'<link rel="stylesheet" href="{href(up + STYLE)}">',
            f'<link rel="icon" href="{icon}">',
            f'<link rel="alternate" type="text/calendar" href="{href(CALENDAR)}" '
            f'title="{_e(say("site.calendar"))}">',
            f'<link rel="alternate" type="application/atom+xml" href="{href(FEED)}" '
            f'title="{_e(say("site.feed"))}">']
    switch = ""
    if frame.other is not None:
        there = up + frame.other_prefix() + name
        head.append(f'<link rel="alternate" hreflang="{_e(frame.other)}" href="{href(there)}">')
        switch = (f'<p class="language"><a href="{href(there)}" hreflang="{_e(frame.other)}" '
                  f'lang="{_e(frame.other)}">{_e(LANGUAGE_NAMES[frame.other])}</a></p>')
    if frame.base_url is not None:
        canonical = frame.base_url + frame.prefix + ("" if name == "index.html" else name)
        head.append(f'<link rel="canonical" href="{_e(canonical)}">')
    logo = (f'<img src="{href(up + frame.logo)}" alt="" class="logo">'
            if frame.logo else "")
    contact = ""
    if frame.contact:
        contact = f'<p>{_e(say("site.contact"))}: {_e(frame.contact)}</p>'
    by = f"<p>{_e(frame.organisation)}</p>" if frame.organisation else ""
    # what is "upcoming" and "held" is as of this day: the reader must know which
    updated = ""
    if frame.updated:
        said = _e(say("site.updated", date="\x00")).replace("\x00",
                                                             day(frame.updated, frame.lang))
        updated = f'<p class="updated">{said}</p>'
    title = heading if name == "index.html" else f"{heading} · {frame.title}"
    shown = written_in(frame.source or frame.lang, frame.lang)
    h1 = shown(heading) if name == "index.html" else _e(heading)
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(frame.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n" + "\n".join(head) + "\n</head>\n<body>\n"
        f'<a class="skip" href="#main">{_e(say("site.skip"))}</a>\n'
        f'<header>\n<div class="bar"><p class="site-title"><a href="index.html">{logo}'
        f"<span>{shown(frame.title)}</span></a></p>{switch}</div>\n"
        f'<nav aria-label="{_e(say("site.nav"))}"><ul>{nav}</ul></nav>\n</header>\n'
        f'<main id="main" tabindex="-1">\n<h1>{h1}</h1>\n{body}</main>\n'
        f'<footer>\n{by}{contact}{updated}<p>{_e(say("site.made"))}</p>\n</footer>\n</body>\n</html>\n')


def paragraphs(text: object, lang: str | None = None) -> str:
    """A text of the process as paragraphs (a blank line parts them), as text; lang: the
    language it is written in, when it is not the page's."""
    if not isinstance(text, str) or not text.strip():
        return ""
    mark = f' lang="{_e(lang)}"' if lang else ""
    return "".join(f"<p{mark}>{_e(' '.join(part.split()))}</p>\n"
                   for part in re.split(r"\n\s*\n", text) if part.strip())


def written_in(source: str, page: str) -> Callable[[object], str]:
    """How a text of the process is put on a page: escaped, and on a page in another language
    marked with its own (WCAG 3.1.2, language of parts), so that a screen reader reads it
    right."""
    if source == page:
        return _e
    return lambda value: f'<span lang="{_e(source)}">{_e(value)}</span>'


def day(value: object, lang: str) -> str:
    """A date as the documents write it, in a <time> with its ISO form."""
    text = str(value) if value is not None else ""
    try:
        shown = formatting.date(text, lang)
    except (TypeError, ValueError):
        return _e(text)
    return f'<time datetime="{_e(text)}">{_e(shown)}</time>'


def section(heading: str, body: str, ident: str) -> str:
    return (f'<section aria-labelledby="{ident}">\n<h2 id="{ident}">{_e(heading)}</h2>\n'
            f"{body}</section>\n")


def listing(items: Sequence[str], empty: str) -> str:
    if not items:
        return f"<p>{_e(empty)}</p>\n"
    return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>\n"


def style(primary: object, accent: object) -> str:
    """The one style sheet: the brand's colours where they keep text readable (WCAG AA,
    4.5:1), else copi's own; a colour that is not #rgb or #rrggbb is not used at all."""
    main = _colour(primary, "#1f4e79")
    mark = _colour(accent, "#c0504d")
    on_main = "#ffffff" if _contrast(main, "#ffffff") >= 4.5 else "#111111"
    link = main if _contrast(main, "#ffffff") >= 4.5 else "#1f4e79"
    sheet = STYLE_SHEET
    for name, colour in (("@on-main@", on_main), ("@main@", main), ("@link@", link),
                         ("@mark@", mark)):
        sheet = sheet.replace(name, colour)
    return sheet


def _colour(value: object, default: str) -> str:
    if isinstance(value, str) and _HEX.fullmatch(value.strip()):
        found = value.strip().lower()
        return found if len(found) == 7 else "#" + "".join(c * 2 for c in found[1:])
    return default


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(one: str, two: str) -> float:
    a, b = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (a + 0.05) / (b + 0.05)


STYLE_SHEET = """\
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  line-height: 1.5; color: #1a1a1a; background: #ffffff; overflow-wrap: anywhere; }
a { color: @link@; }
a:focus-visible, main:focus-visible { outline: 3px solid @mark@; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #ffffff; color: #1a1a1a;
  padding: .5rem 1rem; z-index: 1; }
.skip:focus { left: .5rem; top: .5rem; }
header { background: @main@; color: @on-main@; }
header a { color: @on-main@; }
.bar { max-width: 60rem; margin: 0 auto; padding: .75rem 1rem 0; display: flex;
  flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem 1rem; }
.site-title { margin: 0; font-weight: bold; font-size: 1.15rem; }
.site-title a { text-decoration: none; display: inline-flex; align-items: center; gap: .75rem; }
.logo { max-height: 2.5rem; width: auto; background: #ffffff; padding: .2rem; }
.language { margin: 0; }
nav ul { max-width: 60rem; margin: 0 auto; padding: .5rem 1rem .75rem; list-style: none;
  display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
nav a[aria-current] { font-weight: bold; text-decoration-thickness: 3px; }
main { display: block; max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.75rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 2px solid @mark@; }
h3 { font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; }
.table { overflow-x: auto; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #cccccc;
  vertical-align: top; }
.phases li { margin: .35rem 0; }
.now { font-weight: bold; }
.hash { font-family: ui-monospace, monospace; font-size: .85em; word-break: break-all; }
.statement { border-left: 4px solid @mark@; padding: .25rem 1rem; background: #f4f4f4; }
dl.qa dt { font-weight: bold; margin-top: 1rem; }
dl.qa dd { margin: .25rem 0 0 0; }
footer { border-top: 1px solid #cccccc; max-width: 60rem; margin: 2rem auto 0;
  padding: 1rem; font-size: .95rem; }
"""


Say = Callable[..., str]
