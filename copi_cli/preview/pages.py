"""The preview's pages as HTML: the overview and a page around each document.

Text is text: every value from the process is escaped here, whatever it holds; a document's
own HTML comes from the render pipeline (which escapes as it renders) and is shown in a
sandboxed frame, where it runs no script. The page works without JavaScript (reload shows
the latest); a few lines of script, allowed by the page's nonce, replace the body when the
server says the process changed (one at a time, keeping the document's scroll position).
"""

from __future__ import annotations

import base64
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from copi_cli.messages import in_language, text_in
from copi_cli.model.vocabulary import label
from copi_cli.rendering import formatting

if TYPE_CHECKING:
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.model.potential import Demand
    from copi_cli.preview.session import Session, Shown
    from copi_cli.validation.status import Status

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #f6f7f9; }
nav { background: #1f4e79; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap;
      gap: .25rem 1rem; align-items: baseline; }
nav a { color: #fff; } nav strong { margin-right: 1rem; }
nav a[aria-current] { font-weight: bold; text-decoration: none; }
main { max-width: 70rem; margin: 0 auto; padding: 1rem; }
.banner { padding: .5rem 1rem; font-weight: bold; display: flex; flex-wrap: wrap;
          justify-content: space-between; gap: 1rem; }
.banner.internal { background: #fbe3e1; color: #7a1c14; border-bottom: 3px solid #c0504d; }
.banner.public { background: #e2efda; color: #2c5418; border-bottom: 3px solid #548235; }
.banner a { color: inherit; }
section { background: #fff; border: 1px solid #dde; border-radius: 4px; margin: 1rem 0;
          padding: .5rem 1rem; }
.findings { border-color: #c0504d; } .findings li { margin: .35rem 0; }
.error { color: #a12; } .warning { color: #8a5a00; }
code { font-size: .95em; } .where { font-family: ui-monospace, monospace; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left;
  padding: .25rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.holds { color: #2c5418; } .open { color: #a12; }
img.chart { max-width: 100%; height: auto; }
iframe.document { width: 100%; height: 80vh; border: 1px solid #dde; background: #fff; }
.refusal { border-color: #c0504d; }
"""

SCRIPT = """
const page = document.documentElement.dataset;
const events = new EventSource("/events?page=" + encodeURIComponent(page.page));
let queue = Promise.resolve();
async function refresh(version) {
  if (version === document.body.dataset.version) return;
  const answer = await fetch(location.href, {cache: "no-store"});
  const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
  const frame = document.querySelector("iframe.document");
  const y = frame && frame.contentWindow ? frame.contentWindow.scrollY : 0;
  document.body.replaceWith(document.adoptNode(fresh.body));
  const next = document.querySelector("iframe.document");
  if (next && y) next.addEventListener("load", () => next.contentWindow.scrollTo(0, y),
                                       {once: true});
}
events.onmessage = (event) => { queue = queue.then(() => refresh(event.data), () => {}); };
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def page(session: Session, key: str, title: str, body: str, nonce: str) -> str:
    """The whole page: navigation, the audience's banner where it applies, body."""
    lang = session.language
    say = in_language(lang)
    links = [(f"/?audience={_audience(key)}", say("preview.overview"), key.startswith("/?"))]
    for document in session.documents.values():
        path = f"/documents/{quote(document.id)}?audience={_audience(key)}"
        links.append((path, document.name[lang], key == path))
    here = ' aria-current="page"'
    nav = " ".join(f'<a href="{_e(href)}"{here if current else ""}>{_e(text)}</a>'
                   for href, text, current in links)
    ws = session.report.workspace
    title_ = ws.process.get("title") if ws is not None else None
    process = title_ if isinstance(title_, str) and title_ else session.root.name
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}" data-page="{_e(key)}">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, '
            f'initial-scale=1">\n<title>{_e(title)} · {_e(process)}</title>\n'
            f"<style>{STYLE}</style>\n<script nonce=\"{_e(nonce)}\">{SCRIPT}</script>\n</head>\n"
            f'<body data-version="{session.version}">\n<nav aria-label="copi preview">'
            f"<strong>{_e(process)}</strong> {nav}</nav>\n"
            f"{_banner(session, key)}<main>\n{body}</main>\n</body>\n</html>\n")


def _audience(key: str) -> str:
    return "public" if key.endswith("audience=public") else "internal"


def _banner(session: Session, key: str) -> str:
    """Which audience the page shows, and the other one a click away."""
    say = in_language(session.language)
    audience = _audience(key)
    other = "internal" if audience == "public" else "public"
    switch = key.rsplit("audience=", 1)[0] + f"audience={other}"
    return (f'<div class="banner {audience}" role="note"><span>'
            f'{_e(say(BANNER[audience]))}</span>'
            f'<a href="{_e(switch)}">{_e(say(SWITCH[other]))}</a></div>\n')


BANNER = {"internal": "preview.banner-internal", "public": "preview.banner-public"}
SWITCH = {"internal": "preview.show-internal", "public": "preview.show-public"}


def findings(session: Session) -> str:
    """The open findings at file and line, and whether the documents are behind."""
    say = in_language(session.language)
    if session.trouble is not None:
        return (f'<section class="findings" role="alert"><p>'
                f'{_e(say("preview.trouble", reason=session.trouble))}</p></section>\n')
    if not session.findings:
        return f'<section class="findings-none"><p>{_e(say("preview.no-findings"))}</p></section>\n'
    items = "".join(_finding(d) for d in session.findings)
    behind = "" if session.valid else f'<p><strong>{_e(say("preview.broken"))}</strong></p>'
    return (f'<section class="findings" aria-labelledby="findings"><h2 id="findings">'
            f'{_e(say("preview.findings"))}</h2>{behind}<ul>{items}</ul></section>\n')


def _finding(d: Diagnostic) -> str:
    hint = f"<br><small>{_e(d.hint)}</small>" if d.hint else ""
    return (f'<li class="{_e(d.level)}"><span class="where">{_e(d.path)}:{d.line}:{d.col}</span>'
            f" <code>{_e(d.code)}</code> {_e(d.message)}{hint}</li>")


def overview(session: Session) -> str:
    """Phase, the gate's checklist, need owners and backing, the demand signal, findings."""
    lang = session.language
    say = in_language(lang)
    parts = [findings(session)]
    status, demand, error = session.standing()
    if status is None:
        parts.append(f"<section><p>{_e(say('preview.no-status', reason=error))}"
                     "</p></section>\n")
        return "".join(parts)
    phase = status.phase
    rows = "".join(
        f'<li><span class="{"holds" if o.holds else "open"}">'
        f'{"✓" if o.holds else "✗"} {_e(say("preview.holds" if o.holds else "preview.open"))}'
        f"</span> {_e(o.result.text[lang])}: {_e(o.why)}"
        + (f' — {_e(say("preview.edit"))} <span class="where">{_e(o.where)}</span>'
           if o.where else "")
        + (f"<br><small>{_e(o.advice)}</small>" if o.advice else "") + "</li>"
        for o in status.outcomes)
    where = say("preview.phase", number=phase.number, name=phase.name)
    parts.append(f"<section><h1>{_e(status.title)}</h1><p>{_e(where)}</p>"
                 f'<h2>{_e(say("preview.gate"))}</h2><ul class="gate">{rows}</ul></section>\n')
    parts.append(_owners(status, lang))
    parts.append(_demand(demand, lang, demand_chart(session) if demand else ""))
    return "".join(parts)


def _owners(status: Status, lang: str) -> str:
    say = in_language(lang)

    def day(value: str | None) -> str:
        return _e(formatting.date(value, lang)) if value else "—"

    head = "".join(f"<th>{_e(say(k))}</th>" for k in (
        "preview.name", "preview.role", "preview.joined", "preview.political",
        "preview.administrative"))
    rows = "".join(
        f"<tr><td>{_e(o.name)}</td><td>{_e(label('role', o.role, lang))}</td>"
        f"<td>{day(o.joined)}</td><td>{day(o.political)}</td><td>{day(o.administrative)}</td>"
        "</tr>" for o in status.owners)
    scale = status.scale
    summary = say("preview.scale", owners=scale.need_owners, backed=scale.fully_backed,
                  signed=scale.signed)
    return (f'<section><h2>{_e(say("preview.owners"))}</h2><p>{_e(summary)}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>\n")


def _demand(demand: Demand | None, lang: str, chart: str = "") -> str:
    """The demand signal per year, as a table, with its chart (demand_chart) above it."""
    say = in_language(lang)
    title = f'<h2>{_e(say("preview.demand"))}</h2>'
    if demand is None:
        return f"<section>{title}<p>{_e(say('preview.no-demand'))}</p></section>\n"

    def amount(value: object) -> str:
        return "—" if value is None else _e(formatting.number(value, lang))

    head = "".join(f"<th>{_e(say(k))}</th>" for k in (
        "preview.year", "preview.buyers", "preview.units", "preview.spend-low",
        "preview.spend-expected", "preview.spend-high"))
    rows = "".join(
        f"<tr><td>{year.year}</td><td class=\"number\">{year.owners}</td>"
        f'<td class="number">{amount(year.units)}</td>'
        + "".join(f'<td class="number">{amount(getattr(year.spend, corner, None))}</td>'
                  for corner in ("low", "expected", "high")) + "</tr>"
        for year in demand.years)
    return (f"<section>{title}{chart}<table><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></section>\n")


def demand_chart(session: Session) -> str:
    """The demand signal as a chart beside its table, drawn from the same context the
    documents' charts are (the internal view), as an <img> of its SVG (which runs no script)
    with the chart's sentence as its alternative text; "" when there is nothing to draw."""
    from copi_cli.rendering import charts

    potential, colours = session.chart_data()
    svg = charts.demand_chart_svg(potential, session.language, colours)
    if not svg:
        return ""
    alt = charts.demand_chart_alt(potential, session.language)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<p><img class="chart" src="data:image/svg+xml;base64,{data}" alt="{_e(alt)}"></p>'


def document_page(session: Session, document_id: str, audience: str, shown: Shown) -> str:
    """The findings, then the document in a sandboxed frame (or why it is not there)."""
    say = in_language(session.language)
    name = session.documents[document_id].name[session.language]
    parts = [findings(session)]
    if shown.refusal is not None:  # copi render's words, in the page's language
        message, hint = shown.refusal
        message = text_in(message, session.language)
        hint = text_in(hint, session.language) if hint else None
        parts.append(f'<section class="refusal" role="alert"><h2>{_e(say("preview.refused"))}'
                     f"</h2><p>{_e(message)}</p>"
                     + (f"<p><small>{_e(hint)}</small></p>" if hint else "") + "</section>\n")
    elif shown.html is None:
        parts.append(f'<section><p>{_e(say("preview.not-yet"))}</p></section>\n')
    else:
        parts.append(f'<iframe class="document" title="{_e(name)}" '
                     f'sandbox="allow-same-origin" srcdoc="{_e(shown.html)}"></iframe>\n')
    return "".join(parts)
